# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Objects that hang on a source: schemas, provisioning policies, schedules and the configs.

Every source-scoped module takes ``source`` (a source name or id), resolved once, before any
write; an unknown source fails with one line (with ``state=absent`` there is nothing to delete).
``SourceChild`` is the engine's ``Crud`` for a list under ``/sources/{id}/<sub>``;
``SourceConfig`` is the one object at ``/sources/{id}/<sub>`` (read with GET, written with PUT).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import re

from ansible_collections.identity.cloud.plugins.module_utils.resource import (
    MISSING, Crud, InputError, ParentMissing, get_path, run_flow)
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import SERVER_ID, _set_ops

USAGE_TYPES = ["CREATE", "UPDATE", "ENABLE", "DISABLE", "DELETE", "ASSIGN", "UNASSIGN", "CREATE_GROUP", "UPDATE_GROUP",
               "DELETE_GROUP", "REGISTER", "CREATE_IDENTITY", "UPDATE_IDENTITY", "EDIT_GROUP", "UNLOCK",
               "CHANGE_PASSWORD"]
SCHEDULE_TYPES = ["ACCOUNT_AGGREGATION", "GROUP_AGGREGATION"]
SOURCE_OPTION = {"source": {"type": "str", "required": True}}
READ_ONLY_KEYS = ("id", "created", "modified")


class SourceRef:
    """The ``source`` option: name or id -> the source's id (looked up once per run)."""

    def __init__(self, api):
        self.api = api
        self._cache = {}

    def id(self, value, required=True):
        """The source's id; None for a missing source when not ``required``; ``InputError`` otherwise."""
        if not value:
            raise InputError("source is required: the name or id of a SailPoint source")
        if value not in self._cache:
            found = None
            if SERVER_ID.match(value):
                found = self.api.client.get_or_none(self.api.path("sources", value))
            if found is None:
                matches = self.api.find_by("sources", "name", value)
                if len(matches) > 1:
                    raise InputError("source: more than one source named %r; give its id" % value)
                found = matches[0] if matches else None
            self._cache[value] = found["id"] if found else None
        if self._cache[value] is None and required:
            raise ParentMissing("source: no source has the name or id %r" % value, "source %r" % value)
        return self._cache[value]


class SourceChild(Crud):
    """A list of objects under ``/sources/{id}/<sub>``, found by ``key_field``.

    ``key_in_path``: the item path ends with the key (``/provisioning-policies/CREATE``), else
    with the object's id (``/schemas/{id}``). ``update`` is ``put`` (whole object) or ``patch``
    (JSON Patch of the changed fields only). ``bulk_update``: a sub-path taking a list of whole
    objects, used by ``run_bulk`` to send every update of a run in one call.
    """

    def __init__(self, api, spec, sub, key_field, key_in_path=False, update="patch", bulk_update=None, checks=()):
        super(SourceChild, self).__init__(api.client)
        self.api = api
        self.spec = spec
        self.sub = sub
        self.key_field = key_field
        self.key_in_path = key_in_path
        self.update_method = update
        self.bulk_update = bulk_update
        self.checks = list(checks)
        self.source = SourceRef(api)
        self.params = None
        self.pending = None  # whole objects waiting for the bulk update call (bulk runs only)

    def source_id(self, params=None, required=True):
        params = params or self.params
        return self.source.id(params.get("source"), required=required)

    def collection_path(self, source_id):
        return self.api.path("sources", source_id, self.sub)

    def item_path(self, source_id, obj_or_key):
        ident = obj_or_key if not isinstance(obj_or_key, dict) else (
            obj_or_key.get(self.key_field) if self.key_in_path else obj_or_key.get("id"))
        return self.api.path("sources", source_id, self.sub, ident)

    def list_all(self):
        source_id = self.source_id(required=self.params.get("state") != "absent")
        if source_id is None:
            return []
        return list(self.client.get(self.collection_path(source_id)).data or [])

    def find(self, params):
        self.params = params
        source_id = self.source_id(params, required=params.get("state") != "absent")
        if source_id is None:
            return None
        if params.get("id"):
            found = self.client.get_or_none(self.api.path("sources", source_id, self.sub, params["id"]))
            if found is None and params.get("state") != "absent":
                raise InputError("id: no %s has id %r on source %r" % (self.spec.name, params["id"], params["source"]))
            return found
        key = params.get(self.spec.key.option)
        if self.key_in_path:
            return self.client.get_or_none(self.item_path(source_id, key))
        found = [obj for obj in self.client.get(self.collection_path(source_id)).data or []
                 if obj.get(self.key_field) == key]
        return found[0] if found else None

    def validate(self, params, current):
        for check in self.checks:
            check(params, current)

    def create(self, desired, params):
        return self.client.post(self.collection_path(self.source_id(params)), desired).data

    def update(self, current, desired, changes, params):
        source_id = self.source_id(params)
        whole = self.spec.merged(current, desired)  # lists of objects item by item: the vendor resets what is not sent
        if self.update_method == "put" or self.pending is not None:
            body = dict((k, v) for k, v in whole.items() if k not in READ_ONLY_KEYS)
            if self.pending is not None:
                self.pending.append(body)
                return whole
            return self.client.put(self.item_path(source_id, current), body).data
        ops = [_set_ops(field.path, get_path(whole, field.path), have is not MISSING) for field, _wanted, have in changes]
        return self.client.patch(self.item_path(source_id, current), ops,
                                 content_type="application/json-patch+json").data

    def delete(self, current, params):
        self.client.delete(self.item_path(self.source_id(params), current))

    # -- bulk: every update of the run in one call ----------------------------------------

    def prepare_bulk(self, items, index):
        if self.bulk_update:
            self.pending = []

    def finish_bulk(self, results):
        if not self.pending:
            return
        path = self.api.path("sources", self.source_id(), self.sub, self.bulk_update)
        try:
            self.client.post(path, self.pending, idempotent=True)  # whole objects replaced: safe to send again
        except Exception as exc:  # pylint: disable=broad-except
            updated = set(body.get(self.key_field) for body in self.pending)
            for entry in results:
                if entry.get("changed") and not entry.get("created") and entry["item"] in updated:
                    entry.update(failed=True, msg=str(exc))


class SourceConfig(Crud):
    """The one configuration object at ``/sources/{id}/<sub>``: GET, PUT (and DELETE when allowed).

    ``source_field``: a field of the body naming the source itself (``{type, id, name}``),
    filled in from ``source``. A GET answering 404 means "not configured": the first write is
    then a PUT too.
    """

    def __init__(self, api, spec, sub, source_field=None, unset=None, checks=()):
        super(SourceConfig, self).__init__(api.client)
        self.api = api
        self.spec = spec
        self.sub = sub
        self.source_field = source_field
        self.unset = unset
        self.checks = list(checks)
        self.source = SourceRef(api)

    def validate(self, params, current):
        for check in self.checks:
            check(params, current)

    def path(self, params):
        return self.api.path("sources", self.source.id(params.get("source")), self.sub)

    def find(self, params):
        source_id = self.source.id(params.get("source"), required=params.get("state") != "absent")
        if source_id is None:
            return None
        found = self.client.get_or_none(self.api.path("sources", source_id, self.sub))
        if found is not None and self.unset is not None and self.unset(found):
            return None  # the tenant's "not configured" answer: nothing to delete
        return found

    def _body(self, current, desired, params):
        body = self.spec.merged(current, desired)
        if self.source_field:
            body[self.source_field] = {"type": "SOURCE", "id": self.source.id(params.get("source")),
                                       "name": (current or {}).get(self.source_field, {}).get("name")
                                       or params.get("source")}
        return body

    def create(self, desired, params):
        return self.client.put(self.path(params), self._body(None, desired, params)).data

    def update(self, current, desired, changes, params):
        return self.client.put(self.path(params), self._body(current, desired, params)).data

    def delete(self, current, params):
        self.client.delete(self.path(params))


NCD_OPERATIONS = ["ACCOUNT_UPDATED", "ACCOUNT_CREATED", "ACCOUNT_DELETED"]


def ncd_unset(config):
    """Native change detection that is off with nothing selected: what the tenant answers when none is set."""
    return not any(config.get(key) for key in ("enabled", "operations", "allEntitlements", "allNonEntitlementAttributes",
                                               "selectedEntitlements", "selectedNonEntitlementAttributes"))


def config_argument_spec(spec, deletable=False):
    """A config module's options: no ``id``, and ``state`` only when the config can be deleted."""
    out = spec.argument_spec(with_id=False)
    if not deletable:
        out.pop("state")
    return out


def keyed_by_name(value):
    """Compare a list of named objects as a subset keyed by ``name`` (unnamed items are left out)."""
    if isinstance(value, list):
        return dict((item.get("name"), item) for item in value if isinstance(item, dict))
    return value


def run_config_info(module, crud, name):
    """An ``_info`` module for a ``SourceConfig``: the configuration under ``name`` (None when not configured)."""
    run_flow(module, lambda: {"changed": False, name: crud.client.get_or_none(crud.path(module.params))})


def reader(crud, key_option=None):
    """``read(params)`` for ``run_info``: every object of the source, or the one ``key_option`` names."""

    def read(params):
        crud.params = dict(params, state="present")
        objects = crud.list_all()
        if key_option and params.get(key_option) is not None:
            objects = [obj for obj in objects if obj.get(crud.key_field) == params[key_option]]
        return objects

    return read


# -- values -------------------------------------------------------------------------------

SCHEMA_ATTRIBUTE_KEYS = (("name", "name"), ("type", "type"), ("description", "description"),
                         ("multi", "isMulti"), ("entitlement", "isEntitlement"), ("group", "isGroup"),
                         ("native_name", "nativeName"))


def schema_attributes(items):
    """The ``attributes`` option (snake_case keys) as AttributeDefinition objects, sorted by name."""
    out = []
    for item in items or []:
        attr = dict((api, item[opt]) for opt, api in SCHEMA_ATTRIBUTE_KEYS if item.get(opt) is not None)
        out.append(attr)
    return sorted(out, key=lambda a: a.get("name") or "")


def by_name(value):
    """Compare a list of objects as a set keyed by ``name``."""
    if isinstance(value, list):
        return sorted(copy.deepcopy(value), key=lambda a: (a or {}).get("name") or "" if isinstance(a, dict) else "")
    return value


def unique_names(option):
    def check(params, current):
        names = [item.get("name") for item in params.get(option) or []]
        dup = sorted(set(n for n in names if names.count(n) > 1))
        if dup:
            raise InputError("%s: the name %s is given more than once" % (option, ", ".join(map(repr, dup))))
        if any(not n for n in names):
            raise InputError("%s: every item needs a name" % option)

    return check


# Quartz cron as the tenant schedules it: seconds minutes hours day-of-month month day-of-week [year]
CRON_FIELDS = (("seconds", 0, 59), ("minutes", 0, 59), ("hours", 0, 23), ("day-of-month", 1, 31),
               ("month", 1, 12), ("day-of-week", 1, 7), ("year", 1970, 2099))
CRON_NAMES = {"month": "JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC", "day-of-week": "SUN|MON|TUE|WED|THU|FRI|SAT"}


def cron_problem(text):
    """Why ``text`` is not a Quartz cron expression the tenant accepts, or None."""
    parts = (text or "").split()
    if len(parts) not in (6, 7):
        return "needs 6 or 7 fields (seconds minutes hours day-of-month month day-of-week [year]), got %d" % len(parts)
    for value, (label, low, high) in zip(parts, CRON_FIELDS):
        names = CRON_NAMES.get(label)
        number = r"(\d+%s)" % ("|" + names if names else "")
        special = {"day-of-month": r"|L|LW|\d+W|L-\d+", "day-of-week": r"|\d+L|\d+#\d|L"}.get(label, "")
        item = r"(\*|\?|%s(-%s)?%s)(/\d+)?" % (number, number, special)
        if not re.match(r"^%s(,%s)*$" % (item, item), value, re.IGNORECASE):
            return "has an invalid %s field %r" % (label, value)
        if value == "?" and label not in ("day-of-month", "day-of-week"):
            return "may use ? only for day-of-month or day-of-week"
        for digits in re.findall(r"(?<![#/L])\b\d+", value):
            if label in ("day-of-week",) and "#" in value:
                continue
            if not low <= int(digits) <= high:
                return "has %s %s outside %d-%d" % (label, digits, low, high)
    if (parts[3] == "?") == (parts[5] == "?"):
        return "needs ? in exactly one of day-of-month and day-of-week"
    return None


def cron_check(option):
    def check(params, current):
        value = params.get(option)
        problem = cron_problem(value) if value is not None else None
        if problem:
            raise InputError("%s %r is not a cron expression: it %s" % (option, value, problem))

    return check
