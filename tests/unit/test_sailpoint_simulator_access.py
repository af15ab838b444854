"""The SailPoint simulator's entitlements, access profiles and roles seen by a plain HTTP client (issue 25)."""

import time

import pytest
import requests

from tests.simulators.sailpoint import ADMIN_ID, CLIENT_ID, CLIENT_SECRET, WORKGROUPS, SailPointSimulator
from tests.simulators.sailpoint.access_parts import AccessParts

OWNER = {"type": "IDENTITY", "id": ADMIN_ID}
JANE = "2c9180857182305e0171993735622949"
PATCH = {"Content-Type": "application/json-patch+json"}
ACCOUNTS = b"id,name,email,groups\nu1,Una,una@example.com,Admins|Users\nu2,Ugo,ugo@example.com,Users\n"


@pytest.fixture(scope="module")
def server():
    sim = SailPointSimulator(task_delay=0.0, rate_limit=None)
    assert isinstance(sim, AccessParts)
    sim.start()
    yield sim
    sim.stop()


@pytest.fixture
def sim(server):
    server.reset()
    server.task_delay = 0.0
    server.rate_limit = None
    return server


class Client:
    def __init__(self, sim, prefix="/v2024"):
        token = requests.post(sim.url + "/oauth/token", timeout=5, data={
            "grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}).json()
        self.http = requests.Session()
        self.http.headers["Authorization"] = "Bearer " + token["access_token"]
        self.base = sim.url + prefix
        self.sim = sim

    def __call__(self, method, path, expect=200, **kwargs):
        if method == "PATCH":
            kwargs.setdefault("headers", PATCH)
        resp = self.http.request(method, self.base + path, timeout=10, **kwargs)
        assert resp.status_code == expect, (method, path, resp.status_code, resp.text)
        return resp.json() if resp.content else None

    def error(self, method, path, **kwargs):
        body = self(method, path, expect=400, **kwargs)
        return body["messages"][0]["text"]

    def wait(self, task_id):
        for _attempt in range(100):
            task = self("GET", "/task-status/" + task_id)
            if task["completed"]:
                assert task["completionStatus"] == "SUCCESS", task
                return task
            time.sleep(0.01)
        raise AssertionError("task %s did not complete" % task_id)

    def source(self, name="HR", groups=True):
        source = self("POST", "/sources", 201, json={"name": name, "owner": OWNER, "connector": "delimited-file"})
        if groups:
            account = next(s for s in source["schemas"] if s["name"] == "account")
            group = next(s for s in source["schemas"] if s["name"] == "group")
            path = "/sources/%s/schemas/%s" % (source["id"], account["id"])
            schema = self("GET", path)
            schema["attributes"].append({"name": "groups", "type": "STRING", "isMulti": True, "isEntitlement": True,
                                         "isGroup": True, "schema": {"type": "CONNECTOR_SCHEMA", "id": group["id"],
                                                                     "name": "group"}})
            self("PUT", path, json=schema)
        return source

    def aggregate(self, source, data=ACCOUNTS):
        task = self("POST", "/sources/%s/load-accounts" % source["id"], 202, files={"file": ("a.csv", data)})
        return self.wait(task["task"]["id"])

    def entitlements(self, source):
        found = self("GET", "/entitlements", params={"filters": 'source.id eq "%s"' % source["id"], "sorters": "value"})
        return dict((e["value"], e) for e in found)


@pytest.fixture
def api(sim):
    return Client(sim)


def profile_body(source, entitlements, name="HR Users", **extra):
    return dict({"name": name, "owner": OWNER, "source": {"type": "SOURCE", "id": source["id"]},
                 "entitlements": [{"type": "ENTITLEMENT", "id": e["id"]} for e in entitlements]}, **extra)


def role_body(name="Staff", profiles=(), **extra):
    return dict({"name": name, "owner": OWNER,
                 "accessProfiles": [{"type": "ACCESS_PROFILE", "id": p["id"]} for p in profiles]}, **extra)


# -- entitlements ------------------------------------------------------------------------------


def test_entitlements_appear_after_an_account_aggregation_and_stay_stable(api):
    source = api.source()
    assert api.entitlements(source) == {}
    api.aggregate(source)
    found = api.entitlements(source)
    assert sorted(found) == ["Admins", "Users"]
    admins = found["Admins"]
    assert admins["attribute"] == "groups" and admins["sourceSchemaObjectType"] == "group"
    assert admins["source"] == {"type": "SOURCE", "id": source["id"], "name": "HR"}
    assert admins["requestable"] is False and admins["privileged"] is False
    edited = api("PATCH", "/entitlements/" + admins["id"], json=[
        {"op": "replace", "path": "/requestable", "value": True},
        {"op": "replace", "path": "/owner", "value": {"type": "IDENTITY", "id": JANE}},
        {"op": "replace", "path": "/description", "value": "Administrators"}])
    assert edited["owner"] == {"type": "IDENTITY", "id": JANE, "name": "Jane Doe"} and edited["requestable"] is True
    api.aggregate(source, ACCOUNTS + b"u3,Ida,ida@example.com,Ops\n")
    again = api.entitlements(source)
    assert sorted(again) == ["Admins", "Ops", "Users"]
    assert again["Admins"]["id"] == admins["id"] and again["Admins"]["description"] == "Administrators"
    assert again["Admins"]["requestable"] is True
    # filters the document allows, and only those
    by_value = api("GET", "/entitlements", params={"filters": 'value eq "Ops"'})
    assert [e["value"] for e in by_value] == ["Ops"]
    assert "filtering is not supported" in api.error("GET", "/entitlements", params={"filters": 'description eq "x"'})
    # the account's entitlements
    account = next(a for a in api("GET", "/accounts") if a["nativeIdentity"] == "u1")
    held = api("GET", "/entitlements", params={"account-id": account["id"]})
    assert sorted(e["value"] for e in held) == ["Admins", "Users"]


def test_entitlement_patch_refuses_what_the_document_does_not_list(api):
    source = api.source()
    api.aggregate(source)
    ent = api.entitlements(source)["Users"]
    text = api.error("PATCH", "/entitlements/" + ent["id"], json=[{"op": "replace", "path": "/value", "value": "x"}])
    assert "value cannot be changed" in text
    text = api.error("PATCH", "/entitlements/" + ent["id"], json=[
        {"op": "replace", "path": "/owner", "value": {"type": "IDENTITY", "id": "nobody"}}])
    assert "does not exist" in text
    assert api("GET", "/entitlements/" + ent["id"])["owner"] is None
    api("GET", "/entitlements/nope", expect=404)


def test_bulk_update_is_all_or_nothing(api):
    source = api.source()
    api.aggregate(source)
    found = api.entitlements(source)
    ids = [e["id"] for e in found.values()]
    patch = [{"op": "replace", "path": "/privileged", "value": True}]
    assert "do not exist" in api.error("POST", "/entitlements/bulk-update",
                                       json={"entitlementIds": ids + ["nope"], "jsonPatch": patch})
    assert not any(e["privileged"] for e in api.entitlements(source).values())
    api("POST", "/entitlements/bulk-update", 204, json={"entitlementIds": ids, "jsonPatch": patch})
    assert all(e["privileged"] for e in api.entitlements(source).values())
    too_many = {"entitlementIds": ["x%d" % i for i in range(51)], "jsonPatch": patch}
    api("POST", "/entitlements/bulk-update", 400, json=too_many)


def test_request_config_metadata_reset_and_group_aggregation(api):
    source = api.source()
    api.aggregate(source)
    users = api.entitlements(source)["Users"]
    config = api("GET", "/entitlements/%s/entitlement-request-config" % users["id"])
    assert config["accessRequestConfig"]["approvalSchemes"] == []
    group_id = WORKGROUPS[0][0]
    wanted = {"accessRequestConfig": {"approvalSchemes": [{"approverType": "GOVERNANCE_GROUP", "approverId": group_id}],
                                      "requestCommentRequired": True}}
    saved = api("PUT", "/entitlements/%s/entitlement-request-config" % users["id"], json=wanted)
    assert saved["accessRequestConfig"]["requestCommentRequired"] is True
    assert api("GET", "/entitlements/%s/entitlement-request-config" % users["id"]) == saved
    wanted["accessRequestConfig"]["approvalSchemes"][0]["approverId"] = "nope"
    api("PUT", "/entitlements/%s/entitlement-request-config" % users["id"], 400, json=wanted)
    path = "/entitlements/%s/access-model-metadata/iscPrivacy/values/public" % users["id"]
    added = api("POST", path, 201)
    assert added["accessModelMetadata"]["attributes"][0]["key"] == "iscPrivacy"
    api("DELETE", path, 200)
    assert api("GET", "/entitlements/" + users["id"])["accessModelMetadata"]["attributes"] == []
    # group aggregation with a hierarchy: parents and children
    group = next(s for s in source["schemas"] if s["name"] == "group")
    api("PATCH", "/sources/%s/schemas/%s" % (source["id"], group["id"]),
        json=[{"op": "replace", "path": "/hierarchyAttribute", "value": "memberOf"}])
    csv = b"id,name,memberOf\nUsers,All users,\nAdmins,Administrators,Users\n"
    task = api("POST", "/entitlements/aggregate/sources/" + source["id"], 202, files={"csvFile": ("g.csv", csv)})
    api.wait(task["id"])
    found = api.entitlements(source)
    assert found["Admins"]["name"] == "Administrators" and found["Admins"]["attributes"]["memberOf"] == "Users"
    assert [e["value"] for e in api("GET", "/entitlements/%s/parents" % found["Admins"]["id"])] == ["Users"]
    assert [e["value"] for e in api("GET", "/entitlements/%s/children" % found["Users"]["id"])] == ["Admins"]
    reset = api("POST", "/entitlements/reset/sources/" + source["id"], 202)
    assert reset["type"] == "TASK_RESULT"
    assert api.wait(reset["id"])["attributes"]["total"] == 2
    assert api.entitlements(source) == {}


def test_seeding_for_benchmarks(sim, api):
    source = api.source(groups=False)
    resp = requests.post(sim.url + "/__sim__/entitlements", timeout=10,
                         json={"source": source["id"], "values": ["g%04d" % i for i in range(300)]})
    assert resp.status_code == 200 and resp.json()["created"] == 300
    page = api("GET", "/entitlements", params={"filters": 'source.id eq "%s"' % source["id"], "limit": 250})
    assert len(page) == 250 and all(e["attribute"] == "groups" for e in page)


# -- access profiles ------------------------------------------------------------------------------


def test_access_profiles_refuse_foreign_and_missing_entitlements(api):
    hr, it = api.source("HR"), api.source("IT")
    api.aggregate(hr)
    api.aggregate(it)
    hr_users, it_users = api.entitlements(hr)["Users"], api.entitlements(it)["Users"]
    assert hr_users["id"] != it_users["id"]
    text = api.error("POST", "/access-profiles", json=profile_body(hr, [hr_users, it_users]))
    assert "belongs to source IT" in text
    missing = profile_body(hr, [{"id": "nope"}])
    assert api("POST", "/access-profiles", 400, json=missing)["detailCode"] == "400.1.404 Referenced object not found"
    stranger = {"type": "IDENTITY", "id": "x"}
    assert "owner" in api.error("POST", "/access-profiles", json=dict(profile_body(hr, [hr_users]), owner=stranger))
    assert "source" in api.error("POST", "/access-profiles", json=dict(profile_body(hr, []), source={"id": "nope"}))
    scheme = {"accessRequestConfig": {"approvalSchemes": [{"approverType": "GOVERNANCE_GROUP", "approverId": "x"}]}}
    assert "governance group" in api.error("POST", "/access-profiles", json=profile_body(hr, [hr_users], **scheme))
    assert api("GET", "/access-profiles") == []
    created = api("POST", "/access-profiles", 201, json=profile_body(hr, [hr_users], enabled=True))
    assert created["entitlements"] == [{"type": "ENTITLEMENT", "id": hr_users["id"], "name": "Users"}]
    assert created["source"]["name"] == "HR" and created["requestable"] is True
    assert [e["id"] for e in api("GET", "/access-profiles/%s/entitlements" % created["id"])] == [hr_users["id"]]
    # PATCH: a source change needs its entitlements in the same call
    moved = [{"op": "replace", "path": "/source", "value": {"type": "SOURCE", "id": it["id"]}}]
    assert "same call" in api.error("PATCH", "/access-profiles/" + created["id"], json=moved)
    moved.append({"op": "replace", "path": "/entitlements", "value": [{"type": "ENTITLEMENT", "id": it_users["id"]}]})
    assert api("PATCH", "/access-profiles/" + created["id"], json=moved)["source"]["name"] == "IT"
    assert "cannot be changed" in api.error("PATCH", "/access-profiles/" + created["id"],
                                            json=[{"op": "replace", "path": "/created", "value": "x"}])
    # what a patch leaves must still be what the document says each field is
    text = api.error("PATCH", "/access-profiles/" + created["id"], json=[
        {"op": "replace", "path": "/source", "value": {"id": {"not": "a string"}}},
        {"op": "replace", "path": "/entitlements", "value": "x"}])
    assert text.startswith("Illegal value of ")
    found = api("GET", "/access-profiles", params={"filters": 'source.id eq "%s"' % it["id"]})
    assert [p["id"] for p in found] == [created["id"]]


def test_access_profile_delete_refused_while_a_role_uses_it(api):
    source = api.source()
    api.aggregate(source)
    users = api.entitlements(source)["Users"]
    used = api("POST", "/access-profiles", 201, json=profile_body(source, [users], name="Used"))
    free = api("POST", "/access-profiles", 201, json=profile_body(source, [users], name="Free"))
    role = api("POST", "/roles", 201, json=role_body(profiles=[used]))
    assert "in use" in api.error("DELETE", "/access-profiles/" + used["id"])
    both = {"accessProfileIds": [used["id"], free["id"]]}
    answer = api("POST", "/access-profiles/bulk-delete", 200, json=both)
    user = {"type": "ROLE", "id": role["id"], "name": "Staff"}
    assert answer["inUse"] == [{"accessProfileId": used["id"], "usedBy": [user]}]
    assert len(api("GET", "/access-profiles")) == 2
    answer = api("POST", "/access-profiles/bulk-delete", 202, json=dict(both, bestEffortOnly=True))
    assert answer["pending"] == [free["id"]] and answer["taskId"]
    api.wait(answer["taskId"])
    assert [p["id"] for p in api("GET", "/access-profiles")] == [used["id"]]
    results = api("POST", "/access-profiles/bulk-update-requestable", 207,
                  json=[{"id": used["id"], "requestable": False}, {"id": "nope", "requestable": True}])
    assert [(r["id"], r["status"]) for r in results] == [(used["id"], "201"), ("nope", "404")]
    assert api("GET", "/access-profiles/" + used["id"])["requestable"] is False
    # references show the current names
    api("PATCH", "/access-profiles/" + used["id"], json=[{"op": "replace", "path": "/name", "value": "Renamed"}])
    api("PATCH", "/entitlements/" + users["id"], json=[{"op": "replace", "path": "/name", "value": "Everyone"}])
    assert api("GET", "/roles/" + role["id"])["accessProfiles"][0]["name"] == "Renamed"
    assert api("GET", "/access-profiles/" + used["id"])["entitlements"][0]["name"] == "Everyone"
    api("DELETE", "/roles/" + role["id"], 204)
    # a lifecycle state granting it holds it too
    identity_profile = api("POST", "/identity-profiles", 201, json={
        "name": "Staff", "authoritativeSource": {"type": "SOURCE", "id": source["id"]}})
    state = api("POST", "/identity-profiles/%s/lifecycle-states" % identity_profile["id"], 201, json={
        "name": "Active", "technicalName": "active", "accessProfileIds": [used["id"]]})
    assert "lifecycle state Active" in api.error("DELETE", "/access-profiles/" + used["id"])
    answer = api("POST", "/access-profiles/bulk-delete", 200, json={"accessProfileIds": [used["id"]]})
    assert answer["inUse"] == [{"accessProfileId": used["id"], "usedBy": []}]
    api("PATCH", "/identity-profiles/%s/lifecycle-states/%s" % (identity_profile["id"], state["id"]),
        json=[{"op": "replace", "path": "/accessProfileIds", "value": []}])
    api("DELETE", "/access-profiles/" + used["id"], 204)


# -- roles --------------------------------------------------------------------------------------------


def test_role_membership_criteria_are_checked_and_evaluated(api):
    leaf = {"operation": "EQUALS", "key": {"type": "IDENTITY", "property": "uid"}, "stringValue": "jane.doe"}
    standard = {"type": "STANDARD", "criteria": {"operation": "OR", "children": [
        leaf, {"operation": "AND", "children": [dict(leaf, stringValue="john.roe"), dict(
            leaf, operation="ENDS_WITH", stringValue="roe")]}]}}
    role = api("POST", "/roles", 201, json=role_body(membership=standard))
    members = api("GET", "/roles/%s/assigned-identities" % role["id"], params={"sorters": "name"})
    assert [m["aliasName"] for m in members] == ["jane.doe", "john.roe"]
    assert members[0]["roleAssignmentSource"] == "ROLE_MEMBERSHIP"
    four = {"operation": "OR", "children": [{"operation": "AND", "children": [{"operation": "OR", "children": [leaf]}]}]}
    assert "three levels" in api.error("POST", "/roles", json=role_body("Deep", membership={
        "type": "STANDARD", "criteria": four}))
    same = {"operation": "AND", "children": [{"operation": "AND", "children": [leaf]}]}
    assert "child of an OR" in api.error("POST", "/roles", json=role_body("Same", membership={"type": "STANDARD",
                                                                                              "criteria": same}))
    account = dict(leaf, key={"type": "ACCOUNT", "property": "email"})
    assert "sourceId is required" in api.error("POST", "/roles", json=role_body(
        "Acc", membership={"type": "STANDARD", "criteria": account}))
    api("POST", "/roles", 400, json=role_body("Op", membership={"type": "STANDARD", "criteria": dict(
        leaf, operation="MATCHES")}))  # not an operation of the document
    # account and entitlement criteria: the accounts of an identity on the key's source
    source = api.source()
    api.aggregate(source, b"id,name,email,groups,identityId\nu1,Una,una@example.com,Admins|Users,%s\n"
                          b"u2,Ugo,ugo@example.com,Admins,\n" % JANE.encode())
    admins = {"operation": "EQUALS", "key": {"type": "ENTITLEMENT", "property": "groups", "sourceId": source["id"]},
              "stringValue": "Admins"}
    role = api("POST", "/roles", 201, json=role_body("Admins", membership={"type": "STANDARD", "criteria": admins}))
    assert [m["id"] for m in api("GET", "/roles/%s/assigned-identities" % role["id"])] == [JANE]
    mail = {"operation": "ENDS_WITH", "key": {"type": "ACCOUNT", "property": "email", "sourceId": source["id"]},
            "stringValue": "@example.com"}
    role = api("POST", "/roles", 201, json=role_body("Mail", membership={"type": "STANDARD", "criteria": mail}))
    assert [m["id"] for m in api("GET", "/roles/%s/assigned-identities" % role["id"])] == [JANE]
    listed = api("POST", "/roles", 201, json=role_body("Listed", membership={
        "type": "IDENTITY_LIST", "identities": [{"type": "IDENTITY", "id": JANE}]}))
    assert [m["id"] for m in api("GET", "/roles/%s/assigned-identities" % listed["id"])] == [JANE]
    assert "does not exist" in api.error("POST", "/roles", json=role_body("Ghost", membership={
        "type": "IDENTITY_LIST", "identities": [{"type": "IDENTITY", "id": "nobody"}]}))


def test_roles_with_access_and_metadata(sim, api):
    source = api.source()
    api.aggregate(source)
    found = api.entitlements(source)
    profile = api("POST", "/access-profiles", 201, json=profile_body(source, [found["Users"]]))
    assert "does not exist" in api.error("POST", "/roles", json=role_body(profiles=[{"id": "nope"}]))
    assert "does not exist" in api.error("POST", "/roles", json=role_body(entitlements=[{"id": "nope"}]))
    role = api("POST", "/roles", 201, json=role_body(profiles=[profile], entitlements=[
        {"type": "ENTITLEMENT", "id": found["Admins"]["id"]}]))
    assert role["accessProfiles"][0]["name"] == "HR Users"
    values = sorted(e["value"] for e in api("GET", "/roles/%s/entitlements" % role["id"]))
    assert values == ["Admins", "Users"]
    patched = api("PATCH", "/roles/" + role["id"], json=[{"op": "replace", "path": "/requestable", "value": True}])
    assert patched["requestable"] is True
    assert "cannot be changed" in api.error("PATCH", "/roles/" + role["id"],
                                            json=[{"op": "replace", "path": "/dimensional", "value": True}])
    assert "Illegal value of membership/type" in api.error("PATCH", "/roles/" + role["id"], json=[
        {"op": "replace", "path": "/membership", "value": {"type": "EVERYONE"}}])
    assert "Illegal value of privileged" in api.error("PATCH", "/entitlements/" + found["Users"]["id"], json=[
        {"op": "replace", "path": "/privileged", "value": "yes"}])
    with_meta = api("POST", "/roles/%s/access-model-metadata/iscPrivacy/values/public" % role["id"])
    assert with_meta["accessModelMetadata"]["attributes"][0]["values"][0]["value"] == "public"
    hits = api("POST", "/roles/filter", json={"ammKeyValues": [{"attribute": "iscPrivacy", "values": ["public"]}]})
    assert [r["id"] for r in hits] == [role["id"]]
    assert api("POST", "/roles/filter", json={"filters": 'name eq "Other"'}) == []
    api("DELETE", "/roles/%s/access-model-metadata/iscPrivacy/values/public" % role["id"], 202)
    # bulk metadata updates complete after task_delay; the unfinished ones are listed until then
    sim.task_delay = 0.2
    other = api("POST", "/roles", 201, json=role_body("Other"))
    job = api("POST", "/roles/access-model-metadata/bulk-update/ids", 202, json={
        "roles": [role["id"], other["id"]], "operation": "ADD", "values": [{"attribute": "iscFederalClassifications",
                                                                           "values": ["secret"]}]})
    assert job["status"] == "CREATED"
    assert [j["id"] for j in api("GET", "/roles/access-model-metadata/bulk-update")] == [job["id"]]
    assert api("GET", "/roles/" + role["id"])["accessModelMetadata"]["attributes"] == []
    time.sleep(0.25)
    assert api("GET", "/roles/access-model-metadata/bulk-update/id", 202)["status"] == "COMPLETED"
    assert api("GET", "/roles/access-model-metadata/bulk-update") == []
    keys = [a["key"] for a in api("GET", "/roles/" + other["id"])["accessModelMetadata"]["attributes"]]
    assert keys == ["iscFederalClassifications"]
    sim.task_delay = 0.0
    api("POST", "/roles/access-model-metadata/bulk-update/filter", 202, json={
        "filters": 'name eq "Other"', "operation": "REMOVE",
        "values": [{"attribute": "iscFederalClassifications", "values": ["secret"]}]})
    assert api("GET", "/roles/" + other["id"])["accessModelMetadata"]["attributes"] == []
    assert api("GET", "/roles/" + role["id"])["accessModelMetadata"]["attributes"] != []
    api("POST", "/roles/access-model-metadata/bulk-update/query", 202, json={
        "query": {"indices": ["roles"], "query": {"query": "name:Staff"}}, "operation": "REPLACE",
        "replaceScope": "ALL", "values": [{"attribute": "iscPrivacy", "values": ["private"]}]})
    metadata = api("GET", "/roles/" + role["id"])["accessModelMetadata"]["attributes"]
    assert [(a["key"], [v["value"] for v in a["values"]]) for a in metadata] == [("iscPrivacy", ["private"])]
    # bulk delete: a task
    task = api("POST", "/roles/bulk-delete", 202, json={"roleIds": [role["id"], other["id"]]})
    api.wait(task["id"])
    assert api("GET", "/roles") == []


def test_per_resource_tree(sim):
    api = Client(sim, prefix="")
    source = api("POST", "/sources/v1", 201, json={"name": "HR", "owner": OWNER, "connector": "delimited-file"})
    assert api("GET", "/entitlements/v1", params={"filters": 'source.id eq "%s"' % source["id"]}) == []
    assert api("GET", "/access-profiles/v1") == [] and api("GET", "/roles/v1") == []
    role = api("POST", "/roles/v1", 201, json=role_body())
    assert api("GET", "/roles/v1/" + role["id"])["name"] == "Staff"
