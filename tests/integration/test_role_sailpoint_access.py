"""identity.cloud.sailpoint_access from the user's side, against the SailPoint simulator: a source taken from
nothing to requestable access in one run (the vendor state read back through the API with the _info modules);
check mode from an empty tenant reports every object and writes nothing; the converged re-run changes nothing
and writes nothing; a bad item fails before any write; a run that failed after creating the source is finished
by the corrected re-run, the entitlements of its first aggregation included; no secret at -vvvv."""

import pytest

from tests.integration.plays import connection
from tests.simulators.sailpoint import ADMIN_ID

ROLE = "identity.cloud.sailpoint_access : "
SOURCES_ROLE = "identity.cloud.sailpoint_source_onboarding : "
SECRET = "ledger-connector-s3cret"


def definition(accounts, **overrides):
    """The role's variables: one authoritative source whose accounts' groups are the entitlements."""
    return dict({
        "sailpoint_access_sources": [{
            "name": "Finance Ledger", "owner": ADMIN_ID, "connector": "delimited-file", "authoritative": True,
            "connector_secrets": {"password": SECRET}, "update_secrets": "on_create",
            "schemas": [{"name": "account", "identity_attribute": "id", "display_attribute": "name",
                         "attributes": [{"name": "id", "type": "STRING"}, {"name": "name", "type": "STRING"},
                                        {"name": "email", "type": "STRING"},
                                        {"name": "groups", "type": "STRING", "multi": True, "entitlement": True,
                                         "group": True}]}],
            "aggregation_file": str(accounts)}],
        "sailpoint_access_transforms": [{"name": "Lowercase Email", "type": "lower", "attributes": {
            "input": {"type": "accountAttribute", "attributes": {"sourceName": "Finance Ledger", "attributeName": "email"}}}}],
        "sailpoint_access_governance_groups": [{"name": "Finance Approvers", "description": "Approve finance access",
                                                "owner": "Ada Admin", "members": ["Ada Admin", "Jane Doe"]}],
        "sailpoint_access_identity_profiles": [{
            "name": "Employees", "owner": "Ada Admin", "priority": 10, "authoritative_source": "Finance Ledger",
            "identity_attribute_config": {"enabled": True, "attribute_transforms": [
                {"identity_attribute_name": "email", "transform": "Lowercase Email"}]},
            "lifecycle_states": [
                {"technical_name": "active", "name": "Active", "enabled": True, "identity_state": "ACTIVE",
                 "access_profiles": ["Ledger Read"]},
                {"technical_name": "inactive", "name": "Inactive", "enabled": True,
                 "identity_state": "INACTIVE_LONG_TERM",
                 "account_actions": [{"action": "DISABLE", "sources": ["Finance Ledger"]}]}]}],
        "sailpoint_access_entitlements": [
            {"source": "Finance Ledger", "value": "GL Viewer", "requestable": True, "description": "Read the ledger"},
            {"source": "Finance Ledger", "value": "GL Poster", "requestable": True},
            {"source": "Finance Ledger", "value": "GL Approver", "requestable": True, "privileged": True,
             "owner": "Ada Admin"}],
        "sailpoint_access_access_profiles": [
            {"name": "Ledger Read", "source": "Finance Ledger", "entitlements": ["GL Viewer"], "owner": "Ada Admin",
             "requestable": True},
            {"name": "Ledger Post", "source": "Finance Ledger", "entitlements": ["GL Poster", "GL Approver"],
             "owner": "Ada Admin", "requestable": True,
             "access_request_config": {"approval_schemes": [{"approver_type": "MANAGER"}, {
                 "approver_type": "GOVERNANCE_GROUP", "approver": "Finance Approvers"}]}}],
        "sailpoint_access_roles": [{
            "name": "Accountant", "owner": "Ada Admin", "access_profiles": ["Ledger Read", "Ledger Post"],
            "requestable": True, "membership": {"type": "STANDARD", "criteria": {
                "operation": "EQUALS", "key": {"type": "IDENTITY", "property": "attribute.department"},
                "stringValue": "Finance"}}}],
    }, **overrides)


READ_BACK = [
    {"name": "Read the entitlements", "identity.cloud.sailpoint_entitlement_info": {"source": "Finance Ledger"},
     "register": "found_entitlements"},
    {"name": "Read the access profiles", "identity.cloud.sailpoint_access_profile_info": {}},
    {"name": "Read the roles", "identity.cloud.sailpoint_role_info": {"name": "Accountant"}},
    {"name": "Read the identity profile", "identity.cloud.sailpoint_identity_profile_info": {"name": "Employees"}},
    {"name": "Read the lifecycle states", "identity.cloud.sailpoint_lifecycle_state_info": {"identity_profile": "Employees"}},
    {"name": "Read the governance group", "identity.cloud.sailpoint_governance_group_info": {"name": "Finance Approvers"}},
]


def role_play(sim, variables, after=()):
    plays = [{"hosts": "localhost", "gather_facts": False,
              "module_defaults": {"group/identity.cloud.sailpoint": connection(sim)},
              "roles": [dict({"role": "identity.cloud.sailpoint_access"}, **variables)]}]
    if after:
        plays.append({"hosts": "localhost", "gather_facts": False,
                      "module_defaults": {"group/identity.cloud.sailpoint": connection(sim)}, "tasks": list(after)})
    return plays


def accounts_file(tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_text("id,name,email,groups\nFL1,Ada Admin,Ada.Admin@example.com,GL Approver|GL Viewer\n"
                    "FL2,Jane Doe,jane.doe@example.com,GL Viewer\nFL3,John Roe,john.roe@example.com,GL Poster\n")
    return path


def writes(sim, since=0):
    """Writes the simulator logged; a connection test (a POST that changes nothing) runs on every run."""
    return [e for e in sim.log[since:] if e["write"] and not e["path"].endswith("/connector/check-connection")]


def summary(run):
    """sailpoint_access_drift as the role leaves it."""
    return [t.result["ansible_facts"]["sailpoint_access_drift"] for t in run.tasks
            if "sailpoint_access_drift" in (t.result.get("ansible_facts") or {})][-1]


def changed_tasks(run):
    return [t["name"] for t in run.tasks if t.changed and "Include" not in t["name"]]


def check_vendor_state(run):
    """What the tenant holds after the role, read back through the API."""
    entitlements = dict((e["value"], e) for e in run.task("Read the entitlements").result["entitlements"])
    assert sorted(entitlements) == ["GL Approver", "GL Poster", "GL Viewer"]
    assert all(e["requestable"] for e in entitlements.values()), entitlements
    assert [v for v, e in sorted(entitlements.items()) if e["privileged"]] == ["GL Approver"]
    assert entitlements["GL Viewer"]["description"] == "Read the ledger"
    profiles = dict((p["name"], p) for p in run.task("Read the access profiles").result["access_profiles"])
    assert sorted(e["name"] for e in profiles["Ledger Post"]["entitlements"]) == ["GL Approver", "GL Poster"]
    assert [e["name"] for e in profiles["Ledger Read"]["entitlements"]] == ["GL Viewer"]
    assert profiles["Ledger Read"]["requestable"] and profiles["Ledger Read"]["source"]["name"] == "Finance Ledger"
    schemes = profiles["Ledger Post"]["accessRequestConfig"]["approvalSchemes"]
    assert [s["approverType"] for s in schemes] == ["MANAGER", "GOVERNANCE_GROUP"]
    role = run.task("Read the roles").result["roles"][0]
    assert sorted(p["name"] for p in role["accessProfiles"]) == ["Ledger Post", "Ledger Read"]
    assert role["membership"]["criteria"]["stringValue"] == "Finance" and role["requestable"]
    profile = run.task("Read the identity profile").result["identity_profiles"][0]
    assert profile["authoritativeSource"]["name"] == "Finance Ledger"
    transforms = profile["identityAttributeConfig"]["attributeTransforms"]
    assert [t["identityAttributeName"] for t in transforms] == ["email"]
    states = dict((s["technicalName"], s) for s in run.task("Read the lifecycle states").result["lifecycle_states"])
    assert sorted(states) == ["active", "inactive"]
    assert states["active"]["accessProfileIds"] == [profiles["Ledger Read"]["id"]]
    assert [a["action"] for a in states["inactive"]["accountActions"]] == ["DISABLE"]
    group = run.task("Read the governance group").result["governance_groups"][0]
    assert sorted(m["name"] for m in group["members"]) == ["Ada Admin", "Jane Doe"]


def test_from_nothing_to_requestable_access(sailpoint_sim, run_playbook, tmp_path):
    sim = sailpoint_sim
    variables = definition(accounts_file(tmp_path))

    # check mode on an empty tenant: every object reported, nothing sent
    check = run_playbook(role_play(sim, variables), check=True, expect_rc=0)
    assert writes(sim) == []
    drift = summary(check)["sailpoint"]
    assert drift["source"]["created"] == ["Finance Ledger"]
    assert drift["transform"]["created"] == ["Lowercase Email"]
    assert drift["governance_group"]["created"] == ["Finance Approvers"]
    assert drift["identity_profile"]["created"] == ["Employees"]
    assert sorted(drift["access_profile"]["created"]) == ["Ledger Post", "Ledger Read"]
    assert sorted(drift["lifecycle_state"]["created"]) == ["Employees: active", "Employees: inactive"]
    # what waits for the new source is named too: its entitlements, the role naming its access profiles
    assert sorted(drift["entitlement"]["changed"]) == ["Finance Ledger: GL Approver", "Finance Ledger: GL Poster",
                                                       "Finance Ledger: GL Viewer"]
    assert drift["role"]["changed"] == {"Accountant": ["(checked once what it names exists)"]}
    # the whole way, at -vvvv: no connector secret in any output
    first = run_playbook(role_play(sim, variables, after=READ_BACK), expect_rc=0, verbosity=4, secrets=(SECRET,))
    check_vendor_state(first)
    drift = summary(first)["sailpoint"]
    assert drift["role"]["created"] == ["Accountant"] and drift["aggregation"]["actions"]

    # converged: nothing changed, nothing written
    since = len(sim.log)
    again = run_playbook(role_play(sim, variables), expect_rc=0)
    assert changed_tasks(again) == []
    assert writes(sim, since) == []
    assert summary(again) == {}

    # an entitlement the source does not have fails before any write, in the check pass
    since = len(sim.log)
    profiles = variables["sailpoint_access_access_profiles"]
    bad = dict(variables, sailpoint_access_access_profiles=[dict(profiles[0], entitlements=["GL Unknown"]), profiles[1]])
    run = run_playbook(role_play(sim, bad), expect_rc=2)
    assert "has no entitlement with value or id 'GL Unknown'" in str([t.result for t in run.tasks if t.failed])
    assert writes(sim, since) == []

    # new objects naming new objects of the same run (a governance group approving a new access profile that a
    # new role grants): checked by the run itself, in check mode reported and nothing sent
    grown = dict(variables,
                 sailpoint_access_governance_groups=variables["sailpoint_access_governance_groups"] + [
                     {"name": "Ledger Auditors", "owner": "Ada Admin", "members": ["John Roe"]}],
                 sailpoint_access_access_profiles=profiles + [
                     {"name": "Ledger Audit", "source": "Finance Ledger", "entitlements": ["GL Viewer"],
                      "owner": "Ada Admin", "requestable": True, "access_request_config": {"approval_schemes": [
                          {"approver_type": "GOVERNANCE_GROUP", "approver": "Ledger Auditors"}]}}],
                 sailpoint_access_roles=variables["sailpoint_access_roles"] + [
                     {"name": "Auditor", "owner": "Ada Admin", "access_profiles": ["Ledger Audit"]}])
    check = run_playbook(role_play(sim, grown), check=True, expect_rc=0)
    assert writes(sim, since) == []
    assert summary(check)["sailpoint"]["governance_group"]["created"] == ["Ledger Auditors"]
    grew = run_playbook(role_play(sim, grown, after=READ_BACK), expect_rc=0)
    drift = summary(grew)["sailpoint"]
    assert (drift["access_profile"]["created"], drift["role"]["created"]) == (["Ledger Audit"], ["Auditor"])
    audit = [p for p in grew.task("Read the access profiles").result["access_profiles"] if p["name"] == "Ledger Audit"]
    assert audit[0]["accessRequestConfig"]["approvalSchemes"][0]["approverType"] == "GOVERNANCE_GROUP"

    # a change is named without --diff, in the summary kept for the drift report
    accountant, auditor = grown["sailpoint_access_roles"]
    changed = dict(grown, sailpoint_access_roles=[dict(accountant, description="Posts to the ledger"), auditor])
    run = run_playbook(role_play(sim, changed), expect_rc=0)
    assert summary(run)["sailpoint"]["role"]["changed"] == {"Accountant": ["description"]}


@pytest.mark.no_random_faults  # bad input: every case fails before any write (the role's reads under faults: above)
def test_bad_items_fail_before_any_write(sailpoint_sim, run_playbook, tmp_path):
    sim = sailpoint_sim
    variables = definition(accounts_file(tmp_path))
    for overrides, message in (
            ({"sailpoint_access_roles": variables["sailpoint_access_roles"] * 2},
             "sailpoint_access_roles[1].name 'Accountant' is also sailpoint_access_roles[0]; list each role once"),
            ({"sailpoint_access_transforms": variables["sailpoint_access_transforms"] + [{"name": "Odd", "type": "uppercase"}]},
             "type"),
            ({"sailpoint_access_governance_groups": variables["sailpoint_access_governance_groups"] + [
                {"name": "Auditors", "owner": "Nobody Known"}]}, "Nobody Known")):
        for check in (False, True):
            run = run_playbook(role_play(sim, dict(variables, **overrides)), check=check, expect_rc=2)
            failed = [t for t in run.tasks if t.failed]
            assert failed, run.stdout[-3000:]
            assert message in str(failed[0].result), failed[0].result
    assert writes(sim) == []


@pytest.mark.no_random_faults  # injects a fault of its own: the source's connection test fails
def test_failed_run_finished_by_the_corrected_one(sailpoint_sim, run_playbook, tmp_path):
    """The source is created, then its connection test fails: no aggregation, so no entitlement yet. The
    corrected re-run checks everything but what the aggregation brings, aggregates, and goes the whole way."""
    sim = sailpoint_sim
    variables = definition(accounts_file(tmp_path))
    sim.connector_healthy = False
    failed = run_playbook(role_play(sim, variables), expect_rc=2)
    assert [t for t in failed.tasks if t.failed][0]["name"] == SOURCES_ROLE + "Test the connections"
    assert writes(sim), "the failed run created the source"
    sim.connector_healthy = True
    fixed = run_playbook(role_play(sim, variables, after=READ_BACK), expect_rc=0)
    check_vendor_state(fixed)
    since = len(sim.log)
    again = run_playbook(role_play(sim, variables), expect_rc=0)
    assert changed_tasks(again) == [] and writes(sim, since) == []
