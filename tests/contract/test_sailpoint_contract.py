"""Schemathesis checks the SailPoint simulator against the vendor's v2024 document.

Only the operations the simulator serves are loaded (sources, source health and connections,
task status, identities, workgroups, managed clusters): the bundled document as a whole fails
self-validation on an unrelated path, so ``spec_document()`` cuts it down the same way the
simulator does. Requests go to ``/v2024/...`` with a client-credentials token; a second,
smaller negative pass lets schemathesis break or drop the ``Authorization`` header.

Spec quirks handled here, each limited to positive cases (negative cases are never touched):

* ``filters`` / ``sorters`` are typed as plain strings; their grammar and the fields each list
  supports are documented in prose, and the API answers 400 to anything else. A positive case
  uses the parameter's own documented ``example`` instead of a random string.
* Source references (``owner``, ``cluster``, ``managementWorkgroup``) and the ``connector``
  script are plain strings in the schema; positive cases name real objects and a known script.
  Source names are unique per tenant (400 on a clash, per the API docs), so a positive case
  gets an unused name.
* PUT may not change ``type``, ``connector``, ``connectorClass``, ``authoritative`` or
  ``passwordPolicies`` (documented in the operation's prose); positive PUT cases keep the
  stored values. Computed ``connectorAttributes`` keys may never be sent back ("Illegal attempt
  to modify healthy"), so positive cases leave them out.
* A JSON Patch operation's ``path`` is a plain string in the schema but must name a writable
  source field; positive PATCH cases aim their operations at ``/description``.
* getWorkgroup documents no 404 for a missing workgroup (see ``DOCUMENT``).

A third pass sends schema-valid requests for objects that do not exist (generated ids).
"""

import copy
import itertools

import pytest
import requests

from tests.contract.harness import NEGATIVE, POSITIVE, ContractRun, is_positive, load_schema, own_simulator
from tests.simulators.sailpoint import (ADMIN_ID, CLIENT_ID, CLIENT_SECRET, CLUSTERS, COMPUTED_ATTRIBUTES,
                                        CONNECTORS, IMMUTABLE_PUT, WORKGROUPS, spec_document)

POSITIVE_EXAMPLES = 6
NEGATIVE_EXAMPLES = 6
AUTH_EXAMPLES = 2
UNKNOWN_EXAMPLES = 3
PREFIX = "/v2024"

DOCUMENT = copy.deepcopy(spec_document())
# getWorkgroup is the one get-by-id here whose document lists no 404 (getIdentity, getSource,
# getManagedCluster, getTaskStatus ... all do); the simulator answers a missing workgroup the way
# those do, so the copy checked here gives getWorkgroup the same shared 404 answer.
DOCUMENT["paths"]["/workgroups/{id}"]["get"]["responses"]["404"] = {"$ref": "#/components/responses/404"}
OPERATIONS = sorted((op["operationId"], path, method.upper()) for path, ops in DOCUMENT["paths"].items()
                    for method, op in ops.items())
_counter = itertools.count(1)


class World:
    def __init__(self, sim):
        self.sim = sim
        self.http = requests.Session()
        token = self.http.post(sim.url + "/oauth/token", data={
            "grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}).json()
        self.token = token["access_token"]
        self.http.headers["Authorization"] = "Bearer " + self.token
        self.source = self.new_source()
        self.put_source = self.new_source()
        self.patch_source = self.new_source()
        answer = self.http.delete(self.sim.url + PREFIX + "/sources/" + self.new_source())
        assert answer.status_code == 202, answer.text
        self.task = answer.json()["id"]

    def new_source(self):
        answer = self.http.post(self.sim.url + PREFIX + "/sources", json={
            "name": "Contract %d" % next(_counter), "owner": {"type": "IDENTITY", "id": ADMIN_ID},
            "connector": "delimited-file"})
        assert answer.status_code == 201, answer.text
        return answer.json()["id"]

    def path_parameters(self, operation_id):
        source = {"putSource": self.put_source, "updateSource": self.patch_source}.get(operation_id, self.source)
        ident = {"getTaskStatus": self.task, "getIdentity": ADMIN_ID, "getWorkgroup": WORKGROUPS[0][0],
                 "getManagedCluster": CLUSTERS[0][0]}.get(operation_id, source)
        return {"id": ident, "sourceId": self.source}

    def fresh(self, operation_id):
        if operation_id == "deleteSource":
            return lambda case: {"id": self.new_source()}
        return None

    def prepare(self, operation_id, operation):
        examples = {p.name: p.definition.get("example") for p in operation.query}

        def adjust(case):
            if not is_positive(case):
                return
            for name in ("filters", "sorters"):
                if isinstance(case.query, dict) and name in case.query:
                    if examples.get(name) is None:
                        del case.query[name]
                    else:
                        case.query[name] = examples[name]
            if operation_id in ("createSource", "putSource") and isinstance(case.body, dict):
                self.real_source_body(case.body, operation_id)
            if operation_id == "updateSource" and isinstance(case.body, list):
                for index, op in enumerate(case.body):
                    if isinstance(op, dict):
                        value = op.get("value")
                        case.body[index] = {"op": "replace", "path": "/description",
                                            "value": value if isinstance(value, str) else "patched"}
        return adjust

    def real_source_body(self, body, operation_id):
        body["name"] = "Generated %d" % next(_counter)
        body["owner"] = {"type": "IDENTITY", "id": ADMIN_ID}
        for key, ref in (("cluster", CLUSTERS[0][0]), ("managementWorkgroup", WORKGROUPS[0][0])):
            if body.get(key) is not None:
                body[key] = {"type": body[key].get("type", "") if isinstance(body[key], dict) else "", "id": ref}
        if body.get("connector") not in CONNECTORS:
            body["connector"] = "delimited-file"
        attributes = body.get("connectorAttributes")
        if isinstance(attributes, dict):
            for key in COMPUTED_ATTRIBUTES:
                attributes.pop(key, None)
        if operation_id == "putSource":
            stored = self.sim.store["sources"][self.put_source]
            for key in IMMUTABLE_PUT:
                body[key] = stored.get(key)
            body["connector"] = stored.get("connectorId")


@pytest.fixture(scope="module")
def world():
    with own_simulator("sailpoint", rate_limit=None, task_delay=0) as sim:
        yield World(sim)


@pytest.fixture(scope="module")
def schemas(world):
    base, token = world.sim.url + PREFIX, world.token
    return load_schema(DOCUMENT, base, token), load_schema(DOCUMENT, base, token, security_parameters=True)


def test_served_operations_are_covered():
    assert {op_id for op_id, _path, _method in OPERATIONS} >= {
        "listSources", "createSource", "getSource", "putSource", "updateSource", "deleteSource", "getTaskStatus",
        "listIdentities", "getIdentity", "listWorkgroups", "getWorkgroup", "getManagedClusters", "getManagedCluster"}


@pytest.mark.parametrize("operation_id,path,method", OPERATIONS, ids=[o[0] for o in OPERATIONS])
def test_operation(world, schemas, operation_id, path, method):
    data_schema, auth_schema = schemas
    run = ContractRun(operation_id)
    operation = data_schema[path][method]
    common = {"path_parameters": world.path_parameters(operation_id), "fresh": world.fresh(operation_id),
              "prepare": world.prepare(operation_id, operation)}
    run.exercise(operation, POSITIVE, POSITIVE_EXAMPLES, **common)
    run.exercise(operation, NEGATIVE, NEGATIVE_EXAMPLES, **common)
    run.exercise(auth_schema[path][method], NEGATIVE, AUTH_EXAMPLES, **common)
    # unknown objects: generated ids must get a documented answer too
    run.exercise(operation, POSITIVE, UNKNOWN_EXAMPLES, prepare=common["prepare"])
    run.assert_clean()
