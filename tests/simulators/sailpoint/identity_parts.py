"""Issue 25, first half: transforms, identity profiles, lifecycle states and governance groups.

A mixin of ``SailPointSimulator`` (registered by ``register_identity_parts``, seeded by
``seed_identity_parts``). Stores: ``transforms``, ``identity-profiles``, ``lifecycle-states`` (profile
id -> {state id: state}), ``workgroups`` and ``workgroup-members`` (workgroup id -> {identity id: member}).
"""

import copy

from tests.simulators.core import HttpError
from tests.simulators.sailpoint.common import ADMIN_ID, WORKGROUPS


class IdentityParts:
    """Transforms, identity profiles, lifecycle states, governance groups."""

    def seed_identity_parts(self):
        for name in ("transforms", "identity-profiles", "lifecycle-states"):
            self.collection(name)
        members = self.collection("workgroup-members")
        for ident, _name in WORKGROUPS:
            members[ident] = {ADMIN_ID: self._member_ref(ADMIN_ID)}

    def register_identity_parts(self):
        api = self.api
        api("GET", "/workgroups", lambda req: self.page(req, "/workgroups", self.collection("workgroups").values()))
        api("GET", "/workgroups/{id}", lambda req: copy.deepcopy(self._workgroup(req.params["id"])))

    # -- governance groups ------------------------------------------------------------------------

    def _workgroup(self, workgroup_id):
        found = self.collection("workgroups").get(workgroup_id)
        if found is None:
            raise HttpError(404, "The workgroup %s was not found." % workgroup_id)
        return found

    def _member_ref(self, identity_id):
        identity = self.collection("identities")[identity_id]
        return {"type": "IDENTITY", "id": identity["id"], "name": identity["name"],
                "email": identity.get("emailAddress")}
