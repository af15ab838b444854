#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sailpoint_transform_info
short_description: Read SailPoint Identity Security Cloud transforms
version_added: 0.2.0
description:
  - Read transforms (C(/transforms)) of SailPoint Identity Security Cloud, one by O(name) or O(id), or all of them.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.sailpoint
options:
  name:
    description:
      - Exact name of one transform. Without O(name) and O(id) every transform is returned (the tenant's
        internal ones too).
    type: str
  id:
    description:
      - Server ID of one transform. An unknown ID returns an empty list.
    type: str
"""

EXAMPLES = r"""
- name: Ensure a transform exists (the tasks below read it)
  identity.cloud.sailpoint_transform:
    name: Department Lookup
    type: lookup
    attributes: {table: {"ENG": Engineering, default: Unknown}}

- name: Read one transform
  identity.cloud.sailpoint_transform_info:
    name: Department Lookup
  register: found

- name: Read every transform
  identity.cloud.sailpoint_transform_info:
  register: every
"""

RETURN = r"""
transforms:
  description: The transforms as the API returns them; empty when none matches.
  returned: always
  type: list
  elements: dict
  sample: [{id: 2cd78adghjkja34jh2b1hkjhasuecd, name: Department Lookup, type: lookup, internal: false,
            attributes: {table: {ENG: Engineering, default: Unknown}}}]
"""

from ansible_collections.identity.cloud.plugins.module_utils import sailpoint
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_info
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import identity_profiles as ip


def main():
    module = vendor_module({"name": {"type": "str"}, "id": {"type": "str"}}, sailpoint.SAILPOINT_ARGS,
                           mutually_exclusive=[("name", "id")])
    run_info(module, "transforms", ip.reader(sailpoint.connect(module), "transforms", ip.find_transform))


if __name__ == "__main__":
    main()
