"""beyond_identity_identity (+ _info) through ansible-playbook against the simulator: the single form."""

from tests.simulators.beyond_identity import DEFAULT_REALM_ID, TENANT_ID
from tests.integration.plays import inject, play


def identity_task(title, **args):
    args.setdefault("realm", "Default")
    return {"name": title, "identity.cloud.beyond_identity_identity": args}


def group_task(title, **args):
    args.setdefault("realm", "Default")
    return {"name": title, "identity.cloud.beyond_identity_group": args}


def stored(sim, username):
    found = [i for i in sim.store["identities"].values() if i["traits"]["username"].lower() == username.lower()]
    return found[0] if found else None


def groups_of(sim, username):
    ident = stored(sim, username)["id"]
    return sorted(sim.store["groups"][g]["display_name"] for g, members in sim.store["memberships"].items()
                  if ident in members)


def test_five_step_cycle_with_groups_and_status(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    base = {"username": "carol", "display_name": "Carol", "email": "carol@example.com", "groups": ["Eng"]}
    run = run_playbook(play(sim, [
        group_task("eng", display_name="Eng"),
        group_task("ops", display_name="Ops"),
        dict(identity_task("create", **base), register="created"),
        identity_task("again", **{**base, "username": "CAROL", "realm": DEFAULT_REALM_ID}),
        dict(identity_task("check change", **{**base, "status": "suspended", "groups": ["Ops"]}), check_mode=True),
        dict(identity_task("change", **{**base, "status": "suspended", "email": "c@example.com", "groups": ["Ops"]}),
             diff=True),
        identity_task("add group", username="carol", groups=["Eng"], groups_mode="add"),
        identity_task("add group again", username="carol", groups=["Eng", "Ops"], groups_mode="add"),
        identity_task("remove group", username="carol", groups=["Ops"], groups_mode="remove"),
        {"name": "info", "identity.cloud.beyond_identity_identity_info": {
            "realm": "Default", "username": "Carol", "include_groups": True}},
        {"name": "info suspended", "identity.cloud.beyond_identity_identity_info": {
            "realm": "Default", "status": "suspended"}},
        {"name": "info email", "identity.cloud.beyond_identity_identity_info": {
            "realm": "Default", "email": "alice@example.com"}},
        identity_task("reactivate by id", id="{{ created.id }}", status="active"),
        identity_task("delete", username="carol", state="absent"),
        identity_task("delete again", username="carol", state="absent"),
    ]), expect_rc=0)

    create = run.task("create")
    assert create.changed and create.result["identity"]["traits"]["username"] == "carol"
    assert create.result["id"] == create.result["identity"]["id"]
    assert [w["path"].rsplit("/", 1)[-1] for w in run.writes(sim, "create")] == [
        "identities", run.task("eng").result["id"] + ":addMembers"]
    assert not run.task("again").changed and run.writes(sim, "again") == []
    assert run.task("check change").changed and run.writes(sim, "check change") == []

    change = run.task("change")
    assert change.changed and change.result["identity"]["status"] == "suspended"
    assert change.result["diff"] == {
        "before": {"username": "carol", "display_name": "Carol", "email": "carol@example.com", "status": "active",
                   "groups": ["Eng"]},
        "after": {"username": "carol", "display_name": "Carol", "email": "c@example.com", "status": "suspended",
                  "groups": ["Ops"]}}
    patch = [w for w in run.writes(sim, "change") if w["method"] == "PATCH"]
    assert len(patch) == 1 and len(run.writes(sim, "change")) == 3

    assert run.task("add group").changed and len(run.writes(sim, "add group")) == 1
    assert not run.task("add group again").changed and run.writes(sim, "add group again") == []
    assert run.task("remove group").changed
    info = run.task("info").result["identities"]
    assert [i["traits"]["username"] for i in info] == ["carol"]
    assert info[0]["traits"]["primary_email_address"] == "c@example.com"
    assert [g["display_name"] for g in info[0]["groups"]] == ["Eng"]
    assert [i["traits"]["username"] for i in run.task("info suspended").result["identities"]] == ["carol"]
    assert [i["traits"]["username"] for i in run.task("info email").result["identities"]] == ["alice"]
    reactivate = run.task("reactivate by id")
    assert reactivate.changed and reactivate.result["identity"]["status"] == "active"

    # carol is still in Eng: delete takes her out first, as the API refuses to delete a group member
    delete = run.task("delete")
    assert delete.changed
    assert [w["path"].rsplit("/", 1)[-1].split(":")[-1] for w in run.writes(sim, "delete")] == [
        "deleteMembers", create.result["id"]]
    assert not run.task("delete again").changed and run.writes(sim, "delete again") == []
    assert stored(sim, "carol") is None


def test_bad_input_and_faults(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    run = run_playbook(play(sim, [
        dict(identity_task("no display name", username="dave"), ignore_errors=True),
        dict(identity_task("unknown group", username="alice", groups=["Nope"]), ignore_errors=True),
        dict(identity_task("bad status", username="alice", status="locked"), ignore_errors=True),
        dict(identity_task("both forms", username="alice", identities=[{"username": "bob"}]), ignore_errors=True),
        dict(identity_task("duplicate items", identities=[{"username": "bob"}, {"username": "BOB"}]),
             ignore_errors=True),
        dict(identity_task("taken username", id=stored(sim, "bob")["id"], username="Alice"), ignore_errors=True),
        inject(sim, "429", retry_after=1, method="GET", path="/identities$"),
        inject(sim, "5xx", status=503, method="PATCH", path="/identities/"),
        identity_task("flaky", username="alice", display_name="Alice A."),
    ]))
    assert "display_name is required to create identity 'dave'" in run.task("no display name").result["msg"]
    assert "groups: no group with id or display name 'Nope' in realm 'Default'" in \
        run.task("unknown group").result["msg"]
    assert "status" in run.task("bad status").result["msg"] and "suspended" in run.task("bad status").result["msg"]
    assert "mutually exclusive" in run.task("both forms").result["msg"]
    assert "items 1 and 2 both have username 'BOB'" in run.task("duplicate items").result["msg"]
    for name in ("no display name", "unknown group", "bad status", "both forms", "duplicate items"):
        assert run.task(name).failed and run.writes(sim, name) == [], name
    taken = run.task("taken username")
    assert taken.failed and taken.result["msg"].startswith(
        "PATCH /v1/tenants/%s/realms/%s/identities/" % (TENANT_ID, DEFAULT_REALM_ID))
    assert "HTTP 409" in taken.result["msg"] and "username already exists" in taken.result["msg"]
    flaky = run.task("flaky")
    assert flaky.changed and stored(sim, "alice")["display_name"] == "Alice A."
    statuses = [(e["method"], e["status"]) for e in run.requests(sim, "flaky") if "/identities" in e["path"]]
    assert statuses == [("GET", 429), ("GET", 200), ("PATCH", 503), ("PATCH", 200)]


def test_create_whose_answer_is_lost_is_found_not_sent_again(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    run = run_playbook(play(sim, [
        inject(sim, "lost_reply", method="POST", path="/identities$"),
        identity_task("answer lost", username="dora", display_name="Dora"),
    ]), expect_rc=0)
    lost = run.task("answer lost")
    assert lost.changed and lost.result["identity"]["traits"]["username"] == "dora"
    assert [(w["status"], w.get("reply_lost")) for w in run.writes(sim, "answer lost")] == [(200, True)]
    assert stored(sim, "dora")["id"] == lost.result["id"]
