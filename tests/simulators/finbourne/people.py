"""FINBOURNE simulator: users, their lifecycle, the directory, the user schema, roles."""

import secrets

from tests.simulators.core import Reply
from tests.simulators.finbourne.common import (
    MAX_DIRECTORY_IDS, USER_TYPES, PROVISIONED, ACTIVE, DEPROVISIONED, LIFECYCLE, error_codes, short_id, fail,
    truthy)


class People:
    """Route handlers of a ``FinbourneSimulator`` (mixed into it)."""

    # CreateUser answers 200, what FINBOURNE's SDK built from API 0.0.3743 reads the new user from (its
    # create_user deserialises only a 200 answer); document 0.0.3076 says 201. The newer evidence wins;
    # the contract tests hold this one deviation explicitly (tests/simulators/specs/README.md). A test
    # may set 201 to prove the modules take the document's answer too.
    create_user_status = 200

    # -- users -------------------------------------------------------------------------------

    def _user(self, user_id):
        return self.find("users", user_id)

    def _live_user(self, user_id):
        user = self._user(user_id)
        if user["status"] == DEPROVISIONED:
            fail(409, 705, "User %s is deprovisioned" % user_id)
        return user

    def _role_by_role_id(self, role_id):
        for role in self.collection("roles").values():
            if (role["roleId"]["scope"].lower(), role["roleId"]["code"].lower()) == (
                    role_id["scope"].lower(), role_id["code"].lower()):
                return role
        fail(404, 661, "Role %s/%s does not exist in the identity provider" % (role_id["scope"], role_id["code"]))

    def roles_of(self, user_id):
        roles = self.collection("roles")
        return [roles[rid] for rid, members in self.collection("role_members").items() if user_id in members]

    def _set_roles(self, user_id, role_ids):
        wanted = {self._role_by_role_id(r)["id"] for r in role_ids}
        for rid, members in self.collection("role_members").items():
            if rid in wanted and user_id not in members:
                members.append(user_id)
            elif rid not in wanted and user_id in members:
                members.remove(user_id)

    def _show_user(self, user, with_roles):
        shown = dict(user)
        if with_roles:
            shown["roles"] = self.roles_of(user["id"])
        return shown

    def _check_user_body(self, body, user_type, other_than=None):
        if body.get("secondEmailAddress") and user_type != "Service":
            fail(403, 786, "secondEmailAddress is only allowed for Service users")
        clash = self.user_by_login(body["login"])
        if clash is not None and clash["id"] != other_than:
            fail(409, 658, "A user with the login %s already exists" % body["login"])

    @staticmethod
    def _set_optional(user, body):
        """secondEmailAddress and alternativeUserIds as sent; an id set to null is removed."""
        for optional in ("secondEmailAddress", "alternativeUserIds"):
            user.pop(optional, None)
            if body.get(optional) is not None:
                user[optional] = body[optional]
        if "alternativeUserIds" in user:
            user["alternativeUserIds"] = {k: v for k, v in user["alternativeUserIds"].items() if v is not None}

    def list_users(self, req):
        deactivated = truthy(req, "includeDeactivated")
        with_roles = truthy(req, "includeRoles")
        return [self._show_user(u, with_roles) for u in self.collection("users").values()
                if deactivated or u["status"] != DEPROVISIONED]

    def list_runnable_users(self, req):
        return [u for u in self.collection("users").values() if u["type"] == "Service" and u["status"] == ACTIVE]

    def get_user(self, req):
        return self._show_user(self._user(req.params["id"]), truthy(req, "includeRoles"))

    def create_user(self, req):
        body = req.json
        user_type = next((t for t in USER_TYPES if t.lower() == body["type"].lower()), None)
        if user_type is None:
            fail(400, 151, "type must be one of %s" % ", ".join(USER_TYPES), {"type": ["must be Personal or Service"]})
        self._check_user_body(body, user_type)
        roles = [self._role_by_role_id(r) for r in body.get("roles") or []]
        uid = "00u" + short_id()
        user = {"id": uid, "emailAddress": body["emailAddress"], "login": body["login"],
                "firstName": body["firstName"], "lastName": body["lastName"], "type": user_type,
                "status": PROVISIONED, "external": False}
        self._set_optional(user, body)
        self.collection("users")[uid] = user
        for role in roles:
            self.collection("role_members")[role["id"]].append(uid)
        self._email(user, "activation")
        return Reply(self.create_user_status, self._show_user(user, bool(roles)))

    def update_user(self, req):
        user = self._live_user(req.params["id"])
        body = req.json
        self._check_user_body(body, user["type"], other_than=user["id"])
        if body.get("roles") is not None:
            self._set_roles(user["id"], body["roles"])
        for field in ("emailAddress", "login", "firstName", "lastName"):
            user[field] = body[field]
        self._set_optional(user, body)
        return self._show_user(user, body.get("roles") is not None)

    def delete_user(self, req):
        user = self._user(req.params["id"])
        if truthy(req, "purge"):
            del self.collection("users")[user["id"]]
        elif user["status"] == DEPROVISIONED:
            fail(409, 705, "User %s is already deprovisioned" % user["id"])
        else:
            user["status"] = DEPROVISIONED
        for members in self.collection("role_members").values():
            if user["id"] in members:
                members.remove(user["id"])
        self.store["passwords"].pop(user["login"], None)
        # a deprovisioned user's sessions and personal access tokens stop working
        for token, (owner, _expiry) in list(self.tokens.items()):
            if owner.lower() == user["login"].lower():
                del self.tokens[token]
        return Reply(204)

    def _email(self, user, kind):
        self.store["emails"].append({"to": user["emailAddress"], "kind": kind, "userId": user["id"]})

    def lifecycle(self, req):
        verb = req.params["verb"]
        if verb not in LIFECYCLE:
            fail(404, -1, "no such lifecycle call: $%s" % verb)
        user = self._live_user(req.params["id"])
        allowed, after, code, email = LIFECYCLE[verb]
        if user["status"] not in allowed:
            fail(409, code, "%s (status %s)" % (error_codes()[code][1], user["status"]))
        if after is not None:
            user["status"] = after
        if email:
            self._email(user, email)
        if verb == "expirepassword":
            temporary = "Tmp-" + secrets.token_urlsafe(12)
            self.store["passwords"][user["login"]] = temporary
            return {"password": temporary}
        return Reply(204)

    def find_users_by_id(self, req):
        ids = req.query.get("id", [])
        if len(ids) > MAX_DIRECTORY_IDS:
            fail(400, 151, "at most %d ids" % MAX_DIRECTORY_IDS, {"id": ["at most %d ids" % MAX_DIRECTORY_IDS]})
        users = self.collection("users")
        caller = self.user_by_login(req.client_id)
        values, failed = {}, {}
        for uid in ids:
            user = users.get(uid)
            if user is None:
                failed[uid] = {"id": uid, "type": "UserDoesNotExist", "detail": "User %s does not exist" % uid}
                continue
            summary = {"id": uid, "login": user["login"], "email": user["emailAddress"],
                       "secondEmail": user.get("secondEmailAddress"), "firstName": user["firstName"],
                       "lastName": user["lastName"], "type": user["type"]}
            if caller is not None and caller["id"] == uid:
                summary["alternativeUserIds"] = user.get("alternativeUserIds") or {}
            values[uid] = summary
        return {"values": values, "failed": failed}

    def get_user_schema(self, req):
        return self.store["user_schema"]

    def update_user_schema(self, req):
        properties = req.json["alternativeUserIds"]
        names = [p["name"].lower() for p in properties]
        if len(set(names)) != len(names):
            fail(409, 144, "alternativeUserIds names must be unique")
        self.store["user_schema"] = {"alternativeUserIds": [dict(p) for p in properties]}
        return self.store["user_schema"]

    # -- roles -------------------------------------------------------------------------------

    def _role(self, role_id):
        return self.find("roles", role_id)

    def list_roles(self, req):
        return sorted(self.collection("roles").values(), key=lambda r: r["name"])

    def create_role(self, req):
        body = req.json or {}
        name = body["name"]
        if any(r["name"].lower() == name.lower() for r in self.collection("roles").values()):
            fail(409, 144, "A role with the name %s already exists" % name)
        role_id = short_id()
        role = {"id": role_id, "roleId": {"scope": "default", "code": name}, "source": "LusidUser",
                "name": name, "description": body.get("description"), "samlName": name}
        self.collection("roles")[role_id] = role
        self.collection("role_members")[role_id] = []
        return Reply(201, role)

    def get_role(self, req):
        return self._role(req.params["id"])

    def update_role(self, req):
        role = self._role(req.params["id"])
        role["description"] = (req.json or {}).get("description")
        return role

    def delete_role(self, req):
        return self.remove("roles", req.params["id"], "role_members")

    def list_role_users(self, req):
        self._role(req.params["id"])
        users = self.collection("users")
        # the document answers with full UserResponse objects (emailAddress, status, external, ...)
        return [users[uid] for uid in self.collection("role_members")[req.params["id"]]]

    def add_role_user(self, req):
        self._role(req.params["id"])
        self._live_user(req.params["userId"])
        members = self.collection("role_members")[req.params["id"]]
        if req.params["userId"] not in members:
            members.append(req.params["userId"])
        return Reply(204)

    def remove_role_user(self, req):
        self._role(req.params["id"])
        members = self.collection("role_members")[req.params["id"]]
        if req.params["userId"] not in members:
            fail(404, 657, "User %s is not in role %s" % (req.params["userId"], req.params["id"]))
        members.remove(req.params["userId"])
        return Reply(204)
