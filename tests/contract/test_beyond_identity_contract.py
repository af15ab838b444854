"""Schemathesis checks the Beyond Identity simulator against the vendor's 1.7.0 document.

Every one of the 104 operations of the document (as ``load_spec`` repairs it: see
tests/simulators/specs/README.md) gets positive cases (schema-valid requests that
must not be refused: 2xx, or 401/403/404/409 where the data names a missing/conflicting object)
and negative cases (requests the document forbids: must be refused with a 4xx), and every answer
must use a status code, content type, headers and body the document gives for that operation.
A second, smaller negative pass lets schemathesis break the ``Authorization`` header too, and a
third pass sends schema-valid requests for objects that do not exist (generated ids).

Path parameters point at real objects of the running simulator (tenant, realms, identities,
groups, credentials, binding jobs, themes, applications, authenticator configs, resource
servers), so the cases reach the handlers instead of bouncing off 404. Operations that use up
their object (deletes, revoke, one theme per realm) get a fresh object for every case.

Spec quirks handled here, each limited to positive cases (negative cases are never touched):

* ``requestBody`` is not marked ``required`` although its schema requires the wrapper key
  (``{"tenant": ...}``); the API refuses a request without a body, so positive cases for those
  operations always carry one (``keep``).
* Create and update share one schema per resource, so the document cannot mark the fields a
  create needs (``display_name``, ``traits.username``, ``protocol_config``, ...) as required; a
  positive create case gets the ones hypothesis left out (``World.required_on_create``),
  everything it generated is sent as generated.
* The document's own 400 examples refuse some empty strings its schemas allow (e.g.
  ``group.description: empty string``); positive cases do not send an empty value there.
* ``page_token`` is an opaque server-issued token typed as a plain string; the document itself
  lists ``invalid page token`` as a 400 answer. A positive case gets a genuine token.
* Identifiers inside request bodies (member ids, authenticator config and resource server ids)
  are plain strings in the document; positive cases reference real objects (a random id is a
  404/400 by design, which would hide the success path), and an application's
  ``allowed_scopes`` must be a subset of its resource server's scopes (document prose).
* A resource server ``identifier`` "should be unique per realm"; positive cases get an unused
  one instead of the document's example value that every generated case repeats.
* CreateCredentialBindingJob's 404 schema is the detail object instead of the ``Error`` envelope
  its own example shows; the copy of the document used here says ``Error`` (see ``DOCUMENT``).
* The 1.7.0 operations list their error answers unevenly; where one lists no 400, 401 or 404, that
  answer is added (``V1_7_ONLY``), in its neighbours' error shape.
* DeleteIdentity keeps its 1.1.0 answer 409 for an identity in a group, which 1.7.0 no longer lists
  (a deliberate deviation, see the specs README); ``DOCUMENT`` lists it again.
* 1.7.0: the SSO payload's ``type`` says which alternative of the (overlapping) payload applies, so a
  positive create gets the fields its type's alternative requires, and an update keeps the type;
  display names (roles, identity providers, SCIM users and groups) are unique, so positive cases get
  unused ones; an identity's ``status`` is a plain string whose description names ``active`` and
  ``suspended``: positive cases send one of them; a SCIM ``filter`` is RFC 7644 filter grammar, which the document types as a plain
  string: positive cases send a valid one; ids in bodies (``ids``, ``group_ids``, scopes of a role)
  name real objects, as for 1.1.0.

The last test runs schemathesis' state machine along the links it infers from the document, with
the stateful checks (``use_after_free``, ``ensure_resource_availability``) on top, over the 46
operations of 1.1.0 (with the 1.7.0 ones added it finds no chain to start).
"""

import copy
import itertools

import pytest
import requests
import yaml

from tests.contract.harness import (NEGATIVE, POSITIVE, ContractRun, has_body, is_positive, load_schema,
                                    own_simulator, positive_with_body)
from tests.simulators.beyond_identity import DEFAULT_REALM_ID, SPEC_FILE_V1_1, TENANT_ID, load_spec

POSITIVE_EXAMPLES = 8
NEGATIVE_EXAMPLES = 8
AUTH_EXAMPLES = 2
UNKNOWN_EXAMPLES = 3
STATEFUL_EXAMPLES = 25
STATEFUL_STEPS = 8

DOCUMENT = copy.deepcopy(load_spec()["spec"])
with open(SPEC_FILE_V1_1) as _handle:
    V1_1_DOCUMENT = yaml.safe_load(_handle)
V1_1_ONLY = {op["operationId"] for ops in V1_1_DOCUMENT["paths"].values() for op in ops.values()
             if isinstance(op, dict) and "operationId" in op}
V1_7_ONLY = {op["operationId"] for ops in DOCUMENT["paths"].values() for op in ops.values()
             if isinstance(op, dict) and "operationId" in op} - V1_1_ONLY
# The one error answer whose schema is the detail object instead of the ``Error`` envelope; the
# document's own example for it (and every other 404) is the envelope, so that is what is checked.
_JOBS = "/v1/tenants/{tenant_id}/realms/{realm_id}/identities/{identity_id}/credential-binding-jobs"
DOCUMENT["paths"][_JOBS]["post"]["responses"]["404"]["content"]["application/json"]["schema"] = {
    "$ref": "#/components/schemas/Error"}
_DELETE_IDENTITY = DOCUMENT["paths"]["/v1/tenants/{tenant_id}/realms/{realm_id}/identities/{identity_id}"]["delete"]
_DELETE_IDENTITY["responses"].setdefault("409", copy.deepcopy(_DELETE_IDENTITY["responses"]["404"]))
# The 1.7.0 operations list their error answers unevenly (listIdentityGroupAssociations no 404, the SCIM metadata
# no 401, BatchDeleteIdentities no 400, ...): where one lists no 400 (a request the document refuses), 401 (no
# valid token) or 404 (an id naming nothing), that answer is added, in the error shape of its neighbours.
for _path, _ops in DOCUMENT["paths"].items():
    for _method, _op in _ops.items():
        if not isinstance(_op, dict) or "responses" not in _op:
            continue
        _scim = "/scim/v2/" in _path
        _shape = {"$ref": "#/components/schemas/SCIMError" if _scim else "#/components/schemas/Error"}
        for _status in ("400", "401", "404"):
            if _status not in _op["responses"] and _op.get("operationId") in V1_7_ONLY:
                _op["responses"][_status] = {"description": "added by the contract test",
                                             "content": {"application/json": {"schema": dict(_shape)}}}
OPERATIONS = sorted((op["operationId"], path, method.upper()) for path, ops in DOCUMENT["paths"].items()
                    for method, op in ops.items() if isinstance(op, dict) and "operationId" in op)
_counter = itertools.count(1)


def unique(prefix):
    return "%s-%d" % (prefix, next(_counter))


class World:
    """The running simulator plus the real objects the generated cases point at."""

    def __init__(self, sim):
        self.sim = sim
        self.http = requests.Session()
        self.http.headers["Authorization"] = "Bearer " + sim.static_token
        self.realm = "/v1/tenants/%s/realms/%s" % (TENANT_ID, DEFAULT_REALM_ID)
        identities = self.api("GET", self.realm + "/identities")["identities"]
        by_name = {i["traits"]["username"]: i["id"] for i in identities}
        self.alice, self.bob = by_name["alice"], by_name["bob"]
        self.credential = self.api("GET", self.realm + "/identities/%s/credentials" % self.alice)["credentials"][0]["id"]
        self.authenticator_config = self.api("POST", self.realm + "/authenticator-configs", {
            "authenticator_config": {"config": {"type": "hosted_web"}}})["id"]
        self.resource_server = self.api("POST", self.realm + "/resource-servers", {"resource_server": {
            "display_name": "Contract API", "identifier": "https://contract.example/api",
            "scopes": ["contract:read", "contract:write"]}})["id"]
        self.application = self.new_application()
        self.group = self.api("POST", self.realm + "/groups", {"group": {"display_name": "Contract Group"}})["id"]
        self.api("POST", self.realm + "/groups/%s:addMembers" % self.group, {"identity_ids": [self.alice]})
        self.job = self.api("POST", self.realm + "/identities/%s/credential-binding-jobs" % self.alice, {
            "job": {"delivery_method": "RETURN", "authenticator_config_id": self.authenticator_config}})[
            "credential_binding_job"]["id"]
        self.theme = self.api("POST", self.realm + "/themes", {"theme": {"email_realm_name": "Contract"}})["id"]
        # 1.7.0 objects
        self.http.headers["x-correlation_id"] = "contract"
        self.role = self.new_role()
        self.sso_config = self.new_sso_config()
        self.sso_app = self.api("POST", self.realm + "/sso-configs", {"sso_config": {
            "display_name": unique("OIDC"), "payload": SSO_PAYLOADS["generic_oidc"]}})["payload"]["application_id"]
        self.identity_provider = self.new_identity_provider()
        self.batch = self.api("POST", self.realm + "/batch-credential-binding-jobs", {"batch_credential_binding_job": {
            "identity_ids": [self.alice], "job_template": {"authenticator_config_id": self.authenticator_config}}})["id"]

    def api(self, method, path, body=None):
        answer = self.http.request(method, self.sim.url + path, json=body)
        assert answer.status_code == 200, "%s %s -> %d %s" % (method, path, answer.status_code, answer.text)
        return answer.json() if answer.content else None

    # -- objects made for one case --------------------------------------------------------------

    def new_realm(self):
        return self.api("POST", "/v1/tenants/%s/realms" % TENANT_ID, {"realm": {"display_name": unique("Realm")}})["id"]

    def new_identity(self):
        return self.api("POST", self.realm + "/identities", {"identity": {
            "display_name": "Contract", "traits": {"type": "traits_v0", "username": unique("contract"),
                                                   "primary_email_address": "contract@example.com"}}})["id"]

    def new_group(self):
        return self.api("POST", self.realm + "/groups", {"group": {"display_name": unique("Group")}})["id"]

    def new_application(self):
        app = self.api("POST", self.realm + "/applications", {"application": {
            "display_name": unique("App"), "resource_server_id": self.resource_server,
            "protocol_config": {"type": "oauth2", "allowed_scopes": ["contract:read"],
                                "grant_type": ["client_credentials"], "confidentiality": "confidential"}}})
        if not hasattr(self, "client"):  # the shared application's client issues the tokens RevokeToken revokes
            self.client = (app["id"], app["protocol_config"]["client_id"], app["protocol_config"]["client_secret"])
        return app["id"]

    def new_role(self):
        return self.api("POST", self.realm + "/resource-servers/%s/roles" % self.resource_server, {
            "role": {"display_name": unique("Role")}})["id"]

    def new_sso_config(self):
        return self.api("POST", self.realm + "/sso-configs", {"sso_config": {
            "display_name": unique("SSO"), "payload": SSO_PAYLOADS["bookmark"]}})["id"]

    def new_identity_provider(self):
        return self.api("POST", self.realm + "/identity-providers", {
            "display_name": unique("IdP"), "protocol_config": IDP_PROTOCOL})["id"]

    def new_token(self):
        """A token the contract application's token endpoint issues; its id from ListTokens."""
        app_id, client_id, secret = self.client
        requests.post(self.sim.url + self.realm + "/applications/%s/token" % app_id, auth=(client_id, secret),
                      data={"grant_type": "client_credentials"}, timeout=10).raise_for_status()
        return self.api("GET", self.realm + "/applications/%s/tokens" % app_id)["tokens"][-1]["id"]

    def new_pending_job(self):
        return self.api("POST", self.realm + "/identities/%s/credential-binding-jobs" % self.alice, {
            "job": {"delivery_method": "RETURN", "authenticator_config_id": self.authenticator_config}})[
            "credential_binding_job"]["id"]

    def new_authenticator_config(self):
        return self.api("POST", self.realm + "/authenticator-configs", {
            "authenticator_config": {"config": {"type": "hosted_web"}}})["id"]

    def new_resource_server(self):
        return self.api("POST", self.realm + "/resource-servers", {"resource_server": {
            "display_name": unique("RS"), "identifier": "https://%s.example/api" % unique("rs"),
            "scopes": ["contract:read", "contract:write"]}})["id"]

    def new_credential(self):
        # There is no API to create a credential (the end user's device binds one); the
        # simulator's helper stands in for a completed binding.
        return self.sim.add_credential(DEFAULT_REALM_ID, self.alice)["id"]

    # -- which objects each operation's path parameters name ------------------------------------

    def path_parameters(self):
        return {"tenant_id": TENANT_ID, "realm_id": DEFAULT_REALM_ID, "group_id": self.group,
                "identity_id": self.alice, "credential_id": self.credential,
                "credential_binding_job_id": self.job, "theme_id": self.theme, "application_id": self.application,
                "authenticator_config_id": self.authenticator_config, "resource_server_id": self.resource_server,
                "role_id": self.role, "sso_config_id": self.sso_config, "identity_provider_id": self.identity_provider,
                "batch_credential_binding_job_id": self.batch, "user_id": self.alice, "token_id": "unknown"}

    def fresh(self, operation_id):
        """For operations that use up their object: a new one for every case."""
        makers = {
            "DeleteRealm": lambda: {"realm_id": self.new_realm()},
            "CreateTheme": lambda: {"realm_id": self.new_realm()},  # one theme per realm (409 otherwise)
            "DeleteGroup": lambda: {"group_id": self.new_group()},
            "DeleteIdentity": lambda: {"identity_id": self.new_identity()},
            "RevokeCredential": lambda: {"credential_id": self.new_credential()},
            "DeleteApplication": lambda: {"application_id": self.new_application()},
            "DeleteAuthenticatorConfig": lambda: {"authenticator_config_id": self.new_authenticator_config()},
            "DeleteResourceServer": lambda: {"resource_server_id": self.new_resource_server()},
            "DeleteRole": lambda: {"role_id": self.new_role()},
            "DeleteSsoConfig": lambda: {"sso_config_id": self.new_sso_config()},
            "deleteIdentityProvider": lambda: {"identity_provider_id": self.new_identity_provider()},
            "RevokeToken": lambda: {"token_id": self.new_token()},
            "SetCredentialBindingJobRevoked": lambda: {"credential_binding_job_id": self.new_pending_job()},
            "SCIMDeleteUser": lambda: {"user_id": self.new_identity()},
            "SCIMDeleteGroup": lambda: {"group_id": self.new_group()},
        }
        maker = makers.get(operation_id)
        return (lambda case: maker()) if maker else None

    def fixed_path(self, operation_id):
        """Updates get an object of their own, so the shared ones keep what other cases rely on
        (alice's email for binding jobs, the resource server's scopes for new applications)."""
        params = self.path_parameters()
        own = {"UpdateIdentity": ("identity_id", self.new_identity), "UpdateGroup": ("group_id", self.new_group),
               "UpdateApplication": ("application_id", self.new_application),
               "UpdateAuthenticatorConfig": ("authenticator_config_id", self.new_authenticator_config),
               "UpdateResourceServer": ("resource_server_id", self.new_resource_server),
               "SCIMUpdateUser": ("user_id", self.new_identity), "SCIMReplaceUser": ("user_id", self.new_identity),
               "SCIMUpdateGroup": ("group_id", self.new_group)}.get(operation_id)
        if own is not None:
            params[own[0]] = own[1]()
        if operation_id == "ApplicationIdToSSOConfigId":
            params["application_id"] = self.sso_app  # an application behind an SSO configuration
        return params

    @staticmethod
    def fixed_query(operation_id, params):
        """ListGroupRoles / ListIdentityRoles must name a resource server (a missing one is a 409)."""
        if operation_id in ("ListGroupRoles", "ListIdentityRoles"):
            return {"resource_server_id": params["resource_server_id"]}
        return None

    # -- positive-case adjustments (see the module docstring) -----------------------------------

    def required_on_create(self, operation_id):
        """Fields the API needs on create that the shared schema cannot mark as required."""
        return {
            "CreateRealm": ("realm", {"display_name": unique("Realm")}),
            "CreateGroup": ("group", {"display_name": unique("Group")}),
            "CreateIdentity": ("identity", {"display_name": "Generated",
                                            "traits": {"type": "traits_v0", "username": unique("generated")}}),
            "CreateApplication": ("application", {"display_name": unique("App"),
                                                  "protocol_config": {"type": "oauth2"}}),
            "CreateAuthenticatorConfig": ("authenticator_config", {"config": {"type": "hosted_web"}}),
            "CreateResourceServer": ("resource_server", {"display_name": unique("RS")}),
            "CreateCredentialBindingJob": ("job", {"delivery_method": "RETURN",
                                                   "authenticator_config_id": self.authenticator_config}),
            "CreateRole": ("role", {"display_name": unique("Role")}),
            "SCIMCreateUser": ("user", {"userName": unique("scim")}),
            "SCIMReplaceUser": ("user", {"userName": unique("scim")}),
            "SCIMCreateGroup": ("group", {"displayName": unique("SCIM Group")}),
        }.get(operation_id)

    def prepare(self, operation_id, path):
        not_empty = empty_string_violations(operation_id)

        def adjust(case):
            if not is_positive(case):
                return
            if isinstance(case.query, dict) and case.query.get("filter") and "/scim/v2/" in path:
                case.query["filter"] = 'userName eq "alice"' if "/Users" in path else 'displayName eq "Contract Group"'
            if isinstance(case.query, dict) and "page_token" in case.query:
                token = self.page_token(case)
                if token is None:
                    del case.query["page_token"]
                else:
                    case.query["page_token"] = token
            if not isinstance(case.body, dict):
                return
            needed = self.required_on_create(operation_id)
            if needed is not None:
                wrapper, fields = needed
                if isinstance(case.body.get(wrapper), dict):
                    fill_missing(case.body[wrapper], fields)
            self.real_references(case.body)
            for dotted in not_empty:
                parent, _sep, leaf = dotted.rpartition(".")
                target = case.body
                for part in parent.split(".") if parent else ():
                    target = target.get(part) if isinstance(target, dict) else None
                if isinstance(target, dict) and target.get(leaf) == "":
                    target[leaf] = "generated"
            self.v17_body(operation_id, case.body)
            server = case.body.get("resource_server")
            if isinstance(server, dict) and "identifier" in server:
                # "should be unique per realm": the generator keeps reusing the document's
                # example identifier, which an earlier case already took (a 400 by design)
                server["identifier"] = "https://%s.example/api" % unique("generated")
        return adjust

    def v17_body(self, operation_id, body):
        """The 1.7.0 quirks of positive bodies (see the module docstring)."""
        role = body.get("role")
        if isinstance(role, dict) and "display_name" in role:
            role["display_name"] = unique("Role")  # unique per resource server
        identity = body.get("identity")
        if isinstance(identity, dict) and identity.get("status") not in (None, "active", "suspended"):
            identity["status"] = "active"  # the document's description names the two statuses
        if operation_id == "BatchDeleteIdentities":
            body["ids"] = [self.new_identity()]
        if operation_id in ("AddRoleMembers", "DeleteRoleMembers"):
            body.update(identity_ids=[self.bob], group_ids=[self.group])
        if operation_id in ("AddRoleScopes", "DeleteRoleScopes"):
            body["scopes"] = ["contract:read"]
        if isinstance(body.get("group_ids"), list):
            body["group_ids"] = [self.group]
        if isinstance(body.get("ids"), list) and operation_id != "BatchDeleteIdentities":
            body["ids"] = [self.bob]
        batch = body.get("batch_credential_binding_job")
        if isinstance(batch, dict):
            batch["identity_ids"] = [self.bob]
            batch["job_template"] = {"authenticator_config_id": self.authenticator_config}
        sso = body.get("sso_config")
        if operation_id == "CreateSsoConfig" and isinstance(sso, dict):
            payload = sso.get("payload") if isinstance(sso.get("payload"), dict) else {}
            kind = payload.get("type") if payload.get("type") in SSO_PAYLOADS else "bookmark"
            payload.update((k, v) for k, v in SSO_PAYLOADS[kind].items() if k not in payload or k == "type")
            sso.update(payload=payload, display_name=sso.get("display_name") or unique("SSO"))
        if operation_id == "UpdateSsoConfig" and isinstance(sso, dict):
            sso["type"] = "bookmark"  # the type of an SSO configuration does not change
        if operation_id in ("createIdentityProvider",):
            body["display_name"] = unique("IdP")
        provider = body.get("identity_provider")
        if isinstance(provider, dict) and provider.get("display_name") == "":
            provider["display_name"] = unique("IdP")
        user = body.get("user")
        if isinstance(user, dict) and "userName" in user:
            user["userName"] = unique("scim")
        group = body.get("group")
        if operation_id.startswith("SCIM") and isinstance(group, dict) and "displayName" in group:
            group["displayName"] = unique("SCIM Group")

    def alive(self, attribute, collection, create):
        """The shared object ``attribute`` names, made anew if a stateful chain deleted it (its links
        hand the state machine the ids of every listed object, the shared ones included)."""
        answer = self.http.get(self.sim.url + self.realm + "/%s/%s" % (collection, getattr(self, attribute)))
        if answer.status_code == 404:
            setattr(self, attribute, create())
        return getattr(self, attribute)

    def page_token(self, case):
        path = case.formatted_path
        answer = self.http.get(self.sim.url + path, params={"page_size": 1})
        return answer.json().get("next_page_token") if answer.status_code == 200 else None

    def real_references(self, body):
        if "identity_ids" in body and isinstance(body["identity_ids"], list):
            body["identity_ids"] = [self.bob] * min(1, len(body["identity_ids"]))
        inner = [v for v in body.values() if isinstance(v, dict)]
        for obj in inner:
            if "authenticator_config_id" in obj:
                obj["authenticator_config_id"] = self.alive("authenticator_config", "authenticator-configs",
                                                            self.new_authenticator_config)
            if "resource_server_id" in obj:
                obj["resource_server_id"] = self.alive("resource_server", "resource-servers", self.new_resource_server)
            protocol = obj.get("protocol_config")
            if isinstance(protocol, dict) and protocol.get("allowed_scopes"):
                # must be a subset of the referenced resource server's scopes (none without one)
                protocol["allowed_scopes"] = ["contract:read"] if obj.get("resource_server_id") else []


SSO_PAYLOADS = {
    "bookmark": {"type": "bookmark", "login_link": "https://apps.example.com/login"},
    "generic_oidc": {"type": "generic_oidc", "redirect_uris": ["https://app.example.com/cb"], "scopes": ["openid"],
                     "confidentiality": "confidential", "pkce": "s256"},
    "entra_id_external_auth_methods": {"type": "entra_id_external_auth_methods",
                                       "redirect_uris": ["https://login.example.com/cb"],
                                       "discover_endpoint": "global_azure"},
    "generic_oidc_idp": {"type": "generic_oidc_idp", "client_id": "idp-client", "identifying_claim_name": "sub",
                         "identity_attribute": "email", "authorization_endpoint": "https://idp.example.com/authorize",
                         "token_endpoint": "https://idp.example.com/token",
                         "jwks_endpoint": "https://idp.example.com/jwks"},
    "okta_idp": {"type": "okta_idp", "client_id": "okta-client", "identifying_claim_name": "sub",
                 "identity_attribute": "email", "okta_domain": "https://example.okta.com"},
    "okta_sso_bi_idp": {"type": "okta_sso_bi_idp", "pkce": "s256", "okta_registration": {"domain": "example.okta.com"}},
    "ws_fed": {"type": "ws_fed", "acs_url": "https://app.example.com/acs", "audience_url": "https://app.example.com",
               "expiration_time_seconds": 300, "digest_algorithm": "sha256", "signature_algorithm": "rsa_sha256",
               "name_format": "unspecified", "subject_user_name_attribute": "email",
               "authentication_context": "password", "additional_user_attributes": []},
}
IDP_PROTOCOL = {"type": "oidc_idp", "client_id": "c", "client_secret": "contract-idp-secret", "token_scopes": ["openid"],
                "identity_attribute": "email", "pkce": "s256", "jwks_url": "https://idp.example.com/jwks",
                "token_url": "https://idp.example.com/token", "authorize_url": "https://idp.example.com/authorize",
                "identifying_claim_name": "sub"}


def empty_string_violations(operation_id):
    """Fields the document's own 400 examples for ``operation_id`` refuse as ``empty string`` (1.1.0's examples
    too: 1.7.0 dropped some of them, not the rule)."""
    fields = set()
    for document in (DOCUMENT, V1_1_DOCUMENT):
        for ops in document["paths"].values():
            for op in ops.values():
                if isinstance(op, dict) and op.get("operationId") == operation_id:
                    content = ((op["responses"].get("400") or {}).get("content") or {}).get("application/json") or {}
                    fields.update(violation["field"] for example in (content.get("examples") or {}).values()
                                  for detail in (example.get("value") or {}).get("details", [])
                                  for violation in detail.get("field_violations", [])
                                  if violation.get("description") == "empty string")
    return sorted(fields)


def fill_missing(target, fields):
    """Add the fields ``target`` lacks; an empty string counts as missing (the API refuses an
    empty display name although the Application and ResourceServer schemas give no minLength)."""
    for key, value in fields.items():
        if key not in target or target[key] == "":
            target[key] = value
        elif isinstance(value, dict) and isinstance(target[key], dict):
            fill_missing(target[key], value)


@pytest.fixture(scope="module")
def world():
    with own_simulator("beyond_identity") as sim:
        yield World(sim)


@pytest.fixture(scope="module")
def schemas(world):
    data = load_schema(DOCUMENT, world.sim.url, world.sim.static_token)
    auth = load_schema(DOCUMENT, world.sim.url, world.sim.static_token, security_parameters=True)
    return data, auth


def test_document_has_104_operations():
    assert len(OPERATIONS) == 104
    assert len({op_id for op_id, _path, _method in OPERATIONS}) == 104


@pytest.mark.parametrize("operation_id,path,method", OPERATIONS, ids=[o[0] for o in OPERATIONS])
def test_operation(world, schemas, operation_id, path, method):
    data_schema, auth_schema = schemas
    run = ContractRun(operation_id)
    operation = data_schema[path][method]
    body_required = bool(operation.definition.raw.get("requestBody"))
    fresh = world.fresh(operation_id)
    fixed_path = world.fixed_path(operation_id)
    common = {"path_parameters": fixed_path, "fresh": fresh, "query": world.fixed_query(operation_id, fixed_path)}
    common = dict(common, prepare=world.prepare(operation_id, path), keep=positive_with_body if body_required else None)
    run.exercise(operation, POSITIVE, POSITIVE_EXAMPLES, **common)
    run.exercise(operation, NEGATIVE, NEGATIVE_EXAMPLES, **common)
    run.exercise(auth_schema[path][method], NEGATIVE, AUTH_EXAMPLES, **common)
    # unknown objects: generated ids (same tenant; same realm unless the realm is the object) must
    # get a documented answer too, normally a 404 with the error envelope
    fixed = {"tenant_id": TENANT_ID}
    if not path.endswith("{realm_id}"):
        fixed["realm_id"] = DEFAULT_REALM_ID
    run.exercise(operation, POSITIVE, UNKNOWN_EXAMPLES, path_parameters=fixed, prepare=common["prepare"],
                 keep=common["keep"])
    run.assert_clean()


def test_stateful_links(world):
    """Chains of calls along the links schemathesis infers from the document (create -> read ->
    update -> delete ...), with the stateful checks: a deleted object stays gone, a created one
    is readable. Tenant and realm are the simulator's; everything else comes from earlier answers."""
    # over the 46 operations of 1.1.0: with the 58 of 1.7.0 schemathesis' state machine finds no chain to start
    # (hypothesis: every draw filtered out); those get the per-operation runs above only
    document = copy.deepcopy(DOCUMENT)
    for path in list(document["paths"]):
        ops = document["paths"][path]
        for method in [m for m, op in ops.items() if isinstance(op, dict) and op.get("operationId") in V1_7_ONLY]:
            del ops[method]
        if not any(isinstance(op, dict) and "operationId" in op for op in ops.values()):
            del document["paths"][path]
    schema = load_schema(document, world.sim.url, world.sim.static_token)
    run = ContractRun("stateful")
    adjust = {op_id: world.prepare(op_id, path) for op_id, path, _method in OPERATIONS}

    def before_call(case):
        for name, value in (("tenant_id", TENANT_ID), ("realm_id", DEFAULT_REALM_ID)):
            if name in (case.path_parameters or {}):
                case.path_parameters[name] = value
        raw = case.operation.definition.raw
        if is_positive(case) and raw.get("requestBody") and not has_body(case):
            # the positive_with_body quirk: no body is schema-valid but refused; send the wrapper
            schema_ = raw["requestBody"]["content"]["application/json"]["schema"]
            case.body = {key: [] if key.endswith("_ids") else {} for key in schema_.get("required", [])}
        adjust[raw["operationId"]](case)

    run.stateful(schema, before_call, STATEFUL_EXAMPLES, STATEFUL_STEPS)
    run.assert_clean()
