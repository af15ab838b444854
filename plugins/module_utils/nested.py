# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Nested values of a write: lists of objects merged item by item, and nested input checked against the document.

Vendors replace a list of objects as a whole (a PUT, or a JSON Patch of the list): an item sent with only the
keys the user gave comes back with the others reset to their defaults. So a ``Field`` declared with
``items=Items(key=...)`` has each item the user gives merged into the current item with the same natural key
(keys the user left out keep their current values, keys given replace theirs) before anything is sent; two
items with the same key fail the task before any write (both would merge into one item).

A ``Field`` declared with ``schema=(vendor, component, property)`` has its value checked against the vendor
document's schema (generated into ``schemas.py``; see ``validate.py``) before the first write, in check mode too.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible_collections.identity.cloud.plugins.module_utils import validate
from ansible_collections.identity.cloud.plugins.module_utils.http_client import InputError
from ansible_collections.identity.cloud.plugins.module_utils.resource import MISSING, get_path, merge, set_path


class Items:
    """How the items of a list-of-objects option meet the current list.

    ``key``: the API keys that name an item (``("name",)``; a correlation rule: ``("property", "value")``).
    ``keep_unlisted``: current items the option does not name stay (else the option is the complete list and
    they are removed). ``names``: the option's own key -> the API key, where the module's suboptions differ
    from the API's (error messages name the key the user wrote).
    """

    def __init__(self, key, keep_unlisted=False, names=None):
        self.key = tuple(key)
        self.keep_unlisted = keep_unlisted
        self.names = dict(names or {})

    def key_of(self, item):
        return tuple(item.get(k) for k in self.key) if isinstance(item, dict) else None

    def merge(self, have, wanted):
        """The list to send: each item of ``wanted`` over the current item of the same key (a shallow merge)."""
        index = {}
        for item in have if isinstance(have, list) else []:
            index.setdefault(self.key_of(item), item)
        given = [dict(index.get(self.key_of(item)) or {}, **item) if isinstance(item, dict) else item
                 for item in wanted]
        if not self.keep_unlisted:
            return copy.deepcopy(given)
        out = copy.deepcopy(list(have or []))
        where = dict((self.key_of(item), number) for number, item in enumerate(out))
        for item in given:
            if self.key_of(item) in where:
                out[where[self.key_of(item)]] = copy.deepcopy(item)
            else:
                out.append(copy.deepcopy(item))
        return out


def merged(fields, current, desired):
    """``current`` with ``desired`` merged in (dicts key by key), lists of ``Items`` fields item by item."""
    out = merge(current or {}, desired)
    for field in fields:
        wanted = get_path(desired, field.path)
        if field.items is None or not isinstance(wanted, list):
            continue
        have = get_path(current or {}, field.path)
        items = field.items.merge(None if have is MISSING else have, wanted)
        node = validate.schema_node(*field.schema) if field.schema else None
        read_only = validate.read_only_keys(node.get("items") or {}, field.schema[0]) if node else ()
        set_path(out, field.path, [dict((k, v) for k, v in item.items() if k not in read_only)  # the API refuses them
                                   if isinstance(item, dict) else item for item in items])
    return out


def repeated(field, value, names):
    """Why two items of an ``Items`` list name the same item (both would merge into it; the vendor may refuse
    the pair), or None."""
    options = dict((api, option) for option, api in names.items())
    seen = set()
    for item in value:
        if not isinstance(item, dict):
            continue
        key = field.items.key_of(dict((names.get(k, k), v) for k, v in item.items()))
        if None in key:
            continue
        if key in seen:
            return "%s: the %s is given more than once" % (field.option, " with ".join(
                "%s %r" % (options.get(api, api), part) for api, part in zip(field.items.key, key)))
        seen.add(key)
    return None


def check(fields, params, current):
    """Raise ``InputError`` (one line, naming the option path) for the first value the document forbids.

    Required keys are checked on what is sent: an item of an ``Items`` list merged into its current item.
    """
    for field in fields:
        value = params.get(field.option)
        node = validate.schema_node(*field.schema) if field.schema and value is not None else None
        if node is None:
            continue
        vendor, names = field.schema[0], field.items.names if field.items else {}
        found = validate.problem(value, node, vendor, field.option, names, required=field.items is None,
                                 nulls=bool(field.argspec.get("options")))  # else a null is the user's own
        if found:
            raise InputError(found)
        if field.items is None or not isinstance(value, list):
            continue
        have = get_path(current or {}, field.path)
        index = dict((field.items.key_of(item), item) for item in (have if isinstance(have, list) else []))
        item_node = validate.schema_node(*field.schema).get("items") or {}
        found = repeated(field, value, names)
        if found:
            raise InputError(found)
        for number, item in enumerate(value):
            api_item = dict((names.get(k, k), v) for k, v in item.items() if v is not None)
            sent = dict(index.get(field.items.key_of(api_item)) or {}, **api_item)
            found = validate.missing(sent, item_node, vendor, "%s[%d]" % (field.option, number), names)
            if found:
                raise InputError(found)
