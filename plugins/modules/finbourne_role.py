#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: finbourne_role
short_description: Manage FINBOURNE Identity roles and their users
version_added: 0.1.0
description:
  - Create, update and delete roles in FINBOURNE Identity, and manage which users hold them.
  - A role is found by O(name), case-insensitively as FINBOURNE keeps role names unique regardless of case,
    or by O(id). Only O(description) can change after creation.
  - With O(id), the role must exist (unless O(state=absent)), and a O(name) that differs from the role's
    name fails with C(name cannot change); FINBOURNE cannot rename a role.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.finbourne
options:
  name:
    description:
      - Role name, unique in the tenant. Starts with a letter; letters, digits, spaces, C(-), C(_) and C(+).
      - Required to create a role.
    type: str
  id:
    description:
      - Server id of an existing role, instead of O(name). An id that names no role fails (nothing is
        created), except with O(state=absent), which then reports no change.
    type: str
  description:
    description:
      - Role description.
    type: str
  users:
    description:
      - Users of the role, each by login (case-insensitive) or user id.
      - How the list applies is set by O(users_mode). Omit to leave membership alone.
    type: list
    elements: str
  users_mode:
    description:
      - V(set) makes the role's users exactly O(users); V(add) only adds them; V(remove) only removes them.
    type: str
    choices: [set, add, remove]
    default: set
  state:
    description:
      - V(present) creates or updates the role, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
"""

EXAMPLES = r"""
- name: Ensure the trading desk role exists with two users
  identity.cloud.finbourne_role:
    name: Trading Desk
    description: Front office traders
    users:
      - jane.doe@example.com
      - john.roe@example.com

- name: Add one more user without touching the others
  identity.cloud.finbourne_role:
    name: Trading Desk
    users: [svc-reporting@example.com]
    users_mode: add

- name: Delete the role
  identity.cloud.finbourne_role:
    name: Trading Desk
    state: absent
"""

RETURN = r"""
role:
  description: The role as the API returns it (empty after deletion).
  returned: always
  type: dict
  sample:
    id: asnvr5ne35
    roleId: {scope: default, code: Trading Desk}
    source: LusidUser
    name: Trading Desk
    description: Front office traders
    samlName: Trading Desk
id:
  description: Server id of the role.
  returned: when the role exists
  type: str
  sample: asnvr5ne35
"""

from ansible_collections.identity.cloud.plugins.module_utils import finbourne
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import Engine, Field, Membership, ResourceSpec


def _member_path(role, user_id):
    return "/api/roles/%s/users/%s" % (role["id"], user_id)


USERS = Membership(
    "users",
    resolve=finbourne.resolve_users,
    current=lambda client, role: dict(
        (u["id"], u.get("login")) for u in client.list_all("/api/roles/%s/users" % role["id"])),
    add=lambda client, role, ids: [client.put(_member_path(role, i)) for i in ids],
    remove=lambda client, role, ids: [client.delete(_member_path(role, i)) for i in ids],
)

SPEC = ResourceSpec("role", key=Field("name", normalize=finbourne.fold, schema=("finbourne", "CreateRoleRequest", "name"),
                                     min_length=1, max_length=512, pattern=r"^[a-zA-Z][a-zA-Z0-9-_ +]{2,100}$"),
                    fields=[Field("description", schema=("finbourne", "UpdateRoleRequest", "description"),
                                  min_length=0, max_length=1024, pattern=r"^[\s\S]*$")],
                    relations=[USERS])


def main():
    module = vendor_module(SPEC.argument_spec(), finbourne.FINBOURNE_ARGS, required_one_of=[("name", "id")])
    client = finbourne.connect(module)
    Engine(module, SPEC, finbourne.Collection(client, "/api/roles", update_fields=("description",),
                                                                 kind="role", key_fixed=True)).run()


if __name__ == "__main__":
    main()
