# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check a nested value against the vendor schema it is written to, before any write.

The schemas are the generated structural copies in ``schemas.py`` (types, enums, formats, required keys,
lengths, bounds, read-only marks): ``schema_node(vendor, component, prop)`` finds one, ``problem(...)``
returns the first thing wrong with a value as one line naming its path as the user wrote it
(``fields[2].type: 'float' is not one of string, int, long, date, boolean, secret``), or None.
An object whose schema lists its properties takes no other key (a misspelt key would be dropped or refused
by the vendor); an object without listed properties (a transform, a map) takes any key.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import re

from ansible_collections.identity.cloud.plugins.module_utils.resource import shorten
from ansible_collections.identity.cloud.plugins.module_utils.schemas import SCHEMAS

TYPES = {"string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,), "object": (dict,),
         "array": (list,)}
TYPE_NAMES = {"string": "a string", "integer": "an integer", "number": "a number", "boolean": "a boolean (true or "
              "false)", "object": "a dict", "array": "a list"}
DATE_TIME = re.compile(r"^\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)$")
UUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
INT_BOUNDS = {"int32": (-2 ** 31, 2 ** 31 - 1), "int64": (-2 ** 63, 2 ** 63 - 1), "uint32": (0, 2 ** 32 - 1)}


def schema_node(vendor, component, prop=None):
    """The schema of ``component`` (or of its property ``prop``, dotted for nesting); None when not generated."""
    node = SCHEMAS.get(vendor, {}).get(component)
    for part in (prop.split(".") if prop and node is not None else []):
        node = (_deref(vendor, node).get("properties") or {}).get(part)
        if node is None:
            return None
    return None if node is None else _deref(vendor, node)


def read_only_keys(node, vendor):
    """The keys of the object ``node`` that the API sets itself (a request must not carry them)."""
    props = _deref(vendor, node).get("properties") or {}
    return set(key for key, prop in props.items() if _deref(vendor, prop).get("readOnly"))


def _deref(vendor, node):
    while "$ref" in node:
        node = SCHEMAS[vendor][node["$ref"]]
    return node


def date_time_problem(text):
    """Why ``text`` is not an RFC 3339 date-time (``2030-01-01T00:00:00Z``), or None."""
    if not DATE_TIME.match(text):
        return "is not a date-time such as 2030-01-01T00:00:00Z (RFC 3339, with a time zone), got %s" % shorten(text)
    try:
        datetime.datetime.strptime(text[:19].replace("t", "T").replace(" ", "T"), "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return "is not a valid date-time (no such day or time), got %s" % shorten(text)
    return None


def problem(value, node, vendor, path, names=None, required=True, nulls=True):
    """The first problem of ``value`` against ``node`` as ``path: what is wrong``, or None.

    ``names`` maps a key the user writes to the API's key (a module's snake_case suboptions); the path uses the
    user's key. ``required=False`` leaves required keys unchecked (for a partial value merged into the current
    one before it is sent). ``nulls=False`` refuses null where the document does not allow it (a value the
    user wrote, not a suboption the argspec filled in).
    """
    node = _deref(vendor, node)
    if value is None:  # a suboption left out, or the API's null
        if nulls or node.get("nullable") or "type" not in node:
            return None
        return "%s: must not be null (leave the key out to keep its current value)" % path
    kind = node.get("type")
    if kind in TYPES and (not isinstance(value, TYPES[kind]) or isinstance(value, bool) and kind != "boolean"):
        return "%s: must be %s, got %s" % (path, TYPE_NAMES[kind], shorten(value))
    if "enum" in node and value not in node["enum"]:
        return "%s: %s is not one of %s" % (path, shorten(value), ", ".join(str(e) for e in node["enum"] if e is not None))
    if isinstance(value, str):
        return _string_problem(value, node, path)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        low, high = INT_BOUNDS.get(node.get("format"), (None, None))
        low = node.get("minimum", low)
        high = node.get("maximum", high)
        if low is not None and value < low or high is not None and value > high:
            return "%s: must be between %s and %s, got %s" % (path, low, high, value)
    if isinstance(value, list):
        if len(value) < node.get("minItems", 0) or len(value) > node.get("maxItems", len(value)):
            return "%s: must have %s to %s items, got %d" % (path, node.get("minItems", 0), node.get("maxItems", "any"),
                                                             len(value))
        for number, item in enumerate(value):
            found = problem(item, node.get("items") or {}, vendor, "%s[%d]" % (path, number), names, required, nulls)
            if found:
                return found
    if isinstance(value, dict):
        return _object_problem(value, node, vendor, path, names or {}, required, nulls)
    return None


def option_problem(params, vendor, component, options):
    """The first problem of module options (option -> the API's name) against ``component``'s properties, or None."""
    for option, api_name in sorted(options.items()):
        node = schema_node(vendor, component, api_name)
        found = problem(params.get(option), node, vendor, option) if node is not None else None
        if found:
            return found
    return None


def _string_problem(value, node, path):
    if node.get("format") == "date-time":
        found = date_time_problem(value)
        if found:
            return "%s: %s" % (path, found)
    if node.get("format") == "uuid" and not UUID.match(value):
        return "%s: is not a UUID such as 2c918085-7182-305e-0171-993735622949, got %s" % (path, shorten(value))
    if len(value) < node.get("minLength", 0) or "maxLength" in node and len(value) > node["maxLength"]:
        return "%s: must be %s to %s characters long, got %d" % (path, node.get("minLength", 0),
                                                                 node.get("maxLength", "any"), len(value))
    if "pattern" in node and not re.search(node["pattern"], value):
        return "%s: must match %s, got %s" % (path, node["pattern"], shorten(value))
    return None


def missing(value, node, vendor, path, names=None):
    """``path: <keys> required`` when the object ``value`` (API keys) lacks keys its schema requires, or None."""
    node = _deref(vendor, node)
    if not isinstance(value, dict):
        return None
    absent = [names_back(names or {}, key) for key in node.get("required") or [] if value.get(key) is None]
    if absent:
        return "%s: %s required" % (path, " and ".join(absent) + (" are" if len(absent) > 1 else " is"))
    return None


def _object_problem(value, node, vendor, path, names, required, nulls):
    props = node.get("properties")
    if required:
        found = missing(dict((names.get(key, key), item) for key, item in value.items()), node, vendor, path, names)
        if found:
            return found
    if props is None or node.get("additionalProperties") is True:
        return None
    for key in value:
        api_key = names.get(key, key)
        prop = props.get(api_key)
        label = "%s.%s" % (path, key)
        if prop is None:
            if value[key] is None and nulls:  # a suboption left out
                continue
            known = sorted(names_back(names, k) for k, p in props.items() if not _deref(vendor, p).get("readOnly"))
            return "%s: unknown key (the API takes %s)" % (label, ", ".join(known))
        if _deref(vendor, prop).get("readOnly") and value[key] is not None:
            return "%s: is read-only (the API sets it)" % label
        found = problem(value[key], prop, vendor, label, names, required, nulls)
        if found:
            return found
    return None


def names_back(names, api_key):
    """The key the user writes for ``api_key``."""
    for user, api in names.items():
        if api == api_key:
            return user
    return api_key
