"""Issue 25, identity side: every operation of the v2024 document's Transforms, Identity Profiles, Lifecycle States and
Governance Groups tags is called by a module, and the transform types the modules know are the document's."""

import json
import re
from pathlib import Path

import pytest

from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import identity_profiles as ip

REPO = Path(__file__).resolve().parents[2]
DOCUMENT = REPO / "tests" / "simulators" / "specs" / "sailpoint" / "deref-sailpoint-api.v2024.json"
TAGS = ("Transforms", "Identity Profiles", "Lifecycle States", "Governance Groups")
# operationId -> the module that calls it (each one's integration test drives the call against the simulator)
CALLED_BY = {
    "listTransforms": "sailpoint_transform_info", "createTransform": "sailpoint_transform",
    "getTransform": "sailpoint_transform_info", "updateTransform": "sailpoint_transform",
    "deleteTransform": "sailpoint_transform",
    "listIdentityProfiles": "sailpoint_identity_profile_info", "createIdentityProfile": "sailpoint_identity_profile",
    "getIdentityProfile": "sailpoint_identity_profile", "updateIdentityProfile": "sailpoint_identity_profile",
    "deleteIdentityProfile": "sailpoint_identity_profile",
    "deleteIdentityProfiles": "sailpoint_identity_profile_action",
    "exportIdentityProfiles": "sailpoint_identity_profile_info",
    "importIdentityProfiles": "sailpoint_identity_profile_action",
    "getDefaultIdentityAttributeConfig": "sailpoint_identity_profile_info",
    "syncIdentityProfile": "sailpoint_identity_profile_action",
    "generateIdentityPreview": "sailpoint_identity_profile_action",
    "getLifecycleStates": "sailpoint_lifecycle_state_info", "createLifecycleState": "sailpoint_lifecycle_state",
    "getLifecycleState": "sailpoint_lifecycle_state_info", "updateLifecycleStates": "sailpoint_lifecycle_state",
    "deleteLifecycleState": "sailpoint_lifecycle_state", "setLifecycleState": "sailpoint_identity_lifecycle_state",
    "listWorkgroups": "sailpoint_governance_group", "createWorkgroup": "sailpoint_governance_group",
    "getWorkgroup": "sailpoint_governance_group", "patchWorkgroup": "sailpoint_governance_group",
    "deleteWorkgroup": "sailpoint_governance_group", "deleteWorkgroupsInBulk": "sailpoint_governance_group",
    "listConnections": "sailpoint_governance_group_info", "listWorkgroupMembers": "sailpoint_governance_group",
    "updateWorkgroupMembers": "sailpoint_governance_group", "deleteWorkgroupMembers": "sailpoint_governance_group",
}
# the path's last segment as the code spells it (a literal) for the operations not on a plain collection or item
SUFFIXES = {"deleteIdentityProfiles": "bulk-delete", "exportIdentityProfiles": "export", "importIdentityProfiles": "import",
            "getDefaultIdentityAttributeConfig": "default-identity-attribute-config",
            "syncIdentityProfile": "process-identities", "generateIdentityPreview": "identity-preview",
            "setLifecycleState": "set-lifecycle-state", "deleteWorkgroupsInBulk": "bulk-delete",
            "listConnections": "connections", "listWorkgroupMembers": "members", "updateWorkgroupMembers": "bulk-add",
            "deleteWorkgroupMembers": "bulk-delete"}


def document():
    return json.loads(DOCUMENT.read_text())


def operations():
    out = {}
    for path, item in document()["paths"].items():
        for method, op in item.items():
            if isinstance(op, dict) and set(op.get("tags") or ()) & set(TAGS):
                out[op["operationId"]] = (method, path)
    return out


def test_every_operation_of_the_four_tags_is_called_by_a_module():
    assert sorted(operations()) == sorted(CALLED_BY), "operations without a module (or gone from the document)"
    assert len(CALLED_BY) == 32


@pytest.mark.parametrize("operation", sorted(CALLED_BY))
def test_the_module_exists_reaches_the_path_and_is_in_the_action_group(operation):
    module = CALLED_BY[operation]
    source = (REPO / "plugins" / "modules" / (module + ".py")).read_text()
    utils = "".join((REPO / "plugins" / "module_utils" / "sailpoint" / name).read_text()
                    for name in ("identity_profiles.py", "governance_groups.py"))
    resource = operations()[operation][1].strip("/").split("/")[0]
    assert '"%s"' % resource in source + utils
    if operation in SUFFIXES:
        assert '"%s"' % SUFFIXES[operation] in source + utils
    assert re.search(r"^    - %s$" % module, (REPO / "meta" / "runtime.yml").read_text(), re.MULTILINE)


def test_transform_types_and_their_attribute_schemas_are_the_documents():
    schemas = document()["components"]["schemas"]
    assert ip.TRANSFORM_TYPES == schemas["Transform"]["properties"]["type"]["enum"]
    variants = [ref["$ref"].rsplit("/", 1)[1] for ref in schemas["Transform"]["properties"]["attributes"]["oneOf"]]
    by_title = dict((schemas[name]["title"], name) for name in variants)
    by_title.pop("rule")  # a oneOf of rule shapes: its attributes are left to the rule
    assert ip.TRANSFORM_COMPONENTS == dict((kind, name) for kind, name in by_title.items() if kind in ip.TRANSFORM_TYPES)


def test_transform_attributes_are_checked_against_their_type():
    assert ip.transform_problem("lookup", {"table": {"a": "b"}}, "t") is None
    assert ip.transform_problem("static", {}, "t") == "t.attributes: values is required"
    assert ip.transform_problem("lower", {"inputs": {}}, "t").startswith("t.attributes.inputs: unknown key")
    assert ip.transform_problem("toUpper", {}, "t").startswith("t.type: 'toUpper' is not a transform type")
    assert ip.transform_problem("usernameGenerator", {"anything": 1}, "t") is None  # no schema in the document


def test_attribute_config_mappings_merge_by_attribute_name():
    current = {"enabled": True, "attributeTransforms": [
        {"identityAttributeName": "uid", "transformDefinition": {"type": "accountAttribute"}},
        {"identityAttributeName": "email", "transformDefinition": {"type": "lower"}}]}
    wanted = ip.attribute_config_to_api(None, {"enabled": None, "attribute_transforms": [
        {"identity_attribute_name": "email", "transform": None, "transform_definition": {"type": "upper"}}]})
    merged = ip.merged_attribute_config(current, wanted)
    assert merged == {"enabled": True, "attributeTransforms": [
        {"identityAttributeName": "uid", "transformDefinition": {"type": "accountAttribute"}},
        {"identityAttributeName": "email", "transformDefinition": {"type": "upper"}}]}


@pytest.mark.parametrize("component, own, text", [
    ("IdentityProfile", "authoritativeSource", "description"), ("LifecycleState", "technicalName", "technicalName")])
def test_a_component_built_on_a_base_keeps_its_own_and_its_bases_properties(component, own, text):
    """allOf [$ref base, object]: the generated schema is one object with both parts' properties and required keys
    (a $ref beside properties made validate follow the base, BaseCommonDto, and drop the component's own)."""
    from ansible_collections.identity.cloud.plugins.module_utils import validate
    from ansible_collections.identity.cloud.plugins.module_utils.schemas import SCHEMAS

    assert "$ref" not in SCHEMAS["sailpoint"][component]
    node = validate.schema_node("sailpoint", component)
    assert {own, "name", "id"} <= set(node["properties"]) and {own, "name"} <= set(node["required"])
    assert {"id", "created", "modified"} <= validate.read_only_keys(node, "sailpoint")
    assert validate.problem({"name": "x", text: "y"}, node, "sailpoint", "obj", required=False) is None
    assert validate.problem({"name": "x", text: 5}, node, "sailpoint", "obj", required=False) == \
        "obj.%s: must be a string, got 5" % text
    assert "name" in validate.problem({own: "y"} if own != text else {text: "y"}, node, "sailpoint", "obj")
    assert validate.problem({"nope": 1}, node, "sailpoint", "obj", required=False).startswith("obj.nope: unknown key")


def test_governance_group_owner_has_the_owner_dto_and_its_read_only_additions():
    from ansible_collections.identity.cloud.plugins.module_utils import validate

    owner = validate.schema_node("sailpoint", "WorkgroupDto", "owner")
    assert {"type", "id", "name", "displayName", "emailAddress"} <= set(owner["properties"])
