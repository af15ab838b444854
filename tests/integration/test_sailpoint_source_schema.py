"""sailpoint_source_schema through ansible-playbook against the SailPoint simulator."""

from tests.simulators.sailpoint import ADMIN_ID
from tests.integration.plays import play, task

MODULE = "identity.cloud.sailpoint_source_schema"


def source(name="HR Feed"):
    return task("source " + name, "identity.cloud.sailpoint_source", name=name, owner=ADMIN_ID,
                connector="delimited-file")


def schemas(sim, source_name="HR Feed"):
    ids = [s["id"] for s in sim.collection("sources").values() if s["name"] == source_name]
    parts = sim.collection("parts").get(ids[0]) if ids else None
    return {s["name"]: s for s in (parts or {}).get("schemas", {}).values()}


def test_five_step_cycle_with_diff_and_set_compare(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    attrs = [{"name": "employeeId", "type": "STRING", "description": "Employee number"},
             {"name": "displayName", "type": "STRING"},
             {"name": "groups", "type": "STRING", "multi": True, "entitlement": True}]
    base = {"source": "HR Feed", "name": "contractor", "native_object_type": "Contractor",
            "identity_attribute": "employeeId", "display_attribute": "displayName", "attributes": attrs}
    reordered = {**base, "attributes": list(reversed(attrs))}
    changed = {**base, "display_attribute": "employeeId", "attributes": attrs[:2]}
    run = run_playbook(play(sim, [
        source(),
        task("create", MODULE, **base),
        task("again reordered", MODULE, **reordered),
        task("check change", MODULE, check=True, **changed),
        dict(task("change", MODULE, **changed), diff=True),
        task("delete", MODULE, source="HR Feed", name="contractor", state="absent"),
        task("delete again", MODULE, source="HR Feed", name="contractor", state="absent"),
        task("absent on a missing source", MODULE, source="No Such Source", name="x", state="absent"),
    ]), diff=True, expect_rc=0)
    create = run.task("create")
    assert create.changed and create.result["schema"]["name"] == "contractor"
    writes = run.writes(sim, "create")
    assert [(w["method"], w["path"].rsplit("/", 1)[1]) for w in writes] == [("POST", "schemas")]
    assert writes[0]["body"]["attributes"][0] == {"name": "displayName", "type": "STRING"}
    assert not run.task("again reordered").changed and run.writes(sim, "again reordered") == []
    assert run.task("check change").changed and run.writes(sim, "check change") == []
    change = run.task("change")
    assert change.changed
    patch = run.writes(sim, "change")
    assert [(w["method"], w["content_type"]) for w in patch] == [("PATCH", "application/json-patch+json")]
    assert sorted(op["path"] for op in patch[0]["body"]) == ["/attributes", "/displayAttribute"]
    assert change.result["diff"]["before"]["display_attribute"] == "displayName"
    assert change.result["diff"]["after"]["display_attribute"] == "employeeId"
    assert '-    "display_attribute": "displayName"' in run.stdout
    assert run.task("delete").changed and run.writes(sim, "delete")
    assert not run.task("delete again").changed and run.writes(sim, "delete again") == []
    assert not run.task("absent on a missing source").changed
    assert "contractor" not in schemas(sim)


def test_bad_input_and_faults(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    sim.inject("429", retry_after=1, method="GET", path="/schemas$")
    sim.inject("5xx", status=503, method="POST", path="/schemas$")
    sim.inject("lost_reply", method="POST", path="/schemas$")
    good = {"source": "HR Feed", "name": "extra", "identity_attribute": "id", "attributes": [{"name": "id"}]}
    run = run_playbook(play(sim, [
        source(),
        task("faults on create", MODULE, **good),
        task("unknown source", MODULE, errors=True, source="No Such Source", name="account"),
        task("bad feature", MODULE, errors=True, source="HR Feed", name="account", features=["FLY"]),
        task("duplicate attribute", MODULE, errors=True, source="HR Feed", name="account",
             attributes=[{"name": "a"}, {"name": "a"}]),
        task("unknown id", MODULE, errors=True, source="HR Feed", id="doesnotexist1", name="account"),
        task("empty name", MODULE, errors=True, source="HR Feed", name=""),
    ]))
    assert run.task("faults on create").changed
    assert [w["method"] for w in run.writes(sim, "faults on create")].count("POST") <= 3
    assert list(schemas(sim)).count("extra") == 1
    assert len([s for s in schemas(sim).values() if s["name"] == "extra"]) == 1
    expected = {
        "unknown source": "source: no source has the name or id 'No Such Source'",
        "bad feature": "value of features must be one or more of",
        "duplicate attribute": "attributes: the name 'a' is given more than once",
        "unknown id": "id: no schema has id 'doesnotexist1'",
        "empty name": "name must not be empty",
    }
    for name, text in expected.items():
        result = run.task(name)
        assert result.failed and text in result.result["msg"], (name, result.result.get("msg"))
        assert "\n" not in result.result["msg"]
        assert run.writes(sim, name) == [], name
