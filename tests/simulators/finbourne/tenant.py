"""FINBOURNE simulator: password policies, support access, SCIM."""

import datetime
import secrets

from tests.simulators.core import Reply
from tests.simulators.finbourne.common import (
    SERVER_URL, MOUNT, ISSUER, SUPPORT_ROLES, now, stamp, parse_time, duration_seconds, fail, time_arg,
    require_body)


class Tenant:
    """Route handlers of a ``FinbourneSimulator`` (mixed into it)."""

    # -- authentication: password policy, support access --------------------------------------

    def _policy_type(self, req):
        user_type = req.params["userType"].lower()
        if user_type not in self.store["password_policies"]:
            fail(404, 151, "No password policy for user type %s (personal or service)" % req.params["userType"])
        return user_type

    def get_password_policy(self, req):
        return self.store["password_policies"][self._policy_type(req)]

    def update_password_policy(self, req):
        user_type = self._policy_type(req)
        self.store["password_policies"][user_type] = {"conditions": require_body(req)["conditions"]}
        return self.store["password_policies"][user_type]

    def _obfuscated(self, req):
        return "UserId-%05d" % (int.from_bytes(req.client_id.encode("utf-8"), "big") % 100000)

    def active_support_access(self):
        moment = now()
        return [g for g in self.store["support_access"] if not g["terminated"] and parse_time(g["expiry"]) > moment]

    def grant_support_access(self, req):
        body = req.json
        known = {r["internalIdentifier"] for r in SUPPORT_ROLES}
        unknown = [r for r in body.get("permittedRoles") or [] if r not in known]
        if unknown:
            fail(404, 660, "Unknown support role(s): %s (see GetSupportRoles)" % ", ".join(unknown))
        try:
            seconds = duration_seconds(body["duration"])
        except ValueError:
            fail(400, 151, "duration is not an ISO-8601 duration", {"duration": ["not an ISO-8601 duration"]})
        created = now()
        # a duration past the year 9999 ends there
        latest = datetime.datetime(9999, 12, 30, tzinfo=datetime.timezone.utc)
        expiry = created + datetime.timedelta(seconds=min(seconds, (latest - created).total_seconds()))
        grant = {"id": secrets.token_hex(16), "duration": body["duration"], "description": body.get("description"), "createdAt": stamp(created),
                 "expiry": stamp(expiry), "createdBy": self._obfuscated(req), "terminated": False,
                 "permittedRoles": list(body.get("permittedRoles") or [r["internalIdentifier"] for r in SUPPORT_ROLES])}
        self.store["support_access"].append(grant)
        return Reply(201, grant)

    def invalidate_support_access(self, req):
        ended = []
        for grant in self.active_support_access():
            grant.update(terminated=True, terminatedAt=stamp(now()), terminatedBy=self._obfuscated(req))
            ended.append(grant)
        return ended

    def support_access_history(self, req):
        start, end = req.arg("start"), req.arg("end")
        grants = self.store["support_access"]
        if start:
            grants = [g for g in grants if parse_time(g["expiry"]) >= time_arg(start, "start")]
        if end:
            grants = [g for g in grants if parse_time(g["expiry"]) <= time_arg(end, "end")]
        return grants

    def support_roles(self, req):
        return {"supportRoles": SUPPORT_ROLES}

    def authentication_information(self, req):
        info = {"issuerUrl": ISSUER, "fallbackIssuerUrls": [], "samlIdentityProviderId": "0oasimsaml000000001",
                "supportAccessExpiryWithRole": []}
        active = self.active_support_access()
        if active:
            info["support"] = {"expiry": max(active, key=lambda g: g["expiry"])["expiry"]}
            latest = {}
            for grant in active:
                for role in grant["permittedRoles"]:
                    latest[role] = max(latest.get(role, ""), grant["expiry"])
            info["supportAccessExpiryWithRole"] = [{"expiry": e, "permittedRole": r} for r, e in sorted(latest.items())]
        return info

    # -- SCIM ----------------------------------------------------------------------------------

    def add_scim(self, req):
        action = (req.arg("apiTokenAction") or "ensure").lower()
        if action not in ("ensure", "regenerate"):
            fail(400, 151, "apiTokenAction must be ensure or regenerate", {"apiTokenAction": ["ensure or regenerate"]})
        scim = self.store["scim"]
        answer = {"baseUrl": (self.url if self.server else SERVER_URL.rsplit(MOUNT, 1)[0]) + "/scim/v2",
                  "apiToken": None}
        if scim["token"] is None or action == "regenerate":
            if scim["token"] is not None:
                until = req.arg("oldApiTokenDeactivation")
                if until:
                    until = stamp(time_arg(until, "oldApiTokenDeactivation"))
                scim["retired"].append({"token": scim["token"], "deactivation": until or stamp(now())})
            scim["token"] = "scim-" + secrets.token_urlsafe(24)
            answer["apiToken"] = scim["token"]
        return answer

    def remove_scim(self, req):
        scim = self.store["scim"]
        if scim["token"] is not None:
            scim["retired"].append({"token": scim["token"], "deactivation": stamp(now())})
            scim["token"] = None
        return Reply(204)
