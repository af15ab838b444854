# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The access model of SailPoint: entitlements, access profiles and roles.

Entitlements are not created by a module: an aggregation of their source makes them, so a module finds one
by its source and ``value`` and changes what people govern on it (``requestable``, ``privileged``, owner,
description, access model metadata, request config). ``Entitlements`` converges one or thousands in one task:
every read first (one paged listing per source), every input checked before the first write, then the
``bulk-update`` call for what it covers (``requestable`` / ``privileged``, 50 ids a call) and a PATCH for the
rest, ``concurrency`` at a time under the shared rate limit.

Access profiles and roles are ``AccessCollection`` objects for the engine: references (owner, source,
entitlements by value within their source, access profiles and governance groups by name) are resolved
before anything is compared, nested values (request configs, membership criteria) are checked against the
document first, and a bulk run sends its deletions (and, for access profiles, its ``requestable`` changes)
in the vendor's bulk calls.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import threading
from concurrent.futures import ThreadPoolExecutor

from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.identity.cloud.plugins.module_utils import arguments, validate
from ansible_collections.identity.cloud.plugins.module_utils.bulk import CONCURRENCY_OPTION, bulk_option, run_bulk
from ansible_collections.identity.cloud.plugins.module_utils.http_client import ApiError
from ansible_collections.identity.cloud.plugins.module_utils.resource import (
    MISSING, PENDING, Engine, InputError, ParentMissing, merge, message, shorten, subset_equal)
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import (
    SERVER_ID, Collection, Reference, _set_ops, camel, connect, filter_value)
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint.children import SourceRef

WAIT_OPTIONS = {"wait": {"type": "bool", "default": True},
                "wait_timeout": {"type": "int", "default": 300, "minimum": 1, "maximum": 86400}}
TIME_UNITS = ["HOURS", "DAYS", "WEEKS", "MONTHS"]
AP_APPROVERS = ["APP_OWNER", "OWNER", "SOURCE_OWNER", "MANAGER", "GOVERNANCE_GROUP", "WORKFLOW", "ALL_OWNERS",
                "ADDITIONAL_OWNER", "ADDITIONAL_GOVERNANCE_GROUP"]
ROLE_APPROVERS = ["OWNER", "MANAGER", "GOVERNANCE_GROUP", "WORKFLOW", "ALL_OWNERS", "ADDITIONAL_OWNER",
                  "ADDITIONAL_GOVERNANCE_GROUP"]
METADATA_OPTIONS = {"key": {"type": "str", "required": True, "no_log": False},
                    "values": {"type": "list", "elements": "str", "required": True}}
BULK_IDS = 50  # ids per call of entitlements/bulk-update, access-profiles/bulk-delete and roles/bulk-delete
ROLE_PAGE = 50  # GET /roles and its sub-lists take at most limit=50
PAGE = 250
OWNER = Reference("owner", "IDENTITY", "identities", "identity")
LEAF_OPERATIONS = ("EQUALS", "NOT_EQUALS", "CONTAINS", "DOES_NOT_CONTAIN", "STARTS_WITH", "ENDS_WITH", "GREATER_THAN",
                   "LESS_THAN", "GREATER_THAN_EQUALS", "LESS_THAN_EQUALS")
BULK_PATCHABLE = ("requestable", "privileged")  # what entitlements/bulk-update documents


# -- nested values: snake_case (or the API's camelCase) in, the API's shape out ------------------------


def request_config_options(approvers, revocation=False, comments=True):
    """Argspec suboptions of an access profile's or role's request config (the document's keys in snake_case)."""
    schemes = {"type": "list", "elements": "dict", "options": {
        "approver_type": {"type": "str", "choices": approvers}, "approver": {"type": "str"}}}
    if revocation:
        out = {"approval_schemes": schemes}
        if comments:
            out.update(comments_required={"type": "bool"}, denial_comments_required={"type": "bool"})
        return out
    return {"approval_schemes": schemes, "comments_required": {"type": "bool"},
            "denial_comments_required": {"type": "bool"}, "reauthorization_required": {"type": "bool"},
            "require_end_date": {"type": "bool"},
            "max_permitted_access_duration": {"type": "dict", "options": {
                "value": {"type": "int"}, "time_unit": {"type": "str", "choices": TIME_UNITS}}}}


def api_names(value, names=None):
    """{key the user wrote: the API's key} for every key of a nested value (``approver`` is ``approverId``)."""
    names = {} if names is None else names
    if isinstance(value, dict):
        for key, item in value.items():
            names[key] = "approverId" if key == "approver" else camel(key)
            api_names(item, names)
    elif isinstance(value, list):
        for item in value:
            api_names(item, names)
    return names


def to_api(value, names):
    if isinstance(value, dict):
        return dict((names.get(k, k), to_api(v, names)) for k, v in value.items() if v is not None)
    if isinstance(value, list):
        return [to_api(v, names) for v in value]
    return value


def document_problem(option, value, component, prop):
    """The first thing the v2024 document forbids in ``value`` (keys as the user wrote them), or None."""
    node = validate.schema_node("sailpoint", component, prop)
    if value is None or node is None:
        return None
    return validate.problem(value, node, "sailpoint", option, api_names(value))


def metadata_comparable(value):
    """Access model metadata as {key: sorted values}: the option's [{key, values}] or the API's {attributes}."""
    if isinstance(value, dict):
        value = [{"key": a.get("key"), "values": [v.get("value") if isinstance(v, dict) else v for v in a.get("values") or []]}
                 for a in value.get("attributes") or [] if isinstance(a, dict)]
    return dict((item.get("key"), sorted(item.get("values") or [])) for item in value or [] if isinstance(item, dict))


def metadata_to_api(value):
    return {"attributes": [{"key": item["key"], "values": [{"value": v} for v in item.get("values") or []]}
                           for item in value or []]}


def metadata_plan(wanted, current):
    """(to_add, to_remove) lists of (key, value): each key given gets exactly its values; other keys stay."""
    have = metadata_comparable((current or {}).get("accessModelMetadata"))
    add, remove = [], []
    for key, values in sorted(metadata_comparable(wanted).items()):
        present = have.get(key, [])
        add.extend((key, v) for v in values if v not in present)
        remove.extend((key, v) for v in present if v not in values)
    return add, remove


def metadata_problem(option, value):
    for number, item in enumerate(value or []):
        if not isinstance(item, dict) or not item.get("key") or not isinstance(item.get("values"), list):
            return "%s[%d]: needs key (a metadata attribute key) and values (a list of its values)" % (option, number)
    keys = [item["key"] for item in value or []]
    repeated = sorted(set(k for k in keys if keys.count(k) > 1))
    if repeated:
        return "%s: the key %s is given more than once" % (option, ", ".join(map(repr, repeated)))
    return None


def apply_metadata(client, item_path, add, remove):
    """Add and remove metadata values one call each; the last answer (the object) or None."""
    obj = None
    for key, value in add:
        obj = client.post(item_path("access-model-metadata", key, "values", value)).data or obj
    for key, value in remove:
        client.delete(item_path("access-model-metadata", key, "values", value), expect=(404,))
    return obj


# -- lookups of one run ---------------------------------------------------------------------------------


class Lookups:
    """Names and ids resolved once per run (a bulk task resolves each owner, source or group once)."""

    def __init__(self, api, concurrency=1):
        self.api = api
        self.concurrency = concurrency  # pages of a listing read at a time
        # A bulk run in check mode: a source or access profile that does not exist yet (an earlier task may create
        # it) stands as a pending reference, so the items report what they would do instead of failing.
        self.pending = False
        self.sources = SourceRef(api)
        self._cache = {}
        self._lock = threading.Lock()

    def _once(self, key, read):
        with self._lock:
            if key not in self._cache:
                try:
                    self._cache[key] = (read(), None)
                except (InputError, ApiError) as exc:
                    self._cache[key] = (None, exc)
            found, error = self._cache[key]
        if error is not None:
            raise error
        return found

    def reference(self, ref, value, option=None):
        """``ref.resolve`` once per value; errors name ``option`` (a bulk item's path) when given."""
        label = option or ref.option
        try:
            found = self._once(("ref", ref.option, json.dumps(value, sort_keys=True)), lambda: ref.resolve(self.api, value))
        except InputError as exc:
            text = str(exc)
            raise InputError(label + text[len(ref.option):] if text.startswith(ref.option) else text)
        return dict(found)

    def source(self, value, option="source"):
        """{type: SOURCE, id, name} of a source name or id; ``ParentMissing`` when there is none (check mode:
        an earlier task may create it)."""
        if isinstance(value, dict):
            value = value.get("id") or value.get("name")
        if not value or not isinstance(value, str):
            raise InputError("%s must be the name or id of a source" % option)
        try:
            source_id = self.sources.id(value)
        except ParentMissing as exc:
            if self.pending:
                return {"type": "SOURCE", "id": PENDING + value, "name": value}
            raise ParentMissing("%s: no source has the name or id %r" % (option, value), exc.parent)
        return {"type": "SOURCE", "id": source_id, "name": value if not SERVER_ID.match(value) else None}

    def entitlements_of(self, source_id):
        """({id: entitlement}, {value: entitlement}) of a source: one paged listing per source and run."""
        def read():
            found = list(self.api.list("entitlements", filters="source.id eq %s" % filter_value(source_id),
                                       concurrency=self.concurrency))
            return dict((e.get("id"), e) for e in found), dict((e.get("value"), e) for e in found)
        return self._once(("entitlements", source_id), read)

    def entitlement(self, option, source, ref):
        """{type: ENTITLEMENT, id, name} of the entitlement of ``source`` ({id, name}) with value or id ``ref``."""
        if not isinstance(ref, str) or not ref:
            raise InputError("%s must be the value or id of an entitlement of source %r" % (option, source.get("name")
                                                                                            or source["id"]))
        if source["id"].startswith(PENDING):
            return {"type": "ENTITLEMENT", "id": PENDING + ref, "name": ref}
        by_id, by_value = self.entitlements_of(source["id"])
        found = by_id.get(ref) or by_value.get(ref)
        if found is None and SERVER_ID.match(ref):
            other = self.api.client.get_or_none(self.api.path("entitlements", ref))
            if other is not None:
                raise InputError("%s: entitlement %r belongs to source %r, not %r: only entitlements of that source "
                                 "are allowed" % (option, ref, (other.get("source") or {}).get("name"),
                                                  source.get("name") or source["id"]))
        if found is None:
            raise InputError("%s: source %r has no entitlement with value or id %r (entitlements appear when the "
                             "source is aggregated)" % (option, source.get("name") or source["id"], ref))
        return {"type": "ENTITLEMENT", "id": found["id"], "name": found.get("name")}

    def governance_group(self, option, value):
        ref = Reference(option, "GOVERNANCE_GROUP", "workgroups", "governance group")
        return self.reference(ref, value, option)["id"]

    def named(self, option, resource, ref_type, label, value, page=PAGE):
        """{type, id, name} of an object of ``resource`` by id or exact name (access profiles of a role)."""
        def read():
            if SERVER_ID.match(value):
                found = self.api.client.get_or_none(self.api.path(resource, value))
                if found is not None:
                    return found
            matches = [obj for obj in self.api.client.paginate_offset(
                self.api.path(resource), params={"filters": "name eq %s" % filter_value(value)}, limit=page)
                if obj.get("name") == value]
            if len(matches) > 1:
                raise InputError("%s: more than one %s named %r; give its id" % (option, label, value))
            if not matches:
                raise ParentMissing("%s: no %s has the name or id %r" % (option, label, value), "%s %r" % (label, value))
            return matches[0]
        if not isinstance(value, str) or not value:
            raise InputError("%s must be the name or id of %s" % (option, label))
        try:
            found = self._once((resource, value), read)
        except ParentMissing:
            if not self.pending:
                raise
            found = {"id": PENDING + value, "name": value}
        return {"type": ref_type, "id": found["id"], "name": found.get("name")}


def request_config(lookups, option, value):
    """A request config option (snake_case keys, or the API's) in the API's shape, approvers of type
    GOVERNANCE_GROUP resolved from a governance group name or id."""
    out = to_api(value, api_names(value))
    for scheme_list in (out.get("approvalSchemes"), (out.get("accessRequestConfig") or {}).get("approvalSchemes"),
                        (out.get("revocationRequestConfig") or {}).get("approvalSchemes")):
        for number, scheme in enumerate(scheme_list or []):
            if scheme.get("approverType") in ("GOVERNANCE_GROUP", "ADDITIONAL_GOVERNANCE_GROUP"):
                if not scheme.get("approverId"):
                    raise InputError("%s.approval_schemes[%d].approver is required for approver_type %s (a governance "
                                     "group name or id)" % (option, number, scheme["approverType"]))
                scheme["approverId"] = lookups.governance_group("%s.approval_schemes[%d].approver" % (option, number),
                                                                scheme["approverId"])
    return out


# -- entitlements -------------------------------------------------------------------------------------


class Entitlements:
    """Converge entitlements (one, or a bulk list): reads and checks first, then the writes."""

    def __init__(self, module, api, spec):
        self.module = module
        self.api = api
        self.spec = spec
        self.lookups = Lookups(api)
        self.client = api.client

    def path(self, ent_id, *parts):
        return self.api.path("entitlements", ent_id, *parts)

    # reads -------------------------------------------------------------------------------------

    def find(self, item, label, listing):
        if item.get("id"):
            found = self.client.get_or_none(self.path(item["id"]))
            if found is None:
                raise InputError("%sid: no entitlement has id %r" % (label, item["id"]))
            if item.get("source"):
                source = self.lookups.source(item["source"], label + "source")
                if (found.get("source") or {}).get("id") != source["id"]:
                    raise InputError("%sid: entitlement %r belongs to source %r, not %r" % (
                        label, item["id"], (found.get("source") or {}).get("name"), item["source"]))
            return found
        if not item.get("source") or not item.get("value"):
            raise InputError("%ssource and value (or id) are required to find an entitlement" % label)
        source = self.lookups.source(item["source"], label + "source")
        if listing:
            found = self.lookups.entitlements_of(source["id"])[1].get(item["value"])
        else:
            query = "source.id eq %s and value eq %s" % (filter_value(source["id"]), filter_value(item["value"]))
            found = next((e for e in self.api.list("entitlements", filters=query) if e.get("value") == item["value"]),
                         None)
        if found is None:
            raise InputError("%svalue: source %r has no entitlement with value %r (entitlements come from an "
                             "aggregation of the source: sailpoint_source_entitlements action=aggregate)" % (
                                 label, item["source"], item["value"]))
        return found

    def plan(self, item, label, listing):
        """What one item needs, read and checked: {current, patch, metadata, config, ...}; writes nothing."""
        self.spec.check(item, creating=False)
        found = metadata_problem(label + "access_model_metadata", item.get("access_model_metadata"))
        found = found or document_problem(label + "request_config", item.get("request_config"),
                                          "EntitlementRequestConfig", None)
        if found:
            raise InputError(found)
        current = self.find(item, label, listing)
        if item.get("owner") is not None:
            item["owner"] = self.lookups.reference(OWNER, item["owner"], label + "owner")
        changes = self.spec.changes(item, current)
        plan = {"item": item, "current": current, "changed_fields": [f.option for f, _w, _h in changes],
                "ops": [_set_ops(f.path, {"type": "IDENTITY", "id": w["id"]} if f.option == "owner" else w,
                                 h is not MISSING) for f, w, h in changes if f.option != "access_model_metadata"],
                "add": [], "remove": [], "config": None}
        if item.get("access_model_metadata") is not None:
            plan["add"], plan["remove"] = metadata_plan(item["access_model_metadata"], current)
        if item.get("request_config") is not None:
            wanted = request_config(self.lookups, label + "request_config", item["request_config"])
            have = self.client.get(self.path(current["id"], "entitlement-request-config")).data or {}
            plan["config_before"] = have
            if not subset_equal(wanted, have):
                plan["config"] = merge(have, wanted)
                plan["changed_fields"].append("request_config")
        return plan

    # writes ------------------------------------------------------------------------------------

    def write(self, plan, bulk_ok):
        """PATCH, metadata and request config of one item (the ``bulk-update`` part is sent by ``run``)."""
        ent_id = plan["current"]["id"]
        obj = plan["current"]
        if plan["ops"] and not bulk_ok:
            obj = self.client.patch(self.path(ent_id), plan["ops"], content_type="application/json-patch+json").data
        obj = apply_metadata(self.client, lambda *p: self.path(ent_id, *p), plan["add"], plan["remove"]) or obj
        if plan["remove"] or (plan["add"] and bulk_ok):
            obj = self.client.get(self.path(ent_id)).data
        if plan["config"] is not None:
            plan["config_after"] = self.client.put(self.path(ent_id, "entitlement-request-config"), plan["config"]).data
        return obj

    def run(self, items, option=None, concurrency=8):
        """Converge ``items`` (parameter sets); exits the module."""
        module, listing = self.module, option is not None
        self.lookups.concurrency = concurrency

        def plan_one(numbered):
            number, item = numbered
            try:
                return self.plan(item, "%s[%d]." % (option, number) if option else "", listing)
            except (InputError, ApiError) as exc:
                return exc

        try:
            if listing:  # the sources' listings first, once each, so the items' reads (request configs) run in parallel
                for number, item in enumerate(items):
                    if item.get("source") and not item.get("id"):
                        self.lookups.entitlements_of(self.lookups.source(item["source"], "%s[%d].source" % (
                            option, number))["id"])
            # an item that reads nothing more (the listings are read) is planned here: 5,000 of them through the
            # pool would cost more in hand-offs than their checks take
            reads = [(n, item) for n, item in enumerate(items) if not listing or item.get("id") or item.get(
                "owner") is not None or item.get("request_config") is not None]
            plans = [None] * len(items)
            with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
                for number, plan in zip([n for n, _i in reads], pool.map(plan_one, reads)):
                    plans[number] = plan
            read = set(n for n, _i in reads)
            for number, item in enumerate(items):
                if number not in read:
                    plans[number] = plan_one((number, item))
            failed = next((p for p in plans if isinstance(p, Exception)), None)  # the first item's, in order
            if failed is not None:
                raise failed
        except ParentMissing as exc:
            if not module.check_mode:
                module.fail_json(msg=message(exc))
            module.exit_json(changed=True, msg=exc.pending("update these entitlements"))
        except InputError as exc:
            module.fail_json(msg=message(exc))
        except ApiError as exc:
            module.fail_json(msg=message(exc), error=exc.as_dict())
        seen = {}
        for number, plan in enumerate(plans):
            ent_id = plan["current"]["id"]
            if ent_id in seen:
                module.fail_json(msg="%s: items %d and %d name the same entitlement %r" % (
                    option, seen[ent_id] + 1, number + 1, plan["current"].get("value")))
            seen[ent_id] = number
        # requestable/privileged-only changes shared by two or more items: the bulk-update call, 50 ids a call
        groups = {}
        for plan in plans:
            if plan["ops"] and all(op["path"].lstrip("/") in BULK_PATCHABLE for op in plan["ops"]):
                groups.setdefault(json.dumps(plan["ops"], sort_keys=True), []).append(plan)
        bulk = dict((key, group) for key, group in groups.items() if len(group) > 1)
        errors = {}
        if not module.check_mode:
            calls = [(key, group[start:start + BULK_IDS]) for key, group in bulk.items()
                     for start in range(0, len(group), BULK_IDS)]

            def send(call):
                key, chunk = call
                body = {"entitlementIds": [p["current"]["id"] for p in chunk], "jsonPatch": json.loads(key)}
                try:
                    self.client.post(self.api.path("entitlements", "bulk-update"), body, idempotent=True)
                except (ApiError, InputError) as exc:
                    for plan in chunk:
                        errors[plan["current"]["id"]] = message(exc)

            in_bulk = set(p["current"]["id"] for group in bulk.values() for p in group)

            def one(plan):
                if plan["current"]["id"] in errors:
                    return
                try:
                    plan["after"] = self.write(plan, plan["current"]["id"] in in_bulk)
                except (ApiError, InputError) as exc:
                    errors[plan["current"]["id"]] = message(exc)

            with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
                list(pool.map(send, calls))
                list(pool.map(one, plans))
        self.exit(plans, option, errors)

    def view(self, plan, obj, config):
        out = self.spec.view(obj, plan["item"])
        if plan["item"].get("access_model_metadata") is not None:
            have = metadata_comparable(obj.get("accessModelMetadata") if isinstance(obj, dict) else None)
            out["access_model_metadata"] = [{"key": k, "values": have.get(k, [])}
                                            for k in sorted(metadata_comparable(plan["item"]["access_model_metadata"]))]
        if plan["item"].get("request_config") is not None:
            out["request_config"] = config
        return out

    def after(self, plan):
        """The entitlement after the run (in check mode: as it would be)."""
        if "after" in plan:
            return plan["after"]
        obj = merge(plan["current"], self.spec.desired(plan["item"], creating=False))
        if plan["item"].get("access_model_metadata") is not None:
            have = metadata_comparable(plan["current"].get("accessModelMetadata"))
            have.update(metadata_comparable(plan["item"]["access_model_metadata"]))
            obj["accessModelMetadata"] = metadata_to_api([{"key": k, "values": v} for k, v in sorted(have.items())])
        return obj

    def exit(self, plans, option, errors):
        results, diffs = [], {}
        for plan in plans:
            current = plan["current"]
            changed = bool(plan["changed_fields"] or plan["add"] or plan["remove"])
            if plan["add"] or plan["remove"]:
                plan["changed_fields"] = sorted(set(plan["changed_fields"]) | {"access_model_metadata"})
            entry = {"item": current.get("value"), "source": (current.get("source") or {}).get("name"),
                     "id": current["id"], "changed": changed}
            if changed:
                entry["changed_fields"] = plan["changed_fields"]
            if option is None or (changed and self.module._diff):  # a bulk run shows no object, diffs on request
                obj = self.after(plan)
                diff = {"before": self.view(plan, current, plan.get("config_before")),
                        "after": self.view(plan, obj, plan.get("config_after") or plan["config"] or plan.get(
                            "config_before"))}
                entry["object"], entry["diff"] = obj, diff
                if changed:
                    diffs[current["id"]] = diff
            if current["id"] in errors:
                entry.update(failed=True, changed=False, msg=errors[current["id"]])
            results.append(entry)
        failed = [r for r in results if r.get("failed")]
        if option is None:
            entry = results[0]
            if failed:
                self.module.fail_json(msg=entry["msg"])
            out = {"changed": entry["changed"], "entitlement": entry["object"], "id": entry["id"]}
            if entry["changed"]:
                out["changed_fields"] = entry["changed_fields"]
            if self.module._diff:
                out["diff"] = entry["diff"]
            self.module.exit_json(**out)
        for entry in results:
            entry.pop("object", None)
            entry.pop("diff", None)
        summary = {"changed": any(r["changed"] for r in results), "results": results,
                   "invocation": {"module_args": dict(self.module.params, **{
                       option: "%d items; results lists them in order" % len(results)})}}
        if self.module._diff:
            summary["diff"] = dict((side, dict((ident, d[side]) for ident, d in sorted(diffs.items())))
                                   for side in ("before", "after"))
        if failed:
            self.module.fail_json(msg="%d of %d items failed: %s" % (len(failed), len(results), "; ".join(
                "%s: %s" % (r["item"], r["msg"]) for r in failed[:5])), failed_items=[r["item"] for r in failed],
                **summary)
        self.module.exit_json(**summary)


# -- access profiles and roles ------------------------------------------------------------------------


class AccessCollection(Collection):
    """Access profiles or roles: ``Collection`` with the access model's references and bulk calls.

    ``page``: the listing's page size (roles: 50). ``bulk_delete``: the sub-path deleting many ids in one
    call; ``bulk_requestable``: the sub-path setting ``requestable`` of many (access profiles).
    """

    def __init__(self, api, resource, spec, page=PAGE, bulk_delete=None, bulk_requestable=None, **kwargs):
        super(AccessCollection, self).__init__(api, resource, spec, **kwargs)
        self.page = page
        self.lookups = Lookups(api)
        self.bulk_delete = bulk_delete
        self.bulk_requestable = bulk_requestable
        self.deleting = None  # bulk runs: ids waiting for the bulk delete
        self.requestable = None  # bulk runs: {id, requestable} waiting for the bulk update
        self.lock = threading.Lock()
        self.params = {}

    def list_all(self):
        """Every object, ``concurrency`` pages at a time (a bulk run's one listing)."""
        concurrency = self.params.get("concurrency") or 1
        return self.api.client.paginate_offset(self.api.path(self.resource), limit=self.page,
                                               **({"concurrency": concurrency} if concurrency > 1 else {}))

    def find(self, params):
        if params.get("id"):
            return super(AccessCollection, self).find(params)
        name = params.get(self.spec.key.option)
        found = [obj for obj in self.api.client.paginate_offset(
            self.api.path(self.resource), params={"filters": "name eq %s" % filter_value(name)}, limit=self.page)
            if obj.get("name") == name]
        return found[0] if found else None

    def check_input(self, params, current):
        for option, component, prop in self.documented:
            found = document_problem(option, params.get(option), component, prop)
            if found:
                raise InputError(found)
        found = metadata_problem("access_model_metadata", params.get("access_model_metadata"))
        if found:
            raise InputError(found)

    documented = ()  # (option, component, property) checked against the document before any call

    def validate(self, params, current):
        if params.get("owner") is not None:
            params["owner"] = self.lookups.reference(OWNER, params["owner"])
        for option in ("access_request_config", "revocation_request_config"):
            if params.get(option) is not None:
                params[option] = request_config(self.lookups, option, params[option])
        super(AccessCollection, self).validate(params, current)

    # writes: metadata through its endpoints, everything else one JSON Patch ------------------------

    def create(self, desired, params):
        # The tenant refuses metadata in a create: it is added through its endpoints once the object exists.
        obj = self.client.post(self.api.path(self.resource), dict(
            (k, v) for k, v in desired.items() if k != "accessModelMetadata")).data
        if params.get("access_model_metadata"):
            add, _remove = metadata_plan(params["access_model_metadata"], None)
            if apply_metadata(self.client, lambda *p: self.item_path(obj["id"], *p), add, []) is not None:
                obj = self.client.get(self.item_path(obj["id"])).data
        return obj

    def update(self, current, desired, changes, params):
        patch = [c for c in changes if c[0].option != "access_model_metadata"]
        if (self.requestable is not None and patch and len(patch) == len(changes)
                and all(c[0].option == "requestable" for c in patch)):
            with self.lock:
                self.requestable.append({"id": current["id"], "requestable": patch[0][1]})
            return merge(current, {"requestable": patch[0][1]})
        obj = current
        if patch:
            obj = super(AccessCollection, self).update(current, desired, patch, params)
        if params.get("access_model_metadata") is not None:
            add, remove = metadata_plan(params["access_model_metadata"], current)
            apply_metadata(self.client, lambda *p: self.item_path(current["id"], *p), add, remove)
            if add or remove:
                obj = self.client.get(self.item_path(current["id"])).data
        return obj

    def delete(self, current, params):
        if self.deleting is not None:
            with self.lock:
                self.deleting.append(current["id"])
            return
        super(AccessCollection, self).delete(current, params)

    # bulk -----------------------------------------------------------------------------------------

    def prepare_bulk(self, items, index):
        self.lookups.pending = bool(self.client.check_mode)
        self.deleting = [] if self.bulk_delete else None
        self.requestable = [] if self.bulk_requestable else None

    def finish_bulk(self, results):
        by_id = dict((entry.get("id"), entry) for entry in results if entry.get("id"))
        if self.requestable:
            self._bulk_requestable(by_id)
        for start in range(0, len(self.deleting or []), BULK_IDS):
            self._bulk_delete(self.deleting[start:start + BULK_IDS], by_id)

    def _bulk_requestable(self, by_id):
        try:
            answer = self.client.post(self.api.path(self.resource, self.bulk_requestable), self.requestable,
                                      idempotent=True).data
        except (ApiError, InputError) as exc:
            for change in self.requestable:
                by_id[change["id"]].update(failed=True, msg=message(exc))
            return
        for row in answer if isinstance(answer, list) else []:
            if str(row.get("status", "")).startswith("2") or row.get("id") not in by_id:
                continue
            by_id[row["id"]].update(failed=True, msg="requestable not updated: %s %s" % (
                row.get("status"), row.get("description") or ""))

    def _bulk_delete(self, ids, by_id):
        body = {"accessProfileIds": ids} if self.resource == "access-profiles" else {"roleIds": ids}
        path = self.api.path(self.resource, self.bulk_delete)
        try:
            answer = self.client.post(path, body).data or {}
            for used in answer.get("inUse") or []:
                entry = by_id.get(used.get("accessProfileId"))
                if entry is not None:
                    entry.update(failed=True, changed=False, msg="in use by %s; remove it from them first" % ", ".join(
                        "%s %r" % ((u.get("type") or "").lower(), u.get("name") or u.get("id"))
                        for u in used.get("usedBy") or []))
            task_id = answer.get("taskId") or (answer.get("id") if answer.get("type") == "TASK_RESULT" else None)
            if task_id and self.params.get("wait"):
                self.api.wait_for_task(task_id, self.params.get("wait_timeout") or 300, "POST", path)
        except (ApiError, InputError) as exc:
            for ident in ids:
                if ident in by_id:
                    by_id[ident].update(failed=True, changed=False, msg=message(exc))


def entitlement_refs(lookups, option, source, values):
    """``values`` (values within ``source``, or ids) as entitlement references; refuses any other source's."""
    return [lookups.entitlement("%s[%d]" % (option, number), source, value) for number, value in enumerate(values)]


def ids_of(value):
    """Comparable form of a list of references: their sorted ids."""
    if isinstance(value, list):
        return sorted(str(v.get("id")) if isinstance(v, dict) else str(v) for v in value)
    return value


def criteria_problem(option, node, depth=1, parent=None):
    """What the document's prose forbids in a role membership criteria tree (its schema checks the rest):
    a leaf needs key and string_value and no children; AND / OR need children and no string_value; AND only
    under OR and OR only under AND; three levels at most."""
    if not isinstance(node, dict):
        return None
    operation = node.get("operation")
    children = node.get("children")
    if operation in ("AND", "OR"):
        if not children:
            return "%s: operation %s needs children" % (option, operation)
        if node.get("string_value", node.get("stringValue")) is not None:
            return "%s: operation %s takes no string_value" % (option, operation)
        if parent == operation:
            return "%s: an %s node cannot be a child of another %s (AND only under OR and OR only under AND)" % (
                option, operation, operation)
        if depth >= 3:
            return "%s: criteria have at most three levels (the third holds only leaves)" % option
        for number, child in enumerate(children):
            found = criteria_problem("%s.children[%d]" % (option, number), child, depth + 1, operation)
            if found:
                return found
        return None
    if children:
        return "%s: children are only allowed with operation AND or OR, not %s" % (option, operation)
    if node.get("key") is None or node.get("string_value", node.get("stringValue")) is None:
        return "%s: operation %s needs key and string_value" % (option, operation)
    key = node["key"] if isinstance(node["key"], dict) else {}
    if key.get("type") in ("ACCOUNT", "ENTITLEMENT") and not key.get("source_id", key.get("sourceId")):
        return "%s.key: source_id (the source's name or id) is required for type %s" % (option, key["type"])
    return None


def criteria_sources(lookups, option, node):
    """The criteria tree with every key's source_id given as a source name resolved to its id."""
    if not isinstance(node, dict):
        return node
    key = node.get("key")
    if isinstance(key, dict) and key.get("sourceId"):
        key["sourceId"] = lookups.source(key["sourceId"], option + ".key.source_id")["id"]
    for number, child in enumerate(node.get("children") or []):
        criteria_sources(lookups, "%s.children[%d]" % (option, number), child)
    return node


def membership(lookups, value):
    """The ``membership`` option in the API's shape: criteria (STANDARD) or identities (IDENTITY_LIST)."""
    if value.get("criteria") is not None and value.get("identities") is not None:
        raise InputError("membership takes criteria or identities, not both")
    kind = value.get("type") or ("IDENTITY_LIST" if value.get("identities") is not None else "STANDARD")
    out = {"type": kind}
    if value.get("criteria") is not None:
        criteria = to_api(value["criteria"], api_names(value["criteria"]))
        out["criteria"] = criteria_sources(lookups, "membership.criteria", criteria)
    if value.get("identities") is not None:
        out["identities"] = []
        for number, ident in enumerate(value["identities"]):
            ref = lookups.reference(OWNER, ident, "membership.identities[%d]" % number)
            out["identities"].append({"type": "IDENTITY", "id": ref["id"], "name": ref.get("name")})
    return out


def membership_comparable(value):
    """Membership compared by type, criteria as given, identities as a set of ids."""
    if not isinstance(value, dict):
        return value
    out = dict(value)
    if isinstance(value.get("identities"), list):
        out["identities"] = ids_of(value["identities"])
    return out


def entitlement_ref(lookups, option, value):
    """A role's entitlement: an id, or {source, value} (or {id})."""
    if isinstance(value, dict) and value.get("id"):
        value = value["id"]
    if isinstance(value, str):
        if not SERVER_ID.match(value):
            raise InputError("%s: give an entitlement id or a dict with source and value, got %s" % (option, shorten(value)))
        found = lookups.api.client.get_or_none(lookups.api.path("entitlements", value))
        if found is None:
            raise InputError("%s: no entitlement has id %r" % (option, value))
        return {"type": "ENTITLEMENT", "id": found["id"], "name": found.get("name")}
    if not isinstance(value, dict) or not value.get("source") or not value.get("value"):
        raise InputError("%s: give an entitlement id or a dict with source and value" % option)
    return lookups.entitlement(option, lookups.source(value["source"], option + ".source"), value["value"])


class AccessProfiles(AccessCollection):
    """Access profiles: the source, and entitlements by value within it (or by id), resolved first."""

    documented = (("access_request_config", "AccessProfile", "accessRequestConfig"),
                  ("revocation_request_config", "AccessProfile", "revocationRequestConfig"))

    def __init__(self, api, spec):
        super(AccessProfiles, self).__init__(api, "access-profiles", spec, bulk_delete="bulk-delete",
                                             bulk_requestable="bulk-update-requestable",
                                             required_on_create=("owner", "source"),
                                             deep=("accessRequestConfig", "revocationRequestConfig"))

    def validate(self, params, current):
        if params.get("source") is not None:
            params["source"] = self.lookups.source(params["source"])
        source = params.get("source") or (current or {}).get("source")
        if params.get("entitlements") is not None:
            if not source:
                raise InputError("source is required to find entitlements by value")
            params["entitlements"] = entitlement_refs(self.lookups, "entitlements", source, params["entitlements"])
        if current is not None and params.get("source") is not None and params.get("entitlements") is None and \
                (current.get("source") or {}).get("id") != params["source"]["id"]:
            raise InputError("source of access profile %r can change only together with entitlements (of the new "
                             "source), as the API requires" % current.get("name"))
        super(AccessProfiles, self).validate(params, current)


class Roles(AccessCollection):
    """Roles: access profiles by name or id, entitlements by {source, value} or id, membership, metadata."""

    documented = (("access_request_config", "Role", "accessRequestConfig"),
                  ("revocation_request_config", "Role", "revocationRequestConfig"))

    def __init__(self, api, spec):
        super(Roles, self).__init__(api, "roles", spec, page=ROLE_PAGE, bulk_delete="bulk-delete",
                                    required_on_create=("owner",),
                                    deep=("accessRequestConfig", "revocationRequestConfig"))

    def check_input(self, params, current):
        super(Roles, self).check_input(params, current)
        value = params.get("membership")
        if value is not None:
            # identities are names or ids here (references once resolved), so the document checks the rest
            found = document_problem("membership", dict((k, v) for k, v in value.items() if k != "identities"),
                                     "Role", "membership") or criteria_problem("membership.criteria", value.get("criteria"))
            if not found and value.get("identities") is not None and not isinstance(value["identities"], list):
                found = "membership.identities must be a list of identity names or ids"
            if found:
                raise InputError(found)

    def validate(self, params, current):
        if params.get("access_profiles") is not None:
            params["access_profiles"] = [
                self.lookups.named("access_profiles[%d]" % number, "access-profiles", "ACCESS_PROFILE",
                                   "access profile", value) for number, value in enumerate(params["access_profiles"])]
        if params.get("entitlements") is not None:
            params["entitlements"] = [entitlement_ref(self.lookups, "entitlements[%d]" % number, value)
                                      for number, value in enumerate(params["entitlements"])]
        if params.get("membership") is not None:
            params["membership"] = membership(self.lookups, params["membership"])
        super(Roles, self).validate(params, current)


def bulk_items_option(spec, per_item):
    """``bulk_option`` whose items take the nested options as dicts: the document check (``check_input``, before
    any write) types them, as in the single form, without Ansible filling every suboption of every item."""
    out = bulk_option(spec, per_item)
    for option in out["options"].values():
        if option.get("options") and not option.get("required"):
            option.pop("options")
    return out


def check_items(option, items, options):
    """Check and convert the items of bulk list ``option`` (declared ``elements: dict`` without suboptions) as
    Ansible would for the typed ``options`` (booleans from ``yes`` / ``no``, numbers to strings), failing with
    ``InputError`` on the first problem, named ``option[i].field``; a list or a mapping for a string, or a string
    that is not text, is refused. Ansible's own check of typed suboptions costs about 60 us an item (aliases,
    defaults, no_log, deprecations): 0.3 s of a task of 5,000."""
    for number, item in enumerate(items):
        label = "%s[%d]" % (option, number)
        if not isinstance(item, dict):
            raise InputError("%s must be a dict (a YAML mapping), got a %s" % (label, arguments.kind_of(item)))
        unknown = sorted(str(k) for k in item if k not in options)
        if unknown:
            raise InputError("%s.%s is not an option of an item; allowed: %s" % (label, unknown[0], ", ".join(
                sorted(options))))
        for name, value in item.items():
            if value is None:
                continue
            kind, where = options[name].get("type", "str"), "%s.%s" % (label, name)
            if kind == "bool" and not isinstance(value, bool):
                try:
                    item[name] = boolean(value, strict=True)
                except TypeError:
                    raise InputError("%s must be a boolean (true or false), got %r" % (where, value))
            elif kind == "str" and not isinstance(value, str):
                if isinstance(value, (list, dict)):
                    raise InputError("%s must be a string, got a %s" % (where, type(value).__name__))
                item[name] = str(value)
            elif kind in ("list", "dict"):
                found = arguments.type_problem(where, options[name], value)
                if found:
                    raise InputError(found)
                if kind == "list" and options[name].get("elements") == "dict":
                    wrong = next((n for n, v in enumerate(value) if not isinstance(v, dict)), None)
                    if wrong is not None:
                        raise InputError("%s[%d] must be a dict (a YAML mapping), got a %s" % (
                            where, wrong, arguments.kind_of(value[wrong])))
            if isinstance(item[name], str):
                found = arguments.text_problem(where, item[name])
                if found:
                    raise InputError(found)
    return items


def state_module_args(spec, option):
    """(argument spec, AnsibleModule keywords) of the access profile and role modules: one object, or the bulk
    list ``option``."""
    args = spec.argument_spec()
    args[option] = bulk_items_option(spec, [name for name in args if name != "id"])
    args.update(CONCURRENCY_OPTION)
    args.update(WAIT_OPTIONS)
    return args, {"required_one_of": [("name", "id", option)], "mutually_exclusive": [("name", option), ("id", option)]}


def run_state(module, spec, crud_class, option):
    crud = crud_class(connect(module), spec)
    crud.params = module.params
    engine = Engine(module, spec, crud)
    if module.params[option] is None:
        engine.run()
    run_bulk(module, engine, option)


# -- info modules -----------------------------------------------------------------------------------------


INFO_OPTIONS = {"name": {"type": "str"}, "id": {"type": "str"}, "filters": {"type": "str"}}


def read_objects(api, resource, params, page=PAGE, filters=None):
    """The objects an info module asks for: by ``id``, by ``name``, by ``filters`` (joined with ``filters``
    the module adds, e.g. a source), or all."""
    if params.get("id"):
        found = api.client.get_or_none(api.path(resource, params["id"]))
        return [found] if found is not None else []
    parts = [f for f in (filters, params.get("filters")) if f]
    if params.get("name"):
        parts.append("name eq %s" % filter_value(params["name"]))
    query = {"filters": " and ".join("(%s)" % f if " or " in f else f for f in parts)} if parts else {}
    objects = api.client.paginate_offset(api.path(resource), params=query, limit=page)
    return [obj for obj in objects if not params.get("name") or obj.get("name") == params["name"]]


def sub_list(api, resource, obj_id, sub, page=PAGE):
    return list(api.client.paginate_offset(api.path(resource, obj_id, sub), limit=page))


def with_details(api, resource, objects, details, concurrency=4):
    """Each object with ``details`` ({result key: (sub-path, page size)}) read, ``concurrency`` objects at a time."""
    def one(obj):
        for key, (sub, page) in details.items():
            obj[key] = sub_list(api, resource, obj["id"], sub, page)
        return obj
    if not details:
        return objects
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        return list(pool.map(one, objects))


def search_roles(api, search, name=None):
    """Roles that ``POST /roles/filter`` finds (a read: sent in check mode too), paged 50 at a time."""
    body = {}
    if search.get("filters"):
        body["filters"] = search["filters"]
    if search.get("amm_key_values") is not None:
        for number, item in enumerate(search["amm_key_values"]):
            if not isinstance(item, dict) or not item.get("attribute") or not isinstance(item.get("values"), list):
                raise InputError("filter.amm_key_values[%d] needs attribute and values (a list)" % number)
        body["ammKeyValues"] = [{"attribute": i["attribute"], "values": i["values"]} for i in search["amm_key_values"]]
    out, offset = [], 0
    while True:
        page = api.client.post(api.path("roles", "filter"), body, read_only=True,
                               params={"limit": ROLE_PAGE, "offset": offset}).data or []
        out.extend(obj for obj in page if not name or obj.get("name") == name)
        if len(page) < ROLE_PAGE:
            return out
        offset += ROLE_PAGE


# -- role metadata bulk updates --------------------------------------------------------------------------

ROLE_METADATA = "access-model-metadata"
UNFINISHED = ("CREATED", "PRE_PROCESS", "PRE_PROCESS_COMPLETED", "POST_PROCESS", "CHUNK_PENDING", "CHUNK_PROCESSING")


def metadata_values(values):
    """The ``values`` option checked: [(attribute, [values])]."""
    out = []
    for number, item in enumerate(values or []):
        if not isinstance(item, dict) or not item.get("attribute") or not isinstance(item.get("values"), list) \
                or not all(isinstance(v, str) and v for v in item["values"]):
            raise InputError("values[%d] needs attribute (a metadata key) and values (a list of strings)" % number)
        out.append((item["attribute"], list(item["values"])))
    if not out:
        raise InputError("values must name at least one attribute")
    return out


def metadata_would_change(role, operation, scope, values):
    have = metadata_comparable(role.get("accessModelMetadata"))
    if operation == "ADD":
        return any(v not in have.get(key, []) for key, wanted in values for v in wanted)
    if operation == "REMOVE":
        return any(v in have.get(key, []) for key, wanted in values for v in wanted)
    wanted = dict((key, sorted(vals)) for key, vals in values)
    if scope == "ALL":
        return have != wanted
    return any(have.get(key, []) != vals for key, vals in wanted.items())


def role_metadata_update(api, params, check_mode):
    """Run ``sailpoint_role_metadata``: the bulk update, to changed roles only when they are named."""
    operation, scope = params["operation"].upper(), params["replace_scope"].upper()
    values = metadata_values(params["values"])
    if params.get("wait_timeout") is not None and params["wait_timeout"] < 1:
        raise InputError("wait_timeout must be at least 1 second, got %s" % params["wait_timeout"])
    result = {"changed": True}
    body = {"operation": operation}
    if operation == "REPLACE":
        body["replaceScope"] = scope
    if params.get("roles") is not None:
        if len(params["roles"]) > 3000:
            raise InputError("roles: at most 3000 roles per bulk update, got %d" % len(params["roles"]))
        everyone = list(api.client.paginate_offset(api.path("roles"), limit=ROLE_PAGE))
        by_id = dict((r["id"], r) for r in everyone)
        by_name = dict((r.get("name"), r) for r in everyone)
        targets = []
        for number, ref in enumerate(params["roles"]):
            role = by_id.get(ref) or by_name.get(ref)
            if role is None:
                raise InputError("roles[%d]: no role has the name or id %r" % (number, ref))
            if metadata_would_change(role, operation, scope, values) and role["id"] not in targets:
                targets.append(role["id"])
        result["role_ids"] = targets
        if not targets:
            return dict(result, changed=False)
        how = "ids"
        body.update(roles=targets, values=[{"attribute": k, "values": v} for k, v in values])
    elif params.get("filters") is not None:
        how = "filter"
        body.update(filters=params["filters"], values=[{"attribute": k, "attributeKey": k, "values": v} for k, v in values])
    else:
        # The document requires attribute and values in both, beside the attributeKey (and attributeValue) it defines.
        how = "query"
        body.update(query=params["query"], values=[{"attribute": k, "attributeKey": k, "values": v, "attributeValue": v}
                                                   for k, v in values])
    if check_mode:
        return result
    path = api.path("roles", ROLE_METADATA, "bulk-update", how)
    job = api.client.post(path, body).data or {}
    result["bulk_update"] = job
    if params.get("wait") and job.get("id"):
        result["bulk_update"] = wait_role_update(api, job, params["wait_timeout"], path)
    return result


def wait_role_update(api, job, timeout, path):
    """Poll the unfinished bulk updates until ``job`` is not among them; its final status."""
    deadline = api.clock() + timeout
    delay = 0.25
    status_path = api.path("roles", ROLE_METADATA, "bulk-update")
    while True:
        pending = [u for u in api.client.get(status_path).data or [] if u.get("id") == job["id"]]
        if not pending or pending[0].get("status") not in UNFINISHED:
            break
        remaining = deadline - api.clock()
        if remaining <= 0:
            raise ApiError("POST", path, message="bulk update %s is still %s after %s s (it may still complete; "
                                                 "raise wait_timeout or set wait=false)" % (
                                                     job["id"], pending[0].get("status"), timeout))
        api.sleep(min(delay, remaining))
        delay = min(delay * 2, 5.0)
    # The document's status-by-id path has no place for the id: it answers the latest update, used when it is ours.
    latest = api.client.request("GET", status_path + "/id", expect=(400, 404)).data
    if isinstance(latest, dict) and latest.get("id") == job["id"]:
        return latest
    return dict(job, status=(pending[0].get("status") if pending else "COMPLETED"))
