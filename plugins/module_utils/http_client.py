# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One HTTP client for every vendor: session, timeouts, retries, pagination, errors, redaction.

Nothing here knows a vendor. Vendor adapters pass in the base URL, an auth
provider, an error parser and the pagination style they need.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import email.utils
import json
import os
import random
import re
import threading
import time
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

from ansible_collections.identity.cloud.plugins.module_utils.transport import (
    DEFAULT_PORTS,
    Transport,
    TransportError,
    encode_multipart,
    encode_query,
)

READ_METHODS = frozenset(("GET", "HEAD", "OPTIONS"))
# Sending these again has the same effect as sending them once: they are retried like reads
# after a 502/504 or a lost answer. A POST that is idempotent (a custom method such as
# ``:addMembers``) says so with ``request(..., idempotent=True)``.
IDEMPOTENT_METHODS = frozenset(("GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"))
RETRY_STATUSES = frozenset((429, 502, 503, 504))
MAX_REDIRECTS = 5
MESSAGE_LIMIT = 240  # characters of a server message kept in the one-line error (the body stays in ``error``)
# A 429 or 503 is the server saying it did not process the request, so even a POST
# may be sent again. A 502/504 or a dropped connection after the request left may
# mean it was processed: a POST is then handed back to the caller to re-read first.
SAFE_TO_REPLAY_STATUSES = frozenset((429, 503))
SECRET_KEY_PARTS = ("password", "secret", "token", "authorization", "apikey", "privatekey")
REDACTED = "********"


def redact(value, extra_keys=()):
    """Return a copy of ``value`` with every secret-looking field replaced."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            lowered = str(key).lower().replace("-", "").replace("_", "")
            if any(part in lowered for part in SECRET_KEY_PARTS) or key in extra_keys:
                out[key] = REDACTED if item not in (None, "") else item
            else:
                out[key] = redact(item, extra_keys)
        return out
    if isinstance(value, list):
        return [redact(item, extra_keys) for item in value]
    return value


class InputError(Exception):
    """Bad user input found before anything was written (``resource.InputError`` is this class)."""


class ApiError(Exception):
    """An HTTP call that did not succeed, described in one line without secrets.

    ``ambiguous``: the server may have processed the call (no answer, 502, 504). ``pending``: it may
    still be processing it (read timeout, 504), so a re-read right away can miss what it creates.
    ``retry``: the client's ``RetryPolicy``, for callers that wait and re-read (see ``pause``).
    """

    def __init__(self, method, path, status=None, code=None, message=None, request_id=None, body=None, ambiguous=False,
                 pending=False, retry=None):
        self.method = method
        self.path = path
        self.status = status
        self.code = code
        self.message = message
        self.request_id = request_id
        self.body = body
        self.ambiguous = ambiguous
        self.pending = pending
        self.retry = retry
        self.timeout = None  # the client's read timeout, set for a call that got no answer in time
        super(ApiError, self).__init__(self.describe())

    def describe(self):
        parts = ["%s %s" % (self.method, self.path)]
        parts.append("failed: HTTP %s" % self.status if self.status else "failed")
        if self.code:
            parts.append("[%s]" % one_line(self.code, 60))
        if self.message:
            parts.append(one_line(self.message))
        if self.request_id:
            parts.append("(request id %s)" % self.request_id)
        return " ".join(parts)

    def as_dict(self):
        return {
            "method": self.method,
            "path": self.path,
            "status": self.status,
            "code": self.code,
            "message": self.message,
            "request_id": self.request_id,
            "body": self.body,
        }


def one_line(text, limit=MESSAGE_LIMIT):
    """``text`` on one line (runs of white space collapsed), cut at ``limit`` characters with a note."""
    text = re.sub(r"\s+", " ", str(text)).strip()
    if len(text) <= limit:
        return text
    return "%s... (%d characters; the whole answer is in error.body)" % (text[:limit], len(text))


def url_problem(value):
    """Why ``value`` is not an http(s) URL without control characters (one line), or None."""
    if not isinstance(value, str):
        return "must be a URL string, got %s" % type(value).__name__
    if re.search(r"[\x00-\x20\x7f]", value):
        return "must not contain spaces or control characters"
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        return "is not a valid URL (%s)" % exc
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return "must be an http:// or https:// URL with a host, got scheme %r" % (parts.scheme or "none")
    return None


def mask_url(url):
    """``url`` with the password of its user information (``user:pass@``) replaced by ``********``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit((parts.scheme, "%s:%s@%s" % (parts.username, REDACTED, host), parts.path, parts.query,
                       parts.fragment))


def url_secrets(url):
    """The password and ``user:password`` of a URL's user information, to hide from output."""
    try:
        parts = urlsplit(url or "")
    except ValueError:
        return []
    if not parts.password:
        return []
    userinfo = parts.netloc.rsplit("@", 1)[0]
    return [s for s in (parts.password, unquote(parts.password), userinfo) if s]


def path_segment(value, option="id"):
    """``value`` percent-encoded as ONE path segment (``/ ? # % : ;`` and all else escaped).

    Raises ``InputError`` naming ``option`` for values that cannot stand in a path: empty, ``.``,
    ``..`` (HTTP libraries remove them, so the call would reach the parent) or with control characters.
    """
    text = value if isinstance(value, str) else str(value)
    if text.strip() in ("", ".", ".."):
        raise InputError("%s must not be empty, '.' or '..' (it is part of a URL path), got %r" % (option, text))
    if re.search(r"[\x00-\x1f\x7f]", text):
        raise InputError("%s must not contain control characters" % option)
    return quote(text, safe="")


def path_problem(path):
    """Why a request path would not reach the object it names (empty, '.' or '..' segment), or None."""
    route = urlsplit(path).path if "://" in path else path.split("?", 1)[0]
    segments = route.split("/")[1:] if route.startswith("/") else route.split("/")
    for segment in segments:
        if unquote(segment) in ("", ".", ".."):
            return "it has an empty, '.' or '..' segment"
    if re.search(r"[\x00-\x20\x7f]", route):
        return "it has spaces or control characters"
    return None


def origin(url):
    parts = urlsplit(url)
    port = parts.port or DEFAULT_PORTS.get(parts.scheme.lower())
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


class CheckModeWriteError(AssertionError):
    """Raised when something tries to write while Ansible runs in check mode: always a bug."""


def default_error_parser(body):
    """Return (code, message) from a JSON error body of unknown shape."""
    if isinstance(body, dict):
        code = body.get("code") or body.get("error") or body.get("errorName") or body.get("name")
        message = body.get("message") or body.get("detail") or body.get("error_description") or body.get("title")
        return code, message
    if isinstance(body, str) and body:
        return None, body[:300]
    return None, None


def parse_retry_after(value, now=None):
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date); None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


class RetryPolicy:
    """Jittered exponential backoff bounded by a count and a total time budget."""

    def __init__(self, max_retries=5, budget=60.0, base_delay=0.5, max_delay=20.0, sleep=time.sleep):
        self.max_retries = max_retries
        self.budget = budget
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.sleep = sleep

    def delay(self, attempt, retry_after=None):
        if retry_after is not None:
            return min(retry_after, self.max_delay * 3)
        ceiling = min(self.max_delay, self.base_delay * (2 ** attempt))
        return random.uniform(ceiling / 2.0, ceiling)

    def waits(self, at_least=0.0):
        """The pauses a caller that re-reads (instead of re-sending) takes: one per retry, and more until
        ``at_least`` seconds have passed, within the budget."""
        spent = 0.0
        attempt = 0
        while attempt < self.max_retries or spent < at_least:
            wait = self.delay(min(attempt, self.max_retries))
            if spent + wait > self.budget:
                return
            spent += wait
            attempt += 1
            yield wait


class Response:
    """What a call returns: status, parsed body and headers."""

    __slots__ = ("status", "data", "headers")

    def __init__(self, status, data, headers):
        self.status = status
        self.data = data
        self.headers = headers


class ApiClient:
    """The collection's policies (retries, redirects, errors, check mode) over one ``Transport``.

    ``auth`` is an object from ``auth.py``: ``headers(client)`` gives the auth
    headers, ``refresh(client)`` drops a stale token and says whether a retry
    can help. ``error_parser(body) -> (code, message)`` reads the vendor's error body.
    """

    def __init__(self, base_url, auth=None, timeout=30, validate_certs=True, ca_path=None, proxy=None,
                 check_mode=False, retry=None, error_parser=None, request_id_headers=(), user_agent=None,
                 pool_size=10, secret_fields=(), throttle=None):
        self.base_url = base_url.rstrip("/")
        self.auth = auth
        self.timeout = (min(10.0, float(timeout)), float(timeout))
        self.check_mode = check_mode
        self.retry = retry or RetryPolicy()
        self.error_parser = error_parser or default_error_parser
        self.request_id_headers = tuple(request_id_headers) + ("X-Request-Id", "X-Correlation-Id")
        self.secret_fields = tuple(secret_fields)
        self.throttle = throttle  # called before every send, retries included (a client-side rate limiter)
        self.calls = []  # (method, path, status) of every HTTP exchange, for debugging output
        self._lock = threading.Lock()
        # The task's options win over the environment, which is read only for what the task left unset.
        self.transport = Transport(timeout=self.timeout, verify=validate_certs, proxy=proxy, pool_size=pool_size,
                                   ca_path=(ca_path or environ_ca_bundle()) if validate_certs else None,
                                   headers={"User-Agent": user_agent or "identity.cloud-ansible",
                                            "Accept": "application/json"})
        self.headers = self.transport.headers  # sent with every call; adapters add their own

    # -- single calls -------------------------------------------------------------------------

    def url(self, path):
        if path.startswith("http://") or path.startswith("https://"):
            return path
        return self.base_url + "/" + path.lstrip("/")

    def request(self, method, path, params=None, json_body=None, form=None, headers=None, content_type=None,
                expect=None, read_only=False, authenticated=True, idempotent=None, files=None):
        """Send one call with retries; return a ``Response`` or raise ``ApiError``.

        ``read_only`` marks a non-GET call that changes nothing (a search, a token request),
        which may run in check mode. ``expect`` lists statuses treated as success besides 2xx
        (e.g. 404 for a lookup). ``idempotent`` (default: GET, PUT, PATCH, DELETE) marks a call
        that may be sent again after a 502/504 or a lost answer. ``files`` makes a multipart upload:
        ``{name: (filename, data[, content type])}``, a filename of None for a plain field; ``form``
        then holds the other fields. Otherwise a ``form`` dict is sent URL-encoded.
        """
        method = method.upper()
        if self.check_mode and method not in READ_METHODS and not read_only:
            raise CheckModeWriteError("refusing %s %s in check mode" % (method, path))
        problem = path_problem(path)
        if problem:
            raise InputError("refusing %s %s: %s (an id or name given would leave its own path)" % (
                method, mask_url(path.split("?", 1)[0]), problem))
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        replay_anything = idempotent or read_only
        send_headers = dict(headers or {})
        data = None
        if json_body is not None:
            data = json.dumps(json_body).encode("utf-8")
            send_headers["Content-Type"] = content_type or "application/json"
        elif files is not None:
            data, send_headers["Content-Type"] = encode_multipart(form, files)
        elif form is not None:
            data = encode_query(form) if isinstance(form, dict) else form
            data = data.encode("utf-8") if isinstance(data, str) else data
            send_headers["Content-Type"] = content_type or "application/x-www-form-urlencoded"
        url = self.url(path)
        if params:
            query = encode_query(params)
            url = url + ("&" if "?" in url else "?") + query if query else url
        shown = mask_url(path.split("?", 1)[0])
        started = [time.monotonic(), 0.0]
        attempt = 0
        refreshed = False
        while True:
            call_headers = dict(send_headers)
            if authenticated and self.auth is not None:
                call_headers.update(self.auth.headers(self))
            if self.throttle is not None and authenticated:  # token requests are not paced
                self.throttle()
            try:
                resp = self._send(method, url, data, call_headers)
            except TransportError as exc:
                # an untrusted certificate or a request http.client refuses does not change on a retry
                retryable = exc.kind not in ("certificate", "invalid") and (replay_anything or not exc.sent)
                if retryable and self._may_retry(attempt, started, None):
                    attempt += 1
                    continue
                error = ApiError(method, shown, message=exc.detail, ambiguous=exc.sent,
                                 pending=exc.kind == "read_timeout", retry=self.retry)
                error.timeout = self.timeout[1]
                raise error
            self._record(method, path, resp.status)
            if resp.status == 401 and authenticated and self.auth is not None and not refreshed:
                refreshed = True
                if self.auth.refresh(self):
                    continue
            if resp.status in RETRY_STATUSES:
                replayable = replay_anything or resp.status in SAFE_TO_REPLAY_STATUSES
                retry_after = parse_retry_after(resp.headers.get("Retry-After"))
                if replayable and self._may_retry(attempt, started, retry_after):
                    attempt += 1
                    continue
            if 300 <= resp.status < 400 and resp.headers.get("Location"):
                raise ApiError(method, shown, resp.status, message=self._redirect_problem(url, resp, data))
            body = _parse_body(resp)
            if resp.status < 300 or (expect and resp.status in expect):
                return Response(resp.status, body, resp.headers)
            raise self._error(method, path, resp, body, ambiguous=resp.status in (502, 504),
                              pending=resp.status == 504)

    def _send(self, method, url, data, headers):
        """One exchange; a redirect is followed only to the same origin and without a body."""
        for _hop in range(MAX_REDIRECTS + 1):
            resp = self.transport.send(method, url, data, headers)
            target = resp.headers.get("Location") if 300 <= resp.status < 400 else None
            if not target:
                return resp
            target = urljoin(url, target)
            if data is not None or origin(target) != origin(url) or path_problem(target):
                return resp  # refused by request(), with the target named
            url = target
        return resp

    @staticmethod
    def _redirect_problem(url, resp, data):
        target = urljoin(url, resp.headers["Location"])
        parts = urlsplit(mask_url(target))
        shown = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        why = ("it would re-send the request body" if data is not None and origin(target) == origin(url)
               else "it leads to another origin" if origin(target) != origin(url) else "too many redirects")
        return "the server redirected to %s; not followed: %s (set the URL option to the final address)" % (
            shown, why)

    def _may_retry(self, attempt, started, retry_after):
        """Sleep before the next attempt, or say no when the count or the time budget is spent.

        ``started`` is [monotonic start, seconds slept so far]: the budget counts the larger,
        so that it holds with a sleep function that does not really sleep (tests).
        """
        if attempt >= self.retry.max_retries:
            return False
        wait = self.retry.delay(attempt, retry_after)
        spent = max(time.monotonic() - started[0], started[1])
        if spent + wait > self.retry.budget:
            return False
        self.retry.sleep(wait)
        started[1] += wait
        return True

    def _record(self, method, path, status):
        with self._lock:
            self.calls.append((method, path.split("?", 1)[0], status))

    def _error(self, method, path, resp, body, ambiguous=False, pending=False):
        code, message = self.error_parser(body)
        request_id = None
        for name in self.request_id_headers:
            if resp.headers.get(name):
                request_id = resp.headers[name]
                break
        if isinstance(message, (dict, list)):
            message = json.dumps(redact(message, self.secret_fields))
        return ApiError(method, mask_url(path.split("?", 1)[0]), resp.status, code, message, request_id,
                        redact(body, self.secret_fields), ambiguous=ambiguous, pending=pending, retry=self.retry)

    def get(self, path, params=None, expect=None):
        return self.request("GET", path, params=params, expect=expect)

    def get_or_none(self, path, params=None):
        """GET that answers None for 404."""
        resp = self.request("GET", path, params=params, expect=(404,))
        return None if resp.status == 404 else resp.data

    def post(self, path, body=None, **kwargs):
        return self.request("POST", path, json_body=body, **kwargs)

    def put(self, path, body=None, **kwargs):
        return self.request("PUT", path, json_body=body, **kwargs)

    def patch(self, path, body=None, **kwargs):
        return self.request("PATCH", path, json_body=body, **kwargs)

    def delete(self, path, **kwargs):
        kwargs.setdefault("expect", (404,))
        return self.request("DELETE", path, **kwargs)

    # -- pagination ---------------------------------------------------------------------------

    def paginate_offset(self, path, params=None, limit=250, concurrency=1):
        """SailPoint style: ``limit``/``offset`` over bare JSON arrays; stops on a short page.

        With ``concurrency`` above 1 the first page asks for the total (``count=true`` ->
        ``X-Total-Count``) and the other pages are read ``concurrency`` at a time, yielded in order;
        without a usable total, or when the last of them is full (objects added meanwhile), the
        pages that follow are read one by one.
        """
        params = dict(params or {})
        offset = int(params.pop("offset", 0))
        if concurrency > 1:
            resp = self.get(path, params=dict(params, limit=limit, offset=offset, count="true"))
            page = resp.data or []
            yield from page
            total = str(resp.headers.get("X-Total-Count") or "").strip()
            if len(page) < limit:
                return
            offset += limit
            if total.isdigit() and int(total) > offset:
                offsets = range(offset, int(total), limit)
                pages = run_parallel(lambda at: self.get(path, params=dict(params, limit=limit, offset=at)).data or [],
                                     offsets, concurrency)
                for page in pages:
                    yield from page
                if len(pages[-1]) < limit:
                    return
                offset = offsets[-1] + limit
        while True:
            page = self.get(path, params=dict(params, limit=limit, offset=offset)).data or []
            yield from page
            if len(page) < limit:
                return
            offset += limit

    def paginate_token(self, path, items_key, params=None, page_size=100, token_param="page_token",
                       next_key="next_page_token"):
        """Beyond Identity style: ``page_size`` + opaque ``page_token`` until no next token."""
        params = dict(params or {})
        params["page_size"] = page_size
        while True:
            data = self.get(path, params=params).data or {}
            yield from data.get(items_key) or []
            token = data.get(next_key)
            if not token:
                return
            params[token_param] = token

    def list_all(self, path, params=None, items_key=None):
        """Unpaged lists (FINBOURNE): a bare array, or the array under ``items_key``."""
        data = self.get(path, params=params).data
        if items_key and isinstance(data, dict):
            data = data.get(items_key)
        return list(data or [])


def run_parallel(func, items, concurrency):
    """``[func(item) for item in items]``, up to ``concurrency`` calls at a time, results in the items' order.

    The first error raised stops what has not started yet and is raised again here.
    """
    items = list(items)
    if concurrency <= 1 or len(items) < 2:
        return [func(item) for item in items]
    pool = ThreadPoolExecutor(max_workers=min(concurrency, len(items)))
    try:
        futures = [pool.submit(func, item) for item in items]
        done, _pending = wait(futures, return_when=FIRST_EXCEPTION)
        for future in futures:
            if future in done and future.exception() is not None:
                for other in futures:
                    other.cancel()
                raise future.exception()
        return [future.result() for future in futures]
    finally:
        pool.shutdown(wait=True)


def environ_ca_bundle():
    """The CA bundle the standard variables name, for a task that sets neither ca_path nor validate_certs false."""
    return os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or None


def _parse_body(resp):
    if not resp.content:
        return None
    try:
        return json.loads(resp.content)
    except ValueError:
        pass
    charset = (resp.headers.get_content_charset() if hasattr(resp.headers, "get_content_charset") else None) or "utf-8"
    try:
        return resp.content.decode(charset, "replace")
    except LookupError:
        return resp.content.decode("utf-8", "replace")
