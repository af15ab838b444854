# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Transforms, identity profiles and their lifecycle states (issue 25), and the identities they name.

Transforms (``/transforms``) are replaced whole (PUT): their ``attributes`` are merged into the current ones key
by key first, and checked against the document's schema of their type. Identity profiles (``/identity-profiles``)
and lifecycle states (``/identity-profiles/{id}/lifecycle-states``) are patched (JSON Patch); a profile's
attribute mappings are merged by ``identityAttributeName`` into the current ones before the write.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.identity.cloud.plugins.module_utils import validate
from ansible_collections.identity.cloud.plugins.module_utils.http_client import path_segment
from ansible_collections.identity.cloud.plugins.module_utils.nested import Items
from ansible_collections.identity.cloud.plugins.module_utils.resource import (
    MISSING,
    Crud,
    InputError,
    MissingReferences,
    ParentMissing,
    merge,
    shorten,
)
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import (
    PAGE_SIZE,
    SERVER_ID,
    Collection,
    camel,
    Reference,
    _set_ops,
    filter_value,
)

# Transform.type of the v2024 document, and the component its ``attributes`` follow (the oneOf variant whose
# title is the type; the types without a variant, and rule (a oneOf of rule shapes), take any attributes). tests/unit/test_sailpoint_identity_coverage.py
# holds both against the document.
TRANSFORM_TYPES = ["accountAttribute", "base64Decode", "base64Encode", "concat", "conditional", "dateCompare",
                   "dateFormat", "dateMath", "decomposeDiacriticalMarks", "e164phone", "firstValid", "rule",
                   "identityAttribute", "indexOf", "iso3166", "lastIndexOf", "leftPad", "lookup", "lower",
                   "normalizeNames", "randomAlphaNumeric", "randomNumeric", "reference", "replaceAll", "replace",
                   "rightPad", "split", "static", "substring", "trim", "upper", "usernameGenerator", "uuid",
                   "displayName", "rfc5646"]
TRANSFORM_COMPONENTS = {
    "accountAttribute": "AccountAttribute", "base64Decode": "Base64Decode", "base64Encode": "Base64Encode",
    "concat": "Concatenation", "conditional": "Conditional", "dateCompare": "DateCompare", "dateFormat": "DateFormat",
    "dateMath": "DateMath", "decomposeDiacriticalMarks": "DecomposeDiacriticalMarks", "e164phone": "E164phone",
    "firstValid": "FirstValid", "identityAttribute": "IdentityAttribute", "indexOf": "IndexOf",
    "iso3166": "ISO3166", "leftPad": "LeftPad", "lookup": "Lookup", "lower": "Lower", "randomAlphaNumeric":
    "RandomAlphaNumeric", "randomNumeric": "RandomNumeric", "reference": "Reference-2", "replaceAll": "ReplaceAll",
    "replace": "Replace", "rightPad": "RightPad", "split": "Split", "static": "Static", "substring": "Substring",
    "trim": "Trim", "upper": "Upper", "uuid": "UUIDGenerator"}
ACCOUNT_ACTIONS = ["ENABLE", "DISABLE", "DELETE"]
OWNER = Reference("owner", "IDENTITY", "identities", "identity")


class PendingReference(Reference):
    """A reference to an object an earlier task of the run may create (a source, a transform, an access profile):
    in check mode one that names nothing yet is reported as pending (``ParentMissing``), not as bad input."""

    def resolve(self, api, value):
        try:
            return Reference.resolve(self, api, value)
        except InputError as exc:
            named = value.get("name") or value.get("id") if isinstance(value, dict) else value
            raise pending(api, exc, "%s %s" % (self.label, shorten(named)))


class SourceReference(PendingReference):
    """A source by name or id, the tenant's own IdentityNow source too (the sources listing leaves it out unless
    asked with ``includeIDNSource``): the authoritative source of a profile of the tenant's own identities."""

    def __init__(self, option):
        PendingReference.__init__(self, option, "SOURCE", "sources", "source")

    def resolve(self, api, value):
        name = value if isinstance(value, str) and not SERVER_ID.match(value) else \
            value.get("name") if isinstance(value, dict) and not value.get("id") else None
        if name:
            found = [s for s in api.list("sources", filters="name eq %s" % filter_value(name), includeIDNSource="true")
                     if s.get("name") == name]
            if len(found) == 1:
                value = {"id": found[0]["id"], "name": name}
        return PendingReference.resolve(self, api, value)


def pending(api, exc, what):
    """``exc`` as ``ParentMissing`` in check mode when it says that ``what`` does not exist (else ``exc``)."""
    if api.client.check_mode and "more than one" not in str(exc) and "must be" not in str(exc):
        return ParentMissing(str(exc), what)
    return exc


# what the lifecycle state PATCH of the document does not take (option, API field)
STATE_FIXED = (("technical_name", "technicalName"), ("name", "name"), ("identity_state", "identityState"))
# only the per-resource tree's LifecycleState (the latest SDK) has them; v2024 does not
V1_ONLY = {"priority": "priority", "access_action_configuration": "accessActionConfiguration"}


def camel_dict(value):
    """A dict option's snake_case suboptions as the API's keys, the ones left out dropped."""
    return None if value is None else dict((camel(k), v) for k, v in value.items() if v is not None)


LOOKUPS = 20  # identity references resolved one by one; more are matched against one listing of the identities


# -- identities ------------------------------------------------------------------------------


def lookup_identity(api, value, option):
    """The identity an id, a name or an alias names, or None; ``InputError`` naming ``option`` when several do."""
    if not isinstance(value, str) or not value:
        raise InputError("%s must be an identity id, name or alias, got %s" % (option, shorten(value)))
    if SERVER_ID.match(value):
        found = api.client.get_or_none(api.path("identities", value))
        if found is not None:
            return found
    for field in ("name", "alias"):
        matches = api.find_by("identities", field, value)
        if len(matches) > 1:
            raise InputError("%s: more than one identity has the %s %r; give its id" % (option, field, value))
        if matches:
            return matches[0]
    return None


def find_identity(api, value, option):
    """The identity an id, a name or an alias names; ``InputError`` naming ``option`` when none or several do."""
    found = lookup_identity(api, value, option)
    if found is None:
        raise InputError("%s: no identity has the id, name or alias %r" % (option, value))
    return found


def resolve_identities(api, refs, option, cache=None):
    """{id: name} of the identities ``refs`` name (ids, names or aliases); ``MissingReferences`` for unknown ones.

    ``cache`` (ref -> identity or None) is shared by the items of a bulk run; with more than ``LOOKUPS`` references
    to resolve, the identities are read once in one paged listing instead of up to three lookups each."""
    cache = {} if cache is None else cache
    todo = [ref for ref in refs if ref not in cache]
    if len(todo) > LOOKUPS:
        by_key = {}
        for identity in api.list("identities"):
            for key in (identity.get("id"), identity.get("name"), identity.get("alias")):
                by_key.setdefault(key, []).append(identity)
        for ref in todo:
            matches = by_key.get(ref) or []
            if len(matches) < 2:  # several: looked up below, which names the ambiguity
                cache[ref] = matches[0] if matches else None
    found, missing = {}, []
    for ref in refs:
        if ref not in cache:
            cache[ref] = lookup_identity(api, ref, option)
        if cache[ref] is None:
            missing.append(ref)
            continue
        found[cache[ref]["id"]] = cache[ref].get("name") or cache[ref]["id"]
    if missing:
        raise MissingReferences("%s: no identity has the id, name or alias %s" % (
            option, ", ".join(repr(m) for m in missing)), found, missing)
    return found


# -- transforms ------------------------------------------------------------------------------


def transform_problem(kind, attributes, path):
    """Why ``attributes`` do not fit a transform of type ``kind`` (one line naming ``path``), or None."""
    if kind not in TRANSFORM_TYPES:
        return "%s.type: %s is not a transform type (one of %s)" % (path, shorten(kind), ", ".join(TRANSFORM_TYPES))
    component = TRANSFORM_COMPONENTS.get(kind)
    if attributes is None or component is None:
        return None
    return validate.problem(attributes, validate.schema_node("sailpoint", component), "sailpoint", path + ".attributes")


def find_transform(api, name):
    found = [t for t in api.list("transforms", filters="name eq %s" % filter_value(name)) if t.get("name") == name]
    return found[0] if found else None


class Transforms(Collection):
    """``/transforms``: found by name; only ``attributes`` can change, sent whole (PUT) merged into the current ones."""

    def check_input(self, params, current):
        if params.get("state") == "absent":
            return
        kind = params.get("type") or (current or {}).get("type")
        if current is None and kind is None:
            raise InputError("type is required to create a transform")
        for option in ("name", "type"):
            if current is not None and params.get(option) is not None and params[option] != current.get(option):
                raise InputError("%s cannot be changed on an existing transform (it is %r, the task asks for %r); "
                                 "the API changes only attributes: delete and re-create it" % (
                                     option, current.get(option), params[option]))
        if current is None and params.get("attributes") is None:
            raise InputError("attributes is required to create a transform (a dict, {} when its type takes none)")
        attributes = merge((current or {}).get("attributes") or {}, params.get("attributes") or {})
        found = transform_problem(kind, attributes, "transform")
        if found:
            raise InputError(found.replace("transform.", "", 1))

    def update(self, current, desired, changes, params):
        body = {"name": current["name"], "type": current["type"],
                "attributes": merge(current.get("attributes") or {}, params.get("attributes") or {})}
        return self.client.put(self.item_path(current["id"]), body).data


# -- identity profiles ------------------------------------------------------------------------


# the identity_attribute_config option (snake_case; attribute_config_to_api makes it an IdentityAttributeConfig)
ATTRIBUTE_CONFIG = {
    "enabled": {"type": "bool"},
    "attribute_transforms": {"type": "list", "elements": "dict", "options": {
        "identity_attribute_name": {"type": "str", "required": True},
        "transform": {"type": "str"},
        "transform_definition": {"type": "dict"},
    }},
}
ATTRIBUTE_TRANSFORMS = Items(("identityAttributeName",), keep_unlisted=True)


def attribute_config_to_api(api, value, option="identity_attribute_config"):
    """The module's ``identity_attribute_config`` (snake_case, transforms by name) as an IdentityAttributeConfig.

    A mapping's ``transform`` names a transform, sent as a reference transform to it (what the tenant's own
    editor stores); ``transform_definition`` is a raw TransformDefinition. Raises ``InputError`` naming the item."""
    if value is None:
        return None
    out = {}
    if value.get("enabled") is not None:
        out["enabled"] = value["enabled"]
    if value.get("attribute_transforms") is None:
        return out
    items, seen = [], set()
    for number, item in enumerate(value["attribute_transforms"]):
        path = "%s.attribute_transforms[%d]" % (option, number)
        name = item.get("identity_attribute_name")
        if not name:
            raise InputError("%s.identity_attribute_name is required" % path)
        if name in seen:
            raise InputError("%s: the identity_attribute_name %r is given more than once" % (path, name))
        seen.add(name)
        given = [key for key in ("transform", "transform_definition") if item.get(key) is not None]
        if len(given) != 1:
            raise InputError("%s: give exactly one of transform (a transform's name) and transform_definition" % path)
        if item.get("transform") is not None:
            if api is not None and find_transform(api, item["transform"]) is None:
                raise pending(api, InputError("%s.transform: no transform named %r" % (path, item["transform"])),
                              "transform %r" % item["transform"])
            definition = {"type": "reference", "attributes": {"id": item["transform"]}}
        else:
            definition = item["transform_definition"]
            found = (validate.problem(definition, validate.schema_node("sailpoint", "TransformDefinition"), "sailpoint",
                                      path + ".transform_definition")
                     or transform_problem(definition.get("type"), definition.get("attributes"),
                                          path + ".transform_definition"))
            if found:
                raise InputError(found)
        items.append({"identityAttributeName": name, "transformDefinition": definition})
    out["attributeTransforms"] = items
    return out


def attribute_config_comparable(value):
    """An IdentityAttributeConfig with its mappings keyed by attribute name (unlisted mappings are kept)."""
    if not isinstance(value, dict):
        return value
    out = dict(value)
    if isinstance(value.get("attributeTransforms"), list):
        out["attributeTransforms"] = dict((item.get("identityAttributeName"), item)
                                          for item in value["attributeTransforms"] if isinstance(item, dict))
    return out


def merged_attribute_config(current, wanted):
    """The IdentityAttributeConfig to send: ``wanted``'s mappings merged into the current ones by attribute name."""
    out = dict(current or {})
    out.update((k, v) for k, v in wanted.items() if k != "attributeTransforms")
    if wanted.get("attributeTransforms") is not None:
        out["attributeTransforms"] = ATTRIBUTE_TRANSFORMS.merge((current or {}).get("attributeTransforms"),
                                                                wanted["attributeTransforms"])
    return out


REPORT_NAMES = {"task_result_id": "taskResultId", "report_name": "reportName"}


class IdentityProfiles(Collection):
    """``/identity-profiles``: patched; the authoritative source and the attribute config in separate calls (the
    API refuses both in one), the config sent whole with the mappings merged by attribute name."""

    def validate(self, params, current):
        Collection.validate(self, params, current)
        if params.get("state") != "absent":  # API shapes from here on (compared, sent, shown)
            params["identity_exception_report_reference"] = camel_dict(params.get("identity_exception_report_reference"))
            if params.get("identity_attribute_config") is not None:
                params["identity_attribute_config"] = attribute_config_to_api(self.api, params["identity_attribute_config"])

    def check_input(self, params, current):
        if params.get("state") == "absent":
            return
        if params.get("identity_attribute_config") is not None \
                and "attribute_transforms" in params["identity_attribute_config"]:
            attribute_config_to_api(None, params["identity_attribute_config"])  # shape only: no call
        found = validate.problem(params.get("identity_exception_report_reference"),
                                 validate.schema_node("sailpoint", "IdentityProfile", "identityExceptionReportReference"),
                                 "sailpoint", "identity_exception_report_reference", names=REPORT_NAMES, required=False)
        if found:
            raise InputError(found)

    def update(self, current, desired, changes, params):
        path = self.item_path(current["id"])
        batches = [[], []]
        for field, wanted, have in changes:
            if field.option == "identity_attribute_config":
                wanted = merged_attribute_config(None if have is MISSING else have, wanted)
            elif field.option == "identity_exception_report_reference" and isinstance(have, dict):
                wanted = merge(have, wanted)  # key by key, as documented
            batches[field.option == "authoritative_source"].append(_set_ops(field.path, wanted, have is not MISSING))
        out = current
        for ops in batches:
            if ops:
                out = self.client.patch(path, ops, content_type="application/json-patch+json").data
        return out


def find_profile(api, value, option="identity_profile", required=True):
    """The identity profile ``value`` (a name or id) names; ``ParentMissing`` (or None) when there is none."""
    if not value:
        raise InputError("%s is required: the name or id of an identity profile" % option)
    found = api.client.get_or_none(api.path("identity-profiles", value)) if SERVER_ID.match(value) else None
    if found is None:
        matches = api.find_by("identity-profiles", "name", value)
        if len(matches) > 1:
            raise InputError("%s: more than one identity profile named %r; give its id" % (option, value))
        found = matches[0] if matches else None
    if found is None and required:
        raise ParentMissing("%s: no identity profile has the name or id %r" % (option, value),
                            "identity profile %r" % value)
    return found


# -- lifecycle states --------------------------------------------------------------------------


def account_actions_comparable(value):
    if not isinstance(value, list):
        return value
    return sorted((dict(item, sourceIds=sorted(item.get("sourceIds") or [])) for item in value if isinstance(item, dict)),
                  key=lambda item: (item.get("action") or "", item.get("sourceIds")))


# one action per kind (the vendor's editor offers each once); each merged into the current one of its kind
ACCOUNT_ACTION_ITEMS = Items(("action",))


class LifecycleStates(Crud):
    """``/identity-profiles/{profile}/lifecycle-states``: found by ``technicalName``, patched, deleted (maybe a task)."""

    key_field = "technicalName"

    def __init__(self, api, spec):
        super(LifecycleStates, self).__init__(api.client)
        self.api = api
        self.spec = spec
        self.params = {}
        self.task = None
        self._profiles = {}

    def profile_id(self, params, required=True):
        value = params.get("identity_profile")
        if value not in self._profiles:
            found = find_profile(self.api, value, required=False)
            self._profiles[value] = found["id"] if found else None
        if self._profiles[value] is None and required:
            raise ParentMissing("identity_profile: no identity profile has the name or id %r" % value,
                                "identity profile %r" % value)
        return self._profiles[value]

    def path(self, params, *parts):
        return self.api.path("identity-profiles", self.profile_id(params), "lifecycle-states", *parts)

    def list_all(self):
        profile = self.profile_id(self.params, required=self.params.get("state") != "absent")
        return [] if profile is None else list(self.client.get(self.path(self.params)).data or [])

    def find(self, params):
        self.params = params
        if params.get("state") != "absent":
            self.spec.check(params, creating=False)  # the declared bounds before the profile is looked up
        if self.profile_id(params, required=params.get("state") != "absent") is None:
            return None
        if params.get("id"):
            found = self.client.get_or_none(self.path(params, params["id"]))
            if found is None and params.get("state") != "absent":
                raise InputError("id: no lifecycle state has id %r in identity profile %r" % (
                    params["id"], params["identity_profile"]))
            return found
        found = [s for s in self.client.get(self.path(params)).data or [] if s.get("technicalName") ==
                 params.get("technical_name")]
        return found[0] if found else None

    def check_input(self, params, current):
        if params.get("state") == "absent":
            return
        for option, field in STATE_FIXED:
            if current is not None and params.get(option) is not None and params[option] != current.get(field):
                raise InputError("%s cannot be changed on an existing lifecycle state (it is %r, the task asks for %r; "
                                 "the API updates only enabled, description, accountActions, accessProfileIds and "
                                 "emailNotificationOption): delete and re-create it" % (
                                     option, current.get(field), params[option]))
        if current is None and params.get("name") is None:
            raise InputError("name is required to create a lifecycle state")
        if self.api.version != "v1":
            given = sorted(option for option in V1_ONLY if params.get(option) is not None)
            if given:
                raise InputError("%s: only the per-resource tree's lifecycle states have %s; set api_version=v1 "
                                 "(the %s document has no such field)" % (
                                     given[0], " and ".join(given), self.api.version))
        seen = set()
        for number, action in enumerate(params.get("account_actions") or []):
            if action["action"] in seen:
                raise InputError("account_actions[%d]: the action %s is given more than once (one item per action)"
                                 % (number, action["action"]))
            seen.add(action["action"])
            if not action.get("sources") and not action.get("all_sources"):
                raise InputError("account_actions[%d]: give sources (names or ids)%s" % (
                    number, " or all_sources=true" if self.api.version == "v1" else ""))

    def validate(self, params, current):
        if params.get("state") == "absent":
            return
        for option in ("email_notification_option", "access_action_configuration"):
            params[option] = camel_dict(params.get(option))  # API keys from here on (compared, sent, shown)
        if params.get("access_profiles") is not None:
            params["access_profiles"] = sorted(self._resolve_all("access_profiles", "access-profiles", "access profile",
                                                                 params["access_profiles"]))
        if params.get("account_actions") is not None:
            params["account_actions"] = [self._account_action(number, item)
                                         for number, item in enumerate(params["account_actions"])]

    def _resolve_all(self, option, resource, label, refs):
        ref = SourceReference(option) if resource == "sources" else \
            PendingReference(option, label.upper().replace(" ", "_"), resource, label)
        return [ref.resolve(self.api, value)["id"] for value in refs]

    def _account_action(self, number, item):
        out = {"action": item["action"]}
        option = "account_actions[%d].sources" % number
        if item.get("sources"):
            out["sourceIds"] = sorted(self._resolve_all(option, "sources", "source", item["sources"]))
        if item.get("exclude_sources"):
            out["excludeSourceIds"] = sorted(self._resolve_all(option.replace("sources", "exclude_sources"), "sources",
                                                               "source", item["exclude_sources"]))
        if item.get("all_sources") is not None:
            out["allSources"] = item["all_sources"]
        return out

    def create(self, desired, params):
        return self.client.post(self.path(params), desired).data

    def update(self, current, desired, changes, params):
        ops = []
        for field, wanted, have in changes:
            if isinstance(wanted, dict) and isinstance(have, dict):
                wanted = merge(have, wanted)  # email notification options key by key
            elif field.items is not None and isinstance(wanted, list):
                wanted = field.items.merge(None if have is MISSING else have, wanted)
            ops.append(_set_ops(field.path, wanted, have is not MISSING))
        return self.client.patch(self.path(params, current["id"]), ops, content_type="application/json-patch+json").data

    def delete(self, current, params):
        path = self.path(params, current["id"])
        resp = self.client.delete(path)
        answer = resp.data if isinstance(resp.data, dict) else {}
        self.task = answer if answer.get("type") == "TASK_RESULT" and answer.get("id") else None
        if self.task and params.get("wait"):
            self.task = self.api.wait_for_task(self.task["id"], params.get("wait_timeout") or 300, "DELETE", path)

    def result_extras(self):
        return {"task": self.task} if self.task else {}


def lifecycle_states_of(api, profile_id):
    return list(api.client.get(api.path("identity-profiles", profile_id, "lifecycle-states")).data or [])


def find_lifecycle_state(api, value, profile=None):
    """(profile, state) for ``value`` (a technical name or an id) in ``profile`` (a profile object) or, without it,
    in whichever profile has it; ``InputError`` when none or several do."""
    profiles = [profile] if profile is not None else list(api.list("identity-profiles"))
    found = []
    for candidate in profiles:
        for state in lifecycle_states_of(api, candidate["id"]):
            if value in (state.get("technicalName"), state.get("id")):
                found.append((candidate, state))
    if not found:
        raise pending(api, InputError("lifecycle_state: no lifecycle state has the technical name or id %r in %s" % (
            value, ("identity profile %r" % profile.get("name")) if profile is not None else "any identity profile")),
            "lifecycle state %r" % value)
    if len(found) != 1:
        raise InputError("lifecycle_state: more than one identity profile has a lifecycle state with the technical "
                         "name or id %r; give identity_profile (%s)" % (
                             value, ", ".join(sorted(p.get("name") for p, _s in found))))
    return found[0]


# -- _info modules -------------------------------------------------------------------------------


def reader(api, resource, by_name):
    """``read(params)`` for ``run_info``: the object ``id`` or ``name`` names (``by_name(api, name)``), or all."""

    def read(params):
        if params.get("id"):
            path_segment(params["id"], "id")  # ., .. and empty ids never reach a path
            found = api.client.get_or_none(api.path(resource, params["id"]))
            return [found] if found is not None else []
        if params.get("name"):
            found = by_name(api, params["name"])
            return [found] if found is not None else []
        return list(api.list(resource))

    return read


def export(api, filters=None):
    """The identity profiles in the export format (IdentityProfileExportedObject), paged."""
    return list(api.client.paginate_offset(api.path("identity-profiles", "export"),
                                           params={"filters": filters} if filters else {}, limit=PAGE_SIZE))
