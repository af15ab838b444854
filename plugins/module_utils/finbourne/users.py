# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""FINBOURNE users: CRUD by login (case-insensitive), their roles, lifecycle calls."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading
from concurrent.futures import ThreadPoolExecutor

from ansible.module_utils.six.moves.urllib.parse import quote

from ansible_collections.identity.cloud.plugins.module_utils.auth import StaticToken
from ansible_collections.identity.cloud.plugins.module_utils.finbourne import Collection, fold
from ansible_collections.identity.cloud.plugins.module_utils.http_client import ApiError
from ansible_collections.identity.cloud.plugins.module_utils.resource import InputError, Membership, MissingReferences, shorten

USERS_PATH = "/api/users"
WITH_ROLES = {"includeRoles": "true"}
UPDATE_FIELDS = ("firstName", "lastName", "emailAddress", "secondEmailAddress", "login", "alternativeUserIds")
CREATE_MAX_ROLES = 20  # CreateUserRequest.roles maxItems


class Directory:
    """The API client plus what several users of one task share: the role listing (read once)."""

    def __init__(self, client):
        self.client = client
        self._roles = None
        self._lock = threading.Lock()

    def __getattr__(self, name):
        return getattr(self.client, name)

    def roles(self):
        with self._lock:
            if self._roles is None:
                self._roles = list(self.client.list_all("/api/roles"))
            return self._roles

    def resolve_roles(self, refs, option="roles"):
        """Role references (id, or name case-insensitively) -> {role id: role name}; unknown ones fail."""
        by_id = dict((r["id"], r) for r in self.roles())
        by_name = dict((fold(r["name"]), r) for r in self.roles())
        out, unknown = {}, []
        for ref in refs:
            role = by_id.get(ref) or by_name.get(fold(ref))
            if role is None:
                unknown.append(ref)
            else:
                out[role["id"]] = role["name"]
        if unknown:
            raise MissingReferences("%s: no FINBOURNE role with id or name %s" % (
                option, ", ".join(shorten(u) for u in sorted(unknown))), out, unknown)
        return out

    def role(self, role_id):
        return next(r for r in self.roles() if r["id"] == role_id)


def is_deprovisioned(user):
    return fold(user.get("status") or "") == "deprovisioned"


def user_path(user_id, suffix=""):
    return "%s/%s%s" % (USERS_PATH, quote(str(user_id), safe=""), suffix)


def _held_roles(directory, user):
    """{role id: name} the user holds: from the object when it came with its roles, else one GET."""
    roles = user.get("roles")
    if roles is None:
        roles = (directory.client.get(user_path(user["id"]), params=WITH_ROLES).data or {}).get("roles") or []
    return dict((r["id"], r.get("name")) for r in roles)


def _change_roles(directory, user, ids, add):
    held = dict((r["id"], True) for r in user.get("roles") or [])
    for role_id in ids:
        path = "/api/roles/%s/users/%s" % (quote(role_id, safe=""), quote(user["id"], safe=""))
        if add and role_id not in held:  # a role the create request already gave is not added again
            directory.client.put(path)
        elif not add:
            directory.client.delete(path)


def user_roles_relation():
    """``roles`` of a user, by role name or id; added and removed with AddUserToRole / RemoveUserFromRole."""
    return Membership(
        "roles",
        resolve=lambda directory, refs: directory.resolve_roles(refs),
        current=_held_roles,
        add=lambda directory, user, ids: _change_roles(directory, user, ids, True),
        remove=lambda directory, user, ids: _change_roles(directory, user, ids, False),
    )


class UserCrud(Collection):
    """Users by login (case-insensitive) or id, read with their roles.

    A new user gets its roles in the CreateUser request itself (up to 20, the request's limit):
    one call instead of one per role. Later role changes use AddUserToRole / RemoveUserFromRole
    (UpdateUser's ``roles`` is deprecated). UpdateUser takes the whole editable record, so the
    current values are sent for the fields the task leaves out; ``alternativeUserIds`` are merged
    (keys not given are kept). The user type cannot change.
    """

    def __init__(self, client):
        super(UserCrud, self).__init__(Directory(client), USERS_PATH, key_field="login", kind="user",
                                       update_fields=UPDATE_FIELDS, list_query=WITH_ROLES)

    def find(self, params):
        """The user by id or login, deprovisioned ones included: a deprovisioned user is absent, except
        to purge it; creating over one fails (its login stays taken until it is purged)."""
        found = super(UserCrud, self).find(dict(params, state="absent"))
        if found is None and params.get("id") and params.get("state") != "absent":
            return super(UserCrud, self).find(params)  # fails: the id names no user
        if found is None or not is_deprovisioned(found):
            return found
        return found if params.get("state") != "absent" or params.get("purge") else None

    def list_all(self):
        return self.client.list_all(self.path, params=dict(WITH_ROLES, includeDeactivated="true"))

    def prepare_bulk(self, items, index):
        """Deprovisioned users are absent to the items, except those that purge or recreate them."""
        kept = set(fold(i.get("login")) for i in items if i.get("state") != "absent" or i.get("purge"))
        for key in [k for k, user in index.items() if is_deprovisioned(user) and k not in kept]:
            del index[key]

    def validate(self, params, current):
        if current and is_deprovisioned(current):
            raise InputError("login %s belongs to deprovisioned user %s; purge it first (state: absent, purge: true)"
                             % (shorten(current.get("login")), current.get("id")))
        user_type = (current or {}).get("type") or params.get("type")
        if params.get("second_email_address") and fold(user_type) != "service":
            raise InputError("second_email_address is allowed for Service users only (this user is %s)" % user_type)
        if current and params.get("type") and fold(params["type"]) != fold(current.get("type")):
            raise InputError("type cannot change: user %s is %s; FINBOURNE cannot change a user's type"
                             % (current.get("login"), current.get("type")))

    def create(self, desired, params):
        body = dict(desired)
        if params.get("roles") and params.get("roles_mode") != "remove":
            wanted = sorted(self.client.resolve_roles(params["roles"]))
            body["roles"] = [self.client.role(i)["roleId"] for i in wanted[:CREATE_MAX_ROLES]]
        return self.client.post(self.path, body).data

    def update(self, current, desired, changes, params):
        body = dict((k, v) for k, v in current.items() if k in self.update_fields and v is not None)
        alternative = dict(current.get("alternativeUserIds") or {})
        body.update((k, v) for k, v in desired.items() if k in self.update_fields)
        if "alternativeUserIds" in desired:
            alternative.update(desired["alternativeUserIds"])
            body["alternativeUserIds"] = alternative
        updated = self.client.put(self.item_path(self.id_of(current)), body).data
        if updated is not None and updated.get("roles") is None:
            updated = dict(updated, roles=current.get("roles"))  # UpdateUser answers without roles
        return updated

    def delete(self, current, params):
        query = {"purge": "true"} if params.get("purge") else None
        try:
            self.client.delete(self.item_path(self.id_of(current)), params=query)
        except ApiError as exc:
            # a DELETE sent again after its answer was lost finds the user already deprovisioned
            if query or exc.status != 409 or exc.code != "UserInADeletedState":
                raise


# -- lifecycle ------------------------------------------------------------------------------------

# action -> (API verb, statuses that need it (None: any, always run), what the module says when it skips)
LIFECYCLE = {
    "send_activation_email": ("activate", ("STAGED", "PROVISIONED"), "already activated"),
    "unlock": ("unlock", ("LOCKED_OUT",), "not locked out"),
    "unsuspend": ("unsuspend", ("SUSPENDED",), "not suspended"),
    "reset_password": ("resetpassword", None, None),
    "reset_factors": ("resetfactors", None, None),
    "expire_password": ("expirepassword", None, None),
}
ALWAYS_REASON = "%s is an action; FINBOURNE cannot tell whether it is needed, so it always runs"


def _status(user):
    return (user.get("status") or "").upper().replace(" ", "_")


def lifecycle_one(client, user, action, force, check_mode):
    """Run ``action`` on ``user`` when its status needs it (or ``force``); one result entry."""
    verb, needs, skip_reason = LIFECYCLE[action]
    out = {"item": user["login"], "id": user["id"], "status": user.get("status")}
    if needs is not None and _status(user) not in needs and not force:
        out.update(changed=False, msg="%s: user is %s" % (skip_reason, user.get("status")))
        return out
    out["changed"] = True
    if needs is None:
        out["reason"] = ALWAYS_REASON % action
    if not check_mode:
        answer = client.post(user_path(user["id"], "/lifecycle/$" + verb)).data
        if action == "expire_password" and isinstance(answer, dict) and answer.get("password"):
            out["temporary_password"] = answer["password"]
    return out


def resolve_targets(client, refs):
    """User references (id or login, case-insensitive) -> users in order, each once, one listing read; a
    reference that names no user stays a string."""
    by_id, by_login = {}, {}
    for user in client.list_all(USERS_PATH):
        by_id[user["id"]] = user
        by_login[fold(user["login"])] = user
    found, seen = [], set()
    for ref in refs:  # a user named twice (login in another case, or login and id) gets one call, not two emails
        target = by_id.get(ref) or by_login.get(fold(ref)) or ref
        key = target["id"] if isinstance(target, dict) else fold(target)
        if key not in seen:
            seen.add(key)
            found.append(target)
    return found


def run_lifecycle(module, client):
    """The finbourne_user_lifecycle task: one user (``login``/``id``) or many (``logins``).

    With ``logins`` every user found gets its call; a login that names no user is reported in its
    own entry, and the task fails at the end listing the failed entries (as a call that fails)."""
    params = module.params
    refs = params["logins"] if params["logins"] is not None else [params["id"] or params["login"]]
    option = "logins" if params["logins"] is not None else ("id" if params["id"] else "login")
    try:
        targets = resolve_targets(client, refs)
    except ApiError as exc:
        module.fail_json(msg=str(exc), error=exc.as_dict())
    if params["logins"] is None and not isinstance(targets[0], dict):
        module.fail_json(msg="%s: no FINBOURNE user with id or login %s" % (option, shorten(refs[0])))

    def one(user):
        if not isinstance(user, dict):
            return {"item": user, "changed": False, "failed": True, "msg": "no FINBOURNE user has this id or login"}
        try:
            return lifecycle_one(client, user, params["action"], params["force"], module.check_mode)
        except ApiError as exc:
            return {"item": user["login"], "id": user["id"], "changed": False, "failed": True, "msg": str(exc)}

    with ThreadPoolExecutor(max_workers=max(1, params.get("concurrency") or 1)) as pool:
        results = list(pool.map(one, targets))
    # not "results": Ansible shows a key of that name even for a no_log task (it takes it for loop results)
    summary = {"changed": any(r["changed"] for r in results), "users": results}
    if params["logins"] is None:
        summary.update((k, v) for k, v in results[0].items() if k in ("reason", "temporary_password", "msg"))
    failed = [r for r in results if r.get("failed")]
    if failed:
        summary.pop("msg", None)
        module.fail_json(msg="%d of %d users failed: %s" % (len(failed), len(results), "; ".join(
            "%s: %s" % (r["item"], r["msg"]) for r in failed[:5])), failed_items=[r["item"] for r in failed], **summary)
    module.exit_json(**summary)


def require_own_password_change(client):
    """``InputError`` unless SetPassword may succeed for the signed-in user (one read, GetUserInfo):
    the document allows it "only [to] Service users authenticated using OpenID" (a password sign-in,
    not a personal access token)."""
    if isinstance(client.auth, StaticToken):
        raise InputError("access_token: FINBOURNE sets a password only for a Service user signed in with a password "
                         "(username and password), not with a personal access token")
    me = client.get("/api/me").data or {}
    if fold(me.get("type")) != "service":
        raise InputError("username: FINBOURNE lets only Service users set their own password; %s is a %s user"
                         % (shorten(me.get("emailAddress") or me.get("id")), me.get("type")))


DIRECTORY_BATCH = 50  # ids per FindUsersById call


def read_users(client, params):
    """finbourne_user_info: by ``ids`` (FindUsersById), ``runnable``, ``id``, ``login`` or all users."""
    query = {}
    if params.get("include_roles"):
        query["includeRoles"] = "true"
    if params.get("include_deactivated"):
        query["includeDeactivated"] = "true"
    if params.get("ids") is not None:
        found = []
        for start in range(0, len(params["ids"]), DIRECTORY_BATCH):
            answer = client.get("/api/directory", params={"id": params["ids"][start:start + DIRECTORY_BATCH]}).data
            values = (answer or {}).get("values") or {}
            found.extend(values[i] for i in params["ids"][start:start + DIRECTORY_BATCH] if i in values)
        return found
    if params.get("runnable"):
        return client.list_all(USERS_PATH + "/$runnable")
    if params.get("id"):
        user = client.get_or_none(user_path(params["id"]), params=query or None)
        return [user] if user else []
    users = client.list_all(USERS_PATH, params=query or None)
    if params.get("login"):
        users = [u for u in users if fold(u.get("login")) == fold(params["login"])]
    return users
