# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Governance groups (``/workgroups``, issue 25): the group, its members (bulk-add / bulk-delete) and connections.

A bulk run (``governance_groups``) deletes its absent items with one ``/workgroups/bulk-delete`` call at the end;
the answer's per-group status (a group still in use is refused) fails that item alone.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.identity.cloud.plugins.module_utils.http_client import ApiError
from ansible_collections.identity.cloud.plugins.module_utils.resource import Membership, MissingReferences
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import Collection
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint.identity_profiles import resolve_identities

BATCH = 100  # members per bulk-add / bulk-delete call, groups per bulk-delete call
MEMBER_PAGE = 50  # the largest limit the members and connections listings take
# per-item statuses of a done change: 409 on bulk-add is an identity already a member, 404 on bulk-delete one
# that is not a member (the document's codes)
DONE = {"bulk-add": (200, 201, 204, 409), "bulk-delete": (200, 204, 404)}
CHANGED = {"bulk-add": (200, 201, 204), "bulk-delete": (200, 204)}  # the statuses of a member added / removed now


def member_list(api, group_id):
    return list(api.client.paginate_offset(api.path("workgroups", group_id, "members"), params={}, limit=MEMBER_PAGE))


def members_of(api, group_id):
    """{id: name} of the group's members (one paged listing)."""
    return dict((m["id"], m.get("name") or m["id"]) for m in member_list(api, group_id)
                if isinstance(m, dict) and m.get("id"))


def connections_of(api, group_id):
    return list(api.client.paginate_offset(api.path("workgroups", group_id, "connections"), params={}, limit=MEMBER_PAGE))


def _send_members(api, group, ids, sub):
    path = api.path("workgroups", group["id"], "members", sub)
    for start in range(0, len(ids), BATCH):
        answer = api.client.post(path, [{"type": "IDENTITY", "id": i} for i in ids[start:start + BATCH]],
                                 idempotent=True).data
        refused = [item for item in answer or [] if isinstance(item, dict) and item.get("status") not in DONE[sub]]
        done = [item for item in answer or [] if isinstance(item, dict) and item.get("status") in CHANGED[sub]]
        if isinstance(group.get("memberCount"), int):  # the group the task returns counts its members as they are now
            group["memberCount"] += len(done) if sub == "bulk-add" else -len(done)
        if refused:
            raise ApiError("POST", path, message="members %s refused: %s" % (sub, ", ".join(
                "%s (%s%s)" % (item.get("id"), item.get("status"), ": " + item["description"] if item.get("description")
                               else "") for item in refused)))


def members_relation(api):
    cache = {}  # identity references resolved once per run (the items of a bulk run share them)

    def resolve(client, refs):
        return resolve_identities(api, refs, "members", cache)

    relation = Membership(
        "members",
        resolve=resolve,
        current=lambda client, obj: members_of(api, obj["id"]),
        add=lambda client, obj, ids: _send_members(api, obj, ids, "bulk-add"),
        remove=lambda client, obj, ids: _send_members(api, obj, ids, "bulk-delete"))
    relation.resolve_members = resolve  # Workgroups.check_input resolves a bulk run's members first
    return relation


class CachedReference:
    """A ``Reference`` resolved once per value and run: the items of a bulk run mostly share their owner, which is
    resolved before the first write (``Workgroups.check_input``) and again as each item converges."""

    def __init__(self, ref):
        self.ref = ref
        self.cache = {}

    def __getattr__(self, name):
        return getattr(self.ref, name)

    def resolve(self, api, value):
        key = json.dumps(value, sort_keys=True)
        if key not in self.cache:
            self.cache[key] = self.ref.resolve(api, value)
        return dict(self.cache[key])


class Workgroups(Collection):
    """``/workgroups`` patched (name, description, owner); a bulk run deletes with one bulk-delete call."""

    def __init__(self, api, spec, **kwargs):
        Collection.__init__(self, api, "workgroups", spec, **kwargs)
        self.references = [CachedReference(ref) for ref in self.references]
        self.deletions = None  # bulk runs: group id -> name, deleted in finish_bulk

    def delete(self, current, params):
        if self.deletions is not None:
            self.deletions[current["id"]] = current.get("name")
            return
        self.client.delete(self.item_path(current["id"]))

    def prepare_bulk(self, items, index):
        self.deletions = {}

    def check_input(self, params, current):
        """Bulk runs: every item's owner and members resolved before the first write of the task (``run_bulk``
        names the item), not when the item converges. Members naming no identity fail outside check mode only (a
        dry run counts them as members to add, as the single form does)."""
        Collection.check_input(self, params, current)
        if self.deletions is None or params.get("state") == "absent":
            return
        if params.get("owner") is not None:
            self.owner_reference().resolve(self.api, params["owner"])
        if params.get("members"):
            try:
                self.spec.relations[0].resolve_members(self.client, params["members"])
            except MissingReferences:
                if not self.client.check_mode:
                    raise

    def owner_reference(self):
        return [ref for ref in self.references if ref.option == "owner"][0]

    def finish_bulk(self, results):
        if not self.deletions:
            return
        path = self.api.path("workgroups", "bulk-delete")
        ids, failed = sorted(self.deletions), {}
        for start in range(0, len(ids), BATCH):
            chunk = ids[start:start + BATCH]
            try:
                answer = self.client.post(path, {"ids": chunk}, idempotent=True).data
            except Exception as exc:  # pylint: disable=broad-except
                failed.update((self.deletions[ident], str(exc)) for ident in chunk)
                continue
            status = dict((item.get("id"), item.get("status")) for item in answer or [] if isinstance(item, dict))
            failed.update((self.deletions[ident], "the API refused to delete it (status %s%s)" % (
                status.get(ident), ": it is in use, remove its connections first" if status.get(ident) == 409 else ""))
                for ident in chunk if status.get(ident) not in (200, 204, 404))
        for entry in results:
            if entry.get("deleted") and entry.get("item") in failed:
                entry.pop("deleted")
                entry.update(failed=True, changed=False, msg=failed[entry["item"]])
