"""identity.cloud.sailpoint_source_onboarding from the user's side: check mode of a source that does not
exist yet reports every part as pending and goes on; bad input fails before the first write; a run that
failed after creating the source is finished by the corrected re-run, first aggregation included; the
summary names every object without --diff; the variable the role needs is required."""

from tests.integration.plays import connection
from tests.simulators.sailpoint import ADMIN_ID

ROLE = "identity.cloud.sailpoint_source_onboarding : "


def source(accounts, **overrides):
    return dict({
        "name": "Payroll Feed", "owner": ADMIN_ID, "connector": "delimited-file",
        "schemas": [{"name": "account", "identity_attribute": "id", "display_attribute": "name",
                     "attributes": [{"name": "id", "type": "STRING"}, {"name": "name", "type": "STRING"}]}],
        "provisioning_policies": [{"usage_type": "CREATE", "name": "Account", "fields": [{"name": "name"}]}],
        "correlation_config": {"attribute_assignments": [{"property": "uid", "value": "id", "operation": "EQ"}]},
        "schedules": [{"type": "ACCOUNT_AGGREGATION", "cron_expression": "0 30 2 * * ?"}],
        "aggregation_file": str(accounts)}, **overrides)


def onboarding(sim, sources, after=()):
    """The role, then the tenant read back through the API (the source's accounts and schedules)."""
    plays = [{"hosts": "localhost", "gather_facts": False,
              "module_defaults": {"group/identity.cloud.sailpoint": connection(sim)},
              "roles": [{"role": "identity.cloud.sailpoint_source_onboarding",
                         "sailpoint_source_onboarding_sources": sources}]}]
    if after:
        plays.append({"hosts": "localhost", "gather_facts": False,
                      "module_defaults": {"group/identity.cloud.sailpoint": connection(sim)}, "tasks": list(after)})
    return plays


def writes(sim):
    return [e for e in sim.log if e["write"]]


def last(run, name):
    """The last run of the role's task ``name`` (outside check mode the parts run twice: checked, then for real)."""
    return [t for t in run.tasks if t["name"] == ROLE + name][-1]


def summary(run):
    return run.task(ROLE + "Summarise the changes").result["ansible_facts"]["sailpoint_source_onboarding_drift"]


def test_pending_source_in_check_mode_then_converge(sailpoint_sim, run_playbook, tmp_path):
    sim = sailpoint_sim
    accounts = tmp_path / "payroll.csv"
    accounts.write_text("id,name\nP1,Ada\nP2,Bob\n")

    check = run_playbook(onboarding(sim, [source(accounts)]), check=True, expect_rc=0)
    assert writes(sim) == []
    pending = last(check, "Schemas").result["results"][0]
    assert pending["changed"] and "source 'Payroll Feed' does not exist yet; would create" in pending["msg"]
    drift = summary(check)["sailpoint"]
    assert drift["source"]["created"] == ["Payroll Feed"]
    assert drift["schema"]["created"] == ["Payroll Feed: account"]
    assert drift["provisioning_policy"]["created"] == ["Payroll Feed: CREATE"]
    assert drift["correlation_config"]["created"] == ["Payroll Feed"]
    assert drift["schedule"]["created"] == ["Payroll Feed: ACCOUNT_AGGREGATION"]
    assert drift["connection_test"]["actions"] == {"Payroll Feed": ["test_connection"]}
    assert drift["aggregation"]["actions"] == {"Payroll Feed": ["import_accounts"]}

    # a bad cron expression fails before the first write, in the check pass
    bad = run_playbook(onboarding(sim, [source(accounts, schedules=[{"type": "ACCOUNT_AGGREGATION",
                                                                    "cron_expression": "every night"}])]), expect_rc=2)
    assert "cron_expression 'every night' is not a cron expression" in bad.stdout
    assert writes(sim) == []
    # a schema attribute without a name too
    bad = run_playbook(onboarding(sim, [source(accounts, schemas=[{"name": "account", "attributes": [
        {"type": "STRING"}]}])]), expect_rc=2)
    assert "missing required arguments: name found in attributes" in bad.stdout
    assert writes(sim) == []

    # the source is created, then the connection test fails: no aggregation in this run
    sim.connector_healthy = False
    failed = run_playbook(onboarding(sim, [source(accounts)]), expect_rc=2)
    assert last(failed, "Test the connections").failed
    sim.connector_healthy = True
    fixed = run_playbook(onboarding(sim, [source(accounts)], after=[
        {"name": "Read the source back", "identity.cloud.sailpoint_source_info": {"name": "Payroll Feed"},
         "register": "found"},
        {"name": "Read its schedules back", "identity.cloud.sailpoint_source_schedule_info": {"source": "Payroll Feed"}}]),
        expect_rc=0)
    aggregation = last(fixed, "Aggregation (first - only a source never aggregated - or always; waited for)")
    assert aggregation.changed, "the corrected re-run must run the first aggregation the failed run never ran"
    assert aggregation.result["results"][0]["counts"]["created"] == 2
    assert [s["name"] for s in fixed.task("Read the source back").result["sources"]] == ["Payroll Feed"]
    schedules = fixed.task("Read its schedules back").result["schedules"]
    assert [s["cronExpression"] for s in schedules] == ["0 30 2 * * ?"]
    drift = summary(fixed)["sailpoint"]
    assert drift["aggregation"]["actions"] == {"Payroll Feed": ["import_accounts"]}

    again = run_playbook(onboarding(sim, [source(accounts)]), expect_rc=0)
    assert not [t["name"] for t in again.tasks if t.changed and "Include" not in t["name"]]
    assert summary(again) == {}

    # a change is named without --diff
    changed = run_playbook(onboarding(sim, [source(accounts, description="Payroll, nightly")]), expect_rc=0)
    assert summary(changed)["sailpoint"]["source"]["changed"] == {"Payroll Feed": ["description"]}
    shown = "\n".join(changed.task(ROLE + "Show the changes").result["msg"])
    assert "| source Payroll Feed | changed | description |" in shown


def test_sources_are_required(sailpoint_sim, run_playbook):
    plays = onboarding(sailpoint_sim, [])
    del plays[0]["roles"][0]["sailpoint_source_onboarding_sources"]
    run = run_playbook(plays, expect_rc=2)
    errors = run.tasks[-1].result["argument_errors"]
    assert "sailpoint_source_onboarding_sources" in errors[0], errors
    assert writes(sailpoint_sim) == []

    # one source twice (the items would undo each other on every run), a timeout the module would refuse:
    # named by the role's variable, before any write, in check mode too
    feed = {"name": "Feed", "owner": ADMIN_ID, "connector": "delimited-file", "test_connection": False}
    for sources, message in (
            ([feed, dict(feed, name="FEED", description="other")],
             "sailpoint_source_onboarding_sources[0].name 'Feed' is the name of another item too; list each source once"),
            ([dict(feed, aggregation_wait_timeout=0)],
             "sailpoint_source_onboarding_sources[0].aggregation_wait_timeout must be a whole number of seconds, "
             "at least 1, not 0")):
        for check in (True, False):
            run = run_playbook(onboarding(sailpoint_sim, sources), check=check, expect_rc=2)
            failed = [t for t in run.tasks if t.failed]
            assert failed and failed[0].result["results"][0]["msg"] == message, failed[0].result
    assert writes(sailpoint_sim) == []


def test_first_aggregation_of_a_source_without_accounts_runs_once(sailpoint_sim, run_playbook):
    """A system with no account leaves the source without accounts: task status still says it was aggregated."""
    empty = [{"name": "Empty Feed", "owner": ADMIN_ID, "connector": "delimited-file", "test_connection": False}]
    first = run_playbook(onboarding(sailpoint_sim, empty), expect_rc=0)
    name = "Aggregation (first - only a source never aggregated - or always; waited for)"
    assert last(first, name).changed and last(first, name).result["results"][0]["counts"]["total"] == 0
    again = run_playbook(onboarding(sailpoint_sim, empty), expect_rc=0)
    assert not last(again, name).changed
    assert summary(again) == {}
