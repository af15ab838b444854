# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Beyond Identity SSO configurations (API 1.7.0): settings, identity and group assignments, the test call.

API facts: ``.../sso-configs`` with wrapper ``sso_config`` = ``{display_name, payload}``; the payload is a
``oneOf`` chosen by ``payload.type`` and an update (PATCH) carries ``type`` too. Identities are assigned with
``:addIdentities`` / ``:deleteIdentities`` (``identity_ids``, 1..1000) and listed by
``:listIdentityAssociations`` (directly assigned identities, and those assigned through a group, which carry
``group_id``); groups with ``:addGroups`` / ``:deleteGroups`` (``group_ids``) and ``:listGroupAssociations``.
``POST .../sso-configs/{id}/test`` tests the configuration's identity providers and OIDC applications.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import uuid

from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import (
    BeyondIdentityCrud,
    Endpoint,
    username_of,
)
from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity.roles import batches
from ansible_collections.identity.cloud.plugins.module_utils.resource import MISSING, InputError, Membership, get_path


def correlate(bi):
    """The SSO config and identity provider operations require an ``x-correlation_id`` header (answered back as
    ``x-correlation-id``): one id per task, on all of its calls, ties them together in the vendor's logs."""
    headers = getattr(bi.api, "headers", None)
    if headers is not None:
        headers.setdefault("x-correlation_id", str(uuid.uuid4()))


SSO_CONFIGS = Endpoint("sso-configs", "sso_config", page_size=100)

# The settings each type of the document's SsoConfigPayload requires on create (besides ``type``).
SAML_REQUIRED = ("acs_url", "override_recipient_and_destination", "audience_url", "default_relay_state", "name_format",
                 "authentication_context", "subject_user_name_attribute", "sign_envelope", "sign_assertions",
                 "signature_algorithm", "digest_algorithm", "encrypt_assertions",
                 "assertion_validity_duration_seconds", "sp_signature_certificates", "enable_single_log_out",
                 "validate_signed_requests", "additional_user_attributes",
                 "single_logout_sign_request_and_response")
REQUIRED = {
    "bookmark": ("login_link",),
    "entra_id_external_auth_methods": ("redirect_uris", "discover_endpoint"),
    "generic_oidc": ("redirect_uris", "scopes", "confidentiality", "pkce"),
    "generic_oidc_idp": ("client_id", "identifying_claim_name", "identity_attribute", "authorization_endpoint",
                         "token_endpoint", "jwks_endpoint"),
    # generic_saml has no alternative of its own in the document: the SAML settings without a usable default
    "generic_saml": ("acs_url", "audience_url", "name_format", "subject_user_name_attribute", "signature_algorithm",
                     "digest_algorithm"),
    "saml": SAML_REQUIRED,  # the document's SAML alternative (its type enum is ["saml"])
    "okta_idp": ("client_id", "identifying_claim_name", "identity_attribute", "okta_domain"),
    "okta_sso_bi_idp": ("pkce", "okta_registration"),
    "scim": (),
    "ws_fed": ("acs_url", "audience_url", "expiration_time_seconds", "digest_algorithm", "signature_algorithm",
               "name_format", "subject_user_name_attribute", "authentication_context", "additional_user_attributes"),
}
TYPES = sorted(REQUIRED)
# Write-only settings: their own no_log options, never in ``payload`` (which is shown in diffs and logs).
SECRET_OPTIONS = {("client_secret",): "idp_client_secret", ("okta_registration", "okta_token"): "okta_token"}
SECRET_PATHS = tuple(SECRET_OPTIONS)


def mask_payload_secrets(module):
    """A secret written into ``payload`` anyway is refused (``validate``); until then it is masked in all output."""
    for path in SECRET_PATHS:
        value = get_path(module.params.get("payload") or {}, path)
        if isinstance(value, str) and value:
            module.no_log_values.add(value)


class SsoConfigCrud(BeyondIdentityCrud):
    secret_paths = tuple(("payload",) + path for path in SECRET_PATHS)

    def __init__(self, bi):
        super(SsoConfigCrud, self).__init__(bi, SSO_CONFIGS)
        correlate(bi)
        self.client = self  # the engine hands its relations ``crud.client``: theirs is this object

    def validate(self, params, current):
        super(SsoConfigCrud, self).validate(params, current)
        payload = params.get("payload") or {}
        for path in SECRET_PATHS:
            if get_path(payload, path) is not MISSING:
                raise InputError("payload.%s: give it as the no_log option %s, not in payload (payload is shown in "
                                 "diffs and logs)" % (".".join(path), SECRET_OPTIONS[path]))
        have = get_path(current or {}, ("payload", "type"))
        kind = params.get("type")
        if current is not None and kind and kind != have:
            raise InputError("type: SSO config %r is of type %s and cannot become %s; delete it and create it again"
                             % (current.get("display_name"), have, kind))
        if current is None:
            if not kind:
                raise InputError("type is required to create an SSO config, one of %s" % ", ".join(TYPES))
            given = set(payload) | set(["client_secret"] if params.get("idp_client_secret") is not None else [])
            missing = [key for key in REQUIRED[kind] if key not in given]
            if missing:
                raise InputError("payload: an SSO config of type %s needs %s" % (kind, ", ".join(missing)))

    def update(self, current, desired, changes, params):
        """The document's SsoConfigPartialUpdate: the payload's changed settings and its ``type`` right under
        ``sso_config`` (a new display name beside them)."""
        body = dict(desired.get("payload") or {}, type=get_path(current, ("payload", "type")))
        if desired.get("display_name") not in (None, current.get("display_name")):
            body["display_name"] = desired["display_name"]
        return self.bi.api.patch(self.item_path(current["id"]), {"sso_config": body}).data

    # assignments

    def identities(self, config):
        listed = self.bi.list(self.item_path(config["id"]) + ":listIdentityAssociations", "identities")
        return dict((i["id"], username_of(i)) for i in listed if not i.get("group_id"))  # group_id: through a group

    def groups(self, config):
        listed = self.bi.list(self.item_path(config["id"]) + ":listGroupAssociations", "groups")
        return dict((g["id"], g.get("display_name")) for g in listed)

    def assign(self, config, kind, ids, add):
        path = self.item_path(config["id"]) + ":%s%s" % ("add" if add else "delete", kind.capitalize())
        key = {"identities": "identity_ids", "groups": "group_ids"}[kind]
        self.bi.run_concurrently(lambda batch: self.bi.api.post(path, {key: batch}, idempotent=True), batches(ids))

    def test(self, config):
        return self.bi.api.post(self.item_path(config["id"]) + "/test", None, idempotent=True).data or {}


def assignment_relations():
    """``identities`` (ids or usernames) and ``groups`` (ids or display names) assigned to an SSO config."""
    return [
        Membership("identities", resolve=lambda crud, refs: crud.bi.resolve_identities(refs, "identities"),
                   current=lambda crud, config: crud.identities(config),
                   add=lambda crud, config, ids: crud.assign(config, "identities", ids, True),
                   remove=lambda crud, config, ids: crud.assign(config, "identities", ids, False)),
        Membership("groups", resolve=lambda crud, refs: crud.bi.resolve_groups(refs, "groups"),
                   current=lambda crud, config: crud.groups(config),
                   add=lambda crud, config, ids: crud.assign(config, "groups", ids, True),
                   remove=lambda crud, config, ids: crud.assign(config, "groups", ids, False)),
    ]


def failed_checks(answer):
    """The names of the identity providers and OIDC applications a test answer reports unsuccessful."""
    return ["%s (%s%s)" % (item.get("display_name"), item.get("status_code"),
                           ": %s" % item["error_context"] if item.get("error_context") else "")
            for key in ("identity_providers", "oidc_applications") for item in answer.get(key) or []
            if not item.get("is_success")]
