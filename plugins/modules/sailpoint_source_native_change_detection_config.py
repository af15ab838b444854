#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sailpoint_source_native_change_detection_config
short_description: Manage the native change detection configuration of a SailPoint source
version_added: 0.1.0
description:
  - Set or remove the native change detection configuration of a source in SailPoint Identity Security
    Cloud (C(/sources/{sourceId}/native-change-detection-config): GET, PUT, DELETE).
  - Only the options given are compared; lists are compared as sets. O(state=absent) deletes the
    configuration (the tenant then answers with its defaults, detection off), and is a no-op when detection
    is off and nothing is selected.
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
  enabled:
    description:
      - Whether native change detection is on.
    type: bool
  operations:
    description:
      - Changes in the connected system that are detected.
    type: list
    elements: str
    choices: [ACCOUNT_UPDATED, ACCOUNT_CREATED, ACCOUNT_DELETED]
  all_entitlements:
    description:
      - Whether changes of every entitlement attribute are detected.
    type: bool
  all_non_entitlement_attributes:
    description:
      - Whether changes of every other attribute are detected.
    type: bool
  selected_entitlements:
    description:
      - Entitlement attributes whose changes are detected (when O(all_entitlements) is false).
    type: list
    elements: str
  selected_non_entitlement_attributes:
    description:
      - Other attributes whose changes are detected (when O(all_non_entitlement_attributes) is false).
    type: list
    elements: str
  state:
    description:
      - V(present) sets the configuration, V(absent) deletes it.
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

- name: Detect accounts created and deleted in the HR system
  identity.cloud.sailpoint_source_native_change_detection_config:
    source: HR Feed
    enabled: true
    operations: [ACCOUNT_CREATED, ACCOUNT_DELETED]
    all_entitlements: true

- name: Switch native change detection off again
  identity.cloud.sailpoint_source_native_change_detection_config:
    source: HR Feed
    state: absent
"""

RETURN = r"""
native_change_detection_config:
  description:
    - The configuration as the API returns it after the task (empty after O(state=absent)). In check mode, the current
      configuration with the options given merged in.
  returned: always
  type: dict
  sample: {enabled: true, operations: [ACCOUNT_CREATED, ACCOUNT_DELETED], allEntitlements: true, allNonEntitlementAttributes: false, selectedEntitlements: [], selectedNonEntitlementAttributes: []}
"""

from ansible_collections.identity.cloud.plugins.module_utils import sailpoint
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import Engine, Field, ResourceSpec
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import children

SPEC = ResourceSpec("native_change_detection_config", key=None, fields=[
    Field("enabled", type="bool"),
    Field("operations", type="list", elements="str", unordered=True,
          schema=("sailpoint", "NativeChangeDetectionConfig", "operations"), choices=children.NCD_OPERATIONS),
    Field("all_entitlements", api="allEntitlements", type="bool"),
    Field("all_non_entitlement_attributes", api="allNonEntitlementAttributes", type="bool"),
    Field("selected_entitlements", api="selectedEntitlements", type="list", elements="str", unordered=True),
    Field("selected_non_entitlement_attributes", api="selectedNonEntitlementAttributes", type="list", elements="str",
          unordered=True),
], extra_options=children.SOURCE_OPTION)


def main():
    module = vendor_module(children.config_argument_spec(SPEC, deletable=True), sailpoint.SAILPOINT_ARGS)
    api = sailpoint.connect(module)
    crud = children.SourceConfig(api, SPEC, "native-change-detection-config", unset=children.ncd_unset)
    Engine(module, SPEC, crud).run()


if __name__ == "__main__":
    main()
