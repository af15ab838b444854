#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: beyond_identity_resource_server_info
short_description: List Beyond Identity resource servers
version_added: 0.1.0
description:
  - Returns the resource servers of a realm (every page), or those with O(display_name) or O(identifier), or the
    one with O(id).
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.beyond_identity
  - identity.cloud.beyond_identity.realm
options:
  display_name:
    description:
      - Only resource servers with this display name.
    type: str
  identifier:
    description:
      - Only the resource server with this identifier.
    type: str
  id:
    description:
      - Only the resource server with this id.
    type: str
"""

EXAMPLES = r"""
- name: Read every resource server of the admin realm
  identity.cloud.beyond_identity_resource_server_info:
    realm: Beyond Identity Admin
  register: servers

- name: Read the Management API resource server and its scopes
  identity.cloud.beyond_identity_resource_server_info:
    realm: Beyond Identity Admin
    identifier: beyondidentity
  register: management_api
"""

RETURN = r"""
resource_servers:
  description: The matching resource servers as the API returns them.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 84db69f5-48a8-4c11-8cda-1bae3a73f07e
      realm_id: 8a0c9c3fbd0b2a11
      tenant_id: 0001f1f460b1ace6
      display_name: Beyond Identity Management API
      is_managed: true
      identifier: beyondidentity
      scopes: ["identities:read", "groups:read"]
"""

from ansible_collections.identity.cloud.plugins.module_utils import beyond_identity as bi
from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import readers
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_info


def main():
    options = dict(bi.REALM_OPTION, display_name={"type": "str"}, identifier={"type": "str"}, id={"type": "str"})
    module = vendor_module(options, bi.BEYOND_IDENTITY_ARGS, mutually_exclusive=[("display_name", "id")])
    session = bi.connect(module)
    run_info(module, "resource_servers", lambda params: readers.resource_servers(session, params))


if __name__ == "__main__":
    main()
