#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: finbourne_password_policy_info
short_description: Read FINBOURNE Identity password policies
version_added: 0.1.0
description:
  - Reads the password policy of one user type, or of both (GetPasswordPolicy).
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.finbourne
options:
  user_type:
    description:
      - Only this user type; both when omitted.
    type: str
    choices: [Personal, Service]
notes:
  - Supports C(check_mode); it only reads.
"""

EXAMPLES = r"""
- name: Read FINBOURNE Identity password policies
  identity.cloud.finbourne_password_policy_info:
    user_type: Personal
"""

RETURN = r"""
password_policies:
  description: The policies, each as the API returns it plus C(userType).
  returned: always
  type: list
  elements: dict
"""

from ansible_collections.identity.cloud.plugins.module_utils import finbourne
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.finbourne import tenant
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_info


def main():
    module = vendor_module({"user_type": {"type": "str", "choices": ["Personal", "Service"]}}, finbourne.FINBOURNE_ARGS)
    client = finbourne.connect(module)
    run_info(module, "password_policies", lambda params: tenant.read_password_policies(client, params))


if __name__ == "__main__":
    main()
