#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sailpoint_identity_profile_info
short_description: Read SailPoint Identity Security Cloud identity profiles, their default attribute config and export
version_added: 0.2.0
description:
  - Read identity profiles (C(/identity-profiles)) of SailPoint Identity Security Cloud, one by O(name) or O(id), or all.
  - With O(default_identity_attribute_config=true), each profile's default identity attribute configuration
    (C(/identity-profiles/{id}/default-identity-attribute-config)); with O(export=true), the profiles in the
    tenant's export format (C(/identity-profiles/export)), which
    M(identity.cloud.sailpoint_identity_profile_action) imports with O(identity.cloud.sailpoint_identity_profile_action#module:action=import).
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.sailpoint
options:
  name:
    description:
      - Exact name of one profile. Without O(name) and O(id) every profile is returned.
    type: str
  id:
    description:
      - Server ID of one profile. An unknown ID returns an empty list.
    type: str
  default_identity_attribute_config:
    description:
      - Return C(default_identity_attribute_configs), each returned profile's default attribute configuration by
        profile name (one read per profile).
    type: bool
    default: false
  export:
    description:
      - Return C(export), the returned profiles as the export operation gives them.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Ensure the HR feed source exists (the profile below takes its accounts)
  identity.cloud.sailpoint_source:
    name: HR Feed
    owner: Ada Admin
    connector: delimited-file

- name: Ensure a profile exists (the task below reads it)
  identity.cloud.sailpoint_identity_profile:
    name: Employees
    authoritative_source: HR Feed

- name: Read a profile, its default attribute config and its export
  identity.cloud.sailpoint_identity_profile_info:
    name: Employees
    default_identity_attribute_config: true
    export: true
  register: found
"""

RETURN = r"""
identity_profiles:
  description: The profiles as the API returns them; empty when none matches.
  returned: always
  type: list
  elements: dict
  sample: [{id: ef38f94347e94562b5bb8424a56397d8, name: Employees, priority: 10,
            authoritativeSource: {type: SOURCE, id: 2c9180835d191a86015d28455b4a2329, name: HR Feed}}]
default_identity_attribute_configs:
  description: Profile name -> its default IdentityAttributeConfig (C(enabled), C(attributeTransforms)).
  returned: when O(default_identity_attribute_config=true)
  type: dict
  sample: {Employees: {enabled: true, attributeTransforms: [{identityAttributeName: email,
           transformDefinition: {type: accountAttribute, attributes: {attributeName: mail}}}]}}
export:
  description:
    - The returned profiles in the export format (C(version), C(self), C(object)), for
      O(identity.cloud.sailpoint_identity_profile_action#module:action=import).
  returned: when O(export=true)
  type: list
  elements: dict
  sample: [{version: 1, self: {type: IDENTITY_PROFILE, id: ef38f94347e94562b5bb8424a56397d8, name: Employees},
            object: {name: Employees, priority: 10}}]
"""

from ansible_collections.identity.cloud.plugins.module_utils import sailpoint
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_flow
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import identity_profiles as ip


def main():
    module = vendor_module({"name": {"type": "str"}, "id": {"type": "str"},
                            "default_identity_attribute_config": {"type": "bool", "default": False},
                            "export": {"type": "bool", "default": False}},
                           sailpoint.SAILPOINT_ARGS, mutually_exclusive=[("name", "id")])
    api = sailpoint.connect(module)
    read = ip.reader(api, "identity-profiles", lambda api, name: ip.find_profile(api, name, "name", required=False))

    def flow():
        params = module.params
        profiles = read(params)
        out = {"changed": False, "identity_profiles": profiles}
        if params["default_identity_attribute_config"]:
            out["default_identity_attribute_configs"] = dict(
                (p["name"], api.client.get(api.path("identity-profiles", p["id"], "default-identity-attribute-config")).data)
                for p in profiles)
        if params["export"]:
            ids = set(p["id"] for p in profiles)
            out["export"] = [item for item in ip.export(api) if (item.get("self") or {}).get("id") in ids]
        return out

    run_flow(module, flow)


if __name__ == "__main__":
    main()
