#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: beyond_identity_application_token_info
short_description: List the tokens Beyond Identity applications issued
version_added: 0.1.0
description:
  - Returns the tokens that O(application) (or every application of the realm) issued and that are not revoked,
    optionally only those issued to O(identity) or O(principal_application).
  - A token's value is never returned by the API; its C(token_suffix) tells it apart.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.beyond_identity
  - identity.cloud.beyond_identity.realm
options:
  application:
    description:
      - The application that issued the tokens, by display name or id. Without it, every application of the realm.
    type: str
  identity:
    description:
      - Only the tokens issued to this identity (username or id).
    type: str
  principal_application:
    description:
      - Only the tokens issued to this application (display name or id).
    type: str
  concurrency:
    description:
      - How many application listings run at the same time, 1 to 32.
    type: int
    default: 8
"""

EXAMPLES = r"""
- name: Read the tokens the Management API application issued
  identity.cloud.beyond_identity_application_token_info:
    realm: Beyond Identity Admin
    application: Beyond Identity Management API
  register: console_tokens
"""

RETURN = r"""
tokens:
  description: The tokens as the API lists them, each with C(application_id) and C(application) (display name) added.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 4f2b6c1e
      application_id: 7a5e3f1c
      application: Portal
      display_name: ci
      token_suffix: x9Qz
      token_type: access
      scopes: ["pets:read"]
      issued_at: 1700000000
      expires: 1700003600
"""

from ansible_collections.identity.cloud.plugins.module_utils import beyond_identity as bi
from ansible_collections.identity.cloud.plugins.module_utils import bulk
from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import providers
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_info


def main():
    module = vendor_module(dict(providers.TOKEN_OPTIONS, **bulk.CONCURRENCY_OPTION), bi.BEYOND_IDENTITY_ARGS,
                           mutually_exclusive=[("identity", "principal_application")])
    session = bi.connect(module)
    run_info(module, "tokens", lambda params: providers.list_tokens(session, params))


if __name__ == "__main__":
    main()
