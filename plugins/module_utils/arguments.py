# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks on a task's arguments that Ansible's own argument spec does not make.

``connection.vendor_module`` runs them on every module, before the first call, check mode
included, and fails with one line naming the option:

* a string or a number given to a ``type: list`` option (Ansible would split ``"a,b"`` into a
  list, or wrap ``5`` into ``["5"]``, and the module would write that), and anything but a
  mapping given to a ``type: dict`` option (Ansible would parse ``"a=1"`` into one);
* a boolean given to a ``type: int`` option (Ansible would take ``true`` as 1);
* a list or a mapping given to a string option, or as an item of a list of strings, at any depth of
  suboptions (Ansible would write its Python text);
* an empty string, or control characters, in an option that selects the object (or in an item of
  such a list of strings, ``logins[1]``): required, or named in the module's ``required_if`` / ``required_one_of`` / ``required_together`` /
  ``required_by`` / ``mutually_exclusive`` (``""`` is not "left out" and names nothing);
* ``minimum`` / ``maximum`` declared next to an ``int`` option in its argument spec (taken out
  before ``AnsibleModule`` sees the spec, so the argument spec stays Ansible's own);
* ``type: path`` options: no control characters (NUL included), at most
  ``MAX_PATH`` characters and ``MAX_NAME`` per path component.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

BOUND_KEYS = ("minimum", "maximum")
SELECTOR_KWARGS = ("required_if", "required_one_of", "required_together", "required_by", "mutually_exclusive")
MAX_PATH = 4096  # PATH_MAX of Linux
MAX_NAME = 255  # NAME_MAX: one component of a path
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def split_bounds(spec):
    """(the argument spec for ``AnsibleModule``, {option: (minimum, maximum)}) from a spec whose int
    options may declare ``minimum`` / ``maximum``."""
    clean, bounds = {}, {}
    for name, option in spec.items():
        if any(key in option for key in BOUND_KEYS):
            bounds[name] = (option.get("minimum"), option.get("maximum"))
            option = dict((k, v) for k, v in option.items() if k not in BOUND_KEYS)
        clean[name] = option
    return clean, bounds


def selectors(spec, kwargs):
    """The options that select the object (see the module docstring)."""
    names = set(name for name, option in spec.items() if option.get("required"))
    for rule in SELECTOR_KWARGS:
        value = kwargs.get(rule) or ()
        if isinstance(value, dict):  # required_by: {option: [options]}
            for key, needed in value.items():
                names.add(key)
                names.update([needed] if isinstance(needed, str) else needed)
            continue
        for group in value:
            if rule == "required_if":  # (option, value, [requirements], any?)
                names.add(group[0])
                names.update(group[2])
            else:
                names.update(group)
    return names


def bounds_problem(name, value, bounds):
    low, high = bounds
    if value is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if (low is not None and value < low) or (high is not None and value > high):
        if high is None:
            return "%s must be at least %s, got %s" % (name, low, value)
        if low is None:
            return "%s must be at most %s, got %s" % (name, high, value)
        return "%s must be between %s and %s, got %s" % (name, low, high, value)
    return None


def path_problem(name, value):
    """Why ``value`` cannot be the file path of option ``name`` (one line), or None."""
    if not isinstance(value, str) or not value:
        return None  # "" is refused where it selects the object, and is "unset" for a connection option
    if CONTROL.search(value):
        return "%s must be a file path without control characters (NUL, line breaks, tabs...)" % name
    if len(value) > MAX_PATH:
        return "%s must be a file path of at most %d characters, got %d" % (name, MAX_PATH, len(value))
    longest = max(len(part.encode("utf-8", "surrogateescape")) for part in value.split("/"))
    if longest > MAX_NAME:
        return "%s: each folder or file name of the path must be at most %d bytes, one is %d" % (
            name, MAX_NAME, longest)
    return None


KINDS = {bool: "boolean", int: "number", float: "number", str: "string", dict: "dict"}


def kind_of(value):
    return KINDS.get(type(value), type(value).__name__)


def type_problem(name, option, given):
    """Why ``given`` (as the task wrote it) is not of the type of ``option``, where Ansible would convert it."""
    kind = option.get("type", "str")
    if kind == "list" and not isinstance(given, list):
        return "%s must be a list (in YAML [first, second] or one '- item' per line), got a %s" % (name, kind_of(given))
    if kind == "dict" and not isinstance(given, dict):
        return "%s must be a dict (a YAML mapping), got a %s" % (name, kind_of(given))
    if kind == "int" and isinstance(given, bool):
        return "%s must be a whole number, got a boolean" % name
    return None


def strict_types(spec, raw, prefix=""):
    """A list or dict given to a string option fails (Ansible would write its Python text)."""
    for name, option in spec.items():
        value = raw.get(name) if isinstance(raw, dict) else None
        if value is None:
            continue
        kind = option.get("type", "str")
        if kind in ("str", "path") and isinstance(value, (list, dict)):
            return "%s%s must be a string, got a %s" % (prefix, name, type(value).__name__)
        if kind == "list" and option.get("elements", "str") == "str" and isinstance(value, list):
            for number, item in enumerate(value):
                if isinstance(item, (list, dict)):
                    return "%s%s item %d must be a string, got a %s" % (prefix, name, number + 1, type(item).__name__)
        if option.get("options"):
            items = value if isinstance(value, list) else [value]
            for item in items:
                problem = strict_types(option["options"], item, "%s%s." % (prefix, name))
                if problem:
                    return problem
    return None


def text_problem(name, given):
    """A string that is not text: a lone surrogate (``"\\ud800"`` in YAML) cannot be encoded, and
    ``AnsibleModule`` would fail with a traceback while it logs its arguments."""
    try:
        given.encode("utf-8")
    except UnicodeEncodeError:
        return "%s must be text; it holds a lone UTF-16 surrogate, which is no character" % name
    return None


def relax_types(spec, raw):
    """(spec, problem): the first option given a value of the wrong type (``type_problem``), relaxed to
    ``raw`` in the returned spec so that ``AnsibleModule`` does not fail first with a message of its own
    that does not always name the option (a list for a dict with suboptions). A string that is not text
    is also kept out of the log of the arguments (``no_log``)."""
    raw = raw if isinstance(raw, dict) else {}
    for name in sorted(spec):
        if raw.get(name) is None:
            continue
        found = type_problem(name, spec[name], raw[name])
        unlogged = {}
        if not found and isinstance(raw[name], str):
            found = text_problem(name, raw[name])
            unlogged = {"no_log": True}
        if found:
            relaxed = dict((k, v) for k, v in spec[name].items() if k not in ("elements", "options", "choices"))
            return dict(spec, **{name: dict(relaxed, type="raw", **unlogged)}), found
    return spec, None


def problem(spec, raw, params, kwargs, bounds):
    """The first problem of the task's arguments other than types (one line naming the option), or None.

    ``raw``: the arguments as the task gave them; ``params``: after Ansible's conversion;
    ``kwargs``: what the module passed to ``AnsibleModule``; ``bounds``: from ``split_bounds``."""
    raw = raw if isinstance(raw, dict) else {}
    chosen = selectors(spec, kwargs)
    for name in sorted(spec):
        kind = spec[name].get("type", "str")
        given = raw.get(name)
        if kind in ("str", "path") and name in chosen and isinstance(given, str):
            if given == "":
                return "%s must not be empty" % name
            if CONTROL.search(given):
                return "%s must not contain control characters (NUL, line breaks, tabs...)" % name
        if kind == "list" and name in chosen and spec[name].get("elements") == "str" and isinstance(given, list):
            # each item selects an object too (logins, identities, ids): "" or a line break is a template's slip
            for number, item in enumerate(given):
                if item == "":
                    return "%s[%d] must not be empty" % (name, number)
                if isinstance(item, str) and CONTROL.search(item):
                    return "%s[%d] must not contain control characters (NUL, line breaks, tabs...)" % (name, number)
        if kind == "path":
            found = path_problem(name, given)
            if found:
                return found
        if name in bounds:
            found = bounds_problem(name, params.get(name), bounds[name])
            if found:
                return found
    return None
