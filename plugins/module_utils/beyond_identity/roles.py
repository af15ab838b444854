# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Beyond Identity roles of a resource server (API 1.7.0), their members and scopes.

API facts: roles live below their resource server
(``.../resource-servers/{rs}/roles``, wrapper ``role``); members are identities and groups
(``:addMembers`` / ``:deleteMembers`` take ``identity_ids`` and ``group_ids``, 1..1000 each;
``:listMembers`` answers both lists on one page token); scopes are strings of the resource
server (``:addScopes`` / ``:deleteScopes`` take 1..1000, ``:listScopes`` pages them). Groups'
and identities' roles: ``groups/{id}:listRoles`` and ``identities/{id}:listRoles``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import (
    MAX_MEMBER_IDS,
    RESOURCE_SERVERS,
    BeyondIdentityCrud,
    Endpoint,
    username_of,
)
from ansible_collections.identity.cloud.plugins.module_utils.resource import (
    InputError,
    Membership,
    MissingReferences,
    ParentMissing,
    shorten,
)

ROLES = Endpoint("roles", "role")
KINDS = ("identity", "group")


def batches(ids):
    ids = sorted(ids)
    return [ids[i:i + MAX_MEMBER_IDS] for i in range(0, len(ids), MAX_MEMBER_IDS)]


def resource_servers(bi):
    return bi.cached("resource-servers", lambda: bi.list(bi.realm_path(RESOURCE_SERVERS.collection),
                                                         RESOURCE_SERVERS.items_key, RESOURCE_SERVERS.page_size))


def find_resource_server(bi, ref, option="resource_server"):
    """The realm's resource server with id or display name ``ref`` (ParentMissing when none)."""
    servers = resource_servers(bi)
    found = [s for s in servers if s["id"] == ref] or [s for s in servers if s.get("display_name") == ref]
    if not found:
        raise ParentMissing("%s: no resource server with id or display name %s in realm %r" % (
            option, shorten(ref), bi.realm.get("display_name")), "resource server %s" % shorten(ref))
    if len(found) > 1:
        raise InputError("%s: %d resource servers have the display name %r; give the id, one of %s" % (
            option, len(found), ref, ", ".join(sorted(s["id"] for s in found))))
    return found[0]


class RoleCrud(BeyondIdentityCrud):
    """Roles of the resource server named by the ``resource_server`` option (or ``server``, the object as listed)."""

    def __init__(self, bi, server_ref, server=None):
        super(RoleCrud, self).__init__(bi, ROLES)
        self.server_ref = server_ref
        self._server = server
        self.client = self  # the engine hands its relations ``crud.client``: theirs is this object

    @property
    def server(self):
        if self._server is None:
            self._server = find_resource_server(self.bi, self.server_ref)
        return self._server

    def collection_path(self):
        return self.bi.realm_path(RESOURCE_SERVERS.collection, self.server["id"], ROLES.collection)

    def verb_path(self, role, verb):
        return self.bi.realm_path(RESOURCE_SERVERS.collection, role["resource_server_id"], ROLES.collection,
                                  role["id"], verb=verb)

    def delete(self, current, params):
        """The API refuses to delete a role that has members or scopes (409): they are removed first."""
        members, scopes = self.members(current), self.scopes(current)
        if members:
            self.change_members(current, members, False)
        if scopes:
            self.change_scopes(current, scopes, False)
        super(RoleCrud, self).delete(current, params)

    # members: keys "identity/<id>" and "group/<id>", labels "identity:<username>" and "group:<display name>"

    def resolve_members(self, refs, option="members"):
        identities, groups = self.bi.identities(), self.bi.groups()
        lookups = {
            "identity": lambda r: [i for i in identities if i["id"] == r]
            or [i for i in identities if (username_of(i) or "").lower() == r.lower()],
            "group": lambda r: [g for g in groups if g["id"] == r] or [g for g in groups if g.get("display_name") == r],
        }
        labels = {"identity": username_of, "group": lambda g: g.get("display_name")}
        found, missing = {}, []
        for ref in refs:
            kind, _sep, name = ref.partition(":")
            kinds = [kind] if kind in KINDS and name else list(KINDS)
            name = name if kind in KINDS and name else ref
            matches = [(k, obj) for k in kinds for obj in lookups[k](name)]
            if not matches:
                missing.append(ref)
            elif len(matches) > 1:
                raise InputError("%s: %r names %s; write identity:%s or group:%s (or give the id)" % (
                    option, ref, " and ".join(sorted("%s %s" % (k, o["id"]) for k, o in matches)), name, name))
            else:
                kind, obj = matches[0]
                found["%s/%s" % (kind, obj["id"])] = "%s:%s" % (kind, labels[kind](obj))
        if missing:
            raise MissingReferences("%s: no identity (id or username) or group (id or display name) %s in realm %r" % (
                option, ", ".join(shorten(m) for m in missing[:10]), self.bi.realm.get("display_name")), found, missing)
        return found

    def members(self, role):
        out, params = {}, {}
        path = self.verb_path(role, "listMembers")
        while True:
            page = self.bi.api.get(path, params=params).data or {}
            for identity in page.get("identities") or []:
                out["identity/" + identity["id"]] = "identity:%s" % username_of(identity)
            for group in page.get("groups") or []:
                out["group/" + group["id"]] = "group:%s" % group.get("display_name")
            if not page.get("next_page_token"):
                return out
            params["page_token"] = page["next_page_token"]

    def change_members(self, role, keys, add):
        by_kind = dict((kind, [k.split("/", 1)[1] for k in keys if k.startswith(kind + "/")]) for kind in KINDS)
        path = self.verb_path(role, "addMembers" if add else "deleteMembers")
        split = dict((kind, batches(by_kind[kind])) for kind in KINDS)
        # one call takes up to 1,000 identities and 1,000 groups
        calls = [dict((kind + "_ids", split[kind][n]) for kind in KINDS if n < len(split[kind]))
                 for n in range(max(len(b) for b in split.values()))]
        self.bi.run_concurrently(lambda body: self.bi.api.post(path, body, idempotent=True), calls)

    # scopes: strings of the resource server

    def resolve_scopes(self, refs):
        try:
            server = self.server
        except ParentMissing as exc:  # in check mode, a resource server an earlier task would create
            raise MissingReferences("scopes: %s" % exc, {}, refs)
        offered = set(server.get("scopes") or [])
        unknown = sorted(set(refs) - offered)
        if unknown:
            raise InputError("scopes: %s not among the scopes of resource server %r (%s)" % (
                ", ".join(unknown), server.get("display_name"), ", ".join(sorted(offered)) or "none"))
        return dict((s, s) for s in refs)

    def scopes(self, role):
        return dict((s, s) for s in self.bi.list(self.verb_path(role, "listScopes"), "scopes"))

    def change_scopes(self, role, scopes, add):
        path = self.verb_path(role, "addScopes" if add else "deleteScopes")
        self.bi.run_concurrently(lambda batch: self.bi.api.post(path, {"scopes": batch}, idempotent=True),
                                 batches(scopes))

    def decorate(self, include_members, include_scopes):
        """``decorate(role)`` for the info reader: ``members`` and ``scopes`` lists (labels) when asked."""
        def decorate(role):
            role = dict(role)
            if include_members:
                role["members"] = sorted(self.members(role).values())
            if include_scopes:
                role["scopes"] = sorted(self.scopes(role))
            return role
        return decorate


def role_relations():
    """``members`` (identities and groups) and ``scopes`` of a role."""
    return [
        Membership("members", resolve=lambda crud, refs: crud.resolve_members(refs),
                   current=lambda crud, role: crud.members(role),
                   add=lambda crud, role, keys: crud.change_members(role, keys, True),
                   remove=lambda crud, role, keys: crud.change_members(role, keys, False)),
        Membership("scopes", resolve=lambda crud, refs: crud.resolve_scopes(refs),
                   current=lambda crud, role: crud.scopes(role),
                   add=lambda crud, role, scopes: crud.change_scopes(role, scopes, True),
                   remove=lambda crud, role, scopes: crud.change_scopes(role, scopes, False)),
    ]


def principal_roles(bi, kind, ident):
    """The roles of a group or identity (``kind``: ``groups`` / ``identities``): ListGroupRoles / ListIdentityRoles
    take one resource server at a time, so every resource server of the realm is asked."""
    servers = resource_servers(bi)
    path = bi.realm_path(kind, ident, verb="listRoles")
    return [role for server in servers for role in bi.api.paginate_token(
        path, "roles", params={"resource_server_id": server["id"]}, page_size=200)]


def add_roles(bi, kind, include, decorate=None):
    """``decorate`` (an info reader's, or None) that also adds a ``roles`` list when ``include`` is true."""
    if not include:
        return decorate

    def with_roles(obj):
        obj = decorate(obj) if decorate else obj
        return dict(obj, roles=principal_roles(bi, kind, obj["id"]))
    return with_roles


INCLUDE_ROLES = {"include_roles": {"type": "bool", "default": False}}
