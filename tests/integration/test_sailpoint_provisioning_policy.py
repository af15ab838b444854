"""sailpoint_provisioning_policy (single and bulk) through ansible-playbook against the SailPoint simulator."""

from tests.simulators.sailpoint import ADMIN_ID
from tests.integration.plays import play, task

MODULE = "identity.cloud.sailpoint_provisioning_policy"
FIELD = {"name": "displayName", "type": "string",
         "transform": {"type": "identityAttribute", "attributes": {"name": "displayName"}}}


def source(name="HR Feed"):
    return task("source " + name, "identity.cloud.sailpoint_source", name=name, owner=ADMIN_ID,
                connector="delimited-file")


def policies(sim, source_name="HR Feed"):
    ids = [s["id"] for s in sim.collection("sources").values() if s["name"] == source_name]
    return dict((sim.collection("parts").get(ids[0]) or {}).get("policies", {})) if ids else {}


def test_five_step_cycle_with_diff(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    base = {"source": "HR Feed", "usage_type": "CREATE", "name": "Account", "description": "New accounts",
            "fields": [FIELD]}
    changed = {**base, "description": "Changed", "fields": [FIELD, {"name": "mail", "type": "string"}]}
    run = run_playbook(play(sim, [
        source(),
        task("create", MODULE, **base),
        task("again", MODULE, **base),
        task("check change", MODULE, check=True, **changed),
        task("change", MODULE, **changed),
        task("delete", MODULE, source="HR Feed", usage_type="CREATE", state="absent"),
        task("delete again", MODULE, source="HR Feed", usage_type="CREATE", state="absent"),
    ]), diff=True, expect_rc=0)
    assert run.task("create").changed
    assert [(w["method"], w["body"]["usageType"]) for w in run.writes(sim, "create")] == [("POST", "CREATE")]
    assert not run.task("again").changed and run.writes(sim, "again") == []
    assert run.task("check change").changed and run.writes(sim, "check change") == []
    change = run.task("change")
    writes = run.writes(sim, "change")
    assert [(w["method"], w["path"].rsplit("/", 1)[1]) for w in writes] == [("PUT", "CREATE")]
    assert writes[0]["body"]["description"] == "Changed" and len(writes[0]["body"]["fields"]) == 2
    assert change.result["diff"]["before"]["description"] == "New accounts"
    assert '+    "description": "Changed"' in run.stdout
    assert run.task("delete").changed and run.writes(sim, "delete")
    assert not run.task("delete again").changed and run.writes(sim, "delete again") == []
    assert policies(sim) == {}


def test_bulk_updates_in_one_call_bad_input_and_faults(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    sim.inject("429", retry_after=1, method="GET", path="/provisioning-policies/CREATE$")
    sim.inject("5xx", status=503, method="POST", path="/provisioning-policies$")
    sim.inject("lost_reply", method="POST", path="/provisioning-policies$")
    first = [{"usage_type": "CREATE", "name": "Account"}, {"usage_type": "UPDATE", "name": "Update"},
             {"usage_type": "ENABLE", "name": "Enable"}]
    second = [{"usage_type": "CREATE", "name": "Account", "fields": [FIELD]},
              {"usage_type": "UPDATE", "name": "Update v2"}, {"usage_type": "ENABLE", "state": "absent"},
              {"usage_type": "DISABLE", "name": "Disable"}]
    run = run_playbook(play(sim, [
        source(),
        task("single create with faults", MODULE, source="HR Feed", usage_type="CREATE", name="Account"),
        task("bulk", MODULE, source="HR Feed", policies=first),
        task("bulk again", MODULE, source="HR Feed", policies=first),
        task("bulk change", MODULE, source="HR Feed", policies=second),
        task("bad usage type", MODULE, errors=True, source="HR Feed", usage_type="FLY", name="x"),
        task("read-only key", MODULE, errors=True, source="HR Feed", usage_type="CREATE",
             fields=[{"name": "a", "isRequired": True}]),
        task("missing name", MODULE, errors=True, source="HR Feed", usage_type="UNLOCK"),
        task("unknown source", MODULE, errors=True, source="Nowhere", usage_type="CREATE", name="x"),
        task("duplicate item", MODULE, errors=True, source="HR Feed",
             policies=[{"usage_type": "CREATE"}, {"usage_type": "CREATE"}]),
    ]), expect_rc=0)
    assert run.task("single create with faults").changed
    assert run.task("bulk").changed
    assert [r.get("created") for r in run.task("bulk").result["results"]] == [None, True, True]
    assert not run.task("bulk again").changed and run.writes(sim, "bulk again") == []
    writes = run.writes(sim, "bulk change")
    bulk = [w for w in writes if w["path"].endswith("/bulk-update")]
    assert len(bulk) == 1 and sorted(b["usageType"] for b in bulk[0]["body"]) == ["CREATE", "UPDATE"]
    assert sorted(w["method"] for w in writes) == ["DELETE", "POST", "POST"]
    stored = policies(sim)
    assert sorted(stored) == ["CREATE", "DISABLE", "UPDATE"] and stored["UPDATE"]["name"] == "Update v2"
    expected = {
        "bad usage type": "value of usage_type must be one of",
        "read-only key": "fields[0].isRequired: is read-only (the API sets it)",
        "missing name": "name is required to create a policy",
        "unknown source": "source: no source has the name or id 'Nowhere'",
        "duplicate item": "policies: items 1 and 2 both have usage_type 'CREATE'",
    }
    for name, text in expected.items():
        result = run.task(name)
        assert result.failed and text in result.result["msg"], (name, result.result.get("msg"))
        assert run.writes(sim, name) == [], name
