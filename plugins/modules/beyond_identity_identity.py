#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: beyond_identity_identity
short_description: Manage Beyond Identity identities, one or thousands at a time
version_added: 0.1.0
description:
  - Create, update, suspend and delete identities (end users) in a Beyond Identity realm, and manage the
    groups they belong to.
  - An identity is found by O(username) (case-insensitive, unique in the realm) or O(id).
  - With O(identities), the whole list converges in one task with one paged listing of the realm's
    identities, only the writes that are needed, O(concurrency) requests at a time, and the group membership
    changes of all items sent per group in calls of up to 1,000 identities. Input the API would refuse (an
    empty or malformed username, a display name too long, a new identity without O(display_name)) fails the
    task before any item is written, naming the item (C(identities[3].username ...)). An item that fails
    otherwise (a group that does not exist, an API error) does not stop the others; the task fails at the end
    and lists the failed items.
  - Deleting one identity first removes it from its groups, because the API (v1.1.0) refuses to delete a group
    member. With O(identities), the items to delete are deleted with the API's C(identities:batchDelete) (API
    1.7.0), up to 1,000 in one call, which takes them out of their groups itself; when such a call fails (it is
    all or nothing, for example because one of them was deleted meanwhile) the identities still there are
    deleted one by one as above, so that each item gets its own result. Check mode sends nothing.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.beyond_identity
  - identity.cloud.beyond_identity.realm
options:
  username:
    description:
      - Username of the identity (C(traits.username)), 1 to 64 characters without C({}[]<>;:?\/|*^%$#=~`!).
      - Required to create an identity. Compared case-insensitively, like the API does.
    type: str
  id:
    description:
      - Id of an existing identity, instead of O(username).
    type: str
  display_name:
    description:
      - Display name of the identity. Required to create an identity.
    type: str
  email:
    description:
      - Primary email address (C(traits.primary_email_address)), where credential binding emails go.
    type: str
  status:
    description:
      - V(suspended) stops the identity from creating passkeys and signing in; V(active) allows it again.
      - The C(status) field appeared in a later revision of the API than v1.1.0.
    type: str
    choices: [active, suspended]
  groups:
    description:
      - Groups of the identity, each a group id or display name.
      - How the list applies is set by O(groups_mode). Omit to leave membership alone.
    type: list
    elements: str
  groups_mode:
    description:
      - V(set) makes the groups exactly O(groups); V(add) only adds them; V(remove) only removes them.
    type: str
    choices: [set, add, remove]
    default: set
  identities:
    description:
      - Many identities at once. Each item takes the options O(username) (required), O(display_name),
        O(email), O(status), O(groups), O(groups_mode) and O(state); an option an item leaves out takes the
        module-level value (O(groups_mode), O(state)).
      - Cannot be combined with the single-identity options O(username), O(id), O(display_name), O(email),
        O(status) and O(groups).
      - The items are not echoed back in the task's C(invocation), which shows how many there were; RV(results)
        lists them in order, so that the result of thousands of items stays small.
      - For thousands of people kept in a JSON file, read the file in the task, for example
        V({{ (lookup('ansible.builtin.file', 'people.json'\) | from_json\).people }}), or in a play variable
        that holds that expression, rather than with C(vars_files). ansible-core 2.19 reads a vars file again,
        and tags each of its values, for every task of the play; at 5,000 people that costs about a second
        per task.
    type: list
    elements: dict
    suboptions:
      username:
        description: Username of the identity.
        type: str
        required: true
      display_name:
        description: Display name of the identity.
        type: str
      email:
        description: Primary email address.
        type: str
      status:
        description: V(active) or V(suspended).
        type: str
        choices: [active, suspended]
      groups:
        description: Groups of the identity, by id or display name.
        type: list
        elements: str
      groups_mode:
        description: How O(identities[].groups) applies.
        type: str
        choices: [set, add, remove]
      state:
        description: V(present) or V(absent).
        type: str
        choices: [present, absent]
  concurrency:
    description:
      - How many requests run at the same time with O(identities), 1 to 32.
    type: int
    default: 8
  state:
    description:
      - V(present) creates or updates the identity, V(absent) removes it from its groups and deletes it.
    type: str
    choices: [present, absent]
    default: present
"""

EXAMPLES = r"""
- name: Ensure an identity exists
  identity.cloud.beyond_identity_identity:
    realm: Default
    username: carol
    display_name: Carol Example
    email: carol@example.com

- name: Suspend carol
  identity.cloud.beyond_identity_identity:
    realm: Default
    username: carol
    status: suspended

- name: Onboard a list of identities in one task
  identity.cloud.beyond_identity_identity:
    realm: Default
    concurrency: 16
    identities:
      - username: dave
        display_name: Dave Example
        email: dave@example.com
      - username: erin
        display_name: Erin Example
        email: erin@example.com

- name: Offboard carol, dave and erin
  identity.cloud.beyond_identity_identity:
    realm: Default
    state: absent
    identities:
      - username: carol
      - username: dave
      - username: erin
"""

RETURN = r"""
identity:
  description: The identity as the API returns it (empty after deletion). Single form only.
  returned: without O(identities)
  type: dict
  sample:
    id: e372db224c06e850
    realm_id: 19a95130480dfa79
    tenant_id: 0001f1f460b1ace6
    display_name: Carol Example
    status: active
    traits: {type: traits_v0, username: carol, primary_email_address: carol@example.com}
    create_time: "2022-04-12T05:53:07.119Z"
    update_time: "2022-06-16T14:31:03.770Z"
id:
  description: Id of the identity. Single form only.
  returned: when the identity exists, without O(identities)
  type: str
  sample: e372db224c06e850
results:
  description:
    - One entry per item of O(identities), in order, with C(item) (the username), C(changed) and C(id)
      (absent for an identity that check mode would create or that was deleted), C(created=true)
      for an identity this task created (or would create, in check mode), C(deleted=true) for one it
      deleted, C(changed_fields) (the options that differed) for one it updated and C(memberships)
      (per membership option, the names C(added) and C(removed)) when its memberships changed - also without C(--diff);
      a failed item has C(failed) and C(msg) instead.
    - The identities themselves are not repeated here, to keep the result of thousands of items small;
      M(identity.cloud.beyond_identity_identity_info) reads them. With C(--diff) the task's diff shows
      the before and after of every changed item, by username.
  returned: with O(identities)
  type: list
  elements: dict
  sample: [{item: carol, changed: true, created: true, id: e372db224c06e850}, {item: dave, failed: true, changed: false,
           msg: "no group with id or display name 'Nope'"}]
failed_items:
  description: Usernames of the items that failed.
  returned: when an item of O(identities) failed
  type: list
  elements: str
"""

from ansible_collections.identity.cloud.plugins.module_utils import beyond_identity as bi
from ansible_collections.identity.cloud.plugins.module_utils import bulk
from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import directory
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import Engine, Field, ResourceSpec

SPEC = ResourceSpec(
    "identity",
    key=bi.name_field("username", "Traits_v0", "username", api="traits.username", normalize=str.lower),
    fields=[bi.name_field("display_name", "Identity"), Field("email", api="traits.primary_email_address"),
            Field("status", choices=["active", "suspended"])],
    relations=[directory.identity_groups_relation()],
    extra_options=dict(bi.REALM_OPTION, **bulk.CONCURRENCY_OPTION),
    key_normalize=lambda username: (username or "").lower(),
)
SINGLE = ("username", "id", "display_name", "email", "status", "groups")
ITEM = ("username", "display_name", "email", "status", "groups", "groups_mode", "state")


def main():
    module = vendor_module(dict(SPEC.argument_spec(), identities=bulk.bulk_option(SPEC, ITEM)),
                           bi.BEYOND_IDENTITY_ARGS, required_one_of=[("username", "id", "identities")],
                           mutually_exclusive=[("identities", option) for option in SINGLE])
    engine = Engine(module, SPEC, directory.IdentityCrud(bi.connect(module)))
    if module.params["identities"] is None:
        engine.run()
    else:
        bulk.run_bulk(module, engine, "identities")


if __name__ == "__main__":
    main()
