"""FINBOURNE simulator: constants, the vendor document, error codes and small helpers."""

import datetime
import functools
import json
import re
import secrets
import string

from tests.simulators.core import SPECS_DIR, HttpError, SpecValidator

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
# collection -> (document error code, label) of its not-found answer
NOT_FOUND = {"users": (657, "User"), "roles": (660, "Role"), "applications": (662, "Application")}
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


def short_id(length=10):
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


def time_arg(value, name):
    try:
        return parse_time(value)
    except ValueError:
        fail(400, 151, "%s is not a date-time" % name, {name: ["not a date-time"]})


def require_body(req):
    """The JSON body; some operations do not mark it required, but have nothing to do without one."""
    if not isinstance(req.json, dict):
        fail(400, 157, "a request body is required", {"body": ["required"]})
    return req.json


def truthy(req, name):
    return (req.arg(name) or "").lower() == "true"
