#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sailpoint_source_entitlements
short_description: Aggregate or reset the entitlements of a SailPoint source
version_added: 0.2.0
description:
  - V(aggregate) starts an entitlement aggregation of a source (C(POST /entitlements/aggregate/sources/{id})),
    from the connector or, for a delimited file source, from O(file); V(reset) removes every entitlement of the
    source (C(POST /entitlements/reset/sources/{id})) - an unoptimized account aggregation
    (M(identity.cloud.sailpoint_source_aggregation) with O(identity.cloud.sailpoint_source_aggregation#module:disable_optimization=true))
    loads them again.
  - With O(wait=true) the module waits for the task the call started (C(/task-status/{id})) and returns its
    outcome and counts; a task ending in C(ERROR) or C(TERMINATED) fails the module with the task's messages.
  - This is an action, not a state, so it always reports C(changed). In check mode nothing is sent (the
    source is only looked up).
  - The source-scoped aggregation C(/sources/{id}/load-entitlements) is
    M(identity.cloud.sailpoint_source_aggregation) with V(import_entitlements).
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.sailpoint
  - identity.cloud.sailpoint.source
options:
  action:
    description:
      - V(aggregate) reads the source's entitlements; V(reset) removes them all.
    type: str
    choices: [aggregate, reset]
    default: aggregate
  file:
    description:
      - With V(aggregate), a local CSV file of entitlements for a delimited file source, sent as multipart
        C(csvFile). Without it a direct-connect source reads its system (the call has no body).
    type: path
  wait:
    description:
      - Wait for the task to complete. With V(false), the task reference is returned at once.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait for the task with O(wait=true).
    type: int
    default: 300
"""

EXAMPLES = r"""
- name: Ensure the HR feed source exists (the tasks below work on it)
  identity.cloud.sailpoint_source:
    name: HR Feed
    owner: Ada Admin
    connector: delimited-file

- name: Write the HR groups export (normally the HR system does)
  ansible.builtin.copy:
    dest: "{{ playbook_dir }}/hr-groups.csv"
    content: |
      id,name,displayName
      Payroll Admins,Payroll Admins,Payroll administrators
    mode: "0600"

- name: Aggregate the entitlements of the HR feed and wait for the counts
  identity.cloud.sailpoint_source_entitlements:
    source: HR Feed
    action: aggregate
    file: "{{ playbook_dir }}/hr-groups.csv"
  register: aggregation

- name: Remove every entitlement of the HR feed, without waiting
  identity.cloud.sailpoint_source_entitlements:
    source: HR Feed
    action: reset
    wait: false
"""

RETURN = r"""
action:
  description: The action run.
  returned: always
  type: str
  sample: aggregate
source_id:
  description: ID of the source.
  returned: always
  type: str
  sample: 2c9180835d191a86015d28455b4a2329
response:
  description: The API's answer to the call (the task reference).
  returned: when the call was sent (not in check mode)
  type: dict
  sample: {type: TASK_RESULT, id: 2c91808779ecf55b0179f720942f181a, name: Cloud Group Aggregation}
task:
  description: The task. With O(wait=true) its final status, else the reference the API answered.
  returned: when the call was sent
  type: dict
  sample: {id: 2c91808779ecf55b0179f720942f181a, completionStatus: SUCCESS, attributes: {total: 12}}
completion_status:
  description: The task's C(completionStatus) (V(SUCCESS) or V(WARNING)).
  returned: with O(wait=true), when the call was sent
  type: str
  sample: SUCCESS
counts:
  description: The task's numeric results from its C(attributes).
  returned: with O(wait=true), when the call was sent
  type: dict
  sample: {total: 12}
"""

from ansible_collections.identity.cloud.plugins.module_utils import sailpoint
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import actions


def csv_form(params):
    if not params.get("file"):
        return None
    name, data = actions.read_file("file", params["file"])
    return {"csvFile": (name, data, "text/csv")}


def by_source(verb):
    return lambda api, source_id: api.path("entitlements", verb, "sources", source_id)


ACTIONS = {
    "aggregate": actions.Action("", async_task=True, multipart=csv_form, path=by_source("aggregate")),
    "reset": actions.Action("", async_task=True, path=by_source("reset")),
}
ARGS = dict(actions.WAIT_OPTIONS, source={"type": "str", "required": True}, file={"type": "path"},
            action={"type": "str", "default": "aggregate", "choices": sorted(ACTIONS)})


def main():
    module = vendor_module(ARGS, sailpoint.SAILPOINT_ARGS)
    if module.params["action"] == "reset" and module.params["file"]:
        module.fail_json(msg="file is only used with action aggregate")
    actions.run_action(module, sailpoint.connect(module), ACTIONS)


if __name__ == "__main__":
    main()
