# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The tenant export: the _info modules' results as the variables of the tenant roles (controller side).

Each ``<vendor>_export`` function returns ``{"vars": {role variable: value}, "vault": [{"name", "description"}]}``;
``tenant_export_files`` turns them into the text of the files the role writes. Read-only and computed fields (ids,
times, managed objects, the API's defaults) are left out, references are written by name, and every secret is a
``{{ vault_... }}`` reference listed in vault-template.yml.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
from collections.abc import Mapping

from ansible_collections.identity.cloud.plugins.plugin_utils.export import (
    KINDS,
    ExportError,
    check_patterns,
    selected,
    stable,
    to_yaml,
    vault_reference,
    vault_variable,
)

FILES = {"finbourne": "finbourne_tenant.yml", "beyond_identity": "beyond_identity_tenant.yml",
         "people": "people.yml", "sailpoint": "sailpoint_source_onboarding.yml"}
VAULT_FILE = "vault-template.yml"
# the kinds that go to people.yml rather than to their vendor's tenant file
PEOPLE_KINDS = (("beyond_identity", "identity"), ("finbourne", "user"))
# Beyond Identity: the settings of an application's protocol_config the module takes (the rest is computed)
APP_PROTOCOL_KEYS = ("type", "allowed_scopes", "confidentiality", "token_endpoint_auth_method", "grant_type",
                     "redirect_uris", "pkce", "token_configuration")
TOKEN_KEYS = ("expires_after", "token_signing_algorithm", "subject_field")
# SSO configuration payload settings the API computes (never sent), and the types whose secret is an option
SSO_COMPUTED = ("type", "application_tile_id", "client_secret", "redirect_url")
SSO_SECRETS = {"generic_oidc_idp": "idp_client_secret", "okta_idp": "idp_client_secret",
               "okta_sso_bi_idp": "okta_token"}
THEME_KEYS = ("email_realm_name", "logo_url_light", "logo_url_dark", "support_url")
IDP_OPTIONS = (("client_id", "idp_client_id"), ("token_scopes", "scopes"), ("identity_attribute", "identity_attribute"),
               ("identifying_claim_name", "identifying_claim_name"), ("pkce", "pkce"),
               ("authorize_url", "authorization_endpoint"), ("token_url", "token_endpoint"), ("jwks_url", "jwks_endpoint"))


def _list(value, what):
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        raise ExportError("tenant export: %s must be a list, got %s" % (what, type(value).__name__))
    return list(value)


def _given(item, keys):
    """The keys of ``item`` that have a value (an optional field left unset is left out, not written as null)."""
    return dict((k, item[k]) for k in keys if item.get(k) not in (None, ""))


class _Export(object):
    """Collects one vendor's items, applying the include/exclude patterns and naming its secrets."""

    def __init__(self, vendor, include, exclude):
        self.vendor, self.include, self.exclude = vendor, include or [], exclude or []
        error = check_patterns(self.include, self.exclude)
        if error:
            raise ExportError(error)
        self.vars, self.vault = {}, []

    def wants(self, kind, name=None):
        return selected(self.include, self.exclude, self.vendor, kind, name)

    def secret(self, kind, name, field, description):
        variable = vault_variable(self.vendor, kind, name, field)
        self.vault.append({"name": variable, "description": description})
        return vault_reference(variable)

    def result(self):
        return {"vars": stable(self.vars), "vault": sorted(self.vault, key=lambda v: v["name"])}


def _realm_results(results, key):
    """(realm display name, objects) of a task looped over the realms (``item`` is the realm)."""
    for result in _list(results, key):
        if isinstance(result, Mapping) and not result.get("skipped"):
            item = result.get("item") or {}
            yield (item.get("display_name") if isinstance(item, Mapping) else item), _list(result.get(key), key)


# -- FINBOURNE ------------------------------------------------------------------------------------


def finbourne_export(reads, include=None, exclude=None):
    """``reads``: ``roles`` (finbourne_role_info), ``password_policies``, ``applications`` (their _info results'
    lists). Role membership goes to people.yml (each user's roles), so roles are written without users."""
    out = _Export("finbourne", include, exclude)
    reads = reads or {}
    if out.wants("role"):
        out.vars["finbourne_tenant_roles"] = [
            dict(_given(role, ("description",)), name=role["name"]) for role in _list(reads.get("roles"), "roles")
            if out.wants("role", role.get("name"))]
    if out.wants("password_policy"):
        policies = []
        for policy in _list(reads.get("password_policies"), "password_policies"):
            if out.wants("password_policy", policy.get("userType")):
                conditions = policy.get("conditions") or {}
                policies.append(dict(_given(conditions, ("complexity", "age", "lockout")), user_type=policy["userType"]))
        out.vars["finbourne_tenant_password_policies"] = policies
    if out.wants("application"):
        out.vars["finbourne_tenant_applications"] = [
            dict(_given(app, ("type",)), application_client_id=app["clientId"],
                 **_given({"display_name": app.get("displayName")}, ("display_name",)))
            for app in _list(reads.get("applications"), "applications")
            if out.wants("application", app.get("clientId"))]
    return out.result()


# -- Beyond Identity ------------------------------------------------------------------------------


def _bi_realm_items(out, kind, results, key):
    for realm, objects in _realm_results(results, key):
        for obj in objects:
            if obj.get("is_managed"):
                continue  # made and kept by Beyond Identity (the Management API's application and resource server)
            name = obj.get("display_name")
            if out.wants(kind, name):
                yield realm, name, obj


def beyond_identity_export(reads, include=None, exclude=None):
    """``reads``: ``realms`` (beyond_identity_realm_info's list), ``themes`` (the realms' themes) and, per kind, one
    ``{"item": realm, <kind>: [...]}`` per realm as beyond_identity_realm_info's ``include_parts`` read them:
    ``resource_servers``, ``authenticator_configs``, ``applications``, ``groups``, ``identity_providers``,
    ``sso_configs`` (with assignments); ``roles``: ``{"item": {"realm", "resource_server"}, "roles": [...]}`` (names)
    with members and scopes. Groups are written without members: people.yml holds them."""
    out = _Export("beyond_identity", include, exclude)
    reads = reads or {}
    realms = dict((r.get("id"), r.get("display_name")) for r in _list(reads.get("realms"), "realms"))
    v = out.vars
    if out.wants("realm"):
        v["beyond_identity_tenant_realms"] = [{"display_name": name} for name in realms.values() if out.wants("realm", name)]
    if out.wants("theme"):
        v["beyond_identity_tenant_themes"] = [
            dict(_given(theme, THEME_KEYS), realm=realms.get(theme.get("realm_id")))
            for theme in _list(reads.get("themes"), "themes")
            # the default theme the API shows for a realm without one of its own is not an object to create
            if theme.get("id") != "default" and theme.get("realm_id") in realms
            and out.wants("theme", realms.get(theme.get("realm_id")))]
    servers = {}
    for realm, name, rs in _bi_realm_items(out, "resource_server", reads.get("resource_servers"), "resource_servers"):
        servers[rs.get("id")] = name
        v.setdefault("beyond_identity_tenant_resource_servers", []).append(
            dict(_given(rs, ("identifier",)), realm=realm, display_name=name, scopes=list(rs.get("scopes") or [])))
    for realm, objects in _realm_results(reads.get("resource_servers"), "resource_servers"):
        servers.update((rs.get("id"), rs.get("display_name")) for rs in objects)
    if out.wants("authenticator_config"):
        configs = v["beyond_identity_tenant_authenticator_configs"] = []
        for realm, objects in _realm_results(reads.get("authenticator_configs"), "authenticator_configs"):
            for config in objects:
                settings = config.get("config") or {}
                if out.wants("authenticator_config", settings.get("invoke_url") or settings.get("type")):
                    item = dict(_given(settings, ("type", "invoke_url")), realm=realm)
                    if settings.get("type") == "embedded":
                        item["trusted_origins"] = list(settings.get("trusted_origins") or [])
                    configs.append(item)
    for realm, name, app in _bi_realm_items(out, "application", reads.get("applications"), "applications"):
        protocol = _given(app.get("protocol_config") or {}, APP_PROTOCOL_KEYS)
        if isinstance(protocol.get("token_configuration"), Mapping):
            protocol["token_configuration"] = _given(protocol["token_configuration"], TOKEN_KEYS)
        item = {"realm": realm, "display_name": name, "protocol_config": protocol}
        if app.get("resource_server_id"):
            item["resource_server"] = servers.get(app["resource_server_id"], app["resource_server_id"])
        v.setdefault("beyond_identity_tenant_applications", []).append(item)
    for realm, name, group in _bi_realm_items(out, "group", reads.get("groups"), "groups"):
        # members are each person's groups in people.yml (identities of other realms are not exported: left alone)
        item = dict(_given(group, ("description",)), realm=realm, display_name=name)
        v.setdefault("beyond_identity_tenant_groups", []).append(item)
    for realm, name, idp in _bi_realm_items(out, "identity_provider", reads.get("identity_providers"), "identity_providers"):
        protocol = idp.get("protocol_config") or {}
        item = dict((option, protocol[key]) for key, option in IDP_OPTIONS if protocol.get(key) not in (None, ""))
        item.update(realm=realm, display_name=name, idp_client_secret=out.secret(
            "identity_provider", "%s/%s" % (realm, name), "client_secret",
            "Client secret at the identity provider of the Beyond Identity identity provider %r (realm %r)" % (name, realm)))
        v.setdefault("beyond_identity_tenant_identity_providers", []).append(item)
    for result in _list(reads.get("roles"), "roles"):
        if not isinstance(result, Mapping) or result.get("skipped"):
            continue
        where = result.get("item") or {}
        for role in _list(result.get("roles"), "roles"):
            name = role.get("display_name")
            if out.wants("role", name):
                v.setdefault("beyond_identity_tenant_roles", []).append(dict(
                    _given(role, ("description",)), realm=where.get("realm"), resource_server=where.get("resource_server"),
                    display_name=name, members=list(role.get("members") or []), scopes=list(role.get("scopes") or [])))
    for realm, name, sso in _bi_realm_items(out, "sso_config", reads.get("sso_configs"), "sso_configs"):
        payload = sso.get("payload") or {}
        kind = payload.get("type")
        item = {"realm": realm, "display_name": name, "type": kind,
                "payload": dict((k, val) for k, val in payload.items() if k not in SSO_COMPUTED),
                "identities": list(sso.get("identities") or []), "groups": list(sso.get("groups") or [])}
        if kind in SSO_SECRETS:
            field = SSO_SECRETS[kind]
            item[field] = out.secret("sso_config", "%s/%s" % (realm, name), field, "%s of the Beyond Identity SSO "
                                     "configuration %r (realm %r)" % ("Okta API token" if field == "okta_token" else
                                                                      "Client secret at the identity provider", name, realm))
        v.setdefault("beyond_identity_tenant_sso_configs", []).append(item)
    for kind, variable in (("resource_server", "resource_servers"), ("application", "applications"), ("group", "groups"),
                           ("identity_provider", "identity_providers"), ("role", "roles"), ("sso_config", "sso_configs")):
        if out.wants(kind):
            v.setdefault("beyond_identity_tenant_" + variable, [])
    return out.result()


# -- people ---------------------------------------------------------------------------------------


def beyond_identity_export_memberships(results, realm="Default"):
    """``{identity id: [group display names]}`` from ``results``, ``{"item": realm, "groups": [...]}`` with each
    group's ``members`` (one member listing per group, not one group listing per identity), for ``realm`` (display
    name or id) only."""
    index = {}
    for result in _list(results, "results"):
        item = result.get("item") if isinstance(result, Mapping) else None
        if not isinstance(item, Mapping) or result.get("skipped") \
                or (realm or "").lower() not in ((item.get("display_name") or "").lower(), (item.get("id") or "").lower()):
            continue
        for group in _list(result.get("groups"), "groups"):
            for member in group.get("members") or []:
                index.setdefault(member.get("id"), []).append(group.get("display_name"))
    return index


def people_export(reads, include=None, exclude=None, realm="Default"):
    """``reads``: ``identities`` (beyond_identity_identity_info of ``realm``, with groups, or ``memberships``: the
    beyond_identity_export_memberships of its groups), ``users``
    (finbourne_user_info with roles). An identity and a user are one person when the user's login and email address
    are the identity's email address (how the people role links them); anyone else is a person on one vendor only.
    Deactivated FINBOURNE users are left out (the role cannot converge them), so are suspended identities' links."""
    out_bi = _Export("beyond_identity", include, exclude)
    out_fbn = _Export("finbourne", include, exclude)
    people = []
    users = {}
    memberships = (reads or {}).get("memberships")
    if out_fbn.wants("user"):
        for user in _list((reads or {}).get("users"), "users"):
            if (user.get("status") or "").upper() != "DEPROVISIONED" and out_fbn.wants("user", user.get("login")):
                users[(user.get("login") or "").lower()] = user
    if out_bi.wants("identity"):
        for identity in _list((reads or {}).get("identities"), "identities"):
            traits = identity.get("traits") or {}
            username = traits.get("username")
            if not out_bi.wants("identity", username):
                continue
            email = traits.get("primary_email_address")
            if memberships is not None:
                groups = list(memberships.get(identity.get("id")) or [])
            else:
                groups = [g.get("display_name") for g in identity.get("groups") or []]
            person = dict(_given({"email": email, "display_name": identity.get("display_name")}, ("email", "display_name")),
                          username=username, beyond_identity={"groups": groups})
            status = (identity.get("status") or "active").lower()
            if status == "suspended":
                person["state"] = "suspended"
            user = users.get((email or "").lower()) if status != "suspended" else None
            if user is not None and user.get("emailAddress") == email:
                del users[(email or "").lower()]
                person.update(_fbn_person(user, email))
            else:
                person["finbourne"] = {"enabled": False}
            people.append(person)
    for user in users.values():
        person = {"username": user["login"], "email": user.get("emailAddress")}
        person.update(_fbn_person(user, user.get("emailAddress")))
        person["beyond_identity"] = {"enabled": False}
        people.append(person)
    out = {"people_list": people, "people_beyond_identity_realm": realm,
           # adopting a tenant sends no email: no enrolment of identities without a passkey, no activation email
           "people_beyond_identity_enroll": False, "people_finbourne_activation_email": False}
    return {"vars": stable(out), "vault": []}


def _fbn_person(user, email):
    person = _given({"first_name": user.get("firstName"), "last_name": user.get("lastName")}, ("first_name", "last_name"))
    fbn = {"roles": [r.get("name") for r in user.get("roles") or []], "type": user.get("type")}
    if (user.get("login") or "") != (email or ""):
        fbn["login"] = user["login"]
    person["finbourne"] = _given(fbn, ("roles", "type", "login"))
    person["finbourne"]["roles"] = fbn["roles"]
    return person


# -- promote: what to prune -----------------------------------------------------------------------

# role variable -> the fields that name one of its items (an item of the target that the source lacks is pruned)
PRUNE_KEYS = {
    "finbourne_tenant_roles": ("name",), "finbourne_tenant_applications": ("application_client_id",),
    "beyond_identity_tenant_realms": ("display_name",),
    "beyond_identity_tenant_resource_servers": ("realm", "display_name"),
    "beyond_identity_tenant_authenticator_configs": ("realm", "type", "invoke_url"),
    "beyond_identity_tenant_applications": ("realm", "display_name"),
    "beyond_identity_tenant_groups": ("realm", "display_name"),
    "beyond_identity_tenant_identity_providers": ("realm", "display_name"),
    "beyond_identity_tenant_roles": ("realm", "resource_server", "display_name"),
    "beyond_identity_tenant_sso_configs": ("realm", "display_name"),
    "people_list": ("username",),
    "sailpoint_source_onboarding_sources": ("name",),
}


def _prune_key(variable, item):
    key = tuple(item.get(k) for k in PRUNE_KEYS[variable])
    return tuple(str(k).lower() for k in key) if variable == "people_list" else key


def tenant_export_prune(target, source):
    """The items to delete from the target tenant: ``{role variable: [item with state absent]}`` for every object of
    ``target`` (its read export, ``tenant_export_result``) that ``source`` (``{file name: the exported variables}``)
    does not have. Only what the target's read selected is compared, so the include/exclude patterns bound it."""
    prune = {}
    for name, export in (target or {}).items():
        have = (source or {}).get(name) or {}
        for variable, items in ((export or {}).get("vars") or {}).items():
            if variable not in PRUNE_KEYS or not isinstance(items, list):
                continue
            kept = set(_prune_key(variable, item) for item in have.get(variable) or [])
            for item in items:
                if _prune_key(variable, item) not in kept:
                    absent = dict((k, item[k]) for k in PRUNE_KEYS[variable] if item.get(k) is not None)
                    if variable == "people_list":
                        absent.update((k, item[k]) for k in ("email",) if item.get(k))
                        absent["beyond_identity"] = dict((k, v) for k, v in (item.get("beyond_identity") or {}).items() if k == "enabled")
                        absent["finbourne"] = dict((k, v) for k, v in (item.get("finbourne") or {}).items() if k in ("enabled", "login"))
                    absent["state"] = "absent"
                    prune.setdefault(variable, []).append(absent)
    return stable(prune)


# -- files ----------------------------------------------------------------------------------------


HEADER = ("Exported by identity.cloud.tenant_export from %s: the variables of the role %s.\n"
          "Converge it with: ansible-playbook ... -e @%s (secrets: -e @vault.yml, see vault-template.yml)")


def tenant_export_files(exports, source="the tenant"):
    """The files to write, ``[{name, content}]``, from ``{file name: export result}``; vault-template.yml lists every
    secret of every file."""
    files, vault = [], {}
    roles = {"finbourne_tenant.yml": "finbourne_tenant", "beyond_identity_tenant.yml": "beyond_identity_tenant",
             "people.yml": "people", "sailpoint_source_onboarding.yml": "sailpoint_source_onboarding"}
    for name in sorted(exports or {}):
        export = exports[name] or {}
        files.append({"name": name, "content": to_yaml(export.get("vars") or {},
                                                       HEADER % (source, roles.get(name, name[:-4]), name))})
        for entry in export.get("vault") or []:
            vault[entry["name"]] = entry.get("description") or ""
    lines = ["# The secrets the exported files refer to, from %s. Fill in each value, save it as vault.yml and" % source,
             "# encrypt it (ansible-vault encrypt vault.yml); never commit it unencrypted.", "---"]
    for variable in sorted(vault):
        lines.append("# %s" % " ".join(vault[variable].split()))
        lines.append('%s: ""' % variable)
    if not vault:
        lines.append("{}")
    files.append({"name": VAULT_FILE, "content": "\n".join(lines) + "\n"})
    return files


def tenant_export_check(include, exclude):
    """'' when the patterns are valid, else the one-line error."""
    return check_patterns(include, exclude) or ""


def tenant_export_file_names(include, exclude):
    """The files an export with these patterns writes (checked before the first read)."""
    names = [VAULT_FILE]
    for vendor, name in FILES.items():
        if vendor == "people":
            wanted = any(selected(include, exclude, v, k) for v, k in PEOPLE_KINDS)
        else:
            wanted = any(selected(include, exclude, vendor, k) for k in KINDS[vendor] if (vendor, k) not in PEOPLE_KINDS)
        if wanted:
            names.append(name)
    return sorted(names)


def tenant_export_dir_error(names, base, path, force=False, variables=("tenant_export_dir", "tenant_export_force")):
    """Why the files ``names`` cannot be written to ``path`` (the host's folder in the export directory ``base``),
    or ``""``: run on the controller before any read (the files are written there). ``variables``: what the user
    calls the folder and the force setting (the role's variables or the action's options)."""
    for folder in (base, path):
        if os.path.exists(folder) and not (os.path.isdir(folder) and os.access(folder, os.R_OK | os.W_OK | os.X_OK)):
            return "%s: %s is not a directory this user can read and write" % (variables[0], folder)
    found = [os.path.join(path, name) for name in names or []] if not force and os.path.isdir(path) else []
    found = [name for name in found if os.path.lexists(name)]
    if found:
        return "%s exist%s and %s is false: nothing was read or written" % (
            ", ".join(found), "s" if len(found) == 1 else "", variables[1])
    return ""
