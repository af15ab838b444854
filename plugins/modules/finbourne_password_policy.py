#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: finbourne_password_policy
short_description: Set the FINBOURNE Identity password policy of a user type
version_added: 0.1.0
description:
  - Reads the password policy of O(user_type) (GetPasswordPolicy) and updates it (UpdatePasswordPolicy) when
    a given value differs. The policy always exists, so there is no O(state=absent).
  - The options are the document's C(conditions) groups, with the document's field names. Only the fields given
    are compared (a subset); the update sends the whole policy, with the current values for the rest.
  - The document marks these operations experimental.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.finbourne
options:
  user_type:
    description:
      - The user type whose policy this is.
    type: str
    required: true
    choices: [Personal, Service]
  complexity:
    description: C(conditions.complexity).
    type: dict
    suboptions:
      minLength: {description: [Minimum password length, 12 to 30.], type: int}
      excludeFirstName: {description: [Whether the user's first name is refused in the password.], type: bool}
      excludeLastName: {description: [Whether the user's last name is refused in the password.], type: bool}
  age:
    description: C(conditions.age).
    type: dict
    suboptions:
      maxAgeDays: {description: [Days before a password expires, 0 to 999 (0 never).], type: int}
      historyCount: {description: [Passwords remembered and refused again, 0 to 30.], type: int}
  lockout:
    description: C(conditions.lockout).
    type: dict
    suboptions:
      maxAttempts: {description: [Failed attempts before the account locks, 0 to 100.], type: int}
  state:
    description:
      - Only V(present).
    type: str
    choices: [present]
    default: present
notes:
  - Supports C(check_mode) and C(diff_mode).
"""

EXAMPLES = r"""
- name: Longer passwords and a lockout after 5 attempts for personal users
  identity.cloud.finbourne_password_policy:
    user_type: Personal
    complexity:
      minLength: 16
    lockout:
      maxAttempts: 5
"""

RETURN = r"""
password_policy:
  description: The policy as the API returns it after the run.
  returned: always
  type: dict
  sample:
    conditions:
      complexity: {minLength: 16, excludeFirstName: true, excludeLastName: true}
      age: {maxAgeDays: 0, historyCount: 4}
      lockout: {maxAttempts: 5}
"""

from ansible_collections.identity.cloud.plugins.module_utils import finbourne
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.finbourne import tenant
from ansible_collections.identity.cloud.plugins.module_utils.resource import Engine, Field, ResourceSpec


def _bounded(schema, name, low, high):
    return Field(name, schema=("finbourne", "UpdatePasswordPolicyRequest" + schema, name), type="int",
                 minimum=low, maximum=high)


NESTED = {
    "complexity": [_bounded("Complexity", "minLength", 12, 30)],
    "age": [_bounded("Age", "maxAgeDays", 0, 999), _bounded("Age", "historyCount", 0, 30)],
    "lockout": [_bounded("Lockout", "maxAttempts", 0, 100)],
}
SUBOPTIONS = {
    "complexity": {"minLength": {"type": "int"}, "excludeFirstName": {"type": "bool"},
                   "excludeLastName": {"type": "bool"}},
    "age": {"maxAgeDays": {"type": "int"}, "historyCount": {"type": "int"}},
    "lockout": {"maxAttempts": {"type": "int"}},
}
SPEC = ResourceSpec("password_policy", key=None, fields=[
    Field(name, api="conditions." + name, type="dict", options=options, to_api=tenant.without_none)
    for name, options in sorted(SUBOPTIONS.items())])


def main():
    argspec = dict(SPEC.argument_spec(with_id=False, states=("present",)),
                   user_type={"type": "str", "required": True, "choices": ["Personal", "Service"]})
    module = vendor_module(argspec, finbourne.FINBOURNE_ARGS)
    client = finbourne.connect(module)
    Engine(module, SPEC, tenant.PasswordPolicy(client, module.params["user_type"], NESTED)).run()


if __name__ == "__main__":
    main()
