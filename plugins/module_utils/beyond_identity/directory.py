# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Beyond Identity tenant, groups and identities, and the memberships between groups and identities."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import (
    GROUPS,
    IDENTITIES,
    BeyondIdentityCrud,
    Endpoint,
    MembershipBatch,
)
from ansible_collections.identity.cloud.plugins.module_utils.http_client import ApiError
from ansible_collections.identity.cloud.plugins.module_utils.resource import InputError, Membership


def group_members_relation():
    """``members`` of a group: identity ids or usernames."""
    return Membership(
        "members",
        resolve=lambda bi, refs: bi.resolve_identities(refs, "members"),
        current=lambda bi, group: bi.group_members(group["id"]),
        add=lambda bi, group, ids: bi.change_members(group["id"], ids, add=True),
        remove=lambda bi, group, ids: bi.change_members(group["id"], ids, add=False),
    )


def identity_groups_relation():
    """``groups`` of an identity: group ids or display names."""
    return Membership(
        "groups",
        resolve=lambda bi, refs: bi.resolve_groups(refs, "groups"),
        current=lambda bi, identity: bi.identity_groups(identity["id"]),
        add=lambda bi, identity, ids: bi.change_identity_groups(identity, ids, add=True),
        remove=lambda bi, identity, ids: bi.change_identity_groups(identity, ids, add=False),
    )


class TenantCrud(BeyondIdentityCrud):
    """The tenant itself: always there, GET and PATCH only."""

    def __init__(self, bi):
        super(TenantCrud, self).__init__(bi, Endpoint("", "tenant", realm_scoped=False))

    def item_path(self, ident=None):
        return self.bi.path()

    def find(self, params):
        return self.bi.api.get(self.bi.path()).data

    def validate(self, params, current):
        pass


class GroupCrud(BeyondIdentityCrud):
    """Groups. The API refuses to delete a group with members, so members are removed first."""

    def __init__(self, bi):
        super(GroupCrud, self).__init__(bi, GROUPS)

    def validate(self, params, current):
        super(GroupCrud, self).validate(params, current)
        if params.get("description") == "":  # the document's CreateGroup/UpdateGroup 400 example: "empty string"
            raise InputError("description must not be empty; leave it out to keep the group's description")

    def delete(self, current, params):
        members = self.bi.group_members(current["id"])
        if members:
            self.bi.change_members(current["id"], members, add=False)
        super(GroupCrud, self).delete(current, params)


class IdentityCrud(BeyondIdentityCrud):
    """Identities: traits need their ``type``; an identity is taken out of its groups before delete."""

    def __init__(self, bi):
        super(IdentityCrud, self).__init__(bi, IDENTITIES)
        self.left_groups = {}  # identity id -> None, or why taking it out of its groups failed (bulk)

    def list_all(self):
        return self.bi.identities()

    def reread(self, params):
        self.bi.forget("identities")
        return self.find(params)

    def validate(self, params, current):
        super(IdentityCrud, self).validate(params, current)
        if current is None and not params.get("display_name"):
            raise InputError("display_name is required to create identity %r" % params.get("username"))

    def body(self, fields):
        if "traits" in fields:
            fields["traits"]["type"] = "traits_v0"
        return fields

    def create(self, desired, params):
        try:
            return super(IdentityCrud, self).create(desired, params)
        except ApiError as exc:
            if exc.ambiguous:  # the engine re-reads before sending again: it must not see the cached list
                self.bi.forget("identities")
            raise

    def delete(self, current, params):
        if current["id"] in self.left_groups:
            if self.left_groups[current["id"]]:
                raise InputError("not deleted: taking it out of its groups failed: %s" % self.left_groups[current["id"]])
        else:
            groups = self.bi.identity_groups(current["id"])
            self.bi.run_concurrently(lambda gid: self.bi.change_members(gid, [current["id"]], add=False), groups)
        super(IdentityCrud, self).delete(current, params)

    # bulk hooks (Engine.run_bulk)

    def prepare_bulk(self, items, index):
        """Batch membership writes per group; read memberships group-wise when that is fewer reads;
        take the identities that are to be deleted out of their groups first, in calls per group."""
        self.bi.deferred = MembershipBatch()
        keep, leave = [], []
        for item in items:
            current = index.get(self.normalize(item.get("username")))
            if current is not None and item.get("state") == "absent":
                leave.append(current)
            elif current is not None and item.get("groups") is not None:
                keep.append(current)
        if (keep or leave) and len(self.bi.groups()) <= len(keep) + len(leave):
            self.bi.prefetch_memberships()
        if leave and not self.bi.api.check_mode:
            self.leave_groups(leave)

    def leave_groups(self, identities):
        """Remove ``identities`` from every group they are in, batched per group (before their deletion)."""
        batch = MembershipBatch()
        found = self.bi.run_concurrently(lambda ident: (ident["id"], self.bi.identity_groups(ident["id"])), identities)
        for identity_id, groups in found:
            for group_id in groups:
                batch.queue(group_id, False, identity_id, identity_id)
        failed = batch.flush(self.bi)
        self.left_groups.update((identity_id, failed.get(identity_id)) for identity_id, _groups in found)

    def finish_bulk(self, results):
        batch, self.bi.deferred = self.bi.deferred, None
        failed = batch.flush(self.bi) if batch else {}
        for result in results:
            if result.get("item") in failed and not result.get("failed"):
                result.update(failed=True, msg="group membership change failed: %s" % failed[result["item"]])
