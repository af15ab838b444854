#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: beyond_identity_realm_info
short_description: List Beyond Identity realms
version_added: 0.1.0
description:
  - Returns the realms of the tenant (every page), or those with O(display_name), or the one with O(id).
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.beyond_identity
options:
  display_name:
    description:
      - Only realms with this display name.
    type: str
  id:
    description:
      - Only the realm with this id.
    type: str
"""

EXAMPLES = r"""
- name: Read every realm
  identity.cloud.beyond_identity_realm_info:
  register: all_realms

- name: Read the default realm
  identity.cloud.beyond_identity_realm_info:
    display_name: Default
  register: default_realm
"""

RETURN = r"""
realms:
  description: The matching realms as the API returns them.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 19a95130480dfa79
      tenant_id: 0001f1f460b1ace6
      display_name: Default
      create_time: "2022-05-18T18:00:01.167Z"
      update_time: "2022-05-19T14:23:01.327Z"
"""

from ansible_collections.identity.cloud.plugins.module_utils import beyond_identity as bi
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_info


def main():
    module = vendor_module({"display_name": {"type": "str"}, "id": {"type": "str"}}, bi.BEYOND_IDENTITY_ARGS,
                           mutually_exclusive=[("display_name", "id")])
    realms = bi.BeyondIdentityCrud(bi.connect(module, realm_option=None), bi.REALMS)
    run_info(module, "realms", bi.info_reader(realms, [("display_name", "display_name")]))


if __name__ == "__main__":
    main()
