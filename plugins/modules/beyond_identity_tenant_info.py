#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: beyond_identity_tenant_info
short_description: Read the Beyond Identity tenant
version_added: 0.1.0
description:
  - Returns the tenant the connection points at (GetTenant).
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.beyond_identity
"""

EXAMPLES = r"""
- name: Read the tenant
  identity.cloud.beyond_identity_tenant_info:
  register: tenant_info
"""

RETURN = r"""
tenants:
  description: A one-element list with the tenant as the API returns it.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 0001f1f460b1ace6
      display_name: Acme Corporation
      create_time: "2022-01-28T12:00:02.423Z"
      update_time: "2022-04-19T15:17:21.186Z"
"""

from ansible_collections.identity.cloud.plugins.module_utils import beyond_identity as bi
from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import directory
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_info


def main():
    module = vendor_module({}, bi.BEYOND_IDENTITY_ARGS)
    tenant = directory.TenantCrud(bi.connect(module, realm_option=None))
    run_info(module, "tenants", lambda params: [tenant.find(params)])


if __name__ == "__main__":
    main()
