# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters that turn the results of identity.cloud tasks (run for real or in check mode, with or without
--diff) into a change summary and a drift report."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible.errors import AnsibleFilterError

# List fields that hold memberships: reported as added / removed rather than as changed fields.
MEMBERSHIP_FIELDS = ("members", "groups", "users", "roles", "alternative_user_ids")
NAME_FIELDS = ("display_name", "name", "login", "username", "application_client_id", "usage_type", "invoke_url", "type",
               "user_type", "email_realm_name")
# What the modules say without --diff (the engine's per-object result and each bulk item).
SUMMARY_KEYS = ("created", "deleted", "changed_fields", "memberships", "revoked")
# Per-item lists of the bulk modules: ``results`` (state modules) and ``users`` (finbourne_user_lifecycle).
ITEM_LISTS = ("results", "users")


def _new_entry():
    return {"created": [], "changed": {}, "memberships": {}, "deleted": [], "actions": {}}


def _loop_name(result):
    """The name of a loop item's object: the item itself (a name), or its name field after its source."""
    if "ansible_loop_var" not in result:
        return None
    label = result.get("_ansible_item_label")  # loop_control.label: what the role shows for the item
    if isinstance(label, str) and label.strip() and not isinstance(result.get("item"), dict):
        return label.strip()
    item = result.get("item")
    if isinstance(item, str) and item.strip():
        return item.strip()
    if isinstance(item, dict):
        name = next((item[f] for f in NAME_FIELDS if isinstance(item.get(f), str) and item[f]), None)
        parent = next((item[f] for f in ("source", "resource_server") if isinstance(item.get(f), str)), None)
        return ": ".join(part for part in (parent, name) if part) or None
    return None


def _name_of(result, kind):
    """The object's name: from the loop item, else a name field of the object the module returns."""
    label = _loop_name(result)
    if label:
        return label
    candidates = [result.get(kind)] + [v for v in result.values() if isinstance(v, dict)]
    diff = result.get("diff") if isinstance(result.get("diff"), dict) else {}
    candidates += [diff.get("after"), diff.get("before")]
    for obj in candidates:
        if isinstance(obj, dict):
            for field in NAME_FIELDS:
                if isinstance(obj.get(field), str) and obj[field]:
                    return obj[field]
    for key in ("item", "source_id", "id"):
        if isinstance(result.get(key), str) and result[key]:
            return result[key]
    return kind


def _as_set(value):
    return set(str(v) for v in (value or []))


def _present(side):
    """Whether a diff side describes an object (an absent one is empty or has only empty values)."""
    return any(value not in (None, "", [], {}) for value in side.values())


def _compare(name, before, after, entry):
    """Record one object's before / after (a --diff) in ``entry``."""
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
        if field in MEMBERSHIP_FIELDS and (isinstance(new, list) or isinstance(old, list)):
            plus, minus = sorted(_as_set(new) - _as_set(old)), sorted(_as_set(old) - _as_set(new))
            if plus:
                added[field] = plus
            if minus:
                removed[field] = minus
        else:
            fields.append(field)
    if fields or not (added or removed):
        entry["changed"][name] = fields
    if added or removed:
        entry["memberships"][name] = {"added": added, "removed": removed}


def _record(name, result, entry, action=None, diff=None):
    """Record one changed object from what its module returned (``diff``: its --diff, when there is one)."""
    memberships = result.get("memberships") if isinstance(result.get("memberships"), dict) else {}
    if memberships:
        change = {"added": {}, "removed": {}}
        for field, sides in sorted(memberships.items()):
            for side in ("added", "removed"):
                if (sides or {}).get(side):
                    change[side][field] = sorted(str(v) for v in sides[side])
        entry["memberships"][name] = change
    if result.get("created"):
        entry["created"].append(name)
    elif result.get("deleted"):
        entry["deleted"].append(name)
    elif result.get("changed_fields"):
        entry["changed"][name] = list(result["changed_fields"])
    elif result.get("revoked"):
        entry["actions"].setdefault(name, []).append("revoked %d credential(s)" % len(result["revoked"]))
    elif action:
        entry["actions"].setdefault(name, []).append(action)
    elif isinstance(diff, dict) and (diff.get("before") or diff.get("after")):
        _compare(name, diff.get("before"), diff.get("after"), entry)
    elif isinstance(result.get("reason"), str) and result["reason"]:  # a change the module cannot compare
        entry["changed"][name] = ["(%s)" % result["reason"]]
    elif not memberships:
        entry["changed"].setdefault(name, [])


def _action_of(result):
    """The action an action module ran (or would run): its ``action`` result or option."""
    if isinstance(result.get("action"), str):
        return result["action"]
    args = (result.get("invocation") or {}).get("module_args") or {}
    return args.get("action") if isinstance(args.get("action"), str) else None


def _task_results(result):
    """The module results of one registered task: its loop items, or itself."""
    if not isinstance(result, dict) or result.get("skipped"):
        return []
    items = result.get("results")
    if isinstance(items, list) and any(isinstance(r, dict) and "ansible_loop_var" in r for r in items):
        return [r for r in items if isinstance(r, dict) and not r.get("skipped")]
    return [result]


def _summarise(result, kind, entry):
    if not result.get("changed"):
        return
    action = _action_of(result)
    diff = result.get("diff") if isinstance(result.get("diff"), dict) else {}
    for list_key in ITEM_LISTS:
        items = result.get(list_key)
        if isinstance(items, list) and items and all(isinstance(i, dict) and "item" in i for i in items):
            before, after = diff.get("before") or {}, diff.get("after") or {}
            label = _loop_name(result)  # a bulk task in a loop: its items under the loop item's name
            for item in items:
                if item.get("changed") and not item.get("failed"):
                    key = str(item["item"])
                    name = "%s: %s" % (label, key) if isinstance(label, str) and label else key
                    _record(name, item, entry, action, {"before": before.get(key), "after": after.get(key)})
            return
    _record(_name_of(result, kind), result, entry, action, diff)


def drift_summary(results, base=None):
    """Summarise registered results ({"vendor/kind": result}) into {vendor: {kind: entry}}, merged into ``base``."""
    if not isinstance(results, dict):
        raise AnsibleFilterError("drift_summary: expects a dict of 'vendor/kind' to a registered task result, got %s"
                                 % type(results).__name__)
    summary = copy.deepcopy(dict(base or {}))
    for label, registered in results.items():
        vendor, _sep, kind = str(label).partition("#")[0].partition("/")
        entry = summary.setdefault(vendor, {}).setdefault(kind or vendor, _new_entry())
        for key, value in _new_entry().items():
            entry.setdefault(key, value)
        for result in _task_results(registered):
            _summarise(result, kind or vendor, entry)
    for kinds in summary.values():
        for kind in list(kinds):
            if not any(kinds[kind].values()):
                del kinds[kind]
            elif not kinds[kind].get("actions"):
                kinds[kind].pop("actions", None)
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
            for name, actions in sorted(entry.get("actions", {}).items()):
                lines.append("| %s %s | %s | |" % (kind, name, _names(actions)))
        lines.append("")
    return "\n".join(lines)


class FilterModule(object):
    def filters(self):
        return {"drift_summary": drift_summary, "drift_markdown": drift_markdown}
