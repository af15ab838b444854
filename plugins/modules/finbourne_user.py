#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: finbourne_user
short_description: Manage FINBOURNE Identity users and their roles, one or many per task
version_added: 0.1.0
description:
  - Create, update and delete users in FINBOURNE Identity, and manage the roles they hold.
  - A user is found by O(login), case-insensitively as FINBOURNE keeps logins unique regardless of case,
    or by O(id). With O(id) the user must exist (unless O(state=absent)), and O(login) may then rename it.
  - A new user gets its roles in the create request itself (one call, up to 20 roles). Later role changes
    use one AddUserToRole or RemoveUserFromRole call per role.
  - The update request carries the whole editable record, so fields the task leaves out keep their
    current values. O(type) cannot change after creation; a different O(type) for an existing user fails.
  - The bulk form O(users) converges many users with one listing read (users with their roles) and one
    role listing, then at most O(concurrency) writes at a time. Input the API would refuse (a login or
    name too short or too long, a new user without its names) fails the task before any item is written,
    naming the item (C(users[3].last_name ...)). An item that fails otherwise (a role that does not exist,
    an API error) does not stop the others; the task fails at the end naming the failed items.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.finbourne
options:
  login:
    description:
      - The user's login, in the form of an email address, unique in the tenant (case-insensitive).
      - Required to create a user. 5 to 80 characters.
    type: str
  id:
    description:
      - Server id of an existing user, instead of O(login). An id that names no user fails (nothing is
        created), except with O(state=absent), which then reports no change.
    type: str
  first_name:
    description:
      - First name, 1 to 50 characters. Required to create a user.
    type: str
  last_name:
    description:
      - Last name, 2 to 50 characters. Required to create a user.
    type: str
  email_address:
    description:
      - Email address, to which the activation email is sent. 5 to 80 characters. Required to create a user.
    type: str
  second_email_address:
    description:
      - Second email address, 5 to 80 characters. FINBOURNE allows it for V(Service) users only.
    type: str
  type:
    description:
      - The type of user. Required to create a user; cannot change afterwards.
    type: str
    choices: [Personal, Service]
  alternative_user_ids:
    description:
      - Alternative user ids (name to value). Compared as a subset; keys not given are kept.
    type: dict
  roles:
    description:
      - Roles of the user, each by role name (case-insensitive) or role id. How the list applies is set by
        O(roles_mode). Omit to leave the user's roles alone.
    type: list
    elements: str
  roles_mode:
    description:
      - V(set) makes the user's roles exactly O(roles); V(add) only adds them; V(remove) only removes them.
    type: str
    choices: [set, add, remove]
    default: set
  purge:
    description:
      - With O(state=absent), purge the user (DeleteUser with C(purge=true)) rather than deactivate it.
    type: bool
    default: false
  state:
    description:
      - V(present) creates or updates the user, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  users:
    description:
      - Bulk form. A list of users, each a dict with the options O(login) (required), O(first_name),
        O(last_name), O(email_address), O(second_email_address), O(type), O(alternative_user_ids), O(roles),
        O(roles_mode) and O(state). An option an item leaves out takes the module-level value.
      - Mutually exclusive with O(login) and O(id). Module-level options (for example O(type) or O(roles))
        apply to every item that does not set them.
      - For thousands of people kept in a JSON file, read the file in the task, for example
        V({{ (lookup('ansible.builtin.file', 'people.json'\) | from_json\).people }}), or in a play variable
        that holds that expression, rather than with C(vars_files). ansible-core 2.19 reads a vars file again,
        and tags each of its values, for every task of the play; at 5,000 people that costs about a second
        per task.
    type: list
    elements: dict
    suboptions:
      login: {description: [See O(login).], type: str, required: true}
      first_name: {description: [See O(first_name).], type: str}
      last_name: {description: [See O(last_name).], type: str}
      email_address: {description: [See O(email_address).], type: str}
      second_email_address: {description: [See O(second_email_address).], type: str}
      type: {description: [See O(type).], type: str, choices: [Personal, Service]}
      alternative_user_ids: {description: [See O(alternative_user_ids).], type: dict}
      roles: {description: [See O(roles).], type: list, elements: str}
      roles_mode: {description: [See O(roles_mode).], type: str, choices: [set, add, remove]}
      state: {description: [See O(state).], type: str, choices: [present, absent]}
  concurrency:
    description:
      - With O(users), how many users are written at the same time.
    type: int
    default: 8
notes:
  - Supports C(check_mode) and C(diff_mode). In check mode nothing is sent but reads.
"""

EXAMPLES = r"""
- name: The roles the users below get (they must exist)
  identity.cloud.finbourne_role:
    name: "{{ item }}"
  loop: [Trading Desk, Risk, Operations]

- name: Ensure a user exists with two roles
  identity.cloud.finbourne_user:
    login: ada.lovelace@example.com
    first_name: Ada
    last_name: Lovelace
    email_address: ada.lovelace@example.com
    type: Personal
    roles: [Trading Desk, Risk]

- name: Give the user one more role, keep the others
  identity.cloud.finbourne_user:
    login: ADA.LOVELACE@example.com
    roles: [Operations]
    roles_mode: add

- name: Onboard many users in one task
  identity.cloud.finbourne_user:
    type: Personal
    roles: [Trading Desk]
    users:
      - {login: grace.hopper@example.com, first_name: Grace, last_name: Hopper, email_address: grace.hopper@example.com}
      - {login: alan.turing@example.com, first_name: Alan, last_name: Turing, email_address: alan.turing@example.com}
  register: onboarded

- name: Delete a user
  identity.cloud.finbourne_user:
    login: ada.lovelace@example.com
    state: absent
"""

RETURN = r"""
user:
  description: The user as the API returns it, with its C(roles) (empty after deletion). Single form only.
  returned: always, single form
  type: dict
  sample:
    id: 00u1abcd
    login: ada.lovelace@example.com
    emailAddress: ada.lovelace@example.com
    firstName: Ada
    lastName: Lovelace
    type: Personal
    status: Staged
    external: false
    roles: [{id: asnvr5ne35, name: Trading Desk, roleId: {scope: default, code: Trading Desk}}]
id:
  description: Server id of the user. Single form only.
  returned: when the user exists, single form
  type: str
  sample: 00u1abcd
results:
  description:
    - Bulk form. One entry per item of O(users), in order. C(created) is true for an item the run created
      (or would create, in check mode), C(deleted=true) for one it deleted, C(changed_fields) (the options that
      differed) for one it updated and C(memberships) (per membership option, the names C(added) and C(removed))
      when its memberships changed - also without C(--diff); C(failed) and C(msg) mark an item that failed.
  returned: bulk form
  type: list
  elements: dict
  sample:
    - {item: grace.hopper@example.com, changed: true, id: 00u1efgh, created: true}
    - {item: alan.turing@example.com, changed: false, id: 00u1ijkl}
failed_items:
  description: Bulk form. The logins of the items that failed.
  returned: bulk form, when an item failed
  type: list
  elements: str
"""

from ansible_collections.identity.cloud.plugins.module_utils import bulk, finbourne
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.finbourne import users
from ansible_collections.identity.cloud.plugins.module_utils.resource import Engine, Field, ResourceSpec

CREATE = "CreateUserRequest"
SPEC = ResourceSpec(
    "user",
    key=Field("login", normalize=finbourne.fold, schema=("finbourne", CREATE, "login"), min_length=5, max_length=80),
    fields=[
        Field("first_name", api="firstName", schema=("finbourne", CREATE, "firstName"), min_length=1, max_length=50,
              pattern=r"^[\s\S]*$", required_on_create=True),
        Field("last_name", api="lastName", schema=("finbourne", CREATE, "lastName"), min_length=2, max_length=50,
              pattern=r"^[\s\S]*$", required_on_create=True),
        Field("email_address", api="emailAddress", schema=("finbourne", CREATE, "emailAddress"), min_length=5,
              max_length=80, required_on_create=True),
        Field("second_email_address", api="secondEmailAddress", schema=("finbourne", CREATE, "secondEmailAddress"),
              min_length=5, max_length=80),
        Field("type", schema=("finbourne", CREATE, "type"), min_length=1, max_length=20, pattern=r"^[a-zA-Z]*$",
              choices=["Personal", "Service"], required_on_create=True, create_only=True),
        Field("alternative_user_ids", api="alternativeUserIds", type="dict"),
    ],
    relations=[users.user_roles_relation()],
    extra_options=dict(bulk.CONCURRENCY_OPTION, purge={"type": "bool", "default": False}),
    key_normalize=lambda login: finbourne.fold(login or ""),
)
ITEM = ("login", "first_name", "last_name", "email_address", "second_email_address", "type", "alternative_user_ids",
        "roles", "roles_mode", "state")


def main():
    module = vendor_module(dict(SPEC.argument_spec(), users=bulk.bulk_option(SPEC, ITEM)), finbourne.FINBOURNE_ARGS,
                           required_one_of=[("login", "id", "users")],
                           mutually_exclusive=[("users", "login"), ("users", "id")])
    engine = Engine(module, SPEC, users.UserCrud(finbourne.connect(module)))
    if module.params["users"] is None:
        engine.run()
    else:
        bulk.run_bulk(module, engine, "users")


if __name__ == "__main__":
    main()
