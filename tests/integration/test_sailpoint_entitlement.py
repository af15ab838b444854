"""sailpoint_entitlement (single and bulk), sailpoint_entitlement_info and sailpoint_source_entitlements through
ansible-playbook against the SailPoint simulator: entitlements come from aggregation, the module governs them."""

from tests.simulators.sailpoint import ADMIN_ID
from tests.integration.plays import play, task

MODULE = "identity.cloud.sailpoint_entitlement"
VALUES = ("Payroll Admins", "Payroll Readers", "HR Clerks", "HR Admins")


def source_task(name="HR Feed"):
    return task("source " + name, "identity.cloud.sailpoint_source", name=name, owner=ADMIN_ID,
                connector="delimited-file")


def seeded(sim, run_playbook, names=("HR Feed",), values=VALUES):
    run_playbook(play(sim, [source_task(name) for name in names]), expect_rc=0)
    for name in names:
        source_id = next(s["id"] for s in sim.collection("sources").values() if s["name"] == name)
        sim.seed_entitlements(source_id, list(values))


def stored(sim, value, source="HR Feed"):
    return next(e for e in sim.collection("entitlements").values()
                if e["value"] == value and e["source"]["name"] == source)


def test_five_step_cycle_with_diff(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    seeded(sim, run_playbook)
    base = {"source": "HR Feed", "value": "Payroll Admins", "requestable": True, "owner": "Ada Admin",
            "description": "Administers payroll", "access_model_metadata": [{"key": "iscPrivacy", "values": ["private"]}],
            "request_config": {"access_request_config": {"request_comment_required": True,
                                                         "approval_schemes": [{"approver_type": "MANAGER"}]}}}
    changed = {**base, **dict(privileged=True, description="Changed",
                              access_model_metadata=[{"key": "iscPrivacy", "values": ["public"]}],
                              request_config={"access_request_config": {"denial_comment_required": True}})}
    run = run_playbook(play(sim, [
        task("set", MODULE, **base),
        task("again", MODULE, **base),
        task("check change", MODULE, check=True, **changed),
        task("change", MODULE, **changed),
        task("change again", MODULE, **changed),
        task("missing", MODULE, errors=True, source="HR Feed", value="Nobody", requestable=True),
        task("missing in check mode", MODULE, check=True, errors=True, source="HR Feed", value="Nobody", requestable=True),
        task("pending source in check mode", MODULE, check=True, source="Not Yet", value="x", requestable=True),
    ]), diff=True, expect_rc=0)
    assert run.task("set").changed and run.writes(sim, "set")
    assert not run.task("again").changed and run.writes(sim, "again") == []
    assert run.task("check change").changed and run.writes(sim, "check change") == []
    change = run.task("change")
    assert change.changed and sorted(change.result["changed_fields"]) == [
        "access_model_metadata", "description", "privileged", "request_config"]
    patches = [w for w in run.writes(sim, "change") if w["method"] == "PATCH"]
    assert len(patches) == 1 and sorted(op["path"] for op in patches[0]["body"]) == ["/description", "/privileged"]
    assert change.result["diff"]["before"]["description"] == "Administers payroll"
    assert not run.task("change again").changed and run.writes(sim, "change again") == []
    ent = stored(sim, "Payroll Admins")
    assert ent["requestable"] and ent["privileged"] and ent["description"] == "Changed"
    assert ent["owner"]["id"] == ADMIN_ID
    values = [v["value"] for a in ent["accessModelMetadata"]["attributes"] if a["key"] == "iscPrivacy" for v in a["values"]]
    assert values == ["public"]
    config = sim.collection("entitlement-request-configs")[ent["id"]]["accessRequestConfig"]
    assert config["requestCommentRequired"] is True and config["denialCommentRequired"] is True  # merged key by key
    assert [s["approverType"] for s in config["approvalSchemes"]] == ["MANAGER"]
    for name in ("missing", "missing in check mode"):
        result = run.task(name)
        assert result.failed and "source 'HR Feed' has no entitlement with value 'Nobody'" in result.result["msg"], name
        assert run.writes(sim, name) == []
    pending = run.task("pending source in check mode")
    assert pending.changed and "does not exist yet" in pending.result["msg"]


def test_bulk_uses_bulk_update_and_checks_every_item_first(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    seeded(sim, run_playbook, names=("HR Feed", "Other Feed"))
    items = [{"value": v} for v in VALUES]
    run = run_playbook(play(sim, [
        task("bulk requestable", MODULE, source="HR Feed", requestable=True, entitlements=items),
        task("bulk again", MODULE, source="HR Feed", requestable=True, entitlements=items),
        task("bulk mixed", MODULE, source="HR Feed", entitlements=[
            {"value": "Payroll Admins", "privileged": True}, {"value": "HR Admins", "privileged": True},
            {"value": "HR Clerks", "description": "Clerks"},
            {"source": "Other Feed", "value": "HR Clerks", "requestable": True}]),
        task("bad item", MODULE, errors=True, source="HR Feed", entitlements=[
            {"value": "Payroll Admins", "requestable": False}, {"value": "Ghost", "requestable": False}]),
        task("bad owner", MODULE, errors=True, source="HR Feed", entitlements=[
            {"value": "Payroll Admins", "requestable": False}, {"value": "HR Admins", "owner": "Nobody Atall"}]),
        task("duplicate", MODULE, errors=True, source="HR Feed", entitlements=[
            {"value": "Payroll Admins"}, {"value": "Payroll Admins"}]),
        task("info", "identity.cloud.sailpoint_entitlement_info", source="HR Feed", filters="requestable eq true"),
        task("info one", "identity.cloud.sailpoint_entitlement_info", source="HR Feed", value="HR Clerks",
             parents=True, children=True),
        task("v1 tree", MODULE, api_version="v1", source="HR Feed", value="Payroll Readers", description="Readers v1"),
    ]), expect_rc=0)
    first = run.writes(sim, "bulk requestable")
    assert [(w["method"], w["path"].split("/")[-1]) for w in first] == [("POST", "bulk-update")]
    assert sorted(first[0]["body"]["jsonPatch"], key=str) == [{"op": "replace", "path": "/requestable", "value": True}]
    assert len(first[0]["body"]["entitlementIds"]) == 4
    assert [r["changed"] for r in run.task("bulk requestable").result["results"]] == [True] * 4
    assert not run.task("bulk again").changed and run.writes(sim, "bulk again") == []
    mixed = run.writes(sim, "bulk mixed")
    assert sorted((w["method"], w["path"].split("/")[-1]) for w in mixed) == sorted([
        ("PATCH", stored(sim, "HR Clerks")["id"]), ("PATCH", stored(sim, "HR Clerks", "Other Feed")["id"]),
        ("POST", "bulk-update")])
    assert stored(sim, "HR Admins")["privileged"] and stored(sim, "HR Clerks")["description"] == "Clerks"
    assert stored(sim, "HR Clerks", "Other Feed")["requestable"]
    expected = {"bad item": "entitlements[1].value: source 'HR Feed' has no entitlement with value 'Ghost'",
                "bad owner": "entitlements[1].owner: no identity named 'Nobody Atall'",
                "duplicate": "entitlements: items 1 and 2 name the same entitlement 'Payroll Admins'"}
    for name, text in expected.items():
        result = run.task(name)
        assert result.failed and text in result.result["msg"], (name, result.result["msg"])
        assert run.writes(sim, name) == [], name
    assert sorted(e["value"] for e in run.task("info").result["entitlements"]) == sorted(VALUES)
    assert [w["path"] for w in run.writes(sim, "v1 tree")] == ["/entitlements/v1/" + stored(sim, "Payroll Readers")["id"]]
    assert stored(sim, "Payroll Readers")["description"] == "Readers v1"
    one = run.task("info one").result["entitlements"]
    assert [e["value"] for e in one] == ["HR Clerks"] and one[0]["parents"] == [] and one[0]["children"] == []


def test_aggregate_and_reset_by_source(sailpoint_sim, run_playbook, tmp_path):
    sim = sailpoint_sim
    groups = tmp_path / "groups.csv"
    groups.write_text("id,name,displayName\nPayroll Admins,Payroll Admins,Payroll administrators\n"
                      "HR Clerks,HR Clerks,HR clerks\n")
    action = "identity.cloud.sailpoint_source_entitlements"
    run = run_playbook(play(sim, [
        source_task(),
        task("aggregate", action, source="HR Feed", file=str(groups)),
        task("reset in check mode", action, check=True, source="HR Feed", action="reset"),
        task("count", "identity.cloud.sailpoint_entitlement_info", source="HR Feed"),
        task("reset", action, source="HR Feed", action="reset"),
        task("file with reset", action, errors=True, source="HR Feed", action="reset", file=str(groups)),
        task("unknown source", action, errors=True, source="Nowhere"),
    ]), expect_rc=0)
    aggregate = run.task("aggregate")
    assert aggregate.changed and aggregate.result["completion_status"] == "SUCCESS"
    assert [w["path"].split("/")[2:4] for w in run.writes(sim, "aggregate")] == [["entitlements", "aggregate"]]
    assert sorted(e["value"] for e in run.task("count").result["entitlements"]) == ["HR Clerks", "Payroll Admins"]
    assert run.task("reset in check mode").changed and run.writes(sim, "reset in check mode") == []
    assert run.task("reset").result["completion_status"] == "SUCCESS"
    assert [e for e in sim.collection("entitlements").values() if e["source"]["name"] == "HR Feed"] == []
    assert "file is only used with action aggregate" in run.task("file with reset").result["msg"]
    assert "source: no source has the name or id 'Nowhere'" in run.task("unknown source").result["msg"]
    for name in ("file with reset", "unknown source"):
        assert run.task(name).failed and run.writes(sim, name) == []
