#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sailpoint_source_schema
short_description: Manage the account and entitlement schemas of a SailPoint source
version_added: 0.1.0
description:
  - Create, update and delete a schema of a source in SailPoint Identity Security Cloud
    (C(/sources/{sourceId}/schemas)).
  - A schema is found by O(name) within the source (or by O(id)). Only the options given are compared.
  - O(attributes) is compared as a set by attribute name (order does not matter); an update sends a
    JSON Patch of only the changed top-level fields (O(attributes) as a whole when it changed), each
    listed attribute merged into the current attribute of the same name, so the keys an attribute leaves
    out keep their current values (the API would otherwise reset them).
  - Nested values are checked against the vendor's schema before any write, in check mode too.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.sailpoint
  - identity.cloud.sailpoint.source
options:
  name:
    description:
      - Name of the schema within the source, for example V(account) or V(group). Required unless O(id) is given.
    type: str
  id:
    description:
      - Server ID of an existing schema, instead of finding it by O(name). With O(state=present) it must exist.
    type: str
  native_object_type:
    description:
      - Object type in the connected system this schema describes, for example V(User) or V(Group).
    type: str
  identity_attribute:
    description:
      - Attribute that uniquely identifies an object of this schema.
    type: str
  display_attribute:
    description:
      - Attribute shown as the object's name.
    type: str
  hierarchy_attribute:
    description:
      - Attribute holding the parent of an object (for hierarchical entitlements).
    type: str
  include_permissions:
    description:
      - Whether the schema includes permissions.
    type: bool
  features:
    description:
      - Optional features the schema supports. Compared as a set.
    type: list
    elements: str
    choices: [AUTHENTICATE, COMPOSITE, DIRECT_PERMISSIONS, DISCOVER_SCHEMA, ENABLE, MANAGER_LOOKUP, NO_RANDOM_ACCESS,
              PROXY, SEARCH, TEMPLATE, UNLOCK, UNSTRUCTURED_TARGETS, SHAREPOINT_TARGET, PROVISIONING, GROUP_PROVISIONING,
              SYNC_PROVISIONING, PASSWORD, CURRENT_PASSWORD, ACCOUNT_ONLY_REQUEST, ADDITIONAL_ACCOUNT_REQUEST,
              NO_AGGREGATION, GROUPS_HAVE_MEMBERS, NO_PERMISSIONS_PROVISIONING, NO_GROUP_PERMISSIONS_PROVISIONING,
              NO_UNSTRUCTURED_TARGETS_PROVISIONING, NO_DIRECT_PERMISSIONS_PROVISIONING, PREFER_UUID,
              ARM_SECURITY_EXTRACT, ARM_UTILIZATION_EXTRACT, ARM_CHANGELOG_EXTRACT, USES_UUID, APPLICATION_DISCOVERY,
              DELETE]
  configuration:
    description:
      - Connector-specific schema configuration (C(configuration)); only the keys given are compared.
    type: dict
  attributes:
    description:
      - The complete list of the schema's attributes. Compared as a set by C(name); an attribute of the
        schema that is not listed is removed, and only the keys given per attribute are compared.
      - A key an attribute leaves out keeps its current value; to change or reset one, give it
        (for example O(attributes[].multi=false)).
    type: list
    elements: dict
    suboptions:
      name:
        description: Attribute name, unique within the schema.
        type: str
        required: true
      type:
        description: Value type of the attribute.
        type: str
        choices: [STRING, LONG, INT, BOOLEAN, DATE]
      description:
        description: Human-readable description.
        type: str
      multi:
        description: Whether the attribute holds several values (C(isMulti)).
        type: bool
      entitlement:
        description: Whether the attribute is an entitlement (C(isEntitlement)).
        type: bool
      group:
        description: Whether the attribute's values are groups (C(isGroup)).
        type: bool
      native_name:
        description: The attribute's name in the connected system (C(nativeName)).
        type: str
  state:
    description:
      - V(present) creates or updates the schema, V(absent) deletes it.
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

- name: Ensure the HR feed source has its account schema
  identity.cloud.sailpoint_source_schema:
    source: HR Feed
    name: account
    native_object_type: User
    identity_attribute: employeeId
    display_attribute: displayName
    attributes:
      - {name: employeeId, type: STRING, description: Employee number}
      - {name: displayName, type: STRING}
      - {name: groups, type: STRING, multi: true, entitlement: true}

- name: Remove a schema the source no longer needs
  identity.cloud.sailpoint_source_schema:
    source: HR Feed
    name: legacy
    state: absent
"""

RETURN = r"""
schema:
  description:
    - The schema as the API returns it (C(id), C(name), C(nativeObjectType), C(attributes) ...). Empty after deletion.
    - In check mode, the object the module would send merged into the current one.
  returned: always
  type: dict
  sample: {id: 2c9180835d191a86015d28455b4a2329, name: account, nativeObjectType: User,
           identityAttribute: employeeId, attributes: [{name: employeeId, type: STRING, isMulti: false}]}
id:
  description: Server ID of the schema.
  returned: when the schema exists
  type: str
  sample: 2c9180835d191a86015d28455b4a2329
"""

from ansible_collections.identity.cloud.plugins.module_utils import sailpoint
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.nested import Items
from ansible_collections.identity.cloud.plugins.module_utils.resource import Engine, Field, ResourceSpec
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import children

ATTRIBUTE = {"name": {"type": "str", "required": True},
             "type": {"type": "str", "choices": ["STRING", "LONG", "INT", "BOOLEAN", "DATE"]},
             "description": {"type": "str"}, "multi": {"type": "bool"}, "entitlement": {"type": "bool"},
             "group": {"type": "bool"}, "native_name": {"type": "str"}}

SPEC = ResourceSpec("schema", key=Field("name", min_length=1), fields=[
    Field("native_object_type", api="nativeObjectType"),
    Field("identity_attribute", api="identityAttribute"),
    Field("display_attribute", api="displayAttribute"),
    Field("hierarchy_attribute", api="hierarchyAttribute"),
    Field("include_permissions", api="includePermissions", type="bool"),
    Field("features", type="list", elements="str", unordered=True, schema=("sailpoint", "Schema", "features"),
          choices=sailpoint.SOURCE_FEATURES),
    Field("configuration", type="dict"),
    Field("attributes", type="list", elements="dict", options=ATTRIBUTE, to_api=children.schema_attributes,
          normalize=children.by_name, schema=("sailpoint", "Schema", "attributes"),
          items=Items(["name"], names=dict(children.SCHEMA_ATTRIBUTE_KEYS))),
], extra_options=children.SOURCE_OPTION)


def main():
    module = vendor_module(SPEC.argument_spec(), sailpoint.SAILPOINT_ARGS, required_one_of=[("name", "id")])
    api = sailpoint.connect(module)
    crud = children.SourceChild(api, SPEC, "schemas", "name", checks=[children.unique_names("attributes")])
    Engine(module, SPEC, crud).run()


if __name__ == "__main__":
    main()
