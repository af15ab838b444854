"""beyond_identity_role(+_info), and the roles of groups and identities, through ansible-playbook against the simulator."""

from tests.integration.plays import play, task as plain_task

MODULE = "identity.cloud.beyond_identity_role"
SERVER = {"realm": "Default", "display_name": "Pet API", "identifier": "https://pets.example",
          "scopes": ["pets:read", "pets:write", "pets:admin"]}


def task(title, module=MODULE, **options):
    return plain_task(title, module, **options)


def setup():
    return [task("server", "identity.cloud.beyond_identity_resource_server", **SERVER),
            task("group", "identity.cloud.beyond_identity_group", realm="Default", display_name="Help Desk")]


def role_state(sim):
    """{display name: (members, scopes)} read back from the simulator's store."""
    out = {}
    for role in sim.store["roles"].values():
        members = sim.store["role-members"][role["id"]]
        names = sorted(["identity:" + sim.store["identities"][i]["traits"]["username"] for i in members["identities"]]
                       + ["group:" + sim.store["groups"][g]["display_name"] for g in members["groups"]])
        out[role["display_name"]] = (names, sorted(sim.store["role-scopes"][role["id"]]))
    return out


def test_five_step_cycle_members_scopes_and_info(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    base = {"realm": "Default", "resource_server": "Pet API", "display_name": "Pet keepers",
            "description": "May read and change pets", "members": ["alice", "Help Desk"],
            "scopes": ["pets:read", "pets:write"]}
    run = run_playbook(play(sim, setup() + [
        dict(task("create", **base), register="created"),
        task("again", **{**base, "members": ["group:Help Desk", "ALICE"]}),
        task("check change", check=True, **{**base, "members": ["bob"], "scopes": ["pets:admin"], "scopes_mode": "add"}),
        task("change", **{**base, "members": ["bob"], "scopes": ["pets:admin"], "scopes_mode": "add"}),
        task("remove a scope by id", realm="Default", resource_server="Pet API", id="{{ created.id }}",
             scopes=["pets:write"], scopes_mode="remove"),
        task("roles of the group", "identity.cloud.beyond_identity_group_info", realm="Default",
             display_name="Help Desk", include_roles=True),
        task("roles of bob", "identity.cloud.beyond_identity_identity_info", realm="Default", username="bob",
             include_roles=True),
        task("info", "identity.cloud.beyond_identity_role_info", realm="Default", resource_server="Pet API",
             include_members=True, include_scopes=True),
        task("delete", realm="Default", resource_server="Pet API", display_name="Pet keepers", state="absent"),
        task("delete again", realm="Default", resource_server="Pet API", display_name="Pet keepers", state="absent"),
    ]), diff=True, expect_rc=0)

    create = run.task("create")
    assert create.changed and create.result["role"]["display_name"] == "Pet keepers"
    assert create.result["memberships"] == {
        "members": {"added": ["group:Help Desk", "identity:alice"], "removed": []},
        "scopes": {"added": ["pets:read", "pets:write"], "removed": []}}
    again = run.task("again")
    assert not again.changed and run.writes(sim, "again") == []
    check = run.task("check change")
    assert check.changed and run.writes(sim, "check change") == []
    assert check.result["diff"]["after"]["members"] == ["identity:bob"]
    change = run.task("change")
    assert change.changed and change.result["memberships"]["members"] == {
        "added": ["identity:bob"], "removed": ["group:Help Desk", "identity:alice"]}
    assert sorted(w["path"].rsplit(":", 1)[-1] for w in run.writes(sim, "change")) == [
        "addMembers", "addScopes", "deleteMembers"]
    assert run.task("remove a scope by id").result["memberships"]["scopes"] == {"added": [], "removed": ["pets:write"]}

    assert run.task("roles of the group").result["groups"][0]["roles"] == []
    assert [r["display_name"] for r in run.task("roles of bob").result["identities"][0]["roles"]] == ["Pet keepers"]
    info = run.task("info").result["roles"]
    assert [(r["display_name"], r["members"], r["scopes"]) for r in info] == [
        ("Pet keepers", ["identity:bob"], ["pets:admin", "pets:read"])]

    assert run.task("delete").changed and [w["method"] for w in run.writes(sim, "delete")][-1] == "DELETE"
    assert not run.task("delete again").changed and run.writes(sim, "delete again") == []
    assert role_state(sim) == {}


def test_bad_input_fails_before_any_write(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    base = {"realm": "Default", "resource_server": "Pet API", "display_name": "Pet keepers"}
    run = run_playbook(play(sim, setup() + [
        task("unknown member", errors=True, **{**base, "members": ["alice", "nobody"]}),
        task("unknown scope", errors=True, **{**base, "scopes": ["pets:fly"]}),
        task("unknown server", errors=True, **{**base, "resource_server": "No API"}),
        task("bad name", errors=True, **{**base, "display_name": "a/b"}),
        task("unknown member in check mode", check=True, **{**base, "members": ["nobody"]}),
    ]))
    writes = [w for w in sim.writes() if "/roles" in w["path"]]
    assert writes == []
    assert run.task("unknown member").result["msg"].startswith("members: no identity (id or username) or group")
    assert "'nobody'" in run.task("unknown member").result["msg"]
    assert run.task("unknown scope").result["msg"].startswith("scopes: pets:fly not among the scopes of resource server")
    assert run.task("unknown server").result["msg"].startswith("resource_server: no resource server with id or display")
    assert run.task("bad name").result["msg"].startswith("display_name must match")
    pending = run.task("unknown member in check mode")
    assert pending.changed and pending.result["memberships"]["members"]["added"] == ["nobody"]
