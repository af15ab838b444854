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


def updated(base, **changes):
    """``base`` with ``changes`` (a copy)."""
    out = dict(base)
    out.update(changes)
    return out


def writes_of(run, sim, *names):
    return [w for name in names for w in run.writes(sim, name)]


# -- the follow-up fixes ---------------------------------------------------------------------------


def test_time_based_attr_and_exception_report_five_step(sailpoint_sim, run_playbook):
    """The document lets a PATCH change hasTimeBasedAttr and identityExceptionReportReference, and a create keeps the
    given hasTimeBasedAttr (the simulator refused the first and computed the second)."""
    sim = sailpoint_sim
    base = {"name": "Timed", "authoritative_source": IDN_SOURCE_ID, "has_time_based_attr": True,
            "identity_exception_report_reference": {"task_result_id": TASK_RESULT, "report_name": "Exceptions"}}
    changed = updated(base, has_time_based_attr=False, identity_exception_report_reference={"report_name": "Renamed"})
    run = run_playbook(play(sim, [
        task("bad report id", PROFILE, errors=True, **updated(base, identity_exception_report_reference={
            "task_result_id": "t-1"})),
        task("create", PROFILE, **base),
        task("again", PROFILE, **base),
        task("check change", PROFILE, check=True, **changed),
        task("change", PROFILE, **changed),
        task("change again", PROFILE, **changed),
        task("delete", PROFILE, name="Timed", state="absent"),
        task("delete again", PROFILE, name="Timed", state="absent"),
    ]), diff=True)
    assert run.task("bad report id").result["msg"] == (
        "identity_exception_report_reference.task_result_id: is not a UUID such as "
        "2c918085-7182-305e-0171-993735622949, got 't-1'")
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


def test_bulk_groups_resolve_a_shared_owner_once(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    run = run_playbook(play(sim, [
        task("bulk", GROUP, owner="Ada Admin", governance_groups=[{"name": "G%d" % i} for i in range(4)]),
    ]), expect_rc=0)
    lookups = [e for e in run.requests(sim, "bulk") if e["method"] == "GET" and e["path"] == "/v2024/identities"]
    assert len(lookups) == 1 and len(groups(sim)) == 5  # and the seeded Source Admins


def test_v1_lifecycle_state_priority_and_access_action_configuration(sailpoint_sim, run_playbook):
    """The per-resource tree's LifecycleState (the latest SDK's model) has priority, accessActionConfiguration and
    account actions on all sources but some: api_version=v1 manages them."""
    sim = sailpoint_sim
    base = {"api_version": "v1", "identity_profile": "Tenant", "technical_name": "leaver", "name": "Leaver",
            "priority": 30, "access_action_configuration": {"remove_all_access_enabled": True},
            "account_actions": [{"action": "DISABLE", "all_sources": True, "exclude_sources": ["HR Feed"]}]}
    changed = updated(base, priority=40, access_action_configuration={"remove_all_access_enabled": False})
    run = run_playbook(play(sim, setup(sim) + [
        task("create", STATE, **base),
        task("again", STATE, **base),
        task("check change", STATE, check=True, **changed),
        task("change", STATE, **changed),
        task("change again", STATE, **changed),
        task("delete", STATE, **updated(base, state="absent")),
        task("delete again", STATE, **updated(base, state="absent")),
    ]), diff=True, expect_rc=0)
    create = run.writes(sim, "create")
    assert [w["path"].split("/")[1:3] for w in create] == [["identity-profiles", "v1"]]
    source_id = [s["id"] for s in sim.collection("sources").values() if s["name"] == "HR Feed"][0]
    assert create[0]["body"]["accountActions"] == [
        {"action": "DISABLE", "allSources": True, "excludeSourceIds": [source_id]}]
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
        task("create", STATE, **updated(base, account_actions=[
            {"action": "ENABLE", "all_sources": True, "exclude_sources": ["HR Feed"]}])),
        task("merge", STATE, **updated(base, account_actions=[{"action": "ENABLE", "all_sources": True}])),
        task("twice", STATE, errors=True, **updated(base, account_actions=[
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


def members_of(sim, name):
    group = groups(sim).get(name)
    return sorted(m["name"] for m in sim.collection("workgroup-members").get(group["id"], {}).values()) if group else None


def test_acceptance_governance_group(sailpoint_sim, run_playbook):
    """Every option of sailpoint_governance_group and its _info: check mode of a new group with members, --diff of a
    change, members set / add / remove, a failed run (unknown owner) then the corrected one, bad input, bulk, _info
    with members and connections."""
    sim = sailpoint_sim
    base = {"name": "Reviewers", "description": "Review access", "owner": "Ada Admin", "members": ["Jane Doe", "john.roe"]}
    run = run_playbook(play(sim, [
        task("check create", GROUP, check=True, **base),
        task("bad owner", GROUP, errors=True, **updated(base, owner="Nobody Here")),
        dict(task("create", GROUP, **base), register="made"),
        task("again", GROUP, **base),
        task("check describe", GROUP, check=True, name="Reviewers", description="Reviews HR access"),
        task("describe", GROUP, name="Reviewers", description="Reviews HR access"),
        task("add", GROUP, name="Reviewers", members=["Ada Admin"], members_mode="add"),
        task("add again", GROUP, name="Reviewers", members=["Ada Admin"], members_mode="add"),
        task("remove", GROUP, name="Reviewers", members=["john.roe"], members_mode="remove"),
        task("set", GROUP, name="Reviewers", members=["Jane Doe"]),
        task("rename by id", GROUP, id="{{ made.id }}", name="HR Reviewers"),
        task("empty name", GROUP, errors=True, name=""),
        task("bad mode", GROUP, errors=True, name="HR Reviewers", members=["Jane Doe"], members_mode="replace"),
        task("name and bulk", GROUP, errors=True, name="X", governance_groups=[{"name": "Y"}]),
        task("bulk", GROUP, owner="Ada Admin", governance_groups=[
            {"name": "Finance Approvers", "members": ["Jane Doe"]}, {"name": "Eng Approvers", "description": "Eng"}]),
        task("info one", "identity.cloud.sailpoint_governance_group_info", name="HR Reviewers"),
        task("info bare", "identity.cloud.sailpoint_governance_group_info", members=False),
        task("info unknown id", "identity.cloud.sailpoint_governance_group_info", id="2c9180835d191a86015d28455b4a2329"),
        task("delete", GROUP, name="HR Reviewers", state="absent"),
        task("delete again", GROUP, name="HR Reviewers", state="absent"),
    ]), diff=True)
    check = run.task("check create")
    assert check.changed and run.writes(sim, "check create") == []
    assert check.result["memberships"]["members"]["added"] == ["Jane Doe", "John Roe"]
    assert run.task("bad owner").result["msg"] == "owner: no identity named 'Nobody Here'"
    assert run.writes(sim, "bad owner") == []
    assert run.task("create").changed and not run.task("again").changed and run.writes(sim, "again") == []
    describe = run.task("check describe")
    assert describe.changed and run.writes(sim, "check describe") == []
    assert describe.result["diff"]["before"]["description"] == "Review access"
    assert describe.result["diff"]["after"]["description"] == "Reviews HR access"
    assert [w["method"] for w in run.writes(sim, "describe")] == ["PATCH"]
    assert run.task("create").result["governance_group"]["memberCount"] == 2
    assert run.task("add").result["memberships"]["members"] == {"added": ["Ada Admin"], "removed": []}
    assert run.task("add").result["governance_group"]["memberCount"] == 3
    assert not run.task("add again").changed and run.writes(sim, "add again") == []
    assert run.task("remove").result["memberships"]["members"] == {"added": [], "removed": ["John Roe"]}
    assert run.task("set").result["memberships"]["members"] == {"added": [], "removed": ["Ada Admin"]}
    assert run.task("set").result["governance_group"]["memberCount"] == 1
    assert run.task("rename by id").changed
    for name, wanted in (("empty name", "name"), ("bad mode", "members_mode"), ("name and bulk", "mutually exclusive")):
        msg = run.task(name).result["msg"]
        assert run.task(name).failed and wanted in msg and "Traceback" not in msg, (name, msg)
        assert run.writes(sim, name) == [], name
    assert [r["created"] for r in run.task("bulk").result["results"]] == [True, True]
    one = run.task("info one").result["governance_groups"]
    assert [(g["name"], g["description"], sorted(m["name"] for m in g["members"]), g["connections"]) for g in one] == [
        ("HR Reviewers", "Reviews HR access", ["Jane Doe"], [])]
    bare = run.task("info bare").result["governance_groups"]
    assert "members" not in bare[0] and {"HR Reviewers", "Finance Approvers", "Eng Approvers"} <= set(
        g["name"] for g in bare)
    assert run.task("info unknown id").result["governance_groups"] == []
    assert run.task("delete").changed and not run.task("delete again").changed
    assert "HR Reviewers" not in groups(sim) and members_of(sim, "Finance Approvers") == ["Jane Doe"]


def test_acceptance_identity_profile_and_lifecycle_states(sailpoint_sim, run_playbook):
    """sailpoint_identity_profile, sailpoint_lifecycle_state, sailpoint_identity_lifecycle_state and their _info, every
    documented option: a check run of the whole definition before anything exists, the failed run (a transform the
    profile maps is missing) and the corrected one, --diff, bad input, export / default config, an identity's state."""
    sim = sailpoint_sim
    profile = {"name": "Employees", "description": "Everyone", "owner": "Ada Admin", "priority": 10,
               "authoritative_source": "IdentityNow", "has_time_based_attr": False,
               "identity_attribute_config": {"enabled": True, "attribute_transforms": [
                   {"identity_attribute_name": "email", "transform": "Lower Mail"}]}}
    lower = {"name": "Lower Mail", "type": "lower", "attributes": {"input": {
        "type": "identityAttribute", "attributes": {"name": "email"}}}}
    state = {"identity_profile": "Employees", "technical_name": "leaver", "name": "Leaver", "description": "Gone",
             "enabled": True, "identity_state": "INACTIVE_LONG_TERM",
             "account_actions": [{"action": "DISABLE", "sources": ["IdentityNow"]}],
             "email_notification_option": {"notify_managers": True, "notify_specific_users": True,
                                           "email_address_list": ["hr@example.com"]}}
    definition = [task("transform", TRANSFORM, **lower), task("profile", PROFILE, **profile),
                  task("state", STATE, **state)]
    dry = run_playbook(play(sim, definition), check=True, diff=True, expect_rc=0)
    assert [t["status"] for t in dry.tasks] == ["changed"] * 3 and [e for e in sim.log if e["write"]] == []
    assert "transform 'Lower Mail'" in dry.task("profile").result["msg"]
    failed = run_playbook(play(sim, definition[1:]))  # the transform task forgotten: fails before any write
    assert failed.task("profile").result["msg"] == \
        "identity_attribute_config.attribute_transforms[0].transform: no transform named 'Lower Mail'"
    assert [e for e in sim.log if e["write"]] == []
    run = run_playbook(play(sim, definition + [
        task("again profile", PROFILE, **profile),
        task("again state", STATE, **state),
        task("check reprioritise", PROFILE, check=True, name="Employees", priority=20),
        task("reprioritise", PROFILE, name="Employees", priority=20),
        task("notify admins", STATE, identity_profile="Employees", technical_name="leaver",
             email_notification_option={"notify_all_admins": True}),
        task("bad priority", PROFILE, errors=True, name="Employees", priority="high"),
        task("bad mapping", PROFILE, errors=True, name="Employees", identity_attribute_config={
            "attribute_transforms": [{"identity_attribute_name": "email", "transform": "Lower Mail",
                                      "transform_definition": {"type": "lower", "attributes": {}}}]}),
        task("bad action", STATE, errors=True, identity_profile="Employees", technical_name="x", name="X",
             account_actions=[{"action": "ARCHIVE", "sources": ["IdentityNow"]}]),
        task("process", "identity.cloud.sailpoint_identity_profile_action", action="process",
             identity_profile="Employees"),
        task("set state", "identity.cloud.sailpoint_identity_lifecycle_state", identity="jane.doe",
             lifecycle_state="leaver"),
        task("set state again", "identity.cloud.sailpoint_identity_lifecycle_state", identity="jane.doe",
             lifecycle_state="leaver", identity_profile="Employees"),
        task("profile info", "identity.cloud.sailpoint_identity_profile_info", name="Employees",
             default_identity_attribute_config=True, export=True),
        task("state info", "identity.cloud.sailpoint_lifecycle_state_info", identity_profile="Employees"),
    ]), diff=True)
    assert [t["status"] for t in run.tasks[:3]] == ["changed"] * 3
    made = profiles(sim)["Employees"]
    assert made["identityAttributeConfig"]["attributeTransforms"] == [{"identityAttributeName": "email",
        "transformDefinition": {"type": "reference", "attributes": {"id": "Lower Mail"}}}]  # noqa: E128
    assert not run.task("again profile").changed and not run.task("again state").changed
    assert run.writes(sim, "again profile") == [] and run.writes(sim, "again state") == []
    check = run.task("check reprioritise")
    assert check.changed and run.writes(sim, "check reprioritise") == []
    assert (check.result["diff"]["before"]["priority"], check.result["diff"]["after"]["priority"]) == (10, 20)
    assert made["priority"] == 20
    leaver = states(sim)["leaver"]
    assert leaver["emailNotificationOption"] == {"notifyManagers": True, "notifyAllAdmins": True,
                                                 "notifySpecificUsers": True, "emailAddressList": ["hr@example.com"]}
    assert leaver["identityState"] == "INACTIVE_LONG_TERM"
    for name, wanted in (("bad priority", "priority"), ("bad mapping", "exactly one of transform"),
                         ("bad action", "action")):
        msg = run.task(name).result["msg"]
        assert run.task(name).failed and wanted in msg and "Traceback" not in msg and "\n" not in msg, (name, msg)
        assert run.writes(sim, name) == [], name
    assert run.task("set state").changed and run.task("set state").result["previous_state"] is None
    assert not run.task("set state again").changed and run.writes(sim, "set state again") == []
    info = run.task("profile info").result
    assert [p["name"] for p in info["identity_profiles"]] == ["Employees"]
    assert "Employees" in info["default_identity_attribute_configs"]
    assert [e["self"]["name"] for e in info["export"]] == ["Employees"]
    assert [s["technicalName"] for s in run.task("state info").result["lifecycle_states"]] == ["leaver"]


def test_acceptance_profile_import_checks_each_object_against_the_document(sailpoint_sim, run_playbook):
    """action=import: an exported profile is checked whole against the document's IdentityProfileExportedObject before
    the call (its own properties and its base's, BaseCommonDto): a misspelt key, a wrong type or a missing name fail in
    one line naming the object; an import in check mode sends nothing; the corrected one imports."""
    sim = sailpoint_sim
    action = "identity.cloud.sailpoint_identity_profile_action"
    exported = "{{ exported.export | map('combine', {'object': %s}, recursive=true) | list }}"
    run = run_playbook(play(sim, [
        task("profile", PROFILE, name="Tenant", authoritative_source="IdentityNow", priority=3),
        dict(task("export", "identity.cloud.sailpoint_identity_profile_info", export=True), register="exported"),
        task("misspelt", action, errors=True, action="import", profiles=exported % "{'priorty': 4}"),
        task("wrong type", action, errors=True, action="import", profiles=exported % "{'priority': 'four'}"),
        task("no source", action, errors=True, action="import", profiles=exported % "{'authoritativeSource': None}"),
        task("check import", action, check=True, action="import", profiles=exported % "{'priority': 4}"),
        task("import", action, action="import", profiles=exported % "{'priority': 4}"),
    ]))
    assert run.task("misspelt").result["msg"].startswith("profiles[0].object.priorty: unknown key")
    assert run.task("wrong type").result["msg"] == "profiles[0].object.priority: must be an integer, got 'four'"
    assert run.task("no source").result["msg"] == "profiles[0].object: authoritativeSource is required"
    assert run.task("check import").changed
    assert writes_of(run, sim, "misspelt", "wrong type", "no source", "check import") == []
    assert run.task("import").changed and profiles(sim)["Tenant"]["priority"] == 4
