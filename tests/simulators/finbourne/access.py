"""FINBOURNE simulator: the token endpoint, applications, personal access tokens, me, tokens."""

import base64
import secrets

from tests.simulators.core import HttpError, Reply
from tests.simulators.finbourne.common import (
    CLIENT_ID, CLIENT_SECRET, ISSUER, MAX_API_KEYS, APPLICATION_TYPES, STAGED, PROVISIONED, LOCKED_OUT, SUSPENDED,
    DEPROVISIONED, ACCESS_CONTROLLED_RESOURCES, short_id, now, stamp, parse_time, fail, time_arg,
    require_body, truthy)


class Access:
    """Route handlers of a ``FinbourneSimulator`` (mixed into it)."""

    # -- token endpoint ----------------------------------------------------------------------

    def _oauth_error(self, status, error, description):
        raise HttpError(status, description, code="oauth", details=[error])

    def _client(self, req, form):
        header = req.headers.get("Authorization", "")
        if header.startswith("Basic "):
            try:
                pair = base64.b64decode(header[6:]).decode("utf-8")
            except ValueError:
                pair = ":"
            return tuple(pair.split(":", 1)) if ":" in pair else (pair, "")
        return form.get("client_id"), form.get("client_secret")

    def token(self, req):
        form = req.form or {}
        if self._client(req, form) != (CLIENT_ID, CLIENT_SECRET):
            self._oauth_error(401, "invalid_client", "Client authentication failed")
        grant = form.get("grant_type")
        self.store["grants"].append(grant)  # the grant types asked for (never the credentials)
        if grant == "password":
            login = form.get("username") or ""
            user = self.user_by_login(login)
            expected = self.store["passwords"].get(user["login"]) if user else None
            if expected is None or form.get("password") != expected:
                self._oauth_error(400, "invalid_grant", "The credentials provided were invalid.")
            if user["status"] in (STAGED, PROVISIONED, LOCKED_OUT, SUSPENDED, DEPROVISIONED):
                self._oauth_error(400, "invalid_grant", "The user cannot sign in (status %s)." % user["status"])
            login = user["login"]
        elif grant == "refresh_token":
            login = self.collection("refresh_tokens").get(form.get("refresh_token"))
            if login is None:
                self._oauth_error(400, "invalid_grant", "The refresh token is invalid or expired.")
        else:
            self._oauth_error(400, "unsupported_grant_type", "The authorization grant type is not supported.")
        access = self.issue_token(login)
        refresh = form.get("refresh_token") if grant == "refresh_token" else "simr-" + secrets.token_hex(16)
        self.collection("refresh_tokens")[refresh] = login
        self.collection("sessions")[access] = refresh
        return {"token_type": "Bearer", "expires_in": self.token_lifetime, "access_token": access,
                "refresh_token": refresh, "scope": form.get("scope", "openid"), "id_token": "sim-id-" + short_id()}

    # -- applications ------------------------------------------------------------------------

    def _application(self, app_id):
        return self.find("applications", app_id)

    def _new_secret(self, app_id):
        secret = secrets.token_urlsafe(30)
        self.collection("application_secrets")[app_id] = secret
        return dict(self.collection("applications")[app_id], secret=secret)

    def list_applications(self, req):
        return list(self.collection("applications").values())

    def create_application(self, req):
        body = require_body(req)
        app_type = next((t for t in APPLICATION_TYPES if t.lower() == body["type"].lower()), None)
        if app_type is None:
            fail(400, 151, "type must be Native or Web", {"type": ["must be Native or Web"]})
        if any(a["clientId"].lower() == body["clientId"].lower() for a in self.collection("applications").values()):
            fail(409, 144, "An application with the client id %s already exists" % body["clientId"])
        app_id = "0oa" + short_id(17)
        self.collection("applications")[app_id] = {"id": app_id, "type": app_type, "displayName": body["displayName"],
                                                   "clientId": body["clientId"], "issuer": ISSUER}
        return self._new_secret(app_id)

    def get_application(self, req):
        app = self._application(req.params["id"])
        if truthy(req, "includeSecret"):
            return dict(app, secret=self.collection("application_secrets")[app["id"]])
        return app

    def delete_application(self, req):
        return self.remove("applications", req.params["id"], "application_secrets")

    def rotate_application_secret(self, req):
        return self._new_secret(self._application(req.params["id"])["id"])

    # -- personal access tokens --------------------------------------------------------------

    @staticmethod
    def _key_view(key):
        return {k: key[k] for k in ("id", "displayName", "createdDate", "deactivationDate")}

    @staticmethod
    def _key_live(key):
        return not key["deactivationDate"] or parse_time(key["deactivationDate"]) > now()

    def _own_keys(self, req):
        return [k for k in self.collection("api_keys").values() if k["owner"].lower() == req.client_id.lower()]

    def list_api_keys(self, req):
        return [self._key_view(k) for k in self._own_keys(req)]

    def create_api_key(self, req):
        body = req.json
        own = self._own_keys(req)
        if any(k["displayName"] == body["displayName"] and self._key_live(k) for k in own):
            fail(409, 659, "There is already an active API Key with the display name %s" % body["displayName"])
        if len(own) >= MAX_API_KEYS:
            fail(409, 238, "At most %d personal access tokens per user" % MAX_API_KEYS)
        deactivation = body.get("deactivationDate")
        if deactivation:
            time_arg(deactivation, "deactivationDate")
        key_id = short_id(20)
        value = "pat-" + secrets.token_urlsafe(32)
        key = {"id": key_id, "displayName": body["displayName"], "createdDate": stamp(now()),
               "deactivationDate": stamp(parse_time(deactivation)) if deactivation else None,
               "owner": req.client_id, "key": value}
        self.collection("api_keys")[key_id] = key
        self.tokens[value] = (req.client_id, parse_time(deactivation).timestamp() if deactivation else float("inf"))
        return dict(self._key_view(key), key=value)

    def delete_api_key(self, req):
        key = next((k for k in self._own_keys(req) if k["id"] == req.params["id"]), None)
        if key is None:
            fail(404, 239, "API Key %s not found" % req.params["id"])
        del self.collection("api_keys")[key["id"]]
        self.tokens.pop(key["key"], None)
        return dict(self._key_view(key), deactivationDate=stamp(now()))

    # -- me, tokens, metadata ----------------------------------------------------------------------

    def _bearer(self, req):
        return req.headers.get("Authorization", "")[7:]

    def me(self, req):
        user = self.user_by_login(req.client_id)
        if user is None:
            fail(404, 657, "The signed-in user no longer exists")
        return {"id": user["id"], "emailAddress": user["emailAddress"], "type": user["type"],
                "domainType": "Production", "userExpiry": None}

    def set_password(self, req):
        user = self.user_by_login(req.client_id)
        if user is None:
            fail(404, 657, "The signed-in user no longer exists")
        if user["type"] != "Service":
            fail(403, 786, "Only Service users can set their own password")
        if self._bearer(req) not in self.collection("sessions"):
            fail(403, 785, "Setting a password needs a sign-in with a password (OpenID), not a personal access token")
        value = req.json["value"]
        complexity = self.store["password_policies"]["service"]["conditions"]["complexity"]
        problems = []
        if len(value) < complexity["minLength"]:
            problems.append("shorter than %d characters" % complexity["minLength"])
        for flag, name in (("excludeFirstName", "firstName"), ("excludeLastName", "lastName")):
            if complexity[flag] and len(user[name]) > 2 and user[name].lower() in value.lower():
                problems.append("contains the user's %s" % name)
        if problems:
            fail(400, 787, "Password validation failure: %s" % "; ".join(problems), {"value": problems})
        self.store["passwords"][user["login"]] = value
        return {"updatedAt": stamp(now())}

    def invalidate_token(self, req):
        token = self._bearer(req)
        refresh = self.collection("sessions").pop(token, None)
        if refresh is not None:  # a session (password grant); a personal access token is not one
            self.tokens.pop(token, None)
            self.collection("refresh_tokens").pop(refresh, None)
        return Reply(204)

    def access_controlled_resources(self, req):
        return {"values": ACCESS_CONTROLLED_RESOURCES}
