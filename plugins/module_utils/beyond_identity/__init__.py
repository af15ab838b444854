# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Beyond Identity adapter: connection options, client, error parser and the REST conventions.

The package: this file (connection, errors, pagination, the realm-scoped client, the CRUD
conventions and info readers), ``directory`` (tenant, groups, identities and their memberships),
``credentials`` (credentials and credential binding jobs) and ``applications`` (themes,
applications, authenticator configs, resource servers).

API facts (spec v1.1.0, checked against the document): every path starts
``/v1/tenants/{tenant_id}``, realm-scoped ones ``.../realms/{realm_id}/...``; create is POST and
update is PATCH with the object under a wrapper key (``{"group": {...}}``), partial updates
merge; delete answers 200 without a body; lists answer ``{<plural>: [...], total_size,
next_page_token}`` and page with ``page_size`` (max 200, or 100 for applications, authenticator
configs and resource servers) and ``page_token``; errors are ``{code, message, details}``;
group membership changes take 1..1000 identity ids per call. Tokens come from the auth server:
``POST {auth}/v1/tenants/{t}/realms/{r}/applications/{a}/token`` with the client credentials
grant and HTTP Basic client authentication; the API token JWT carries the tenant id in ``bi_t``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote, urlsplit, urlunsplit

from ansible.module_utils.basic import env_fallback
from ansible.module_utils.errors import AnsibleFallbackNotFound

from ansible_collections.identity.cloud.plugins.module_utils.auth import OAuthToken, StaticToken
from ansible_collections.identity.cloud.plugins.module_utils.connection import api_client, connection_args, token_cache
from ansible_collections.identity.cloud.plugins.module_utils.http_client import (
    ApiError,
    default_error_parser,
    path_segment,
)
from ansible_collections.identity.cloud.plugins.module_utils.resource import (
    MISSING,
    Crud,
    Field,
    InputError,
    MissingReferences,
    ParentMissing,
    get_path,
    message,
    set_path,
    shorten,
    without_paths,
)

DEFAULT_API_BASE_URL = "https://api-us.beyondidentity.com"
# region -> (API base URL, auth base URL): the servers of the 1.7.0 document and its "Base API URLs" section
REGIONS = {
    "us": ("https://api-us.beyondidentity.com", "https://auth-us.beyondidentity.com"),
    "eu": ("https://api-eu.beyondidentity.com", "https://auth-eu.beyondidentity.com"),
    "us-gov": ("https://api.us1.beyondidentity-gov.com", "https://auth.us1.beyondidentity-gov.com"),
}
MAX_MEMBER_IDS = 1000  # AddGroupMembers / DeleteGroupMembers take 1..1000 identity ids
MAX_CONCURRENCY = 32
# The Terraform provider's names first, then the spelled-out form.
ENV_PREFIXES = ("BEYONDIDENTITY_", "BEYOND_IDENTITY_")


def _env(name):
    return (env_fallback, _names(name))


def _set_env(*names, **_kwargs):
    """env_fallback where an empty variable counts as unset: a CI or AWX setting left blank is exported empty,
    and an empty choice (region) would fail the task."""
    for name in names:
        if os.environ.get(name):
            return os.environ[name]
    raise AnsibleFallbackNotFound


def _names(name):
    return [prefix + name for prefix in ENV_PREFIXES]


# The common options' environment variables of Beyond Identity (the collection's names, with the same prefixes).
BEYOND_IDENTITY_ARGS = dict(connection_args(
    validate_certs=_names("VALIDATE_CERTS"), ca_path=_names("CA_PATH"), client_cert=_names("TLS_CLIENT_CERT"),
    client_key=_names("TLS_CLIENT_KEY"), proxy_username=_names("PROXY_USERNAME"),
    proxy_password=_names("PROXY_PASSWORD")), **{
    "tenant_id": {"type": "str", "fallback": _env("TENANT_ID")},
    "api_base_url": {"type": "str", "fallback": _env("API_BASE_URL")},
    "region": {"type": "str", "choices": sorted(REGIONS), "fallback": (_set_env, _names("REGION"))},
    "api_token": {"type": "str", "no_log": True, "fallback": _env("API_TOKEN")},
    "client_id": {"type": "str", "fallback": _env("CLIENT_ID")},
    "client_secret": {"type": "str", "no_log": True, "fallback": _env("CLIENT_SECRET")},
    "auth_base_url": {"type": "str", "fallback": _env("AUTH_BASE_URL")},
    "auth_realm_id": {"type": "str", "fallback": _env("AUTH_REALM_ID")},
    "auth_application_id": {"type": "str", "fallback": _env("AUTH_APPLICATION_ID")},
    "token_url": {"type": "str", "no_log": False, "fallback": _env("TOKEN_URL")},
    "token_scopes": {"type": "list", "elements": "str", "no_log": False, "fallback": _env("TOKEN_SCOPES")},
})

REALM_OPTION = {"realm": {"type": "str", "required": True}}
# Display names, usernames, descriptions: the document's pattern (none of {}[]<>;:?\/|*^%$#=~`!).
NAME_PATTERN = r"^[^{}[\]<>;:?\\/|*^%$#=~`!]*$"
NAME = {"pattern": NAME_PATTERN, "min_length": 1, "max_length": 64}


def name_field(option, schema, prop="display_name", api=None, **kwargs):
    """A 1-64 character name field held against ``schema.prop`` of the Beyond Identity document."""
    return Field(option, api=api, schema=("beyond_identity", schema, prop), **dict(NAME, **kwargs))


# -- connection -------------------------------------------------------------------------------


def token_claims(token):
    """The claims of a JWT access token, unverified (only to read the tenant id); {} if not a JWT."""
    parts = (token or "").split(".")
    if len(parts) != 3:
        return {}
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return {}
    return claims if isinstance(claims, dict) else {}


def tenant_of(params):
    """``tenant_id``, else the ``bi_t`` claim of the API token, else the tenant in ``token_url``."""
    if params.get("tenant_id"):
        return params["tenant_id"]
    claimed = token_claims(params.get("api_token")).get("bi_t")
    if claimed:
        return claimed
    parts = urlsplit(params.get("token_url") or "").path.split("/")
    if "tenants" in parts and parts.index("tenants") + 1 < len(parts):
        return parts[parts.index("tenants") + 1]
    raise InputError("tenant_id is required (or BEYONDIDENTITY_TENANT_ID); it can only be left out with an "
                     "api_token that carries the tenant (bi_t claim) or a token_url")


def auth_base_from(api_base_url):
    """``https://api-eu.beyondidentity.com`` -> ``https://auth-eu.beyondidentity.com``; other hosts unchanged."""
    parts = urlsplit(api_base_url)
    host = parts.netloc
    if host.startswith("api-") or host.startswith("api."):
        host = "auth" + host[3:]
    return urlunsplit((parts.scheme, host, parts.path, "", "")).rstrip("/")


def api_base_url(params):
    """``api_base_url`` when given, else the region's API server, else the US region's."""
    return params.get("api_base_url") or REGIONS[params.get("region") or "us"][0]


def auth_base_url(params):
    """``auth_base_url`` when given, else derived from an ``api_base_url`` override, else the region's auth server."""
    if params.get("auth_base_url"):
        return params["auth_base_url"]
    if params.get("api_base_url"):
        return auth_base_from(params["api_base_url"])
    return REGIONS[params.get("region") or "us"][1]


def token_url(params, tenant_id):
    if params.get("token_url"):
        return params["token_url"]
    realm_id, app_id = params.get("auth_realm_id"), params.get("auth_application_id")
    if not (realm_id and app_id):
        raise InputError("client_id needs token_url, or auth_realm_id and auth_application_id (the realm and id of "
                         "the application that owns the client, e.g. the Beyond Identity Management API application)")
    base = auth_base_url(params)
    return "%s/v1/tenants/%s/realms/%s/applications/%s/token" % (
        base.rstrip("/"), quote(tenant_id, safe=""), quote(realm_id, safe=""), quote(app_id, safe=""))


def auth_provider(params, tenant_id):
    """A static API token when given, else a client-credentials token (HTTP Basic client auth)."""
    if params.get("api_token"):
        return StaticToken(params["api_token"])
    if params.get("client_id"):
        if not params.get("client_secret"):
            raise InputError("client_secret is required with client_id (or BEYONDIDENTITY_CLIENT_SECRET)")
        scopes = " ".join(params.get("token_scopes") or [])
        form = {"grant_type": "client_credentials"}
        if scopes:
            form["scope"] = scopes
        return OAuthToken(token_url(params, tenant_id), params["client_id"], params["client_secret"], form,
                          client_auth="basic", cache=token_cache(params), cache_identity=(scopes,))
    raise InputError("no credentials: set api_token (or BEYONDIDENTITY_API_TOKEN), or client_id and client_secret "
                     "(or BEYONDIDENTITY_CLIENT_ID and BEYONDIDENTITY_CLIENT_SECRET)")


def describe_detail(detail):
    if detail.get("type") == "FieldViolations":
        return "; ".join("%s: %s" % (v.get("field"), v.get("description"))
                         for v in detail.get("field_violations") or [] if isinstance(v, dict))
    if detail.get("type") == "ResourceInfo":
        return "%s %s: %s" % (detail.get("resource_type"), detail.get("id"), detail.get("description"))
    return None


def parse_error(body):
    """``{code, message, details}`` (API) or ``{error, error_description}`` (token endpoint)."""
    if isinstance(body, dict) and ("code" in body or "message" in body):
        message = body.get("message") or ""
        notes = [describe_detail(d) for d in body.get("details") or [] if isinstance(d, dict)]
        notes = [n for n in notes if n and n not in message]
        if notes:
            message = "%s (%s)" % (message, "; ".join(notes))
        return body.get("code"), message
    if isinstance(body, dict) and "error" in body:
        return body.get("error"), body.get("error_description")
    return default_error_parser(body)


def missing_realm(module, exc):
    """Exit for a module whose realm does not exist: what it deletes is already gone (no change); in
    check mode what it would create waits for a realm an earlier task would create (a change, nothing
    sent); otherwise (and for the _info modules) the one-line error."""
    params = module.params
    if not module._name.endswith("_info"):
        if params.get("state") == "absent":
            module.exit_json(changed=False, msg="%s does not exist: nothing to delete in it" % exc.parent)
        if module.check_mode:
            state = {"created": True} if params.get("state") == "present" else {}
            module.exit_json(changed=True, msg=exc.pending("run this task"), **state)
    module.fail_json(msg=message(exc))


def connect(module, realm_option="realm"):
    """A ``BeyondIdentity`` session from the module's options, its realm resolved; fails the module on error."""
    params = module.params
    concurrency = 1 if params.get("concurrency") is None else params["concurrency"]
    if not 1 <= concurrency <= MAX_CONCURRENCY:
        module.fail_json(msg="concurrency must be between 1 and %d, got %d" % (MAX_CONCURRENCY, concurrency))
    try:
        tenant_id = tenant_of(params)
        client = api_client(module, api_base_url(params),
                            auth_provider(params, tenant_id), error_parser=parse_error,
                            pool_size=max(10, concurrency))
        bi = BeyondIdentity(client, tenant_id, concurrency)
        if realm_option and params.get(realm_option):
            bi.use_realm(params[realm_option])
            if any(isinstance(item, dict) and item.get("groups") for item in params.get("identities") or []):
                # a bulk run reads both listings before its first write: one round trip, not two
                bi.run_concurrently(lambda load: load(), [bi.identities, bi.groups])
    except ParentMissing as exc:
        missing_realm(module, exc)
    except InputError as exc:
        module.fail_json(msg=message(exc))
    except ApiError as exc:
        module.fail_json(msg=message(exc), error=exc.as_dict())
    return bi


# -- the session: paths, pages, realm, memberships ---------------------------------------------------


def username_of(identity):
    return (identity.get("traits") or {}).get("username")


class BeyondIdentity:
    """One tenant (and, once ``use_realm`` ran, one realm) of the API on one HTTP session."""

    def __init__(self, api, tenant_id, concurrency=8):
        self.api = api
        self.tenant_id = tenant_id
        self.concurrency = max(1, concurrency)
        self.realm = None
        self.deferred = None  # a MembershipBatch while a bulk run collects membership writes
        self._cache = {}
        self._lock = threading.Lock()

    # paths and lists

    def path(self, *parts, **verb):
        """``/v1/tenants/{tenant}/<parts>``, every part one fully escaped segment (``:``, ``/``, ``.`` ids
        refused or escaped); ``verb="addMembers"`` appends the custom method ``:addMembers``."""
        path = "/v1/tenants/" + "/".join(path_segment(p, "id") for p in (self.tenant_id,) + parts)
        return path + (":" + verb["verb"] if verb.get("verb") else "")

    def realm_path(self, *parts, **verb):
        if self.realm is None:
            raise InputError("realm is required")
        return self.path("realms", self.realm["id"], *parts, **verb)

    def list(self, path, items_key, page_size=200):
        return list(self.api.paginate_token(path, items_key, page_size=page_size))

    def cached(self, name, load):
        """``load()`` once per session (lists used to resolve names while many items converge)."""
        with self._lock:
            if name not in self._cache:
                self._cache[name] = load()
            return self._cache[name]

    def forget(self, name):
        """Drop a list loaded by ``cached``, so that the next use reads the server again."""
        with self._lock:
            self._cache.pop(name, None)

    def run_concurrently(self, func, items):
        items = list(items)
        if self.concurrency == 1 or len(items) < 2:
            return [func(item) for item in items]
        with ThreadPoolExecutor(max_workers=min(self.concurrency, len(items))) as pool:
            return list(pool.map(func, items))

    # realm

    def use_realm(self, ref):
        """Select the realm named by id or display name (case-insensitive when no exact match)."""
        realms = self.list(self.path("realms"), "realms")
        matches = ([r for r in realms if r["id"] == ref] or [r for r in realms if r.get("display_name") == ref]
                   or [r for r in realms if (r.get("display_name") or "").lower() == ref.lower()])
        if not matches:
            names = ", ".join(sorted(repr(r.get("display_name")) for r in realms)[:20])
            raise ParentMissing("realm %s not found: no realm has that id or display name (realms: %s)" % (shorten(ref), names),
                                "realm %s" % shorten(ref))
        if len(matches) > 1:
            raise InputError("realm %r is ambiguous: %d realms have that display name; give the realm id, one of %s"
                             % (ref, len(matches), ", ".join(sorted(r["id"] for r in matches))))
        self.realm = matches[0]
        return self.realm

    # identities and groups, looked up by id or name

    def identities(self):
        return self.cached("identities", lambda: self.list(self.realm_path("identities"), "identities"))

    def groups(self):
        return self.cached("groups", lambda: self.list(self.realm_path("groups"), "groups"))

    def resolve_identities(self, refs, option="members"):
        """{identity id: username} for references that are identity ids or usernames (one listing)."""
        by_id = {i["id"]: i for i in self.identities()}
        by_name = dict(((username_of(i) or "").lower(), i) for i in self.identities())
        return self._resolve(refs, option, "identity", "id or username",
                             lambda ref: [by_id.get(ref) or by_name.get(ref.lower())], username_of)

    def resolve_groups(self, refs, option="groups"):
        """{group id: display name} for references that are group ids or display names."""
        groups = self.groups()
        by_id = {g["id"]: g for g in groups}
        return self._resolve(refs, option, "group", "id or display name",
                             lambda ref: [by_id[ref]] if ref in by_id else
                             [g for g in groups if g.get("display_name") == ref],
                             lambda g: g.get("display_name"))

    def _resolve(self, refs, option, what, how, lookup, label):
        out, missing = {}, []
        for ref in refs:
            found = [obj for obj in lookup(ref) if obj]
            if not found:
                missing.append(ref)
            elif len(found) > 1:
                raise InputError("%s: %s %r is ambiguous (%d match); use the id, one of %s" % (
                    option, what, ref, len(found), ", ".join(sorted(o["id"] for o in found))))
            else:
                out[found[0]["id"]] = label(found[0])
        if missing:
            raise MissingReferences("%s: no %s with %s %s in realm %r" % (
                option, what, how, ", ".join(shorten(m) for m in missing[:10]), self.realm.get("display_name")),
                out, missing)
        return out

    # memberships

    def list_group_members(self, group_id):
        """The member identities of a group as the API returns them (ListGroupMembers, every page)."""
        return self.list(self.realm_path("groups", group_id, verb="listMembers"), "identities")

    def list_identity_groups(self, identity_id):
        """The groups of an identity as the API returns them (ListIdentityGroups, every page)."""
        return self.list(self.realm_path("identities", identity_id, verb="listGroups"), "groups")

    def group_members(self, group_id):
        return dict((i["id"], username_of(i)) for i in self.list_group_members(group_id))

    def identity_groups(self, identity_id):
        index = self._cache.get("memberships")
        if index is not None:
            return dict(index.get(identity_id, {}))
        return dict((g["id"], g.get("display_name")) for g in self.list_identity_groups(identity_id))

    def prefetch_memberships(self):
        """Index every group's members (one read per page) so identities need no per-identity read."""
        pairs = self.run_concurrently(lambda g: (g, self.group_members(g["id"])), self.groups())
        index = {}
        for group, members in pairs:
            for identity_id in members:
                index.setdefault(identity_id, {})[group["id"]] = group.get("display_name")
        self._cache["memberships"] = index

    def change_members(self, group_id, identity_ids, add):
        """Add or remove identities, ``MAX_MEMBER_IDS`` per call, batches sent concurrently."""
        path = self.realm_path("groups", group_id, verb="addMembers" if add else "deleteMembers")
        ids = sorted(identity_ids)
        batches = [ids[i:i + MAX_MEMBER_IDS] for i in range(0, len(ids), MAX_MEMBER_IDS)]
        # Adding a member twice or removing one twice changes nothing: safe to send again after a lost answer.
        self.run_concurrently(lambda batch: self.api.post(path, {"identity_ids": batch}, idempotent=True), batches)

    def change_identity_groups(self, identity, group_ids, add):
        """Membership writes from the identity side: queued in a bulk run, else sent now."""
        if self.deferred is not None:
            for group_id in group_ids:
                self.deferred.queue(group_id, add, identity["id"], username_of(identity))
            return
        self.run_concurrently(lambda gid: self.change_members(gid, [identity["id"]], add), group_ids)


class MembershipBatch:
    """Membership writes collected while a bulk run converges identities, sent per group at the end."""

    def __init__(self):
        self._lock = threading.Lock()
        self.changes = {}  # (group id, add) -> {identity id: label}

    def queue(self, group_id, add, identity_id, label):
        with self._lock:
            self.changes.setdefault((group_id, add), {})[identity_id] = label

    def flush(self, bi):
        """Send everything; return {label: error message} for the identities whose call failed."""
        calls = []
        for (group_id, add), members in sorted(self.changes.items()):
            ids = sorted(members)
            for start in range(0, len(ids), MAX_MEMBER_IDS):
                calls.append((group_id, add, ids[start:start + MAX_MEMBER_IDS], members))
        self.changes = {}

        def send(call):
            group_id, add, ids, members = call
            try:
                bi.change_members(group_id, ids, add)
            except ApiError as exc:
                return dict((members[i], str(exc)) for i in ids)
            return {}

        failed = {}
        for errors in bi.run_concurrently(send, calls):
            failed.update(errors)
        return failed


# -- CRUD conventions ------------------------------------------------------------------------------


class Endpoint:
    """Where one resource lives and how its bodies look.

    ``collection`` is the path below the realm (or the tenant when ``realm_scoped`` is false),
    ``wrapper`` the key the object goes under in create/update bodies, ``items_key`` the list
    key, ``key`` the dotted API path of the natural key and ``key_option`` its module option.
    """

    def __init__(self, collection, wrapper, items_key=None, key="display_name", key_option=None, page_size=200,
                 realm_scoped=True, ignore_case=False):
        self.collection = collection
        self.wrapper = wrapper
        self.items_key = items_key or collection.replace("-", "_")
        self.key = tuple(key.split("."))
        self.key_option = key_option or self.key[-1]
        self.page_size = page_size
        self.realm_scoped = realm_scoped
        self.ignore_case = ignore_case


REALMS = Endpoint("realms", "realm", realm_scoped=False)
GROUPS = Endpoint("groups", "group")
IDENTITIES = Endpoint("identities", "identity", key="traits.username", key_option="username", ignore_case=True)
APPLICATIONS = Endpoint("applications", "application", page_size=100)
AUTHENTICATOR_CONFIGS = Endpoint("authenticator-configs", "authenticator_config", key="id", page_size=100)
RESOURCE_SERVERS = Endpoint("resource-servers", "resource_server", page_size=100)


class BeyondIdentityCrud(Crud):
    """Create (POST wrapper), find (id, or natural key over the paged list), PATCH wrapper, DELETE."""

    # Write-only secrets the API reads back in clear (the 1.7.0 responses carry them): never shown by _info.
    secret_paths = ()

    def __init__(self, bi, endpoint):
        super(BeyondIdentityCrud, self).__init__(bi)
        self.bi = bi
        self.endpoint = endpoint
        self.key_field = ".".join(endpoint.key)

    def normalize(self, value):
        return value.lower() if self.endpoint.ignore_case and isinstance(value, str) else value

    def key_of(self, obj):
        value = get_path(obj, self.endpoint.key)
        return None if value is MISSING else value

    def collection_path(self):
        where = self.bi.realm_path if self.endpoint.realm_scoped else self.bi.path
        return where(self.endpoint.collection)

    def item_path(self, ident):
        return "%s/%s" % (self.collection_path(), path_segment(ident, "id"))

    def list_all(self):
        return self.bi.list(self.collection_path(), self.endpoint.items_key, self.endpoint.page_size)

    def get(self, ident):
        return self.bi.api.get_or_none(self.item_path(ident))

    def find(self, params):
        if params.get("id"):
            return self.get(params["id"])
        wanted = params.get(self.endpoint.key_option)
        if wanted is None:
            return None
        matches = [o for o in self.list_all() if self.normalize(self.key_of(o)) == self.normalize(wanted)]
        if len(matches) > 1:
            raise InputError("%s %r is ambiguous: %d objects have it; give id, one of %s" % (
                self.endpoint.key_option, wanted, len(matches), ", ".join(sorted(o["id"] for o in matches))))
        return matches[0] if matches else None

    def validate(self, params, current):
        if current is None and params.get("id"):
            raise InputError("id %r: no such %s; leave id out to create one" % (params["id"], self.endpoint.wrapper))

    def body(self, fields):
        """Hook: adjust a create/update body (e.g. a discriminator the API requires)."""
        return fields

    def create(self, desired, params):
        return self.bi.api.post(self.collection_path(), {self.endpoint.wrapper: self.body(desired)}).data

    def update(self, current, desired, changes, params):
        patch = {}
        for field, wanted, _have in changes:
            set_path(patch, field.path, wanted)
        return self.bi.api.patch(self.item_path(current["id"]), {self.endpoint.wrapper: self.body(patch)}).data

    def delete(self, current, params):
        self.bi.api.delete(self.item_path(current["id"]))


def find_identity(bi, ref, option="identity"):
    """The identity with id ``ref`` (one GET), else with username ``ref`` (the realm's listing)."""
    path_segment(ref, option)  # an empty, '.' or '..' reference fails here, naming the option
    found = bi.api.get_or_none(bi.realm_path("identities", ref))
    if found:
        return found
    ident = next(iter(bi.resolve_identities([ref], option)))
    return next(i for i in bi.identities() if i["id"] == ident)


def strip_none(value):
    """Drop unset suboptions (None) at every level, so bodies carry only what the user gave."""
    if isinstance(value, dict):
        return dict((k, strip_none(v)) for k, v in value.items() if v is not None)
    return value


def sorted_lists(value):
    """Comparable form of a nested object whose lists are sets (scopes, grant types, URIs)."""
    if isinstance(value, dict):
        return dict((k, sorted_lists(v)) for k, v in value.items())
    if isinstance(value, list):
        return sorted(value, key=repr)
    return value


def info_reader(crud, filters=(), decorate=None):
    """``read(params)`` for ``resource.run_info``: ``id``, else the paged list narrowed by exact
    ``filters`` [(option, dotted API path)]; ``decorate(obj)`` adds related data (concurrently)."""

    def read(params):
        if params.get("id"):
            found = crud.get(params["id"])
            objects = [found] if found else []
        else:
            objects = list(crud.list_all())
            for option, api_path in filters:
                if params.get(option) is not None:
                    wanted = _comparable(crud, option, params[option])
                    objects = [o for o in objects if _comparable(crud, option, _value(o, api_path)) == wanted]
        objects = [without_paths(o, crud.secret_paths) for o in objects]
        return crud.bi.run_concurrently(decorate, objects) if decorate else objects

    return read


def _value(obj, api_path):
    value = get_path(obj, tuple(api_path.split(".")))
    return None if value is MISSING else value


def _comparable(crud, option, value):
    return crud.normalize(value) if option == crud.endpoint.key_option else value
