#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: beyond_identity_realm
short_description: Manage Beyond Identity realms
version_added: 0.1.0
description:
  - Create, rename and delete realms of a Beyond Identity tenant.
  - A realm is found by O(display_name) (or O(id)). Display names are not unique in Beyond Identity; when
    several realms share one, give O(id).
  - The API refuses to delete a realm that still has identities or groups (HTTP 409); delete those first.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.beyond_identity
options:
  display_name:
    description:
      - Display name of the realm, 1 to 64 characters without C({}[]<>;:?\/|*^%$#=~`!).
      - Required to create a realm. With O(id), renames the realm.
    type: str
  id:
    description:
      - Id of an existing realm, instead of O(display_name).
    type: str
  state:
    description:
      - V(present) creates or renames the realm, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
"""

EXAMPLES = r"""
- name: Ensure a staging realm exists
  identity.cloud.beyond_identity_realm:
    display_name: Staging

- name: Delete the staging realm
  identity.cloud.beyond_identity_realm:
    display_name: Staging
    state: absent
"""

RETURN = r"""
realm:
  description: The realm as the API returns it (empty after deletion).
  returned: always
  type: dict
  sample:
    id: 19a95130480dfa79
    tenant_id: 0001f1f460b1ace6
    display_name: Staging
    create_time: "2022-05-18T18:00:01.167Z"
    update_time: "2022-05-19T14:23:01.327Z"
id:
  description: Id of the realm.
  returned: when the realm exists
  type: str
  sample: 19a95130480dfa79
"""

from ansible_collections.identity.cloud.plugins.module_utils import beyond_identity as bi
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import Engine, ResourceSpec

SPEC = ResourceSpec("realm", key=bi.name_field("display_name", "Realm"))


def main():
    module = vendor_module(SPEC.argument_spec(), bi.BEYOND_IDENTITY_ARGS, required_one_of=[("display_name", "id")])
    Engine(module, SPEC, bi.BeyondIdentityCrud(bi.connect(module, realm_option=None), bi.REALMS)).run()


if __name__ == "__main__":
    main()
