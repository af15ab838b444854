"""Schemathesis checks the SailPoint simulator against the vendor's v2024 document.

The operations the simulator serves are loaded (every Sources operation, task status, identities,
workgroups, managed clusters, password policies, and the issue-25 tags): the bundled document as a
whole fails self-validation on an unrelated path, so ``spec_document()`` cuts it down the same way
the simulator does (with its quirk fixes: transform attributes checked by type, ...). The issue-25
transforms, identity profiles, lifecycle states and governance groups run in
``test_identity_operation`` with fewer examples each; the entitlement, access profile and role
operations (``ACCESS_TAGS``) have their own file, ``test_sailpoint_access_contract.py``.
Requests go to ``/v2024/...`` with a client-credentials token; a second,
smaller negative pass lets schemathesis break or drop the ``Authorization`` header.

Spec quirks handled here, each limited to positive cases (negative cases are never touched):

* ``filters`` / ``sorters`` are typed as plain strings; their grammar and the fields each list
  supports are documented in prose, and the API answers 400 to anything else. A positive case
  uses the parameter's own documented ``example`` instead of a random string.
* Source references (``owner``, ``cluster``, ``managementWorkgroup``) and the ``connector``
  script are plain strings in the schema; positive cases name real objects and a known script.
  Source names are unique per tenant (400 on a clash, per the API docs), so a positive case
  gets an unused name; the same holds for schema names within a source.
* PUT may not change ``type``, ``connector``, ``connectorClass``, ``authoritative`` or
  ``passwordPolicies`` of a source, nor ``id`` (which must be sent), ``name``, ``created`` or
  ``modified`` of a schema (documented in the operations' prose); positive PUT cases keep the
  stored values. Computed ``connectorAttributes`` keys may never be sent back ("Illegal attempt
  to modify healthy"), so positive cases leave them out.
* A JSON Patch operation's ``path`` is a plain string in the schema but must name a writable
  field; positive PATCH cases aim their operations at a field the object has (``/description``
  of a source or policy, ``/displayAttribute`` of a schema, ``/cronExpression`` of a schedule).
* Sub-resources are keyed in prose: a provisioning policy by its ``usageType`` (one per usage
  type, so a positive create gets a fresh source and a usage type), a schedule by its ``type``
  with a Quartz ``cronExpression`` (a plain string in the schema), an attribute-sync config by
  its ``source.id`` (the source in the path), a password policy holder by an existing
  ``policyId``.
* Uploaded files are plain binary in the schema; the schema imports read a CSV header, so a
  positive case uploads a CSV file. The connector-file upload's ``file`` is not marked required
  although uploading it is the operation (400 without): positive cases send one. The connector test calls and peek run with a healthy
  connector (the default).
* getWorkgroup, and the Sources operations listed in ``NO_404`` (document order), document no 404
  for a missing object although the others on the same source do (getSource, the schemas and
  policies ...); the simulator answers a missing source the way those do, so the copy checked
  here gives them the same shared 404 answer.

Negative cases of the multipart uploads keep only those that are negative on the wire: a form field is
text, so a number drawn for a string field arrives as valid text (``harness.text_on_the_wire``).

A third pass sends schema-valid requests for objects that do not exist (generated ids).

Issue-25 quirks, positive cases only (``real_identity_parts``): transform, profile, lifecycle state
(technical name) and governance group names are unique (prose); a profile's authoritative source
must exist and have no profile yet, owners and members are existing identities, a lifecycle state's
access profiles and account-action sources must exist, a profile mapping's transform types and
references are prose (positive cases leave the mapping out: the default one applies); PUT of a
transform may change its attributes only (positive cases keep name and type); set-lifecycle-state
names a state of the identity's profile.
"""

import copy
import itertools

import pytest
import requests

from tests.contract.harness import check_operation, is_positive, load_schema, own_simulator
from tests.simulators.sailpoint import (ADMIN_ID, CLIENT_ID, CLIENT_SECRET, CLUSTERS, COMPUTED_ATTRIBUTES,
                                        CONNECTORS, IDN_SOURCE_ID, IMMUTABLE_PUT, PASSWORD_POLICIES, WORKGROUPS,
                                        spec_document)

EXAMPLES = {"positive": 6, "negative": 6, "auth": 2, "unknown": 3}
PREFIX = "/v2024"

DOCUMENT = copy.deepcopy(spec_document())
NO_404 = sorted(op["operationId"] for path, ops in DOCUMENT["paths"].items() for op in ops.values()
                if "{" in path and "404" not in op["responses"])
for _path, _ops in DOCUMENT["paths"].items():
    for _op in _ops.values():
        if _op["operationId"] in NO_404:  # see the module docstring
            _op["responses"]["404"] = {"$ref": "#/components/responses/404"}
CSV_FILE = b"id,name,email\n"
# issue 25: this file covers the tags of IdentityParts (IDENTITY_TAGS, fewer examples each: IDENTITY_EXAMPLES);
# the entitlement / access profile / role operations (ACCESS_TAGS) have test_sailpoint_access_contract.py
IDENTITY_TAGS = ("Transforms", "Identity Profiles", "Lifecycle States", "Governance Groups")
ACCESS_TAGS = ("Entitlements", "Access Profiles", "Roles")
IDENTITY_EXAMPLES = {"positive": 3, "negative": 3, "auth": 1, "unknown": 2}
ALL_OPERATIONS = sorted((op["operationId"], path, method.upper(), (op.get("tags") or [""])[0])
                        for path, ops in DOCUMENT["paths"].items() for method, op in ops.items())
OPERATIONS = [o[:3] for o in ALL_OPERATIONS if o[3] not in IDENTITY_TAGS + ACCESS_TAGS or o[0] in (
    "listWorkgroups", "getWorkgroup")]  # the two governance group reads this file always had
IDENTITY_OPERATIONS = [o[:3] for o in ALL_OPERATIONS if o[3] in IDENTITY_TAGS and o[:3] not in OPERATIONS]
ACCESS_OPERATIONS = [o[:3] for o in ALL_OPERATIONS if o[3] in ACCESS_TAGS]
_counter = itertools.count(1)
# operation -> (the JSON Patch path positive cases change, a value for it)
PATCHED = {"updateSource": ("/description", "patched"), "updateProvisioningPolicy": ("/description", "patched"),
           "updateSourceSchema": ("/displayAttribute", "name"),
           "updateSourceSchedule": ("/cronExpression", "0 0 7 * * ?"),
           "updateIdentityProfile": ("/description", "patched"), "updateLifecycleStates": ("/description", "patched"),
           "patchWorkgroup": ("/description", "patched")}


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
        self.schema = self.new_schema(self.source)
        self.add(self.source, "provisioning-policies", {"name": "Account", "usageType": "CREATE", "fields": []})
        self.add(self.source, "schedules", {"type": "ACCOUNT_AGGREGATION", "cronExpression": "0 0 6 * * ?"})
        self.identity_world()

    def identity_world(self):
        """The objects the issue-25 identity operations act on: a transform, a profile of the tenant's
        own identities (processed, so they are its identities) with a lifecycle state, a governance group."""
        self.transform = self.post("/transforms", {"name": "Contract Lower", "type": "lower", "attributes": {}})
        self.profile = self.new_profile(IDN_SOURCE_ID)
        self.post("/identity-profiles/%s/process-identities" % self.profile, None, 202)
        self.state = self.new_state(self.profile)
        self.workgroup = self.new_workgroup()

    def post(self, path, body, status=None):
        answer = self.http.post(self.sim.url + PREFIX + path, json=body)
        assert answer.status_code in ((status,) if status else (200, 201)), answer.text
        return answer.json().get("id")

    def new_profile(self, source=None):
        return self.post("/identity-profiles", {"name": "Contract profile %d" % next(_counter), "authoritativeSource": {
            "type": "SOURCE", "id": source or self.new_source()}})

    def new_state(self, profile):
        number = next(_counter)
        return self.post("/identity-profiles/%s/lifecycle-states" % profile, {
            "name": "Contract state %d" % number, "technicalName": "contract%d" % number})

    def new_workgroup(self):
        return self.post("/workgroups", {"name": "Contract group %d" % next(_counter),
                                         "owner": {"type": "IDENTITY", "id": ADMIN_ID}})

    def add(self, source, part, body):
        answer = self.http.post("%s%s/sources/%s/%s" % (self.sim.url, PREFIX, source, part), json=body)
        assert answer.status_code == 201, answer.text
        return answer.json()

    def new_schema(self, source):
        return self.add(source, "schemas", {"name": "extra %d" % next(_counter), "attributes": [],
                                            "identityAttribute": "id", "displayAttribute": "id"})["id"]

    def new_source(self):
        answer = self.http.post(self.sim.url + PREFIX + "/sources", json={
            "name": "Contract %d" % next(_counter), "owner": {"type": "IDENTITY", "id": ADMIN_ID},
            "connector": "delimited-file"})
        assert answer.status_code == 201, answer.text
        return answer.json()["id"]

    def path_parameters(self, operation_id):
        source = {"putSource": self.put_source, "updateSource": self.patch_source}.get(operation_id, self.source)
        ident = {"getTaskStatus": self.task, "getIdentity": ADMIN_ID, "getWorkgroup": WORKGROUPS[0][0],
                 "getManagedCluster": CLUSTERS[0][0],
                 "getPasswordPolicyById": PASSWORD_POLICIES[0][0]}.get(operation_id, source)
        if operation_id.endswith(("Transform", "Transforms")):
            ident = self.transform
        elif "orkgroup" in operation_id or operation_id == "listConnections":
            ident = self.workgroup
        return {"id": ident, "sourceId": self.source, "schemaId": self.schema, "usageType": "CREATE",
                "scheduleType": "ACCOUNT_AGGREGATION", "identity-profile-id": self.profile,
                "lifecycle-state-id": self.state, "identity-id": ADMIN_ID, "workgroupId": self.workgroup}

    def fresh(self, operation_id):
        """Per-case objects for one-shot operations (deletes, creates keyed by type)."""
        def source_with(part):
            def make(case):
                source = self.new_source()
                if part == "schema":
                    return {"sourceId": source, "schemaId": self.new_schema(source)}
                if part == "policy":
                    self.add(source, "provisioning-policies", {"name": "p", "usageType": "CREATE"})
                elif part == "schedule":
                    self.add(source, "schedules", {"type": "ACCOUNT_AGGREGATION", "cronExpression": "0 0 6 * * ?"})
                return {"sourceId": source, "id": source}
            return make

        def doomed_transform(case):
            return {"id": self.post("/transforms", {"name": "Contract doomed %d" % next(_counter), "type": "trim",
                                                    "attributes": {}})}
        identity = {"deleteTransform": doomed_transform,
                    "deleteIdentityProfile": lambda case: {"identity-profile-id": self.new_profile()},
                    "deleteLifecycleState": lambda case: {"lifecycle-state-id": self.new_state(self.profile)},
                    "deleteWorkgroup": lambda case: {"id": self.new_workgroup()}}.get(operation_id)
        if identity is not None:
            return identity
        return {"deleteSource": lambda case: {"id": self.new_source()},
                "deleteSourceSchema": source_with("schema"), "deleteProvisioningPolicy": source_with("policy"),
                "deleteSourceSchedule": source_with("schedule"), "createProvisioningPolicy": source_with(None),
                "createSourceSchedule": source_with(None),
                "updateProvisioningPoliciesInBulk": source_with(None)}.get(operation_id)

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
            patched = PATCHED.get(operation_id)
            if patched and isinstance(case.body, list):
                for index, op in enumerate(case.body):
                    if isinstance(op, dict):
                        value = op.get("value")
                        case.body[index] = {"op": "replace", "path": patched[0],
                                            "value": value if isinstance(value, str) and value else patched[1]}
            self.real_parts(operation_id, case)
            self.real_identity_parts(operation_id, case)
        return adjust

    def real_identity_parts(self, operation_id, case):
        """Positive cases of the identity operations name real, unused objects (documented in prose: unique
        names, references that must exist, PUT changing only a transform's attributes)."""
        body = case.body
        if not isinstance(body, (dict, list)):
            return
        number = next(_counter)
        if operation_id == "createTransform":
            body["name"] = "Generated transform %d" % number
        elif operation_id == "updateTransform":
            stored = self.sim.store["transforms"][self.transform]
            case.body = {"name": stored["name"], "type": stored["type"],
                         "attributes": body.get("attributes") if body.get("type") == stored["type"] else stored["attributes"]}
        elif operation_id == "createIdentityProfile":
            body.update(name="Generated profile %d" % number, authoritativeSource={"type": "SOURCE", "id": self.new_source()})
            body.pop("identityAttributeConfig", None)  # transform types and references are prose; the default is used
            if body.get("owner") is not None:
                body["owner"] = {"type": "IDENTITY", "id": ADMIN_ID}
        elif operation_id == "deleteIdentityProfiles":
            case.body = [self.new_profile() for _item in body[:2]] or [self.new_profile()]
        elif operation_id == "generateIdentityPreview":
            body.update(identityId=ADMIN_ID)
            body.pop("identityAttributeConfig", None)
        elif operation_id == "createLifecycleState":
            body.update(name="Generated state %d" % number, technicalName="generated%d" % number, accessProfileIds=[])
            for action in body.get("accountActions") or []:
                if isinstance(action, dict):
                    action["sourceIds"] = [self.source]
        elif operation_id == "setLifecycleState":
            body["lifecycleStateId"] = self.state
        elif operation_id == "createWorkgroup":
            body.update(name="Generated group %d" % number, owner={"type": "IDENTITY", "id": ADMIN_ID})
            if not isinstance(body.get("description"), str):
                body.pop("description", None)

    def real_parts(self, operation_id, case):
        body = case.body
        if operation_id == "createSourceSchema" and isinstance(body, dict):
            body["name"] = "generated schema %d" % next(_counter)
        if operation_id == "putSourceSchema" and isinstance(body, dict):
            stored = self.sim.store["parts"][self.source]["schemas"].get(case.path_parameters.get("schemaId"), {})
            for key in ("created", "modified"):
                body.pop(key, None)
            body["id"] = stored.get("id", case.path_parameters.get("schemaId"))
            if stored:
                body["name"] = stored["name"]
        if operation_id in ("createSourceSchema", "putSourceSchema") and isinstance(body, dict):
            body.pop("attributes", None)  # names must be unique within a schema (prose)
        if operation_id in ("createProvisioningPolicy", "putProvisioningPolicy") and isinstance(body, dict):
            body["usageType"] = "CREATE"
            body.setdefault("name", "Account")
            body.pop("fields", None)  # names must be unique within a policy (prose)
        if operation_id == "updateProvisioningPoliciesInBulk" and isinstance(body, list):
            case.body = [dict(item, usageType=usage, name=item.get("name", "p"), fields=[])
                         for item, usage in zip([i for i in body if isinstance(i, dict)], ("CREATE", "UPDATE"))]
        if operation_id == "createSourceSchedule" and isinstance(body, dict):
            body["cronExpression"] = "0 0 6 * * ?"
        if operation_id == "putSourceAttrSyncConfig" and isinstance(body, dict) and isinstance(body.get("source"), dict):
            body["source"]["id"] = case.path_parameters.get("id")
        if operation_id == "updatePasswordPolicyHolders" and isinstance(body, list):
            for holder in body:
                if isinstance(holder, dict):
                    holder["policyId"] = PASSWORD_POLICIES[1][0]
        if operation_id in ("importAccountsSchema", "importEntitlementsSchema") and isinstance(body, dict):
            body["file"] = CSV_FILE
        if operation_id == "importConnectorFile" and isinstance(body, dict):
            body["file"] = b"PK\x03\x04 connector"

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
    sources = {op["operationId"] for ops in spec_document()["paths"].values() for op in ops.values()
               if "Sources" in op.get("tags", ())}
    assert len(sources) == 51  # the 50 of the v2024 SDK's SourcesApi and load-entitlements
    assert {op_id for op_id, _path, _method in OPERATIONS} >= sources | {
        "getTaskStatus", "listIdentities", "getIdentity", "listWorkgroups", "getWorkgroup", "getManagedClusters",
        "getManagedCluster", "listPasswordPolicies", "getPasswordPolicyById"}
    identity = {op["operationId"] for ops in spec_document()["paths"].values() for op in ops.values()
                if set(op.get("tags", ())) & set(IDENTITY_TAGS)}
    assert len(identity) == 32  # issue 25: transforms 5, identity profiles 11, lifecycle states 6, governance groups 10
    assert {o[0] for o in OPERATIONS + IDENTITY_OPERATIONS} >= identity
    assert len(ACCESS_OPERATIONS) == 36  # entitlements 12, access profiles 8, roles 16
    # the operations given the shared 404 answer (module docstring): exactly these
    assert [o for o in NO_404 if o not in {s[0] for s in ACCESS_OPERATIONS}] == [
        "createLifecycleState", "createSourceSchedule", "createSourceSchema", "deleteAccountsAsync", "deleteWorkgroup",
        "deleteWorkgroupMembers", "getLifecycleStates", "getSourceEntitlementRequestConfig", "getWorkgroup",
        "importAccounts", "importAccountsSchema", "importConnectorFile", "importEntitlements",
        "importEntitlementsSchema", "importUncorrelatedAccounts", "listConnections", "listWorkgroupMembers",
        "patchWorkgroup", "updateSourceEntitlementRequestConfig", "updateWorkgroupMembers"]


@pytest.mark.parametrize("operation_id,path,method", OPERATIONS, ids=[o[0] for o in OPERATIONS])
def test_operation(world, schemas, operation_id, path, method):
    check_operation(world, schemas, operation_id, path, method, EXAMPLES)


@pytest.mark.parametrize("operation_id,path,method", IDENTITY_OPERATIONS, ids=[o[0] for o in IDENTITY_OPERATIONS])
def test_identity_operation(world, schemas, operation_id, path, method):
    """Issue 25's transforms, identity profiles, lifecycle states and governance groups: the same passes with
    fewer examples (``IDENTITY_EXAMPLES``), so that 30 more operations add well under a minute."""
    check_operation(world, schemas, operation_id, path, method, IDENTITY_EXAMPLES)
