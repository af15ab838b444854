# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Beyond Identity credentials (passkeys) and credential binding jobs, one identity or many per task."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import re
import time

from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import (
    AUTHENTICATOR_CONFIGS,
    find_identity,
    username_of,
)
from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity.directory import batch_calls, chunks
from ansible_collections.identity.cloud.plugins.module_utils.http_client import ApiError
from ansible_collections.identity.cloud.plugins.module_utils.resource import InputError, message, recover_create

PENDING_JOB_STATES = ("LINK_SENT", "LINK_OPENED", "REQUEST_DELIVERED")
BATCH_JOB_MAX = 1000  # identities per batch credential binding job (API 1.7.0)
BATCH_WAIT = 30  # seconds to wait for a batch's jobs to leave the queue before reporting them queued


def _timestamp(value):
    """(y, m, d, H, M, S) of an RFC 3339 UTC timestamp, for ordering; None when unreadable."""
    parts = re.match(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)", value or "")
    return tuple(int(p) for p in parts.groups()) if parts else None


def _now_stamp():
    return tuple(datetime.datetime.now(datetime.timezone.utc).timetuple())[:6]


class Credentials:
    """Credentials (passkeys) of identities: list, get and revoke; the API cannot create them."""

    def __init__(self, bi):
        self.bi = bi

    def path(self, identity_id, *parts, **verb):
        return self.bi.realm_path("identities", identity_id, "credentials", *parts, **verb)

    def list(self, identity_id="-"):
        """``-`` lists the credentials of every identity of the realm."""
        return self.bi.list(self.path(identity_id), "credentials")

    def get(self, credential_id, identity_id=None):
        if identity_id:
            return self.bi.api.get_or_none(self.path(identity_id, credential_id))
        return next((c for c in self.list() if c["id"] == credential_id), None)

    def info(self, params):
        identity = find_identity(self.bi, params["identity"]) if params.get("identity") else None
        if params.get("id"):
            found = self.get(params["id"], identity and identity["id"])
            items = [found] if found else []
        else:
            items = self.list(identity["id"] if identity else "-")
        return [c for c in items if not params.get("state") or c.get("state") == params["state"]]

    def revoke(self, module):
        """``state: revoked`` for one credential (``id``) or all of an identity's (``all_credentials``)."""
        params = module.params
        identity = find_identity(self.bi, params["identity"]) if params.get("identity") else None
        if params.get("id"):
            found = self.get(params["id"], identity and identity["id"])
            if found is None:
                where = "of identity %r" % params["identity"] if identity else "in realm %r" % params["realm"]
                raise InputError("id: no credential %r %s" % (params["id"], where))
            targets = [found]
        else:
            targets = self.list(identity["id"])
        active = [c for c in targets if c.get("state") != "REVOKED"]
        if module.check_mode:
            done = dict((c["id"], dict(c, state="REVOKED")) for c in active)
        else:
            def revoke(credential):
                path = self.path(credential["identity_id"], credential["id"], verb="revoke")
                return credential["id"], self.bi.api.post(path, idempotent=True).data

            done = dict(self.bi.run_concurrently(revoke, active))
        final = [done.get(c["id"], c) for c in targets]
        result = {"changed": bool(active), "revoked": sorted(done),
                  "diff": {"before": dict((c["id"], c.get("state")) for c in targets),
                           "after": dict((c["id"], c.get("state")) for c in final)}}
        if params.get("id"):
            result.update(credential=final[0], id=final[0]["id"])
        else:
            result["credentials"] = final
        return result


class BindingJobs:
    """Credential binding jobs of an identity: create (idempotent per delivery method and config), list, get."""

    def __init__(self, bi):
        self.bi = bi

    def path(self, identity_id, *parts):
        return self.bi.realm_path("identities", identity_id, "credential-binding-jobs", *parts)

    def list(self, identity_id="-"):
        return self.bi.list(self.path(identity_id), "credential_binding_jobs")

    def info(self, params):
        identity = find_identity(self.bi, params["identity"]) if params.get("identity") else None
        if params.get("id") and identity:
            found = self.bi.api.get_or_none(self.path(identity["id"], params["id"]))
            items = [found] if found else []
        else:
            items = self.list(identity["id"] if identity else "-")
            items = [j for j in items if not params.get("id") or j["id"] == params["id"]]
        return [j for j in items if not params.get("state") or j.get("state") == params["state"]]

    def authenticator_config_id(self, wanted):
        """``wanted`` checked to exist in the realm, or the realm's only hosted web config."""
        configs = self.bi.list(self.bi.realm_path(AUTHENTICATOR_CONFIGS.collection), "authenticator_configs",
                               AUTHENTICATOR_CONFIGS.page_size)
        if wanted:
            if not any(c["id"] == wanted for c in configs):
                raise InputError("authenticator_config_id: no authenticator config %r in realm %r (ids: %s)" % (
                    wanted, self.bi.realm.get("display_name"), ", ".join(sorted(c["id"] for c in configs))))
            return wanted
        hosted = [c["id"] for c in configs if (c.get("config") or {}).get("type") == "hosted_web"]
        if len(hosted) != 1:
            raise InputError("authenticator_config_id is required: realm %r has %d hosted web authenticator "
                             "configs (ids: %s)" % (self.bi.realm.get("display_name"), len(hosted),
                                                    ", ".join(sorted(c["id"] for c in configs)) or "none"))
        return hosted[0]

    def pending(self, identity_id, method, config_id):
        """The identity's jobs for ``method`` and ``config_id`` that are neither complete nor expired, oldest first."""
        now = _now_stamp()
        found = [j for j in self.list(identity_id)
                 if j.get("state") in PENDING_JOB_STATES and j.get("delivery_method") == method
                 and j.get("authenticator_config_id") == config_id
                 and (_timestamp(j.get("expire_time")) or now) >= now]
        return sorted(found, key=lambda j: j.get("create_time") or "")

    def create(self, identity_id, wanted, known):
        """POST a job. When the answer is lost (the job may exist), an EMAIL job is looked up before sending
        again, so the identity does not get two emails; a RETURN job is sent again, as only its answer has the link."""
        def send():
            return self.bi.api.post(self.path(identity_id), {"job": wanted}).data or {}

        def reread():
            seen = set(j["id"] for j in known)
            new = [j for j in self.pending(identity_id, "EMAIL", wanted["authenticator_config_id"])
                   if j["id"] not in seen]
            return {"credential_binding_job": new[-1]} if new else None

        try:
            return send()
        except ApiError as exc:
            if not exc.ambiguous:
                raise
            if wanted["delivery_method"] == "EMAIL":
                return recover_create(exc, reread, send, "credential binding job")
            return send()

    def ensure(self, module):
        params = module.params
        identity = find_identity(self.bi, params["identity"])
        config_id = self.authenticator_config_id(params.get("authenticator_config_id"))
        method = params["delivery_method"]
        if method == "EMAIL" and not (identity.get("traits") or {}).get("primary_email_address"):
            raise InputError("delivery_method EMAIL: identity %r has no primary email address; set one with "
                             "beyond_identity_identity or use delivery_method RETURN" % params["identity"])
        pending = self.pending(identity["id"], method, config_id)
        wanted = {"delivery_method": method, "authenticator_config_id": config_id}
        if params.get("post_binding_redirect_uri"):
            wanted["post_binding_redirect_uri"] = params["post_binding_redirect_uri"]
        view = ("id", "delivery_method", "authenticator_config_id", "state")
        before = dict((k, pending[-1].get(k)) for k in view) if pending else {}
        if pending and not params.get("force"):
            return {"changed": False, "credential_binding_job": pending[-1], "id": pending[-1]["id"],
                    "diff": {"before": before, "after": before}}
        result = {"changed": True}
        if module.check_mode:
            job = dict(wanted, identity_id=identity["id"])
        else:
            data = self.create(identity["id"], wanted, pending)
            job = data.get("credential_binding_job") or {}
            result["id"] = job.get("id")
            if data.get("credential_binding_link"):
                result["credential_binding_link"] = data["credential_binding_link"]
        result["credential_binding_job"] = job
        result["diff"] = {"before": before, "after": dict((k, job.get(k)) for k in view if k in job)}
        return result


# -- bulk forms of the credential and credential binding job modules (one task for many identities) --


def identities_by_ref(bi, refs, option="identities", missing=None):
    """[(ref, identity)] for identity ids or usernames, from one listing of the realm's identities.

    ``missing``: a list that collects the references no identity has, instead of failing (check mode,
    where an earlier task would create them)."""
    by_id = dict((i["id"], i) for i in bi.identities())
    by_name = dict(((username_of(i) or "").lower(), i) for i in bi.identities())
    pairs, absent, seen = [], [], set()
    for ref in refs:
        found = by_id.get(ref) or by_name.get(ref.lower())
        if found is None:
            absent.append(ref)
        elif found["id"] not in seen:
            seen.add(found["id"])
            pairs.append((ref, found))
    if missing is not None:
        missing.extend(absent)
    elif absent:
        raise InputError("%s: no identity with id or username %s in realm %r" % (
            option, ", ".join(repr(m) for m in absent[:10]), bi.realm.get("display_name")))
    return pairs


def revoke_credentials_bulk(bi, module):
    """``identities``: revoke every credential of many identities, from one listing of the realm's credentials."""
    pairs = identities_by_ref(bi, module.params["identities"])
    wanted = set(identity["id"] for _ref, identity in pairs)
    credentials = Credentials(bi)
    active = [c for c in credentials.list() if c.get("identity_id") in wanted and c.get("state") != "REVOKED"]
    if not module.check_mode:
        def revoke(credential):
            path = credentials.path(credential["identity_id"], credential["id"], verb="revoke")
            credentials.bi.api.post(path, idempotent=True)

        bi.run_concurrently(revoke, active)
    by_owner = {}
    for credential in active:
        by_owner.setdefault(credential["identity_id"], []).append(credential["id"])
    results = [{"item": ref, "changed": identity["id"] in by_owner, "id": identity["id"],
                "revoked": sorted(by_owner.get(identity["id"], []))} for ref, identity in pairs]
    return {"changed": bool(active), "revoked": sorted(c["id"] for c in active), "results": results,
            "diff": {"before": dict((username_of(i), {"active_credentials": len(by_owner[i["id"]])})
                                    for _r, i in pairs if i["id"] in by_owner),
                     "after": dict((username_of(i), {"active_credentials": 0}) for _r, i in pairs if i["id"] in by_owner)}}


class BulkBindingJobs(BindingJobs):
    """Binding jobs for many identities: the realm's jobs are listed once; an identity whose create
    answer was lost is listed again (``create`` looks for the job before sending it twice)."""

    def __init__(self, bi):
        super(BulkBindingJobs, self).__init__(bi)
        self.index = {}

    def list(self, identity_id="-"):
        if identity_id in self.index:
            return self.index[identity_id]
        return super(BulkBindingJobs, self).list(identity_id)

    def ensure_many(self, module):
        params = module.params
        pending_identities = [] if module.check_mode else None  # in check mode, ones an earlier task would create
        pairs = identities_by_ref(self.bi, params["identities"], missing=pending_identities)
        config_id = self.authenticator_config_id(params.get("authenticator_config_id"))
        method = params["delivery_method"]
        if method == "EMAIL":
            no_email = [ref for ref, i in pairs if not (i.get("traits") or {}).get("primary_email_address")]
            if no_email:
                raise InputError("delivery_method EMAIL: identities without a primary email address: %s"
                                 % ", ".join(repr(ref) for ref in no_email[:10]))
        wanted_ids = set(i["id"] for _ref, i in pairs)
        self.index = dict((ident, []) for ident in wanted_ids)
        for job in super(BulkBindingJobs, self).list("-"):
            if job.get("identity_id") in wanted_ids:
                self.index[job["identity_id"]].append(job)
        wanted = {"delivery_method": method, "authenticator_config_id": config_id}
        if params.get("post_binding_redirect_uri"):
            wanted["post_binding_redirect_uri"] = params["post_binding_redirect_uri"]

        def one(pair):
            ref, identity = pair
            pending = self.pending(identity["id"], method, config_id)
            if pending and not params.get("force"):
                return {"item": ref, "changed": False, "id": pending[-1]["id"], "created": False}
            if module.check_mode:
                return {"item": ref, "changed": True, "created": True}
            self.index.pop(identity["id"], None)  # a lost answer makes ``create`` read this identity's jobs again
            data = self.create(identity["id"], wanted, pending)
            out = {"item": ref, "changed": True, "created": True,
                   "id": (data.get("credential_binding_job") or {}).get("id")}
            if data.get("credential_binding_link"):
                out["credential_binding_link"] = data["credential_binding_link"]
            return out

        if method == "EMAIL" and not module.check_mode and batch_calls():
            results, todo = [], []
            for ref, identity in pairs:
                pending = self.pending(identity["id"], method, config_id)
                if pending and not params.get("force"):
                    results.append({"item": ref, "changed": False, "id": pending[-1]["id"], "created": False})
                else:
                    todo.append((ref, identity))
            results += self.start_batches(todo, wanted)
        else:
            results = self.bi.run_concurrently(one, pairs)
        results += [{"item": ref, "changed": True, "created": True, "msg": "check mode: identity %r does not exist yet; "
                     "would start its binding job once it is created" % ref} for ref in pending_identities or []]
        order = dict((ref, number) for number, ref in enumerate(params["identities"]))
        results.sort(key=lambda r: order.get(r["item"], 0))  # in the order of identities
        started = [r["item"] for r in results if r["changed"]]
        out = {"changed": bool(started), "results": results,
               "diff": {"before": dict((ref, {"binding_job_started": False}) for ref in started),
                        "after": dict((ref, {"binding_job_started": True}) for ref in started)}}
        failed = [r for r in results if r.get("failed")]
        if failed:
            out.update(failed=True, failed_items=[r["item"] for r in failed], msg="%d of %d items failed: %s" % (
                len(failed), len(results), "; ".join("%s: %s" % (r["item"], r["msg"]) for r in failed[:5])))
        return out

    def start_batches(self, pairs, wanted):
        """EMAIL jobs for many identities with ``batch-credential-binding-jobs`` (1,000 identities a call); each
        identity's result is read back from the batch: its job, or why the API did not start one. A batch whose
        answer was lost is looked for (the identities' new jobs) before it is sent again, as a create is."""
        path = self.bi.realm_path("batch-credential-binding-jobs")
        template = dict((k, wanted[k]) for k in ("authenticator_config_id", "post_binding_redirect_uri") if k in wanted)
        results = []
        for chunk in chunks(pairs, BATCH_JOB_MAX):
            body = {"batch_credential_binding_job": {"identity_ids": [i["id"] for _r, i in chunk],
                                                     "job_template": template}}

            def send():
                return self.bi.api.post(path, body).data or {}

            try:
                try:
                    batch = send()
                except ApiError as exc:
                    if not exc.ambiguous:
                        raise
                    batch = recover_create(exc, lambda: self.new_jobs(chunk), send, "batch credential binding job")
            except ApiError as exc:
                results += [{"item": ref, "changed": False, "failed": True, "msg": message(exc)} for ref, _i in chunk]
                continue
            if "new_jobs" in batch:  # found by listing: the batch itself is not known
                jobs, errors, queued = batch["new_jobs"], {}, None
            else:
                jobs, errors, queued = self.batch_results(batch)
            for ref, identity in chunk:
                if identity["id"] in jobs:
                    results.append({"item": ref, "changed": True, "created": True, "id": jobs[identity["id"]]})
                elif identity["id"] in errors or queued is None:
                    results.append({"item": ref, "changed": False, "failed": True, "msg": "binding job not started: %s"
                                    % errors.get(identity["id"], "not in the batch whose answer was lost; run again")})
                else:
                    results.append({"item": ref, "changed": True, "created": True, "msg": "binding job queued in batch "
                                    "%s (not started within %d s)" % (queued, BATCH_WAIT)})
        return results

    def batch_results(self, batch):
        """({identity id: job id}, {identity id: error}, batch id) of a batch, once its queue is empty (or
        ``BATCH_WAIT`` has passed)."""
        path = self.bi.realm_path("batch-credential-binding-jobs", batch["id"], verb="listResults")
        deadline = time.time() + BATCH_WAIT
        waited = False
        while True:
            page = self.bi.api.get(path).data or {}
            if not page.get("total_pending_count") or time.time() >= deadline:
                break
            waited = True
            time.sleep(1)
        jobs = list(page.get("job_results") or [])
        while page.get("next_page_token"):  # 200 results a page
            page = self.bi.api.get(path, params={"page_token": page["next_page_token"]}).data or {}
            jobs.extend(page.get("job_results") or [])
        if waited:  # the errors of identities processed after the create answer
            batch = self.bi.api.get(self.bi.realm_path("batch-credential-binding-jobs", batch["id"])).data or batch
        errors = dict((ident, (error or {}).get("last_error") or "failed")
                      for ident, error in ((batch.get("state_commentary") or {}).get("errors") or {}).items())
        return dict((j["identity_id"], j["id"]) for j in jobs if j.get("identity_id")), errors, batch.get("id")

    def new_jobs(self, chunk):
        """{"new_jobs": {identity id: job id}} of the pending jobs of ``chunk``'s identities that were not there before
        this task (a batch whose answer was lost did start them), or None when there are none."""
        known = dict((ident, set(j["id"] for j in jobs)) for ident, jobs in self.index.items())
        wanted = set(i["id"] for _r, i in chunk)
        fresh = dict((job["identity_id"], job["id"]) for job in super(BulkBindingJobs, self).list("-")
                     if job.get("identity_id") in wanted and job["id"] not in known.get(job["identity_id"], ())
                     and job.get("state") in PENDING_JOB_STATES)
        return {"new_jobs": fresh} if fresh else None
