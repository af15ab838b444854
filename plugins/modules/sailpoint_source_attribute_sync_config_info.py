#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sailpoint_source_attribute_sync_config_info
short_description: Read the attribute synchronization configuration of a SailPoint source
version_added: 0.1.0
description:
  - Read the attribute synchronization configuration of a source in SailPoint Identity Security Cloud (C(/sources/{id}/attribute-sync-config)).
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
"""

EXAMPLES = r"""
- name: Ensure the HR feed source exists (the tasks below work on it)
  identity.cloud.sailpoint_source:
    name: HR Feed
    owner: Ada Admin
    connector: delimited-file

- name: Read the attribute synchronization configuration of the HR feed
  identity.cloud.sailpoint_source_attribute_sync_config_info:
    source: HR Feed
  register: found
"""

RETURN = r"""
attribute_sync_config:
  description:
    - The configuration as the API returns it; null when the tenant answers that the source has none.
  returned: always
  type: dict
  sample: {source: {type: SOURCE, id: 2c9180835d191a86015d28455b4a2329, name: HR Feed}, attributes: [{name: email, displayName: Email, enabled: true, target: mail}]}
"""

from ansible_collections.identity.cloud.plugins.module_utils import sailpoint
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import children


def main():
    module = vendor_module(dict(children.SOURCE_OPTION), sailpoint.SAILPOINT_ARGS)
    api = sailpoint.connect(module)
    children.run_config_info(module, children.SourceConfig(api, None, "attribute-sync-config"), "attribute_sync_config")


if __name__ == "__main__":
    main()
