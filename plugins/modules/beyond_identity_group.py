#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: beyond_identity_group
short_description: Manage Beyond Identity groups and their members
version_added: 0.1.0
description:
  - Create, update and delete groups in a Beyond Identity realm, and manage which identities are members.
  - A group is found by O(display_name) (or O(id)) in O(realm).
  - Members of any number are resolved with one paged listing of the realm's identities and changed with
    AddGroupMembers / DeleteGroupMembers calls of up to 1,000 identities each, sent O(concurrency) at a time.
  - Deleting a group first removes its members, because the API refuses to delete a group that has any.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.beyond_identity
  - identity.cloud.beyond_identity.realm
options:
  display_name:
    description:
      - Display name of the group, 1 to 64 characters without C({}[]<>;:?\/|*^%$#=~`!).
      - Required to create a group. With O(id), renames the group.
    type: str
  id:
    description:
      - Id of an existing group, instead of O(display_name).
    type: str
  description:
    description:
      - Description of the group. Cannot be empty.
    type: str
  members:
    description:
      - Members of the group, each an identity id or username (usernames are case-insensitive).
      - How the list applies is set by O(members_mode). Omit to leave membership alone.
    type: list
    elements: str
  members_mode:
    description:
      - V(set) makes the members exactly O(members); V(add) only adds them; V(remove) only removes them.
    type: str
    choices: [set, add, remove]
    default: set
  concurrency:
    description:
      - How many membership calls run at the same time, 1 to 32.
    type: int
    default: 8
  state:
    description:
      - V(present) creates or updates the group, V(absent) removes its members and deletes it.
    type: str
    choices: [present, absent]
    default: present
"""

EXAMPLES = r"""
- name: Ensure the engineering group exists with two members
  identity.cloud.beyond_identity_group:
    realm: Default
    display_name: Engineering
    description: Everyone who ships code
    members: [alice, bob]

- name: Remove bob and leave the other members alone
  identity.cloud.beyond_identity_group:
    realm: Default
    display_name: Engineering
    members: [bob]
    members_mode: remove

- name: Delete the group
  identity.cloud.beyond_identity_group:
    realm: Default
    display_name: Engineering
    state: absent
"""

RETURN = r"""
group:
  description: The group as the API returns it (empty after deletion).
  returned: always
  type: dict
  sample:
    id: 81490afab171aef0
    realm_id: 19a95130480dfa79
    tenant_id: 0001f1f460b1ace6
    display_name: Engineering
    description: Everyone who ships code
    create_time: "2022-03-14T03:42:52.905657Z"
    update_time: "2022-06-14T05:55:23.823187Z"
id:
  description: Id of the group.
  returned: when the group exists
  type: str
  sample: 81490afab171aef0
"""

from ansible_collections.identity.cloud.plugins.module_utils import beyond_identity as bi
from ansible_collections.identity.cloud.plugins.module_utils import bulk
from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import directory
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import Engine, Field, ResourceSpec

SPEC = ResourceSpec("group", key=bi.name_field("display_name", "Group"),
                    fields=[Field("description", schema=("beyond_identity", "Group", "description"),
                                  pattern=bi.NAME_PATTERN, max_length=300)],
                    relations=[directory.group_members_relation()],
                    extra_options=dict(bi.REALM_OPTION, **bulk.CONCURRENCY_OPTION))


def main():
    module = vendor_module(SPEC.argument_spec(), bi.BEYOND_IDENTITY_ARGS, required_one_of=[("display_name", "id")])
    Engine(module, SPEC, directory.GroupCrud(bi.connect(module))).run()


if __name__ == "__main__":
    main()
