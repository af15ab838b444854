#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sailpoint_role
short_description: Manage SailPoint roles
version_added: 0.2.0
description:
  - Create, update and delete roles in SailPoint Identity Security Cloud (C(/roles)) - access profiles and
    entitlements granted to the identities that match the role's membership.
  - A role is found by O(name) (or O(id)). Only the options given are compared; an update sends one JSON Patch
    of the changed paths (request configs key by key), and O(access_model_metadata) goes through the role's
    C(access-model-metadata) endpoints.
  - References are resolved and checked before any write, in check mode too - the O(owner) and the identities
    of O(membership) must exist, O(access_profiles) by name or ID, O(entitlements) by source and value or ID,
    governance groups named as approvers - and O(membership), O(access_request_config) and
    O(revocation_request_config) are checked against the vendor's schema and the rules its text gives for
    criteria trees. In check mode an access profile or source that does not exist yet (an earlier task would
    create it) is reported as a change instead.
  - The bulk form O(roles) converges many roles in one task, with one listing read (the API lists 50 roles a
    page) and the deletions in C(bulk-delete) calls (50 a call).
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.sailpoint
options:
  name:
    description:
      - Name of the role, unique in the tenant. Required to create one.
    type: str
  id:
    description:
      - Server ID of an existing role, instead of finding it by O(name).
    type: str
  description:
    description:
      - Description, at most 2000 characters.
    type: str
  owner:
    description:
      - Identity that owns the role, by ID, by name or as a dict with C(id) and/or C(name). Required to create
        one. Compared by ID.
    type: raw
  access_profiles:
    description:
      - The complete list of the role's access profiles, by name or ID. Compared as a set of IDs.
    type: list
    elements: str
  entitlements:
    description:
      - The complete list of the role's entitlements, each an ID or a dict with C(source) (name or ID) and
        C(value) (the entitlement's value within it). Compared as a set of IDs.
    type: list
    elements: raw
  membership:
    description:
      - Who gets the role. C(criteria) (type V(STANDARD)) is a tree of C({operation, key, string_value,
        children}); C(identities) (type V(IDENTITY_LIST)) a list of identity names or IDs. C(type) defaults to
        the one the keys given imply.
      - In a criteria tree C(operation) is one of V(EQUALS), V(NOT_EQUALS), V(CONTAINS), V(DOES_NOT_CONTAIN),
        V(STARTS_WITH), V(ENDS_WITH), V(GREATER_THAN), V(LESS_THAN), V(GREATER_THAN_EQUALS),
        V(LESS_THAN_EQUALS) (a leaf, with C(key) C({type, property, source_id}) and C(string_value)) or V(AND),
        V(OR) (with C(children)). As the document says, a tree has at most three levels, V(AND) nodes are only
        children of V(OR) nodes and the other way round, and C(key.source_id) (a source name or ID) is required
        for key types V(ACCOUNT) and V(ENTITLEMENT). The API's camelCase keys are accepted too.
      - Compared as given (the tree is the complete tree); identities as a set of IDs.
    type: dict
    suboptions:
      type:
        description: V(STANDARD) (by O(membership.criteria)) or V(IDENTITY_LIST) (by O(membership.identities)).
        type: str
        choices: [STANDARD, IDENTITY_LIST]
      criteria:
        description: The criteria tree (see above); the API's camelCase keys are accepted too.
        type: dict
      identities:
        description: Identity names or IDs (each must exist).
        type: list
        elements: str
  requestable:
    description:
      - Whether the role can be requested.
    type: bool
  enabled:
    description:
      - Whether the role is enabled.
    type: bool
  access_model_metadata:
    description:
      - Access model metadata, a list of C({key, values}). Merged by key - each key given gets exactly the values
        given; keys not given are left alone.
    type: list
    elements: dict
    suboptions:
      key:
        description: The metadata attribute's key, for example V(iscPrivacy).
        type: str
        required: true
      values:
        description: Its values (the complete list for that key).
        type: list
        elements: str
        required: true
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
            choices: [OWNER, MANAGER, GOVERNANCE_GROUP, WORKFLOW, ALL_OWNERS, ADDITIONAL_OWNER, ADDITIONAL_GOVERNANCE_GROUP]
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
            choices: [OWNER, MANAGER, GOVERNANCE_GROUP, WORKFLOW, ALL_OWNERS, ADDITIONAL_OWNER, ADDITIONAL_GOVERNANCE_GROUP]
          approver:
            description:
              - The governance group's name or ID for V(GOVERNANCE_GROUP) and V(ADDITIONAL_GOVERNANCE_GROUP) (it must
                exist), the workflow's ID for V(WORKFLOW); not used otherwise.
            type: str
      comments_required:
        description: Whether the requester must comment.
        type: bool
      denial_comments_required:
        description: Whether an approver denying the revocation must comment.
        type: bool
  roles:
    description:
      - Bulk form, instead of O(name). Each item takes the options above (O(name) required) and O(state); an
        option an item leaves out takes the module-level value. An item's nested options are checked against the
        vendor's schema (keys, types, choices) before any write.
      - The result then has C(results) (per item C(item), C(changed), C(id), C(created), C(deleted),
        C(changed_fields)) instead of C(role).
      - In check mode an item whose access profiles or sources do not exist yet (an earlier task would create
        them) reports the change it would make instead of failing.
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
      owner:
        description: As O(owner).
        type: raw
      access_profiles:
        description: As O(access_profiles).
        type: list
        elements: str
      entitlements:
        description: As O(entitlements).
        type: list
        elements: raw
      membership:
        description: As O(membership).
        type: dict
      requestable:
        description: As O(requestable).
        type: bool
      enabled:
        description: As O(enabled).
        type: bool
      access_model_metadata:
        description: As O(access_model_metadata).
        type: list
        elements: dict
      access_request_config:
        description: As O(access_request_config).
        type: dict
      revocation_request_config:
        description: As O(revocation_request_config).
        type: dict
      state:
        description: As O(state).
        type: str
        choices: [present, absent]
  concurrency:
    description:
      - With O(roles), how many roles are written, and pages of the listing read, at a time (under the shared rate
        limit).
    type: int
    default: 8
  wait:
    description:
      - With O(roles), wait for the task of each C(bulk-delete) call.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait for a bulk delete task with O(wait=true), 1 to 86400.
    type: int
    default: 300
  state:
    description:
      - V(present) creates or updates the role, V(absent) deletes it.
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

- name: Ensure the payroll access profile
  identity.cloud.sailpoint_access_profile:
    name: Payroll
    source: HR Feed
    entitlements: [Payroll Readers]
    owner: Ada Admin

- name: Ensure a role for the payroll department, granted by identity attribute
  identity.cloud.sailpoint_role:
    name: Payroll clerk
    description: Granted to everyone in payroll
    owner: Ada Admin
    access_profiles: [Payroll]
    entitlements:
      - {source: HR Feed, value: Payroll Admins}
    membership:
      criteria:
        operation: OR
        children:
          - operation: EQUALS
            key: {type: IDENTITY, property: attribute.department}
            string_value: Payroll
          - operation: EQUALS
            key: {type: IDENTITY, property: attribute.department}
            string_value: Finance
    requestable: true
    access_model_metadata:
      - {key: iscPrivacy, values: [private]}

- name: Ensure several roles in one task
  identity.cloud.sailpoint_role:
    owner: Ada Admin
    roles:
      - name: Payroll auditor
        access_profiles: [Payroll]
      - name: Payroll clerk
        requestable: false

- name: Delete a role
  identity.cloud.sailpoint_role:
    name: Payroll auditor
    state: absent
"""

RETURN = r"""
role:
  description:
    - The role as the API returns it. Empty after deletion. In check mode, the object the module would send
      merged into the current one. Not returned by the bulk form.
  returned: without O(roles)
  type: dict
  sample: {id: 2c918086749d78830174a1a40e121518, name: Payroll clerk, requestable: true,
           accessProfiles: [{type: ACCESS_PROFILE, id: 2c91808a7190d06e01719938fcd20792, name: Payroll}]}
id:
  description: Server ID of the role.
  returned: when it exists
  type: str
  sample: 2c918086749d78830174a1a40e121518
results:
  description:
    - Bulk form only, one entry per item in order, with C(item) (the name), C(changed), C(id), C(created=true),
      C(deleted=true) or C(changed_fields); a failed item adds C(failed) and C(msg).
  returned: when O(roles) is given
  type: list
  elements: dict
  sample: [{item: Payroll clerk, changed: true, changed_fields: [requestable]}]
"""

from ansible_collections.identity.cloud.plugins.module_utils import sailpoint
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.nested import Items
from ansible_collections.identity.cloud.plugins.module_utils.resource import Field, ResourceSpec
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import access

SPEC = ResourceSpec("role", key=Field("name", min_length=1), fields=[
    Field("description", max_length=2000),
    Field("owner", type="raw", normalize=sailpoint.reference_id),
    Field("access_profiles", api="accessProfiles", type="list", elements="str", normalize=access.ids_of),
    Field("entitlements", type="list", elements="raw", normalize=access.ids_of),
    Field("membership", type="dict", normalize=access.membership_comparable, options={
        "type": {"type": "str", "choices": ["STANDARD", "IDENTITY_LIST"]}, "criteria": {"type": "dict"},
        "identities": {"type": "list", "elements": "str"}}),
    Field("requestable", type="bool"),
    Field("enabled", type="bool"),
    Field("access_model_metadata", api="accessModelMetadata", type="list", elements="dict", items=Items(["key"]),
          options=access.METADATA_OPTIONS, normalize=access.metadata_comparable, to_api=access.metadata_to_api),
    Field("access_request_config", api="accessRequestConfig", type="dict",
          options=access.request_config_options(access.ROLE_APPROVERS)),
    Field("revocation_request_config", api="revocationRequestConfig", type="dict",
          options=access.request_config_options(access.ROLE_APPROVERS, revocation=True)),
])


def main():
    args, kwargs = access.state_module_args(SPEC, "roles")
    module = vendor_module(args, sailpoint.SAILPOINT_ARGS, **kwargs)
    access.run_state(module, SPEC, access.Roles, "roles")


if __name__ == "__main__":
    main()
