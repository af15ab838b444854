# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Beyond Identity themes, applications, authenticator configs and resource servers."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import (
    APPLICATIONS,
    AUTHENTICATOR_CONFIGS,
    RESOURCE_SERVERS,
    BeyondIdentityCrud,
    Endpoint,
)
from ansible_collections.identity.cloud.plugins.module_utils.resource import InputError, shorten


THEMES = Endpoint("themes", "theme")
RESERVED_IDENTIFIER = "beyondidentity"  # the Management API's audience; no other resource server may use it


class ThemeCrud(BeyondIdentityCrud):
    """The realm's one theme. GetActiveTheme answers a default when the realm has none; the active
    theme is the realm's own when GetTheme finds it by id, else CreateTheme makes one. No delete."""

    def __init__(self, bi):
        super(ThemeCrud, self).__init__(bi, THEMES)

    def active(self):
        return self.bi.api.get(self.bi.realm_path("themes", "active")).data

    def find(self, params):
        active = self.active()
        return self.get(active["id"]) if active and active.get("id") else None

    def validate(self, params, current):
        for option in ("support_url", "logo_url_light", "logo_url_dark"):
            value = params.get(option)
            if value is not None and not re.match(r"https?://[^/\s]+", value):
                raise InputError("%s must be an http(s) URL, got %r" % (option, value))

    def info(self, params):
        if params.get("id"):
            found = self.get(params["id"])
            return [found] if found else []
        if params.get("realm"):
            return [self.active()]
        realms = self.bi.list(self.bi.path("realms"), "realms")

        def active_of(realm):
            return self.bi.api.get(self.bi.path("realms", realm["id"], "themes", "active")).data

        return self.bi.run_concurrently(active_of, realms)


class ManagedCrud(BeyondIdentityCrud):
    """Applications and resource servers: those Beyond Identity manages (``is_managed``) are read-only."""

    def __init__(self, bi, endpoint, spec):
        super(ManagedCrud, self).__init__(bi, endpoint)
        self.spec = spec

    def refuse_managed(self, current, doing):
        if current and current.get("is_managed"):
            raise InputError("%s %r (id %s) is managed by Beyond Identity and read-only: cannot %s it" % (
                self.endpoint.wrapper.replace("_", " "), current.get("display_name"), current["id"], doing))

    def validate(self, params, current):
        super(ManagedCrud, self).validate(params, current)
        if current is not None and self.spec.changes(params, current):
            self.refuse_managed(current, "change")

    def delete(self, current, params):
        self.refuse_managed(current, "delete")
        super(ManagedCrud, self).delete(current, params)


class ResourceServerCrud(ManagedCrud):
    def __init__(self, bi, spec):
        super(ResourceServerCrud, self).__init__(bi, RESOURCE_SERVERS, spec)

    def validate(self, params, current):
        wanted = params.get("identifier")
        if wanted == RESERVED_IDENTIFIER and (current or {}).get("identifier") != RESERVED_IDENTIFIER:
            raise InputError("identifier %r is reserved for the Beyond Identity Management API" % RESERVED_IDENTIFIER)
        if wanted is not None and wanted != (current or {}).get("identifier"):
            taken = [s for s in self.list_all() if s.get("identifier") == wanted and s["id"] != (current or {}).get("id")]
            if taken:
                raise InputError("identifier %s is already used by resource server %r (id %s) in realm %r; it must be "
                                 "unique per realm" % (shorten(wanted), taken[0].get("display_name"), taken[0]["id"],
                                                       self.bi.realm.get("display_name")))
        super(ResourceServerCrud, self).validate(params, current)


class ApplicationCrud(ManagedCrud):
    """Applications: ``resource_server`` by id or display name; scopes checked against the resource server."""

    def __init__(self, bi, spec):
        super(ApplicationCrud, self).__init__(bi, APPLICATIONS, spec)

    def validate(self, params, current):
        servers = None
        pending = False
        if params.get("resource_server"):
            servers = ResourceServerCrud(self.bi, None).list_all()
            ref = params["resource_server"]
            found = [s for s in servers if s["id"] == ref] or [s for s in servers if s.get("display_name") == ref]
            # check mode: a resource server an earlier task would create (nothing is sent, its scopes are unknown)
            pending = not found and self.bi.api.check_mode
            if len(found) != 1 and not pending:
                raise InputError("resource_server: %s resource server with id or display name %r in realm %r" % (
                    "no" if not found else "more than one", ref, self.bi.realm.get("display_name")))
            params["resource_server"] = found[0]["id"] if found else ref
        config_id = params.get("authenticator_config_id")
        if config_id and (current or {}).get("authenticator_config_id") != config_id and not self.bi.api.get_or_none(
                self.bi.realm_path(AUTHENTICATOR_CONFIGS.collection, config_id)):
            raise InputError("authenticator_config_id: no authenticator config %r in realm %r" % (
                config_id, self.bi.realm.get("display_name")))
        protocol = params.get("protocol_config") or {}
        scopes = protocol.get("allowed_scopes")
        if scopes and not pending:
            server_id = params.get("resource_server") or (current or {}).get("resource_server_id")
            if not server_id:
                raise InputError("protocol_config.allowed_scopes needs a resource_server: an application without "
                                 "one can only authenticate, so its allowed scopes must be empty")
            server = next((s for s in servers or [] if s["id"] == server_id), None) or self.bi.api.get(
                self.bi.realm_path(RESOURCE_SERVERS.collection, server_id)).data
            unknown = sorted(set(scopes) - set(server.get("scopes") or []))
            if unknown:
                raise InputError("protocol_config.allowed_scopes: %s not among the scopes of resource server %r (%s)"
                                 % (", ".join(unknown), server.get("display_name"),
                                    ", ".join(sorted(server.get("scopes") or []))))
        super(ApplicationCrud, self).validate(params, current)


class AuthenticatorConfigCrud(BeyondIdentityCrud):
    """Authenticator configs have no name: ``id``, else the natural key ``type`` (the realm's hosted web
    config) plus ``invoke_url`` for embedded ones. Bodies always carry the complete ``config`` (its
    oneOf needs ``type``, and ``invoke_url`` and ``trusted_origins`` for embedded)."""

    def __init__(self, bi):
        super(AuthenticatorConfigCrud, self).__init__(bi, AUTHENTICATOR_CONFIGS)

    def find(self, params):
        if params.get("id"):
            return self.get(params["id"])
        kind = params.get("type")
        if kind == "embedded" and not params.get("invoke_url"):
            raise InputError("invoke_url is required with type embedded (it identifies the config), or give id")
        matches = [c for c in self.list_all() if (c.get("config") or {}).get("type") == kind
                   and (kind != "embedded" or c["config"].get("invoke_url") == params["invoke_url"])]
        if len(matches) > 1:
            raise InputError("type %s%s matches %d authenticator configs; give id, one of %s" % (
                kind, " with invoke_url %s" % params["invoke_url"] if kind == "embedded" else "", len(matches),
                ", ".join(sorted(c["id"] for c in matches))))
        return matches[0] if matches else None

    def wanted_config(self, params, current):
        have = dict((current or {}).get("config") or {})
        kind = params.get("type") or have.get("type")
        config = have if have.get("type") == kind else {}
        config["type"] = kind
        for option in ("invoke_url", "trusted_origins"):
            if params.get(option) is not None:
                config[option] = params[option]
        return config

    def validate(self, params, current):
        super(AuthenticatorConfigCrud, self).validate(params, current)
        config = self.wanted_config(params, current)
        if config["type"] == "hosted_web":
            given = [o for o in ("invoke_url", "trusted_origins") if params.get(o) is not None]
            if given:
                raise InputError("%s: only for type embedded; a hosted_web config has no settings" % ", ".join(given))
        else:
            missing = [o for o in ("invoke_url", "trusted_origins") if o not in config]
            if missing:
                raise InputError("type embedded needs %s" % " and ".join(missing))

    def create(self, desired, params):
        return self.bi.api.post(self.collection_path(), {"authenticator_config": {
            "config": self.wanted_config(params, None)}}).data

    def update(self, current, desired, changes, params):
        return self.bi.api.patch(self.item_path(current["id"]), {"authenticator_config": {
            "config": self.wanted_config(params, current)}}).data
