#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sailpoint_identity_lifecycle_state
short_description: Set the lifecycle state of a SailPoint identity
version_added: 0.2.0
description:
  - Set an identity's lifecycle state in SailPoint Identity Security Cloud (C(/identities/{id}/set-lifecycle-state)),
    which runs the state's account and access actions.
  - Nothing is sent when the identity is already in that state (C(lifecycleState.stateName) of the identity), so
    the task reports no change; in check mode nothing is sent either way.
  - In check mode an O(identity_profile) or O(lifecycle_state) that does not exist yet may be one an earlier task would
    create - the task then reports a change (C(msg) says what is missing) instead of failing.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.sailpoint
options:
  identity:
    description:
      - The identity, by ID, name or alias. It must exist.
    type: str
    required: true
  lifecycle_state:
    description:
      - The state, by technical name or ID. Without O(identity_profile), the one identity profile that has a state of
        this technical name or ID (several fail the task, naming them).
    type: str
    required: true
  identity_profile:
    description:
      - Name or ID of the identity profile whose state O(lifecycle_state) names (the identity's own profile).
    type: str
"""

EXAMPLES = r"""
- name: Ensure the HR feed source exists
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

- name: Aggregate the HR feed
  identity.cloud.sailpoint_source_aggregation:
    source: HR Feed
    file: "{{ playbook_dir }}/hr-accounts.csv"

- name: Ensure the employees' profile on the HR feed
  identity.cloud.sailpoint_identity_profile:
    name: Employees
    authoritative_source: HR Feed

- name: Make the HR feed's accounts identities of the profile
  identity.cloud.sailpoint_identity_profile_action:
    action: process
    identity_profile: Employees

- name: Ensure its leaver state
  identity.cloud.sailpoint_lifecycle_state:
    identity_profile: Employees
    technical_name: leaver
    name: Leaver

- name: Employee E1001 leaves
  identity.cloud.sailpoint_identity_lifecycle_state:
    identity: E1001
    identity_profile: Employees
    lifecycle_state: leaver
"""

RETURN = r"""
identity_id:
  description: Server ID of the identity.
  returned: always
  type: str
  sample: 2c9180857182305e0171993735622949
lifecycle_state:
  description: The lifecycle state set (or already set), as the API returns it.
  returned: always
  type: dict
  sample: {id: 2c9180835d2e5168015d32f890ca1581, name: Leaver, technicalName: leaver}
previous_state:
  description: The technical name of the identity's state before the task (None when it had none).
  returned: always
  type: str
  sample: active
account_activity_id:
  description: ID of the account activity the change started (the API's C(accountActivityId)).
  returned: when the state was set
  type: str
  sample: 2c9180837ab5b716017ab7c6c9ef1e20
"""

from ansible_collections.identity.cloud.plugins.module_utils import sailpoint
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_flow
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import identity_profiles as ip


def main():
    module = vendor_module({"identity": {"type": "str", "required": True},
                            "lifecycle_state": {"type": "str", "required": True},
                            "identity_profile": {"type": "str"}}, sailpoint.SAILPOINT_ARGS)
    api = sailpoint.connect(module)

    def flow():
        params = module.params
        identity = ip.find_identity(api, params["identity"], "identity")
        profile = ip.find_profile(api, params["identity_profile"]) if params.get("identity_profile") else None
        _profile, state = ip.find_lifecycle_state(api, params["lifecycle_state"], profile)
        previous = (identity.get("lifecycleState") or {}).get("stateName")
        out = {"changed": previous != state.get("technicalName"), "identity_id": identity["id"],
               "lifecycle_state": state, "previous_state": previous,
               "diff": {"before": {"lifecycle_state": previous}, "after": {"lifecycle_state": state.get("technicalName")}}}
        if out["changed"] and not module.check_mode:
            answer = api.client.post(api.path("identities", identity["id"], "set-lifecycle-state", tree=True),
                                     {"lifecycleStateId": state["id"]}).data or {}
            out["account_activity_id"] = answer.get("accountActivityId")
        return out

    run_flow(module, flow)


if __name__ == "__main__":
    main()
