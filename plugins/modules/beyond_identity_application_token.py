#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: beyond_identity_application_token
short_description: Revoke the tokens Beyond Identity applications issued
version_added: 0.1.0
description:
  - Revokes the access tokens that applications of a Beyond Identity realm issued (API 1.7.0) - those of a leaver
    (O(identity)), those issued to an application (O(principal_application), for example after its secret was
    rotated), the ones listed in O(token_ids), or every token of O(application) (O(all_tokens=true)).
  - The tokens are listed first (ListTokens, per application) and each one still listed is revoked (RevokeToken,
    O(concurrency) at a time). A token already revoked is no longer listed, so running the task again changes
    nothing. In check mode the tokens that would be revoked are reported and nothing is sent.
  - Exactly one of O(identity), O(principal_application), O(token_ids) and O(all_tokens) selects the tokens.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.beyond_identity
  - identity.cloud.beyond_identity.realm
options:
  application:
    description:
      - The application that issued the tokens, by display name or id. Without it every application of the realm
        is looked at (one listing per application).
      - Required with O(all_tokens).
    type: str
  identity:
    description:
      - Revoke the tokens issued to this identity (username or id).
    type: str
  principal_application:
    description:
      - Revoke the tokens issued to this application (display name or id), for example one whose client secret
        was rotated.
    type: str
  token_ids:
    description:
      - Revoke these tokens (ids as listed by M(identity.cloud.beyond_identity_application_token_info)).
        Ids no longer listed are revoked already.
    type: list
    elements: str
  all_tokens:
    description:
      - Revoke every token O(application) issued.
    type: bool
    default: false
  concurrency:
    description:
      - How many revocations run at the same time, 1 to 32.
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
- name: Ensure an identity exists to leave
  identity.cloud.beyond_identity_identity:
    realm: Default
    username: leaver
    display_name: Lee Leaver
    email: leaver@example.com

- name: Revoke every token any application of the realm issued to a leaver
  identity.cloud.beyond_identity_application_token:
    realm: Default
    identity: leaver
    state: revoked
  register: revoked

- name: Revoke every token the Management API application issued (after its secret was rotated)
  identity.cloud.beyond_identity_application_token:
    realm: Beyond Identity Admin
    application: Beyond Identity Management API
    all_tokens: true
"""

RETURN = r"""
revoked:
  description: The tokens revoked (or, in check mode, that would be), each with its C(id), C(application_id),
    C(application) (display name), C(display_name), C(token_suffix) and C(scopes); never the token itself.
  returned: always
  type: list
  elements: dict
  sample:
    - {id: 4f2b6c1e, application_id: 7a5e3f1c, application: Portal, token_suffix: x9Qz, scopes: ["pets:read"]}
"""

from ansible_collections.identity.cloud.plugins.module_utils import beyond_identity as bi
from ansible_collections.identity.cloud.plugins.module_utils import bulk
from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import providers
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_flow


def main():
    options = dict(providers.TOKEN_OPTIONS, token_ids={"type": "list", "elements": "str", "no_log": False},
                   all_tokens={"type": "bool", "default": False},
                   state={"type": "str", "default": "revoked", "choices": ["revoked"]}, **bulk.CONCURRENCY_OPTION)
    module = vendor_module(options, bi.BEYOND_IDENTITY_ARGS,
                           required_one_of=[("identity", "principal_application", "token_ids", "all_tokens")],
                           mutually_exclusive=[("identity", "principal_application", "token_ids", "all_tokens")],
                           required_if=[("all_tokens", True, ("application",))])
    session = bi.connect(module)

    def revoke():
        tokens = providers.list_tokens(session, module.params)
        if not module.check_mode:
            providers.revoke_tokens(session, tokens)
        return {"changed": bool(tokens), "revoked": tokens}

    run_flow(module, revoke)


if __name__ == "__main__":
    main()
