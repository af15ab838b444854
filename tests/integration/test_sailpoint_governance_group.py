"""sailpoint_governance_group (single and bulk) and its _info through ansible-playbook against the SailPoint simulator."""

from tests.simulators.sailpoint import ADMIN_ID
from tests.integration.plays import play, task

MODULE = "identity.cloud.sailpoint_governance_group"
JANE = "2c9180857182305e0171993735622949"
JOHN = "2c9180857182305e0171993735622950"


def groups(sim):
    return dict((g["name"], g) for g in sim.collection("workgroups").values())


def members(sim, name):
    group = groups(sim).get(name)
    return sorted(sim.collection("workgroup-members").get(group["id"], {})) if group else None


def test_five_step_cycle_with_members_and_diff(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    base = {"name": "Access Reviewers", "description": "Review", "owner": "Ada Admin", "members": ["Jane Doe"]}
    changed = {**base, **dict(description="Review HR", members=["Jane Doe", "john.roe"])}
    run = run_playbook(play(sim, [
        task("create", MODULE, **base),
        task("again", MODULE, **base),
        task("check change", MODULE, check=True, **changed),
        task("change", MODULE, **changed),
        task("remove one", MODULE, name="Access Reviewers", members=["Jane Doe"], members_mode="remove"),
        dict(task("info", "identity.cloud.sailpoint_governance_group_info", name="Access Reviewers"), register="found"),
        task("delete", MODULE, name="Access Reviewers", state="absent"),
        task("delete again", MODULE, name="Access Reviewers", state="absent"),
    ]), diff=True, expect_rc=0)
    create = run.task("create")
    assert create.changed and create.result["memberships"] == {"members": {"added": ["Jane Doe"], "removed": []}}
    assert [w["path"].rsplit("/", 1)[1] for w in run.writes(sim, "create")] == ["workgroups", "bulk-add"]
    assert not run.task("again").changed and run.writes(sim, "again") == []
    assert run.task("check change").changed and run.writes(sim, "check change") == []
    change = run.task("change")
    assert [(w["method"], w["path"].rsplit("/", 1)[1]) for w in run.writes(sim, "change")] == [
        ("PATCH", create.result["id"]), ("POST", "bulk-add")]
    assert run.writes(sim, "change")[0]["body"] == [{"op": "replace", "path": "/description", "value": "Review HR"}]
    assert change.result["diff"]["before"]["description"] == "Review"
    assert change.result["diff"]["before"]["owner"]["id"] == ADMIN_ID
    assert change.result["diff"]["before"]["members"] == ["Jane Doe"]
    assert change.result["diff"]["after"]["members"] == ["Jane Doe", "John Roe"]
    assert run.task("remove one").result["memberships"]["members"]["removed"] == ["Jane Doe"]
    info = run.task("info").result["governance_groups"]
    assert [m["id"] for m in info[0]["members"]] == [JOHN] and info[0]["connections"] == []
    assert run.task("delete").changed and [w["method"] for w in run.writes(sim, "delete")] == ["DELETE"]
    assert not run.task("delete again").changed and run.writes(sim, "delete again") == []
    assert "Access Reviewers" not in groups(sim)


def test_bulk_list_converges_in_one_task_and_deletes_in_bulk(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    first = [{"name": "G%d" % i, "members": ["Jane Doe"]} for i in range(5)]
    second = [{"name": "G0", "description": "changed"}, {"name": "G1"}, {"name": "G2", "state": "absent"},
              {"name": "G3", "state": "absent"}, {"name": "G5", "members": [JOHN]}]
    run = run_playbook(play(sim, [
        task("bulk create", MODULE, owner="Ada Admin", governance_groups=first),
        task("bulk again", MODULE, owner="Ada Admin", governance_groups=first),
        task("bulk check", MODULE, check=True, owner="Ada Admin", governance_groups=second),
        task("bulk change", MODULE, owner="Ada Admin", governance_groups=second),
        task("bad item", MODULE, errors=True, owner="Ada Admin",
             governance_groups=[{"name": "G9"}, {"name": "G9"}]),
    ]), diff=True, expect_rc=0)
    assert [r["created"] for r in run.task("bulk create").result["results"]] == [True] * 5
    assert not run.task("bulk again").changed and run.writes(sim, "bulk again") == []
    assert run.task("bulk check").changed and run.writes(sim, "bulk check") == []
    writes = run.writes(sim, "bulk change")
    assert [w["path"].rsplit("/", 1)[1] for w in writes if w["path"].endswith("bulk-delete")] == ["bulk-delete"]
    assert sorted(groups(sim)) == ["G0", "G1", "G4", "G5", "Source Admins"]
    assert groups(sim)["G0"]["description"] == "changed" and members(sim, "G5") == [JOHN]
    assert "governance_groups: items 1 and 2 both have name 'G9'" in run.task("bad item").result["msg"]


def test_bad_input_fails_before_any_write(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    run = run_playbook(play(sim, [
        task("unknown owner", MODULE, errors=True, name="X", owner="Nobody Here"),
        task("unknown member", MODULE, errors=True, name="X", owner="Ada Admin", members=["nobody"]),
        task("unknown member check", MODULE, check=True, name="X", owner="Ada Admin", members=["nobody"]),
    ]))
    assert run.task("unknown owner").result["msg"] == "owner: no identity named 'Nobody Here'"
    assert "members: no identity has the id, name or alias 'nobody'" in run.task("unknown member").result["msg"]
    assert "members: nobody" in run.task("unknown member check").result["msg"]
    assert [e for e in sim.log if e["write"]] == []


def test_many_members_resolved_with_one_listing(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    refs = ["Jane Doe", "john.roe", JANE] * 7  # 21 references: more than are looked up one by one
    run = run_playbook(play(sim, [
        task("create", MODULE, name="Many", owner=ADMIN_ID, members=refs),
    ]), expect_rc=0)
    assert run.task("create").result["memberships"]["members"]["added"] == ["Jane Doe", "John Roe"]
    listings = [e for e in run.requests(sim, "create") if e["method"] == "GET" and e["path"] == "/v2024/identities"]
    assert [e["query"].get("filters") for e in listings] == [None]  # one listing, no lookup per reference
    assert members(sim, "Many") == [JANE, JOHN]


def test_bulk_delete_of_a_group_in_use_fails_that_item_alone(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    run = run_playbook(play(sim, [
        task("groups", MODULE, owner="Ada Admin", governance_groups=[{"name": "Used"}, {"name": "Unused"}]),
        task("source", "identity.cloud.sailpoint_source", name="Managed", owner=ADMIN_ID, connector="delimited-file",
             management_workgroup="Used"),
        task("delete both", MODULE, errors=True, governance_groups=[
            {"name": "Used", "state": "absent"}, {"name": "Unused", "state": "absent"}]),
    ]), expect_rc=0)
    result = run.task("delete both").result
    assert run.task("delete both").failed and result["failed_items"] == ["Used"]
    assert "Used: the API refused to delete it (status 409: it is in use" in result["msg"]
    assert result["results"][0]["failed"] and "deleted" not in result["results"][0]
    assert result["results"][1] == {"item": "Unused", "changed": True, "deleted": True}
    assert [w["path"].rsplit("/", 1)[1] for w in run.writes(sim, "delete both")] == ["bulk-delete"]
    assert sorted(groups(sim)) == ["Source Admins", "Used"]
