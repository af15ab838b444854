"""What hangs on a SailPoint source: schemas, provisioning policies, schedules, the four configs,
password policy holders, schema files, connector files, connector tests and the asynchronous tasks
(aggregation, remove accounts, attribute sync, entitlement aggregation, source deletion).

Everything here lives in ``store["parts"][source id]`` and goes with the source when its delete
task completes. A mixin of ``SailPointSimulator``; see that class's docstring for the switches.
"""

import copy
import csv
import functools
import io
import json
import re
import time
import uuid
from email.parser import BytesParser
from email.policy import HTTP

from tests.simulators.core import HttpError, Reply
from tests.simulators.sailpoint.common import apply_patch_op, illegal, now_iso, pointer_parts

USAGE_TYPES = ("CREATE", "UPDATE", "ENABLE", "DISABLE", "DELETE", "ASSIGN", "UNASSIGN", "CREATE_GROUP", "UPDATE_GROUP",
               "DELETE_GROUP", "REGISTER", "CREATE_IDENTITY", "UPDATE_IDENTITY", "EDIT_GROUP", "UNLOCK",
               "CHANGE_PASSWORD")
SCHEDULE_TYPES = ("ACCOUNT_AGGREGATION", "GROUP_AGGREGATION")
# Quartz cron: seconds minutes hours day-of-month month day-of-week [year]
CRON_FIELD = re.compile(r"^[0-9A-Z*?/,#LW-]+$")
SCHEMA_READ_ONLY = ("id", "created", "modified")
CORRELATION_RULE_DEFAULTS = {"complex": False, "ignoreCase": False}  # CorrelationConfig's item defaults
SCHEMA_IMMUTABLE = ("id", "name", "created", "modified")  # PUT / PATCH answer 400 (the operations' prose)
IDENTITY_ATTRIBUTES = (("email", "Email", "mail"), ("firstname", "First Name", "givenName"),
                       ("lastname", "Last Name", "sn"))


def check_cron(expression):
    fields = expression.split() if isinstance(expression, str) else []
    if len(fields) not in (6, 7) or not all(CRON_FIELD.match(f) for f in fields):
        raise illegal("Invalid cron expression %r: a Quartz expression has 6 or 7 fields "
                      "(seconds minutes hours day-of-month month day-of-week [year])" % (expression,))


def multipart(req, known=("file", "disableOptimization")):
    """{field name: (file name or None, bytes)} of a multipart/form-data body; the ``known``
    fields may appear once."""
    if not req.raw:
        return {}
    if req.content_type != "multipart/form-data":
        raise illegal("expected a multipart/form-data body")
    head = ("Content-Type: %s\r\n\r\n" % req.headers.get("Content-Type")).encode("latin-1")
    message = BytesParser(policy=HTTP).parsebytes(head + req.raw)
    boundary = message.get_boundary()
    if boundary and req.raw.strip() == ("--%s--" % boundary).encode("latin-1"):
        return {}  # a form without fields
    if not message.is_multipart() or message.defects:
        raise illegal("the body is not a multipart/form-data message")
    fields = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name in fields and name in known:
            raise illegal("the form field %s is given more than once" % name)
        if name:
            fields[name] = (part.get_filename(), part.get_payload(decode=True) or b"")
    return fields


def csv_rows(data):
    # newline="": the csv module reads the line endings itself (a lone CR ends a row instead of raising)
    text = data.decode("utf-8-sig", "replace")
    try:
        return [row for row in csv.reader(io.StringIO(text, newline="")) if any(cell.strip() for cell in row)]
    except csv.Error as exc:
        raise illegal("the file is not CSV: %s" % exc)


def default_entitlement_request_config():
    return {"accessRequestConfig": {"approvalSchemes": [], "requestCommentRequired": False,
                                    "denialCommentRequired": False, "reauthorizationRequired": False,
                                    "requireEndDate": False, "maxPermittedAccessDuration": None},
            "revocationRequestConfig": {"approvalSchemes": []}}


def message(kind, key, text):
    return {"type": kind, "key": key, "parameters": [], "localizedText": {"locale": "en-US", "message": text}}


class SourceParts:
    """Routes and state of everything that hangs on a source (mixed into SailPointSimulator)."""

    def register_parts(self):
        api = self.api
        # literal paths first: /schemas/accounts must not be taken for /schemas/{schemaId}
        api("GET", "/sources/{id}/schemas/accounts", lambda req: self.schema_file(req, "account"))
        api("POST", "/sources/{id}/schemas/accounts", lambda req: self.import_schema_file(req, "account"))
        api("GET", "/sources/{id}/schemas/entitlements",
            lambda req: self.schema_file(req, req.arg("schemaName") or "group"))
        api("POST", "/sources/{id}/schemas/entitlements",
            lambda req: self.import_schema_file(req, req.arg("schemaName") or "group"))
        api("GET", "/sources/{id}/schemas", self.list_schemas)
        api("POST", "/sources/{id}/schemas", self.create_schema)
        api("GET", "/sources/{id}/schemas/{schemaId}", lambda req: copy.deepcopy(self._schema(req)))
        api("PUT", "/sources/{id}/schemas/{schemaId}", self.put_schema)
        api("PATCH", "/sources/{id}/schemas/{schemaId}", self.patch_schema)
        api("DELETE", "/sources/{id}/schemas/{schemaId}", self.delete_schema)
        api("POST", "/sources/{id}/provisioning-policies/bulk-update", self.bulk_policies)
        api("GET", "/sources/{id}/provisioning-policies",
            lambda req: list(copy.deepcopy(self._parts(req)["policies"]).values()))
        api("POST", "/sources/{id}/provisioning-policies", self.create_policy)
        api("GET", "/sources/{id}/provisioning-policies/{usageType}", lambda req: copy.deepcopy(self._policy(req)))
        api("PUT", "/sources/{id}/provisioning-policies/{usageType}", self.put_policy)
        api("PATCH", "/sources/{id}/provisioning-policies/{usageType}", self.patch_policy)
        api("DELETE", "/sources/{id}/provisioning-policies/{usageType}", self.delete_policy)
        api("GET", "/sources/{id}/schedules", lambda req: list(copy.deepcopy(self._parts(req)["schedules"]).values()))
        api("POST", "/sources/{id}/schedules", self.create_schedule)
        api("GET", "/sources/{id}/schedules/{scheduleType}", lambda req: copy.deepcopy(self._schedule(req)))
        api("PATCH", "/sources/{id}/schedules/{scheduleType}", self.patch_schedule)
        api("DELETE", "/sources/{id}/schedules/{scheduleType}", self.delete_schedule)
        for path, key in (("correlation-config", "correlation"), ("attribute-sync-config", "attrsync"),
                          ("entitlement-request-config", "entreq"), ("native-change-detection-config", "ncd")):
            api("GET", "/sources/{id}/" + path, functools.partial(self.get_config, key))
            api("PUT", "/sources/{id}/" + path, functools.partial(self.put_config, key))
        api("DELETE", "/sources/{id}/native-change-detection-config", self.delete_ncd)
        api("PATCH", "/sources/{id}/password-policies", self.password_policies)
        api("POST", "/sources/{id}/connector/ping-cluster", lambda req: self.connector_test(req, "ping"))
        api("POST", "/sources/{id}/connector/test-configuration", lambda req: self.connector_test(req, "config"))
        api("POST", "/sources/{id}/connector/check-connection", lambda req: self.connector_test(req, "connection"))
        api("POST", "/sources/{id}/connector/peek-resource-objects", self.peek)
        api("POST", "/sources/{id}/upload-connector-file", self.upload_connector_file)
        api("GET", "/sources/{id}/connectors/source-config", self.source_config)
        api("POST", "/sources/{id}/load-accounts", self.load_accounts)
        api("POST", "/sources/{id}/load-uncorrelated-accounts", self.load_uncorrelated)
        api("POST", "/sources/{id}/load-entitlements", self.load_entitlements)
        api("POST", "/sources/{id}/remove-accounts", self.remove_accounts)
        api("POST", "/sources/{id}/synchronize-attributes", self.sync_attributes)

    # -- the parts of a source ------------------------------------------------------------------

    def new_parts(self, source):
        """The parts a new source starts with (account and group schemas, default configs)."""
        created = source["created"]
        parts = {"schemas": {}, "policies": {}, "schedules": {}, "accounts": {}, "entitlements": {},
                 "correlation": {"id": self.new_id(), "name": "%s Account Correlation" % source["name"],
                                 "attributeAssignments": []},
                 "attrsync": {"source": {"type": "SOURCE", "id": source["id"], "name": source["name"]},
                              "attributes": [{"name": n, "displayName": d, "enabled": False, "target": t}
                                             for n, d, t in IDENTITY_ATTRIBUTES]},
                 "entreq": default_entitlement_request_config(), "ncd": self.default_ncd(), "password_policies": [], "connector_files": []}
        for ref in source["schemas"]:
            user = ref["name"] == "account"
            parts["schemas"][ref["id"]] = {
                "id": ref["id"], "name": ref["name"], "nativeObjectType": "User" if user else "group",
                "identityAttribute": "id", "displayAttribute": "name", "hierarchyAttribute": None,
                "includePermissions": False, "features": [], "configuration": {},
                "attributes": [self.attribute(n) for n in (("id", "name", "email") if user else ("id", "name"))],
                "created": created, "modified": None}
        self.collection("parts")[source["id"]] = parts
        return parts

    @staticmethod
    def default_ncd():
        return {"enabled": False, "operations": [], "allEntitlements": False, "allNonEntitlementAttributes": False,
                "selectedEntitlements": [], "selectedNonEntitlementAttributes": []}

    @staticmethod
    def attribute(name):
        return {"name": name, "nativeName": name, "type": "STRING", "schema": None, "description": "",
                "isMulti": False, "isEntitlement": False, "isGroup": False}

    def _parts(self, req):
        source = self._source(req.params["id"])
        return self.collection("parts").get(source["id"]) or self.new_parts(source)

    def _sync_schema_refs(self, source_id):
        schemas = self.collection("parts")[source_id]["schemas"].values()
        self.collection("sources")[source_id]["schemas"] = [
            {"type": "CONNECTOR_SCHEMA", "id": s["id"], "name": s["name"]} for s in schemas]

    @staticmethod
    def _body(req, kind=dict):
        if not isinstance(req.json, kind):
            raise illegal("the request body must be a JSON %s" % ("object" if kind is dict else "array"))
        return copy.deepcopy(req.json)

    # -- schemas --------------------------------------------------------------------------------

    def list_schemas(self, req):
        schemas = list(self._parts(req)["schemas"].values())
        if req.arg("include-types") == "group":
            schemas = [s for s in schemas if s["nativeObjectType"] != "User" and s["name"] != "account"]
        elif req.arg("include-names"):
            names = set(n.strip() for n in req.arg("include-names").split(","))
            schemas = [s for s in schemas if s["name"] in names]
        return copy.deepcopy(schemas)

    def _schema(self, req):
        found = self._parts(req)["schemas"].get(req.params["schemaId"])
        if found is None:
            raise HttpError(404, "The schema %s was not found on source %s." % (req.params["schemaId"], req.params["id"]))
        return found

    def _store_schema(self, req, schema, schema_id, created):
        schemas = self._parts(req)["schemas"]
        name = schema.get("name")
        if not isinstance(name, str) or not name.strip():
            raise illegal("name is required")
        for other in schemas.values():
            if other["id"] != schema_id and other["name"] == name:
                raise illegal("A schema named %r already exists on this source." % name,
                              code="400.1.409 Reference conflict")
        names = [a.get("name") for a in schema.get("attributes") or [] if isinstance(a, dict)]
        if len(names) != len(set(names)):
            raise illegal("attribute names must be unique within a schema")
        stored = {"id": schema_id, "name": name, "nativeObjectType": name, "hierarchyAttribute": None,
                  "includePermissions": False, "features": [], "configuration": {}, "attributes": [],
                  "created": created, "modified": None}
        # identityAttribute / displayAttribute are strings, not nullable: absent until set
        stored.update((k, v) for k, v in schema.items() if k not in SCHEMA_READ_ONLY
                      and not (v is None and k in ("identityAttribute", "displayAttribute")))
        stored["attributes"] = [dict(self.attribute(a.get("name")), **a) for a in stored["attributes"]]
        if created != schema.get("created", created) or schema_id in schemas:
            stored["modified"] = now_iso()
        schemas[schema_id] = stored
        self._sync_schema_refs(req.params["id"])
        return copy.deepcopy(stored)

    def create_schema(self, req):
        body = self._body(req)
        return Reply(201, self._store_schema(req, body, self.new_id(), now_iso()))

    def put_schema(self, req):
        current = self._schema(req)
        body = self._body(req)
        if "id" not in body:
            raise illegal("id is required: it must remain in the request body")
        for key in SCHEMA_IMMUTABLE:
            if key in body and body[key] != current.get(key):
                raise illegal("Illegal update attempt: %s cannot be changed" % key)
        return self._store_schema(req, body, current["id"], current["created"])

    def patch_schema(self, req):
        current = self._schema(req)
        updated = copy.deepcopy(current)
        for op in self._body(req, list):
            if not isinstance(op, dict):
                raise illegal("each JSON Patch operation must be an object")
            if pointer_parts(op.get("path"))[0] in SCHEMA_IMMUTABLE:
                raise illegal("Illegal update attempt: %s cannot be changed" % pointer_parts(op["path"])[0])
            apply_patch_op(updated, op)
        return self._store_schema(req, updated, current["id"], current["created"])

    def delete_schema(self, req):
        self._schema(req)
        del self._parts(req)["schemas"][req.params["schemaId"]]
        self._sync_schema_refs(req.params["id"])
        return Reply(204)

    def _named_schema(self, req, name):
        for schema in self._parts(req)["schemas"].values():
            if schema["name"] == name:
                return schema
        raise HttpError(404, "The source %s has no %s schema." % (req.params["id"], name))

    def schema_file(self, req, name):
        schema = self._named_schema(req, name)
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerow([a["name"] for a in schema["attributes"]])
        return Reply(200, out.getvalue().encode("utf-8"), {"Content-Type": "text/csv"})

    def import_schema_file(self, req, name):
        upload = multipart(req).get("file")
        rows = csv_rows(upload[1]) if upload else []
        if not rows:
            raise illegal("the file must be a CSV file whose first line names the attributes")
        schema = self._named_schema(req, name)
        header = [c.strip() for c in rows[0]]
        if len(set(header)) != len(header) or not all(header):
            raise illegal("the CSV header must name each attribute once")
        known = dict((a["name"], a) for a in schema["attributes"])
        schema["attributes"] = [known.get(n) or dict(self.attribute(n), isEntitlement=name != "account")
                                for n in header]
        for key in ("identityAttribute", "displayAttribute"):
            if schema.get(key) not in header:
                schema[key] = header[0]
        schema["modified"] = now_iso()
        return copy.deepcopy(schema)

    # -- provisioning policies ------------------------------------------------------------------

    def _policy(self, req):
        found = self._parts(req)["policies"].get(req.params["usageType"])
        if found is None:
            raise HttpError(404, "The source %s has no %s provisioning policy."
                            % (req.params["id"], req.params["usageType"]))
        return found

    def _store_policy(self, req, body, usage):
        if usage not in USAGE_TYPES:
            raise illegal("usageType must be one of %s" % ", ".join(USAGE_TYPES))
        if body.get("usageType", usage) != usage:
            raise illegal("Illegal update attempt: usageType %s does not match %s" % (body["usageType"], usage))
        if "name" not in body or body["name"] is not None and not isinstance(body["name"], str):
            raise illegal("name is required (a string or null)")
        fields = body.get("fields") or []
        names = [f.get("name") for f in fields if isinstance(f, dict)]
        if len(names) != len(set(names)):
            raise illegal("field names must be unique within a provisioning policy")
        policy = {"name": body["name"], "description": body.get("description") or "", "usageType": usage,
                  "fields": [dict({"name": None, "transform": {}, "attributes": {}, "isRequired": False,
                                   "type": "string", "isMultiValued": False}, **f) for f in fields]}
        self._parts(req)["policies"][usage] = policy
        return copy.deepcopy(policy)

    def create_policy(self, req):
        body = self._body(req)
        usage = body.get("usageType")
        if usage in self._parts(req)["policies"]:
            raise illegal("A provisioning policy with usage type %s already exists on this source." % usage,
                          code="400.1.409 Reference conflict")
        return Reply(201, self._store_policy(req, body, usage))

    def put_policy(self, req):
        self._policy(req)
        return self._store_policy(req, self._body(req), req.params["usageType"])

    def patch_policy(self, req):
        updated = copy.deepcopy(self._policy(req))
        for op in self._body(req, list):
            if not isinstance(op, dict):
                raise illegal("each JSON Patch operation must be an object")
            apply_patch_op(updated, op)
        return self._store_policy(req, updated, req.params["usageType"])

    def delete_policy(self, req):
        self._policy(req)
        del self._parts(req)["policies"][req.params["usageType"]]
        return Reply(204)

    def bulk_policies(self, req):
        bodies = self._body(req, list)
        for body in bodies:  # all or nothing: check every item before storing any
            if not isinstance(body, dict) or body.get("usageType") not in USAGE_TYPES or "name" not in body:
                raise illegal("every policy needs a name and a usageType (one of %s)" % ", ".join(USAGE_TYPES))
        return [self._store_policy(req, body, body["usageType"]) for body in bodies]

    # -- schedules ------------------------------------------------------------------------------

    def _schedule(self, req):
        found = self._parts(req)["schedules"].get(req.params["scheduleType"])
        if found is None:
            raise HttpError(404, "The source %s has no %s schedule." % (req.params["id"], req.params["scheduleType"]))
        return found

    def _store_schedule(self, req, body):
        if body.get("type") not in SCHEDULE_TYPES:
            raise illegal("type must be one of %s" % ", ".join(SCHEDULE_TYPES))
        check_cron(body.get("cronExpression"))
        schedule = {"type": body["type"], "cronExpression": body["cronExpression"]}
        self._parts(req)["schedules"][body["type"]] = schedule
        return copy.deepcopy(schedule)

    def create_schedule(self, req):
        body = self._body(req)
        if body.get("type") in self._parts(req)["schedules"]:
            raise illegal("A %s schedule already exists on this source." % body["type"],
                          code="400.1.409 Reference conflict")
        return Reply(201, self._store_schedule(req, body))

    def patch_schedule(self, req):
        updated = copy.deepcopy(self._schedule(req))
        for op in self._body(req, list):
            if not isinstance(op, dict):
                raise illegal("each JSON Patch operation must be an object")
            if pointer_parts(op.get("path")) != ["cronExpression"]:
                raise illegal("Illegal update attempt: only /cronExpression can be changed")
            apply_patch_op(updated, op)
        return self._store_schedule(req, updated)

    def delete_schedule(self, req):
        self._schedule(req)
        del self._parts(req)["schedules"][req.params["scheduleType"]]
        return Reply(204)

    # -- configs and password policy holders ----------------------------------------------------

    def get_config(self, key, req):
        return copy.deepcopy(self._parts(req)[key])

    def put_config(self, key, req):
        parts = self._parts(req)
        body = self._body(req)
        source = self._source(req.params["id"])
        if key == "correlation":
            # a PUT replaces every rule: a key a rule leaves out takes the document's default (or is gone)
            rules = [dict(CORRELATION_RULE_DEFAULTS, **rule) for rule in body.get("attributeAssignments") or []]
            body = dict(parts["correlation"], attributeAssignments=rules,
                        **dict((k, body[k]) for k in ("name",) if body.get(k)))
        elif key == "attrsync":
            target = body.get("source") or {}
            if target.get("id") != source["id"]:
                raise illegal("source.id must be the id of the source in the path (%s)" % source["id"])
            body["source"] = {"type": "SOURCE", "id": source["id"], "name": source["name"]}
        elif key == "entreq":
            default = default_entitlement_request_config()
            for section in default:
                default[section].update(body.get(section) or {})
            body = default
        else:
            body = dict(self.default_ncd(), **body)
        parts[key] = body
        return copy.deepcopy(body)

    def delete_ncd(self, req):
        self._parts(req)["ncd"] = self.default_ncd()
        return Reply(204)

    def password_policies(self, req):
        holders = self._body(req, list)
        policies = self.collection("password-policies")
        source_id = self._source(req.params["id"])["id"]
        for holder in holders:
            if not isinstance(holder, dict) or not holder.get("policyId"):
                raise illegal("every password policy holder needs a policyId")
            if holder["policyId"] not in policies:
                raise illegal("policyId references %r, which does not exist" % holder["policyId"],
                              code="400.1.404 Referenced object not found")
            holder.setdefault("policyName", policies[holder["policyId"]]["name"])
        self._parts(req)["password_policies"] = holders
        chosen = set(h["policyId"] for h in holders)
        for policy in policies.values():
            policy["sourceIds"] = [s for s in policy["sourceIds"] if s != source_id] + (
                [source_id] if policy["id"] in chosen else [])
        self._source(req.params["id"])["passwordPolicies"] = [
            {"type": "PASSWORD_POLICY", "id": h["policyId"], "name": h.get("policyName") or ""} for h in holders] or None
        return copy.deepcopy(holders)

    # -- connector ------------------------------------------------------------------------------

    def connector_test(self, req, kind):
        source = self._source(req.params["id"])
        started = time.time()
        healthy = self.connector_healthy
        if kind == "connection":  # what a connection test finds is what the source's health shows
            status = "SOURCE_STATE_HEALTHY" if healthy else "SOURCE_STATE_ERROR_SOURCE"
            stamp = now_iso()
            source.update(healthy=healthy, status=status, since=stamp)
            source["connectorAttributes"].update(healthy=healthy, status=status, since=stamp)
        details = {"message": "Test %s successful" % kind} if healthy else {"error": self.connector_message,
                                                                            "message": self.connector_message}
        return {"id": source["id"], "name": source["name"], "status": "SUCCESS" if healthy else "FAILURE",
                "elapsedMillis": int((time.time() - started) * 1000) + 12, "details": details}

    def peek(self, req):
        source = self._source(req.params["id"])
        body = self._body(req)
        if not self.connector_healthy:
            raise HttpError(400, self.connector_message, code="400.2 Connector error")
        object_type = body.get("objectType") or "account"
        store = self._parts(req)["accounts" if object_type == "account" else "entitlements"]
        limit = body.get("maxCount") or 25
        objects = [{"instance": "", "identity": native, "uuid": "{%s}" % uuid.uuid5(uuid.NAMESPACE_URL, native),
                    "previousIdentity": "", "name": attributes.get("name") or native, "objectType": object_type,
                    "incomplete": False, "incremental": False, "delete": False, "remove": False, "missing": [],
                    "attributes": copy.deepcopy(attributes), "finalUpdate": False}
                   for native, attributes in list(store.items())[:limit]]
        return {"id": source["id"], "name": source["name"], "objectCount": len(objects), "elapsedMillis": 15,
                "resourceObjects": objects}

    def upload_connector_file(self, req):
        source = self._source(req.params["id"])
        upload = multipart(req).get("file")
        if not upload:
            raise illegal("a file is required")
        name, data = upload[0] or "connector.jar", upload[1]
        files = [f for f in self._parts(req)["connector_files"] if f["name"] != name]
        files.append({"name": name, "size": len(data)})
        self._parts(req)["connector_files"] = files
        source["connectorAttributes"]["connectorFiles"] = copy.deepcopy(files)
        return self._public(source)

    def source_config(self, req):
        source = self._source(req.params["id"])
        return {"name": source["connectorName"], "type": source["type"], "className": source["connectorClass"],
                "scriptName": source["connectorId"], "applicationXml": "<Application name=\"%s\"/>" % source["name"],
                "correlationConfigXml": "", "sourceConfigXml": "", "sourceConfig": None, "sourceConfigFrom": None,
                "s3Location": "", "uploadedFiles": [f["name"] for f in self._parts(req)["connector_files"]],
                "fileUpload": source["connectionType"] == "file",
                "directConnect": source["connectionType"] == "direct", "translationProperties": {},
                "connectorMetadata": {}, "status": "RELEASED"}

    # -- tasks ----------------------------------------------------------------------------------

    def new_task(self, source, unique_name, description, kind, **work):
        """A task that completes after ``task_delay`` seconds; ``work`` is done then (see finish_task)."""
        task_id = self.new_id()
        stamp = now_iso()
        task = {"id": task_id, "type": "QUARTZ", "uniqueName": unique_name, "description": description,
                "parentName": None, "launcher": "sweep",
                "target": {"type": "APPLICATION", "id": source["id"], "name": source["name"]},
                "created": stamp, "modified": stamp, "launched": stamp, "completed": None, "completionStatus": None,
                "messages": [], "returns": [], "attributes": {"sourceId": source["id"], "appId": source["id"]},
                "progress": "Started", "percentComplete": 0}
        self.collection("tasks")[task_id] = task
        self.collection("pending")[task_id] = dict(work, kind=kind, source=source["id"],
                                                   due=time.time() + self.task_delay)
        return task

    def finish_due_tasks(self):
        pending = self.collection("pending")
        for task_id, work in list(pending.items()):
            if time.time() < work["due"]:
                continue
            del pending[task_id]
            task = self.collection("tasks")[task_id]
            stamp = now_iso()
            task.update(completed=stamp, modified=stamp, completionStatus=self.task_outcome, percentComplete=100,
                        progress="Completed")
            if self.task_outcome != "SUCCESS":
                task["messages"] = [message("ERROR", work["kind"] + "_failed", self.task_message)]
            elif work["source"] in self.collection("sources"):
                counts = getattr(self, "_finish_" + work["kind"])(work, self.collection("parts")[work["source"]])
                getattr(self, "source_task_done", lambda work: None)(work)  # access_parts: entitlements follow
                task["attributes"].update(counts)
                task["returns"] = [{"name": "TASK_OUT_%s" % k.upper(), "attributeName": k} for k in counts]
                task["messages"] = [message("INFO", work["kind"] + "_done", ", ".join(
                    "%s: %s" % (k, v) for k, v in counts.items()))]
            for job in self.collection("sync-jobs").values():
                if job["id"] == task_id:
                    job["status"] = "SUCCESS" if self.task_outcome == "SUCCESS" else "ERROR"

    def _finish_delete(self, work, parts):
        for policy in self.collection("password-policies").values():
            policy["sourceIds"] = [s for s in policy["sourceIds"] if s != work["source"]]
        self.collection("sources").pop(work["source"], None)
        self.collection("parts").pop(work["source"], None)
        return {}

    def _finish_aggregate(self, work, parts):
        accounts = parts["accounts"]
        rows = work.get("rows")
        if rows is None:  # no file: the connector reads the same accounts again
            return {"total": len(accounts), "created": 0, "updated": 0, "deleted": 0,
                    "unchanged": len(accounts), "optimized": 0 if work["full"] else len(accounts)}
        header, found = rows[0], {}
        for row in rows[1:]:
            record = dict(zip(header, row))
            native = record.get(work["identity"]) or row[0]
            found[native] = record
        counts = {"total": len(found), "created": len([n for n in found if n not in accounts]),
                  "updated": len([n for n in found if n in accounts and accounts[n] != found[n]]),
                  "deleted": len([n for n in accounts if n not in found])}
        counts["unchanged"] = counts["total"] - counts["created"] - counts["updated"]
        counts["optimized"] = 0 if work["full"] else counts["unchanged"]
        parts["accounts"] = found
        return counts

    def _finish_uncorrelated(self, work, parts):
        return {"total": len(parts["accounts"]), "correlated": 0, "uncorrelated": len(parts["accounts"])}

    def _finish_entitlements(self, work, parts):
        rows = work.get("rows") or []
        if rows:
            parts["entitlements"] = dict((row[0], dict(zip(rows[0], row))) for row in rows[1:])
        return {"total": len(parts["entitlements"])}

    def _finish_remove(self, work, parts):
        removed = len(parts["accounts"])
        parts["accounts"] = {}
        return {"total": removed, "deleted": removed}

    def _finish_sync(self, work, parts):
        enabled = [a["name"] for a in parts["attrsync"]["attributes"] if a.get("enabled")]
        return {"total": len(parts["accounts"]), "attributes": len(enabled)}

    def _aggregation_file(self, req):
        fields = multipart(req)
        upload = fields.get("file")
        return fields, (csv_rows(upload[1]) if upload and upload[1] else None)

    def load_accounts(self, req):
        source = self._source(req.params["id"])
        fields, rows = self._aggregation_file(req)
        if rows is not None and not rows:
            raise illegal("the account file is empty")
        full = fields.get("disableOptimization", (None, b""))[1].decode("utf-8", "replace").lower() == "true"
        account_schema = next((s for s in self._parts(req)["schemas"].values() if s["name"] == "account"), {})
        task = self.new_task(source, "Cloud Account Aggregation", "Aggregate accounts from %s" % source["name"],
                             "aggregate", rows=rows, full=full, identity=account_schema.get("identityAttribute"))
        task["attributes"]["optimizedAggregation"] = "disabled" if full else "enabled"
        return Reply(202, {"success": True, "task": self._task_view(task, {
            "appId": source["id"], "optimizedAggregation": task["attributes"]["optimizedAggregation"]})})

    def load_uncorrelated(self, req):
        source = self._source(req.params["id"])
        multipart(req)
        task = self.new_task(source, "Cloud Process Uncorrelated Accounts",
                             "Processes uncorrelated accounts of %s" % source["name"], "uncorrelated")
        task["type"] = "QPOC"
        return Reply(202, {"success": True, "task": self._task_view(task, {"qpocJobId": task["id"],
                                                                           "taskStartDelay": None}, returns={})})

    def load_entitlements(self, req):
        source = self._source(req.params["id"])
        _fields, rows = self._aggregation_file(req)
        task = self.new_task(source, "Cloud Group Aggregation", "Aggregate entitlements from %s" % source["name"],
                             "entitlements", rows=rows)
        return Reply(202, {"id": task["id"], "type": task["type"], "uniqueName": task["uniqueName"],
                           "description": task["description"], "launcher": task["launcher"],
                           "created": task["created"], "returns": [{"displayLabel": "TASK_OUT_TOTAL",
                                                                    "attributeName": "total"}]})

    def _task_view(self, task, attributes, returns=None):
        return {"id": task["id"], "type": task["type"], "name": task["uniqueName"],
                "description": task["description"], "launcher": task["launcher"], "created": task["created"],
                "launched": task["launched"], "completed": None, "completionStatus": None, "parentName": None,
                "messages": [], "progress": task["progress"], "attributes": attributes,
                "returns": [{"displayLabel": "TASK_OUT_TOTAL", "attributeName": "total"}] if returns is None
                else returns}

    def remove_accounts(self, req):
        source = self._source(req.params["id"])
        task = self.new_task(source, "Cloud Delete Accounts", "Remove all accounts of %s" % source["name"], "remove")
        return Reply(202, {"type": "TASK_RESULT", "id": task["id"], "name": task["uniqueName"]})

    def sync_attributes(self, req):
        source = self._source(req.params["id"])
        task = self.new_task(source, "Cloud Source Attribute Sync", "Synchronize attributes of %s" % source["name"],
                             "sync")
        job = {"id": task["id"], "status": "QUEUED",
               "payload": {"type": "SYNCHRONIZE_SOURCE_ATTRIBUTES", "dataJson": json.dumps({"sourceId": source["id"]})}}
        self.collection("sync-jobs")[task["id"]] = job
        return Reply(202, copy.deepcopy(job))
