"""Issue 25, identity side: the follow-up fixes and the acceptance run of a user who reads only ``ansible-doc`` and the
vendor document (transforms, identity profiles, lifecycle states, governance groups), through ansible-playbook against
the SailPoint simulator, the vendor state read back from the simulator."""

from tests.simulators.sailpoint import ADMIN_ID
from tests.simulators.sailpoint.common import IDN_SOURCE_ID
from tests.integration.plays import play, task
from tests.integration.test_sailpoint_lifecycle_state import setup, states

PROFILE = "identity.cloud.sailpoint_identity_profile"
STATE = "identity.cloud.sailpoint_lifecycle_state"
GROUP = "identity.cloud.sailpoint_governance_group"
TRANSFORM = "identity.cloud.sailpoint_transform"
JANE = "2c9180857182305e0171993735622949"
TASK_RESULT = "2c918087-79ec-f55b-0179-f720942f181a"


def profiles(sim):
    return dict((p["name"], p) for p in sim.collection("identity-profiles").values())


def groups(sim):
    return dict((g["name"], g) for g in sim.collection("workgroups").values())


def writes_of(run, sim, *names):
    return [w for name in names for w in run.writes(sim, name)]


# -- the follow-up fixes ---------------------------------------------------------------------------


def test_time_based_attr_and_exception_report_five_step(sailpoint_sim, run_playbook):
    """The document lets a PATCH change hasTimeBasedAttr and identityExceptionReportReference, and a create keeps the
    given hasTimeBasedAttr (the simulator refused the first and computed the second)."""
    sim = sailpoint_sim
    base = {"name": "Timed", "authoritative_source": IDN_SOURCE_ID, "has_time_based_attr": True,
            "identity_exception_report_reference": {"task_result_id": TASK_RESULT, "report_name": "Exceptions"}}
    changed = dict(base, has_time_based_attr=False, identity_exception_report_reference={"report_name": "Renamed"})
    run = run_playbook(play(sim, [
        task("bad report id", PROFILE, errors=True, **dict(base, identity_exception_report_reference={
            "task_result_id": "t-1"})),
        task("create", PROFILE, **base),
        task("again", PROFILE, **base),
        task("check change", PROFILE, check=True, **changed),
        task("change", PROFILE, **changed),
        task("change again", PROFILE, **changed),
        task("delete", PROFILE, name="Timed", state="absent"),
        task("delete again", PROFILE, name="Timed", state="absent"),
    ]), diff=True)
    assert run.task("bad report id").result["msg"] == ("identity_exception_report_reference.task_result_id: is not a "
                                                     "UUID such as 2c918085-7182-305e-0171-993735622949, got 't-1'")
    assert run.writes(sim, "bad report id") == []
    assert run.task("create").changed
    assert run.writes(sim, "create")[0]["body"]["hasTimeBasedAttr"] is True
    assert not run.task("again").changed and run.writes(sim, "again") == []
    assert run.task("check change").changed and run.writes(sim, "check change") == []
    assert run.task("change").changed and [w["method"] for w in run.writes(sim, "change")] == ["PATCH"]
    after = run.task("change").result["identity_profile"]
    assert after["hasTimeBasedAttr"] is False
    # merged key by key: the task result id given at creation stays
    assert after["identityExceptionReportReference"] == {"taskResultId": TASK_RESULT, "reportName": "Renamed"}
    assert run.task("change").result["diff"]["after"]["has_time_based_attr"] is False
    assert not run.task("change again").changed and run.writes(sim, "change again") == []
    assert run.task("delete").changed and not run.task("delete again").changed
    assert "Timed" not in profiles(sim)


def test_governance_group_needs_no_owner(sailpoint_sim, run_playbook):
    """The document's WorkgroupDto requires nothing: a group is created without an owner, and one is set later."""
    sim = sailpoint_sim
    run = run_playbook(play(sim, [
        task("create", GROUP, name="Ownerless", description="No owner yet"),
        task("again", GROUP, name="Ownerless", description="No owner yet"),
        task("owner", GROUP, name="Ownerless", owner="Ada Admin"),
    ]), expect_rc=0)
    assert run.task("create").changed and "owner" not in run.writes(sim, "create")[0]["body"]
    assert not run.task("again").changed and run.writes(sim, "again") == []
    assert run.task("owner").changed and groups(sim)["Ownerless"]["owner"]["id"] == ADMIN_ID


def test_bulk_group_references_checked_before_the_first_write(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    run = run_playbook(play(sim, [
        task("unknown owner", GROUP, errors=True, governance_groups=[
            {"name": "A", "owner": "Ada Admin"}, {"name": "B", "owner": "Nobody Here"}]),
        task("unknown member", GROUP, errors=True, owner="Ada Admin", governance_groups=[
            {"name": "A", "members": ["Jane Doe"]}, {"name": "B", "members": ["nobody"]}]),
        task("unknown member check", GROUP, check=True, owner="Ada Admin", governance_groups=[
            {"name": "A", "members": ["Jane Doe"]}, {"name": "B", "members": ["nobody"]}]),
        task("removing unknown", GROUP, errors=True, owner="Ada Admin", governance_groups=[
            {"name": "C"}, {"name": "D", "members": ["nobody"], "members_mode": "remove"}]),
    ]))
    assert run.task("unknown owner").result["msg"] == "governance_groups[1].owner: no identity named 'Nobody Here'"
    assert run.task("unknown member").result["msg"] == \
        "governance_groups[1].members: no identity has the id, name or alias 'nobody'"
    assert run.task("unknown member check").changed
    assert run.task("removing unknown").result["msg"].startswith("governance_groups[1].members: no identity")
    assert writes_of(run, sim, "unknown owner", "unknown member", "unknown member check", "removing unknown") == []
    assert not set("ABCD") & set(groups(sim))


def test_v1_lifecycle_state_priority_and_access_action_configuration(sailpoint_sim, run_playbook):
    """The per-resource tree's LifecycleState (the latest SDK's model) has priority, accessActionConfiguration and
    account actions on all sources but some: api_version=v1 manages them."""
    sim = sailpoint_sim
    base = {"api_version": "v1", "identity_profile": "Tenant", "technical_name": "leaver", "name": "Leaver",
            "priority": 30, "access_action_configuration": {"remove_all_access_enabled": True},
            "account_actions": [{"action": "DISABLE", "all_sources": True, "exclude_sources": ["HR Feed"]}]}
    changed = dict(base, priority=40, access_action_configuration={"remove_all_access_enabled": False})
    run = run_playbook(play(sim, setup(sim) + [
        task("create", STATE, **base),
        task("again", STATE, **base),
        task("check change", STATE, check=True, **changed),
        task("change", STATE, **changed),
        task("change again", STATE, **changed),
        task("delete", STATE, **dict(base, state="absent")),
        task("delete again", STATE, **dict(base, state="absent")),
    ]), diff=True, expect_rc=0)
    create = run.writes(sim, "create")
    assert [w["path"].split("/")[1:3] for w in create] == [["identity-profiles", "v1"]]
    source_id = [s["id"] for s in sim.collection("sources").values() if s["name"] == "HR Feed"][0]
    assert create[0]["body"]["accountActions"] == [{"action": "DISABLE", "allSources": True,
                                                     "excludeSourceIds": [source_id]}]
    assert not run.task("again").changed and run.writes(sim, "again") == []
    assert run.task("check change").changed and run.writes(sim, "check change") == []
    ops = dict((op["path"], op["value"]) for op in run.writes(sim, "change")[0]["body"])
    assert ops == {"/priority": 40, "/accessActionConfiguration": {"removeAllAccessEnabled": False}}
    assert not run.task("change again").changed and run.writes(sim, "change again") == []
    assert run.task("delete").changed and not run.task("delete again").changed and "leaver" not in states(sim)


def test_account_actions_merge_by_action(sailpoint_sim, run_playbook):
    """An account action given is merged into the current action of its kind (its other keys kept); the same action
    twice fails before any write."""
    sim = sailpoint_sim
    base = {"api_version": "v1", "identity_profile": "Tenant", "technical_name": "mover", "name": "Mover"}
    run = run_playbook(play(sim, setup(sim) + [
        task("create", STATE, **dict(base, account_actions=[{"action": "ENABLE", "all_sources": True,
                                                             "exclude_sources": ["HR Feed"]}])),
        task("merge", STATE, **dict(base, account_actions=[{"action": "ENABLE", "all_sources": True}])),
        task("twice", STATE, errors=True, **dict(base, account_actions=[
            {"action": "ENABLE", "all_sources": True}, {"action": "ENABLE", "sources": ["HR Feed"]}])),
    ]), expect_rc=0)
    assert not run.task("merge").changed and run.writes(sim, "merge") == []
    assert states(sim)["mover"]["accountActions"][0]["excludeSourceIds"]
    assert run.task("twice").result["msg"] == \
        "account_actions[1]: the action ENABLE is given more than once (one item per action)"
    assert run.writes(sim, "twice") == []


# -- acceptance: what ansible-doc promises, option by option -------------------------------------------------------

LOOKUP = {"table": {"ENG": "Engineering", "FIN": "Finance", "default": "Unknown"}}


def transforms(sim):
    return dict((t["name"], t) for t in sim.collection("transforms").values())


def test_acceptance_transform(sailpoint_sim, run_playbook):
    """Every option of sailpoint_transform and its _info: check mode of a new transform, --diff, a failed run then the
    corrected one, bad input in one line before any write, attributes merged key by key, delete while in use."""
    sim = sailpoint_sim
    run = run_playbook(play(sim, [
        task("check create", TRANSFORM, check=True, name="Dept", type="lookup", attributes=LOOKUP),
        task("no table", TRANSFORM, errors=True, name="Dept", type="lookup", attributes={"default": "x"}),
        dict(task("create", TRANSFORM, name="Dept", type="lookup", attributes=LOOKUP), register="made"),
        task("again", TRANSFORM, name="Dept", type="lookup", attributes=LOOKUP),
        task("check add code", TRANSFORM, check=True, name="Dept", attributes={"table": {"HR": "Human Resources"}}),
        task("add code", TRANSFORM, name="Dept", attributes={"table": {"HR": "Human Resources"}}),
        task("by id", TRANSFORM, id="{{ made.id }}", attributes={"table": {"HR": "Human Resources"}}),
        task("unknown type", TRANSFORM, errors=True, name="X", type="nope", attributes={}),
        task("no attributes", TRANSFORM, errors=True, name="X", type="lower"),
        task("unknown key", TRANSFORM, errors=True, name="X", type="lower", attributes={"inputt": "x"}),
        task("wrong value", TRANSFORM, errors=True, name="X", type="static", attributes={"values": 5}),
        task("change type", TRANSFORM, errors=True, name="Dept", type="upper"),
        task("long name", TRANSFORM, errors=True, name="x" * 51, type="lower", attributes={}),
        task("lower", TRANSFORM, name="Lower Email", type="lower", attributes={
            "input": {"type": "accountAttribute", "attributes": {"sourceName": "IdentityNow", "attributeName": "email"}}}),
        task("profile", PROFILE, name="Tenant", authoritative_source=IDN_SOURCE_ID, identity_attribute_config={
            "attribute_transforms": [{"identity_attribute_name": "email", "transform": "Lower Email"}]}),
        task("delete in use", TRANSFORM, errors=True, name="Lower Email", state="absent"),
        task("unmap", PROFILE, name="Tenant", identity_attribute_config={"attribute_transforms": [
            {"identity_attribute_name": "email", "transform_definition": {"type": "identityAttribute",
                                                                          "attributes": {"name": "email"}}}]}),
        task("delete", TRANSFORM, name="Lower Email", state="absent"),
        task("delete again", TRANSFORM, name="Lower Email", state="absent"),
        task("info one", "identity.cloud.sailpoint_transform_info", name="Dept"),
        task("info unknown id", "identity.cloud.sailpoint_transform_info", id="2c9180835d191a86015d28455b4a2329"),
        task("info all", "identity.cloud.sailpoint_transform_info"),
    ]), diff=True)
    check = run.task("check create")
    assert check.changed and run.writes(sim, "check create") == []
    assert check.result["diff"]["after"]["attributes"] == LOOKUP
    failed = run.task("no table").result["msg"]
    assert failed.startswith("attributes") and "table" in failed and "\n" not in failed
    assert run.writes(sim, "no table") == []
    assert run.task("create").changed and run.writes(sim, "create")[0]["body"]["attributes"] == LOOKUP
    assert not run.task("again").changed and run.writes(sim, "again") == []
    assert run.task("check add code").changed and run.writes(sim, "check add code") == []
    assert run.task("check add code").result["diff"]["after"]["attributes"]["table"]["HR"] == "Human Resources"
    assert [w["method"] for w in run.writes(sim, "add code")] == ["PUT"]
    assert transforms(sim)["Dept"]["attributes"]["table"] == dict(LOOKUP["table"], HR="Human Resources")
    assert not run.task("by id").changed and run.writes(sim, "by id") == []
    for name, wanted in (("unknown type", "type"), ("no attributes", "attributes is required"),
                         ("unknown key", "inputt"), ("wrong value", "values"), ("change type", "type cannot be changed"),
                         ("long name", "name")):
        msg = run.task(name).result["msg"]
        assert run.task(name).failed and wanted in msg and "\n" not in msg and "Traceback" not in msg, (name, msg)
        assert run.writes(sim, name) == [], name
    in_use = run.task("delete in use").result["msg"]
    assert "Tenant" in in_use and run.task("delete in use").failed and run.task("delete").changed
    assert run.task("delete").changed and not run.task("delete again").changed and "Lower Email" not in transforms(sim)
    assert [t["name"] for t in run.task("info one").result["transforms"]] == ["Dept"]
    assert run.task("info unknown id").result["transforms"] == []
    assert sorted(t["name"] for t in run.task("info all").result["transforms"]) == ["Dept"]
