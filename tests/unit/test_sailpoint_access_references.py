"""The sailpoint_access role's reference check (plugins/filter/sailpoint_access_references.py): every name an item
naming an object of the run gives is an object of the run (state present) or of the tenant; what it needs to read;
the first problem as one line naming the variable path."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.identity.cloud.plugins.filter.sailpoint_access_references import (
    FilterModule, sailpoint_access_reference_reads, sailpoint_access_references)

GROUP_ID = "2c9180867d2b0e52017d2b3f0b7a0001"


def definitions(**overrides):
    """A run defining one of each kind, each item naming objects of the run."""
    return dict({
        "sources": [{"name": "Finance Ledger", "connector": "delimited-file"}],
        "transforms": [{"name": "Lowercase Email", "type": "lower", "attributes": {}}],
        "governance_groups": [{"name": "Finance Approvers"}],
        "identity_profiles": [{
            "name": "Employees", "authoritative_source": "Finance Ledger",
            "identity_attribute_config": {"attribute_transforms": [
                {"identity_attribute_name": "email", "transform": "Lowercase Email"}]},
            "lifecycle_states": [{"technical_name": "active", "access_profiles": ["Ledger Read"]},
                                 {"technical_name": "gone", "account_actions": [
                                     {"action": "DISABLE", "sources": ["Finance Ledger"]}]}]}],
        "entitlements": [{"source": "Finance Ledger", "value": "GL Viewer", "request_config": {
            "access_request_config": {"approval_schemes": [
                {"approver_type": "GOVERNANCE_GROUP", "approver": "Finance Approvers"}]}}}],
        "access_profiles": [
            {"name": "Ledger Read", "source": "Finance Ledger", "entitlements": ["GL Viewer"]},
            {"name": "Ledger Post", "source": "Finance Ledger", "entitlements": ["GL Poster"],
             "access_request_config": {"approval_schemes": [
                 {"approver_type": "MANAGER"}, {"approver_type": "GOVERNANCE_GROUP", "approver": "Finance Approvers"}]},
             "revocation_request_config": {"approvalSchemes": [
                 {"approverType": "GOVERNANCE_GROUP", "approverId": "Finance Approvers"}]}}],
        "roles": [{"name": "Accountant", "access_profiles": ["Ledger Read", "Ledger Post"],
                   "entitlements": [{"source": "Finance Ledger", "value": "GL Viewer"}],
                   "membership": {"type": "STANDARD", "criteria": {"operation": "AND", "children": [
                       {"operation": "EQUALS", "key": {"type": "ACCOUNT", "property": "attribute.dept",
                                                       "source_id": "Finance Ledger"}, "stringValue": "F"}]}},
                   "access_request_config": {"approval_schemes": [
                       {"approver_type": "GOVERNANCE_GROUP", "approver": "Finance Approvers"}]}}],
    }, **overrides)


TENANT = {
    "sources": [{"id": "s1", "name": "HR Feed"}, {"id": "s2", "name": "Payroll"}],
    "transforms": [{"id": "t1", "name": "Trim"}],
    "governance_groups": [{"id": GROUP_ID, "name": "Auditors"}],
    "access_profiles": [{"id": "ap1", "name": "Payroll Read"}],
    "entitlements": [{"id": "e1", "value": "PR View", "source": {"type": "SOURCE", "id": "s2", "name": "Payroll"}}],
    "entitlement_sources": ["Payroll"],
}


def test_all_defined_in_the_run_is_fine_and_reads_nothing():
    run = definitions()
    assert sailpoint_access_references(run, {}) == ""
    assert sailpoint_access_reference_reads(run) == {
        "sources": False, "transforms": False, "governance_groups": False, "access_profiles": False,
        "entitlement_sources": []}


@pytest.mark.parametrize("path, kind, good, bad, what, variable", [
    (("identity_profiles", 0, "authoritative_source"), "sources", "HR Feed", "HR Fed", "source",
     "sailpoint_access_sources"),
    (("identity_profiles", 0, "identity_attribute_config", "attribute_transforms", 0, "transform"), "transforms",
     "Trim", "Trimm", "transform", "sailpoint_access_transforms"),
    (("identity_profiles", 0, "lifecycle_states", 0, "access_profiles", 0), "access_profiles", "Payroll Read",
     "Payrol Read", "access profile", "sailpoint_access_access_profiles"),
    (("identity_profiles", 0, "lifecycle_states", 1, "account_actions", 0, "sources", 0), "sources", "Payroll",
     "Payrol", "source", "sailpoint_access_sources"),
    (("entitlements", 0, "request_config", "access_request_config", "approval_schemes", 0, "approver"),
     "governance_groups", "Auditors", "Auditers", "governance group", "sailpoint_access_governance_groups"),
    (("access_profiles", 1, "access_request_config", "approval_schemes", 1, "approver"), "governance_groups",
     GROUP_ID, "Fiannce Approvers", "governance group", "sailpoint_access_governance_groups"),
    (("access_profiles", 1, "revocation_request_config", "approvalSchemes", 0, "approverId"), "governance_groups",
     "Auditors", "Auditers", "governance group", "sailpoint_access_governance_groups"),
    (("roles", 0, "access_profiles", 1), "access_profiles", "ap1", "Ledger Pots", "access profile",
     "sailpoint_access_access_profiles"),
    (("roles", 0, "membership", "criteria", "children", 0, "key", "source_id"), "sources", "s1", "HR Fed", "source",
     "sailpoint_access_sources"),
    (("roles", 0, "access_request_config", "approval_schemes", 0, "approver"), "governance_groups", "Auditors",
     "Auditers", "governance group", "sailpoint_access_governance_groups"),
])
def test_each_reference_kind_defined_in_the_run_existing_neither_or_deleted(path, kind, good, bad, what, variable):
    def with_value(value):
        run = definitions()
        node = run
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
        return run

    text = "sailpoint_access_%s[%d]." % path[:2] + ".".join(
        "%s[%d]" % (k, path[n + 1]) if n + 1 < len(path) and isinstance(path[n + 1], int) else str(k)
        for n, k in enumerate(path[2:], 2) if not isinstance(k, int))
    # it exists in the tenant: fine, and the kind is read (the item names an object of the run)
    assert sailpoint_access_reference_reads(with_value(good))[kind] is True
    assert sailpoint_access_references(with_value(good), TENANT) == ""
    # neither in the run nor in the tenant: one line naming the path and the alternatives
    assert sailpoint_access_references(with_value(bad), TENANT) == "%s: %s '%s' is neither in %s nor in the tenant" % (
        text, what, bad, variable)
    # deleted by the run
    run = with_value(good)
    run[kind] = list(run[kind]) + [{"name": good, "state": "absent"}]
    assert sailpoint_access_references(run, TENANT) == \
        "%s: %s '%s' is deleted by this run (%s[%d] has state absent); keep it or name another" % (
            text, what, good, variable, len(run[kind]) - 1)


def test_an_item_naming_nothing_of_the_run_is_left_to_the_check_pass():
    run = definitions(roles=[{"name": "Payroll Clerk", "access_profiles": ["Nowhere"],
                              "access_request_config": {"approval_schemes": [
                                  {"approver_type": "GOVERNANCE_GROUP", "approver": "Nobody"}]}}],
                      identity_profiles=[], entitlements=[], access_profiles=[])
    assert sailpoint_access_references(run, TENANT) == ""
    assert not any(v for v in sailpoint_access_reference_reads(run).values())


def test_the_lifecycle_states_of_a_profile_naming_the_run_are_checked_with_it():
    run = definitions(identity_profiles=[{"name": "Contractors", "authoritative_source": "Finance Ledger",
                                          "lifecycle_states": [{"technical_name": "x", "access_profiles": ["Nope"]}]}])
    assert sailpoint_access_references(run, TENANT) == (
        "sailpoint_access_identity_profiles[0].lifecycle_states[0].access_profiles[0]: access profile 'Nope' is "
        "neither in sailpoint_access_access_profiles nor in the tenant")
    # the states of an absent profile and absent items are not checked
    run["identity_profiles"][0]["state"] = "absent"
    assert sailpoint_access_references(run, TENANT) == ""


def test_entitlements_of_a_source_outside_the_run_are_read_and_checked():
    profiles = [{"name": "Payroll View", "source": "Payroll", "entitlements": ["PR View", "e1"],
                 "access_request_config": {"approval_schemes": [
                     {"approver_type": "GOVERNANCE_GROUP", "approver": "Finance Approvers"}]}}]
    run = definitions(access_profiles=profiles, identity_profiles=[], roles=[])
    reads = sailpoint_access_reference_reads(run)
    assert reads["entitlement_sources"] == ["Payroll"] and reads["sources"] is True
    assert sailpoint_access_references(run, TENANT) == ""
    profiles[0]["entitlements"] = ["PR View", "PR Veiw"]
    assert sailpoint_access_references(run, TENANT) == (
        "sailpoint_access_access_profiles[0].entitlements[1]: source 'Payroll' has no entitlement with value or id "
        "'PR Veiw' in the tenant (entitlements appear when the source is aggregated)")
    # a role's {source, value}
    run = definitions(roles=[{"name": "R", "access_profiles": ["Ledger Read"],
                              "entitlements": [{"source": "Payroll", "value": "PR Nope"}]}])
    assert sailpoint_access_references(run, TENANT).startswith(
        "sailpoint_access_roles[0].entitlements[0]: source 'Payroll' has no entitlement with value or id 'PR Nope'")
    # the entitlements of a source of the run come with its aggregation: left to the run
    assert sailpoint_access_reference_reads(definitions())["entitlement_sources"] == []
    assert sailpoint_access_references(definitions(), TENANT) == ""


def test_a_reference_dict_and_the_filters_are_registered():
    run = definitions(identity_profiles=[{"name": "E", "authoritative_source": {"id": "s9", "name": "X"},
                                          "identity_attribute_config": {"attribute_transforms": [
                                              {"identity_attribute_name": "email", "transform": "Lowercase Email"}]}}])
    assert sailpoint_access_references(run, TENANT) == (
        "sailpoint_access_identity_profiles[0].authoritative_source: source 's9' is neither in sailpoint_access_sources "
        "nor in the tenant")
    assert set(FilterModule().filters()) == {"sailpoint_access_references", "sailpoint_access_reference_reads"}
    with pytest.raises(AnsibleFilterError):
        sailpoint_access_references([])
