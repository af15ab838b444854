#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: beyond_identity_credential
short_description: Revoke Beyond Identity credentials (passkeys)
version_added: 0.1.0
description:
  - Revokes credentials (passkeys) of Beyond Identity identities. A revoked credential can no longer be used
    to authenticate; revoking cannot be undone.
  - The API has no call to create a credential; an identity gets one by completing a credential binding job
    (see M(identity.cloud.beyond_identity_credential_binding_job)).
  - Revoking a credential that is already revoked changes nothing.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.beyond_identity
  - identity.cloud.beyond_identity.realm
options:
  identity:
    description:
      - The identity that owns the credentials, by id or username.
      - Required with O(all_credentials). With O(id) it may be left out (the realm's credentials are searched).
    type: str
  id:
    description:
      - Id of the credential to revoke.
    type: str
  all_credentials:
    description:
      - Revoke every credential of O(identity) (for example when offboarding or after a lost device).
    type: bool
    default: false
  identities:
    description:
      - Revoke every credential of each of these identities (ids or usernames) in one task, from one listing of
        the realm's identities and one of its credentials, O(concurrency) revocations at a time.
      - Cannot be combined with O(identity), O(id) or O(all_credentials).
    type: list
    elements: str
  concurrency:
    description:
      - How many revocations run at the same time with O(identities), 1 to 32.
    type: int
    default: 8
  state:
    description:
      - Only V(revoked).
    type: str
    choices: [revoked]
    default: revoked
"""

EXAMPLES = r"""
- name: Read alice's credentials
  identity.cloud.beyond_identity_credential_info:
    realm: Default
    identity: alice
  register: alice_credentials

- name: Revoke one of alice's passkeys
  identity.cloud.beyond_identity_credential:
    realm: Default
    identity: alice
    id: "{{ alice_credentials.credentials[0].id }}"
    state: revoked

- name: Revoke every passkey of bob
  identity.cloud.beyond_identity_credential:
    realm: Default
    identity: bob
    all_credentials: true

- name: Revoke every passkey of several leavers in one task
  identity.cloud.beyond_identity_credential:
    realm: Default
    identities: [alice, bob]
"""

RETURN = r"""
credential:
  description: The credential as the API returns it after the task.
  returned: with O(id)
  type: dict
  sample:
    id: 81490afab171aef0
    identity_id: e85de356dc78843a
    realm_id: 19a95130480dfa79
    tenant_id: 0001f1f460b1ace6
    state: REVOKED
    csr_type: JWT
    jwk_thumbprint: UW-uVNL0mP1vcLjHrTBxibNgCEe_PD0HIsE3FrbYjPA=
    create_time: "2022-03-14T03:42:52.905Z"
    update_time: "2022-06-14T05:55:23.823Z"
credentials:
  description: Every credential of O(identity) after the task.
  returned: with O(all_credentials)
  type: list
  elements: dict
results:
  description:
    - One entry per identity of O(identities), in order, with C(item) (the reference given), C(id) (the identity's
      id), C(changed) and C(revoked) (ids of the credentials this task revoked, or would revoke in check mode).
  returned: with O(identities)
  type: list
  elements: dict
  sample: [{item: alice, id: e85de356dc78843a, changed: true, revoked: [81490afab171aef0]}]
id:
  description: Id of the credential.
  returned: with O(id)
  type: str
  sample: 81490afab171aef0
revoked:
  description: Ids of the credentials this task revoked (or would revoke, in check mode).
  returned: always
  type: list
  elements: str
  sample: [81490afab171aef0]
"""

from ansible_collections.identity.cloud.plugins.module_utils import beyond_identity as bi
from ansible_collections.identity.cloud.plugins.module_utils import bulk
from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import credentials
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_flow


def main():
    options = dict(bi.REALM_OPTION, identity={"type": "str"}, id={"type": "str"},
                   all_credentials={"type": "bool", "default": False},
                   identities={"type": "list", "elements": "str"}, **bulk.CONCURRENCY_OPTION)
    options["state"] = {"type": "str", "default": "revoked", "choices": ["revoked"]}
    module = vendor_module(options, bi.BEYOND_IDENTITY_ARGS,
                           mutually_exclusive=[("id", "all_credentials", "identities"), ("identity", "identities")],
                           required_if=[("all_credentials", True, ["identity"])])
    if module.params["identities"] is not None:
        session = bi.connect(module)
        run_flow(module, lambda: credentials.revoke_credentials_bulk(session, module))
    if not module.params["id"] and not module.params["all_credentials"]:
        module.fail_json(msg="one of id, all_credentials=true or identities is required")
    wallet = credentials.Credentials(bi.connect(module))
    run_flow(module, lambda: wallet.revoke(module))


if __name__ == "__main__":
    main()
