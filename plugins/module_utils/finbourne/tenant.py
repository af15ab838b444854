# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""FINBOURNE tenant settings and credentials: applications, personal access tokens, the password
policy, support access, SCIM, the user schema, and the caller's own session and password."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

from ansible_collections.identity.cloud.plugins.module_utils.finbourne import Collection, fold
from ansible_collections.identity.cloud.plugins.module_utils.http_client import ApiError
from ansible_collections.identity.cloud.plugins.module_utils.resource import Crud, InputError, get_path, merge, MISSING

CANNOT = "%s cannot change: FINBOURNE has no update for %s; delete it (state: absent) and create it again"


def instant(value):
    """An ISO-8601 date-time as an aware UTC datetime (for comparing), or the value unchanged."""
    if not isinstance(value, str):
        return value
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    if "." in text:  # fromisoformat of older Pythons takes 3 or 6 fraction digits only
        head, rest = text.split(".", 1)
        digits = "".join(c for c in rest if c.isdigit())
        text = head + "." + (digits + "000000")[:6] + rest[len(digits):]
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.astimezone(datetime.timezone.utc)


def fixed_fields(spec, params, current, what):
    """Fail (one line, before any write) when a field the API cannot update differs from ``current``."""
    for field, _wanted, _have in spec.changes(params, current):
        raise InputError(CANNOT % (field.option, what))


class CreateOnly(Collection):
    """A collection with create, read and delete only (applications, personal access tokens)."""

    def __init__(self, client, path, key_field, key_option, kind, spec):
        super(CreateOnly, self).__init__(client, path, key_field=key_field, kind=kind, key_option=key_option,
                                         key_fixed=True)
        self.spec = spec

    def validate(self, params, current):
        if current is not None:
            fixed_fields(self.spec, params, current, self.kind + "s")


class ApiKeys(CreateOnly):
    """Personal access tokens of the caller, by display name (unique among the caller's live keys)."""

    def find(self, params):
        for key in self.list_all():
            if key.get("displayName") == params.get("display_name") and _live(key):
                return key
        return None

    def delete(self, current, params):
        self.client.delete(self.item_path(current["id"]))


def _live(key):
    deactivation = instant(key.get("deactivationDate"))
    return not isinstance(deactivation, datetime.datetime) or deactivation > datetime.datetime.now(
        datetime.timezone.utc)


def rotate_secret(engine, client, params):
    """finbourne_application: converge, then RotateApplicationSecrets when ``rotate_secret`` (always changed)."""
    module = engine.module
    try:
        current = engine.crud.find(params)
        result = engine.converge(params, current)
        if params.get("state") == "present" and params.get("rotate_secret") and current is not None:
            result.update(changed=True, reason="rotate_secret always issues a new secret")
            if not module.check_mode:
                result["application"] = client.post(engine.crud.item_path(current["id"]) + "/lifecycle/$newsecret").data
    except InputError as exc:
        module.fail_json(msg=str(exc))
    except ApiError as exc:
        module.fail_json(msg=str(exc), error=exc.as_dict())
    if not module._diff:
        result.pop("diff", None)
    module.exit_json(**result)


class Singleton(Crud):
    """One object per path (the password policy of a user type, the user schema): GET and PUT.

    The PUT carries the whole object: the current one with the task's values merged in.
    """

    def __init__(self, client, path):
        super(Singleton, self).__init__(client)
        self.path = path

    def find(self, params):
        return self.client.get(self.path).data

    def id_of(self, obj):
        return None

    def update(self, current, desired, changes, params):
        return self.client.put(self.path, self.body(current, desired)).data

    def body(self, current, desired):
        return merge(current, desired)


class UserSchema(Singleton):
    """The user schema: ``alternativeUserIds`` properties by name (case-insensitive); the given ones are
    added or updated, others kept unless ``exclusive``."""

    def body(self, current, desired):
        wanted = desired.get("alternativeUserIds") or []
        names = set(fold(p["name"]) for p in wanted)
        kept = [] if self.exclusive else [p for p in current.get("alternativeUserIds") or []
                                          if fold(p.get("name")) not in names]
        return {"alternativeUserIds": kept + wanted}

    exclusive = False


def schema_properties_changed(current, wanted, exclusive):
    have = dict((fold(p.get("name")), p) for p in current.get("alternativeUserIds") or [])
    for prop in wanted:
        found = have.get(fold(prop["name"]))
        if found is None or found.get("name") != prop["name"] or (found.get("description") or "") != (
                prop.get("description") or ""):
            return True
    return exclusive and len(have) != len(set(fold(p["name"]) for p in wanted))


def equivalent_grant(grants, params, now=None):
    """An active support access grant (not terminated, not expired) with the wanted roles and description."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    for grant in grants or []:
        expiry = instant(grant.get("expiry"))
        if grant.get("terminated") or not isinstance(expiry, datetime.datetime) or expiry <= now:
            continue
        if params.get("permitted_roles") is not None and sorted(grant.get("permittedRoles") or []) != sorted(
                params["permitted_roles"]):
            continue
        if params.get("description") is not None and grant.get("description") != params["description"]:
            continue
        return grant
    return None


def active_grants(grants, now=None):
    now = now or datetime.datetime.now(datetime.timezone.utc)
    return [g for g in grants or [] if not g.get("terminated") and isinstance(instant(g.get("expiry")), datetime.datetime)
            and instant(g["expiry"]) > now]


def value_at(obj, dotted):
    value = get_path(obj, tuple(dotted.split(".")))
    return None if value is MISSING else value
