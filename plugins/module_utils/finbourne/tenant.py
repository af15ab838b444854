# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""FINBOURNE tenant settings and credentials: applications, personal access tokens, the password
policy, support access, SCIM, the user schema, and the caller's own session and password."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

from ansible.module_utils.six.moves.urllib.parse import quote

from ansible_collections.identity.cloud.plugins.module_utils.finbourne import Collection, fold
from ansible_collections.identity.cloud.plugins.module_utils.http_client import ApiError
from ansible_collections.identity.cloud.plugins.module_utils.resource import Crud, InputError, merge, run_flow, shorten

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

    def recovered(self, found, params):
        raise InputError("display_name %s: the key was created but the answer carrying its value was lost; "
                         "delete it (state: absent) and create it again" % shorten(params["display_name"]))

    def delete(self, current, params):
        self.client.delete(self.item_path(current["id"]))


def _live(key):
    deactivation = instant(key.get("deactivationDate"))
    return not isinstance(deactivation, datetime.datetime) or deactivation > datetime.datetime.now(
        datetime.timezone.utc)


def rotate_secret(engine, client, params):
    """finbourne_application: converge, then RotateApplicationSecrets when ``rotate_secret`` (always changed)."""

    def flow():
        current = engine.crud.find(params)
        result = engine.converge(params, current)
        if params.get("state") == "present" and params.get("rotate_secret") and current is not None:
            result.update(changed=True, reason="rotate_secret always issues a new secret")
            if not engine.module.check_mode:
                result["application"] = client.post(engine.crud.item_path(current["id"]) + "/lifecycle/$newsecret").data
        return result

    run_flow(engine.module, flow)


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


def run_user_schema(module, client, properties):
    """finbourne_user_schema: the given alternative user id properties exist with their descriptions (names
    compared case-insensitively); others are kept unless ``exclusive``. ``properties``: the item Fields."""
    params = module.params
    wanted = [{"name": p["name"], "description": p.get("description") or ""} for p in params["alternative_user_ids"]]

    def flow():
        for number, prop in enumerate(wanted):
            for field in properties:
                problem = field.problem(prop[field.option])
                if problem:
                    raise InputError("alternative_user_ids[%d].%s %s" % (number, field.option, problem))
        current = client.get(USER_SCHEMA_PATH).data or {}
        names = set(fold(p["name"]) for p in wanted)
        kept = [] if params["exclusive"] else [p for p in current.get("alternativeUserIds") or []
                                               if fold(p.get("name")) not in names]
        after = {"alternativeUserIds": kept + wanted}
        if len(after["alternativeUserIds"]) > USER_SCHEMA_MAX:
            raise InputError("alternative_user_ids: the schema would have %d properties; FINBOURNE allows %d"
                             % (len(after["alternativeUserIds"]), USER_SCHEMA_MAX))
        changed = schema_properties_changed(current, wanted, params["exclusive"])
        if changed and not module.check_mode:
            after = client.put(USER_SCHEMA_PATH, after).data
        return {"changed": changed, "user_schema": after if changed else current,
                "diff": {"before": current, "after": after if changed else current}}

    run_flow(module, flow)


USER_SCHEMA_PATH = "/api/users/schema"
USER_SCHEMA_MAX = 10  # UpdateUserSchemaRequest.alternativeUserIds maxItems


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


class PasswordPolicy(Singleton):
    """GetPasswordPolicy / UpdatePasswordPolicy of one user type; the nested fields are checked against
    ``nested`` ({option: [Field, ...]}) before any write."""

    def __init__(self, client, user_type, nested):
        super(PasswordPolicy, self).__init__(client, "/api/authentication/password-policy/%s" % user_type)
        self.nested = nested

    def validate(self, params, current):
        check_nested(params, self.nested)


def check_nested(params, nested):
    """Raise ``InputError`` for the first suboption value that breaks its declared ``Field`` constraints."""
    for option, fields in sorted(nested.items()):
        values = params.get(option) or {}
        for field in fields:
            problem = field.problem(values.get(field.option))
            if problem:
                raise InputError("%s.%s %s" % (option, field.option, problem))


def without_none(value):
    """A suboption dict without the keys the task left out."""
    return dict((k, v) for k, v in value.items() if v is not None) if isinstance(value, dict) else value


SUPPORT_PATH = "/api/authentication/support"


class SupportAccess(Crud):
    """Support access: present = an equivalent grant is active (else GrantSupportAccess); absent = no grant
    is active (else InvalidateSupportAccess, which ends them all)."""

    def find(self, params):
        grants = self.client.get(SUPPORT_PATH).data or []
        if params.get("state") == "absent":
            active = active_grants(grants)
            return {"id": None, "active": active} if active else None
        return equivalent_grant(grants, params)

    def create(self, desired, params):
        return self.client.post(SUPPORT_PATH, desired).data

    def delete(self, current, params):
        self.client.delete(SUPPORT_PATH)


def read_support(client, params):
    """finbourne_support_access_info: the support roles and the history (optionally between start and end)."""
    query = dict((k, params[k]) for k in ("start", "end") if params.get(k))
    history = client.get(SUPPORT_PATH, params=query or None).data or []
    roles = (client.get("/api/authentication/support-roles").data or {}).get("supportRoles") or []
    return {"support_roles": roles, "history": history, "active": active_grants(history)}


def run_call(module, call, reason, **result):
    """Run an action the API cannot compare: always ``changed`` with ``reason``; check mode sends nothing.

    ``call()`` returns extra result keys (or None)."""

    def flow():
        if not module.check_mode:
            result.update(call() or {})
        return dict(result, changed=True, reason=reason)

    run_flow(module, flow)


SCIM_PATH = "/api/identityprovider/scim"


def run_scim(module, client):
    """finbourne_scim. FINBOURNE has no read for SCIM: V(ensure) is itself idempotent on the server (it answers
    no token when SCIM is already on), so the module sends it and reports what the answer says."""
    params = module.params
    if params["state"] == "absent":
        run_call(module, lambda: client.delete(SCIM_PATH) and None,
                 "FINBOURNE has no read for SCIM, so removing it always reports a change")
    query = {"apiTokenAction": params["api_token_action"]}
    if params.get("old_api_token_deactivation"):
        query["oldApiTokenDeactivation"] = params["old_api_token_deactivation"]
    if module.check_mode:
        module.exit_json(changed=True, reason="FINBOURNE has no read for SCIM; check mode cannot tell whether "
                                              "%s would change anything" % params["api_token_action"])
    try:
        # Not replayed after a lost answer: the lost answer may have held the only copy of a new token,
        # and a second ``ensure`` would answer "already on" without one.
        answer = client.put(SCIM_PATH, params=query, idempotent=False).data or {}
    except ApiError as exc:
        if exc.ambiguous:
            module.fail_json(msg="%s; SCIM may now be on with a token this task never received: run again with "
                                 "api_token_action=regenerate to get a new one" % exc, error=exc.as_dict())
        module.fail_json(msg=str(exc), error=exc.as_dict())
    token = answer.get("apiToken")
    result = {"changed": bool(token), "scim": {"baseUrl": answer.get("baseUrl")}}
    if token:
        result["api_token"] = token
    module.exit_json(**result)


def run_user_schema_info(module, client):
    run_flow(module, lambda: {"changed": False, "user_schema": client.get(USER_SCHEMA_PATH).data or {}})


def read_password_policies(client, params):
    types = [params["user_type"]] if params.get("user_type") else ["Personal", "Service"]
    return [dict(client.get("/api/authentication/password-policy/%s" % t).data or {}, userType=t) for t in types]


def read_applications(client, params):
    if params.get("id"):
        app = client.get_or_none("/api/applications/%s" % quote(params["id"], safe=""))
        return [app] if app else []
    apps = client.list_all("/api/applications")
    if params.get("application_client_id"):
        apps = [a for a in apps if fold(a.get("clientId")) == fold(params["application_client_id"])]
    return apps


def schema_properties_changed(current, wanted, exclusive):
    """Whether a wanted property is missing or differs (name case, description), or ``exclusive`` drops one."""
    have = dict((fold(p.get("name")), p) for p in current.get("alternativeUserIds") or [])
    for prop in wanted:
        found = have.get(fold(prop["name"]))
        if found is None or (found.get("description") or "") != (prop.get("description") or ""):
            return True
    return exclusive and len(have) != len(set(fold(p["name"]) for p in wanted))
