"""The nested-input schemas are generated from the vendor documents, and the validator and list merge behave.

``plugins/module_utils/schemas.py`` must be byte for byte what tools/gen_schemas.py makes of the documents in
tests/simulators/specs, so a module cannot check nested input against rules the documents no longer state.
"""

import importlib
import sys
from pathlib import Path

import pytest

from ansible_collections.identity.cloud.plugins.module_utils import validate
from ansible_collections.identity.cloud.plugins.module_utils.nested import Items, check, merged
from ansible_collections.identity.cloud.plugins.module_utils.resource import Field, InputError, ResourceSpec

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools"))
gen_schemas = importlib.import_module("gen_schemas")


def test_committed_schemas_are_what_the_documents_give():
    assert (REPO / "plugins" / "module_utils" / "schemas.py").read_text() == gen_schemas.render(), (
        "plugins/module_utils/schemas.py differs from the vendor documents: run python tools/gen_schemas.py")


def test_generated_schemas_keep_structure_only():
    text = (REPO / "plugins" / "module_utils" / "schemas.py").read_text()
    assert "example" not in text and "'description': '" not in text  # keys and structure, no prose
    node = validate.schema_node("sailpoint", "ProvisioningPolicyDto", "fields")
    assert node["type"] == "array" and node["items"] == {"$ref": "FieldDetailsDto"}


def nested_fields():
    """Every ``Field`` of every state module whose value holds objects (a dict, or a list of dicts)."""
    out = []
    for path in sorted((REPO / "plugins" / "modules").glob("*.py")):
        module = importlib.import_module("ansible_collections.identity.cloud.plugins.modules." + path.stem)
        spec = getattr(module, "SPEC", None)
        if isinstance(spec, ResourceSpec):
            out.extend((path.stem, f) for f in spec.fields
                       if f.argspec["type"] == "dict" or f.argspec.get("elements") == "dict")
    return out


# Objects a vendor document leaves open (connector-specific settings, maps) or that the argspec types fully.
OPEN = {"sailpoint_source.manager_correlation_mapping", "sailpoint_source.connector_secrets",
        "sailpoint_source.connector_attributes", "sailpoint_source_schema.configuration",
        "finbourne_user.alternative_user_ids",
        # Beyond Identity 1.7: the module's own platform -> flow type -> bool form (the adapter checks the names,
        # held against the document by test_beyond_identity_v17.py); an SSO configuration's settings, a oneOf by
        # type whose alternatives overlap (the adapter checks each type's required settings, the API the rest)
        "beyond_identity_flow_type_config.launch_mechanisms", "beyond_identity_sso_config.payload"}


@pytest.mark.parametrize("module_name,field", nested_fields(), ids=["%s.%s" % (m, f.option) for m, f in nested_fields()])
def test_nested_fields_are_checked_against_a_generated_schema(module_name, field):
    if "%s.%s" % (module_name, field.option) in OPEN or field.argspec.get("options"):
        return
    assert field.schema and validate.schema_node(*field.schema) is not None, (
        "%s.%s: declare schema= and add its component to tools/gen_schemas.py ROOTS" % (module_name, field.option))


def suboption_choices(options, node, vendor, path, names):
    """(path, declared choices, the document's enum) for every suboption of ``options`` that declares choices."""
    out = []
    node = validate._deref(vendor, node)
    node = validate._deref(vendor, node["items"]) if node.get("type") == "array" else node
    props = node.get("properties") or {}
    for name, sub in sorted(options.items()):
        prop = validate._deref(vendor, props[names.get(name, name)])
        values = validate._deref(vendor, prop["items"]) if prop.get("type") == "array" else prop
        if sub.get("choices"):
            out.append(("%s.%s" % (path, name), sorted(sub["choices"]), sorted(values.get("enum") or [])))
        if sub.get("options"):
            out.extend(suboption_choices(sub["options"], prop, vendor, "%s.%s" % (path, name), {}))
    return out


def test_declared_suboption_choices_match_the_document():
    """Suboptions typed by the argspec (schema attributes, Beyond Identity's protocol_config) declare exactly the
    document's enums (the validator checks the value against the document as well)."""
    checked = 0
    for module_name, field in nested_fields():
        if field.schema and field.argspec.get("options"):
            names = field.items.names if field.items else {}
            for path, declared, enum in suboption_choices(field.argspec["options"], validate.schema_node(*field.schema),
                                                          field.schema[0], "%s.%s" % (module_name, field.option), names):
                assert declared == enum, "%s: choices %s, the document says %s" % (path, declared, enum)
                checked += 1
    assert checked >= 5


def test_lists_of_objects_merge_item_by_item():
    for module_name, field in nested_fields():
        if field.argspec.get("elements") == "dict":
            assert field.items is not None, "%s.%s: declare items=Items(key)" % (module_name, field.option)


SCHEME = {"type": "object", "required": ["name"], "properties": {
    "name": {"type": "string"}, "when": {"type": "string", "format": "date-time"},
    "kind": {"type": "string", "enum": ["a", "b"]}, "count": {"type": "integer", "format": "int32"},
    "free": {"type": "object"}, "auto": {"type": "boolean", "readOnly": True},
    "items": {"type": "array", "items": {"type": "object", "properties": {"x": {"type": "number"}}}}}}


@pytest.mark.parametrize("value,wanted", [
    ({"name": "n"}, None),
    ({"name": "n", "free": {"anything": [1]}, "when": "2030-01-01T00:00:00.5+01:00"}, None),
    ({}, "opt: name is required"),
    ({"name": "n", "kind": "c"}, "opt.kind: 'c' is not one of a, b"),
    ({"name": "n", "when": "2030-01-01"}, "opt.when: is not a date-time such as 2030-01-01T00:00:00Z"),
    ({"name": "n", "count": True}, "opt.count: must be an integer, got True"),
    ({"name": "n", "count": 2 ** 31}, "opt.count: must be between -2147483648 and 2147483647, got 2147483648"),
    ({"name": "n", "auto": True}, "opt.auto: is read-only (the API sets it)"),
    ({"name": "n", "items": [{"x": 1}, {"x": "1"}]}, "opt.items[1].x: must be a number, got '1'"),
    ({"name": "n", "other": 1}, "opt.other: unknown key (the API takes count, free, items, kind, name, when)"),
    ("n", "opt: must be a dict, got 'n'"),
])
def test_problem_names_the_path(value, wanted):
    found = validate.problem(value, SCHEME, "sailpoint", "opt")
    assert (found is None) if wanted is None else found.startswith(wanted), found


def test_problem_uses_the_users_key_names():
    names = {"long_name": "name"}
    assert validate.problem({"long_name": "n", "kind": None}, SCHEME, "sailpoint", "o", names) is None
    assert validate.problem({}, SCHEME, "sailpoint", "o", names) == "o: long_name is required"


def test_items_merge_keeps_keys_not_given_and_drops_items_not_listed():
    have = [{"name": "a", "transform": {"type": "x"}, "type": "string"}, {"name": "b", "isMultiValued": True}]
    out = Items(["name"]).merge(have, [{"name": "b", "type": "long"}, {"name": "c"}])
    assert out == [{"name": "b", "isMultiValued": True, "type": "long"}, {"name": "c"}]
    assert have[1] == {"name": "b", "isMultiValued": True}  # not changed in place
    # a key given replaces the whole value (a new transform is not mixed with the old one)
    assert Items(["name"]).merge(have, [{"name": "a", "transform": {}}])[0]["transform"] == {}


def test_items_merge_by_a_pair_and_keep_unlisted():
    have = [{"property": "uid", "value": "id", "ignoreCase": True}, {"property": "mail", "value": "m"}]
    out = Items(["property", "value"]).merge(have, [{"property": "uid", "value": "id", "matchMode": "START"}])
    assert out == [{"property": "uid", "value": "id", "ignoreCase": True, "matchMode": "START"}]
    kept = Items(["property", "value"], keep_unlisted=True).merge(have, [{"property": "x", "value": "y"}])
    assert kept == have + [{"property": "x", "value": "y"}]


def test_merged_and_check_through_fields():
    fields = [Field("fields", type="list", elements="dict", schema=("sailpoint", "ProvisioningPolicyDto", "fields"),
                    items=Items(["name"])), Field("name")]
    current = {"name": "P", "fields": [{"name": "a", "transform": {"type": "t"}, "type": "string"}]}
    assert merged(fields, current, {"fields": [{"name": "a", "type": "long"}]}) == {
        "name": "P", "fields": [{"name": "a", "transform": {"type": "t"}, "type": "long"}]}
    with pytest.raises(InputError, match=r"^fields\[0\]\.type: 'float' is not one of"):
        check(fields, {"fields": [{"name": "a", "type": "float"}], "name": None}, current)


def test_required_keys_count_the_current_item():
    fields = [Field("attributes", type="list", elements="dict", items=Items(["name"], keep_unlisted=True),
                    schema=("sailpoint", "AttrSyncSourceConfig", "attributes"))]
    current = {"attributes": [{"name": "email", "displayName": "Email", "enabled": True, "target": "mail"}]}
    check(fields, {"attributes": [{"name": "email", "enabled": False}]}, current)
    with pytest.raises(InputError, match=r"^attributes\[1\]: displayName and target are required$"):
        check(fields, {"attributes": [{"name": "email"}, {"name": "dept", "enabled": True}]}, current)
