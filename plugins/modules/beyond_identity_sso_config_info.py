#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: beyond_identity_sso_config_info
short_description: List Beyond Identity SSO configurations and their assignments
version_added: 0.1.0
description:
  - Returns the SSO configurations of a realm (every page), or those with O(display_name) or O(type), or the one
    with O(id), optionally with the identities and groups assigned to them.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.beyond_identity
  - identity.cloud.beyond_identity.realm
options:
  display_name:
    description:
      - Only SSO configurations with this display name.
    type: str
  id:
    description:
      - Only the SSO configuration with this id.
    type: str
  type:
    description:
      - Only SSO configurations of this type.
    type: str
    choices: [bookmark, entra_id_external_auth_methods, generic_oidc, generic_oidc_idp, generic_saml, okta_idp,
              okta_sso_bi_idp, saml, scim, ws_fed]
  include_assignments:
    description:
      - Add C(identities) (usernames of the directly assigned identities) and C(groups) (display names of the
        assigned groups) to each configuration. Two requests (and one per further page) per configuration.
    type: bool
    default: false
  concurrency:
    description:
      - How many assignment listings run at the same time, 1 to 32.
    type: int
    default: 8
"""

EXAMPLES = r"""
- name: Read every bookmark of the default realm with its assignments
  identity.cloud.beyond_identity_sso_config_info:
    realm: Default
    type: bookmark
    include_assignments: true
  register: bookmarks
"""

RETURN = r"""
sso_configs:
  description: The matching SSO configurations as the API returns them, with C(identities) and C(groups) when asked,
    without C(payload.client_secret) and C(payload.okta_registration.okta_token) (the API reads them back in clear).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 0d3b5a0e-3f5c-4f4e-9f1f-6a3e0c1b2d4e
      display_name: Wiki
      payload: {type: bookmark, login_link: "https://wiki.example.com/login"}
      identities: [alice]
      groups: [Engineering]
"""

from ansible_collections.identity.cloud.plugins.module_utils import beyond_identity as bi
from ansible_collections.identity.cloud.plugins.module_utils import bulk
from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import readers, sso
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_info


def main():
    options = {"display_name": {"type": "str"}, "id": {"type": "str"}, "type": {"type": "str", "choices": sso.TYPES},
               "include_assignments": {"type": "bool", "default": False}}
    options.update(bi.REALM_OPTION, **bulk.CONCURRENCY_OPTION)
    module = vendor_module(options, bi.BEYOND_IDENTITY_ARGS, mutually_exclusive=[("display_name", "id")])
    session = bi.connect(module)
    run_info(module, "sso_configs", lambda params: readers.sso_configs(session, params))


if __name__ == "__main__":
    main()
