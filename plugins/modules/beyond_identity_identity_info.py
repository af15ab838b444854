#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: beyond_identity_identity_info
short_description: List Beyond Identity identities and their groups
version_added: 0.1.0
description:
  - Returns the identities of a realm (every page), or those matching O(username), O(email) or O(status),
    or the one with O(id), optionally with their groups.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.beyond_identity
  - identity.cloud.beyond_identity.realm
options:
  username:
    description:
      - Only the identity with this username (case-insensitive).
    type: str
  id:
    description:
      - Only the identity with this id.
    type: str
  email:
    description:
      - Only identities with this primary email address.
    type: str
  status:
    description:
      - Only identities with this status.
    type: str
    choices: [active, suspended]
  include_groups:
    description:
      - Add a C(groups) list (the groups as the API returns them) to each identity.
        Costs one request per page of groups of each identity.
    type: bool
    default: false
  include_roles:
    description:
      - Add a C(roles) list (the roles the identity has, of every resource server, as the API returns them) to each
        identity. Costs one request per page of roles of each identity.
    type: bool
    default: false
  concurrency:
    description:
      - How many group listings run at the same time, 1 to 32.
    type: int
    default: 8
"""

EXAMPLES = r"""
- name: Read every identity of the default realm
  identity.cloud.beyond_identity_identity_info:
    realm: Default
  register: everyone

- name: Read alice with her groups
  identity.cloud.beyond_identity_identity_info:
    realm: Default
    username: alice
    include_groups: true
  register: alice
"""

RETURN = r"""
identities:
  description: The matching identities as the API returns them; with O(include_groups), each has a C(groups) list.
  returned: always
  type: list
  elements: dict
  sample:
    - id: e372db224c06e850
      realm_id: 19a95130480dfa79
      tenant_id: 0001f1f460b1ace6
      display_name: Alice
      status: active
      traits: {type: traits_v0, username: alice, primary_email_address: alice@example.com}
      create_time: "2022-04-12T05:53:07.119Z"
      update_time: "2022-06-16T14:31:03.770Z"
      groups:
        - id: 81490afab171aef0
          display_name: Engineering
"""

from ansible_collections.identity.cloud.plugins.module_utils import beyond_identity as bi
from ansible_collections.identity.cloud.plugins.module_utils import bulk
from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import readers, roles
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_info


def main():
    options = {"username": {"type": "str"}, "id": {"type": "str"}, "email": {"type": "str"},
               "status": {"type": "str", "choices": ["active", "suspended"]},
               "include_groups": {"type": "bool", "default": False}}
    options.update(bi.REALM_OPTION, **dict(bulk.CONCURRENCY_OPTION, **roles.INCLUDE_ROLES))
    module = vendor_module(options, bi.BEYOND_IDENTITY_ARGS, mutually_exclusive=[("username", "id")])
    session = bi.connect(module)
    run_info(module, "identities", lambda params: readers.identities(session, params))


if __name__ == "__main__":
    main()
