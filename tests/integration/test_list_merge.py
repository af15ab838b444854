"""Editing one item of a list of objects keeps the keys the task does not name (issue 21 item 4).

The SailPoint simulator replaces like the vendor: an item written without a key gets the key's default (a
schema attribute's ``isMulti`` false, a policy field's ``transform`` {}, a correlation rule's ``ignoreCase``
false and no ``matchMode``). Each test creates an object with rich items, edits one key of one item through
``ansible-playbook``, and reads the object back through the simulator's API (the module's ``_info`` twin).
"""

import pytest

from tests.integration.plays import play, task
from tests.simulators.sailpoint import ADMIN_ID

pytestmark = pytest.mark.no_random_faults  # exact write counts per task

NS = "identity.cloud."
SOURCE = "Merge Feed"


def source_task():
    return task("source", NS + "sailpoint_source", name=SOURCE, owner=ADMIN_ID, connector="delimited-file")


def read(run, name, key):
    return run.task(name).result[key]


def assert_edit_then_idempotent(run, sim, edit, again):
    assert run.task(edit).changed and run.writes(sim, edit), edit
    assert not run.task(again).changed and run.writes(sim, again) == [], again


def test_schema_attribute_edit_keeps_its_flags(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    full = [{"name": "uid", "type": "STRING"},
            {"name": "members", "type": "STRING", "multi": True, "entitlement": True, "description": "Groups"}]
    edited = [{"name": "uid"}, {"name": "members", "description": "Group memberships"}]
    run = run_playbook(play(sim, [
        source_task(),
        task("create", NS + "sailpoint_source_schema", source=SOURCE, name="account", attributes=full),
        task("edit check", NS + "sailpoint_source_schema", check=True, source=SOURCE, name="account", attributes=edited),
        task("edit", NS + "sailpoint_source_schema", source=SOURCE, name="account", attributes=edited),
        task("edit again", NS + "sailpoint_source_schema", source=SOURCE, name="account", attributes=edited),
        dict(task("read", NS + "sailpoint_source_schema_info", source=SOURCE, name="account")),
    ]), diff=True, expect_rc=0)
    assert_edit_then_idempotent(run, sim, "edit", "edit again")
    assert run.task("edit check").changed and run.writes(sim, "edit check") == []
    members = [a for a in run.task("edit check").result["schema"]["attributes"] if a["name"] == "members"][0]
    assert members["isMulti"] is True and members["description"] == "Group memberships"  # check mode's prediction
    schema = read(run, "read", "schemas")[0]
    members = [a for a in schema["attributes"] if a["name"] == "members"][0]
    assert members["isMulti"] is True and members["isEntitlement"] is True
    assert members["description"] == "Group memberships"


def test_provisioning_policy_field_edit_keeps_its_transform(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    transform = {"type": "identityAttribute", "attributes": {"name": "displayName"}}
    full = [{"name": "displayName", "type": "string", "transform": transform},
            {"name": "groups", "type": "string", "isMultiValued": True}]
    edited = [{"name": "displayName", "isMultiValued": False}, {"name": "groups", "type": "long"}]
    bulk = [{"usage_type": "CREATE", "fields": [{"name": "displayName", "type": "secret"}, {"name": "groups"}]}]
    run = run_playbook(play(sim, [
        source_task(),
        task("create", NS + "sailpoint_provisioning_policy", source=SOURCE, usage_type="CREATE", name="Account",
             fields=full),
        task("edit", NS + "sailpoint_provisioning_policy", source=SOURCE, usage_type="CREATE", fields=edited),
        task("edit again", NS + "sailpoint_provisioning_policy", source=SOURCE, usage_type="CREATE", fields=edited),
        task("read", NS + "sailpoint_provisioning_policy_info", source=SOURCE, usage_type="CREATE"),
        task("bulk edit", NS + "sailpoint_provisioning_policy", source=SOURCE, policies=bulk),
        task("read after bulk", NS + "sailpoint_provisioning_policy_info", source=SOURCE, usage_type="CREATE"),
    ]), diff=True, expect_rc=0)
    assert_edit_then_idempotent(run, sim, "edit", "edit again")
    fields = dict((f["name"], f) for f in read(run, "read", "policies")[0]["fields"])
    assert fields["displayName"]["transform"] == transform and fields["displayName"]["type"] == "string"
    assert fields["groups"]["isMultiValued"] is True and fields["groups"]["type"] == "long"
    fields = dict((f["name"], f) for f in read(run, "read after bulk", "policies")[0]["fields"])
    assert fields["displayName"]["transform"] == transform and fields["displayName"]["type"] == "secret"
    assert fields["groups"]["isMultiValued"] is True


def test_correlation_rule_edit_keeps_its_match_options(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    full = [{"property": "uid", "value": "employeeId", "operation": "EQ", "ignoreCase": True, "matchMode": "START"},
            {"property": "email", "value": "mail", "operation": "EQ"}]
    edited = [{"property": "uid", "value": "employeeId", "filterString": "active"}]
    run = run_playbook(play(sim, [
        source_task(),
        task("create", NS + "sailpoint_source_correlation_config", source=SOURCE, attribute_assignments=full),
        task("edit", NS + "sailpoint_source_correlation_config", source=SOURCE, attribute_assignments=edited),
        task("edit again", NS + "sailpoint_source_correlation_config", source=SOURCE, attribute_assignments=edited),
        task("read", NS + "sailpoint_source_correlation_config_info", source=SOURCE),
    ]), diff=True, expect_rc=0)
    assert_edit_then_idempotent(run, sim, "edit", "edit again")
    rules = read(run, "read", "correlation_config")["attributeAssignments"]
    assert rules == [{"property": "uid", "value": "employeeId", "operation": "EQ", "ignoreCase": True,
                      "matchMode": "START", "filterString": "active", "complex": False}]  # the unlisted rule is gone


def test_attribute_sync_edit_keeps_the_others(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    run = run_playbook(play(sim, [
        source_task(),
        task("read before", NS + "sailpoint_source_attribute_sync_config_info", source=SOURCE),
        task("edit", NS + "sailpoint_source_attribute_sync_config", source=SOURCE,
             attributes=[{"name": "email", "enabled": True}]),
        task("edit again", NS + "sailpoint_source_attribute_sync_config", source=SOURCE,
             attributes=[{"name": "email", "enabled": True}]),
        task("read", NS + "sailpoint_source_attribute_sync_config_info", source=SOURCE),
    ]), expect_rc=0)
    assert_edit_then_idempotent(run, sim, "edit", "edit again")
    before = dict((a["name"], a) for a in read(run, "read before", "attribute_sync_config")["attributes"])
    after = dict((a["name"], a) for a in read(run, "read", "attribute_sync_config")["attributes"])
    assert before["email"]["enabled"] is False and after["email"] == dict(before["email"], enabled=True)
    assert set(after) == set(before) and all(after[n] == before[n] for n in after if n != "email")


def test_entitlement_request_edit_keeps_the_other_keys(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    schemes = [{"approverType": "MANAGER", "approverId": None}, {"approverType": "SOURCE_OWNER", "approverId": None}]
    run = run_playbook(play(sim, [
        source_task(),
        task("create", NS + "sailpoint_source_entitlement_request_config", source=SOURCE, access_request_config={
            "approvalSchemes": schemes, "requestCommentRequired": True,
            "maxPermittedAccessDuration": {"value": 3, "timeUnit": "MONTHS"}}),
        task("edit", NS + "sailpoint_source_entitlement_request_config", source=SOURCE,
             access_request_config={"denialCommentRequired": True, "maxPermittedAccessDuration": {"value": 2}}),
        task("edit again", NS + "sailpoint_source_entitlement_request_config", source=SOURCE,
             access_request_config={"denialCommentRequired": True, "maxPermittedAccessDuration": {"value": 2}}),
        task("read", NS + "sailpoint_source_entitlement_request_config_info", source=SOURCE),
    ]), expect_rc=0)
    assert_edit_then_idempotent(run, sim, "edit", "edit again")
    access = read(run, "read", "entitlement_request_config")["accessRequestConfig"]
    assert access["approvalSchemes"] == schemes and access["requestCommentRequired"] is True
    assert access["denialCommentRequired"] is True
    assert access["maxPermittedAccessDuration"] == {"value": 2, "timeUnit": "MONTHS"}
