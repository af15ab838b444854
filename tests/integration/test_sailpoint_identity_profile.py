"""sailpoint_identity_profile, its _info and its action module through ansible-playbook against the SailPoint simulator."""

from tests.simulators.sailpoint import ADMIN_ID
from tests.simulators.sailpoint.common import IDN_SOURCE_ID
from tests.integration.plays import play, task

MODULE = "identity.cloud.sailpoint_identity_profile"
ACTION = "identity.cloud.sailpoint_identity_profile_action"
INFO = "identity.cloud.sailpoint_identity_profile_info"
LOWER = {"name": "Lower Email", "type": "lower",
         "attributes": {"input": {"type": "accountAttribute", "attributes": {"sourceName": "HR Feed",
                                                                             "attributeName": "email"}}}}


def setup():
    return [task("source", "identity.cloud.sailpoint_source", name="HR Feed", owner=ADMIN_ID, connector="delimited-file",
                 authoritative=True),
            task("transform", "identity.cloud.sailpoint_transform", **LOWER)]


def profiles(sim):
    return dict((p["name"], p) for p in sim.collection("identity-profiles").values())


def mapping(profile):
    return dict((m["identityAttributeName"], m["transformDefinition"])
                for m in profile["identityAttributeConfig"]["attributeTransforms"])


def test_five_step_cycle_mappings_merged_by_attribute(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    base = {"name": "Employees", "description": "HR feed", "owner": "Ada Admin", "priority": 10,
            "authoritative_source": "HR Feed",
            "identity_attribute_config": {"enabled": True, "attribute_transforms": [
                {"identity_attribute_name": "email", "transform": "Lower Email"}]}}
    changed = {**base, **dict(priority=20, identity_attribute_config={"attribute_transforms": [
        {"identity_attribute_name": "uid", "transform_definition": {
            "type": "accountAttribute", "attributes": {"sourceName": "HR Feed", "attributeName": "employeeId"}}}]})}
    run = run_playbook(play(sim, setup() + [
        task("create", MODULE, **base),
        task("again", MODULE, **base),
        task("check change", MODULE, check=True, **changed),
        task("change", MODULE, **changed),
        task("transform in use", "identity.cloud.sailpoint_transform", errors=True, name="Lower Email", state="absent"),
        dict(task("info", INFO, name="Employees", default_identity_attribute_config=True, export=True), register="found"),
        task("delete", MODULE, name="Employees", state="absent"),
        task("delete again", MODULE, name="Employees", state="absent"),
    ]), diff=True, expect_rc=0)
    create = run.task("create")
    assert create.changed
    sent = run.writes(sim, "create")[0]["body"]
    assert sent["authoritativeSource"]["type"] == "SOURCE" and sent["owner"]["id"] == ADMIN_ID
    assert sent["identityAttributeConfig"]["attributeTransforms"] == [{"identityAttributeName": "email", "transformDefinition": {
        "type": "reference", "attributes": {"id": "Lower Email"}}}]
    assert not run.task("again").changed and run.writes(sim, "again") == []
    assert run.task("check change").changed and run.writes(sim, "check change") == []
    writes = run.writes(sim, "change")
    assert [w["method"] for w in writes] == ["PATCH"]
    ops = dict((op["path"], op["value"]) for op in writes[0]["body"])
    assert ops["/priority"] == 20
    sent_mapping = dict((m["identityAttributeName"], m["transformDefinition"])
                        for m in ops["/identityAttributeConfig"]["attributeTransforms"])
    assert sent_mapping["email"] == {"type": "reference", "attributes": {"id": "Lower Email"}}  # kept
    assert sent_mapping["uid"]["attributes"]["attributeName"] == "employeeId"  # replaced
    assert run.task("change").result["diff"]["before"]["priority"] == 10
    in_use = run.task("transform in use")
    assert in_use.failed and "Lower Email" in in_use.result["msg"] and run.writes(sim, "transform in use") == \
        [e for e in run.writes(sim, "transform in use") if e["status"] >= 400]
    info = run.task("info").result
    assert [p["name"] for p in info["identity_profiles"]] == ["Employees"]
    assert "Employees" in info["default_identity_attribute_configs"]
    assert [e["self"]["name"] for e in info["export"]] == ["Employees"]
    delete = run.task("delete")
    assert delete.changed and delete.result["task"]["completionStatus"] and [w["method"] for w in run.writes(sim, "delete")] == ["DELETE"]
    assert not run.task("delete again").changed and run.writes(sim, "delete again") == []
    assert profiles(sim) == {}


def test_actions_process_preview_import_bulk_delete(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    run = run_playbook(play(sim, [
        task("profile", MODULE, name="Tenant", authoritative_source=IDN_SOURCE_ID, owner="Ada Admin"),  # the seeded identities
        task("process check", ACTION, check=True, action="process", identity_profile="Tenant"),
        task("process", ACTION, action="process", identity_profile="Tenant"),
        task("preview", ACTION, check=True, action="preview", identity="jane.doe", identity_profile="Tenant",
             identity_attribute_config={"attribute_transforms": [{"identity_attribute_name": "displayName",
                                                                 "transform_definition": {"type": "static",
                                                                                          "attributes": {"values": "J"}}}]}),
        dict(task("export", INFO, export=True), register="exported"),
        task("import same", ACTION, action="import", profiles="{{ exported.export }}"),
        task("import changed", ACTION, action="import",
             profiles="{{ exported.export | map('combine', {'object': {'description': 'imported'}}, recursive=true) }}"),
        task("bad preview", ACTION, errors=True, action="preview", identity="nobody", identity_profile="Tenant"),
        task("bulk delete", ACTION, action="bulk_delete", identity_profiles=["Tenant", "Nothing"]),
        task("bulk delete again", ACTION, action="bulk_delete", identity_profiles=["Tenant", "Nothing"]),
    ]), expect_rc=0)
    assert run.task("process check").changed and run.writes(sim, "process check") == []
    process = run.task("process")
    assert process.changed and process.result["task"]["completionStatus"] == "SUCCESS"
    assert [w["path"].rsplit("/", 1)[1] for w in run.writes(sim, "process")] == ["process-identities"]
    preview = run.task("preview").result
    assert not run.task("preview").changed
    assert [(a["name"], a.get("value")) for a in preview["preview"]["previewAttributes"] if a["name"] == "displayName"] \
        == [("displayName", "J")]
    same = run.task("import same")
    assert not same.changed and same.result["unchanged"] == ["Tenant"] and run.writes(sim, "import same") == []
    changed = run.task("import changed")
    assert changed.changed and changed.result["imported"] == ["Tenant"]
    assert run.task("bulk delete").result["deleted"] == ["Tenant"]
    assert [w["path"].rsplit("/", 1)[1] for w in run.writes(sim, "bulk delete")] == ["bulk-delete"]
    assert not run.task("bulk delete again").changed and run.writes(sim, "bulk delete again") == []
    assert "identity: no identity has the id, name or alias 'nobody'" in run.task("bad preview").result["msg"]
    assert profiles(sim) == {}


def test_bad_input_fails_before_any_write(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    run = run_playbook(play(sim, setup() + [
        task("unknown transform", MODULE, errors=True, name="P", authoritative_source="HR Feed",
             identity_attribute_config={"attribute_transforms": [{"identity_attribute_name": "email",
                                                                 "transform": "Nope"}]}),
        task("bad definition", MODULE, errors=True, check=True, name="P", authoritative_source="HR Feed",
             identity_attribute_config={"attribute_transforms": [{"identity_attribute_name": "email",
                                                                 "transform_definition": {"type": "toUpper"}}]}),
        task("both", MODULE, errors=True, name="P", authoritative_source="HR Feed",
             identity_attribute_config={"attribute_transforms": [{
                 "identity_attribute_name": "email", "transform": "Lower Email", "transform_definition": {"type": "lower"}}]}),
        task("unknown owner", MODULE, errors=True, name="P", authoritative_source="HR Feed", owner="Nobody"),
        task("no source", MODULE, errors=True, name="P"),
    ]))
    assert run.task("unknown transform").result["msg"] == \
        "identity_attribute_config.attribute_transforms[0].transform: no transform named 'Nope'"
    assert run.task("bad definition").result["msg"].startswith(
        "identity_attribute_config.attribute_transforms[0].transform_definition.type: 'toUpper' is not a transform type")
    assert "give exactly one of transform" in run.task("both").result["msg"]
    assert run.task("unknown owner").result["msg"] == "owner: no identity named 'Nobody'"
    assert run.task("no source").result["msg"] == "authoritative_source is required to create identity_profile 'P'"
    assert profiles(sim) == {}
    for name in ("unknown transform", "bad definition", "both", "unknown owner", "no source"):
        assert run.writes(sim, name) == []
