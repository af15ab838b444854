"""beyond_identity_resource_server(+_info) through ansible-playbook against the simulator."""

from tests.simulators.beyond_identity import DEFAULT_REALM_ID, MANAGEMENT_RS_ID, RESOURCE_SERVERS
from tests.integration.plays import play, task as plain_task

MODULE = "identity.cloud.beyond_identity_resource_server"


def task(title, module=MODULE, **options):
    return plain_task(title, module, **options)


def servers(sim, realm_id=DEFAULT_REALM_ID):
    return {s["display_name"]: s for s in sim.store["resource-servers"].values() if s["realm_id"] == realm_id}


def test_five_step_cycle_and_diff(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    base = {"realm": "Default", "display_name": "Pet API", "identifier": "https://api.example.com/pets",
            "scopes": ["pets:read", "pets:write"]}
    run = run_playbook(play(sim, [
        dict(task("create", **base), register="created"),
        task("again, scopes reordered", **{**base, "scopes": ["pets:write", "pets:read"]}),
        task("check change", check=True, **{**base, "scopes": ["pets:read", "pets:admin"]}),
        task("change", **{**base, "realm": DEFAULT_REALM_ID, "scopes": ["pets:read", "pets:admin"]}),
        task("rename by id", id="{{ created.id }}", realm="Default", display_name="Pets"),
        task("delete", realm="Default", display_name="Pets", state="absent"),
        task("delete again", realm="Default", display_name="Pets", state="absent"),
    ]), diff=True, expect_rc=0)

    create = run.task("create")
    assert create.changed and create.result["resource_server"]["identifier"] == "https://api.example.com/pets"
    assert create.result["id"] == create.result["resource_server"]["id"]
    assert [(w["method"], w["path"].rsplit("/", 1)[-1]) for w in run.writes(sim, "create")] == [
        ("POST", "resource-servers")]

    again = run.task("again, scopes reordered")
    assert not again.changed and run.writes(sim, "again, scopes reordered") == []

    check = run.task("check change")
    assert check.changed and run.writes(sim, "check change") == []
    assert sorted(check.result["resource_server"]["scopes"]) == ["pets:admin", "pets:read"]

    change = run.task("change")
    assert change.changed
    assert sorted(change.result["diff"]["before"]["scopes"]) == ["pets:read", "pets:write"]
    assert sorted(change.result["diff"]["after"]["scopes"]) == ["pets:admin", "pets:read"]
    writes = run.writes(sim, "change")
    assert [w["method"] for w in writes] == ["PATCH"]

    rename = run.task("rename by id")
    assert rename.changed and rename.result["resource_server"]["display_name"] == "Pets"
    assert rename.result["diff"] == {"before": {"display_name": "Pet API"}, "after": {"display_name": "Pets"}}

    assert run.task("delete").changed and [w["method"] for w in run.writes(sim, "delete")] == ["DELETE"]
    assert not run.task("delete again").changed and run.writes(sim, "delete again") == []
    assert servers(sim) == {}
    assert "--- before" in run.stdout and "+++ after" in run.stdout


def test_bad_input_and_managed(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    run = run_playbook(play(sim, [
        task("reserved identifier", errors=True, realm="Default", display_name="Mine", identifier="beyondidentity"),
        task("unknown realm", errors=True, realm="Nowhere", display_name="Mine"),
        task("unknown id", errors=True, realm="Default", id="no-such-id", scopes=["a"]),
        task("change managed", errors=True, realm="Beyond Identity Admin",
             display_name="Beyond Identity Management API", scopes=["only:this"]),
        task("delete managed", errors=True, realm="Beyond Identity Admin",
             display_name="Beyond Identity Management API", state="absent"),
        task("managed unchanged", realm="Beyond Identity Admin", display_name="Beyond Identity Management API",
             identifier="beyondidentity"),
    ]))
    msg = run.task("reserved identifier").result["msg"]
    assert run.task("reserved identifier").failed and "identifier 'beyondidentity' is reserved" in msg
    assert "realm 'Nowhere' not found" in run.task("unknown realm").result["msg"]
    assert "id 'no-such-id': no such resource_server" in run.task("unknown id").result["msg"]
    for name in ("change managed", "delete managed"):
        assert run.task(name).failed and "managed by Beyond Identity and read-only" in run.task(name).result["msg"]
    assert not run.task("managed unchanged").changed and not run.task("managed unchanged").failed
    assert sim.writes() == []
    assert MANAGEMENT_RS_ID in sim.store["resource-servers"]


def test_info_and_faults(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    for number in range(105):  # more than one page of 100
        sim._put(RESOURCE_SERVERS, DEFAULT_REALM_ID, {"display_name": "rs%03d" % number, "is_managed": False,
                                                      "identifier": "urn:rs%03d" % number, "scopes": []})
    sim.inject("429", retry_after=1, method="GET", path="/resource-servers$")
    sim.inject("5xx", status=503, method="POST", path="/resource-servers$")
    info = "identity.cloud.beyond_identity_resource_server_info"
    run = run_playbook(play(sim, [
        task("create", realm="Default", display_name="Pet API", identifier="https://pets", scopes=["a"]),
        task("all", module=info, realm="Default"),
        task("by name", module=info, realm="Default", display_name="rs007"),
        task("by identifier", module=info, realm="Beyond Identity Admin", identifier="beyondidentity"),
        task("by id", module=info, realm="Beyond Identity Admin", id=MANAGEMENT_RS_ID),
        task("missing id", module=info, realm="Default", id="nope"),
    ]), expect_rc=0)
    assert run.task("create").changed
    statuses = [(e["method"], e["status"]) for e in run.requests(sim, "create") if e["path"].endswith("servers")]
    assert statuses[:2] == [("GET", 429), ("GET", 200)] and statuses[-2:] == [("POST", 503), ("POST", 200)]
    assert len(run.task("all").result["resource_servers"]) == 106
    assert [s["identifier"] for s in run.task("by name").result["resource_servers"]] == ["urn:rs007"]
    assert [s["id"] for s in run.task("by identifier").result["resource_servers"]] == [MANAGEMENT_RS_ID]
    assert run.task("by id").result["resource_servers"][0]["is_managed"] is True
    assert run.task("missing id").result["resource_servers"] == []
