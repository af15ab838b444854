# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the Beyond Identity _info modules of realm objects read, one function per kind.

``<kind>(bi, params)`` returns the objects of ``bi``'s realm as ``beyond_identity_<kind>_info`` returns them,
``params`` being that module's options (an option left out: no filter, nothing added). The single-kind modules
and ``beyond_identity_realm_info``'s ``include_parts`` (``realm_parts``) call the same functions.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import BeyondIdentity, info_reader
from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import applications as apps
from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import directory, providers, roles, sso
from ansible_collections.identity.cloud.plugins.module_utils.http_client import ApiError

BY_NAME = [("display_name", "display_name")]
IDENTITY_FILTERS = [("username", "traits.username"), ("email", "traits.primary_email_address"), ("status", "status")]


def themes(bi, params):
    """The active theme of the realm (``realm``), of every realm (no ``realm``), or the theme ``id``."""
    return apps.ThemeCrud(bi).info(params)


def resource_servers(bi, params):
    crud = apps.ResourceServerCrud(bi, None)
    return info_reader(crud, BY_NAME + [("identifier", "identifier")])(params)


def authenticator_configs(bi, params):
    crud = apps.AuthenticatorConfigCrud(bi)
    return info_reader(crud, [("type", "config.type"), ("invoke_url", "config.invoke_url")])(params)


def applications(bi, params):
    return info_reader(apps.ApplicationCrud(bi, None), BY_NAME)(params)


def identity_providers(bi, params):
    return info_reader(providers.IdentityProviderCrud(bi), BY_NAME)(params)


def groups(bi, params):
    """Groups; ``include_members``: each with ``members`` (the identities), ``include_roles``: with ``roles``."""
    def with_members(group):
        return dict(group, members=bi.list_group_members(group["id"]))

    decorate = with_members if params.get("include_members") else None
    decorate = roles.add_roles(bi, "groups", params.get("include_roles"), decorate)
    return info_reader(directory.GroupCrud(bi), BY_NAME, decorate)(params)


def identities(bi, params):
    """Identities; ``include_groups``: each with ``groups``, ``include_roles``: with ``roles``."""
    def with_groups(identity):
        return dict(identity, groups=bi.list_identity_groups(identity["id"]))

    decorate = with_groups if params.get("include_groups") else None
    decorate = roles.add_roles(bi, "identities", params.get("include_roles"), decorate)
    return info_reader(directory.IdentityCrud(bi), IDENTITY_FILTERS, decorate)(params)


def role_list(bi, params, server=None):
    """Roles of resource server ``resource_server`` (a reference; or ``server``, the object as listed), with
    ``members`` (``include_members``) and ``scopes`` (``include_scopes``), both read per role."""
    crud = roles.RoleCrud(bi, params.get("resource_server"), server=server)
    decorate = None
    if params.get("include_members") or params.get("include_scopes"):
        decorate = crud.decorate(params.get("include_members"), params.get("include_scopes"))
    return info_reader(crud, BY_NAME, decorate)(params)


def sso_configs(bi, params):
    """SSO configurations; ``include_assignments``: each with ``identities`` (directly assigned usernames) and
    ``groups`` (display names of the assigned groups)."""
    crud = sso.SsoConfigCrud(bi)

    def with_assignments(config):
        return dict(config, identities=sorted(crud.identities(config).values()),
                    groups=sorted(crud.groups(config).values()))

    decorate = with_assignments if params.get("include_assignments") else None
    return info_reader(crud, BY_NAME + [("type", "payload.type")], decorate)(params)


# -- beyond_identity_realm_info include_parts ------------------------------------------------------

PARTS = ("theme", "resource_servers", "authenticator_configs", "applications", "groups", "group_members",
         "identity_providers", "roles", "sso_configs", "identities")


def check_parts(parts):
    """The one-line error for a combination of ``include_parts`` that cannot be read, or None."""
    if "group_members" in parts and "groups" not in parts:
        return "include_parts: group_members needs groups too (it adds members to each group of the groups part)"
    return None


def realm_parts(bi, realm, parts):
    """``realm`` with one key per item of ``parts``, read in the order below whatever the order of ``parts``.

    The module calls this realm after realm, after its realms' listing (``GET realms``, ``page_size`` 200; with
    ``id``: ``GET realms/{id}``). One request at a time, except the per-object reads below, which run
    ``bi.concurrency`` objects at a time (each object's requests one after the other: at most ``bi.concurrency``
    requests in flight). Requests, in this order, one listing page after the other (``page_size``: 200, or 100
    where noted), each part only once the previous one is complete:
      theme: GET themes/active;
      resource_servers (also for roles): the resource servers' listing (100);
      authenticator_configs (100), applications (100): their listings;
      groups: the groups' listing; with group_members, then ``groups/{id}:listMembers`` of every group (all its
        pages), ``bi.concurrency`` groups at a time;
      identity_providers (100): the listing;
      roles: for each resource server, in listing order: its roles' listing, then for each role
        ``roles/{id}:listMembers`` (the API's default page size: 20 identities and 20 groups a page) and
        ``roles/{id}:listScopes``, all pages of one role one after the other, ``bi.concurrency`` roles at a time;
      sso_configs: the listing (100), then ``sso-configs/{id}:listIdentityAssociations`` and
        ``:listGroupAssociations`` (all pages of one configuration one after the other), ``bi.concurrency``
        configurations at a time;
      identities: the identities' listing.
    A 404 while reading asks whether the realm is still there (one more realm listing): if it is gone, the error
    is the one the single-kind modules give for a realm that does not exist (``use_realm``)."""
    here = BeyondIdentity(bi.api, bi.tenant_id, bi.concurrency)  # the lists it caches are this realm's
    here.realm = realm
    out = dict(realm)
    try:
        if "theme" in parts:
            out["themes"] = themes(here, {"realm": realm["id"]})
        servers = resource_servers(here, {}) if "resource_servers" in parts or "roles" in parts else []
        if "resource_servers" in parts:
            out["resource_servers"] = servers
        if "authenticator_configs" in parts:
            out["authenticator_configs"] = authenticator_configs(here, {})
        if "applications" in parts:
            out["applications"] = applications(here, {})
        if "groups" in parts:
            out["groups"] = groups(here, {"include_members": "group_members" in parts})
        if "identity_providers" in parts:
            out["identity_providers"] = identity_providers(here, {})
        if "roles" in parts:
            wanted = {"include_members": True, "include_scopes": True}
            out["roles"] = [dict(role, resource_server_id=server["id"], resource_server_display_name=server.get(
                "display_name")) for server in servers for role in role_list(here, wanted, server)]
        if "sso_configs" in parts:
            out["sso_configs"] = sso_configs(here, {"include_assignments": True})
        if "identities" in parts:
            out["identities"] = identities(here, {})
    except ApiError as exc:
        if exc.status == 404:
            here.use_realm(realm["id"])  # raises ParentMissing when the realm is gone
        raise
    return out
