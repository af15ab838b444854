"""sailpoint_source_schedule through ansible-playbook against the SailPoint simulator."""

from tests.simulators.sailpoint import ADMIN_ID
from tests.integration.plays import connection, play, task

MODULE = "identity.cloud.sailpoint_source_schedule"


def schedules(sim, source_name="HR Feed"):
    ids = [s["id"] for s in sim.collection("sources").values() if s["name"] == source_name]
    return dict((sim.collection("parts").get(ids[0]) or {}).get("schedules", {})) if ids else {}


def test_five_step_cycle_bad_cron_and_faults(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    sim.inject("5xx", status=503, method="POST", path="/schedules$")
    sim.inject("lost_reply", method="POST", path="/schedules$")
    sim.inject("429", retry_after=1, method="PATCH", path="/schedules/ACCOUNT_AGGREGATION$")
    base = {"source": "HR Feed", "type": "ACCOUNT_AGGREGATION", "cron_expression": "0 30 2 * * ?"}
    changed = dict(base, cron_expression="0 0 4 ? * MON-FRI")
    run = run_playbook(play(sim, [
        task("source", "identity.cloud.sailpoint_source", name="HR Feed", owner=ADMIN_ID, connector="delimited-file"),
        task("create", MODULE, **base),
        task("again", MODULE, **base),
        task("check change", MODULE, check=True, **changed),
        task("change", MODULE, **changed),
        task("bad cron", MODULE, errors=True, **dict(base, cron_expression="every night")),
        task("bad cron field", MODULE, errors=True, **dict(base, cron_expression="0 61 2 * * ?")),
        task("two question marks", MODULE, errors=True, **dict(base, cron_expression="0 0 2 ? * ?")),
        task("bad type", MODULE, errors=True, **dict(base, type="HOURLY")),
        task("delete", MODULE, source="HR Feed", type="ACCOUNT_AGGREGATION", state="absent"),
        task("delete again", MODULE, source="HR Feed", type="ACCOUNT_AGGREGATION", state="absent"),
    ]), diff=True, expect_rc=0)
    assert run.task("create").changed
    assert [w["method"] for w in run.writes(sim, "create")].count("POST") <= 2
    assert not run.task("again").changed and run.writes(sim, "again") == []
    assert run.task("check change").changed and run.writes(sim, "check change") == []
    change = run.task("change")
    assert change.changed and change.result["diff"]["after"]["cron_expression"] == "0 0 4 ? * MON-FRI"
    patch = [w for w in run.writes(sim, "change") if w["status"] == 200]
    assert [op["path"] for op in patch[0]["body"]] == ["/cronExpression"]
    assert '+    "cron_expression": "0 0 4 ? * MON-FRI"' in run.stdout
    for name, text in {"bad cron": "needs 6 or 7 fields", "bad cron field": "minutes 61 outside 0-59",
                       "two question marks": "exactly one of day-of-month and day-of-week",
                       "bad type": "value of type must be one of"}.items():
        result = run.task(name)
        assert result.failed and text in result.result["msg"], (name, result.result.get("msg"))
        assert run.writes(sim, name) == [], name
    assert run.task("delete").changed and not run.task("delete again").changed
    assert run.writes(sim, "delete again") == [] and schedules(sim) == {}


def test_api_version_v1(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    run = run_playbook(play(sim, [
        task("source", "identity.cloud.sailpoint_source", name="V1 Feed", owner=ADMIN_ID, connector="delimited-file"),
        task("schedule", MODULE, source="V1 Feed", type="GROUP_AGGREGATION", cron_expression="0 0 1 * * ?"),
        task("schema", "identity.cloud.sailpoint_source_schema", source="V1 Feed", name="group",
             attributes=[{"name": "id"}, {"name": "name"}]),
        task("policy", "identity.cloud.sailpoint_provisioning_policy", source="V1 Feed", usage_type="CREATE",
             name="Account"),
    ], defaults=dict(connection(sim), api_version="v1")), expect_rc=0)
    for name in ("schedule", "policy"):
        assert run.task(name).changed
        assert all(w["path"].startswith("/sources/v1/") for w in run.writes(sim, name)), name
    assert not run.task("schema").changed  # the group schema a new source has, with the same attributes
    assert schedules(sim, "V1 Feed")["GROUP_AGGREGATION"]["cronExpression"] == "0 0 1 * * ?"
