#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sailpoint_source_attribute_sync_config
short_description: Manage the attribute synchronization configuration of a SailPoint source
version_added: 0.1.0
description:
  - Set which identity attributes are synchronized to the accounts of a source in SailPoint Identity Security
    Cloud (C(/sources/{id}/attribute-sync-config), read with GET and written with PUT).
  - O(attributes) is compared by C(name) as a subset; identity attributes not listed are left as they are.
    The PUT sends the tenant's whole list with the listed attributes changed, and C(source) filled in.
  - An attribute given is merged into the current attribute of the same C(name), and the keys it leaves out keep
    their current values. What is sent is checked against the vendor's schema before any write, in check mode
    too (an attribute the tenant does not list yet needs C(displayName), C(enabled) and C(target)).
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.sailpoint
  - identity.cloud.sailpoint.source
options:
  attributes:
    description:
      - Identity attributes to set, each a dict with the API's keys C(name) (identity attribute, required),
        C(displayName), C(enabled) (a boolean) and C(target) (the account attribute it is written to); any
        other key is refused. An attribute cannot be removed from the list (the tenant lists every identity
        attribute); to stop synchronizing one, give it with C(enabled=false).
    type: list
    elements: dict
    required: true
"""

EXAMPLES = r"""
- name: Ensure the HR feed source exists (the tasks below work on it)
  identity.cloud.sailpoint_source:
    name: HR Feed
    owner: Ada Admin
    connector: delimited-file

- name: Keep the email address of HR accounts in sync with the identity
  identity.cloud.sailpoint_source_attribute_sync_config:
    source: HR Feed
    attributes:
      - {name: email, displayName: Email, enabled: true, target: mail}
"""

RETURN = r"""
attribute_sync_config:
  description:
    - The configuration as the API returns it after the task. In check mode, the current
      configuration with the options given merged in.
  returned: always
  type: dict
  sample:
    source: {type: SOURCE, id: 2c9180835d191a86015d28455b4a2329, name: HR Feed}
    attributes: [{name: email, displayName: Email, enabled: true, target: mail}]
"""

from ansible_collections.identity.cloud.plugins.module_utils import sailpoint
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.nested import Items
from ansible_collections.identity.cloud.plugins.module_utils.resource import Engine, Field, ResourceSpec
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import children

SPEC = ResourceSpec("attribute_sync_config", key=None, fields=[
    Field("attributes", type="list", elements="dict", required=True, normalize=children.keyed_by_name,
          schema=("sailpoint", "AttrSyncSourceConfig", "attributes"), items=Items(["name"], keep_unlisted=True)),
], extra_options=children.SOURCE_OPTION)


def main():
    module = vendor_module(children.config_argument_spec(SPEC), sailpoint.SAILPOINT_ARGS)
    api = sailpoint.connect(module)
    crud = children.SourceConfig(api, SPEC, "attribute-sync-config", source_field="source",
                                 checks=[children.unique_names("attributes")])
    Engine(module, SPEC, crud).run()


if __name__ == "__main__":
    main()
