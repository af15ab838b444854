"""The sailpoint_source_onboarding role's plan (plugins/filter/sailpoint_source_plan.py): one list of loop items per
part, defaults applied, absent sources and connector attributes left out."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.identity.cloud.plugins.filter.sailpoint_source_plan import FilterModule, sailpoint_source_plan

SECRET = "s3cr3t-connector-password"


def test_a_full_source_is_split_into_its_parts_without_its_connector_attributes():
    source = {"name": "HR feed", "connector": "delimited-file",
              "connector_attributes": {"password": SECRET},
              "schemas": [{"name": "account", "nativeObjectType": "User"}, {"name": "group"}],
              "schedules": [{"type": "ACCOUNT_AGGREGATION", "cron_expression": "0 0 1 * * ?"}],
              "provisioning_policies": [{"name": "Create", "usage_type": "CREATE"}],
              "correlation_config": {"attribute_assignments": []},
              "attribute_sync_config": {"attributes": [{"name": "email", "enabled": True}]},
              "test_connection": False, "aggregate": "always", "aggregation_file": "/tmp/hr.csv",
              "aggregation_wait_timeout": 60}
    plan = sailpoint_source_plan([source])
    assert plan == {
        "schemas": [{"name": "account", "nativeObjectType": "User", "source": "HR feed"},
                    {"name": "group", "source": "HR feed"}],
        "schedules": [{"type": "ACCOUNT_AGGREGATION", "cron_expression": "0 0 1 * * ?", "source": "HR feed"}],
        "policies": [{"source": "HR feed", "policies": [{"name": "Create", "usage_type": "CREATE"}]}],
        "correlation": [{"attribute_assignments": [], "source": "HR feed"}],
        "sync": [{"attributes": [{"name": "email", "enabled": True}], "source": "HR feed"}],
        "entitlement_requests": [], "change_detection": [], "password_policies": [],
        "test": [],
        "aggregate": [{"source": "HR feed", "first": False, "file": "/tmp/hr.csv", "wait_timeout": 60}]}
    assert SECRET not in repr(plan)
    # the input is not changed
    assert "source" not in source["schemas"][0]


def test_defaults_test_the_connection_and_aggregate_first_only():
    for source in ({"name": "a"}, {"name": "a", "state": None, "schemas": None, "schedules": [],
                                   "provisioning_policies": [], "aggregate": None, "test_connection": True}):
        assert sailpoint_source_plan([source]) == {
            "schemas": [], "schedules": [], "policies": [], "correlation": [], "sync": [], "entitlement_requests": [],
            "change_detection": [], "password_policies": [], "test": ["a"],
            "aggregate": [{"source": "a", "first": True, "file": None, "wait_timeout": 300}]}


def test_absent_sources_and_aggregate_never_plan_nothing():
    plan = sailpoint_source_plan([
        {"name": "gone", "state": "absent", "schemas": [{"name": "account"}], "aggregate": "always",
         "correlation_config": {}, "attribute_sync_config": {}, "provisioning_policies": [{"name": "x"}]},
        {"name": "quiet", "aggregate": "never", "test_connection": "no"}])
    assert plan == {"schemas": [], "schedules": [], "policies": [], "correlation": [], "sync": [],
                    "entitlement_requests": [], "change_detection": [], "password_policies": [], "test": [],
                    "aggregate": []}


def test_several_sources_keep_their_order_and_an_empty_config_is_still_planned():
    plan = sailpoint_source_plan([{"name": "one", "correlation_config": {}, "schemas": [{"name": "account"}]},
                                  {"name": "two", "state": "present", "attribute_sync_config": {},
                                   "schemas": [{"name": "account"}], "aggregate": "first"}])
    assert [s["source"] for s in plan["schemas"]] == ["one", "two"]
    assert plan["correlation"] == [{"source": "one"}] and plan["sync"] == [{"source": "two"}]
    assert plan["test"] == ["one", "two"]
    assert [(a["source"], a["first"]) for a in plan["aggregate"]] == [("one", True), ("two", True)]


def test_entitlement_request_change_detection_and_password_policies_are_planned_per_source():
    plan = sailpoint_source_plan([{"name": "one", "entitlement_request_config": {"access_request_config": {}},
                                   "native_change_detection_config": {"enabled": True}, "password_policies": []},
                                  {"name": "two", "password_policies": ["Strong"]}])
    assert plan["entitlement_requests"] == [{"access_request_config": {}, "source": "one"}]
    assert plan["change_detection"] == [{"enabled": True, "source": "one"}]
    assert plan["password_policies"] == [{"source": "one", "policies": []}, {"source": "two", "policies": ["Strong"]}]


def test_not_a_list_of_dicts_fails_naming_the_variable():
    with pytest.raises(AnsibleFilterError, match="sailpoint_source_onboarding_sources"):
        sailpoint_source_plan({"name": "a"})
    with pytest.raises(AnsibleFilterError, match=r"sailpoint_source_onboarding_sources\[1\] must be a dict"):
        sailpoint_source_plan([{"name": "a"}, "b"])
    assert FilterModule().filters() == {"sailpoint_source_plan": sailpoint_source_plan}
