#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: beyond_identity_flow_type_config_info
short_description: Read the launch mechanisms (flow type config) of a Beyond Identity realm
version_added: 0.1.0
description:
  - Returns the realm's flow type config, and RV(launch_mechanisms) in the form
    O(identity.cloud.beyond_identity_flow_type_config#module:launch_mechanisms) takes.
  - The API makes the realm's default config when it is first read.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.beyond_identity
  - identity.cloud.beyond_identity.realm
"""

EXAMPLES = r"""
- name: Read the launch mechanisms of the default realm
  identity.cloud.beyond_identity_flow_type_config_info:
    realm: Default
  register: flows
"""

RETURN = r"""
flow_type_config:
  description: The flow type config as the API returns it.
  returned: always
  type: dict
  sample: {id: 5b1d0a8e9c2f4e11, platform_config: {web: {copy: {enabled: false, valid: true}}}}
launch_mechanisms:
  description: Platform -> flow type -> enabled.
  returned: always
  type: dict
  sample: {web: {copy: false, layered_auth_qr_code: true}}
"""

from ansible_collections.identity.cloud.plugins.module_utils import beyond_identity as bi
from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import providers
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_flow


def main():
    module = vendor_module(dict(bi.REALM_OPTION), bi.BEYOND_IDENTITY_ARGS)
    crud = providers.FlowTypeConfigCrud(bi.connect(module))

    def read():
        config = crud.find(module.params)
        return {"changed": False, "flow_type_config": config,
                "launch_mechanisms": providers.launch_mechanisms_of(config)}

    run_flow(module, read)


if __name__ == "__main__":
    main()
