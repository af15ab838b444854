#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sailpoint_lifecycle_state_info
short_description: Read the lifecycle states of a SailPoint identity profile
version_added: 0.2.0
description:
  - Read the lifecycle states of an identity profile (C(/identity-profiles/{id}/lifecycle-states)) in SailPoint
    Identity Security Cloud, one by O(technical_name) or O(id), or all of them.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.sailpoint
options:
  identity_profile:
    description:
      - Name or ID of the identity profile. It must exist (an unknown one fails the task).
    type: str
    required: true
  technical_name:
    description:
      - Technical name of one state. Without O(technical_name) and O(id) every state of the profile is returned.
    type: str
  id:
    description:
      - Server ID of one state. An unknown ID returns an empty list.
    type: str
"""

EXAMPLES = r"""
- name: Ensure the HR feed source exists (the profile below takes its accounts)
  identity.cloud.sailpoint_source:
    name: HR Feed
    owner: Ada Admin
    connector: delimited-file

- name: Ensure the employees' profile
  identity.cloud.sailpoint_identity_profile:
    name: Employees
    authoritative_source: HR Feed

- name: Read every lifecycle state of the profile
  identity.cloud.sailpoint_lifecycle_state_info:
    identity_profile: Employees
  register: states
"""

RETURN = r"""
lifecycle_states:
  description: The states as the API returns them; empty when none matches.
  returned: always
  type: list
  elements: dict
  sample: [{id: 2c9180835d2e5168015d32f890ca1581, name: Leaver, technicalName: leaver, enabled: true}]
"""

from ansible_collections.identity.cloud.plugins.module_utils import sailpoint
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.http_client import path_segment
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_info
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import identity_profiles as ip


def main():
    module = vendor_module({"identity_profile": {"type": "str", "required": True}, "technical_name": {"type": "str"},
                            "id": {"type": "str"}}, sailpoint.SAILPOINT_ARGS, mutually_exclusive=[("technical_name", "id")])
    api = sailpoint.connect(module)

    def read(params):
        profile = ip.find_profile(api, params["identity_profile"])
        if params.get("id"):
            path_segment(params["id"], "id")
            found = api.client.get_or_none(api.path("identity-profiles", profile["id"], "lifecycle-states", params["id"]))
            return [found] if found is not None else []
        return [s for s in ip.lifecycle_states_of(api, profile["id"])
                if params.get("technical_name") in (None, s.get("technicalName"))]

    run_info(module, "lifecycle_states", read)


if __name__ == "__main__":
    main()
