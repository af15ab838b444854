#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sailpoint_role_metadata
short_description: Bulk-update the access model metadata of SailPoint roles
version_added: 0.2.0
description:
  - Add, remove or replace access model metadata on many roles in one asynchronous bulk update of SailPoint
    Identity Security Cloud - roles chosen by O(roles) (names or IDs, C(bulk-update/ids)), by O(filters)
    (C(bulk-update/filter)) or by a search O(query) (C(bulk-update/query)) - and, with O(wait=true), wait until
    the tenant no longer lists the update as unfinished (C(GET /roles/access-model-metadata/bulk-update)) and
    return its status.
  - With O(roles) the module reads the roles first and sends the update only to those it would change (none
    - C(changed=false) and nothing sent). With O(filters) or O(query) the tenant picks the roles, so the module
    always sends the update and reports C(changed).
  - In check mode nothing is sent.
  - To set the metadata of one role as part of its definition, use O(identity.cloud.sailpoint_role#module:access_model_metadata).
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.sailpoint
options:
  operation:
    description:
      - V(add) adds the values, V(remove) removes them, V(replace) sets them (see O(replace_scope)).
    type: str
    choices: [add, remove, replace]
    required: true
  values:
    description:
      - The metadata, a list of C({attribute, values}) (an attribute key and a list of its values).
    type: list
    elements: dict
    required: true
  replace_scope:
    description:
      - With V(replace), V(attribute) replaces the values of the attributes given only, V(all) removes every
        other attribute too.
    type: str
    choices: [all, attribute]
    default: attribute
  roles:
    description:
      - The roles to update, by name or ID (at most 3000). Every one must exist (checked before the call).
    type: list
    elements: str
  filters:
    description:
      - A filter expression choosing the roles, for example V(requestable eq true).
    type: str
  query:
    description:
      - A search query choosing the roles, as the API's C(query) object, for example a dict with C(query) set to V(name:Payroll*).
    type: dict
  wait:
    description:
      - Wait for the bulk update to finish. With V(false), its first status is returned at once.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait with O(wait=true), 1 to 86400.
    type: int
    default: 300
"""

EXAMPLES = r"""
- name: Ensure two roles to tag
  identity.cloud.sailpoint_role:
    owner: Ada Admin
    roles:
      - name: Payroll clerk
      - name: Payroll auditor

- name: Tag both roles private
  identity.cloud.sailpoint_role_metadata:
    operation: add
    roles: [Payroll clerk, Payroll auditor]
    values:
      - {attribute: iscPrivacy, values: [private]}

- name: Remove the tag from every requestable role
  identity.cloud.sailpoint_role_metadata:
    operation: remove
    filters: requestable eq true
    values:
      - {attribute: iscPrivacy, values: [private]}
"""

RETURN = r"""
bulk_update:
  description:
    - The bulk update (C(id), C(type), C(status), C(created)); with O(wait=true) its final status (C(COMPLETED)).
  returned: when the update was sent
  type: dict
  sample: {id: 2d82ac17-eb0d-4ba6-9918-dcad6ee0294d, type: ROLE, status: COMPLETED, created: "2024-09-16T18:59:06Z"}
role_ids:
  description: With O(roles), the IDs of the roles the update was sent to (those it changes).
  returned: with O(roles)
  type: list
  elements: str
  sample: [2c918086749d78830174a1a40e121518]
"""

from ansible_collections.identity.cloud.plugins.module_utils import sailpoint
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_flow
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import access

ARGS = dict(access.WAIT_OPTIONS, operation={"type": "str", "required": True, "choices": ["add", "remove", "replace"]},
            values={"type": "list", "elements": "dict", "required": True},
            replace_scope={"type": "str", "default": "attribute", "choices": ["all", "attribute"]},
            roles={"type": "list", "elements": "str"}, filters={"type": "str"}, query={"type": "dict"})


def main():
    module = vendor_module(ARGS, sailpoint.SAILPOINT_ARGS, required_one_of=[("roles", "filters", "query")],
                           mutually_exclusive=[("roles", "filters", "query")])
    api = sailpoint.connect(module)
    run_flow(module, lambda: access.role_metadata_update(api, module.params, module.check_mode))


if __name__ == "__main__":
    main()
