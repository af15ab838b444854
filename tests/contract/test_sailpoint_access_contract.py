"""Schemathesis checks the SailPoint simulator's entitlements, access profiles and roles (the v2024 document's
tags Entitlements, Access Profiles and Roles: 36 operations) against the document, as
``test_sailpoint_contract.py`` does for sources: positive and negative cases, broken tokens, unknown ids.

The world every case works in: a source whose entitlements were seeded, an access profile and a role
using them, a second source for the reset, one metadata bulk update (its status is readable).

Spec quirks handled here, each limited to positive cases (negative cases are never touched):

* References are plain strings in the schemas (owners, sources, entitlements, access profiles, roles,
  governance groups of approval steps, identities of a membership list) but must name real objects
  (the operations' prose): positive cases name the world's. Names are unique (a clash is a 400), and
  the descriptions limited to 2000 characters (prose): positive cases get a fresh name and a short text.
* Criteria trees (a role's membership, an access profile's provisioning criteria) follow rules stated
  in prose (AND / OR need children, leaves a key and a value, at most three levels): positive cases
  send a valid tree. ``accessModelMetadata`` must be left empty and a role's ``id`` null on create.
* A JSON Patch operation's ``path`` is a plain string but must name a patchable field (listed in the
  prose): positive cases replace ``/description``; the bulk update replaces ``/requestable``.
* ``filters`` (a query parameter, or a body field of the filter search and the metadata bulk update) and
  ``sorters`` have a grammar in prose: positive cases use the documented example, or a valid filter.
  ``account-id`` cannot be given with ``filters``, ``segmented-for-identity`` or ``for-segment-ids``
  (prose): positive cases drop it then.
* Bulk deletes name objects of the world made for the case; the metadata bulk update by ids names the
  world's role; the entitlement aggregation uploads a CSV file.
* The filter search's 200 answer is declared ``type: array`` with an ``allOf`` of ``Role`` (an
  object), which no answer can satisfy; the copy checked here declares an array of ``Role``, as its
  description says ("returns a list of Role").
* The role metadata bulk updates and their status by id name a security scheme the document does not
  define (``UserContextAuth``); the copy names ``userAuth``, the bearer token every other operation takes.
* The example of the assigned identities' ``filters``, ``name sw Joe``, leaves the string unquoted,
  which the standard syntax its description points to does not allow: positive cases quote it.
* Some properties are a ``$ref`` with a sibling ``nullable: true`` (a role's ``accessRequestConfig``,
  ``revocationRequestConfig``, ...). OpenAPI 3.0 ignores the siblings of a ``$ref``, so the referenced,
  non-nullable object applies (the simulator's check reads it so); schemathesis reads the sibling and
  draws null: positive cases leave such a null out (``REF_NULLABLE``).
* The operations in ``NO_404`` document no 404 for a missing object although getEntitlement, getRole ...
  do; the copy gives them the shared 404 answer.
"""

import copy
import itertools

import pytest
import requests

from tests.contract.harness import check_operation, is_positive, load_schema, own_simulator
from tests.simulators.sailpoint import ADMIN_ID, CLIENT_ID, CLIENT_SECRET, WORKGROUPS, spec_document

TAGS = ("Entitlements", "Access Profiles", "Roles")
EXAMPLES = {"positive": 6, "negative": 6, "auth": 2, "unknown": 3}
PREFIX = "/v2024"
OWNER = {"type": "IDENTITY", "id": ADMIN_ID}
GROUP = WORKGROUPS[0][0]

DOCUMENT = copy.deepcopy(spec_document())
DOCUMENT["paths"] = dict((path, dict((m, op) for m, op in ops.items() if set(TAGS) & set(op.get("tags", ()))))
                         for path, ops in DOCUMENT["paths"].items())
DOCUMENT["paths"] = dict((path, ops) for path, ops in DOCUMENT["paths"].items() if ops)
NO_404 = sorted(op["operationId"] for path, ops in DOCUMENT["paths"].items() for op in ops.values()
                if "{" in path and "404" not in op["responses"])
for _ops in DOCUMENT["paths"].values():
    for _op in _ops.values():
        if _op["operationId"] in NO_404:
            _op["responses"]["404"] = {"$ref": "#/components/responses/404"}
DOCUMENT["paths"]["/roles/filter"]["post"]["responses"]["200"]["content"]["application/json"]["schema"] = {
    "type": "array", "items": {"$ref": "#/components/schemas/Role"}}
for _ops in DOCUMENT["paths"].values():
    for _op in _ops.values():
        _op["security"] = [dict(("userAuth" if k == "UserContextAuth" else k, v) for k, v in req.items())
                           for req in _op.get("security", ())]
# model -> its properties declared as a $ref with a sibling ``nullable`` (see the module docstring)
REF_NULLABLE = dict((model, [name for name, prop in DOCUMENT["components"]["schemas"][model]["properties"].items()
                             if "$ref" in prop and prop.get("nullable")]) for model in ("AccessProfile", "Role"))
OPERATIONS = sorted((op["operationId"], path, method.upper()) for path, ops in DOCUMENT["paths"].items()
                    for method, op in ops.items())
_counter = itertools.count(1)
CSV_FILE = b"id,name\ng1,Group one\n"
LEAF = {"operation": "EQUALS", "key": {"type": "IDENTITY", "property": "uid"}, "stringValue": "jane.doe"}


class World:
    def __init__(self, sim):
        self.sim = sim
        self.http = requests.Session()
        token = self.http.post(sim.url + "/oauth/token", data={
            "grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}).json()
        self.token = token["access_token"]
        self.http.headers["Authorization"] = "Bearer " + self.token
        self.source = self.new_source()
        self.reset_source = self.new_source()
        self.entitlements = sim.seed_entitlements(self.source, ["Admins", "Users"])
        sim.seed_entitlements(self.reset_source, ["Old"])
        self.profile = self.new_profile()
        self.role = self.new_role()
        self.post("/roles/access-model-metadata/bulk-update/ids", {
            "roles": [self.role], "operation": "ADD", "values": [{"attribute": "iscPrivacy", "values": ["public"]}]},
            202)

    def post(self, path, body, status=201):
        answer = self.http.post(self.sim.url + PREFIX + path, json=body)
        assert answer.status_code == status, answer.text
        return answer.json() if answer.content else None

    def new_source(self):
        return self.post("/sources", {"name": "Contract %d" % next(_counter), "owner": OWNER,
                                      "connector": "delimited-file"})["id"]

    def new_profile(self):
        return self.post("/access-profiles", {"name": "Profile %d" % next(_counter), "owner": OWNER,
                                              "source": {"type": "SOURCE", "id": self.source},
                                              "entitlements": [{"type": "ENTITLEMENT", "id": self.entitlements[0]}]})["id"]

    def new_role(self):
        return self.post("/roles", {"name": "Role %d" % next(_counter), "owner": OWNER,
                                    "accessProfiles": [{"type": "ACCESS_PROFILE", "id": self.profile}]})["id"]

    def path_parameters(self, operation_id):
        if operation_id in ("resetSourceEntitlements", "importEntitlementsBySource"):
            ident = self.reset_source
        elif "AccessProfile" in operation_id:
            ident = self.profile
        elif "Role" in operation_id:
            ident = self.role
        else:
            ident = self.entitlements[1]
        return {"id": ident, "attributeKey": "iscPrivacy", "attributeValue": "public"}

    def fresh(self, operation_id):
        """Per-case objects for one-shot operations (deletes, metadata removals)."""
        def metadata(kind, ident):
            def make(case):
                self.post("/%s/%s/access-model-metadata/iscPrivacy/values/public" % (kind, ident), None,
                          201 if kind == "entitlements" else 200)
                return {}
            return make
        return {"deleteAccessProfile": lambda case: {"id": self.new_profile()},
                "deleteRole": lambda case: {"id": self.new_role()},
                "deleteAccessModelMetadataFromEntitlement": metadata("entitlements", self.entitlements[1]),
                "deleteMetadataFromRoleByKeyAndValue": metadata("roles", self.role)}.get(operation_id)

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
            if isinstance(case.query, dict) and set(case.query) & {"filters", "segmented-for-identity", "for-segment-ids"}:
                case.query.pop("account-id", None)
            if isinstance(case.query, dict) and "filters" in case.query:
                case.query["filters"] = case.query["filters"].replace("sw Joe", 'sw "Joe"')
            body = case.body
            handler = getattr(self, "body_" + operation_id, None)
            if handler is not None and isinstance(body, (dict, list)):
                handler(case, body)
            elif isinstance(body, list) and operation_id.startswith("patch"):
                case.body = [{"op": "replace", "path": "/description", "value": "patched"}]
        return adjust

    # positive bodies: real references, valid trees, fresh names (see the module docstring)

    def approvals(self, config):
        for scheme in (config or {}).get("approvalSchemes") or [] if isinstance(config, dict) else []:
            if isinstance(scheme, dict) and scheme.get("approverType") in ("GOVERNANCE_GROUP",
                                                                           "ADDITIONAL_GOVERNANCE_GROUP"):
                scheme["approverId"] = GROUP

    def owners(self, body):
        body["owner"] = dict(OWNER)
        if isinstance(body.get("additionalOwners"), list):
            body["additionalOwners"] = [{"type": "GOVERNANCE_GROUP", "id": GROUP}]
        body["name"] = "Generated %d" % next(_counter)
        if isinstance(body.get("description"), str):
            body["description"] = body["description"][:100]
        body.pop("accessModelMetadata", None)
        self.approvals(body.get("accessRequestConfig"))
        self.approvals(body.get("revocationRequestConfig"))

    @staticmethod
    def no_null_refs(body, model):
        for name in REF_NULLABLE[model]:
            if name in body and body[name] is None:
                del body[name]

    def body_createAccessProfile(self, case, body):
        self.owners(body)
        self.no_null_refs(body, "AccessProfile")
        body["source"] = {"type": "SOURCE", "id": self.source}
        body["entitlements"] = [{"type": "ENTITLEMENT", "id": self.entitlements[0]}]
        body["provisioningCriteria"] = None

    def body_createRole(self, case, body):
        self.owners(body)
        self.no_null_refs(body, "Role")
        body.pop("id", None)
        body["accessProfiles"] = [{"type": "ACCESS_PROFILE", "id": self.profile}]
        body["entitlements"] = [{"type": "ENTITLEMENT", "id": self.entitlements[1]}]
        body["membership"] = {"type": "STANDARD", "criteria": {"operation": "OR", "children": [LEAF]}}

    def body_putEntitlementRequestConfig(self, case, body):
        for section in ("accessRequestConfig", "revocationRequestConfig"):
            self.approvals(body.get(section))

    def body_updateEntitlementsInBulk(self, case, body):
        case.body = {"entitlementIds": list(self.entitlements),
                     "jsonPatch": [{"op": "replace", "path": "/requestable", "value": True}]}

    def body_deleteAccessProfilesInBulk(self, case, body):
        body["accessProfileIds"] = [self.new_profile()]

    def body_deleteBulkRoles(self, case, body):
        body["roleIds"] = [self.new_role()]

    def body_updateRolesMetadataByIds(self, case, body):
        body["roles"] = [self.role]

    def body_updateRolesMetadataByFilter(self, case, body):
        body["filters"] = 'name sw "Role"'

    def body_searchRolesByFilter(self, case, body):
        if body.get("filters") is not None:
            body["filters"] = 'name sw "Role"'

    def body_importEntitlementsBySource(self, case, body):
        body["csvFile"] = CSV_FILE


@pytest.fixture(scope="module")
def world():
    with own_simulator("sailpoint", rate_limit=None, task_delay=0) as sim:
        yield World(sim)


@pytest.fixture(scope="module")
def schemas(world):
    base, token = world.sim.url + PREFIX, world.token
    return load_schema(DOCUMENT, base, token), load_schema(DOCUMENT, base, token, security_parameters=True)


def test_the_36_operations_are_covered():
    assert len(OPERATIONS) == 36
    assert NO_404 == [
        "createAccessModelMetadataForEntitlement", "deleteAccessModelMetadataFromEntitlement", "deleteAccessProfile",
        "deleteMetadataFromRoleByKeyAndValue", "deleteRole", "getAccessProfileEntitlements",
        "getRoleAssignedIdentities", "getRoleEntitlements", "importEntitlementsBySource", "patchAccessProfile",
        "patchRole", "resetSourceEntitlements", "updateAttributeKeyAndValueToRole"]


@pytest.mark.parametrize("operation_id,path,method", OPERATIONS, ids=[o[0] for o in OPERATIONS])
def test_operation(world, schemas, operation_id, path, method):
    check_operation(world, schemas, operation_id, path, method, EXAMPLES)
