# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A list option converging many objects in one task (vendor-neutral).

``bulk_option(spec, per_item)`` is the argspec of the list option, ``bulk_items`` turns its items
into full parameter sets (item options over the module's) and ``run_bulk`` hands them to
``Engine.run_bulk``. (The Beyond Identity adapter still has its own copy; the lead dedupes.)
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.identity.cloud.plugins.module_utils.resource import InputError


def bulk_option(spec, per_item=()):
    """Argspec of a list option whose items take the single form's ``per_item`` options.

    Item options have no defaults, so an option an item leaves out takes the module-level value.
    """
    single = spec.argument_spec(with_id=False)
    options = {}
    for name in per_item:
        option = dict((k, v) for k, v in single[name].items() if k not in ("default", "required"))
        if name == spec.key.option:
            option["required"] = True
        options[name] = option
    return {"type": "list", "elements": "dict", "options": options}


def bulk_items(module, option, spec):
    """The items of list option ``option`` as full parameter sets (item options over the module's)."""
    common = dict((k, v) for k, v in module.params.items() if k != option)
    items, seen = [], {}
    for number, item in enumerate(module.params[option] or []):
        merged = dict(common)
        merged.update((k, v) for k, v in item.items() if v is not None)
        key = spec.key_normalize(merged.get(spec.key.option))
        if key in seen:
            raise InputError("%s: items %d and %d both have %s %r" % (
                option, seen[key] + 1, number + 1, spec.key.option, merged.get(spec.key.option)))
        seen[key] = number
        items.append(merged)
    return items


def run_bulk(module, engine, option, concurrency=1):
    try:
        items = bulk_items(module, option, engine.spec)
    except InputError as exc:
        module.fail_json(msg=str(exc))
    engine.run_bulk(items, concurrency, option)
