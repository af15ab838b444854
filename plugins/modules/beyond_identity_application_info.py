#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: beyond_identity_application_info
short_description: List Beyond Identity applications
version_added: 0.1.0
description:
  - Returns the applications of a realm (every page), or those with O(display_name), or the one with O(id).
  - Client secrets are never included; the API returns them only when an application is created.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.beyond_identity
  - identity.cloud.beyond_identity.realm
options:
  display_name:
    description:
      - Only applications with this display name.
    type: str
  id:
    description:
      - Only the application with this id.
    type: str
"""

EXAMPLES = r"""
- name: Read every application of the admin realm
  identity.cloud.beyond_identity_application_info:
    realm: Beyond Identity Admin
  register: admin_apps

- name: Read the Management API application
  identity.cloud.beyond_identity_application_info:
    realm: Beyond Identity Admin
    display_name: Beyond Identity Management API
  register: management_app
"""

RETURN = r"""
applications:
  description: The matching applications as the API returns them (without client secrets).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 38833c36-6f47-4992-9329-ea0a00915137
      realm_id: 19a95130480dfa79
      tenant_id: 0001f1f460b1ace6
      display_name: Pet Portal
      is_managed: false
      protocol_config:
        type: oidc
        client_id: AYYNcuOSpfqIf33JeegCzDIT
        confidentiality: public
        grant_type: [authorization_code]
        redirect_uris: ["https://portal.example.com/callback"]
        pkce: s256
"""

from ansible_collections.identity.cloud.plugins.module_utils import beyond_identity as bi
from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import readers
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_info


def main():
    options = dict(bi.REALM_OPTION, display_name={"type": "str"}, id={"type": "str"})
    module = vendor_module(options, bi.BEYOND_IDENTITY_ARGS, mutually_exclusive=[("display_name", "id")])
    session = bi.connect(module)
    run_info(module, "applications", lambda params: readers.applications(session, params))


if __name__ == "__main__":
    main()
