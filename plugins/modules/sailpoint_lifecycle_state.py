#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sailpoint_lifecycle_state
short_description: Manage the lifecycle states of a SailPoint identity profile
version_added: 0.2.0
description:
  - Create, update and delete the lifecycle states of an identity profile
    (C(/identity-profiles/{id}/lifecycle-states)) in SailPoint Identity Security Cloud. A state is found by
    O(technical_name) (or O(id)) within O(identity_profile).
  - Only the options given are compared; an update sends a JSON Patch of the changed fields.
    O(email_notification_option) is merged into the current options key by key; O(access_profiles) is compared as a
    set; O(account_actions) is the complete list of actions, one per action, each merged into the current action of
    the same O(account_actions[].action) key by key.
  - Access profiles and sources are given by name or ID and must exist (checked before any write). In check mode one
    that does not exist yet may be one an earlier task would create - the task then reports a change (C(msg) says
    what is missing, nothing is sent) instead of failing.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.sailpoint
options:
  identity_profile:
    description:
      - Name or ID of the identity profile the state belongs to. It must exist; with O(state=absent) a missing profile
        means there is nothing to delete. In check mode a missing profile may be one an earlier task would create -
        the task then reports the change it would make (nothing sent).
    type: str
    required: true
  technical_name:
    description:
      - Technical name of the state, its key within the profile (for example V(active), V(inactive)). Required unless
        O(id) is given; cannot change once the state exists.
    type: str
  id:
    description:
      - Server ID of an existing state, instead of O(technical_name).
    type: str
  name:
    description:
      - Display name of the state. Required to create a state; cannot change afterwards (the API's update does not
        take it; a different value fails the task before any write).
    type: str
  description:
    description:
      - Description of the state.
    type: str
  enabled:
    description:
      - Whether the state is enabled.
    type: bool
  identity_state:
    description:
      - The identity state the lifecycle state stands for (C(identityState)), for example V(ACTIVE),
        V(INACTIVE_SHORT_TERM) or V(INACTIVE_LONG_TERM). Set on create; cannot change afterwards.
    type: str
  priority:
    description:
      - Position of the state in lists sorted by priority (C(priority)). Only the per-resource tree has it, so it needs
        O(api_version=v1) (the v2024 document has no such field; another version fails before any call).
    type: int
  access_profiles:
    description:
      - Access profiles granted to identities in this state, by name or ID (C(accessProfileIds)). Compared as a set;
        V([]) removes them all.
    type: list
    elements: str
  account_actions:
    description:
      - The complete list of actions on the accounts of identities entering this state (C(accountActions)), at
        most one per O(account_actions[].action); actions not listed are removed, each one listed is merged into the
        current action of the same kind (keys left out keep their values). Each item has O(account_actions[].action) and O(account_actions[].sources) (with
        O(api_version=v1), O(account_actions[].all_sources) or O(account_actions[].exclude_sources) instead).
    type: list
    elements: dict
    suboptions:
      action:
        description: What happens to the accounts.
        type: str
        required: true
        choices: [ENABLE, DISABLE, DELETE]
      sources:
        description: Sources whose accounts the action applies to, by name or ID.
        type: list
        elements: str
      all_sources:
        description: O(api_version=v1) only, the action applies to the accounts of every source.
        type: bool
      exclude_sources:
        description: O(api_version=v1) only, sources (names or IDs) left out of the action.
        type: list
        elements: str
  email_notification_option:
    description:
      - Who is e-mailed when an identity enters the state (C(emailNotificationOption)); merged into the current
        options key by key.
    type: dict
    suboptions:
      notify_managers:
        description: Notify the identity's manager.
        type: bool
      notify_all_admins:
        description: Notify every administrator.
        type: bool
      notify_specific_users:
        description: Notify the addresses of O(email_notification_option.email_address_list).
        type: bool
      email_address_list:
        description: Addresses to notify.
        type: list
        elements: str
  access_action_configuration:
    description:
      - What happens to the access of identities entering the state (C(accessActionConfiguration)). Only the
        per-resource tree has it, so it needs O(api_version=v1).
    type: dict
    suboptions:
      remove_all_access_enabled:
        description: Mark all access for removal.
        type: bool
  wait:
    description:
      - After a delete the tenant answered with a task, poll it until it completes.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait for that task when O(wait=true), 1 to 86400.
    type: int
    default: 300
  state:
    description:
      - V(present) creates or updates the lifecycle state, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
"""

EXAMPLES = r"""
- name: Ensure the HR feed source exists (the profile below takes its accounts)
  identity.cloud.sailpoint_source:
    name: HR Feed
    owner: Ada Admin
    connector: delimited-file

- name: Ensure the employees' profile
  identity.cloud.sailpoint_identity_profile:
    name: Employees
    authoritative_source: HR Feed

- name: Ensure the leaver state disables the HR feed accounts and tells the managers
  identity.cloud.sailpoint_lifecycle_state:
    identity_profile: Employees
    technical_name: leaver
    name: Leaver
    description: Left the company
    enabled: true
    identity_state: INACTIVE_LONG_TERM
    account_actions:
      - action: DISABLE
        sources: [HR Feed]
    email_notification_option:
      notify_managers: true

- name: Delete the state
  identity.cloud.sailpoint_lifecycle_state:
    identity_profile: Employees
    technical_name: leaver
    state: absent
"""

RETURN = r"""
lifecycle_state:
  description:
    - The state as the API returns it (C(id), C(name), C(technicalName), C(enabled), C(accessProfileIds),
      C(accountActions), C(emailNotificationOption), C(identityCount) ...). Empty after deletion. In check mode, the
      object the module would send merged into the current one.
  returned: always
  type: dict
  sample: {id: 2c9180835d2e5168015d32f890ca1581, name: Leaver, technicalName: leaver, enabled: true,
           accountActions: [{action: DISABLE, sourceIds: [2c9180835d191a86015d28455b4a2329]}], accessProfileIds: [],
           emailNotificationOption: {notifyManagers: true, notifyAllAdmins: false, notifySpecificUsers: false,
           emailAddressList: []}}
id:
  description: Server ID of the state.
  returned: when the state exists
  type: str
  sample: 2c9180835d2e5168015d32f890ca1581
task:
  description: The task a deletion started, when the tenant answered with one (its final status with O(wait=true)).
  returned: when a deletion started a task
  type: dict
  sample: {id: 2c91808779ecf55b0179f720942f181a, type: TASK_RESULT}
"""

from ansible_collections.identity.cloud.plugins.module_utils import sailpoint
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import Engine, Field, ResourceSpec
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import identity_profiles as ip


SPEC = ResourceSpec("lifecycle_state", key=Field("technical_name", api="technicalName", min_length=1), fields=[
    Field("name", min_length=1),
    Field("description"),
    Field("enabled", type="bool"),
    Field("identity_state", api="identityState"),
    Field("priority", type="int", minimum=-2 ** 63, maximum=2 ** 63 - 1),  # a JSON integer the API keeps (int64)
    Field("access_profiles", api="accessProfileIds", type="list", elements="str", unordered=True),
    # resolved into AccountAction objects (sources by name) by LifecycleStates.validate
    Field("account_actions", api="accountActions", type="list", elements="dict", normalize=ip.account_actions_comparable,
          items=ip.ACCOUNT_ACTION_ITEMS,
          options={"action": {"type": "str", "required": True, "choices": ip.ACCOUNT_ACTIONS},
                   "sources": {"type": "list", "elements": "str"},
                   "all_sources": {"type": "bool"},
                   "exclude_sources": {"type": "list", "elements": "str"}}),
    Field("email_notification_option", api="emailNotificationOption", type="dict", to_api=ip.camel_dict,
          options={"notify_managers": {"type": "bool"}, "notify_all_admins": {"type": "bool"},
                   "notify_specific_users": {"type": "bool"}, "email_address_list": {"type": "list", "elements": "str"}}),
    Field("access_action_configuration", api="accessActionConfiguration", type="dict", to_api=ip.camel_dict,
          options={"remove_all_access_enabled": {"type": "bool"}}),
], extra_options={
    "identity_profile": {"type": "str", "required": True},
    "wait": {"type": "bool", "default": True},
    "wait_timeout": {"type": "int", "default": 300, "minimum": 1, "maximum": 86400},
})


def main():
    module = vendor_module(SPEC.argument_spec(), sailpoint.SAILPOINT_ARGS, required_one_of=[("technical_name", "id")])
    api = sailpoint.connect(module)
    Engine(module, SPEC, ip.LifecycleStates(api, SPEC)).run()


if __name__ == "__main__":
    main()
