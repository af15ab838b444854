#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sailpoint_provisioning_policy
short_description: Manage the provisioning policies of a SailPoint source
version_added: 0.1.0
description:
  - Create, update and delete the provisioning policies of a source in SailPoint Identity Security Cloud
    (C(/sources/{sourceId}/provisioning-policies)). A source has at most one policy per O(usage_type),
    which is the policy's key.
  - Only the options given are compared; O(fields) is compared in order, each field by the keys given.
    An update replaces the policy (PUT) with the current one merged with the options given; each field
    of O(fields) is merged into the current field of the same C(name), so the keys a field leaves out keep
    their current values (the API would otherwise reset them, for example C(transform) to V({})).
  - O(fields) is checked against the vendor's schema (C(FieldDetailsDto)) before any write, in check mode too.
  - The bulk form O(policies) converges many policies of one source in one task, with one listing read,
    a create per missing policy, and every update of the run in one
    C(provisioning-policies/bulk-update) call.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.sailpoint
  - identity.cloud.sailpoint.source
options:
  usage_type:
    description:
      - The operation the policy provisions (C(usageType)). Required unless O(policies) is given.
    type: str
    choices: [CREATE, UPDATE, ENABLE, DISABLE, DELETE, ASSIGN, UNASSIGN, CREATE_GROUP, UPDATE_GROUP, DELETE_GROUP,
              REGISTER, CREATE_IDENTITY, UPDATE_IDENTITY, EDIT_GROUP, UNLOCK, CHANGE_PASSWORD]
  name:
    description:
      - Name of the policy. Required to create a policy.
    type: str
  description:
    description:
      - Description of the policy.
    type: str
  fields:
    description:
      - The complete list of the policy's fields, in order, each a dict with the API's keys (C(name),
        C(transform), C(attributes), C(type) (V(string), V(int), V(long), V(date), V(boolean) or V(secret)),
        C(isMultiValued)). A field of the policy that is not listed is removed.
      - Compared in order; keys not given are not compared and keep their current values (a field is matched
        to the current one by C(name)). To change or reset a key, give it (for example C(transform={})); a key
        cannot be removed (null is refused where the API does not allow it).
      - C(isRequired) is read-only in the API (the tenant derives it) and is refused here, as is any key the
        API does not define.
    type: list
    elements: dict
  policies:
    description:
      - Bulk form, instead of O(usage_type). Each item takes O(usage_type) (required), O(name),
        O(description), O(fields) and O(state); an option an item leaves out takes the module-level value.
      - The result then has C(results) (per item C(item), C(changed), C(created) when the run created it)
        instead of C(policy).
      - An item whose O(fields) the vendor's schema forbids fails the task before any policy is written.
    type: list
    elements: dict
    suboptions:
      usage_type:
        description: As O(usage_type).
        type: str
        required: true
        choices: [CREATE, UPDATE, ENABLE, DISABLE, DELETE, ASSIGN, UNASSIGN, CREATE_GROUP, UPDATE_GROUP, DELETE_GROUP,
                  REGISTER, CREATE_IDENTITY, UPDATE_IDENTITY, EDIT_GROUP, UNLOCK, CHANGE_PASSWORD]
      name:
        description: As O(name).
        type: str
      description:
        description: As O(description).
        type: str
      fields:
        description: As O(fields).
        type: list
        elements: dict
      state:
        description: As O(state).
        type: str
        choices: [present, absent]
  state:
    description:
      - V(present) creates or updates the policy, V(absent) deletes it.
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

- name: Ensure the account creation policy of the HR feed
  identity.cloud.sailpoint_provisioning_policy:
    source: HR Feed
    usage_type: CREATE
    name: Account
    description: Attributes of a new account
    fields:
      - name: displayName
        type: string
        transform: {type: identityAttribute, attributes: {name: displayName}}

- name: Ensure several policies in one task (updates in one bulk call)
  identity.cloud.sailpoint_provisioning_policy:
    source: HR Feed
    policies:
      - usage_type: CREATE
        name: Account
      - usage_type: UPDATE
        name: Account update
        fields: [{name: mail, type: string}]
      - usage_type: DISABLE
        state: absent
"""

RETURN = r"""
policy:
  description:
    - The policy as the API returns it (C(name), C(description), C(usageType), C(fields)). Empty after
      deletion. In check mode, the object the module would send merged into the current one.
    - Not returned by the bulk form.
  returned: when O(usage_type) is given
  type: dict
  sample: {name: Account, usageType: CREATE, fields: [{name: displayName, type: string, isRequired: false}]}
results:
  description:
    - Bulk form only, one entry per item of O(policies) in order, with C(item) (the usage type), C(changed),
      C(created=true) for a policy this task created (or would create, in check mode), C(deleted=true) for one it
      deleted and C(changed_fields) (the options that differed) for one it updated - also without C(--diff).
  returned: when O(policies) is given
  type: list
  elements: dict
  sample: [{item: CREATE, changed: true, created: true}, {item: UPDATE, changed: false}]
"""

from ansible_collections.identity.cloud.plugins.module_utils import sailpoint
from ansible_collections.identity.cloud.plugins.module_utils.bulk import bulk_option, run_bulk
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.nested import Items
from ansible_collections.identity.cloud.plugins.module_utils.resource import Engine, Field, ResourceSpec
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import children

SPEC = ResourceSpec("policy", key=Field("usage_type", api="usageType", schema=("sailpoint", "ProvisioningPolicyDto",
                                                                               "usageType"),
                                        choices=children.USAGE_TYPES), fields=[
    Field("name", required_on_create=True, min_length=1),
    Field("description"),
    Field("fields", type="list", elements="dict", schema=("sailpoint", "ProvisioningPolicyDto", "fields"),
          items=Items(["name"])),
], extra_options=children.SOURCE_OPTION)


def main():
    spec = SPEC.argument_spec(with_id=False)
    spec["policies"] = bulk_option(SPEC, ("usage_type", "name", "description", "fields", "state"))
    module = vendor_module(spec, sailpoint.SAILPOINT_ARGS, required_one_of=[("usage_type", "policies")],
                           mutually_exclusive=[("usage_type", "policies")])
    api = sailpoint.connect(module)
    crud = children.SourceChild(api, SPEC, "provisioning-policies", "usageType", key_in_path=True, update="put",
                                bulk_update="bulk-update")
    engine = Engine(module, SPEC, crud)
    if module.params["policies"] is None:
        engine.run()
    crud.params = module.params
    run_bulk(module, engine, "policies")


if __name__ == "__main__":
    main()
