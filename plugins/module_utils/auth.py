# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Token providers shared by the vendor adapters.

A provider gives ``headers(client)`` for each call and ``refresh(client)`` after a 401
(answering whether one retry can help). OAuth tokens can be kept in an on-disk cache so a
playbook run fetches one token per credential instead of one per task.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import hashlib
import json
import os
import tempfile
import threading
import time

from ansible_collections.identity.cloud.plugins.module_utils.http_client import ApiError

# A token this close to expiry is treated as expired: the call it is fetched for must
# not fail half-way because the token ran out in flight. Short-lived tokens get a quarter
# of their lifetime instead, so that a 40 s token is not fetched again for every call.
EXPIRY_MARGIN = 60


def refresh_time(lifetime, now=None):
    """When a token valid for ``lifetime`` seconds from ``now`` should be replaced."""
    now = time.time() if now is None else now
    return now + lifetime - min(EXPIRY_MARGIN, lifetime / 4.0)


class StaticToken:
    """A bearer token the user already has (PAT, API token). Cannot be refreshed."""

    def __init__(self, token, scheme="Bearer"):
        self._value = "%s %s" % (scheme, token)

    def headers(self, client):
        return {"Authorization": self._value}

    def refresh(self, client):
        return False


class TokenCache:
    """Access tokens on disk: token + refresh time only, file 0600 in a 0700 directory.

    The key is a hash of what identifies the credential (token URL, client id, user) and of a
    digest of its secret, so that a wrong or rotated secret is never served a token fetched with
    the right one. The secret itself is never written.
    """

    def __init__(self, directory=None):
        if not directory:
            base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
            directory = os.path.join(base, "identity.cloud", "tokens")
        self.directory = directory

    @staticmethod
    def key(*parts):
        return hashlib.sha256("\0".join(str(p) for p in parts).encode("utf-8")).hexdigest()

    def _path(self, key):
        return os.path.join(self.directory, key + ".json")

    def load(self, key):
        try:
            with open(self._path(key)) as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("refresh_at", 0) <= time.time():
            return None
        return data

    def store(self, key, access_token, refresh_at):
        try:
            os.makedirs(self.directory, mode=0o700, exist_ok=True)
            os.chmod(self.directory, 0o700)
            handle, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tok")
            with os.fdopen(handle, "w") as out:
                json.dump({"access_token": access_token, "refresh_at": refresh_at}, out)
            os.chmod(tmp, 0o600)
            os.replace(tmp, self._path(key))
        except OSError:
            pass  # a cache that cannot be written only costs one more token request

    def drop(self, key):
        try:
            os.unlink(self._path(key))
        except OSError:
            pass


class OAuthToken:
    """An OAuth2 token endpoint: client credentials or password grant.

    ``form`` holds the grant fields (grant_type, username, password, scope ...).
    ``client_auth`` is ``form`` (client_id/client_secret in the body) or ``basic``.
    """

    def __init__(self, token_url, client_id, client_secret, form, client_auth="form", cache=None,
                 cache_identity=(), default_lifetime=3600):
        self.token_url = token_url
        self.client_id = client_id
        self._client_secret = client_secret
        self._form = dict(form)
        self.client_auth = client_auth
        self.cache = cache
        secret_digest = TokenCache.key(client_secret, self._form.get("password"))
        self.cache_key = TokenCache.key(token_url, client_id, secret_digest, *cache_identity)
        self.default_lifetime = default_lifetime
        self._token = None
        self._refresh_at = 0
        self._lock = threading.Lock()
        self.fetch_count = 0

    def headers(self, client):
        with self._lock:
            if not self._token or self._refresh_at <= time.time():
                self._obtain(client)
            return {"Authorization": "Bearer %s" % self._token}

    def refresh(self, client):
        with self._lock:
            self._token = None
            if self.cache is not None:
                self.cache.drop(self.cache_key)
        return True

    def _obtain(self, client):
        if self.cache is not None:
            cached = self.cache.load(self.cache_key)
            if cached:
                self._token, self._refresh_at = cached["access_token"], cached["refresh_at"]
                return
        form = dict(self._form)
        headers = {}
        if self.client_auth == "basic":
            pair = "%s:%s" % (self.client_id, self._client_secret)
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")
        else:
            form["client_id"] = self.client_id
            if self._client_secret:
                form["client_secret"] = self._client_secret
        resp = client.request("POST", self.token_url, form=form, headers=headers, read_only=True,
                              authenticated=False, content_type="application/x-www-form-urlencoded")
        data = resp.data if isinstance(resp.data, dict) else {}
        token = data.get("access_token")
        if not token:
            raise ApiError("POST", _path_only(self.token_url), resp.status,
                           message="token endpoint answered without an access_token")
        self.fetch_count += 1
        lifetime = data.get("expires_in") or self.default_lifetime
        self._token, self._refresh_at = token, refresh_time(float(lifetime))
        if self.cache is not None:
            self.cache.store(self.cache_key, self._token, self._refresh_at)


def _path_only(url):
    return url.split("?", 1)[0]
