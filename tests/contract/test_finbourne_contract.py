"""Schemathesis checks the FINBOURNE Identity simulator against the vendor's OpenAPI document.

The operations checked are the ones the simulator serves under ``/api/roles`` and
``/api/users`` (roles, role membership, users), read from its routing table, so a route added
later is checked too. Requests go to ``{simulator}/identity/api/...`` with a personal access
token.

Positive cases name real roles and users; negative cases also get to break the path ids (the
document constrains them: ``^[a-zA-Z0-9\\-_]+$``, at most 64 characters), which must be refused.
Deletes get a fresh role for every case. A third pass sends schema-valid requests for objects
that do not exist (generated ids). Role names are unique (the documented 409), so positive
CreateRole cases get an unused name.
"""

import copy
import itertools
import json

import pytest
import requests

from tests.contract.harness import NEGATIVE, POSITIVE, ContractRun, is_positive, load_schema, own_simulator
from tests.simulators import SIMULATORS
from tests.simulators.finbourne import MOUNT, PAT, SPEC_FILE

POSITIVE_EXAMPLES = 6
NEGATIVE_EXAMPLES = 6
AUTH_EXAMPLES = 2
UNKNOWN_EXAMPLES = 3
FAMILIES = ("/api/roles", "/api/users")
FIRST = {"ListRoles", "CreateRole", "GetRole", "UpdateRole", "DeleteRole", "ListUsersInRole", "AddUserToRole",
         "RemoveUserFromRole", "ListUsers", "GetUser"}

FULL_DOCUMENT = json.loads(SPEC_FILE.read_text())
_counter = itertools.count(1)


def served_document():
    """The document cut down to the role and user operations the simulator routes."""
    sim = SIMULATORS["finbourne"]()
    served = {(r.method.lower(), sim.spec_path(r.template)) for r in sim.routes}
    doc = {k: v for k, v in FULL_DOCUMENT.items() if k != "paths"}
    doc["paths"] = {}
    for path, ops in FULL_DOCUMENT["paths"].items():
        if path.startswith(FAMILIES):
            kept = {m: copy.deepcopy(op) for m, op in ops.items() if (m, path) in served and op["operationId"] in FIRST}
            if kept:
                doc["paths"][path] = kept
    return doc


DOCUMENT = served_document()
OPERATIONS = sorted((op["operationId"], path, method.upper()) for path, ops in DOCUMENT["paths"].items()
                    for method, op in ops.items())


class World:
    def __init__(self, sim):
        self.sim = sim
        self.http = requests.Session()
        self.http.headers["Authorization"] = "Bearer " + PAT
        self.base = sim.url + MOUNT
        users = self.call("GET", "/api/users")
        self.user = users[0]["id"]
        self.role = self.new_role()
        self.call("PUT", "/api/roles/%s/users/%s" % (self.role, self.user))

    def call(self, method, path, body=None):
        answer = self.http.request(method, self.base + path, json=body)
        assert answer.status_code < 300, "%s %s -> %d %s" % (method, path, answer.status_code, answer.text)
        return answer.json() if answer.content else None

    def new_role(self):
        return self.call("POST", "/api/roles", {"name": "contract-%d" % next(_counter)})["id"]

    def path_parameters(self, operation_id):
        role = self.new_role() if operation_id in ("UpdateRole", "AddUserToRole") else self.role
        return {"id": self.user if operation_id.endswith("User") and "Role" not in operation_id else role,
                "userId": self.user}

    def fresh(self, operation_id):
        if operation_id == "DeleteRole":
            return lambda case: {"id": self.new_role()}
        if operation_id == "RemoveUserFromRole":
            def member(case):
                role = self.new_role()
                self.call("PUT", "/api/roles/%s/users/%s" % (role, self.user))
                return {"id": role, "userId": self.user}
            return member
        return None

    @staticmethod
    def prepare(operation_id):
        def adjust(case):
            # role names are unique per tenant (a clash is the documented 409): positive
            # cases get an unused one instead of the document's example repeated by the generator
            if is_positive(case) and operation_id == "CreateRole" and isinstance(case.body, dict):
                case.body["name"] = "generated-%d" % next(_counter)
        return adjust


@pytest.fixture(scope="module")
def world():
    with own_simulator("finbourne") as sim:
        yield World(sim)


@pytest.fixture(scope="module")
def schemas(world):
    return load_schema(DOCUMENT, world.base, PAT), load_schema(DOCUMENT, world.base, PAT, security_parameters=True)


def test_served_operations_are_covered():
    assert {op_id for op_id, _path, _method in OPERATIONS} >= {
        "ListRoles", "CreateRole", "GetRole", "UpdateRole", "DeleteRole", "ListUsersInRole", "AddUserToRole",
        "RemoveUserFromRole", "ListUsers", "GetUser"}


@pytest.mark.parametrize("operation_id,path,method", OPERATIONS, ids=[o[0] for o in OPERATIONS])
def test_operation(world, schemas, operation_id, path, method):
    data_schema, auth_schema = schemas
    run = ContractRun(operation_id)
    operation = data_schema[path][method]
    fresh, prepare = world.fresh(operation_id), world.prepare(operation_id)
    run.exercise(operation, POSITIVE, POSITIVE_EXAMPLES, path_parameters=world.path_parameters(operation_id),
                 fresh=fresh, prepare=prepare)
    # path ids left to the generator: broken ones must be refused too
    run.exercise(operation, NEGATIVE, NEGATIVE_EXAMPLES, prepare=prepare)
    # broken or missing Authorization headers
    run.exercise(auth_schema[path][method], NEGATIVE, AUTH_EXAMPLES, path_parameters=world.path_parameters(operation_id),
                 fresh=fresh, prepare=prepare)
    # unknown objects: generated (valid) ids must get a documented answer too
    run.exercise(operation, POSITIVE, UNKNOWN_EXAMPLES, prepare=prepare)
    run.assert_clean()
