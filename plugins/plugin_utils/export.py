# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared by the tenant export filters (controller side): kinds, include/exclude patterns, vault names, stable data.

A pattern is ``vendor[:kind[:name-glob]]`` (``sailpoint:source:HR*``, ``beyond_identity:group``, ``finbourne``).
No include pattern selects everything; an object is exported when an include pattern matches it and no exclude
pattern does. Name globs are ``fnmatch`` globs, case-sensitive (names differing only in case are different objects).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import re
from collections.abc import Mapping
from fnmatch import fnmatchcase


class ExportError(Exception):
    """Reads that cannot be exported (a bad pattern, a reference without a name): the one-line message."""


KINDS = {
    "finbourne": ("role", "password_policy", "application", "user"),
    "beyond_identity": ("realm", "theme", "resource_server", "authenticator_config", "application", "group",
                        "identity_provider", "role", "sso_config", "identity"),
    "sailpoint": ("source",),
}

# Keys that name an object in a list, first present wins: lists of such dicts are sorted by it.
NATURAL_KEYS = ("name", "username", "user_name", "login", "email", "key", "field", "attribute", "type")


def _split(pattern):
    parts = str(pattern).split(":", 2)
    return parts + [None] * (3 - len(parts))


def check_patterns(include, exclude, names=("tenant_export_include", "tenant_export_exclude")):
    """None when every pattern of both lists is valid, else a one-line error naming the variable (``names``: what the
    user calls the two lists, the role's variables or the action's options)."""
    for variable, patterns in zip(names, (include, exclude)):
        if patterns is None:
            continue
        if isinstance(patterns, (str, bytes)) or not isinstance(patterns, (list, tuple)):
            return "%s must be a list of patterns vendor[:kind[:name-glob]], got: %s" % (variable, type(patterns).__name__)
        for pattern in patterns:
            if not isinstance(pattern, str) or not pattern:
                return "%s: every pattern must be a non-empty string vendor[:kind[:name-glob]], got: %r" % (variable, pattern)
            vendor, kind, name = _split(pattern)
            if vendor not in KINDS:
                return "%s: unknown vendor %r in %r; allowed: %s" % (variable, vendor, pattern, ", ".join(sorted(KINDS)))
            if kind is not None and kind not in KINDS[vendor]:
                return "%s: unknown %s kind %r in %r; allowed: %s" % (variable, vendor, kind, pattern, ", ".join(KINDS[vendor]))
            if name == "":
                return "%s: empty name glob in %r (leave out ':' to select every name)" % (variable, pattern)
    return None


def _kind_matches(pattern, vendor, kind):
    p_vendor, p_kind, dummy = _split(pattern)
    return p_vendor == vendor and p_kind in (None, kind)


def _matches(pattern, vendor, kind, name):
    p_name = _split(pattern)[2]
    return _kind_matches(pattern, vendor, kind) and (p_name is None or fnmatchcase(str(name), p_name))


def selected(include, exclude, vendor, kind, name=None):
    """Whether the object ``name`` of ``vendor``/``kind`` is exported.

    With ``name=None`` the question is whether any object of the kind may be (to skip reading a kind): an include
    pattern with a name glob selects its kind, an exclude pattern with a name glob does not exclude it.
    """
    if name is None:
        return (not include or any(_kind_matches(p, vendor, kind) for p in include)) and \
            not any(_split(p)[2] is None and _kind_matches(p, vendor, kind) for p in exclude or ())
    return (not include or any(_matches(p, vendor, kind, name) for p in include)) and \
        not any(_matches(p, vendor, kind, name) for p in exclude or ())


def slug(name):
    """A variable-name part for ``name``: lower case letters, digits and ``_``; a short hash is appended unless the
    slug is the name itself, so names that differ only in case or punctuation get different slugs."""
    text = str(name)
    base = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:40] or "x"
    if base == text:
        return base
    return "%s_%s" % (base, hashlib.sha256(text.encode("utf-8")).hexdigest()[:6])


def vault_variable(vendor, kind, name, field):
    """The name of the vault variable holding the secret ``field`` of object ``name``."""
    return "vault_%s_%s_%s_%s" % (vendor, kind, slug(name), re.sub(r"[^a-z0-9]+", "_", str(field).lower()).strip("_"))


def vault_reference(variable):
    return "{{ %s }}" % variable


def plain(data):
    """``data`` as plain dict/list/str/int/float/bool/None (no Ansible wrapper types), for the YAML dumper."""
    if isinstance(data, Mapping):
        return dict((_text(k), plain(v)) for k, v in data.items())
    if isinstance(data, (list, tuple, set, frozenset)):
        return [plain(v) for v in data]
    if data is None or isinstance(data, bool):
        return data
    if isinstance(data, int):
        return int(data)
    if isinstance(data, float):
        return float(data)
    if isinstance(data, bytes):
        return data.decode("utf-8")
    return _text(data)


def _text(value):
    # a plain str, also from a str subclass whose __str__ returns itself (ansible-core < 2.19's AnsibleUnsafeText)
    text = value if isinstance(value, str) else "%s" % (value,)
    return bytes.decode(str.encode(text, "utf-8", "surrogatepass"), "utf-8", "surrogatepass")


def _sort_key(item):
    if isinstance(item, Mapping):
        for key in NATURAL_KEYS:
            if item.get(key) is not None:
                return (0, key, str(item[key]), json.dumps(item, sort_keys=True))
        return (1, "", "", json.dumps(item, sort_keys=True))
    return (2, type(item).__name__, json.dumps(item, sort_keys=True), "")


def stable(data, ordered=()):
    """A deterministic copy of ``data``: plain types, dict keys sorted, lists sorted by natural key.

    Lists whose order means something are named in ``ordered`` by their key (e.g. ``("fields",)``) and keep
    their order. Lists of scalars are sorted too (members, scopes, permissions are sets to every vendor here).
    """
    return _stable(plain(data), frozenset(ordered))


def _stable(data, ordered, key=None):
    if isinstance(data, dict):
        return dict((k, _stable(data[k], ordered, k)) for k in sorted(data))
    if isinstance(data, list):
        items = [_stable(v, ordered) for v in data]
        return items if key in ordered else sorted(items, key=_sort_key)
    return data


def to_yaml(data, header=None):
    """Deterministic YAML text: ``---``, sorted keys, block style, unicode kept, no line folding, trailing newline."""
    # imported here (it imports yaml, ansible-core's own dependency) so the patterns above load without it
    from ansible_collections.identity.cloud.plugins.plugin_utils.yaml_text import dump

    # the export's data is plain already (stable()): copied by plain() only when it is not
    return dump(data, header, prepare=plain)
