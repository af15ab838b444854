#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: finbourne_application
short_description: Manage FINBOURNE Identity OAuth applications and rotate their secrets
version_added: 0.1.0
description:
  - Create and delete OAuth (OpenID Connect) applications in FINBOURNE Identity, and rotate their client secret.
  - An application is found by O(application_client_id), its OpenID Connect client id (unique, compared
    case-insensitively), or by O(id).
  - FINBOURNE has no update for applications. A O(display_name) or O(type) that differs from the existing
    application fails with one line before any write; delete the application and create it again.
    O(redirect_uris) and O(post_logout_redirect_uris) are sent on creation only (the API does not return them,
    so they are never compared).
  - The client secret is returned only by the task that creates the application or rotates its secret
    (C(application.secret)); it is sensitive. Run such tasks with C(no_log) and C(register) to keep it out of logs.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.finbourne
options:
  application_client_id:
    description:
      - The application's OpenID Connect client id (C(clientId)), 6 to 50 characters starting with a letter,
        then letters, digits and C(-). Required to create an application.
      - Not named C(client_id), which is the connection option for the OAuth client this module signs in with.
    type: str
  id:
    description:
      - Server id of an existing application, instead of O(application_client_id). An id that names nothing fails,
        except with O(state=absent).
    type: str
  display_name:
    description:
      - Display name, 1 to 50 characters. Required to create an application; cannot change afterwards.
    type: str
  type:
    description:
      - V(Native) or V(Web). Required to create an application; cannot change afterwards.
    type: str
    choices: [Native, Web]
  redirect_uris:
    description:
      - A web application's post-login redirect URIs. Sent on creation only.
    type: list
    elements: str
  post_logout_redirect_uris:
    description:
      - A web application's post-logout redirect URIs. Sent on creation only.
    type: list
    elements: str
  rotate_secret:
    description:
      - Issue a new client secret for an existing application (RotateApplicationSecrets), returned in
        C(application.secret). An action, it always reports changed, with RV(reason). Ignored on the run that
        creates the application (which returns a fresh secret anyway).
    type: bool
    default: false
  state:
    description:
      - V(present) creates the application, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Supports C(check_mode) and C(diff_mode).
"""

EXAMPLES = r"""
- name: Ensure a web application exists (the secret is returned only now)
  identity.cloud.finbourne_application:
    application_client_id: reporting-portal
    display_name: Reporting portal
    type: Web
    redirect_uris: [https://reports.example.com/callback]
  no_log: true
  register: portal

- name: Rotate its secret
  identity.cloud.finbourne_application:
    application_client_id: reporting-portal
    rotate_secret: true
  no_log: true
  register: rotated

- name: Delete it
  identity.cloud.finbourne_application:
    application_client_id: reporting-portal
    state: absent
"""

RETURN = r"""
application:
  description:
    - The application as the API returns it (empty after deletion).
    - C(secret) only on the run that creates it or rotates its secret. Sensitive.
  returned: always
  type: dict
  sample: {id: 0oa1abcd, clientId: reporting-portal, displayName: Reporting portal, type: Web,
           issuer: "https://example.okta.com/oauth2/aus1", secret: "(sensitive)"}
id:
  description: Server id of the application.
  returned: when the application exists
  type: str
reason:
  description: Why the task reports a change it cannot compare (O(rotate_secret)).
  returned: when O(rotate_secret) rotated the secret
  type: str
"""

from ansible_collections.identity.cloud.plugins.module_utils import finbourne
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.finbourne import tenant
from ansible_collections.identity.cloud.plugins.module_utils.resource import Engine, Field, ResourceSpec

CREATE = "CreateApplicationRequest"
SPEC = ResourceSpec(
    "application",
    key=Field("application_client_id", api="clientId", normalize=finbourne.fold, schema=("finbourne", CREATE, "clientId"),
              min_length=6, max_length=50, pattern=r"^[a-zA-Z][a-zA-Z0-9-]{5,49}"),
    fields=[
        Field("display_name", api="displayName", schema=("finbourne", CREATE, "displayName"), min_length=1,
              max_length=50, pattern=r"^[\s\S]*$", required_on_create=True),
        Field("type", normalize=finbourne.fold, schema=("finbourne", CREATE, "type"), min_length=1, max_length=20,
              pattern=r"^[a-zA-Z]*$", choices=["Native", "Web"], required_on_create=True),
        Field("redirect_uris", api="redirectUris", type="list", elements="str", create_only=True),
        Field("post_logout_redirect_uris", api="postLogoutRedirectUris", type="list", elements="str",
              create_only=True),
    ],
    extra_options={"rotate_secret": {"type": "bool", "default": False}},
)


def main():
    module = vendor_module(SPEC.argument_spec(), finbourne.FINBOURNE_ARGS,
                           required_one_of=[("application_client_id", "id")])
    client = finbourne.connect(module)
    crud = tenant.CreateOnly(client, "/api/applications", "clientId", "application_client_id", "application", SPEC)
    tenant.rotate_secret(Engine(module, SPEC, crud), client, module.params)


if __name__ == "__main__":
    main()
