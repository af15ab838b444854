"""Issue 25, first half: transforms, identity profiles, lifecycle states and governance groups.

A mixin of ``SailPointSimulator`` (routes from ``register_identity_parts``, seeds from
``seed_identity_parts``), served like the Sources API under every year version and in the
per-resource tree. Stores (objects kept as the v2024 document's response models):

* ``transforms``: id -> transform. Names are unique; PUT changes ``attributes`` only (the document
  makes its body optional, as it does PATCH's of a governance group: without one nothing changes); deleting a
  transform that an identity profile's mapping references (``{"type": "reference", "attributes":
  {"id": <transform name or id>}}``, at any depth) is refused with 400, as the document says.
* ``identity-profiles``: id (a UUID, as the document's path parameter wants) -> profile. The
  authoritative source must exist and belong to no other profile, the owner must be an existing
  identity, every transform a mapping references must exist. ``identityAttributeConfig`` defaults
  to the source's default mapping (``default-identity-attribute-config``). Deletion (single or
  bulk) is a task readable in task status; the profile, its lifecycle states and its identities'
  membership go when it completes. ``process-identities`` is a task too: on completion every
  account of the authoritative source becomes (or updates) an identity of the profile, its
  attributes computed from the mapping (the tenant's own identities join a profile whose source is
  the IdentityNow source), and ``identityRefreshRequired`` turns false. A PATCH changes every field but those the
  document names (id, created, modified, identityCount, identityRefreshRequired; the authoritative source and the
  attribute config not together); ``hasTimeBasedAttr`` is what was given (false by default).
* ``profile-identities``: identity id -> profile id; ``identity-accounts``: identity id ->
  [source id, account native identity] (identities made by process-identities).
* ``lifecycle-states``: profile id -> {state id: state}. Technical names are unique per profile,
  access profile ids must exist in ``access-profiles`` (SIM-ACC's store), account actions name
  existing sources. ``set-lifecycle-state`` wants an identity of a profile and a state of that
  profile, and stores ``lifecycleState`` (and the ``cloudLifecycleState`` attribute) on the identity. The
  per-resource tree (``/identity-profiles/v1/...``) also takes and shows ``priority``, ``accessActionConfiguration``
  and account actions with ``allSources`` / ``excludeSourceIds`` (the latest SDK's model); the year versions do not.
* ``workgroups`` and ``workgroup-members`` (workgroup id -> {identity id: member}). Members and the
  owner (optional, as in the document's WorkgroupDto) are existing identities; bulk add / remove and bulk delete answer 207 with a status per
  item; a workgroup with connections (a source's management workgroup, an access profile's or
  role's approval scheme) cannot be deleted.
"""

import copy
import time
import uuid

from tests.simulators.core import HttpError, Reply
from tests.simulators.sailpoint.common import (ADMIN_ID, IDN_SOURCE_ID, PER_RESOURCE_VERSION, WORKGROUPS, apply_patch_op,
                                               error_message, illegal, now_iso, pointer_parts, spec_document)
from tests.simulators.sailpoint.parts import message

NOT_FOUND_REF = "400.1.404 Referenced object not found"
CONFLICT = "400.1.409 Reference conflict"
TRANSFORM_PATH = "/transforms"
PROFILE_FIELDS = ("name", "description", "owner", "priority", "authoritativeSource", "identityAttributeConfig",
                  "identityExceptionReportReference", "hasTimeBasedAttr")
# what the document's PATCH says cannot be updated (everything else of the IdentityProfile can)
PROFILE_FIXED = ("id", "created", "modified", "identityCount", "identityRefreshRequired")
STATE_PATCHABLE = ("enabled", "description", "accountActions", "accessProfileIds", "emailNotificationOption")
# the per-resource tree's LifecycleState (the latest SDK's model) has these too; the v2024 document does not
STATE_V1_ONLY = ("priority", "accessActionConfiguration")
WORKGROUP_PATCHABLE = ("name", "description", "owner")
BULK_DELETE_LIMIT = 100
# identity attribute -> account attribute of the default mapping (None: the account schema's identity attribute)
DEFAULT_MAPPING = (("uid", None), ("email", "email"), ("firstname", "firstname"), ("lastname", "lastname"),
                   ("displayName", "name"))
# approval scheme holders that make a governance group connection: store -> connected object type
APPROVAL_HOLDERS = (("access-profiles", "ACCESS_PROFILE"), ("roles", "ROLE"))


def transform_types():
    return spec_document()["components"]["schemas"]["Transform"]["properties"]["type"]["enum"]


def references(definition):
    """The transform names / ids a transform definition references (``reference`` at any depth)."""
    found = []
    if isinstance(definition, list):
        for item in definition:
            found.extend(references(item))
    elif isinstance(definition, dict):
        attributes = definition.get("attributes")
        if definition.get("type") == "reference" and isinstance(attributes, dict) and attributes.get("id"):
            found.append(attributes["id"])
        for value in definition.values():
            found.extend(references(value))
    return found


class IdentityParts:
    """Transforms, identity profiles, lifecycle states, governance groups (mixed into SailPointSimulator)."""

    def seed_identity_parts(self):
        for name in ("transforms", "identity-profiles", "lifecycle-states", "profile-identities", "identity-accounts"):
            self.collection(name)
        members = self.collection("workgroup-members")
        for ident, _name in WORKGROUPS:
            members[ident] = {ADMIN_ID: self._member(ADMIN_ID)}

    def register_identity_parts(self):
        api = self.api
        api("GET", "/transforms", self.list_transforms)
        api("POST", "/transforms", self.create_transform)
        api("GET", "/transforms/{id}", lambda req: copy.deepcopy(self._transform(req.params["id"])))
        api("PUT", "/transforms/{id}", self.put_transform)
        api("DELETE", "/transforms/{id}", self.delete_transform)
        # literal paths before /identity-profiles/{id}
        api("POST", "/identity-profiles/bulk-delete", self.bulk_delete_profiles)
        api("GET", "/identity-profiles/export", self.export_profiles)
        api("POST", "/identity-profiles/import", self.import_profiles)
        api("POST", "/identity-profiles/identity-preview", self.identity_preview)
        api("GET", "/identity-profiles", lambda req: self.page(req, "/identity-profiles", self._profiles()))
        api("POST", "/identity-profiles", self.create_profile)
        api("GET", "/identity-profiles/{id}", lambda req: self._profile_view(self._profile(req.params["id"])))
        api("PATCH", "/identity-profiles/{id}", self.patch_profile)
        api("DELETE", "/identity-profiles/{id}", self.delete_profile)
        api("GET", "/identity-profiles/{id}/default-identity-attribute-config",
            lambda req: self.default_config(self._profile(req.params["id"])["authoritativeSource"]["id"]))
        api("POST", "/identity-profiles/{id}/process-identities", self.process_identities)
        api("GET", "/identity-profiles/{id}/lifecycle-states", self.list_states)
        api("POST", "/identity-profiles/{id}/lifecycle-states", self.create_state)
        api("GET", "/identity-profiles/{id}/lifecycle-states/{stateId}",
            lambda req: self._state_view(req.params["id"], self._state(req), req))
        api("PATCH", "/identity-profiles/{id}/lifecycle-states/{stateId}", self.patch_state)
        api("DELETE", "/identity-profiles/{id}/lifecycle-states/{stateId}", self.delete_state)
        api("POST", "/identities/{id}/set-lifecycle-state", self.set_lifecycle_state)
        api("POST", "/workgroups/bulk-delete", self.bulk_delete_workgroups)
        api("GET", "/workgroups", self.list_workgroups)
        api("POST", "/workgroups", self.create_workgroup)
        api("GET", "/workgroups/{id}", lambda req: self._workgroup_view(self._workgroup(req.params["id"])))
        api("PATCH", "/workgroups/{id}", self.patch_workgroup)
        api("DELETE", "/workgroups/{id}", self.delete_workgroup)
        api("GET", "/workgroups/{id}/connections", self.list_connections)
        api("GET", "/workgroups/{id}/members", self.list_members)
        api("POST", "/workgroups/{id}/members/bulk-add", self.add_members)
        api("POST", "/workgroups/{id}/members/bulk-delete", self.remove_members)

    # -- shared ---------------------------------------------------------------------------------

    def _identity_ref(self, ref, field):
        """{type, id, name} of the existing identity ``ref`` names (400 naming ``field`` otherwise)."""
        found = self.collection("identities").get(ref.get("id")) if isinstance(ref, dict) else None
        if found is None:
            raise illegal("%s references identity %r, which does not exist"
                          % (field, ref.get("id") if isinstance(ref, dict) else ref), code=NOT_FOUND_REF)
        return {"type": "IDENTITY", "id": found["id"], "name": found["name"]}

    @staticmethod
    def _name(body, what):
        name = body.get("name")
        if not isinstance(name, str) or not name.strip():
            raise illegal("name is required: the %s's name" % what)
        return name

    @staticmethod
    def _unique(items, name, own_id, what):
        for other in items:
            if other["id"] != own_id and str(other.get("name", "")).lower() == name.lower():
                raise illegal("A %s named %r already exists." % (what, name), code=CONFLICT)

    @staticmethod
    def _json(req, kind=dict):
        if not isinstance(req.json, kind):
            raise illegal("the request body must be a JSON %s" % ("object" if kind is dict else "array"))
        return copy.deepcopy(req.json)

    @staticmethod
    def _patch(current, req, allowed, fixed=()):
        """``current`` with the request's JSON Patch applied, only to the ``allowed`` top-level fields."""
        ops = req.json if isinstance(req.json, list) else None
        if ops is None:
            raise illegal("the request body must be a JSON Patch array")
        updated = copy.deepcopy(current)
        for op in ops:
            if not isinstance(op, dict):
                raise illegal("each JSON Patch operation must be an object")
            top = pointer_parts(op.get("path"))[0]
            if top in fixed:
                raise illegal("Illegal update attempt: %s cannot be changed" % top)
            if top not in allowed:
                raise illegal("Illegal update attempt: %s is not one of the fields that can be changed (%s)"
                              % (top, ", ".join(allowed)))
            apply_patch_op(updated, op)
        return updated, ops

    # -- transforms -----------------------------------------------------------------------------

    def _transform(self, transform_id):
        found = self.collection("transforms").get(transform_id)
        if found is None:
            raise HttpError(404, "The transform %s was not found." % transform_id)
        return found

    def _transform_named(self, key):
        for transform in self.collection("transforms").values():
            if key in (transform["id"], transform["name"]):
                return transform
        return None

    def list_transforms(self, req):
        items = list(self.collection("transforms").values())
        if req.arg("name") is not None:
            items = [t for t in items if t["name"].lower() == req.arg("name").lower()]
        return self.page(req, TRANSFORM_PATH, items)

    def create_transform(self, req):
        body = self._json(req)
        name = self._name(body, "transform")
        self._unique(self.collection("transforms").values(), name, None, "transform")
        if body.get("type") not in transform_types():
            raise illegal("type %r is not a transform type; allowed: %s" % (body.get("type"), ", ".join(transform_types())))
        transform = {"id": self.new_id(), "name": name, "type": body["type"],
                     "attributes": copy.deepcopy(body.get("attributes")), "internal": False}
        self.collection("transforms")[transform["id"]] = transform
        return Reply(201, copy.deepcopy(transform))

    def put_transform(self, req):
        current = self._transform(req.params["id"])
        if not req.raw:  # the document makes the body optional: nothing to replace
            return copy.deepcopy(current)
        body = self._json(req)
        for key in ("name", "type"):
            if body.get(key) != current[key]:
                raise illegal("Illegal update attempt: only the attributes of a transform can be changed (%s %r -> %r)"
                              % (key, current[key], body.get(key)))
        current["attributes"] = copy.deepcopy(body.get("attributes"))
        return copy.deepcopy(current)

    def delete_transform(self, req):
        transform = self._transform(req.params["id"])
        users = [p["name"] for p in self.collection("identity-profiles").values()
                 if set(references(p.get("identityAttributeConfig"))) & {transform["id"], transform["name"]}]
        if users:
            raise illegal("The transform %r is used by the identity profile mappings of %s; remove it from them first."
                          % (transform["name"], ", ".join(sorted(users))), code=CONFLICT)
        del self.collection("transforms")[transform["id"]]
        return Reply(204)

    # -- identity profiles ----------------------------------------------------------------------

    def _profile(self, profile_id):
        found = self.collection("identity-profiles").get(profile_id)
        if found is None:
            raise HttpError(404, "The identity profile %s was not found." % profile_id)
        return found

    def _profile_view(self, profile):
        view = copy.deepcopy(profile)
        source = self.collection("sources").get(view["authoritativeSource"]["id"])
        if source is not None:  # the source's current name
            view["authoritativeSource"]["name"] = source["name"]
        view["identityCount"] = len([p for p in self.collection("profile-identities").values() if p == profile["id"]])
        return view

    def _profiles(self):
        return [self._profile_view(p) for p in self.collection("identity-profiles").values()]

    def default_config(self, source_id):
        """The mapping a profile of this source starts with: account attributes of the same meaning."""
        source = self.collection("sources").get(source_id) or {"id": source_id, "name": ""}
        key = "id"
        for schema in (self.collection("parts").get(source_id) or {}).get("schemas", {}).values():
            if schema["name"] == "account":
                key = schema.get("identityAttribute") or key
        return {"enabled": True, "attributeTransforms": [
            {"identityAttributeName": name, "transformDefinition": {
                "type": "accountAttribute", "attributes": {"sourceName": source["name"], "sourceId": source["id"],
                                                           "attributeName": attribute or key}}}
            for name, attribute in DEFAULT_MAPPING]}

    def _check_config(self, config):
        if config is None:
            return
        if not isinstance(config, dict) or not isinstance(config.get("attributeTransforms", []), list):
            raise illegal("identityAttributeConfig must be an object with an attributeTransforms list")
        names = set()
        for item in config.get("attributeTransforms", []):
            name = item.get("identityAttributeName") if isinstance(item, dict) else None
            definition = item.get("transformDefinition") if isinstance(item, dict) else None
            if not name or not isinstance(definition, dict):
                raise illegal("identityAttributeConfig.attributeTransforms: each item needs identityAttributeName "
                              "and transformDefinition")
            if name in names:
                raise illegal("identityAttributeConfig.attributeTransforms: %s is mapped twice" % name)
            names.add(name)
            if definition.get("type") not in transform_types():
                raise illegal("identityAttributeConfig.attributeTransforms[%s].transformDefinition.type %r is not a "
                              "transform type" % (name, definition.get("type")))
            for key in references(definition):
                if self._transform_named(key) is None:
                    raise illegal("identityAttributeConfig.attributeTransforms[%s] references the transform %r, which "
                                  "does not exist" % (name, key), code=NOT_FOUND_REF)

    def _store_profile(self, profile):
        """Check the profile's name and references and save it (the stored version is returned)."""
        name = self._name(profile, "identity profile")
        self._unique(self.collection("identity-profiles").values(), name, profile["id"], "identity profile")
        ref = profile.get("authoritativeSource")
        source = self.collection("sources").get(ref.get("id")) if isinstance(ref, dict) else None
        stored = self.collection("identity-profiles").get(profile["id"]) or {}
        if source is None and isinstance(ref, dict) and ref.get("id") == (stored.get("authoritativeSource") or {}).get("id"):
            source = stored["authoritativeSource"]  # deleted since: the profile keeps it until it is changed
        if source is None:
            raise illegal("authoritativeSource references source %r, which does not exist"
                          % (ref.get("id") if isinstance(ref, dict) else ref), code=NOT_FOUND_REF)
        for other in self.collection("identity-profiles").values():
            if other["id"] != profile["id"] and other["authoritativeSource"]["id"] == source["id"]:
                raise illegal("The source %r is already the authoritative source of the identity profile %r."
                              % (source["name"], other["name"]), code=CONFLICT)
        profile["authoritativeSource"] = {"type": "SOURCE", "id": source["id"], "name": source["name"]}
        if profile.get("owner") is not None:
            profile["owner"] = self._identity_ref(profile["owner"], "owner")
        if not isinstance(profile.get("priority"), int) or isinstance(profile.get("priority"), bool):
            raise illegal("priority must be an integer")
        self._check_config(profile.get("identityAttributeConfig"))
        if not isinstance(profile.get("hasTimeBasedAttr"), bool):
            raise illegal("hasTimeBasedAttr must be a boolean")
        report = profile.get("identityExceptionReportReference")
        if report is not None and (not isinstance(report, dict) or set(report) - {"taskResultId", "reportName"}
                                   or not all(isinstance(v, str) or v is None for v in report.values())):
            raise illegal("identityExceptionReportReference must be an object with taskResultId and reportName strings")
        self.collection("identity-profiles")[profile["id"]] = profile
        return profile

    def create_profile(self, req):
        body = self._json(req)
        stamp = now_iso()
        profile = {"id": str(uuid.uuid4()), "name": body.get("name"), "created": stamp, "modified": stamp,
                   "description": None, "owner": None, "priority": 10, "identityRefreshRequired": True,
                   "identityCount": 0, "identityExceptionReportReference": None, "hasTimeBasedAttr": False}
        profile.update((k, copy.deepcopy(body[k])) for k in PROFILE_FIELDS if k in body)
        source = profile.get("authoritativeSource")
        if "identityAttributeConfig" not in body and isinstance(source, dict) and source.get("id") in self.collection("sources"):
            profile["identityAttributeConfig"] = self.default_config(source["id"])
        return Reply(201, self._profile_view(self._store_profile(profile)))

    def patch_profile(self, req):
        current = self._profile(req.params["id"])
        updated, ops = self._patch(current, req, PROFILE_FIELDS, PROFILE_FIXED)
        touched = set(pointer_parts(op["path"])[0] for op in ops)
        if {"authoritativeSource", "identityAttributeConfig"} <= touched:
            raise illegal("authoritativeSource and identityAttributeConfig cannot be changed in the same request")
        if updated.get("identityAttributeConfig") != current.get("identityAttributeConfig") or \
                updated.get("authoritativeSource") != current.get("authoritativeSource"):
            updated["identityRefreshRequired"] = True
        updated["modified"] = now_iso()
        return self._profile_view(self._store_profile(updated))

    def _profile_task(self, profiles, unique_name, description, kind):
        """A task over ``profiles`` that completes after ``task_delay`` (see finish_due_tasks)."""
        task_id = self.new_id()
        stamp = now_iso()
        first = profiles[0]
        task = {"id": task_id, "type": "QUARTZ", "uniqueName": unique_name, "description": description,
                "parentName": None, "launcher": "sweep", "target": {"type": None, "id": first["id"], "name": first["name"]},
                "created": stamp, "modified": stamp, "launched": stamp, "completed": None, "completionStatus": None,
                "messages": [], "returns": [], "attributes": {"identityProfileIds": [p["id"] for p in profiles]},
                "progress": "Started", "percentComplete": 0}
        self.collection("tasks")[task_id] = task
        self.collection("pending")[task_id] = {"kind": kind, "source": None, "profiles": [p["id"] for p in profiles],
                                               "due": time.time() + self.task_delay}
        return Reply(202, {"id": task_id, "name": unique_name, "description": description, "launcher": "sweep",
                           "launched": stamp})

    def delete_profile(self, req):
        profile = self._profile(req.params["id"])
        return self._profile_task([profile], "Identity Profile Delete", "Delete identity profile %s" % profile["name"],
                                  "profile_delete")

    def bulk_delete_profiles(self, req):
        ids = self._json(req, list)
        missing = [i for i in ids if i not in self.collection("identity-profiles")]
        if missing or not ids:
            raise illegal("identity profiles not found: %s" % ", ".join(map(str, missing)) if missing
                          else "the list of identity profile ids is empty", code=NOT_FOUND_REF if missing else None)
        profiles = [self.collection("identity-profiles")[i] for i in ids]
        return self._profile_task(profiles, "Identity Profile Bulk Delete",
                                  "Delete identity profiles %s" % ", ".join(p["name"] for p in profiles), "profile_delete")

    def process_identities(self, req):
        profile = self._profile(req.params["id"])
        return self._profile_task([profile], "Identity Refresh", "Process the identities of %s" % profile["name"],
                                  "profile_process")

    def finish_due_tasks(self):
        """Complete the due identity profile tasks, then the source tasks (SourceParts)."""
        pending = self.collection("pending")
        for task_id, work in list(pending.items()):
            if "profiles" not in work or time.time() < work["due"]:
                continue
            del pending[task_id]
            task = self.collection("tasks")[task_id]
            stamp = now_iso()
            task.update(completed=stamp, modified=stamp, completionStatus=self.task_outcome, percentComplete=100,
                        progress="Completed")
            if self.task_outcome != "SUCCESS":
                task["messages"] = [message("ERROR", work["kind"] + "_failed", self.task_message)]
                continue
            counts = {"identities": 0}
            for profile_id in work["profiles"]:
                if profile_id in self.collection("identity-profiles"):
                    counts["identities"] += getattr(self, "_finish_" + work["kind"])(profile_id)
            task["attributes"].update(counts)
            task["messages"] = [message("INFO", work["kind"] + "_done", "identities: %d" % counts["identities"])]
        super().finish_due_tasks()

    def _finish_profile_delete(self, profile_id):
        members = self.collection("profile-identities")
        gone = [i for i, p in members.items() if p == profile_id]
        for identity_id in gone:
            del members[identity_id]
            identity = self.collection("identities").get(identity_id)
            if identity is not None:
                identity.pop("lifecycleState", None)
        self.collection("lifecycle-states").pop(profile_id, None)
        del self.collection("identity-profiles")[profile_id]
        return len(gone)

    def _finish_profile_process(self, profile_id):
        profile = self.collection("identity-profiles")[profile_id]
        source_id = profile["authoritativeSource"]["id"]
        identities, members, links = (self.collection(n) for n in ("identities", "profile-identities", "identity-accounts"))
        stamp = now_iso()
        processed = []
        if source_id == IDN_SOURCE_ID:
            processed = [i for i in identities if i not in links and members.get(i) in (None, profile_id)]
        for native, account in sorted(((self.collection("parts").get(source_id) or {}).get("accounts") or {}).items()):
            identity_id = uuid.uuid5(uuid.NAMESPACE_URL, "identity/%s/%s" % (source_id, native)).hex
            if members.get(identity_id) not in (None, profile_id):
                continue
            if identity_id not in identities:
                identities[identity_id] = {
                    "id": identity_id, "name": account.get("name") or native, "alias": native,
                    "emailAddress": account.get("email"), "processingState": None, "identityStatus": "ACTIVE",
                    "managerRef": None, "isManager": False, "lastRefresh": stamp, "attributes": {},
                    "created": stamp, "modified": stamp}
                links[identity_id] = [source_id, native]
            processed.append(identity_id)
        for identity_id in processed:
            identity = identities[identity_id]
            members[identity_id] = profile_id
            config = profile.get("identityAttributeConfig") or {}
            if config.get("enabled", False):
                for name, value, _error in self._evaluate_config(identity, config):
                    if value is not None:
                        identity["attributes"][name] = value
                identity["name"] = identity["attributes"].get("displayName") or identity["name"]
                identity["emailAddress"] = identity["attributes"].get("email") or identity.get("emailAddress")
            identity.update(lastRefresh=stamp, modified=stamp)
        profile["identityRefreshRequired"] = False
        return len(processed)

    def _account_of(self, identity):
        link = self.collection("identity-accounts").get(identity["id"])
        if not link:
            return None, None
        parts = self.collection("parts").get(link[0]) or {}
        return link[0], (parts.get("accounts") or {}).get(link[1])

    def _evaluate_config(self, identity, config):
        """(identity attribute, value, error) for each mapping of ``config``."""
        source_id, account = self._account_of(identity)
        out = []
        for item in config.get("attributeTransforms") or []:
            try:
                value = self._evaluate(item.get("transformDefinition") or {}, identity, source_id, account, 0)
                out.append((item.get("identityAttributeName"), None if value is None else str(value), None))
            except ValueError as problem:
                out.append((item.get("identityAttributeName"), None, str(problem)))
        return out

    def _evaluate(self, definition, identity, source_id, account, depth):
        """A transform's value for an identity (the common types; others raise ValueError)."""
        if isinstance(definition, str):
            return definition
        if depth > 10:
            raise ValueError("transform references nest too deep")
        kind = definition.get("type")
        attributes = definition.get("attributes") or {}

        def nested(value):
            return self._evaluate(value, identity, source_id, account, depth + 1)
        if kind == "accountAttribute":
            source = self.collection("sources").get(source_id) or {}
            if attributes.get("sourceId", source_id) != source_id and attributes.get("sourceName") != source.get("name"):
                raise ValueError("no account of the source %s" % (attributes.get("sourceName") or attributes.get("sourceId")))
            if account is None:
                raise ValueError("the identity has no account on the source")
            return account.get(attributes.get("attributeName"))
        if kind == "identityAttribute":
            return (identity.get("attributes") or {}).get(attributes.get("name"))
        if kind == "static":
            return attributes.get("values")
        if kind == "reference":
            transform = self._transform_named(attributes.get("id"))
            if transform is None:
                raise ValueError("the transform %r does not exist" % attributes.get("id"))
            inner = copy.deepcopy(transform)
            if "input" in attributes:
                inner["attributes"] = dict(inner.get("attributes") or {}, input=attributes["input"])
            return nested(inner)
        if kind in ("concat", "firstValid"):
            values = [nested(v) for v in attributes.get("values") or []]
            if kind == "concat":
                return "".join("" if v is None else str(v) for v in values)
            return next((v for v in values if v not in (None, "")), None)
        if kind in ("lower", "upper", "trim"):
            if "input" not in attributes:
                raise ValueError("a %s transform without input needs the attribute it maps" % kind)
            value = nested(attributes["input"])
            return None if value is None else getattr(str(value), {"lower": "lower", "upper": "upper", "trim": "strip"}[kind])()
        raise ValueError("the simulator does not evaluate %s transforms" % kind)

    def identity_preview(self, req):
        body = self._json(req)
        identity = self.collection("identities").get(body.get("identityId"))
        if identity is None:
            raise illegal("identityId %r is not an identity" % body.get("identityId"), code=NOT_FOUND_REF)
        config = body.get("identityAttributeConfig")
        if config is None:
            profile = self.collection("identity-profiles").get(self.collection("profile-identities").get(identity["id"]))
            config = (profile or {}).get("identityAttributeConfig") or {}
        self._check_config(config)
        previews = []
        for name, value, error in self._evaluate_config(identity, config):
            preview = {"name": name, "errorMessages": [error_message(error)] if error else []}
            previous = (identity.get("attributes") or {}).get(name)
            if value is not None:
                preview["value"] = value
            if previous is not None:
                preview["previousValue"] = str(previous)
            previews.append(preview)
        return {"identity": {"type": "IDENTITY", "id": identity["id"], "name": identity["name"]},
                "previewAttributes": previews}

    def export_profiles(self, req):
        page = self.page(req, "/identity-profiles/export", self._profiles())
        page.body = [{"version": 1, "self": {"type": "IDENTITY_PROFILE", "id": p["id"], "name": p["name"]}, "object": p}
                     for p in page.body]
        return page

    def import_profiles(self, req):
        """Each exported object updates the profile of its ``self.id`` (else of its name) or becomes a new one."""
        items = self._json(req, list)
        result = {"infos": [], "warnings": [], "errors": [], "importedObjects": []}
        for item in items:
            obj = item.get("object") if isinstance(item, dict) else None
            ref = (item.get("self") if isinstance(item, dict) else None) or {}
            name = obj.get("name") if isinstance(obj, dict) else None
            details = {"id": ref.get("id"), "name": name}
            if not isinstance(obj, dict):
                result["errors"].append({"key": "IMPORT_MISSING_OBJECT", "text": "An exported object needs its object",
                                         "details": details})
                continue
            profiles = self.collection("identity-profiles")
            current = profiles.get(ref.get("id")) or next(
                (p for p in profiles.values() if isinstance(name, str) and p["name"].lower() == name.lower()), None)
            stamp = now_iso()
            profile = copy.deepcopy(current) if current else {
                "id": str(uuid.uuid4()), "created": stamp, "description": None, "owner": None, "priority": 10,
                "identityCount": 0, "identityExceptionReportReference": None, "hasTimeBasedAttr": False,
                "identityAttributeConfig": {"enabled": False, "attributeTransforms": []}}
            profile.update((k, copy.deepcopy(obj[k])) for k in PROFILE_FIELDS if k in obj)
            profile.update(modified=stamp, identityRefreshRequired=True)
            try:
                self._store_profile(profile)
            except HttpError as error:
                if current is not None:
                    profiles[current["id"]] = current
                result["errors"].append({"key": "IMPORT_FAILED", "text": error.message, "details": details})
                continue
            result["importedObjects"].append({"type": "IDENTITY_PROFILE", "id": profile["id"], "name": profile["name"]})
            result["infos"].append({"key": "IMPORT_%s" % ("UPDATED" if current else "CREATED"),
                                    "text": "Identity profile %s %s" % (profile["name"], "updated" if current else "created"),
                                    "details": {"id": profile["id"]}})
        return result

    # -- lifecycle states -----------------------------------------------------------------------

    def _states(self, profile_id):
        self._profile(profile_id)
        return self.collection("lifecycle-states").setdefault(profile_id, {})

    def _state(self, req):
        state = self._states(req.params["id"]).get(req.params["stateId"])
        if state is None:
            raise HttpError(404, "The lifecycle state %s was not found." % req.params["stateId"])
        return state

    @staticmethod
    def _per_resource(req):
        return req.path.split("/")[2:3] == [PER_RESOURCE_VERSION]

    def _state_view(self, profile_id, state, req=None):
        view = copy.deepcopy(state)
        if req is None or not self._per_resource(req):
            for key in STATE_V1_ONLY:
                view.pop(key, None)
        members = self.collection("profile-identities")
        view["identityCount"] = len([
            i for i, p in members.items() if p == profile_id and
            ((self.collection("identities").get(i) or {}).get("lifecycleState") or {}).get("stateName") == state["technicalName"]])
        return view

    def list_states(self, req):
        profile_id = req.params["id"]
        states = [self._state_view(profile_id, s, req) for s in self._states(profile_id).values()]
        return self.page(req, "/identity-profiles/{identity-profile-id}/lifecycle-states", states)

    def _check_state(self, state):
        for key in state.get("accessProfileIds") or []:
            if key not in self.collection("access-profiles"):
                raise illegal("accessProfileIds: the access profile %r does not exist" % key, code=NOT_FOUND_REF)
        for action in state.get("accountActions") or []:
            if not isinstance(action, dict) or action.get("action") not in (None, "ENABLE", "DISABLE", "DELETE"):
                raise illegal("accountActions: each action is an object whose action is ENABLE, DISABLE or DELETE")
            for key in (action.get("sourceIds") or []) + (action.get("excludeSourceIds") or []):
                if key not in self.collection("sources"):
                    raise illegal("accountActions: the source %r does not exist" % key, code=NOT_FOUND_REF)
            # the latest SDK's AccountAction: sourceIds not with allSources=true, nor with excludeSourceIds
            if action.get("sourceIds") and (action.get("allSources") or action.get("excludeSourceIds")):
                raise illegal("accountActions: sourceIds cannot be used together with allSources=true or "
                              "excludeSourceIds")
        priority = state.get("priority")
        if priority is not None and (not isinstance(priority, int) or isinstance(priority, bool)):
            raise illegal("priority must be an integer")
        config = state.get("accessActionConfiguration")
        if config is not None and (not isinstance(config, dict) or set(config) - {"removeAllAccessEnabled"} or
                                   not isinstance(config.get("removeAllAccessEnabled", False), bool)):
            raise illegal("accessActionConfiguration must be an object with removeAllAccessEnabled, a boolean")

    def create_state(self, req):
        states = self._states(req.params["id"])
        body = self._json(req)
        name = self._name(body, "lifecycle state")
        technical = body.get("technicalName")
        if not isinstance(technical, str) or not technical.strip():
            raise illegal("technicalName is required")
        for other in states.values():
            if other["technicalName"].lower() == technical.lower():
                raise illegal("A lifecycle state with the technical name %r already exists in this identity profile."
                              % technical, code=CONFLICT)
        stamp = now_iso()
        state = {"id": self.new_id(), "name": name, "technicalName": technical, "created": stamp, "modified": stamp,
                 "enabled": False, "description": None, "identityCount": 0,
                 "emailNotificationOption": {"notifyManagers": False, "notifyAllAdmins": False,
                                             "notifySpecificUsers": False, "emailAddressList": []},
                 "accountActions": [], "accessProfileIds": [], "identityState": None}
        extra = STATE_V1_ONLY if self._per_resource(req) else ()
        if extra:
            state.update(priority=None, accessActionConfiguration={"removeAllAccessEnabled": False})
        state.update((k, copy.deepcopy(body[k])) for k in STATE_PATCHABLE + extra + ("identityState",) if k in body)
        self._check_state(state)
        states[state["id"]] = state
        return Reply(201, self._state_view(req.params["id"], state, req))

    def patch_state(self, req):
        current = self._state(req)
        fixed = ("id", "name", "technicalName", "created", "modified", "identityCount", "identityState")
        updated, _ops = self._patch(current, req, STATE_PATCHABLE + (STATE_V1_ONLY if self._per_resource(req) else ()),
                                    fixed)
        self._check_state(updated)
        updated["modified"] = now_iso()
        self._states(req.params["id"])[current["id"]] = updated
        return self._state_view(req.params["id"], updated, req)

    def delete_state(self, req):
        state = self._state(req)
        del self._states(req.params["id"])[state["id"]]
        return Reply(202, {"type": "LIFECYCLE_STATE", "id": state["id"], "name": state["name"]})

    def set_lifecycle_state(self, req):
        identity = self.collection("identities").get(req.params["id"])
        if identity is None:
            raise HttpError(404, "The identity %s was not found." % req.params["id"])
        state_id = self._json(req).get("lifecycleStateId")
        if not isinstance(state_id, str) or not state_id:
            raise illegal("lifecycleStateId is required")
        profile_id = self.collection("profile-identities").get(identity["id"])
        if profile_id is None:
            raise illegal("The identity %s belongs to no identity profile (process the profile's identities first)"
                          % identity["id"])
        state = self.collection("lifecycle-states").get(profile_id, {}).get(state_id)
        if state is None:
            raise illegal("lifecycleStateId %r is not a lifecycle state of the identity's profile %s"
                          % (state_id, self.collection("identity-profiles")[profile_id]["name"]), code=NOT_FOUND_REF)
        identity["lifecycleState"] = {"stateName": state["technicalName"], "manuallyUpdated": True}
        identity.setdefault("attributes", {})["cloudLifecycleState"] = state["technicalName"]
        identity["modified"] = now_iso()
        return {"accountActivityId": self.new_id()}

    # -- governance groups ----------------------------------------------------------------------

    def _member(self, identity_id):
        identity = self.collection("identities")[identity_id]
        member = {"type": "IDENTITY", "id": identity["id"], "name": identity["name"]}
        if identity.get("emailAddress") is not None:  # a string in the document, not nullable
            member["email"] = identity["emailAddress"]
        return member

    def _workgroup(self, workgroup_id):
        found = self.collection("workgroups").get(workgroup_id)
        if found is None:
            raise HttpError(404, "The governance group %s was not found." % workgroup_id)
        return found

    def _workgroup_view(self, workgroup):
        view = copy.deepcopy(workgroup)
        owner = self.collection("identities").get((view.get("owner") or {}).get("id"))
        if owner is not None:
            view["owner"] = {"type": "IDENTITY", "id": owner["id"], "name": owner["name"], "displayName": owner["name"]}
            if owner.get("emailAddress") is not None:  # a string in the document, not nullable
                view["owner"]["emailAddress"] = owner["emailAddress"]
        elif view.get("owner") is None:  # none given (the document's owner is not nullable: left out)
            view.pop("owner", None)
        view["memberCount"] = len(self.collection("workgroup-members").get(workgroup["id"], {}))
        view["connectionCount"] = len(self._connections(workgroup["id"]))
        return view

    def _connections(self, workgroup_id):
        found = []
        for source in self.collection("sources").values():
            if (source.get("managementWorkgroup") or {}).get("id") == workgroup_id:
                found.append(({"type": "SOURCE", "id": source["id"], "name": source["name"],
                               "description": source.get("description")}, "ManagementWorkgroup"))
        for store, kind in APPROVAL_HOLDERS:
            for obj in self.collection(store).values():
                schemes = []
                for key in ("accessRequestConfig", "revocationRequestConfig", "revokeRequestConfig"):
                    schemes.extend((obj.get(key) or {}).get("approvalSchemes") or [])
                if any(s.get("approverType") == "GOVERNANCE_GROUP" and s.get("approverId") == workgroup_id
                       for s in schemes if isinstance(s, dict)):
                    found.append(({"type": kind, "id": obj["id"], "name": obj.get("name"),
                                   "description": obj.get("description")}, "AccessRequestReviewer"))
        return [{"object": obj, "connectionType": kind} for obj, kind in found]

    def _store_workgroup(self, workgroup):
        name = self._name(workgroup, "governance group")
        self._unique(self.collection("workgroups").values(), name, workgroup["id"], "governance group")
        if workgroup.get("owner") is not None:  # the document's WorkgroupDto requires nothing
            workgroup["owner"] = self._identity_ref(workgroup["owner"], "owner")
        if workgroup.get("description") is not None and not isinstance(workgroup["description"], str):
            raise illegal("description must be a string")
        self.collection("workgroups")[workgroup["id"]] = workgroup
        return self._workgroup_view(workgroup)

    def list_workgroups(self, req):
        members = self.collection("workgroup-members")
        items = [dict(self._workgroup_view(w), memberships={"identityId": list(members.get(w["id"], {}))})
                 for w in self.collection("workgroups").values()]
        page = self.page(req, "/workgroups", items)
        page.body = [dict((k, v) for k, v in w.items() if k != "memberships") for w in page.body]
        return page

    def create_workgroup(self, req):
        body = self._json(req)
        stamp = now_iso()
        workgroup = {"id": self.new_id(), "name": body.get("name"), "description": body.get("description") or "",
                     "owner": body.get("owner"), "created": stamp, "modified": stamp}
        view = self._store_workgroup(workgroup)
        self.collection("workgroup-members")[workgroup["id"]] = {}
        return view

    def patch_workgroup(self, req):
        current = self._workgroup(req.params["id"])
        if not req.raw:  # the document makes the body optional: no change
            return self._workgroup_view(current)
        updated, _ops = self._patch(current, req, WORKGROUP_PATCHABLE,
                                    ("id", "created", "modified", "memberCount", "connectionCount"))
        updated["modified"] = now_iso()
        return self._store_workgroup(updated)

    def _delete_workgroup(self, workgroup_id):
        """(status, description) of deleting one governance group, as the bulk delete reports it."""
        workgroup = self.collection("workgroups").get(workgroup_id)
        if workgroup is None:
            return 404, "Referenced Governance Group %s was not found." % workgroup_id
        if self._connections(workgroup_id):
            return 409, "Unable to delete Governance Group %s because it is in use." % workgroup_id
        del self.collection("workgroups")[workgroup_id]
        self.collection("workgroup-members").pop(workgroup_id, None)
        return 204, "Governance Group deleted successfully."

    def delete_workgroup(self, req):
        self._workgroup(req.params["id"])
        status, description = self._delete_workgroup(req.params["id"])
        if status != 204:
            raise illegal(description, code=CONFLICT)
        return Reply(204)

    def bulk_delete_workgroups(self, req):
        ids = self._json(req).get("ids") or []
        if len(ids) > BULK_DELETE_LIMIT:
            raise illegal("ids: at most %d governance groups can be deleted at a time" % BULK_DELETE_LIMIT)
        answer = []
        for workgroup_id in ids:
            status, description = self._delete_workgroup(workgroup_id)
            answer.append({"id": workgroup_id, "status": status, "description": description})
        return Reply(207, answer)

    def list_connections(self, req):
        self._workgroup(req.params["id"])
        items = [dict(c, name=c["object"]["name"]) for c in self._connections(req.params["id"])]
        page = self.page(req, "/workgroups/{workgroupId}/connections", items)
        page.body = [dict((k, v) for k, v in c.items() if k != "name") for c in page.body]
        return page

    def list_members(self, req):
        self._workgroup(req.params["id"])
        members = self.collection("workgroup-members").get(req.params["id"], {})
        return self.page(req, "/workgroups/{workgroupId}/members", list(members.values()))

    def _member_items(self, req):
        self._workgroup(req.params["id"])
        items = self._json(req, list)
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                raise illegal("each member must be an object with the identity's id")
        return self.collection("workgroup-members").setdefault(req.params["id"], {}), items

    def add_members(self, req):
        members, items = self._member_items(req)
        answer = []
        for item in items:
            if item["id"] not in self.collection("identities"):
                answer.append({"id": item["id"], "status": 404,
                               "description": "Referenced identity %s was not found." % item["id"]})
            elif item["id"] in members:
                answer.append({"id": item["id"], "status": 409, "description":
                               "Unable to set Membership of Identity %r to Governance Group %r; the relationship "
                               "already exists." % (item["id"], req.params["id"])})
            else:
                members[item["id"]] = self._member(item["id"])
                answer.append({"id": item["id"], "status": 201,
                               "description": "Identity is added into Governance Group members list."})
        self.collection("workgroups")[req.params["id"]]["modified"] = now_iso()
        return Reply(207, answer)

    def remove_members(self, req):
        members, items = self._member_items(req)
        answer = []
        for item in items:
            if members.pop(item["id"], None) is None:
                answer.append({"id": item["id"], "status": 404, "description":
                               "Referenced Governance Group Member with Identity Id %r was not found." % item["id"]})
            else:
                answer.append({"id": item["id"], "status": 204,
                               "description": "Identity deleted from Governance Group members list."})
        self.collection("workgroups")[req.params["id"]]["modified"] = now_iso()
        return Reply(207, answer)
