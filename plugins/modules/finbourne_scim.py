#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: finbourne_scim
short_description: Turn SCIM provisioning on or off for a FINBOURNE tenant, and issue its token
version_added: 0.1.0
description:
  - V(present) calls AddScim. With O(api_token_action=ensure) a token is issued only when SCIM has none; FINBOURNE
    then answers the new token, otherwise no token; the task reports C(changed) exactly when a token was issued.
    With O(api_token_action=regenerate) a new token is always issued (C(changed)), and the old one stops working
    at O(old_api_token_deactivation), or at once when omitted.
  - V(absent) calls RemoveScim. FINBOURNE has no read for SCIM, so the module cannot tell whether it was on;
    V(absent) always reports C(changed), with RV(reason).
  - The token (RV(api_token)) is returned only by the call that issues it; it is sensitive and cannot be read
    again. Run the task with C(no_log) and C(register).
  - FINBOURNE has no read for SCIM, so the AddScim call is sent even when nothing changes (it changes nothing
    then), and check mode cannot tell; it reports C(changed) with RV(reason) and sends nothing.
  - The AddScim call is retried after a 429 or 503 (not processed), but not after a lost answer (a reset
    connection, a read timeout, a 502 or 504), because that answer may have held the only copy of a new token.
    The task then fails with one line saying so; run it again with O(api_token_action=regenerate) to get a new
    token.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.finbourne
options:
  api_token_action:
    description:
      - V(ensure) issues a token only when SCIM has none; V(regenerate) always issues a new one.
    type: str
    choices: [ensure, regenerate]
    default: ensure
  old_api_token_deactivation:
    description:
      - With V(regenerate), when the previous token stops working, an RFC 3339 date-time with a time zone
        (for example V(2030-01-01T00:00:00Z)), checked before any call.
    type: str
  state:
    description:
      - V(present) turns SCIM on, V(absent) turns it off.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Supports C(check_mode) (it sends nothing and reports C(changed)).
"""

EXAMPLES = r"""
- name: Turn SCIM on (the token is returned only when it is issued)
  identity.cloud.finbourne_scim:
  no_log: true
  register: scim

- name: New token; the old one keeps working until the given time
  identity.cloud.finbourne_scim:
    api_token_action: regenerate
    old_api_token_deactivation: "2035-01-01T00:00:00Z"
  no_log: true
  register: scim

- name: Turn SCIM off
  identity.cloud.finbourne_scim:
    state: absent
"""

RETURN = r"""
scim:
  description: The SCIM endpoint, C(baseUrl).
  returned: O(state=present), not in check mode
  type: dict
  sample: {baseUrl: "https://acme.lusid.com/scim/v2"}
api_token:
  description: The SCIM token just issued. Sensitive; returned only by the call that issues it.
  returned: when a token was issued
  type: str
reason:
  description: Why the task reports a change it cannot verify.
  returned: O(state=absent), and in check mode
  type: str
"""

from ansible_collections.identity.cloud.plugins.module_utils import finbourne
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.finbourne import tenant
from ansible_collections.identity.cloud.plugins.module_utils.validate import option_problem

ARGS = dict(api_token_action={"type": "str", "default": "ensure", "choices": ["ensure", "regenerate"]},
            old_api_token_deactivation={"type": "str", "no_log": False},
            state={"type": "str", "default": "present", "choices": ["present", "absent"]})


def main():
    module = vendor_module(ARGS, finbourne.FINBOURNE_ARGS)
    found = option_problem(module.params, "finbourne", "op:AddScim", {"old_api_token_deactivation": "oldApiTokenDeactivation"})
    if found:
        module.fail_json(msg=found)
    tenant.run_scim(module, finbourne.connect(module))


if __name__ == "__main__":
    main()
