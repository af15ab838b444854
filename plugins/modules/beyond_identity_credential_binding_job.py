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
  - When the answer to an C(EMAIL) job's create is lost, the module looks for the new job before sending again,
    so the identity does not get a second email; after no answer within O(timeout) it keeps looking for twice
    that long and then fails with one line rather than send again. A C(RETURN) job is sent again, since only
    its answer carries the link.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.beyond_identity
  - identity.cloud.beyond_identity.realm
options:
  identity:
    description:
      - The identity that gets the credential, by id or username.
      - One of O(identity) and O(identities) is required.
    type: str
  identities:
    description:
      - Start a job for each of these identities (ids or usernames) in one task, with the same rules as
        O(identity) per identity, from one listing of the realm's identities and one of its jobs.
      - With O(delivery_method=EMAIL), the jobs are started with the API's batch credential binding jobs (API
        1.7.0), up to 1,000 identities in one call, and each identity's job (or the reason the API did not start
        it) is read back from the batch's results, waiting up to 30 seconds for the batch's queue; an identity
        still queued then is reported changed with a C(msg) saying so. When the answer of a batch is lost, the
        realm's jobs are listed; identities with a new pending job got it (the others of that batch are failed
        items, to run again); when none has one, the batch is sent again, except after a timeout or a 504, when
        the server may still be working on it - then it is listed again for twice the timeout and, if no job
        shows up, the items fail rather than risk a second email.
      - With O(delivery_method=RETURN), one job is started per identity, O(concurrency) requests at a time (only
        a single job's answer carries its link).
      - An identity whose job could not be started is a failed item; the task then fails at the end and lists
        them in RV(failed_items).
    type: list
    elements: str
  concurrency:
    description:
      - How many jobs are started at the same time with O(identities) and O(delivery_method=RETURN), 1 to 32.
    type: int
    default: 8
  delivery_method:
    description:
      - V(EMAIL) sends the binding link to the identity's primary email address (the identity must have one).
      - V(RETURN) returns the binding link in RV(credential_binding_link), only from the task that starts the job.
      - Required with O(state=present). With O(state=revoked), only pending jobs of this delivery method are revoked.
    type: str
    choices: [EMAIL, RETURN]
  state:
    description:
      - V(present) starts a job unless a matching one is pending.
      - V(revoked) revokes the pending jobs (link sent, delivered or opened) of O(identity) or O(identities), only
        those of O(delivery_method) and O(authenticator_config_id) when given (API 1.7.0
        SetCredentialBindingJobRevoked), so their links no longer bind a credential. A job already revoked,
        complete or expired is left alone; RV(revoked) lists the jobs revoked (in check mode, that would be).
    type: str
    choices: [present, revoked]
    default: present
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

- name: Email a passkey enrolment link to several new joiners in one task
  identity.cloud.beyond_identity_credential_binding_job:
    realm: Default
    identities: [alice, bob]
    delivery_method: EMAIL

- name: Get a binding link for bob to pass on yourself
  identity.cloud.beyond_identity_credential_binding_job:
    realm: Default
    identity: bob
    delivery_method: RETURN
  register: bob_binding
  no_log: true  # the result holds the binding link

- name: Revoke the enrolment links alice and bob have not used yet (a leaver, or a link sent to the wrong address)
  identity.cloud.beyond_identity_credential_binding_job:
    realm: Default
    identities: [alice, bob]
    state: revoked
"""

RETURN = r"""
credential_binding_job:
  description: The new job, or the pending job that made a new one unnecessary, as the API returns it.
  returned: with O(identity)
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
  returned: when a job with O(delivery_method=RETURN) was started for O(identity)
  type: str
  sample: https://auth-us.beyondidentity.com/v1/tenants/.../credential-binding-jobs/c4fc2d753ca22b14:invokeAuthenticator?token=...
results:
  description:
    - One entry per identity of O(identities), in order, with C(item) (the reference given), C(changed),
      C(created) (true when this task started a job, or would in check mode), C(id) (the job's id; absent in
      check mode for a job not yet started) and, for a job with O(delivery_method=RETURN) this task started,
      C(credential_binding_link) (sensitive). A job the API did not start has C(failed) and C(msg) instead; one
      still queued in a batch has C(msg) saying so.
  returned: with O(identities)
  type: list
  elements: dict
  sample: [{item: alice, changed: true, created: true, id: c4fc2d753ca22b14}]
failed_items:
  description: The references of O(identities) whose job the API did not start (each has C(failed) and C(msg) in RV(results)).
  returned: when a job of O(identities) could not be started
  type: list
  elements: str
revoked:
  description: The pending jobs revoked (in check mode, that would be), with C(id), C(identity) (the reference
    given), C(identity_id), C(delivery_method), C(authenticator_config_id) and C(state) (before the revocation).
  returned: with O(state=revoked)
  type: list
  elements: dict
  sample: [{id: c4fc2d753ca22b14, identity: alice, identity_id: e372db224c06e850, delivery_method: EMAIL,
            authenticator_config_id: 6ab30c2e-39b3-4d36-a8e9-8f5b3b3ddc4f, state: LINK_SENT}]
"""

from ansible_collections.identity.cloud.plugins.module_utils import beyond_identity as bi
from ansible_collections.identity.cloud.plugins.module_utils import bulk
from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import binding_revoke, credentials
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_flow


def main():
    options = dict(bi.REALM_OPTION, identity={"type": "str"}, identities={"type": "list", "elements": "str"},
                   delivery_method={"type": "str", "required": True, "choices": ["EMAIL", "RETURN"]},
                   authenticator_config_id={"type": "str"}, post_binding_redirect_uri={"type": "str"},
                   force={"type": "bool", "default": False},
                   state={"type": "str", "default": "present", "choices": ["present", "revoked"]},
                   **bulk.CONCURRENCY_OPTION)
    options["delivery_method"] = {"type": "str", "choices": ["EMAIL", "RETURN"]}  # required with state=present
    module = vendor_module(options, bi.BEYOND_IDENTITY_ARGS, required_one_of=[("identity", "identities")],
                           mutually_exclusive=[("identity", "identities")],
                           required_if=[("state", "present", ("delivery_method",))])
    if module.params["state"] == "revoked":
        session = bi.connect(module)
        run_flow(module, lambda: binding_revoke.revoke_pending(session, module))
    if module.params["identities"] is not None:
        jobs = credentials.BulkBindingJobs(bi.connect(module))
        run_flow(module, lambda: jobs.ensure_many(module))
    jobs = credentials.BindingJobs(bi.connect(module))
    run_flow(module, lambda: jobs.ensure(module))


if __name__ == "__main__":
    main()
