# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Beyond Identity tenant, groups and identities, and the memberships between groups and identities."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import (
    GROUPS,
    IDENTITIES,
    BeyondIdentityCrud,
    Endpoint,
    MembershipBatch,
)
from ansible_collections.identity.cloud.plugins.module_utils.http_client import ApiError
from ansible_collections.identity.cloud.plugins.module_utils.resource import InputError, Membership, message

BATCH_DELETE_MAX = 1000  # identities:batchDelete takes 1 to 1000 ids (API 1.7.0)


def batch_calls():
    """Whether the bulk forms use the API's batch calls (``identities:batchDelete``,
    ``batch-credential-binding-jobs``). Only the benchmark turns them off, with
    ``IDENTITY_CLOUD_BEYOND_IDENTITY_NO_BATCH=1``, to measure one call per person."""
    return not os.environ.get("IDENTITY_CLOUD_BEYOND_IDENTITY_NO_BATCH")


def chunks(items, size):
    return [items[start:start + size] for start in range(0, len(items), size)]


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
        self.batch_deleted = {}  # identity id -> None, or why identities:batchDelete did not delete it (bulk)

    def list_all(self):
        return self.bi.identities()

    def reread(self, params):
        self.bi.forget("identities")
        return self.find(params)

    def check_input(self, params, current):
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
        if current["id"] in self.batch_deleted:  # deleted (or refused) by identities:batchDelete already
            if self.batch_deleted[current["id"]]:
                raise InputError("not deleted: %s" % self.batch_deleted[current["id"]])
            return
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
        delete the identities that are to be deleted with ``identities:batchDelete`` (1,000 a call), or,
        with the batch calls off, take them out of their groups first, in calls per group."""
        self.bi.deferred = MembershipBatch()
        keep, leave = [], []
        for item in items:
            current = index.get(self.normalize(item.get("username")))
            if current is not None and item.get("state") == "absent":
                leave.append(current)
            elif current is not None and item.get("groups") is not None:
                keep.append(current)
        batch = batch_calls()
        readers = len(keep) + (0 if batch else len(leave))  # batchDelete needs no leaver's groups
        if readers and len(self.bi.groups()) <= readers:
            self.bi.prefetch_memberships()
        if leave and not self.bi.api.check_mode:
            if batch:
                self.batch_delete(leave)
            else:
                self.leave_groups(leave)

    def batch_delete(self, identities):
        """Delete ``identities`` with ``identities:batchDelete``, which takes them out of their groups itself
        (API 1.7.0: no 409 for identities in groups). A call is all or nothing: when one fails (an identity
        deleted meanwhile, a lost answer), the realm's identities are read again and those still there are
        deleted one by one, so that every item gets its own result."""
        path = self.bi.realm_path("identities", verb="batchDelete")
        for chunk in chunks([i["id"] for i in identities], BATCH_DELETE_MAX):
            try:
                self.bi.api.post(path, {"ids": chunk})
                self.batch_deleted.update((ident, None) for ident in chunk)
                continue
            except ApiError as exc:
                if not (exc.ambiguous or exc.status == 404):
                    self.batch_deleted.update((ident, message(exc)) for ident in chunk)
                    continue
            self.bi.forget("identities")
            remaining = set(i["id"] for i in self.bi.identities())
            for ident in chunk:
                if ident not in remaining:
                    self.batch_deleted[ident] = None

            def one(ident):
                try:
                    groups = self.bi.identity_groups(ident)
                    self.bi.run_concurrently(lambda gid: self.bi.change_members(gid, [ident], add=False), groups)
                    self.bi.api.delete("%s/%s" % (self.collection_path(), ident))
                    return ident, None
                except ApiError as exc:
                    return ident, None if exc.status == 404 else message(exc)

            self.batch_deleted.update(self.bi.run_concurrently(one, [i for i in chunk if i in remaining]))

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
