"""FINBOURNE Identity simulator: every operation of the vendor document 0.0.3076, statefully.

Mounted like a tenant: API under ``/identity/api/...``, OAuth2 token endpoint at
``/oauth2/token`` (the SDK's ``tokenUrl``: password grant, and refresh grant with the client
in a Basic header, as the SDK's RefreshingToken sends them). Every request is validated against
the document; errors are LusidProblemDetails (LusidValidationProblemDetails for 400) named and
numbered after the document's ``x-fbn-error-codes``.

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

import base64
import datetime
import functools
import json
import re
import secrets
import string
import time
from urllib.parse import urlsplit, urlunsplit

from tests.simulators.core import SPECS_DIR, HttpError, Reply, Simulator, SpecValidator

SPEC_FILE = SPECS_DIR / "finbourne" / "finbourne-identity-api-0.0.3076.json"
SERVER_URL = "https://fbn-ci.lusid.com/identity"
MOUNT = "/identity"
TOKEN_PATH = "/oauth2/token"

CLIENT_ID = "sim-client"
CLIENT_SECRET = "sim-client-secret"
USERNAME = "admin@example.com"
PASSWORD = "sim-password-1"
PAT = "sim-personal-access-token"
SERVICE_USERNAME = "svc-reporting@example.com"
SERVICE_PASSWORD = "sim-svc-password-1"
ISSUER = "https://lusid-sim.okta.com/oauth2/ausim0000000000001"
MAX_API_KEYS = 50
MAX_DIRECTORY_IDS = 50
USER_TYPES = ("Personal", "Service")
APPLICATION_TYPES = ("Native", "Web")

STAGED, PROVISIONED, ACTIVE, RECOVERY = "STAGED", "PROVISIONED", "ACTIVE", "RECOVERY"
PASSWORD_EXPIRED, LOCKED_OUT, SUSPENDED, DEPROVISIONED = "PASSWORD_EXPIRED", "LOCKED_OUT", "SUSPENDED", "DEPROVISIONED"
STATUSES = (STAGED, PROVISIONED, ACTIVE, RECOVERY, PASSWORD_EXPIRED, LOCKED_OUT, SUSPENDED, DEPROVISIONED)
_SIGNED_UP = (ACTIVE, RECOVERY, PASSWORD_EXPIRED, LOCKED_OUT)
# verb -> (statuses it is valid for, status afterwards (None: unchanged), error code otherwise, email sent)
LIFECYCLE = {
    "activate": ((STAGED, PROVISIONED), PROVISIONED, 707, "activation"),
    "unlock": ((LOCKED_OUT,), ACTIVE, 706, None),
    "unsuspend": ((SUSPENDED,), ACTIVE, 717, None),
    "resetpassword": (_SIGNED_UP, RECOVERY, 718, "password-reset"),
    "expirepassword": (_SIGNED_UP, PASSWORD_EXPIRED, 719, None),
    "resetfactors": (_SIGNED_UP + (STAGED, PROVISIONED, SUSPENDED), None, 717, None),
}

DEFAULT_POLICY = {"conditions": {"complexity": {"minLength": 12, "excludeFirstName": True, "excludeLastName": True},
                                 "age": {"maxAgeDays": 0, "historyCount": 4},
                                 "lockout": {"maxAttempts": 10}}}
SUPPORT_ROLES = [
    {"label": "Read only", "description": "FINBOURNE support may read your data",
     "roleIdentifier": {"scope": "support", "code": "support-readonly"}, "internalIdentifier": "support-readonly"},
    {"label": "Administrator", "description": "FINBOURNE support may change your data",
     "roleIdentifier": {"scope": "support", "code": "support-admin"}, "internalIdentifier": "support-admin"},
]
ACCESS_CONTROLLED_RESOURCES = [
    {"application": "identity", "name": name, "description": "FINBOURNE Identity %s" % name.lower(),
     "actions": [{"action": {"scope": "default", "activity": activity, "entity": name}, "description": "%s %s" % (
         activity, name.lower())} for activity in ("Read", "Write", "Delete")],
     "identifierParts": [{"index": 0, "name": "id", "displayName": "Id", "description": "%s id" % name,
                          "required": True}]}
    for name in ("User", "Role", "Application")
]
# core's own errors (routing, auth, validation) -> document error codes
_CORE_CODES = {"unauthorized": 2153, "invalid_request": 157, "not_found": -1, "method_not_allowed": -1,
               "too_many_requests": -1}


@functools.lru_cache(maxsize=1)
def spec():
    return json.loads(SPEC_FILE.read_text())


class FinbourneValidator(SpecValidator):
    """The document also takes JSON bodies as ``text/json`` and ``application/*+json``."""

    JSON_MEDIA_TYPES = SpecValidator.JSON_MEDIA_TYPES + ("text/json", "application/*+json")


@functools.lru_cache(maxsize=1)
def validator():
    return FinbourneValidator(spec(), SERVER_URL)


@functools.lru_cache(maxsize=1)
def error_codes():
    """code -> (name, title) from the document's ``x-fbn-error-codes`` (name: the title in PascalCase)."""
    table = {}
    for code, entry in spec()["info"]["x-fbn-error-codes"].items():
        title = entry["title"]
        name = "".join(word[:1].upper() + word[1:] for word in re.findall(r"[A-Za-z0-9]+", title))
        table[int(code)] = (name, title)
    return table


def connection_env(url):
    """The SDK's ``FBN_*`` settings for a simulator served at ``url`` (password grant)."""
    return {
        "FBN_IDENTITY_URL": url + MOUNT,
        "FBN_TOKEN_URL": url + TOKEN_PATH,
        "FBN_USERNAME": USERNAME,
        "FBN_PASSWORD": PASSWORD,
        "FBN_CLIENT_ID": CLIENT_ID,
        "FBN_CLIENT_SECRET": CLIENT_SECRET,
    }


def _short_id(length=10):
    alphabet = string.ascii_lowercase + string.digits
    return "".join(secrets.choice(alphabet) for _index in range(length))


def now():
    return datetime.datetime.now(datetime.timezone.utc)


def stamp(moment):
    return moment.isoformat().replace("+00:00", "Z")


_TIME = re.compile(r"^(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(?:\.(\d+))?([Zz]|[+-]\d\d:?\d\d)?$")


def parse_time(text):
    """An RFC 3339 date-time (any the document's ``format: date-time`` allows) as an aware datetime.

    Year 0 reads as year 1 and a leap second as :59, which Python's datetime cannot hold.
    """
    found = _TIME.match(text.strip())
    if not found:
        raise ValueError("not a date-time: %r" % text)
    year, month, day, hour, minute, second, fraction, zone = found.groups()
    offset = datetime.timedelta(0)
    if zone and zone not in "Zz":
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        offset = sign * datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    moment = datetime.datetime(max(1, int(year)), int(month), int(day), int(hour), int(minute), min(59, int(second)),
                               int((fraction or "0")[:6].ljust(6, "0")), tzinfo=datetime.timezone.utc)
    try:
        return moment - offset
    except OverflowError:
        return moment


_DURATION = re.compile(r"^P(?:(?P<Y>[\d.]+)Y)?(?:(?P<MO>[\d.]+)M)?(?:(?P<W>[\d.]+)W)?(?:(?P<D>[\d.]+)D)?"
                       r"(?:T(?:(?P<H>[\d.]+)H)?(?:(?P<MI>[\d.]+)M)?(?:(?P<S>[\d.]+)S)?)?$")
_SECONDS = {"Y": 365 * 86400, "MO": 30 * 86400, "W": 7 * 86400, "D": 86400, "H": 3600, "MI": 60, "S": 1}


def duration_seconds(text):
    """An ISO-8601 duration in seconds (a year is 365 days, a month 30)."""
    found = _DURATION.match(text)
    if not found:
        raise ValueError(text)
    return sum(float(v) * _SECONDS[k] for k, v in found.groupdict().items() if v)


def fail(status, code, detail, errors=None):
    """Raise the vendor error: ``code`` is a document error code (int)."""
    raise HttpError(status, detail, code=code, details=errors)


def _time_arg(value, name):
    try:
        return parse_time(value)
    except ValueError:
        fail(400, 151, "%s is not a date-time" % name, {name: ["not a date-time"]})


def _body(req):
    """The JSON body; some operations do not mark it required, but have nothing to do without one."""
    if not isinstance(req.json, dict):
        fail(400, 157, "a request body is required", {"body": ["required"]})
    return req.json


def _truthy(req, name):
    return (req.arg(name) or "").lower() == "true"


class FinbourneSimulator(Simulator):
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
            uid = "00u" + _short_id()
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

    # -- vendor hooks -----------------------------------------------------------------------

    def is_auth_route(self, path):
        return path == TOKEN_PATH

    def spec_path(self, path):
        return path[len(MOUNT):] if path.startswith(MOUNT) else path

    def dispatch(self, method, raw_path, headers, body):
        # ``$verb`` path segments may arrive percent-encoded
        parts = urlsplit(raw_path)
        path = parts.path.replace("%24", "$")
        return super().dispatch(method, urlunsplit(parts._replace(path=path)), headers, body)

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
                "refresh_token": refresh, "scope": form.get("scope", "openid"), "id_token": "sim-id-" + _short_id()}

    # -- users -------------------------------------------------------------------------------

    def _user(self, user_id):
        user = self.collection("users").get(user_id)
        if user is None:
            fail(404, 657, "User with id %s does not exist" % user_id)
        return user

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
        deactivated = _truthy(req, "includeDeactivated")
        with_roles = _truthy(req, "includeRoles")
        return [self._show_user(u, with_roles) for u in self.collection("users").values()
                if deactivated or u["status"] != DEPROVISIONED]

    def list_runnable_users(self, req):
        return [u for u in self.collection("users").values() if u["type"] == "Service" and u["status"] == ACTIVE]

    def get_user(self, req):
        return self._show_user(self._user(req.params["id"]), _truthy(req, "includeRoles"))

    def create_user(self, req):
        body = req.json
        user_type = next((t for t in USER_TYPES if t.lower() == body["type"].lower()), None)
        if user_type is None:
            fail(400, 151, "type must be one of %s" % ", ".join(USER_TYPES), {"type": ["must be Personal or Service"]})
        self._check_user_body(body, user_type)
        roles = [self._role_by_role_id(r) for r in body.get("roles") or []]
        uid = "00u" + _short_id()
        user = {"id": uid, "emailAddress": body["emailAddress"], "login": body["login"],
                "firstName": body["firstName"], "lastName": body["lastName"], "type": user_type,
                "status": PROVISIONED, "external": False}
        self._set_optional(user, body)
        self.collection("users")[uid] = user
        for role in roles:
            self.collection("role_members")[role["id"]].append(uid)
        self._email(user, "activation")
        return Reply(201, self._show_user(user, bool(roles)))

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
        if _truthy(req, "purge"):
            del self.collection("users")[user["id"]]
        elif user["status"] == DEPROVISIONED:
            fail(409, 705, "User %s is already deprovisioned" % user["id"])
        else:
            user["status"] = DEPROVISIONED
        for members in self.collection("role_members").values():
            if user["id"] in members:
                members.remove(user["id"])
        self.store["passwords"].pop(user["login"], None)
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
        role = self.collection("roles").get(role_id)
        if role is None:
            fail(404, 660, "Role with id %s does not exist" % role_id)
        return role

    def list_roles(self, req):
        return sorted(self.collection("roles").values(), key=lambda r: r["name"])

    def create_role(self, req):
        body = req.json or {}
        name = body["name"]
        if any(r["name"].lower() == name.lower() for r in self.collection("roles").values()):
            fail(409, 144, "A role with the name %s already exists" % name)
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

    # -- applications ------------------------------------------------------------------------

    def _application(self, app_id):
        app = self.collection("applications").get(app_id)
        if app is None:
            fail(404, 662, "Application with id %s does not exist" % app_id)
        return app

    def _new_secret(self, app_id):
        secret = secrets.token_urlsafe(30)
        self.collection("application_secrets")[app_id] = secret
        return dict(self.collection("applications")[app_id], secret=secret)

    def list_applications(self, req):
        return list(self.collection("applications").values())

    def create_application(self, req):
        body = _body(req)
        app_type = next((t for t in APPLICATION_TYPES if t.lower() == body["type"].lower()), None)
        if app_type is None:
            fail(400, 151, "type must be Native or Web", {"type": ["must be Native or Web"]})
        if any(a["clientId"].lower() == body["clientId"].lower() for a in self.collection("applications").values()):
            fail(409, 144, "An application with the client id %s already exists" % body["clientId"])
        app_id = "0oa" + _short_id(17)
        self.collection("applications")[app_id] = {"id": app_id, "type": app_type, "displayName": body["displayName"],
                                                   "clientId": body["clientId"], "issuer": ISSUER}
        return self._new_secret(app_id)

    def get_application(self, req):
        app = self._application(req.params["id"])
        if _truthy(req, "includeSecret"):
            return dict(app, secret=self.collection("application_secrets")[app["id"]])
        return app

    def delete_application(self, req):
        self._application(req.params["id"])
        del self.collection("applications")[req.params["id"]]
        self.collection("application_secrets").pop(req.params["id"], None)
        return Reply(204)

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
            _time_arg(deactivation, "deactivationDate")
        key_id = _short_id(20)
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

    # -- authentication: password policy, support access --------------------------------------

    def _policy_type(self, req):
        user_type = req.params["userType"].lower()
        if user_type not in self.store["password_policies"]:
            fail(404, 151, "No password policy for user type %s (personal or service)" % req.params["userType"])
        return user_type

    def get_password_policy(self, req):
        return self.store["password_policies"][self._policy_type(req)]

    def update_password_policy(self, req):
        user_type = self._policy_type(req)
        self.store["password_policies"][user_type] = {"conditions": _body(req)["conditions"]}
        return self.store["password_policies"][user_type]

    def _obfuscated(self, req):
        return "UserId-%05d" % (int.from_bytes(req.client_id.encode("utf-8"), "big") % 100000)

    def active_support_access(self):
        moment = now()
        return [g for g in self.store["support_access"] if not g["terminated"] and parse_time(g["expiry"]) > moment]

    def grant_support_access(self, req):
        body = req.json
        known = {r["internalIdentifier"] for r in SUPPORT_ROLES}
        unknown = [r for r in body.get("permittedRoles") or [] if r not in known]
        if unknown:
            fail(404, 660, "Unknown support role(s): %s (see GetSupportRoles)" % ", ".join(unknown))
        try:
            seconds = duration_seconds(body["duration"])
        except ValueError:
            fail(400, 151, "duration is not an ISO-8601 duration", {"duration": ["not an ISO-8601 duration"]})
        created = now()
        # a duration past the year 9999 ends there
        latest = datetime.datetime(9999, 12, 30, tzinfo=datetime.timezone.utc)
        expiry = created + datetime.timedelta(seconds=min(seconds, (latest - created).total_seconds()))
        grant = {"id": secrets.token_hex(16), "duration": body["duration"], "description": body.get("description"), "createdAt": stamp(created),
                 "expiry": stamp(expiry), "createdBy": self._obfuscated(req), "terminated": False,
                 "permittedRoles": list(body.get("permittedRoles") or [r["internalIdentifier"] for r in SUPPORT_ROLES])}
        self.store["support_access"].append(grant)
        return Reply(201, grant)

    def invalidate_support_access(self, req):
        ended = []
        for grant in self.active_support_access():
            grant.update(terminated=True, terminatedAt=stamp(now()), terminatedBy=self._obfuscated(req))
            ended.append(grant)
        return ended

    def support_access_history(self, req):
        start, end = req.arg("start"), req.arg("end")
        grants = self.store["support_access"]
        if start:
            grants = [g for g in grants if parse_time(g["expiry"]) >= _time_arg(start, "start")]
        if end:
            grants = [g for g in grants if parse_time(g["expiry"]) <= _time_arg(end, "end")]
        return grants

    def support_roles(self, req):
        return {"supportRoles": SUPPORT_ROLES}

    def authentication_information(self, req):
        info = {"issuerUrl": ISSUER, "fallbackIssuerUrls": [], "samlIdentityProviderId": "0oasimsaml000000001",
                "supportAccessExpiryWithRole": []}
        active = self.active_support_access()
        if active:
            info["support"] = {"expiry": max(active, key=lambda g: g["expiry"])["expiry"]}
            latest = {}
            for grant in active:
                for role in grant["permittedRoles"]:
                    latest[role] = max(latest.get(role, ""), grant["expiry"])
            info["supportAccessExpiryWithRole"] = [{"expiry": e, "permittedRole": r} for r, e in sorted(latest.items())]
        return info

    # -- SCIM ----------------------------------------------------------------------------------

    def add_scim(self, req):
        action = (req.arg("apiTokenAction") or "ensure").lower()
        if action not in ("ensure", "regenerate"):
            fail(400, 151, "apiTokenAction must be ensure or regenerate", {"apiTokenAction": ["ensure or regenerate"]})
        scim = self.store["scim"]
        answer = {"baseUrl": (self.url if self.server else SERVER_URL.split("/identity")[0]) + "/scim/v2",
                  "apiToken": None}
        if scim["token"] is None or action == "regenerate":
            if scim["token"] is not None:
                until = req.arg("oldApiTokenDeactivation")
                if until:
                    until = stamp(_time_arg(until, "oldApiTokenDeactivation"))
                scim["retired"].append({"token": scim["token"], "deactivation": until or stamp(now())})
            scim["token"] = "scim-" + secrets.token_urlsafe(24)
            answer["apiToken"] = scim["token"]
        return answer

    def remove_scim(self, req):
        scim = self.store["scim"]
        if scim["token"] is not None:
            scim["retired"].append({"token": scim["token"], "deactivation": stamp(now())})
            scim["token"] = None
        return Reply(204)

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

    # -- helpers for tests ---------------------------------------------------------------------------

    def expire_tokens(self):
        """Every access token issued by the token endpoint runs out now (refresh tokens stay valid)."""
        with self.lock:
            for token in list(self.collection("sessions")):
                if token in self.tokens:
                    self.tokens[token] = (self.tokens[token][0], time.time() - 1)
