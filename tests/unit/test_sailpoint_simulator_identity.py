"""The SailPoint simulator's transforms, identity profiles, lifecycle states and governance groups
(issue 25), seen by a plain HTTP client: the vendor behaviour the modules and roles rely on."""

import time

import pytest
import requests

from tests.simulators.sailpoint import ADMIN_ID, CLIENT_ID, CLIENT_SECRET, IDN_SOURCE_ID, WORKGROUPS, SailPointSimulator

OWNER = {"type": "IDENTITY", "id": ADMIN_ID}
JANE = "2c9180857182305e0171993735622949"
ACCOUNTS = b"id,name,email\nu1,Una One,una@example.com\nu2,Ugo Two,ugo@example.com\n"


@pytest.fixture(scope="module")
def server():
    sim = SailPointSimulator(task_delay=0.0)
    sim.start()
    yield sim
    sim.stop()


@pytest.fixture
def sim(server):
    server.reset()
    server.task_delay = 0.0
    return server


@pytest.fixture
def http(sim):
    resp = requests.post(sim.url + "/oauth/token", data={"grant_type": "client_credentials", "client_id": CLIENT_ID,
                                                         "client_secret": CLIENT_SECRET}, timeout=5)
    session = requests.Session()
    session.headers["Authorization"] = "Bearer " + resp.json()["access_token"]
    return session


def ok(resp, status=200):
    assert resp.status_code == status, resp.text
    return resp.json() if resp.content else None


def refused(resp, status, text):
    assert resp.status_code == status, resp.text
    assert text in resp.json()["messages"][0]["text"], resp.json()
    return resp.json()


def source(sim, http, name="HR", accounts=None):
    found = ok(http.post(sim.url + "/v2024/sources", json={"name": name, "owner": OWNER, "connector": "delimited-file"},
                         timeout=5), 201)
    if accounts:
        task = ok(http.post(sim.url + "/v2024/sources/%s/load-accounts" % found["id"], files={"file": ("a.csv", accounts)},
                            timeout=5), 202)["task"]
        wait(sim, http, task["id"])
    return found


def wait(sim, http, task_id):
    for _attempt in range(250):
        task = ok(http.get(sim.url + "/v2024/task-status/" + task_id, timeout=5))
        if task["completed"] is not None:
            return task
        time.sleep(0.02)
    raise AssertionError("task %s never completed" % task_id)


def transform(sim, http, name="Upper", **body):
    return ok(http.post(sim.url + "/v2024/transforms", json=dict({"name": name, "type": "upper", "attributes": {
        "input": {"type": "accountAttribute", "attributes": {"sourceName": "HR", "attributeName": "email"}}}}, **body),
        timeout=5), 201)


def profile(sim, http, source_id, name="HR Profile", **body):
    return ok(http.post(sim.url + "/v2024/identity-profiles", json=dict({
        "name": name, "authoritativeSource": {"type": "SOURCE", "id": source_id}}, **body), timeout=5), 201)


def mapping(reference):
    return {"enabled": True, "attributeTransforms": [{"identityAttributeName": "email", "transformDefinition": {
        "type": "reference", "attributes": {"id": reference}}}]}


def patch(http, url, ops):
    return http.patch(url, json=ops, headers={"Content-Type": "application/json-patch+json"}, timeout=5)


# -- transforms ----------------------------------------------------------------------------------


def test_transforms_are_named_uniquely_and_only_their_attributes_change(sim, http):
    created = transform(sim, http)
    assert created["internal"] is False and created["id"]
    refused(http.post(sim.url + "/v2024/transforms", json={"name": "upper", "type": "lower", "attributes": {}}, timeout=5),
            400, "already exists")
    url = sim.url + "/transforms/v1/" + created["id"]  # the per-resource tree serves the same transform
    refused(http.put(url, json=dict(created, type="lower"), timeout=5), 400, "only the attributes")
    refused(http.put(url, json=dict(created, name="Other"), timeout=5), 400, "only the attributes")
    put = ok(http.put(url, json={"name": "Upper", "type": "upper", "attributes": {"requiresPeriodicRefresh": True}},
                      timeout=5))
    assert put["attributes"] == {"requiresPeriodicRefresh": True}
    assert ok(http.get(url, timeout=5)) == put
    transform(sim, http, "Static", type="static", attributes={"values": "x"})
    assert [t["name"] for t in ok(http.get(sim.url + "/v2024/transforms", params={"name": "static"}, timeout=5))] == ["Static"]
    assert [t["name"] for t in ok(http.get(sim.url + "/v2024/transforms", params={"filters": 'name sw "Up"'},
                                           timeout=5))] == ["Upper"]
    refused(http.get(sim.url + "/v2024/transforms", params={"filters": 'type eq "upper"'}, timeout=5), 400,
            "filtering is not supported")


def test_a_transform_of_an_unknown_type_or_wrong_attributes_is_refused_by_the_document(sim, http):
    refused(http.post(sim.url + "/v2024/transforms", json={"name": "X", "type": "shout", "attributes": {}}, timeout=5),
            400, "request does not match the API")
    refused(http.post(sim.url + "/v2024/transforms", json={"name": "X", "type": "accountAttribute",
                                                           "attributes": {"sourceName": "HR"}}, timeout=5),
            400, "request does not match the API")
    # overlapping attribute schemas of the document (its oneOf never held) are checked by type
    for body in ({"type": "dateFormat", "attributes": {"inputFormat": "ISO8601", "outputFormat": "LDAP"}},
                 {"type": "concat", "attributes": {"values": ["a", {"type": "static", "attributes": {"values": "b"}}]}},
                 {"type": "lower", "attributes": {}}, {"type": "uuid", "attributes": None}):
        transform(sim, http, "T " + body["type"], **body)


def test_deleting_a_transform_a_profile_maps_is_refused(sim, http):
    hr = source(sim, http)
    used = transform(sim, http)
    spare = transform(sim, http, "Spare")
    found = profile(sim, http, hr["id"], identityAttributeConfig={"enabled": True, "attributeTransforms": [
        {"identityAttributeName": "email", "transformDefinition": {"type": "lower", "attributes": {
            "input": {"type": "reference", "attributes": {"id": "Upper"}}}}}]})
    body = refused(http.delete(sim.url + "/v2024/transforms/" + used["id"], timeout=5), 400, "HR Profile")
    assert body["detailCode"] == "400.1.409 Reference conflict"
    assert http.delete(sim.url + "/v2024/transforms/" + spare["id"], timeout=5).status_code == 204
    ok(patch(http, sim.url + "/v2024/identity-profiles/" + found["id"],
             [{"op": "replace", "path": "/identityAttributeConfig", "value": {"enabled": False, "attributeTransforms": []}}]))
    assert http.delete(sim.url + "/v2024/transforms/" + used["id"], timeout=5).status_code == 204
    assert http.get(sim.url + "/v2024/transforms/" + used["id"], timeout=5).status_code == 404


# -- identity profiles ---------------------------------------------------------------------------


def test_profile_references_are_checked(sim, http):
    hr = source(sim, http)
    url = sim.url + "/v2024/identity-profiles"
    source_ref = {"type": "SOURCE", "id": hr["id"]}
    refused(http.post(url, json={"name": "P", "authoritativeSource": {"type": "SOURCE", "id": "nope"}}, timeout=5),
            400, "authoritativeSource references source 'nope'")
    refused(http.post(url, json={"name": "P", "authoritativeSource": source_ref, "owner": {"type": "IDENTITY", "id": "x"}},
                      timeout=5), 400, "owner references identity 'x'")
    refused(http.post(url, json={"name": "P", "authoritativeSource": source_ref, "identityAttributeConfig": mapping("Nope")},
                      timeout=5), 400, "references the transform 'Nope'")
    refused(http.post(url, json={"name": "P", "authoritativeSource": source_ref, "identityAttributeConfig": {
        "attributeTransforms": [{"identityAttributeName": "a", "transformDefinition": {"type": "shout"}}]}}, timeout=5),
        400, "is not a transform type")
    assert len(sim.store["identity-profiles"]) == 0
    created = profile(sim, http, hr["id"], owner=OWNER)
    assert created["authoritativeSource"] == {"type": "SOURCE", "id": hr["id"], "name": "HR"}
    assert created["owner"] == {"type": "IDENTITY", "id": ADMIN_ID, "name": "Ada Admin"}
    assert len(created["id"]) == 36  # a UUID, as the document's path parameter wants
    # the mapping a profile starts with is the source's default one
    default = ok(http.get(url + "/%s/default-identity-attribute-config" % created["id"], timeout=5))
    assert created["identityAttributeConfig"] == default
    assert {"identityAttributeName": "email", "transformDefinition": {"type": "accountAttribute", "attributes": {
        "sourceName": "HR", "sourceId": hr["id"], "attributeName": "email"}}} in default["attributeTransforms"]
    refused(http.post(url, json={"name": "hr profile", "authoritativeSource": source_ref}, timeout=5), 400, "already exists")
    refused(http.post(url, json={"name": "Other", "authoritativeSource": source_ref}, timeout=5), 400,
            "already the authoritative source")


def test_a_profile_shows_its_source_as_it_is_now(sim, http):
    sim.task_delay = 0.0
    hr = source(sim, http)
    found = profile(sim, http, hr["id"])
    url = sim.url + "/v2024/identity-profiles/" + found["id"]
    ok(patch(http, sim.url + "/v2024/sources/" + hr["id"], [{"op": "replace", "path": "/name", "value": "People"}]))
    assert ok(http.get(url, timeout=5))["authoritativeSource"]["name"] == "People"
    wait(sim, http, ok(http.delete(sim.url + "/v2024/sources/" + hr["id"], timeout=5), 202)["id"])
    # a profile whose source went can still be edited (and pointed at another source)
    assert ok(patch(http, url, [{"op": "replace", "path": "/description", "value": "orphan"}]))["description"] == "orphan"
    other = source(sim, http, "IT")
    target = {"type": "SOURCE", "id": other["id"]}
    moved = ok(patch(http, url, [{"op": "replace", "path": "/authoritativeSource", "value": target}]))
    assert moved["authoritativeSource"] == {"type": "SOURCE", "id": other["id"], "name": "IT"}


def test_profile_patch_list_export_import(sim, http):
    hr, it = source(sim, http), source(sim, http, "IT")
    first = profile(sim, http, hr["id"], priority=5)
    second = profile(sim, http, it["id"], name="IT Profile", priority=20)
    url = sim.url + "/identity-profiles/v1/" + first["id"]
    patched = ok(patch(http, url, [{"op": "replace", "path": "/description", "value": "HR people"},
                                   {"op": "replace", "path": "/priority", "value": 7}]))
    assert (patched["description"], patched["priority"]) == ("HR people", 7)
    for ops, text in (([{"op": "replace", "path": "/identityCount", "value": 3}], "identityCount cannot be changed"),
                      ([{"op": "replace", "path": "/authoritativeSource", "value": {"type": "SOURCE", "id": it["id"]}},
                        {"op": "replace", "path": "/identityAttributeConfig/enabled", "value": False}], "same request"),
                      ([{"op": "replace", "path": "/authoritativeSource", "value": {"type": "SOURCE", "id": it["id"]}}],
                       "already the authoritative source")):
        refused(patch(http, url, ops), 400, text)
    assert ok(http.get(url, timeout=5)) == patched
    names = [p["name"] for p in ok(http.get(sim.url + "/v2024/identity-profiles", params={"sorters": "-priority"},
                                            timeout=5))]
    assert names == ["IT Profile", "HR Profile"]
    assert [p["name"] for p in ok(http.get(sim.url + "/v2024/identity-profiles",
                                           params={"filters": 'priority eq 7'}, timeout=5))] == ["HR Profile"]
    exported = ok(http.get(sim.url + "/v2024/identity-profiles/export", params={"filters": 'name eq "IT Profile"'},
                           timeout=5))
    assert [(e["self"], e["version"]) for e in exported] == [
        ({"type": "IDENTITY_PROFILE", "id": second["id"], "name": "IT Profile"}, 1)]
    # import: the exported object (ids are read-only in a request) updates its profile, a new name creates one
    obj = dict((k, v) for k, v in exported[0]["object"].items()
               if k not in ("id", "created", "modified", "identityCount", "identityRefreshRequired", "hasTimeBasedAttr"))
    result = ok(http.post(sim.url + "/v2024/identity-profiles/import", json=[
        dict(exported[0], object=dict(obj, description="imported")),
        {"version": 1, "self": {"type": "IDENTITY_PROFILE", "name": "Clone"}, "object": dict(obj, name="Clone")},
        {"version": 1, "self": {"type": "IDENTITY_PROFILE", "name": "Bad"}, "object": dict(
            obj, name="Bad", authoritativeSource={"type": "SOURCE", "id": "nope"})}], timeout=5))
    assert [o["name"] for o in result["importedObjects"]] == ["IT Profile"]
    assert [e["details"]["name"] for e in result["errors"]] == ["Clone", "Bad"]  # Clone: the source has a profile
    assert ok(http.get(sim.url + "/v2024/identity-profiles/" + second["id"], timeout=5))["description"] == "imported"


def test_delete_and_bulk_delete_are_tasks(sim, http):
    sim.task_delay = 0.1
    ids = [profile(sim, http, source(sim, http, name)["id"], name=name)["id"] for name in ("A", "B", "C")]
    task = ok(http.delete(sim.url + "/v2024/identity-profiles/" + ids[0], timeout=5), 202)
    assert set(task) >= {"id", "name", "launched"} and "completed" not in task
    assert http.get(sim.url + "/v2024/identity-profiles/" + ids[0], timeout=5).status_code == 200  # until the task ends
    assert wait(sim, http, task["id"])["completionStatus"] == "SUCCESS"
    assert http.get(sim.url + "/v2024/identity-profiles/" + ids[0], timeout=5).status_code == 404
    refused(http.post(sim.url + "/v2024/identity-profiles/bulk-delete", json=[ids[1], "nope"], timeout=5), 400, "nope")
    task = ok(http.post(sim.url + "/v2024/identity-profiles/bulk-delete", json=ids[1:], timeout=5), 202)
    wait(sim, http, task["id"])
    assert ok(http.get(sim.url + "/v2024/identity-profiles", timeout=5)) == []


def test_process_identities_makes_the_accounts_identities_of_the_profile(sim, http):
    sim.task_delay = 0.05
    hr = source(sim, http, accounts=ACCOUNTS)
    transform(sim, http)
    found = profile(sim, http, hr["id"], identityAttributeConfig={"enabled": True, "attributeTransforms": [
        {"identityAttributeName": "email", "transformDefinition": {"type": "reference", "attributes": {"id": "Upper"}}},
        {"identityAttributeName": "displayName", "transformDefinition": {"type": "accountAttribute", "attributes": {
            "sourceName": "HR", "attributeName": "name"}}}]})
    assert found["identityRefreshRequired"] is True and found["identityCount"] == 0
    task = ok(http.post(sim.url + "/v2024/identity-profiles/%s/process-identities" % found["id"], timeout=5), 202)
    assert wait(sim, http, task["id"])["attributes"]["identities"] == 2
    read = ok(http.get(sim.url + "/v2024/identity-profiles/" + found["id"], timeout=5))
    assert (read["identityRefreshRequired"], read["identityCount"]) == (False, 2)
    una = ok(http.get(sim.url + "/v2024/identities", params={"filters": 'alias eq "u1"'}, timeout=5))[0]
    assert (una["name"], una["attributes"]["email"]) == ("Una One", "UNA@EXAMPLE.COM")
    preview = ok(http.post(sim.url + "/v2024/identity-profiles/identity-preview", json={
        "identityId": una["id"], "identityAttributeConfig": {"attributeTransforms": [
            {"identityAttributeName": "email", "transformDefinition": {"type": "accountAttribute", "attributes": {
                "sourceName": "HR", "attributeName": "email"}}},
            {"identityAttributeName": "x", "transformDefinition": {"type": "rfc5646", "attributes": {}}}]}}, timeout=5))
    assert preview["identity"] == {"type": "IDENTITY", "id": una["id"], "name": "Una One"}
    email, other = preview["previewAttributes"]
    assert (email["value"], email["previousValue"], email["errorMessages"]) == ("una@example.com", "UNA@EXAMPLE.COM", [])
    assert "value" not in other and other["errorMessages"]
    refused(http.post(sim.url + "/v2024/identity-profiles/identity-preview", json={"identityId": "nope"}, timeout=5),
            400, "not an identity")


# -- lifecycle states ----------------------------------------------------------------------------


def tenant_profile(sim, http):
    """A profile of the IdentityNow source, processed: the tenant's own identities are its identities."""
    found = profile(sim, http, IDN_SOURCE_ID, name="Employees")
    wait(sim, http, ok(http.post(sim.url + "/v2024/identity-profiles/%s/process-identities" % found["id"], timeout=5),
                       202)["id"])
    return found


def test_lifecycle_states_per_profile(sim, http):
    found = tenant_profile(sim, http)
    url = sim.url + "/v2024/identity-profiles/%s/lifecycle-states" % found["id"]
    refused(http.post(url, json={"name": "A", "technicalName": "a", "accessProfileIds": ["nope"]}, timeout=5), 400,
            "access profile 'nope' does not exist")
    refused(http.post(url, json={"name": "A", "technicalName": "a", "accountActions": [
        {"action": "DISABLE", "sourceIds": ["nope"]}]}, timeout=5), 400, "source 'nope' does not exist")
    sim.store["access-profiles"]["ap1"] = {"id": "ap1", "name": "Base access"}  # SIM-ACC's store: looked up by id
    active = ok(http.post(url, json={"name": "Active", "technicalName": "active", "enabled": True,
                                     "accessProfileIds": ["ap1"]}, timeout=5), 201)
    assert active["emailNotificationOption"]["notifyManagers"] is False and active["identityCount"] == 0
    refused(http.post(url, json={"name": "Again", "technicalName": "Active"}, timeout=5), 400, "already exists")
    leaver = ok(http.post(url, json={"name": "Leaver", "technicalName": "leaver"}, timeout=5), 201)
    assert [s["name"] for s in ok(http.get(url, params={"sorters": "-name"}, timeout=5))] == ["Leaver", "Active"]
    state_url = sim.url + "/identity-profiles/v1/%s/lifecycle-states/%s" % (found["id"], leaver["id"])
    disable = {"action": "DISABLE", "sourceIds": [IDN_SOURCE_ID]}
    patched = ok(patch(http, state_url, [{"op": "replace", "path": "/description", "value": "gone"},
                                         {"op": "add", "path": "/accountActions/-", "value": disable}]))
    assert patched["description"] == "gone" and len(patched["accountActions"]) == 1
    refused(patch(http, state_url, [{"op": "replace", "path": "/technicalName", "value": "x"}]), 400, "cannot be changed")
    gone = ok(http.delete(state_url, timeout=5), 202)
    assert gone == {"type": "LIFECYCLE_STATE", "id": leaver["id"], "name": "Leaver"}
    assert http.get(state_url, timeout=5).status_code == 404
    assert http.get(sim.url + "/v2024/identity-profiles/nope/lifecycle-states", timeout=5).status_code == 404


def test_set_lifecycle_state(sim, http):
    hr = source(sim, http)
    other = profile(sim, http, hr["id"])
    other_state = ok(http.post(sim.url + "/v2024/identity-profiles/%s/lifecycle-states" % other["id"],
                               json={"name": "Other", "technicalName": "other"}, timeout=5), 201)
    url = sim.url + "/v2024/identities/%s/set-lifecycle-state" % JANE
    refused(http.post(url, json={"lifecycleStateId": other_state["id"]}, timeout=5), 400, "belongs to no identity profile")
    found = tenant_profile(sim, http)
    states = sim.url + "/v2024/identity-profiles/%s/lifecycle-states" % found["id"]
    active = ok(http.post(states, json={"name": "Active", "technicalName": "active"}, timeout=5), 201)
    refused(http.post(url, json={"lifecycleStateId": other_state["id"]}, timeout=5), 400, "not a lifecycle state of")
    assert http.post(sim.url + "/v2024/identities/nope/set-lifecycle-state", json={"lifecycleStateId": active["id"]},
                     timeout=5).status_code == 404
    answer = ok(http.post(sim.url + "/identities/v1/%s/set-lifecycle-state" % JANE, json={"lifecycleStateId": active["id"]},
                          timeout=5))
    assert set(answer) == {"accountActivityId"}
    jane = ok(http.get(sim.url + "/v2024/identities/" + JANE, timeout=5))
    assert jane["lifecycleState"] == {"stateName": "active", "manuallyUpdated": True}
    assert jane["attributes"]["cloudLifecycleState"] == "active"
    assert ok(http.get(states + "/" + active["id"], timeout=5))["identityCount"] == 1


# -- governance groups ---------------------------------------------------------------------------


def test_governance_groups_are_writable_and_keep_their_seeds(sim, http):
    url = sim.url + "/v2024/workgroups"
    seeded = ok(http.get(url + "/" + WORKGROUPS[0][0], timeout=5))
    assert (seeded["name"], seeded["memberCount"]) == ("Source Admins", 1)
    refused(http.post(url, json={"name": "G", "owner": {"type": "IDENTITY", "id": "nope"}}, timeout=5), 400,
            "owner references identity 'nope'")
    refused(http.post(url, json={"name": "source admins", "owner": OWNER}, timeout=5), 400, "already exists")
    group = ok(http.post(url, json={"name": "Approvers", "description": "d", "owner": OWNER}, timeout=5))
    assert group["owner"]["emailAddress"] == "ada.admin@example.com" and group["memberCount"] == 0
    patched = ok(patch(http, sim.url + "/workgroups/v1/" + group["id"],
                       [{"op": "replace", "path": "/owner", "value": {"type": "IDENTITY", "id": JANE}}]))
    assert patched["owner"]["name"] == "Jane Doe"
    refused(patch(http, url + "/" + group["id"], [{"op": "replace", "path": "/memberCount", "value": 3}]), 400,
            "cannot be changed")
    assert [g["name"] for g in ok(http.get(url, params={"sorters": "-name"}, timeout=5))] == ["Source Admins", "Approvers"]


def test_members_are_identities_with_per_item_results(sim, http):
    group = ok(http.post(sim.url + "/v2024/workgroups", json={"name": "G", "owner": OWNER}, timeout=5))
    url = sim.url + "/v2024/workgroups/%s/members" % group["id"]
    added = ok(http.post(url + "/bulk-add", json=[{"type": "IDENTITY", "id": JANE}, {"type": "IDENTITY", "id": "nope"}],
                         timeout=5), 207)
    assert [(a["id"], a["status"]) for a in added] == [(JANE, 201), ("nope", 404)]
    again = ok(http.post(url + "/bulk-add", json=[{"type": "IDENTITY", "id": JANE}], timeout=5), 207)
    assert again[0]["status"] == 409
    assert ok(http.get(url, timeout=5)) == [{"type": "IDENTITY", "id": JANE, "name": "Jane Doe",
                                             "email": "jane.doe@example.com"}]
    assert [g["name"] for g in ok(http.get(sim.url + "/v2024/workgroups", params={
        "filters": 'memberships.identityId eq "%s"' % JANE}, timeout=5))] == ["G"]
    assert ok(http.get(sim.url + "/v2024/workgroups/" + group["id"], timeout=5))["memberCount"] == 1
    removed = ok(http.post(url + "/bulk-delete", json=[{"type": "IDENTITY", "id": JANE}, {"type": "IDENTITY", "id": ADMIN_ID}],
                           timeout=5), 207)
    assert [(r["id"], r["status"]) for r in removed] == [(JANE, 204), (ADMIN_ID, 404)]
    assert http.get(url, params={"limit": 51}, timeout=5).status_code == 400  # the document's maximum is 50


def test_a_governance_group_in_use_is_not_deleted(sim, http):
    url = sim.url + "/v2024/workgroups"
    used = ok(http.post(url, json={"name": "Managers", "owner": OWNER}, timeout=5))
    spare = ok(http.post(url, json={"name": "Spare", "owner": OWNER}, timeout=5))
    managed = ok(http.post(sim.url + "/v2024/sources", json={
        "name": "Managed", "owner": OWNER, "connector": "jdbc", "managementWorkgroup": {"type": "GOVERNANCE_GROUP",
                                                                                        "id": used["id"]}}, timeout=5), 201)
    sim.store["access-profiles"]["ap1"] = {"id": "ap1", "name": "Reviewed", "description": None, "accessRequestConfig": {
        "approvalSchemes": [{"approverType": "GOVERNANCE_GROUP", "approverId": used["id"]}]}}
    connections = ok(http.get(url + "/%s/connections" % used["id"], params={"sorters": "name"}, timeout=5))
    assert [(c["object"]["type"], c["object"]["id"], c["connectionType"]) for c in connections] == [
        ("SOURCE", managed["id"], "ManagementWorkgroup"), ("ACCESS_PROFILE", "ap1", "AccessRequestReviewer")]
    assert ok(http.get(url + "/" + used["id"], timeout=5))["connectionCount"] == 2
    refused(http.delete(url + "/" + used["id"], timeout=5), 400, "in use")
    answer = ok(http.post(url + "/bulk-delete", json={"ids": [used["id"], spare["id"], "nope"]}, timeout=5), 207)
    assert [(a["id"], a["status"]) for a in answer] == [(used["id"], 409), (spare["id"], 204), ("nope", 404)]
    refused(http.post(url + "/bulk-delete", json={"ids": ["x"] * 101}, timeout=5), 400, "at most 100")
    del sim.store["access-profiles"]["ap1"]
    ok(patch(http, sim.url + "/v2024/sources/" + managed["id"], [{"op": "remove", "path": "/managementWorkgroup"}]))
    assert http.delete(url + "/" + used["id"], timeout=5).status_code == 204
    assert http.get(url + "/" + used["id"], timeout=5).status_code == 404


def test_a_profile_patch_changes_all_but_what_the_document_forbids(sim, http):
    """The document's PATCH refuses only id, created, modified, identityCount and identityRefreshRequired; a create
    keeps the hasTimeBasedAttr it is given."""
    made = profile(sim, http, source(sim, http)["id"], hasTimeBasedAttr=True)
    assert made["hasTimeBasedAttr"] is True
    url = sim.url + "/v2024/identity-profiles/" + made["id"]
    report = {"taskResultId": "t1", "reportName": "Exceptions"}
    patched = ok(patch(http, url, [{"op": "replace", "path": "/hasTimeBasedAttr", "value": False},
                                   {"op": "replace", "path": "/identityExceptionReportReference", "value": report}]))
    assert patched["hasTimeBasedAttr"] is False and patched["identityExceptionReportReference"] == report
    for field in ("id", "created", "modified", "identityCount", "identityRefreshRequired"):
        refused(patch(http, url, [{"op": "replace", "path": "/" + field, "value": 1}]), 400, "cannot be changed")
    refused(patch(http, url, [{"op": "replace", "path": "/hasTimeBasedAttr", "value": "yes"}]), 400, "boolean")


def test_a_governance_group_needs_no_owner(sim, http):
    """The document's WorkgroupDto (createWorkgroup's body) requires nothing."""
    group = ok(http.post(sim.url + "/v2024/workgroups", json={"name": "Ownerless"}, timeout=5))
    assert "owner" not in group and group["memberCount"] == 0
    assert "owner" not in ok(http.get(sim.url + "/v2024/workgroups/" + group["id"], timeout=5))


def test_v1_lifecycle_state_fields_are_the_per_resource_trees_only(sim, http):
    """The per-resource tree's LifecycleState (the latest SDK's model) has priority, accessActionConfiguration and
    account actions on all sources but some; the year versions neither show nor change the first two."""
    found = tenant_profile(sim, http)
    v1 = sim.url + "/identity-profiles/v1/%s/lifecycle-states" % found["id"]
    year = sim.url + "/v2024/identity-profiles/%s/lifecycle-states" % found["id"]
    made = ok(http.post(v1, json={"name": "S", "technicalName": "s", "priority": 5, "accessActionConfiguration": {
        "removeAllAccessEnabled": True}, "accountActions": [{"action": "DISABLE", "allSources": True}]}, timeout=5), 201)
    assert made["priority"] == 5 and made["accessActionConfiguration"] == {"removeAllAccessEnabled": True}
    assert "priority" not in ok(http.get(year + "/" + made["id"], timeout=5))
    refused(patch(http, year + "/" + made["id"], [{"op": "replace", "path": "/priority", "value": 1}]), 400,
            "not one of the fields")
    assert ok(patch(http, v1 + "/" + made["id"], [{"op": "replace", "path": "/priority", "value": 1}]))["priority"] == 1
    refused(patch(http, v1 + "/" + made["id"], [{"op": "replace", "path": "/accountActions", "value": [
        {"action": "ENABLE", "allSources": True, "sourceIds": [IDN_SOURCE_ID]}]}]), 400, "cannot be used together")
    refused(patch(http, v1 + "/" + made["id"], [{"op": "replace", "path": "/priority", "value": "1"}]), 400,
            "priority must be an integer")
