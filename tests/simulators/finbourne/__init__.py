"""FINBOURNE Identity simulator: every operation of the vendor document 0.0.3076, statefully.

Mounted like a tenant: API under ``/identity/api/...``, OAuth2 token endpoint at
``/oauth2/token`` (the SDK's ``tokenUrl``: password grant, and refresh grant with the client
in a Basic header, as the SDK's RefreshingToken sends them). Every request is validated against
the document; errors are LusidProblemDetails (LusidValidationProblemDetails for 400) named and
numbered after the document's ``x-fbn-error-codes``.

Layout: ``common`` (constants, the document, error codes, helpers), and the route handlers mixed
into ``FinbourneSimulator``: ``people`` (users, lifecycle, directory, user schema, roles),
``access`` (token endpoint, applications, personal access tokens, me, tokens), ``tenant``
(password policies, support access, SCIM). Routes are registered here, literal paths
(``/api/users/$runnable``, ``/api/users/schema``) before ``/api/users/{id}``.

Vendor behaviour the document gives (prose included) and this simulator keeps:

* Users carry an Okta status (STAGED, PROVISIONED, ACTIVE, RECOVERY, PASSWORD_EXPIRED,
  LOCKED_OUT, SUSPENDED, DEPROVISIONED). A created user is PROVISIONED (the activation email
  goes out on creation). The lifecycle calls move them along ``LIFECYCLE`` below; a call the
  status does not allow is refused with the document's code (705 deleted, 706 not locked out,
  707 already activated, 717 / 718 / 719 invalid status). DeleteUser deprovisions (the user is
  then listed only with ``includeDeactivated=true``); ``purge=true`` removes every trace.
* Logins are unique case-insensitively (658); role names too (409, the documented answer).
* Applications: the secret is in the create and rotate answers, and in GetApplication only
  with ``includeSecret=true``.
* Personal access tokens: the key value is in the create answer only; the key works as a bearer
  token until deleted or deactivated; display names are unique among a user's live keys (659),
  at most ``MAX_API_KEYS`` per user (238); unknown ids 239.
* Password policy per user type (personal, service), support access grants with an expiry
  computed from their ISO-8601 duration and a history, support roles, SCIM token
  (ensure / regenerate with a deactivation date for the old token), the user schema (the
  names of alternative user ids), SetPassword only for Service users signed in with a password
  (785 / 786), InvalidateToken ends the caller's session (a personal access token is not a
  session and stays valid).

Not in the document, but needed by tests: ``emails`` (activation / reset messages sent),
``set_status()`` to put a user into a status only the identity provider reaches (LOCKED_OUT,
SUSPENDED), and the service user's credentials (``SERVICE_USERNAME`` / ``SERVICE_PASSWORD``).
"""

import json
import time
from urllib.parse import urlsplit, urlunsplit

from tests.simulators.core import Reply, Simulator
from tests.simulators.finbourne.access import Access
from tests.simulators.finbourne.common import (
    NOT_FOUND, ACCESS_CONTROLLED_RESOURCES, ACTIVE, APPLICATION_TYPES, CLIENT_ID, CLIENT_SECRET, DEFAULT_POLICY,
    DEPROVISIONED, FinbourneValidator, ISSUER, LIFECYCLE, LOCKED_OUT, MAX_API_KEYS, MAX_DIRECTORY_IDS, MOUNT,
    PASSWORD, PASSWORD_EXPIRED, PAT, PROVISIONED, RECOVERY, SERVER_URL, SERVICE_PASSWORD, SERVICE_USERNAME,
    SPEC_FILE, STAGED, STATUSES, SUPPORT_ROLES, SUSPENDED, TOKEN_PATH, USERNAME, USER_TYPES, _CORE_CODES,
    connection_env, duration_seconds, error_codes, fail, now, parse_time, require_body, short_id, spec, stamp,
    time_arg, truthy, validator)
from tests.simulators.finbourne.people import People
from tests.simulators.finbourne.tenant import Tenant


class FinbourneSimulator(People, Access, Tenant, Simulator):
    vendor = "finbourne"

    def __init__(self, validate=True):
        super().__init__(validator() if validate else None)

    # -- state ------------------------------------------------------------------------------

    def seed(self):
        users = self.collection("users")
        for login, first, last, user_type in (
            (USERNAME, "Ada", "Admin", "Personal"),
            ("jane.doe@example.com", "Jane", "Doe", "Personal"),
            ("john.roe@example.com", "John", "Roe", "Personal"),
            (SERVICE_USERNAME, "Reporting", "Service", "Service"),
        ):
            uid = "00u" + short_id()
            users[uid] = {"id": uid, "emailAddress": login, "login": login, "firstName": first, "lastName": last,
                          "type": user_type, "status": ACTIVE, "external": False}
        self.collection("roles")
        self.collection("role_members")  # role id -> [user ids]
        self.store["passwords"] = {USERNAME: PASSWORD, SERVICE_USERNAME: SERVICE_PASSWORD}  # login -> password
        self.store["emails"] = []  # {"to", "kind", "userId"}
        self.store["grants"] = []  # grant_type of every token request
        self.collection("applications")
        self.collection("application_secrets")  # application id -> secret
        self.collection("api_keys")  # id -> ApiKey + owner + key
        self.collection("sessions")  # access token -> refresh token (password grant sign-ins)
        self.collection("refresh_tokens")  # refresh token -> login
        self.store["password_policies"] = {t.lower(): json.loads(json.dumps(DEFAULT_POLICY)) for t in USER_TYPES}
        self.store["support_access"] = []
        self.store["scim"] = {"token": None, "retired": []}
        self.store["user_schema"] = {"alternativeUserIds": []}
        created = stamp(now())
        self.collection("api_keys")["seededkey0001"] = {
            "id": "seededkey0001", "displayName": "sim seeded token", "createdDate": created,
            "deactivationDate": None, "owner": USERNAME, "key": PAT}
        self.tokens[PAT] = (USERNAME, float("inf"))

    def connection_env(self):
        return connection_env(self.url)

    def set_status(self, user_id, status):
        """Put a user into ``status`` (a test hook: LOCKED_OUT and SUSPENDED happen at the identity provider)."""
        assert status in STATUSES, status
        with self.lock:
            self._user(user_id)["status"] = status

    def user_by_login(self, login):
        for user in self.collection("users").values():
            if user["login"].lower() == (login or "").lower():
                return user
        return None

    def find(self, kind, object_id):
        """The object ``object_id`` of collection ``kind``, or the document's not-found error."""
        found = self.collection(kind).get(object_id)
        if found is None:
            code, label = NOT_FOUND[kind]
            fail(404, code, "%s with id %s does not exist" % (label, object_id))
        return found

    def remove(self, kind, object_id, *satellites):
        """Delete an object and what other collections keep under its id."""
        self.find(kind, object_id)
        for name in (kind,) + satellites:
            self.collection(name).pop(object_id, None)
        return Reply(204)

    # -- vendor hooks -----------------------------------------------------------------------

    def is_auth_route(self, path):
        return path == TOKEN_PATH

    def repeatable(self, method, path):
        # Turning SCIM on answers with a token issued anew each time: an answer lost is a token lost.
        return super().repeatable(method, path) and not (method == "PUT" and path.endswith("/api/identityprovider/scim"))

    def spec_path(self, path):
        return path[len(MOUNT):] if path.startswith(MOUNT) else path

    def steps(self, method, raw_path, headers, body):
        # ``$verb`` path segments may arrive percent-encoded
        parts = urlsplit(raw_path)
        path = parts.path.replace("%24", "$")
        return (yield from super().steps(method, urlunsplit(parts._replace(path=path)), headers, body))

    def error_body(self, error):
        if error.code in ("oauth",):
            return {"error": error.details[0], "error_description": error.message}
        code = _CORE_CODES.get(error.code, error.code) if not isinstance(error.code, int) else error.code
        if not isinstance(code, int):
            code = -1
        name, title = error_codes().get(code, ("Error", "Error"))
        if code == -1 and isinstance(error.code, str):
            name = "".join(w.capitalize() for w in error.code.split("_"))
        body = {"name": name, "code": code, "type": "https://docs.lusid.com/#section/Error-Codes/%d" % code,
                "title": title, "status": error.status, "detail": error.message, "errorDetails": []}
        if error.status == 400:
            errors = error.details if isinstance(error.details, dict) else {}
            body["errors"] = errors or {"request": [error.message]}
        return body

    # -- routes -----------------------------------------------------------------------------

    def register(self):
        api = MOUNT + "/api"
        self.route("POST", TOKEN_PATH, self.token)
        # literal paths before the templates that would take them for an id
        for method, path, handler in (
            ("GET", "/users/$runnable", self.list_runnable_users),
            ("GET", "/users/schema", self.get_user_schema),
            ("PUT", "/users/schema", self.update_user_schema),
            ("GET", "/users", self.list_users),
            ("POST", "/users", self.create_user),
            ("GET", "/users/{id}", self.get_user),
            ("PUT", "/users/{id}", self.update_user),
            ("DELETE", "/users/{id}", self.delete_user),
            ("POST", "/users/{id}/lifecycle/${verb}", self.lifecycle),
            ("GET", "/directory", self.find_users_by_id),
            ("GET", "/roles", self.list_roles),
            ("POST", "/roles", self.create_role),
            ("GET", "/roles/{id}", self.get_role),
            ("PUT", "/roles/{id}", self.update_role),
            ("DELETE", "/roles/{id}", self.delete_role),
            ("GET", "/roles/{id}/users", self.list_role_users),
            ("PUT", "/roles/{id}/users/{userId}", self.add_role_user),
            ("DELETE", "/roles/{id}/users/{userId}", self.remove_role_user),
            ("GET", "/applications", self.list_applications),
            ("POST", "/applications", self.create_application),
            ("GET", "/applications/{id}", self.get_application),
            ("DELETE", "/applications/{id}", self.delete_application),
            ("POST", "/applications/{id}/lifecycle/$newsecret", self.rotate_application_secret),
            ("GET", "/keys", self.list_api_keys),
            ("POST", "/keys", self.create_api_key),
            ("DELETE", "/keys/{id}", self.delete_api_key),
            ("GET", "/authentication/information", self.authentication_information),
            ("GET", "/authentication/password-policy/{userType}", self.get_password_policy),
            ("PUT", "/authentication/password-policy/{userType}", self.update_password_policy),
            ("GET", "/authentication/support", self.support_access_history),
            ("POST", "/authentication/support", self.grant_support_access),
            ("DELETE", "/authentication/support", self.invalidate_support_access),
            ("GET", "/authentication/support-roles", self.support_roles),
            ("PUT", "/identityprovider/scim", self.add_scim),
            ("DELETE", "/identityprovider/scim", self.remove_scim),
            ("GET", "/me", self.me),
            ("PUT", "/me/password", self.set_password),
            ("DELETE", "/tokens", self.invalidate_token),
            ("GET", "/metadata/access/resources", self.access_controlled_resources),
        ):
            self.route(method, api + path, handler)

    # -- helpers for tests ---------------------------------------------------------------------------

    def expire_tokens(self):
        """Every access token issued by the token endpoint runs out now (refresh tokens stay valid)."""
        with self.lock:
            for token in list(self.collection("sessions")):
                if token in self.tokens:
                    self.tokens[token] = (self.tokens[token][0], time.time() - 1)
