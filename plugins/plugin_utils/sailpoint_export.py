# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""SailPoint sources as read by sailpoint_source_info (include_parts) -> the sailpoint_source_onboarding role's variable."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections.abc import Mapping

from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import SERVER_ID  # a name that reads as an id
from ansible_collections.identity.cloud.plugins.plugin_utils.export import (
    ExportError,
    check_patterns,
    plain,
    selected,
    vault_reference,
    vault_variable,
)

VARIABLE = "sailpoint_source_onboarding_sources"
# connectorAttributes keys the tenant computes (sailpoint_source refuses them) or fills from an upload
# (connectorFiles: the files are uploaded with sailpoint_source_connector, not written as an attribute).
COMPUTED_CONNECTOR_KEYS = ("healthy", "since", "status", "cloudExternalId", "cloudDisplayName", "cloudCacheUpdate",
                           "connectorFiles")
SECRET_KEY_MARKERS = ("password", "secret", "privatekey")  # as sailpoint_source: kept encrypted by the tenant
SOURCE_FIELDS = (("description", "description"), ("connector", "connector"), ("connector_class", "connectorClass"),
                 ("type", "type"), ("authoritative", "authoritative"), ("delete_threshold", "deleteThreshold"),
                 ("credential_provider_enabled", "credentialProviderEnabled"), ("category", "category"))
REFERENCES = (("owner", "owner"), ("cluster", "cluster"), ("management_workgroup", "managementWorkgroup"))
SCHEMA_FIELDS = (("native_object_type", "nativeObjectType"), ("identity_attribute", "identityAttribute"),
                 ("display_attribute", "displayAttribute"), ("hierarchy_attribute", "hierarchyAttribute"),
                 ("include_permissions", "includePermissions"), ("configuration", "configuration"))
SCHEMA_ATTRIBUTE_KEYS = (("name", "name"), ("type", "type"), ("description", "description"), ("multi", "isMulti"),
                         ("entitlement", "isEntitlement"), ("group", "isGroup"), ("native_name", "nativeName"))
POLICY_FIELD_KEYS = ("name", "transform", "attributes", "type", "isMultiValued")  # isRequired is read-only
NCD_FIELDS = (("enabled", "enabled"), ("operations", "operations"), ("all_entitlements", "allEntitlements"),
              ("all_non_entitlement_attributes", "allNonEntitlementAttributes"),
              ("selected_entitlements", "selectedEntitlements"),
              ("selected_non_entitlement_attributes", "selectedNonEntitlementAttributes"))


def _pick(obj, pairs):
    """{option: obj[api]} for the pairs whose value is set (None and "" are left out: optional fields unset)."""
    return dict((option, obj[api]) for option, api in pairs if obj.get(api) not in (None, ""))


def _without_none(value):
    """``value`` without the dict keys whose value is None (a key not given is not compared on converge)."""
    if isinstance(value, Mapping):
        return dict((k, _without_none(v)) for k, v in value.items() if v is not None)
    if isinstance(value, list):
        return [_without_none(v) for v in value]
    return value


def _name_of(ref, what, source):
    """The name a reference ``{type, id, name}`` is written by (a dict when the name would read as an id)."""
    if not isinstance(ref, Mapping):
        return None
    name = ref.get("name")
    if not name:
        raise ExportError("sailpoint_export: the %s of source %r has no name (id %s); it cannot be exported by "
                          "name" % (what, source, ref.get("id")))
    return {"name": name} if SERVER_ID.match(name) else name


def _is_secret(key):
    return any(marker in key.lower() for marker in SECRET_KEY_MARKERS)


def _connector(source, vault):
    """(connector_attributes, connector_secrets): computed keys left out, secrets as vault references."""
    attributes, secrets = {}, {}
    for key, value in (source.get("connectorAttributes") or {}).items():
        if key in COMPUTED_CONNECTOR_KEYS:
            continue
        if _is_secret(key):
            if value in (None, ""):
                continue
            variable = vault_variable("sailpoint", "source", source["name"], key)
            secrets[key] = vault_reference(variable)
            what = "SailPoint source %r: connector attribute %s (the tenant returns it encrypted)" % (source["name"], key)
            vault.append({"name": variable, "description": what})
        else:
            attributes[key] = value
    return attributes, secrets


def _schema(schema):
    out = dict(name=schema["name"], **_pick(schema, SCHEMA_FIELDS))
    if schema.get("features") is not None:
        out["features"] = sorted(schema["features"])
    # AttributeDefinition.schema (a reference to another schema) is not an option of sailpoint_source_schema
    attributes = [_pick(a, SCHEMA_ATTRIBUTE_KEYS) for a in schema.get("attributes") or [] if isinstance(a, Mapping)]
    if schema.get("attributes") is not None:
        out["attributes"] = sorted(attributes, key=lambda a: a.get("name") or "")
    return out


def _policy(policy):
    out = dict(usage_type=policy["usageType"], **_pick(policy, (("name", "name"), ("description", "description"))))
    if policy.get("fields") is not None:  # in order: the order of a form's fields means something
        out["fields"] = [dict((k, f[k]) for k in POLICY_FIELD_KEYS if f.get(k) is not None)
                         for f in policy["fields"] if isinstance(f, Mapping)]
    return out


def _configs(parts, out):
    correlation = parts.get("correlation_config")
    if correlation:
        out["correlation_config"] = dict(
            attribute_assignments=[_without_none(a) for a in correlation.get("attributeAssignments") or []],
            **_pick(correlation, (("name", "name"),)))
    sync = parts.get("attribute_sync_config")
    if sync and sync.get("attributes"):
        out["attribute_sync_config"] = {"attributes": sorted((_without_none(a) for a in sync["attributes"]),
                                                             key=lambda a: a.get("name") or "")}
    requests = parts.get("entitlement_request_config")
    if requests:
        config = dict((option, _without_none(requests[api])) for option, api in (
            ("access_request_config", "accessRequestConfig"), ("revocation_request_config", "revocationRequestConfig"))
            if requests.get(api) is not None)
        if config:
            out["entitlement_request_config"] = config
    ncd = parts.get("native_change_detection_config")
    if ncd and any(ncd.get(api) for option, api in NCD_FIELDS):  # else detection is off: the tenant's "none set"
        out["native_change_detection_config"] = dict(
            (option, sorted(ncd[api]) if isinstance(ncd[api], list) else ncd[api])
            for option, api in NCD_FIELDS if ncd.get(api) is not None)


def _source(source, vault):
    name = source["name"]
    out = dict(name=name, **_pick(source, SOURCE_FIELDS))
    if isinstance(source.get("description"), str):  # "" too: converging the export elsewhere clears a description
        out["description"] = source["description"]
    for option, api in REFERENCES:
        if source.get(api):
            out[option] = _name_of(source[api], option.replace("_", " "), name)
    if source.get("features") is not None:
        out["features"] = sorted(source["features"])
    attributes, secrets = _connector(source, vault)
    if attributes:
        out["connector_attributes"] = attributes
    if secrets:
        out["connector_secrets"] = secrets
        out["update_secrets"] = "on_create"  # the tenant cannot compare them: sent when the source is created
    if source.get("passwordPolicies") is not None:
        out["password_policies"] = sorted(_name_of(p, "password policy", name) for p in source["passwordPolicies"])
    parts = source.get("parts") or {}
    if parts.get("schemas") is not None:
        out["schemas"] = sorted((_schema(s) for s in parts["schemas"]), key=lambda s: s["name"])
    if parts.get("provisioning_policies") is not None:
        out["provisioning_policies"] = sorted((_policy(p) for p in parts["provisioning_policies"]),
                                              key=lambda p: p["usage_type"])
    if parts.get("schedules") is not None:
        out["schedules"] = sorted(({"type": s["type"], "cron_expression": s["cronExpression"]}
                                   for s in parts["schedules"]), key=lambda s: s["type"])
    _configs(parts, out)
    # converging an export reads only: no connection test, no aggregation
    out.update(test_connection=False, aggregate="never")
    return out


def sailpoint_export(sources, include=None, exclude=None):
    """``{"vars": {"sailpoint_source_onboarding_sources": [...]}, "vault": [{name, description}]}`` from sources read
    by ``sailpoint_source_info`` with ``include_parts``; only the sources ``include`` / ``exclude`` select."""
    problem = check_patterns(include, exclude)
    if problem:
        raise ExportError(problem)
    if not isinstance(sources, (list, tuple)) or not all(isinstance(s, Mapping) and s.get("name") for s in sources):
        raise ExportError("sailpoint_export expects the sources of sailpoint_source_info (a list of dicts "
                          "with a name)")
    vault = []
    chosen = [s for s in sources if s.get("type") != "IdentityNowConnector"
              and selected(include, exclude, "sailpoint", "source", s["name"])]
    exported = [_source(plain(s), vault) for s in sorted(chosen, key=lambda s: str(s["name"]))]
    return {"vars": {VARIABLE: exported}, "vault": sorted(vault, key=lambda v: v["name"])}
