"""identity.cloud.sailpoint_access checks every name an item gives before its first write, the names of objects the
same run creates too (the modules refuse those in check mode, so the role's check pass leaves such items out): a
typo in each kind of such reference fails in one line naming the variable path, in check mode and in a real run,
with nothing written (the simulator's log read back); the corrected definition then converges, and a second run
changes nothing."""

import copy

import pytest

from tests.integration.test_role_sailpoint_access import (
    ROLE, SECRET, accounts_file, changed_tasks, definition, role_play, summary, writes)

CHECK = ROLE + "Check that every name an item gives is an object of this run or of the tenant, before any write"


def corrected(tmp_path):
    """The role's example definition, the access profile revoked with the approval of a group the tenant has."""
    variables = definition(accounts_file(tmp_path))
    variables["sailpoint_access_access_profiles"][1]["revocation_request_config"] = {
        "approval_schemes": [{"approver_type": "GOVERNANCE_GROUP", "approver": "Source Admins"}]}
    return variables


def typo(variables, path, value):
    out = copy.deepcopy(variables)
    node = out
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return out


def with_deleted_group(variables):
    out = typo(variables, ("sailpoint_access_access_profiles", 1, "access_request_config", "approval_schemes", 1,
                           "approver"), "Old Approvers")
    out["sailpoint_access_governance_groups"].append({"name": "Old Approvers", "state": "absent"})
    return out


CASES = [
    (("sailpoint_access_identity_profiles", 0, "identity_attribute_config", "attribute_transforms", 0, "transform"),
     "Lowercase Emial",
     "sailpoint_access_identity_profiles[0].identity_attribute_config.attribute_transforms[0].transform: transform "
     "'Lowercase Emial' is neither in sailpoint_access_transforms nor in the tenant"),
    (("sailpoint_access_identity_profiles", 0, "authoritative_source"), "Finance Ledgr",
     "sailpoint_access_identity_profiles[0].authoritative_source: source 'Finance Ledgr' is neither in "
     "sailpoint_access_sources nor in the tenant"),
    (("sailpoint_access_access_profiles", 1, "access_request_config", "approval_schemes", 1, "approver"),
     "Fiannce Approvers",
     "sailpoint_access_access_profiles[1].access_request_config.approval_schemes[1].approver: governance group "
     "'Fiannce Approvers' is neither in sailpoint_access_governance_groups nor in the tenant"),
    (("sailpoint_access_access_profiles", 1, "revocation_request_config", "approval_schemes", 0, "approver"),
     "Source Admns",
     "sailpoint_access_access_profiles[1].revocation_request_config.approval_schemes[0].approver: governance group "
     "'Source Admns' is neither in sailpoint_access_governance_groups nor in the tenant"),
    (("sailpoint_access_identity_profiles", 0, "lifecycle_states", 0, "access_profiles", 0), "Ledger Raed",
     "sailpoint_access_identity_profiles[0].lifecycle_states[0].access_profiles[0]: access profile 'Ledger Raed' is "
     "neither in sailpoint_access_access_profiles nor in the tenant"),
    (("sailpoint_access_identity_profiles", 0, "lifecycle_states", 1, "account_actions", 0, "sources", 0),
     "Finance Ledgr",
     "sailpoint_access_identity_profiles[0].lifecycle_states[1].account_actions[0].sources[0]: source 'Finance "
     "Ledgr' is neither in sailpoint_access_sources nor in the tenant"),
    (("sailpoint_access_roles", 0, "access_profiles", 1), "Ledger Pots",
     "sailpoint_access_roles[0].access_profiles[1]: access profile 'Ledger Pots' is neither in "
     "sailpoint_access_access_profiles nor in the tenant"),
]


@pytest.mark.no_random_faults  # bad input: every case fails before any write
def test_a_typo_in_a_reference_to_the_run_fails_before_any_write(sailpoint_sim, run_playbook, tmp_path):
    sim = sailpoint_sim
    variables = corrected(tmp_path)
    cases = [(typo(variables, path, value), message) for path, value, message in CASES]
    cases.append((with_deleted_group(variables),
                  "sailpoint_access_access_profiles[1].access_request_config.approval_schemes[1].approver: governance "
                  "group 'Old Approvers' is deleted by this run (sailpoint_access_governance_groups[1] has state "
                  "absent); keep it or name another"))
    for number, (bad, message) in enumerate(cases):
        for check in (True, False):
            # one case at -vvvv: the tenant's sources are read, and no connector secret shows
            run = run_playbook(role_play(sim, bad), check=check, expect_rc=2,
                               verbosity=4 if number == 1 and not check else None, secrets=(SECRET,))
            failed = [t for t in run.tasks if t.failed]
            assert [t["name"] for t in failed] == [CHECK], run.stdout[-3000:]
            assert failed[0].result["msg"] == message
    assert writes(sim) == [], "a bad reference wrote to the tenant"

    # the corrected definition converges from nothing (the reads of the check included), then changes nothing
    run_playbook(role_play(sim, variables), expect_rc=0)
    assert writes(sim)
    since = len(sim.log)
    again = run_playbook(role_play(sim, variables), expect_rc=0)
    assert changed_tasks(again) == [] and writes(sim, since) == []

    # now that they exist, the same typos still fail before any write, checked against the tenant
    since = len(sim.log)
    for bad, message in cases[2:4]:
        run = run_playbook(role_play(sim, bad), expect_rc=2)
        assert [t.result["msg"] for t in run.tasks if t.failed] == [message]
    assert writes(sim, since) == []


def test_entitlements_and_roles_approved_by_a_new_group(sailpoint_sim, run_playbook, tmp_path):
    """An entitlement and a role approved by a governance group the same run creates: checked before any write
    (a typo fails in one line), left out of the check pass (the modules refuse the new group there), then written."""
    sim = sailpoint_sim
    variables = corrected(tmp_path)
    run_playbook(role_play(sim, variables), expect_rc=0)
    approval = {"approval_schemes": [{"approver_type": "GOVERNANCE_GROUP", "approver": "Ledger Auditors"}]}
    grown = copy.deepcopy(variables)
    grown["sailpoint_access_governance_groups"].append({"name": "Ledger Auditors", "owner": "Ada Admin",
                                                       "members": ["John Roe"]})
    grown["sailpoint_access_entitlements"][0]["request_config"] = {"access_request_config": copy.deepcopy(approval)}
    grown["sailpoint_access_roles"][0]["access_request_config"] = copy.deepcopy(approval)

    since = len(sim.log)
    for path, message in (
            (("sailpoint_access_entitlements", 0, "request_config", "access_request_config", "approval_schemes", 0,
              "approver"),
             "sailpoint_access_entitlements[0].request_config.access_request_config.approval_schemes[0].approver: "
             "governance group 'Ledger Auditers' is neither in sailpoint_access_governance_groups nor in the tenant"),
            (("sailpoint_access_roles", 0, "access_request_config", "approval_schemes", 0, "approver"),
             "sailpoint_access_roles[0].access_request_config.approval_schemes[0].approver: governance group "
             "'Ledger Auditers' is neither in sailpoint_access_governance_groups nor in the tenant")):
        bad = typo(grown, path, "Ledger Auditers")
        for check in (True, False):
            run = run_playbook(role_play(sim, bad), check=check, expect_rc=2)
            assert [t.result["msg"] for t in run.tasks if t.failed] == [message]
    assert writes(sim, since) == []

    check = run_playbook(role_play(sim, grown), check=True, expect_rc=0)
    assert writes(sim, since) == []
    drift = summary(check)["sailpoint"]
    assert drift["governance_group"]["created"] == ["Ledger Auditors"]
    assert drift["entitlement"]["changed"] == {"Finance Ledger: GL Viewer": ["(checked once what it names exists)"]}
    assert drift["role"]["changed"] == {"Accountant": ["(checked once what it names exists)"]}

    read = [{"name": "Read the role", "identity.cloud.sailpoint_role_info": {"name": "Accountant"}},
            {"name": "Read the group",
             "identity.cloud.sailpoint_governance_group_info": {"name": "Ledger Auditors", "members": False}}]
    grew = run_playbook(role_play(sim, grown, after=read), expect_rc=0)
    drift = summary(grew)["sailpoint"]
    assert list(drift["entitlement"]["changed"].values()) == [["request_config"]], drift
    group_id = grew.task("Read the group").result["governance_groups"][0]["id"]
    schemes = grew.task("Read the role").result["roles"][0]["accessRequestConfig"]["approvalSchemes"]
    assert [(s["approverType"], s["approverId"]) for s in schemes] == [("GOVERNANCE_GROUP", group_id)]
    since = len(sim.log)
    again = run_playbook(role_play(sim, grown), expect_rc=0)
    assert changed_tasks(again) == [] and writes(sim, since) == []


@pytest.mark.no_random_faults  # bad input: every case fails before any write
def test_input_the_modules_refuse_still_fails_in_the_check_pass(sailpoint_sim, run_playbook, tmp_path):
    """With every reference right, what the modules refuse still fails before any write, with their message (the
    cases of test_role_sailpoint_access.py's test_bad_items_fail_before_any_write, the objects the other items name
    kept: the reference check comes first and names an object a list leaves out)."""
    sim = sailpoint_sim
    variables = corrected(tmp_path)
    for key, item, message in (
            ("sailpoint_access_transforms", {"name": "Odd", "type": "uppercase"}, "type"),
            ("sailpoint_access_governance_groups", {"name": "Auditors", "owner": "Nobody Known"}, "Nobody Known")):
        for check in (False, True):
            run = run_playbook(role_play(sim, dict(variables, **{key: variables[key] + [item]})), check=check,
                               expect_rc=2)
            failed = [t for t in run.tasks if t.failed]
            assert failed and failed[0]["name"] != CHECK, run.stdout[-3000:]
            assert message in str(failed[0].result), failed[0].result
    assert writes(sim) == []
