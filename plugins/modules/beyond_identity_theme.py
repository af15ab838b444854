#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: beyond_identity_theme
short_description: Manage the theme of a Beyond Identity realm
version_added: 0.1.0
description:
  - Sets the theme of a realm (the branding of the credential binding email and the sign-in experience).
  - A realm has at most one theme. Until one is created, the API shows a default theme; the first run creates
    the realm's theme with the options given (the API fills in defaults for the others), later runs update it.
  - The API cannot delete a theme, so this module has no O(state=absent). To go back to the defaults, set the
    options to the default values.
  - Only the options you give are compared and sent.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.beyond_identity
  - identity.cloud.beyond_identity.realm
options:
  email_realm_name:
    description:
      - Realm name used in email templates, 1 to 64 characters without C({}[]<>;:?\/|*^%$#=~`!).
    type: str
  logo_url_light:
    description:
      - URL of the logo for light mode.
    type: str
  logo_url_dark:
    description:
      - URL of the logo for dark mode.
    type: str
  support_url:
    description:
      - URL of the customer support portal.
    type: str
  state:
    description:
      - Only V(present), which creates or updates the realm's theme. Themes cannot be deleted.
    type: str
    choices: [present]
    default: present
"""

EXAMPLES = r"""
- name: Brand the default realm
  identity.cloud.beyond_identity_theme:
    realm: Default
    email_realm_name: Example Corp
    logo_url_light: https://cdn.example.com/logo-light.png
    logo_url_dark: https://cdn.example.com/logo-dark.png
    support_url: https://support.example.com

- name: Change the support portal only
  identity.cloud.beyond_identity_theme:
    realm: Default
    support_url: https://help.example.com
"""

RETURN = r"""
theme:
  description: The realm's theme as the API returns it.
  returned: always
  type: dict
  sample:
    id: 88ef08fb-c3f9-44e2-b174-fbb239e1dc47
    realm_id: 19a95130480dfa79
    tenant_id: 0001f1f460b1ace6
    email_realm_name: Example Corp
    logo_url_light: https://cdn.example.com/logo-light.png
    logo_url_dark: https://cdn.example.com/logo-dark.png
    support_url: https://support.example.com
    create_time: "2022-07-28T18:00:00.000Z"
    update_time: "2022-07-30T16:00:00.000Z"
id:
  description: Id of the theme.
  returned: when the realm has its own theme
  type: str
  sample: 88ef08fb-c3f9-44e2-b174-fbb239e1dc47
"""

from ansible_collections.identity.cloud.plugins.module_utils import beyond_identity as bi
from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import applications
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import Engine, Field, ResourceSpec

SPEC = ResourceSpec("theme", key=None, extra_options=bi.REALM_OPTION, fields=[
    bi.name_field("email_realm_name", "Theme", "email_realm_name"), Field("logo_url_light"), Field("logo_url_dark"), Field("support_url")])


def main():
    module = vendor_module(SPEC.argument_spec(with_id=False, states=("present",)), bi.BEYOND_IDENTITY_ARGS)
    Engine(module, SPEC, applications.ThemeCrud(bi.connect(module))).run()


if __name__ == "__main__":
    main()
