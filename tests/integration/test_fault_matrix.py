"""Fault matrix: every state module, every kind of call it makes, every fault the network or API can throw.

ROW FORMAT -- adding a state module is adding rows to ``ROWS``:

    Row(module, call, method, path, args, setup=(), expect=None)

- ``module``: the module name (``beyond_identity_group``); its vendor is the name's prefix.
- ``call``: the kind of call the fault hits: ``read``, ``create``, ``update``, ``delete``,
  ``membership`` or ``action`` (a POST that starts work and leaves nothing to re-read by: an
  aggregation, a lifecycle step, a secret rotation). It picks the outcome column of ``FAULTS``.
- ``method``, ``path``: the request the fault is injected on (HTTP method and a regular
  expression searched in the path); the first matching request gets the fault, once.
- ``args``: the module's arguments for the task under test (connection options are added).
- ``setup``: argument sets for the same module run first, without faults (e.g. create the object
  a ``delete`` row deletes); ``(module, args)`` runs another module (e.g. the source a schema hangs on).
- ``expect``: {fault id: outcome} where this call's documented outcome differs from ``FAULTS``
  (e.g. a create whose answer holds the only copy of a secret fails after a lost reply).
- ``"{files}"`` in a string argument is the folder of the files in ``FILES`` (uploads).

For each row and each fault in ``FAULTS`` the test runs setup + args once without a fault (the
expected end state), then again from a fresh simulator with the fault injected, and compares the
simulators' stores (ids replaced by the objects' names, times and secrets left out): same objects,
no duplicates, no lost update. Outcomes (``expect``):

- ``ok``: the task succeeds; retried by the client (429 honouring Retry-After, 502, 503, 504,
  reset, lost reply and read timeout for idempotent calls) or recovered by the engine (a create
  whose answer was lost is re-read before it is sent again; an expired token is fetched again).
- ``fails``: the task fails with one line and a run without the fault then converges (an action
  also ran once or not at all). This is the documented outcome for HTTP 500 (not a transient
  status: not retried), for a create answered 504 that never shows up (the client cannot tell
  whether the server will still create it: sending it again could make a duplicate; see
  ``max_retries`` in the docs), and for an ``action`` after anything that may hide a processed
  request (502, 504, a connection reset or lost reply after the request was sent, a read timeout):
  it may have run once, and running it again is the user's call, so the end state of an action is
  compared before that rerun.

Modules run in-process (``plays.run_module``), with ``max_retries: 2`` and ``timeout: 1`` so the
read timeout (``slow`` fault: 2 s) and the re-reads stay short.
"""

import json
import re
import time
from collections import namedtuple

import pytest

from tests.integration.plays import module_options, run_module

pytestmark = pytest.mark.no_random_faults  # it injects its faults one at a time

Row = namedtuple("Row", "module call method path args setup expect")
Row.__new__.__defaults__ = ((), None)

BI_REALM = {"realm": "Default"}
GROUP = dict(BI_REALM, display_name="Fault Group", description="matrix")
IDENTITY = dict(BI_REALM, username="fault.user", display_name="Fault User", email="fault@example.com")
APP_RS = dict(BI_REALM, display_name="Fault API", identifier="https://fault.example", scopes=["f:read", "f:write"])
APP = dict(BI_REALM, display_name="Fault App", resource_server="Fault API",
           protocol_config={"type": "oauth2", "allowed_scopes": ["f:read"], "confidentiality": "confidential",
                            "grant_type": ["client_credentials"]})
EMBEDDED = dict(BI_REALM, type="embedded", invoke_url="https://fault.example/auth",
                trusted_origins=["https://fault.example"])
ROLE = {"name": "Fault Desk", "description": "matrix", "users": ["jane.doe@example.com"]}
SOURCE = {"name": "Fault Feed", "description": "matrix", "owner": "Ada Admin", "connector": "delimited-file",
          "wait_timeout": 30}

BI = "/v1/tenants/[^/]+"
ROWS = [
    Row("beyond_identity_group", "read", "GET", "/groups$", GROUP),
    Row("beyond_identity_group", "create", "POST", "/groups$", GROUP),
    Row("beyond_identity_group", "update", "PATCH", "/groups/", dict(GROUP, description="changed"), [GROUP]),
    Row("beyond_identity_group", "membership", "POST", ":addMembers$", dict(GROUP, members=["alice", "bob"]), [GROUP]),
    Row("beyond_identity_group", "delete", "DELETE", "/groups/", dict(GROUP, state="absent"), [GROUP]),
    Row("beyond_identity_identity", "create", "POST", "/identities$", IDENTITY),
    Row("beyond_identity_identity", "update", "PATCH", "/identities/", dict(IDENTITY, status="suspended"), [IDENTITY]),
    Row("beyond_identity_identity", "membership", "POST", ":addMembers$", dict(IDENTITY, groups=["Fault Group"]),
        [("beyond_identity_group", GROUP), IDENTITY]),
    Row("beyond_identity_identity", "delete", "DELETE", "/identities/", dict(IDENTITY, state="absent"), [IDENTITY]),
    Row("beyond_identity_identity", "delete", "POST", ":batchDelete$",  # the bulk form (API 1.7.0)
        dict(BI_REALM, identities=[{"username": "fault.user", "state": "absent"}]), [IDENTITY]),
    Row("beyond_identity_realm", "create", "POST", BI + "/realms$", {"display_name": "Fault Realm"}),
    Row("beyond_identity_realm", "update", "PATCH", "/realms/", {"display_name": "Fault Realm 2", "id": "{realm}"},
        [{"display_name": "Fault Realm"}]),
    Row("beyond_identity_realm", "delete", "DELETE", "/realms/", {"display_name": "Fault Realm", "state": "absent"},
        [{"display_name": "Fault Realm"}]),
    Row("beyond_identity_tenant", "update", "PATCH", BI + "$", {"display_name": "Fault Tenant"}),
    Row("beyond_identity_tenant", "read", "GET", BI + "$", {"display_name": "Fault Tenant"}),
    Row("beyond_identity_theme", "create", "POST", "/themes$", dict(BI_REALM, email_realm_name="Fault Co")),
    Row("beyond_identity_theme", "update", "PATCH", "/themes/", dict(BI_REALM, email_realm_name="Fault Co 2"),
        [dict(BI_REALM, email_realm_name="Fault Co")]),
    Row("beyond_identity_resource_server", "create", "POST", "/resource-servers$", APP_RS),
    Row("beyond_identity_resource_server", "update", "PATCH", "/resource-servers/", dict(APP_RS, scopes=["f:read"]),
        [APP_RS]),
    Row("beyond_identity_resource_server", "delete", "DELETE", "/resource-servers/", dict(APP_RS, state="absent"),
        [APP_RS]),
    Row("beyond_identity_application", "create", "POST", "/applications$", APP,
        [("beyond_identity_resource_server", APP_RS)]),
    Row("beyond_identity_application", "delete", "DELETE", "/applications/", dict(APP, state="absent"),
        [("beyond_identity_resource_server", APP_RS), APP]),
    Row("beyond_identity_authenticator_config", "create", "POST", "/authenticator-configs$", EMBEDDED),
    Row("beyond_identity_authenticator_config", "update", "PATCH", "/authenticator-configs/",
        dict(EMBEDDED, trusted_origins=["https://other.example"]), [EMBEDDED]),
    Row("beyond_identity_authenticator_config", "delete", "DELETE", "/authenticator-configs/",
        dict(EMBEDDED, state="absent"), [EMBEDDED]),
    Row("finbourne_role", "create", "POST", "/roles$", ROLE),
    Row("finbourne_role", "update", "PUT", "/roles/[^/]+$", dict(ROLE, description="changed"), [ROLE]),
    Row("finbourne_role", "membership", "PUT", "/users/", dict(ROLE, users=["john.roe@example.com"]), [ROLE]),
    Row("finbourne_role", "delete", "DELETE", "/roles/[^/]+$", dict(ROLE, state="absent"), [ROLE]),
    Row("sailpoint_source", "create", "POST", "/sources$", SOURCE),
    Row("sailpoint_source", "update", "PATCH", "/sources/", dict(SOURCE, description="changed"), [SOURCE]),
    Row("sailpoint_source", "delete", "DELETE", "/sources/", dict(SOURCE, state="absent"), [SOURCE]),
]

BINDING = dict(BI_REALM, identity="fault.user", delivery_method="EMAIL",
               authenticator_config_id="{embedded}", post_binding_redirect_uri="https://fault.example/done")
ROWS += [
    Row("beyond_identity_credential_binding_job", "create", "POST", "/credential-binding-jobs$",
        BINDING, [("beyond_identity_identity", IDENTITY), ("beyond_identity_authenticator_config", EMBEDDED)]),
    Row("beyond_identity_credential_binding_job", "create", "POST", "/batch-credential-binding-jobs$",  # bulk, 1.7.0
        dict(BI_REALM, identities=["fault.user"], delivery_method="EMAIL"), [("beyond_identity_identity", IDENTITY)]),
    Row("beyond_identity_credential", "delete", "POST", ":revoke$", dict(BI_REALM, identity="alice", all_credentials=True)),
]

KEY = {"display_name": "Fault Key", "deactivation_date": "2035-01-01T00:00:00Z"}
APPLICATION = {"application_client_id": "fault-app", "display_name": "Fault App", "type": "Native"}
USER = {"login": "fault.user@example.com", "first_name": "Fault", "last_name": "User",
        "email_address": "fault.user@example.com", "type": "Personal", "roles": ["Fault Desk"]}
DESK = ("finbourne_role", {"name": "Fault Desk"})
OTHER_DESK = ("finbourne_role", {"name": "Other Desk"})
ROWS += [
    Row("finbourne_api_key", "read", "GET", "/api/keys$", KEY),
    Row("finbourne_api_key", "create", "POST", "/api/keys$", KEY, (),
        {"lost_reply": "fails", "read_timeout": "fails"}),  # the key's value is in that answer only
    Row("finbourne_api_key", "delete", "DELETE", "/api/keys/", dict(KEY, state="absent"), [KEY]),
    Row("finbourne_application", "create", "POST", "/api/applications$", APPLICATION),
    Row("finbourne_application", "action", "POST", r"/\$newsecret$", dict(APPLICATION, rotate_secret=True),
        [APPLICATION]),
    Row("finbourne_application", "delete", "DELETE", "/api/applications/", dict(APPLICATION, state="absent"),
        [APPLICATION]),
    Row("finbourne_password_policy", "read", "GET", "/password-policy/Personal$",
        {"user_type": "Personal", "complexity": {"minLength": 16}}),
    Row("finbourne_password_policy", "update", "PUT", "/password-policy/Personal$",
        {"user_type": "Personal", "complexity": {"minLength": 16}, "lockout": {"maxAttempts": 5}}),
    Row("finbourne_support_access", "create", "POST", "/api/authentication/support$",
        {"duration": "P1D", "description": "fault ticket"}),
    Row("finbourne_support_access", "delete", "DELETE", "/api/authentication/support$", {"state": "absent"},
        [{"duration": "P1D", "description": "fault ticket"}]),
    Row("finbourne_scim", "create", "PUT", "/api/identityprovider/scim$", {}, (),
        # the token is in that answer only
        {"502": "fails", "504": "fails", "reset": "fails", "lost_reply": "fails", "read_timeout": "fails"}),
    Row("finbourne_scim", "delete", "DELETE", "/api/identityprovider/scim$", {"state": "absent"}, [{}]),
    Row("finbourne_user_schema", "update", "PUT", "/api/users/schema$",
        {"alternative_user_ids": [{"name": "employee", "description": "HR"}]}),
    Row("finbourne_user", "read", "GET", "/api/users$", USER, [DESK]),
    Row("finbourne_user", "create", "POST", "/api/users$", USER, [DESK]),
    Row("finbourne_user", "update", "PUT", "/api/users/[^/]+$", dict(USER, first_name="Changed"), [DESK, USER]),
    Row("finbourne_user", "membership", "PUT", "/api/roles/[^/]+/users/", dict(USER, roles=["Other Desk"]),
        [DESK, OTHER_DESK, USER]),
    Row("finbourne_user", "delete", "DELETE", "/api/users/", dict(USER, state="absent"), [DESK, USER]),
    Row("finbourne_user_lifecycle", "action", "POST", r"/lifecycle/\$resetfactors$",
        {"login": "fault.user@example.com", "action": "reset_factors"}, [DESK, ("finbourne_user", USER)]),
    Row("finbourne_user_lifecycle", "action", "POST", r"/lifecycle/\$activate$",
        {"login": "fault.user@example.com", "action": "send_activation_email"}, [DESK, ("finbourne_user", USER)]),
]

SP_SOURCE = ("sailpoint_source", SOURCE)
ON_SOURCE = {"source": "Fault Feed"}
SCHEMA = dict(ON_SOURCE, name="department", native_object_type="User", identity_attribute="employeeId",
              display_attribute="displayName",
              attributes=[{"name": "employeeId", "type": "STRING"}, {"name": "displayName", "type": "STRING"}])
POLICY = dict(ON_SOURCE, usage_type="CREATE", name="Account", fields=[{"name": "employeeId", "type": "string"}])
POLICIES = dict(ON_SOURCE, policies=[{"usage_type": "CREATE", "name": "Account", "fields": [{"name": "mail"}]},
                                     {"usage_type": "UPDATE", "name": "Update", "fields": [{"name": "mail"}]}])
SCHEDULE = dict(ON_SOURCE, type="ACCOUNT_AGGREGATION", cron_expression="0 0 3 * * ?")
NCD = dict(ON_SOURCE, enabled=True, operations=["ACCOUNT_CREATED", "ACCOUNT_DELETED"], all_entitlements=True)
FILES = {"accounts.csv": "id,name,email\nE1001,Ada Lovelace,ada@example.com\n",
         "schema.csv": "name,type,multi\nemployeeId,STRING,false\nmail,STRING,false\n"}
ROWS += [
    Row("sailpoint_source_schema", "create", "POST", "/schemas$", SCHEMA, [SP_SOURCE]),
    Row("sailpoint_source_schema", "update", "PATCH", "/schemas/", dict(SCHEMA, display_attribute="employeeId"),
        [SP_SOURCE, SCHEMA]),
    Row("sailpoint_source_schema", "delete", "DELETE", "/schemas/", dict(SCHEMA, state="absent"), [SP_SOURCE, SCHEMA]),
    Row("sailpoint_provisioning_policy", "create", "POST", "/provisioning-policies$", POLICY, [SP_SOURCE]),
    Row("sailpoint_provisioning_policy", "update", "PUT", "/provisioning-policies/CREATE$",
        dict(POLICY, name="Account 2"), [SP_SOURCE, POLICY]),
    Row("sailpoint_provisioning_policy", "update", "POST", "/provisioning-policies/bulk-update$", POLICIES,
        [SP_SOURCE, POLICY]),
    Row("sailpoint_provisioning_policy", "delete", "DELETE", "/provisioning-policies/CREATE$",
        dict(POLICY, state="absent"), [SP_SOURCE, POLICY]),
    Row("sailpoint_source_schedule", "create", "POST", "/schedules$", SCHEDULE, [SP_SOURCE]),
    Row("sailpoint_source_schedule", "update", "PATCH", "/schedules/ACCOUNT_AGGREGATION$",
        dict(SCHEDULE, cron_expression="0 0 4 * * ?"), [SP_SOURCE, SCHEDULE]),
    Row("sailpoint_source_schedule", "delete", "DELETE", "/schedules/ACCOUNT_AGGREGATION$",
        dict(SCHEDULE, state="absent"), [SP_SOURCE, SCHEDULE]),
    Row("sailpoint_source_correlation_config", "update", "PUT", "/correlation-config$", dict(ON_SOURCE, attribute_assignments=[
        {"property": "uid", "value": "employeeId", "operation": "EQ", "ignoreCase": True, "matchMode": "ANYWHERE"}]),
        [SP_SOURCE]),
    Row("sailpoint_source_attribute_sync_config", "update", "PUT", "/attribute-sync-config$", dict(ON_SOURCE, attributes=[
        {"name": "email", "displayName": "Email", "enabled": True, "target": "mail"}]), [SP_SOURCE]),
    Row("sailpoint_source_entitlement_request_config", "update", "PUT", "/entitlement-request-config$",
        dict(ON_SOURCE, access_request_config={"requestCommentRequired": True}), [SP_SOURCE]),
    Row("sailpoint_source_native_change_detection_config", "update", "PUT", "/native-change-detection-config$", NCD,
        [SP_SOURCE]),
    Row("sailpoint_source_native_change_detection_config", "delete", "DELETE", "/native-change-detection-config$",
        dict(ON_SOURCE, state="absent"), [SP_SOURCE, NCD]),
    Row("sailpoint_source_password_policies", "update", "PATCH", "/password-policies$",
        dict(ON_SOURCE, policies=["Strong Policy"]), [SP_SOURCE]),
    Row("sailpoint_source_schema_file", "update", "POST", "/schemas/accounts$",
        dict(ON_SOURCE, src="{files}/schema.csv"), [SP_SOURCE]),
    Row("sailpoint_source_aggregation", "action", "POST", "/load-accounts$",
        dict(ON_SOURCE, file="{files}/accounts.csv", wait_timeout=30), [SP_SOURCE]),
    Row("sailpoint_source_aggregation", "read", "GET", "/task-status/",
        dict(ON_SOURCE, file="{files}/accounts.csv", wait_timeout=30), [SP_SOURCE]),
    Row("sailpoint_source_accounts", "action", "POST", "/remove-accounts$",
        dict(ON_SOURCE, action="remove_accounts", wait_timeout=30), [SP_SOURCE]),
    Row("sailpoint_source_accounts", "action", "POST", "/synchronize-attributes$",
        dict(ON_SOURCE, action="sync_attributes", wait_timeout=30), [SP_SOURCE]),
    Row("sailpoint_source_connector", "read", "POST", "/connector/check-connection$",
        dict(ON_SOURCE, action="test_connection"), [SP_SOURCE]),
    Row("sailpoint_source_connector", "action", "POST", "/upload-connector-file$",
        dict(ON_SOURCE, action="import_connector_file", file="{files}/accounts.csv"), [SP_SOURCE]),
]

# SailPoint identity side (issue 25): transforms, governance groups, identity profiles, lifecycle states
FAULT_TRANSFORM = {"name": "Fault Transform", "type": "lower", "attributes": {}}
FAULT_GG = {"name": "Fault Group", "description": "matrix", "owner": "Ada Admin"}
FAULT_IDP = {"name": "Fault Identities", "authoritative_source": "Fault Feed", "wait_timeout": 30}
ON_IDP = [SP_SOURCE, ("sailpoint_identity_profile", FAULT_IDP)]
FAULT_STATE = {"identity_profile": "Fault Identities", "technical_name": "fault", "name": "Fault State"}
IDN = "2c9180835d191a86015d28455b4a2300"  # the tenant's own IdentityNow source (its identities are the seeded ones)
TENANT_IDP = {"name": "Fault Tenant", "authoritative_source": IDN, "wait_timeout": 30}
TENANT_STATE = [("sailpoint_identity_profile", TENANT_IDP),
                ("sailpoint_identity_profile_action", {"action": "process", "identity_profile": "Fault Tenant"}),
                ("sailpoint_lifecycle_state", {"identity_profile": "Fault Tenant", "technical_name": "fault", "name": "F"})]
ROWS += [
    Row("sailpoint_transform", "create", "POST", "/transforms$", FAULT_TRANSFORM),
    Row("sailpoint_transform", "update", "PUT", "/transforms/",
        dict(FAULT_TRANSFORM, attributes={"input": {"type": "static", "attributes": {"values": "x"}}}), [FAULT_TRANSFORM]),
    Row("sailpoint_transform", "delete", "DELETE", "/transforms/", dict(FAULT_TRANSFORM, state="absent"),
        [FAULT_TRANSFORM]),
    Row("sailpoint_governance_group", "create", "POST", "/workgroups$", FAULT_GG),
    Row("sailpoint_governance_group", "update", "PATCH", "/workgroups/", dict(FAULT_GG, description="changed"),
        [FAULT_GG]),
    Row("sailpoint_governance_group", "membership", "POST", "/members/bulk-add$", dict(FAULT_GG, members=["Jane Doe"]),
        [FAULT_GG]),
    Row("sailpoint_governance_group", "membership", "POST", "/members/bulk-delete$", dict(FAULT_GG, members=[]),
        [dict(FAULT_GG, members=["Jane Doe"])]),
    Row("sailpoint_governance_group", "delete", "DELETE", "/workgroups/", dict(FAULT_GG, state="absent"), [FAULT_GG]),
    Row("sailpoint_governance_group", "delete", "POST", "/workgroups/bulk-delete$",
        {"governance_groups": [{"name": "Fault Group", "state": "absent"}]}, [FAULT_GG]),
    Row("sailpoint_identity_profile", "create", "POST", "/identity-profiles$", FAULT_IDP, [SP_SOURCE]),
    Row("sailpoint_identity_profile", "update", "PATCH", "/identity-profiles/",
        dict(FAULT_IDP, description="changed", priority=20), ON_IDP),
    Row("sailpoint_identity_profile", "delete", "DELETE", "/identity-profiles/", dict(FAULT_IDP, state="absent"), ON_IDP),
    Row("sailpoint_identity_profile_action", "action", "POST", "/process-identities$",
        {"action": "process", "identity_profile": "Fault Identities", "wait_timeout": 30}, ON_IDP),
    Row("sailpoint_identity_profile_action", "update", "POST", "/identity-profiles/import$",
        {"action": "import", "profiles": [{"version": 1, "self": {"type": "IDENTITY_PROFILE", "name": "Fault Tenant"},
                                           "object": {"name": "Fault Tenant", "description": "imported",
                                                      "authoritativeSource": {"type": "SOURCE", "id": IDN}}}]},
        TENANT_STATE[:1]),
    Row("sailpoint_identity_profile_action", "action", "POST", "/identity-profiles/bulk-delete$",
        {"action": "bulk_delete", "identity_profiles": ["Fault Identities"], "wait_timeout": 30}, ON_IDP),
    Row("sailpoint_lifecycle_state", "create", "POST", "/lifecycle-states$", FAULT_STATE, ON_IDP),
    Row("sailpoint_lifecycle_state", "update", "PATCH", "/lifecycle-states/", dict(FAULT_STATE, description="changed"),
        ON_IDP + [FAULT_STATE]),
    Row("sailpoint_lifecycle_state", "delete", "DELETE", "/lifecycle-states/", dict(FAULT_STATE, state="absent"),
        ON_IDP + [FAULT_STATE]),
    Row("sailpoint_identity_lifecycle_state", "action", "POST", "/set-lifecycle-state$",
        {"identity": "jane.doe", "lifecycle_state": "fault", "identity_profile": "Fault Tenant"}, TENANT_STATE),
]

# Beyond Identity 1.7: roles, SSO configs, identity providers, launch mechanisms
FAULT_RS = ("beyond_identity_resource_server", APP_RS)
BI_ROLE = dict(BI_REALM, resource_server="Fault API", display_name="Fault Role", description="matrix")
SSO = dict(BI_REALM, display_name="Fault SSO", type="bookmark", payload={"login_link": "https://fault.example"})
IDP = dict(BI_REALM, display_name="Fault IdP", idp_client_id="fault", idp_client_secret="fault-idp-secret",
           update_secrets="on_create", scopes=["openid"], identity_attribute="email",
           identifying_claim_name="email", pkce="s256", authorization_endpoint="https://fault.example/authorize",
           token_endpoint="https://fault.example/token", jwks_endpoint="https://fault.example/jwks")
ROWS += [
    Row("beyond_identity_role", "create", "POST", "/roles$", BI_ROLE, [FAULT_RS]),
    Row("beyond_identity_role", "update", "PATCH", "/roles/", dict(BI_ROLE, description="changed"),
        [FAULT_RS, BI_ROLE]),
    Row("beyond_identity_role", "membership", "POST", ":addMembers$",
        dict(BI_ROLE, members=["alice"], scopes=["f:read"]), [FAULT_RS, BI_ROLE]),
    Row("beyond_identity_role", "delete", "DELETE", "/roles/", dict(BI_ROLE, state="absent"),
        [FAULT_RS, dict(BI_ROLE, scopes=["f:read"])]),
    Row("beyond_identity_sso_config", "create", "POST", "/sso-configs$", SSO),
    Row("beyond_identity_sso_config", "update", "PATCH", "/sso-configs/",
        dict(SSO, payload={"login_link": "https://fault.example/2"}), [SSO]),
    Row("beyond_identity_sso_config", "membership", "POST", ":addGroups$", dict(SSO, groups=["Fault Group"]),
        [("beyond_identity_group", GROUP), SSO]),
    Row("beyond_identity_sso_config", "delete", "DELETE", "/sso-configs/", dict(SSO, state="absent"), [SSO]),
    Row("beyond_identity_sso_config", "read", "POST", "/test$", dict(SSO, test=True), [SSO]),  # changes nothing
    # the tokens themselves are left out of the comparison (one per token fetch): the row holds the outcomes
    Row("beyond_identity_application_token", "delete", "DELETE", "/tokens/",
        {"realm": "Beyond Identity Admin", "application": "Beyond Identity Management API", "all_tokens": True}),
    Row("beyond_identity_identity_provider", "create", "POST", "/identity-providers$", IDP),
    Row("beyond_identity_identity_provider", "update", "PATCH", "/identity-providers/", dict(IDP, pkce="plain"), [IDP]),
    Row("beyond_identity_identity_provider", "delete", "DELETE", "/identity-providers/", dict(IDP, state="absent"),
        [IDP]),
    Row("beyond_identity_flow_type_config", "update", "PATCH", "/flow-type-config$",
        dict(BI_REALM, launch_mechanisms={"web": {"copy": False}})),
    Row("beyond_identity_credential_binding_job", "update", "POST", "/credential-binding-jobs/[^/]+:revoke$",
        dict(BI_REALM, identity="fault.user", state="revoked"),
        [("beyond_identity_identity", IDENTITY), dict(BI_REALM, identity="fault.user", delivery_method="EMAIL")]),
]

# SailPoint access model (issue 25): entitlements come from an aggregation of the source's groups file
FILES["groups.csv"] = "id,name,displayName\nFault Admins,Fault Admins,Fault admins\nFault Readers,Fault Readers,Fault readers\n"
SP_GROUPS = ("sailpoint_source_entitlements", dict(ON_SOURCE, file="{files}/groups.csv", wait_timeout=30))
ENTITLEMENT = dict(ON_SOURCE, value="Fault Admins")
ACCESS_PROFILE = {"name": "Fault Profile", "source": "Fault Feed", "owner": "Ada Admin", "entitlements": ["Fault Admins"]}
SP_ACCESS = [SP_SOURCE, SP_GROUPS]
SP_PROFILE = SP_ACCESS + [("sailpoint_access_profile", ACCESS_PROFILE)]
SP_ROLE = {"name": "Fault Role", "owner": "Ada Admin", "access_profiles": ["Fault Profile"]}
ROWS += [
    Row("sailpoint_source_entitlements", "action", "POST", "/entitlements/aggregate/sources/",
        dict(ON_SOURCE, file="{files}/groups.csv", wait_timeout=30), [SP_SOURCE]),
    Row("sailpoint_source_entitlements", "action", "POST", "/entitlements/reset/sources/",
        dict(ON_SOURCE, action="reset", wait_timeout=30), SP_ACCESS),
    Row("sailpoint_entitlement", "update", "PATCH", "/entitlements/[0-9a-f]+$",
        dict(ENTITLEMENT, description="changed", owner="Ada Admin"), SP_ACCESS),
    Row("sailpoint_entitlement", "update", "PUT", "/entitlements/[0-9a-f]+/entitlement-request-config$",
        dict(ENTITLEMENT, request_config={"access_request_config": {"request_comment_required": True}}), SP_ACCESS),
    Row("sailpoint_entitlement", "update", "POST", "/entitlements/bulk-update$",
        dict(ON_SOURCE, requestable=True, entitlements=[{"value": "Fault Admins"}, {"value": "Fault Readers"}]),
        SP_ACCESS),
    Row("sailpoint_access_profile", "create", "POST", "/access-profiles$", ACCESS_PROFILE, SP_ACCESS),
    Row("sailpoint_access_profile", "update", "PATCH", "/access-profiles/",
        dict(ACCESS_PROFILE, description="changed", entitlements=["Fault Admins", "Fault Readers"]), SP_PROFILE),
    Row("sailpoint_access_profile", "update", "POST", "/access-profiles/bulk-update-requestable$",
        {"access_profiles": [{"name": "Fault Profile", "requestable": False}]}, SP_PROFILE),
    Row("sailpoint_access_profile", "delete", "DELETE", "/access-profiles/", {"name": "Fault Profile", "state": "absent"},
        SP_PROFILE),
    Row("sailpoint_role", "create", "POST", "/roles$", SP_ROLE, SP_PROFILE),
    Row("sailpoint_role", "update", "PATCH", "/roles/", dict(SP_ROLE, description="changed", requestable=False),
        SP_PROFILE + [("sailpoint_role", SP_ROLE)]),
    Row("sailpoint_role", "delete", "DELETE", "/roles/", {"name": "Fault Role", "state": "absent"},
        SP_PROFILE + [("sailpoint_role", SP_ROLE)]),
    Row("sailpoint_role_metadata", "action", "POST", "/access-model-metadata/bulk-update/ids$",
        {"operation": "add", "roles": ["Fault Role"], "values": [{"attribute": "iscPrivacy", "values": ["private"]}],
         "wait_timeout": 30}, SP_PROFILE + [("sailpoint_role", SP_ROLE)]),
]

# fault id -> (simulator fault, outcome on a create, on an action, on any other call)
FAULTS = {
    "429": ({"kind": "429", "retry_after": 1}, "ok", "ok", "ok"),
    "500": ({"kind": "5xx", "status": 500}, "fails", "fails", "fails"),
    "502": ({"kind": "5xx", "status": 502}, "ok", "fails", "ok"),
    "503": ({"kind": "5xx", "status": 503}, "ok", "ok", "ok"),
    "504": ({"kind": "5xx", "status": 504}, "fails", "fails", "ok"),
    "reset": ({"kind": "reset"}, "ok", "fails", "ok"),
    "lost_reply": ({"kind": "lost_reply"}, "ok", "fails", "ok"),
    "read_timeout": ({"kind": "slow", "delay": 2.0}, "ok", "fails", "ok"),
    "token_expiry": ({"kind": "expire_token"}, "ok", "ok", "ok"),
}
LEAVE_OUT = re.compile(r"time$|CacheUpdate$|^created$|^modified$|secret|^client_id$|jwk|thumbprint|^etag$|^last|^tasks$|"
                       r"^deletions$|^vault$|^windows$|^refresh_tokens$|^sessions$|^grants$|^key$|^token$|^dataJson$|"
                       r"^app-tokens$|_tile_id$|^role-bulk-updates$")  # Beyond Identity: tokens issued (one per fetch), tiles' random ids

STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")
SERVER_ID = re.compile(r"^[0-9a-f]{32}$")


def vendor_of(module):
    return next(v for v in ("beyond_identity", "finbourne", "sailpoint") if module.startswith(v + "_"))


def settle(sim):
    """Let work the simulator still holds finish, so that it is compared: a request the client gave up
    waiting for (read timeout) and a SailPoint task due in a moment."""
    deadline = time.time() + 10
    while any(e.get("status") is None for e in sim.log) and time.time() < deadline:
        time.sleep(0.05)
    pending = sim.store.get("pending") or {}
    if pending:
        time.sleep(max(0.0, max(work["due"] for work in pending.values()) - time.time()))
        with sim.lock:
            sim.finish_due_tasks()


def snapshot(sim):
    """The simulator's store with ids replaced by names, times and secrets left out, lists sorted."""
    settle(sim)
    labels = {}
    for name, objects in sim.store.items():
        if isinstance(objects, dict):
            for ident, obj in objects.items():
                if isinstance(obj, dict):
                    label = (obj.get("display_name") or obj.get("name") or (obj.get("traits") or {}).get("username")
                             or obj.get("identifier") or json.dumps(obj.get("config"), sort_keys=True))
                    labels[ident] = "%s:%s" % (name, label)

    def key_label(key, value):
        # objects kept under their server id inside another object (a source's schemas) go by name
        if key not in labels and SERVER_ID.match(str(key)) and isinstance(value, dict) and value.get("name"):
            return "id:%s" % value["name"]
        return labels.get(key, key)

    def clean(value):
        if isinstance(value, dict):
            return dict((key_label(k, v), clean(v)) for k, v in value.items()
                        if k != "id" and not LEAVE_OUT.search(str(k)))
        if isinstance(value, list):
            return sorted((clean(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
        if isinstance(value, str) and STAMP.match(value):
            return "<time>"
        return labels.get(value, value) if isinstance(value, str) else value

    def collection(objects):
        return isinstance(objects, dict) and objects and all(isinstance(o, (dict, list)) for o in objects.values())

    return dict((name, sorted(json.dumps(clean(o), sort_keys=True) for o in objects.values())
                 if collection(objects) else clean(objects))
                for name, objects in sim.store.items() if not LEAVE_OUT.search(name))


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fault-matrix-files")
    for name, text in FILES.items():
        (folder / name).write_text(text)
    return str(folder)


def converge(sim, row, files, fault=None):
    """Fresh simulator, setup, then the row's task (with ``fault`` injected): the task's result and arguments,
    and for an action the state before the task."""
    sim.reset()
    base = dict(module_options(sim, client_credentials=True), token_cache=False, max_retries=2, timeout=1)
    context = {"files": files}
    for step in row.setup:
        module, args = step if isinstance(step, tuple) else (row.module, step)
        args = dict((k, v.replace("{files}", files) if isinstance(v, str) else v) for k, v in args.items())
        done = run_module(module, dict(base, **args))
        assert not done.get("failed"), "setup of %s failed: %s" % (row.module, done.get("msg"))
        context.setdefault("realm", done.get("id"))
        if module == "beyond_identity_authenticator_config":
            context["embedded"] = done.get("id")
    args = dict((k, v.format(**context) if isinstance(v, str) else v) for k, v in row.args.items())
    before = snapshot(sim) if row.call == "action" else None
    if fault is not None:
        spec = dict(fault)
        sim.inject(spec.pop("kind"), method=row.method, path=row.path, **spec)
    return run_module(row.module, dict(base, **args)), dict(base, **args), before


EXPECTED = {}


def row_id(row):
    batch = "-batch" if "batch" in row.path.lower() else ""  # the bulk forms' batch calls (API 1.7.0)
    return "%s-%s-%s%s" % (row.module, row.call, row.method.lower(), batch)


@pytest.mark.parametrize("fault", sorted(FAULTS))
@pytest.mark.parametrize("row", ROWS, ids=[row_id(r) for r in ROWS])
def test_fault(row, fault, files, request):
    sim = request.getfixturevalue(vendor_of(row.module) + "_sim")
    key = row_id(row), row.path
    if key not in EXPECTED:
        clean = converge(sim, row, files)[0]
        assert not clean.get("failed"), "%s without faults failed: %s" % (key, clean.get("msg"))
        EXPECTED[key] = (snapshot(sim), clean.get("changed"))
    wanted, changed = EXPECTED[key]
    injected, on_create, on_action, other = FAULTS[fault]
    result, args, before = converge(sim, row, files, injected)
    assert [e for e in sim.log if re.search(row.path, e["path"]) and e["method"] == row.method], (
        "%s: the fault's path %s was never requested" % (key, row.path))
    default = on_create if row.call == "create" else on_action if row.call == "action" else other
    expect = (row.expect or {}).get(fault) or default
    msg = result.get("msg") or ""
    assert "\n" not in msg and "Traceback" not in msg and len(msg) < 700, msg
    if expect == "fails":
        assert result.get("failed"), "%s with %s: expected a one-line failure, got %s" % (key, fault, result)
        settle(sim)  # what the failed task left in flight lands before the rerun
        ran_once = False
        if row.call == "action":
            after = snapshot(sim)
            assert after in (before, wanted), "%s with %s: the action ran in part" % (key, fault)
            ran_once = after == wanted
        again = run_module(row.module, args)
        assert not again.get("failed"), "%s %s: the run after the failure failed: %s" % (key, fault, again.get("msg"))
        if ran_once:
            return  # the rerun ran it again, as asked
    else:
        assert not result.get("failed"), "%s with %s on %s %s failed: %s" % (key, fault, row.method, row.path, msg)
        assert result.get("changed") == changed, "%s %s: changed %s, without the fault %s" % (
            key, fault, result.get("changed"), changed)
    assert snapshot(sim) == wanted, "%s with %s: the end state differs from the fault-free run" % (key, fault)
