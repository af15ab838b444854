#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sailpoint_provisioning_policy_info
short_description: Read the provisioning policies of a SailPoint source
version_added: 0.1.0
description:
  - Read the provisioning policies of a SailPoint source in SailPoint Identity Security Cloud (C(/sources/{sourceId}/provisioning-policies)).
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
  usage_type:
    description:
      - Usage type of one policy; without it every policy of the source is returned.
    type: str
    choices: [CREATE, UPDATE, ENABLE, DISABLE, DELETE, ASSIGN, UNASSIGN, CREATE_GROUP, UPDATE_GROUP, DELETE_GROUP,
              REGISTER, CREATE_IDENTITY, UPDATE_IDENTITY, EDIT_GROUP, UNLOCK, CHANGE_PASSWORD]
"""

EXAMPLES = r"""
- name: Ensure the HR feed source exists (the task below reads it)
  identity.cloud.sailpoint_source:
    name: HR Feed
    owner: Ada Admin
    connector: delimited-file

- name: Read the policies of the HR feed
  identity.cloud.sailpoint_provisioning_policy_info:
    source: HR Feed
    usage_type: CREATE
  register: found
"""

RETURN = r"""
policies:
  description:
    - The objects as the API returns them (C(usageType) and the rest); empty when none matches.
  returned: always
  type: list
  elements: dict
  sample: [{name: Account, usageType: CREATE, fields: [{name: displayName, type: string}]}]
"""

from ansible_collections.identity.cloud.plugins.module_utils import sailpoint
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_info
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import children


def main():
    module = vendor_module(dict(children.SOURCE_OPTION, usage_type={"type": "str", "choices": children.USAGE_TYPES}), sailpoint.SAILPOINT_ARGS)
    crud = children.SourceChild(sailpoint.connect(module), None, "provisioning-policies", "usageType", key_in_path=True)
    run_info(module, "policies", children.reader(crud, "usage_type"))


if __name__ == "__main__":
    main()
