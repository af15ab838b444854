#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sailpoint_source_schema_info
short_description: Read the schemas of a SailPoint source
version_added: 0.1.0
description:
  - Read the schemas of a SailPoint source in SailPoint Identity Security Cloud (C(/sources/{sourceId}/schemas)).
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.sailpoint
options:
  source:
    description:
      - Name or ID of the source. It must exist.
    type: str
    required: true
  name:
    description:
      - Name of one schema (for example V(account)); without it every schema of the source is returned.
    type: str
"""

EXAMPLES = r"""
- name: Ensure the HR feed source exists (the task below reads it)
  identity.cloud.sailpoint_source:
    name: HR Feed
    owner: Ada Admin
    connector: delimited-file

- name: Read the schemas of the HR feed
  identity.cloud.sailpoint_source_schema_info:
    source: HR Feed
    name: account
  register: found
"""

RETURN = r"""
schemas:
  description:
    - The objects as the API returns them (C(name) and the rest); empty when none matches.
  returned: always
  type: list
  elements: dict
  sample: [{id: 2c9180835d191a86015d28455b4a2329, name: account, nativeObjectType: User, attributes: [{name: id, type: STRING}]}]
"""

from ansible_collections.identity.cloud.plugins.module_utils import sailpoint
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_info
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import children


def main():
    module = vendor_module(dict(children.SOURCE_OPTION, name={"type": "str"}), sailpoint.SAILPOINT_ARGS)
    crud = children.SourceChild(sailpoint.connect(module), None, "schemas", "name")
    run_info(module, "schemas", children.reader(crud, "name"))


if __name__ == "__main__":
    main()
