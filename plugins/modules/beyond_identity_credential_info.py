#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: beyond_identity_credential_info
short_description: List Beyond Identity credentials (passkeys)
version_added: 0.1.0
description:
  - Returns the credentials of O(identity), or of every identity of O(realm) when O(identity) is left out
    (every page), or the one with O(id); optionally only those in one O(state).
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.beyond_identity
  - identity.cloud.beyond_identity.realm
options:
  identity:
    description:
      - Only credentials of this identity, by id or username.
    type: str
  id:
    description:
      - Only the credential with this id.
    type: str
  state:
    description:
      - Only credentials in this state.
    type: str
    choices: [ACTIVE, REVOKED]
"""

EXAMPLES = r"""
- name: Read the credentials of alice
  identity.cloud.beyond_identity_credential_info:
    realm: Default
    identity: alice
  register: alice_credentials

- name: Read every active credential of the realm
  identity.cloud.beyond_identity_credential_info:
    realm: Default
    state: ACTIVE
  register: active_credentials
"""

RETURN = r"""
credentials:
  description: The matching credentials as the API returns them.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 81490afab171aef0
      identity_id: e85de356dc78843a
      realm_id: 19a95130480dfa79
      tenant_id: 0001f1f460b1ace6
      state: ACTIVE
      csr_type: JWT
      jwk_json: '{"crv":"P-256","kty":"EC","x":"2MRhz05PJPq3BUfB18AT3HqgWEkI3VpWUg1MWi8rz1g","y":"YtvLYwGEqYQaoDVok2fVziJT4fu7DFPz3hy96FTAelQ"}'
      jwk_thumbprint: UW-uVNL0mP1vcLjHrTBxibNgCEe_PD0HIsE3FrbYjPA=
      create_time: "2022-03-14T03:42:52.905Z"
      update_time: "2022-06-14T05:55:23.823Z"
"""

from ansible_collections.identity.cloud.plugins.module_utils import beyond_identity as bi
from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import credentials
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_info


def main():
    options = dict(bi.REALM_OPTION, identity={"type": "str"}, id={"type": "str"},
                   state={"type": "str", "choices": ["ACTIVE", "REVOKED"]})
    module = vendor_module(options, bi.BEYOND_IDENTITY_ARGS)
    run_info(module, "credentials", credentials.Credentials(bi.connect(module)).info)


if __name__ == "__main__":
    main()
