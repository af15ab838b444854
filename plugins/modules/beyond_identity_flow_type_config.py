#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: beyond_identity_flow_type_config
short_description: Manage the launch mechanisms (flow type config) of a Beyond Identity realm
version_added: 0.1.0
description:
  - Turns the launch mechanisms (flow types) of each platform on or off for a Beyond Identity realm (API 1.7.0).
  - A realm has one flow type config; the API makes a default one when it is first read. Only the platforms and
    flow types given are compared and changed (one PATCH), the others keep their state. There is no delete.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.beyond_identity
  - identity.cloud.beyond_identity.realm
options:
  launch_mechanisms:
    description:
      - Platform -> flow type -> V(true) (enabled) or V(false) (disabled).
      - Platforms are V(android), V(chromeos), V(chromeosweb), V(ios), V(linux), V(macos), V(web) and V(windows);
        flow types V(android_accessibility), V(android_autofill), V(copy), V(embedded), V(layered_auth_qr_code),
        V(localhost), V(pipe), V(roaming_auth), V(safari_extension), V(scheme), V(secure_localhost),
        V(universal_link) and V(unknown). Another name fails the task before any write.
    type: dict
    required: true
  state:
    description:
      - Only V(present).
    type: str
    choices: [present]
    default: present
"""

EXAMPLES = r"""
- name: Allow the QR code flow on the web and the scheme flow on iOS, never copy-and-paste on the web
  identity.cloud.beyond_identity_flow_type_config:
    realm: Default
    launch_mechanisms:
      web: {layered_auth_qr_code: true, copy: false}
      ios: {scheme: true}
"""

RETURN = r"""
flow_type_config:
  description: The realm's flow type config as the API returns it.
  returned: always
  type: dict
  sample:
    id: 5b1d0a8e9c2f4e11
    platform_config:
      web: {layered_auth_qr_code: {enabled: true, valid: true}, copy: {enabled: false, valid: true}}
id:
  description: Id of the flow type config.
  returned: always
  type: str
  sample: 5b1d0a8e9c2f4e11
"""

from ansible_collections.identity.cloud.plugins.module_utils import beyond_identity as bi
from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import providers
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import Engine, Field, ResourceSpec

SPEC = ResourceSpec("flow_type_config", key=None, extra_options=bi.REALM_OPTION, fields=[
    Field("launch_mechanisms", api="platform_config", type="dict", required=True,
          to_api=providers.launch_mechanisms_to_api)])


def main():
    module = vendor_module(SPEC.argument_spec(with_id=False, states=("present",)), bi.BEYOND_IDENTITY_ARGS)
    Engine(module, SPEC, providers.FlowTypeConfigCrud(bi.connect(module))).run()


if __name__ == "__main__":
    main()
