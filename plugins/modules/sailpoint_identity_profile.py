#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sailpoint_identity_profile
short_description: Manage SailPoint Identity Security Cloud identity profiles
version_added: 0.2.0
description:
  - Create, update and delete identity profiles (C(/identity-profiles)) in SailPoint Identity Security Cloud - the
    authoritative source whose accounts become identities, and how identity attributes are computed from them.
    A profile is found by O(name) (or O(id)).
  - Only the options given are compared. An update sends a JSON Patch of the changed fields; a change of
    O(authoritative_source) goes in a call of its own, as the API refuses it together with the attribute config.
  - O(identity_attribute_config) is merged into the current configuration by C(identity_attribute_name) - the
    mappings given replace the current mapping of the same attribute, the others are kept.
  - Deleting a profile starts a task on the tenant; with O(wait=true) the module polls it until it completes.
  - In check mode an O(authoritative_source) or a transform named in O(identity_attribute_config) that does not exist
    yet may be one an earlier task would create - the task then reports a change (C(msg) says what is missing, nothing
    is sent) instead of failing. Without C(--check) they must exist.
  - To process the profile's identities after a change, preview a mapping, export, import or delete in bulk, use
    M(identity.cloud.sailpoint_identity_profile_action).
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.sailpoint
options:
  name:
    description:
      - Name of the identity profile, unique in the tenant. Required to create a profile; with O(id), renames it.
    type: str
  id:
    description:
      - Server ID of an existing profile, instead of finding it by O(name).
    type: str
  description:
    description:
      - Description of the profile.
    type: str
  owner:
    description:
      - Identity that owns the profile, by ID, by name, or as a dict with C(id) and/or C(name). It must exist (an
        unknown one fails the task before anything is written). Compared by ID.
    type: raw
  priority:
    description:
      - Priority of the profile (C(priority)), an integer.
    type: int
  authoritative_source:
    description:
      - The authoritative source whose accounts make the profile's identities, by ID, by name, or as a dict with
        C(id) and/or C(name). Required to create a profile. It must exist. Compared by ID.
      - The tenant's own source (V(IdentityNow), which the sources listing leaves out) is found by name too; a
        profile of it takes the tenant's own identities.
    type: raw
  identity_attribute_config:
    description:
      - How the profile computes identity attributes. Merged into the current configuration, O(identity_attribute_config.enabled)
        when given, and each mapping of O(identity_attribute_config.attribute_transforms) by its attribute name.
    type: dict
    suboptions:
      enabled:
        description: Whether the configuration is enabled.
        type: bool
      attribute_transforms:
        description:
          - Mappings of identity attributes, each replacing the current mapping of its
            O(identity_attribute_config.attribute_transforms[].identity_attribute_name). Mappings not listed are kept.
        type: list
        elements: dict
        suboptions:
          identity_attribute_name:
            description: The identity attribute the mapping computes, for example V(email).
            type: str
            required: true
          transform:
            description:
              - Name of a transform (see M(identity.cloud.sailpoint_transform)) that computes the attribute. It must
                exist; it is sent as a C(reference) transform to it (C(type=reference) with C(attributes.id) the name),
                which is how the tenant's own editor refers to a named transform.
              - Exactly one of this and O(identity_attribute_config.attribute_transforms[].transform_definition).
            type: str
          transform_definition:
            description:
              - The transform inline, a dict with C(type) (a transform type, see
                M(identity.cloud.sailpoint_transform)) and C(attributes) (checked against the document's schema of
                that type).
            type: dict
  identity_exception_report_reference:
    description:
      - Reference to the identity exception report (C(identityExceptionReportReference)), compared key by key.
    type: dict
    suboptions:
      task_result_id:
        description: ID of the task result of the report (C(taskResultId)).
        type: str
      report_name:
        description: Name of the report (C(reportName)).
        type: str
  has_time_based_attr:
    description:
      - Whether the profile has a time-based attribute.
    type: bool
  wait:
    description:
      - After a delete, poll the deletion task until it completes (the profile is gone only then).
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait for the deletion task when O(wait=true), 1 to 86400.
    type: int
    default: 300
  state:
    description:
      - V(present) creates or updates the profile, V(absent) deletes it.
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
    authoritative: true

- name: Ensure a transform for the e-mail address
  identity.cloud.sailpoint_transform:
    name: Lower Email
    type: lower
    attributes:
      input: {type: accountAttribute, attributes: {sourceName: HR Feed, attributeName: email}}

- name: Ensure the employees' identity profile
  identity.cloud.sailpoint_identity_profile:
    name: Employees
    description: Everyone on the HR feed
    owner: Ada Admin
    priority: 10
    authoritative_source: HR Feed
    identity_attribute_config:
      enabled: true
      attribute_transforms:
        - identity_attribute_name: email
          transform: Lower Email
        - identity_attribute_name: uid
          transform_definition:
            type: accountAttribute
            attributes: {sourceName: HR Feed, attributeName: employeeId}

- name: Delete the profile and wait for the deletion task
  identity.cloud.sailpoint_identity_profile:
    name: Employees
    state: absent
"""

RETURN = r"""
identity_profile:
  description:
    - The profile as the API returns it (C(id), C(name), C(owner), C(priority), C(authoritativeSource),
      C(identityAttributeConfig), C(identityRefreshRequired), C(identityCount) ...). Empty after deletion. In check
      mode, the object the module would send merged into the current one.
  returned: always
  type: dict
  sample: {id: ef38f94347e94562b5bb8424a56397d8, name: Employees, priority: 10,
           authoritativeSource: {type: SOURCE, id: 2c9180835d191a86015d28455b4a2329, name: HR Feed},
           identityAttributeConfig: {enabled: true, attributeTransforms: [{identityAttributeName: email,
           transformDefinition: {type: reference, attributes: {id: Lower Email}}}]}}
id:
  description: Server ID of the profile.
  returned: when the profile exists
  type: str
  sample: ef38f94347e94562b5bb8424a56397d8
task:
  description:
    - The deletion task, when the module deleted the profile. With O(wait=true) its final status, else the
      reference the API answered.
  returned: when a profile was deleted
  type: dict
  sample: {id: 2c91808779ecf55b0179f720942f181a, completionStatus: Success}
"""

from ansible_collections.identity.cloud.plugins.module_utils import sailpoint
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import Engine, Field, ResourceSpec
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import identity_profiles as ip

REFERENCES = [ip.OWNER, ip.SourceReference("authoritative_source")]

SPEC = ResourceSpec("identity_profile", key=Field("name", min_length=1), fields=[
    Field("description"),
    Field("owner", type="raw", normalize=sailpoint.reference_id),
    Field("priority", type="int", minimum=-2 ** 63, maximum=2 ** 63 - 1),  # int64, as the document says
    Field("authoritative_source", api="authoritativeSource", type="raw", normalize=sailpoint.reference_id),
    # checked and turned into an IdentityAttributeConfig by IdentityProfiles.validate (transforms by name)
    Field("identity_attribute_config", api="identityAttributeConfig", type="dict", options=ip.ATTRIBUTE_CONFIG,
          normalize=ip.attribute_config_comparable),
    Field("identity_exception_report_reference", api="identityExceptionReportReference", type="dict",
          to_api=ip.camel_dict, options={"task_result_id": {"type": "str"}, "report_name": {"type": "str"}}),
    Field("has_time_based_attr", api="hasTimeBasedAttr", type="bool"),
], extra_options={
    "wait": {"type": "bool", "default": True},
    "wait_timeout": {"type": "int", "default": 300, "minimum": 1, "maximum": 86400},
})


def main():
    module = vendor_module(SPEC.argument_spec(), sailpoint.SAILPOINT_ARGS, required_one_of=[("name", "id")])
    api = sailpoint.connect(module)
    profiles = ip.IdentityProfiles(api, "identity-profiles", SPEC, references=REFERENCES,
                                   required_on_create=("authoritative_source",))
    Engine(module, SPEC, profiles).run()


if __name__ == "__main__":
    main()
