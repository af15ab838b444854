#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: beyond_identity_group_info
short_description: List Beyond Identity groups and their members
version_added: 0.1.0
description:
  - Returns the groups of a realm (every page), or those with O(display_name), or the one with O(id),
    optionally with their members.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.beyond_identity
  - identity.cloud.beyond_identity.realm
options:
  display_name:
    description:
      - Only groups with this display name.
    type: str
  id:
    description:
      - Only the group with this id.
    type: str
  include_members:
    description:
      - Add a C(members) list (the member identities as the API returns them) to each group.
        Costs one request per page of members of each group.
    type: bool
    default: false
  include_roles:
    description:
      - Add a C(roles) list (the roles the group has, of every resource server, as the API returns them) to each
        group. Costs one request per page of roles of each group.
    type: bool
    default: false
  concurrency:
    description:
      - How many member listings run at the same time, 1 to 32.
    type: int
    default: 8
"""

EXAMPLES = r"""
- name: Read every group of the default realm
  identity.cloud.beyond_identity_group_info:
    realm: Default
  register: all_groups

- name: Read one group with its members
  identity.cloud.beyond_identity_group_info:
    realm: Default
    display_name: Engineering
    include_members: true
  register: engineering
"""

RETURN = r"""
groups:
  description: The matching groups as the API returns them; with O(include_members), each has a C(members) list.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 81490afab171aef0
      realm_id: 19a95130480dfa79
      tenant_id: 0001f1f460b1ace6
      display_name: Engineering
      create_time: "2022-03-14T03:42:52.905657Z"
      update_time: "2022-06-14T05:55:23.823187Z"
      members:
        - id: e372db224c06e850
          display_name: Alice
          traits: {type: traits_v0, username: alice, primary_email_address: alice@example.com}
"""

from ansible_collections.identity.cloud.plugins.module_utils import beyond_identity as bi
from ansible_collections.identity.cloud.plugins.module_utils import bulk
from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import readers, roles
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_info


def main():
    options = {"display_name": {"type": "str"}, "id": {"type": "str"},
               "include_members": {"type": "bool", "default": False}}
    options.update(bi.REALM_OPTION, **dict(bulk.CONCURRENCY_OPTION, **roles.INCLUDE_ROLES))
    module = vendor_module(options, bi.BEYOND_IDENTITY_ARGS, mutually_exclusive=[("display_name", "id")])
    session = bi.connect(module)
    run_info(module, "groups", lambda params: readers.groups(session, params))


if __name__ == "__main__":
    main()
