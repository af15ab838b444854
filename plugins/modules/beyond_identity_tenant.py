#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: beyond_identity_tenant
short_description: Manage the Beyond Identity tenant's settings
version_added: 0.1.0
description:
  - Sets the display name of the Beyond Identity tenant the connection points at (UpdateTenant).
  - A tenant cannot be created or deleted through the API, so the only state is V(present).
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.beyond_identity
options:
  display_name:
    description:
      - Display name of the tenant, 1 to 64 characters without C({}[]<>;:?\/|*^%$#=~`!).
      - Omit to only read the tenant.
    type: str
  state:
    description:
      - Only V(present).
    type: str
    choices: [present]
    default: present
"""

EXAMPLES = r"""
- name: Name the tenant
  identity.cloud.beyond_identity_tenant:
    display_name: Acme Corporation
"""

RETURN = r"""
tenant:
  description: The tenant as the API returns it.
  returned: always
  type: dict
  sample:
    id: 0001f1f460b1ace6
    display_name: Acme Corporation
    create_time: "2022-01-28T12:00:02.423Z"
    update_time: "2022-04-19T15:17:21.186Z"
id:
  description: Id of the tenant.
  returned: always
  type: str
  sample: 0001f1f460b1ace6
"""

from ansible_collections.identity.cloud.plugins.module_utils import beyond_identity as bi
from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import directory
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import Engine, ResourceSpec

SPEC = ResourceSpec("tenant", key=bi.name_field("display_name", "Tenant"))


def main():
    module = vendor_module(SPEC.argument_spec(with_id=False, states=("present",)), bi.BEYOND_IDENTITY_ARGS)
    Engine(module, SPEC, directory.TenantCrud(bi.connect(module, realm_option=None))).run()


if __name__ == "__main__":
    main()
