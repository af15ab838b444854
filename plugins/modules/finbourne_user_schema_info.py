#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: finbourne_user_schema_info
short_description: Read the FINBOURNE user schema
version_added: 0.1.0
description:
  - Reads the user schema (C(GET /api/users/schema)): the alternative user id properties users may carry.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.finbourne
notes:
  - Supports C(check_mode); it only reads.
"""

EXAMPLES = r"""
- name: The user schema
  identity.cloud.finbourne_user_schema_info:
  register: schema
"""

RETURN = r"""
user_schema:
  description: The schema as the API returns it.
  returned: always
  type: dict
  sample: {alternativeUserIds: [{name: employee_number, description: HR employee number}]}
"""

from ansible_collections.identity.cloud.plugins.module_utils import finbourne
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.finbourne import tenant


def main():
    module = vendor_module({}, finbourne.FINBOURNE_ARGS)
    tenant.run_user_schema_info(module, finbourne.connect(module))


if __name__ == "__main__":
    main()
