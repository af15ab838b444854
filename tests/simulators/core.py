"""The machinery every vendor simulator shares.

A simulator is a routing table of (method, path template) -> handler, a store, and this
core: an HTTP server on 127.0.0.1 (wire.py), request validation against the vendor's
OpenAPI document, bearer-token checks, per-client rate limiting, a request log, fault
injection and per-request latency. Vendor files only add routes, token flow and error
body shape, so an endpoint is a few lines.

Control from another process (demo, benchmarks) goes through ``/__sim__/...``:
GET log, POST reset, POST faults ({"kind": ..., ...}), POST latency ({"seconds": s}),
GET stats (the process's CPU seconds and the requests logged).
"""

import copy
import email.parser
import email.policy
import fnmatch
import hashlib
import itertools
import json
import os
import random
import re
import ssl
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import jsonschema_rs

from tests.simulators.wire import EventLoopServer, Reply, threaded_server

ADMIN_PREFIX = "/__sim__"
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


_SECOND = (None, "")  # (a whole second, its date and time of day formatted)


def utc_now(digits=6):
    """Now in UTC as ISO 8601 with ``digits`` decimals and a Z, as strftime writes it (the date and
    time of day are formatted once a second: strftime was a tenth of the simulators' CPU per write)."""
    global _SECOND
    moment = time.time()
    second = int(moment)
    cached = _SECOND
    if cached[0] != second:
        cached = _SECOND = (second, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second)))
    return "%s.%sZ" % (cached[1], ("%06d" % int((moment - second) * 1e6))[:digits])


def clone(value):
    """A copy of JSON data (dicts, lists, scalars): what copy.deepcopy does, several times faster."""
    if isinstance(value, dict):
        return {key: clone(item) for key, item in value.items()}
    if isinstance(value, list):
        return [clone(item) for item in value]
    return value


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
        self.depth = template.count("/")  # a variable never spans a "/": only paths this deep can match


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


class SpecValidator:
    """Checks a request against the vendor OpenAPI 3.0 document, as the real API would.

    The same checks openapi-core makes for a request (path and operation, parameters cast and
    validated, required body, media type, body schema in its "write" reading: readOnly
    properties may not be sent and are not required, ``nullable``, the OpenAPI formats), at a
    fraction of the cost: a route table compiled once per document (path templates, most
    concrete first) and, for each operation on its first use, compiled ``jsonschema_rs``
    validators for its parameters and bodies. ``strict_spec`` checks the document itself once.
    """

    # JSON bodies sent under a JSON-suffixed media type (RFC 6902 / 7386), read as JSON too;
    # a vendor's validator adds the document's own (e.g. FINBOURNE's ``text/json``).
    JSON_MEDIA_TYPES = ("application/json-patch+json", "application/merge-patch+json")

    def __init__(self, spec, server_url, strict_spec=True):
        if strict_spec:
            _check_document(spec)
        self.spec = spec
        parts = urlsplit(server_url)
        self.host_url = "%s://%s" % (parts.scheme, parts.netloc)
        self.prefix = parts.path.rstrip("/")
        self.schemas = _SchemaCompiler(spec)
        routes = []
        for template, item in (spec.get("paths") or {}).items():
            names = re.findall(r"{([^}]+)}", template)
            pattern = "^" + "([^/]+)".join(re.escape(part) for part in re.split(r"{[^}]+}", template)) + "$"
            literal = len(re.sub(r"{[^}]*}", "", template))
            routes.append(((len(names), -literal), re.compile(pattern), names, template, item))
        # openapi-core's order plus the ConcretePathFinder fix: fewer variables, then more literal
        # text, so that ``/groups/{id}:listMembers`` wins over ``/groups/{id}``
        self.routes = {}  # path depth -> routes, in that order
        for route in sorted(routes, key=lambda r: r[0]):
            self.routes.setdefault(route[3].count("/"), []).append(route[1:])
        self.operations = {}  # (template, method) -> _Operation, compiled on first use
        self.lock = threading.Lock()

    def operation(self, method, path):
        """(compiled operation, path parameters) for a request path, or an error message."""
        method = method.lower()
        found = False
        for regex, names, template, item in self.routes.get(path.count("/"), ()):
            match = regex.match(path)
            if match is None:
                continue
            found = True
            if method not in item:
                continue
            key = (template, method)
            compiled = self.operations.get(key)
            if compiled is None:
                with self.lock:
                    compiled = self.operations.get(key)
                    if compiled is None:
                        compiled = self.operations[key] = _Operation(self, item, item[method])
            return compiled, dict(zip(names, match.groups())), None
        url = self.host_url + self.prefix + path
        if found:
            return None, None, "Operation %s not found for %s" % (method, url)
        return None, None, "Path not found for %s" % url

    def errors(self, req):
        """None when the request matches the document, else what is wrong (one line)."""
        compiled, path_params, problem = self.operation(req.method, req.spec_path)
        if problem:
            return problem
        return compiled.errors(req, path_params)


def _check_document(spec):
    """The document must itself be valid OpenAPI (checked once per document content)."""
    key = hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode("utf-8")).hexdigest()
    if key in _CHECKED_DOCUMENTS:
        return
    from openapi_spec_validator import validate  # only needed once per document

    validate(spec)
    _CHECKED_DOCUMENTS.add(key)


_CHECKED_DOCUMENTS = set()
_INT_RANGES = {"int32": (-(1 << 31), (1 << 31) - 1), "int64": (-(1 << 63), (1 << 63) - 1)}
_BOOLEANS = {"y": True, "yes": True, "t": True, "true": True, "on": True, "1": True,
             "n": False, "no": False, "f": False, "false": False, "off": False, "0": False}


class _SchemaCompiler:
    """OpenAPI 3.0 Schema Objects as compiled JSON Schema (draft 4) validators, write reading."""

    def __init__(self, spec):
        self.spec = spec
        self.components = None
        self.formats = None

    def resolve(self, obj):
        """A ``$ref`` into the document, followed (parameters, request bodies, schemas)."""
        seen = 0
        while isinstance(obj, dict) and "$ref" in obj and seen < 20:
            target = self.spec
            for part in obj["$ref"].lstrip("#/").split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            obj, seen = target, seen + 1
        return obj

    def compile(self, schema):
        if not schema:
            return None
        converted = _convert(schema)
        if "#/components/" in json.dumps(converted):
            if self.components is None:
                self.components = _convert(self.spec.get("components") or {}, top=True)
            converted = {"allOf": [converted], "components": self.components}
        return jsonschema_rs.Draft4Validator(converted, validate_formats=True, formats=self._formats())

    def _formats(self):
        """Every format the document names, checked the way openapi-core checks it."""
        if self.formats is None:
            from openapi_schema_validator import oas30_format_checker

            names = set(re.findall(r"'format': '([^']+)'", repr(self.spec)))
            self.formats = {name: (lambda value, name=name: oas30_format_checker.conforms(value, name))
                            for name in names}
        return self.formats


def _convert(schema, top=False):
    """OpenAPI 3.0 Schema Object -> JSON Schema draft 4, as openapi-core reads it in a request.

    ``nullable: true`` with a type admits null; a readOnly property may not be sent and is not
    required; ``$ref`` keeps its sibling keywords (openapi-core applies them); integer formats
    bound the value; OpenAPI-only keywords are dropped.
    """
    if isinstance(schema, list):
        return [_convert(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if top:  # components: a mapping of names, not a schema
        return {key: {name: _convert(value) for name, value in group.items()} if key == "schemas" else {}
                for key, group in schema.items() if isinstance(group, dict)}
    out = {}
    for key, value in schema.items():
        if key in ("properties", "definitions", "patternProperties"):
            out[key] = {name: _convert(sub) for name, sub in value.items()}
        elif key in ("items", "additionalProperties", "not", "allOf", "anyOf", "oneOf"):
            out[key] = _convert(value)
        elif key in ("discriminator", "readOnly", "writeOnly", "xml", "externalDocs", "example", "examples",
                     "deprecated", "nullable", "default") or key.startswith("x-"):
            continue
        else:
            out[key] = value
    if schema.get("nullable") is True and "type" in out:
        out["type"] = [out["type"], "null"]
    if schema.get("readOnly") is True:
        out = {"not": {}}  # a request may not carry it
    bounds = _INT_RANGES.get(schema.get("format"))
    if bounds and "$ref" not in out:
        out = {"allOf": [out, {"minimum": bounds[0], "maximum": bounds[1]}]}
    if isinstance(schema.get("required"), list):
        props = schema.get("properties") or {}
        out["required"] = [name for name in schema["required"]
                           if not (isinstance(props.get(name), dict) and props[name].get("readOnly") is True)]
        if not out["required"]:
            del out["required"]  # draft 4 wants at least one name
    if "$ref" in out and len(out) > 1:
        ref = out.pop("$ref")
        out = {"allOf": [{"$ref": ref}, out]}
    return out


class _Operation:
    """One operation's parameters and body, with their validators compiled."""

    def __init__(self, validator, path_item, op):
        compiler = validator.schemas
        # media types whose bodies are read as JSON: openapi-core's own list plus the validator's
        self.json_media_types = ("application/json", "application/vnd.api+json") + tuple(validator.JSON_MEDIA_TYPES)
        self.params = []
        seen = set()
        for param in list(op.get("parameters") or []) + list(path_item.get("parameters") or []):
            param = compiler.resolve(param)
            key = (param["name"], param["in"])
            if key in seen:
                continue
            seen.add(key)
            schema = compiler.resolve(param.get("schema") or {})
            if "content" in param:  # a parameter carried as a media type: its first entry's schema
                first = next(iter(param["content"].values()), {}) or {}
                schema = compiler.resolve(first.get("schema") or {})
            self.params.append(_Param(param, schema, compiler.compile(param.get("schema")), compiler))
        body = compiler.resolve(op.get("requestBody"))
        self.body = None
        if body:
            content = {}
            for media_type, entry in (body.get("content") or {}).items():
                entry = entry or {}
                content[media_type] = compiler.compile(entry.get("schema")) if entry.get("schema") else None
            self.body = (bool(body.get("required")), content)

    def errors(self, req, path_params):
        problems = []
        for param in self.params:
            problem = param.check(req, path_params)
            if problem:
                problems.append(problem)
        if self.body is not None:
            problem = self._body_errors(req)
            if problem:
                problems.append(problem)
        return "; ".join(problems) or None

    def _body_errors(self, req):
        required, content = self.body
        if not req.raw:
            return "Missing required request body" if required else None
        header = req.headers.get("Content-Type", "") or ""
        mime = header.split(";")[0].strip().lower()
        key = header.lower() if header.lower() in content else mime if mime in content else None
        if key is None:
            key = next((k for k in content if mime and fnmatch.fnmatch(mime, k)), None)
        if key is None:
            return "Content for the following mimetype not found: %s. Valid mimetypes: %s" % (
                header.lower(), list(content))
        validator = content[key]
        if validator is None:
            return None
        if key in self.json_media_types:
            value = req.json
            if value is None and req.raw:
                try:
                    value = json.loads(req.raw)
                except ValueError:
                    return "Request body is not valid JSON"
        elif key in ("text/plain", "text/html"):
            value = req.raw.decode("utf-8", "replace")
        elif key == "application/x-www-form-urlencoded":
            value = req.form or {}
        elif key == "multipart/form-data":
            value = _multipart_fields(header, req.raw)
        else:
            return "Request body validation error: media type %s cannot be read" % key
        return _first_error(validator, value, "Request body validation error")


def _multipart_fields(content_type, raw):
    """{field: text} of a multipart/form-data body (a file's bytes as text, as a binary string is); a body
    with no parts has no fields."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + raw)
    fields = {}
    if not message.is_multipart():
        return fields
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name:
            payload = part.get_payload(decode=True) or b""
            fields[name] = payload.decode("utf-8", "replace")
    return fields


class _Param:
    """One parameter: where it is, how its text becomes a value, and its compiled schema."""

    def __init__(self, param, schema, compiled, compiler):
        self.name = param["name"]
        self.where = param["in"]
        self.required = bool(param.get("required"))
        self.allow_empty = bool(param.get("allowEmptyValue"))
        self.explode = param.get("explode", param.get("style", "form" if self.where == "query" else "simple") == "form")
        self.type = schema.get("type")
        self.item_type = compiler.resolve(schema.get("items") or {}).get("type") if self.type == "array" else None
        self.default = schema.get("default")
        self.compiled = compiled

    def check(self, req, path_params):
        try:
            raw = self._raw(req, path_params)
        except KeyError:
            if self.required:
                return "Missing required %s parameter: %s" % (self.where, self.name)
            return None
        if self.where == "query" and raw == "" and not self.allow_empty:
            return "Value of %s query parameter cannot be empty" % self.name
        try:
            value = self._cast(raw)
        except (ValueError, TypeError):
            return "Failed to cast value to %s type: %s (%s parameter %s)" % (self.type, raw, self.where, self.name)
        if self.compiled is None:
            return None
        return _first_error(self.compiled, value, "Invalid %s parameter: %s" % (self.where, self.name))

    def _raw(self, req, path_params):
        if self.where == "path":
            raw = path_params[self.name]
        elif self.where == "query":
            values = req.query[self.name]
            if self.type == "array" and self.explode:
                return list(values)
            raw = values[0]
        elif self.where == "header":
            raw = req.headers[self.name] if self.name in req.headers else req.headers[self.name.lower()]
            if raw is None:
                raise KeyError(self.name)
        else:  # cookie: the simulators' clients send none
            raise KeyError(self.name)
        if self.type == "array":
            return raw.split(",")
        return raw

    def _cast(self, raw):
        if self.type == "array":
            return [_cast(self.item_type, item) for item in raw]
        return _cast(self.type, raw)


def _cast(kind, text):
    if kind == "integer":
        return int(text)
    if kind == "number":
        return float(text)
    if kind == "boolean":
        return _BOOLEANS[text.lower()] if text.lower() in _BOOLEANS else int("not a boolean")
    return text


def _first_error(compiled, value, label):
    """The first few schema errors of a value, one line, or None."""
    errors = []
    for error in compiled.iter_errors(value):
        where = "/".join(str(p) for p in error.instance_path)
        errors.append("%s%s" % (error.message, " (at /%s)" % where if where else ""))
        if len(errors) == 3:
            break
    return "%s: %s" % (label, "; ".join(errors)) if errors else None


def describe_validation_error(exc):
    """One line from an exception and its causes (openapi-core style trees, schema errors)."""
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
        self.routes = []  # see the property: kept with an index by path depth
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

    @property
    def routes(self):
        return self._routes

    @routes.setter
    def routes(self, routes):
        self._routes = list(routes)
        self._by_depth = {}
        for route in self._routes:
            self._by_depth.setdefault(route.depth, []).append(route)

    def route(self, method, template, handler, write=None):
        route = Route(method, template, handler, method != "GET" if write is None else write)
        self._routes.append(route)
        self._by_depth.setdefault(route.depth, []).append(route)

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

        Only faults the client rides out with the same end state and the same log: 429 and 503 for any
        method; 502, 504 and a connection reset before processing for calls that are safe to send again
        (``repeatable``: not POST, nor what a vendor excludes); a lost reply (processed, answer dropped)
        for such GET, PUT and PATCH calls, whose second sending changes nothing. The faulted requests go to ``faulted``, not ``log``, so tests that count calls
        hold as they are. (A POST or DELETE whose answer is lost leaves a trace by nature: the fault
        matrix covers those one at a time.)
        """
        self.random_faults = None if seed is None else (random.Random(seed), rate)

    def repeatable(self, method, path):
        """Whether sending this call a second time changes nothing more: random faults that leave the client
        unsure whether it was done (502, 504, reset, lost reply) are drawn only for such calls."""
        return method != "POST"

    def _random_fault(self, method, path):
        rng, rate = self.random_faults
        if rng.random() >= rate:
            return None
        repeatable = self.repeatable(method, path)
        kinds = ["429", "503"] + (["502", "504", "reset"] if repeatable else [])
        kinds += ["lost_reply"] if repeatable and method in ("GET", "PUT", "PATCH") else []
        kind = rng.choice(kinds)
        if kind in ("reset", "lost_reply"):
            return Fault(kind)
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
        """The reply to one request (a Reply, or "reset" to drop the connection), waiting where it waits."""
        steps = self.steps(method, raw_path, headers, body)
        while True:
            try:
                time.sleep(next(steps))
            except StopIteration as done:
                return done.value

    def steps(self, method, raw_path, headers, body):
        """``dispatch`` as a generator: yields each wait in seconds, returns the reply (see wire.py)."""
        parts = urlsplit(raw_path)
        path = parts.path
        query = parse_qs(parts.query, keep_blank_values=True)
        if path.startswith(ADMIN_PREFIX):
            return self.admin(method, path[len(ADMIN_PREFIX):], body)
        if self.latency:
            yield self.latency
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
            fault = self._random_fault(method, path) if self.random_faults else None
            if fault is not None:
                self.faulted.append(entry)
            else:
                self.log.append(entry)
                fault = self._take_fault(method, path)
        try:
            if fault is not None and fault.kind == "slow":
                yield fault.delay or 2.0
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
        for route in self._by_depth.get(path.count("/"), ()):
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
        if fault.kind in ("slow", "lost_reply"):  # slow: waited in steps()
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
        if path == "/stats" and method == "GET":  # for benchmarks: CPU in ns resolution, /proc counts 10 ms ticks
            return Reply(200, {"cpu_seconds": time.process_time(), "requests": len(self.log)})
        return Reply(404, {"message": "unknown admin call"})

    # -- server -------------------------------------------------------------------------------

    def start(self, port=0, host="127.0.0.1", tls=None, client_ca=None):
        """Serve on ``host:port`` (0: any free port); ``tls=(certificate file, key file)`` serves HTTPS.

        ``client_ca``: a CA file; the server then requires a client certificate it signed (mutual TLS).
        """
        self.tls = bool(tls)
        if tls:
            self.server = threaded_server(self, (host, port))
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            if client_ca:
                context.load_verify_locations(client_ca)
                context.verify_mode = ssl.CERT_REQUIRED
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        else:
            self.server = EventLoopServer(self, (host, port))
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
