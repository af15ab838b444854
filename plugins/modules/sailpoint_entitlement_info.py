#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sailpoint_entitlement_info
short_description: Read SailPoint entitlements, their parents and children
version_added: 0.2.0
description:
  - Read entitlements from SailPoint Identity Security Cloud (C(/entitlements)) - one by O(id), the one with
    O(value) in O(source), the entitlements of a O(source), those matching O(filters), or all of them.
  - With O(parents) or O(children), each entitlement also gets the entitlements it is a member of
    (C(/entitlements/{id}/parents)) or that are members of it (C(/entitlements/{id}/children)).
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.sailpoint
options:
  source:
    description:
      - Name or ID of a source; only its entitlements are read. A source that does not exist fails the task.
    type: str
  value:
    description:
      - The value of the entitlement within O(source).
    type: str
  id:
    description:
      - Server ID of one entitlement.
    type: str
  name:
    description:
      - Display name of the entitlements to read (C(name eq)).
    type: str
  filters:
    description:
      - A SailPoint filter expression, for example V(requestable eq true) or V(attribute eq "memberOf").
        Joined with O(source), O(value) and O(name) by C(and).
    type: str
  parents:
    description:
      - Add C(parents), the entitlements each one is a member of.
    type: bool
    default: false
  children:
    description:
      - Add C(children), the entitlements that are members of each one.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Ensure the HR feed source exists
  identity.cloud.sailpoint_source:
    name: HR Feed
    owner: Ada Admin
    connector: delimited-file

- name: Read the requestable entitlements of the HR feed
  identity.cloud.sailpoint_entitlement_info:
    source: HR Feed
    filters: requestable eq true
  register: requestable

- name: Read one entitlement with its parents and children
  identity.cloud.sailpoint_entitlement_info:
    source: HR Feed
    value: Payroll Admins
    parents: true
    children: true
"""

RETURN = r"""
entitlements:
  description:
    - The entitlements as the API returns them; with O(parents) / O(children) each also has C(parents) /
      C(children) (lists of entitlements). Empty when none matches.
  returned: always
  type: list
  elements: dict
  sample: [{id: 2c91808874ff91550175097daaec161c, value: Payroll Admins, requestable: true, parents: []}]
"""

from ansible_collections.identity.cloud.plugins.module_utils import sailpoint
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_info
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import access

ARGS = dict(access.INFO_OPTIONS, source={"type": "str"}, value={"type": "str"},
            parents={"type": "bool", "default": False}, children={"type": "bool", "default": False})


def main():
    module = vendor_module(ARGS, sailpoint.SAILPOINT_ARGS, supports_check_mode=True, required_by={"value": "source"})
    api = sailpoint.connect(module)

    def read(params):
        parts = []
        if params["source"]:
            parts.append("source.id eq %s" % sailpoint.filter_value(access.Lookups(api).source(params["source"])["id"]))
        if params["value"]:
            parts.append("value eq %s" % sailpoint.filter_value(params["value"]))
        found = [e for e in access.read_objects(api, "entitlements", params, filters=" and ".join(parts) or None)
                 if not params["value"] or e.get("value") == params["value"]]
        details = dict((key, (key, access.PAGE)) for key in ("parents", "children") if params[key])
        return access.with_details(api, "entitlements", found, details)

    run_info(module, "entitlements", read)


if __name__ == "__main__":
    main()
