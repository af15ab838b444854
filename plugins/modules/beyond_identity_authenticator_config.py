#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: beyond_identity_authenticator_config
short_description: Manage Beyond Identity authenticator configs
version_added: 0.1.0
description:
  - Create, update and delete authenticator configs, which say how identities of a realm authenticate
    (the Beyond Identity hosted web authenticator, or an embedded SDK authenticator in your own app).
  - An authenticator config has no name. It is found by O(id), or by its natural key in O(realm) -
    O(type=hosted_web) finds the realm's hosted web config (a realm normally has exactly one), and
    O(type=embedded) with O(invoke_url) finds the embedded config of that app. If the natural key matches
    more than one config, the task fails and lists their ids; use O(id) then.
  - Without O(id), O(invoke_url) is part of the key, so only O(trusted_origins) can change; use O(id) to change
    the invoke URL or the type.
  - The whole C(config) object is sent on every write, because the API requires C(type), and for embedded
    configs C(invoke_url) and C(trusted_origins), in every request.
  - O(trusted_origins) is compared as an unordered set and, when given, is complete.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.beyond_identity
  - identity.cloud.beyond_identity.realm
options:
  id:
    description:
      - Id of an existing authenticator config.
    type: str
  type:
    description:
      - V(hosted_web) is the authenticator that Beyond Identity hosts (no settings); V(embedded) is the SDK
        authenticator embedded in your app.
      - Required to create a config, and to find one without O(id).
    type: str
    choices: [hosted_web, embedded]
  invoke_url:
    description:
      - URL the authentication flow invokes (C(config.invoke_url)). Embedded configs only, required for them.
    type: str
  trusted_origins:
    description:
      - Origins allowed to call the Beyond Identity API from a browser (CORS), such as
        V(https://auth.example.com). Embedded configs only, required to create one.
    type: list
    elements: str
  state:
    description:
      - V(present) creates or updates the authenticator config, V(absent) deletes it.
      - Applications and credential binding jobs refer to authenticator configs by id; delete only configs
        nothing uses.
    type: str
    choices: [present, absent]
    default: present
"""

EXAMPLES = r"""
- name: Ensure the embedded authenticator of the pet app exists
  identity.cloud.beyond_identity_authenticator_config:
    realm: Default
    type: embedded
    invoke_url: https://app.example.com/auth
    trusted_origins: [https://app.example.com]
  register: embedded_config

- name: Allow a second origin
  identity.cloud.beyond_identity_authenticator_config:
    realm: Default
    type: embedded
    invoke_url: https://app.example.com/auth
    trusted_origins: [https://app.example.com, https://www.example.com]

- name: Move the app to a new invoke URL (by id)
  identity.cloud.beyond_identity_authenticator_config:
    realm: Default
    id: "{{ embedded_config.id }}"
    invoke_url: https://login.example.com/auth

- name: Check that the realm has its hosted web authenticator
  identity.cloud.beyond_identity_authenticator_config:
    realm: Default
    type: hosted_web

- name: Delete the embedded authenticator
  identity.cloud.beyond_identity_authenticator_config:
    realm: Default
    id: "{{ embedded_config.id }}"
    state: absent
"""

RETURN = r"""
authenticator_config:
  description: The authenticator config as the API returns it (empty after deletion).
  returned: always
  type: dict
  sample:
    id: 73731b7f-eb76-4143-9b4b-81a720385f5a
    realm_id: 19a95130480dfa79
    tenant_id: 0001f1f460b1ace6
    config:
      type: embedded
      invoke_url: https://app.example.com/auth
      trusted_origins: [https://app.example.com]
id:
  description: Id of the authenticator config.
  returned: when the authenticator config exists
  type: str
  sample: 73731b7f-eb76-4143-9b4b-81a720385f5a
"""

from ansible_collections.identity.cloud.plugins.module_utils import beyond_identity as bi
from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import applications
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import Engine, Field, ResourceSpec

SPEC = ResourceSpec("authenticator_config", key=Field("type", api="config.type", choices=["hosted_web", "embedded"]),
                    fields=[Field("invoke_url", api="config.invoke_url"),
                            Field("trusted_origins", api="config.trusted_origins", type="list", elements="str",
                                  unordered=True)],
                    extra_options=bi.REALM_OPTION)


def main():
    module = vendor_module(SPEC.argument_spec(), bi.BEYOND_IDENTITY_ARGS, required_one_of=[("type", "id")])
    Engine(module, SPEC, applications.AuthenticatorConfigCrud(bi.connect(module))).run()


if __name__ == "__main__":
    main()
