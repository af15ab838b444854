"""sailpoint_source_schema_info, sailpoint_provisioning_policy_info and sailpoint_source_schedule_info."""

from tests.simulators.sailpoint import ADMIN_ID
from tests.integration.plays import play, task


def test_children_info(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    run = run_playbook(play(sim, [
        task("source", "identity.cloud.sailpoint_source", name="HR Feed", owner=ADMIN_ID, connector="delimited-file"),
        task("policy", "identity.cloud.sailpoint_provisioning_policy", source="HR Feed", usage_type="CREATE",
             name="Account"),
        task("schedule", "identity.cloud.sailpoint_source_schedule", source="HR Feed", type="ACCOUNT_AGGREGATION",
             cron_expression="0 0 1 * * ?"),
        task("schemas", "identity.cloud.sailpoint_source_schema_info", source="HR Feed"),
        task("account schema", "identity.cloud.sailpoint_source_schema_info", source="HR Feed", name="account"),
        task("policies", "identity.cloud.sailpoint_provisioning_policy_info", source="HR Feed"),
        task("no such policy", "identity.cloud.sailpoint_provisioning_policy_info", source="HR Feed",
             usage_type="DISABLE"),
        task("schedules", "identity.cloud.sailpoint_source_schedule_info", source="HR Feed",
             type="ACCOUNT_AGGREGATION"),
        task("unknown source", "identity.cloud.sailpoint_source_schedule_info", errors=True, source="Nowhere"),
    ]), expect_rc=0)
    assert sorted(s["name"] for s in run.task("schemas").result["schemas"]) == ["account", "group"]
    assert [s["name"] for s in run.task("account schema").result["schemas"]] == ["account"]
    assert run.task("no such policy").result["policies"] == []
    assert run.writes(sim, "schemas") == []
    assert run.task("unknown source").result["msg"] == "source: no source has the name or id 'Nowhere'"
