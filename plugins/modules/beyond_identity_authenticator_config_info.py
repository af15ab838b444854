#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: beyond_identity_authenticator_config_info
short_description: List Beyond Identity authenticator configs
version_added: 0.1.0
description:
  - Returns the authenticator configs of a realm (every page), or those of one O(type) (and O(invoke_url)),
    or the one with O(id).
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.beyond_identity
  - identity.cloud.beyond_identity.realm
options:
  id:
    description:
      - Only the authenticator config with this id.
    type: str
  type:
    description:
      - Only authenticator configs of this type.
    type: str
    choices: [hosted_web, embedded]
  invoke_url:
    description:
      - Only embedded authenticator configs with this invoke URL.
    type: str
"""

EXAMPLES = r"""
- name: Read every authenticator config of the default realm
  identity.cloud.beyond_identity_authenticator_config_info:
    realm: Default
  register: configs

- name: Find the id of the hosted web authenticator
  identity.cloud.beyond_identity_authenticator_config_info:
    realm: Default
    type: hosted_web
  register: hosted_web
"""

RETURN = r"""
authenticator_configs:
  description: The matching authenticator configs as the API returns them.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 73731b7f-eb76-4143-9b4b-81a720385f5a
      realm_id: 19a95130480dfa79
      tenant_id: 0001f1f460b1ace6
      config: {type: hosted_web}
"""

from ansible_collections.identity.cloud.plugins.module_utils import beyond_identity as bi
from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import readers
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_info


def main():
    options = dict(bi.REALM_OPTION, id={"type": "str"}, type={"type": "str", "choices": ["hosted_web", "embedded"]},
                   invoke_url={"type": "str"})
    module = vendor_module(options, bi.BEYOND_IDENTITY_ARGS)
    session = bi.connect(module)
    run_info(module, "authenticator_configs", lambda params: readers.authenticator_configs(session, params))


if __name__ == "__main__":
    main()
