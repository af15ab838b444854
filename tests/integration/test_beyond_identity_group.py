"""beyond_identity_group (+ _info) through ansible-playbook against the simulator."""

from tests.simulators.beyond_identity import DEFAULT_REALM_ID, IDENTITIES
from tests.integration.plays import inject, play


def group_task(title, **args):
    args.setdefault("realm", "Default")
    return {"name": title, "identity.cloud.beyond_identity_group": args}


def stored_group(sim, name):
    found = [g for g in sim.store["groups"].values() if g["display_name"] == name]
    return found[0] if found else None


def member_names(sim, name):
    members = sim.store["memberships"].get(stored_group(sim, name)["id"], {})
    return sorted(sim.store["identities"][i]["traits"]["username"] for i in members)


def identity_id(sim, username):
    return [i["id"] for i in sim.store["identities"].values() if i["traits"]["username"] == username][0]


def test_five_step_cycle_with_members(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    base = {"display_name": "Engineering", "description": "Ships code", "members": ["alice"]}
    changed = {**base, "description": "Changed", "members": ["bob"]}
    run = run_playbook(play(sim, [
        group_task("create", **base),
        group_task("again", **{**base, "realm": DEFAULT_REALM_ID, "members": ["ALICE"]}),
        dict(group_task("check change", **changed), check_mode=True),
        dict(group_task("change", **changed), diff=True),
        group_task("add", display_name="Engineering", members=["alice", "bob"], members_mode="add"),
        group_task("add again", display_name="Engineering", members=[identity_id(sim, "alice")], members_mode="add"),
        {"name": "info", "register": "info",
         "identity.cloud.beyond_identity_group_info": {
             "realm": "default", "display_name": "Engineering", "include_members": True}},
        group_task("remove", display_name="Engineering", members=["bob"], members_mode="remove"),
        group_task("remove again", display_name="Engineering", members=["bob"], members_mode="remove"),
        group_task("rename by id", id="{{ info.groups[0].id }}", display_name="Platform"),
        group_task("delete", display_name="Platform", state="absent"),
        group_task("delete again", display_name="Platform", state="absent"),
        {"name": "info after", "identity.cloud.beyond_identity_group_info": {"realm": "Default"}},
    ]), expect_rc=0)

    create = run.task("create")
    assert create.changed and create.result["group"]["display_name"] == "Engineering"
    assert create.result["id"] == create.result["group"]["id"]
    created = [(w["method"], w["path"].rsplit("/", 1)[-1]) for w in run.writes(sim, "create")]
    assert created == [("POST", "groups"), ("POST", create.result["id"] + ":addMembers")]

    assert not run.task("again").changed and run.writes(sim, "again") == []
    assert run.task("check change").changed and run.writes(sim, "check change") == []

    change = run.task("change")
    assert change.changed
    assert change.result["diff"] == {
        "before": {"display_name": "Engineering", "description": "Ships code", "members": ["alice"]},
        "after": {"display_name": "Engineering", "description": "Changed", "members": ["bob"]}}
    assert sorted(w["method"] + " " + w["path"].rsplit(":", 1)[-1] for w in run.writes(sim, "change")) == [
        "PATCH /v1/tenants/%s/realms/%s/groups/%s" % (sim.store["tenant"]["id"], DEFAULT_REALM_ID, create.result["id"]),
        "POST addMembers", "POST deleteMembers"]

    assert run.task("add").changed and len(run.writes(sim, "add")) == 1
    assert not run.task("add again").changed and run.writes(sim, "add again") == []
    info = run.task("info").result["groups"]
    assert [g["display_name"] for g in info] == ["Engineering"] and info[0]["description"] == "Changed"
    assert sorted(m["traits"]["username"] for m in info[0]["members"]) == ["alice", "bob"]
    assert run.task("remove").changed and not run.task("remove again").changed
    assert run.writes(sim, "remove again") == []

    rename = run.task("rename by id")
    assert rename.changed and rename.result["group"]["display_name"] == "Platform"
    # The group still has alice: delete removes her first, as the API refuses to delete a group with members.
    delete = run.task("delete")
    assert delete.changed
    assert [w["path"].rsplit("/", 1)[-1].split(":")[-1] for w in run.writes(sim, "delete")] == [
        "deleteMembers", rename.result["id"]]
    assert not run.task("delete again").changed and run.writes(sim, "delete again") == []
    assert run.task("info after").result["groups"] == [] and sim.store["groups"] == {}


def test_members_in_batches_of_1000(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    names = ["user%04d" % n for n in range(2500)]
    with sim.lock:
        for name in names:
            sim._put(IDENTITIES, DEFAULT_REALM_ID,
                     {"display_name": name, "status": "active", "traits": {"type": "traits_v0", "username": name}})
    run = run_playbook(play(sim, [
        group_task("big", display_name="Everyone", members=names),
        group_task("big again", display_name="Everyone", members=names),
        group_task("shrink", display_name="Everyone", members=names[:10]),
    ]), expect_rc=0)
    big = run.task("big")
    assert big.changed
    adds = [w for w in run.writes(sim, "big") if w["path"].endswith(":addMembers")]
    assert len(adds) == 3 and len(run.writes(sim, "big")) == 4  # POST group + 1000 + 1000 + 500
    assert sorted(len(w["body"]["identity_ids"]) for w in adds) == [500, 1000, 1000]
    assert not run.task("big again").changed and run.writes(sim, "big again") == []
    # one read per page: realms, identities (200 a page), groups, members (200 a page)
    reads = [r["path"].rsplit("/", 1)[-1] for r in run.requests(sim, "big again")]
    assert reads.count("identities") == 13 and sum(r.endswith(":listMembers") for r in reads) == 13
    assert len(reads) == 1 + 13 + 1 + 13
    removes = run.writes(sim, "shrink")
    assert len(removes) == 3 and all(w["path"].endswith(":deleteMembers") for w in removes)
    assert sorted(len(w["body"]["identity_ids"]) for w in removes) == [490, 1000, 1000]
    assert member_names(sim, "Everyone") == names[:10]


def test_bad_input_and_faults(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    run = run_playbook(play(sim, [
        dict(group_task("unknown member", display_name="G", members=["alice", "ghost"]), ignore_errors=True),
        dict(group_task("unknown realm", display_name="G", realm="Nowhere"), ignore_errors=True),
        dict(group_task("bad mode", display_name="G", members_mode="replace"), ignore_errors=True),
        dict(group_task("bad concurrency", display_name="G", concurrency=0), ignore_errors=True),
        dict(group_task("empty description", display_name="G", description=""), ignore_errors=True),
        inject(sim, "429", retry_after=1, method="GET", path="/groups$"),
        inject(sim, "5xx", status=503, method="POST", path=":addMembers$"),
        group_task("flaky", display_name="G", members=["alice"]),
    ]))
    unknown = run.task("unknown member")
    assert unknown.failed and "members: no identity with id or username 'ghost' in realm 'Default'" in \
        unknown.result["msg"]
    realm = run.task("unknown realm")
    assert realm.failed and "realm 'Nowhere' not found" in realm.result["msg"] and "'Default'" in realm.result["msg"]
    mode = run.task("bad mode")
    assert mode.failed and "members_mode" in mode.result["msg"] and "set, add, remove" in mode.result["msg"]
    conc = run.task("bad concurrency")
    assert conc.failed and "concurrency must be at least 1, got 0" in conc.result["msg"]
    empty = run.task("empty description")
    assert empty.failed and empty.result["msg"].startswith("description must not be empty")
    for name in ("unknown member", "unknown realm", "bad mode", "bad concurrency", "empty description"):
        assert run.writes(sim, name) == [], name
    flaky = run.task("flaky")
    assert flaky.changed and member_names(sim, "G") == ["alice"]
    statuses = [(e["method"], e["path"].rsplit("/", 1)[-1].split(":")[-1], e["status"])
                for e in run.requests(sim, "flaky") if "/groups" in e["path"]]
    assert statuses[:2] == [("GET", "groups", 429), ("GET", "groups", 200)]
    assert [s for s in statuses if s[1] == "addMembers"] == [("POST", "addMembers", 503), ("POST", "addMembers", 200)]
