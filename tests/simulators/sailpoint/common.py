"""What the SailPoint simulator's parts share: the vendor document, constants, filters, JSON Patch."""

import copy
import functools
import json
import re

from tests.simulators.core import SPECS_DIR, HttpError, SpecValidator, utc_now

SPEC_FILE = SPECS_DIR / "sailpoint" / "deref-sailpoint-api.v2024.json"
SERVER_URL = "https://sim.api.identitynow.com/v2024"
API_VERSIONS = ("v3", "beta", "v2024", "v2025")
PER_RESOURCE_VERSION = "v1"  # /sources/v1/{id}: same model as v2024
# what the per-resource tree (/sources/v1, /task-status/v1, /transforms/v1, ...) serves: the resources whose
# latest SDK packages call /<resource>/v1/..., and single operations of other resources
PER_RESOURCE_TREE = ("sources", "task-status", "transforms", "identity-profiles", "workgroups", "entitlements",
                     "access-profiles", "roles")
PER_RESOURCE_OPERATIONS = ("/identities/{id}/set-lifecycle-state",)
# spec path -> the methods served (only these are loaded from the document)
SERVED = {
    "/task-status/{id}": ("get",),
    "/accounts": ("get",),
    "/task-status": ("get",),
    "/identities": ("get",),
    "/identities/{id}": ("get",),
    "/workgroups": ("get",),
    "/workgroups/{id}": ("get",),
    "/managed-clusters": ("get",),
    "/managed-clusters/{id}": ("get",),
    "/password-policies": ("get",),
    "/password-policies/{id}": ("get",),
}
# ... plus every operation of the Sources API (tag "Sources": the 50 operations of the v2024 SDK and
# load-entitlements) and of the tags of issue 25 (68 operations), added by spec_document().
SOURCES_TAG = "Sources"
ISSUE25_TAGS = ("Transforms", "Identity Profiles", "Lifecycle States", "Entitlements", "Access Profiles", "Roles",
                "Governance Groups")
LOADED_TAGS = (SOURCES_TAG,) + ISSUE25_TAGS
METHODS = ("get", "put", "post", "delete", "patch")
EXPERIMENTAL_HEADER = "X-SailPoint-Experimental"

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
# password policies of a fresh tenant (what password policy holders name)
PASSWORD_POLICIES = (("2c91808568c529c60168cca6f90c1777", "Default Policy", True),
                     ("2c91808568c529c60168cca6f90c1888", "Strong Policy", False))
IDN_SOURCE_ID = "2c9180835d191a86015d28455b4a2300"


@functools.lru_cache(maxsize=2)
def spec_document(tree="v2024"):
    """The v2024 document cut down to the operations served (the whole one fails self-validation):
    ``SERVED`` and every operation of the ``LOADED_TAGS``.

    ``tree="v1"``: the same for the per-resource tree (``/sources/v1``, ``/transforms/v1``, ...), whose operations no longer
    require the ``X-SailPoint-Experimental`` header (the latest SDK, generated from that tree's
    document, sends it only when asked to).
    """
    full = json.loads(SPEC_FILE.read_text())
    doc = dict((k, v) for k, v in full.items() if k != "paths")
    doc["paths"] = {}
    for path, methods in SERVED.items():
        doc["paths"][path] = dict((m, op) for m, op in full["paths"][path].items() if m in methods)
    for path, operations in full["paths"].items():
        for method, op in operations.items():
            if method in METHODS and any(tag in op.get("tags", ()) for tag in LOADED_TAGS):
                doc["paths"].setdefault(path, {})[method] = op
    fix_path_parameters(doc)
    fix_experimental_header(doc, required=tree != "v1")
    fix_transform_attributes(doc)
    fix_identity_preview(doc)
    if tree == "v1":
        fix_v1_lifecycle_state(doc)
    return doc


def fix_v1_lifecycle_state(doc):
    """The per-resource tree's LifecycleState (the latest SDK's model, generated from that tree's document) has
    ``priority`` and ``accessActionConfiguration``, and its AccountAction ``allSources`` and ``excludeSourceIds`` with
    nullable source lists (the SDK sends ``sourceIds: null`` beside ``allSources``); the v2024 document has none."""
    schemas = doc["components"]["schemas"]
    schemas["LifecycleState"]["allOf"][1]["properties"].update(
        priority={"type": "integer", "format": "int32", "nullable": True},
        accessActionConfiguration={"type": "object", "properties": {"removeAllAccessEnabled": {"type": "boolean"}}})
    action = schemas["AccountAction"]["properties"]
    action["sourceIds"] = dict(action["sourceIds"], nullable=True)
    action.update(excludeSourceIds=dict(action["sourceIds"], nullable=True), allSources={"type": "boolean"})


def fix_transform_attributes(doc):
    """Quirk of the document: a transform's ``attributes`` is a ``oneOf`` of 31 schemas, many of them
    alike (lower, upper, trim, ...: ``{requiresPeriodicRefresh, input}``), so any attributes object
    matches several and ``oneOf`` never holds (the document's own examples fail it); the ``rule``
    schema has the same fault. The copy checks ``attributes`` against the one schema of the
    transform's ``type`` (each schema's ``title`` is its type; a type without one takes any object;
    null stays allowed, as the document's ``nullable`` says), and see ``_loosen``."""
    schemas = doc["components"]["schemas"]
    transform = schemas["Transform"]
    attributes = transform["properties"]["attributes"]
    by_title = {}
    for ref in attributes.get("oneOf", ()):
        by_title[schemas[ref["$ref"].split("/")[-1]].get("title")] = ref
    branches = []
    for kind in transform["properties"]["type"]["enum"]:
        schema = {"anyOf": [by_title[kind], {"enum": [None]}]} if kind in by_title else {"type": "object", "nullable": True}
        branches.append({"properties": {"type": {"enum": [kind]}, "attributes": schema}})
    transform["properties"]["attributes"] = dict((k, v) for k, v in attributes.items() if k != "oneOf")
    transform["oneOf"] = branches
    seen = set()
    for ref in by_title.values():
        _loosen(schemas, ref, seen)


def _loosen(schemas, node, seen):
    """In a transform's attribute schemas: ``oneOf`` whose choices overlap (a named date format or any
    string; the three rule shapes) as ``anyOf``; ``values`` lists (concat, firstValid) hold strings or
    transforms, as the document's examples do, not only objects."""
    if isinstance(node, list):
        for item in node:
            _loosen(schemas, item, seen)
        return
    if not isinstance(node, dict):
        return
    if "$ref" in node:
        name = node["$ref"].split("/")[-1]
        if name not in seen and name in schemas:
            seen.add(name)
            _loosen(schemas, schemas[name], seen)
    if "oneOf" in node:
        node["anyOf"] = node.pop("oneOf")
    values = (node.get("properties") or {}).get("values")
    if isinstance(values, dict) and values.get("type") == "array" and (values.get("items") or {}).get("type") == "object":
        values["items"] = {"anyOf": [{"type": "string"}, {"type": "object"}]}
    for key, value in node.items():
        if key != "$ref":
            _loosen(schemas, value, seen)


def fix_identity_preview(doc):
    """Quirk of the document: identity-preview's ``identityId`` has ``format: uuid`` while identity ids
    are 32 hex digits (its own example, ``2c9180857893f12901789445619b0366``, fails the format);
    the copy drops the format."""
    identity_id = doc["components"]["schemas"]["IdentityPreviewRequest"]["properties"]["identityId"]
    identity_id.pop("format", None)


def fix_experimental_header(doc, required):
    """Quirk of the document: the ``X-SailPoint-Experimental`` header is a required string whose
    default is the boolean ``true`` (a default on a required header also hides its absence from the
    check); the copy checked against has no default."""
    for operations in doc["paths"].values():
        for op in operations.values():
            for param in op.get("parameters", ()):
                if param.get("in") == "header" and param.get("name") == EXPERIMENTAL_HEADER:
                    param["schema"] = dict((k, v) for k, v in (param.get("schema") or {}).items() if k != "default")
                    param["required"] = required


def fix_path_parameters(doc):
    """Quirk of the document: the native-change-detection-config operations name their path
    parameter ``id`` under the template ``/sources/{sourceId}/...`` (the cause of the 1.4.2 SDK's
    literal ``{sourceId}`` URLs). The copy the simulator checks against names it ``sourceId``.
    Likewise ``GET /roles/access-model-metadata/bulk-update/id`` declares a required path parameter
    ``id`` its template does not name (no client can send it; both SDKs call the literal path): the
    copy drops it."""
    for path, operations in doc["paths"].items():
        names = set(re.findall(r"{([^}]+)}", path))
        for op in operations.values():
            params = op.get("parameters", ())
            for param in params:
                if param.get("in") == "path" and param.get("name") not in names and len(names) == 1:
                    param["name"] = next(iter(names))
            if not names and any(p.get("in") == "path" for p in params):
                op["parameters"] = [p for p in params if p.get("in") != "path"]


@functools.lru_cache(maxsize=2)
def validator(tree="v2024"):
    return SpecValidator(spec_document(tree), SERVER_URL, strict_spec=False)


class TreeValidator:
    """The year-versioned paths are checked against the v2024 document, the per-resource tree
    (``/sources/v1``, ``/task-status/v1``, ``/transforms/v1``, ...: ``PER_RESOURCE_TREE``) against its
    variant (see ``spec_document``)."""

    def errors(self, req):
        parts = req.path.split("/")
        tree = "v1" if len(parts) > 2 and parts[2] == PER_RESOURCE_VERSION else "v2024"
        return validator(tree).errors(req)


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
    return utc_now(3)


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
    if isinstance(have, list) and op in ("eq", "in"):  # a multi-valued field matches on any of its values
        return any(h in wanted for h in have)
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
