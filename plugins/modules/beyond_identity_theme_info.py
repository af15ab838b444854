#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: beyond_identity_theme_info
short_description: Read Beyond Identity realm themes
version_added: 0.1.0
description:
  - Returns the active theme of O(realm), or of every realm of the tenant when O(realm) is left out, or the
    theme with O(id).
  - The active theme of a realm that has no theme of its own is the default theme the API shows.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.beyond_identity
options:
  realm:
    description:
      - The realm, by id or display name. Leave out to read the active theme of every realm.
      - Required with O(id).
    type: str
  id:
    description:
      - Only the theme with this id (an empty list if the realm has no such theme).
    type: str
"""

EXAMPLES = r"""
- name: Read the active theme of the default realm
  identity.cloud.beyond_identity_theme_info:
    realm: Default
  register: default_theme

- name: Read the active theme of every realm
  identity.cloud.beyond_identity_theme_info:
  register: all_themes
"""

RETURN = r"""
themes:
  description: The matching themes as the API returns them, one per realm when listing.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 88ef08fb-c3f9-44e2-b174-fbb239e1dc47
      realm_id: 19a95130480dfa79
      tenant_id: 0001f1f460b1ace6
      email_realm_name: Example Corp
      logo_url_light: https://cdn.example.com/logo-light.png
      logo_url_dark: https://cdn.example.com/logo-dark.png
      support_url: https://support.example.com
"""

from ansible_collections.identity.cloud.plugins.module_utils import beyond_identity as bi
from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import readers
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_info


def main():
    module = vendor_module({"realm": {"type": "str"}, "id": {"type": "str"}}, bi.BEYOND_IDENTITY_ARGS,
                           required_by={"id": "realm"})
    session = bi.connect(module)
    run_info(module, "themes", lambda params: readers.themes(session, params))


if __name__ == "__main__":
    main()
