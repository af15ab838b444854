# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""identity.cloud.tenant_export: read the tenants through the collection's _info modules, write the roles' files.

The _info modules run on the task's host, as a task of each would (module_defaults of the three action groups,
environment, check mode); their results stay in this process: handing a registered result to a filter or an action's
options costs ansible-core 2.19 about half a second per 100,000 values, a task per read about half a second more.
SailPoint, the longest read, runs as an async job (as gather_facts runs its fact modules in parallel) while FINBOURNE
and Beyond Identity are read and converted; the files are rendered and written on the controller, each to a
temporary file renamed over the target.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import tempfile
import time

from ansible import constants as C
from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.identity.cloud.plugins.plugin_utils import tenant_export as export
from ansible_collections.identity.cloud.plugins.plugin_utils.export import ExportError, check_patterns, selected
from ansible_collections.identity.cloud.plugins.plugin_utils.sailpoint_export import sailpoint_export

try:  # ansible-core 2.19 and later
    from ansible.executor.module_common import _apply_action_arg_defaults
    get_action_args_with_defaults = None
except ImportError:  # 2.16 to 2.18
    _apply_action_arg_defaults = None
    from ansible.executor.module_common import get_action_args_with_defaults

ARGUMENT_SPEC = {
    "path": {"type": "path"},
    "include": {"type": "list", "elements": "str", "default": []},
    "exclude": {"type": "list", "elements": "str", "default": []},
    "people_realm": {"type": "str", "default": "Default"},
    "concurrency": {"type": "int", "default": 8},
    "force": {"type": "bool", "default": False},
    "write": {"type": "bool", "default": True},
    "source": {"type": "str"},
    "timeout": {"type": "int", "default": 3600},
}
SAILPOINT_PARTS = ["schemas", "provisioning_policies", "schedules", "correlation_config", "attribute_sync_config",
                   "entitlement_request_config", "native_change_detection_config"]
# beyond_identity_realm_info's include_parts for each Beyond Identity kind of the tenant file
REALM_PARTS = (("theme", "theme"), ("authenticator_config", "authenticator_configs"), ("application", "applications"),
               ("group", "groups"), ("identity_provider", "identity_providers"), ("role", "roles"),
               ("sso_config", "sso_configs"))
POLL_SECONDS = 0.2
FILE_MODES = {export.VAULT_FILE: 0o600}
DEFAULT_MODE = 0o644


class ReadFailed(Exception):
    pass


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = True

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        dummy, args = self.validate_argument_spec(ARGUMENT_SPEC)
        if args["path"]:
            args["path"] = os.path.abspath(args["path"])  # from the controller's current directory, named so in messages
        problem = check_patterns(args["include"], args["exclude"], ("include", "exclude")) or self._settings_error(args)
        names = export.tenant_export_file_names(args["include"], args["exclude"])
        if not problem and args["write"]:
            problem = export.tenant_export_dir_error(names, os.path.dirname(args["path"]),
                                                     args["path"], args["force"], ("path", "force"))
        if problem:
            raise AnsibleActionFail(problem)
        self._args, self._task_vars, self._warnings = args, task_vars or {}, []
        try:
            exports = self._export(names)
        except (ReadFailed, ExportError) as exc:
            raise AnsibleActionFail("%s: nothing was written" % exc)
        finally:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        source = args["source"] or self._task_vars.get("inventory_hostname") or "the tenant"
        files = export.tenant_export_files(exports, source)
        result.update(exported=dict((name, _counts(value.get("vars") or {})) for name, value in exports.items()))
        if args["write"]:
            result.update(self._write(files))
        else:
            result["ansible_facts"] = {"tenant_export_result": exports}
        if self._warnings:
            result["warnings"] = self._warnings
        return result

    @staticmethod
    def _settings_error(args):
        if args["write"] and not args["path"]:
            return "path is required when write is true (the folder the files are written to)"
        if not 1 <= args["concurrency"] <= 32:
            return "concurrency must be a whole number from 1 to 32, not %s" % args["concurrency"]
        if args["timeout"] < 1:
            return "timeout must be a positive number of seconds, not %s" % args["timeout"]
        return None

    def _wanted(self, vendor, kind):
        return selected(self._args["include"], self._args["exclude"], vendor, kind)

    # -- reads ------------------------------------------------------------------------------------

    def _module_args(self, name, args):
        fqcn = "identity.cloud." + name
        if _apply_action_arg_defaults is not None:
            return _apply_action_arg_defaults(fqcn, self._task, args, self._templar)
        return get_action_args_with_defaults(fqcn, args, self._task.module_defaults, self._templar,
                                             action_groups=self._task._parent._play._action_groups)

    def _checked(self, name, result):
        self._warnings.extend(result.get("warnings") or [])
        if result.get("failed") or result.get("unreachable"):
            raise ReadFailed("identity.cloud.%s: %s" % (name, result.get("msg") or "failed"))
        return result

    def _read(self, name, **args):
        return self._checked(name, self._execute_module(
            module_name="identity.cloud." + name, module_args=self._module_args(name, args), task_vars=self._task_vars))

    def _start(self, name, **args):
        """Start module ``name`` as an async job on the host; ``_finish`` waits for its result."""
        saved = self._task.async_val
        self._task.async_val = self._args["timeout"]
        try:
            job = self._execute_module(module_name="identity.cloud." + name, module_args=self._module_args(name, args),
                                       task_vars=self._task_vars, wrap_async=True)
        finally:
            self._task.async_val = saved
        if job.get("failed") or not job.get("ansible_job_id"):
            raise ReadFailed("identity.cloud.%s: %s" % (name, job.get("msg") or "could not start"))
        return name, job

    def _finish(self, started):
        name, job = started
        status = {"jid": job["ansible_job_id"], "_async_dir": os.path.dirname(job["results_file"])}
        while True:
            result = self._execute_module(module_name="ansible.legacy.async_status", module_args=status,
                                          task_vars=self._task_vars)
            if result.get("finished") or (result.get("failed") and not result.get("started")):
                break
            time.sleep(POLL_SECONDS)
        self._execute_module(module_name="ansible.legacy.async_status", module_args=dict(status, mode="cleanup"),
                             task_vars=self._task_vars)
        return self._checked(name, result)

    def _export(self, names):
        """{file name: export} for ``names``; SailPoint read in the background while the others are read."""
        include, exclude, realm = self._args["include"], self._args["exclude"], self._args["people_realm"]
        sailpoint = None
        if "sailpoint_source_onboarding.yml" in names:
            sailpoint = self._start("sailpoint_source_info", include_parts=SAILPOINT_PARTS,
                                    concurrency=self._args["concurrency"])
        exports = {}
        try:
            if "finbourne_tenant.yml" in names:
                exports["finbourne_tenant.yml"] = export.finbourne_export(self._finbourne_reads(), include, exclude)
            people = {"memberships": {}}
            if "beyond_identity_tenant.yml" in names or self._wanted("beyond_identity", "identity"):
                reads = self._beyond_identity_reads("beyond_identity_tenant.yml" in names)
                if "beyond_identity_tenant.yml" in names:
                    exports["beyond_identity_tenant.yml"] = export.beyond_identity_export(reads, include, exclude)
                people = {"memberships": export.beyond_identity_export_memberships(reads["people_groups"], realm)}
                if "identities" in reads:
                    people["identities"] = reads["identities"]
            if "people.yml" in names:
                if self._wanted("finbourne", "user"):
                    people["users"] = self._read("finbourne_user_info", include_roles=True)["users"]
                exports["people.yml"] = export.people_export(people, include, exclude, realm)
        finally:
            if sailpoint is not None:
                sources = self._finish(sailpoint)["sources"]
        if sailpoint is not None:
            exports["sailpoint_source_onboarding.yml"] = sailpoint_export(sources, include, exclude)
        return exports

    def _finbourne_reads(self):
        reads = {}
        for kind, name, key in (("role", "finbourne_role_info", "roles"),
                                ("password_policy", "finbourne_password_policy_info", "password_policies"),
                                ("application", "finbourne_application_info", "applications")):
            if self._wanted("finbourne", kind):
                reads[key] = self._read(name)[key]
        return reads

    def _beyond_identity_reads(self, tenant):
        """What the beyond_identity_export conversion takes - per kind, one entry per realm (``item``: the realm) -
        from one beyond_identity_realm_info run over every realm, then the people's realm's groups with their members
        and its identities from a second run over that realm only (no other realm's members or identities)."""
        concurrency = self._args["concurrency"]
        parts = ["resource_servers"] + [part for kind, part in REALM_PARTS if self._wanted("beyond_identity", kind)]
        realms = self._read("beyond_identity_realm_info", include_parts=parts if tenant else [],
                            concurrency=concurrency)["realms"]
        reads = {"realms": realms, "themes": [theme for realm in realms for theme in realm.get("themes") or []],
                 "people_groups": []}
        for key in ("resource_servers", "authenticator_configs", "applications", "groups", "identity_providers",
                    "sso_configs"):
            reads[key] = [{"item": realm, key: realm[key]} for realm in realms if key in realm]
        managed = set(rs["id"] for realm in realms for rs in realm.get("resource_servers") or [] if rs.get("is_managed"))
        reads["roles"] = [
            {"item": {"realm": realm["display_name"], "resource_server": role.get("resource_server_display_name")},
             "roles": [role]}
            for realm in realms for role in realm.get("roles") or [] if role.get("resource_server_id") not in managed]
        if self._wanted("beyond_identity", "identity"):
            wanted = self._args["people_realm"].lower()
            found = [r for r in realms if wanted in (r["id"].lower(), (r.get("display_name") or "").lower())]
            if not found:
                raise ReadFailed("people_realm: no Beyond Identity realm has the display name or id %r (realms: %s)" % (
                    self._args["people_realm"], ", ".join(sorted(r.get("display_name") or r["id"] for r in realms))))
            [people] = self._read("beyond_identity_realm_info", id=found[0]["id"], concurrency=concurrency,
                                  include_parts=["groups", "group_members", "identities"])["realms"]
            reads.update(people_groups=[{"item": found[0], "groups": people["groups"]}], identities=people["identities"])
        return reads

    # -- files ------------------------------------------------------------------------------------

    def _write(self, files):
        """Each file whose text or mode differs, to a temporary file in its folder renamed over it (not in check mode)."""
        path, check = self._args["path"], self._task.check_mode
        written, diffs = [], []
        if not check and not os.path.isdir(path):
            os.makedirs(path, 0o755)
        for item in files:
            target = os.path.join(path, item["name"])
            mode = FILE_MODES.get(item["name"], DEFAULT_MODE)
            before = _read_text(target)
            changed = before != item["content"] or (before is not None and os.stat(target).st_mode & 0o7777 != mode)
            if changed and not check:
                _replace(target, item["content"], mode)
            written.append({"name": item["name"], "path": target, "changed": changed})
            if changed and self._task.diff:
                diffs.append(_diff(target, before, item["content"]))
        out = {"changed": any(f["changed"] for f in written), "path": path, "files": written}
        if diffs:
            out["diff"] = diffs
        return out


def _counts(variables):
    return dict((name, len(value)) for name, value in variables.items() if isinstance(value, list))


def _read_text(path):
    try:
        with open(path, "rb") as handle:
            return handle.read().decode("utf-8")
    except (IOError, OSError, UnicodeDecodeError):
        return None


def _replace(target, text, mode):
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".%s." % os.path.basename(target))
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(text.encode("utf-8"))
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def _diff(target, before, after):
    diff = {"before_header": target, "after_header": target}
    limit = C.MAX_FILE_SIZE_FOR_DIFF
    if len(before or "") > limit:
        diff["dst_larger"] = limit
    if len(after) > limit:
        diff["src_larger"] = limit
    if "dst_larger" not in diff and "src_larger" not in diff:
        diff.update(before=before or "", after=after)
    return diff
