#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sailpoint_entitlement
short_description: Govern the entitlements of a SailPoint source (requestable, privileged, owner, metadata)
version_added: 0.2.0
description:
  - Set what people govern on the entitlements of a source in SailPoint Identity Security Cloud
    (C(/entitlements)) - O(requestable), O(privileged), O(owner), O(description), O(access_model_metadata)
    and the entitlement's request configuration O(request_config).
  - Entitlements are not created or deleted by this module; an aggregation of their source makes them (see
    M(identity.cloud.sailpoint_source_entitlements)). An entitlement is found by its O(source) and O(value)
    (or by O(id)); one that does not exist fails the task, naming the source and value, in check mode too.
    In check mode a source that does not exist yet (an earlier task would create it) is reported as a change
    instead.
  - Only the options given are compared. O(requestable), O(privileged), O(owner) and O(description) are
    changed with one JSON Patch per entitlement; the bulk form O(entitlements) sends the changes that only
    touch O(requestable) and O(privileged), when two or more entitlements share them, through
    C(POST /entitlements/bulk-update) (50 entitlements a call).
  - Every item's input is checked (options, owners, request configs against the vendor's schema, that each
    entitlement exists) before the first write.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.sailpoint
options:
  source:
    description:
      - Name or ID of the entitlement's source. Required with O(value); with O(id) the entitlement must belong
        to it.
      - With O(entitlements), the source of the items that do not name their own.
    type: str
  value:
    description:
      - The entitlement's value within its source (C(value), for example the group's distinguished name).
    type: str
  id:
    description:
      - Server ID of the entitlement, instead of O(source) and O(value).
    type: str
  requestable:
    description:
      - Whether the entitlement can be requested.
    type: bool
  privileged:
    description:
      - Whether the entitlement is privileged.
    type: bool
  owner:
    description:
      - Identity that owns the entitlement, by ID, by name or as a dict with C(id) and/or C(name). It must
        exist (the task fails before any write otherwise). Compared by ID.
    type: raw
  description:
    description:
      - Description of the entitlement.
    type: str
  access_model_metadata:
    description:
      - Access model metadata, a list of C({key, values}). Merged by key - each key given gets exactly the
        values given (added and removed through the entitlement's C(access-model-metadata) endpoints); keys not
        given are left alone.
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
  request_config:
    description:
      - The entitlement's request configuration (C(/entitlements/{id}/entitlement-request-config)), merged key
        by key into the current one; a list (approval schemes) is the complete list.
      - Keys in snake_case or the API's camelCase - C(access_request_config) (C(approval_schemes) (list of
        C({approver_type, approver}), C(approver_type) one of V(ENTITLEMENT_OWNER), V(SOURCE_OWNER),
        V(MANAGER), V(GOVERNANCE_GROUP), V(WORKFLOW); C(approver) a governance group name or ID for
        V(GOVERNANCE_GROUP)), C(request_comment_required), C(denial_comment_required),
        C(reauthorization_required), C(require_end_date), C(max_permitted_access_duration) (C({value, time_unit}))),
        C(revocation_request_config) (C(approval_schemes)).
      - Checked against the vendor's schema before any write.
    type: dict
  entitlements:
    description:
      - Bulk form, instead of O(value) and O(id). Each item takes O(source), O(value) (or O(id)) and the options
        above; an option an item leaves out takes the module-level value.
      - The result then has C(results) (per item C(item) (the value), C(source), C(id), C(changed),
        C(changed_fields)) instead of C(entitlement). One paged listing per source finds every item.
    type: list
    elements: dict
    suboptions:
      source:
        description: As O(source).
        type: str
      value:
        description: As O(value).
        type: str
      id:
        description: As O(id).
        type: str
      requestable:
        description: As O(requestable).
        type: bool
      privileged:
        description: As O(privileged).
        type: bool
      owner:
        description: As O(owner).
        type: raw
      description:
        description: As O(description).
        type: str
      access_model_metadata:
        description: As O(access_model_metadata).
        type: list
        elements: dict
      request_config:
        description: As O(request_config).
        type: dict
  concurrency:
    description:
      - With O(entitlements), how many entitlements are written, and how many pages of a source's listing are
        read, at a time (under the shared rate limit).
    type: int
    default: 8
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

- name: Aggregate the entitlements of the HR feed from the export
  identity.cloud.sailpoint_source_entitlements:
    source: HR Feed
    action: aggregate
    file: "{{ playbook_dir }}/hr-groups.csv"

- name: Make one entitlement requestable, with an owner
  identity.cloud.sailpoint_entitlement:
    source: HR Feed
    value: Payroll Admins
    requestable: true
    privileged: true
    owner: Ada Admin
    description: Administers payroll
    access_model_metadata:
      - {key: iscPrivacy, values: [private]}
    request_config:
      access_request_config:
        request_comment_required: true
        approval_schemes:
          - {approver_type: MANAGER}

- name: Govern many entitlements in one task
  identity.cloud.sailpoint_entitlement:
    source: HR Feed
    requestable: true
    entitlements:
      - value: Payroll Readers
      - value: Payroll Admins
        privileged: true
"""

RETURN = r"""
entitlement:
  description:
    - The entitlement as the API returns it after the task. In check mode, the current one with the options given
      merged in. Not returned by the bulk form.
  returned: without O(entitlements)
  type: dict
  sample: {id: 2c91808874ff91550175097daaec161c, value: Payroll Admins, requestable: true, privileged: true,
           source: {type: SOURCE, id: 2c9180835d191a86015d28455b4a2329, name: HR Feed}}
id:
  description: Server ID of the entitlement.
  returned: without O(entitlements)
  type: str
  sample: 2c91808874ff91550175097daaec161c
changed_fields:
  description: The options that differed (also without C(--diff)).
  returned: when the entitlement changed, without O(entitlements)
  type: list
  elements: str
  sample: [requestable, owner]
results:
  description:
    - Bulk form only, one entry per item in order, with C(item) (the value), C(source), C(id), C(changed) and
      C(changed_fields); a failed write adds C(failed) and C(msg).
  returned: when O(entitlements) is given
  type: list
  elements: dict
  sample: [{item: Payroll Admins, source: HR Feed, id: 2c91808874ff91550175097daaec161c, changed: true,
            changed_fields: [requestable]}]
"""

from ansible_collections.identity.cloud.plugins.module_utils import sailpoint
from ansible_collections.identity.cloud.plugins.module_utils.bulk import CONCURRENCY_OPTION
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.nested import Items
from ansible_collections.identity.cloud.plugins.module_utils.resource import Field, InputError, ResourceSpec
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import access

SPEC = ResourceSpec("entitlement", key=Field("value", min_length=1), fields=[
    Field("requestable", type="bool"),
    Field("privileged", type="bool"),
    Field("owner", type="raw", normalize=sailpoint.reference_id),
    Field("description"),
    Field("access_model_metadata", api="accessModelMetadata", type="list", elements="dict", items=Items(["key"]),
          options=access.METADATA_OPTIONS, normalize=access.metadata_comparable),
], extra_options={"source": {"type": "str"}, "request_config": {"type": "dict"}})
PER_ITEM = ("source", "value", "requestable", "privileged", "owner", "description", "access_model_metadata",
            "request_config")


def main():
    spec = SPEC.argument_spec()
    spec.pop("state")
    item_options = access.bulk_items_option(SPEC, PER_ITEM)["options"]
    item_options["value"].pop("required", None)
    item_options["id"] = {"type": "str"}
    spec["entitlements"] = {"type": "list", "elements": "dict"}  # items checked by access.check_items
    spec.update(CONCURRENCY_OPTION)
    module = vendor_module(spec, sailpoint.SAILPOINT_ARGS, required_one_of=[("value", "id", "entitlements")],
                           mutually_exclusive=[("value", "entitlements"), ("id", "entitlements")])
    params = module.params
    try:
        access.check_items("entitlements", params["entitlements"] or [], item_options)
    except InputError as exc:
        module.fail_json(msg=str(exc))
    runner = access.Entitlements(module, sailpoint.connect(module), SPEC)
    if params["entitlements"] is None:
        runner.run([dict(params)])
    common = dict((k, v) for k, v in params.items() if k != "entitlements")
    items = [dict(common, **dict((k, v) for k, v in item.items() if v is not None)) for item in params["entitlements"]]
    runner.run(items, "entitlements", params["concurrency"])


if __name__ == "__main__":
    main()
