"""SailPoint Identity Security Cloud simulator: every operation of the Sources API, task status,
reference lookups, tokens, and the operations of issue 25 (transforms, identity profiles,
lifecycle states and governance groups in ``identity_parts.py``; entitlements, access profiles
and roles beside it).

Serves the API like a tenant at ``http://127.0.0.1:{port}``: ``/{version}/sources...`` for the
year versions, ``v3`` and ``beta``, the per-resource tree (``/sources/v1...``, ``/task-status/v1``,
``/transforms/v1``, ``/identity-profiles/v1``, ``/workgroups/v1``, ... : ``PER_RESOURCE_TREE``),
read-only identities / managed clusters / password policies (what a source references), and the
client-credentials token endpoint ``/oauth/token``. Every request is checked
against the vendor's v2024 document (``common.spec_document``; the ``/v1`` tree against its variant
without the required experimental header).

All 51 operations tagged Sources in the document (the 50 of the v2024 SDK plus load-entitlements),
statefully (``parts.py``): schemas (the account and group schemas every source starts with are
real ones), provisioning policies by usage type (bulk update stores all or nothing), schedules by
type (Quartz cron checked), correlation / attribute-sync / entitlement-request /
native-change-detection configs, password policy holders (also shown as the source's
``passwordPolicies``), account and entitlement schema files (CSV download; a multipart upload sets
the schema's attributes from the CSV header), connector files (multipart; recorded by name and
size in ``connectorAttributes.connectorFiles`` and in the source config's ``uploadedFiles``),
source config / health / connections, connector tests and peek. All of it goes with its source.

Asynchronous work is a task readable through task status that completes after ``task_delay``
seconds (default 0.5; tests pass 0 or a few hundredths): source deletion, load-accounts (optional
CSV file, ``disableOptimization``; counts total / created / updated / deleted / unchanged /
optimized in the task's ``attributes`` and an INFO message), load-uncorrelated-accounts,
load-entitlements, remove-accounts and synchronize-attributes (a SourceSyncJob whose id is the
task id). ``task_outcome`` other than SUCCESS ends every task with that status and an ERROR
message (``task_message``).

Switches for tests and other processes (all restored by ``reset``), as attributes or admin calls:

* ``POST /__sim__/connector {"healthy": false, "message": "..."}``: ping-cluster,
  test-configuration and check-connection answer 200 with ``status: FAILURE`` and the message in
  ``details``; peek-resource-objects answers 400 with it; check-connection also sets the source's
  health. ``{"healthy": true}`` restores success.
* ``POST /__sim__/tasks {"delay": s, "outcome": "ERROR", "message": "..."}``.
* ``POST /__sim__/rate-limit {"requests": 100, "seconds": 10}`` (``{}`` switches it off); the
  constructor's ``rate_limit`` does the same. The limit is per client id, on by default at
  100 requests / 10 s, answered with 429, ``Retry-After`` and the vendor's body; the request log
  (``GET /__sim__/log``) keeps every 429 so a benchmark can count them.
* ``POST /__sim__/entitlements {"source": id, "values": ["v1", ...], "attribute": "groups"}``: seeds
  entitlements of a source at once, for benchmarks (``access_parts.py``).

Quirks kept from the real service: bare JSON arrays with ``limit``/``offset``/``count``
(``X-Total-Count``), filters and sorters limited to the fields and operators the API
documents (read from the OpenAPI document itself), JSON Patch updates, immutable fields on
PUT/PATCH, computed keys merged into ``connectorAttributes`` that must never be sent back
("Illegal attempt to modify healthy"), secrets stored encrypted, DELETE answering 202 with a
task, ErrorResponseDto error bodies.
"""

import base64
import copy
import json
import os
import time
import uuid

from tests.simulators.core import HttpError, Reply, Simulator
from tests.simulators.sailpoint.common import (  # noqa: F401  (tests import these names from here)
    ADMIN_ID, API_VERSIONS, CIPHER_PREFIX, CLIENT_ID, CLIENT_SECRET, CLUSTERS, COMPUTED, COMPUTED_ATTRIBUTES, CONNECTORS,
    DETAIL_CODES, IDENTITIES, IDN_SOURCE_ID, IMMUTABLE_PATCH, IMMUTABLE_PUT, OAUTH_ERRORS, PASSWORD_POLICIES, PER_RESOURCE_TREE,
    PER_RESOURCE_OPERATIONS,
    PER_RESOURCE_VERSION, SECRET_MARKERS, SERVED, TENANT, WORKGROUPS, WRITABLE, FilterParser, apply_patch_op,
    collection_rules, error_message, illegal, now_iso, pointer_parts, sort_key, spec_document, validator, TreeValidator)
from tests.simulators.sailpoint.access_parts import AccessParts
from tests.simulators.sailpoint.identity_parts import IdentityParts
from tests.simulators.sailpoint.parts import SourceParts

# what tests and tools import from tests.simulators.sailpoint
__all__ = ["ADMIN_ID", "CLIENT_ID", "CLIENT_SECRET", "CLUSTERS", "COMPUTED_ATTRIBUTES", "CONNECTORS", "IDENTITIES",
           "IDN_SOURCE_ID", "IMMUTABLE_PUT", "PASSWORD_POLICIES", "SERVED", "WORKGROUPS", "FilterParser", "SailPointSimulator",
           "apply_patch_op", "collection_rules", "spec_document", "validator"]
# -- the simulator -------------------------------------------------------------------------------


class SailPointSimulator(AccessParts, IdentityParts, SourceParts, Simulator):
    vendor = "sailpoint"
    token_lifetime = 749  # what tenants answer in expires_in

    def __init__(self, validate=True, rate_limit=(100, 10), task_delay=0.5):
        # reset() (run by the base class) restores these, so a test changing them cannot leak.
        self.defaults = {"rate_limit": rate_limit, "task_delay": task_delay, "task_outcome": "SUCCESS",
                         "task_message": "The source is still referenced", "connector_healthy": True,
                         "connector_message": "Unable to connect to the target system"}
        super().__init__(TreeValidator() if validate else None)

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
        self.seed_identity_parts()
        clusters = self.collection("clusters")
        for ident, name in CLUSTERS:
            clusters[ident] = {"id": ident, "name": name, "pod": TENANT, "org": TENANT, "type": "idn",
                               "description": name, "clientType": "CCG", "ccgVersion": "v01",
                               "operational": True, "status": "NORMAL", "configuration": {}, "clientIds": [],
                               "createdAt": created, "updatedAt": created}
        policies = self.collection("password-policies")
        for ident, name, default in PASSWORD_POLICIES:
            policies[ident] = {
                "id": ident, "name": name, "description": name, "dateCreated": 1705309200000, "lastUpdated": None,
                "firstExpirationReminder": 45, "accountIdMinWordLength": 0, "accountNameMinWordLength": 0,
                "minAlpha": 1, "minCharacterTypes": 3 if default else 4, "maxLength": 64,
                "minLength": 8 if default else 14, "maxRepeatedChars": 3, "minLower": 1, "minNumeric": 1,
                "minSpecial": 0 if default else 1, "minUpper": 1, "passwordExpiration": 90, "defaultPolicy": default,
                "enablePasswdExpiration": False, "requireStrongAuthn": False, "requireStrongAuthOffNetwork": False,
                "requireStrongAuthUntrustedGeographies": False, "useAccountAttributes": False,
                "useDictionary": False, "useIdentityAttributes": False, "validateAgainstAccountId": False,
                "validateAgainstAccountName": False, "created": None, "modified": None, "sourceIds": []}
        self.collection("sources")
        self.collection("tasks")
        self.collection("pending")  # task id -> the work done when it completes (parts.finish_due_tasks)
        self.collection("parts")  # source id -> what hangs on it (parts.SourceParts)
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
        self.api("GET", "/accounts", self.list_accounts)
        self.api("GET", "/task-status", self.list_tasks)
        self.register_parts()
        self.register_identity_parts()
        self.register_access()
        for resource, store in (("identities", "identities"), ("managed-clusters", "clusters"),
                                ("password-policies", "password-policies")):
            self.read_only(resource, store)

    def api(self, method, template, handler):
        """Route ``template`` under every API version and in the per-resource tree."""
        def run(req):
            self.finish_due_tasks()
            return handler(req)
        for version in API_VERSIONS:
            self.route(method, "/%s%s" % (version, template), run)
        resource, _sep, rest = template.lstrip("/").partition("/")
        if resource in PER_RESOURCE_TREE or template in PER_RESOURCE_OPERATIONS:
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
        items = list(items)  # only the page answered is copied: filters and sorters only read
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
        return Reply(200, [copy.deepcopy(i) for i in items[offset:offset + limit]], headers)

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
        self._store_source(source, None)
        self.new_parts(source)
        return source

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
        for task_id, work in self.collection("pending").items():
            if work["source"] == source["id"] and work["kind"] == "delete":
                return Reply(202, {"type": "TASK_RESULT", "id": task_id, "name": ""})
        task = self.new_task(source, "Cloud Source Delete", "Delete source %s" % source["name"], "delete")
        return Reply(202, {"type": "TASK_RESULT", "id": task["id"], "name": ""})

    def admin(self, method, path, body):
        """The SailPoint switches under ``/__sim__`` (see the module docstring), then the core's."""
        data = json.loads(body) if body else {}
        if method == "POST" and path == "/connector":
            self.connector_healthy = bool(data.get("healthy", True))
            self.connector_message = data.get("message") or self.defaults["connector_message"]
            return Reply(204)
        if method == "POST" and path == "/tasks":
            for key, name in (("delay", "task_delay"), ("outcome", "task_outcome"), ("message", "task_message")):
                if key in data:
                    setattr(self, name, data[key])
            return Reply(204)
        if method == "POST" and path == "/rate-limit":
            self.rate_limit = (int(data["requests"]), float(data["seconds"])) if data.get("requests") else None
            return Reply(204)
        return super().admin(method, path, body)

    def list_accounts(self, req):
        """The accounts aggregations brought in (read-only here: id, name, nativeIdentity, source, attributes)."""
        accounts = []
        for source_id, parts in self.collection("parts").items():
            source = self.collection("sources").get(source_id) or {}
            for native, attributes in parts["accounts"].items():
                accounts.append({"id": uuid.uuid5(uuid.NAMESPACE_URL, source_id + "/" + native).hex, "name": native,
                                 "nativeIdentity": native, "sourceId": source_id, "sourceName": source.get("name"),
                                 "uncorrelated": True, "attributes": copy.deepcopy(attributes)})
        return self.page(req, "/accounts", accounts)

    def list_tasks(self, req):
        """The completed tasks, newest first; ``sourceId`` filters on the source a task worked on."""
        done = sorted((t for t in self.collection("tasks").values() if t.get("completed")),
                      key=lambda t: t["created"], reverse=True)
        page = self.page(req, "/task-status", [dict(t, sourceId=(t.get("attributes") or {}).get("sourceId"))
                                               for t in done])
        page.body = [dict((k, v) for k, v in t.items() if k != "sourceId") for t in page.body]
        return page

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
