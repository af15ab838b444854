"""Input constraints are declared once, next to the field, and held against the vendor documents.

Every ``Field`` of every state module that names its place in a vendor document (``schema=``)
must declare exactly the pattern, lengths, bounds and enum the document gives that property:
a constraint the document adds or drops makes this test fail, so the module and the API cannot
drift apart. The checks themselves (``Field.problem`` / ``ResourceSpec.check``) are tested below.
"""

import importlib
import json
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from ansible_collections.identity.cloud.plugins.module_utils.resource import Field, InputError, ResourceSpec

REPO = Path(__file__).resolve().parents[2]
SPECS = REPO / "tests" / "simulators" / "specs"
DOCUMENTS = {
    "finbourne": SPECS / "finbourne" / "finbourne-identity-api-0.0.3076.json",
    "sailpoint": SPECS / "sailpoint" / "deref-sailpoint-api.v2024.json",
    "beyond_identity": SPECS / "beyond_identity" / "beyond-identity-api-v1.7.0-latest.yaml",  # 1.1.0's schemas too
}
# document keyword -> Field attribute
KEYWORDS = {"pattern": "pattern", "minLength": "min_length", "maxLength": "max_length",
            "minimum": "minimum", "maximum": "maximum"}


@lru_cache(maxsize=None)
def document(vendor):
    path = DOCUMENTS[vendor]
    text = path.read_text()
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


def schema_property(vendor, schema, prop):
    """The property ``prop`` (dotted for nesting) of ``components.schemas[schema]``, through allOf."""
    node = document(vendor)["components"]["schemas"][schema]
    for part in prop.split("."):
        node = _properties(vendor, node)[part]
    return _deref(vendor, node)


def _deref(vendor, node):
    while "$ref" in node:
        node = document(vendor)["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _properties(vendor, node):
    node = _deref(vendor, node)
    props = dict(node.get("properties") or {})
    for sub in node.get("allOf") or []:
        props.update(_properties(vendor, sub))
    return props


def declared_fields():
    out = []
    for path in sorted((REPO / "plugins" / "modules").glob("*.py")):
        module = importlib.import_module("ansible_collections.identity.cloud.plugins.modules." + path.stem)
        spec = getattr(module, "SPEC", None)
        if isinstance(spec, ResourceSpec):
            out.extend((path.stem, field) for field in spec.fields if field.schema)
    return out


FIELDS = declared_fields()


def test_some_fields_declare_their_schema():
    assert any(name == "finbourne_role" for name, _field in FIELDS)


@pytest.mark.parametrize("module_name,field", FIELDS, ids=["%s.%s" % (m, f.option) for m, f in FIELDS])
def test_declared_constraints_match_the_vendor_document(module_name, field):
    vendor, schema, prop = field.schema
    node = schema_property(vendor, schema, prop)
    items = _deref(vendor, node["items"]) if node.get("type") == "array" else None
    for keyword, attribute in KEYWORDS.items():
        if items is None:
            wanted = node.get(keyword)
        elif keyword in ("minLength", "maxLength"):  # a list option's lengths count its items
            wanted = node.get({"minLength": "minItems", "maxLength": "maxItems"}[keyword])
        else:
            wanted = items.get(keyword)
        assert getattr(field, attribute) == wanted, "%s.%s: %s is %r in %s.%s, declared %r" % (
            module_name, field.option, keyword, wanted, schema, prop, getattr(field, attribute))
    enum = (items or node).get("enum")
    if enum is not None:
        assert sorted(field.argspec.get("choices") or []) == sorted(e for e in enum if e is not None), (
            "%s.%s: choices differ from the document's enum %s" % (module_name, field.option, enum))


def test_problem_names_the_rule_and_shortens_the_value():
    field = Field("name", pattern=r"^[a-z]+$", min_length=2, max_length=8)
    assert field.problem("abc") is None
    assert field.problem("a") == "must be at least 2 character(s) long, got 1"
    assert field.problem("abcdefghijk") == "must be at most 8 characters long, got 11"
    assert field.problem("AB") == "must match ^[a-z]+$, got 'AB'"
    long_bad = "X" * 10000
    field = Field("name", pattern=r"^[a-z]+$")
    message = field.problem(long_bad)
    assert len(message) < 120 and "10002 characters" in message


def test_choices_bounds_and_list_lengths():
    assert Field("kind", choices=["a", "b"]).problem("c") == "must be one of a, b, got 'c'"
    assert Field("count", type="int", minimum=1, maximum=5).problem(9) == "must be at most 5, got 9"
    tags = Field("tags", type="list", elements="str", max_length=2, pattern="^t")
    assert tags.problem(["t1", "t2", "t3"]) == "must have at most 2 items, got 3"
    assert tags.problem(["t1", "x"]) == "must match ^t, got 'x'"


def test_spec_check_runs_required_on_create_only_when_creating():
    spec = ResourceSpec("thing", key=Field("name", max_length=3), fields=[Field("owner", required_on_create=True)])
    with pytest.raises(InputError, match="owner is required to create a thing"):
        spec.check({"name": "abc", "owner": None}, creating=True)
    spec.check({"name": "abc", "owner": None}, creating=False)
    with pytest.raises(InputError, match="^name must be at most 3 characters long, got 4$"):
        spec.check({"name": "abcd", "owner": "x"}, creating=False)
