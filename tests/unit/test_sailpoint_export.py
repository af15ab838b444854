"""The SailPoint export (plugins/plugin_utils/sailpoint_export.py): sources as sailpoint_source_info reads them ->
the sailpoint_source_onboarding role's variable, without ids, computed keys or secrets."""

import copy
import json

import pytest

from ansible_collections.identity.cloud.plugins.plugin_utils.export import ExportError, vault_variable
from ansible_collections.identity.cloud.plugins.plugin_utils.sailpoint_export import sailpoint_export

OWNER_ID = "2c9180857182305e0171993735622948"


def source(name="HR Feed", **extra):
    return dict({
        "id": "2c9180835d191a86015d28455b4a0001", "name": name, "description": "", "type": "DelimitedFile",
        "connector": "delimited-file", "connectorClass": "sailpoint.connector.DelimitedFileConnector",
        "owner": {"type": "IDENTITY", "id": OWNER_ID, "name": "Ada Admin"}, "cluster": None, "managementWorkgroup": None,
        "authoritative": False, "features": ["NO_RANDOM_ACCESS", "DIRECT_PERMISSIONS"], "deleteThreshold": 10,
        "credentialProviderEnabled": False, "category": None, "passwordPolicies": None, "healthy": False,
        "status": "SOURCE_STATE_UNCHECKED_SOURCE", "created": "2024-01-15T09:00:00.000Z",
        "connectorAttributes": {"healthy": False, "since": "x", "status": "s", "cloudExternalId": "1",
                                "cloudDisplayName": name, "cloudCacheUpdate": 1, "connectorFiles": [{"name": "a.jar"}],
                                "delimiter": ",", "password": "2:ciphertext", "clientSecret": None}}, **extra)


def exported(sources, *patterns):
    return sailpoint_export(sources, *patterns)["vars"]["sailpoint_source_onboarding_sources"]


def test_a_source_is_written_by_name_without_computed_keys_and_with_its_secret_as_a_vault_variable():
    result = sailpoint_export([source()])
    [out] = result["vars"]["sailpoint_source_onboarding_sources"]
    assert out["owner"] == "Ada Admin" and "cluster" not in out and "category" not in out
    assert out["connector_attributes"] == {"delimiter": ","}
    variable = vault_variable("sailpoint", "source", "HR Feed", "password")
    assert variable.startswith("vault_sailpoint_source_hr_feed_") and variable.endswith("_password")
    assert out["connector_secrets"] == {"password": "{{ %s }}" % variable}  # clientSecret is null: nothing to fill
    assert out["update_secrets"] == "on_create" and out["description"] == ""
    assert out["features"] == ["DIRECT_PERMISSIONS", "NO_RANDOM_ACCESS"]
    assert out["test_connection"] is False and out["aggregate"] == "never"
    assert [v["name"] for v in result["vault"]] == [out["connector_secrets"]["password"][3:-3]]
    assert "HR Feed" in result["vault"][0]["description"]
    text = json.dumps(result)
    for leaked in ("2:ciphertext", OWNER_ID, "created", "cloudExternalId", "connectorFiles", "healthy"):
        assert leaked not in text


def test_parts_keep_meaningful_order_and_sort_the_rest():
    parts = {"schemas": [{"id": "s2", "name": "group", "attributes": [{"name": "b", "isMulti": False, "schema": None},
                                                                      {"name": "a", "type": "STRING"}]},
                         {"id": "s1", "name": "Group", "features": ["b", "a"], "attributes": []}],
             "provisioning_policies": [{"usageType": "UPDATE", "name": None, "description": "",
                                        "fields": [{"name": "z", "isRequired": True}, {"name": "a"}]},
                                       {"usageType": "CREATE", "name": "Account", "fields": []}],
             "schedules": [{"type": "GROUP_AGGREGATION", "cronExpression": "0 0 1 * * ?"},
                           {"type": "ACCOUNT_AGGREGATION", "cronExpression": "0 0 2 * * ?"}],
             "correlation_config": {"id": "c", "name": "HR", "attributeAssignments": [
                 {"property": "uid", "value": "id", "filterString": None}, {"property": "email", "value": "mail"}]},
             "attribute_sync_config": {"source": {"id": "x"}, "attributes": [{"name": "m"}, {"name": "a"}]},
             "entitlement_request_config": {"accessRequestConfig": {"approvalSchemes": [
                 {"approverType": "MANAGER"}, {"approverType": "SOURCE_OWNER"}], "maxPermittedAccessDuration": None}},
             "native_change_detection_config": {"enabled": False, "operations": [], "allEntitlements": False}}
    [out] = exported([source(parts=parts, passwordPolicies=[{"id": "p", "name": "Strong"}])])
    assert [s["name"] for s in out["schemas"]] == ["Group", "group"]
    assert out["schemas"][1]["attributes"] == [{"name": "a", "type": "STRING"}, {"name": "b", "multi": False}]
    assert out["schemas"][0]["features"] == ["a", "b"]
    assert [p["usage_type"] for p in out["provisioning_policies"]] == ["CREATE", "UPDATE"]
    assert out["provisioning_policies"][1] == {"usage_type": "UPDATE", "fields": [{"name": "z"}, {"name": "a"}]}
    assert [s["type"] for s in out["schedules"]] == ["ACCOUNT_AGGREGATION", "GROUP_AGGREGATION"]
    assert out["correlation_config"] == {"name": "HR", "attribute_assignments": [
        {"property": "uid", "value": "id"}, {"property": "email", "value": "mail"}]}
    assert out["attribute_sync_config"] == {"attributes": [{"name": "a"}, {"name": "m"}]}
    assert out["entitlement_request_config"] == {"access_request_config": {"approvalSchemes": [
        {"approverType": "MANAGER"}, {"approverType": "SOURCE_OWNER"}]}}
    assert "native_change_detection_config" not in out  # off with nothing selected: the tenant's "none set"
    assert out["password_policies"] == ["Strong"]


def test_selection_identitynow_source_and_determinism():
    sources = [source("b-source"), source("IdentityNow", type="IdentityNowConnector"), source("HR Feed"),
               source("hr feed")]
    assert [s["name"] for s in exported(sources)] == ["HR Feed", "b-source", "hr feed"]
    assert [s["name"] for s in exported(sources, ["sailpoint:source:HR*"])] == ["HR Feed"]
    assert [s["name"] for s in exported(sources, [], ["sailpoint:source:*feed"])] == ["HR Feed", "b-source"]
    again = copy.deepcopy(list(reversed(sources)))
    assert sailpoint_export(again) == sailpoint_export(sources)
    slugs = [s["connector_secrets"]["password"] for s in exported(sources) if s["name"].lower() == "hr feed"]
    assert len(set(slugs)) == 2  # names differing only in case get different vault variables


def test_references_that_cannot_be_written_by_name_and_bad_input_fail_in_one_line():
    [out] = exported([source(owner={"type": "IDENTITY", "id": OWNER_ID, "name": OWNER_ID})])
    assert out["owner"] == {"name": OWNER_ID}  # a name that reads as an id is looked up by name
    with pytest.raises(ExportError, match="the owner of source 'HR Feed' has no name"):
        sailpoint_export([source(owner={"type": "IDENTITY", "id": OWNER_ID})])
    with pytest.raises(ExportError, match="tenant_export_include: unknown sailpoint kind 'schema'"):
        sailpoint_export([source()], ["sailpoint:schema"])
    with pytest.raises(ExportError, match="expects the sources of sailpoint_source_info"):
        sailpoint_export({"name": "x"})
