#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sailpoint_governance_group_info
short_description: Read SailPoint Identity Security Cloud governance groups with their members and connections
version_added: 0.2.0
description:
  - Read governance groups (C(/workgroups)) of SailPoint Identity Security Cloud, one by O(name) or O(id), or all,
    each with its members (C(/workgroups/{id}/members)) and connections (C(/workgroups/{id}/connections)).
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.sailpoint
options:
  name:
    description:
      - Exact name of one group. Without O(name) and O(id) every group is returned.
    type: str
  id:
    description:
      - Server ID of one group. An unknown ID returns an empty list.
    type: str
  members:
    description:
      - Add each group's C(members) and C(connections) (two reads per group). V(false) returns the groups only.
    type: bool
    default: true
"""

EXAMPLES = r"""
- name: Ensure a group exists (the task below reads it)
  identity.cloud.sailpoint_governance_group:
    name: Access Reviewers
    owner: Ada Admin
    members: [Jane Doe]

- name: Read one group with its members and connections
  identity.cloud.sailpoint_governance_group_info:
    name: Access Reviewers
  register: found
"""

RETURN = r"""
governance_groups:
  description:
    - The groups as the API returns them, each with C(members) (the member list the API returns, C(type), C(id),
      C(name), C(email)) and C(connections) (what names the group, C(object) and C(connectionType)) unless
      O(members=false).
  returned: always
  type: list
  elements: dict
  sample: [{id: 2c91808568c529c60168cca6f90c1313, name: Access Reviewers, memberCount: 1,
            owner: {type: IDENTITY, id: 2c9180857182305e0171993735622948, name: Ada Admin},
            members: [{type: IDENTITY, id: 2c9180857182305e0171993735622949, name: Jane Doe}], connections: []}]
"""

from ansible_collections.identity.cloud.plugins.module_utils import sailpoint
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_info
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import governance_groups as gg
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import identity_profiles as ip


def main():
    module = vendor_module({"name": {"type": "str"}, "id": {"type": "str"}, "members": {"type": "bool", "default": True}},
                           sailpoint.SAILPOINT_ARGS, mutually_exclusive=[("name", "id")])
    api = sailpoint.connect(module)
    read = ip.reader(api, "workgroups", lambda api, name: (api.find_by("workgroups", "name", name) or [None])[0])

    def groups(params):
        out = read(params)
        if params["members"]:
            for group in out:
                group["members"] = gg.member_list(api, group["id"])
                group["connections"] = gg.connections_of(api, group["id"])
        return out

    run_info(module, "governance_groups", groups)


if __name__ == "__main__":
    main()
