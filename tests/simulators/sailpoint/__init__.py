"""SailPoint Identity Security Cloud simulator: sources, task status, reference lookups, tokens.

Serves the API like a tenant at ``http://127.0.0.1:{port}``: ``/{version}/sources...`` for the
year versions, ``v3`` and ``beta``, the per-resource tree ``/sources/v1...``, task status,
read-only identities / governance groups / managed clusters (what a source references), and
the client-credentials token endpoint ``/oauth/token``.

Quirks kept from the real service: bare JSON arrays with ``limit``/``offset``/``count``
(``X-Total-Count``), filters and sorters limited to the fields and operators the API
documents (read from the OpenAPI document itself), JSON Patch updates, immutable fields on
PUT/PATCH, computed keys merged into ``connectorAttributes`` that must never be sent back
("Illegal attempt to modify healthy"), secrets stored encrypted, DELETE answering 202 with a
task that completes after ``task_delay`` seconds, ErrorResponseDto error bodies and 100
requests / 10 s per client id.
"""

import base64
import copy
import datetime
import functools
import json
import os
import re
import time
import uuid

from tests.simulators.core import SPECS_DIR, HttpError, Reply, Simulator, SpecValidator

SPEC_FILE = SPECS_DIR / "sailpoint" / "deref-sailpoint-api.v2024.json"
SERVER_URL = "https://sim.api.identitynow.com/v2024"
API_VERSIONS = ("v3", "beta", "v2024", "v2025")
PER_RESOURCE_VERSION = "v1"  # /sources/v1/{id}: same model as v2024
PER_RESOURCE_TREE = ("sources", "task-status")  # what the per-resource tree (/sources/v1, /task-status/v1) serves
# spec path -> the methods served (only these are loaded from the document)
SERVED = {
    "/sources": ("get", "post"),
    "/sources/{id}": ("get", "put", "patch", "delete"),
    "/sources/{sourceId}/source-health": ("get",),
    "/sources/{sourceId}/connections": ("get",),
    "/task-status/{id}": ("get",),
    "/identities": ("get",),
    "/identities/{id}": ("get",),
    "/workgroups": ("get",),
    "/workgroups/{id}": ("get",),
    "/managed-clusters": ("get",),
    "/managed-clusters/{id}": ("get",),
}

CLIENT_ID = "sim-sailpoint-client"
CLIENT_SECRET = "sim-sailpoint-client-secret"
TENANT = "sim"

# Source fields a client may send; the rest are computed by the tenant.
WRITABLE = ("name", "description", "owner", "cluster", "accountCorrelationConfig", "accountCorrelationRule",
            "managerCorrelationMapping", "managerCorrelationRule", "beforeProvisioningRule", "schemas",
            "passwordPolicies", "features", "type", "connector", "connectorClass", "connectorAttributes",
            "deleteThreshold", "authoritative", "managementWorkgroup", "credentialProviderEnabled", "category")
IMMUTABLE_PUT = ("type", "authoritative", "connector", "connectorClass", "passwordPolicies")
IMMUTABLE_PATCH = IMMUTABLE_PUT + ("id", "created", "modified")
COMPUTED = ("healthy", "status", "since", "connectorId", "connectorName", "connectionType",
            "connectorImplementationId")
COMPUTED_ATTRIBUTES = ("healthy", "since", "status", "cloudExternalId", "cloudDisplayName", "cloudCacheUpdate")
SECRET_MARKERS = ("password", "secret", "privatekey")
CIPHER_PREFIX = "2:"
# connector script -> (connectorName, connectionType, connectorClass, default features)
CONNECTORS = {
    "delimited-file": ("Delimited File", "file", "sailpoint.connector.DelimitedFileConnector",
                       ["DIRECT_PERMISSIONS", "NO_RANDOM_ACCESS"]),
    "active-directory": ("Active Directory", "direct", "sailpoint.connector.ADLDAPConnector",
                         ["PROVISIONING", "ENABLE", "UNLOCK", "AUTHENTICATE", "SEARCH"]),
    "web-services": ("Web Services", "direct", "sailpoint.connector.WebServicesConnector", ["PROVISIONING"]),
    "jdbc": ("JDBC", "direct", "sailpoint.connector.JDBCConnector", []),
    "ldap": ("LDAP", "direct", "sailpoint.connector.LDAPConnector", ["AUTHENTICATE"]),
    "workday": ("Workday", "direct", "sailpoint.connector.WorkdayConnector", ["NO_RANDOM_ACCESS"]),
    "servicenow": ("ServiceNow", "direct", "sailpoint.connector.ServiceNowConnector", ["PROVISIONING"]),
    "identitynow": ("IdentityNow", "direct", "sailpoint.connector.IdentityNowConnector", []),
}
DETAIL_CODES = {400: "400.1 Bad Request Content", 403: "403 Forbidden", 404: "404 Not found",
                405: "405 Method Not Allowed", 409: "409 Conflict", 500: "500.0 Internal Fault"}
# Only the token endpoint answers in the OAuth error shape (the core's spec check also says
# "invalid_request", which the API reports as an ErrorResponseDto).
OAUTH_ERRORS = ("invalid_client", "unsupported_grant_type")

# Identities, governance group and cluster of a fresh tenant (fixed ids: docs and tests use them).
ADMIN_ID = "2c9180857182305e0171993735622948"
IDENTITIES = (
    (ADMIN_ID, "Ada Admin", "ada.admin"),
    ("2c9180857182305e0171993735622949", "Jane Doe", "jane.doe"),
    ("2c9180857182305e0171993735622950", "John Roe", "john.roe"),
)
WORKGROUPS = (("2c91808568c529c60168cca6f90c2222", "Source Admins"),)
CLUSTERS = (("2c9180866166b5b0016167c32ef31a66", "Corporate Cluster"),)
IDN_SOURCE_ID = "2c9180835d191a86015d28455b4a2300"


@functools.lru_cache(maxsize=1)
def spec_document():
    """The v2024 document cut down to the operations served (the whole one fails self-validation)."""
    full = json.loads(SPEC_FILE.read_text())
    doc = dict((k, v) for k, v in full.items() if k != "paths")
    doc["paths"] = {}
    for path, methods in SERVED.items():
        doc["paths"][path] = dict((m, op) for m, op in full["paths"][path].items() if m in methods)
    return doc


@functools.lru_cache(maxsize=1)
def validator():
    return SpecValidator(spec_document(), SERVER_URL, strict_spec=False)


FILTER_RULE = re.compile(r"\*\*([\w.]+)\*\*: \*([\w, ]+)\*")
SORTER_RULE = re.compile(r"following fields: \*\*([^*]+)\*\*")


@functools.lru_cache(maxsize=None)
def collection_rules(spec_path):
    """({field: {operators}}, {sortable fields}) documented for the list operation at ``spec_path``."""
    filters, sorters = {}, set()
    for param in spec_document()["paths"][spec_path]["get"].get("parameters", []):
        text = param.get("description", "")
        if param.get("name") == "filters":
            filters = dict((f, set(o.strip() for o in ops.split(","))) for f, ops in FILTER_RULE.findall(text))
        elif param.get("name") == "sorters":
            found = SORTER_RULE.search(text)
            sorters = set(s.strip() for s in found.group(1).split(",")) if found else set()
    return filters, sorters


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def error_message(text):
    return {"locale": "en-US", "localeOrigin": "DEFAULT", "text": text}


def illegal(message, code="400.1.3 Illegal value"):
    return HttpError(400, message, code=code)


# -- filters -------------------------------------------------------------------------------------


TOKEN = re.compile(r'\s*(?:(?P<str>"(?:\\.|[^"\\])*")|(?P<num>-?\d+(?:\.\d+)?)(?![\w.])|(?P<punct>[(),])'
                   r'|(?P<word>[\w.]+))')


class FilterParser:
    """SailPoint's collection filter syntax: ``name eq "x" and (type in ("A", "B") or not healthy isnull)``."""

    def __init__(self, text, rules):
        self.rules = rules
        self.tokens = []
        pos = 0
        text = text.strip()
        while pos < len(text):
            match = TOKEN.match(text, pos)
            if not match or match.end() == pos:
                raise illegal("Invalid filter %r: unexpected text at %d" % (text, pos))
            kind = match.lastgroup
            value = match.group(kind)
            if kind == "str":
                value = re.sub(r"\\(.)", r"\1", value[1:-1])
            elif kind == "num":
                value = float(value) if "." in value else int(value)
            self.tokens.append((kind, value))
            pos = match.end()
            while pos < len(text) and text[pos].isspace():
                pos += 1
        self.pos = 0
        self.text = text

    def parse(self):
        predicate = self._expr()
        if self.pos != len(self.tokens):
            raise illegal("Invalid filter %r: unexpected %r" % (self.text, self.tokens[self.pos][1]))
        return predicate

    def _peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else (None, None)

    def _take(self, kind=None, value=None):
        token = self._peek()
        if token[0] is None or (kind and token[0] != kind) or (value and token[1] != value):
            raise illegal("Invalid filter %r: expected %s" % (self.text, value or kind or "more"))
        self.pos += 1
        return token[1]

    def _keyword(self, word):
        kind, value = self._peek()
        if kind == "word" and str(value).lower() == word:
            self.pos += 1
            return True
        return False

    def _expr(self):
        terms = [self._term()]
        while self._keyword("or"):
            terms.append(self._term())
        return lambda obj: any(t(obj) for t in terms)

    def _term(self):
        factors = [self._factor()]
        while self._keyword("and"):
            factors.append(self._factor())
        return lambda obj: all(f(obj) for f in factors)

    def _factor(self):
        if self._keyword("not"):
            inner = self._factor()
            return lambda obj: not inner(obj)
        if self._peek() == ("punct", "("):
            self._take("punct", "(")
            inner = self._expr()
            self._take("punct", ")")
            return inner
        return self._comparison()

    def _comparison(self):
        field = self._take("word")
        op = str(self._take("word")).lower()
        allowed = self.rules.get(field)
        if allowed is None:
            raise illegal("Invalid filter %r: filtering is not supported for field %r" % (self.text, field))
        if op not in allowed:
            raise illegal("Invalid filter %r: operator %r is not supported for field %r (supported: %s)"
                          % (self.text, op, field, ", ".join(sorted(allowed))))
        if op == "isnull":
            return lambda obj: dotted(obj, field) is None
        if op == "pr":
            return lambda obj: dotted(obj, field) is not None
        value = self._values() if self._peek() == ("punct", "(") else self._literal()
        return functools.partial(compare, field, op, value)

    def _literal(self):
        kind, value = self._peek()
        if kind in ("str", "num"):
            self.pos += 1
            return value
        if kind == "word" and value in ("true", "false", "null"):
            self.pos += 1
            return {"true": True, "false": False, "null": None}[value]
        raise illegal("Invalid filter %r: expected a value" % self.text)

    def _values(self):
        self._take("punct", "(")
        values = [self._literal()]
        while self._peek() == ("punct", ","):
            self.pos += 1
            values.append(self._literal())
        self._take("punct", ")")
        return values


def dotted(obj, field):
    for part in field.split("."):
        if not isinstance(obj, dict):
            return None
        obj = obj.get(part)
    return obj


def compare(field, op, value, obj):
    have = dotted(obj, field)
    wanted = value if isinstance(value, list) else [value]
    if op == "eq":
        return have == value
    if op == "ne":
        return have != value
    if op == "in":
        return have in wanted
    if op == "co":
        return value in have if isinstance(have, list) else isinstance(have, str) and str(value) in have
    if op == "ca":
        return isinstance(have, list) and all(v in have for v in wanted)
    if op == "sw":
        return isinstance(have, str) and have.startswith(str(value))
    if have is None or value is None or isinstance(have, (dict, list)):
        return False
    try:
        return {"gt": have > value, "ge": have >= value, "lt": have < value, "le": have <= value}[op]
    except TypeError:
        return False


def sort_key(field):
    def key(obj):
        value = dotted(obj, field)
        return (value is None, value if isinstance(value, (int, float)) else str(value))
    return key


# -- JSON Patch ----------------------------------------------------------------------------------


def pointer_parts(pointer):
    if not isinstance(pointer, str) or not pointer.startswith("/"):
        raise illegal("Invalid JSON Patch path %r" % (pointer,))
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer[1:].split("/")]


def apply_patch_op(doc, op):
    """Apply one RFC 6902 operation (add, replace, remove, test) to ``doc`` in place."""
    parts = pointer_parts(op.get("path"))
    parent = doc
    for part in parts[:-1]:
        parent = _child(parent, part, op)
    last = parts[-1]
    kind = op.get("op")
    if kind not in ("add", "replace", "remove", "test"):
        raise illegal("JSON Patch operation %r is not supported" % kind)
    if kind in ("add", "replace", "test") and "value" not in op:
        raise illegal("JSON Patch %s at %s needs a value" % (kind, op["path"]))
    if isinstance(parent, list):
        index = len(parent) if last == "-" and kind == "add" else _index(parent, last, op, kind == "add")
        if kind == "add":
            parent.insert(index, copy.deepcopy(op["value"]))
        elif kind == "replace":
            parent[index] = copy.deepcopy(op["value"])
        elif kind == "remove":
            del parent[index]
        elif parent[index] != op["value"]:
            raise illegal("JSON Patch test failed at %s" % op["path"])
        return
    if not isinstance(parent, dict):
        raise illegal("JSON Patch path %s does not exist" % op["path"])
    if kind != "add" and last not in parent:
        raise illegal("JSON Patch path %s does not exist" % op["path"])
    if kind in ("add", "replace"):
        parent[last] = copy.deepcopy(op["value"])
    elif kind == "remove":
        del parent[last]
    elif parent[last] != op["value"]:
        raise illegal("JSON Patch test failed at %s" % op["path"])


def _child(node, part, op):
    if isinstance(node, dict) and isinstance(node.get(part), (dict, list)):
        return node[part]
    if isinstance(node, list):
        return node[_index(node, part, op, False)]
    raise illegal("JSON Patch path %s does not exist" % op["path"])


def _index(items, part, op, inserting):
    if not part.isdigit() or int(part) > len(items) - (0 if inserting else 1):
        raise illegal("JSON Patch path %s does not exist" % op["path"])
    return int(part)


# -- the simulator -------------------------------------------------------------------------------


class SailPointSimulator(Simulator):
    vendor = "sailpoint"
    token_lifetime = 749  # what tenants answer in expires_in

    def __init__(self, validate=True, rate_limit=(100, 10), task_delay=0.5):
        # reset() (run by the base class) restores these, so a test changing them cannot leak.
        self.defaults = {"rate_limit": rate_limit, "task_delay": task_delay, "task_outcome": "SUCCESS"}
        super().__init__(validator() if validate else None)

    # -- state --------------------------------------------------------------------------------

    def reset(self):
        with self.lock:
            for name, value in self.defaults.items():
                setattr(self, name, value)
            super().reset()

    def seed(self):
        self.clients = {CLIENT_ID: CLIENT_SECRET}
        self.counter = 70000
        created = "2024-01-15T09:00:00.000Z"
        identities = self.collection("identities")
        for ident, name, alias in IDENTITIES:
            identities[ident] = {
                "id": ident, "name": name, "alias": alias, "emailAddress": alias + "@example.com",
                "processingState": None, "identityStatus": "ACTIVE", "managerRef": None, "isManager": False,
                "lastRefresh": created, "attributes": {"uid": alias}, "created": created, "modified": created}
        workgroups = self.collection("workgroups")
        for ident, name in WORKGROUPS:
            workgroups[ident] = {"id": ident, "name": name, "description": name, "memberCount": 1,
                                 "connectionCount": 0, "created": created, "modified": created,
                                 "owner": {"type": "IDENTITY", "id": ADMIN_ID, "name": "Ada Admin"}}
        clusters = self.collection("clusters")
        for ident, name in CLUSTERS:
            clusters[ident] = {"id": ident, "name": name, "pod": TENANT, "org": TENANT, "type": "idn",
                               "description": name, "clientType": "CCG", "ccgVersion": "v01",
                               "operational": True, "status": "NORMAL", "configuration": {}, "clientIds": [],
                               "createdAt": created, "updatedAt": created}
        self.collection("sources")
        self.collection("tasks")
        self.collection("deletions")  # task id -> [due time, source id]
        self.collection("vault")  # ciphertext -> plaintext, so tests can check what was sent
        self._insert_source({"name": "IdentityNow", "description": "The tenant's own identities",
                             "owner": {"type": "IDENTITY", "id": ADMIN_ID}, "connector": "identitynow",
                             "type": "IdentityNowConnector"}, created, source_id=IDN_SOURCE_ID)

    def connection_env(self):
        return {"SAIL_BASE_URL": self.url, "SAIL_CLIENT_ID": CLIENT_ID, "SAIL_CLIENT_SECRET": CLIENT_SECRET}

    def decrypt(self, value):
        """The plaintext behind an encrypted connector attribute (None if it is not one)."""
        return self.store["vault"].get(value)

    # -- vendor hooks -----------------------------------------------------------------------

    def is_auth_route(self, path):
        return path == "/oauth/token"

    def spec_path(self, path):
        parts = path.split("/")
        if len(parts) > 2 and parts[1] in API_VERSIONS:
            return "/" + "/".join(parts[2:])
        if len(parts) > 2 and parts[2] == PER_RESOURCE_VERSION:
            return "/" + "/".join([parts[1]] + parts[3:])
        return path

    def error_body(self, error):
        if error.code in OAUTH_ERRORS:
            return {"error": error.code, "error_description": error.message}
        if error.status == 401:
            return {"error": error.message}
        if error.status == 429:
            return {"message": " Rate Limit Exceeded "}
        code = error.code if error.code and error.code[0].isdigit() else DETAIL_CODES.get(error.status, str(error.status))
        return {"detailCode": code, "trackingId": uuid.uuid4().hex, "messages": [error_message(error.message)],
                "causes": [error_message(str(d)) for d in error.details]}

    def register(self):
        self.route("POST", "/oauth/token", self.token)
        self.api("GET", "/sources", self.list_sources)
        self.api("POST", "/sources", self.create_source)
        self.api("GET", "/sources/{id}", lambda req: self._public(self._source(req.params["id"])))
        self.api("PUT", "/sources/{id}", self.put_source)
        self.api("PATCH", "/sources/{id}", self.patch_source)
        self.api("DELETE", "/sources/{id}", self.delete_source)
        self.api("GET", "/sources/{id}/source-health", self.source_health)
        self.api("GET", "/sources/{id}/connections", self.source_connections)
        self.api("GET", "/task-status/{id}", self.task_status)
        for resource, store in (("identities", "identities"), ("workgroups", "workgroups"),
                                ("managed-clusters", "clusters")):
            self.read_only(resource, store)

    def api(self, method, template, handler):
        """Route ``template`` under every API version and in the per-resource tree."""
        def run(req):
            self._finish_due_tasks()
            return handler(req)
        for version in API_VERSIONS:
            self.route(method, "/%s%s" % (version, template), run)
        resource, _sep, rest = template.lstrip("/").partition("/")
        if resource in PER_RESOURCE_TREE:
            self.route(method, "/%s/%s%s" % (resource, PER_RESOURCE_VERSION, "/" + rest if rest else ""), run)

    def read_only(self, resource, store):
        """List (filters, sorters, paging) and get-by-id for a seeded collection."""
        def get_one(req):
            found = self.collection(store).get(req.params["id"])
            if found is None:
                raise HttpError(404, "The %s %s was not found." % (resource, req.params["id"]))
            return copy.deepcopy(found)
        self.api("GET", "/" + resource, lambda req: self.page(req, "/" + resource, self.collection(store).values()))
        self.api("GET", "/%s/{id}" % resource, get_one)

    # -- collections ----------------------------------------------------------------------------

    def page(self, req, spec_path, items):
        """A bare-array page: filters, sorters, limit/offset and X-Total-Count as the API does."""
        filter_rules, sortable = collection_rules(spec_path)
        items = [copy.deepcopy(i) for i in items]
        if req.arg("filters"):
            predicate = FilterParser(req.arg("filters"), filter_rules).parse()
            items = [i for i in items if predicate(i)]
        for sorter in reversed([s.strip() for s in (req.arg("sorters") or "").split(",") if s.strip()]):
            field = sorter.lstrip("-")
            if field not in sortable:
                raise illegal("Invalid sorter %r: sorting is supported for %s" % (field, ", ".join(sorted(sortable))))
            items.sort(key=sort_key(field), reverse=sorter.startswith("-"))
        try:
            limit, offset = int(req.arg("limit", 250)), int(req.arg("offset", 0))
        except ValueError:
            raise illegal("limit and offset must be integers")
        if not 0 <= limit <= 250 or offset < 0:
            raise illegal("limit must be between 0 and 250 and offset 0 or more")
        headers = {"X-Total-Count": str(len(items))} if req.arg("count") == "true" else {}
        return Reply(200, items[offset:offset + limit], headers)

    # -- token -------------------------------------------------------------------------------------

    def token(self, req):
        form = req.form or {}
        client_id, secret = form.get("client_id"), form.get("client_secret")
        header = req.headers.get("Authorization", "")
        if header.startswith("Basic "):
            try:
                client_id, _sep, secret = base64.b64decode(header[6:]).decode("utf-8").partition(":")
            except (ValueError, UnicodeDecodeError):
                raise HttpError(401, "Bad credentials", code="invalid_client")
        if form.get("grant_type") != "client_credentials":
            raise HttpError(400, "grant_type must be client_credentials", code="unsupported_grant_type")
        if not client_id or self.clients.get(client_id) != secret:
            raise HttpError(401, "Bad credentials", code="invalid_client")
        return {"access_token": self.issue_token(client_id), "token_type": "bearer",
                "expires_in": self.token_lifetime, "scope": "sp:scopes:all", "tenant_id": uuid.uuid4().hex,
                "pod": TENANT, "org": TENANT, "identity_id": ADMIN_ID, "user_name": "ada.admin",
                "strong_auth": False, "jti": uuid.uuid4().hex}

    # -- sources ---------------------------------------------------------------------------------

    def list_sources(self, req):
        show_idn = req.arg("includeIDNSource") == "true"
        items = [s for s in self.collection("sources").values() if show_idn or s["type"] != "IdentityNowConnector"]
        return self.page(req, "/sources", items)

    def _source(self, source_id):
        found = self.collection("sources").get(source_id)
        if found is None:
            raise HttpError(404, "The source %s was not found." % source_id)
        return found

    def _public(self, source):
        return copy.deepcopy(source)

    def create_source(self, req):
        body = req.json if isinstance(req.json, dict) else {}
        self._reject_computed(body)
        if req.arg("provisionAsCsv") == "true":
            body = dict(body, type="DelimitedFile")
        source = self._insert_source(body, now_iso())
        return Reply(201, self._public(source))

    def _insert_source(self, body, created, source_id=None):
        connector = body.get("connector")
        if connector not in CONNECTORS:
            raise illegal("Unknown connector %r; known: %s" % (connector, ", ".join(sorted(CONNECTORS))))
        name, connection, connector_class, features = CONNECTORS[connector]
        source = {
            "id": source_id or self.new_id(), "description": "", "cluster": None, "accountCorrelationConfig": None,
            # no managerCorrelationMapping until one is set: the only Source field the document does not mark nullable
            "accountCorrelationRule": None, "managerCorrelationRule": None,
            "beforeProvisioningRule": None, "passwordPolicies": None, "features": list(features),
            "type": name, "connectorClass": connector_class, "deleteThreshold": 10, "authoritative": False,
            "managementWorkgroup": None, "credentialProviderEnabled": False, "category": None,
            "schemas": [{"type": "CONNECTOR_SCHEMA", "id": self.new_id(), "name": n} for n in ("account", "group")],
            "healthy": False, "status": "SOURCE_STATE_UNCHECKED_SOURCE", "since": created, "connectorId": connector,
            "connectorName": name, "connectionType": connection, "connectorImplementationId": connector,
            "created": created, "modified": created,
        }
        source.update((k, copy.deepcopy(body[k])) for k in WRITABLE if k in body)
        if source["type"] == "DelimitedFile":
            source["connectionType"] = "file"
        self.counter += 1
        attributes = dict(source.get("connectorAttributes") or {})
        attributes.update(healthy=False, since=created, status=source["status"], cloudExternalId=str(self.counter),
                          cloudDisplayName=source.get("name"), cloudCacheUpdate=int(time.time() * 1000))
        source["connectorAttributes"] = attributes
        return self._store_source(source, None)

    def _store_source(self, source, previous):
        """Check names and references, encrypt secrets and save; ``previous`` is the stored version."""
        name = source.get("name")
        if not isinstance(name, str) or not name.strip():
            raise illegal("name is required")
        for other in self.collection("sources").values():
            if other["id"] != source["id"] and other["name"].lower() == name.lower():
                raise illegal("A source named %r already exists." % name, code="400.1.409 Reference conflict")
        self._resolve(source, "owner", "identities", required=True)
        self._resolve(source, "cluster", "clusters")
        self._resolve(source, "managementWorkgroup", "workgroups")
        attributes = source.get("connectorAttributes")
        if not isinstance(attributes, dict):
            raise illegal("connectorAttributes must be an object")
        for key, value in attributes.items():
            if any(m in key.lower() for m in SECRET_MARKERS) and value is not None and not self.decrypt(value):
                attributes[key] = self._encrypt(value)
        if previous is not None:
            attributes.update((k, previous["connectorAttributes"].get(k)) for k in COMPUTED_ATTRIBUTES)
            attributes["cloudDisplayName"] = name
            source["modified"] = now_iso()
        self.collection("sources")[source["id"]] = source
        return source

    def _resolve(self, source, field, store, required=False):
        ref = source.get(field)
        if ref is None:
            if required:
                raise illegal("%s is required" % field)
            return
        found = self.collection(store).get(ref.get("id")) if isinstance(ref, dict) else None
        if found is None:
            raise illegal("%s references %r, which does not exist" % (field, ref.get("id") if isinstance(ref, dict) else ref),
                          code="400.1.404 Referenced object not found")
        source[field] = {"type": ref.get("type") or "", "id": found["id"], "name": found["name"]}

    def _encrypt(self, value):
        cipher = CIPHER_PREFIX + base64.b64encode(os.urandom(24)).decode("ascii")
        self.store["vault"][cipher] = value
        return cipher

    def _reject_computed(self, body):
        attributes = body.get("connectorAttributes")
        for key in COMPUTED_ATTRIBUTES:
            if isinstance(attributes, dict) and key in attributes:
                raise illegal("Illegal attempt to modify %s" % key)

    def put_source(self, req):
        current = self._source(req.params["id"])
        body = req.json if isinstance(req.json, dict) else {}
        for key in IMMUTABLE_PUT:
            if key in body and body[key] != current.get(key):
                raise illegal("Illegal update attempt: %s cannot be changed" % key)
        self._reject_computed(body)
        updated = dict((k, copy.deepcopy(v)) for k, v in current.items() if k not in WRITABLE or k in IMMUTABLE_PUT)
        updated.update((k, copy.deepcopy(body[k])) for k in WRITABLE if k in body and k not in IMMUTABLE_PUT)
        updated.setdefault("connectorAttributes", {})
        return self._public(self._store_source(updated, current))

    def patch_source(self, req):
        current = self._source(req.params["id"])
        ops = req.json if isinstance(req.json, list) else []
        updated = copy.deepcopy(current)
        for op in ops:
            if not isinstance(op, dict):
                raise illegal("each JSON Patch operation must be an object")
            self._check_patch_target(op)
            apply_patch_op(updated, op)
        return self._public(self._store_source(updated, current))

    def _check_patch_target(self, op):
        parts = pointer_parts(op.get("path"))
        top = parts[0]
        if top in IMMUTABLE_PATCH:
            raise illegal("Illegal update attempt: %s cannot be changed" % top)
        if top in COMPUTED:
            raise illegal("Illegal attempt to modify %s" % top)
        if top not in WRITABLE:
            raise illegal("Illegal update attempt: %s is not a field of a source" % top)
        if top == "connectorAttributes":
            value = op.get("value")
            touched = parts[1:2] if len(parts) > 1 else list(value) if isinstance(value, dict) else []
            for key in touched:
                if key in COMPUTED_ATTRIBUTES:
                    raise illegal("Illegal attempt to modify %s" % key)

    def delete_source(self, req):
        source = self._source(req.params["id"])
        deletions = self.collection("deletions")
        for task_id, (due, source_id) in deletions.items():
            if source_id == source["id"]:
                return Reply(202, {"type": "TASK_RESULT", "id": task_id, "name": ""})
        task_id = self.new_id()
        stamp = now_iso()
        self.collection("tasks")[task_id] = {
            "id": task_id, "type": "QUARTZ", "uniqueName": "Cloud Source Delete",
            "description": "Delete source %s" % source["name"], "parentName": None, "launcher": "sweep",
            "target": {"type": "APPLICATION", "id": source["id"], "name": source["name"]},
            "created": stamp, "modified": stamp, "launched": stamp, "completed": None, "completionStatus": None,
            "messages": [], "returns": [], "attributes": {"sourceId": source["id"]}, "progress": "Started",
            "percentComplete": 0}
        deletions[task_id] = [time.time() + self.task_delay, source["id"]]
        return Reply(202, {"type": "TASK_RESULT", "id": task_id, "name": ""})

    def _finish_due_tasks(self):
        deletions = self.collection("deletions")
        for task_id, (due, source_id) in list(deletions.items()):
            if time.time() < due:
                continue
            del deletions[task_id]
            task = self.collection("tasks")[task_id]
            stamp = now_iso()
            task.update(completed=stamp, modified=stamp, completionStatus=self.task_outcome, percentComplete=100,
                        progress="Completed")
            if self.task_outcome == "SUCCESS":
                self.collection("sources").pop(source_id, None)
            else:
                task["messages"] = [{"type": "ERROR", "key": "source_delete_failed", "parameters": [],
                                     "localizedText": {"locale": "en-US",
                                                       "message": "The source is still referenced"}}]

    def task_status(self, req):
        task = self.collection("tasks").get(req.params["id"])
        if task is None:
            raise HttpError(404, "The task %s was not found." % req.params["id"])
        return copy.deepcopy(task)

    def source_health(self, req):
        source = self._source(req.params["id"])
        return {"id": source["id"], "type": source["type"], "name": source["name"], "org": TENANT,
                "isAuthoritative": source["authoritative"], "isCluster": source.get("cluster") is not None,
                "hostname": "%s-va.identitynow.example" % TENANT, "pod": TENANT, "iqServiceVersion": None,
                "status": source["status"]}

    def source_connections(self, req):
        self._source(req.params["id"])
        return {"identityProfiles": [], "credentialProfiles": [], "sourceAttributes": [], "mappingProfiles": [],
                "dependentCustomTransforms": [], "dependentApps": [], "missingDependents": []}
