#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sailpoint_access_profile_info
short_description: Read SailPoint access profiles and their entitlements
version_added: 0.2.0
description:
  - Read access profiles from SailPoint Identity Security Cloud (C(/access-profiles)) - one by O(id) or O(name),
    those of a O(source), those matching O(filters), or all of them.
  - With O(entitlements), each access profile also gets C(entitlement_details), its entitlements as whole
    objects (C(/access-profiles/{id}/entitlements)).
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.sailpoint
options:
  id:
    description:
      - Server ID of one access profile. An unknown ID gives an empty list.
    type: str
  name:
    description:
      - Exact name of the access profile.
    type: str
  source:
    description:
      - Name or ID of a source; only its access profiles are read. A source that does not exist fails the task.
    type: str
  filters:
    description:
      - A SailPoint filter expression, for example V(requestable eq true). Joined with O(name) and O(source) by
        C(and).
    type: str
  entitlements:
    description:
      - Add C(entitlement_details), the entitlements of each access profile as whole objects.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Read the requestable access profiles
  identity.cloud.sailpoint_access_profile_info:
    filters: requestable eq true
  register: requestable

- name: Read one access profile with its entitlements
  identity.cloud.sailpoint_access_profile_info:
    name: Payroll
    entitlements: true
"""

RETURN = r"""
access_profiles:
  description:
    - The access profiles as the API returns them; with O(entitlements) each also has C(entitlement_details).
      Empty when none matches.
  returned: always
  type: list
  elements: dict
  sample: [{id: 2c91808a7190d06e01719938fcd20792, name: Payroll, requestable: true, entitlement_details: []}]
"""

from ansible_collections.identity.cloud.plugins.module_utils import sailpoint
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_info
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import access

ARGS = dict(access.INFO_OPTIONS, source={"type": "str"}, entitlements={"type": "bool", "default": False})


def main():
    module = vendor_module(ARGS, sailpoint.SAILPOINT_ARGS, supports_check_mode=True)
    api = sailpoint.connect(module)

    def read(params):
        source = None
        if params["source"]:
            source = "source.id eq %s" % sailpoint.filter_value(access.Lookups(api).source(params["source"])["id"])
        found = access.read_objects(api, "access-profiles", params, filters=source)
        details = {"entitlement_details": ("entitlements", access.PAGE)} if params["entitlements"] else {}
        return access.with_details(api, "access-profiles", found, details)

    run_info(module, "access_profiles", read)


if __name__ == "__main__":
    main()
