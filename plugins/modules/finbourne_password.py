#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: finbourne_password
short_description: Set the password of the FINBOURNE user the module signs in as
version_added: 0.1.0
description:
  - Calls SetPassword (C(PUT /api/me/password)) for the signed-in user. FINBOURNE allows it only for Service
    users signed in with a password (O(username) and O(password), not O(access_token)). The module reads the
    signed-in user first (GetUserInfo) and fails with one line, before any write and in check mode too, when
    it is a Personal user or the sign-in is a personal access token.
  - FINBOURNE cannot tell whether the password already has this value, so the task always reports C(changed),
    with RV(reason). Check mode sends nothing.
  - After the change, the password the module signed in with (O(password)) is no longer valid for new sign-ins;
    later tasks need the new one.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.finbourne
options:
  new_password:
    description:
      - The new password, 12 to 50 characters; the tenant's password policy may ask for more.
      - Not named C(password), which is the connection option the module signs in with.
    type: str
    required: true
notes:
  - Supports C(check_mode).
"""

EXAMPLES = r"""
- name: Who is signed in (only a Service user can set its own password)
  identity.cloud.finbourne_me_info:
  register: signed_in

- name: Rotate the service user's own password (from a vault in real use)
  identity.cloud.finbourne_password:
    new_password: "{{ lookup('ansible.builtin.env', 'NEW_SERVICE_PASSWORD', default='Correct-Horse-Battery-9') }}"
  check_mode: true
  when: signed_in.me.type == 'Service'
"""

RETURN = r"""
updatedAt:
  description: When the password changed, as the API returns it.
  returned: when the password was set (not in check mode)
  type: str
  sample: "2026-12-01T07:00:00Z"
reason:
  description: Why the task always reports a change.
  returned: always
  type: str
"""

from ansible_collections.identity.cloud.plugins.module_utils import finbourne
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.finbourne import users
from ansible_collections.identity.cloud.plugins.module_utils.resource import Field, InputError, ResourceSpec, run_flow

SPEC = ResourceSpec("password", key=None, fields=[
    Field("new_password", schema=("finbourne", "SetPassword", "value"), min_length=12, max_length=50, secret=True,
          required=True)])


def main():
    module = vendor_module({"new_password": SPEC.fields[0].argspec}, finbourne.FINBOURNE_ARGS)
    try:
        SPEC.check(module.params, creating=True)
    except InputError as exc:
        module.fail_json(msg=str(exc))
    client = finbourne.connect(module)

    def flow():
        users.require_own_password_change(client)  # check mode too: the run that follows would be refused
        result = {"changed": True, "reason": "FINBOURNE cannot compare passwords, so setting one always reports a change"}
        if not module.check_mode:
            answer = client.put("/api/me/password", {"value": module.params["new_password"]}).data or {}
            result["updatedAt"] = answer.get("updatedAt")
        return result

    run_flow(module, flow)


if __name__ == "__main__":
    main()
