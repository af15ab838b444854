#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sailpoint_role_info
short_description: Read SailPoint roles, their entitlements and assigned identities
version_added: 0.2.0
description:
  - Read roles from SailPoint Identity Security Cloud (C(/roles)) - one by O(id) or O(name), those matching
    O(filters), those a O(filter) search finds (C(POST /roles/filter), which can also match access model
    metadata), or all of them. The API lists 50 roles a page.
  - With O(entitlements), each role also gets C(entitlement_details), every entitlement it grants
    (C(/roles/{id}/entitlements), including those of its access profiles); with O(assigned_identities), the
    identities it is assigned to (C(/roles/{id}/assigned-identities)) under C(assigned_identities).
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.sailpoint
options:
  id:
    description:
      - Server ID of one role. An unknown ID gives an empty list.
    type: str
  name:
    description:
      - Exact name of the role.
    type: str
  filters:
    description:
      - A SailPoint filter expression for C(GET /roles), for example V(requestable eq true). Joined with O(name)
        by C(and).
    type: str
  filter:
    description:
      - A search through C(POST /roles/filter) instead of the listing, with C(filters) (a filter expression)
        and C(amm_key_values) (a list of C({attribute, values}) of access model metadata the roles must have).
    type: dict
    suboptions:
      filters:
        description: A filter expression, for example V(dimensional eq false).
        type: str
      amm_key_values:
        description: Access model metadata to match, C({attribute, values}) each.
        type: list
        elements: dict
  entitlements:
    description:
      - Add C(entitlement_details), every entitlement each role grants.
    type: bool
    default: false
  assigned_identities:
    description:
      - Add C(assigned_identities), the identities each role is assigned to.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Read the requestable roles
  identity.cloud.sailpoint_role_info:
    filters: requestable eq true
  register: requestable

- name: Find the roles tagged private, with who has them
  identity.cloud.sailpoint_role_info:
    filter:
      amm_key_values:
        - {attribute: iscPrivacy, values: [private]}
    assigned_identities: true
"""

RETURN = r"""
roles:
  description:
    - The roles as the API returns them, with C(entitlement_details) and C(assigned_identities) when asked.
      Empty when none matches.
  returned: always
  type: list
  elements: dict
  sample: [{id: 2c918086749d78830174a1a40e121518, name: Payroll clerk, assigned_identities: []}]
"""

from ansible_collections.identity.cloud.plugins.module_utils import sailpoint
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_info
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import access

ARGS = dict(access.INFO_OPTIONS, entitlements={"type": "bool", "default": False},
            assigned_identities={"type": "bool", "default": False},
            filter={"type": "dict", "options": {"filters": {"type": "str"},
                                                "amm_key_values": {"type": "list", "elements": "dict", "no_log": False}}})


def main():
    module = vendor_module(ARGS, sailpoint.SAILPOINT_ARGS, supports_check_mode=True,
                           mutually_exclusive=[("filter", "filters"), ("filter", "id")])
    api = sailpoint.connect(module)

    def read(params):
        if params["filter"] is not None:
            found = access.search_roles(api, params["filter"], params.get("name"))
        else:
            found = access.read_objects(api, "roles", params, page=access.ROLE_PAGE)
        details = {}
        if params["entitlements"]:
            details["entitlement_details"] = ("entitlements", access.ROLE_PAGE)
        if params["assigned_identities"]:
            details["assigned_identities"] = ("assigned-identities", access.ROLE_PAGE)
        return access.with_details(api, "roles", found, details)

    run_info(module, "roles", read)


if __name__ == "__main__":
    main()
