#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: finbourne_user_schema
short_description: Manage the FINBOURNE user schema (the names of users' alternative ids)
version_added: 0.1.0
description:
  - Reads the user schema (C(GET /api/users/schema)) and updates it (C(PUT /api/users/schema)) when needed.
  - Each property of O(alternative_user_ids) must exist with its description (names compared case-insensitively,
    as FINBOURNE keeps them unique); properties not given are kept unless O(exclusive). The update sends the
    whole schema. FINBOURNE allows at most 10 properties.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.finbourne
options:
  alternative_user_ids:
    description:
      - The alternative user id properties.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: [Property name, 1 to 50 letters, digits or C(_).]
        type: str
        required: true
      description:
        description: [What the id is, up to 80 characters.]
        type: str
        default: ""
  exclusive:
    description:
      - Make the schema exactly O(alternative_user_ids), removing the other properties.
    type: bool
    default: false
notes:
  - Supports C(check_mode) and C(diff_mode).
"""

EXAMPLES = r"""
- name: Users may carry an employee number and a Bloomberg id
  identity.cloud.finbourne_user_schema:
    alternative_user_ids:
      - {name: employee_number, description: HR employee number}
      - {name: bloomberg_uuid, description: Bloomberg UUID}
"""

RETURN = r"""
user_schema:
  description: The schema after the run.
  returned: always
  type: dict
  sample: {alternativeUserIds: [{name: employee_number, description: HR employee number}]}
"""

from ansible_collections.identity.cloud.plugins.module_utils import finbourne
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.finbourne import tenant
from ansible_collections.identity.cloud.plugins.module_utils.resource import Field

PROPERTY = "UserSchemaProperty"
PROPERTIES = [
    Field("name", schema=("finbourne", PROPERTY, "name"), min_length=1, max_length=50, pattern=r"^[a-zA-Z0-9_]+$"),
    Field("description", schema=("finbourne", PROPERTY, "description"), min_length=0, max_length=80),
]
ARGS = dict(
    alternative_user_ids={"type": "list", "elements": "dict", "required": True, "options": {
        "name": {"type": "str", "required": True}, "description": {"type": "str", "default": ""}}},
    exclusive={"type": "bool", "default": False},
)


def main():
    module = vendor_module(ARGS, finbourne.FINBOURNE_ARGS)
    tenant.run_user_schema(module, finbourne.connect(module), PROPERTIES)


if __name__ == "__main__":
    main()
