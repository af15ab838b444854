#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sailpoint_source_aggregation
short_description: Aggregate the accounts or entitlements of a SailPoint source
version_added: 0.1.0
description:
  - Start an aggregation of a source in SailPoint Identity Security Cloud and, with O(wait=true), wait for
    its task (C(/task-status/{id})) and return its outcome and counts.
  - V(import_accounts) reads the accounts (C(load-accounts)), from the connector or from O(file) for a
    delimited file source; V(import_uncorrelated_accounts) correlates the source's uncorrelated accounts
    again (C(load-uncorrelated-accounts)); V(import_entitlements) reads the entitlements (C(load-entitlements)).
  - This is an action, not a state, so it always reports C(changed). In check mode nothing is sent (the
    source is only looked up).
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.sailpoint
  - identity.cloud.sailpoint.source
options:
  action:
    description:
      - The aggregation to start.
    type: str
    choices: [import_accounts, import_uncorrelated_accounts, import_entitlements]
    default: import_accounts
  file:
    description:
      - Local CSV file to aggregate from (a delimited file source), sent as multipart C(file).
        With V(import_accounts) and V(import_entitlements) only; without it the connector reads the system.
    type: path
  disable_optimization:
    description:
      - With V(import_accounts), process every account even if it did not change since the last
        aggregation (C(disableOptimization)).
    type: bool
    default: false
  only_if_not_aggregated:
    description:
      - With V(import_accounts), aggregate only a source that was never aggregated, otherwise report no change.
        The tenant decides, whichever run created the source - so a run that failed after creating it still
        aggregates it when it is run again - the source has no account (C(GET /accounts)) and task status lists
        no completed account aggregation of it (C(GET /task-status), which keeps 90 days).
    type: bool
    default: false
  wait:
    description:
      - Wait for the aggregation task to complete. The task then fails when the aggregation ends in
        C(ERROR) or C(TERMINATED), with the task's own messages.
      - With V(false), the task reference is returned at once.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait for the task with O(wait=true). The task fails when it has not completed by then
        (the aggregation may still complete on the tenant).
    type: int
    default: 300
"""

EXAMPLES = r"""
- name: Ensure the HR feed source exists (the tasks below work on it)
  identity.cloud.sailpoint_source:
    name: HR Feed
    owner: Ada Admin
    connector: delimited-file

- name: Write the HR export (normally the HR system does)
  ansible.builtin.copy:
    dest: "{{ playbook_dir }}/hr-accounts.csv"
    content: |
      id,name,email
      E1001,Ada Lovelace,ada@example.com
    mode: "0600"

- name: Aggregate the HR feed from its export and wait for the counts
  identity.cloud.sailpoint_source_aggregation:
    source: HR Feed
    file: "{{ playbook_dir }}/hr-accounts.csv"
    disable_optimization: true
    wait_timeout: 600
  register: aggregation

- name: Aggregate the HR feed unless it was aggregated before (its first aggregation)
  identity.cloud.sailpoint_source_aggregation:
    source: HR Feed
    file: "{{ playbook_dir }}/hr-accounts.csv"
    only_if_not_aggregated: true

- name: Correlate accounts that did not match an identity again, without waiting
  identity.cloud.sailpoint_source_aggregation:
    source: HR Feed
    action: import_uncorrelated_accounts
    wait: false
"""

RETURN = r"""
action:
  description: The action run.
  returned: always
  type: str
  sample: import_accounts
source_id:
  description: ID of the source.
  returned: always
  type: str
  sample: 2c9180835d191a86015d28455b4a2329
response:
  description: The API's answer to the call that started the aggregation (it holds the task reference).
  returned: when the call was sent (not in check mode)
  type: dict
  sample: {success: true, task: {id: 2c91808779ecf55b0179f720942f181a, type: QUARTZ, name: Cloud Account Aggregation}}
task:
  description:
    - The task. With O(wait=true) its final status (C(completionStatus), C(completed), C(messages),
      C(attributes) ...), else the reference the API answered.
  returned: when the call was sent
  type: dict
  sample: {id: 2c91808779ecf55b0179f720942f181a, completionStatus: SUCCESS, attributes: {total: 120, created: 3}}
completion_status:
  description: The task's C(completionStatus) (V(SUCCESS) or V(WARNING); a failed task fails the module).
  returned: with O(wait=true), when the call was sent
  type: str
  sample: SUCCESS
counts:
  description: The task's numeric results from its C(attributes) (for example C(total), C(created), C(updated), C(deleted)).
  returned: with O(wait=true), when the call was sent
  type: dict
  sample: {total: 120, created: 3, updated: 5, deleted: 0, unchanged: 112}
"""

from ansible_collections.identity.cloud.plugins.module_utils import sailpoint
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import actions

ACTIONS = {
    "import_accounts": actions.Action("load-accounts", async_task=True, multipart=actions.aggregation_form,
                                      skip=actions.aggregated_before),
    "import_uncorrelated_accounts": actions.Action("load-uncorrelated-accounts", async_task=True),
    "import_entitlements": actions.Action("load-entitlements", async_task=True, multipart=actions.aggregation_form),
}
ARGS = dict(actions.WAIT_OPTIONS, source={"type": "str", "required": True},
            action={"type": "str", "default": "import_accounts", "choices": sorted(ACTIONS)},
            file={"type": "path"}, disable_optimization={"type": "bool", "default": False},
            only_if_not_aggregated={"type": "bool", "default": False})


def main():
    module = vendor_module(ARGS, sailpoint.SAILPOINT_ARGS)
    if module.params["action"] == "import_uncorrelated_accounts" and module.params["file"]:
        module.fail_json(msg="file is only used with action import_accounts or import_entitlements")
    for option in ("disable_optimization", "only_if_not_aggregated"):
        if module.params[option] and module.params["action"] != "import_accounts":
            module.fail_json(msg="%s is only used with action import_accounts" % option)
    actions.run_action(module, sailpoint.connect(module), ACTIONS)


if __name__ == "__main__":
    main()
