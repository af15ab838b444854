#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sailpoint_source_schedule
short_description: Manage the aggregation schedules of a SailPoint source
version_added: 0.1.0
description:
  - Create, update and delete the aggregation schedules of a source in SailPoint Identity Security Cloud
    (C(/sources/{sourceId}/schedules)). A source has at most one schedule per O(type), which is its key.
  - O(cron_expression) is checked before anything is written (check mode too). An update sends a JSON
    Patch of C(cronExpression).
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.sailpoint
options:
  source:
    description:
      - Name or ID of the source. It must exist; with O(state=absent) a missing source means there is nothing to delete.
    type: str
    required: true
  type:
    description:
      - What the schedule runs: account or group (entitlement) aggregation.
    type: str
    required: true
    choices: [ACCOUNT_AGGREGATION, GROUP_AGGREGATION]
  cron_expression:
    description:
      - When the aggregation runs, as a Quartz cron expression of 6 or 7 fields (seconds minutes hours
        day-of-month month day-of-week [year]) with V(?) in exactly one of day-of-month and day-of-week,
        for example V(0 0 5 * * ?) (every day at 05:00). Required to create a schedule.
      - The API holds one expression per schedule (C(cronExpression)).
    type: str
  state:
    description:
      - V(present) creates or updates the schedule, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
"""

EXAMPLES = r"""
- name: Ensure the HR feed source exists (the tasks below work on it)
  identity.cloud.sailpoint_source:
    name: HR Feed
    owner: Ada Admin
    connector: delimited-file

- name: Aggregate the HR feed's accounts every night at 02:30
  identity.cloud.sailpoint_source_schedule:
    source: HR Feed
    type: ACCOUNT_AGGREGATION
    cron_expression: "0 30 2 * * ?"

- name: Stop aggregating its groups on a schedule
  identity.cloud.sailpoint_source_schedule:
    source: HR Feed
    type: GROUP_AGGREGATION
    state: absent
"""

RETURN = r"""
schedule:
  description:
    - The schedule as the API returns it (C(type), C(cronExpression)). Empty after deletion.
      In check mode, the object the module would send merged into the current one.
  returned: always
  type: dict
  sample: {type: ACCOUNT_AGGREGATION, cronExpression: "0 30 2 * * ?"}
"""

from ansible_collections.identity.cloud.plugins.module_utils import sailpoint
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import Engine, Field, ResourceSpec
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import children

SPEC = ResourceSpec("schedule", key=Field("type", required=True, schema=("sailpoint", "Schedule-3", "type"),
                                          choices=children.SCHEDULE_TYPES), fields=[
    Field("cron_expression", api="cronExpression", required_on_create=True),
], extra_options=children.SOURCE_OPTION)


def main():
    module = vendor_module(SPEC.argument_spec(with_id=False), sailpoint.SAILPOINT_ARGS)
    api = sailpoint.connect(module)
    crud = children.SourceChild(api, SPEC, "schedules", "type", key_in_path=True,
                                checks=[children.cron_check("cron_expression")])
    Engine(module, SPEC, crud).run()


if __name__ == "__main__":
    main()
