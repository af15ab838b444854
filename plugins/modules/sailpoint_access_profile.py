#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sailpoint_access_profile
short_description: Manage SailPoint access profiles
version_added: 0.2.0
description:
  - Create, update and delete access profiles in SailPoint Identity Security Cloud (C(/access-profiles)) - a
    bundle of entitlements of one source, with an owner, that can be requested.
  - An access profile is found by O(name) (or O(id)). Only the options given are compared; an update sends one
    JSON Patch of the changed paths (request configs key by key).
  - References are resolved and checked before any write, in check mode too - the O(owner) must exist,
    O(entitlements) must be entitlements of O(source) (an entitlement of another source, or one the source does
    not have, is refused), governance groups named as approvers must exist - and O(access_request_config) and
    O(revocation_request_config) are checked against the vendor's schema. In check mode a source that does not
    exist yet (an earlier task would create it) is reported as a change instead.
  - The bulk form O(access_profiles) converges many access profiles in one task, with one listing read; the
    items whose only change is O(requestable) are updated in one C(bulk-update-requestable) call, and the
    deletions in C(bulk-delete) calls (50 a call).
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.sailpoint
options:
  name:
    description:
      - Name of the access profile, unique in the tenant. Required to create one.
    type: str
  id:
    description:
      - Server ID of an existing access profile, instead of finding it by O(name).
    type: str
  description:
    description:
      - Description, at most 2000 characters.
    type: str
  source:
    description:
      - Name or ID of the source whose entitlements the access profile grants. Required to create one.
      - It can change only together with O(entitlements) (of the new source), as the API requires.
    type: str
  entitlements:
    description:
      - The complete list of the access profile's entitlements, each by its value within O(source) or by ID.
        Compared as a set of IDs.
    type: list
    elements: str
  owner:
    description:
      - Identity that owns the access profile, by ID, by name or as a dict with C(id) and/or C(name). Required to
        create one. Compared by ID.
    type: raw
  requestable:
    description:
      - Whether the access profile can be requested.
    type: bool
  enabled:
    description:
      - Whether the access profile is enabled.
    type: bool
  access_request_config:
    description:
      - How a request is approved (C(accessRequestConfig)), merged key by key into the current configuration;
        checked against the vendor's schema before any write.
    type: dict
    suboptions:
      approval_schemes:
        description:
          - The approval steps, in order (the complete list).
        type: list
        elements: dict
        suboptions:
          approver_type:
            description: Who approves the step.
            type: str
            choices: [APP_OWNER, OWNER, SOURCE_OWNER, MANAGER, GOVERNANCE_GROUP, WORKFLOW, ALL_OWNERS, ADDITIONAL_OWNER,
                      ADDITIONAL_GOVERNANCE_GROUP]
          approver:
            description:
              - The governance group's name or ID for V(GOVERNANCE_GROUP) and V(ADDITIONAL_GOVERNANCE_GROUP) (it must
                exist), the workflow's ID for V(WORKFLOW); not used otherwise.
            type: str
      comments_required:
        description: Whether the requester must comment.
        type: bool
      denial_comments_required:
        description: Whether an approver denying the request must comment.
        type: bool
      reauthorization_required:
        description: Whether approvers must authenticate again to approve.
        type: bool
      require_end_date:
        description: Whether the request must give an end date.
        type: bool
      max_permitted_access_duration:
        description: The longest access a request may ask for.
        type: dict
        suboptions:
          value:
            description: The number of O(access_request_config.max_permitted_access_duration.time_unit)s.
            type: int
          time_unit:
            description: The unit of O(access_request_config.max_permitted_access_duration.value).
            type: str
            choices: [HOURS, DAYS, WEEKS, MONTHS]
  revocation_request_config:
    description:
      - How a revocation is approved (C(revocationRequestConfig)), merged key by key into the current one.
    type: dict
    suboptions:
      approval_schemes:
        description:
          - The approval steps, in order (the complete list).
        type: list
        elements: dict
        suboptions:
          approver_type:
            description: Who approves the step.
            type: str
            choices: [APP_OWNER, OWNER, SOURCE_OWNER, MANAGER, GOVERNANCE_GROUP, WORKFLOW, ALL_OWNERS, ADDITIONAL_OWNER,
                      ADDITIONAL_GOVERNANCE_GROUP]
          approver:
            description:
              - The governance group's name or ID for V(GOVERNANCE_GROUP) and V(ADDITIONAL_GOVERNANCE_GROUP) (it must
                exist), the workflow's ID for V(WORKFLOW); not used otherwise.
            type: str
  segments:
    description:
      - IDs of the segments the access profile is in. Compared as a set.
    type: list
    elements: str
  access_profiles:
    description:
      - Bulk form, instead of O(name). Each item takes the options above (O(name) required) and O(state); an
        option an item leaves out takes the module-level value. An item's nested options are checked against the
        vendor's schema (keys, types, choices) before any write.
      - The result then has C(results) (per item C(item), C(changed), C(id), C(created), C(deleted),
        C(changed_fields)) instead of C(access_profile).
      - In check mode an item whose source does not exist yet (an earlier task would create it) reports the
        change it would make instead of failing.
    type: list
    elements: dict
    suboptions:
      name:
        description: As O(name).
        type: str
        required: true
      description:
        description: As O(description).
        type: str
      source:
        description: As O(source).
        type: str
      entitlements:
        description: As O(entitlements).
        type: list
        elements: str
      owner:
        description: As O(owner).
        type: raw
      requestable:
        description: As O(requestable).
        type: bool
      enabled:
        description: As O(enabled).
        type: bool
      access_request_config:
        description: As O(access_request_config).
        type: dict
      revocation_request_config:
        description: As O(revocation_request_config).
        type: dict
      segments:
        description: As O(segments).
        type: list
        elements: str
      state:
        description: As O(state).
        type: str
        choices: [present, absent]
  concurrency:
    description:
      - With O(access_profiles), how many access profiles are written, and pages of the listing read, at a time
        (under the shared rate limit).
    type: int
    default: 8
  wait:
    description:
      - With O(access_profiles), wait for the task of each C(bulk-delete) call.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait for a bulk delete task with O(wait=true), 1 to 86400.
    type: int
    default: 300
  state:
    description:
      - V(present) creates or updates the access profile, V(absent) deletes it (the API refuses while a role,
        application or lifecycle state uses it).
    type: str
    choices: [present, absent]
    default: present
"""

EXAMPLES = r"""
- name: Ensure the HR feed source exists
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
      Payroll Readers,Payroll Readers,Payroll readers
    mode: "0600"

- name: Aggregate its entitlements
  identity.cloud.sailpoint_source_entitlements:
    source: HR Feed
    file: "{{ playbook_dir }}/hr-groups.csv"

- name: Ensure a requestable access profile with a manager approval
  identity.cloud.sailpoint_access_profile:
    name: Payroll
    description: Everything a payroll clerk needs
    source: HR Feed
    entitlements: [Payroll Readers, Payroll Admins]
    owner: Ada Admin
    requestable: true
    access_request_config:
      comments_required: true
      approval_schemes:
        - approver_type: MANAGER

- name: Make many access profiles requestable in one task
  identity.cloud.sailpoint_access_profile:
    source: HR Feed
    owner: Ada Admin
    requestable: true
    access_profiles:
      - name: Payroll
      - name: Payroll read-only
        entitlements: [Payroll Readers]

- name: Delete an access profile
  identity.cloud.sailpoint_access_profile:
    name: Payroll read-only
    state: absent
"""

RETURN = r"""
access_profile:
  description:
    - The access profile as the API returns it. Empty after deletion. In check mode, the object the module would
      send merged into the current one. Not returned by the bulk form.
  returned: without O(access_profiles)
  type: dict
  sample: {id: 2c91808a7190d06e01719938fcd20792, name: Payroll, requestable: true,
           source: {type: SOURCE, id: 2c9180835d191a86015d28455b4a2329, name: HR Feed}}
id:
  description: Server ID of the access profile.
  returned: when it exists
  type: str
  sample: 2c91808a7190d06e01719938fcd20792
results:
  description:
    - Bulk form only, one entry per item in order, with C(item) (the name), C(changed), C(id), C(created=true),
      C(deleted=true) or C(changed_fields); a failed item adds C(failed) and C(msg).
  returned: when O(access_profiles) is given
  type: list
  elements: dict
  sample: [{item: Payroll, changed: true, changed_fields: [requestable]}]
"""

from ansible_collections.identity.cloud.plugins.module_utils import sailpoint
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import Field, ResourceSpec
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import access

SPEC = ResourceSpec("access_profile", key=Field("name", min_length=1), fields=[
    Field("description", max_length=2000),
    Field("source", type="str", normalize=sailpoint.reference_id),
    Field("entitlements", type="list", elements="str", normalize=access.ids_of),
    Field("owner", type="raw", normalize=sailpoint.reference_id),
    Field("requestable", type="bool"),
    Field("enabled", type="bool"),
    Field("access_request_config", api="accessRequestConfig", type="dict",
          options=access.request_config_options(access.AP_APPROVERS)),
    Field("revocation_request_config", api="revocationRequestConfig", type="dict",
          options=access.request_config_options(access.AP_APPROVERS, revocation=True, comments=False)),
    Field("segments", type="list", elements="str", unordered=True),
])


def main():
    args, kwargs = access.state_module_args(SPEC, "access_profiles")
    module = vendor_module(args, sailpoint.SAILPOINT_ARGS, **kwargs)
    access.run_state(module, SPEC, access.AccessProfiles, "access_profiles")


if __name__ == "__main__":
    main()
