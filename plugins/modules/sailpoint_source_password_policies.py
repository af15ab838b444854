#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sailpoint_source_password_policies
short_description: Set the password policies that hold for a SailPoint source
version_added: 0.1.0
description:
  - Set which password policies apply to a source in SailPoint Identity Security Cloud (the source's
    password policy holders, C(PATCH /sources/{sourceId}/password-policies) with a plain JSON list).
  - Policies are named by name or ID and compared as a set by ID, so the order does not matter. The
    current holders are read from the source's C(passwordPolicies).
  - Policy names are looked up in C(/password-policies), which the tenant serves as an experimental
    endpoint (the module sends the C(X-SailPoint-Experimental) header).
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.sailpoint
options:
  source:
    description:
      - Name or ID of the source. It must exist.
    type: str
    required: true
  policies:
    description:
      - Password policies, each by name or ID. Every one must exist; an unknown one fails the task before
        anything is written.
    type: list
    elements: str
    required: true
  policies_mode:
    description:
      - V(set) makes O(policies) the exact set (V([]) removes every policy), V(add) only adds them,
        V(remove) only removes them.
    type: str
    choices: [set, add, remove]
    default: set
"""

EXAMPLES = r"""
- name: Ensure the HR feed source exists (the task below works on it)
  identity.cloud.sailpoint_source:
    name: HR Feed
    owner: Ada Admin
    connector: delimited-file

- name: Apply exactly the strong password policy to the HR feed
  identity.cloud.sailpoint_source_password_policies:
    source: HR Feed
    policies: [Strong Policy]
"""

RETURN = r"""
source_id:
  description: ID of the source.
  returned: always
  type: str
  sample: 2c9180835d191a86015d28455b4a2329
policies:
  description: The policies that hold for the source after the task (in check mode, would hold), by name.
  returned: always
  type: list
  elements: dict
  sample: [{id: 2c91808568c529c60168cca6f90c1888, name: Strong Policy}]
"""

from ansible_collections.identity.cloud.plugins.module_utils import sailpoint
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import actions

ARGS = {
    "source": {"type": "str", "required": True},
    "policies": {"type": "list", "elements": "str", "required": True},
    "policies_mode": {"type": "str", "default": "set", "choices": ["set", "add", "remove"]},
}


def main():
    module = vendor_module(ARGS, sailpoint.SAILPOINT_ARGS)
    actions.converge_password_policies(module, sailpoint.connect(module))


if __name__ == "__main__":
    main()
