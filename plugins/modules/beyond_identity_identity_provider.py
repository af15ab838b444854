#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: beyond_identity_identity_provider
short_description: Manage Beyond Identity identity providers
version_added: 0.1.0
description:
  - Create, update and delete the external OIDC identity providers of a Beyond Identity realm (API 1.7.0).
  - An identity provider is found by O(display_name) (or O(id)) in O(realm). Its protocol is OIDC (C(oidc_idp),
    the only one the API defines); the options below are its settings.
  - Creating one needs every setting below (the API requires them all); they are checked before the first write.
  - O(authorization_endpoint), O(token_endpoint) and O(jwks_endpoint) must be C(http://) or C(https://) URLs with
    a host; anything else fails the task naming the option, before any call.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.beyond_identity
  - identity.cloud.beyond_identity.realm
options:
  display_name:
    description:
      - Display name of the identity provider. Required to create one. With O(id), renames it.
    type: str
  id:
    description:
      - Id of an existing identity provider, instead of O(display_name).
    type: str
  idp_client_id:
    description:
      - Client id of Beyond Identity at the identity provider (the API's C(client_id); O(client_id) is the
        connection's).
    type: str
  idp_client_secret:
    description:
      - Client secret of Beyond Identity at the identity provider (the API's C(client_secret)). Write-only, so never
        compared; sent as O(update_secrets) says.
    type: str
  scopes:
    description:
      - Scopes requested from the identity provider (the API's C(token_scopes); O(token_scopes) is the
        connection's); compared as an unordered set.
    type: list
    elements: str
  identity_attribute:
    description:
      - The identity attribute the identifying claim is matched against.
    type: str
    choices: [id, email, username, external_id]
  identifying_claim_name:
    description:
      - The claim of the identity provider's ID token that identifies the identity, for example V(email).
    type: str
  pkce:
    description:
      - PKCE mode of the authorization request.
    type: str
    choices: [disabled, plain, s256]
  authorization_endpoint:
    description:
      - Authorization endpoint of the identity provider (the API's C(authorize_url)).
    type: str
  token_endpoint:
    description:
      - Token endpoint of the identity provider (the API's C(token_url); O(token_url) is the connection's).
    type: str
  jwks_endpoint:
    description:
      - JSON Web Key Set URL of the identity provider (the API's C(jwks_url)).
    type: str
  update_secrets:
    description:
      - V(always) sends O(idp_client_secret) on every run (the task then always reports a change); V(on_create) only
        when the identity provider is created.
    type: str
    choices: [always, on_create]
    default: always
  state:
    description:
      - V(present) creates or updates the identity provider, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
"""

EXAMPLES = r"""
- name: Ensure the corporate OIDC identity provider exists
  identity.cloud.beyond_identity_identity_provider:
    realm: Default
    display_name: Corporate IdP
    idp_client_id: beyond-identity
    idp_client_secret: "{{ corp_idp_secret | default('example-secret') }}"
    update_secrets: on_create
    scopes: [openid, email]
    identity_attribute: email
    identifying_claim_name: email
    pkce: s256
    authorization_endpoint: https://idp.example.com/authorize
    token_endpoint: https://idp.example.com/token
    jwks_endpoint: https://idp.example.com/jwks

- name: Delete it
  identity.cloud.beyond_identity_identity_provider:
    realm: Default
    display_name: Corporate IdP
    state: absent
"""

RETURN = r"""
identity_provider:
  description: The identity provider as the API returns it (empty after deletion), without
    C(protocol_config.client_secret), which the API reads back in clear.
  returned: always
  type: dict
  sample:
    id: 6c1e0f4a-23f5-4b8b-9a55-3a7b1c0d2e11
    display_name: Corporate IdP
    protocol_config: {type: oidc_idp, client_id: beyond-identity, identity_attribute: email}
id:
  description: Id of the identity provider.
  returned: when the identity provider exists
  type: str
  sample: 6c1e0f4a-23f5-4b8b-9a55-3a7b1c0d2e11
"""

from ansible_collections.identity.cloud.plugins.module_utils import beyond_identity as bi
from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import providers
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import Engine, Field, ResourceSpec


def setting(option, api=None, **kwargs):
    return Field(option, api="protocol_config." + (api or option), required_on_create=True, **kwargs)


# client_id, client_secret, token_url and token_scopes are connection options: the identity provider's go by other names
SPEC = ResourceSpec("identity_provider", key=Field("display_name", min_length=1), fields=[
    setting("idp_client_id", "client_id"), setting("idp_client_secret", "client_secret", secret=True),
    setting("scopes", "token_scopes", type="list", elements="str", unordered=True),
    setting("identity_attribute", choices=["id", "email", "username", "external_id"]),
    setting("identifying_claim_name"), setting("pkce", choices=["disabled", "plain", "s256"]),
    setting("authorization_endpoint", "authorize_url"), setting("token_endpoint", "token_url", no_log=False),
    setting("jwks_endpoint", "jwks_url")], extra_options=bi.REALM_OPTION)


def main():
    module = vendor_module(SPEC.argument_spec(), bi.BEYOND_IDENTITY_ARGS, required_one_of=[("display_name", "id")])
    Engine(module, SPEC, providers.IdentityProviderCrud(bi.connect(module))).run()


if __name__ == "__main__":
    main()
