#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sailpoint_governance_group
short_description: Manage SailPoint Identity Security Cloud governance groups and their members
version_added: 0.2.0
description:
  - Create, update and delete governance groups (C(/workgroups)) in SailPoint Identity Security Cloud, and manage
    their members. A group is found by O(name) (or O(id)).
  - Only the options given are compared; an update sends a JSON Patch of the changed fields (O(name),
    O(description), O(owner)).
  - Members change with C(members/bulk-add) and C(members/bulk-delete) calls of up to 100 identities each.
  - The bulk form O(governance_groups) converges many groups in one task, with one listing read, O(concurrency)
    writes at a time, and the deletions of the run in C(workgroups/bulk-delete) calls of up to 100 groups at the end.
    A group the tenant refuses to delete (still in use, for example as a source's management workgroup or in an
    approval scheme) fails that item alone. Every item's O(owner) and O(members) are resolved before the task's first
    write, so an unknown one fails the task naming it, for example C(governance_groups[3].owner) (nothing written).
  - Member references (O(members)) are resolved once per run (the items of O(governance_groups) share them); more
    than 20 are matched against one listing of the tenant's identities instead of being looked up one by one.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.sailpoint
options:
  name:
    description:
      - Name of the governance group, unique in the tenant. Required to create a group; with O(id), renames it.
      - Required unless O(id) or O(governance_groups) is given.
    type: str
  id:
    description:
      - Server ID of an existing group, instead of finding it by O(name).
    type: str
  description:
    description:
      - Description of the group.
    type: str
  owner:
    description:
      - Identity that owns the group, by ID, by name, or as a dict with C(id) and/or C(name). It must exist (an
        unknown one fails the task before anything is written). Compared by ID. A group may have no owner.
    type: raw
  members:
    description:
      - Members of the group, each an identity ID, name or alias. An unknown identity fails the task before any
        write (in check mode it is reported as one to add, as an earlier task may create it).
      - How the list applies is set by O(members_mode). Omit to leave membership alone.
    type: list
    elements: str
  members_mode:
    description:
      - V(set) makes the members exactly O(members); V(add) only adds them; V(remove) only removes them.
    type: str
    choices: [set, add, remove]
    default: set
  governance_groups:
    description:
      - Bulk form, instead of O(name). Each item takes O(name) (required), O(description), O(owner), O(members),
        O(members_mode) and O(state); an option an item leaves out takes the module-level value.
      - The result then has C(results) (per item C(item), C(changed), C(created) / C(deleted) / C(changed_fields) /
        C(memberships)) instead of C(governance_group). An item the tenant refuses fails alone
        (C(failed_items) names them); bad input in any item fails the task before any write, naming
        C(governance_groups[i].option).
    type: list
    elements: dict
    suboptions:
      name:
        description: As O(name).
        type: str
        required: true
      description:
        description: As O(description).
        type: str
      owner:
        description: As O(owner).
        type: raw
      members:
        description: As O(members).
        type: list
        elements: str
      members_mode:
        description: As O(members_mode).
        type: str
        choices: [set, add, remove]
      state:
        description: As O(state).
        type: str
        choices: [present, absent]
  concurrency:
    description:
      - Bulk form only, how many groups are written at the same time (the shared rate limit still applies).
    type: int
    default: 8
  state:
    description:
      - V(present) creates or updates the group, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
"""

EXAMPLES = r"""
- name: Ensure the access reviewers group with two members
  identity.cloud.sailpoint_governance_group:
    name: Access Reviewers
    description: Review access requests for HR
    owner: Ada Admin
    members: [Jane Doe, john.roe]

- name: Add one member, leaving the others alone
  identity.cloud.sailpoint_governance_group:
    name: Access Reviewers
    members: [Ada Admin]
    members_mode: add

- name: Ensure several groups in one task
  identity.cloud.sailpoint_governance_group:
    owner: Ada Admin
    governance_groups:
      - name: Finance Approvers
        members: [Jane Doe]
      - name: Engineering Approvers
        description: Approve engineering access
      - name: Access Reviewers
        state: absent
"""

RETURN = r"""
governance_group:
  description:
    - The group as the API returns it (C(id), C(name), C(description), C(owner), C(memberCount),
      C(connectionCount)). Empty after deletion. In check mode, the object the module would send merged into the
      current one. Not returned by the bulk form.
  returned: when O(governance_groups) is not given
  type: dict
  sample: {id: 2c91808568c529c60168cca6f90c1313, name: Access Reviewers, description: Review access requests,
           owner: {type: IDENTITY, id: 2c9180857182305e0171993735622948, name: Ada Admin}, memberCount: 2}
id:
  description: Server ID of the group.
  returned: when the group exists (single form)
  type: str
  sample: 2c91808568c529c60168cca6f90c1313
memberships:
  description: Members added and removed (names), when they changed.
  returned: when members changed
  type: dict
  sample: {members: {added: [Jane Doe], removed: []}}
results:
  description:
    - Bulk form only, one entry per item of O(governance_groups) in order, with C(item) (the name), C(changed),
      C(id), C(created=true) / C(deleted=true), C(changed_fields) and C(memberships), or C(failed) and C(msg).
  returned: when O(governance_groups) is given
  type: list
  elements: dict
  sample: [{item: Finance Approvers, changed: true, created: true}]
"""

from ansible_collections.identity.cloud.plugins.module_utils import bulk, sailpoint
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import Engine, Field, ResourceSpec
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import governance_groups as gg
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import identity_profiles as ip


def spec(api=None):
    return ResourceSpec("governance_group", key=Field("name", schema=("sailpoint", "WorkgroupDto", "name")),
                        fields=[
                            Field("description", schema=("sailpoint", "WorkgroupDto", "description")),
                            Field("owner", type="raw", normalize=sailpoint.reference_id),
    ], relations=[gg.members_relation(api)], extra_options=bulk.CONCURRENCY_OPTION)


SPEC = spec()  # the options; main() binds the members to the tenant


def main():
    argspec = SPEC.argument_spec()
    argspec["governance_groups"] = bulk.bulk_option(SPEC, ("name", "description", "owner", "state"))
    argspec["governance_groups"]["options"].update(
        members={"type": "list", "elements": "str"},
        members_mode={"type": "str", "choices": ["set", "add", "remove"]})
    module = vendor_module(argspec, sailpoint.SAILPOINT_ARGS, required_one_of=[("name", "id", "governance_groups")],
                           mutually_exclusive=[("name", "governance_groups"), ("id", "governance_groups")])
    api = sailpoint.connect(module)
    bound = spec(api)
    engine = Engine(module, bound, gg.Workgroups(api, bound, references=[ip.OWNER]))
    if module.params["governance_groups"] is None:
        engine.run()
    bulk.run_bulk(module, engine, "governance_groups")


if __name__ == "__main__":
    main()
