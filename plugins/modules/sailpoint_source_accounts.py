#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sailpoint_source_accounts
short_description: Remove the accounts of a SailPoint source or synchronize their attributes
version_added: 0.1.0
description:
  - V(remove_accounts) removes every account of a source from SailPoint Identity Security Cloud
    (C(remove-accounts); the accounts in the connected system are not touched), for example before the
    source is deleted or re-aggregated from scratch.
  - V(sync_attributes) writes the identity attributes selected in the source's attribute sync
    configuration to its accounts (C(synchronize-attributes)).
  - Both start a task on the tenant; with O(wait=true) the module waits for it and fails with the
    task's own messages when it fails. This is an action: it always reports C(changed), and in check
    mode nothing is sent.
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
  action:
    description:
      - What to do with the source's accounts.
    type: str
    required: true
    choices: [remove_accounts, sync_attributes]
  wait:
    description:
      - Wait for the task to complete.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait for the task with O(wait=true); the module fails when it has not completed by then.
    type: int
    default: 300
"""

EXAMPLES = r"""
- name: Ensure the HR feed source exists (the tasks below work on it)
  identity.cloud.sailpoint_source:
    name: HR Feed
    owner: Ada Admin
    connector: delimited-file

- name: Remove every account of the HR feed and wait
  identity.cloud.sailpoint_source_accounts:
    source: HR Feed
    action: remove_accounts

- name: Push synchronized identity attributes to the HR feed's accounts
  identity.cloud.sailpoint_source_accounts:
    source: HR Feed
    action: sync_attributes
    wait_timeout: 120
"""

RETURN = r"""
action:
  description: The action run.
  returned: always
  type: str
  sample: remove_accounts
source_id:
  description: ID of the source.
  returned: always
  type: str
  sample: 2c9180835d191a86015d28455b4a2329
response:
  description: The API's answer to the call that started the task (C({type, id, name}) or a sync job C({id, status, payload})).
  returned: when the call was sent (not in check mode)
  type: dict
  sample: {type: TASK_RESULT, id: 2c91808779ecf55b0179f720942f181a, name: Cloud Delete Accounts}
task:
  description: The task; with O(wait=true) its final status, else the reference the API answered.
  returned: when the call was sent
  type: dict
  sample: {id: 2c91808779ecf55b0179f720942f181a, completionStatus: SUCCESS, attributes: {total: 12, deleted: 12}}
completion_status:
  description: The task's C(completionStatus).
  returned: with O(wait=true), when the call was sent
  type: str
  sample: SUCCESS
counts:
  description: The task's numeric results from its C(attributes).
  returned: with O(wait=true), when the call was sent
  type: dict
  sample: {total: 12, deleted: 12}
"""

from ansible_collections.identity.cloud.plugins.module_utils import sailpoint
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import actions

ACTIONS = {
    "remove_accounts": actions.Action("remove-accounts", async_task=True),
    "sync_attributes": actions.Action("synchronize-attributes", async_task=True),
}
ARGS = dict(actions.WAIT_OPTIONS, source={"type": "str", "required": True},
            action={"type": "str", "required": True, "choices": sorted(ACTIONS)})


def main():
    module = vendor_module(ARGS, sailpoint.SAILPOINT_ARGS)
    actions.run_action(module, sailpoint.connect(module), ACTIONS)


if __name__ == "__main__":
    main()
