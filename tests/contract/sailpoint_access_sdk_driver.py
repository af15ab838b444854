"""Drives one release of the vendor's ``sailpoint`` SDK through every operation of the v2024 document's
tags Entitlements (12), Access Profiles (8) and Roles (16), against the simulator.

Run by ``test_sailpoint_access_sdk.py``: in-process for the latest release (the per-resource packages
``sailpoint.entitlements``, ``sailpoint.access_profiles``, ``sailpoint.roles``: ``/entitlements/v1``...,
methods named ``*_v1``) and, for 1.4.2 (``sailpoint.v2024``), as a script in that release's virtualenv:

    python sailpoint_access_sdk_driver.py '{"flavor": "v2024", "base_url": ..., "client_id": ..., ...}'

which prints the report as JSON. Only the standard library, the SDK and ``sailpoint_sdk_driver`` (its
Driver: configuration, task waits, calls through the SDK's ApiClient) are imported here. The SDK's
own SourcesApi sets the stage: two delimited-file sources whose account schema has a multi-valued
entitlement attribute ``groups``, aggregated from a CSV, so that the entitlements the operations
work on are the ones aggregation made.

Every call must succeed and its answer deserialise into the SDK's model; the driver also checks what
the answers say (the aggregated values, parents and children, members, per-item results, the bulk
updates' effects). Where an SDK and the document disagree the document decides, and the operation
goes through the SDK's own ApiClient, after the SDK method is shown to fail (``sdk_faults``):

* ``update_roles_metadata_by_filter`` / ``_by_query`` (both releases): the document requires
  ``attribute`` and ``values`` in each item of ``values`` (its properties are named ``attributeKey``
  and, by query, ``attributeValue``); the SDK's models send only the declared properties, so the
  simulator refuses them with 400 as the document's ``required`` says. The driver then sends
  ``{"attribute": ..., "values": [...]}``.
* 1.4.2 ``search_roles_by_filter`` deserialises the answer as one ``Role``: the document's 200 answer
  is ``type: array`` (its ``allOf`` of Role aside) and says "returns a list of Role"; the latest
  release reads a list.

The latest release reads entitlements as ``EntitlementV2`` (``privilegeLevel`` instead of the
document's ``privileged``): ``privileged`` is checked with 1.4.2 only.
"""

import json
import sys
import time

try:
    from tests.contract.sailpoint_sdk_driver import Driver, public_methods
except ImportError:  # a script in the 1.4.2 virtualenv: the sibling module
    from sailpoint_sdk_driver import Driver, public_methods

# tag -> (latest release: package, module, class), 1.4.2: (module, class)
APIS = {
    "entitlements": (("sailpoint.entitlements", "sailpoint.entitlements.api.entitlements_api", "EntitlementsApi"),
                     "sailpoint.v2024.api.entitlements_api"),
    "access_profiles": (("sailpoint.access_profiles", "sailpoint.access_profiles.api.access_profiles_api",
                         "AccessProfilesApi"), "sailpoint.v2024.api.access_profiles_api"),
    "roles": (("sailpoint.roles", "sailpoint.roles.api.roles_api", "RolesApi"), "sailpoint.v2024.api.roles_api"),
}
# methods of the latest release that are not operations of these tags of the v2024 document
NOT_IN_V2024 = frozenset((
    "list_entitlements_by_account_v1", "update_entitlements_metadata_by_filter_v1",
    "update_entitlements_metadata_by_ids_v1", "update_entitlements_metadata_by_query_v1",
    "delete_metadata_from_access_profile_by_key_and_value_v1", "search_access_profiles_by_filter_v1",
    "update_access_profiles_metadata_by_filter_v1", "update_access_profiles_metadata_by_ids_v1",
    "update_access_profiles_metadata_by_query_v1", "update_attribute_key_and_value_to_access_profile_v1",
))
WORKGROUP_ID = "2c91808568c529c60168cca6f90c2222"  # the simulator's seeded governance group
MEMBER = "jane.doe"  # a seeded identity (attributes.uid)
ACCOUNTS_CSV = b"id,name,email,groups\nu1,Una One,una@example.com,Admins|Users\nu2,Ugo Two,ugo@example.com,Users\n"
GROUPS_CSV = b"id,name,memberOf\nUsers,All users,\nAdmins,Administrators,Users\n"


class AccessDriver(Driver):
    def __init__(self, options):
        super().__init__(options)
        configuration = self.client.configuration
        self.apis, self.clients = {}, {}
        for tag, (latest, legacy) in APIS.items():
            if self.flavor == "v1":
                package, module, name = latest
                client = __import__(package, fromlist=["ApiClient"]).ApiClient(configuration)
            else:
                module, name = legacy, latest[2]
                client = self.client
            api_class = getattr(__import__(module, fromlist=[name]), name)
            self.apis[tag] = api_class(client)
            self.clients[tag] = client
        self.sources_api = self.api
        self.checks = []

    # -- calling: the method's own API ------------------------------------------------------------

    def _owner(self, name):
        for tag, api in self.apis.items():
            if hasattr(type(api), name + self.suffix):
                return tag, api
        raise AttributeError(name)

    def method(self, name):
        return getattr(self._owner(name)[1], name + self.suffix)

    def arg(self, name, parameter, value):
        try:
            self.api_class = type(self._owner(name)[1])
        except AttributeError:  # a SourcesApi method (setup)
            self.api_class = type(self.sources_api)
        return super().arg(name, parameter, value)

    def body(self, name, value):
        """``value`` as the model of the method's only body parameter, by that parameter's name."""
        import inspect
        api_class = type(self._owner(name)[1])
        params = [p for p in inspect.signature(getattr(api_class, name + self.suffix)).parameters
                  if p not in ("self", "id") and not p.startswith(("_", "x_sail_point"))]
        model = [p for p in params if p not in ("for_subadmin", "limit", "offset", "count", "sorters", "filters",
                                                "for_segment_ids", "include_unsegmented")][0]
        return {model: self.arg(name, model, value)}

    def low_level_in(self, tag, name, method, path, status, response_type, body, reason):
        """The operation through the ApiClient of the tag's package (``path`` as in the v2024 document: the
        per-resource tree puts ``/v1`` after its first part), expecting ``status``."""
        if self.flavor == "v1":
            first, _sep, rest = path.lstrip("/").partition("/")
            path = "/%s/v1/%s" % (first, rest)
        client = self.clients[tag]
        self.called.add(name + self.suffix)
        self.lowlevel[name + self.suffix] = reason
        try:
            request = client.param_serialize(method=method, resource_path=path, body=body,
                                             header_params={"Accept": "application/json",
                                                            "Content-Type": "application/json"},
                                             auth_settings=["userAuth", "applicationAuth"])
            response = client.call_api(*request)
            response.read()
            result = client.response_deserialize(response_data=response,
                                                 response_types_map={str(status): response_type}).data
        except Exception as exc:
            self.failures.append("%s (ApiClient): %s: %s" % (name, type(exc).__name__, str(exc)[:400]))
            return None
        self.log.append((name, type(result).__name__))
        return result

    def setup(self, name, *args, **kwargs):
        """A SourcesApi call that sets the stage (not one of the operations judged)."""
        try:
            return getattr(self.sources_api, name + self.suffix)(*args, **kwargs)
        except Exception as exc:
            self.failures.append("setup %s: %s: %s" % (name, type(exc).__name__, str(exc)[:300]))
            return None

    def expect(self, label, have, wanted):
        self.checks.append(label)
        if have != wanted:
            self.failures.append("%s: got %r, expected %r" % (label, have, wanted))

    def source(self, name):
        body = {"name": name, "owner": {"type": "IDENTITY", "id": self.options["owner_id"]},
                "connector": "delimited-file"}
        source = self.setup("create_source", self.arg("create_source", "source", body))
        if source is None:
            return None
        schemas = dict((s.name, s) for s in self.setup("get_source_schemas", source.id) or [])
        account, group = schemas["account"], schemas["group"]
        attributes = [a.to_dict() for a in account.attributes] + [{
            "name": "groups", "type": "STRING", "isMulti": True, "isEntitlement": True, "isGroup": True,
            "schema": {"type": "CONNECTOR_SCHEMA", "id": group.id, "name": "group"}}]
        schema = dict(((k, v) for k, v in account.to_dict().items() if k not in ("created", "modified")),
                      attributes=attributes)
        self.setup("put_source_schema", source.id, account.id, self.arg("put_source_schema", "model_schema", schema))
        self.setup("update_source_schema", source.id, group.id, self.arg(
            "update_source_schema", "json_patch_operation",
            [{"op": "replace", "path": "/hierarchyAttribute", "value": "memberOf"}]))
        task = self.setup("import_accounts", source.id, file=("accounts.csv", ACCOUNTS_CSV), disable_optimization="true")
        if task is not None:
            self.wait(task.task.id, "aggregation of %s" % name)
        return source

    # -- the operations -------------------------------------------------------------------------------

    def run(self):
        hr, other = self.source("SDK Access HR"), self.source("SDK Access Other")
        if hr is None or other is None:
            return self.report()
        entitlements = self.entitlements(hr, other)
        if entitlements:
            profile = self.access_profiles(hr, entitlements)
            if profile is not None:
                self.roles(profile, entitlements)
        return self.report()

    def entitlements(self, hr, other):
        by_source = 'source.id eq "%s"' % hr.id
        found = self.call("list_entitlements", filters=by_source, sorters="value", limit=10, offset=0, count=True)
        if not found:
            self.failures.append("list_entitlements: the aggregation made no entitlement")
            return None
        self.expect("aggregated entitlements", sorted(e.value for e in found), ["Admins", "Users"])
        values = dict((e.value, e) for e in found)
        admins, users = values["Admins"], values.get("Users")
        self.call("get_entitlement", admins.id)
        patched = self.call("patch_entitlement", admins.id, **self.body("patch_entitlement", [
            {"op": "replace", "path": "/requestable", "value": True},
            {"op": "replace", "path": "/owner", "value": {"type": "IDENTITY", "id": self.options["owner_id"]}}]))
        if patched is not None:
            self.expect("patched entitlement", (patched.requestable, patched.owner.name), (True, "Ada Admin"))
        self.call("update_entitlements_in_bulk", **self.body("update_entitlements_in_bulk", {
            "entitlementIds": [admins.id, users.id],
            "jsonPatch": [{"op": "replace", "path": "/privileged", "value": True}]}))
        self.call("get_entitlement_request_config", users.id)
        config = self.call("put_entitlement_request_config", users.id, **self.body("put_entitlement_request_config", {
            "accessRequestConfig": {"approvalSchemes": [{"approverType": "GOVERNANCE_GROUP",
                                                         "approverId": WORKGROUP_ID}],
                                    "requestCommentRequired": True},
            "revocationRequestConfig": {"approvalSchemes": [{"approverType": "ENTITLEMENT_OWNER"}]}}))
        if config is not None:
            self.expect("entitlement request config", config.access_request_config.request_comment_required, True)
        tagged = self.call("create_access_model_metadata_for_entitlement", users.id, "iscPrivacy", "public")
        if tagged is not None:
            self.expect("entitlement metadata", [a.key for a in tagged.access_model_metadata.attributes], ["iscPrivacy"])
        self.call("delete_access_model_metadata_from_entitlement", users.id, "iscPrivacy", "public")
        task = self.call("import_entitlements_by_source", hr.id, csv_file=("groups.csv", GROUPS_CSV))
        if task is not None:
            self.wait(task.id, "entitlement aggregation")
        parents = self.call("list_entitlement_parents", admins.id, limit=10, offset=0, count=True, sorters="name")
        children = self.call("list_entitlement_children", users.id, limit=10, offset=0, count=True, sorters="name",
                             filters='requestable eq true')
        self.expect("parents", [e.value for e in parents or []], ["Users"])
        self.expect("children", [e.value for e in children or []], ["Admins"])
        after = self.call("get_entitlement", admins.id)
        if after is not None:
            # the latest release's EntitlementV2 has privilegeLevel, not the document's privileged
            privileged = getattr(after, "privileged", True)
            self.expect("aggregation keeps edits", (after.name, after.requestable, privileged),
                        ("Administrators", True, True))
        reset = self.call("reset_source_entitlements", other.id)
        if reset is not None:
            self.wait(reset.id, "entitlement reset")
        left = self.call("list_entitlements", filters='source.id eq "%s"' % other.id)
        self.expect("entitlements after a reset", left, [])
        return values

    def access_profiles(self, hr, entitlements):
        owner = {"type": "IDENTITY", "id": self.options["owner_id"]}

        def body(name, *values):
            return {"name": name, "owner": owner, "source": {"type": "SOURCE", "id": hr.id},
                    "entitlements": [{"type": "ENTITLEMENT", "id": entitlements[v].id} for v in values],
                    "enabled": bool(values), "description": "made by the SDK",
                    "accessRequestConfig": {"commentsRequired": True, "approvalSchemes": [
                        {"approverType": "GOVERNANCE_GROUP", "approverId": WORKGROUP_ID}]}}
        profile = self.call("create_access_profile", **self.body("create_access_profile", body("SDK Users", "Users")))
        doomed = self.call("create_access_profile", **self.body("create_access_profile", body("SDK Doomed")))
        bulk = self.call("create_access_profile", **self.body("create_access_profile", body("SDK Bulk", "Admins")))
        if profile is None or doomed is None or bulk is None:
            return None
        listed = self.call("list_access_profiles", filters='source.id eq "%s"' % hr.id, sorters="name", limit=10,
                           offset=0, count=True)
        self.expect("listed access profiles", [p.name for p in listed or []], ["SDK Bulk", "SDK Doomed", "SDK Users"])
        self.call("get_access_profile", profile.id)
        self.call("patch_access_profile", profile.id, **self.body("patch_access_profile", [
            {"op": "replace", "path": "/description", "value": "patched by the SDK"}]))
        found = self.call("get_access_profile_entitlements", profile.id, limit=10, offset=0, count=True,
                          filters='value eq "Users"', sorters="name")
        self.expect("access profile entitlements", [e.value for e in found or []], ["Users"])
        results = self.call("update_access_profiles_in_bulk", **self.body("update_access_profiles_in_bulk", [
            {"id": profile.id, "requestable": False}, {"id": "2c9180835d191a86015d28455b4a9999", "requestable": True}]))
        self.expect("bulk requestable", [(r.id == profile.id, r.status) for r in results or []],
                    [(True, "201"), (False, "404")])
        self.call("delete_access_profile", doomed.id)
        answer = self.call("delete_access_profiles_in_bulk", **self.body("delete_access_profiles_in_bulk", {
            "accessProfileIds": [bulk.id], "bestEffortOnly": False}))
        if answer is not None:
            self.expect("bulk delete pending", answer.pending, [bulk.id])
            self.wait(answer.task_id, "access profile bulk delete")
        return profile

    def roles(self, profile, entitlements):
        owner = {"type": "IDENTITY", "id": self.options["owner_id"]}
        criteria = {"operation": "OR", "children": [
            {"operation": "EQUALS", "key": {"type": "IDENTITY", "property": "uid"}, "stringValue": MEMBER},
            {"operation": "AND", "children": [
                {"operation": "STARTS_WITH", "key": {"type": "IDENTITY", "property": "uid"}, "stringValue": "nobody"},
                {"operation": "ENDS_WITH", "key": {"type": "IDENTITY", "property": "uid"}, "stringValue": "doe"}]}]}

        def body(name):
            return {"name": name, "owner": owner, "description": "made by the SDK", "enabled": True,
                    "requestable": True, "accessProfiles": [{"type": "ACCESS_PROFILE", "id": profile.id}],
                    "entitlements": [{"type": "ENTITLEMENT", "id": entitlements["Admins"].id}],
                    "membership": {"type": "STANDARD", "criteria": criteria},
                    "accessRequestConfig": {"commentsRequired": True, "approvalSchemes": [{"approverType": "OWNER"}]}}
        role = self.call("create_role", **self.body("create_role", body("SDK Role")))
        doomed = self.call("create_role", **self.body("create_role", body("SDK Doomed Role")))
        bulk = self.call("create_role", **self.body("create_role", body("SDK Bulk Role")))
        if role is None or doomed is None or bulk is None:
            return
        listed = self.call("list_roles", filters='name sw "SDK"', sorters="name", limit=50, offset=0, count=True)
        self.expect("listed roles", [r.name for r in listed or []], ["SDK Bulk Role", "SDK Doomed Role", "SDK Role"])
        self.call("get_role", role.id)
        self.call("patch_role", role.id, **self.body("patch_role", [
            {"op": "replace", "path": "/description", "value": "patched by the SDK"}]))
        members = self.call("get_role_assigned_identities", role.id, limit=10, offset=0, count=True, sorters="name",
                            filters='aliasName sw "jane"')
        self.expect("assigned identities", [m.alias_name for m in members or []], [MEMBER])
        found = self.call("get_role_entitlements", role.id, limit=50, offset=0, count=True, sorters="value")
        self.expect("role entitlements", [e.value for e in found or []], ["Admins", "Users"])
        tagged = self.call("update_attribute_key_and_value_to_role", role.id, "iscPrivacy", "public")
        if tagged is not None:
            self.expect("role metadata", [a.key for a in tagged.access_model_metadata.attributes], ["iscPrivacy"])
        self.call("delete_metadata_from_role_by_key_and_value", role.id, "iscPrivacy", "public")
        add = {"operation": "ADD", "replaceScope": "ATTRIBUTE"}
        self.call("update_roles_metadata_by_ids", **self.body("update_roles_metadata_by_ids", dict(
            add, roles=[role.id], values=[{"attribute": "iscFederalClassifications", "values": ["secret"]}])))
        # the document requires "attribute" and "values" in each item of values; both releases' models send
        # the properties it declares instead (attributeKey; by query also attributeValue for values)
        reason = "the SDK's model drops the attribute (and, by query, values) the document requires of each item"
        value = {"attribute": "iscPrivacy", "values": ["private"]}
        body = dict(add, filters='name eq "SDK Role"', values=[value])
        self.expect_fault("update_roles_metadata_by_filter", self.body("update_roles_metadata_by_filter", body),
                          reason, 400)
        self.low_level_in("roles", "update_roles_metadata_by_filter", "POST",
                          "/roles/access-model-metadata/bulk-update/filter", 202, "RoleBulkUpdateResponse",
                          body=body, reason=reason)
        body = dict(add, query={"indices": ["roles"], "queryType": "SAILPOINT",
                                "query": {"query": "name:\"SDK Bulk Role\""}}, values=[value])
        self.expect_fault("update_roles_metadata_by_query", self.body("update_roles_metadata_by_query", body),
                          reason, 400)
        job = self.low_level_in("roles", "update_roles_metadata_by_query", "POST",
                                "/roles/access-model-metadata/bulk-update/query", 202, "RoleBulkUpdateResponse",
                                body=body, reason=reason)
        self.call("get_bulk_update_status")
        self.settle(job)
        tagged = self.call("get_role", role.id)
        if tagged is not None:
            self.expect("bulk metadata", sorted(a.key for a in tagged.access_model_metadata.attributes),
                        ["iscFederalClassifications", "iscPrivacy"])
        self.filter_search(role)
        self.call("delete_role", doomed.id)
        task = self.call("delete_bulk_roles", **self.body("delete_bulk_roles", {"roleIds": [bulk.id]}))
        if task is not None:
            self.wait(task.id, "role bulk delete")
        left = self.call("list_roles", filters='name sw "SDK"')
        self.expect("roles left", [r.name for r in left or []], ["SDK Role"])

    def settle(self, job):
        """Wait until the latest bulk update has completed (its status read by the SDK)."""
        deadline = time.time() + 10
        while time.time() < deadline:
            status = self.call("get_bulk_update_status_by_id", job.id if job is not None else "latest")
            if status is None or status.status == "COMPLETED":
                return
            time.sleep(0.05)
        self.failures.append("the role metadata bulk update did not complete")

    def filter_search(self, role):
        body = {"filters": 'name sw "SDK"', "ammKeyValues": [{"attribute": "iscPrivacy", "values": ["private"]}]}
        kwargs = dict(limit=10, offset=0, count=True, sorters="name", **self.body("search_roles_by_filter", body))
        if self.flavor == "v1":
            found = self.call("search_roles_by_filter", **kwargs)
        else:
            reason = "the SDK reads one Role; the document's answer is an array of roles"
            self.expect_fault("search_roles_by_filter", kwargs, reason, None)
            models = self.package.models
            found = self.low_level_in("roles", "search_roles_by_filter", "POST", "/roles/filter", 200, "List[Role]",
                                      body=models.RoleListFilterDTO.from_dict(body), reason=reason)
        self.expect("filter search", sorted(r.name for r in found or []), ["SDK Bulk Role", "SDK Role"])

    def expect_fault(self, name, kwargs, reason, status):
        """Show the SDK method failing: refused with ``status`` by the simulator, or (``None``) unable to
        read a right answer."""
        try:
            self.method(name)(**kwargs)
        except Exception as exc:
            if getattr(exc, "status", None) == status:
                self.sdk_faults.append("%s%s: %s" % (name, self.suffix, reason))
                return
            self.failures.append("%s: expected the SDK fault (%s), got %s: %s"
                                 % (name, reason, type(exc).__name__, str(exc)[:200]))
            return
        self.failures.append("%s: expected the SDK fault (%s) but the call succeeded" % (name, reason))

    def report(self):
        from importlib.metadata import version
        methods = sorted(m for api in self.apis.values() for m in public_methods(type(api)))
        return {"sdk": version("sailpoint"), "flavor": self.flavor, "methods": methods,
                "called": sorted(self.called & set(methods)), "failures": self.failures, "lowlevel": self.lowlevel,
                "sdk_faults": self.sdk_faults, "results": self.log, "checks": self.checks,
                "not_in_v2024": sorted(NOT_IN_V2024) if self.flavor == "v1" else []}


def run(options):
    return AccessDriver(options).run()


if __name__ == "__main__":
    print(json.dumps(run(json.loads(sys.argv[1]))))
