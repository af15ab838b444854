"""FINBOURNE Identity simulator: roles, role membership, users, and the token endpoint.

Mounted like a tenant: API under ``/identity/api/...``, OAuth2 password grant at
``/oauth2/token`` (the SDK's ``tokenUrl``). Errors use LusidProblemDetails; a request the
OpenAPI document rejects gets LusidValidationProblemDetails with HTTP 400.
"""

import functools
import json
import secrets
import string

from tests.simulators.core import SPECS_DIR, HttpError, Reply, Simulator, SpecValidator

SPEC_FILE = SPECS_DIR / "finbourne" / "finbourne-identity-api-0.0.3076.json"
SERVER_URL = "https://fbn-ci.lusid.com/identity"
MOUNT = "/identity"

CLIENT_ID = "sim-client"
CLIENT_SECRET = "sim-client-secret"
USERNAME = "admin@example.com"
PASSWORD = "sim-password-1"
PAT = "sim-personal-access-token"


@functools.lru_cache(maxsize=1)
def validator():
    return SpecValidator(json.loads(SPEC_FILE.read_text()), SERVER_URL)


def _short_id():
    alphabet = string.ascii_lowercase + string.digits
    return "".join(secrets.choice(alphabet) for _index in range(10))


class FinbourneSimulator(Simulator):
    vendor = "finbourne"

    def __init__(self, validate=True):
        super().__init__(validator() if validate else None)

    # -- vendor hooks ---------------------------------------------------------------------

    def seed(self):
        users = self.collection("users")
        for login, first, last, user_type in (
            (USERNAME, "Ada", "Admin", "Personal"),
            ("jane.doe@example.com", "Jane", "Doe", "Personal"),
            ("john.roe@example.com", "John", "Roe", "Personal"),
            ("svc-reporting@example.com", "Reporting", "Service", "Service"),
        ):
            uid = "00u" + _short_id()
            users[uid] = {"id": uid, "emailAddress": login, "login": login, "firstName": first, "lastName": last,
                          "type": user_type, "status": "ACTIVE", "external": False}
        self.collection("roles")
        self.collection("role_members")  # role id -> [user ids]
        self.tokens[PAT] = (USERNAME, float("inf"))

    def connection_env(self):
        return {
            "FBN_IDENTITY_URL": self.url + MOUNT,
            "FBN_TOKEN_URL": self.url + "/oauth2/token",
            "FBN_USERNAME": USERNAME,
            "FBN_PASSWORD": PASSWORD,
            "FBN_CLIENT_ID": CLIENT_ID,
            "FBN_CLIENT_SECRET": CLIENT_SECRET,
        }

    def is_auth_route(self, path):
        return path == "/oauth2/token"

    def spec_path(self, path):
        return path[len(MOUNT):] if path.startswith(MOUNT) else path

    def error_body(self, error):
        body = {"name": error.code or "Error", "code": error.status, "title": error.message,
                "status": error.status, "detail": error.message, "errorDetails": []}
        if error.status == 400 and error.details:
            body["errors"] = error.details
        return body

    # -- routes ---------------------------------------------------------------------------

    def register(self):
        api = MOUNT + "/api"
        self.route("POST", "/oauth2/token", self.token)
        self.route("GET", api + "/roles", self.list_roles)
        self.route("POST", api + "/roles", self.create_role)
        self.route("GET", api + "/roles/{id}", self.get_role)
        self.route("PUT", api + "/roles/{id}", self.update_role)
        self.route("DELETE", api + "/roles/{id}", self.delete_role)
        self.route("GET", api + "/roles/{id}/users", self.list_role_users)
        self.route("PUT", api + "/roles/{id}/users/{userId}", self.add_role_user)
        self.route("DELETE", api + "/roles/{id}/users/{userId}", self.remove_role_user)
        self.route("GET", api + "/users", self.list_users)
        self.route("GET", api + "/users/{id}", self.get_user)

    def token(self, req):
        form = req.form or {}
        if form.get("grant_type") != "password":
            raise HttpError(400, "unsupported_grant_type", code="unsupported_grant_type")
        if (form.get("client_id"), form.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET):
            raise HttpError(401, "Client authentication failed", code="invalid_client")
        if (form.get("username"), form.get("password")) != (USERNAME, PASSWORD):
            raise HttpError(400, "The credentials provided were invalid.", code="invalid_grant")
        token = self.issue_token(form["username"])
        return {"token_type": "Bearer", "expires_in": self.token_lifetime, "access_token": token,
                "scope": form.get("scope", "openid")}

    def _role(self, role_id):
        role = self.collection("roles").get(role_id)
        if role is None:
            raise HttpError(404, "Role with id %s not found" % role_id, code="RoleNotFound")
        return role

    def _user(self, user_id):
        user = self.collection("users").get(user_id)
        if user is None:
            raise HttpError(404, "User with id %s not found" % user_id, code="UserNotFound")
        return user

    def list_roles(self, req):
        return sorted(self.collection("roles").values(), key=lambda r: r["name"])

    def create_role(self, req):
        body = req.json or {}
        name = body["name"]
        if any(r["name"].lower() == name.lower() for r in self.collection("roles").values()):
            raise HttpError(409, "A role with the name %s already exists" % name, code="RoleAlreadyExists")
        role_id = _short_id()
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
        self._role(req.params["id"])
        del self.collection("roles")[req.params["id"]]
        self.collection("role_members").pop(req.params["id"], None)
        return Reply(204)

    def list_role_users(self, req):
        self._role(req.params["id"])
        users = self.collection("users")
        # the document answers with full UserResponse objects (emailAddress, status, external, ...)
        return [users[uid] for uid in self.collection("role_members")[req.params["id"]]]

    def add_role_user(self, req):
        self._role(req.params["id"])
        self._user(req.params["userId"])
        members = self.collection("role_members")[req.params["id"]]
        if req.params["userId"] not in members:
            members.append(req.params["userId"])
        return Reply(204)

    def remove_role_user(self, req):
        self._role(req.params["id"])
        members = self.collection("role_members")[req.params["id"]]
        if req.params["userId"] not in members:
            raise HttpError(404, "User %s is not in role %s" % (req.params["userId"], req.params["id"]),
                            code="UserNotInRole")
        members.remove(req.params["userId"])
        return Reply(204)

    def list_users(self, req):
        return list(self.collection("users").values())

    def get_user(self, req):
        return self._user(req.params["id"])
