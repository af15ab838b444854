#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: finbourne_application_info
short_description: Read FINBOURNE Identity OAuth applications
version_added: 0.1.0
description:
  - Lists the applications (ListApplications), or reads one by O(id) (GetApplication, without its secret) or by O(application_client_id).
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.finbourne
options:
  application_client_id:
    description:
      - Only the application with this OpenID Connect client id (case-insensitive).
    type: str
  id:
    description:
      - Only the application with this id (an empty list when it names nothing).
    type: str
notes:
  - Supports C(check_mode); it only reads.
"""

EXAMPLES = r"""
- name: Read FINBOURNE Identity OAuth applications
  identity.cloud.finbourne_application_info:
"""

RETURN = r"""
applications:
  description: The applications as the API returns them (never with a secret).
  returned: always
  type: list
  elements: dict
"""

from ansible_collections.identity.cloud.plugins.module_utils import finbourne
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.finbourne import tenant
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_info


def main():
    module = vendor_module({"application_client_id": {"type": "str"}, "id": {"type": "str"}}, finbourne.FINBOURNE_ARGS)
    client = finbourne.connect(module)
    run_info(module, "applications", lambda params: tenant.read_applications(client, params))


if __name__ == "__main__":
    main()
