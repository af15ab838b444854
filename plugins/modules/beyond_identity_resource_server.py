#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: beyond_identity_resource_server
short_description: Manage Beyond Identity resource servers
version_added: 0.1.0
description:
  - Create, update and delete resource servers (the APIs that applications grant access to) in a Beyond
    Identity realm.
  - A resource server is found by O(display_name) (or O(id)) in O(realm).
  - O(scopes) is compared as an unordered set and, when given, is the complete list of scopes.
  - Resource servers managed by Beyond Identity (C(is_managed), such as the Beyond Identity Management API) are
    read-only; changing or deleting one fails before any write.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.beyond_identity
  - identity.cloud.beyond_identity.realm
options:
  display_name:
    description:
      - Display name of the resource server. Required to create one. With O(id), renames it.
    type: str
  id:
    description:
      - Id of an existing resource server, instead of O(display_name).
    type: str
  identifier:
    description:
      - Identifier of the API, unique in the realm and often a URI, for example V(https://api.example.com).
        Tokens that grant its scopes carry it as their audience.
      - V(beyondidentity) is reserved for the Beyond Identity Management API.
    type: str
  scopes:
    description:
      - Every scope the resource server offers; the order does not matter.
      - Applications may only be allowed scopes from this list.
    type: list
    elements: str
  state:
    description:
      - V(present) creates or updates the resource server, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
"""

EXAMPLES = r"""
- name: Ensure the pets API resource server exists
  identity.cloud.beyond_identity_resource_server:
    realm: Default
    display_name: Pet API
    identifier: https://api.example.com/pets
    scopes: ["pets:read", "pets:write"]

- name: Add a scope (the list is the complete set of scopes)
  identity.cloud.beyond_identity_resource_server:
    realm: Default
    display_name: Pet API
    scopes: ["pets:write", "pets:read", "pets:admin"]

- name: Delete the resource server
  identity.cloud.beyond_identity_resource_server:
    realm: Default
    display_name: Pet API
    state: absent
"""

RETURN = r"""
resource_server:
  description: The resource server as the API returns it (empty after deletion).
  returned: always
  type: dict
  sample:
    id: 84db69f5-48a8-4c11-8cda-1bae3a73f07e
    realm_id: 19a95130480dfa79
    tenant_id: 0001f1f460b1ace6
    display_name: Pet API
    is_managed: false
    identifier: https://api.example.com/pets
    scopes: ["pets:read", "pets:write"]
id:
  description: Id of the resource server.
  returned: when the resource server exists
  type: str
  sample: 84db69f5-48a8-4c11-8cda-1bae3a73f07e
"""

from ansible_collections.identity.cloud.plugins.module_utils import beyond_identity as bi
from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import applications
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import Engine, Field, ResourceSpec

SPEC = ResourceSpec("resource_server", key=Field("display_name"),
                    fields=[Field("identifier"), Field("scopes", type="list", elements="str", unordered=True)],
                    extra_options=bi.REALM_OPTION)


def main():
    module = vendor_module(SPEC.argument_spec(), bi.BEYOND_IDENTITY_ARGS, required_one_of=[("display_name", "id")])
    Engine(module, SPEC, applications.ResourceServerCrud(bi.connect(module), SPEC)).run()


if __name__ == "__main__":
    main()
