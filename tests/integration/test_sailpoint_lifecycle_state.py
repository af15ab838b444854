"""sailpoint_lifecycle_state, its _info and sailpoint_identity_lifecycle_state through ansible-playbook against the
SailPoint simulator."""

from tests.simulators.sailpoint import ADMIN_ID
from tests.simulators.sailpoint.common import IDN_SOURCE_ID
from tests.integration.plays import play, task

MODULE = "identity.cloud.sailpoint_lifecycle_state"
SET = "identity.cloud.sailpoint_identity_lifecycle_state"
JANE = "2c9180857182305e0171993735622949"


def setup(sim):
    """An access profile in the simulator's store, and the tasks making a profile whose identities are the seeded ones."""
    with sim.lock:
        sim._store_access_profile({"id": sim.new_id(), "name": "Leaver Access", "description": None, "enabled": False,
                                   "owner": {"type": "IDENTITY", "id": ADMIN_ID}, "source": {"id": IDN_SOURCE_ID},
                                   "entitlements": [], "requestable": False}, None)
    return [task("source", "identity.cloud.sailpoint_source", name="HR Feed", owner=ADMIN_ID, connector="delimited-file"),
            task("profile", "identity.cloud.sailpoint_identity_profile", name="Tenant", authoritative_source=IDN_SOURCE_ID),
            task("process", "identity.cloud.sailpoint_identity_profile_action", action="process", identity_profile="Tenant")]


def states(sim):
    return dict((s["technicalName"], s) for by_profile in sim.collection("lifecycle-states").values()
                for s in by_profile.values())


def test_five_step_cycle_and_setting_an_identity_state(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    base = {"identity_profile": "Tenant", "technical_name": "leaver", "name": "Leaver", "enabled": True,
            "access_profiles": ["Leaver Access"], "account_actions": [{"action": "DISABLE", "sources": ["HR Feed"]}],
            "email_notification_option": {"notify_managers": True}}
    changed = {**base, **dict(description="Left", email_notification_option={"notify_all_admins": True})}
    run = run_playbook(play(sim, setup(sim) + [
        task("create", MODULE, **base),
        task("again", MODULE, **base),
        task("check change", MODULE, check=True, **changed),
        task("change", MODULE, **changed),
        task("set", SET, identity="jane.doe", lifecycle_state="leaver"),
        task("set again", SET, identity=JANE, lifecycle_state="leaver", identity_profile="Tenant"),
        dict(task("info", "identity.cloud.sailpoint_lifecycle_state_info", identity_profile="Tenant",
                  technical_name="leaver"), register="found"),
        task("delete", MODULE, identity_profile="Tenant", technical_name="leaver", state="absent"),
        task("delete again", MODULE, identity_profile="Tenant", technical_name="leaver", state="absent"),
    ]), diff=True, expect_rc=0)
    assert run.task("create").changed
    sent = run.writes(sim, "create")[0]["body"]
    source_id = [s["id"] for s in sim.collection("sources").values() if s["name"] == "HR Feed"][0]
    assert sent["accountActions"] == [{"action": "DISABLE", "sourceIds": [source_id]}]
    assert len(sent["accessProfileIds"]) == 1 and sent["emailNotificationOption"] == {"notifyManagers": True}
    assert not run.task("again").changed and run.writes(sim, "again") == []
    assert run.task("check change").changed and run.writes(sim, "check change") == []
    writes = run.writes(sim, "change")
    assert [w["method"] for w in writes] == ["PATCH"]
    ops = dict((op["path"], op["value"]) for op in writes[0]["body"])
    assert ops["/description"] == "Left"
    # merged key by key: notifyManagers stays true
    assert ops["/emailNotificationOption"]["notifyManagers"] is True and ops["/emailNotificationOption"]["notifyAllAdmins"]
    assert not run.task("change").result["diff"]["before"]["email_notification_option"]["notifyAllAdmins"]
    assert run.task("change").result["diff"]["after"]["email_notification_option"] == {"notifyAllAdmins": True}
    setting = run.task("set")
    assert setting.changed and setting.result["previous_state"] is None
    assert [w["path"] for w in run.writes(sim, "set")] == ["/v2024/identities/%s/set-lifecycle-state" % JANE]
    assert sim.collection("identities")[JANE]["lifecycleState"]["stateName"] == "leaver"
    assert not run.task("set again").changed and run.writes(sim, "set again") == []
    assert [s["technicalName"] for s in run.task("info").result["lifecycle_states"]] == ["leaver"]
    assert run.task("delete").changed and [w["method"] for w in run.writes(sim, "delete")] == ["DELETE"]
    assert not run.task("delete again").changed and run.writes(sim, "delete again") == []
    assert "leaver" not in states(sim)


def test_bad_input_fails_before_any_write(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    base = {"identity_profile": "Tenant", "technical_name": "mover", "name": "Mover"}
    run = run_playbook(play(sim, setup(sim) + [
        task("create", MODULE, **base),
        task("rename", MODULE, errors=True, **{**base, "name": "Moved"}),
        task("unknown access profile", MODULE, errors=True, **dict(base, access_profiles=["Nope"])),
        task("unknown source", MODULE, errors=True,
             **dict(base, account_actions=[{"action": "DELETE", "sources": ["Nope"]}])),
        task("v1 only", MODULE, errors=True, **dict(base, priority=5)),
        task("no sources", MODULE, errors=True, **dict(base, account_actions=[{"action": "ENABLE"}])),
        task("unknown profile", MODULE, errors=True, identity_profile="Nope", technical_name="x", name="X"),
        task("unknown state", SET, errors=True, identity="jane.doe", lifecycle_state="nope"),
    ]))
    assert run.task("rename").result["msg"].startswith("name cannot be changed on an existing lifecycle state")
    assert run.task("unknown access profile").result["msg"] == "access_profiles: no access profile named 'Nope'"
    assert run.task("unknown source").result["msg"] == "account_actions[0].sources: no source named 'Nope'"
    assert run.task("v1 only").result["msg"].startswith("priority: only the per-resource tree's lifecycle states")
    assert run.task("no sources").result["msg"] == "account_actions[0]: give sources (names or ids)"
    assert run.task("unknown profile").result["msg"] == "identity_profile: no identity profile has the name or id 'Nope'"
    assert run.task("unknown state").result["msg"].startswith("lifecycle_state: no lifecycle state has the technical")
    for name in ("rename", "unknown access profile", "unknown source", "v1 only", "no sources", "unknown profile",
                 "unknown state"):
        assert run.writes(sim, name) == [], name


def test_check_mode_dry_run_of_a_whole_definition(sailpoint_sim, run_playbook):
    """Everything an earlier task of the run would create is reported as pending in check mode, nothing is sent."""
    sim = sailpoint_sim
    run = run_playbook(play(sim, [
        task("source", "identity.cloud.sailpoint_source", check=True, name="New Feed", owner=ADMIN_ID,
             connector="delimited-file"),
        task("transform", "identity.cloud.sailpoint_transform", check=True, name="New Lower", type="lower",
             attributes={}),
        task("profile", "identity.cloud.sailpoint_identity_profile", check=True, name="New", authoritative_source="New Feed",
             identity_attribute_config={"attribute_transforms": [{"identity_attribute_name": "email",
                                                                 "transform": "New Lower"}]}),
        task("state", MODULE, check=True, identity_profile="New", technical_name="leaver", name="Leaver",
             account_actions=[{"action": "DISABLE", "sources": ["New Feed"]}]),
        task("set", SET, check=True, identity="jane.doe", identity_profile="New", lifecycle_state="leaver"),
    ]), expect_rc=0)
    for name in ("source", "transform", "profile", "state", "set"):
        assert run.task(name).changed, name
    assert "source 'New Feed' does not exist yet" in run.task("profile").result["msg"]
    assert "does not exist yet" in run.task("state").result["msg"]  # the profile, or the source its action names
    assert "identity profile 'New' does not exist yet" in run.task("set").result["msg"]
    assert [e for e in sim.log if e["write"]] == []
