#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: finbourne_api_key
short_description: Manage the caller's FINBOURNE personal access tokens (API keys)
version_added: 0.1.0
description:
  - Create and delete personal access tokens of the user the module signs in as (CreateApiKey, DeleteApiKey,
    ListOwnApiKeys).
  - A key is found by O(display_name) among the caller's live keys (not deactivated); FINBOURNE keeps display
    names unique among them.
  - FINBOURNE cannot update a key. An existing key whose O(deactivation_date) differs fails with one line before
    any write; delete it and create it again.
  - The key value is returned only by the task that creates the key (C(key) in RV(api_key)); it is sensitive and can
    never be read again. Run that task with C(no_log) and C(register).
  - When the answer to the create call is lost (a dropped connection, or no answer within O(timeout) and the key
    shows up afterwards), the module finds the key it created by its display name instead of creating a second
    one, but the value is then lost; the task fails with one line saying so. Delete the key and run the task again.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.finbourne
options:
  display_name:
    description:
      - The key's display name, 1 to 512 characters.
    type: str
    required: true
  deactivation_date:
    description:
      - When the key stops working, an RFC 3339 date-time with a time zone (for example V(2030-01-01T00:00:00Z)),
        checked before any call. Compared as an instant, so any time zone notation of the same moment matches.
        Omit for a key that does not expire.
    type: str
  state:
    description:
      - V(present) creates the key, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Supports C(check_mode) and C(diff_mode).
"""

EXAMPLES = r"""
- name: A token for the nightly reports (the value is returned only now)
  identity.cloud.finbourne_api_key:
    display_name: nightly reports
    deactivation_date: "2035-01-01T00:00:00Z"
  no_log: true
  register: nightly

- name: Delete it
  identity.cloud.finbourne_api_key:
    display_name: nightly reports
    state: absent
"""

RETURN = r"""
api_key:
  description:
    - The key's metadata as the API returns it (empty after deletion).
    - C(key), the token value, only on the run that creates it. Sensitive.
  returned: always
  type: dict
  sample: {id: 2f7ckq3jx0v4ntm8z1ab, displayName: nightly reports, createdDate: "2026-12-01T07:00:00Z",
           deactivationDate: "2035-01-01T00:00:00Z", key: "(sensitive)"}
id:
  description: Server id of the key.
  returned: when the key exists
  type: str
"""

from ansible_collections.identity.cloud.plugins.module_utils import finbourne
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.finbourne import tenant
from ansible_collections.identity.cloud.plugins.module_utils.resource import Engine, Field, ResourceSpec

SPEC = ResourceSpec(
    "api_key",
    key=Field("display_name", api="displayName", schema=("finbourne", "CreateApiKey", "displayName"), min_length=1,
              max_length=512, pattern=r"^[\s\S]*$", required=True),
    fields=[Field("deactivation_date", api="deactivationDate", normalize=tenant.instant,
                  schema=("finbourne", "CreateApiKey", "deactivationDate"))],
)


def main():
    module = vendor_module(SPEC.argument_spec(with_id=False), finbourne.FINBOURNE_ARGS)
    client = finbourne.connect(module)
    Engine(module, SPEC, tenant.ApiKeys(client, "/api/keys", "displayName", "display_name", "api_key", SPEC)).run()


if __name__ == "__main__":
    main()
