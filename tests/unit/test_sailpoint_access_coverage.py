"""Every operation of the v2024 document's Entitlements, Access Profiles and Roles tags is called by a module.

``OPERATIONS`` maps each operationId to the module that calls it. The test fails when the document has an
operation the table lacks (a gap), when the table names an operation the document does not have, a module that
does not exist or is not in the ``sailpoint`` action group, or when no code the module runs names the
operation's path segments (its module file, ``module_utils/sailpoint/access.py`` or ``actions.py``).
"""

import json
import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
DOCUMENT = REPO / "tests" / "simulators" / "specs" / "sailpoint" / "deref-sailpoint-api.v2024.json"
TAGS = {"Entitlements", "Access Profiles", "Roles"}
SHARED = [REPO / "plugins" / "module_utils" / "sailpoint" / name for name in ("access.py", "actions.py")]

OPERATIONS = {
    # Entitlements (12)
    "listEntitlements": "sailpoint_entitlement",
    "getEntitlement": "sailpoint_entitlement",
    "patchEntitlement": "sailpoint_entitlement",
    "updateEntitlementsInBulk": "sailpoint_entitlement",
    "getEntitlementRequestConfig": "sailpoint_entitlement",
    "putEntitlementRequestConfig": "sailpoint_entitlement",
    "createAccessModelMetadataForEntitlement": "sailpoint_entitlement",
    "deleteAccessModelMetadataFromEntitlement": "sailpoint_entitlement",
    "listEntitlementParents": "sailpoint_entitlement_info",
    "listEntitlementChildren": "sailpoint_entitlement_info",
    "importEntitlementsBySource": "sailpoint_source_entitlements",
    "resetSourceEntitlements": "sailpoint_source_entitlements",
    # Access Profiles (8)
    "listAccessProfiles": "sailpoint_access_profile",
    "createAccessProfile": "sailpoint_access_profile",
    "getAccessProfile": "sailpoint_access_profile",
    "patchAccessProfile": "sailpoint_access_profile",
    "deleteAccessProfile": "sailpoint_access_profile",
    "deleteAccessProfilesInBulk": "sailpoint_access_profile",
    "updateAccessProfilesInBulk": "sailpoint_access_profile",
    "getAccessProfileEntitlements": "sailpoint_access_profile_info",
    # Roles (16)
    "listRoles": "sailpoint_role",
    "createRole": "sailpoint_role",
    "getRole": "sailpoint_role",
    "patchRole": "sailpoint_role",
    "deleteRole": "sailpoint_role",
    "deleteBulkRoles": "sailpoint_role",
    "updateAttributeKeyAndValueToRole": "sailpoint_role",
    "deleteMetadataFromRoleByKeyAndValue": "sailpoint_role",
    "getRoleAssignedIdentities": "sailpoint_role_info",
    "getRoleEntitlements": "sailpoint_role_info",
    "searchRolesByFilter": "sailpoint_role_info",
    "updateRolesMetadataByIds": "sailpoint_role_metadata",
    "updateRolesMetadataByFilter": "sailpoint_role_metadata",
    "updateRolesMetadataByQuery": "sailpoint_role_metadata",
    "getBulkUpdateStatus": "sailpoint_role_metadata",
    "getBulkUpdateStatusById": "sailpoint_role_metadata",
}


def document_operations():
    document = json.loads(DOCUMENT.read_text())
    out = {}
    for path, item in document["paths"].items():
        for method, op in item.items():
            if isinstance(op, dict) and TAGS & set(op.get("tags") or []):
                out[op["operationId"]] = (method.upper(), path)
    return out


def test_every_operation_of_the_three_tags_has_a_module():
    found = document_operations()
    assert len(found) == 36
    assert sorted(set(found) - set(OPERATIONS)) == [], "operations no module calls"
    assert sorted(set(OPERATIONS) - set(found)) == [], "operations the document does not have"


def test_the_modules_are_in_the_action_group():
    group = yaml.safe_load((REPO / "meta" / "runtime.yml").read_text())["action_groups"]["sailpoint"]
    assert sorted(set(OPERATIONS.values()) - set(group)) == []


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_the_module_names_the_operations_path(operation):
    method, path = document_operations()[operation]
    module = REPO / "plugins" / "modules" / (OPERATIONS[operation] + ".py")
    code = module.read_text() + "".join(p.read_text() for p in SHARED)
    literals = set(re.findall(r'"([^"\n]*)"', code))
    segments = [s for s in path.strip("/").split("/") if s and not s.startswith("{")]
    for segment in segments:
        assert any(segment in literal for literal in literals), "%s %s: %r is named nowhere in %s or %s" % (
            method, path, segment, module.name, ", ".join(p.name for p in SHARED))
    verb = {"GET": "get", "POST": "post", "PATCH": "patch", "PUT": "put", "DELETE": "delete"}[method]
    assert re.search(r"\.(%s|request|list|paginate_offset|get_or_none)\(" % verb, code), (operation, verb)


def test_suboption_choices_are_the_documents_enums():
    from ansible_collections.identity.cloud.plugins.module_utils import validate
    from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import access

    def enum(component, prop, *inner):
        node = validate.schema_node("sailpoint", component, prop)
        for key in inner:
            node = validate._deref("sailpoint", node)
            node = node["items"] if node.get("type") == "array" else node
            node = validate._deref("sailpoint", validate._deref("sailpoint", node)["properties"][key])
        return sorted(node["enum"])

    for component, approvers in (("AccessProfile", access.AP_APPROVERS), ("Role", access.ROLE_APPROVERS)):
        for prop in ("accessRequestConfig", "revocationRequestConfig"):
            assert sorted(approvers) == enum(component, prop, "approvalSchemes", "approverType"), (component, prop)
        assert sorted(access.TIME_UNITS) == enum(component, "accessRequestConfig", "maxPermittedAccessDuration",
                                                 "timeUnit")
    assert enum("Role", "membership", "type") == ["IDENTITY_LIST", "STANDARD"]
