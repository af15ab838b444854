#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: finbourne_token
short_description: Sign out of FINBOURNE Identity (invalidate the current token)
version_added: 0.1.0
description:
  - Calls InvalidateToken, which ends the session of the token the module signs in with, and drops that token
    from the token cache so the next task signs in afresh.
  - With a personal access token (O(access_token)) FINBOURNE has no session to end; the call succeeds and the
    token keeps working (use M(identity.cloud.finbourne_api_key) to delete it).
  - An action; FINBOURNE cannot tell whether a session is still open, so the task always reports C(changed),
    with RV(reason). Check mode sends nothing.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.finbourne
options:
  state:
    description:
      - Only V(absent): the session ends.
    type: str
    choices: [absent]
    default: absent
notes:
  - Supports C(check_mode).
"""

EXAMPLES = r"""
- name: Sign out at the end of the play
  identity.cloud.finbourne_token:
"""

RETURN = r"""
reason:
  description: Why the task always reports a change.
  returned: always
  type: str
  sample: FINBOURNE cannot tell whether the session is still open, so signing out always reports a change
"""

from ansible_collections.identity.cloud.plugins.module_utils import finbourne
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.finbourne import tenant


def main():
    module = vendor_module({"state": {"type": "str", "default": "absent", "choices": ["absent"]}},
                           finbourne.FINBOURNE_ARGS)
    client = finbourne.connect(module)

    def sign_out():
        client.delete("/api/tokens")
        client.auth.refresh(client)  # forget the ended token (and its cache entry)

    tenant.run_call(module, sign_out, "FINBOURNE cannot tell whether the session is still open, "
                                      "so signing out always reports a change")


if __name__ == "__main__":
    main()
