#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: beyond_identity_identity_provider_info
short_description: List Beyond Identity identity providers
version_added: 0.1.0
description:
  - Returns the identity providers of a realm (every page), or those with O(display_name), or the one with O(id).
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.beyond_identity
  - identity.cloud.beyond_identity.realm
options:
  display_name:
    description:
      - Only identity providers with this display name.
    type: str
  id:
    description:
      - Only the identity provider with this id.
    type: str
"""

EXAMPLES = r"""
- name: Read every identity provider of the default realm
  identity.cloud.beyond_identity_identity_provider_info:
    realm: Default
  register: providers
"""

RETURN = r"""
identity_providers:
  description: The matching identity providers as the API returns them, without C(protocol_config.client_secret)
    (the API reads it back in clear).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 6c1e0f4a-23f5-4b8b-9a55-3a7b1c0d2e11
      display_name: Corporate IdP
      protocol_config: {type: oidc_idp, client_id: beyond-identity, identity_attribute: email}
"""

from ansible_collections.identity.cloud.plugins.module_utils import beyond_identity as bi
from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import readers
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_info


def main():
    options = dict(bi.REALM_OPTION, display_name={"type": "str"}, id={"type": "str"})
    module = vendor_module(options, bi.BEYOND_IDENTITY_ARGS, mutually_exclusive=[("display_name", "id")])
    session = bi.connect(module)
    run_info(module, "identity_providers", lambda params: readers.identity_providers(session, params))


if __name__ == "__main__":
    main()
