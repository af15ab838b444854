# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The people role's plan: the items of its bulk tasks from the list of people and the vendors' state, in one pass."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible.module_utils.parsing.convert_bool import boolean
from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import NAME_PATTERN

STATES = ("present", "suspended", "absent")
USER_TYPES = ("Personal", "Service")
DEFAULTS = {"user_type": "Personal", "enroll": True, "activation_email": True, "delivery_method": "EMAIL",
            "beyond_identity": True, "finbourne": True, "suspend_remove_groups": False,
            "suspend_deactivate": False}
# the keys of a person, their sub-dictionaries and their types (str, bool, [str] or a tuple of choices)
SCHEMA = {"username": str, "display_name": str, "first_name": str, "last_name": str, "email": str, "state": STATES,
          "beyond_identity": {"enabled": bool, "groups": [str], "enroll": bool},
          "finbourne": {"enabled": bool, "login": str, "type": USER_TYPES, "roles": [str], "activation_email": bool}}
# what the vendors' documents allow in the fields the role writes: (min, max) lengths (Beyond Identity names also
# match NAME_PATTERN), checked before the first write since a later task would refuse them after earlier ones wrote
BI_NAME = (1, 64)
FBN_LENGTHS = {"first_name": (1, 50), "last_name": (2, 50), "email_address": (5, 80), "login": (5, 80)}
# FINBOURNE statuses: created without an activation email yet, and deactivated (DeleteUser without purge)
STAGED = "STAGED"
DEPROVISIONED = "DEPROVISIONED"


def _kind(value):
    # the base type, not ansible-core 2.19's tagged subclasses of it (_AnsibleTaggedStr ...)
    name = next((name for types, name in (((list, tuple), "list"), (dict, "dict"), (bool, "bool"), (str, "str"),
                                          (int, "int"), (float, "float")) if isinstance(value, types)),
                type(value).__name__)
    return ("an " if name[0] in "aeiou" else "a ") + name


def _check(value, spec, where, errors):
    """``value`` checked against ``spec``; returns the value to use (None when absent or wrong)."""
    if value is None:
        return None
    if isinstance(spec, dict):
        if not isinstance(value, dict):
            errors.append("%s must be a dict, not %s" % (where, _kind(value)))
            return None
        unknown = sorted(set(value) - set(spec), key=str)
        if unknown:
            errors.append("%s: unknown key %s (allowed: %s)" % (where, ", ".join(map(str, unknown)), ", ".join(spec)))
        return dict((k, _check(value.get(k), sub, "%s.%s" % (where, k), errors)) for k, sub in spec.items())
    if isinstance(spec, list):
        if not isinstance(value, (list, tuple)):
            errors.append("%s must be a list of strings, not %s" % (where, _kind(value)))
            return None
        items = [_check(v, str, "%s[%d]" % (where, n), errors) for n, v in enumerate(value)]
        return [v for v in items if v is not None]
    if spec is bool:
        try:
            return boolean(value, strict=True)
        except TypeError:
            errors.append("%s must be true or false, not %r" % (where, value))
            return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        errors.append("%s must be a string, not %s" % (where, _kind(value)))
        return None
    value = str(value)
    if isinstance(spec, tuple) and value not in spec:
        errors.append("%s must be one of %s, not %r" % (where, ", ".join(spec), value))
        return None
    return value


def _length(where, value, bounds, errors, pattern=None):
    if value is not None and not (bounds[0] <= len(value) <= bounds[1]):
        errors.append("%s must be %d to %d characters, not %d" % (where, bounds[0], bounds[1], len(value)))
    elif value is not None and pattern and not re.match(pattern, value):
        errors.append("%s must not contain any of {}[]<>;:?\\/|*^%%$#=~`!, as Beyond Identity refuses them" % where)


def _index(records, key_of, email_of):
    by_key, by_email = {}, {}
    for record in records or []:
        by_key.setdefault((key_of(record) or "").lower(), record)
        email = (email_of(record) or "").lower()
        if email:
            by_email.setdefault(email, []).append(record)
    return by_key, by_email


def _find(index, keys):
    """The record whose key is one of ``keys``, else the only record whose email is one of them."""
    by_key, by_email = index
    for key in keys:
        if key in by_key:
            return by_key[key]
    for key in keys:
        if len(by_email.get(key, ())) == 1:
            return by_email[key][0]
    return None


def _traits(identity):
    return (identity or {}).get("traits") or {}


def _unknown(where, refs, known, fold, what, errors):
    """Group or role references (ids, or names as the module matches them) that name no object: the bulk task
    would fail them after the items before had been written. ``known``: the objects' (ids, names)."""
    ids, names = known
    missing = [ref for ref in refs or [] if ref not in ids and fold(ref) not in names]
    if missing:
        errors.append("%s: %s names no %s" % (where, ", ".join(repr(ref) for ref in missing), what))


def people_plan(people, settings=None, identities=None, credentials=None, users=None, groups=None, roles=None):
    """The items of the people role's bulk tasks, decided from the list and from the vendors' state.

    ``identities``: the realm's Beyond Identity identities; ``credentials``: its ACTIVE credentials; ``users``:
    the FINBOURNE users (deactivated ones included). A vendor whose state is None is planned from the list alone.
    ``groups``, ``roles``: the realm's groups and the FINBOURNE roles, to name an unknown one before any write
    (not in check mode, where an earlier task may be one that would create it).
    Returns {bi, suspended, enroll, fbn, activate, not_found: {beyond_identity, finbourne}, errors}."""
    opts = dict(DEFAULTS, **(settings or {}))
    plan = {"bi": [], "suspended": [], "enroll": [], "fbn": [], "activate": [],
            "not_found": {"beyond_identity": [], "finbourne": []}, "errors": []}
    errors = plan["errors"]
    if not isinstance(people, (list, tuple)):
        errors.append("people_list must be a list of people, not %s" % _kind(people))
        return plan
    bi_index = _index(identities, lambda i: _traits(i).get("username"), lambda i: _traits(i).get("primary_email_address"))
    fbn_index = _index(users, lambda u: u.get("login"), lambda u: u.get("emailAddress"))
    enrolled = set(c.get("identity_id") for c in credentials or [])
    seen = ({}, {})  # Beyond Identity usernames and FINBOURNE logins planned so far: the item that named each
    for n, raw in enumerate(people):
        where = "people_list[%d]" % n
        found = len(errors)
        person = _check(raw, SCHEMA, where, errors)
        if person is not None and not person["username"] and len(errors) == found:
            errors.append("%s.username is required (a non-empty string)" % where)
        if len(errors) > found:
            continue
        state = person["state"] or "present"
        bi = person["beyond_identity"] or {}
        fbn = person["finbourne"] or {}
        on_fbn = opts["finbourne"] and fbn.get("enabled") is not False
        keys = [k.lower() for k in (person["username"], person["email"], fbn.get("login")) if k]
        identity = user = None
        if state == "present":
            identity = bi_index[0].get(person["username"].lower())
        else:
            identity = _find(bi_index, keys)
            user = _find(fbn_index, keys + [(_traits(identity).get("primary_email_address") or "").lower()]) \
                if on_fbn else None
            if identity is None and user is not None:
                identity = _find(bi_index, [(user.get(k) or "").lower() for k in ("login", "emailAddress")])
        if not boolean(opts.get("check_mode", False), strict=False) and state != "absent":
            if groups is not None and opts["beyond_identity"] and bi.get("enabled") is not False:
                known = (set(g.get("id") for g in groups), set(g.get("display_name") for g in groups))
                _unknown(where + ".beyond_identity.groups", bi.get("groups"), known, lambda r: r,
                         "Beyond Identity group of the realm (id or display name)", errors)
            if roles is not None and on_fbn:
                known = (set(r.get("id") for r in roles), set((r.get("name") or "").lower() for r in roles))
                _unknown(where + ".finbourne.roles", fbn.get("roles"), known, lambda r: r.lower(),
                         "FINBOURNE role (id or name)", errors)
        if opts["beyond_identity"] and bi.get("enabled") is not False:
            before = len(plan["bi"])
            _plan_identity(plan, opts, where, person, state, identity, identities is not None, enrolled)
            _unique(plan["bi"][before:], "username", where, "Beyond Identity identity", seen[0], errors)
        if on_fbn:
            before = len(plan["fbn"])
            _plan_user(plan, opts, where, person, state, identity, user, fbn_index, users is not None)
            _unique(plan["fbn"][before:], "login", where, "FINBOURNE user", seen[1], errors)
    return plan


def _unique(items, key, where, what, seen, errors):
    """Two people of the list that are one object on a vendor would undo each other's changes on every run."""
    for item in items:
        name = item[key].lower()
        if name in seen:
            errors.append("%s and %s are the same %s %s; list each person once" % (seen[name], where, what, item[key]))
        seen.setdefault(name, where)


def _plan_identity(plan, opts, where, person, state, identity, known, enrolled):
    bi = person["beyond_identity"] or {}
    if state != "present" and identity is None:
        if known:
            plan["not_found"]["beyond_identity"].append(person["username"])
            return
        identity = {"traits": {"username": person["username"]}}
    username = _traits(identity).get("username") if identity else person["username"]
    names = " ".join(n for n in (person["first_name"], person["last_name"]) if n).strip()
    item = {"username": username, "state": "absent" if state == "absent" else "present"}
    if state != "absent":
        item["status"] = "suspended" if state == "suspended" else "active"
        if state == "present" or person["display_name"] or names:
            item["display_name"] = person["display_name"] or names or username
        if person["email"]:
            item["email"] = person["email"]
        if state == "suspended" and opts["suspend_remove_groups"]:
            item["groups"] = []
        elif bi.get("groups") is not None:
            item["groups"] = bi["groups"]
    if state == "present":
        _length(where + ".username", username, BI_NAME, plan["errors"], NAME_PATTERN)
        _length(where + ".display_name", item["display_name"], BI_NAME, plan["errors"], NAME_PATTERN)
    plan["bi"].append(item)
    if state == "suspended":
        plan["suspended"].append(username)
    wants = bi["enroll"] if bi.get("enroll") is not None else opts["enroll"]
    # enrol from the vendor's state: an identity without an active credential (the binding job module skips
    # one whose job is still pending), so that a run that failed after creating it is finished by the next
    if state == "present" and wants and (identity is None or identity.get("id") not in enrolled):
        if opts["delivery_method"] == "EMAIL" and not (person["email"] or _traits(identity).get("primary_email_address")):
            plan["errors"].append("%s.email is required to enrol %s by EMAIL (people_beyond_identity_delivery_method); "
                                  "or set %s.beyond_identity.enroll: false" % (where, person["username"], where))
        plan["enroll"].append(username)


def _plan_user(plan, opts, where, person, state, identity, user, index, known):
    fbn = person["finbourne"] or {}
    if state != "present":
        if user is None:
            if known:
                plan["not_found"]["finbourne"].append(person["username"])
                return
            user = {"login": fbn.get("login") or person["email"] or person["username"]}
        if (user.get("status") or "").upper() == DEPROVISIONED:
            return  # already deactivated: FINBOURNE took its roles and sign-in away
        deactivate = state == "absent" or opts["suspend_deactivate"]
        item = {"login": user["login"], "state": "absent" if deactivate else "present"}
        if not deactivate:
            item["roles"] = []
        plan["fbn"].append(item)
        return
    login = fbn.get("login") or person["email"] or _traits(identity).get("primary_email_address") \
        or person["username"]
    # an explicit login names the user; otherwise the user whose login, else whose email address, it is
    user = (index[0].get(login.lower()) if fbn.get("login") else _find(index, [login.lower()])) if known else None
    if user is None:
        missing = [k for k in ("first_name", "last_name", "email") if not person[k]]
        if "@" not in login:
            plan["errors"].append("%s: FINBOURNE logins are email addresses, %r is not one; give %s.email or "
                                  "%s.finbourne.login (or finbourne.enabled: false)" % (where, login, where, where))
        elif known and missing:
            plan["errors"].append("%s: %s required to create the FINBOURNE user %s (or set finbourne.enabled: false)"
                                  % (where, ", ".join("%s.%s" % (where, k) for k in missing), login))
    elif (user.get("status") or "").upper() == DEPROVISIONED:
        plan["errors"].append("%s: the FINBOURNE user %s is deactivated, and FINBOURNE has no call to reactivate it "
                              "(purge it with identity.cloud.finbourne_user purge: true to create it again)"
                              % (where, user["login"]))
        return
    values = {"first_name": person["first_name"], "last_name": person["last_name"], "email_address": person["email"],
              "type": fbn.get("type") or (opts["user_type"] if user is None else None), "roles": fbn.get("roles")}
    item = {"login": user["login"] if user else login, "state": "present"}
    item.update((k, v) for k, v in values.items() if v is not None and (v != "" or k == "roles"))
    for key, option in (("first_name", "first_name"), ("last_name", "last_name"), ("email_address", "email")):
        _length("%s.%s" % (where, option), item.get(key), FBN_LENGTHS[key], plan["errors"])
    if user is None:
        _length(where + ".finbourne.login", fbn.get("login"), FBN_LENGTHS["login"], plan["errors"])
    plan["fbn"].append(item)
    wants = fbn["activation_email"] if fbn.get("activation_email") is not None else opts["activation_email"]
    # CreateUser sends the activation email itself; a STAGED user (created without one) is sent it here
    if wants and user is not None and (user.get("status") or "").upper() == STAGED:
        plan["activate"].append(user["login"])


def people_leavers(keys, state="suspended"):
    """[{username: key, state: state}] for each key (a username, email address or FINBOURNE login)."""
    return [{"username": key, "state": state} for key in keys or []]


class FilterModule(object):
    def filters(self):
        return {"people_plan": people_plan, "people_leavers": people_leavers}
