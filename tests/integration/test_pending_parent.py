"""A missing parent (SailPoint source, Beyond Identity realm), module by module: in check mode a task that
would write reports what it would do once the parent exists (input still checked, nothing sent); outside
check mode it fails in one line; _info modules fail; deleting under a missing realm is nothing to do."""

from tests.integration.plays import module_options, run_module


def test_missing_source(sailpoint_sim):
    sim = sailpoint_sim
    conn = module_options(sim)
    args = dict(conn, source="Payroll Feed", type="ACCOUNT_AGGREGATION", cron_expression="0 30 2 * * ?")
    pending = run_module("sailpoint_source_schedule", args, check=True)
    assert pending["changed"] and pending["created"] and not pending.get("failed")
    assert pending["msg"] == ("check mode: source 'Payroll Feed' does not exist yet; would create the schedule once "
                              "it is created")
    bad = run_module("sailpoint_source_schedule", dict(args, cron_expression="nightly"), check=True)
    assert bad["failed"] and "cron_expression 'nightly' is not a cron expression" in bad["msg"]
    real = run_module("sailpoint_source_schedule", args)
    assert real["failed"] and real["msg"] == "source: no source has the name or id 'Payroll Feed'"
    policies = run_module("sailpoint_provisioning_policy", dict(conn, source="Payroll Feed", policies=[
        {"usage_type": "CREATE", "name": "Account"}]), check=True)
    assert policies["changed"] and [r["created"] for r in policies["results"]] == [True]
    action = run_module("sailpoint_source_connector", dict(conn, source="Payroll Feed", action="test_connection"),
                        check=True)
    assert action["changed"] and "would test_connection once it is created" in action["msg"]
    info = run_module("sailpoint_source_schedule_info", dict(conn, source="Payroll Feed"), check=True)
    assert info["failed"] and "no source has the name or id 'Payroll Feed'" in info["msg"]
    assert not [e for e in sim.log if e["write"]]


def test_missing_realm(beyond_identity_sim):
    sim = beyond_identity_sim
    conn = module_options(sim)
    gone = run_module("beyond_identity_group", dict(conn, realm="Staging", display_name="Testers", state="absent"))
    assert not gone.get("failed") and not gone["changed"]
    assert gone["msg"] == "realm 'Staging' does not exist: nothing to delete in it"
    pending = run_module("beyond_identity_group", dict(conn, realm="Staging", display_name="Testers"), check=True)
    assert pending["changed"] and pending["created"] and "realm 'Staging' does not exist yet" in pending["msg"]
    real = run_module("beyond_identity_group", dict(conn, realm="Staging", display_name="Testers"))
    assert real["failed"] and real["msg"].startswith("realm 'Staging' not found")
    info = run_module("beyond_identity_group_info", dict(conn, realm="Staging"), check=True)
    assert info["failed"] and info["msg"].startswith("realm 'Staging' not found")
    assert not [e for e in sim.log if e["write"]]


def test_members_an_earlier_task_would_create(beyond_identity_sim, finbourne_sim):
    bi = module_options(beyond_identity_sim)
    args = dict(bi, realm="Default", display_name="Kim Lee", username="kim", email="kim@example.com",
                groups=["Night Shift"])
    pending = run_module("beyond_identity_identity", args, check=True)
    assert pending["changed"] and pending["memberships"] == {"groups": {"added": ["Night Shift"], "removed": []}}
    real = run_module("beyond_identity_identity", args)
    assert real["failed"] and real["msg"] == "groups: no group with id or display name 'Night Shift' in realm 'Default'"
    fbn = module_options(finbourne_sim)
    role = run_module("finbourne_role", dict(fbn, name="Night Desk", users=["kim@example.com"]), check=True)
    assert role["changed"] and role["created"]
    assert role["memberships"] == {"users": {"added": ["kim@example.com"], "removed": []}}
    real = run_module("finbourne_role", dict(fbn, name="Night Desk", users=["kim@example.com"]))
    assert real["failed"] and "no FINBOURNE user with id or login kim@example.com" in real["msg"]
    assert not [e for sim in (beyond_identity_sim, finbourne_sim) for e in sim.log if e["write"]]


def test_action_input_is_checked_before_the_missing_source(sailpoint_sim, tmp_path):
    conn = module_options(sailpoint_sim)
    missing = run_module("sailpoint_source_aggregation", dict(conn, source="Payroll Feed", file=str(tmp_path / "none.csv")),
                         check=True)
    assert missing["failed"] and "is not a readable file" in missing["msg"]
