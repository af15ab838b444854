# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters that turn the results of identity.cloud tasks (run in check mode with --diff) into a drift report."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible.errors import AnsibleFilterError

# List fields that hold memberships: reported as added / removed rather than as changed fields.
MEMBERSHIP_FIELDS = ("members", "groups", "users", "roles", "alternative_user_ids")
NAME_FIELDS = ("display_name", "name", "login", "username", "usage_type", "id")


def _name_of(before, after, result, kind):
    for side in (after, before):
        for field in NAME_FIELDS:
            if isinstance(side, dict) and side.get(field) not in (None, "", [], {}):
                return str(side[field])
    for value in result.values():  # the object the module returns, e.g. result.source.name
        if isinstance(value, dict) and not value.get("changed"):
            for field in NAME_FIELDS[:-1]:
                if isinstance(value.get(field), str) and value[field]:
                    return value[field]
    for key in ("_ansible_item_label", "item", "id"):
        if result.get(key) not in (None, "", [], {}) and not isinstance(result.get(key), (dict, list)):
            return str(result[key])
    return kind


def _as_set(value):
    return set(str(v) for v in (value or []))


def _present(side):
    """Whether a diff side describes an object (an absent one is empty or has only empty values)."""
    return any(value not in (None, "", [], {}) for value in side.values())


def _compare(name, before, after, entry):
    """Record one object's before / after in ``entry``."""
    before = before if isinstance(before, dict) else {}
    after = after if isinstance(after, dict) else {}
    if not _present(before) and _present(after):
        entry["created"].append(name)
        members = dict((f, sorted(_as_set(after.get(f)))) for f in MEMBERSHIP_FIELDS if after.get(f))
        if members:
            entry["memberships"][name] = {"added": members, "removed": {}}
        return
    if _present(before) and not _present(after):
        entry["deleted"].append(name)
        return
    fields, added, removed = [], {}, {}
    for field in sorted(set(before) | set(after)):
        old, new = before.get(field), after.get(field)
        if old == new:
            continue
        if field in MEMBERSHIP_FIELDS and isinstance(new, list) or isinstance(old, list) and field in MEMBERSHIP_FIELDS:
            plus, minus = sorted(_as_set(new) - _as_set(old)), sorted(_as_set(old) - _as_set(new))
            if plus:
                added[field] = plus
            if minus:
                removed[field] = minus
        else:
            fields.append(field)
    if fields:
        entry["changed"][name] = fields
    if added or removed:
        entry["memberships"][name] = {"added": added, "removed": removed}


def _task_results(result):
    """The module results of one registered task: its loop items, or itself."""
    if not isinstance(result, dict) or result.get("skipped"):
        return []
    items = result.get("results")
    if isinstance(items, list) and any(isinstance(r, dict) and "ansible_loop_var" in r for r in items):
        return [r for r in result["results"] if isinstance(r, dict) and not r.get("skipped")]
    return [result]


def drift_summary(results, base=None):
    """Summarise registered results ({"vendor/kind": result}) into {vendor: {kind: entry}}, merged into ``base``."""
    if not isinstance(results, dict):
        raise AnsibleFilterError("drift_summary: expects a dict of 'vendor/kind' to a registered task result, got %s"
                                 % type(results).__name__)
    summary = copy.deepcopy(dict(base or {}))
    for label, registered in results.items():
        vendor, _sep, kind = str(label).partition("#")[0].partition("/")
        entry = summary.setdefault(vendor, {}).setdefault(kind or vendor, {
            "created": [], "changed": {}, "memberships": {}, "deleted": []})
        for result in _task_results(registered):
            if not result.get("changed"):
                continue
            diff = result.get("diff") or {}
            before, after = diff.get("before"), diff.get("after")
            bulk = isinstance(result.get("results"), list) and isinstance(before, dict) and isinstance(after, dict) \
                and all(isinstance(v, dict) for v in list(before.values()) + list(after.values()))
            if bulk:
                for name in sorted(set(before) | set(after)):
                    _compare(name, before.get(name), after.get(name), entry)
            elif diff:
                _compare(_name_of(before, after, result, kind), before, after, entry)
            else:
                entry["changed"].setdefault(_name_of({}, {}, result, kind), [])
    for kinds in summary.values():
        for kind in list(kinds):
            if not any(kinds[kind].values()):
                del kinds[kind]
    return dict((vendor, kinds) for vendor, kinds in summary.items() if kinds)


def _names(values):
    return ", ".join(values) if values else ""


def drift_markdown(summary, title="Drift report"):
    """The summary of ``drift_summary`` as Markdown: a table per vendor, one row per object kind and change."""
    lines = ["# %s" % title, ""]
    if not summary:
        lines.append("No drift: every object matches its definition.")
        return "\n".join(lines) + "\n"
    for vendor in sorted(summary):
        lines += ["## %s" % vendor, "", "| object | change | details |", "|---|---|---|"]
        for kind in sorted(summary[vendor]):
            entry = summary[vendor][kind]
            for name in entry.get("created", []):
                lines.append("| %s %s | created | |" % (kind, name))
            for name, fields in sorted(entry.get("changed", {}).items()):
                lines.append("| %s %s | changed | %s |" % (kind, name, _names(fields) or "see --diff"))
            for name, change in sorted(entry.get("memberships", {}).items()):
                parts = ["+%s: %s" % (f, _names(v)) for f, v in sorted(change.get("added", {}).items())]
                parts += ["-%s: %s" % (f, _names(v)) for f, v in sorted(change.get("removed", {}).items())]
                lines.append("| %s %s | memberships | %s |" % (kind, name, "; ".join(parts)))
            for name in entry.get("deleted", []):
                lines.append("| %s %s | deleted | |" % (kind, name))
        lines.append("")
    return "\n".join(lines)


class FilterModule(object):
    def filters(self):
        return {"drift_summary": drift_summary, "drift_markdown": drift_markdown}
