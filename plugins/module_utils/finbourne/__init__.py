# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""FINBOURNE Identity adapter: connection options, authentication, errors, REST conventions.

Configuration follows the ``finbourne-identity-sdk`` loaders so an existing SDK setup works:
the ``FBN_*`` environment variables and a ``secrets.json`` file (``api`` and ``proxy``
sections). As in the SDK, a secrets file overrides the environment; task options override
both. A personal access token (``access_token``) wins over the password grant.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re

from ansible.module_utils.basic import env_fallback
from ansible.module_utils.six.moves.urllib.parse import quote

from ansible_collections.identity.cloud.plugins.module_utils.auth import OAuthToken, StaticToken
from ansible_collections.identity.cloud.plugins.module_utils.connection import (
    api_client,
    connection_args,
    hide_values,
    token_cache,
)
from ansible_collections.identity.cloud.plugins.module_utils.resource import Crud, InputError, MissingReferences, shorten

# option -> (environment variables, secrets.json "api" key), in the SDK's own names
SETTINGS = {
    "identity_url": (("FBN_IDENTITY_URL", "FBN_FINBOURNE_IDENTITY_API_URL"), ("identityUrl", "finbourne_identityUrl")),
    "token_url": (("FBN_TOKEN_URL",), ("tokenUrl",)),
    "username": (("FBN_USERNAME",), ("username",)),
    "password": (("FBN_PASSWORD",), ("password",)),
    "client_id": (("FBN_CLIENT_ID",), ("clientId",)),
    "client_secret": (("FBN_CLIENT_SECRET",), ("clientSecret",)),
    "access_token": (("FBN_ACCESS_TOKEN",), ("accessToken",)),
    "app_name": (("FBN_APP_NAME",), ("applicationName",)),
}
SECRET_SETTINGS = ("password", "client_secret", "access_token")
# The SDK asks Okta for these scopes with the password grant.
SCOPE = "openid client groups offline_access"

# ca_path, proxy, proxy_username and proxy_password come from the SDK's names in resolve_settings (a
# secrets.json file overrides the environment); these have no SDK name, so the collection names them.
FINBOURNE_ARGS = dict(
    connection_args(validate_certs=["FBN_VALIDATE_CERTS"], client_cert=["FBN_TLS_CLIENT_CERT"],
                    client_key=["FBN_TLS_CLIENT_KEY"]),
    secrets_path={"type": "path", "fallback": (env_fallback, ["FBN_SECRETS_PATH"])},
    **{name: {"type": "str", "no_log": name in SECRET_SETTINGS} for name in SETTINGS}
)


def resolve_settings(params, environ=None):
    """Connection settings from task options, then secrets.json, then ``FBN_*`` variables."""
    environ = os.environ if environ is None else environ
    secrets = _read_secrets(params.get("secrets_path"))
    api, proxy = secrets.get("api") or {}, secrets.get("proxy") or {}
    out = {}
    for name, (env_names, file_keys) in SETTINGS.items():
        value = params.get(name)
        for key in file_keys:
            value = value or api.get(key)
        for env_name in env_names:
            value = value or environ.get(env_name)
        out[name] = value
    out["ca_path"] = params.get("ca_path") or api.get("clientCertificate") or environ.get("FBN_CLIENT_CERTIFICATE")
    out["proxy"] = params.get("proxy") or proxy.get("address") or environ.get("FBN_PROXY_ADDRESS")
    out["proxy_username"] = params.get("proxy_username") or proxy.get("username") or environ.get("FBN_PROXY_USERNAME")
    out["proxy_password"] = params.get("proxy_password") or proxy.get("password") or environ.get("FBN_PROXY_PASSWORD")
    return out


def _read_secrets(path):
    if not path:
        return {}
    try:
        with open(os.path.expanduser(path)) as handle:
            data = json.load(handle)
    except (OSError, ValueError) as exc:
        raise InputError("secrets_path %s could not be read as JSON: %s" % (path, type(exc).__name__))
    return data if isinstance(data, dict) else {}


def okta_token_url(url):
    """The SDK appends ``/v1/token`` to a bare Okta issuer URL; do the same."""
    if re.match(r"^https://[^/]+\.okta\.com/oauth2/[^/]+/?$", url or ""):
        return url.rstrip("/") + "/v1/token"
    return url


def error_parser(body):
    """LusidProblemDetails / LusidValidationProblemDetails -> (code, message)."""
    if not isinstance(body, dict):
        return None, (body[:300] if isinstance(body, str) and body else None)
    message = body.get("detail") or body.get("title") or body.get("error_description")
    errors = body.get("errors")
    if isinstance(errors, dict) and errors:
        message = "%s (%s)" % (message, "; ".join("%s: %s" % (k, ", ".join(v)) for k, v in sorted(errors.items())))
    return body.get("name") or body.get("error"), message


def connect(module):
    """An ``ApiClient`` for the FINBOURNE Identity API from the task's connection options."""
    try:
        settings = resolve_settings(module.params)
    except InputError as exc:
        module.fail_json(msg=str(exc))
    if not settings["identity_url"]:
        module.fail_json(msg="identity_url is required (or FBN_IDENTITY_URL, or identityUrl in secrets_path)")
    if settings["access_token"]:
        auth = StaticToken(settings["access_token"])
    else:
        needed = ("token_url", "username", "password", "client_id", "client_secret")
        missing = [name for name in needed if not settings[name]]
        if missing:
            module.fail_json(msg="FINBOURNE authentication needs access_token, or all of %s; missing: %s "
                                 "(options, FBN_* environment variables or secrets_path)"
                                 % (", ".join(needed), ", ".join(missing)))
        auth = OAuthToken(
            okta_token_url(settings["token_url"]), settings["client_id"], settings["client_secret"],
            form={"grant_type": "password", "username": settings["username"], "password": settings["password"],
                  "scope": SCOPE},
            cache=token_cache(module.params), cache_identity=(settings["username"],))
    hide_values(module, settings["proxy_password"], *(settings[name] for name in SECRET_SETTINGS))
    client = api_client(module, settings["identity_url"], auth, error_parser=error_parser,
                        ca_path=settings["ca_path"], proxy=settings["proxy"],
                        proxy_username=settings["proxy_username"], proxy_password=settings["proxy_password"])
    if settings["app_name"]:
        client.headers["X-LUSID-Application"] = settings["app_name"]
    return client


def fold(value):
    """Names and logins are unique case-insensitively in FINBOURNE: compare them folded."""
    return value.lower() if isinstance(value, str) else value


class Collection(Crud):
    """A FINBOURNE collection: list = GET ``path`` (a bare array), item = ``path/{id}``.

    Create posts the desired object; update PUTs the fields named in ``update_fields``
    (the API's update request models are narrower than the create ones). The natural key
    (``key_field``) is matched case-insensitively, as the API enforces its uniqueness;
    ``kind`` names the object in error lines. With ``key_fixed`` the key cannot change;
    ``key_option`` is the module option of the key (default ``key_field``).
    """

    def __init__(self, client, path, key_field="name", update_fields=(), kind="object", key_fixed=False,
                 list_query=None, key_option=None):
        super(Collection, self).__init__(client)
        self.path = path
        self.key_field = key_field
        self.update_fields = update_fields
        self.kind = kind
        self.key_fixed = key_fixed
        self.list_query = list_query
        self.key_option = key_option or key_field

    def item_path(self, obj_id):
        return "%s/%s" % (self.path, quote(str(obj_id), safe=""))

    def list_all(self):
        return self.client.list_all(self.path, params=self.list_query)

    def get(self, obj_id):
        return self.client.get_or_none(self.item_path(obj_id), params=self.list_query)

    def find(self, params):
        """By ``id`` (an id that names nothing fails, unless the object is to be absent), else by key."""
        wanted = params.get(self.key_option)
        if params.get("id"):
            found = self.get(params["id"])
            if found is None:
                if params.get("state") == "absent":
                    return None
                raise InputError("id %s names no FINBOURNE %s (omit id to find or create one by %s)"
                                 % (shorten(params["id"]), self.kind, self.key_option))
            if self.key_fixed and wanted is not None and fold(wanted) != fold(found.get(self.key_field)):
                raise InputError("%s cannot change: %s %s is named %s; FINBOURNE cannot rename it" % (
                    self.key_option, self.kind, found.get("id"), shorten(found.get(self.key_field))))
            return found
        for obj in self.list_all():
            if fold(obj.get(self.key_field)) == fold(wanted):
                return obj
        return None

    def create(self, desired, params):
        return self.client.post(self.path, desired).data

    def update(self, current, desired, changes, params):
        body = dict((k, v) for k, v in current.items() if k in self.update_fields)
        body.update((k, v) for k, v in desired.items() if k in self.update_fields)
        return self.client.put(self.item_path(self.id_of(current)), body).data

    def delete(self, current, params):
        self.client.delete(self.item_path(self.id_of(current)))


def resolve_users(client, refs, option="users"):
    """Map user references (id or login, case-insensitive) to {id: login}; unknown ones fail."""
    by_id, by_login = {}, {}
    for user in client.list_all("/api/users"):
        by_id[user["id"]] = user["login"]
        by_login[user["login"].lower()] = user["id"]
    out, unknown = {}, []
    for ref in refs:
        if ref in by_id:
            out[ref] = by_id[ref]
        elif ref.lower() in by_login:
            out[by_login[ref.lower()]] = by_id[by_login[ref.lower()]]
        else:
            unknown.append(ref)
    if unknown:
        raise MissingReferences("%s: no FINBOURNE user with id or login %s" % (option, ", ".join(sorted(unknown))),
                                out, unknown)
    return out
