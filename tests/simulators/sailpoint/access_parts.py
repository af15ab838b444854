"""Entitlements, access profiles and roles of the SailPoint simulator: the 36 operations of the v2024
document's tags Entitlements (12), Access Profiles (8) and Roles (16), in every API version and in
the per-resource tree (``/entitlements/v1``, ``/access-profiles/v1``, ``/roles/v1``).

A mixin of ``SailPointSimulator``. Stores (the document's response models): ``entitlements``,
``access-profiles``, ``roles``; ``entitlement-request-configs`` (entitlement id -> its config) and
``role-bulk-updates`` (the access model metadata bulk updates and what each one does).

Entitlements come from aggregation, as in a tenant. When a load-accounts task completes, every
distinct value of the account schema's entitlement attributes (``isEntitlement``) in the aggregated
accounts becomes an entitlement of the source (``attribute`` = the schema attribute, ``value`` = the
value, ``sourceSchemaObjectType`` = the schema the attribute references, else ``group``); the cells
of a multi-valued attribute (``isMulti``) hold several values separated by ``|``. When a
load-entitlements task (or ``POST /entitlements/aggregate/sources/{id}``) completes, every row of
its CSV becomes one too (value = the first column, name = the group schema's ``displayAttribute``
column, ``attributes`` = the row; its attribute is the account schema attribute that references
the group schema, else the first entitlement attribute, else the schema's name). The group schema's
``hierarchyAttribute`` column (``|``-separated values) names an entitlement's parents. The same
source, attribute and value always give the same id, and a re-aggregation keeps what was edited
(requestable, privileged, owner, metadata, request config; a name or description changed in the
tenant is marked in ``manuallyUpdatedFields`` and kept too). ``POST
/entitlements/reset/sources/{id}`` is a task that removes them when it completes; deleting the
source removes them too.

PATCH (entitlements, access profiles, roles) takes the fields the operation's description lists
(400 for any other) and checks each field it changed against the document's model; the entitlement
bulk update applies one patch to at most 50 entitlements, all or nothing (400 naming the ids that do
not exist; the document answers 204 without a body). References (``owner``, ``entitlements``,
``accessProfiles``...) are stored as ``{type, id, name}`` with the current name of what they name.

Access profiles refuse a source, owner, additional owner or entitlement that does not exist, an
entitlement of another source and a GOVERNANCE_GROUP approval step naming no governance group (400,
``400.1.404 Referenced object not found``); deleting one a role or a lifecycle state uses answers 400
and bulk-delete reports it in ``inUse``. Roles check their access profiles, entitlements, owners and membership
(STANDARD criteria: AND / OR nodes with children, alternating, at most three levels, leaves with a
key and a stringValue, ACCOUNT / ENTITLEMENT keys with an existing sourceId; IDENTITY_LIST: existing
identities). Assigned identities are the identities that match: IDENTITY keys test the identity's
``attributes`` (then its own fields), ACCOUNT / ENTITLEMENT keys test the identity's accounts on the
key's source: the account process-identities made it from, and accounts whose ``identityId`` column
names it.

Access model metadata bulk updates (by ids, filter or query) are applied when they complete, after
``task_delay``; until then ``GET /roles/access-model-metadata/bulk-update`` lists them. The document
names a path parameter ``id`` that ``GET /roles/access-model-metadata/bulk-update/id`` has no place
for (both SDKs call that literal path): it answers the status of the latest bulk update. A query is
an Elasticsearch query string of ``field:value`` terms (``id``, ``name``, ``description``; ``*``
wildcards) or bare words matched against the name, joined by ``OR`` / ``AND``.

Seeding for benchmarks (beside the other ``/__sim__`` calls):

* ``POST /__sim__/entitlements {"source": id, "values": ["v1", ...], "attribute": "groups"}``
  creates those entitlements of the source at once (the attribute defaults to ``groups``) and
  answers ``{"created": n, "ids": [...]}``; the Python method is ``seed_entitlements``.
"""

import copy
import fnmatch
import functools
import json
import re
import time
import uuid

from tests.simulators.core import HttpError, Reply
from tests.simulators.sailpoint.common import (FilterParser, apply_patch_op, collection_rules, illegal, now_iso,
                                               pointer_parts, spec_document, validator)
from tests.simulators.sailpoint.parts import csv_rows, default_entitlement_request_config, multipart

NOT_FOUND = "400.1.404 Referenced object not found"
CONFLICT = "400.1.409 Reference conflict"
ENTITLEMENT_PATCHABLE = ("requestable", "privileged", "segments", "owner", "name", "description", "manuallyUpdatedFields")
ACCESS_PROFILE_PATCHABLE = ("name", "description", "enabled", "owner", "additionalOwners", "requestable",
                            "accessRequestConfig", "revocationRequestConfig", "revokeRequestConfig", "segments",
                            "entitlements", "provisioningCriteria", "source")
ROLE_PATCHABLE = ("name", "description", "enabled", "owner", "additionalOwners", "accessProfiles", "entitlements",
                  "membership", "requestable", "accessRequestConfig", "revocationRequestConfig", "revokeRequestConfig",
                  "segments", "accessModelMetadata")
BULK_LIMIT = 50  # entitlements per bulk update, access profiles / roles per bulk delete
METADATA_LIMIT = 25  # access model metadata values per role
DESCRIPTION_LIMIT = 2000
LOGIC_OPS = ("AND", "OR")
PROVISIONING_VALUE_OPS = ("EQUALS", "NOT_EQUALS", "CONTAINS")
MULTI_SEPARATOR = "|"
UNFINISHED = ("CREATED", "PRE_PROCESS", "POST_PROCESS", "CHUNK_PENDING", "CHUNK_PROCESSING")
QUERY_TERM = re.compile(r'(?:(\w+):)?("[^"]*"|\S+)')


def entitlement_id(source_id, attribute, value):
    return uuid.uuid5(uuid.NAMESPACE_URL, "entitlement/%s/%s/%s" % (source_id, attribute, value)).hex


def split_values(value, multi):
    if isinstance(value, list):
        return [str(v) for v in value if v not in (None, "")]
    if value in (None, ""):
        return []
    value = str(value)
    return [v.strip() for v in value.split(MULTI_SEPARATOR) if v.strip()] if multi else [value]


def body_of(req, kind=dict):
    if not isinstance(req.json, kind):
        raise illegal("the request body must be a JSON %s" % ("object" if kind is dict else "array"))
    return copy.deepcopy(req.json)


def default_requestability():
    return {"commentsRequired": False, "denialCommentsRequired": False, "reauthorizationRequired": False,
            "requireEndDate": False, "maxPermittedAccessDuration": None, "approvalSchemes": []}


@functools.lru_cache(maxsize=None)
def field_validator(model, field):
    """The document's schema of ``model``'s property ``field`` (as a request carries it), compiled."""
    schema = spec_document()["components"]["schemas"][model]["properties"].get(field)
    return validator().schemas.compile(schema) if schema else None


def patched(current, ops, model, patchable):
    """``current`` with the JSON Patch ``ops`` applied: only ``patchable`` fields, and each field changed
    must still be what the document's ``model`` says it is. Answers (updated copy, fields changed)."""
    updated = copy.deepcopy(current)
    fields = set()
    for op in ops:
        if not isinstance(op, dict):
            raise illegal("each JSON Patch operation must be an object")
        top = pointer_parts(op.get("path"))[0]
        if top not in patchable:
            raise illegal("Illegal update attempt: %s cannot be changed (patchable: %s)" % (top, ", ".join(patchable)))
        fields.add(top)
        apply_patch_op(updated, op)
    for field in fields:
        check = field_validator(model, "revocationRequestConfig" if field == "revokeRequestConfig" else field)
        error = next(iter(check.iter_errors(updated[field])), None) if check and field in updated else None
        if error is not None:
            where = "/".join(str(p) for p in error.instance_path)
            raise illegal("Illegal value of %s%s: %s" % (field, "/" + where if where else "", error.message))
    return updated, fields


def criteria_matches(node, test):
    """Whether a role criteria tree holds; ``test(key, operation, value)`` answers a leaf."""
    if node["operation"] == "AND":
        return all(criteria_matches(c, test) for c in node["children"])
    if node["operation"] == "OR":
        return any(criteria_matches(c, test) for c in node["children"])
    return test(node["key"], node["operation"], node.get("stringValue"))


def leaf_holds(have, operation, wanted):
    values = have if isinstance(have, list) else [] if have is None else [have]
    texts = [str(v).lower() for v in values]
    wanted = (wanted or "").lower()
    if operation == "EQUALS":
        return wanted in texts
    if operation == "NOT_EQUALS":
        return wanted not in texts
    if operation == "CONTAINS":
        return any(wanted in t for t in texts)
    if operation == "DOES_NOT_CONTAIN":
        return not any(wanted in t for t in texts)
    if operation == "STARTS_WITH":
        return any(t.startswith(wanted) for t in texts)
    if operation == "ENDS_WITH":
        return any(t.endswith(wanted) for t in texts)
    order = {"GREATER_THAN": lambda a, b: a > b, "LESS_THAN": lambda a, b: a < b,
             "GREATER_THAN_EQUALS": lambda a, b: a >= b, "LESS_THAN_EQUALS": lambda a, b: a <= b}[operation]
    for text in texts:
        try:
            if order(float(text), float(wanted)):
                return True
        except ValueError:
            if order(text, wanted):
                return True
    return False


class AccessParts:
    """Routes and state of entitlements, access profiles and roles (mixed into SailPointSimulator)."""

    def register_access(self):
        api = self._access_api
        # literal paths before the templates they would also match
        api("POST", "/entitlements/bulk-update", self.bulk_update_entitlements)
        api("POST", "/entitlements/reset/sources/{id}", self.reset_source_entitlements)
        api("POST", "/entitlements/aggregate/sources/{id}", self.aggregate_source_entitlements)
        api("GET", "/entitlements", self.list_entitlements)
        api("GET", "/entitlements/{id}", lambda req: copy.deepcopy(self._entitlement(req.params["id"])))
        api("PATCH", "/entitlements/{id}", self.patch_entitlement)
        api("GET", "/entitlements/{id}/parents", lambda req: self._relatives(req, "parents"))
        api("GET", "/entitlements/{id}/children", lambda req: self._relatives(req, "children"))
        api("GET", "/entitlements/{id}/entitlement-request-config", self.get_entitlement_request_config)
        api("PUT", "/entitlements/{id}/entitlement-request-config", self.put_entitlement_request_config)
        metadata = "/entitlements/{id}/access-model-metadata/{attributeKey}/values/{attributeValue}"
        api("POST", metadata, lambda req: self.entitlement_metadata(req, True))
        api("DELETE", metadata, lambda req: self.entitlement_metadata(req, False))
        api("POST", "/access-profiles/bulk-delete", self.bulk_delete_access_profiles)
        api("POST", "/access-profiles/bulk-update-requestable", self.bulk_requestable_access_profiles)
        api("GET", "/access-profiles", lambda req: self.page(req, "/access-profiles",
                                                             self.collection("access-profiles").values()))
        api("POST", "/access-profiles", self.create_access_profile)
        api("GET", "/access-profiles/{id}", lambda req: copy.deepcopy(self._access_profile(req.params["id"])))
        api("PATCH", "/access-profiles/{id}", self.patch_access_profile)
        api("DELETE", "/access-profiles/{id}", self.delete_access_profile)
        api("GET", "/access-profiles/{id}/entitlements", self.access_profile_entitlements)
        bulk = "/roles/access-model-metadata/bulk-update"
        api("GET", bulk, self.role_bulk_updates)
        api("GET", bulk + "/id", self.role_bulk_update_status)
        for how in ("ids", "filter", "query"):
            api("POST", "%s/%s" % (bulk, how), lambda req, how=how: self.bulk_update_role_metadata(req, how))
        api("POST", "/roles/bulk-delete", self.bulk_delete_roles)
        api("POST", "/roles/filter", self.filter_roles)
        api("GET", "/roles", lambda req: self._page50(req, "/roles", self.collection("roles").values()))
        api("POST", "/roles", self.create_role)
        api("GET", "/roles/{id}", lambda req: copy.deepcopy(self._role(req.params["id"])))
        api("PATCH", "/roles/{id}", self.patch_role)
        api("DELETE", "/roles/{id}", self.delete_role)
        api("GET", "/roles/{id}/assigned-identities", self.role_assigned_identities)
        api("GET", "/roles/{id}/entitlements", self.role_entitlements)
        metadata = "/roles/{id}/access-model-metadata/{attributeKey}/values/{attributeValue}"
        api("POST", metadata, lambda req: self.role_metadata(req, True))
        api("DELETE", metadata, lambda req: self.role_metadata(req, False))

    def _access_api(self, method, template, handler):
        def run(req):
            self._settle_role_updates()
            return handler(req)
        self.api(method, template, run)

    def _page50(self, req, spec_path, items):
        """``page`` for the operations whose limit defaults to (and stops at) 50."""
        if req.arg("limit") is None:
            req.query["limit"] = ["50"]
        return self.page(req, spec_path, items)

    # -- references -----------------------------------------------------------------------------

    def _reference(self, ref, field, kinds):
        """``ref`` resolved to {type, id, name}; ``kinds``: type -> store (the first type is the default)."""
        if not isinstance(ref, dict) or not ref.get("id"):
            raise illegal("%s needs an id" % field)
        kind = ref.get("type") or next(iter(kinds))
        if kind not in kinds:
            raise illegal("%s.type must be one of %s" % (field, ", ".join(kinds)))
        found = self.collection(kinds[kind]).get(ref["id"])
        if found is None:
            raise illegal("%s references %s %r, which does not exist" % (field, kind, ref["id"]), code=NOT_FOUND)
        if ref.get("name") not in (None, found["name"]):
            raise illegal("%s.name %r does not match the name of %s (%r)" % (field, ref["name"], ref["id"], found["name"]))
        return {"type": kind, "id": found["id"], "name": found["name"]}

    def _owner(self, ref, field="owner"):
        return self._reference(ref, field, {"IDENTITY": "identities"})

    def _additional_owners(self, refs):
        kinds = {"IDENTITY": "identities", "GOVERNANCE_GROUP": "workgroups"}
        return [self._reference(r, "additionalOwners[%d]" % i, kinds) for i, r in enumerate(refs or [])]

    def _check_approvals(self, config, field):
        for i, scheme in enumerate((config or {}).get("approvalSchemes") or []):
            kind = scheme.get("approverType")
            if kind in ("GOVERNANCE_GROUP", "ADDITIONAL_GOVERNANCE_GROUP"):
                if scheme.get("approverId") not in self.collection("workgroups"):
                    raise illegal("%s.approvalSchemes[%d].approverId must name a governance group (got %r)"
                                  % (field, i, scheme.get("approverId")), code=NOT_FOUND)

    def _rename_refs(self, field, ident, name):
        """References show the current name of what they name (``field``: entitlements or accessProfiles)."""
        for store in ("access-profiles", "roles"):
            for obj in self.collection(store).values():
                for ref in obj.get(field) or []:
                    if ref["id"] == ident:
                        ref["name"] = name

    # -- entitlements -------------------------------------------------------------------------------

    def _entitlement(self, entitlement_id_):
        found = self.collection("entitlements").get(entitlement_id_)
        if found is None:
            raise HttpError(404, "The entitlement %s was not found." % entitlement_id_)
        return found

    def _put_entitlement(self, source, attribute, value, object_type, name=None, description=None, attributes=None):
        """Create (or refresh the aggregated fields of) the entitlement ``attribute`` = ``value`` of ``source``."""
        store = self.collection("entitlements")
        ident = entitlement_id(source["id"], attribute, value)
        ref = {"type": "SOURCE", "id": source["id"], "name": source["name"]}
        found = store.get(ident)
        if found is not None:  # what the source says now, but for the fields edited in the tenant
            edited = found.get("manuallyUpdatedFields") or {}
            fresh = {"source": ref}
            if attributes is not None:
                fresh["attributes"] = copy.deepcopy(attributes)
            if name and not edited.get("DISPLAY_NAME"):
                fresh["name"] = name
            if description is not None and not edited.get("DESCRIPTION"):
                fresh["description"] = description
            if any(found.get(k) != v for k, v in fresh.items()):
                if fresh.get("name", found["name"]) != found["name"]:
                    self._rename_refs("entitlements", found["id"], fresh["name"])
                found.update(fresh, modified=now_iso())
            return found
        stamp = now_iso()
        store[ident] = {
            "id": ident, "name": name or value, "attribute": attribute, "value": value,
            "sourceSchemaObjectType": object_type, "description": description, "privileged": False,
            "cloudGoverned": False, "requestable": False, "owner": None, "additionalOwners": [],
            "manuallyUpdatedFields": None, "accessModelMetadata": {"attributes": []}, "created": stamp,
            "modified": stamp, "source": ref, "attributes": copy.deepcopy(attributes or {attribute: value}),
            "segments": [], "directPermissions": []}
        return store[ident]

    def _schema_named(self, source_id, name):
        parts = self.collection("parts").get(source_id) or {}
        return next((s for s in parts.get("schemas", {}).values() if s["name"] == name), None)

    def _entitlement_attributes(self, source_id):
        """The account schema's entitlement attributes: [(name, multi, schema the attribute references)]."""
        schema = self._schema_named(source_id, "account") or {"attributes": []}
        return [(a["name"], bool(a.get("isMulti")), (a.get("schema") or {}).get("name") or "group")
                for a in schema["attributes"] if a.get("isEntitlement")]

    def account_entitlement_ids(self, source_id, attributes):
        """The ids of the entitlements one account of ``source_id`` holds."""
        return [entitlement_id(source_id, name, value) for name, multi, _schema in self._entitlement_attributes(source_id)
                for value in split_values(attributes.get(name), multi)]

    def aggregate_entitlements(self, source_id):
        """Bring the source's entitlements in line with its aggregated accounts and groups."""
        source = self.collection("sources").get(source_id)
        parts = self.collection("parts").get(source_id)
        if source is None or parts is None:
            return
        ent_attributes = self._entitlement_attributes(source_id)
        for attributes in parts["accounts"].values():
            for name, multi, schema in ent_attributes:
                for value in split_values(attributes.get(name), multi):
                    self._put_entitlement(source, name, value, schema)
        if not parts["entitlements"]:
            return
        group = self._schema_named(source_id, "group") or {"name": "group"}
        attribute = next((n for n, _m, s in ent_attributes if s == group["name"]), None) or next(
            (n for n, _m, _s in ent_attributes), group["name"])
        for value, record in parts["entitlements"].items():
            self._put_entitlement(source, attribute, value, group["name"], name=record.get(group.get("displayAttribute")),
                                  description=record.get("description"), attributes=record)

    def source_task_done(self, work):
        """Hook run by ``finish_due_tasks`` when a source's task has done its work."""
        if work["kind"] in ("aggregate", "entitlements"):
            self.aggregate_entitlements(work["source"])
        elif work["kind"] == "delete":
            self._drop_entitlements(work["source"])

    def _finish_reset_entitlements(self, work, parts):
        return {"total": self._drop_entitlements(work["source"])}

    def _drop_entitlements(self, source_id):
        store = self.collection("entitlements")
        doomed = [k for k, e in store.items() if e["source"]["id"] == source_id]
        for key in doomed:
            del store[key]
            self.collection("entitlement-request-configs").pop(key, None)
        return len(doomed)

    def seed_entitlements(self, source_id, values, attribute="groups"):
        """Entitlements ``attribute`` = each of ``values`` on the source, at once (benchmarks)."""
        with self.lock:
            source = self._source(source_id)
            return [self._put_entitlement(source, attribute, str(v), "group")["id"] for v in values]

    def admin(self, method, path, body):
        if method == "POST" and path == "/entitlements":
            data = json.loads(body) if body else {}
            try:
                ids = self.seed_entitlements(data.get("source"), data.get("values") or [], data.get("attribute") or "groups")
            except HttpError as exc:
                return Reply(exc.status, {"message": exc.message})
            return Reply(200, {"created": len(ids), "ids": ids})
        return super().admin(method, path, body)

    def list_entitlements(self, req):
        items = self.collection("entitlements").values()
        account_id = req.arg("account-id")
        if account_id is not None:
            if req.arg("filters") or req.arg("segmented-for-identity") or req.arg("for-segment-ids"):
                raise illegal("account-id cannot be specified with filters, segmented-for-identity or for-segment-ids")
            held = set()
            for source_id, parts in self.collection("parts").items():
                for native, attributes in parts["accounts"].items():
                    if uuid.uuid5(uuid.NAMESPACE_URL, source_id + "/" + native).hex == account_id:
                        held.update(self.account_entitlement_ids(source_id, attributes))
            items = [e for e in items if e["id"] in held]
        return self.page(req, "/entitlements", items)

    def _apply_entitlement_patch(self, current, ops):
        updated, _fields = patched(current, ops, "Entitlement", ENTITLEMENT_PATCHABLE)
        if updated.get("owner") is not None:
            updated["owner"] = self._owner(updated["owner"])
        if not isinstance(updated.get("name"), str) or not updated["name"].strip():
            raise illegal("name must be a non-empty string")
        for field, key in (("name", "DISPLAY_NAME"), ("description", "DESCRIPTION")):
            if updated.get(field) != current.get(field):  # kept by later aggregations
                updated["manuallyUpdatedFields"] = dict(updated.get("manuallyUpdatedFields") or {}, **{key: True})
        if updated != current:
            updated["modified"] = now_iso()
        return updated

    def patch_entitlement(self, req):
        current = self._entitlement(req.params["id"])
        ops = body_of(req, list) if req.raw else []  # the document's body is optional: no operation, no change
        updated = self._apply_entitlement_patch(current, ops)
        self.collection("entitlements")[current["id"]] = updated
        if updated["name"] != current["name"]:
            self._rename_refs("entitlements", updated["id"], updated["name"])
        return copy.deepcopy(updated)

    def bulk_update_entitlements(self, req):
        """All or nothing: every id must name an entitlement and the patch must apply to each."""
        body = body_of(req)
        ids = body.get("entitlementIds") or []
        if len(ids) > BULK_LIMIT:
            raise illegal("at most %d entitlements can be updated at once" % BULK_LIMIT)
        missing = [i for i in ids if i not in self.collection("entitlements")]
        if missing:
            raise illegal("entitlementIds name entitlements that do not exist: %s" % ", ".join(missing), code=NOT_FOUND)
        updated = [self._apply_entitlement_patch(self.collection("entitlements")[i], body.get("jsonPatch") or [])
                   for i in ids]
        for entitlement in updated:
            if entitlement["name"] != self.collection("entitlements")[entitlement["id"]]["name"]:
                self._rename_refs("entitlements", entitlement["id"], entitlement["name"])
            self.collection("entitlements")[entitlement["id"]] = entitlement
        return Reply(204)

    def _relatives(self, req, which):
        entitlement = self._entitlement(req.params["id"])
        source_id = entitlement["source"]["id"]
        group = self._schema_named(source_id, "group") or {}
        hierarchy = group.get("hierarchyAttribute")
        records = (self.collection("parts").get(source_id) or {}).get("entitlements") or {}
        same_source = [e for e in self.collection("entitlements").values()
                       if e["source"]["id"] == source_id and e["attribute"] == entitlement["attribute"]]
        if not hierarchy:
            found = []
        elif which == "parents":
            wanted = split_values((records.get(entitlement["value"]) or {}).get(hierarchy), True)
            found = [e for e in same_source if e["value"] in wanted]
        else:
            found = [e for e in same_source
                     if entitlement["value"] in split_values((records.get(e["value"]) or {}).get(hierarchy), True)]
        return self.page(req, "/entitlements/{id}/" + which, found)

    def get_entitlement_request_config(self, req):
        self._entitlement(req.params["id"])
        configs = self.collection("entitlement-request-configs")
        return copy.deepcopy(configs.get(req.params["id"]) or default_entitlement_request_config())

    def put_entitlement_request_config(self, req):
        self._entitlement(req.params["id"])
        body = body_of(req)
        config = default_entitlement_request_config()
        for section in config:
            config[section].update(body.get(section) or {})
            self._check_approvals(config[section], section)
        self.collection("entitlement-request-configs")[req.params["id"]] = config
        return copy.deepcopy(config)

    def _access_task(self, unique_name, description):
        """A task of task status, on no source, that completes after ``task_delay`` (its work is done)."""
        task_id = self.new_id()
        stamp = now_iso()
        task = {"id": task_id, "type": "QUARTZ", "uniqueName": unique_name, "description": description,
                "parentName": None, "launcher": "sweep", "target": None, "created": stamp, "modified": stamp,
                "launched": stamp, "completed": None, "completionStatus": None, "messages": [], "returns": [],
                "attributes": {}, "progress": "Started", "percentComplete": 0}
        self.collection("tasks")[task_id] = task
        self.collection("pending")[task_id] = {"kind": "access", "source": None, "due": time.time() + self.task_delay}
        return task

    def reset_source_entitlements(self, req):
        source = self._source(req.params["id"])
        task = self.new_task(source, "Cloud Entitlement Reset", "Remove the entitlements of %s" % source["name"],
                             "reset_entitlements")
        return Reply(202, {"type": "TASK_RESULT", "id": task["id"], "name": task["uniqueName"]})

    def aggregate_source_entitlements(self, req):
        """The deprecated entitlement aggregation: a CSV in ``csvFile`` (a delimited file source) or nothing."""
        source = self._source(req.params["id"])
        upload = multipart(req, ("csvFile",)).get("csvFile")
        rows = csv_rows(upload[1]) if upload and upload[1] else None
        task = self.new_task(source, "Cloud Group Aggregation", "Aggregate entitlements from %s" % source["name"],
                             "entitlements", rows=rows)
        return Reply(202, {"id": task["id"], "type": task["type"], "uniqueName": task["uniqueName"],
                           "description": task["description"], "launcher": task["launcher"], "created": task["created"],
                           "returns": [{"displayLabel": "TASK_OUT_TOTAL", "attributeName": "total"}]})

    def entitlement_metadata(self, req, add):
        entitlement = self._entitlement(req.params["id"])
        changed = self._change_metadata(entitlement, req.params["attributeKey"], req.params["attributeValue"], add)
        if not add:
            return Reply(200)
        return Reply(201, copy.deepcopy(changed))

    def _change_metadata(self, obj, key, value, add):
        """Add or remove the access model metadata ``key`` = ``value`` of ``obj`` (in place)."""
        metadata = obj.get("accessModelMetadata") or {}
        attributes = metadata.get("attributes") or []
        attribute = next((a for a in attributes if a.get("key") == key), None)
        if add:
            if attribute is None:
                attribute = {"key": key, "name": key, "multiselect": True, "status": "active", "type": "custom",
                             "objectTypes": ["all"], "description": "", "values": []}
                attributes.append(attribute)
            if all(v.get("value") != value for v in attribute["values"]):
                if sum(len(a.get("values") or []) for a in attributes) >= METADATA_LIMIT:
                    raise illegal("at most %d access model metadata values per object" % METADATA_LIMIT)
                attribute["values"].append({"value": value, "name": value, "status": "active"})
        else:
            if attribute is None or all(v.get("value") != value for v in attribute.get("values") or []):
                raise illegal("%s has no access model metadata %s = %s" % (obj["id"], key, value))
            attribute["values"] = [v for v in attribute["values"] if v.get("value") != value]
            if not attribute["values"]:
                attributes.remove(attribute)
        obj["accessModelMetadata"] = {"attributes": attributes}
        obj["modified"] = now_iso()
        return obj

    # -- access profiles ------------------------------------------------------------------------------

    def _access_profile(self, profile_id):
        found = self.collection("access-profiles").get(profile_id)
        if found is None:
            raise HttpError(404, "The access profile %s was not found." % profile_id)
        return found

    def _check_provisioning_criteria(self, node, depth=1, where="provisioningCriteria"):
        if node is None:
            return
        if depth > 3:
            raise illegal("%s: at most three levels of criteria are supported" % where)
        operation = node.get("operation")
        children = node.get("children")
        if operation in LOGIC_OPS:
            if not children or node.get("attribute") is not None or node.get("value") is not None:
                raise illegal("%s: an %s node needs children and no attribute or value" % (where, operation))
            for i, child in enumerate(children):
                self._check_provisioning_criteria(child, depth + 1, "%s.children[%d]" % (where, i))
            return
        if children is not None:
            raise illegal("%s: children must be left null unless the operation is AND or OR" % where)
        if not node.get("attribute"):
            raise illegal("%s: an %s node needs an attribute" % (where, operation))
        if (operation in PROVISIONING_VALUE_OPS) != (node.get("value") is not None):
            raise illegal("%s: value is required with %s and an error otherwise"
                          % (where, ", ".join(PROVISIONING_VALUE_OPS)))

    def _store_access_profile(self, profile, previous):
        name = profile.get("name")
        if not isinstance(name, str) or not name.strip():
            raise illegal("name is required")
        for other in self.collection("access-profiles").values():
            if other["id"] != profile["id"] and other["name"].lower() == name.lower():
                raise illegal("An access profile named %r already exists." % name, code=CONFLICT)
        if len(profile.get("description") or "") > DESCRIPTION_LIMIT and (
                previous is None or profile["description"] != previous.get("description")):
            raise illegal("description is limited to %d characters" % DESCRIPTION_LIMIT)
        if profile.get("owner") is None:
            raise illegal("owner is required")
        profile["owner"] = self._owner(profile["owner"])
        profile["additionalOwners"] = self._additional_owners(profile.get("additionalOwners"))
        source_ref = profile.get("source")
        if not isinstance(source_ref, dict) or not source_ref.get("id"):
            raise illegal("source.id is required")
        source = self.collection("sources").get(source_ref["id"])
        if source is None:
            raise illegal("source references %r, which does not exist" % source_ref["id"], code=NOT_FOUND)
        profile["source"] = {"type": "SOURCE", "id": source["id"], "name": source["name"]}
        refs = []
        for i, ref in enumerate(profile.get("entitlements") or []):
            found = self.collection("entitlements").get((ref or {}).get("id"))
            if found is None:
                raise illegal("entitlements[%d] references %r, which does not exist" % (i, (ref or {}).get("id")),
                              code=NOT_FOUND)
            if found["source"]["id"] != source["id"]:
                raise illegal("entitlements[%d] (%s) belongs to source %s, not to the access profile's source %s"
                              % (i, found["id"], found["source"]["name"], source["name"]))
            refs.append({"type": "ENTITLEMENT", "id": found["id"], "name": found["name"]})
        profile["entitlements"] = refs
        if profile.get("enabled") and not refs:
            raise illegal("an enabled access profile needs at least one entitlement")
        if "revokeRequestConfig" in profile:
            profile["revocationRequestConfig"] = profile.pop("revokeRequestConfig")
        request = profile.get("accessRequestConfig")
        profile["accessRequestConfig"] = dict(default_requestability(), **request) if request is not None else None
        self._check_approvals(profile["accessRequestConfig"], "accessRequestConfig")
        revocation = profile.get("revocationRequestConfig")
        profile["revocationRequestConfig"] = dict({"approvalSchemes": []}, **revocation) if revocation is not None else None
        self._check_approvals(profile["revocationRequestConfig"], "revocationRequestConfig")
        self._check_provisioning_criteria(profile.get("provisioningCriteria"))
        if previous is not None and profile != previous:
            profile["modified"] = now_iso()
        self.collection("access-profiles")[profile["id"]] = profile
        if previous is not None and previous["name"] != profile["name"]:
            self._rename_refs("accessProfiles", profile["id"], profile["name"])
        return copy.deepcopy(profile)

    def create_access_profile(self, req):
        body = body_of(req)
        if (body.get("accessModelMetadata") or {}).get("attributes"):
            raise illegal("accessModelMetadata must be left null or empty when creating an access profile")
        stamp = now_iso()
        profile = {"id": self.new_id(), "name": None, "description": None, "created": stamp, "modified": stamp,
                   "enabled": False, "owner": None, "source": None, "entitlements": [], "requestable": True,
                   "accessRequestConfig": default_requestability(),
                   "revocationRequestConfig": {"approvalSchemes": []}, "segments": [],
                   "accessModelMetadata": {"attributes": []}, "provisioningCriteria": None, "additionalOwners": []}
        profile.update((k, v) for k, v in body.items() if k not in ("id", "created", "modified", "accessModelMetadata"))
        return Reply(201, self._store_access_profile(profile, None))

    def patch_access_profile(self, req):
        current = self._access_profile(req.params["id"])
        updated, fields = patched(current, body_of(req, list), "AccessProfile", ACCESS_PROFILE_PATCHABLE)
        if "source" in fields and "entitlements" not in fields:
            raise illegal("the source of an access profile can only change with its entitlements, in the same call")
        return self._store_access_profile(updated, current)

    def _roles_using(self, profile_id):
        return [{"type": "ROLE", "id": r["id"], "name": r["name"]} for r in self.collection("roles").values()
                if any(a["id"] == profile_id for a in r.get("accessProfiles") or [])]

    def _states_using(self, profile_id):
        """The lifecycle states (identity_parts) that grant or remove the access profile."""
        return [state for states in self.collection("lifecycle-states").values() for state in states.values()
                if profile_id in (state.get("accessProfileIds") or [])]

    def delete_access_profile(self, req):
        profile = self._access_profile(req.params["id"])
        users = ["role %s" % u["name"] for u in self._roles_using(profile["id"])] + [
            "lifecycle state %s" % s["name"] for s in self._states_using(profile["id"])]
        if users:
            raise illegal("The access profile %s is in use by %s" % (profile["name"], ", ".join(users)), code=CONFLICT)
        del self.collection("access-profiles")[profile["id"]]
        return Reply(204)

    def bulk_delete_access_profiles(self, req):
        body = body_of(req)
        ids = body.get("accessProfileIds") or []
        if len(ids) > BULK_LIMIT:
            raise illegal("at most %d access profiles can be deleted at once" % BULK_LIMIT)
        store = self.collection("access-profiles")
        missing = [i for i in ids if i not in store]
        if missing:
            raise illegal("accessProfileIds name access profiles that do not exist: %s" % ", ".join(missing),
                          code=NOT_FOUND)
        # a lifecycle state's use has no place in usedBy (ROLE only): such an item is listed without users
        in_use = [{"accessProfileId": i, "usedBy": self._roles_using(i)} for i in ids
                  if self._roles_using(i) or self._states_using(i)]
        pending = [i for i in ids if i not in set(u["accessProfileId"] for u in in_use)]
        if in_use and not body.get("bestEffortOnly") or not pending:
            return Reply(200, {"pending": [], "inUse": in_use})
        for profile_id in pending:
            del store[profile_id]
        task = self._access_task("Access Profile Bulk Delete", "Delete %d access profiles" % len(pending))
        return Reply(202, {"taskId": task["id"], "pending": pending, "inUse": in_use})

    def access_profile_entitlements(self, req):
        profile = self._access_profile(req.params["id"])
        store = self.collection("entitlements")
        items = [store[r["id"]] for r in profile["entitlements"] if r["id"] in store]
        return self.page(req, "/access-profiles/{id}/entitlements", items)

    def bulk_requestable_access_profiles(self, req):
        results = []
        for item in body_of(req, list):
            found = self.collection("access-profiles").get(item.get("id"))
            if found is None:
                results.append({"id": str(item.get("id") or ""), "requestable": bool(item.get("requestable")),
                                "status": "404", "description": "Access profile not found."})
                continue
            if not isinstance(item.get("requestable"), bool):  # the document's "required" sits on the array
                results.append({"id": found["id"], "requestable": found["requestable"], "status": "400",
                                "description": "requestable (true or false) is required."})
                continue
            if found["requestable"] != item.get("requestable"):
                found.update(requestable=item.get("requestable"), modified=now_iso())
            results.append({"id": found["id"], "requestable": found["requestable"], "status": "201",
                            "description": "Access profile is updated successfully."})
        return Reply(207, results)

    # -- roles ------------------------------------------------------------------------------------------

    def _role(self, role_id):
        found = self.collection("roles").get(role_id)
        if found is None:
            raise HttpError(404, "The role %s was not found." % role_id)
        return found

    def _check_criteria(self, node, depth=1, parent=None, where="membership.criteria"):
        if not isinstance(node, dict):
            raise illegal("%s must be an object" % where)
        operation = node.get("operation")
        children = node.get("children")
        if operation in LOGIC_OPS:
            if depth == 3:
                raise illegal("%s: at most three levels of criteria are supported, including leaf nodes" % where)
            if operation == parent:
                other = "OR" if operation == "AND" else "AND"
                raise illegal("%s: an %s node can only be a child of an %s node" % (where, operation, other))
            if not children or node.get("key") is not None or node.get("stringValue") is not None:
                raise illegal("%s: an %s node needs children and no key or stringValue" % (where, operation))
            for i, child in enumerate(children):
                self._check_criteria(child, depth + 1, operation, "%s.children[%d]" % (where, i))
            return
        if operation is None:
            raise illegal("%s.operation is required" % where)
        if children is not None:
            raise illegal("%s: children must be left null unless the operation is AND or OR" % where)
        key = node.get("key")
        if not isinstance(key, dict) or not key.get("property"):
            raise illegal("%s: an %s node needs a key with a type and a property" % (where, operation))
        if node.get("stringValue") is None:
            raise illegal("%s: an %s node needs a stringValue" % (where, operation))
        if key.get("type") in ("ACCOUNT", "ENTITLEMENT"):
            if not key.get("sourceId"):
                raise illegal("%s.key.sourceId is required when the key type is %s" % (where, key["type"]))
            if key["sourceId"] not in self.collection("sources"):
                raise illegal("%s.key.sourceId references %r, which does not exist" % (where, key["sourceId"]),
                              code=NOT_FOUND)

    def _check_membership(self, membership):
        if membership is None:
            return None
        kind = membership.get("type")
        if kind == "STANDARD":
            if membership.get("criteria") is None:
                raise illegal("membership.criteria is required when the membership type is STANDARD")
            self._check_criteria(membership["criteria"])
            return dict(membership, identities=None)
        if kind == "IDENTITY_LIST":
            identities = []
            for i, ref in enumerate(membership.get("identities") or []):
                found = self.collection("identities").get((ref or {}).get("id"))
                if found is None:
                    raise illegal("membership.identities[%d] references %r, which does not exist"
                                  % (i, (ref or {}).get("id")), code=NOT_FOUND)
                identities.append({"type": "IDENTITY", "id": found["id"], "name": found["name"],
                                   "aliasName": found.get("alias")})
            return dict(membership, criteria=None, identities=identities)
        raise illegal("membership.type must be STANDARD or IDENTITY_LIST")

    def _store_role(self, role, previous):
        name = role.get("name")
        if not isinstance(name, str) or not name.strip():
            raise illegal("name is required")
        for other in self.collection("roles").values():
            if other["id"] != role["id"] and other["name"].lower() == name.lower():
                raise illegal("A role named %r already exists." % name, code=CONFLICT)
        if len(role.get("description") or "") > DESCRIPTION_LIMIT and (
                previous is None or role["description"] != previous.get("description")):
            raise illegal("description is limited to %d characters" % DESCRIPTION_LIMIT)
        if role.get("owner") is None:
            raise illegal("owner is required")
        role["owner"] = self._owner(role["owner"])
        role["additionalOwners"] = self._additional_owners(role.get("additionalOwners"))
        profiles = []
        for i, ref in enumerate(role.get("accessProfiles") or []):
            found = self.collection("access-profiles").get((ref or {}).get("id"))
            if found is None:
                raise illegal("accessProfiles[%d] references %r, which does not exist" % (i, (ref or {}).get("id")),
                              code=NOT_FOUND)
            profiles.append({"type": "ACCESS_PROFILE", "id": found["id"], "name": found["name"]})
        role["accessProfiles"] = profiles
        entitlements = []
        for i, ref in enumerate(role.get("entitlements") or []):
            found = self.collection("entitlements").get((ref or {}).get("id"))
            if found is None:
                raise illegal("entitlements[%d] references %r, which does not exist" % (i, (ref or {}).get("id")),
                              code=NOT_FOUND)
            entitlements.append({"type": "ENTITLEMENT", "id": found["id"], "name": found["name"]})
        role["entitlements"] = entitlements
        role["membership"] = self._check_membership(role.get("membership"))
        if "revokeRequestConfig" in role:
            role["revocationRequestConfig"] = role.pop("revokeRequestConfig")
        role["accessRequestConfig"] = dict(dict(default_requestability(), formDefinitionId=None),
                                           **(role.get("accessRequestConfig") or {}))
        self._check_approvals(role["accessRequestConfig"], "accessRequestConfig")
        role["revocationRequestConfig"] = dict({"commentsRequired": False, "denialCommentsRequired": False,
                                                "approvalSchemes": []}, **(role.get("revocationRequestConfig") or {}))
        self._check_approvals(role["revocationRequestConfig"], "revocationRequestConfig")
        values = sum(len(a.get("values") or []) for a in (role.get("accessModelMetadata") or {}).get("attributes") or [])
        if values > METADATA_LIMIT:
            raise illegal("at most %d access model metadata values per role" % METADATA_LIMIT)
        if previous is not None and role != previous:
            role["modified"] = now_iso()
        self.collection("roles")[role["id"]] = role
        return copy.deepcopy(role)

    def create_role(self, req):
        body = body_of(req)
        if body.get("id") is not None:
            raise illegal("id must be left null when creating a role")
        if (body.get("accessModelMetadata") or {}).get("attributes"):
            raise illegal("accessModelMetadata must be left null or empty when creating a role")
        stamp = now_iso()
        role = {"id": self.new_id(), "name": None, "created": stamp, "modified": stamp, "description": None,
                "owner": None, "additionalOwners": [], "accessProfiles": [], "entitlements": [], "membership": None,
                "legacyMembershipInfo": None, "enabled": False, "requestable": False, "accessRequestConfig": None,
                "revocationRequestConfig": None, "segments": [], "dimensional": False, "dimensionRefs": [],
                "accessModelMetadata": {"attributes": []}, "privilegeLevel": None}
        computed = ("id", "created", "modified", "accessModelMetadata", "legacyMembershipInfo")
        role.update((k, v) for k, v in body.items() if k not in computed)
        return Reply(201, self._store_role(role, None))

    def patch_role(self, req):
        current = self._role(req.params["id"])
        updated, _fields = patched(current, body_of(req, list), "Role", ROLE_PATCHABLE)
        return self._store_role(updated, current)

    def delete_role(self, req):
        del self.collection("roles")[self._role(req.params["id"])["id"]]
        return Reply(204)

    def bulk_delete_roles(self, req):
        ids = body_of(req).get("roleIds") or []
        if len(ids) > BULK_LIMIT:
            raise illegal("at most %d roles can be deleted at once" % BULK_LIMIT)
        missing = [i for i in ids if i not in self.collection("roles")]
        if missing:
            raise illegal("roleIds name roles that do not exist: %s" % ", ".join(missing), code=NOT_FOUND)
        for role_id in ids:
            del self.collection("roles")[role_id]
        task = self._access_task("Role Bulk Delete", "Delete %d roles" % len(ids))
        return Reply(202, {"type": "TASK_RESULT", "id": task["id"], "name": task["uniqueName"]})

    def _members(self, role):
        membership = role.get("membership") or {}
        identities = self.collection("identities")
        if membership.get("type") == "IDENTITY_LIST":
            return [identities[r["id"]] for r in membership.get("identities") or [] if r["id"] in identities]
        if membership.get("type") != "STANDARD":
            return []
        return [i for i in identities.values() if criteria_matches(
            membership["criteria"], lambda key, op, value, who=i: self._criteria_leaf(who, key, op, value))]

    def _criteria_leaf(self, identity, key, operation, value):
        if key["type"] == "IDENTITY":
            attributes = identity.get("attributes") or {}
            have = attributes[key["property"]] if key["property"] in attributes else identity.get(key["property"])
            return leaf_holds(have, operation, value)
        accounts = self._accounts_of(identity["id"], key.get("sourceId"))
        if key["type"] == "ACCOUNT":
            return any(leaf_holds(a.get(key["property"]), operation, value) for a in accounts)
        held = [self.collection("entitlements").get(i) for a in accounts
                for i in self.account_entitlement_ids(key["sourceId"], a)]
        return leaf_holds([e["value"] for e in held if e and e["attribute"] == key["property"]], operation, value)

    def _accounts_of(self, identity_id, source_id):
        """The identity's accounts on the source: the one process-identities made it from (identity_parts'
        ``identity-accounts``) and those whose ``identityId`` attribute names it."""
        accounts = (self.collection("parts").get(source_id) or {}).get("accounts") or {}
        link = self.collection("identity-accounts").get(identity_id) or [None, None]
        return [a for native, a in accounts.items()
                if (link[0] == source_id and link[1] == native) or a.get("identityId") == identity_id]

    def role_assigned_identities(self, req):
        role = self._role(req.params["id"])
        members = [{"id": i["id"], "aliasName": i.get("alias"), "name": i["name"], "email": i.get("emailAddress"),
                    "roleAssignmentSource": "ROLE_MEMBERSHIP"} for i in self._members(role)]
        return self.page(req, "/roles/{id}/assigned-identities", members)

    def role_entitlements(self, req):
        role = self._role(req.params["id"])
        store = self.collection("entitlements")
        ids = [r["id"] for r in role["entitlements"]]
        for ref in role["accessProfiles"]:
            ids += [r["id"] for r in (self.collection("access-profiles").get(ref["id"]) or {}).get("entitlements") or []]
        unique = list(dict.fromkeys(i for i in ids if i in store))
        return self._page50(req, "/roles/{id}/entitlements", [store[i] for i in unique])

    def role_metadata(self, req, add):
        role = self._role(req.params["id"])
        self._change_metadata(role, req.params["attributeKey"], req.params["attributeValue"], add)
        return copy.deepcopy(role) if add else Reply(202)

    # -- role filter search and access model metadata bulk updates ----------------------------------

    def _filtered_roles(self, text, spec_rules):
        roles = list(self.collection("roles").values())
        if text:
            predicate = FilterParser(text, spec_rules).parse()
            roles = [r for r in roles if predicate(r)]
        return roles

    def filter_roles(self, req):
        body = req.json if isinstance(req.json, dict) else {}
        roles = self._filtered_roles(body.get("filters"), collection_rules("/roles")[0])
        for pair in body.get("ammKeyValues") or []:
            def holds(role, pair=pair):
                for attribute in (role.get("accessModelMetadata") or {}).get("attributes") or []:
                    if attribute.get("key") == pair.get("attribute"):
                        values = [v.get("value") for v in attribute.get("values") or []]
                        return not pair.get("values") or any(v in values for v in pair["values"])
                return False
            roles = [r for r in roles if holds(r)]
        return self._page_post(req, roles)

    def _page_post(self, req, items):
        items = [copy.deepcopy(i) for i in items]
        for sorter in reversed([s.strip() for s in (req.arg("sorters") or "").split(",") if s.strip()]):
            if sorter.lstrip("-") not in ("name", "created", "modified"):
                raise illegal("Invalid sorter %r: sorting is supported for name, created, modified" % sorter)
            items.sort(key=lambda r, f=sorter.lstrip("-"): str(r.get(f)), reverse=sorter.startswith("-"))
        limit, offset = int(req.arg("limit", 50)), int(req.arg("offset", 0))
        headers = {"X-Total-Count": str(len(items))} if req.arg("count") == "true" else {}
        return Reply(200, items[offset:offset + limit], headers)

    def _query_roles(self, query):
        inner = query.get("query") if isinstance(query, dict) else None
        text = inner.get("query") if isinstance(inner, dict) and isinstance(inner.get("query"), str) else "*"
        groups = [[t for t in re.split(r"\s+AND\s+", part) if t.strip()] for part in re.split(r"\s+OR\s+", text.strip())]

        def term_holds(role, term):
            match = QUERY_TERM.fullmatch(term.strip())
            if not match:
                return False
            field, pattern = match.group(1), match.group(2).strip('"').lower()
            fields = [field] if field else ["name"]
            return any(fnmatch.fnmatch(str(role.get(f) or "").lower(), pattern if "*" in pattern or field else
                                       "*%s*" % pattern) for f in fields)
        return [r for r in self.collection("roles").values()
                if any(all(term_holds(r, t) for t in group) for group in groups)]

    def bulk_update_role_metadata(self, req, how):
        body = body_of(req)
        if how == "ids":
            missing = [i for i in body.get("roles") or [] if i not in self.collection("roles")]
            if missing:
                raise illegal("roles name roles that do not exist: %s" % ", ".join(missing), code=NOT_FOUND)
            targets = list(body.get("roles") or [])
        elif how == "filter":
            rules = collection_rules("/roles")[0]
            targets = [r["id"] for r in self._filtered_roles(body.get("filters"), rules)]
        else:
            targets = [r["id"] for r in self._query_roles(body.get("query"))]
        changes = []  # an item without an attribute name, or a value that is not a string, changes nothing
        for item in body.get("values") or []:
            key = next((k for k in (item.get("attribute"), item.get("attributeKey")) if isinstance(k, str) and k), None)
            values = item.get("values") if item.get("values") is not None else item.get("attributeValue")
            if key is not None:
                values = values if isinstance(values, list) else []
                changes.append((key, [v for v in values if isinstance(v, str) and v]))
        stamp = now_iso()
        job = {"id": self.new_id(), "type": "ROLE", "status": "CREATED", "created": stamp}
        self.collection("role-bulk-updates")[job["id"]] = {
            "job": job, "roles": targets, "operation": body.get("operation"),
            "scope": body.get("replaceScope") or "ATTRIBUTE", "changes": changes, "due": time.time() + self.task_delay}
        return Reply(202, copy.deepcopy(job))

    def _settle_role_updates(self):
        for update in self.collection("role-bulk-updates").values():
            if update["job"]["status"] == "COMPLETED" or time.time() < update["due"]:
                continue
            update["job"]["status"] = "COMPLETED"
            for role_id in update["roles"]:
                role = self.collection("roles").get(role_id)
                if role is not None:
                    self._apply_bulk_metadata(role, update)

    def _apply_bulk_metadata(self, role, update):
        metadata = role.get("accessModelMetadata") or {}
        attributes = list(metadata.get("attributes") or [])
        if update["operation"] == "REPLACE":
            touched = set(k for k, _v in update["changes"])
            attributes = [] if update["scope"] == "ALL" else [a for a in attributes if a.get("key") not in touched]
        role["accessModelMetadata"] = {"attributes": attributes}
        for key, values in update["changes"]:
            for value in values:
                try:
                    self._change_metadata(role, key, value, update["operation"] != "REMOVE")
                except HttpError:  # a value already gone, or the per-role limit: skipped, as one item of a bulk
                    pass
            if update["operation"] == "REMOVE" and not values:
                role["accessModelMetadata"]["attributes"] = [
                    a for a in role["accessModelMetadata"]["attributes"] if a.get("key") != key]
        role["modified"] = now_iso()

    def role_bulk_updates(self, req):
        return [copy.deepcopy(u["job"]) for u in self.collection("role-bulk-updates").values()
                if u["job"]["status"] in UNFINISHED]

    def role_bulk_update_status(self, req):
        updates = list(self.collection("role-bulk-updates").values())
        if not updates:
            raise illegal("there is no bulk update to report on")
        return Reply(202, copy.deepcopy(updates[-1]["job"]))
