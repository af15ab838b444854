# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Beyond Identity adapter: connection options, client, error parser and the REST conventions.

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
import datetime
import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote, urlsplit, urlunsplit

from ansible.module_utils.basic import env_fallback

from ansible_collections.identity.cloud.plugins.module_utils.auth import OAuthToken, StaticToken
from ansible_collections.identity.cloud.plugins.module_utils.connection import api_client, token_cache
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
    Membership,
    get_path,
    message,
    set_path,
    shorten,
)

DEFAULT_API_BASE_URL = "https://api-us.beyondidentity.com"
MAX_MEMBER_IDS = 1000  # AddGroupMembers / DeleteGroupMembers take 1..1000 identity ids
MAX_CONCURRENCY = 32
# The Terraform provider's names first, then the spelled-out form.
ENV_PREFIXES = ("BEYONDIDENTITY_", "BEYOND_IDENTITY_")


def _env(name):
    return (env_fallback, [prefix + name for prefix in ENV_PREFIXES])


BEYOND_IDENTITY_ARGS = {
    "tenant_id": {"type": "str", "fallback": _env("TENANT_ID")},
    "api_base_url": {"type": "str", "fallback": _env("API_BASE_URL")},
    "api_token": {"type": "str", "no_log": True, "fallback": _env("API_TOKEN")},
    "client_id": {"type": "str", "fallback": _env("CLIENT_ID")},
    "client_secret": {"type": "str", "no_log": True, "fallback": _env("CLIENT_SECRET")},
    "auth_base_url": {"type": "str", "fallback": _env("AUTH_BASE_URL")},
    "auth_realm_id": {"type": "str", "fallback": _env("AUTH_REALM_ID")},
    "auth_application_id": {"type": "str", "fallback": _env("AUTH_APPLICATION_ID")},
    "token_url": {"type": "str", "no_log": False, "fallback": _env("TOKEN_URL")},
    "token_scopes": {"type": "list", "elements": "str", "no_log": False, "fallback": _env("TOKEN_SCOPES")},
}

REALM_OPTION = {"realm": {"type": "str", "required": True}}
# Display names, usernames, descriptions: the document's pattern (none of {}[]<>;:?\/|*^%$#=~`!).
NAME_PATTERN = r"^[^{}[\]<>;:?\\/|*^%$#=~`!]*$"
NAME = {"pattern": NAME_PATTERN, "min_length": 1, "max_length": 64}


def name_field(option, schema, prop="display_name", api=None, **kwargs):
    """A 1-64 character name field held against ``schema.prop`` of the Beyond Identity document."""
    return Field(option, api=api, schema=("beyond_identity", schema, prop), **dict(NAME, **kwargs))


CONCURRENCY_OPTION = {"concurrency": {"type": "int", "default": 8}}


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


def token_url(params, tenant_id):
    if params.get("token_url"):
        return params["token_url"]
    realm_id, app_id = params.get("auth_realm_id"), params.get("auth_application_id")
    if not (realm_id and app_id):
        raise InputError("client_id needs token_url, or auth_realm_id and auth_application_id (the realm and id of "
                         "the application that owns the client, e.g. the Beyond Identity Management API application)")
    base = params.get("auth_base_url") or auth_base_from(params.get("api_base_url") or DEFAULT_API_BASE_URL)
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


def connect(module, realm_option="realm"):
    """A ``BeyondIdentity`` session from the module's options, its realm resolved; fails the module on error."""
    params = module.params
    concurrency = 1 if params.get("concurrency") is None else params["concurrency"]
    if not 1 <= concurrency <= MAX_CONCURRENCY:
        module.fail_json(msg="concurrency must be between 1 and %d, got %d" % (MAX_CONCURRENCY, concurrency))
    try:
        tenant_id = tenant_of(params)
        client = api_client(module, params.get("api_base_url") or DEFAULT_API_BASE_URL,
                            auth_provider(params, tenant_id), error_parser=parse_error,
                            pool_size=max(10, concurrency))
        bi = BeyondIdentity(client, tenant_id, concurrency)
        if realm_option and params.get(realm_option):
            bi.use_realm(params[realm_option])
            if any(isinstance(item, dict) and item.get("groups") for item in params.get("identities") or []):
                # a bulk run reads both listings before its first write: one round trip, not two
                bi.run_concurrently(lambda load: load(), [bi.identities, bi.groups])
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
            raise InputError("realm %s not found: no realm has that id or display name (realms: %s)" % (shorten(ref), names))
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
            raise InputError("%s: no %s with %s %s in realm %r" % (
                option, what, how, ", ".join(shorten(m) for m in missing[:10]), self.realm.get("display_name")))
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


def group_members_relation():
    """``members`` of a group: identity ids or usernames."""
    return Membership(
        "members",
        resolve=lambda bi, refs: bi.resolve_identities(refs, "members"),
        current=lambda bi, group: bi.group_members(group["id"]),
        add=lambda bi, group, ids: bi.change_members(group["id"], ids, add=True),
        remove=lambda bi, group, ids: bi.change_members(group["id"], ids, add=False),
    )


def identity_groups_relation():
    """``groups`` of an identity: group ids or display names."""
    return Membership(
        "groups",
        resolve=lambda bi, refs: bi.resolve_groups(refs, "groups"),
        current=lambda bi, identity: bi.identity_groups(identity["id"]),
        add=lambda bi, identity, ids: bi.change_identity_groups(identity, ids, add=True),
        remove=lambda bi, identity, ids: bi.change_identity_groups(identity, ids, add=False),
    )


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


class TenantCrud(BeyondIdentityCrud):
    """The tenant itself: always there, GET and PATCH only."""

    def __init__(self, bi):
        super(TenantCrud, self).__init__(bi, Endpoint("", "tenant", realm_scoped=False))

    def item_path(self, ident=None):
        return self.bi.path()

    def find(self, params):
        return self.bi.api.get(self.bi.path()).data

    def validate(self, params, current):
        pass


class GroupCrud(BeyondIdentityCrud):
    """Groups. The API refuses to delete a group with members, so members are removed first."""

    def __init__(self, bi):
        super(GroupCrud, self).__init__(bi, GROUPS)

    def validate(self, params, current):
        super(GroupCrud, self).validate(params, current)
        if params.get("description") == "":  # the document's CreateGroup/UpdateGroup 400 example: "empty string"
            raise InputError("description must not be empty; leave it out to keep the group's description")

    def delete(self, current, params):
        members = self.bi.group_members(current["id"])
        if members:
            self.bi.change_members(current["id"], members, add=False)
        super(GroupCrud, self).delete(current, params)


class IdentityCrud(BeyondIdentityCrud):
    """Identities: traits need their ``type``; an identity is taken out of its groups before delete."""

    def __init__(self, bi):
        super(IdentityCrud, self).__init__(bi, IDENTITIES)
        self.left_groups = {}  # identity id -> None, or why taking it out of its groups failed (bulk)

    def list_all(self):
        return self.bi.identities()

    def reread(self, params):
        self.bi.forget("identities")
        return self.find(params)

    def validate(self, params, current):
        super(IdentityCrud, self).validate(params, current)
        if current is None and not params.get("display_name"):
            raise InputError("display_name is required to create identity %r" % params.get("username"))

    def body(self, fields):
        if "traits" in fields:
            fields["traits"]["type"] = "traits_v0"
        return fields

    def create(self, desired, params):
        try:
            return super(IdentityCrud, self).create(desired, params)
        except ApiError as exc:
            if exc.ambiguous:  # the engine re-reads before sending again: it must not see the cached list
                self.bi.forget("identities")
            raise

    def delete(self, current, params):
        if current["id"] in self.left_groups:
            if self.left_groups[current["id"]]:
                raise InputError("not deleted: taking it out of its groups failed: %s" % self.left_groups[current["id"]])
        else:
            groups = self.bi.identity_groups(current["id"])
            self.bi.run_concurrently(lambda gid: self.bi.change_members(gid, [current["id"]], add=False), groups)
        super(IdentityCrud, self).delete(current, params)

    # bulk hooks (Engine.run_bulk)

    def prepare_bulk(self, items, index):
        """Batch membership writes per group; read memberships group-wise when that is fewer reads;
        take the identities that are to be deleted out of their groups first, in calls per group."""
        self.bi.deferred = MembershipBatch()
        keep, leave = [], []
        for item in items:
            current = index.get(self.normalize(item.get("username")))
            if current is not None and item.get("state") == "absent":
                leave.append(current)
            elif current is not None and item.get("groups") is not None:
                keep.append(current)
        if (keep or leave) and len(self.bi.groups()) <= len(keep) + len(leave):
            self.bi.prefetch_memberships()
        if leave and not self.bi.api.check_mode:
            self.leave_groups(leave)

    def leave_groups(self, identities):
        """Remove ``identities`` from every group they are in, batched per group (before their deletion)."""
        batch = MembershipBatch()
        found = self.bi.run_concurrently(lambda ident: (ident["id"], self.bi.identity_groups(ident["id"])), identities)
        for identity_id, groups in found:
            for group_id in groups:
                batch.queue(group_id, False, identity_id, identity_id)
        failed = batch.flush(self.bi)
        self.left_groups.update((identity_id, failed.get(identity_id)) for identity_id, _groups in found)

    def finish_bulk(self, results):
        batch, self.bi.deferred = self.bi.deferred, None
        failed = batch.flush(self.bi) if batch else {}
        for result in results:
            if result.get("item") in failed and not result.get("failed"):
                result.update(failed=True, msg="group membership change failed: %s" % failed[result["item"]])


# -- credentials, binding jobs, themes, applications, authenticator configs, resource servers ------

THEMES = Endpoint("themes", "theme")
PENDING_JOB_STATES = ("LINK_SENT", "LINK_OPENED", "REQUEST_DELIVERED")
RESERVED_IDENTIFIER = "beyondidentity"  # the Management API's audience; no other resource server may use it


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


def _timestamp(value):
    """(y, m, d, H, M, S) of an RFC 3339 UTC timestamp, for ordering; None when unreadable."""
    parts = re.match(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)", value or "")
    return tuple(int(p) for p in parts.groups()) if parts else None


def _now_stamp():
    return tuple(datetime.datetime.now(datetime.timezone.utc).timetuple())[:6]


def run_flow(module, flow):
    """Run a custom flow (``flow()`` -> result dict) with the engine's error and diff handling."""
    try:
        result = flow()
    except InputError as exc:
        module.fail_json(msg=message(exc))
    except ApiError as exc:
        module.fail_json(msg=message(exc), error=exc.as_dict())
    if not module._diff:
        result.pop("diff", None)
    module.exit_json(**result)


class Credentials:
    """Credentials (passkeys) of identities: list, get and revoke; the API cannot create them."""

    def __init__(self, bi):
        self.bi = bi

    def path(self, identity_id, *parts, **verb):
        return self.bi.realm_path("identities", identity_id, "credentials", *parts, **verb)

    def list(self, identity_id="-"):
        """``-`` lists the credentials of every identity of the realm."""
        return self.bi.list(self.path(identity_id), "credentials")

    def get(self, credential_id, identity_id=None):
        if identity_id:
            return self.bi.api.get_or_none(self.path(identity_id, credential_id))
        return next((c for c in self.list() if c["id"] == credential_id), None)

    def info(self, params):
        identity = find_identity(self.bi, params["identity"]) if params.get("identity") else None
        if params.get("id"):
            found = self.get(params["id"], identity and identity["id"])
            items = [found] if found else []
        else:
            items = self.list(identity["id"] if identity else "-")
        return [c for c in items if not params.get("state") or c.get("state") == params["state"]]

    def revoke(self, module):
        """``state: revoked`` for one credential (``id``) or all of an identity's (``all_credentials``)."""
        params = module.params
        identity = find_identity(self.bi, params["identity"]) if params.get("identity") else None
        if params.get("id"):
            found = self.get(params["id"], identity and identity["id"])
            if found is None:
                where = "of identity %r" % params["identity"] if identity else "in realm %r" % params["realm"]
                raise InputError("id: no credential %r %s" % (params["id"], where))
            targets = [found]
        else:
            targets = self.list(identity["id"])
        active = [c for c in targets if c.get("state") != "REVOKED"]
        if module.check_mode:
            done = dict((c["id"], dict(c, state="REVOKED")) for c in active)
        else:
            def revoke(credential):
                path = self.path(credential["identity_id"], credential["id"], verb="revoke")
                return credential["id"], self.bi.api.post(path, idempotent=True).data

            done = dict(self.bi.run_concurrently(revoke, active))
        final = [done.get(c["id"], c) for c in targets]
        result = {"changed": bool(active), "revoked": sorted(done),
                  "diff": {"before": dict((c["id"], c.get("state")) for c in targets),
                           "after": dict((c["id"], c.get("state")) for c in final)}}
        if params.get("id"):
            result.update(credential=final[0], id=final[0]["id"])
        else:
            result["credentials"] = final
        return result


class BindingJobs:
    """Credential binding jobs of an identity: create (idempotent per delivery method and config), list, get."""

    def __init__(self, bi):
        self.bi = bi

    def path(self, identity_id, *parts):
        return self.bi.realm_path("identities", identity_id, "credential-binding-jobs", *parts)

    def list(self, identity_id="-"):
        return self.bi.list(self.path(identity_id), "credential_binding_jobs")

    def info(self, params):
        identity = find_identity(self.bi, params["identity"]) if params.get("identity") else None
        if params.get("id") and identity:
            found = self.bi.api.get_or_none(self.path(identity["id"], params["id"]))
            items = [found] if found else []
        else:
            items = self.list(identity["id"] if identity else "-")
            items = [j for j in items if not params.get("id") or j["id"] == params["id"]]
        return [j for j in items if not params.get("state") or j.get("state") == params["state"]]

    def authenticator_config_id(self, wanted):
        """``wanted`` checked to exist in the realm, or the realm's only hosted web config."""
        configs = self.bi.list(self.bi.realm_path(AUTHENTICATOR_CONFIGS.collection), "authenticator_configs",
                               AUTHENTICATOR_CONFIGS.page_size)
        if wanted:
            if not any(c["id"] == wanted for c in configs):
                raise InputError("authenticator_config_id: no authenticator config %r in realm %r (ids: %s)" % (
                    wanted, self.bi.realm.get("display_name"), ", ".join(sorted(c["id"] for c in configs))))
            return wanted
        hosted = [c["id"] for c in configs if (c.get("config") or {}).get("type") == "hosted_web"]
        if len(hosted) != 1:
            raise InputError("authenticator_config_id is required: realm %r has %d hosted web authenticator "
                             "configs (ids: %s)" % (self.bi.realm.get("display_name"), len(hosted),
                                                    ", ".join(sorted(c["id"] for c in configs)) or "none"))
        return hosted[0]

    def pending(self, identity_id, method, config_id):
        """The identity's jobs for ``method`` and ``config_id`` that are neither complete nor expired, oldest first."""
        now = _now_stamp()
        found = [j for j in self.list(identity_id)
                 if j.get("state") in PENDING_JOB_STATES and j.get("delivery_method") == method
                 and j.get("authenticator_config_id") == config_id
                 and (_timestamp(j.get("expire_time")) or now) >= now]
        return sorted(found, key=lambda j: j.get("create_time") or "")

    def create(self, identity_id, wanted, known):
        """POST a job. When the answer is lost (the job may exist), an EMAIL job is looked up before sending
        again, so the identity does not get two emails; a RETURN job is sent again, as only its answer has the link."""
        try:
            return self.bi.api.post(self.path(identity_id), {"job": wanted}).data or {}
        except ApiError as exc:
            if not exc.ambiguous:
                raise
            if wanted["delivery_method"] == "EMAIL":
                seen = set(j["id"] for j in known)
                new = [j for j in self.pending(identity_id, "EMAIL", wanted["authenticator_config_id"])
                       if j["id"] not in seen]
                if new:
                    return {"credential_binding_job": new[-1]}
            return self.bi.api.post(self.path(identity_id), {"job": wanted}).data or {}

    def ensure(self, module):
        params = module.params
        identity = find_identity(self.bi, params["identity"])
        config_id = self.authenticator_config_id(params.get("authenticator_config_id"))
        method = params["delivery_method"]
        if method == "EMAIL" and not (identity.get("traits") or {}).get("primary_email_address"):
            raise InputError("delivery_method EMAIL: identity %r has no primary email address; set one with "
                             "beyond_identity_identity or use delivery_method RETURN" % params["identity"])
        pending = self.pending(identity["id"], method, config_id)
        wanted = {"delivery_method": method, "authenticator_config_id": config_id}
        if params.get("post_binding_redirect_uri"):
            wanted["post_binding_redirect_uri"] = params["post_binding_redirect_uri"]
        view = ("id", "delivery_method", "authenticator_config_id", "state")
        before = dict((k, pending[-1].get(k)) for k in view) if pending else {}
        if pending and not params.get("force"):
            return {"changed": False, "credential_binding_job": pending[-1], "id": pending[-1]["id"],
                    "diff": {"before": before, "after": before}}
        result = {"changed": True}
        if module.check_mode:
            job = dict(wanted, identity_id=identity["id"])
        else:
            data = self.create(identity["id"], wanted, pending)
            job = data.get("credential_binding_job") or {}
            result["id"] = job.get("id")
            if data.get("credential_binding_link"):
                result["credential_binding_link"] = data["credential_binding_link"]
        result["credential_binding_job"] = job
        result["diff"] = {"before": before, "after": dict((k, job.get(k)) for k in view if k in job)}
        return result


class ThemeCrud(BeyondIdentityCrud):
    """The realm's one theme. GetActiveTheme answers a default when the realm has none; the active
    theme is the realm's own when GetTheme finds it by id, else CreateTheme makes one. No delete."""

    def __init__(self, bi):
        super(ThemeCrud, self).__init__(bi, THEMES)

    def active(self):
        return self.bi.api.get(self.bi.realm_path("themes", "active")).data

    def find(self, params):
        active = self.active()
        return self.get(active["id"]) if active and active.get("id") else None

    def validate(self, params, current):
        for option in ("support_url", "logo_url_light", "logo_url_dark"):
            value = params.get(option)
            if value is not None and not re.match(r"https?://[^/\s]+", value):
                raise InputError("%s must be an http(s) URL, got %r" % (option, value))

    def info(self, params):
        if params.get("id"):
            found = self.get(params["id"])
            return [found] if found else []
        if params.get("realm"):
            return [self.active()]
        realms = self.bi.list(self.bi.path("realms"), "realms")

        def active_of(realm):
            return self.bi.api.get(self.bi.path("realms", realm["id"], "themes", "active")).data

        return self.bi.run_concurrently(active_of, realms)


class ManagedCrud(BeyondIdentityCrud):
    """Applications and resource servers: those Beyond Identity manages (``is_managed``) are read-only."""

    def __init__(self, bi, endpoint, spec):
        super(ManagedCrud, self).__init__(bi, endpoint)
        self.spec = spec

    def refuse_managed(self, current, doing):
        if current and current.get("is_managed"):
            raise InputError("%s %r (id %s) is managed by Beyond Identity and read-only: cannot %s it" % (
                self.endpoint.wrapper.replace("_", " "), current.get("display_name"), current["id"], doing))

    def validate(self, params, current):
        super(ManagedCrud, self).validate(params, current)
        if current is not None and self.spec.changes(params, current):
            self.refuse_managed(current, "change")

    def delete(self, current, params):
        self.refuse_managed(current, "delete")
        super(ManagedCrud, self).delete(current, params)


class ResourceServerCrud(ManagedCrud):
    def __init__(self, bi, spec):
        super(ResourceServerCrud, self).__init__(bi, RESOURCE_SERVERS, spec)

    def validate(self, params, current):
        wanted = params.get("identifier")
        if wanted == RESERVED_IDENTIFIER and (current or {}).get("identifier") != RESERVED_IDENTIFIER:
            raise InputError("identifier %r is reserved for the Beyond Identity Management API" % RESERVED_IDENTIFIER)
        if wanted is not None and wanted != (current or {}).get("identifier"):
            taken = [s for s in self.list_all() if s.get("identifier") == wanted and s["id"] != (current or {}).get("id")]
            if taken:
                raise InputError("identifier %s is already used by resource server %r (id %s) in realm %r; it must be "
                                 "unique per realm" % (shorten(wanted), taken[0].get("display_name"), taken[0]["id"],
                                                       self.bi.realm.get("display_name")))
        super(ResourceServerCrud, self).validate(params, current)


class ApplicationCrud(ManagedCrud):
    """Applications: ``resource_server`` by id or display name; scopes checked against the resource server."""

    def __init__(self, bi, spec):
        super(ApplicationCrud, self).__init__(bi, APPLICATIONS, spec)

    def validate(self, params, current):
        servers = None
        if params.get("resource_server"):
            servers = ResourceServerCrud(self.bi, None).list_all()
            ref = params["resource_server"]
            found = [s for s in servers if s["id"] == ref] or [s for s in servers if s.get("display_name") == ref]
            if len(found) != 1:
                raise InputError("resource_server: %s resource server with id or display name %r in realm %r" % (
                    "no" if not found else "more than one", ref, self.bi.realm.get("display_name")))
            params["resource_server"] = found[0]["id"]
        config_id = params.get("authenticator_config_id")
        if config_id and (current or {}).get("authenticator_config_id") != config_id and not self.bi.api.get_or_none(
                self.bi.realm_path(AUTHENTICATOR_CONFIGS.collection, config_id)):
            raise InputError("authenticator_config_id: no authenticator config %r in realm %r" % (
                config_id, self.bi.realm.get("display_name")))
        protocol = params.get("protocol_config") or {}
        scopes = protocol.get("allowed_scopes")
        if scopes:
            server_id = params.get("resource_server") or (current or {}).get("resource_server_id")
            if not server_id:
                raise InputError("protocol_config.allowed_scopes needs a resource_server: an application without "
                                 "one can only authenticate, so its allowed scopes must be empty")
            server = next((s for s in servers or [] if s["id"] == server_id), None) or self.bi.api.get(
                self.bi.realm_path(RESOURCE_SERVERS.collection, server_id)).data
            unknown = sorted(set(scopes) - set(server.get("scopes") or []))
            if unknown:
                raise InputError("protocol_config.allowed_scopes: %s not among the scopes of resource server %r (%s)"
                                 % (", ".join(unknown), server.get("display_name"),
                                    ", ".join(sorted(server.get("scopes") or []))))
        super(ApplicationCrud, self).validate(params, current)


class AuthenticatorConfigCrud(BeyondIdentityCrud):
    """Authenticator configs have no name: ``id``, else the natural key ``type`` (the realm's hosted web
    config) plus ``invoke_url`` for embedded ones. Bodies always carry the complete ``config`` (its
    oneOf needs ``type``, and ``invoke_url`` and ``trusted_origins`` for embedded)."""

    def __init__(self, bi):
        super(AuthenticatorConfigCrud, self).__init__(bi, AUTHENTICATOR_CONFIGS)

    def find(self, params):
        if params.get("id"):
            return self.get(params["id"])
        kind = params.get("type")
        if kind == "embedded" and not params.get("invoke_url"):
            raise InputError("invoke_url is required with type embedded (it identifies the config), or give id")
        matches = [c for c in self.list_all() if (c.get("config") or {}).get("type") == kind
                   and (kind != "embedded" or c["config"].get("invoke_url") == params["invoke_url"])]
        if len(matches) > 1:
            raise InputError("type %s%s matches %d authenticator configs; give id, one of %s" % (
                kind, " with invoke_url %s" % params["invoke_url"] if kind == "embedded" else "", len(matches),
                ", ".join(sorted(c["id"] for c in matches))))
        return matches[0] if matches else None

    def wanted_config(self, params, current):
        have = dict((current or {}).get("config") or {})
        kind = params.get("type") or have.get("type")
        config = have if have.get("type") == kind else {}
        config["type"] = kind
        for option in ("invoke_url", "trusted_origins"):
            if params.get(option) is not None:
                config[option] = params[option]
        return config

    def validate(self, params, current):
        super(AuthenticatorConfigCrud, self).validate(params, current)
        config = self.wanted_config(params, current)
        if config["type"] == "hosted_web":
            given = [o for o in ("invoke_url", "trusted_origins") if params.get(o) is not None]
            if given:
                raise InputError("%s: only for type embedded; a hosted_web config has no settings" % ", ".join(given))
        else:
            missing = [o for o in ("invoke_url", "trusted_origins") if o not in config]
            if missing:
                raise InputError("type embedded needs %s" % " and ".join(missing))

    def create(self, desired, params):
        return self.bi.api.post(self.collection_path(), {"authenticator_config": {
            "config": self.wanted_config(params, None)}}).data

    def update(self, current, desired, changes, params):
        return self.bi.api.patch(self.item_path(current["id"]), {"authenticator_config": {
            "config": self.wanted_config(params, current)}}).data


# -- module helpers --------------------------------------------------------------------------------


def bulk_option(spec, per_item=()):
    """Argspec of a list option whose items take the single form's ``per_item`` options.

    Item options have no defaults, so an option an item leaves out takes the module-level value.
    """
    single = spec.argument_spec(with_id=False)
    options = {}
    for name in per_item:
        option = dict((k, v) for k, v in single[name].items() if k != "default")
        if name == spec.key.option:
            option["required"] = True
        options[name] = option
    return {"type": "list", "elements": "dict", "options": options}


def bulk_items(module, option, spec):
    """The items of list option ``option`` as full parameter sets (item options over the module's)."""
    common = dict((k, v) for k, v in module.params.items() if k != option)
    items, seen = [], {}
    for number, item in enumerate(module.params[option] or []):
        merged = dict(common)
        merged.update((k, v) for k, v in item.items() if v is not None)
        key = spec.key_normalize(merged.get(spec.key.option))
        if key in seen:
            raise InputError("%s: items %d and %d both have %s %r" % (
                option, seen[key] + 1, number + 1, spec.key.option, merged.get(spec.key.option)))
        seen[key] = number
        items.append(merged)
    return items


def run_bulk(module, engine, option):
    try:
        items = bulk_items(module, option, engine.spec)
    except InputError as exc:
        module.fail_json(msg=str(exc))
    engine.run_bulk(items, module.params.get("concurrency") or 1, option)


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
        return crud.bi.run_concurrently(decorate, objects) if decorate else objects

    return read


def _value(obj, api_path):
    value = get_path(obj, tuple(api_path.split(".")))
    return None if value is MISSING else value


def _comparable(crud, option, value):
    return crud.normalize(value) if option == crud.endpoint.key_option else value


# -- bulk forms of the credential and credential binding job modules (one task for many identities) --


def identities_by_ref(bi, refs, option="identities"):
    """[(ref, identity)] for identity ids or usernames, from one listing of the realm's identities."""
    by_id = dict((i["id"], i) for i in bi.identities())
    by_name = dict(((username_of(i) or "").lower(), i) for i in bi.identities())
    pairs, missing, seen = [], [], set()
    for ref in refs:
        found = by_id.get(ref) or by_name.get(ref.lower())
        if found is None:
            missing.append(ref)
        elif found["id"] not in seen:
            seen.add(found["id"])
            pairs.append((ref, found))
    if missing:
        raise InputError("%s: no identity with id or username %s in realm %r" % (
            option, ", ".join(repr(m) for m in missing[:10]), bi.realm.get("display_name")))
    return pairs


def revoke_credentials_bulk(bi, module):
    """``identities``: revoke every credential of many identities, from one listing of the realm's credentials."""
    pairs = identities_by_ref(bi, module.params["identities"])
    wanted = set(identity["id"] for _ref, identity in pairs)
    credentials = Credentials(bi)
    active = [c for c in credentials.list() if c.get("identity_id") in wanted and c.get("state") != "REVOKED"]
    if not module.check_mode:
        bi.run_concurrently(lambda c: credentials.bi.api.post(credentials.path(c["identity_id"], c["id"], verb="revoke"),
                                                            idempotent=True),
                            active)
    by_owner = {}
    for credential in active:
        by_owner.setdefault(credential["identity_id"], []).append(credential["id"])
    results = [{"item": ref, "changed": identity["id"] in by_owner, "id": identity["id"],
                "revoked": sorted(by_owner.get(identity["id"], []))} for ref, identity in pairs]
    return {"changed": bool(active), "revoked": sorted(c["id"] for c in active), "results": results,
            "diff": {"before": dict((username_of(i), {"active_credentials": len(by_owner[i["id"]])})
                                    for _r, i in pairs if i["id"] in by_owner),
                     "after": dict((username_of(i), {"active_credentials": 0}) for _r, i in pairs if i["id"] in by_owner)}}


class BulkBindingJobs(BindingJobs):
    """Binding jobs for many identities: the realm's jobs are listed once; an identity whose create
    answer was lost is listed again (``create`` looks for the job before sending it twice)."""

    def __init__(self, bi):
        super(BulkBindingJobs, self).__init__(bi)
        self.index = {}

    def list(self, identity_id="-"):
        if identity_id in self.index:
            return self.index[identity_id]
        return super(BulkBindingJobs, self).list(identity_id)

    def ensure_many(self, module):
        params = module.params
        pairs = identities_by_ref(self.bi, params["identities"])
        config_id = self.authenticator_config_id(params.get("authenticator_config_id"))
        method = params["delivery_method"]
        if method == "EMAIL":
            no_email = [ref for ref, i in pairs if not (i.get("traits") or {}).get("primary_email_address")]
            if no_email:
                raise InputError("delivery_method EMAIL: identities without a primary email address: %s"
                                 % ", ".join(repr(ref) for ref in no_email[:10]))
        wanted_ids = set(i["id"] for _ref, i in pairs)
        self.index = dict((ident, []) for ident in wanted_ids)
        for job in super(BulkBindingJobs, self).list("-"):
            if job.get("identity_id") in wanted_ids:
                self.index[job["identity_id"]].append(job)
        wanted = {"delivery_method": method, "authenticator_config_id": config_id}
        if params.get("post_binding_redirect_uri"):
            wanted["post_binding_redirect_uri"] = params["post_binding_redirect_uri"]

        def one(pair):
            ref, identity = pair
            pending = self.pending(identity["id"], method, config_id)
            if pending and not params.get("force"):
                return {"item": ref, "changed": False, "id": pending[-1]["id"], "created": False}
            if module.check_mode:
                return {"item": ref, "changed": True, "created": True}
            self.index.pop(identity["id"], None)  # a lost answer makes ``create`` read this identity's jobs again
            data = self.create(identity["id"], wanted, pending)
            out = {"item": ref, "changed": True, "created": True,
                   "id": (data.get("credential_binding_job") or {}).get("id")}
            if data.get("credential_binding_link"):
                out["credential_binding_link"] = data["credential_binding_link"]
            return out

        results = self.bi.run_concurrently(one, pairs)
        started = [r["item"] for r in results if r["changed"]]
        return {"changed": bool(started), "results": results,
                "diff": {"before": dict((ref, {"binding_job_started": False}) for ref in started),
                         "after": dict((ref, {"binding_job_started": True}) for ref in started)}}
