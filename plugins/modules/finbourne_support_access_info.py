#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: finbourne_support_access_info
short_description: Read FINBOURNE support access grants and support roles
version_added: 0.1.0
description:
  - Reads the support roles (GetSupportRoles) and the history of support access grants (GetSupportAccessHistory),
    and tells which grants are active (not terminated, not expired).
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.finbourne
options:
  start:
    description:
      - Only grants expiring at or after this RFC 3339 date-time with a time zone (for example
        V(2030-01-01T00:00:00Z)), checked before any call.
    type: str
  end:
    description:
      - Only grants expiring at or before this RFC 3339 date-time with a time zone, checked before any call.
    type: str
notes:
  - Supports C(check_mode); it only reads.
"""

EXAMPLES = r"""
- name: Support roles and grants
  identity.cloud.finbourne_support_access_info:
  register: support
"""

RETURN = r"""
support_roles:
  description: The support roles (C(label), C(description), C(roleIdentifier), C(internalIdentifier)).
  returned: always
  type: list
  elements: dict
history:
  description: Every grant in the period, as the API returns them.
  returned: always
  type: list
  elements: dict
active:
  description: The grants of RV(history) that are active now.
  returned: always
  type: list
  elements: dict
"""

from ansible_collections.identity.cloud.plugins.module_utils import finbourne
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.finbourne import tenant
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_flow
from ansible_collections.identity.cloud.plugins.module_utils.validate import option_problem


def main():
    module = vendor_module({"start": {"type": "str"}, "end": {"type": "str"}}, finbourne.FINBOURNE_ARGS)
    found = option_problem(module.params, "finbourne", "op:GetSupportAccessHistory", {"start": "start", "end": "end"})
    if found:
        module.fail_json(msg=found)
    client = finbourne.connect(module)
    run_flow(module, lambda: dict(tenant.read_support(client, module.params), changed=False))


if __name__ == "__main__":
    main()
