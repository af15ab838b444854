"""sailpoint_transform and sailpoint_transform_info through ansible-playbook against the SailPoint simulator."""

from tests.integration.plays import connection, play, task

MODULE = "identity.cloud.sailpoint_transform"


def stored(sim):
    return dict((t["name"], t) for t in sim.collection("transforms").values() if not t.get("internal"))


def test_five_step_cycle_with_diff_and_merge(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    base = {"name": "Department Lookup", "type": "lookup",
            "attributes": {"table": {"ENG": "Engineering", "default": "Unknown"}}}
    more = {"name": "Department Lookup", "attributes": {"table": {"HR": "Human Resources"}}}
    run = run_playbook(play(sim, [
        task("create", MODULE, **base),
        task("again", MODULE, **base),
        task("check change", MODULE, check=True, **more),
        task("change", MODULE, **more),
        dict(task("info", "identity.cloud.sailpoint_transform_info", name="Department Lookup"), register="found"),
        task("delete", MODULE, name="Department Lookup", state="absent"),
        task("delete again", MODULE, name="Department Lookup", state="absent"),
    ]), diff=True, expect_rc=0)
    assert run.task("create").changed
    assert [(w["method"], w["body"]["type"]) for w in run.writes(sim, "create")] == [("POST", "lookup")]
    assert not run.task("again").changed and run.writes(sim, "again") == []
    assert run.task("check change").changed and run.writes(sim, "check change") == []
    writes = run.writes(sim, "change")
    assert [w["method"] for w in writes] == ["PUT"]
    # merged key by key: the code given is added, the ones not given are kept
    assert writes[0]["body"]["attributes"]["table"] == {"ENG": "Engineering", "default": "Unknown", "HR": "Human Resources"}
    assert run.task("change").result["diff"]["after"]["attributes"] == {"table": {"HR": "Human Resources"}}
    assert [t["name"] for t in run.task("info").result["transforms"]] == ["Department Lookup"]
    assert run.task("delete").changed and [w["method"] for w in run.writes(sim, "delete")] == ["DELETE"]
    assert not run.task("delete again").changed and run.writes(sim, "delete again") == []
    assert stored(sim) == {}


def test_bad_input_fails_before_any_write(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    run = run_playbook(play(sim, [
        task("unknown type", MODULE, errors=True, name="T1", type="toUpper", attributes={}),
        task("missing key", MODULE, errors=True, check=True, name="T2", type="static", attributes={}),
        task("wrong key", MODULE, errors=True, name="T3", type="lower", attributes={"inputs": {}}),
        task("create", MODULE, name="T4", type="static", attributes={"values": "x"}),
        task("type change", MODULE, errors=True, name="T4", type="upper"),
    ]))
    assert "type must be one of" in run.task("unknown type").result["msg"]
    assert run.task("missing key").result["msg"] == "attributes: values is required"
    assert run.task("wrong key").result["msg"].startswith("attributes.inputs: unknown key (the API takes input")
    assert "type cannot be changed on an existing transform" in run.task("type change").result["msg"]
    assert [w["method"] for w in sim.log if w["write"]] == ["POST"]
    assert list(stored(sim)) == ["T4"]


def test_api_version_v1_per_resource_tree(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    base = {"name": "Upper", "type": "upper", "attributes": {}}
    run = run_playbook(play(sim, [
        task("create", MODULE, **base),
        task("again", MODULE, **base),
        task("change", MODULE, name="Upper", attributes={"input": {"type": "static", "attributes": {"values": "x"}}}),
        task("delete", MODULE, name="Upper", state="absent"),
    ], defaults=dict(connection(sim), api_version="v1")), expect_rc=0)
    assert run.task("create").changed and not run.task("again").changed and run.task("change").changed
    paths = {e["path"] for e in sim.log if not e["auth"]}
    assert paths and all(p.startswith("/transforms/v1") for p in paths), paths
    assert [e["method"] for e in sim.log if e["write"]] == ["POST", "PUT", "DELETE"]
    assert stored(sim) == {}
