"""Nested values the vendor document forbids fail in one line naming the option path, before any write (issue 21 item 5).

Each case runs the module in-process (``plays.run_module``) against its simulator, once for real and once in
check mode, and asserts one line naming the option path as the user wrote it and no write in the simulator's
log; one case goes through ``ansible-playbook`` in check mode. The rules come from the vendor documents
(generated into plugins/module_utils/schemas.py, see tests/unit/test_schemas.py), not from these cases.
"""

import pytest

from tests.integration.plays import module_options, play, run_module, task
from tests.simulators.sailpoint import ADMIN_ID

pytestmark = pytest.mark.no_random_faults  # no write is checked per case

SOURCE = "Nested Feed"
RULE = {"property": "uid", "value": "employeeId", "operation": "EQ"}
SAILPOINT_CASES = [
    ("sailpoint_provisioning_policy", dict(usage_type="CREATE", name="Account", fields=[
        {"name": "a", "type": "string"}, {"name": "b"}, {"name": "c", "type": "float"}]),
     "fields[2].type: 'float' is not one of string, int, long, date, boolean, secret"),
    ("sailpoint_provisioning_policy", dict(usage_type="CREATE", name="Account", fields=[{"name": "a", "isRequired": True}]),
     "fields[0].isRequired: is read-only (the API sets it)"),
    ("sailpoint_provisioning_policy", dict(policies=[{"usage_type": "CREATE", "name": "Account"}, {
        "usage_type": "UPDATE", "name": "Up", "fields": [{"name": "a", "transform": "upper"}]}]),
     "policies[1].fields[0].transform: must be a dict, got 'upper'"),  # the bulk form: no item is written
    ("sailpoint_source_correlation_config", dict(attribute_assignments=[dict(RULE, matchMode="MIDDLE")]),
     "attribute_assignments[0].matchMode: 'MIDDLE' is not one of ANYWHERE, START, END"),
    ("sailpoint_source_correlation_config", dict(attribute_assignments=[RULE, dict(RULE, operation="NE")]),
     "attribute_assignments[1].operation: 'NE' is not one of EQ"),
    ("sailpoint_source_correlation_config", dict(attribute_assignments=[
        {"identityAttribute": "uid", "accountAttribute": "employeeId"}]),
     "attribute_assignments[0].identityAttribute: unknown key (the API takes complex, filterString, ignoreCase, "
     "matchMode, operation, property, value)"),
    ("sailpoint_source_correlation_config", dict(attribute_assignments="uid=id"),
     "attribute_assignments must be a list"),
    ("sailpoint_source_correlation_config", dict(attribute_assignments=["uid=id"]),  # Ansible reads k=v as a dict
     "attribute_assignments[0].uid: unknown key"),
    ("sailpoint_source_correlation_config", dict(attribute_assignments=[dict(RULE, ignoreCase="maybe")]),
     "attribute_assignments[0].ignoreCase: must be a boolean (true or false), got 'maybe'"),
    ("sailpoint_source_correlation_config", dict(attribute_assignments=[dict(RULE, matchMode=None)]),
     "attribute_assignments[0].matchMode: must not be null (leave the key out to keep its current value)"),
    ("sailpoint_source_entitlement_request_config", dict(access_request_config={"maxPermittedAccessDuration": None,
                                                                                "approvalSchemes": []}),
     None),  # valid: the document allows null here (a control case)
    ("sailpoint_source_attribute_sync_config", dict(attributes=[{"name": "email", "enabled": "perhaps"}]),
     "attributes[0].enabled: must be a boolean (true or false), got 'perhaps'"),
    ("sailpoint_source_attribute_sync_config", dict(attributes=[{"name": "department", "enabled": True}]),
     "attributes[0]: displayName and target are required"),
    ("sailpoint_source_entitlement_request_config", dict(access_request_config={
        "maxPermittedAccessDuration": {"value": 2, "timeUnit": "YEARS"}}),
     "access_request_config.maxPermittedAccessDuration.timeUnit: 'YEARS' is not one of HOURS, DAYS, WEEKS, MONTHS"),
    ("sailpoint_source_entitlement_request_config", dict(revocation_request_config={
        "approvalSchemes": [{"approverType": "MANAGER"}, {"approverType": "BOSS"}]}),
     "revocation_request_config.approvalSchemes[1].approverType: 'BOSS' is not one of ENTITLEMENT_OWNER, "
     "SOURCE_OWNER, MANAGER, GOVERNANCE_GROUP, WORKFLOW"),
    ("sailpoint_source_entitlement_request_config", dict(access_request_config={"requestCommentsRequired": True}),
     "access_request_config.requestCommentsRequired: unknown key"),
    ("sailpoint_source_schema", dict(name="account", attributes=[{"name": "a", "multi": True}, {"name": "b"}]),
     None),  # valid: snake_case suboptions map to the API's keys (a control case)
]
FINBOURNE_CASES = [
    ("finbourne_api_key", dict(display_name="nested key", deactivation_date="tomorrow"),
     "deactivation_date: is not a date-time such as 2030-01-01T00:00:00Z (RFC 3339, with a time zone), got 'tomorrow'"),
    ("finbourne_api_key", dict(display_name="nested key", deactivation_date="2030-02-30T00:00:00Z"),
     "deactivation_date: is not a valid date-time (no such day or time), got '2030-02-30T00:00:00Z'"),
    ("finbourne_scim", dict(api_token_action="regenerate", old_api_token_deactivation="soon"),
     "old_api_token_deactivation: is not a date-time such as 2030-01-01T00:00:00Z (RFC 3339, with a time zone), "
     "got 'soon'"),
    ("finbourne_support_access_info", dict(start="2030-01-01T00:00:00Z", end="next week"),
     "end: is not a date-time such as 2030-01-01T00:00:00Z"),
]


BEYOND_IDENTITY_CASES = [
    ("beyond_identity_application", dict(realm="Default", display_name="Nested App", protocol_config={
        "type": "oauth2", "token_configuration": {"expires_after": -5}}),
     "protocol_config.token_configuration.expires_after: must be between 0 and 4294967295, got -5"),
]


@pytest.fixture
def source(sailpoint_sim):
    result = run_module("sailpoint_source", dict(module_options(sailpoint_sim), name=SOURCE, owner=ADMIN_ID,
                                                 connector="delimited-file"))
    assert result.get("changed"), result
    return SOURCE


def assert_refused(sim, name, args, expected):
    for check in (True, False):
        sim.log.clear()
        result = run_module(name, dict(module_options(sim), **args), check=check)
        writes = [e for e in sim.log if e["write"]]
        if expected is None:
            assert not result.get("failed"), result
            continue
        assert result.get("failed"), (check, result)
        assert result["msg"].startswith(expected), (check, result["msg"])
        assert "\n" not in result["msg"]
        assert writes == [], (check, writes)


@pytest.mark.parametrize("name,args,expected", SAILPOINT_CASES, ids=[c[2] or "valid" for c in SAILPOINT_CASES])
def test_sailpoint_nested_input_is_refused_before_any_write(sailpoint_sim, source, name, args, expected):
    assert_refused(sailpoint_sim, name, dict(args, source=source), expected)


@pytest.mark.parametrize("name,args,expected", FINBOURNE_CASES, ids=[c[2][:40] for c in FINBOURNE_CASES])
def test_finbourne_date_times_are_refused_before_any_write(finbourne_sim, name, args, expected):
    assert_refused(finbourne_sim, name, args, expected)


@pytest.mark.parametrize("name,args,expected", BEYOND_IDENTITY_CASES, ids=[c[2][:40] for c in BEYOND_IDENTITY_CASES])
def test_beyond_identity_nested_input_is_refused_before_any_write(beyond_identity_sim, name, args, expected):
    assert_refused(beyond_identity_sim, name, args, expected)


def test_playbook_check_mode_names_the_option_path(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    run = run_playbook(play(sim, [
        task("source", "identity.cloud.sailpoint_source", name=SOURCE, owner=ADMIN_ID, connector="delimited-file"),
        task("bad field type", "identity.cloud.sailpoint_provisioning_policy", check=True, errors=True, source=SOURCE,
             usage_type="CREATE", name="Account", fields=[{"name": "a"}, {"name": "b"}, {"name": "c", "type": "float"}]),
        task("bad rule", "identity.cloud.sailpoint_source_correlation_config", check=True, errors=True, source=SOURCE,
             attribute_assignments=[{"identityAttribute": "uid", "accountAttribute": "employeeId"}]),
    ]), check=True, expect_rc=0)
    policy = run.task("bad field type")
    assert policy.failed and policy.result["msg"] == (
        "fields[2].type: 'float' is not one of string, int, long, date, boolean, secret")
    rule = run.task("bad rule")
    assert rule.failed and rule.result["msg"].startswith("attribute_assignments[0].identityAttribute: unknown key")
    assert [e for e in sim.log if e["write"]] == []
