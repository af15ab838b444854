#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: finbourne_role_info
short_description: List FINBOURNE Identity roles
version_added: 0.1.0
description:
  - Returns all roles of the tenant, or the one named by O(name) or O(id), optionally with their users.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.finbourne
options:
  name:
    description:
      - Only the role with this name.
    type: str
  id:
    description:
      - Only the role with this server id.
    type: str
  include_users:
    description:
      - Add a C(users) list (the API's user summaries) to each role. Costs one request per role.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Read every role
  identity.cloud.finbourne_role_info:
  register: all_roles

- name: Read one role with its users
  identity.cloud.finbourne_role_info:
    name: Trading Desk
    include_users: true
  register: desk
"""

RETURN = r"""
roles:
  description: The matching roles as the API returns them; with O(include_users), each has a C(users) list.
  returned: always
  type: list
  elements: dict
  sample:
    - id: asnvr5ne35
      name: Trading Desk
      description: Front office traders
      roleId: {scope: default, code: Trading Desk}
      source: LusidUser
      samlName: Trading Desk
      users: [{id: 00u1, login: jane.doe@example.com}]
"""

from ansible_collections.identity.cloud.plugins.module_utils import finbourne
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_info


def main():
    module = vendor_module(
        {"name": {"type": "str"}, "id": {"type": "str"}, "include_users": {"type": "bool", "default": False}},
        finbourne.FINBOURNE_ARGS, mutually_exclusive=[("name", "id")])
    roles = finbourne.Collection(finbourne.connect(module), "/api/roles")

    def read(params):
        found = roles.find(params) if params["name"] or params["id"] else None
        selected = ([found] if found else []) if params["name"] or params["id"] else roles.list_all()
        if params["include_users"]:
            for role in selected:
                role["users"] = roles.client.list_all("/api/roles/%s/users" % role["id"])
        return selected

    run_info(module, "roles", read)


if __name__ == "__main__":
    main()
