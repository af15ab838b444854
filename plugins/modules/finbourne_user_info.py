#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: finbourne_user_info
short_description: Read FINBOURNE Identity users
version_added: 0.1.0
description:
  - Lists users (ListUsers), reads one (GetUser, or O(login) over the listing), finds many by id in
    batches of 50 (FindUsersById, O(ids)), or lists the runnable users (ListRunnableUsers, O(runnable)).
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.finbourne
options:
  login:
    description:
      - Only the user with this login (case-insensitive).
    type: str
  id:
    description:
      - Only the user with this id (an empty list when it names no user).
    type: str
  ids:
    description:
      - Users by id, through the directory (FindUsersById). Ids that name no user are left out.
      - The directory answers user summaries (C(id), C(login), C(email), C(secondEmail), C(firstName),
        C(lastName), C(type)), not full users.
    type: list
    elements: str
  runnable:
    description:
      - List the runnable users (service users that can run jobs), ListRunnableUsers.
    type: bool
    default: false
  include_roles:
    description:
      - Include each user's C(roles) (ListUsers / GetUser only).
    type: bool
    default: false
  include_deactivated:
    description:
      - Include deprovisioned users (ListUsers only).
    type: bool
    default: false
notes:
  - Supports C(check_mode); it only reads.
"""

EXAMPLES = r"""
- name: Every user with their roles
  identity.cloud.finbourne_user_info:
    include_roles: true
  register: everyone

- name: One user by login
  identity.cloud.finbourne_user_info:
    login: JANE.DOE@example.com

- name: Users by id through the directory
  identity.cloud.finbourne_user_info:
    ids: "{{ everyone.users | map(attribute='id') | list }}"

- name: Runnable users
  identity.cloud.finbourne_user_info:
    runnable: true
"""

RETURN = r"""
users:
  description: The users as the API returns them (user summaries with O(ids)).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 00u1abcd
      login: jane.doe@example.com
      emailAddress: jane.doe@example.com
      firstName: Jane
      lastName: Doe
      type: Personal
      status: ACTIVE
      external: false
"""

from ansible_collections.identity.cloud.plugins.module_utils import finbourne
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.finbourne import users
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_info

ARGS = dict(login={"type": "str"}, id={"type": "str"}, ids={"type": "list", "elements": "str"},
            runnable={"type": "bool", "default": False}, include_roles={"type": "bool", "default": False},
            include_deactivated={"type": "bool", "default": False})


def main():
    module = vendor_module(ARGS, finbourne.FINBOURNE_ARGS, mutually_exclusive=[("login", "id", "ids", "runnable")])
    client = finbourne.connect(module)
    run_info(module, "users", lambda params: users.read_users(client, params))


if __name__ == "__main__":
    main()
