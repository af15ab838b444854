"""What Beyond Identity API 1.7.0 adds to the 1.1.0 simulator: 58 operations and their stores.

Mixed into ``BeyondIdentitySimulator`` (tests/simulators/beyond_identity.py), which keeps the 46
operations of 1.1.0 as they were. The new stores, all indexed so that no request costs time in
the number of objects:

* roles of a resource server, their members (identities, groups) and scopes (a subset of the
  resource server's), and each principal's roles (``:listRoles`` of groups and identities);
* SSO configurations of every ``SsoConfigType`` (plus the ``saml`` type of the SAML payload),
  with the server-side fields each type answers (an application behind the application-backed
  types, an identity provider id behind the IdP types), identity and group assignments, and the
  ``/test`` call;
* identity providers (OIDC), flow type configs (launch mechanisms, one per realm, created on
  first read), the tokens each application's token endpoint issued (list, revoke: a revoked
  token is refused at once), credential binding job revocation (pending jobs only), batch
  credential binding jobs with their per-identity results, ``identities:batchDelete``;
* SCIM v2 Users and Groups served over the identity and group stores (SCIM answers and errors
  in SCIM's shape), with the schemas, resource types and service provider config.

``repair_document`` fixes, in memory, the 1.7.0 document's defects that would make operations
impossible to call or to validate (see tests/simulators/specs/README.md, "Deliberate deviations").
"""

import base64
import copy
import datetime
import json
import re
import secrets
import uuid
from urllib.parse import unquote

from tests.simulators.core import HttpError, Reply

REALM = "/v1/tenants/{tenant_id}/realms/{realm_id}"

SSO_TYPES = ("bookmark", "entra_id_external_auth_methods", "generic_oidc", "generic_oidc_idp", "generic_saml",
             "okta_idp", "okta_sso_bi_idp", "scim", "ws_fed", "saml")
# the fields a create of each type needs (the document's payload alternative for that type)
SSO_REQUIRED = {
    "bookmark": ("login_link",),
    "entra_id_external_auth_methods": ("redirect_uris", "discover_endpoint"),
    "generic_oidc": ("redirect_uris", "scopes", "confidentiality", "pkce"),
    "generic_oidc_idp": ("client_id", "identifying_claim_name", "identity_attribute", "authorization_endpoint",
                         "token_endpoint", "jwks_endpoint"),
    "okta_idp": ("client_id", "identifying_claim_name", "identity_attribute", "okta_domain"),
    "okta_sso_bi_idp": ("pkce", "okta_registration"),
    "ws_fed": ("acs_url", "audience_url", "expiration_time_seconds", "digest_algorithm", "signature_algorithm",
               "name_format", "subject_user_name_attribute", "authentication_context", "additional_user_attributes"),
    "generic_saml": ("acs_url", "audience_url", "name_format", "subject_user_name_attribute",
                     "signature_algorithm", "digest_algorithm"),
    "saml": ("acs_url", "override_recipient_and_destination", "audience_url", "default_relay_state", "name_format",
             "authentication_context", "subject_user_name_attribute", "sign_envelope", "sign_assertions",
             "signature_algorithm", "digest_algorithm", "encrypt_assertions", "assertion_validity_duration_seconds",
             "sp_signature_certificates", "enable_single_log_out", "validate_signed_requests",
             "additional_user_attributes", "single_logout_sign_request_and_response"),
    "scim": (),
}
APP_BACKED = ("entra_id_external_auth_methods", "generic_oidc", "okta_sso_bi_idp", "generic_saml", "saml", "ws_fed",
              "scim")
IDP_BACKED = ("generic_oidc_idp", "okta_idp")

PLATFORMS = ("android", "macos", "ios", "windows", "web", "linux", "chromeos", "chromeosweb")
FLOW_TYPES = ("unknown", "scheme", "embedded", "copy", "roaming_auth", "android_autofill", "android_accessibility",
              "pipe", "localhost", "universal_link", "safari_extension", "layered_auth_qr_code", "secure_localhost")
# which launch mechanisms a platform offers (the document does not list them: the simulator's reading)
_ONLY_ON = {"android_autofill": ("android", "chromeos"), "android_accessibility": ("android", "chromeos"),
            "safari_extension": ("ios", "macos"), "pipe": ("windows", "macos", "linux"),
            "universal_link": ("ios", "macos", "android")}

SCIM_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
SCIM_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
SCIM_ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
SCIM_LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
SCIM_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
SCIM_TYPES = ("invalidFilter", "tooMany", "uniqueness", "mutability", "invalidSyntax", "invalidPath", "noTarget",
              "invalidValue", "invalidVers", "sensitive")
_SCIM_FILTER = re.compile(r'^\s*(\w+)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$', re.IGNORECASE)
# SCIM attribute -> identity trait (the enterprise extension's attributes too)
_ENTERPRISE = {"employeeNumber": "employee_number", "costCenter": "cost_center", "organization": "organization",
               "department": "department", "division": "division"}

BATCH_MAX = 1000  # identities per batch binding job / per batchDelete / per assignment call (the document's maxItems)


def _ref_target(spec, ref):
    target = spec
    for part in ref.lstrip("#/").split("/"):
        part = unquote(part).replace("~1", "/").replace("~0", "~")
        target = target[int(part)] if isinstance(target, list) else target[part]
    return target


def repair_document(spec):
    """The 1.7.0 document's defects that no request could get past, fixed in place (each one is listed in
    tests/simulators/specs/README.md): path parameters a template names but the operation does not declare
    (the SCIM operations, IdentityToSSOConfigCheck) are declared; declared path parameters the template lacks
    (``sso_config_id`` of three list operations) are dropped; and the SSO configuration payloads' ``oneOf``,
    whose alternatives overlap (every partial-update alternative requires only ``type``, so no update could
    match exactly one), are read as ``anyOf`` (the ``type`` field says which alternative applies); and a
    ``default: null`` on a schema that is not nullable is dropped. One change of a 1.1.0 operation is undone:
    a ``hosted_web`` authenticator config needs only its ``type``, as in 1.1.0 (1.7.0 also requires
    ``authentication_methods`` and ``trusted_origins``; the simulator answers them with their defaults). References into another operation
    (``#/paths/...``) are copied in (they resolve the same; a schema is compiled on its own). CreateRole's body
    schema names its wrapper ``group`` but requires ``role``: it is ``role``. Security schemes the document names
    but does not define (``CredentialAuth``, ``DirectoryAuth``) are its bearer scheme, with their scopes."""
    # parameters that point into another operation's list are copied in first, so that list can change
    inlined = [(op, [copy.deepcopy(_ref_target(spec, p["$ref"])) if p.get("$ref", "").startswith("#/paths/") else p
                     for p in op.get("parameters") or []])
               for item in spec["paths"].values() for op in item.values() if isinstance(op, dict) and "responses" in op]
    for op, params in inlined:
        op["parameters"] = params
    for template, item in spec["paths"].items():
        names = re.findall(r"{([^}]+)}", template)
        for method, op in item.items():
            if not isinstance(op, dict) or "responses" not in op:
                continue
            params = op.setdefault("parameters", [])
            declared = {}
            for index, param in enumerate(params):
                resolved = _ref_target(spec, param["$ref"]) if "$ref" in param else param
                if resolved.get("in") == "path":
                    declared[resolved["name"]] = index
            extra = [i for name, i in declared.items() if name not in names]
            for index in sorted(extra, reverse=True):
                del params[index]
            for name in names:
                if name not in declared:
                    params.append({"name": name, "in": "path", "required": True, "schema": {"type": "string"}})
    renamed = []  # (pointer prefix before, after): the document's own $refs point into these lists
    schemas = spec["components"]["schemas"]
    for name in ("SsoConfigPayload", "SsoConfigPartialUpdatePayload"):
        _one_of_to_any_of(schemas[name], "#/components/schemas/" + name, renamed)
    path = REALM + "/sso-configs"
    pointer = "#/paths/" + path.replace("/", "~1").replace("{", "%7B").replace("}", "%7D")
    for method, op in spec["paths"][path].items():
        if isinstance(op, dict):
            _one_of_to_any_of(op.get("responses", {}), "%s/%s/responses" % (pointer, method), renamed)
    _fix_refs(spec, renamed)
    known = set(spec["components"].get("securitySchemes") or {})
    for item in spec["paths"].values():
        for op in item.values():
            if isinstance(op, dict) and op.get("security"):
                # CredentialAuth, DirectoryAuth: schemes the document never defines; the token is the bearer one
                op["security"] = [{(name if name in known else "BearerAuth"): scopes for name, scopes in entry.items()}
                                  for entry in op["security"]]
    create_role = spec["paths"][REALM + "/resource-servers/{resource_server_id}/roles"]["post"]
    body = create_role["requestBody"]["content"]["application/json"]["schema"]
    if "group" in body.get("properties", {}) and "role" in body.get("required", []):
        body["properties"]["role"] = body["properties"].pop("group")  # the wrapper it requires is "role"
    for config in schemas["AuthenticatorConfig"]["properties"]["config"]["oneOf"]:
        if config.get("properties", {}).get("type", {}).get("enum") == ["hosted_web"]:
            config["required"] = ["type"]  # as in 1.1.0; the simulator fills in the two fields 1.7.0 requires
    _drop_null_defaults(spec)
    _inline_path_refs(spec, spec)
    return spec


def _inline_path_refs(spec, node, depth=0):
    """``$ref``s into ``#/paths/...`` (another operation's schema) copied in: a schema compiled alone
    resolves only ``#/components/...``."""
    if isinstance(node, dict):
        for key, value in list(node.items()):
            if isinstance(value, dict) and str(value.get("$ref", "")).startswith("#/paths/"):
                target = copy.deepcopy(_ref_target(spec, value["$ref"]))
                extra = {k: v for k, v in value.items() if k != "$ref"}
                node[key] = value = dict(target, **extra) if isinstance(target, dict) else target
            _inline_path_refs(spec, value, depth + 1)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if isinstance(value, dict) and str(value.get("$ref", "")).startswith("#/paths/"):
                node[index] = value = copy.deepcopy(_ref_target(spec, value["$ref"]))
            _inline_path_refs(spec, value, depth + 1)


def _drop_null_defaults(node):
    """``default: null`` on a schema that is not ``nullable`` (the document's own check refuses it)."""
    if isinstance(node, dict):
        if "default" in node and node["default"] is None and not node.get("nullable"):
            del node["default"]
        for value in node.values():
            _drop_null_defaults(value)
    elif isinstance(node, list):
        for value in node:
            _drop_null_defaults(value)


def _one_of_to_any_of(node, pointer, renamed):
    if isinstance(node, dict):
        if "oneOf" in node:
            node["anyOf"] = node.pop("oneOf")
            renamed.append((pointer + "/oneOf/", pointer + "/anyOf/"))
        for key, value in node.items():
            _one_of_to_any_of(value, "%s/%s" % (pointer, key.replace("~", "~0").replace("/", "~1")), renamed)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _one_of_to_any_of(value, "%s/%d" % (pointer, index), renamed)


def _fix_refs(node, renamed):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            for before, after in renamed:
                if ref.startswith(before):
                    node["$ref"] = ref = after + ref[len(before):]
        for value in node.values():
            _fix_refs(value, renamed)
    elif isinstance(node, list):
        for value in node:
            _fix_refs(value, renamed)


HOSTED_WEB_DEFAULTS = {"authentication_methods": [{"type": "webauthn_passkey"}, {"type": "software_passkey"},
                                                  {"type": "email_one_time_password"}], "trusted_origins": []}


def complete_authenticator_config(obj):
    """A hosted web config answers the fields 1.7.0 requires, with their defaults when a 1.1.0 client left them out."""
    config = obj.get("config") or {}
    if config.get("type") == "hosted_web":
        for key, value in HOSTED_WEB_DEFAULTS.items():
            config.setdefault(key, copy.deepcopy(value))
    return obj


def _violation(field, description):
    return [{"type": "FieldViolations", "field_violations": [{"field": field, "description": description}]}]


def _not_found(resource_type, ident, label):
    return HttpError(404, "%s not found" % label, details=[{"type": "ResourceInfo", "resource_type": resource_type,
                                                            "id": ident, "description": "%s not found" % label}])


def _ids(req, key, required=True):
    """A list of ids from the body: duplicates refused (the document's batch calls fail on repeats)."""
    ids = (req.json or {}).get(key) if isinstance(req.json, dict) else None
    if not ids:
        if required:
            raise HttpError(400, "invalid parameters", details=_violation(key, "missing"))
        return []
    if len(set(ids)) != len(ids):
        raise HttpError(400, "invalid parameters", details=_violation(key, "repeated id"))
    return ids


class BeyondIdentityV17:
    """The 1.7.0 operations (a mixin: uses the simulator's store, indexes, ``op``, ``page``, ``find``...)."""

    def seed_v17(self):
        for name in ("roles", "role-members", "role-scopes", "sso-configs", "sso-assignments", "identity-providers",
                     "flow-type-configs", "app-tokens", "batch-credential-binding-jobs", "batch-results"):
            self.store[name] = {}
        self.rs_roles = {}  # resource server id -> {role id: role}
        self.principal_roles = {}  # identity or group id -> {role id: True}
        self.principal_ssos = {}  # identity or group id -> {sso config id: True}
        self.app_sso = {}  # application id -> sso config id
        self.token_ids = {}  # token id -> bearer token

    # -- shared with 1.1.0 handlers -------------------------------------------------------------

    def forget_principal(self, principal_id):
        """An identity or group is gone: out of every role and SSO assignment."""
        for role_id in self.principal_roles.pop(principal_id, {}):
            for members in self.store["role-members"].get(role_id, {}).values():
                members.pop(principal_id, None)
        for sso_id in self.principal_ssos.pop(principal_id, {}):
            for members in self.store["sso-assignments"].get(sso_id, {}).values():
                members.pop(principal_id, None)

    def forget_resource_server(self, server_id):
        for role in list(self.rs_roles.pop(server_id, {}).values()):
            self._drop_role(role)

    def record_token(self, app, token, client_id, scopes, lifetime):
        """A token the application's token endpoint issued, for ListTokens / RevokeToken."""
        token_id = uuid.uuid4().hex
        issued = int(datetime.datetime.now(datetime.timezone.utc).timestamp())
        self.store["app-tokens"].setdefault(app["id"], {})[token_id] = {
            "id": token_id, "display_name": client_id, "scopes": list(scopes), "token_suffix": token[-4:],
            "token_format": "self_contained", "issued_at": issued, "expires": issued + int(lifetime),
            "token_type": "access", "principal_type": "application", "principal_id": app["id"]}
        self.token_ids[token_id] = token

    # -- routes -----------------------------------------------------------------------------------

    def register_v17(self):
        """Before the 1.1.0 routes: ``{id}:verb`` paths must win over ``{id}``."""
        op = corr = self.op  # corr: the operations that take ``x-correlation_id`` (answered back, see ``steps``)
        identity = REALM + "/identities/{identity_id}"
        group = REALM + "/groups/{group_id}"
        op("POST", REALM + "/identities:batchDelete", self.batch_delete_identities)
        op("GET", identity + ":listRoles", lambda req: self.principal_role_list(req, "identities", "identity_id"))
        op("GET", group + ":listRoles", lambda req: self.principal_role_list(req, "groups", "group_id"))
        roles = REALM + "/resource-servers/{resource_server_id}/roles"
        role = roles + "/{role_id}"
        op("POST", role + ":addMembers", lambda req: self.change_role_members(req, add=True))
        op("POST", role + ":deleteMembers", lambda req: self.change_role_members(req, add=False))
        op("GET", role + ":listMembers", self.list_role_members)
        op("POST", role + ":addScopes", lambda req: self.change_role_scopes(req, add=True))
        op("POST", role + ":deleteScopes", lambda req: self.change_role_scopes(req, add=False))
        op("GET", role + ":listScopes", self.list_role_scopes)
        op("POST", roles, self.create_role)
        op("GET", roles, lambda req: self.page(req, list(self.rs_roles.get(self.resource_server(req)["id"], {})
                                                         .values()), "roles", 20, 200))
        op("GET", role, self.find_role)
        op("PATCH", role, self.update_role)
        op("DELETE", role, self.delete_role)
        op("POST", identity + "/credential-binding-jobs/{credential_binding_job_id}:revoke", self.revoke_binding_job)
        batch = REALM + "/batch-credential-binding-jobs"
        op("POST", batch, self.create_batch_job)
        op("GET", batch + "/{batch_credential_binding_job_id}:listResults", self.list_batch_results)
        op("GET", batch + "/{batch_credential_binding_job_id}", self.find_batch_job)
        app = REALM + "/applications/{application_id}"
        op("GET", app + "/tokens", self.list_tokens)
        op("DELETE", app + "/tokens/{token_id}", self.revoke_token)
        corr("GET", app + "/sso-configs-id", self.application_sso_config)
        sso = REALM + "/sso-configs/{sso_config_id}"
        corr("POST", sso + ":addIdentities", lambda req: self.assign(req, "identities", "identity_ids", add=True))
        corr("POST", sso + ":deleteIdentities", lambda req: self.assign(req, "identities", "identity_ids", add=False))
        corr("POST", sso + ":addGroups", lambda req: self.assign(req, "groups", "group_ids", add=True))
        corr("POST", sso + ":deleteGroups", lambda req: self.assign(req, "groups", "group_ids", add=False))
        corr("GET", sso + ":listIdentityAssociations", self.list_sso_identities)
        corr("GET", sso + ":listGroupAssociations", self.list_sso_groups)
        corr("POST", sso + "/is-group-assigned", self.is_group_assigned)
        corr("POST", sso + "/test", self.test_sso_config)
        corr("POST", REALM + "/sso-configs", self.create_sso_config)
        corr("GET", REALM + "/sso-configs", self.list_sso_configs)
        corr("GET", sso, lambda req: self.sso_view(self.find_sso(req)))
        corr("PATCH", sso, self.update_sso_config)
        corr("DELETE", sso, self.delete_sso_config)
        corr("GET", identity + "/sso-configs/{sso_config_id}/is-identity-assigned", self.is_identity_assigned)
        corr("GET", identity + "/sso-configs", lambda req: self.principal_sso_list(req, "identities", "identity_id"))
        corr("GET", group + "/sso-configs", lambda req: self.principal_sso_list(req, "groups", "group_id"))
        idps = REALM + "/identity-providers"
        corr("POST", idps, self.create_identity_provider)
        corr("GET", idps, lambda req: self.page(req, [self.idp_view(i) for i in self.in_realm_store(
            "identity-providers", self.realm(req)["id"])], "identity_providers", 20, 200))
        corr("GET", idps + "/{identity_provider_id}", lambda req: self.idp_view(self.find_idp(req)))
        corr("PATCH", idps + "/{identity_provider_id}", self.update_identity_provider)
        corr("DELETE", idps + "/{identity_provider_id}", self.delete_identity_provider)
        op("GET", REALM + "/flow-type-config", self.flow_type_config)
        op("PATCH", REALM + "/flow-type-config", self.update_flow_type_config)
        scim = REALM + "/scim/v2"
        op("POST", scim + "/Users", self.scim_create_user)
        op("GET", scim + "/Users", self.scim_list_users)
        op("GET", scim + "/Users/{user_id}", lambda req: self.scim_user(self.scim_identity(req)))
        op("PATCH", scim + "/Users/{user_id}", lambda req: self.scim_write_user(req, replace=False))
        op("PUT", scim + "/Users/{user_id}", lambda req: self.scim_write_user(req, replace=True))
        op("DELETE", scim + "/Users/{user_id}", self.scim_delete_user)
        op("POST", scim + "/Groups/", self.scim_create_group)
        op("GET", scim + "/Groups/", self.scim_list_groups)
        op("GET", scim + "/Groups/{group_id}", lambda req: self.scim_group(self.scim_find_group(req)))
        op("PATCH", scim + "/Groups/{group_id}", self.scim_update_group)
        op("DELETE", scim + "/Groups/{group_id}", self.scim_delete_group)
        op("GET", scim + "/ResourceTypes", lambda req: self.scim_list(req, self.scim_resource_types()))
        op("GET", scim + "/Schemas", lambda req: self.scim_list(req, self.scim_schemas()))
        op("GET", scim + "/ServiceProviderConfig", self.scim_service_provider_config)

    def in_realm_store(self, name, realm_id):
        return list(self.realm_index.get((name, realm_id), {}).values())

    def realm_object(self, req, name, id_param, resource_type, label):
        obj = self.store[name].get(req.params[id_param])
        if obj is None or obj["realm_id"] != req.params["realm_id"]:
            raise _not_found(resource_type, req.params[id_param], label)
        return obj

    def put_realm_object(self, name, realm_id, obj):
        self.store[name][obj["id"]] = obj
        self.realm_index.setdefault((name, realm_id), {})[obj["id"]] = obj
        return obj

    def drop_realm_object(self, name, obj):
        del self.store[name][obj["id"]]
        self.realm_index.get((name, obj["realm_id"]), {}).pop(obj["id"], None)

    def stamped(self, realm_id, **fields):
        stamp = self.now()
        obj = {"id": str(uuid.uuid4()), "realm_id": realm_id, "tenant_id": self.tenant_id}
        obj.update(fields)
        obj.update(create_time=stamp, update_time=stamp)
        return obj

    def principals(self, req, realm_id, key, collection):
        """The ids of ``key`` in the body, each an existing ``collection`` object of the realm (404 otherwise)."""
        ids = _ids(req, key, required=False)
        resource = "Identity" if collection == "identities" else "Group"
        for ident in ids:
            if self.store[collection].get(ident, {}).get("realm_id") != realm_id:
                raise _not_found(resource, ident, resource.lower())
        return ids

    # -- identities:batchDelete -------------------------------------------------------------------

    def batch_delete_identities(self, req):
        realm = self.realm(req)
        ids = _ids(req, "ids")
        missing = [i for i in ids if self.store["identities"].get(i, {}).get("realm_id") != realm["id"]]
        if missing:  # all or nothing, as the document says
            raise HttpError(404, "identities not found", details=[{
                "type": "ResourceInfo", "resource_type": "Identity", "id": missing[0],
                "description": "identities not found"}])
        for ident in ids:
            identity = self.store["identities"][ident]
            for members in self.store["memberships"].values():
                members.pop(ident, None)
            self.remove_identity(identity)
        return Reply(200, None)

    def remove_identity(self, identity):
        """An identity and what hangs from it (credentials, binding jobs, roles, SSO assignments)."""
        for kind in ("credentials", "credential-binding-jobs"):
            for obj in [o for o in self.realm_index.get((kind, identity["realm_id"]), {}).values()
                        if o.get("identity_id") == identity["id"]]:
                self._drop(kind, obj)
        self.forget_principal(identity["id"])
        self._drop("identities", identity)

    # -- roles ------------------------------------------------------------------------------------

    def resource_server(self, req, status=404):
        server = self.store["resource-servers"].get(req.params.get("resource_server_id") or req.arg(
            "resource_server_id"))
        if server is None or server["realm_id"] != req.params["realm_id"]:
            ident = req.params.get("resource_server_id") or req.arg("resource_server_id") or ""
            if status == 409:
                raise HttpError(409, "resource server not found")
            raise _not_found("ResourceServer", ident, "resource server")
        return server

    def find_role(self, req):
        server = self.resource_server(req)
        role = self.rs_roles.get(server["id"], {}).get(req.params["role_id"])
        if role is None:
            raise _not_found("Role", req.params["role_id"], "role")
        return role

    def _role_name(self, server_id, name, current):
        if not name:
            raise HttpError(400, "invalid parameters", details=_violation("role.display_name", "missing"))
        if any(r["display_name"] == name and r is not current for r in self.rs_roles.get(server_id, {}).values()):
            raise HttpError(400, "invalid parameters", details=_violation(
                "role.display_name", "role display name already exists"))

    def create_role(self, req):
        server = self.resource_server(req)
        fields = self.body(req, "role")
        self._role_name(server["id"], fields.get("display_name"), None)
        role = self.stamped(server["realm_id"], resource_server_id=server["id"], display_name=fields["display_name"])
        if fields.get("description"):
            role["description"] = fields["description"]
        self.store["roles"][role["id"]] = role
        self.rs_roles.setdefault(server["id"], {})[role["id"]] = role
        self.store["role-members"][role["id"]] = {"identities": {}, "groups": {}}
        self.store["role-scopes"][role["id"]] = {}
        return role

    def update_role(self, req):
        role = self.find_role(req)
        fields = self.body(req, "role")
        if "display_name" in fields:
            self._role_name(role["resource_server_id"], fields["display_name"], role)
            role["display_name"] = fields["display_name"]
        if "description" in fields:
            role["description"] = fields["description"]
        role["update_time"] = self.now()
        return role

    def delete_role(self, req):
        role = self.find_role(req)
        members = self.store["role-members"][role["id"]]
        if members["identities"] or members["groups"] or self.store["role-scopes"][role["id"]]:
            raise HttpError(409, "role has children")
        self._drop_role(role)
        return Reply(200, None)

    def _drop_role(self, role):
        for members in self.store["role-members"].pop(role["id"], {}).values():
            for principal in members:
                self.principal_roles.get(principal, {}).pop(role["id"], None)
        self.store["role-scopes"].pop(role["id"], None)
        self.store["roles"].pop(role["id"], None)
        self.rs_roles.get(role["resource_server_id"], {}).pop(role["id"], None)

    def change_role_members(self, req, add):
        role = self.find_role(req)
        identity_ids = self.principals(req, role["realm_id"], "identity_ids", "identities")
        group_ids = self.principals(req, role["realm_id"], "group_ids", "groups")
        if not identity_ids and not group_ids:
            raise HttpError(400, "invalid parameters", details=_violation("identity_ids", "at least one group or "
                                                                                          "identity id is required"))
        members = self.store["role-members"][role["id"]]
        stamp = self.now()
        for collection, ids in (("identities", identity_ids), ("groups", group_ids)):
            for ident in ids:
                if add:
                    members[collection][ident] = stamp
                    self.principal_roles.setdefault(ident, {})[role["id"]] = True
                else:
                    members[collection].pop(ident, None)
                    self.principal_roles.get(ident, {}).pop(role["id"], None)
        role["update_time"] = stamp
        return role

    def list_role_members(self, req):
        role = self.find_role(req)
        members = self.store["role-members"][role["id"]]
        offsets = {"groups": 0, "identities": 0}
        token = req.arg("page_token")
        if token:
            try:
                state = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
                offsets = {"groups": int(state["g"]), "identities": int(state["i"])}
            except (ValueError, KeyError, TypeError):
                raise HttpError(400, "invalid parameters", details=_violation("page_token", "invalid page token"))
        out, more = {}, False
        for collection in ("groups", "identities"):
            size = min(int(req.arg(collection + "_page_size") or 0) or 20, 200)
            start = offsets[collection] + int(req.arg(collection + "_skip") or 0)
            ids = list(members[collection])
            out[collection] = [self.store[collection][i] for i in ids[start:start + size]]
            out["total_%s_size" % collection] = len(ids)
            offsets[collection] += len(out[collection])
            more = more or start + size < len(ids)
        if more:
            out["next_page_token"] = base64.urlsafe_b64encode(json.dumps(
                {"g": offsets["groups"], "i": offsets["identities"]}).encode()).decode().rstrip("=")
        return out

    def change_role_scopes(self, req, add):
        role = self.find_role(req)
        scopes = _ids(req, "scopes")
        server = self.store["resource-servers"][role["resource_server_id"]]
        unknown = [s for s in scopes if s not in (server.get("scopes") or [])]
        if add and unknown:
            raise HttpError(400, "invalid parameters", details=_violation(
                "scopes", "scope %s is not a scope of the resource server" % unknown[0]))
        held = self.store["role-scopes"][role["id"]]
        for scope in scopes:
            if add:
                held[scope] = True
            else:
                held.pop(scope, None)
        role["update_time"] = self.now()
        return role

    def list_role_scopes(self, req):
        role = self.find_role(req)
        return self.page(req, list(self.store["role-scopes"][role["id"]]), "scopes", 20, 200)

    def principal_role_list(self, req, collection, id_param):
        principal = self.store[collection].get(req.params[id_param])
        if principal is None or principal["realm_id"] != req.params["realm_id"]:
            resource = "Identity" if collection == "identities" else "Group"
            raise _not_found(resource, req.params[id_param], resource.lower())
        server = self.resource_server(req, status=409)
        roles = [self.store["roles"][r] for r in self.principal_roles.get(principal["id"], {})
                 if self.store["roles"][r]["resource_server_id"] == server["id"]]
        return self.page(req, roles, "roles", 20, 200)

    # -- credential binding jobs: revoke, batches ------------------------------------------------

    def revoke_binding_job(self, req):
        job = self.identity_child(req, self.binding_jobs_kind, "credential_binding_job_id")
        if job["state"] not in ("LINK_SENT", "REQUEST_DELIVERED", "LINK_OPENED"):
            raise HttpError(409, "credential binding job is not pending", details=[{
                "type": "ResourceInfo", "resource_type": "CredentialBindingJob", "id": job["id"],
                "description": "credential binding job is %s" % job["state"].lower()}])
        job["state"] = "REVOKED"
        job["update_time"] = self.now()
        return job

    def create_batch_job(self, req):
        realm = self.realm(req)
        fields = self.body(req, "batch_credential_binding_job")
        ids = fields.get("identity_ids") or []
        template = fields.get("job_template") or {}
        config_id = template.get("authenticator_config_id")
        if not config_id and not template.get("authenticator_config"):
            raise HttpError(400, "invalid parameters", details=_violation(
                "batch_credential_binding_job.job_template.authenticator_config_id", "missing"))
        if config_id and self.store["authenticator-configs"].get(config_id, {}).get("realm_id") != realm["id"]:
            raise HttpError(400, "invalid parameters", details=_violation(
                "batch_credential_binding_job.job_template.authenticator_config_id", "authenticator config not found"))
        batch = self.stamped(realm["id"], identity_ids=list(ids), state="COMPLETE", state_commentary={"errors": {}},
                             job_template=dict(template))
        batch["id"] = self.new_hex()
        expire = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=7)).strftime(
            "%Y-%m-%dT%H:%M:%S.%fZ")
        batch["job_template"]["expire_time"] = expire
        results, errors = [], batch["state_commentary"]["errors"]
        for ident in dict.fromkeys(ids):
            identity = self.store["identities"].get(ident)
            if identity is None or identity["realm_id"] != realm["id"]:
                errors[ident] = {"last_error": "identity not found", "failed_permanently": True}
            elif not (identity.get("traits") or {}).get("primary_email_address"):
                errors[ident] = {"last_error": "Identity missing email address", "failed_permanently": True}
            else:
                job = {"identity_id": ident, "delivery_method": "EMAIL", "state": "LINK_SENT", "expire_time": expire,
                       "authenticator_config_id": config_id or "", "batch_credential_binding_job_id": batch["id"]}
                if template.get("post_binding_redirect_uri"):
                    job["post_binding_redirect_uri"] = template["post_binding_redirect_uri"]
                if not config_id:
                    job.pop("authenticator_config_id")
                results.append(self._put(self.binding_jobs_kind, realm["id"], job)["id"])
        self.put_realm_object("batch-credential-binding-jobs", realm["id"], batch)
        self.store["batch-results"][batch["id"]] = results
        return batch

    def find_batch_job(self, req):
        return self.realm_object(req, "batch-credential-binding-jobs", "batch_credential_binding_job_id",
                                 "BatchCredentialBindingJob", "batch credential binding job")

    def list_batch_results(self, req):
        batch = self.find_batch_job(req)
        jobs = [self.store["credential-binding-jobs"][j] for j in self.store["batch-results"][batch["id"]]
                if j in self.store["credential-binding-jobs"]]
        out = self.page(req, jobs, "job_results", 200, 200)
        out["total_size"] = len(batch["identity_ids"])
        out["total_failure_count"] = len(batch["state_commentary"]["errors"])
        out["total_success_count"] = len(jobs)
        out["total_pending_count"] = 0
        return out

    # -- application tokens ----------------------------------------------------------------------

    def list_tokens(self, req):
        app = self.find(req, self.applications_kind, "application_id")
        tokens = list(self.store["app-tokens"].get(app["id"], {}).values())
        kind, principal = req.arg("principal_type"), req.arg("principal_id")
        if kind or principal:
            tokens = [t for t in tokens if (not kind or t["principal_type"] == kind)
                      and (not principal or t["principal_id"] == principal)]
        out = self.page(req, tokens, "tokens", 100, 100)
        out["tokens"] = [{k: v for k, v in t.items() if not k.startswith("principal_")} for t in out["tokens"]]
        return out

    def revoke_token(self, req):
        app = self.find(req, self.applications_kind, "application_id")
        record = self.store["app-tokens"].get(app["id"], {}).pop(req.params["token_id"], None)
        if record is None:
            raise _not_found("Token", req.params["token_id"], "token")
        token = self.token_ids.pop(record["id"], None)
        self.tokens.pop(token, None)
        self.token_scopes.pop(token, None)
        return Reply(200, None)

    # -- SSO configurations ----------------------------------------------------------------------

    def find_sso(self, req):
        return self.realm_object(req, "sso-configs", "sso_config_id", "SsoConfig", "sso config")

    @staticmethod
    def sso_view(sso):
        return {"id": sso["id"], "display_name": sso["display_name"], "is_migrated": sso["is_migrated"],
                "payload": sso["payload"]}

    def create_sso_config(self, req):
        realm = self.realm(req)
        fields = self.body(req, "sso_config")
        payload = dict(fields.get("payload") or {})
        kind = payload.get("type")
        if kind not in SSO_TYPES:
            raise HttpError(400, "invalid parameters", details=_violation(
                "sso_config.payload.type", "must be one of %s" % ", ".join(SSO_TYPES)))
        missing = [f for f in SSO_REQUIRED[kind] if f not in payload]
        if missing:
            raise HttpError(400, "invalid parameters", details=_violation("sso_config.payload." + missing[0], "missing"))
        if not fields.get("display_name"):
            raise HttpError(400, "invalid parameters", details=_violation("sso_config.display_name", "missing"))
        sso = self.stamped(realm["id"], display_name=fields["display_name"], is_migrated=bool(fields.get("is_migrated")),
                           payload=payload)
        self.fill_sso_payload(sso, payload)
        self.put_realm_object("sso-configs", realm["id"], sso)
        self.store["sso-assignments"][sso["id"]] = {"identities": {}, "groups": {}}
        return self.sso_view(sso)

    def fill_sso_payload(self, sso, payload):
        """The fields the API answers for each type (an application behind the application-backed ones)."""
        kind = payload["type"]
        base = "https://auth-us.beyondidentity.com/v1/tenants/%s/realms/%s" % (self.tenant_id, sso["realm_id"])
        if kind in ("bookmark", "generic_oidc", "generic_saml", "saml", "ws_fed"):
            payload.setdefault("application_tile_id", str(uuid.uuid4()))
        if kind in APP_BACKED:
            app = self._put(self.applications_kind, sso["realm_id"], {
                "display_name": sso["display_name"], "is_managed": True,
                "protocol_config": {"type": "oidc", "client_id": secrets.token_urlsafe(18),
                                    "confidentiality": payload.get("confidentiality", "confidential")}})
            config = self.in_realm(self.authenticator_configs_kind, sso["realm_id"])
            payload.update(application_id=app["id"], client_id=app["protocol_config"]["client_id"],
                           authenticator_config_id=config[0]["id"] if config else "")
            self.app_sso[app["id"]] = sso["id"]
            sso["application_id"] = app["id"]
            if kind in ("entra_id_external_auth_methods", "generic_oidc", "okta_sso_bi_idp"):
                payload["oidc_configuration"] = {
                    "issuer": base + "/applications/" + app["id"], "authorization_endpoint": base + "/authorize",
                    "token_endpoint": base + "/token", "jwks_uri": base + "/.well-known/jwks.json",
                    "introspect_endpoint": base + "/introspect", "userinfo_endpoint": base + "/userinfo",
                    "response_types_supported": ["code"], "grant_types_supported": ["authorization_code"],
                    "token_endpoint_auth_methods_supported": ["client_secret_basic"]}
            if kind in ("entra_id_external_auth_methods", "generic_oidc"):
                payload["resource_server_id"] = ""
                payload.setdefault("trusted_origins", [])
            if kind in ("okta_sso_bi_idp", "scim") or payload.get("confidentiality") == "confidential":
                payload["client_secret"] = secrets.token_urlsafe(24)
            if kind == "scim":
                payload.update(scim_url=base + "/scim/v2", token_endpoint=base + "/applications/%s/token" % app["id"])
            if kind in ("generic_saml", "saml"):
                payload.update(idp_initiated_url=base + "/saml/%s/idp" % app["id"],
                               sp_initiated_url=base + "/saml/%s/sso" % app["id"])
            if kind == "ws_fed":
                payload.update(idp_sso_url=base + "/wsfed/%s" % app["id"], idp_issuer_url=base,
                               metadata_url=base + "/wsfed/%s/metadata" % app["id"])
        if kind in IDP_BACKED:
            payload.setdefault("pkce", "disabled")
            payload.update(identity_provider_id=payload.get("identity_provider_id") or str(uuid.uuid4()),
                           redirect_uri=base + "/identity-providers/callback")
            if kind == "okta_idp":
                domain = payload.get("okta_domain", "").rstrip("/")
                payload.update(authorization_endpoint=domain + "/oauth2/v1/authorize",
                               token_endpoint=domain + "/oauth2/v1/token", jwks_endpoint=domain + "/oauth2/v1/keys")

    def list_sso_configs(self, req):
        realm = self.realm(req)
        items = self.in_realm_store("sso-configs", realm["id"])
        types = req.query.get("type")
        if types:
            items = [s for s in items if s["payload"]["type"] in types]
        migrated = req.arg("is_migrated")
        if migrated is not None:
            items = [s for s in items if s["is_migrated"] == (migrated.lower() in ("true", "1", "yes", "y", "t", "on"))]
        if req.arg("order_by") in ("display_name", "display_name asc", "display_name desc"):
            items.sort(key=lambda s: s["display_name"], reverse=req.arg("order_by").endswith("desc"))
        out = self.page(req, items, "sso_configs", 20, 200)
        out["sso_configs"] = [self.sso_view(s) for s in out["sso_configs"]]
        return out

    def update_sso_config(self, req):
        sso = self.find_sso(req)
        patch = dict(self.body(req, "sso_config"))
        if patch.get("type", sso["payload"]["type"]) != sso["payload"]["type"]:
            raise HttpError(400, "invalid parameters", details=_violation(
                "sso_config.type", "the type of an SSO configuration cannot change"))
        patch.pop("type", None)
        if "display_name" in patch:
            sso["display_name"] = patch.pop("display_name")
        server_side = ("application_id", "client_id", "authenticator_config_id", "identity_provider_id",
                       "oidc_configuration", "scim_url", "redirect_uri")
        for key, value in patch.items():
            if key not in server_side:
                sso["payload"][key] = value
        sso["update_time"] = self.now()
        return self.sso_view(sso)

    def delete_sso_config(self, req):
        sso = self.find_sso(req)
        for members in self.store["sso-assignments"].pop(sso["id"], {}).values():
            for principal in members:
                self.principal_ssos.get(principal, {}).pop(sso["id"], None)
        app = self.store["applications"].get(sso.get("application_id"))
        if app is not None:
            self.app_sso.pop(app["id"], None)
            self._drop("applications", app)
        self.drop_realm_object("sso-configs", sso)
        return Reply(200, None)

    def assign(self, req, collection, key, add):
        sso = self.find_sso(req)
        ids = _ids(req, key)
        if add:
            self.principals(req, sso["realm_id"], key, collection)
        members = self.store["sso-assignments"][sso["id"]][collection]
        stamp = self.now()
        for ident in ids:
            if add:
                members[ident] = stamp
                self.principal_ssos.setdefault(ident, {})[sso["id"]] = True
            else:
                members.pop(ident, None)
                self.principal_ssos.get(ident, {}).pop(sso["id"], None)
        return Reply(200, None)

    def list_sso_identities(self, req):
        """Identities assigned directly, then members of the assigned groups (with the group named)."""
        sso = self.find_sso(req)
        assigned = self.store["sso-assignments"][sso["id"]]
        rows = [self.store["identities"][i] for i in assigned["identities"] if i in self.store["identities"]]
        for group_id in assigned["groups"]:
            group = self.store["groups"].get(group_id)
            for ident in self.store["memberships"].get(group_id, {}):
                if ident in self.store["identities"]:
                    row = dict(self.store["identities"][ident])
                    row.update(group_id=group_id, group_display_name=group["display_name"])
                    rows.append(row)
        return self.page(req, rows, "identities", 20, 200)

    def list_sso_groups(self, req):
        sso = self.find_sso(req)
        groups = []
        for group_id in self.store["sso-assignments"][sso["id"]]["groups"]:
            group = self.store["groups"].get(group_id)
            if group is not None:
                row = dict(group)
                row["member_count"] = len(self.store["memberships"].get(group_id, {}))
                groups.append(row)
        return {"groups": groups}

    def is_group_assigned(self, req):
        sso = self.find_sso(req)
        groups = self.store["sso-assignments"][sso["id"]]["groups"]
        return {"is_assigned_to_sso_config": any(g in groups for g in (req.json or {}).get("group_ids") or [])}

    def is_identity_assigned(self, req):
        identity = self.find(req, self.identities_kind, "identity_id")
        sso = self.find_sso(req)
        assigned = self.store["sso-assignments"][sso["id"]]
        direct = identity["id"] in assigned["identities"]
        return {"is_assigned_to_sso_config": direct or any(
            identity["id"] in self.store["memberships"].get(g, {}) for g in assigned["groups"])}

    def principal_sso_list(self, req, collection, id_param):
        principal = self.store[collection].get(req.params[id_param])
        if principal is None or principal["realm_id"] != req.params["realm_id"]:
            resource = "Identity" if collection == "identities" else "Group"
            raise _not_found(resource, req.params[id_param], resource.lower())
        ssos = [self.sso_view(self.store["sso-configs"][s]) for s in self.principal_ssos.get(principal["id"], {})]
        out = self.page(req, ssos, "sso_configs", 20, 200)
        if collection == "identities":  # the document's answer schema names (and requires) ``identities``
            out["identities"] = [principal]
        return out

    def application_sso_config(self, req):
        app = self.find(req, self.applications_kind, "application_id")
        if app["id"] not in self.app_sso:
            raise _not_found("SsoConfig", app["id"], "sso config")
        return {"sso_config_id": self.app_sso[app["id"]]}

    def test_sso_config(self, req):
        """The configuration's endpoints checked: https URLs pass, anything else fails with a reason."""
        sso = self.find_sso(req)
        payload = sso["payload"]
        out = {"identity_providers": [], "oidc_applications": []}
        if payload["type"] in IDP_BACKED:
            urls = [payload.get(k, "") for k in ("authorization_endpoint", "token_endpoint", "jwks_endpoint")]
            bad = [u for u in urls if not u.startswith("https://")]
            entry = {"identity_provider_id": payload["identity_provider_id"], "display_name": sso["display_name"],
                     "is_success": not bad, "status_code": "400" if bad else "200"}
            if bad:
                entry["error_context"] = "endpoint is not an https URL: %s" % bad[0]
            out["identity_providers"].append(entry)
        elif payload.get("application_id"):
            uris = payload.get("redirect_uris") or [payload.get("acs_url", "https://")]
            bad = [u for u in uris if not str(u).startswith(("https://", "http://localhost"))]
            entry = {"application_id": payload["application_id"], "display_name": sso["display_name"],
                     "is_success": not bad, "status_code": "400" if bad else "200"}
            if bad:
                entry["error_context"] = "redirect URI is not an https URL: %s" % bad[0]
            out["oidc_applications"].append(entry)
        return out

    # -- identity providers -----------------------------------------------------------------------

    def find_idp(self, req):
        return self.realm_object(req, "identity-providers", "identity_provider_id", "IdentityProvider",
                                 "identity provider")

    def idp_view(self, idp):
        """Secrets are not read back (shown masked), as for an application's client secret."""
        protocol = dict(idp["protocol_config"])
        if "client_secret" in protocol:
            protocol["client_secret"] = "********"
        protocol["redirect_url"] = "https://auth-us.beyondidentity.com/v1/tenants/%s/realms/%s/identity-providers/%s" \
            "/callback" % (self.tenant_id, idp["realm_id"], idp["id"])
        return {"id": idp["id"], "tenant_id": idp["tenant_id"], "realm_id": idp["realm_id"],
                "display_name": idp["display_name"], "protocol_config": protocol}

    def create_identity_provider(self, req):
        realm = self.realm(req)
        fields = req.json if isinstance(req.json, dict) else {}
        if not fields.get("display_name"):
            raise HttpError(400, "invalid parameters", details=_violation("display_name", "missing"))
        taken = self.in_realm_store("identity-providers", realm["id"])
        if any(i["display_name"] == fields["display_name"] for i in taken):
            raise HttpError(409, "identity provider display name already exists")
        idp = self.stamped(realm["id"], display_name=fields["display_name"],
                           protocol_config=dict(fields.get("protocol_config") or {}))
        self.put_realm_object("identity-providers", realm["id"], idp)
        view = self.idp_view(idp)
        # the document answers the protocol configuration; the identity provider's fields come with it
        answer = dict(view["protocol_config"])
        answer.update({k: v for k, v in view.items() if k != "protocol_config"}, protocol_config=view["protocol_config"])
        return answer

    def update_identity_provider(self, req):
        idp = self.find_idp(req)
        patch = self.body(req, "identity_provider", required=False)
        if "display_name" in patch:
            if not patch["display_name"]:
                raise HttpError(400, "invalid parameters", details=_violation("identity_provider.display_name",
                                                                              "empty string"))
            idp["display_name"] = patch["display_name"]
        protocol = patch.get("protocol_config") or {}
        if protocol.get("type", idp["protocol_config"].get("type")) != idp["protocol_config"].get("type"):
            raise HttpError(400, "invalid parameters", details=_violation("identity_provider.protocol_config.type",
                                                                          "cannot change"))
        idp["protocol_config"].update(protocol)
        idp["update_time"] = self.now()
        return self.idp_view(idp)

    def delete_identity_provider(self, req):
        self.drop_realm_object("identity-providers", self.find_idp(req))
        return Reply(200, None)

    # -- flow type config (launch mechanisms) -----------------------------------------------------

    def flow_type_config(self, req):
        realm = self.realm(req)
        config = self.store["flow-type-configs"].get(realm["id"])
        if config is None:  # "creates a default configuration if one does not exist"
            platforms = {}
            for platform in PLATFORMS:
                platforms[platform] = {}
                for flow in FLOW_TYPES:
                    valid = flow != "unknown" and platform in _ONLY_ON.get(flow, (platform,))
                    platforms[platform][flow] = {"enabled": valid, "valid": valid}
            config = self.stamped(realm["id"], platform_config=platforms)
            config["id"] = self.new_hex()
            self.store["flow-type-configs"][realm["id"]] = config
        return config

    def update_flow_type_config(self, req):
        """``enabled`` per platform and flow type; ``valid`` is the platform's to say and is not changed."""
        config = self.flow_type_config(req)
        patch = req.json if isinstance(req.json, dict) else {}
        for platform in PLATFORMS:  # other keys (the document allows any) are ignored
            flows = patch.get(platform)
            for flow in FLOW_TYPES if isinstance(flows, dict) else ():
                setting = flows.get(flow)
                if isinstance(setting, dict) and isinstance(setting.get("enabled"), bool):
                    config["platform_config"][platform][flow]["enabled"] = setting["enabled"]
        config["update_time"] = self.now()
        return config

    # -- SCIM v2 over the identity and group stores -------------------------------------------------

    def scim_meta(self, req, obj, resource):
        return {"resourceType": resource, "created": obj["create_time"], "lastModified": obj["update_time"],
                "location": "%s/v1/tenants/%s/realms/%s/scim/v2/%ss/%s" % (
                    self.url if self.server else "", self.tenant_id, obj["realm_id"], resource, obj["id"]),
                "version": 'W/"%s"' % obj["update_time"]}

    def scim_user(self, identity, req=None):
        traits = identity.get("traits") or {}
        user = {"schemas": [SCIM_USER], "id": identity["id"], "userName": traits.get("username", ""),
                "displayName": identity["display_name"], "active": identity.get("status") == "active",
                "meta": self.scim_meta(req, identity, "User")}
        if traits.get("primary_email_address"):
            user["emails"] = [{"primary": True, "value": traits["primary_email_address"]}]
        if traits.get("external_id"):
            user["externalId"] = traits["external_id"]
        name = {k: traits[t] for k, t in (("givenName", "given_name"), ("familyName", "family_name")) if traits.get(t)}
        if name:
            user["name"] = name
        enterprise = {k: traits[t] for k, t in _ENTERPRISE.items() if traits.get(t)}
        if enterprise:
            user["schemas"].append(SCIM_ENTERPRISE)
            user[SCIM_ENTERPRISE] = enterprise
        return user

    def scim_traits(self, user, traits):
        if "userName" in user:
            traits["username"] = user["userName"]
        if "externalId" in user:
            traits["external_id"] = user["externalId"]
        emails = user.get("emails")
        if emails is not None:
            primary = [e for e in emails if e.get("primary")] or emails
            traits["primary_email_address"] = (primary[0].get("value") if primary else "") or ""
        for key, trait in (("givenName", "given_name"), ("familyName", "family_name")):
            if key in (user.get("name") or {}):
                traits[trait] = user["name"][key]
        for key, trait in _ENTERPRISE.items():
            if key in (user.get(SCIM_ENTERPRISE) or {}):
                traits[trait] = user[SCIM_ENTERPRISE][key]
        return traits

    def scim_body(self, req, wrapper):
        body = req.json if isinstance(req.json, dict) else {}
        obj = body.get(wrapper)
        if not isinstance(obj, dict):
            raise HttpError(400, "%s is missing" % wrapper, code="invalidSyntax")
        return obj

    def scim_identity(self, req):
        identity = self.store["identities"].get(req.params["user_id"])
        if identity is None or identity["realm_id"] != req.params["realm_id"]:
            raise HttpError(404, "user %s not found" % req.params["user_id"])
        return identity

    def scim_create_user(self, req):
        realm = self.realm(req)
        user = self.scim_body(req, "user")
        if not user.get("userName"):
            raise HttpError(400, "userName is required", code="invalidValue")
        if user["userName"].lower() in ("",) or (realm["id"], user["userName"].lower()) in self.usernames:
            raise HttpError(400, "userName %s is already taken" % user["userName"], code="uniqueness")
        traits = self.scim_traits(user, {"type": "traits_v0"})
        identity = self._put(self.identities_kind, realm["id"], {
            "display_name": user.get("displayName") or user["userName"],
            "status": "active" if user.get("active", True) else "suspended", "traits": traits})
        return Reply(201, self.scim_user(identity, req))

    def scim_write_user(self, req, replace):
        identity = self.scim_identity(req)
        user = self.scim_body(req, "user")
        name = user.get("userName")
        if replace and not name:
            raise HttpError(400, "userName is required", code="invalidValue")
        if name:
            other = self.usernames.get((identity["realm_id"], name.lower()))
            if other is not None and other != identity["id"]:
                raise HttpError(400, "userName %s is already taken" % name, code="uniqueness")
        self._index_username(identity, add=False)
        traits = {"type": "traits_v0"} if replace else dict(identity.get("traits") or {})
        identity["traits"] = self.scim_traits(user, traits)
        if replace or "displayName" in user:
            identity["display_name"] = user.get("displayName") or identity["traits"]["username"]
        if replace or "active" in user:
            identity["status"] = "active" if user.get("active", True) else "suspended"
        identity["update_time"] = self.now()
        self._index_username(identity, add=True)
        return self.scim_user(identity, req)

    def scim_delete_user(self, req):
        identity = self.scim_identity(req)
        for members in self.store["memberships"].values():
            members.pop(identity["id"], None)
        self.remove_identity(identity)
        return Reply(204)

    def scim_filtered(self, req, items, attributes):
        text = req.arg("filter")
        if text:
            match = _SCIM_FILTER.match(text)
            if match is None or match.group(1) not in attributes:
                raise HttpError(400, "unsupported filter: %s" % text, code="invalidFilter")
            value = match.group(2).replace('\\"', '"')
            field = attributes[match.group(1)]
            items = [o for o in items if str(field(o)).lower() == value.lower()]
        return items

    def scim_list(self, req, resources):
        start = max(int(req.arg("startIndex") or 1), 1)
        count = req.arg("count")
        count = len(resources) if count in (None, "") else min(int(count), 1000)
        chunk = resources[start - 1:start - 1 + count]
        return {"schemas": [SCIM_LIST], "Resources": chunk, "totalResults": len(resources), "startIndex": start,
                "itemsPerPage": len(chunk)}

    def scim_list_users(self, req):
        realm = self.realm(req)
        text = req.arg("filter") or ""
        match = _SCIM_FILTER.match(text)
        if match and match.group(1) == "userName":  # the username index: no scan for the usual lookup
            found = self.store["identities"].get(self.usernames.get((realm["id"], match.group(2).lower())))
            items = [found] if found else []
        else:
            items = self.scim_filtered(req, self.in_realm(self.identities_kind, realm["id"]), {
                "userName": lambda i: (i.get("traits") or {}).get("username", ""), "id": lambda i: i["id"],
                "externalId": lambda i: (i.get("traits") or {}).get("external_id", ""),
                "displayName": lambda i: i["display_name"]})
        return self.scim_list(req, [self.scim_user(i, req) for i in items[:1000]])

    def scim_group(self, group, req=None):
        return {"schemas": [SCIM_GROUP], "id": group["id"], "displayName": group["display_name"],
                "meta": self.scim_meta(req, group, "Group")}

    def scim_find_group(self, req):
        group = self.store["groups"].get(req.params["group_id"])
        if group is None or group["realm_id"] != req.params["realm_id"]:
            raise HttpError(404, "group %s not found" % req.params["group_id"])
        return group

    def scim_create_group(self, req):
        realm = self.realm(req)
        group = self.scim_body(req, "group")
        if not group.get("displayName"):
            raise HttpError(400, "displayName is required", code="invalidValue")
        if any(g["display_name"] == group["displayName"] for g in self.in_realm(self.groups_kind, realm["id"])):
            raise HttpError(400, "displayName %s is already taken" % group["displayName"], code="uniqueness")
        stored = self._put(self.groups_kind, realm["id"], {"display_name": group["displayName"]})
        return Reply(201, self.scim_group(stored, req))

    def scim_list_groups(self, req):
        realm = self.realm(req)
        items = self.scim_filtered(req, self.in_realm(self.groups_kind, realm["id"]), {
            "displayName": lambda g: g["display_name"], "id": lambda g: g["id"]})
        return self.scim_list(req, [self.scim_group(g, req) for g in items[:1000]])

    def scim_update_group(self, req):
        group = self.scim_find_group(req)
        patch = self.scim_body(req, "group")
        if "displayName" in patch:
            group["display_name"] = patch["displayName"]
            group["update_time"] = self.now()
        return self.scim_group(group, req)

    def scim_delete_group(self, req):
        group = self.scim_find_group(req)
        self.store["memberships"].pop(group["id"], None)
        self.forget_principal(group["id"])
        self._drop("groups", group)
        return Reply(204)

    @staticmethod
    def scim_resource_types():
        return [{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"], "id": "User", "name": "User",
                 "description": "User Account", "endpoint": "/Users", "schema": SCIM_USER,
                 "schemaExtensions": [{"required": False, "schema": SCIM_ENTERPRISE}]},
                {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"], "id": "Group", "name": "Group",
                 "description": "Group", "endpoint": "/Groups", "schema": SCIM_GROUP, "schemaExtensions": []}]

    @staticmethod
    def scim_schemas():
        def attr(name, kind="string", required=False, multi=False, mutability="readWrite", unique="none"):
            return {"name": name, "type": kind, "multiValued": multi, "description": name, "required": required,
                    "caseExact": False, "mutability": mutability, "returned": "default", "uniqueness": unique}
        user = [attr("userName", required=True, unique="server"), attr("displayName"), attr("externalId"),
                attr("active", "boolean"), attr("emails", "complex", multi=True), attr("name", "complex")]
        group = [attr("displayName", required=True, unique="server")]
        enterprise = [attr(n) for n in _ENTERPRISE]
        return [{"id": SCIM_USER, "name": "User", "description": "User Account", "attributes": user},
                {"id": SCIM_GROUP, "name": "Group", "description": "Group", "attributes": group},
                {"id": SCIM_ENTERPRISE, "name": "EnterpriseUser", "description": "Enterprise User",
                 "attributes": enterprise}]

    @staticmethod
    def scim_service_provider_config(req):
        return {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
                "documentationUri": "https://developer.beyondidentity.com/docs/scim",
                "patch": {"supported": True}, "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
                "filter": {"supported": True, "maxResults": 1000}, "changePassword": {"supported": False},
                "sort": {"supported": False}, "etag": {"supported": False},
                "authenticationSchemes": [{"type": "oauthbearertoken", "name": "OAuth Bearer Token",
                                           "description": "Authentication with an access token of the realm",
                                           "specUri": "https://www.rfc-editor.org/info/rfc6750",
                                           "documentationUri": "https://developer.beyondidentity.com/docs"}]}

    @staticmethod
    def scim_error(reply):
        """A 4xx/5xx answer of a SCIM operation in SCIM's error shape (RFC 7644 3.12)."""
        body = reply.body if isinstance(reply.body, dict) else {}
        out = {"schemas": [SCIM_ERROR], "status": str(reply.status),
               "detail": body.get("message") or body.get("detail") or ""}
        if body.get("scimType"):
            out["scimType"] = body["scimType"]
        return Reply(reply.status, out, reply.headers)
