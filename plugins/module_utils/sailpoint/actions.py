# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Actions on a source: aggregations, account removal and attribute sync (asynchronous tasks
waited for through ``Api.wait_for_task``), connector tests and file uploads.

An action module declares ``ACTIONS``: action name -> ``Action`` (its path under the source, how
it is sent, whether it is read-like). ``run_action`` resolves the source, checks the input, sends
the call (never in check mode unless read-like), waits for the task it started when asked, and
exits with one line on failure: the task's or the connector's own message.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import csv
import hashlib
import io
import os
import tempfile

from ansible_collections.identity.cloud.plugins.module_utils.http_client import ApiError
from ansible_collections.identity.cloud.plugins.module_utils.resource import InputError, ParentMissing, run_flow, shorten
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import filter_value
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint.children import SourceRef

WAIT_OPTIONS = {
    "wait": {"type": "bool", "default": True},
    "wait_timeout": {"type": "int", "default": 300},
}
MAX_FILE = 100 * 1024 * 1024  # bytes read into memory for one upload


class Action:
    """One call under ``/sources/{id}/``.

    ``sub``: path below the source; ``method``; ``read_like``: sent in check mode too and reports
    ``changed: false``; ``async_task``: the answer carries a task to wait for; ``multipart``: the
    body is multipart/form-data built by ``form(params)`` -> {field: (file name or None, bytes)};
    ``body(params)``: a JSON body; ``outcome(data)``: a failure message for a read-like test
    (None when it passed); ``skip(api, source_id, params)``: True when the work is already done;
    ``path(api, source_id)``: the call's path when it is not under the source (``/entitlements/reset/sources/{id}``).
    """

    def __init__(self, sub, method="POST", read_like=False, async_task=False, multipart=None, body=None,
                 outcome=None, skip=None, query=None, path=None):
        self.sub = sub
        self.path = path
        self.method = method
        self.read_like = read_like
        self.async_task = async_task
        self.multipart = multipart
        self.body = body
        self.outcome = outcome
        self.skip = skip
        self.query = query


def task_of(data):
    """The task reference in an async answer: ``{task: {...}}``, ``{type: TASK_RESULT, id}`` or a job ``{id, status}``."""
    if isinstance(data, dict):
        if isinstance(data.get("task"), dict):
            return data["task"]
        if data.get("id"):
            return data
    return None


def counts(status):
    """The task's numeric results (``attributes`` with integer values: total, created, updated ...)."""
    attributes = (status or {}).get("attributes") or {}
    return dict((k, v) for k, v in attributes.items() if isinstance(v, int) and not isinstance(v, bool))


def read_file(option, path):
    """(base name, bytes) of a local file, or ``InputError`` naming ``option``."""
    if not path or not os.path.isfile(path):
        raise InputError("%s: %r is not a readable file" % (option, path))
    if os.path.getsize(path) > MAX_FILE:
        raise InputError("%s: %s is larger than %d MiB" % (option, path, MAX_FILE // (1024 * 1024)))
    try:
        with open(path, "rb") as handle:
            return os.path.basename(path), handle.read()
    except OSError as exc:
        raise InputError("%s: %s cannot be read (%s)" % (option, path, exc.strerror or exc))


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def run_action(module, api, actions):
    """Run ``actions[params.action]`` on ``params.source`` and exit the module."""
    params = module.params
    action = actions[params["action"]]
    result = {"changed": not action.read_like, "action": params["action"]}
    try:
        if params.get("wait_timeout") is not None and params["wait_timeout"] < 1:
            raise InputError("wait_timeout must be at least 1 second, got %s" % params["wait_timeout"])
        form = action.multipart(params) if action.multipart else None  # input checked first, in check mode too
        body = action.body(params) if action.body else None
        source_id = SourceRef(api).id(params.get("source"))
        result["source_id"] = source_id
        if action.skip and action.skip(api, source_id, params, form):
            result["changed"] = False
            module.exit_json(**result)
        if module.check_mode and not action.read_like:
            module.exit_json(**result)
        path = action.path(api, source_id) if action.path else api.path("sources", source_id, *action.sub.split("/"))
        resp = api.client.request(action.method, path, json_body=body, files=form, read_only=action.read_like,
                                  params=action.query(params) if action.query else None)
        result["response"] = resp.data
        problem = action.outcome(resp.data) if action.outcome else None
        if problem:
            module.fail_json(msg="%s on source %r failed: %s" % (params["action"], params["source"], problem), **result)
        task = task_of(resp.data) if action.async_task else None
        if task:
            result["task"] = task
            if params.get("wait"):
                result["task"] = api.wait_for_task(task["id"], params["wait_timeout"], action.method, path)
                result["completion_status"] = result["task"].get("completionStatus")
                result["counts"] = counts(result["task"])
    except ParentMissing as exc:
        if not module.check_mode:
            module.fail_json(msg=str(exc))
        module.exit_json(**dict(result, changed=True, msg=exc.pending(params["action"])))
    except InputError as exc:
        module.fail_json(msg=str(exc))
    except ApiError as exc:
        module.fail_json(msg=str(exc), error=exc.as_dict(), **result)
    module.exit_json(**result)


# -- what the actions send ----------------------------------------------------------------


def aggregation_form(params):
    form = {}
    if params.get("file"):
        name, data = read_file("file", params["file"])
        form["file"] = (name, data, "text/csv")
    if params.get("disable_optimization"):
        form["disableOptimization"] = (None, "true")
    return form or None


AGGREGATED = ("SUCCESS", "WARNING")


def aggregated_before(api, source_id, params, form):
    """With ``only_if_not_aggregated``: True (nothing to do) when the tenant shows the source was aggregated,
    whichever run did it: it has an account, or task status lists an account aggregation of it that completed
    (task status keeps 90 days; the accounts cover older ones)."""
    if not params.get("only_if_not_aggregated"):
        return False
    by_source = "sourceId eq %s" % filter_value(source_id)
    if api.client.get(api.path("accounts"), params={"filters": by_source, "limit": 1}).data:
        return True
    return any(task.get("uniqueName") == "Cloud Account Aggregation" and task.get("completionStatus") in AGGREGATED
               for task in api.list("task-status", filters=by_source))


def test_outcome(data):
    """None when a connector test passed, else the connector's message."""
    if not isinstance(data, dict) or data.get("status") in (None, "SUCCESS"):
        return None
    details = data.get("details") if isinstance(data.get("details"), dict) else {}
    return details.get("error") or details.get("message") or data.get("status")


def connector_file_form(params):
    name, data = read_file("file", params.get("file"))
    return {"file": (name, data, "application/java-archive")}


def connector_file_recorded(api, source_id, params, form):
    """True when the source already records a connector file of the same name and size."""
    name, data = form["file"][0], form["file"][1]
    source = api.client.get(api.path("sources", source_id)).data or {}
    recorded = (source.get("connectorAttributes") or {}).get("connectorFiles") or []
    for entry in recorded:
        if isinstance(entry, dict) and entry.get("name") == name:
            if entry.get("sha256") == sha256(data) or entry.get("size") == len(data):
                return True
    return False


# -- password policy holders ----------------------------------------------------------------

def password_policies(api):
    """Every password policy of the tenant (experimental: ``connect`` sends the header it needs)."""
    return list(api.list("password-policies"))


def resolve_password_policies(api, refs):
    """{id: name} of the policies named by ``refs`` (ids or names); ``InputError`` for an unknown one."""
    wanted, listing = {}, None
    for ref in refs:
        if not isinstance(ref, str) or not ref:
            raise InputError("policies: each item must be a password policy name or id, got %r" % (ref,))
        if listing is None:
            listing = password_policies(api)
        found = [p for p in listing if ref in (p.get("id"), p.get("name"))]
        if len(found) != 1:
            raise InputError("policies: %s password policy has the name or id %r" % (
                "no" if not found else "more than one", ref))
        wanted[found[0]["id"]] = found[0].get("name")
    return wanted


def converge_password_policies(module, api):
    """Make the source's password policy holders the set the task names (or add / remove them)."""
    params = module.params

    def flow():
        source_id = SourceRef(api).id(params["source"])
        source = api.client.get(api.path("sources", source_id)).data or {}
        have = dict((p.get("id"), p.get("name")) for p in source.get("passwordPolicies") or [] if isinstance(p, dict))
        wanted = resolve_password_policies(api, params["policies"])
        final = dict(have) if params["policies_mode"] != "set" else {}
        if params["policies_mode"] == "remove":
            for ident in wanted:
                final.pop(ident, None)
        else:
            final.update(wanted)
        changed = set(final) != set(have)
        if changed and not module.check_mode:
            body = [{"policyId": ident, "policyName": name} for ident, name in sorted(final.items())]
            api.client.patch(api.path("sources", source_id, "password-policies"), body)
        return {"changed": changed, "source_id": source_id,
                "policies": [{"id": i, "name": n} for i, n in sorted(final.items(), key=lambda kv: kv[1] or "")],
                "diff": {"before": {"policies": sorted(n or i for i, n in have.items())},
                         "after": {"policies": sorted(n or i for i, n in final.items())}}}

    run_flow(module, flow)


# -- schema files ----------------------------------------------------------------------------


def csv_header(option, data):
    """The attribute names on the first line of a CSV schema file."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("%s is not UTF-8 text" % option)
    rows = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
    if not rows:
        raise InputError("%s is empty: its first line must name the schema's attributes" % option)
    names = [cell.strip() for cell in rows[0]]
    if not all(names) or len(set(names)) != len(names):
        raise InputError("%s: its first line must name each attribute once, got %s" % (option, ", ".join(names)))
    return names


def converge_schema_file(module, api):
    """Download a schema file to ``dest`` (written only when it differs) or upload ``src`` (skipped when
    the schema already has exactly the file's attributes)."""
    params = module.params
    kind = params["schema"]
    schema_name = params.get("schema_name") or ("account" if kind == "accounts" else "group")
    query = {"schemaName": params["schema_name"]} if kind == "entitlements" and params.get("schema_name") else None
    result = {"changed": False, "schema_name": schema_name}

    def flow():
        if params.get("dest"):
            dest_check(params["dest"])  # before any call, check mode too
        source_id = SourceRef(api).id(params["source"])
        path = api.path("sources", source_id, "schemas", kind)
        result["source_id"] = source_id
        if params.get("dest"):
            data = api.client.request("GET", path, params=query, headers={"Accept": "text/csv"}).data
            data = data if isinstance(data, str) else ""
            content = data.encode("utf-8")
            try:
                with open(params["dest"], "rb") as handle:
                    result["changed"] = handle.read() != content
            except OSError:
                result["changed"] = True
            result.update(dest=params["dest"], checksum=sha256(content), attributes=csv_header("the schema file", content)
                          if content.strip() else [])
            if result["changed"] and not module.check_mode:
                write_file(module, params["dest"], content)
        else:
            name, data = read_file("src", params["src"])
            names = csv_header("src", data)
            schemas = api.client.get(api.path("sources", source_id, "schemas")).data or []
            found = [s for s in schemas if s.get("name") == schema_name]
            have = [a.get("name") for a in (found[0].get("attributes") or [])] if found else None
            result["attributes"] = names
            result["changed"] = have is None or sorted(have) != sorted(names)
            if result["changed"] and not module.check_mode:
                # the upload replaces the schema's attributes: sent again after a lost answer, the same schema
                result["schema"] = api.client.request("POST", path, params=query, idempotent=True,
                                                      files={"file": (name, data, "text/csv")}).data
        return result

    run_flow(module, flow)


def dest_check(dest):
    """``InputError`` when ``dest`` cannot be the file a download is written to."""
    folder = os.path.dirname(os.path.abspath(dest))
    if dest.endswith(os.sep) or os.path.isdir(dest):
        raise InputError("dest: %s is a folder; give the path of the file to write" % shorten(dest))
    if not os.path.isdir(folder):
        raise InputError("dest: the folder %s does not exist" % shorten(folder))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError("dest: the folder %s cannot be written" % shorten(folder))


def write_file(module, dest, content):
    """Write ``content`` to ``dest`` atomically (a temporary file in the same folder, then a move)."""
    dest_check(dest)
    try:
        handle, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(dest)), prefix=".schema")
        with os.fdopen(handle, "wb") as out:
            out.write(content)
    except OSError as exc:
        raise InputError("dest: %s cannot be written (%s)" % (shorten(dest), exc.strerror or exc))
    try:
        module.atomic_move(tmp, os.path.abspath(dest))  # a bare file name has no folder to stat
    except Exception as exc:  # ansible-core 2.19 raises a bare Exception. pylint: disable=broad-except
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise InputError("dest: %s cannot be written (%s)" % (shorten(dest), exc))
