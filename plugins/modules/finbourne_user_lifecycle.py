#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: finbourne_user_lifecycle
short_description: Run FINBOURNE Identity user lifecycle calls (activation email, unlock, password reset, ...)
version_added: 0.1.0
description:
  - Runs one lifecycle O(action) on one user (O(login) or O(id)) or on many (O(logins)).
  - State-aware where the user's status tells whether the call is needed, so a repeated run reports no change.
    V(unlock) runs only for a user whose status is C(LOCKED_OUT); V(unsuspend) only for a C(SUSPENDED) user;
    V(send_activation_email) only for a user not yet active (status C(STAGED) or C(PROVISIONED)), and then on
    every run, since the API cannot tell whether the last email arrived. O(force) runs them whatever the status
    (the API may then refuse the call).
  - V(reset_password), V(reset_factors) and V(expire_password) are actions FINBOURNE cannot compare with a
    state; they always run and report C(changed), with RV(reason) saying so.
  - In check mode nothing is sent; the result says what would run.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.finbourne
options:
  login:
    description:
      - Login of the user (case-insensitive).
    type: str
  id:
    description:
      - Server id of the user, instead of O(login).
    type: str
  logins:
    description:
      - Many users at once, each by login (case-insensitive) or id; O(action) applies to each, once per
        user even when the list names it twice (by login and id, or in another case). The users are read
        with one listing.
      - A login or id that names no user, and a user whose call fails, do not stop the others. Each is
        reported in its own RV(users) entry (C(failed), C(msg)), and the task fails after all the calls, naming
        them in its message and in RV(failed_items). In check mode too.
    type: list
    elements: str
  action:
    description:
      - V(send_activation_email) (SendActivationEmail), V(unlock) (UnlockUser), V(unsuspend) (UnsuspendUser),
        V(reset_password) (ResetPassword, emails a reset link), V(reset_factors) (ResetFactors),
        V(expire_password) (ExpirePassword, answers a temporary password).
    type: str
    required: true
    choices: [send_activation_email, unlock, unsuspend, reset_password, reset_factors, expire_password]
  force:
    description:
      - Run V(send_activation_email), V(unlock) or V(unsuspend) whatever the user's status.
    type: bool
    default: false
  concurrency:
    description:
      - With O(logins), how many calls run at the same time, at least 1.
    type: int
    default: 8
notes:
  - Supports C(check_mode).
  - With O(login) or O(id), a user that does not exist fails the task before any call.
  - The result of V(expire_password) holds the temporary password; run that task with
    C(no_log=true) and C(register) to keep it out of logs.
"""

EXAMPLES = r"""
- name: Resend the activation email to a user who has not activated yet
  identity.cloud.finbourne_user_lifecycle:
    login: jane.doe@example.com
    action: send_activation_email

- name: Unlock users if they are locked out
  identity.cloud.finbourne_user_lifecycle:
    logins: [jane.doe@example.com, john.roe@example.com]
    action: unlock

- name: Expire a password and keep the temporary one out of the logs
  identity.cloud.finbourne_user_lifecycle:
    login: john.roe@example.com
    action: expire_password
  no_log: true
  register: expired
"""

RETURN = r"""
users:
  description:
    - One entry per user, in order.
    - Not named C(results), which Ansible would show even for a C(no_log) task.
  returned: always
  type: list
  elements: dict
  contains:
    item: {description: The user's login., type: str, returned: always}
    id: {description: The user's id., type: str, returned: when the user exists}
    status: {description: The user's status before the call., type: str, returned: when the user exists}
    changed: {description: "Whether the call ran (or would run, in check mode).", type: bool, returned: always}
    reason: {description: Why an action that cannot be compared ran., type: str, returned: when the action always runs}
    msg: {description: "Why the call was skipped, or why it failed.", type: str, returned: when skipped or failed}
    temporary_password:
      description: The temporary password V(expire_password) set. Sensitive; returned by this call only.
      type: str
      returned: V(expire_password), not in check mode
reason:
  description: Single user only; see RV(users[].reason).
  returned: when O(action) always runs
  type: str
  sample: expire_password is an action; FINBOURNE cannot tell whether it is needed, so it always runs
temporary_password:
  description: Single user only. The temporary password from V(expire_password). Sensitive; returned once.
  returned: O(action=expire_password), not in check mode
  type: str
failed_items:
  description: The logins (or ids, as given) that name no user or whose call failed.
  returned: when a call failed
  type: list
  elements: str
"""

from ansible_collections.identity.cloud.plugins.module_utils import finbourne
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.finbourne import users

ARGS = dict(
    login={"type": "str"}, id={"type": "str"}, logins={"type": "list", "elements": "str"},
    action={"type": "str", "required": True, "choices": sorted(users.LIFECYCLE)},
    force={"type": "bool", "default": False}, concurrency={"type": "int", "default": 8, "minimum": 1},
)


def main():
    module = vendor_module(ARGS, finbourne.FINBOURNE_ARGS, required_one_of=[("login", "id", "logins")],
                           mutually_exclusive=[("login", "id", "logins")])
    users.run_lifecycle(module, finbourne.connect(module))


if __name__ == "__main__":
    main()
