# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Revoking pending credential binding jobs (API 1.7.0 ``SetCredentialBindingJobRevoked``):
``POST .../identities/{id}/credential-binding-jobs/{job}:revoke`` with an empty body; only a pending job
(``LINK_SENT``, ``REQUEST_DELIVERED``, ``LINK_OPENED``) can be revoked, a revoked one says ``REVOKED``."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity.credentials import (
    PENDING_JOB_STATES,
    BindingJobs,
    identities_by_ref,
)


def revoke_pending(bi, module):
    """Revoke the pending jobs of ``identity`` / ``identities`` (only those of ``delivery_method`` and
    ``authenticator_config_id`` when given); the result lists them (nothing is sent in check mode)."""
    params = module.params
    jobs = BindingJobs(bi)
    pairs = identities_by_ref(bi, params.get("identities") or [params["identity"]],
                              "identities" if params.get("identities") else "identity")

    def pending(pair):
        ref, identity = pair
        return [dict(j, identity=ref) for j in jobs.list(identity["id"]) if j.get("state") in PENDING_JOB_STATES
                and params.get("delivery_method") in (None, j.get("delivery_method"))
                and params.get("authenticator_config_id") in (None, j.get("authenticator_config_id"))]

    found = [job for listed in bi.run_concurrently(pending, pairs) for job in listed]
    if not module.check_mode:
        # revoking twice changes nothing more: safe to send again after a lost answer
        bi.run_concurrently(lambda job: bi.api.post(jobs.path(job["identity_id"], job["id"]) + ":revoke", {},
                                                    idempotent=True, expect=(409,)), found)
    return {"changed": bool(found), "revoked": [dict((k, job.get(k)) for k in (
        "id", "identity", "identity_id", "delivery_method", "authenticator_config_id", "state")) for job in found]}
