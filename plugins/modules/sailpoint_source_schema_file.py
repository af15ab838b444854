#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sailpoint_source_schema_file
short_description: Download or upload the account or entitlement schema of a SailPoint source as a CSV file
version_added: 0.1.0
description:
  - With O(dest), downloads the schema of a source in SailPoint Identity Security Cloud as a CSV file
    whose first line names the attributes (C(GET /sources/{id}/schemas/accounts) or C(.../entitlements)).
    Like M(ansible.builtin.get_url), the file is written (atomically) only when its content differs, and the
    task reports C(changed) only then.
  - With O(src), uploads a CSV file whose first line names the attributes, replacing the schema's attributes
    (C(POST .../schemas/accounts) or C(.../entitlements), multipart C(file)). It is skipped (C(changed=false))
    when the schema already has exactly the file's attributes (compared as a set of names).
  - In check mode nothing is written or uploaded.
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
  schema:
    description:
      - Which schema: the account schema or an entitlement schema.
    type: str
    choices: [accounts, entitlements]
    default: accounts
  schema_name:
    description:
      - With O(schema=entitlements), the name of the entitlement schema (C(schemaName)); the tenant's
        default is V(group). With O(schema=accounts) it names the schema that O(src) is compared with
        (default V(account)).
    type: str
  dest:
    description:
      - Local file to download the schema to. One of O(dest) and O(src) is required.
    type: path
  src:
    description:
      - Local CSV file to upload. Its first line names the attributes, each once.
    type: path
"""

EXAMPLES = r"""
- name: Ensure the HR feed source exists (the tasks below work on it)
  identity.cloud.sailpoint_source:
    name: HR Feed
    owner: Ada Admin
    connector: delimited-file

- name: Keep a copy of the HR feed's account schema
  identity.cloud.sailpoint_source_schema_file:
    source: HR Feed
    dest: "{{ playbook_dir }}/hr-account-schema.csv"

- name: Upload the account schema from a file (skipped when the attributes are already these)
  identity.cloud.sailpoint_source_schema_file:
    source: HR Feed
    src: "{{ playbook_dir }}/hr-account-schema.csv"
"""

RETURN = r"""
source_id:
  description: ID of the source.
  returned: always
  type: str
  sample: 2c9180835d191a86015d28455b4a2329
schema_name:
  description: Name of the schema read or written.
  returned: always
  type: str
  sample: account
attributes:
  description: The attribute names of the file (downloaded or uploaded).
  returned: always
  type: list
  elements: str
  sample: [id, name, email]
dest:
  description: The file written, with O(dest).
  returned: with O(dest)
  type: str
  sample: /srv/schemas/hr-account-schema.csv
checksum:
  description: SHA-256 of the downloaded content, with O(dest).
  returned: with O(dest)
  type: str
  sample: 5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef
schema:
  description: The schema as the API returned it after an upload.
  returned: when O(src) was uploaded
  type: dict
  sample: {id: 2c9180835d191a86015d28455b4a2329, name: account, attributes: [{name: id, type: STRING}]}
"""

from ansible_collections.identity.cloud.plugins.module_utils import sailpoint
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import actions

ARGS = {
    "source": {"type": "str", "required": True},
    "schema": {"type": "str", "default": "accounts", "choices": ["accounts", "entitlements"]},
    "schema_name": {"type": "str"},
    "dest": {"type": "path"},
    "src": {"type": "path"},
}


def main():
    module = vendor_module(ARGS, sailpoint.SAILPOINT_ARGS, required_one_of=[("dest", "src")],
                           mutually_exclusive=[("dest", "src")])
    actions.converge_schema_file(module, sailpoint.connect(module))


if __name__ == "__main__":
    main()
