#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sailpoint_source_schedule_info
short_description: Read the aggregation schedules of a SailPoint source
version_added: 0.1.0
description:
  - Read the aggregation schedules of a SailPoint source in SailPoint Identity Security Cloud (C(/sources/{sourceId}/schedules)).
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
  type:
    description:
      - Type of one schedule; without it every schedule of the source is returned.
    type: str
    choices: [ACCOUNT_AGGREGATION, GROUP_AGGREGATION]
"""

EXAMPLES = r"""
- name: Ensure the HR feed source exists (the task below reads it)
  identity.cloud.sailpoint_source:
    name: HR Feed
    owner: Ada Admin
    connector: delimited-file

- name: Read the schedules of the HR feed
  identity.cloud.sailpoint_source_schedule_info:
    source: HR Feed
    type: ACCOUNT_AGGREGATION
  register: found
"""

RETURN = r"""
schedules:
  description:
    - The objects as the API returns them (C(type) and the rest); empty when none matches.
  returned: always
  type: list
  elements: dict
  sample: [{type: ACCOUNT_AGGREGATION, cronExpression: "0 30 2 * * ?"}]
"""

from ansible_collections.identity.cloud.plugins.module_utils import sailpoint
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_info
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import children


def main():
    module = vendor_module(dict(children.SOURCE_OPTION, type={"type": "str", "choices": children.SCHEDULE_TYPES}), sailpoint.SAILPOINT_ARGS)
    crud = children.SourceChild(sailpoint.connect(module), None, "schedules", "type", key_in_path=True)
    run_info(module, "schedules", children.reader(crud, "type"))


if __name__ == "__main__":
    main()
