# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A client-side rate limit shared by every run of the collection on one controller.

Several forks of one playbook (and several playbooks) that use the same client id share
one quota on the vendor's side (SailPoint: 100 requests per 10 s per client id). Each
process only knows its own calls, so without coordination they collect 429s and sleep out
``Retry-After`` together. ``SharedRateLimit`` keeps the send times of the last ``limit``
calls in a small file next to the token cache, locked with ``flock`` while it is read and
written: a call may go when fewer than ``limit`` calls went in the last ``period`` seconds
(a sliding window, the exact form of a token bucket that holds ``limit`` tokens and refills
them ``period`` seconds after use). Otherwise the caller sleeps until the oldest call leaves
the window. A 429 that still comes (another tool on the same client id) is retried by the
HTTP client after ``Retry-After`` as before.

The file holds only times. Its name is a digest of the tenant URL and the client id. The
folder follows the token cache's rules: a folder this code creates gets mode 0700; an
existing folder that others can write is refused (``RateLimitError``), never re-moded.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import hashlib
import json
import os
import stat
import time

try:
    import fcntl
except ImportError:  # pragma: no cover - not on the controllers Ansible supports
    fcntl = None

# Send times are taken before the request leaves; the server stamps it on arrival. A call
# that travels faster than the one ``limit`` calls before it would arrive inside the window,
# so the window is kept this much longer than the vendor's.
MARGIN = 0.02


class RateLimitError(Exception):
    """The shared limiter cannot be used safely (its folder)."""


def safe_directory(directory):
    """Create ``directory`` 0700 if missing; refuse an existing one others can write."""
    try:
        os.makedirs(directory, mode=0o700)
    except FileExistsError:
        pass
    except OSError as exc:
        raise RateLimitError("rate limit folder %s cannot be created: %s" % (directory, exc.strerror or exc))
    info = os.stat(directory)
    if not stat.S_ISDIR(info.st_mode):
        raise RateLimitError("rate limit folder %s is not a folder" % directory)
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise RateLimitError("rate limit folder %s can be written by other users (mode %o); "
                             "set token_cache_dir to a private folder" % (directory, stat.S_IMODE(info.st_mode)))
    return directory


class SharedRateLimit:
    """At most ``limit`` calls per ``period`` seconds for every process using the same file."""

    def __init__(self, directory, key, limit=100, period=10.0, clock=time.time, sleep=time.sleep):
        self.path = os.path.join(directory, "ratelimit-%s.json" % hashlib.sha256(key.encode("utf-8")).hexdigest()[:32])
        self.limit = int(limit)
        self.period = float(period) * (1 + MARGIN)
        self.clock = clock
        self.sleep = sleep
        self.waited = 0.0  # seconds this process spent waiting (shown by benchmarks)
        self.calls = 0

    def __call__(self):
        """Wait until a call may be sent, and count it."""
        while True:
            with self._locked() as handle:
                now = self.clock()
                stamps = [t for t in _read(handle) if now - self.period < t <= now + self.period]
                if len(stamps) < self.limit:
                    stamps.append(now)
                    _write(handle, stamps[-self.limit:])
                    self.calls += 1
                    return
                wait = stamps[-self.limit] + self.period - now
            wait = max(wait, 0.005)
            self.waited += wait
            self.sleep(wait)

    @contextlib.contextmanager
    def _locked(self):
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(self.path, flags, 0o600)
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            yield fd
        finally:
            os.close(fd)  # closing releases the lock


def _read(fd):
    os.lseek(fd, 0, os.SEEK_SET)
    data = b""
    while True:
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        data += chunk
    try:
        stamps = json.loads(data.decode("utf-8")) if data else []
    except ValueError:
        return []  # a damaged file only forgets the recent calls
    return [float(t) for t in stamps if isinstance(t, (int, float))] if isinstance(stamps, list) else []


def _write(fd, stamps):
    data = json.dumps([round(t, 4) for t in stamps]).encode("utf-8")
    os.lseek(fd, 0, os.SEEK_SET)
    os.ftruncate(fd, 0)
    os.write(fd, data)


def shared_rate_limit(directory, key, limit, period):
    """The limiter for ``key``, or None when ``limit`` is 0 (switched off)."""
    if not limit:
        return None
    if limit < 0 or period <= 0:
        raise RateLimitError("rate_limit must be 0 (off) or more and rate_limit_period more than 0, got %s per %s s"
                             % (limit, period))
    return SharedRateLimit(safe_directory(directory), key, limit, period)
