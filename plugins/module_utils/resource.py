# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The state engine every state module runs: find -> compare -> create/update/delete.

A module declares a ``ResourceSpec`` (which options map to which API fields, which key
names the object, which fields are write-only secrets, which memberships hang on it) and
hands the engine a vendor ``Crud`` object that knows the endpoints. The engine owns check
mode, diff, idempotence and the result shape; it has no vendor code. Anything
vendor-specific is a method on the ``Crud`` object or a hook on the spec.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import re
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.identity.cloud.plugins.module_utils.arguments import CONTROL
from ansible_collections.identity.cloud.plugins.module_utils.http_client import (  # noqa: F401 (InputError re-exported)
    REDACTED,
    ApiError,
    InputError,
    path_segment,
)

MISSING = object()


def with_article(name):
    """'a user', 'an identity_provider' (no resource name here starts with a vowel sound of 'u')."""
    return ("an " if name[:1].lower() in "aeio" else "a ") + name


class ParentMissing(InputError):
    """The object a module works under (a SailPoint source, a Beyond Identity realm) does not exist.

    Outside check mode this is the input error it says. In check mode the parent may be one an earlier
    task of the same run would create: the engine then reports what it would do once the parent exists
    (``changed``, nothing sent) instead of failing, so a dry run of a whole definition goes on.
    """

    def __init__(self, msg, parent):
        InputError.__init__(self, msg)
        self.parent = parent

    def pending(self, what):
        return "check mode: %s does not exist yet; would %s once it is created" % (self.parent, what)


PENDING = "(pending) "  # check mode: the key of a membership reference that names no object yet


class MissingReferences(InputError):
    """References of a membership option (users of a role, groups of an identity) that name no object.

    ``found``: {id: label} of the ones that resolved. Outside check mode the input error it says; in check
    mode the missing ones may be objects an earlier task would create: ``Membership.plan`` then counts them
    as members to add (labelled by the reference), so a dry run reports them instead of failing.
    """

    def __init__(self, msg, found, missing):
        InputError.__init__(self, msg)
        self.found = dict(found)
        self.missing = list(missing)


ARGSPEC_KEYS = ("type", "required", "default", "choices", "elements", "options", "no_log", "aliases")


# -- declarative description -------------------------------------------------------------


class Field:
    """One module option and where it lives in the API object.

    ``api`` is a dotted path into the API object (``connectorAttributes.host``); ``normalize``
    maps a value to its comparable form (both sides); ``unordered`` compares lists as sets;
    ``secret`` marks a write-only value the API does not return readably; ``create_only``
    fields are sent on create and never compared.

    Input constraints are declared here, once, and checked before any write (check mode too):
    ``pattern`` (a regular expression the whole value must match), ``min_length`` /
    ``max_length`` (characters of a string, items of a list), ``minimum`` / ``maximum``,
    ``required_on_create``, ``choices`` (an argspec key). ``schema`` names where the vendor
    document declares them, ``(vendor, schema name, property)``: a unit test holds the
    declaration against that document so the two cannot drift. Any other keyword is the
    option's argspec.
    """

    CONSTRAINTS = ("pattern", "min_length", "max_length", "minimum", "maximum")

    def __init__(self, option, api=None, normalize=None, unordered=False, secret=False, create_only=False,
                 to_api=None, schema=None, pattern=None, min_length=None, max_length=None, minimum=None,
                 maximum=None, required_on_create=False, items=None, **argspec):
        self.option = option
        self.path = tuple((api or option).split("."))
        self.normalize = normalize
        self.unordered = unordered
        self.secret = secret
        self.create_only = create_only
        self.to_api = to_api
        self.schema = schema
        self.pattern = pattern
        self.min_length = min_length
        self.max_length = max_length
        self.minimum = minimum
        self.maximum = maximum
        self.required_on_create = required_on_create
        self.items = items  # nested.Items: a list of objects merged item by item into the current one
        self.argspec = dict(argspec)
        self.argspec.setdefault("type", "str")
        if secret:
            self.argspec["no_log"] = True

    def problem(self, value):
        """Why ``value`` breaks a declared constraint (one line, value not echoed whole), or None."""
        values = value if isinstance(value, list) and self.argspec.get("type") == "list" else [value]
        if isinstance(value, list) and self.argspec.get("type") == "list":
            if self.min_length is not None and len(value) < self.min_length:
                return "must have at least %d item(s), got %d" % (self.min_length, len(value))
            if self.max_length is not None and len(value) > self.max_length:
                return "must have at most %d items, got %d" % (self.max_length, len(value))
            length_applies = False
        else:
            length_applies = True
        for item in values:
            if item is None:
                continue
            choices = self.argspec.get("choices")
            if choices and item not in choices:
                return "must be one of %s, got %s" % (", ".join(map(str, choices)), shorten(item))
            if isinstance(item, str):
                if length_applies and self.min_length is not None and len(item) < self.min_length:
                    return "must be at least %d character(s) long, got %d" % (self.min_length, len(item))
                if length_applies and self.max_length is not None and len(item) > self.max_length:
                    return "must be at most %d characters long, got %d" % (self.max_length, len(item))
                if self.pattern is not None and not re.search(self.pattern, item):
                    return "must match %s, got %s" % (self.pattern, shorten(item))
            elif isinstance(item, (int, float)) and not isinstance(item, bool):
                if self.minimum is not None and item < self.minimum:
                    return "must be at least %s, got %s" % (self.minimum, item)
                if self.maximum is not None and item > self.maximum:
                    return "must be at most %s, got %s" % (self.maximum, item)
        return None

    def comparable(self, value):
        if value is None:
            return None
        if self.normalize:
            value = self.normalize(value)
        if self.unordered and isinstance(value, list):
            return sorted(value, key=repr)
        return value


class ResourceSpec:
    """What a state module manages: key, fields, memberships and any extra options."""

    def __init__(self, name, key, fields=(), relations=(), extra_options=None, key_normalize=None,
                 update_secrets_option=True):
        self.name = name
        self.key = key
        self.fields = ([key] if key is not None else []) + list(fields)  # no key: one per parent (singleton)
        self.relations = list(relations)
        self.extra_options = dict(extra_options or {})
        self.key_normalize = key_normalize or (lambda v: v)
        self.has_secrets = update_secrets_option and any(f.secret for f in fields)

    def argument_spec(self, with_id=True, states=("present", "absent")):
        spec = {}
        for field in self.fields:
            spec[field.option] = dict(field.argspec)
        if with_id:
            spec["id"] = {"type": "str"}
        spec["state"] = {"type": "str", "default": states[0], "choices": list(states)}
        for relation in self.relations:
            spec.update(relation.argument_spec())
        if self.has_secrets:
            spec["update_secrets"] = {"type": "str", "default": "always", "choices": ["always", "on_create"]}
        spec.update(self.extra_options)
        return spec

    def check(self, params, creating):
        """Raise ``InputError`` for the first option that breaks its declared constraints."""
        for field in self.fields:
            value = params.get(field.option)
            if value is None:
                if creating and field.required_on_create:
                    raise InputError("%s is required to create %s" % (field.option, with_article(self.name)))
                continue
            problem = field.problem(value)
            if problem:
                raise InputError("%s %s" % (field.option, problem))

    def desired(self, params, creating, secrets=True):
        """The API-shaped object the user asked for: only the options they gave.

        ``secrets=False`` leaves write-only secrets out (for objects shown, never sent).
        """
        out = {}
        for field in self.fields:
            value = params.get(field.option)
            if value is None or (field.secret and not secrets):
                continue
            if field.create_only and not creating:
                continue
            if field.secret and not creating and params.get("update_secrets") == "on_create":
                continue
            if field.to_api:
                value = field.to_api(value)
            set_path(out, field.path, copy.deepcopy(value))
        return out

    def changes(self, params, current):
        """Fields whose wanted value differs from ``current``: list of (field, wanted, current)."""
        out = []
        for field in self.fields:
            wanted = params.get(field.option)
            if wanted is None or field.create_only:
                continue
            if field.to_api:
                wanted = field.to_api(wanted)
            if field.secret:
                if params.get("update_secrets", "always") == "always":
                    out.append((field, wanted, MISSING))
                continue
            have = get_path(current, field.path)
            if not subset_equal(field.comparable(wanted), field.comparable(None if have is MISSING else have)):
                out.append((field, wanted, have))
        return out

    def merged(self, current, desired):
        """``current`` with ``desired`` merged in, lists of objects item by item (what a whole-object write sends)."""
        from ansible_collections.identity.cloud.plugins.module_utils import nested  # nested imports this module
        return nested.merged(self.fields, current, desired)

    def check_nested(self, params, current):
        """Raise ``InputError`` for a nested value the vendor document forbids (fields declared with ``schema``)."""
        from ansible_collections.identity.cloud.plugins.module_utils import nested
        nested.check(self.fields, params, current)

    def view(self, obj, params):
        """The managed fields of ``obj`` for diff output, secrets masked."""
        if not obj:
            return {}
        out = {}
        for field in self.fields:
            if params.get(field.option) is None:
                continue
            if field.secret:
                out[field.option] = REDACTED
                continue
            value = get_path(obj, field.path)
            out[field.option] = None if value is MISSING else project(value, params.get(field.option))
        return out


class Membership:
    """A set of members hung on the object (users of a role, members of a group).

    The module gets ``<option>`` (list of references: names or ids) and ``<option>_mode``
    (``set`` makes the list exact, ``add`` only adds, ``remove`` only removes). Subclasses or
    the adapter supply ``resolve(client, refs)`` -> {id: label}, ``current(client, obj)`` ->
    {id: label}, ``add(client, obj, ids)`` and ``remove(client, obj, ids)``.
    """

    def __init__(self, option, resolve, current, add, remove, description=None, default_mode="set"):
        self.option = option
        self.mode_option = option + "_mode"
        self._resolve = resolve
        self._current = current
        self._add = add
        self._remove = remove
        self.default_mode = default_mode

    def argument_spec(self):
        return {
            self.option: {"type": "list", "elements": "str"},
            self.mode_option: {"type": "str", "default": self.default_mode, "choices": ["set", "add", "remove"]},
        }

    def plan(self, client, obj, params, pending=False):
        """Resolve the wanted references and compute (before, to_add, to_remove) without writing.

        ``pending`` (check mode): references that name no object yet are members to add, not an error."""
        refs = params.get(self.option)
        if refs is None:
            return None
        try:
            wanted = self._resolve(client, refs)
        except MissingReferences as exc:
            if not pending:
                raise
            wanted = dict(exc.found)
            wanted.update((PENDING + ref, ref) for ref in exc.missing)
        have = self._current(client, obj) if obj is not None else {}
        mode = params.get(self.mode_option) or self.default_mode
        to_add = {} if mode == "remove" else {i: wanted[i] for i in wanted if i not in have}
        to_remove = {}
        if mode == "remove":
            to_remove = {i: have[i] for i in wanted if i in have}
        elif mode == "set":
            to_remove = {i: have[i] for i in have if i not in wanted}
        return have, to_add, to_remove

    def apply(self, client, obj, to_add, to_remove):
        if to_remove:
            self._remove(client, obj, sorted(to_remove))
        if to_add:
            self._add(client, obj, sorted(to_add))


# -- comparison helpers --------------------------------------------------------------------


def get_path(obj, path):
    for part in path:
        if not isinstance(obj, dict) or part not in obj:
            return MISSING
        obj = obj[part]
    return obj


def without_paths(obj, paths):
    """A copy of ``obj`` without the values at ``paths`` (write-only secrets some APIs read back in clear)."""
    if not obj or not paths:
        return obj
    out = copy.deepcopy(obj)
    for path in paths:
        parent = get_path(out, path[:-1]) if len(path) > 1 else out
        if isinstance(parent, dict):
            parent.pop(path[-1], None)
    return out


def set_path(obj, path, value):
    for part in path[:-1]:
        obj = obj.setdefault(part, {})
    obj[path[-1]] = value


def subset_equal(wanted, have):
    """True when every key the user gave in ``wanted`` has the same value in ``have``."""
    if isinstance(wanted, dict):
        if not isinstance(have, dict):
            return not wanted and have in (None, MISSING)
        return all(subset_equal(v, have.get(k)) for k, v in wanted.items())
    if isinstance(wanted, list):
        if not isinstance(have, list) or len(wanted) != len(have):
            return not wanted and have in (None, MISSING)
        return all(subset_equal(w, h) for w, h in zip(wanted, have))
    if wanted is None:
        return True
    return wanted == have


def project(value, like):
    """Keep only the keys of ``value`` that ``like`` names (so diffs show managed keys only)."""
    if isinstance(value, dict) and isinstance(like, dict):
        return {k: project(value.get(k), v) for k, v in like.items() if v is not None}  # None: suboption not given
    return value


def shorten(value, limit=60):
    """``repr`` of a value for an error line: long input is cut, never repeated whole."""
    text = repr(value)
    return text if len(text) <= limit else "%s... (%d characters)" % (text[:limit], len(text))


def message(exc, limit=400):
    """One line for ``fail_json``: white space collapsed, never longer than ``limit`` (long input is cut)."""
    text = re.sub(r"\s+", " ", str(exc)).strip()
    return text if len(text) <= limit else "%s... (%d characters)" % (text[:limit], len(text))


def merge(base, patch):
    out = copy.deepcopy(base) if isinstance(base, dict) else {}
    for key, value in (patch or {}).items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


# -- the engine ---------------------------------------------------------------------------


class Crud:
    """Vendor endpoints for one resource. Adapters subclass this; the engine only calls these.

    ``find(params)`` -> object or None, ``list_all()`` -> iterable of objects,
    ``create(desired, params)`` -> object, ``update(current, desired, changes, params)`` ->
    object, ``delete(current, params)``, ``key_of(obj)`` -> natural key value and
    ``id_of(obj)`` -> server id.
    """

    key_field = "name"
    id_field = "id"

    def __init__(self, client):
        self.client = client

    def key_of(self, obj):
        return obj.get(self.key_field)

    def id_of(self, obj):
        return obj.get(self.id_field)

    def check_input(self, params, current):
        """Raise ``InputError`` for input the API would reject, from ``params`` and ``current`` alone (no
        call): a bulk task checks every item this way before its first write."""

    def validate(self, params, current):
        """Raise ``InputError`` for input the API would reject; runs before any write (may read)."""

    def reread(self, params):
        """``find`` from the server again (no cached listing): after a create whose answer was lost."""
        return self.find(params)

    def recovered(self, found, params):
        """What a create whose answer was lost returns once the re-read found the object. Override to
        raise ``InputError`` when that answer held something no read gives back (a key's value)."""
        return found

    def result_extras(self):
        """Extra result keys from the last write (e.g. the task an async delete started)."""
        return {}

    def prepare_bulk(self, items, index):
        """Called once by ``run_bulk`` before the items converge (``index``: key -> current object)."""

    def finish_bulk(self, results):
        """Called once by ``run_bulk`` after every item converged (e.g. to send batched writes);
        may mark entries of ``results`` failed (``failed``/``msg``)."""


def recover_create(exc, reread, resend, what):
    """The object of a create that failed with the ambiguous ``exc`` (the server may have processed it).

    ``reread()`` looks for it. When the server may still be working on it (read timeout, 504), it is
    re-read after each pause of the retry policy (for at least twice the read timeout); if it never
    shows up this raises one line rather than risk a second object. After a lost connection or a
    502 the server is done with the request: one re-read decides, and ``resend()`` sends a create
    that did not happen again.
    """
    found = reread()
    if found is not None:
        return found
    if not exc.pending:
        return resend()
    waited = 0.0
    # the server had as long again as twice the client waited for its answer
    for wait in (exc.retry.waits(2.0 * (exc.timeout or 0)) if exc.retry is not None else ()):
        exc.retry.sleep(wait)
        waited += wait
        found = reread()
        if found is not None:
            return found
    raise ApiError(exc.method, exc.path, exc.status, exc.code, "%s; the %s did not appear in %.0f s of re-reading, "
                   "so it was not sent again (no duplicate): run the task again" % (
                       exc.message or "no answer", what, waited), exc.request_id, exc.body)


class Engine:
    """Converges one object (``run``) or many (``run_bulk``) and reports Ansible results."""

    def __init__(self, module, spec, crud):
        self.module = module
        self.spec = spec
        self.crud = crud
        self.check_mode = module.check_mode

    # single object ---------------------------------------------------------------------

    def run(self):
        run_flow(self.module, self.find_and_converge)

    def find_and_converge(self):
        params = self.module.params
        if params.get("id") is not None:
            path_segment(params["id"], "id")  # ., .. and empty ids never reach a path
        try:
            current = self.crud.find(params)
        except ParentMissing as exc:
            if not self.check_mode:
                raise
            result = self.converge(params, None)  # what it would be once the parent exists (input still checked)
            result["msg"] = exc.pending("%s the %s" % ("create" if result["changed"] else "leave alone", self.spec.name))
            return result
        return self.converge(params, current)

    def converge(self, params, current):
        """Bring one object to ``params``; return the per-object result (never exits)."""
        spec, crud = self.spec, self.crud
        if params.get("state") == "absent":
            if current is None:
                return self._result(False, None, {}, {})
            if not self.check_mode:
                crud.delete(current, params)
            return self._result(True, None, spec.view(current, params), {}, deleted=True)

        creating = current is None
        if creating and params.get("id"):
            raise InputError("id %s: no such %s; leave id out to create one by %s" % (
                shorten(params["id"]), spec.name, spec.key.option if spec.key is not None else "its options"))
        if creating and spec.key is not None and params.get(spec.key.option) is None:
            raise InputError("%s is required to create %s" % (spec.key.option, with_article(spec.name)))
        spec.check(params, creating)
        spec.check_nested(params, current)
        crud.check_input(params, current)
        crud.validate(params, current)
        plans = [(rel, rel.plan(crud.client, current, params, pending=self.check_mode)) for rel in spec.relations]
        before = spec.view(current, params) if current else {}
        changed = False
        summary = {"created": True} if creating else {}
        unknown = []
        for relation, plan in plans:
            labels = sorted(str(label) for ident, label in (plan[1] if plan else {}).items()
                            if str(ident).startswith(PENDING))
            if labels:
                unknown.append("%s: %s" % (relation.option, ", ".join(labels)))
        if unknown:
            summary["msg"] = ("check mode: %s name nothing that exists yet; counted as added, as an earlier task may "
                              "create them (a run without --check fails if they still do not exist)" % "; ".join(unknown))
        if creating:
            desired = spec.desired(params, creating=True)
            changed = True
            obj = spec.desired(params, True, secrets=False) if self.check_mode else self._create(desired, params)
        else:
            obj = current
            changes = spec.changes(params, current)
            if changes:
                changed = True
                summary["changed_fields"] = [field.option for field, _wanted, _have in changes]
                desired = spec.desired(params, creating=False)
                obj = (spec.merged(current, spec.desired(params, False, secrets=False)) if self.check_mode
                       else crud.update(current, desired, changes, params))
        after = spec.view(obj, params)
        for relation, plan in plans:
            if plan is None:
                continue
            have, to_add, to_remove = plan
            if to_add or to_remove:
                changed = True
                summary.setdefault("memberships", {})[relation.option] = {
                    "added": sorted(str(v) for v in to_add.values()), "removed": sorted(str(v) for v in to_remove.values())}
                if not self.check_mode:
                    relation.apply(crud.client, obj, to_add, to_remove)
            before[relation.option] = sorted(have.values()) if not creating else []
            final = dict(have)
            final.update(to_add)
            for ident in to_remove:
                final.pop(ident, None)
            after[relation.option] = sorted(final.values())
        return self._result(changed, obj, before, after, **summary)

    def _create(self, desired, params):
        """Create; after an ambiguous failure (the request may have been processed) re-read before sending again."""
        try:
            return self.crud.create(desired, params)
        except ApiError as exc:
            if not exc.ambiguous:
                raise

            def reread():
                found = self.crud.reread(params)
                return None if found is None else self.crud.recovered(found, params)
            return recover_create(exc, reread, lambda: self.crud.create(desired, params), self.spec.name)

    def _result(self, changed, obj, before, after, **summary):
        """``summary``: what changed, without --diff (``created``, ``deleted``, ``changed_fields`` (option
        names), ``memberships`` ({option: {added, removed}})), for the roles' change summaries."""
        shown = without_paths(obj, [field.path for field in self.spec.fields if field.secret])
        result = {"changed": changed, self.spec.name: shown or {}, "diff": {"before": before, "after": after}}
        result.update(summary)
        if obj:
            result["id"] = self.crud.id_of(obj)
        result.update(self.crud.result_extras())
        return result

    # many objects ----------------------------------------------------------------------

    def check_item(self, item, index):
        """What ``converge`` would refuse in one item without asking the vendor: its key, the declared
        constraints and nested values. Checked for every item before the first write, so bad input
        never leaves a list half applied."""
        current = index.get(self.spec.key_normalize(item.get(self.spec.key.option)))
        key = item.get(self.spec.key.option)
        if isinstance(key, str) and (key == "" or CONTROL.search(key)):
            raise InputError("%s must not be empty or contain control characters (NUL, line breaks, tabs...)"
                             % self.spec.key.option)
        if item.get("state") != "absent":
            self.spec.check(item, creating=current is None and not item.get("id"))
            self.crud.check_input(item, current)
        self.spec.check_nested(item, current)

    def run_bulk(self, items, concurrency=8, option=None):
        """Converge a list of objects with one listing read and bounded concurrent writes.

        Each item is the module's params with the item's own options on top (from list option
        ``option``). A failing item is reported and does not stop the others; nested input the vendor
        document forbids fails the task before any write.
        """
        pending = None
        try:
            index = {}
            try:
                for obj in self.crud.list_all():
                    index[self.spec.key_normalize(self.crud.key_of(obj))] = obj
            except ParentMissing as exc:
                if not self.check_mode:
                    raise
                pending = exc.pending("create these %ss" % self.spec.name)  # every item as it would be created
            self.crud.prepare_bulk(items, index)
            for number, item in enumerate(items):
                try:
                    self.check_item(item, index)
                except InputError as exc:
                    raise InputError("%s[%d].%s" % (option, number, exc) if option else exc)
        except InputError as exc:
            self.module.fail_json(msg=message(exc))
        except ApiError as exc:
            self.module.fail_json(msg=str(exc), error=exc.as_dict())

        diffs = {}

        def one(item):
            # Per item only what a later task needs (key, id, changed): the objects of thousands of
            # items would make the result, and every copy Ansible and AWX keep of it, megabytes.
            key = item.get(self.spec.key.option)
            current = index.get(self.spec.key_normalize(key))
            try:
                res = self.converge(item, current)
            except (InputError, ApiError) as exc:
                return {"item": key, "failed": True, "changed": False, "msg": message(exc)}
            if res["changed"] and self.module._diff:
                diffs[key] = res["diff"]
            out = dict(item=key, changed=res["changed"], **({"id": res["id"]} if res.get("id") else {}))
            # created: what a later task needs to act on new objects only (welcome mail, enrolment); with the
            # other summary keys, what the roles' change summaries list without --diff
            out.update((k, res[k]) for k in ("created", "deleted", "changed_fields", "memberships") if k in res)
            return out

        with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
            results = list(pool.map(one, items))
        self.crud.finish_bulk(results)
        failed = [r for r in results if r.get("failed")]
        summary = {"changed": any(r["changed"] for r in results), "results": results}
        if pending:
            summary["msg"] = pending
        if option:
            # Ansible echoes every argument back as invocation.module_args: thousands of items
            # would double the result that the module masks, the controller copies and AWX stores.
            summary["invocation"] = {"module_args": dict(self.module.params, **{
                option: "%d items; results lists them in order" % len(items)})}
        if self.module._diff:  # one diff for --diff: the changed items by key
            summary["diff"] = dict((side, dict((key, diff[side]) for key, diff in sorted(diffs.items())))
                                   for side in ("before", "after"))
        if failed:
            self.module.fail_json(msg="%d of %d items failed: %s" % (
                len(failed), len(results), "; ".join("%s: %s" % (r["item"], r["msg"]) for r in failed[:5])),
                failed_items=[r["item"] for r in failed], **summary)
        self.module.exit_json(**summary)


def run_flow(module, flow):
    """Run ``flow()`` -> result dict and exit with it: input and API errors fail in one line, and the
    result's ``diff`` is shown only with ``--diff``. Every module that is more than the engine ends here."""
    try:
        result = flow()
    except ParentMissing as exc:
        if not module.check_mode or module._name.endswith("_info"):
            module.fail_json(msg=message(exc))
        module.exit_json(changed=True, msg=exc.pending("run this task"))
    except InputError as exc:
        module.fail_json(msg=message(exc))
    except ApiError as exc:
        module.fail_json(msg=message(exc), error=exc.as_dict())
    if not module._diff:
        result.pop("diff", None)
    module.exit_json(**result)


def run_info(module, name, read):
    """Run an info module: ``read(params)`` returns the objects, reported under ``name``."""
    run_flow(module, lambda: {"changed": False, name: list(read(module.params))})
