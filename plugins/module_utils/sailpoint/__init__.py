# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""SailPoint Identity Security Cloud adapter: connection, auth, errors, REST conventions.

Configuration follows the ``sailpoint`` Python SDK: ``SAIL_BASE_URL``, ``SAIL_CLIENT_ID`` and
``SAIL_CLIENT_SECRET``, else ``./config.json`` (``BaseURL``, ``ClientId``, ``ClientSecret``);
task options win. Tokens come from ``{base_url}/oauth/token`` (client credentials, form body).

REST conventions handled here: the API prefix (``/v2024/sources`` or the per-resource tree
``/sources/v1``), ``limit``/``offset`` lists with ``filters``, JSON Patch updates built from
the engine's changes, references to other objects (``{type, id, name}``), and 202 answers
carrying a task that is polled at ``/task-status/{id}``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import time

from ansible.module_utils.basic import env_fallback
from ansible.module_utils.six.moves.urllib.parse import quote, urlsplit

from ansible_collections.identity.cloud.plugins.module_utils.auth import OAuthToken, StaticToken, TokenCache
from ansible_collections.identity.cloud.plugins.module_utils.connection import api_client, connection_args, token_cache
from ansible_collections.identity.cloud.plugins.module_utils.http_client import ApiError
from ansible_collections.identity.cloud.plugins.module_utils.rate_limit import RateLimitError, shared_rate_limit
from ansible_collections.identity.cloud.plugins.module_utils.resource import (
    MISSING,
    Crud,
    InputError,
    get_path,
    merge,
    set_path,
    subset_equal,
)

# The common options' environment variables of SailPoint (the collection's names: the SDK has none).
SAILPOINT_ARGS = dict(connection_args(
    validate_certs=["SAIL_VALIDATE_CERTS"], ca_path=["SAIL_CA_PATH"], client_cert=["SAIL_TLS_CLIENT_CERT"],
    client_key=["SAIL_TLS_CLIENT_KEY"], proxy_username=["SAIL_PROXY_USERNAME"], proxy_password=["SAIL_PROXY_PASSWORD"]), **{
    "base_url": {"type": "str", "fallback": (env_fallback, ["SAIL_BASE_URL"])},
    "client_id": {"type": "str", "fallback": (env_fallback, ["SAIL_CLIENT_ID"])},
    "client_secret": {"type": "str", "no_log": True, "fallback": (env_fallback, ["SAIL_CLIENT_SECRET"])},
    "access_token": {"type": "str", "no_log": True, "fallback": (env_fallback, ["SAIL_ACCESS_TOKEN"])},
    "api_version": {"type": "str", "default": "v2024"},
    "rate_limit": {"type": "int", "default": 100, "minimum": 0,
                   "fallback": (env_fallback, ["IDENTITY_CLOUD_SAILPOINT_RATE_LIMIT"])},
    "rate_limit_period": {"type": "int", "default": 10, "minimum": 1, "maximum": 3600},
})

# ./config.json keys of the SDK -> option names
CONFIG_FILE = "config.json"
CONFIG_KEYS = {"BaseURL": "base_url", "ClientId": "client_id", "ClientSecret": "client_secret"}
API_VERSION = re.compile(r"^(v\d+|beta)$")
PER_RESOURCE_VERSION = "v1"
# What the per-resource tree serves (the latest SDK's packages call /<resource>/v1/...); other lookups
# (identities, clusters) stay on the year version with the same model. /identities/v1 is only used for
# the operations of issue 25's packages (set-lifecycle-state, through ``Api.path(..., tree=True)``).
PER_RESOURCE_TREE = ("sources", "task-status", "transforms", "identity-profiles", "workgroups", "entitlements",
                     "access-profiles", "roles")
LOOKUP_VERSION = "v2024"
VERSION_SUFFIX = re.compile(r"/(v\d+|beta)/?$")
SERVER_ID = re.compile(r"^([0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$")
PAGE_SIZE = 250
# Keys the tenant merges into a source's connectorAttributes. Sending them back (even
# unchanged) fails with "Illegal attempt to modify <key>", so they are never compared or sent.
COMPUTED_CONNECTOR_KEYS = ("healthy", "since", "status", "cloudExternalId", "cloudDisplayName", "cloudCacheUpdate")
# connectorAttributes keys the tenant stores encrypted: they cannot be compared, only written.
SECRET_KEY_MARKERS = ("password", "secret", "privatekey")
# Source.features items (SourceFeature in the document)
SOURCE_FEATURES = ["AUTHENTICATE", "COMPOSITE", "DIRECT_PERMISSIONS", "DISCOVER_SCHEMA", "ENABLE", "MANAGER_LOOKUP",
                   "NO_RANDOM_ACCESS", "PROXY", "SEARCH", "TEMPLATE", "UNLOCK", "UNSTRUCTURED_TARGETS",
                   "SHAREPOINT_TARGET", "PROVISIONING", "GROUP_PROVISIONING", "SYNC_PROVISIONING", "PASSWORD",
                   "CURRENT_PASSWORD", "ACCOUNT_ONLY_REQUEST", "ADDITIONAL_ACCOUNT_REQUEST", "NO_AGGREGATION",
                   "GROUPS_HAVE_MEMBERS", "NO_PERMISSIONS_PROVISIONING", "NO_GROUP_PERMISSIONS_PROVISIONING",
                   "NO_UNSTRUCTURED_TARGETS_PROVISIONING", "NO_DIRECT_PERMISSIONS_PROVISIONING", "PREFER_UUID",
                   "ARM_SECURITY_EXTRACT", "ARM_UTILIZATION_EXTRACT", "ARM_CHANGELOG_EXTRACT", "USES_UUID",
                   "APPLICATION_DISCOVERY", "DELETE"]
TASK_FAILED = ("ERROR", "TERMINATED", "TEMPERROR")


# -- connection ---------------------------------------------------------------------------


def resolve_settings(params, config_path=CONFIG_FILE):
    """Connection settings: task options (and SAIL_* variables), then the SDK's ./config.json.

    The file only fills what is missing, and only for the same tenant: its credentials are not
    used when ``base_url`` names another tenant, nor its secret for another client id.
    """
    out = dict((name, params.get(name) or None) for name in ("base_url", "client_id", "client_secret", "access_token"))
    out["base_url"] = normalize_base_url(out["base_url"])
    needs_file = not out["base_url"] or not (out["access_token"] or (out["client_id"] and out["client_secret"]))
    if needs_file and os.path.isfile(config_path):
        try:
            with open(config_path) as handle:
                data = json.load(handle)
        except (OSError, ValueError) as exc:
            raise InputError("%s could not be read as JSON: %s" % (config_path, type(exc).__name__))
        data = dict((name, data.get(key) or None) for key, name in CONFIG_KEYS.items()) if isinstance(data, dict) else {}
        file_url = normalize_base_url(data.get("base_url"))
        if data and (not out["base_url"] or out["base_url"] == file_url):
            out["base_url"] = out["base_url"] or file_url
            if not out["access_token"]:
                out["client_id"] = out["client_id"] or data["client_id"]
                if not out["client_secret"] and out["client_id"] == data["client_id"]:
                    out["client_secret"] = data["client_secret"]
    out["api_version"] = params.get("api_version") or "v2024"
    if not API_VERSION.match(out["api_version"]):
        raise InputError("api_version must look like v2024, v3, beta or v1 (the per-resource tree), got %r"
                         % out["api_version"])
    return out


def normalize_base_url(url):
    if not url:
        return url
    url = url.strip().rstrip("/")
    if "://" not in url:
        url = "https://" + url
    if VERSION_SUFFIX.search(urlsplit(url).path):
        raise InputError("base_url must be the tenant API URL without a version path (got %s); "
                         "set api_version instead" % url)
    return url


def error_parser(body):
    """ErrorResponseDto (detailCode, trackingId, messages, causes), 401/OAuth and 429 bodies."""
    if not isinstance(body, dict):
        return None, (body[:300] if isinstance(body, str) and body else None)
    if "detailCode" in body or "messages" in body:
        texts = [m.get("text") for m in (body.get("messages") or []) + (body.get("causes") or [])
                 if isinstance(m, dict) and m.get("text")]
        message = "; ".join(texts) or None
        if body.get("trackingId"):
            message = "%s (tracking id %s)" % (message or "no message", body["trackingId"])
        return body.get("detailCode"), message
    if "error" in body:
        # OAuth errors: {error, error_description}; a rejected bearer token: {error: "<text>"}
        described = body.get("error_description") or body.get("message")
        return (body["error"], described) if described else (None, body["error"])
    return None, (body.get("message") or "").strip() or None


def connect(module):
    """An ``Api`` for the tenant named by the task's connection options."""
    try:
        settings = resolve_settings(module.params)
    except InputError as exc:
        module.fail_json(msg=str(exc))
    for name in ("client_secret", "access_token"):
        if settings[name]:  # may come from config.json, which Ansible does not know to mask
            module.no_log_values.add(settings[name])
    if not settings["base_url"]:
        module.fail_json(msg="base_url is required (or SAIL_BASE_URL, or BaseURL in ./config.json)")
    if settings["access_token"]:
        auth = StaticToken(settings["access_token"])
    elif settings["client_id"] and settings["client_secret"]:
        # The cache entry is bound to a digest of the secret too: a task holding a wrong or
        # rotated secret must not be served a token another secret obtained.
        auth = OAuthToken(settings["base_url"] + "/oauth/token", settings["client_id"], settings["client_secret"],
                          form={"grant_type": "client_credentials"}, cache=token_cache(module.params))
    else:
        module.fail_json(msg="SailPoint authentication needs access_token, or client_id and client_secret "
                             "(options, SAIL_CLIENT_ID/SAIL_CLIENT_SECRET or ./config.json)")
    secrets = tuple((module.params.get("connector_secrets") or {}).keys())
    client = api_client(module, settings["base_url"], auth, error_parser=error_parser, secret_fields=secrets,
                        pool_size=max(10, module.params.get("concurrency") or 1))
    # Some operations modules use (attribute sync, password policies) are experimental in v2024 and
    # require this header; the tenant ignores it elsewhere, as the SDK's own default shows.
    client.headers["X-SailPoint-Experimental"] = "true"
    try:
        client.throttle = rate_limiter(module.params, settings)
    except InputError as exc:
        module.fail_json(msg=str(exc))
    return Api(client, settings["api_version"])


def rate_limiter(params, settings):
    """The shared per-client-id limit (``rate_limit`` calls per ``rate_limit_period`` s), or None when 0."""
    who = settings["client_id"] or "token:" + TokenCache.key(settings["access_token"])
    try:
        return shared_rate_limit(TokenCache(params.get("token_cache_dir")).directory,
                                 "%s\0%s" % (settings["base_url"], who),
                                 params.get("rate_limit") if params.get("rate_limit") is not None else 100,
                                 params.get("rate_limit_period") or 10)
    except RateLimitError as exc:
        raise InputError(str(exc))


class Api:
    """Paths and the collection conventions of one tenant at one API version."""

    def __init__(self, client, version="v2024", sleep=time.sleep, clock=time.monotonic):
        self.client = client
        self.version = version
        self.sleep = sleep
        self.clock = clock

    def path(self, resource, *parts, **kwargs):
        """``/v2024/sources/{id}``, or ``/sources/v1/{id}`` in the per-resource tree (``tree=True``: a
        resource the tree serves for this operation only, such as ``/identities/v1/{id}/set-lifecycle-state``)."""
        if self.version != PER_RESOURCE_VERSION:
            head = [self.version, resource]
        elif resource in PER_RESOURCE_TREE or kwargs.get("tree"):
            head = [resource, self.version]
        else:
            head = [LOOKUP_VERSION, resource]
        return "/" + "/".join(head + [quote(str(p), safe="") for p in parts])

    def list(self, resource, filters=None, sorters=None, concurrency=1, **query):
        """Every object of ``resource`` (a generator); ``concurrency`` above 1 reads pages that many at a time."""
        params = dict((k, v) for k, v in query.items() if v is not None)
        if filters:
            params["filters"] = filters
        if sorters:
            params["sorters"] = sorters
        parallel = {"concurrency": concurrency} if concurrency > 1 else {}
        return self.client.paginate_offset(self.path(resource), params=params, limit=PAGE_SIZE, **parallel)

    def find_by(self, resource, field, value):
        """Objects whose ``field`` equals ``value`` exactly."""
        return [obj for obj in self.list(resource, filters="%s eq %s" % (field, filter_value(value)))
                if obj.get(field) == value]

    def wait_for_task(self, task_id, timeout, method="DELETE", path=""):
        """Poll ``/task-status/{id}`` until completed; raise ``ApiError`` on failure or timeout."""
        deadline = self.clock() + timeout
        delay = 0.25
        while True:
            status = self.client.get_or_none(self.path("task-status", task_id))
            if status and (status.get("completed") or status.get("completionStatus")):
                if (status.get("completionStatus") or "").upper() in TASK_FAILED:
                    raise ApiError(method, path, message="task %s ended with %s: %s" % (
                        task_id, status["completionStatus"], task_messages(status)))
                return status
            remaining = deadline - self.clock()
            if remaining <= 0:
                raise ApiError(method, path, message="task %s did not complete within %s s (it may still "
                                                     "complete; raise wait_timeout or set wait=false)"
                                                     % (task_id, timeout))
            self.sleep(min(delay, remaining))  # the last poll happens at the deadline
            delay = min(delay * 2, 5.0)


def filter_value(value):
    """A string literal in SailPoint's filter syntax."""
    return '"%s"' % str(value).replace("\\", "\\\\").replace('"', '\\"')


def task_messages(status):
    texts = []
    for message in status.get("messages") or []:
        if isinstance(message, dict):
            localized = message.get("localizedText") if isinstance(message.get("localizedText"), dict) else {}
            texts.append(localized.get("message") or message.get("key") or "")
    return "; ".join(t for t in texts if t) or "no message"


def camel(option):
    """The API spelling of a snake_case option (``management_workgroup`` -> ``managementWorkgroup``)."""
    head, *rest = option.split("_")
    return head + "".join(word.capitalize() for word in rest)


def json_pointer(parts):
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


# -- references to other objects ----------------------------------------------------------


class Reference:
    """An option naming another object: an id, a name, or ``{id, name, type}``.

    Names are looked up in ``resource`` (``name eq``) when given; the option is replaced by
    ``{type, id[, name]}`` before anything is compared or sent. Compare by ``id`` only.
    """

    def __init__(self, option, ref_type, resource=None, label=None):
        self.option = option
        self.ref_type = ref_type
        self.resource = resource
        self.label = label or ref_type.lower().replace("_", " ")

    def resolve(self, api, value):
        if isinstance(value, str):
            value = {"id": value} if SERVER_ID.match(value) or not self.resource else {"name": value}
        if not isinstance(value, dict) or not (value.get("id") or value.get("name")):
            raise InputError("%s must be an id, a name or a dict with id or name" % self.option)
        out = dict(value)
        out.setdefault("type", self.ref_type)
        if out.get("id") and self.resource and api.client.get_or_none(api.path(self.resource, out["id"])) is None:
            raise InputError("%s: no %s has id %r" % (self.option, self.label, out["id"]))
        if not out.get("id"):
            if not self.resource:
                raise InputError("%s needs an id (a %s cannot be looked up by name)" % (self.option, self.label))
            found = api.find_by(self.resource, "name", out["name"])
            if len(found) != 1:
                raise InputError("%s: %s %s named %r" % (
                    self.option, "no" if not found else "more than one", self.label, out["name"]))
            out["id"] = found[0]["id"]
        return out


def reference_id(value):
    """Comparable form of a reference: its id."""
    if isinstance(value, dict):
        return {"id": value.get("id")}
    return value


# -- the collection ------------------------------------------------------------------------


class Collection(Crud):
    """A SailPoint collection at ``api.path(resource)`` with its item at ``.../{id}``.

    ``spec`` is the module's ResourceSpec. ``references`` are ``Reference`` objects resolved
    before comparing. ``immutable`` options cannot change once the object exists (the API
    answers 400); ``required_on_create`` options must be given to create. ``create_query``
    maps extra options to query parameters of the create call. ``deep`` API fields (dicts)
    are patched key by key; dict-valued secret fields are merged into their API field.
    ``checks`` are callables ``(params, current)`` raising ``InputError``.
    """

    def __init__(self, api, resource, spec, references=(), immutable=(), required_on_create=(), create_query=None,
                 deep=(), checks=()):
        super(Collection, self).__init__(api.client)
        self.api = api
        self.resource = resource
        self.spec = spec
        self.references = list(references)
        self.immutable = tuple(immutable)
        self.required_on_create = tuple(required_on_create)
        self.create_query = dict(create_query or {})
        self.deep = tuple(deep)
        self.checks = list(checks)
        self.task = None

    def item_path(self, obj_id, *parts):
        return self.api.path(self.resource, obj_id, *parts)

    def list_all(self):
        return self.api.list(self.resource)

    def find(self, params):
        if params.get("id"):
            found = self.client.get_or_none(self.item_path(params["id"]))
            if found is None and params.get("state") != "absent":
                raise InputError("id: no %s has id %r (leave id out to create one by %s)" % (
                    self.spec.name.replace("_", " "), params["id"], self.spec.key.option))
            return found
        found = self.api.find_by(self.resource, self.key_field, params.get(self.spec.key.option))
        return found[0] if found else None

    # -- input ------------------------------------------------------------------------

    def validate(self, params, current):
        for ref in self.references:
            if params.get(ref.option) is not None:
                params[ref.option] = ref.resolve(self.api, params[ref.option])
        if current is None:
            missing = [name for name in self.required_on_create if params.get(name) is None]
            if missing:
                raise InputError("%s required to create %s %r" % (
                    " and ".join(missing) + (" is" if len(missing) == 1 else " are"), self.spec.name,
                    params.get(self.spec.key.option)))
        else:
            self._check_immutable(params, current)
        for check in self.checks:
            check(params, current)

    def _check_immutable(self, params, current):
        for field in self.spec.fields:
            if field.option not in self.immutable or params.get(field.option) is None:
                continue
            have = get_path(current, field.path)
            if not subset_equal(field.comparable(params[field.option]), field.comparable(None if have is MISSING else have)):
                raise InputError("%s cannot be changed on an existing %s (it is %r, the task asks for %r); "
                                 "delete and re-create it instead" % (
                                     field.option, self.spec.name, None if have is MISSING else have,
                                     params[field.option]))

    # -- writes -----------------------------------------------------------------------

    def _merged_secrets(self, body, params, fields):
        for field in fields:
            value = params.get(field.option)
            if isinstance(value, dict):
                existing = get_path(body, field.path)
                set_path(body, field.path, merge(existing if isinstance(existing, dict) else {}, value))
        return body

    def create(self, desired, params):
        secret_dicts = [f for f in self.spec.fields if f.secret and isinstance(params.get(f.option), dict)]
        # Rebuild without the dict secrets so they are merged into (not written over) their API field.
        body = self.spec.desired(dict(params, **dict((f.option, None) for f in secret_dicts)), creating=True)
        body = self._merged_secrets(body, params, secret_dicts)
        query = {}
        for option, name in self.create_query.items():
            value = params.get(option)
            if value is not None:
                query[name] = str(value).lower() if isinstance(value, bool) else value
        return self.client.post(self.api.path(self.resource), body, params=query or None).data

    def update(self, current, desired, changes, params):
        ops = []
        for field, wanted, have in changes:
            if field.secret and isinstance(wanted, dict):
                have_dict = get_path(current, field.path)
                ops.extend(_set_ops(field.path + (k,), v, isinstance(have_dict, dict) and k in have_dict)
                           for k, v in sorted(wanted.items()))
            elif field.path[0] in self.deep and isinstance(wanted, dict):
                ops.extend(diff_ops(field.path, wanted, have))
            else:
                ops.append(_set_ops(field.path, wanted, have is not MISSING))
        return self.client.patch(self.item_path(self.id_of(current)), ops,
                                 content_type="application/json-patch+json").data

    def delete(self, current, params):
        path = self.item_path(self.id_of(current))
        resp = self.client.delete(path)
        self.task = resp.data if resp.status == 202 and isinstance(resp.data, dict) else None
        if self.task and self.task.get("id") and params.get("wait"):
            self.task = self.api.wait_for_task(self.task["id"], params.get("wait_timeout") or 300, "DELETE", path)

    def result_extras(self):
        return {"task": self.task} if self.task else {}


def _set_ops(path, value, exists):
    return {"op": "replace" if exists else "add", "path": json_pointer(path), "value": value}


def diff_ops(path, wanted, have):
    """JSON Patch operations setting only the keys of ``wanted`` that differ in ``have``."""
    if isinstance(wanted, dict) and isinstance(have, dict):
        ops = []
        for key in sorted(wanted):
            if not subset_equal(wanted[key], have.get(key)):
                ops.extend(diff_ops(path + (key,), wanted[key], have.get(key, MISSING)))
        return ops
    return [_set_ops(path, wanted, have is not MISSING)]


def forbid_keys(option, keys, why):
    """A check failing when the dict option ``option`` names one of ``keys``."""

    def check(params, current):
        given = sorted(set(params.get(option) or {}) & set(keys))
        if given:
            raise InputError("%s must not contain %s: %s" % (option, ", ".join(given), why))

    return check


def secret_looking_keys(option, markers, secret_option):
    """A check failing when ``option`` has keys that look like secrets (they would never compare)."""

    def check(params, current):
        found = sorted(k for k in (params.get(option) or {}) if any(m in k.lower() for m in markers))
        if found:
            raise InputError("%s has secret-looking keys %s: the API returns them encrypted, so put them in %s"
                             % (option, ", ".join(found), secret_option))

    return check


def disjoint_keys(option, other):
    """A check failing when the dict options ``option`` and ``other`` share keys."""

    def check(params, current):
        shared = sorted(set(params.get(option) or {}) & set(params.get(other) or {}))
        if shared:
            raise InputError("%s and %s both set %s; give each key once" % (option, other, ", ".join(shared)))

    return check


def in_range(option, low, high):
    def check(params, current):
        value = params.get(option)
        if value is not None and not low <= value <= high:
            raise InputError("%s must be between %s and %s, got %s" % (option, low, high, value))

    return check
