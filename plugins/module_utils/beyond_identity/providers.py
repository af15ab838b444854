# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Beyond Identity identity providers, the realm's flow type config (launch mechanisms) and application
tokens (API 1.7.0).

API facts: ``.../identity-providers`` (list key ``identity_providers``; create takes the object itself,
update the wrapper ``identity_provider``; ``protocol_config.type`` is ``oidc_idp``, the only type).
``.../flow-type-config`` is one object per realm: GET answers it (a default one is made on first read), PATCH
takes ``{<platform>: {<flow type>: {enabled}}}``. ``.../applications/{id}/tokens`` lists the tokens an
application issued (``principal_type`` ``application`` or ``identity`` and ``principal_id`` filter them);
``DELETE .../tokens/{token_id}`` revokes one.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import (
    APPLICATIONS,
    REALM_OPTION,
    BeyondIdentityCrud,
    Endpoint,
    find_identity,
)
from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity.sso import correlate
from ansible_collections.identity.cloud.plugins.module_utils.http_client import url_problem
from ansible_collections.identity.cloud.plugins.module_utils.resource import MISSING, InputError, get_path, shorten

IDENTITY_PROVIDERS = Endpoint("identity-providers", "identity_provider", page_size=100)
OIDC_IDP = "oidc_idp"

PLATFORMS = ("android", "chromeos", "chromeosweb", "ios", "linux", "macos", "web", "windows")
FLOW_TYPES = ("android_accessibility", "android_autofill", "copy", "embedded", "layered_auth_qr_code", "localhost",
              "pipe", "roaming_auth", "safari_extension", "scheme", "secure_localhost", "universal_link", "unknown")


class IdentityProviderCrud(BeyondIdentityCrud):
    secret_paths = (("protocol_config", "client_secret"),)

    def __init__(self, bi):
        super(IdentityProviderCrud, self).__init__(bi, IDENTITY_PROVIDERS)
        correlate(bi)

    def check_input(self, params, current):
        for option in ("authorization_endpoint", "token_endpoint", "jwks_endpoint"):
            problem = url_problem(params[option]) if params.get(option) is not None else None
            if problem:
                raise InputError("%s %s" % (option, problem))

    def body(self, fields):
        if "protocol_config" in fields:
            fields["protocol_config"] = dict(fields["protocol_config"], type=OIDC_IDP)
        return fields

    def create(self, desired, params):
        return self.bi.api.post(self.collection_path(), self.body(desired)).data


class FlowTypeConfigCrud(BeyondIdentityCrud):
    """The realm's one flow type config: read (GET makes the default one), PATCH; no create, no delete."""

    def __init__(self, bi):
        super(FlowTypeConfigCrud, self).__init__(bi, Endpoint("flow-type-config", "platform_config"))

    def find(self, params):
        return self.bi.api.get(self.collection_path()).data

    def validate(self, params, current):
        for platform, flows in (params.get("launch_mechanisms") or {}).items():
            if platform not in PLATFORMS:
                raise InputError("launch_mechanisms: unknown platform %s, one of %s" % (
                    shorten(platform), ", ".join(PLATFORMS)))
            if not isinstance(flows, dict):
                raise InputError("launch_mechanisms.%s must be a dictionary of flow type: true/false" % platform)
            for flow, enabled in flows.items():
                if flow not in FLOW_TYPES:
                    raise InputError("launch_mechanisms.%s: unknown flow type %s, one of %s" % (
                        platform, shorten(flow), ", ".join(FLOW_TYPES)))
                if not isinstance(enabled, bool):
                    raise InputError("launch_mechanisms.%s.%s must be true or false, got %s" % (
                        platform, flow, shorten(enabled)))
                valid = get_path(current or {}, ("platform_config", platform, flow, "valid"))
                if enabled and valid not in (True, MISSING):
                    raise InputError("launch_mechanisms.%s.%s: the realm's flow type config says %s is not valid on %s, "
                                     "so it cannot be enabled" % (platform, flow, flow, platform))

    def update(self, current, desired, changes, params):
        return self.bi.api.patch(self.collection_path(), desired["platform_config"]).data


def launch_mechanisms_to_api(value):
    """``{web: {embedded: true}}`` -> the API's ``{web: {embedded: {enabled: true}}}``."""
    return dict((platform, dict((flow, {"enabled": enabled}) for flow, enabled in (flows or {}).items()))
                for platform, flows in (value or {}).items()) if isinstance(value, dict) else value


# -- application tokens ---------------------------------------------------------------------------------

TOKEN_OPTIONS = dict(REALM_OPTION, application={"type": "str"}, identity={"type": "str"},
                     principal_application={"type": "str"})


def find_applications(bi, ref):
    """Every application of the realm (``ref`` None), else the one with id or display name ``ref``."""
    apps = bi.list(bi.realm_path(APPLICATIONS.collection), APPLICATIONS.items_key, APPLICATIONS.page_size)
    if ref is None:
        return apps
    found = [a for a in apps if a["id"] == ref] or [a for a in apps if a.get("display_name") == ref]
    if len(found) != 1:
        raise InputError("application: %s application with id or display name %s in realm %r" % (
            "no" if not found else "more than one", shorten(ref), bi.realm.get("display_name")))
    return found


def principal_filter(bi, params):
    """The ListTokens query for the ``identity`` or ``principal_application`` options (None: every token)."""
    if params.get("identity"):
        return {"principal_type": "identity", "principal_id": find_identity(bi, params["identity"])["id"]}
    if params.get("principal_application"):
        app = find_applications(bi, params["principal_application"])[0]
        return {"principal_type": "application", "principal_id": app["id"]}
    return None


def list_tokens(bi, params):
    """The tokens the selected applications issued, each with ``application_id`` and ``application``."""
    query = principal_filter(bi, params)

    def of(app):
        path = bi.realm_path(APPLICATIONS.collection, app["id"], "tokens")
        return [dict(t, application_id=app["id"], application=app.get("display_name"))
                for t in bi.api.paginate_token(path, "tokens", params=query)]

    tokens = [t for listed in bi.run_concurrently(of, find_applications(bi, params.get("application"))) for t in listed]
    ids = params.get("token_ids")
    return [t for t in tokens if t["id"] in ids] if ids is not None else tokens


def revoke_tokens(bi, tokens):
    """RevokeToken for each (concurrently); a token gone meanwhile is revoked already."""
    bi.run_concurrently(lambda t: bi.api.delete(
        bi.realm_path(APPLICATIONS.collection, t["application_id"], "tokens", t["id"])), tokens)


def launch_mechanisms_of(config):
    """The API's ``platform_config`` in the module's form: platform -> flow type -> enabled."""
    return dict((platform, dict((flow, bool((state or {}).get("enabled"))) for flow, state in (flows or {}).items()))
                for platform, flows in ((config or {}).get("platform_config") or {}).items())
