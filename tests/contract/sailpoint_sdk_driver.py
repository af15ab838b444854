"""Drives one release of the vendor's ``sailpoint`` SDK through every SourcesApi operation.

Run by ``test_sailpoint_sdk.py``: in-process for the latest release (``sources/v1`` tree, methods
named ``*_v1``) and, for 1.4.2 (``sailpoint.v2024``), as a script in that release's own virtualenv:

    python sailpoint_sdk_driver.py '{"flavor": "v2024", "base_url": ..., "client_id": ..., ...}'

which prints the report as JSON. Only the standard library and the SDK are imported here (the
1.4.2 virtualenv has nothing else). The SDK is configured the way its documentation says: a
``ConfigurationParams`` with base URL, client id and secret; the SDK fetches its own token.

Every call must succeed and its answer must deserialise into the SDK's model. Where the SDK
itself is wrong the operation goes through the SDK's own lower-level ``ApiClient``
(``param_serialize`` / ``call_api`` / ``response_deserialize``) and the report says so; the
fault is shown first by calling the SDK method and seeing it miss.
"""

import inspect
import json
import sys
import time
import typing

FLAVORS = {
    # package, SourcesApi module, task API module and method, method name suffix
    "v1": ("sailpoint.sources", "sailpoint.sources.api.sources_api", "sailpoint.task_management",
           "get_task_status_v1", "_v1"),
    "v2024": ("sailpoint.v2024", "sailpoint.v2024.api.sources_api", "sailpoint.v2024", "get_task_status", ""),
}
# SourcesApi methods of the latest release that are not operations of the v2024 Sources API
# (issue 11 covers that document): newer endpoints the v2024 document does not have.
NOT_IN_V2024 = frozenset((
    "create_provisioning_policy_v2", "delete_provisioning_policy_v2", "get_provisioning_policy_v2",
    "list_provisioning_policies_v2", "put_provisioning_policy_v2", "update_provisioning_policy_v2",
    "create_source_dataset_v1", "delete_source_dataset_objects_v1", "delete_source_dataset_v1",
    "get_source_dataset_v1", "get_source_datasets_v1", "import_source_dataset_v1", "put_source_dataset_v1",
    "update_source_dataset_v1", "create_source_resource_v1", "delete_source_resource_v1",
    "get_source_resource_correlation_reprocess_v1", "get_source_resource_mappings_v1", "get_source_resource_v1",
    "get_source_resources_v1", "put_source_resource_v1", "start_source_resource_correlation_reprocess_v1",
    "update_source_resource_v1", "delete_source_agents_v1", "get_account_delete_approval_config_v1",
    "update_account_deletion_approval_config_v1", "get_machine_account_deletion_approval_config_by_source_v1",
    "update_machine_account_deletion_approval_config_v1", "get_source_service_desk_integrations_v1",
    "list_password_policy_holders_on_source_v1",
))
ACCOUNTS_CSV = b"id,name,email,department\nu1,Una One,una@example.com,Sales\nu2,Ugo Two,ugo@example.com,IT\n"
ENTITLEMENTS_CSV = b"id,name,description\ng1,Admins,Administrators\ng2,Users,Everyone\n"


def public_methods(cls):
    return sorted(n for n, f in vars(cls).items() if callable(f) and not n.startswith("_")
                  and not n.endswith(("_with_http_info", "_without_preload_content")))


def model_class(annotation):
    """The SDK model class inside a parameter annotation (Annotated / Optional / List unwrapped)."""
    if inspect.isclass(annotation) and hasattr(annotation, "from_dict") or inspect.isclass(annotation) and \
            issubclass(annotation, str) and annotation is not str:
        return annotation
    for arg in typing.get_args(annotation):
        found = model_class(arg)
        if found is not None:
            return found
    return None


class Driver:
    def __init__(self, options):
        self.options = options
        self.flavor = options["flavor"]
        package, sources_module, task_package, self.task_method, self.suffix = FLAVORS[self.flavor]
        configuration_module = __import__("sailpoint.configuration", fromlist=["Configuration"])
        params = configuration_module.ConfigurationParams()
        params.base_url = options["base_url"]
        params.client_id = options["client_id"]
        params.client_secret = options["client_secret"]
        configuration = configuration_module.Configuration(params)
        configuration.experimental = True  # the attribute-sync operations are experimental
        configuration.suppress_experimental_warnings = True
        self.package = __import__(package, fromlist=["ApiClient"])
        self.client = self.package.ApiClient(configuration)
        self.api_class = __import__(sources_module, fromlist=["SourcesApi"]).SourcesApi
        self.api = self.api_class(self.client)
        task_package = __import__(task_package, fromlist=["ApiClient"])
        tasks_class = getattr(task_package, "TaskManagementApi", None) or __import__(
            task_package.__name__ + ".api.task_management_api", fromlist=["TaskManagementApi"]).TaskManagementApi
        self.tasks = tasks_class(task_package.ApiClient(configuration))
        self.called, self.failures, self.lowlevel, self.sdk_faults, self.log = set(), [], {}, [], []

    # -- calling ------------------------------------------------------------------------------

    def method(self, name):
        return getattr(self.api, name + self.suffix)

    def arg(self, name, parameter, value):
        """``value`` (plain data) as the SDK model the method's ``parameter`` expects."""
        annotation = inspect.signature(getattr(self.api_class, name + self.suffix)).parameters[parameter].annotation
        cls = model_class(annotation)
        if cls is None:
            return value
        if isinstance(value, list):
            return [cls.from_dict(v) for v in value]
        return cls(value) if issubclass(cls, str) else cls.from_dict(value)

    def call(self, name, *args, **kwargs):
        self.called.add(name + self.suffix)
        try:
            result = self.method(name)(*args, **kwargs)
        except Exception as exc:  # an SDK error or a deserialisation error: both are failures
            self.failures.append("%s: %s: %s" % (name, type(exc).__name__, " ".join(str(exc).split())[:400]))
            return None
        self.log.append((name, type(result).__name__))
        return result

    def low_level(self, name, method, path, path_params, response_type, body=None, reason=""):
        """The operation through the SDK's ApiClient, for an SDK method that cannot reach it."""
        self.called.add(name + self.suffix)
        self.lowlevel[name + self.suffix] = reason
        headers = {"Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        try:
            request = self.client.param_serialize(method=method, resource_path=path, path_params=path_params,
                                                  header_params=headers, body=body,
                                                  auth_settings=["userAuth", "applicationAuth"])
            response = self.client.call_api(*request)
            response.read()
            result = self.client.response_deserialize(response_data=response,
                                                      response_types_map={"200": response_type, "204": None}).data
        except Exception as exc:
            self.failures.append("%s (ApiClient): %s: %s" % (name, type(exc).__name__, str(exc)[:400]))
            return None
        self.log.append((name, type(result).__name__))
        return result

    def expect_sdk_fault(self, name, args, reason):
        """Show the SDK method missing the operation (a 404 for a literal ``{...}`` in its URL)."""
        try:
            self.method(name)(*args)
        except Exception as exc:
            if getattr(exc, "status", None) == 404:
                self.sdk_faults.append("%s%s: %s" % (name, self.suffix, reason))
                return
            self.failures.append("%s: expected the SDK fault (%s), got %s: %s"
                                 % (name, reason, type(exc).__name__, str(exc)[:200]))
            return
        self.failures.append("%s: expected the SDK fault (%s) but the call succeeded" % (name, reason))

    def wait(self, task_id, label):
        deadline = time.time() + 10
        while time.time() < deadline:
            self.called.add(self.task_method)
            try:
                status = getattr(self.tasks, self.task_method)(task_id)
            except Exception as exc:
                self.failures.append("task status of %s: %s: %s" % (label, type(exc).__name__, str(exc)[:300]))
                return None
            if status.completed is not None:
                if status.completion_status != "SUCCESS":
                    self.failures.append("%s task ended %s" % (label, status.completion_status))
                return status
            time.sleep(0.05)
        self.failures.append("%s task did not complete" % label)
        return None

    # -- the operations -----------------------------------------------------------------------

    def run(self):
        owner = {"type": "IDENTITY", "id": self.options["owner_id"]}
        source_body = {"name": "SDK Source", "description": "made by the SDK", "owner": owner,
                       "connector": "delimited-file"}
        sources = self.call("list_sources", limit=10, offset=0, count=True, filters='name sw "SDK"', sorters="name")
        created = self.call("create_source", self.arg("create_source", "source", source_body))
        doomed = self.call("create_source", self.arg("create_source", "source", dict(source_body, name="SDK Doomed")))
        if created is None or doomed is None or sources is None:
            return self.report()
        sid = created.id
        self.call("get_source", sid)
        self.call("put_source", sid, self.arg("put_source", "source", dict(source_body, description="put by the SDK")))
        self.call("update_source", sid, self.arg("update_source", "json_patch_operation",
                                                 [{"op": "replace", "path": "/description", "value": "patched"}]))
        self.call("get_source_health", sid)
        self.call("get_source_connections", sid)
        self.call("get_source_config", sid, locale="en")
        self.schemas(sid)
        self.policies(sid)
        self.schedules(sid)
        self.configs(sid)
        self.connector(sid)
        self.tasks_of(sid)
        task = self.call("delete_source", doomed.id)
        if task is not None:
            self.wait(task.id, "delete source")
        return self.report()

    def schemas(self, sid):
        self.call("get_source_schemas", sid, include_names="account,group")
        body = {"name": "extra", "nativeObjectType": "extra", "identityAttribute": "id", "displayAttribute": "id",
                "attributes": [{"name": "id", "type": "STRING", "description": "key"}]}
        schema = self.call("create_source_schema", sid, self.arg("create_source_schema", "model_schema", body))
        if schema is not None:
            self.call("get_source_schema", sid, schema.id)
            body["attributes"].append({"name": "label", "type": "STRING", "isMulti": True})
            self.call("put_source_schema", sid, schema.id, self.arg("put_source_schema", "model_schema", body))
            self.call("update_source_schema", sid, schema.id, self.arg(
                "update_source_schema", "json_patch_operation",
                [{"op": "replace", "path": "/displayAttribute", "value": "label"}]))
            self.call("delete_source_schema", sid, schema.id)
        self.call("get_accounts_schema", sid)
        self.call("import_accounts_schema", sid, file=("accounts.csv", ACCOUNTS_CSV))
        self.call("get_entitlements_schema", sid, schema_name="group")
        self.call("import_entitlements_schema", sid, schema_name="group", file=("entitlements.csv", ENTITLEMENTS_CSV))

    def policies(self, sid):
        create = {"name": "Account", "description": "new accounts", "usageType": "CREATE",
                  "fields": [{"name": "email", "transform": {"type": "identityAttribute",
                                                             "attributes": {"name": "email"}},
                              "attributes": {}, "isRequired": True, "type": "string", "isMultiValued": False}]}
        usage = self.arg("get_provisioning_policy", "usage_type", "CREATE")
        self.call("create_provisioning_policy", sid, self.arg("create_provisioning_policy", "provisioning_policy_dto",
                                                              create))
        self.call("list_provisioning_policies", sid)
        self.call("get_provisioning_policy", sid, usage)
        self.call("put_provisioning_policy", sid, usage, self.arg(
            "put_provisioning_policy", "provisioning_policy_dto", dict(create, description="put")))
        self.call("update_provisioning_policy", sid, usage, self.arg(
            "update_provisioning_policy", "json_patch_operation",
            [{"op": "replace", "path": "/description", "value": "patched"}]))
        bulk = [dict(create, name="Update", usageType="UPDATE"), dict(create, name="Enable", usageType="ENABLE")]
        self.call("update_provisioning_policies_in_bulk", sid, self.arg(
            "update_provisioning_policies_in_bulk", "provisioning_policy_dto", bulk))
        self.call("delete_provisioning_policy", sid, self.arg("delete_provisioning_policy", "usage_type", "ENABLE"))

    def schedules(self, sid):
        name = "create_source_schedule"
        parameter = [p for p in inspect.signature(getattr(self.api_class, name + self.suffix)).parameters
                     if p.startswith("schedule")][0]  # schedule1 in 1.4.2, schedule3 later: same model
        self.call(name, sid, self.arg(name, parameter, {"type": "ACCOUNT_AGGREGATION",
                                                        "cronExpression": "0 0 6 * * ?"}))
        self.call("get_source_schedules", sid)
        self.call("get_source_schedule", sid, "ACCOUNT_AGGREGATION")
        self.call("update_source_schedule", sid, "ACCOUNT_AGGREGATION", self.arg(
            "update_source_schedule", "json_patch_operation",
            [{"op": "replace", "path": "/cronExpression", "value": "0 30 6 * * ?"}]))
        self.call("delete_source_schedule", sid, "ACCOUNT_AGGREGATION")

    def configs(self, sid):
        correlation = self.call("get_correlation_config", sid)
        self.call("put_correlation_config", sid, self.arg("put_correlation_config", "correlation_config", {
            "id": correlation.id if correlation else None, "name": "Correlation",
            "attributeAssignments": [{"property": "email", "value": "email", "operation": "EQ", "complex": False,
                                      "ignoreCase": True, "matchMode": "ANYWHERE", "filterString": ""}]}))
        self.call("get_source_attr_sync_config", sid)
        self.call("put_source_attr_sync_config", sid, self.arg("put_source_attr_sync_config", "attr_sync_source_config", {
            "source": {"type": "SOURCE", "id": sid, "name": "SDK Source"},
            "attributes": [{"name": "email", "displayName": "Email", "enabled": True, "target": "mail"}]}))
        entitlement_request = {"accessRequestConfig": {"approvalSchemes": [{"approverType": "SOURCE_OWNER",
                                                                            "approverId": None}],
                                                       "requestCommentRequired": True},
                               "revocationRequestConfig": {"approvalSchemes": []}}
        ncd = {"enabled": True, "operations": ["ACCOUNT_CREATED", "ACCOUNT_DELETED"], "allEntitlements": True,
               "allNonEntitlementAttributes": False, "selectedEntitlements": [],
               "selectedNonEntitlementAttributes": ["email"]}
        if self.flavor == "v2024":
            self.sdk_wrong_configs(sid, entitlement_request, ncd)
            return
        self.call("get_source_entitlement_request_config", sid)
        self.call("update_source_entitlement_request_config", sid, self.arg(
            "update_source_entitlement_request_config", "source_entitlement_request_config", entitlement_request))
        self.call("get_native_change_detection_config", sid)
        self.call("put_native_change_detection_config", sid, self.arg(
            "put_native_change_detection_config", "native_change_detection_config", ncd))
        self.call("delete_native_change_detection_config", sid)

    def sdk_wrong_configs(self, sid, entitlement_request, ncd):
        """1.4.2: the entitlement-request-config methods have no source id parameter (the URL keeps a
        literal ``{id}``) and the native-change-detection-config methods take ``id`` but build the
        URL from ``{sourceId}`` (the document's own mismatch), so they never reach the source."""
        no_id = "the SDK method has no source id parameter and sends a literal {id}"
        literal = "the SDK method fills {id} but its URL template says {sourceId}, sent literally"
        self.expect_sdk_fault("get_source_entitlement_request_config", (), no_id)
        self.expect_sdk_fault("get_native_change_detection_config", (sid,), literal)
        models = self.package.models if hasattr(self.package, "models") else None
        path = "/sources/{id}/entitlement-request-config"
        self.low_level("get_source_entitlement_request_config", "GET", path, {"id": sid},
                       "SourceEntitlementRequestConfig", reason=no_id)
        body = models.SourceEntitlementRequestConfig.from_dict(entitlement_request)
        self.low_level("update_source_entitlement_request_config", "PUT", path, {"id": sid},
                       "SourceEntitlementRequestConfig", body=body, reason=no_id)
        path = "/sources/{sourceId}/native-change-detection-config"
        self.low_level("get_native_change_detection_config", "GET", path, {"sourceId": sid},
                       "NativeChangeDetectionConfig", reason=literal)
        self.low_level("put_native_change_detection_config", "PUT", path, {"sourceId": sid},
                       "NativeChangeDetectionConfig", body=models.NativeChangeDetectionConfig.from_dict(ncd),
                       reason=literal)
        self.low_level("delete_native_change_detection_config", "DELETE", path, {"sourceId": sid}, None,
                       reason=literal)

    def connector(self, sid):
        # no "selectors": the SDK's PasswordPolicyHoldersDtoInner.from_dict cannot build them (it names
        # PasswordPolicyHoldersDtoAttributes without importing it), in both releases
        holders = [{"policyId": "2c91808568c529c60168cca6f90c1777", "policyName": "Strong"}]
        name = "update_password_policy_holders"
        self.call(name, sid, self.arg(name, [p for p in inspect.signature(getattr(
            self.api_class, name + self.suffix)).parameters if p.startswith("password")][0], holders))
        self.call("ping_cluster", sid)
        self.call("test_source_configuration", sid)
        self.call("test_source_connection", sid)
        self.call("import_connector_file", sid, file=("driver.jar", b"PK\x03\x04 a connector jar"))

    def tasks_of(self, sid):
        found = self.call("import_accounts", sid, file=("accounts.csv", ACCOUNTS_CSV), disable_optimization="true")
        if found is not None:
            status = self.wait(found.task.id, "import accounts")
            if status is not None and status.attributes.get("total") != 2:
                self.failures.append("import accounts counted %r" % status.attributes)
        self.call("search_resource_objects", sid, self.arg("search_resource_objects", "resource_objects_request",
                                                           {"objectType": "account", "maxCount": 10}))
        found = self.call("import_uncorrelated_accounts", sid, file=("accounts.csv", ACCOUNTS_CSV))
        if found is not None:
            self.wait(found.task.id, "import uncorrelated accounts")
        found = self.call("import_entitlements", sid, file=("entitlements.csv", ENTITLEMENTS_CSV))
        if found is not None:
            self.wait(found.id, "import entitlements")
        found = self.call("sync_attributes_for_source", sid)
        if found is not None:
            self.wait(found.id, "synchronize attributes")
        found = self.call("delete_accounts_async", sid)
        if found is not None:
            self.wait(found.id, "remove accounts")

    def report(self):
        from importlib.metadata import version
        return {"sdk": version("sailpoint"), "flavor": self.flavor, "methods": public_methods(self.api_class),
                "called": sorted(self.called), "failures": self.failures, "lowlevel": self.lowlevel,
                "sdk_faults": self.sdk_faults, "results": self.log,
                "not_in_v2024": sorted(NOT_IN_V2024) if self.flavor == "v1" else []}


def run(options):
    return Driver(options).run()


if __name__ == "__main__":
    print(json.dumps(run(json.loads(sys.argv[1]))))
