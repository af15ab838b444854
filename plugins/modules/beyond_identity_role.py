#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: beyond_identity_role
short_description: Manage Beyond Identity roles, their members and scopes
version_added: 0.1.0
description:
  - Create, update and delete the roles of a resource server in a Beyond Identity realm (API 1.7.0), and manage
    which identities and groups are members of a role and which of the resource server's scopes it grants.
  - A role is found by O(display_name) (or O(id)) among the roles of O(resource_server).
  - Members and scopes are changed with AddRoleMembers / DeleteRoleMembers and AddRoleScopes / DeleteRoleScopes
    calls of up to 1,000 ids or scopes each; nothing is sent when they already are as asked.
  - Every member and scope is checked before the first write (in check mode too); an unknown one fails the task
    in one line naming the option.
  - Deleting a role first removes its members and scopes, because the API refuses to delete a role that has
    any. In check mode a member that does not exist yet (an earlier task would create it) is reported as a
    member to add.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.beyond_identity
  - identity.cloud.beyond_identity.realm
options:
  resource_server:
    description:
      - The resource server the role belongs to, by display name or id.
    type: str
    required: true
  display_name:
    description:
      - Display name of the role, 1 to 64 characters without C({}[]<>;:?\/|*^%$#=~`!).
      - Required to create a role. With O(id), renames the role.
    type: str
  id:
    description:
      - Id of an existing role, instead of O(display_name).
    type: str
  description:
    description:
      - Description of the role, at most 300 characters without C({}[]<>;:?\/|*^%$#=~`!).
    type: str
  members:
    description:
      - Identities and groups that have the role. An identity is named by its username (case-insensitive) or id,
        a group by its display name or id.
      - A name that is both an identity's username and a group's display name must be written
        C(identity:<username>) or C(group:<display name>); the diff and RV(memberships) name members that way.
      - How the list applies is set by O(members_mode). Omit to leave the members alone.
    type: list
    elements: str
  members_mode:
    description:
      - V(set) makes the members exactly O(members); V(add) only adds them; V(remove) only removes them.
    type: str
    choices: [set, add, remove]
    default: set
  scopes:
    description:
      - Scopes the role grants; each must be one of the scopes of O(resource_server).
      - How the list applies is set by O(scopes_mode). Omit to leave the scopes alone.
    type: list
    elements: str
  scopes_mode:
    description:
      - V(set) makes the scopes exactly O(scopes); V(add) only adds them; V(remove) only removes them.
    type: str
    choices: [set, add, remove]
    default: set
  concurrency:
    description:
      - How many member and scope calls run at the same time, 1 to 32.
    type: int
    default: 8
  state:
    description:
      - V(present) creates or updates the role, V(absent) removes its members and scopes and deletes it.
    type: str
    choices: [present, absent]
    default: present
"""

EXAMPLES = r"""
- name: Ensure the pets API exists with its scopes
  identity.cloud.beyond_identity_resource_server:
    realm: Default
    display_name: Pet API
    identifier: https://api.example.com/pets
    scopes: ["pets:read", "pets:write"]

- name: Ensure the Help Desk group exists
  identity.cloud.beyond_identity_group:
    realm: Default
    display_name: Help Desk

- name: Ensure the pet keepers role grants read and write to the Help Desk group
  identity.cloud.beyond_identity_role:
    realm: Default
    resource_server: Pet API
    display_name: Pet keepers
    description: May read and change pets
    members: ["Help Desk"]
    scopes: ["pets:read", "pets:write"]

- name: Take the write scope away and leave the members alone
  identity.cloud.beyond_identity_role:
    realm: Default
    resource_server: Pet API
    display_name: Pet keepers
    scopes: ["pets:write"]
    scopes_mode: remove

- name: Delete the role
  identity.cloud.beyond_identity_role:
    realm: Default
    resource_server: Pet API
    display_name: Pet keepers
    state: absent
"""

RETURN = r"""
role:
  description: The role as the API returns it (empty after deletion).
  returned: always
  type: dict
  sample:
    id: fb785d40cbe4fc0d
    resource_server_id: 7b5a4325-00e0-4379-bd7b-3e5e7e30b09e
    realm_id: bb26e0e8ecdef843
    tenant_id: 00010036778ce59f
    display_name: Pet keepers
    description: May read and change pets
id:
  description: Id of the role.
  returned: when the role exists
  type: str
  sample: fb785d40cbe4fc0d
memberships:
  description: Members and scopes added and removed (members as C(identity:<username>) and C(group:<name>)).
  returned: when members or scopes changed
  type: dict
  sample: {members: {added: ["group:Help Desk"], removed: []}, scopes: {added: ["pets:read"], removed: []}}
"""

from ansible_collections.identity.cloud.plugins.module_utils import beyond_identity as bi
from ansible_collections.identity.cloud.plugins.module_utils import bulk
from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import roles
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import Engine, Field, ResourceSpec

SPEC = ResourceSpec("role", key=bi.name_field("display_name", "Role"),
                    fields=[Field("description", schema=("beyond_identity", "Role", "description"),
                                  pattern=bi.NAME_PATTERN, max_length=300)],
                    relations=roles.role_relations(),
                    extra_options=dict(bi.REALM_OPTION, resource_server={"type": "str", "required": True},
                                       **bulk.CONCURRENCY_OPTION))


def main():
    module = vendor_module(SPEC.argument_spec(), bi.BEYOND_IDENTITY_ARGS, required_one_of=[("display_name", "id")])
    Engine(module, SPEC, roles.RoleCrud(bi.connect(module), module.params["resource_server"])).run()


if __name__ == "__main__":
    main()
