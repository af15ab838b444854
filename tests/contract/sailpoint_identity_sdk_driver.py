"""Drives one release of the vendor's ``sailpoint`` SDK through every operation of the Transforms,
Identity Profiles, Lifecycle States and Governance Groups APIs (issue 25: 32 operations).

Run by ``test_sailpoint_identity_sdk.py``, like ``sailpoint_sdk_driver.py`` for Sources: in-process
for the latest release (per-resource tree ``/transforms/v1``, ``/identity-profiles/v1``,
``/workgroups/v1``, ``/identities/v1/{id}/set-lifecycle-state``; methods named ``*_v1``, one package
per API) and, for 1.4.2 (``sailpoint.v2024``), as a script in that release's own virtualenv:

    python sailpoint_identity_sdk_driver.py '{"flavor": "v2024", "base_url": ..., "client_id": ..., ...}'

which prints the report as JSON. Only the standard library and the SDK are imported here. Every
call must succeed and its answer must deserialise into the SDK's model; the SDK fetches its own
token. The sources and accounts the operations need are made through the SDK's SourcesApi too.

Where SDK and document disagree the document decides (the simulator answers as the document
says): 1.4.2's GovernanceGroupsApi requires an ``X-SailPoint-Experimental`` argument that the
v2024 document does not declare for these operations (the driver passes ``"true"``; the simulator
ignores the header). Both releases fail to deserialise any governance group connection (see
``CONNECTED_TYPE_FAULT``): the driver shows the fault, then reads the same call's raw answer and
checks it. The delete-identity-profile / bulk-delete / process-identities answers are
tasks (TaskResultSimplified; process-identities' answer is a free-form object in the document)
that the driver follows through task status.
"""

import inspect
import json
import sys
import time
import typing

APIS = ("transforms", "identity_profiles", "lifecycle_states", "governance_groups")
CLASSES = {"transforms": "TransformsApi", "identity_profiles": "IdentityProfilesApi",
           "lifecycle_states": "LifecycleStatesApi", "governance_groups": "GovernanceGroupsApi"}
FLAVORS = {
    # package of an API (None: one package for all), task package and method, sources package, suffix
    "v1": ("sailpoint.%s", "sailpoint.task_management", "get_task_status_v1", "sailpoint.sources", "_v1"),
    "v2024": ("sailpoint.v2024", "sailpoint.v2024", "get_task_status", "sailpoint.v2024", ""),
}
# answers without a model: 204 (delete transform, delete workgroup)
ACCOUNTS_CSV = b"id,name,email,firstname,lastname\nu1,Una One,una@example.com,Una,One\nu2,Ugo Two,ugo@example.com,Ugo,Two\n"
CONNECTED_TYPE_FAULT = ("WorkgroupConnectionDtoObject.from_dict calls ConnectedObjectType.from_dict, which the enum "
                        "does not have: every connection the document describes (its object has a type) fails to "
                        "deserialise; the driver reads the SDK's raw answer instead")


def public_methods(cls):
    return sorted(n for n, f in vars(cls).items() if callable(f) and not n.startswith("_")
                  and not n.endswith(("_with_http_info", "_without_preload_content")))


def model_class(annotation):
    """The SDK model class inside a parameter annotation (Annotated / Optional / List unwrapped)."""
    if inspect.isclass(annotation) and hasattr(annotation, "from_dict"):
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
        package, task_package, self.task_method, sources_package, self.suffix = FLAVORS[self.flavor]
        configuration_module = __import__("sailpoint.configuration", fromlist=["Configuration"])
        params = configuration_module.ConfigurationParams()
        params.base_url = options["base_url"]
        params.client_id = options["client_id"]
        params.client_secret = options["client_secret"]
        configuration = configuration_module.Configuration(params)
        configuration.experimental = True
        configuration.suppress_experimental_warnings = True
        self.apis, self.classes = {}, {}
        for api in APIS:
            name = package % api if "%s" in package else package
            module = __import__(name, fromlist=["ApiClient"])
            cls = getattr(module, CLASSES[api], None) or getattr(
                __import__("%s.api.%s_api" % (name, api), fromlist=[CLASSES[api]]), CLASSES[api])
            self.classes[api] = cls
            self.apis[api] = cls(module.ApiClient(configuration))
        sources = __import__(sources_package, fromlist=["ApiClient"])
        sources_cls = getattr(sources, "SourcesApi", None) or __import__(
            sources_package + ".api.sources_api", fromlist=["SourcesApi"]).SourcesApi
        self.sources, self.sources_cls = sources_cls(sources.ApiClient(configuration)), sources_cls
        tasks = __import__(task_package, fromlist=["ApiClient"])
        tasks_cls = getattr(tasks, "TaskManagementApi", None) or __import__(
            task_package + ".api.task_management_api", fromlist=["TaskManagementApi"]).TaskManagementApi
        self.tasks = tasks_cls(tasks.ApiClient(configuration))
        self.called, self.failures, self.log, self.sdk_faults = set(), [], [], {}
        # 1.4.2's governance group methods want the experimental header as an argument (see the docstring)
        self.experimental = {"x_sail_point_experimental": "true"} if self.flavor == "v2024" else {}

    # -- calling ------------------------------------------------------------------------------

    def arg(self, api, name, parameter, value):
        """``value`` (plain data) as the SDK model the method's ``parameter`` expects."""
        if api == "sources":
            cls_of = self.sources_cls
        else:
            cls_of = self.classes[api]
        annotation = inspect.signature(getattr(cls_of, name + self.suffix)).parameters[parameter].annotation
        cls = model_class(annotation)
        if cls is None:
            return value
        if isinstance(value, list):
            return [cls.from_dict(v) for v in value]
        return cls.from_dict(value)

    def body_parameter(self, api, name):
        """The name of the method's body parameter (release-specific: ``set_lifecycle_state_v1_request``...)."""
        parameters = list(inspect.signature(getattr(self.classes[api], name + self.suffix)).parameters)
        keys = ("id", "workgroup_id", "identity_id", "identity_profile_id", "lifecycle_state_id", "x_sail_point_experimental")
        return [p for p in parameters[1:] if p not in keys][0]

    def call(self, api, operation, *args, **kwargs):
        self.called.add("%s.%s%s" % (api, operation, self.suffix))
        if api == "governance_groups":
            kwargs.update(self.experimental)
        try:
            result = getattr(self.apis[api], operation + self.suffix)(*args, **kwargs)
        except Exception as exc:  # an SDK error or a deserialisation error: both are failures
            self.failures.append("%s.%s: %s: %s" % (api, operation, type(exc).__name__, " ".join(str(exc).split())[:400]))
            return None
        self.log.append(("%s.%s" % (api, operation), type(result).__name__))
        return result

    def raw_after_sdk_fault(self, api, operation, args, kwargs, fault, reason):
        """Show the SDK method failing on a document-conformant answer, then read that answer raw
        (``*_without_preload_content``: the SDK's own request, no deserialisation) and return it."""
        self.called.add("%s.%s%s" % (api, operation, self.suffix))
        if api == "governance_groups":
            kwargs = dict(kwargs, **self.experimental)
        method = getattr(self.apis[api], operation + self.suffix)
        try:
            method(*args, **kwargs)
            self.failures.append("%s.%s: expected the SDK fault (%s) but the call succeeded" % (api, operation, fault))
        except Exception as exc:
            if "%s: %s" % (type(exc).__name__, exc) != fault:
                self.failures.append("%s.%s: expected the SDK fault (%s), got %s: %s"
                                     % (api, operation, fault, type(exc).__name__, str(exc)[:300]))
        try:
            response = getattr(self.apis[api], operation + self.suffix + "_without_preload_content")(*args, **kwargs)
            data = response.read()
            if response.status != 200:
                raise ValueError("answered %s" % response.status)
            found = json.loads(data)
        except Exception as exc:
            self.failures.append("%s.%s (raw): %s: %s" % (api, operation, type(exc).__name__, str(exc)[:300]))
            return None
        self.sdk_faults["%s.%s%s" % (api, operation, self.suffix)] = reason
        self.log.append(("%s.%s" % (api, operation), "raw"))
        return found

    def body(self, api, name, value):
        return self.arg(api, name, self.body_parameter(api, name), value)

    def source(self, name, **extra):
        body = dict({"name": name, "owner": {"type": "IDENTITY", "id": self.options["owner_id"]},
                     "connector": "delimited-file"}, **extra)
        try:
            return getattr(self.sources, "create_source" + self.suffix)(self.arg("sources", "create_source", "source", body))
        except Exception as exc:
            self.failures.append("setup: create source %s: %s: %s" % (name, type(exc).__name__, str(exc)[:300]))
            return None

    def wait(self, task_id, label):
        deadline = time.time() + 10
        while time.time() < deadline:
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

    def check(self, condition, text):
        if not condition:
            self.failures.append(text)

    # -- the operations -----------------------------------------------------------------------

    def run(self):
        hr = self.source("SDK HR")
        if hr is None:
            return self.report()
        try:
            load = getattr(self.sources, "import_accounts" + self.suffix)
            found = load(hr.id, file=("hr.csv", ACCOUNTS_CSV), disable_optimization="true")
            self.wait(found.task.id, "import accounts")
        except Exception as exc:
            self.failures.append("setup: import accounts: %s: %s" % (type(exc).__name__, str(exc)[:300]))
        transform = self.transforms(hr)
        profile = self.profiles(hr, transform)
        if profile is not None:
            self.lifecycle_states(profile, hr)
        self.governance_groups()
        if transform is not None and profile is not None:
            self.transform_in_use(transform, profile)
        return self.report()

    def transform_in_use(self, transform, profile):
        """Deleting a transform a profile mapping uses is refused (400); once unmapped it goes."""
        try:
            getattr(self.apis["transforms"], "delete_transform" + self.suffix)(transform.id)
            self.failures.append("delete_transform: a transform in use by a profile was deleted")
        except Exception as exc:
            self.check(getattr(exc, "status", None) == 400, "delete_transform in use: %s: %s" % (type(exc).__name__, exc))
        self.call("identity_profiles", "update_identity_profile", profile.id, self.body(
            "identity_profiles", "update_identity_profile",
            [{"op": "remove", "path": "/identityAttributeConfig/attributeTransforms/0"}]))
        self.call("transforms", "delete_transform", transform.id)

    def transforms(self, hr):
        upper = {"name": "SDK Upper Email", "type": "upper", "attributes": {"input": {
            "type": "accountAttribute", "attributes": {"sourceName": hr.name, "attributeName": "email"}}}}
        created = self.call("transforms", "create_transform", self.body("transforms", "create_transform", upper))
        doomed = self.call("transforms", "create_transform", self.body("transforms", "create_transform", {
            "name": "SDK Doomed", "type": "static", "attributes": {"values": "x"}}))
        listed = self.call("transforms", "list_transforms", offset=0, limit=10, count=True, name="SDK Upper Email",
                           filters='name sw "SDK"')
        self.check(listed is not None and [t.name for t in listed] == ["SDK Upper Email"], "list_transforms: %r" % listed)
        if created is None or doomed is None:
            return None
        self.call("transforms", "get_transform", created.id)
        upper["attributes"]["requiresPeriodicRefresh"] = False
        self.call("transforms", "update_transform", created.id, self.body("transforms", "update_transform", upper))
        self.call("transforms", "delete_transform", doomed.id)
        return created

    def profiles(self, hr, transform):
        api = "identity_profiles"
        config = {"enabled": True, "attributeTransforms": [
            {"identityAttributeName": "email", "transformDefinition": {"type": "reference", "attributes": {
                "id": transform.name if transform else "missing"}}},
            {"identityAttributeName": "displayName", "transformDefinition": {"type": "accountAttribute", "attributes": {
                "sourceName": hr.name, "attributeName": "name"}}}]}
        owner = {"type": "IDENTITY", "id": self.options["owner_id"]}
        body = {"name": "SDK Profile", "description": "made by the SDK", "owner": owner, "priority": 10,
                "authoritativeSource": {"type": "SOURCE", "id": hr.id}, "identityAttributeConfig": config}
        profile = self.call(api, "create_identity_profile", self.body(api, "create_identity_profile", body))
        doomed = []
        for index in (1, 2):
            other = self.source("SDK Doomed Source %d" % index)
            if other is not None:
                doomed.append(self.call(api, "create_identity_profile", self.body(api, "create_identity_profile", dict(
                    body, name="SDK Doomed %d" % index, authoritativeSource={"type": "SOURCE", "id": other.id},
                    identityAttributeConfig={"enabled": False, "attributeTransforms": []}))))
        if profile is None or None in doomed or len(doomed) != 2:
            return None
        self.call(api, "list_identity_profiles", limit=10, offset=0, count=True, filters='name sw "SDK"',
                  sorters="-priority,name")
        self.call(api, "get_identity_profile", profile.id)
        self.call(api, "update_identity_profile", profile.id, self.body(api, "update_identity_profile", [
            {"op": "replace", "path": "/description", "value": "patched by the SDK"}]))
        self.call(api, "get_default_identity_attribute_config", profile.id)
        exported = self.call(api, "export_identity_profiles", limit=10, offset=0, count=True,
                             filters='name eq "SDK Profile"', sorters="name")
        if exported:
            imported = self.call(api, "import_identity_profiles", exported)
            self.check(imported is None or (len(imported.imported_objects) == 1 and not imported.errors),
                       "import_identity_profiles: %r" % imported)
        task = self.call(api, "sync_identity_profile", profile.id)
        if task is not None:
            status = self.wait(task["id"], "process identities")
            self.check(status is None or status.attributes.get("identities") == 2, "process identities: %r" % status)
        identity = self.identity_of(hr)
        preview = self.call(api, "generate_identity_preview", self.body(api, "generate_identity_preview", {
            "identityId": identity or self.options["owner_id"], "identityAttributeConfig": config}))
        if preview is not None and identity:
            values = dict((a.name, a.value) for a in preview.preview_attributes)
            self.check(values.get("email") == "UNA@EXAMPLE.COM", "identity preview: %r" % values)
        task = self.call(api, "delete_identity_profile", doomed[0].id)
        if task is not None:
            self.wait(task.id, "delete identity profile")
        task = self.call(api, "delete_identity_profiles", [doomed[1].id])
        if task is not None:
            self.wait(task.id, "bulk delete identity profiles")
        return profile

    def identity_of(self, hr):
        """The identity process-identities made of account u1 (read through the raw API: not an issue-25 operation)."""
        client = self.apis["identity_profiles"].api_client
        path = "/v2024/identities" if self.flavor == "v1" else "/identities"  # the latest SDK's host has no version
        try:
            request = client.param_serialize(method="GET", resource_path=path, query_params=[("filters", 'alias eq "u1"')],
                                             header_params={"Accept": "application/json"},
                                             auth_settings=["userAuth", "applicationAuth"])
            response = client.call_api(*request)
            response.read()
            found = json.loads(response.data)
        except Exception as exc:
            self.failures.append("setup: find the identity of u1: %s: %s" % (type(exc).__name__, str(exc)[:300]))
            return None
        if not isinstance(found, list) or len(found) != 1:
            self.failures.append("setup: find the identity of u1: %r" % (found,))
            return None
        return found[0]["id"]

    def lifecycle_states(self, profile, hr):
        api = "lifecycle_states"
        body = {"name": "SDK Active", "technicalName": "sdkactive", "enabled": True, "description": "active",
                "emailNotificationOption": {"notifyManagers": True, "notifyAllAdmins": False,
                                            "notifySpecificUsers": True, "emailAddressList": ["hr@example.com"]},
                "accountActions": [{"action": "ENABLE", "sourceIds": [hr.id]}], "accessProfileIds": []}
        if self.flavor == "v1":  # the per-resource tree's model has these too (the v2024 document does not)
            body.update(priority=20, accessActionConfiguration={"removeAllAccessEnabled": True})
            body["accountActions"].append({"action": "DISABLE", "allSources": True, "excludeSourceIds": [hr.id]})
        state = self.call(api, "create_lifecycle_state", profile.id, self.body(api, "create_lifecycle_state", body))
        if self.flavor == "v1" and state is not None:
            self.check((state.priority, state.access_action_configuration.remove_all_access_enabled) == (20, True),
                       "create lifecycle state: priority / accessActionConfiguration %r" % state)
        doomed = self.call(api, "create_lifecycle_state", profile.id, self.body(api, "create_lifecycle_state", dict(
            body, name="SDK Gone", technicalName="sdkgone")))
        if state is None or doomed is None:
            return
        self.call(api, "get_lifecycle_states", profile.id, limit=10, offset=0, count=True, sorters="name")
        self.call(api, "get_lifecycle_state", profile.id, state.id)
        self.call(api, "update_lifecycle_states", profile.id, state.id, self.body(api, "update_lifecycle_states", [
            {"op": "replace", "path": "/description", "value": "patched by the SDK"}] + ([
                {"op": "replace", "path": "/priority", "value": 30}] if self.flavor == "v1" else [])))
        identity = self.identity_of(hr)
        if identity:
            self.call(api, "set_lifecycle_state", identity, self.body(api, "set_lifecycle_state",
                                                                      {"lifecycleStateId": state.id}))
            read = self.call(api, "get_lifecycle_state", profile.id, state.id)
            self.check(read is None or read.identity_count == 1, "set lifecycle state: identityCount %r" % read)
        self.call(api, "delete_lifecycle_state", profile.id, doomed.id)

    def governance_groups(self):
        api = "governance_groups"
        owner = {"type": "IDENTITY", "id": self.options["owner_id"]}
        group = self.call(api, "create_workgroup", self.body(api, "create_workgroup", {
            "name": "SDK Group", "description": "made by the SDK", "owner": owner}))
        spare = self.call(api, "create_workgroup", self.body(api, "create_workgroup", {
            "name": "SDK Spare", "description": "deleted in bulk", "owner": owner}))
        doomed = self.call(api, "create_workgroup", self.body(api, "create_workgroup", {
            "name": "SDK Doomed Group", "owner": owner}))
        if group is None or spare is None or doomed is None:
            return
        self.call(api, "list_workgroups", offset=0, limit=10, count=True, filters='name sw "SDK"', sorters="name")
        self.call(api, "get_workgroup", group.id)
        self.call(api, "patch_workgroup", group.id, self.body(api, "patch_workgroup", [
            {"op": "replace", "path": "/description", "value": "patched by the SDK"}]))
        members = [{"type": "IDENTITY", "id": self.options["owner_id"]}]
        added = self.call(api, "update_workgroup_members", group.id, self.body(api, "update_workgroup_members", members))
        self.check(added is None or [m.status for m in added] == [201], "bulk-add members: %r" % added)
        self.call(api, "list_workgroup_members", group.id, offset=0, limit=50, count=True, sorters="name")
        managed = self.source("SDK Managed", managementWorkgroup={"type": "GOVERNANCE_GROUP", "id": group.id})
        connections = self.raw_after_sdk_fault(api, "list_connections", (group.id,), dict(
            offset=0, limit=50, count=True, sorters="name"), "AttributeError: from_dict", CONNECTED_TYPE_FAULT)
        kinds = [(c["object"]["type"], c["connectionType"]) for c in connections or []]
        self.check(managed is None or connections is None or kinds == [("SOURCE", "ManagementWorkgroup")],
                   "connections: %r" % connections)
        removed = self.call(api, "delete_workgroup_members", group.id, self.body(api, "delete_workgroup_members", members))
        self.check(removed is None or [m.status for m in removed] == [204], "bulk-delete members: %r" % removed)
        answer = self.call(api, "delete_workgroups_in_bulk", self.body(api, "delete_workgroups_in_bulk", {
            "ids": [spare.id, group.id]}))
        self.check(answer is None or [(a.id, a.status) for a in answer] == [(spare.id, 204), (group.id, 409)],
                   "bulk delete: %r" % answer)
        self.call(api, "delete_workgroup", doomed.id)

    def report(self):
        from importlib.metadata import version
        return {"sdk": version("sailpoint"), "flavor": self.flavor,
                "methods": sorted("%s.%s" % (api, m) for api in APIS for m in public_methods(self.classes[api])),
                "called": sorted(self.called), "failures": self.failures, "results": self.log,
                "sdk_faults": self.sdk_faults}


def run(options):
    return Driver(options).run()


if __name__ == "__main__":
    print(json.dumps(run(json.loads(sys.argv[1]))))
