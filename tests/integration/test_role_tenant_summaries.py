"""The tenant roles from the user's side, without --diff: check mode of objects in a realm the run would
create goes on and names them; a definition whose absent items live in a realm that is already gone
reports nothing to do; every change is listed by object name."""

from tests.integration.plays import connection

BI_ROLE = "identity.cloud.beyond_identity_tenant : "
FBN_ROLE = "identity.cloud.finbourne_tenant : "


def bi_play(sim, **role_vars):
    return [{"hosts": "localhost", "gather_facts": False,
             "module_defaults": {"group/identity.cloud.beyond_identity": connection(sim)},
             "roles": [dict({"role": "identity.cloud.beyond_identity_tenant"}, **role_vars)],
             "post_tasks": [{"name": "Read the realms back", "identity.cloud.beyond_identity_realm_info": {}}]}]


def drift(run, role, fact):
    return run.task(role + "Summarise the changes").result["ansible_facts"][fact]


def realms(run):
    return sorted(r["display_name"] for r in run.task("Read the realms back").result["realms"])


def writes(sim):
    return [e for e in sim.log if e["write"]]


def test_beyond_identity_pending_realm_and_realm_already_gone(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    present = dict(beyond_identity_tenant_realms=[{"display_name": "Staging"}],
                   beyond_identity_tenant_themes=[{"realm": "Staging", "email_realm_name": "Acme Staging"}],
                   beyond_identity_tenant_resource_servers=[{"realm": "Staging", "display_name": "Staging API",
                                                             "identifier": "https://staging.example.com",
                                                             "scopes": ["read"]}],
                   beyond_identity_tenant_groups=[{"realm": "Staging", "display_name": "Testers"}])
    check = run_playbook(bi_play(sim, **present), check=True, expect_rc=0)
    assert writes(sim) == [] and "Staging" not in realms(check)
    pending = check.task(BI_ROLE + "Groups").result["results"][0]
    assert pending["changed"] and "realm 'Staging' does not exist yet; would" in pending["msg"]
    summary = drift(check, BI_ROLE, "beyond_identity_tenant_drift")["beyond_identity"]
    assert summary["realm"]["created"] == ["Staging"]
    assert summary["group"]["created"] == ["Testers"]
    assert summary["resource_server"]["created"] == ["Staging API"]
    assert summary["theme"]["created"] == ["Acme Staging"]

    made = run_playbook(bi_play(sim, **present), expect_rc=0)
    assert "Staging" in realms(made)
    summary = drift(made, BI_ROLE, "beyond_identity_tenant_drift")["beyond_identity"]
    assert summary["realm"]["created"] == ["Staging"] and summary["group"]["created"] == ["Testers"]
    assert summary["resource_server"]["created"] == ["Staging API"]
    shown = "\n".join(made.task(BI_ROLE + "Show the changes").result["msg"])
    assert "| group Testers | created | |" in shown and "(check mode" not in shown

    scoped = dict(present)
    scoped["beyond_identity_tenant_resource_servers"] = [
        {"realm": "Staging", "display_name": "Staging API", "scopes": ["read", "write"]}]
    changed = run_playbook(bi_play(sim, **scoped), expect_rc=0)
    summary = drift(changed, BI_ROLE, "beyond_identity_tenant_drift")["beyond_identity"]
    assert summary == {"resource_server": {"created": [], "changed": {"Staging API": ["scopes"]}, "memberships": {},
                                           "deleted": []}}

    gone = dict(beyond_identity_tenant_realms=[{"display_name": "Staging", "state": "absent"}],
                beyond_identity_tenant_resource_servers=[{"realm": "Staging", "display_name": "Staging API",
                                                          "state": "absent"}],
                beyond_identity_tenant_groups=[{"realm": "Staging", "display_name": "Testers", "state": "absent"}])
    first = run_playbook(bi_play(sim, **gone), expect_rc=0)
    assert "Staging" not in realms(first)
    summary = drift(first, BI_ROLE, "beyond_identity_tenant_drift")["beyond_identity"]
    assert summary["group"]["deleted"] == ["Testers"] and summary["realm"]["deleted"] == ["Staging"]
    before = len(writes(sim))
    second = run_playbook(bi_play(sim, **gone), expect_rc=0)
    assert len(writes(sim)) == before
    assert not [t["name"] for t in second.tasks if t.changed]
    assert "realm 'Staging' does not exist: nothing to delete" in second.task(BI_ROLE + "Groups").result["results"][0]["msg"]
    assert drift(second, BI_ROLE, "beyond_identity_tenant_drift") == {}


def test_finbourne_summary_names_objects_without_diff(finbourne_sim, run_playbook):
    sim = finbourne_sim
    plays = [{"hosts": "localhost", "gather_facts": False,
              "module_defaults": {"group/identity.cloud.finbourne": connection(sim)},
              "roles": [{"role": "identity.cloud.finbourne_tenant",
                         "finbourne_tenant_roles": [{"name": "Trading Desk", "description": "Traders"}],
                         "finbourne_tenant_password_policies": [{"user_type": "Personal",
                                                                 "complexity": {"minLength": 14}}]}],
              "post_tasks": [{"name": "Read the roles back", "identity.cloud.finbourne_role_info": {}}]}]
    check = run_playbook(plays, check=True, expect_rc=0)
    assert writes(sim) == []
    summary = drift(check, FBN_ROLE, "finbourne_tenant_drift")["finbourne"]
    assert summary["role"]["created"] == ["Trading Desk"]
    assert summary["password_policy"]["changed"] == {"Personal": ["complexity"]}
    made = run_playbook(plays, expect_rc=0)
    assert "Trading Desk" in [r["name"] for r in made.task("Read the roles back").result["roles"]]
    summary = drift(made, FBN_ROLE, "finbourne_tenant_drift")["finbourne"]
    assert summary["role"]["created"] == ["Trading Desk"]
    assert summary["password_policy"]["changed"] == {"Personal": ["complexity"]}
    again = run_playbook(plays, expect_rc=0)
    assert drift(again, FBN_ROLE, "finbourne_tenant_drift") == {}
