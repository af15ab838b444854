#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: beyond_identity_credential_binding_job
short_description: Start Beyond Identity credential binding jobs (passkey enrolment)
version_added: 0.1.0
description:
  - Starts a credential binding job, which lets an identity bind a new credential (passkey) through a link
    that is emailed to the identity (O(delivery_method=EMAIL)) or returned to the caller
    (O(delivery_method=RETURN)).
  - Idempotent - no new job is started while the identity already has a pending job (link sent, opened or
    delivered, not completed and not expired) with the same O(delivery_method) and authenticator config.
    O(force=true) starts a new job anyway, for example to email the link again.
  - Jobs cannot be changed or deleted through the API; they complete when the identity binds a credential and
    expire on their own.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.beyond_identity
  - identity.cloud.beyond_identity.realm
options:
  identity:
    description:
      - The identity that gets the credential, by id or username.
    type: str
    required: true
  delivery_method:
    description:
      - V(EMAIL) sends the binding link to the identity's primary email address (the identity must have one).
      - V(RETURN) returns the binding link in RV(credential_binding_link), only from the task that starts the job.
    type: str
    required: true
    choices: [EMAIL, RETURN]
  authenticator_config_id:
    description:
      - Id of the authenticator config the credential is bound with.
      - Defaults to the realm's hosted web authenticator config when the realm has exactly one.
    type: str
  post_binding_redirect_uri:
    description:
      - Where the authenticator sends the user after the credential is bound. Only used when a job is started.
    type: str
  force:
    description:
      - Start a new job even when a matching job is pending.
    type: bool
    default: false
notes:
  - The binding link is a bearer secret; whoever opens it can bind a credential to the identity. Run tasks with
    O(delivery_method=RETURN) with C(no_log=true) and hand the link over through a secure channel. The module
    never writes the link to its diff or error messages.
"""

EXAMPLES = r"""
- name: Email alice a link to enrol a passkey (once; a pending job is not repeated)
  identity.cloud.beyond_identity_credential_binding_job:
    realm: Default
    identity: alice
    delivery_method: EMAIL
    post_binding_redirect_uri: https://portal.example.com/welcome

- name: Email the link to alice again
  identity.cloud.beyond_identity_credential_binding_job:
    realm: Default
    identity: alice
    delivery_method: EMAIL
    force: true

- name: Get a binding link for bob to pass on yourself
  identity.cloud.beyond_identity_credential_binding_job:
    realm: Default
    identity: bob
    delivery_method: RETURN
  register: bob_binding
  no_log: true  # the result holds the binding link
"""

RETURN = r"""
credential_binding_job:
  description: The new job, or the pending job that made a new one unnecessary, as the API returns it.
  returned: always
  type: dict
  sample:
    id: c4fc2d753ca22b14
    identity_id: 87fabad6956c6d4b
    realm_id: 19a95130480dfa79
    tenant_id: 0001f1f460b1ace6
    delivery_method: EMAIL
    state: LINK_SENT
    post_binding_redirect_uri: https://portal.example.com/welcome
    authenticator_config_id: 67bb0acf12e5c899
    expire_time: "2022-03-21T03:42:52.905Z"
    create_time: "2022-03-14T03:42:52.905Z"
    update_time: "2022-03-15T05:55:23.823Z"
id:
  description: Id of the job.
  returned: when a job was started or found
  type: str
  sample: c4fc2d753ca22b14
credential_binding_link:
  description:
    - The link that binds a credential to the identity. Sensitive - anyone with the link can bind a credential.
    - The API returns it only when the job is started; a later run that finds the job pending cannot show it
      again (use O(force=true) for a new link).
  returned: when a job with O(delivery_method=RETURN) was started
  type: str
  sample: https://auth-us.beyondidentity.com/v1/tenants/.../credential-binding-jobs/c4fc2d753ca22b14:invokeAuthenticator?token=...
"""

from ansible_collections.identity.cloud.plugins.module_utils import beyond_identity as bi
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module


def main():
    options = dict(bi.REALM_OPTION, identity={"type": "str", "required": True},
                   delivery_method={"type": "str", "required": True, "choices": ["EMAIL", "RETURN"]},
                   authenticator_config_id={"type": "str"}, post_binding_redirect_uri={"type": "str"},
                   force={"type": "bool", "default": False})
    module = vendor_module(options, bi.BEYOND_IDENTITY_ARGS)
    jobs = bi.BindingJobs(bi.connect(module))
    bi.run_flow(module, lambda: jobs.ensure(module))


if __name__ == "__main__":
    main()
