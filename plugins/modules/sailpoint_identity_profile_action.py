#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sailpoint_identity_profile_action
short_description: Process, preview, import and bulk-delete SailPoint identity profiles
version_added: 0.2.0
description:
  - Operations on identity profiles of SailPoint Identity Security Cloud that are not a profile's state
    (see M(identity.cloud.sailpoint_identity_profile) for that).
  - V(process) processes the identities of O(identity_profile) (C(process-identities)), for example after its
    attribute mappings changed; with O(wait=true) the module waits for the task it starts. Always a change; nothing
    is sent in check mode.
  - V(preview) computes the attributes O(identity) would get from O(identity_attribute_config) (or, without it,
    from the current configuration of O(identity_profile)) without saving anything (C(identity-preview)). Never a
    change; it runs in check mode too.
  - V(import) imports O(profiles), objects in the export format of
    M(identity.cloud.sailpoint_identity_profile_info) (O(identity.cloud.sailpoint_identity_profile_info#module:export=true)).
    A profile whose exported fields already equal the tenant's is left out; with nothing left to import nothing is
    sent and the task reports no change. The profiles' IDs and times (read-only in the API) are not sent.
  - V(bulk_delete) deletes O(identity_profiles) in one call (C(identity-profiles/bulk-delete)); the ones that do
    not exist are skipped (no change when none exists). With O(wait=true) the module waits for the deletion task.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.sailpoint
options:
  action:
    description: The operation, see the description.
    type: str
    required: true
    choices: [process, preview, import, bulk_delete]
  identity_profile:
    description:
      - Name or ID of the profile. Required by V(process); by V(preview) when O(identity_attribute_config) is not given.
    type: str
  identity:
    description:
      - V(preview) only (required), the identity to preview, by ID, name or alias.
    type: str
  identity_attribute_config:
    description:
      - V(preview) only, the configuration to preview, as O(identity.cloud.sailpoint_identity_profile#module:identity_attribute_config)
        takes it (transforms by name, or inline definitions). With O(identity_profile) too, it is merged into that
        profile's current configuration by attribute name first.
    type: dict
    suboptions:
      enabled:
        description: Whether the configuration is enabled.
        type: bool
      attribute_transforms:
        description: Mappings of identity attributes, as the profile module takes them.
        type: list
        elements: dict
        suboptions:
          identity_attribute_name:
            description: The identity attribute the mapping computes.
            type: str
            required: true
          transform:
            description: Name of a transform that computes the attribute (it must exist).
            type: str
          transform_definition:
            description: The transform inline, a dict with C(type) and C(attributes).
            type: dict
  profiles:
    description:
      - V(import) only (required), the profiles to import, each an exported object (C(version), C(self),
        C(object)) as the C(export) of M(identity.cloud.sailpoint_identity_profile_info) returns it.
    type: list
    elements: dict
  identity_profiles:
    description:
      - V(bulk_delete) only (required), names or IDs of the profiles to delete.
    type: list
    elements: str
  wait:
    description:
      - V(process) and V(bulk_delete), poll the task the call starts until it completes.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait for the task when O(wait=true), 1 to 86400.
    type: int
    default: 300
"""

EXAMPLES = r"""
- name: Ensure the HR feed source exists (the profile below takes its accounts)
  identity.cloud.sailpoint_source:
    name: HR Feed
    owner: Ada Admin
    connector: delimited-file

- name: Ensure the employees' profile
  identity.cloud.sailpoint_identity_profile:
    name: Employees
    authoritative_source: HR Feed

- name: Process the profile's identities after a mapping change
  identity.cloud.sailpoint_identity_profile_action:
    action: process
    identity_profile: Employees

- name: Preview a mapping for one identity
  identity.cloud.sailpoint_identity_profile_action:
    action: preview
    identity_profile: Employees
    identity: Jane Doe
    identity_attribute_config:
      attribute_transforms:
        - identity_attribute_name: displayName
          transform_definition: {type: static, attributes: {values: Jane}}
  register: preview

- name: Export the profiles (from one tenant) ...
  identity.cloud.sailpoint_identity_profile_info:
    export: true
  register: exported

- name: ... and import them (into another tenant, or the same one, where nothing changes)
  identity.cloud.sailpoint_identity_profile_action:
    action: import
    profiles: "{{ exported.export }}"

- name: Delete several profiles in one call
  identity.cloud.sailpoint_identity_profile_action:
    action: bulk_delete
    identity_profiles: [Employees, Contractors]
"""

RETURN = r"""
action:
  description: The operation run.
  returned: always
  type: str
  sample: process
task:
  description: V(process) and V(bulk_delete), the task started (its final status with O(wait=true)).
  returned: when a task was started
  type: dict
  sample: {id: 2c91808779ecf55b0179f720942f181a, completionStatus: Success}
preview:
  description: V(preview), the API's answer (C(identity), C(previewAttributes)).
  returned: when O(action=preview)
  type: dict
  sample: {identity: {type: IDENTITY, id: 2c9180857182305e0171993735622949, name: Jane Doe},
           previewAttributes: [{name: displayName, value: Jane, previousValue: Jane Doe}]}
imported:
  description: V(import), names of the profiles sent (in check mode, the ones that would be).
  returned: when O(action=import)
  type: list
  elements: str
  sample: [Employees]
unchanged:
  description: V(import), names of the profiles left out as already equal.
  returned: when O(action=import)
  type: list
  elements: str
  sample: [Contractors]
import_result:
  description: V(import), the API's answer (C(infos), C(warnings), C(errors), C(importedObjects)).
  returned: when profiles were imported
  type: dict
  sample: {infos: [], warnings: [], errors: [], importedObjects: [{type: IDENTITY_PROFILE, id: ef38f94347e94562b5bb8424a56397d8, name: Employees}]}
deleted:
  description: V(bulk_delete), names or IDs given of the profiles deleted (in check mode, the ones that would be).
  returned: when O(action=bulk_delete)
  type: list
  elements: str
  sample: [Employees]
"""

from ansible_collections.identity.cloud.plugins.module_utils import sailpoint, validate
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.http_client import ApiError
from ansible_collections.identity.cloud.plugins.module_utils.resource import InputError, run_flow, subset_equal
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import identity_profiles as ip

REQUIRED = {"process": ("identity_profile",), "preview": ("identity",), "import": ("profiles",),
            "bulk_delete": ("identity_profiles",)}
ARGUMENT_SPEC = {
    "action": {"type": "str", "required": True, "choices": ["process", "preview", "import", "bulk_delete"]},
    "identity_profile": {"type": "str"},
    "identity": {"type": "str"},
    "identity_attribute_config": {"type": "dict", "options": ip.ATTRIBUTE_CONFIG},
    "profiles": {"type": "list", "elements": "dict"},
    "identity_profiles": {"type": "list", "elements": "str"},
    "wait": {"type": "bool", "default": True},
    "wait_timeout": {"type": "int", "default": 300, "minimum": 1, "maximum": 86400},
}


def waited(api, params, answer, path):
    task = answer if isinstance(answer, dict) and answer.get("id") else None
    if task and params["wait"]:
        task = api.wait_for_task(task["id"], params["wait_timeout"], "POST", path)
    return {"task": task} if task else {}


def process(api, params, check_mode):
    profile = ip.find_profile(api, params["identity_profile"])
    if check_mode:
        return {"changed": True}
    path = api.path("identity-profiles", profile["id"], "process-identities")
    return dict(waited(api, params, api.client.post(path, None).data, path), changed=True)


def preview(api, params, check_mode):
    config = ip.attribute_config_to_api(api, params.get("identity_attribute_config"))
    if params.get("identity_profile"):
        current = ip.find_profile(api, params["identity_profile"]).get("identityAttributeConfig") or {}
        config = ip.merged_attribute_config(current, config or {})
    elif config is None:
        raise InputError("action=preview needs identity_attribute_config or identity_profile (its configuration)")
    identity = ip.find_identity(api, params["identity"], "identity")
    body = {"identityId": identity["id"], "identityAttributeConfig": config}
    # saves nothing: sent in check mode too, and safe to repeat
    answer = api.client.request("POST", api.path("identity-profiles", "identity-preview"), json_body=body,
                                read_only=True).data
    return {"changed": False, "preview": answer}


def check_exported(profiles):
    node = validate.schema_node("sailpoint", "IdentityProfileExportedObject")
    for number, item in enumerate(profiles):
        path = "profiles[%d]" % number
        if not isinstance(item, dict) or not isinstance(item.get("object"), dict) or not item["object"].get("name"):
            raise InputError("%s must be an exported profile: a dict with object (holding the profile's name)" % path)
        # without the ids and times an export holds (not sent), against the document's IdentityProfileExportedObject
        found = validate.problem(without_read_only(item), node, "sailpoint", path)
        if found:
            raise InputError(found)
    names = [item["object"]["name"] for item in profiles]
    repeated = sorted(set(n for n in names if names.count(n) > 1))
    if repeated:
        raise InputError("profiles: the profile %s is given more than once" % ", ".join(map(repr, repeated)))


def without_read_only(item):
    """An exported object without what the API sets itself (ids and times of the profile; checked and compared
    without them)."""
    read_only = validate.read_only_keys(validate.schema_node("sailpoint", "IdentityProfile"), "sailpoint")
    out = dict(item)
    out["object"] = dict((k, v) for k, v in item["object"].items() if k not in read_only)
    return out


def import_profiles(api, params, check_mode):
    check_exported(params["profiles"])
    current = dict(((e.get("object") or {}).get("name"), e.get("object")) for e in ip.export(api))
    send, unchanged = [], []
    for item in params["profiles"]:
        have = current.get(item["object"]["name"])
        wanted = without_read_only(item)["object"]
        wanted.pop("identityCount", None)
        wanted.pop("identityRefreshRequired", None)
        if have is not None and subset_equal(wanted, have):
            unchanged.append(item["object"]["name"])
        else:
            send.append(without_read_only(item))  # the API refuses the ids and times an export holds
    out = {"changed": bool(send), "imported": [i["object"]["name"] for i in send], "unchanged": unchanged}
    if send and not check_mode:
        path = api.path("identity-profiles", "import")
        out["import_result"] = api.client.post(path, send, idempotent=True).data  # same objects again: same result
        errors = (out["import_result"] or {}).get("errors") or []
        if errors:
            raise ApiError("POST", path, message="the import reported errors: %s" % "; ".join(
                str(e.get("text") or e.get("key") or e) if isinstance(e, dict) else str(e) for e in errors[:5]))
    return out


def bulk_delete(api, params, check_mode):
    found = []
    for value in params["identity_profiles"]:
        profile = ip.find_profile(api, value, "identity_profiles", required=False)
        if profile is not None and profile["id"] not in [p["id"] for _v, p in found]:
            found.append((value, profile))
    out = {"changed": bool(found), "deleted": [value for value, _p in found]}
    if found and not check_mode:
        path = api.path("identity-profiles", "bulk-delete")
        out.update(waited(api, params, api.client.post(path, [p["id"] for _v, p in found]).data, path))
    return out


ACTIONS = {"process": process, "preview": preview, "import": import_profiles, "bulk_delete": bulk_delete}


def main():
    module = vendor_module(ARGUMENT_SPEC, sailpoint.SAILPOINT_ARGS,
                           required_if=[("action", action, options) for action, options in REQUIRED.items()])
    api = sailpoint.connect(module)
    params = module.params
    run_flow(module, lambda: dict(ACTIONS[params["action"]](api, params, module.check_mode), action=params["action"]))


if __name__ == "__main__":
    main()
