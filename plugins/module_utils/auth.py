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
import contextlib
import errno
import hashlib
import json
import os
import stat
import tempfile
import threading
import time

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: the cache works without the cross-process lock
    fcntl = None

from ansible_collections.identity.cloud.plugins.module_utils.http_client import ApiError

# A token this close to expiry is treated as expired: the call it is fetched for must
# not fail half-way because the token ran out in flight. Short-lived tokens get a quarter
# of their lifetime instead, so that a 40 s token is not fetched again for every call.
EXPIRY_MARGIN = 60
# How long a task waits for another process that is fetching the same token (then fetches its own).
LOCK_TIMEOUT = 30.0


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
    """Access tokens on disk: token + refresh time only, file 0600; the folders it creates get 0700.

    An existing folder that other users can write is refused (``unsafe``), and its mode is never
    changed. ``locked(key)`` serialises processes that fetch the same credential's token, so that
    forks starting on a cold cache fetch one token, not one each.

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

    def unsafe(self):
        """Why the folder (or the nearest existing parent it would be created in) is unsafe, or None."""
        path = os.path.abspath(self.directory)
        while not os.path.exists(path):
            parent = os.path.dirname(path)
            if parent == path:
                return None
            path = parent
        try:
            info = os.stat(path)
        except OSError:
            return None
        if not stat.S_ISDIR(info.st_mode):
            return "%s is not a folder" % path
        sticky = info.st_mode & stat.S_ISVTX
        if path == os.path.abspath(self.directory) or not sticky:
            if info.st_mode & 0o022:
                return "%s can be written by other users (mode %04o)" % (path, stat.S_IMODE(info.st_mode))
            if hasattr(os, "getuid") and info.st_uid not in (os.getuid(), 0):
                return "%s belongs to another user" % path
        return None

    def _ensure(self):
        """Create the missing folders of the path with 0700; existing ones keep their mode."""
        missing = []
        path = os.path.abspath(self.directory)
        while not os.path.isdir(path):
            missing.append(path)
            path = os.path.dirname(path)
        for folder in reversed(missing):
            try:
                os.mkdir(folder, 0o700)
            except OSError as exc:
                if exc.errno != errno.EEXIST:
                    raise
            else:
                os.chmod(folder, 0o700)  # mkdir's mode is cut by the umask

    @contextlib.contextmanager
    def locked(self, key, timeout=LOCK_TIMEOUT):
        """Hold ``key``'s lock file while fetching its token; after ``timeout`` go on without it."""
        handle = None
        try:
            if fcntl is not None:
                self._ensure()
                handle = os.open(os.path.join(self.directory, key + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
                deadline = time.monotonic() + timeout
                while True:
                    try:
                        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except OSError:
                        if time.monotonic() >= deadline:
                            break
                        time.sleep(0.05)
        except OSError:
            pass  # no lock: at worst one more token request
        try:
            yield
        finally:
            if handle is not None:
                os.close(handle)  # releases the lock

    def store(self, key, access_token, refresh_at):
        try:
            self._ensure()
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
        if self.cache is None:
            return self._fetch(client)
        cached = self.cache.load(self.cache_key)
        if not cached:
            with self.cache.locked(self.cache_key):
                cached = self.cache.load(self.cache_key)  # another process may have fetched it meanwhile
                if not cached:
                    return self._fetch(client)
        self._token, self._refresh_at = cached["access_token"], cached["refresh_at"]
        return None

    def _fetch(self, client):
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
