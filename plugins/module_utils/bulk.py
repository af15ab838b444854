# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Vendor-neutral helpers for a module's bulk list option (``users:``, ``identities:``, ...).

A bulk option is a list of dicts whose keys are the single form's options; an item's option
left out takes the module-level value. ``Engine.run_bulk`` converges the items.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.identity.cloud.plugins.module_utils.resource import InputError

CONCURRENCY_OPTION = {"concurrency": {"type": "int", "default": 8, "minimum": 1}}  # bounds: see arguments.py


def bulk_option(spec, per_item=()):
    """Argspec of a list option whose items take the single form's ``per_item`` options (no defaults)."""
    single = spec.argument_spec(with_id=False)
    options = {}
    for name in per_item:
        option = dict((k, v) for k, v in single[name].items() if k not in ("default", "required"))
        if name == spec.key.option:
            option["required"] = True
        options[name] = option
    return {"type": "list", "elements": "dict", "options": options}


def bulk_items(params, option, spec):
    """The items of list option ``option`` as full parameter sets (item options over the module's);
    two items with the same key (after ``spec.key_normalize``) fail."""
    common = dict((k, v) for k, v in params.items() if k != option)
    items, seen = [], {}
    for number, item in enumerate(params[option] or []):
        merged = dict(common)
        merged.update((k, v) for k, v in item.items() if v is not None)
        key = spec.key_normalize(merged.get(spec.key.option))
        if key in seen:
            raise InputError("%s: items %d and %d both have %s %r" % (
                option, seen[key] + 1, number + 1, spec.key.option, merged.get(spec.key.option)))
        seen[key] = number
        items.append(merged)
    return items


def run_bulk(module, engine, option):
    """Converge the items of ``option`` (``concurrency`` writes at a time); exits the module."""
    if (module.params.get("concurrency") or 1) < 1:
        module.fail_json(msg="concurrency must be at least 1, got %s" % module.params.get("concurrency"))
    try:
        items = bulk_items(module.params, option, engine.spec)
    except InputError as exc:
        module.fail_json(msg=str(exc))
    engine.run_bulk(items, module.params.get("concurrency") or 1, option)
