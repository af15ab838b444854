#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: beyond_identity_credential_binding_job_info
short_description: List Beyond Identity credential binding jobs
version_added: 0.1.0
description:
  - Returns the credential binding jobs of O(identity), or of every identity of O(realm) when O(identity) is
    left out (every page), or the one with O(id); optionally only those in one O(state).
  - Binding links are never included; the API returns them only when a job is started.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.beyond_identity
  - identity.cloud.beyond_identity.realm
options:
  identity:
    description:
      - Only jobs of this identity, by id or username.
    type: str
  id:
    description:
      - Only the job with this id.
    type: str
  state:
    description:
      - Only jobs in this state.
    type: str
    choices: [LINK_OPENED, LINK_SENT, REQUEST_DELIVERED, COMPLETE]
"""

EXAMPLES = r"""
- name: Read the binding jobs of alice
  identity.cloud.beyond_identity_credential_binding_job_info:
    realm: Default
    identity: alice
  register: alice_jobs

- name: Read every job of the realm that has not completed yet
  identity.cloud.beyond_identity_credential_binding_job_info:
    realm: Default
    state: LINK_SENT
  register: pending_jobs
"""

RETURN = r"""
credential_binding_jobs:
  description: The matching jobs as the API returns them.
  returned: always
  type: list
  elements: dict
  sample:
    - id: c4fc2d753ca22b14
      identity_id: 87fabad6956c6d4b
      realm_id: 19a95130480dfa79
      tenant_id: 0001f1f460b1ace6
      delivery_method: EMAIL
      state: COMPLETE
      authenticator_config_id: 67bb0acf12e5c899
      expire_time: "2022-03-21T03:42:52.905Z"
      create_time: "2022-03-14T03:42:52.905Z"
      update_time: "2022-03-15T05:55:23.823Z"
"""

from ansible_collections.identity.cloud.plugins.module_utils import beyond_identity as bi
from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import credentials
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_info


def main():
    options = dict(bi.REALM_OPTION, identity={"type": "str"}, id={"type": "str"},
                   state={"type": "str", "choices": ["LINK_OPENED", "LINK_SENT", "REQUEST_DELIVERED", "COMPLETE"]})
    module = vendor_module(options, bi.BEYOND_IDENTITY_ARGS)
    run_info(module, "credential_binding_jobs", credentials.BindingJobs(bi.connect(module)).info)


if __name__ == "__main__":
    main()
