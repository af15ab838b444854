#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: beyond_identity_role_info
short_description: List Beyond Identity roles with their members and scopes
version_added: 0.1.0
description:
  - Returns the roles of a resource server (every page), or those with O(display_name), or the one with O(id),
    optionally with their members and scopes.
  - The roles of one group or identity are read with the O(identity.cloud.beyond_identity_group_info#module:include_roles)
    and O(identity.cloud.beyond_identity_identity_info#module:include_roles) options of those modules.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.beyond_identity
  - identity.cloud.beyond_identity.realm
options:
  resource_server:
    description:
      - The resource server whose roles are read, by display name or id.
    type: str
    required: true
  display_name:
    description:
      - Only roles with this display name.
    type: str
  id:
    description:
      - Only the role with this id.
    type: str
  include_members:
    description:
      - Add a C(members) list to each role, every member named C(identity:<username>) or C(group:<display name>)
        (the form O(identity.cloud.beyond_identity_role#module:members) takes). One request per page of members.
    type: bool
    default: false
  include_scopes:
    description:
      - Add a C(scopes) list (the scopes the role grants) to each role. One request per page of scopes.
    type: bool
    default: false
  concurrency:
    description:
      - How many member and scope listings run at the same time, 1 to 32.
    type: int
    default: 8
"""

EXAMPLES = r"""
- name: Read every role of the Management API with its members and scopes
  identity.cloud.beyond_identity_role_info:
    realm: Beyond Identity Admin
    resource_server: Beyond Identity Management API
    include_members: true
    include_scopes: true
  register: management_roles
"""

RETURN = r"""
roles:
  description: The matching roles as the API returns them, with C(members) and C(scopes) when asked for.
  returned: always
  type: list
  elements: dict
  sample:
    - id: fb785d40cbe4fc0d
      resource_server_id: 7b5a4325-00e0-4379-bd7b-3e5e7e30b09e
      display_name: Pet keepers
      description: May read and change pets
      members: ["group:Help Desk", "identity:alice"]
      scopes: ["pets:read"]
"""

from ansible_collections.identity.cloud.plugins.module_utils import beyond_identity as bi
from ansible_collections.identity.cloud.plugins.module_utils import bulk
from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import readers
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_info


def main():
    options = {"resource_server": {"type": "str", "required": True}, "display_name": {"type": "str"},
               "id": {"type": "str"}, "include_members": {"type": "bool", "default": False},
               "include_scopes": {"type": "bool", "default": False}}
    options.update(bi.REALM_OPTION, **bulk.CONCURRENCY_OPTION)
    module = vendor_module(options, bi.BEYOND_IDENTITY_ARGS, mutually_exclusive=[("display_name", "id")])
    session = bi.connect(module)
    run_info(module, "roles", lambda params: readers.role_list(session, params))


if __name__ == "__main__":
    main()
