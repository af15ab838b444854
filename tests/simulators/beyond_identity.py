"""A stateful fake of the Beyond Identity API 1.7.0 (all 104 operations) plus its token endpoint.

The 46 operations of 1.1.0 are served here as they were; the 58 that 1.7.0 adds (roles, SSO
configurations, identity providers, flow type configs, application tokens, batch calls, SCIM v2)
live in ``bi_v17.py``, mixed into the simulator class. Requests are validated against the 1.7.0
document (``SPEC_FILE``), repaired in memory where it has defects (``bi_v17.repair_document``).

Served on one port: the API paths (``/v1/tenants/{tenant_id}/...``, validated against the
vendor's OpenAPI document) and the auth server's client-credentials token endpoint
(``/v1/tenants/{t}/realms/{r}/applications/{a}/token``, client_secret_basic by default).

What a fresh tenant has (``seed``): the tenant, a "Beyond Identity Admin" realm with the
managed "Beyond Identity Management API" resource server and application (the client
credentials in ``connection_env``), a "Default" realm with a hosted-web authenticator
config and two identities (alice, bob) that each own one active passkey credential.

Behaviour taken from the spec text: list pagination ``page_size`` (default 20 / max 200, or
100 / 100 for applications, authenticator configs and resource servers) + opaque
``page_token`` + ``skip`` (not carried by the token); errors ``{code, message, details}``;
delete answers 200 without a body; a realm with groups or identities, a group with members
and an identity in a group cannot be deleted (409); usernames are unique per realm,
case-insensitively (409); one theme per realm (409); an application's ``client_secret`` is
returned only by CreateApplication; managed applications and resource servers are read-only.
Access tokens carry scopes and every operation checks the scope the spec lists for it (403).
"""

import base64
import binascii
import copy
import datetime
import json
import os
import secrets
import threading
import time
import uuid

import yaml

from tests.simulators.bi_v17 import SCIM_TYPES, BeyondIdentityV17, complete_authenticator_config, repair_document
from tests.simulators.core import SPECS_DIR, HttpError, Reply, Simulator, SpecValidator, clone, utc_now
from tests.simulators.wire import random_hex

SPEC_FILE = SPECS_DIR / "beyond_identity" / "beyond-identity-api-v1.7.0-latest.yaml"
# the document of the collection's first Beyond Identity release, kept for reference and comparison
SPEC_FILE_V1_1 = SPECS_DIR / "beyond_identity" / "beyond-identity-api-v1.1.0.yaml"
SERVER_URL = "https://api-us.beyondidentity.com"

TENANT_ID = "0001f1f460b1ace6"
ADMIN_REALM_ID = "8a0c9c3fbd0b2a11"
DEFAULT_REALM_ID = "19a95130480dfa79"
MANAGEMENT_APP_ID = "6d5a3c1e-7f0b-4c2e-9a41-5b0f3e2d1c00"
MANAGEMENT_RS_ID = "84db69f5-48a8-4c11-8cda-1bae3a73f07e"
MANAGEMENT_CLIENT_ID = "sim-management-client"
MANAGEMENT_CLIENT_SECRET = "sim-management-secret-0123456789"

STATUS_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed", 409: "conflict", 422: "unprocessable_entity",
                429: "too_many_requests", 500: "internal_server_error", 502: "bad_gateway",
                503: "service_unavailable", 504: "gateway_timeout"}

_SPEC_LOCK = threading.Lock()
_SPEC_CACHE = {}


class _NoTimestampLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """YAML loader that keeps dates as strings (openapi-core wants JSON types)."""


_NoTimestampLoader.yaml_implicit_resolvers = {
    key: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in getattr(yaml.SafeLoader, "yaml_implicit_resolvers", {}).items()
}


def load_spec():
    """The 1.7.0 document (repaired), its validator and the scope each operation needs (loaded once)."""
    with _SPEC_LOCK:
        if not _SPEC_CACHE:
            with open(SPEC_FILE) as handle:
                spec = repair_document(yaml.load(handle, Loader=_NoTimestampLoader))
            scopes = {}
            for path, ops in spec["paths"].items():
                for method, op in ops.items():
                    needed = [s for entry in op.get("security") or [] for s in entry.get("BearerAuth", [])]
                    scopes[(method.upper(), path)] = needed
            _SPEC_CACHE.update(spec=spec, validator=SpecValidator(spec, SERVER_URL), scopes=scopes)
        return _SPEC_CACHE


def all_scopes():
    return sorted({s for needed in load_spec()["scopes"].values() for s in needed})


def now():
    return utc_now(6)


def uuid_id():
    return str(uuid.uuid4())


def b64url(data):
    return base64.urlsafe_b64encode(json.dumps(data).encode("utf-8")).decode("ascii").rstrip("=")


def field_violation(field, description):
    return [{"type": "FieldViolations", "field_violations": [{"field": field, "description": description}]}]


def resource_info(resource_type, ident, description):
    return [{"type": "ResourceInfo", "resource_type": resource_type, "id": ident, "description": description}]


def merge_patch(target, patch):
    """Partial update: nested objects merge, anything else replaces."""
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            merge_patch(target[key], value)
        else:
            target[key] = copy.deepcopy(value)


class Kind:
    """One realm-scoped resource type: how it is named in paths, bodies, lists and errors."""

    def __init__(self, name, wrapper, items_key, resource_type, new_id=random_hex, page=(20, 200), label=None):
        self.name = name  # store collection and path segment
        self.wrapper = wrapper  # request body key
        self.items_key = items_key  # list response key
        self.resource_type = resource_type  # ResourceInfo.resource_type
        self.new_id = new_id
        self.default_page, self.max_page = page
        self.label = label or resource_type.lower()


GROUPS = Kind("groups", "group", "groups", "Group")
IDENTITIES = Kind("identities", "identity", "identities", "Identity")
APPLICATIONS = Kind("applications", "application", "applications", "Application", uuid_id, (100, 100))
AUTHENTICATOR_CONFIGS = Kind("authenticator-configs", "authenticator_config", "authenticator_configs",
                             "AuthenticatorConfig", uuid_id, (100, 100), label="authenticator configuration")
RESOURCE_SERVERS = Kind("resource-servers", "resource_server", "resource_servers", "ResourceServer", uuid_id,
                        (100, 100), label="resource server")
THEMES = Kind("themes", "theme", "themes", "Theme", uuid_id)
CREDENTIALS = Kind("credentials", None, "credentials", "Credential")
BINDING_JOBS = Kind("credential-binding-jobs", "job", "credential_binding_jobs", "CredentialBindingJob",
                    label="credential binding job")

REALM_PATH = "/v1/tenants/{tenant_id}/realms/{realm_id}"
IDENTITY_PATH = REALM_PATH + "/identities/{identity_id}"


class BeyondIdentitySimulator(BeyondIdentityV17, Simulator):
    vendor = "beyond_identity"
    token_lifetime = 3600
    tenant_id = TENANT_ID
    # the kinds, as the 1.7.0 handlers (bi_v17.py) name them
    identities_kind, groups_kind, applications_kind = IDENTITIES, GROUPS, APPLICATIONS
    authenticator_configs_kind, binding_jobs_kind = AUTHENTICATOR_CONFIGS, BINDING_JOBS
    now = staticmethod(now)
    new_hex = staticmethod(random_hex)

    def __init__(self, validate=True):
        spec = load_spec()
        self.scopes_needed = spec["scopes"]
        super().__init__(validator=spec["validator"] if validate else None)

    # -- seed -----------------------------------------------------------------------------------

    def reset(self):
        kept = getattr(self, "static_token", None)  # the env file written at start must keep working
        self.token_scopes = {}
        self.static_token = None
        # indexes kept beside the store so that no request costs time in the number of objects
        self.realm_index = {}  # (kind name, realm id) -> {id: object}, in creation order
        self.usernames = {}  # (realm id, lower-case username) -> identity id
        super().reset()
        if kept:
            with self.lock:
                self.tokens[kept] = self.tokens.pop(self.static_token)
                self.token_scopes[kept] = self.token_scopes.pop(self.static_token)
                self.static_token = kept

    def seed(self):
        stamp = now()
        self.store["tenant"] = {"id": TENANT_ID, "display_name": "Simulated Tenant", "create_time": stamp,
                                "update_time": stamp}
        for name in ("realms", "groups", "identities", "memberships", "credentials", "credential-binding-jobs",
                     "themes", "applications", "authenticator-configs", "resource-servers", "client_secrets"):
            self.store[name] = {}
        self.seed_v17()
        self._add_realm(ADMIN_REALM_ID, "Beyond Identity Admin", stamp)
        self._add_realm(DEFAULT_REALM_ID, "Default", stamp)
        self._put(RESOURCE_SERVERS, ADMIN_REALM_ID, {
            "id": MANAGEMENT_RS_ID, "display_name": "Beyond Identity Management API", "is_managed": True,
            "identifier": "beyondidentity", "scopes": all_scopes()})
        hosted = self._put(AUTHENTICATOR_CONFIGS, ADMIN_REALM_ID, {"config": {"type": "hosted_web"}})
        self._put(APPLICATIONS, ADMIN_REALM_ID, {
            "id": MANAGEMENT_APP_ID, "display_name": "Beyond Identity Management API", "is_managed": True,
            "resource_server_id": MANAGEMENT_RS_ID, "authenticator_config_id": hosted["id"],
            "protocol_config": {"type": "oauth2", "allowed_scopes": all_scopes(), "client_id": MANAGEMENT_CLIENT_ID,
                                "confidentiality": "confidential",
                                "token_endpoint_auth_method": "client_secret_basic",
                                "grant_type": ["client_credentials"],
                                "token_configuration": {"expires_after": self.token_lifetime,
                                                        "token_signing_algorithm": "RS256",
                                                        "subject_field": "id"}}})
        self.store["client_secrets"][MANAGEMENT_CLIENT_ID] = MANAGEMENT_CLIENT_SECRET
        self._put(AUTHENTICATOR_CONFIGS, DEFAULT_REALM_ID, {"config": {"type": "hosted_web"}})
        for username in ("alice", "bob"):
            identity = self._put(IDENTITIES, DEFAULT_REALM_ID, {
                "display_name": username.title(), "status": "active",
                "traits": {"type": "traits_v0", "username": username,
                           "primary_email_address": "%s@example.com" % username}})
            self.add_credential(DEFAULT_REALM_ID, identity["id"])
        self.static_token = self.mint_token("static-api-token", all_scopes(), lifetime=10 * 365 * 86400)

    def _add_realm(self, realm_id, display_name, stamp):
        self.store["realms"][realm_id] = {"id": realm_id, "tenant_id": TENANT_ID, "display_name": display_name,
                                          "create_time": stamp, "update_time": stamp}

    def _put(self, kind, realm_id, fields):
        """Store a new realm-scoped object (server-side fields filled in) and return it."""
        stamp = now()
        obj = {"id": fields.get("id") or kind.new_id(), "realm_id": realm_id, "tenant_id": TENANT_ID}
        obj.update({k: clone(v) for k, v in fields.items() if k != "id"})
        obj.setdefault("create_time", stamp)
        obj.setdefault("update_time", stamp)
        if kind is AUTHENTICATOR_CONFIGS:
            complete_authenticator_config(obj)
        self.store[kind.name][obj["id"]] = obj
        self.realm_index.setdefault((kind.name, realm_id), {})[obj["id"]] = obj
        if kind is IDENTITIES:
            self._index_username(obj, add=True)
        return obj

    def _drop(self, kind_name, obj):
        """Remove a realm-scoped object from the store and its indexes."""
        del self.store[kind_name][obj["id"]]
        self.realm_index.get((kind_name, obj["realm_id"]), {}).pop(obj["id"], None)
        if kind_name == IDENTITIES.name:
            self._index_username(obj, add=False)

    def _index_username(self, identity, add):
        username = ((identity.get("traits") or {}).get("username") or "").lower()
        key = (identity["realm_id"], username)
        if add:
            self.usernames[key] = identity["id"]
        elif self.usernames.get(key) == identity["id"]:
            del self.usernames[key]

    def add_credential(self, realm_id, identity_id, state="ACTIVE"):
        """Give an identity a passkey, as a completed binding would (tests use this too)."""
        thumbprint = base64.urlsafe_b64encode(os.urandom(32)).decode("ascii").rstrip("=")
        return self._put(CREDENTIALS, realm_id, {
            "identity_id": identity_id, "state": state, "csr_type": "JWT", "jwk_thumbprint": thumbprint,
            "jwk_json": json.dumps({"kty": "EC", "crv": "P-256", "x": thumbprint[:22], "y": thumbprint[22:]})})

    def complete_binding_job(self, job_id):
        """Finish a credential binding job the way the end user's device would."""
        with self.lock:
            job = self.store["credential-binding-jobs"][job_id]
            job["state"] = "COMPLETE"
            job["update_time"] = now()
            return self.add_credential(job["realm_id"], job["identity_id"])

    # -- tokens ---------------------------------------------------------------------------------

    def mint_token(self, client_id, scopes, lifetime=None):
        """A JWT-shaped bearer token (unsigned) carrying the tenant (``bi_t``) and scopes."""
        lifetime = lifetime or self.token_lifetime
        claims = {"bi_t": TENANT_ID, "sub": client_id, "scp": " ".join(scopes), "jti": uuid.uuid4().hex,
                  "exp": int(time.time() + lifetime)}
        token = "%s.%s.%s" % (b64url({"alg": "none", "typ": "JWT"}), b64url(claims), "sim")
        self.tokens[token] = (client_id, time.time() + lifetime)
        self.token_scopes[token] = set(scopes)
        return token

    def is_auth_route(self, path):
        return path.endswith("/token") and "/applications/" in path

    def authenticate(self, req):
        client_id = super().authenticate(req)
        req.scopes = self.token_scopes.get(req.headers.get("Authorization", "")[7:], set())
        return client_id

    def token(self, req):
        form = req.form or {}
        app = self.store["applications"].get(req.params["application_id"])
        if (req.params["tenant_id"] != TENANT_ID or app is None or app["realm_id"] != req.params["realm_id"]):
            return Reply(404, {"error": "not_found", "error_description": "unknown application"})
        protocol = app.get("protocol_config") or {}
        client_id, secret = self._client_credentials(req, form, protocol.get("token_endpoint_auth_method"))
        if client_id != protocol.get("client_id") or secret != self.store["client_secrets"].get(client_id):
            return Reply(401, {"error": "invalid_client", "error_description": "client authentication failed"},
                         {"WWW-Authenticate": 'Basic realm="token"'})
        if form.get("grant_type") != "client_credentials" or "client_credentials" not in protocol.get(
                "grant_type", []):
            return Reply(400, {"error": "unsupported_grant_type", "error_description": "unsupported grant type"})
        allowed = protocol.get("allowed_scopes") or []
        wanted = form.get("scope", "").split() or allowed
        if not set(wanted) <= set(allowed):
            return Reply(400, {"error": "invalid_scope", "error_description": "scope not allowed for application"})
        lifetime = (protocol.get("token_configuration") or {}).get("expires_after") or self.token_lifetime
        token = self.mint_token(client_id, wanted, lifetime)
        self.record_token(app, token, client_id, wanted, lifetime)
        return Reply(200, {"access_token": token, "token_type": "Bearer", "expires_in": lifetime,
                           "scope": " ".join(wanted)}, {"Cache-Control": "no-store"})

    @staticmethod
    def _client_credentials(req, form, method):
        header = req.headers.get("Authorization", "")
        if method == "client_secret_post":
            return form.get("client_id"), form.get("client_secret")
        if not header.startswith("Basic "):
            return None, None
        try:
            pair = base64.b64decode(header[6:]).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None, None
        client_id, _sep, secret = pair.partition(":")
        return client_id, secret

    # -- vendor hooks -----------------------------------------------------------------------------

    def error_body(self, error):
        body = {"code": STATUS_CODES.get(error.status, "error"), "message": error.message}
        if error.code in SCIM_TYPES:  # raised by a SCIM handler: its scimType (see ``steps``)
            body["scimType"] = error.code
        details = error.details
        if not details and error.status == 400:
            details = field_violation("request", error.message)
        if details:
            body["details"] = details
        return body

    def connection_env(self):
        return {
            "BEYONDIDENTITY_API_BASE_URL": self.url,
            "BEYONDIDENTITY_AUTH_BASE_URL": self.url,
            "BEYONDIDENTITY_TENANT_ID": TENANT_ID,
            "BEYONDIDENTITY_API_TOKEN": self.static_token,
        }

    def client_credentials_env(self):
        """The alternative setting: the Management API application's client credentials."""
        return {
            "BEYONDIDENTITY_API_BASE_URL": self.url,
            "BEYONDIDENTITY_AUTH_BASE_URL": self.url,
            "BEYONDIDENTITY_TENANT_ID": TENANT_ID,
            "BEYONDIDENTITY_CLIENT_ID": MANAGEMENT_CLIENT_ID,
            "BEYONDIDENTITY_CLIENT_SECRET": MANAGEMENT_CLIENT_SECRET,
            "BEYONDIDENTITY_AUTH_REALM_ID": ADMIN_REALM_ID,
            "BEYONDIDENTITY_AUTH_APPLICATION_ID": MANAGEMENT_APP_ID,
        }

    # -- routing ---------------------------------------------------------------------------------

    def op(self, method, template, handler):
        """Register a spec operation behind the scope check the spec lists for it."""
        needed = self.scopes_needed[(method, template)]

        def scoped(req):
            missing = [s for s in needed if s not in getattr(req, "scopes", set())]
            if missing:
                raise HttpError(403, "forbidden")
            if req.params["tenant_id"] != TENANT_ID:
                raise HttpError(403, "forbidden")
            return handler(req)

        self.route(method, template, scoped)

    def steps(self, method, raw_path, headers, body):
        reply = yield from super().steps(method, raw_path, headers, body)
        if isinstance(reply, Reply) and reply.status >= 400 and "/scim/v2/" in raw_path:
            reply = self.scim_error(reply)
        if isinstance(reply, Reply) and ("/sso-configs" in raw_path or "/identity-providers" in raw_path):
            # the operations that take ``x-correlation_id`` answer it back on every answer (a new one if none came)
            reply.headers["x-correlation-id"] = headers.get("x-correlation_id") or uuid.uuid4().hex
        return reply

    def register(self):
        self.route("POST", REALM_PATH + "/applications/{application_id}/token", self.token, write=False)
        self.register_v17()
        tenant = "/v1/tenants/{tenant_id}"
        self.op("GET", tenant, lambda req: self.store["tenant"])
        self.op("PATCH", tenant, self.update_tenant)
        self.op("POST", tenant + "/realms", self.create_realm)
        self.op("GET", tenant + "/realms",
                lambda req: self.page(req, list(self.store["realms"].values()), "realms", 20, 200))
        self.op("GET", REALM_PATH, lambda req: self.realm(req, not_found=True))
        self.op("PATCH", REALM_PATH, self.update_realm)
        self.op("DELETE", REALM_PATH, self.delete_realm)
        # ``:verb`` routes first: ``{group_id}`` would otherwise swallow ``g1:listMembers``
        group = REALM_PATH + "/groups/{group_id}"
        self.op("GET", group + ":listMembers", self.list_group_members)
        self.op("POST", group + ":addMembers", lambda req: self.change_members(req, add=True))
        self.op("POST", group + ":deleteMembers", lambda req: self.change_members(req, add=False))
        self.serve_kind(GROUPS, create=self.check_group, delete=self.check_group_delete)
        self.op("GET", IDENTITY_PATH + ":listGroups", self.list_identity_groups)
        self.serve_kind(IDENTITIES, create=self.check_identity, update=self.check_identity,
                        delete=self.check_identity_delete)
        credential = IDENTITY_PATH + "/credentials/{credential_id}"
        self.op("POST", credential + ":revoke", self.revoke_credential)
        self.op("GET", IDENTITY_PATH + "/credentials", lambda req: self.identity_children(req, CREDENTIALS))
        self.op("GET", credential, lambda req: self.identity_child(req, CREDENTIALS, "credential_id"))
        jobs = IDENTITY_PATH + "/credential-binding-jobs"
        self.op("POST", jobs, self.create_binding_job)
        self.op("GET", jobs, lambda req: self.identity_children(req, BINDING_JOBS))
        self.op("GET", jobs + "/{credential_binding_job_id}",
                lambda req: self.identity_child(req, BINDING_JOBS, "credential_binding_job_id"))
        themes = REALM_PATH + "/themes"
        self.op("POST", themes, self.create_theme)
        self.op("GET", themes + "/active", self.active_theme)
        self.op("GET", themes + "/{theme_id}", lambda req: self.get(req, THEMES, "theme_id"))
        self.op("PATCH", themes + "/{theme_id}", lambda req: self.update(req, THEMES, "theme_id"))
        self.serve_kind(APPLICATIONS, create=self.check_application, update=self.check_application,
                        delete=self.check_managed)
        self.serve_kind(AUTHENTICATOR_CONFIGS, create=self.check_authenticator_config,
                        update=self.check_authenticator_config)
        self.serve_kind(RESOURCE_SERVERS, create=self.check_resource_server, update=self.check_resource_server,
                        delete=self.delete_resource_server)

    def serve_kind(self, kind, create=None, update=None, delete=None):
        """Create / List / Get / Update / Delete of one realm-scoped kind, with optional checks.

        ``create(req, realm_id, fields, None)`` and ``update(req, realm_id, patch, current)`` may
        raise ``HttpError``; ``delete(req, current)`` too.
        """
        base = REALM_PATH + "/" + kind.name
        item = base + "/{%s_id}" % kind.wrapper
        id_param = "%s_id" % kind.wrapper
        self.op("POST", base, lambda req: self.create(req, kind, create))
        self.op("GET", base, lambda req: self.page(req, self.in_realm(kind, self.realm(req)["id"]),
                                                   kind.items_key, kind.default_page, kind.max_page))
        self.op("GET", item, lambda req: self.get(req, kind, id_param))
        self.op("PATCH", item, lambda req: self.update(req, kind, id_param, update))
        self.op("DELETE", item, lambda req: self.delete(req, kind, id_param, delete))

    # -- generic handlers ------------------------------------------------------------------------

    def realm(self, req, not_found=True):
        realm = self.store["realms"].get(req.params["realm_id"])
        if realm is None and not_found:
            raise HttpError(404, "realm not found", details=resource_info("Realm", req.params["realm_id"],
                                                                          "realm not found"))
        return realm

    def in_realm(self, kind, realm_id, **match):
        found = self.realm_index.get((kind.name, realm_id), {}).values()
        if not match:
            return list(found)
        return [o for o in found if all(o.get(k) == v for k, v in match.items())]

    def find(self, req, kind, id_param):
        obj = self.store[kind.name].get(req.params[id_param])
        if obj is None or obj["realm_id"] != req.params["realm_id"]:
            raise HttpError(404, "%s not found" % kind.label,
                            details=resource_info(kind.resource_type, req.params[id_param],
                                                  "%s not found" % kind.label))
        return obj

    def body(self, req, wrapper, required=True):
        data = req.json if isinstance(req.json, dict) else {}
        fields = data.get(wrapper)
        if fields is not None and not isinstance(fields, dict):
            raise HttpError(400, "invalid parameters", details=field_violation(wrapper, "must be an object"))
        if fields is None and required:
            raise HttpError(400, "invalid parameters", details=field_violation(wrapper, "missing"))
        return fields or {}  # parsed for this request alone: stored without a copy is safe

    def create(self, req, kind, check=None):
        realm = self.realm(req)
        fields = self.body(req, kind.wrapper)
        if check:
            check(req, realm["id"], fields, None)
        return self.created(kind, self._put(kind, realm["id"], fields))

    def get(self, req, kind, id_param):
        return self.find(req, kind, id_param)

    def update(self, req, kind, id_param, check=None):
        current = self.find(req, kind, id_param)
        patch = self.body(req, kind.wrapper, required=kind is not THEMES)
        if check:
            check(req, current["realm_id"], patch, current)
        if kind is IDENTITIES:
            self._index_username(current, add=False)
        merge_patch(current, patch)
        if kind is IDENTITIES:
            self._index_username(current, add=True)
        if kind is AUTHENTICATOR_CONFIGS:
            complete_authenticator_config(current)
        current["update_time"] = now()
        return current

    def delete(self, req, kind, id_param, check=None):
        current = self.find(req, kind, id_param)
        if check:
            check(req, current)
        self._drop(kind.name, current)
        return Reply(200, None)

    def page(self, req, items, items_key, default_size, max_size):
        """The spec's pagination: ``page_size`` / opaque ``page_token`` / ``skip`` (not in the token)."""
        size = int(req.arg("page_size") or 0) or None
        offset = 0
        token = req.arg("page_token")
        if token:
            try:
                state = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
                if state["p"] != req.path:
                    raise ValueError(token)
                offset, size = int(state["o"]), size or int(state["s"])
            except (ValueError, KeyError, TypeError, binascii.Error):
                raise HttpError(400, "invalid parameters", details=field_violation("page_token", "invalid page token"))
        size = min(size or default_size, max_size)
        start = int(req.arg("skip") or 0) + offset
        chunk = items[start:start + size]
        out = {items_key: chunk, "total_size": len(items)}
        if start + size < len(items):
            state = {"p": req.path, "o": offset + size, "s": size}
            out["next_page_token"] = base64.urlsafe_b64encode(json.dumps(state).encode()).decode().rstrip("=")
        return out

    # -- tenant and realms -------------------------------------------------------------------------

    def update_tenant(self, req):
        patch = self.body(req, "tenant")
        if "display_name" in patch:
            self.store["tenant"]["display_name"] = patch["display_name"]
            self.store["tenant"]["update_time"] = now()
        return self.store["tenant"]

    def create_realm(self, req):
        fields = self.body(req, "realm")
        if not fields.get("display_name"):
            raise HttpError(400, "invalid parameters", details=field_violation("realm.display_name", "missing"))
        realm_id = random_hex()
        self._add_realm(realm_id, fields["display_name"], now())
        self._put(AUTHENTICATOR_CONFIGS, realm_id, {"config": {"type": "hosted_web"}})
        return self.store["realms"][realm_id]

    def update_realm(self, req):
        realm = self.realm(req)
        patch = self.body(req, "realm")
        if "display_name" in patch:
            realm["display_name"] = patch["display_name"]
            realm["update_time"] = now()
        return realm

    def delete_realm(self, req):
        realm = self.realm(req)
        if self.in_realm(GROUPS, realm["id"]) or self.in_realm(IDENTITIES, realm["id"]):
            raise HttpError(409, "realm has children")
        del self.store["realms"][realm["id"]]
        for name in ("applications", "authenticator-configs", "resource-servers", "themes"):
            for obj in list(self.realm_index.get((name, realm["id"]), {}).values()):
                self._drop(name, obj)
        return Reply(200, None)

    # -- groups, identities, memberships -------------------------------------------------------------

    def check_group(self, req, realm_id, fields, current):
        if current is None and not fields.get("display_name"):
            raise HttpError(400, "invalid parameters", details=field_violation("group.display_name", "missing"))
        if fields.get("description") == "":
            raise HttpError(400, "invalid parameters", details=field_violation("group.description", "empty string"))

    def check_group_delete(self, req, group):
        if self.store["memberships"].get(group["id"]):
            raise HttpError(409, "group has children")
        self.store["memberships"].pop(group["id"], None)
        self.forget_principal(group["id"])

    def check_identity(self, req, realm_id, fields, current):
        traits = fields.get("traits") or {}
        if current is None:
            if not fields.get("display_name"):
                raise HttpError(400, "invalid parameters",
                                details=field_violation("identity.display_name", "missing"))
            if not traits.get("username"):
                raise HttpError(400, "invalid parameters",
                                details=field_violation("identity.traits.username", "missing"))
            fields.setdefault("status", "active")
        if "status" in fields and fields["status"] not in ("active", "suspended"):
            raise HttpError(400, "invalid parameters",
                            details=field_violation("identity.status", "must be active or suspended"))
        username = traits.get("username")
        if username:
            other = self.store["identities"].get(self.usernames.get((realm_id, username.lower())))
            if other is not None and other is not current:
                raise HttpError(409, "username already exists")

    def check_identity_delete(self, req, identity):
        if any(identity["id"] in members for members in self.store["memberships"].values()):
            raise HttpError(409, "identity has children")
        for kind in (CREDENTIALS, BINDING_JOBS):
            for obj in self.in_realm(kind, identity["realm_id"], identity_id=identity["id"]):
                self._drop(kind.name, obj)
        self.forget_principal(identity["id"])

    def list_group_members(self, req):
        group = self.find(req, GROUPS, "group_id")
        members = self.store["memberships"].get(group["id"], {})
        identities = [self.store["identities"][i] for i in members if i in self.store["identities"]]
        return self.page(req, identities, "identities", 20, 200)

    def list_identity_groups(self, req):
        identity = self.find(req, IDENTITIES, "identity_id")
        groups = [self.store["groups"][g] for g, members in self.store["memberships"].items()
                  if identity["id"] in members and g in self.store["groups"]]
        return self.page(req, groups, "groups", 20, 200)

    def change_members(self, req, add):
        group = self.find(req, GROUPS, "group_id")
        ids = (req.json or {}).get("identity_ids") or []
        missing = [i for i in ids if self.store["identities"].get(i, {}).get("realm_id") != group["realm_id"]]
        if missing:
            raise HttpError(404, "identity not found", details=resource_info("Identity", missing[0],
                                                                             "identity not found"))
        members = self.store["memberships"].setdefault(group["id"], {})
        for ident in ids:
            if add:
                members[ident] = now()
            else:
                members.pop(ident, None)
        group["update_time"] = now()
        return group

    # -- credentials and binding jobs ----------------------------------------------------------------

    def identity_children(self, req, kind):
        """ListCredentials / ListCredentialBindingJobs: ``-`` means every identity of the realm."""
        match = {} if req.params["identity_id"] == "-" else {"identity_id": req.params["identity_id"]}
        return self.page(req, self.in_realm(kind, req.params["realm_id"], **match), kind.items_key, 20, 200)

    def identity_child(self, req, kind, id_param):
        obj = self.find(req, kind, id_param)
        if obj["identity_id"] != req.params["identity_id"]:
            raise HttpError(404, "%s not found" % kind.label,
                            details=resource_info(kind.resource_type, obj["id"], "%s not found" % kind.label))
        return obj

    def revoke_credential(self, req):
        credential = self.identity_child(req, CREDENTIALS, "credential_id")
        if credential["state"] != "REVOKED":
            credential["state"] = "REVOKED"
            credential["update_time"] = now()
        return credential

    def create_binding_job(self, req):
        identity = self.find(req, IDENTITIES, "identity_id")
        job = self.body(req, "job")
        if not job.get("authenticator_config_id"):
            raise HttpError(400, "invalid parameters",
                            details=field_violation("job.authenticator_config_id", "empty string"))
        if not job.get("delivery_method"):
            raise HttpError(400, "invalid parameters", details=field_violation("job.delivery_method", "missing"))
        config = self.store["authenticator-configs"].get(job["authenticator_config_id"])
        if config is None or config["realm_id"] != identity["realm_id"]:
            raise HttpError(400, "invalid parameters",
                            details=field_violation("job.authenticator_config_id", "authenticator config not found"))
        if job["delivery_method"] == "EMAIL" and not identity["traits"].get("primary_email_address"):
            raise HttpError(422, "Identity missing email address",
                            details=resource_info("Identity", identity["id"], "Identity missing email address"))
        job.update(identity_id=identity["id"],
                   state="LINK_SENT" if job["delivery_method"] == "EMAIL" else "REQUEST_DELIVERED",
                   expire_time=(datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=7)).strftime(
                       "%Y-%m-%dT%H:%M:%S.%fZ"))
        stored = self._put(BINDING_JOBS, identity["realm_id"], job)
        out = {"credential_binding_job": stored}
        if job["delivery_method"] == "RETURN":
            out["credential_binding_link"] = "https://auth-us.beyondidentity.com/v1/tenants/%s/realms/%s/" \
                "identities/%s/credential-binding-jobs/%s:invokeAuthenticator?token=%s" % (
                    TENANT_ID, identity["realm_id"], identity["id"], stored["id"], secrets.token_urlsafe(24))
        return out

    # -- themes --------------------------------------------------------------------------------------

    def create_theme(self, req):
        realm = self.realm(req)
        if self.in_realm(THEMES, realm["id"]):
            raise HttpError(409, "theme already exists for this realm")
        fields = self.body(req, "theme", required=False)
        if fields.get("email_realm_name") == "":
            raise HttpError(400, "Bad Request", details=field_violation(
                "theme.email_realm_name", "provided email_realm_name must not be empty"))
        theme = {k: v for k, v in self.default_theme(realm).items()
                 if k not in ("id", "realm_id", "tenant_id", "create_time", "update_time")}
        theme.update(fields)
        return self._put(THEMES, realm["id"], theme)

    def active_theme(self, req):
        realm = self.realm(req)
        themes = self.in_realm(THEMES, realm["id"])
        return themes[0] if themes else self.default_theme(realm)

    @staticmethod
    def default_theme(realm):
        return {"id": "default", "realm_id": realm["id"], "tenant_id": TENANT_ID, "create_time": realm["create_time"],
                "update_time": realm["create_time"], "email_realm_name": realm["display_name"],
                "logo_url_light": "https://byndid-public-assets.s3.amazonaws.com/logos/beyondidentity.png",
                "logo_url_dark": "https://byndid-public-assets.s3.amazonaws.com/logos/beyondidentity.png",
                "support_url": "https://www.beyondidentity.com/support"}

    # -- applications, authenticator configs, resource servers ---------------------------------------

    def check_managed(self, req, current):
        if current is not None and current.get("is_managed"):
            raise HttpError(403, "forbidden: managed resources may not be modified")

    def delete_resource_server(self, req, current):
        self.check_managed(req, current)
        self.forget_resource_server(current["id"])

    def check_resource_server(self, req, realm_id, fields, current):
        self.check_managed(req, current)
        if current is None and not fields.get("display_name"):
            raise HttpError(400, "invalid parameters",
                            details=field_violation("resource_server.display_name", "missing"))
        identifier = fields.get("identifier")
        if identifier == "beyondidentity":
            raise HttpError(400, "invalid parameters",
                            details=field_violation("resource_server.identifier", "reserved identifier"))
        if identifier and any(o.get("identifier") == identifier and o is not current
                              for o in self.in_realm(RESOURCE_SERVERS, realm_id)):
            # the document lists no 409 for Create/UpdateResourceServer: a taken identifier is a 400
            raise HttpError(400, "invalid parameters", details=field_violation(
                "resource_server.identifier", "resource server identifier already exists"))
        if current is None:
            fields["is_managed"] = False
            fields.setdefault("scopes", [])

    def check_authenticator_config(self, req, realm_id, fields, current):
        config = fields.get("config")
        if current is None and not config:
            raise HttpError(400, "invalid parameters",
                            details=field_violation("authenticator_config.config", "missing"))
        if current is not None and config and "type" not in config:
            config["type"] = current["config"]["type"]
        if current is not None and config and config["type"] != current["config"]["type"]:
            current["config"] = {}  # a different type replaces the whole config

    def check_application(self, req, realm_id, fields, current):
        self.check_managed(req, current)
        if current is None and not fields.get("display_name"):
            raise HttpError(400, "invalid parameters", details=field_violation("application.display_name", "missing"))
        if current is None and not fields.get("protocol_config"):
            raise HttpError(400, "invalid parameters",
                            details=field_violation("application.protocol_config", "missing"))
        merged = copy.deepcopy(current or {})
        merge_patch(merged, fields)
        rs_id = merged.get("resource_server_id")
        server = self.store["resource-servers"].get(rs_id) if rs_id else None
        if rs_id and (server is None or server["realm_id"] != realm_id):
            raise HttpError(400, "invalid parameters",
                            details=field_violation("application.resource_server_id", "resource server not found"))
        ac_id = merged.get("authenticator_config_id")
        config = self.store["authenticator-configs"].get(ac_id) if ac_id else None
        if ac_id and (config is None or config["realm_id"] != realm_id):
            raise HttpError(400, "invalid parameters", details=field_violation(
                "application.authenticator_config_id", "authenticator config not found"))
        protocol = merged.get("protocol_config") or {}
        scopes = protocol.get("allowed_scopes") or []
        if scopes and not set(scopes) <= set((server or {}).get("scopes") or []):
            raise HttpError(400, "invalid parameters", details=field_violation(
                "application.protocol_config.allowed_scopes", "scopes must be a subset of the resource server's"))
        if current is None:
            fields["is_managed"] = False
            protocol = fields["protocol_config"]
            protocol["client_id"] = secrets.token_urlsafe(18)
            protocol.setdefault("confidentiality", "confidential")
            protocol.setdefault("token_endpoint_auth_method", "client_secret_basic")
            protocol.setdefault("grant_type", ["authorization_code"])
            protocol.setdefault("pkce", "disabled" if protocol["confidentiality"] == "confidential" else "s256")
            if protocol["confidentiality"] == "confidential":
                self.store["client_secrets"][protocol["client_id"]] = secrets.token_urlsafe(36)

    def created(self, kind, stored):
        """What a create answers: an application's client secret is shown this once."""
        client_id = (stored.get("protocol_config") or {}).get("client_id") if kind is APPLICATIONS else None
        if client_id not in self.store["client_secrets"]:
            return stored
        shown = copy.deepcopy(stored)
        shown["protocol_config"]["client_secret"] = self.store["client_secrets"][client_id]
        return shown
