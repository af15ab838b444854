#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sailpoint_transform
short_description: Manage SailPoint Identity Security Cloud transforms
version_added: 0.2.0
description:
  - Create, update and delete transforms (C(/transforms)) in SailPoint Identity Security Cloud. A transform is
    found by O(name) (or O(id)).
  - Only O(attributes) can change once the transform exists (the API refuses a new name or type). An update
    replaces the transform (PUT) with its current attributes and the ones given merged in key by key (nested
    dicts too), so the keys the task leaves out keep their current values. A key cannot be removed.
  - The attributes (current and given, merged) are checked against the document's schema of the transform's
    type (for example C(lookup) needs C(table), C(static) needs C(values)) before any write, in check mode too.
  - Deleting a transform that an identity profile maps an attribute with fails with the API's message (remove
    the mapping first).
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.sailpoint
options:
  name:
    description:
      - Name of the transform, 1 to 50 characters, unique in the tenant. Required unless O(id) is given.
    type: str
  id:
    description:
      - Server ID of an existing transform, instead of finding it by O(name).
    type: str
  type:
    description:
      - The transform's operation. Required to create a transform; cannot change afterwards.
    type: str
    choices: [accountAttribute, base64Decode, base64Encode, concat, conditional, dateCompare, dateFormat, dateMath,
              decomposeDiacriticalMarks, e164phone, firstValid, rule, identityAttribute, indexOf, iso3166,
              lastIndexOf, leftPad, lookup, lower, normalizeNames, randomAlphaNumeric, randomNumeric, reference,
              replaceAll, replace, rightPad, split, static, substring, trim, upper, usernameGenerator, uuid,
              displayName, rfc5646]
  attributes:
    description:
      - The transform's attributes, with the API's keys (they depend on O(type)). Required to create a transform
        (V({}) for a type that takes none).
      - Compared and merged into the current attributes key by key; a key the vendor's schema of the type does not
        define, or a value of the wrong type, fails the task before any write.
    type: dict
  state:
    description:
      - V(present) creates or updates the transform, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
"""

EXAMPLES = r"""
- name: Ensure a lookup transform of department codes
  identity.cloud.sailpoint_transform:
    name: Department Lookup
    type: lookup
    attributes:
      table:
        "ENG": Engineering
        "FIN": Finance
        default: Unknown

- name: Add one code, leaving the others alone
  identity.cloud.sailpoint_transform:
    name: Department Lookup
    attributes:
      table:
        "HR": Human Resources

- name: Ensure a lower-case transform of the e-mail address
  identity.cloud.sailpoint_transform:
    name: Lower Email
    type: lower
    attributes:
      input: {type: accountAttribute, attributes: {sourceName: HR Feed, attributeName: email}}

- name: Delete a transform
  identity.cloud.sailpoint_transform:
    name: Lower Email
    state: absent
"""

RETURN = r"""
transform:
  description:
    - The transform as the API returns it (C(id), C(name), C(type), C(attributes), C(internal)). Empty after
      deletion. In check mode, the object the module would send merged into the current one.
  returned: always
  type: dict
  sample: {id: 2cd78adghjkja34jh2b1hkjhasuecd, name: Department Lookup, type: lookup, internal: false,
           attributes: {table: {ENG: Engineering, default: Unknown}}}
id:
  description: Server ID of the transform.
  returned: when the transform exists
  type: str
  sample: 2cd78adghjkja34jh2b1hkjhasuecd
"""

from ansible_collections.identity.cloud.plugins.module_utils import sailpoint
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import Engine, Field, ResourceSpec
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import identity_profiles as ip

SPEC = ResourceSpec("transform", key=Field("name", min_length=1, max_length=50, schema=("sailpoint", "Transform", "name")),
                    fields=[
                        Field("type", choices=ip.TRANSFORM_TYPES, schema=("sailpoint", "Transform", "type")),
                        # checked against the schema of its type (Transforms.check_input)
                        Field("attributes", type="dict", schema=("sailpoint", "TransformDefinition", "attributes")),
])


def main():
    module = vendor_module(SPEC.argument_spec(), sailpoint.SAILPOINT_ARGS, required_one_of=[("name", "id")])
    Engine(module, SPEC, ip.Transforms(sailpoint.connect(module), "transforms", SPEC)).run()


if __name__ == "__main__":
    main()
