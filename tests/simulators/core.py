"""The machinery every vendor simulator shares.

A simulator is a routing table of (method, path template) -> handler, a store, and this
core: a threaded HTTP server on 127.0.0.1, request validation against the vendor's
OpenAPI document, bearer-token checks, per-client rate limiting, a request log, fault
injection and per-request latency. Vendor files only add routes, token flow and error
body shape, so an endpoint is a few lines.

Control from another process (demo, benchmarks) goes through ``/__sim__/...``:
GET log, POST reset, POST faults ({"kind": ..., ...}), POST latency ({"seconds": s}).
"""

import copy
import itertools
import json
import os
import random
import re
import ssl
import threading
import time
import uuid
import warnings
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from openapi_core import Config, OpenAPI
from openapi_core.templating.paths.finders import APICallPathFinder
from openapi_core.templating.paths.iterators import TemplatePathsIterator
from openapi_core.testing import MockRequest
from werkzeug.datastructures import ImmutableMultiDict

ADMIN_PREFIX = "/__sim__"
# openapi-core cannot check OAuth2 security schemes; the simulators check tokens themselves.
warnings.filterwarnings("ignore", "Unsupported scheme type")
# The vendor OpenAPI documents the simulators load (copies kept in the repository: see specs/README.md).
SPECS_DIR = Path(os.environ.get("IDENTITY_CLOUD_SPECS") or os.environ.get("IDENTITY_CLOUD_SPECS_DIR")
                 or Path(__file__).resolve().parent / "specs")


class HttpError(Exception):
    """Raised by a handler to answer with the vendor's error shape."""

    def __init__(self, status, message, code=None, details=None, headers=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.details = details or []
        self.headers = headers or {}


class Request:
    def __init__(self, method, path, query, headers, body):
        self.method = method
        self.path = path
        self.query = query  # {name: [values]}
        self.headers = headers
        self.raw = body
        self.params = {}
        self.client_id = None
        ctype = headers.get("Content-Type", "")
        self.content_type = ctype.split(";")[0].strip().lower()
        self.json = None
        self.form = None
        if body:
            if "json" in self.content_type:
                try:
                    self.json = json.loads(body)
                except ValueError:
                    raise HttpError(400, "request body is not valid JSON")
            elif self.content_type == "application/x-www-form-urlencoded":
                self.form = {k: v[0] for k, v in parse_qs(body.decode("utf-8")).items()}

    def arg(self, name, default=None):
        values = self.query.get(name)
        return values[0] if values else default


class Reply:
    def __init__(self, status=200, body=None, headers=None):
        self.status = status
        self.body = body
        self.headers = headers or {}


class Route:
    def __init__(self, method, template, handler, write):
        self.method = method
        self.template = template
        self.handler = handler
        self.write = write
        names = re.findall(r"{(\w+)}", template)
        pattern = re.escape(template)
        for name in names:
            pattern = pattern.replace(re.escape("{%s}" % name), "(?P<%s>[^/]+?)" % name)
        self.regex = re.compile("^" + pattern + "$")


class Fault:
    """One injected misbehaviour: kind in 429, 5xx, reset, lost_reply, slow, expire_token, redirect.

    ``reset`` drops the connection before the request is processed, ``lost_reply`` after;
    ``slow`` processes it after ``delay`` seconds; ``redirect`` answers ``status`` (307) with
    ``Location: location``. Anything else is refused (``ValueError``: the admin call answers 400).
    """

    KINDS = ("429", "5xx", "reset", "lost_reply", "slow", "expire_token", "redirect")

    def __init__(self, kind, count=1, method=None, path=None, status=None, retry_after=None, delay=None,
                 location=None):
        if kind not in self.KINDS:
            raise ValueError("unknown fault kind %r; one of %s" % (kind, ", ".join(self.KINDS)))
        if not isinstance(count, int) or count < 1:
            raise ValueError("count must be a positive integer")
        if kind == "redirect" and not location:
            raise ValueError("a redirect fault needs a location")
        self.kind = kind
        self.count = count
        self.method = method.upper() if method else None
        self.path = re.compile(path) if path else None
        self.status = status
        self.retry_after = retry_after
        self.delay = delay
        self.location = location

    def matches(self, method, path):
        return (self.method is None or self.method == method) and (self.path is None or self.path.search(path))


class ConcretePathsIterator(TemplatePathsIterator):
    """Path templates that match, most concrete first: fewer variables, then more literal text.

    openapi-core only counts variables, so ``/groups/{group_id}`` (document order) would win
    over ``/groups/{group_id}:listMembers`` and a ``:verb`` call was checked as the wrong operation.
    """

    def __call__(self, name, spec, base_url=None):
        found = list(super().__call__(name, spec, base_url=base_url))
        return iter(sorted(found, key=lambda p: (len(p.path_result.variables or {}),
                                                 -len(re.sub(r"{[^}]*}", "", p.path_result.pattern)))))


class ConcretePathFinder(APICallPathFinder):
    paths_iterator = ConcretePathsIterator("paths")


class SpecValidator:
    """Checks a request against the vendor OpenAPI document, as the real API would."""

    # JSON bodies sent under a JSON-suffixed media type (RFC 6902 / 7386) that openapi-core
    # would otherwise hand to the schema as raw bytes.
    JSON_MEDIA_TYPES = ("application/json-patch+json", "application/merge-patch+json")

    def __init__(self, spec, server_url, strict_spec=True):
        extra = {"extra_media_type_deserializers": {m: json.loads for m in self.JSON_MEDIA_TYPES},
                 "path_finder_cls": ConcretePathFinder}
        config = Config(**extra) if strict_spec else Config(spec_validator_cls=None, **extra)
        self.openapi = OpenAPI.from_dict(spec, config=config)
        parts = urlsplit(server_url)
        self.host_url = "%s://%s" % (parts.scheme, parts.netloc)
        self.prefix = parts.path.rstrip("/")

    def errors(self, req):
        mock = MockRequest(self.host_url, req.method, self.prefix + req.spec_path,
                           args={k: v[0] for k, v in req.query.items()}, headers=dict(req.headers),
                           data=req.raw or b"", content_type=req.headers.get("Content-Type", "").lower())
        mock.parameters.query = ImmutableMultiDict([(k, v) for k, vs in req.query.items() for v in vs])
        try:
            self.openapi.validate_request(mock)
        except Exception as exc:  # openapi-core raises a tree of validation errors
            return describe_validation_error(exc)
        return None


def describe_validation_error(exc):
    messages = [str(exc)]
    cause = exc.__cause__ or exc.__context__
    seen = 0
    while cause is not None and seen < 5:
        inner = getattr(cause, "schema_errors", None)
        if inner:
            messages.extend(e.message for e in inner[:5])
        elif str(cause) not in messages:
            messages.append(str(cause))
        cause = cause.__cause__ or cause.__context__
        seen += 1
    return "; ".join(m for m in messages if m)


class Simulator:
    """Base class: subclasses set ``vendor``, register routes and implement the auth flow."""

    vendor = "base"
    rate_limit = None  # (requests, seconds) per client id; None = unlimited
    token_lifetime = 3600

    def __init__(self, validator=None):
        self.validator = validator
        self.routes = []
        self.lock = threading.RLock()
        self.server = None
        self.thread = None
        self.tls = False
        self.latency = 0.0
        self.random_faults = None  # (random.Random, rate): see random_faults()
        self.faulted = []  # requests answered by a random fault (kept out of ``log``)
        self.reset()
        self.register()

    # -- state ----------------------------------------------------------------------------

    def reset(self):
        with self.lock:
            self.store = {}
            self.log = []
            self.faults = []
            self.tokens = {}  # access token -> (client id, expires_at)
            self.windows = {}  # client id -> [timestamps]
            self.ids = itertools.count(1)
            self.seed()

    def seed(self):
        """Subclasses create what a fresh tenant has (users, connectors, ...)."""

    def register(self):
        raise NotImplementedError

    def route(self, method, template, handler, write=None):
        self.routes.append(Route(method, template, handler, method != "GET" if write is None else write))

    def new_id(self):
        return uuid.uuid4().hex

    def collection(self, name):
        return self.store.setdefault(name, {})

    def issue_token(self, client_id, lifetime=None):
        token = "sim-" + uuid.uuid4().hex
        self.tokens[token] = (client_id, time.time() + (lifetime or self.token_lifetime))
        return token

    def inject(self, kind, **kwargs):
        with self.lock:
            self.faults.append(Fault(kind, **kwargs))

    def use_random_faults(self, seed, rate=0.1):
        """Answer ``rate`` of the requests with a fault the client must ride out (seeded).

        Only faults that leave no trace in the API's state or log: 429 and 503 for any method; 502,
        504 and a connection reset before processing for calls that are safe to send again (not POST).
        The faulted requests go to ``faulted``, not ``log``, so tests that count calls hold as they are.
        """
        self.random_faults = None if seed is None else (random.Random(seed), rate)

    def _random_fault(self, method):
        rng, rate = self.random_faults
        if rng.random() >= rate:
            return None
        kinds = ["429", "503"] + (["502", "504", "reset"] if method != "POST" else [])
        kind = rng.choice(kinds)
        if kind == "reset":
            return Fault("reset")
        if kind == "429":
            return Fault("429", retry_after=0)
        return Fault("5xx", status=int(kind))

    def writes(self, since=0):
        return [e for e in self.log[since:] if e["write"]]

    def reads(self, since=0):
        return [e for e in self.log[since:] if not e["write"] and not e["auth"]]

    # -- vendor hooks ---------------------------------------------------------------------

    def error_body(self, error):
        return {"code": error.code or "error", "message": error.message, "details": error.details}

    def is_auth_route(self, path):
        return False

    def authenticate(self, req):
        """Default: a bearer token issued by this simulator. Returns the client id."""
        header = req.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            raise HttpError(401, "missing bearer token", code="unauthorized")
        entry = self.tokens.get(header[7:])
        if entry is None or entry[1] < time.time():
            raise HttpError(401, "token is invalid or expired", code="unauthorized")
        return entry[0]

    def spec_path(self, path):
        """The request path as the vendor spec names it (strip a mount prefix)."""
        return path

    # -- dispatch ---------------------------------------------------------------------------

    def dispatch(self, method, raw_path, headers, body):
        parts = urlsplit(raw_path)
        path = parts.path
        query = parse_qs(parts.query, keep_blank_values=True)
        if path.startswith(ADMIN_PREFIX):
            return self.admin(method, path[len(ADMIN_PREFIX):], body)
        if self.latency:
            time.sleep(self.latency)
        entry = {"method": method, "path": path, "query": dict(query), "status": None,
                 "write": False, "auth": self.is_auth_route(path), "time": time.time(),
                 "content_type": headers.get("Content-Type"), "body": None}
        if body and not entry["auth"]:  # what the client sent, for tests (token requests hold secrets)
            try:
                entry["body"] = json.loads(body)
            except ValueError:
                entry["body"] = body.decode("utf-8", "replace")
        # A call counts as a write attempt unless a read route claims it: a write sent to a
        # wrong path must still show up when a test asserts that nothing was written.
        entry["write"] = method != "GET" and not entry["auth"]
        with self.lock:
            fault = self._random_fault(method) if self.random_faults else None
            if fault is not None:
                self.faulted.append(entry)
            else:
                self.log.append(entry)
                fault = self._take_fault(method, path)
        try:
            if fault is not None:
                reply = self._fault_reply(fault, headers)
                if reply is not None:
                    entry["status"] = reply.status if isinstance(reply, Reply) else reply
                    return reply
            req = Request(method, path, query, headers, body)
            req.spec_path = self.spec_path(path)
            route, params = self._match(method, path)
            entry["write"] = route.write and not entry["auth"]
            req.params = params
            if not entry["auth"]:
                req.client_id = self.authenticate(req)
                self._rate_limit(req.client_id)
                if self.validator is not None:
                    problem = self.validator.errors(req)
                    if problem:
                        raise HttpError(400, "request does not match the API: %s" % problem, code="invalid_request")
            with self.lock:
                reply = route.handler(req)
            if not isinstance(reply, Reply):
                reply = Reply(200, reply)
        except HttpError as err:
            reply = Reply(err.status, self.error_body(err), err.headers)
        entry["status"] = reply.status
        if fault is not None and fault.kind == "lost_reply":
            entry["reply_lost"] = True
            return "reset"  # processed, but the client never hears the answer
        return reply

    def _match(self, method, path):
        allowed = False
        for route in self.routes:
            found = route.regex.match(path)
            if found:
                if route.method == method:
                    return route, found.groupdict()
                allowed = True
        if allowed:
            raise HttpError(405, "method %s not allowed on %s" % (method, path), code="method_not_allowed")
        raise HttpError(404, "no such endpoint: %s" % path, code="not_found")

    def _take_fault(self, method, path):
        for fault in self.faults:
            if fault.count > 0 and fault.matches(method, path):
                fault.count -= 1
                return fault
        return None

    def _fault_reply(self, fault, headers):
        if fault.kind == "429":
            return Reply(429, {"code": "too_many_requests", "message": "rate limit exceeded"},
                         {"Retry-After": str(fault.retry_after if fault.retry_after is not None else 1)})
        if fault.kind == "5xx":
            return Reply(fault.status or 503, {"code": "unavailable", "message": "injected server error"},
                         {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {})
        if fault.kind == "reset":
            return "reset"
        if fault.kind == "slow":
            time.sleep(fault.delay or 2.0)
            return None
        if fault.kind == "lost_reply":
            return None
        if fault.kind == "expire_token":
            token = headers.get("Authorization", "")[7:]
            with self.lock:
                self.tokens.pop(token, None)
            return None
        if fault.kind == "redirect":
            return Reply(fault.status or 307, None, {"Location": fault.location})
        raise ValueError("unknown fault kind %r" % fault.kind)

    def _rate_limit(self, client_id):
        if not self.rate_limit:
            return
        count, window = self.rate_limit
        now = time.time()
        with self.lock:
            stamps = [t for t in self.windows.get(client_id, []) if t > now - window]
            if len(stamps) >= count:
                wait = max(1, int(stamps[0] + window - now + 0.999))
                self.windows[client_id] = stamps
                raise HttpError(429, "rate limit exceeded", code="too_many_requests",
                                headers={"Retry-After": str(wait)})
            stamps.append(now)
            self.windows[client_id] = stamps

    def admin(self, method, path, body):
        data = json.loads(body) if body else {}
        if path == "/log" and method == "GET":
            return Reply(200, self.log)
        if path == "/reset" and method == "POST":
            self.reset()
            return Reply(204)
        if path == "/faults" and method == "POST":
            try:
                self.inject(data.pop("kind", None), **data)
            except (TypeError, ValueError, re.error) as exc:
                return Reply(400, {"message": "bad fault: %s" % exc})
            return Reply(204)
        if path == "/latency" and method == "POST":
            self.latency = float(data.get("seconds", 0))
            return Reply(204)
        if path == "/store" and method == "GET":
            return Reply(200, copy.deepcopy(self.store))
        return Reply(404, {"message": "unknown admin call"})

    # -- server -------------------------------------------------------------------------------

    def start(self, port=0, host="127.0.0.1", tls=None):
        """Serve on ``host:port`` (0: any free port); ``tls=(certificate file, key file)`` serves HTTPS."""
        sim = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # TCP_NODELAY: headers and body go out in two writes; with Nagle + delayed ACK every
            # answer on a kept-alive connection waited ~40 ms
            disable_nagle_algorithm = True

            def log_message(self, *args):
                pass

            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                try:
                    reply = sim.dispatch(self.command, self.path, self.headers, body)
                except Exception as exc:  # a simulator bug must show up as a 500, not a hang
                    reply = Reply(500, {"code": "simulator_error", "message": "%s: %s" % (type(exc).__name__, exc)})
                if reply == "reset":
                    self.close_connection = True
                    try:
                        self.connection.shutdown(2)
                    except OSError:
                        pass
                    return
                payload = b""
                if reply.body is not None:
                    payload = json.dumps(reply.body).encode("utf-8")
                self.send_response(reply.status)
                headers = dict(reply.headers)
                if payload:
                    headers.setdefault("Content-Type", "application/json")
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.send_header("X-Request-Id", uuid.uuid4().hex[:16])
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 128

        self.server = Server((host, port), Handler)
        self.tls = bool(tls)
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, name="%s-sim" % self.vendor, daemon=True)
        self.thread.start()
        return self.url

    @property
    def url(self):
        host, port = self.server.server_address[:2]
        return "%s://%s:%d" % ("https" if self.tls else "http", host, port)

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
