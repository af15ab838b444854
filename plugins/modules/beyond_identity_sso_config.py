#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: beyond_identity_sso_config
short_description: Manage Beyond Identity SSO configurations, their assigned identities and groups, and test them
version_added: 0.1.0
description:
  - Create, update and delete SSO configurations in a Beyond Identity realm (API 1.7.0), of every type the API
    defines, and manage which identities and groups are assigned to them.
  - An SSO configuration is found by O(display_name) (or O(id)) in O(realm).
  - O(payload) holds the type's settings under the API's names; a setting left out keeps its value. Creating a
    configuration needs the settings the API requires for its O(type); they are checked before the first write.
  - Assignments are changed with the add and delete calls of up to 1,000 ids each; O(identities) manages the
    identities assigned directly (identities that have the configuration through a group are not listed there).
  - With O(test=true) the configuration is tested (its identity providers and OIDC applications are called) once
    it is as asked; the test changes nothing, and the task fails naming every check that did not succeed.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.beyond_identity
  - identity.cloud.beyond_identity.realm
options:
  display_name:
    description:
      - Display name of the SSO configuration. Required to create one. With O(id), renames it.
    type: str
  id:
    description:
      - Id of an existing SSO configuration, instead of O(display_name).
    type: str
  type:
    description:
      - The kind of SSO configuration. Required to create one; it cannot change afterwards.
      - The settings each type requires in O(payload) on create, by their API names
        V(bookmark) C(login_link);
        V(entra_id_external_auth_methods) C(redirect_uris), C(discover_endpoint);
        V(generic_oidc) C(redirect_uris), C(scopes), C(confidentiality), C(pkce);
        V(generic_oidc_idp) C(client_id), C(identifying_claim_name), C(identity_attribute),
        C(authorization_endpoint), C(token_endpoint), C(jwks_endpoint);
        V(generic_saml) C(acs_url), C(audience_url), C(name_format), C(subject_user_name_attribute),
        C(signature_algorithm), C(digest_algorithm);
        V(saml) (the document's full SAML settings) C(acs_url), C(override_recipient_and_destination), C(audience_url),
        C(default_relay_state), C(name_format), C(authentication_context), C(subject_user_name_attribute), C(sign_envelope),
        C(sign_assertions), C(signature_algorithm), C(digest_algorithm), C(encrypt_assertions),
        C(assertion_validity_duration_seconds), C(sp_signature_certificates), C(enable_single_log_out),
        C(validate_signed_requests), C(additional_user_attributes), C(single_logout_sign_request_and_response);
        V(okta_idp) C(client_id), C(identifying_claim_name), C(identity_attribute), C(okta_domain);
        V(okta_sso_bi_idp) C(pkce), C(okta_registration);
        V(scim) nothing;
        V(ws_fed) C(acs_url), C(audience_url), C(expiration_time_seconds), C(digest_algorithm),
        C(signature_algorithm), C(name_format), C(subject_user_name_attribute), C(authentication_context),
        C(additional_user_attributes).
    type: str
    choices: [bookmark, entra_id_external_auth_methods, generic_oidc, generic_oidc_idp, generic_saml, okta_idp,
              okta_sso_bi_idp, saml, scim, ws_fed]
  payload:
    description:
      - The type's settings under the API's names (for example C(login_link) and C(is_tile_visible) of a
        bookmark). Only the settings given are compared and sent; lists are compared in order.
      - Secrets do not go here (payload is shown in diffs); use O(idp_client_secret) and O(okta_token).
    type: dict
  idp_client_secret:
    description:
      - The client secret (the API's C(client_secret)) of a V(generic_oidc_idp) or V(okta_idp) configuration at its
        identity provider (O(client_secret) is the connection's). Write-only, so compared never and sent as
        O(update_secrets) says.
    type: str
  okta_token:
    description:
      - The Okta API token of an V(okta_sso_bi_idp) configuration (C(okta_registration.okta_token)). Write-only,
        so compared never and sent as O(update_secrets) says.
    type: str
  update_secrets:
    description:
      - V(always) sends O(idp_client_secret) and O(okta_token) on every run (the task then always reports a change);
        V(on_create) only when the configuration is created.
    type: str
    choices: [always, on_create]
    default: always
  identities:
    description:
      - Identities assigned to the configuration, each an identity id or username (case-insensitive).
      - How the list applies is set by O(identities_mode). Omit to leave the assigned identities alone.
    type: list
    elements: str
  identities_mode:
    description:
      - V(set) makes the directly assigned identities exactly O(identities); V(add) only adds; V(remove) only removes.
    type: str
    choices: [set, add, remove]
    default: set
  groups:
    description:
      - Groups assigned to the configuration, each a group id or display name.
      - How the list applies is set by O(groups_mode). Omit to leave the assigned groups alone.
    type: list
    elements: str
  groups_mode:
    description:
      - V(set) makes the assigned groups exactly O(groups); V(add) only adds; V(remove) only removes.
    type: str
    choices: [set, add, remove]
    default: set
  test:
    description:
      - Test the configuration once it is as asked (TestSsoConfig) and return RV(test_result); the task fails when
        any identity provider or OIDC application check did not succeed. Not sent in check mode or with
        O(state=absent).
    type: bool
    default: false
  concurrency:
    description:
      - How many assignment calls run at the same time, 1 to 32.
    type: int
    default: 8
  state:
    description:
      - V(present) creates or updates the configuration, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
"""

EXAMPLES = r"""
- name: Ensure the Engineering group exists
  identity.cloud.beyond_identity_group:
    realm: Default
    display_name: Engineering

- name: Ensure a bookmark tile for the wiki, assigned to the Engineering group
  identity.cloud.beyond_identity_sso_config:
    realm: Default
    display_name: Wiki
    type: bookmark
    payload:
      login_link: https://wiki.example.com/login
      is_tile_visible: true
    groups: [Engineering]

- name: Change the link and test the configuration
  identity.cloud.beyond_identity_sso_config:
    realm: Default
    display_name: Wiki
    payload:
      login_link: https://wiki.example.com/sso
    test: true
  register: wiki

- name: Delete the configuration
  identity.cloud.beyond_identity_sso_config:
    realm: Default
    display_name: Wiki
    state: absent
"""

RETURN = r"""
sso_config:
  description: The SSO configuration as the API returns it (empty after deletion), without C(payload.client_secret)
    and C(payload.okta_registration.okta_token), which the API reads back in clear.
  returned: always
  type: dict
  sample:
    id: 0d3b5a0e-3f5c-4f4e-9f1f-6a3e0c1b2d4e
    display_name: Wiki
    payload: {type: bookmark, login_link: "https://wiki.example.com/login", is_tile_visible: true}
id:
  description: Id of the SSO configuration.
  returned: when the configuration exists
  type: str
  sample: 0d3b5a0e-3f5c-4f4e-9f1f-6a3e0c1b2d4e
memberships:
  description: Identities (usernames) and groups (display names) assigned and unassigned by the task.
  returned: when assignments changed
  type: dict
  sample: {groups: {added: [Engineering], removed: []}}
test_result:
  description: The answer of the test call, C(identity_providers) and C(oidc_applications), each with C(is_success).
  returned: with O(test=true), outside check mode
  type: dict
  sample: {identity_providers: [], oidc_applications: []}
"""

from ansible_collections.identity.cloud.plugins.module_utils import beyond_identity as bi
from ansible_collections.identity.cloud.plugins.module_utils import bulk
from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import sso
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import Engine, Field, ResourceSpec, run_flow

SPEC = ResourceSpec("sso_config", key=Field("display_name", min_length=1),
                    fields=[Field("payload", type="dict"), Field("type", api="payload.type", choices=sso.TYPES),
                            Field("idp_client_secret", api="payload.client_secret", secret=True),
                            Field("okta_token", api="payload.okta_registration.okta_token", secret=True)],
                    relations=sso.assignment_relations(),
                    extra_options=dict(bi.REALM_OPTION, test={"type": "bool", "default": False},
                                       **bulk.CONCURRENCY_OPTION))


def main():
    module = vendor_module(SPEC.argument_spec(), bi.BEYOND_IDENTITY_ARGS, required_one_of=[("display_name", "id")])
    sso.mask_payload_secrets(module)
    crud = sso.SsoConfigCrud(bi.connect(module))
    engine = Engine(module, SPEC, crud)

    def converge_and_test():
        result = engine.find_and_converge()
        if module.params["test"] and module.params["state"] == "present" and not module.check_mode:
            result["test_result"] = crud.test(result["sso_config"])
            failed = sso.failed_checks(result["test_result"])
            if failed:
                if not module._diff:
                    result.pop("diff", None)
                module.fail_json(msg="test of SSO config %r failed: %s" % (result["sso_config"].get("display_name"),
                                                                           "; ".join(failed)), **result)
        return result

    run_flow(module, converge_and_test)


if __name__ == "__main__":
    main()
