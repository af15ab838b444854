"""plugin_utils/yaml_text.py: ``dump`` writes exactly PyYAML's text (``reference``), by its fast path for export data
and by the reference for what the fast path does not reproduce."""

import json

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.identity.cloud.plugins.plugin_utils.export import plain, stable, to_yaml
from ansible_collections.identity.cloud.plugins.plugin_utils import yaml_text
from ansible_collections.identity.cloud.plugins.plugin_utils.yaml_text import dump, fast, reference

# strings YAML reads as something else, or that need quotes, or that PyYAML writes in double quotes / on several lines
TRICKY = ["", " ", "yes", "No", "ON", "off", "y", "n", "true", "False", "null", "Null", "~", "123", "0x1F", "0o17", "1e3",
          "1.5", ".inf", "-.Inf", ".nan", "1_000", "12:30:45", "2024-01-02", "2024-01-02T03:04:05Z", "<<", "=", "-", "- a",
          "-a", "?", "? a", ":", "a:", "a: b", "a:b", "#", "a #b", "a#b", "'", "it's", '"', '"quoted"', "{{ vault_x }}",
          "{a", "[a]", "*ref", "&anchor", "!tag", "%x", "@at", "`tick", "|", ">", " lead", "trail ", "two  spaces",
          "tab\there", "line\nbreak", "trailing\n", "\n", "cr\rhere", "nel\x85", "\u2028", "bom\ufeff", "bell\x07",
          "é", "Zoë O'Neil", "日本語", "emoji \U0001F600", "\U0010FFFF", "a,b", "a, b", "x" * 122, "x" * 123, "-1",
          "+1", "0", "00", "0b101", "1:20", "a/b.c@d-e+f_g", "_x", "._x", "0.", "1e", "E", "Yes please", "on time"]

text = st.one_of(st.sampled_from(TRICKY), st.text(max_size=12),
                 st.text(alphabet=st.sampled_from(list("aZ_ -:#'\"{}[],.@/+\n\té~!&*|>?%`0") + ["\u00e9", "\u2028"]),
                         max_size=10))
key = st.one_of(text, st.integers(min_value=120, max_value=130).map(lambda n: "k" * n))
scalar = st.one_of(text, st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False))
data = st.recursive(scalar, lambda children: st.one_of(st.lists(children, max_size=4),
                                                       st.dictionaries(key, children, max_size=4)), max_leaves=20)
document = st.one_of(st.dictionaries(key, data, max_size=5), st.lists(data, max_size=5), data)
HEADER = st.one_of(st.none(), st.sampled_from(["people.yml", "one\n\nthree", "é: # x"]))


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document, HEADER)
def test_dump_is_reference(value, header):
    text = dump(value, header)
    assert text == reference(value, header)
    if "\x85" not in json.dumps(value, ensure_ascii=False):  # PyYAML reads back its own single-quoted NEL as a space
        assert yaml.safe_load(text) == value


ASCII = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=20)
PRINTABLE = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\ufeff\ufffe\uffff\U0010ffff"),
                    max_size=20)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.one_of(ASCII, PRINTABLE).filter(bool), st.one_of(ASCII, PRINTABLE, st.lists(PRINTABLE)),
                       min_size=1, max_size=6))
def test_single_line_printable_text_takes_the_fast_path(value):
    """Any single-line printable text (plain or single-quoted) is the fast path's, not only the obvious names."""
    assert fast(value) is not None
    assert fast(value) == reference(value)


def _people(count):
    return stable({"people_list": [{"username": "user%03d" % i, "email": "user.%03d@example.com" % i,
                                    "display_name": "Zoë O'Neil %d" % i, "first_name": "Zoë", "last_name": "O'Neil",
                                    "beyond_identity": {"groups": ["Group %d" % (i % 3), "yes", "{{ vault_x }}"]},
                                    "finbourne": {"roles": [], "type": "Personal", "enabled": i % 2 == 0,
                                                  "attempts": i, "note": None, "extra": {}}}
                                   for i in range(count)],
                   "people_beyond_identity_realm": "Default", "people_beyond_identity_enroll": False})


def test_export_shaped_data_takes_the_fast_path():
    data = _people(30)
    text = fast(data)
    assert text is not None
    assert text == reference(data)
    assert dump(data, "people.yml\n\nheader") == reference(data, "people.yml\n\nheader")
    assert "  - beyond_identity:\n      groups:\n        - Group 0\n        - 'yes'\n        - '{{ vault_x }}'\n" in text
    assert "    display_name: Zoë O'Neil 0\n" in text


def test_to_yaml_uses_dump(monkeypatch):
    assert to_yaml(_people(3), "h") == reference(_people(3), "h")
    monkeypatch.setattr(yaml_text, "fast", lambda data: "fast\n")
    assert to_yaml(_people(3), "h") == "# h\nfast\n"


@pytest.mark.parametrize("value", [{}, [], {"a": {}}, {"a": []}, [[]], [{}], [[1, [2]]], [{"a": [{"b": None}]}],
                                   {"k" * 122: 1}, {" x ": "'q'"}])
def test_edges_take_the_fast_path(value):
    assert fast(value) is not None
    assert fast(value) == reference(value)


class Text(str):
    pass


@pytest.mark.parametrize("value", [
    {"a": 1.5},                      # float: PyYAML's own spelling
    {"a": "two\nlines"},              # several lines
    {"a": "tab\t"},                   # double quotes (escapes)
    {"a": "\x85"},                    # a YAML line break
    {"a": "bom\ufeff"},               # non-printable
    {"k" * 123: 1},                   # a key of 123+ characters (128 with its tag '!!str'): '? key'
    {"": 1},                          # an empty key: '? '''
    {1: "a"},                         # a non-str key
    {"a": (1, 2)},                    # a type other than dict/list/str/int/bool/None
    {"a": Text("x")},                 # a str subclass
    {"a": "x " * (1 << 18)},          # a string of 2**18+ characters (the line width is 2**20)
    "top", 1, None,                   # a top-level scalar
])
def test_fallback_triggers(value):
    assert fast(value) is None
    assert _outcome(dump, value) == _outcome(reference, value)


def _outcome(function, value):
    try:
        return function(value, "h")
    except yaml.YAMLError as error:  # the str subclass: PyYAML's SafeDumper refuses it, so does dump
        return repr(error)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.from_regex(yaml_text._OBVIOUS, fullmatch=True), st.sampled_from(sorted(yaml_text._WORDS))))
def test_obvious_strings_are_what_pyyaml_writes_plain(value):
    """The regex shortcut agrees with PyYAML's own analysis and resolver."""
    assert yaml_text._string(value, {}) == yaml_text._analysed(value)
    assert fast({"k": value, value[:100]: [value]}) == reference({"k": value, value[:100]: [value]})


wrapped = st.recursive(st.one_of(scalar, text.map(Text)),
                       lambda children: st.one_of(st.lists(children, max_size=4), st.lists(children, max_size=3).map(tuple),
                                                  st.dictionaries(st.one_of(key, key.map(Text)), children, max_size=4)),
                       max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(key, wrapped, max_size=4), HEADER)
def test_prepare_is_called_only_when_needed(value, header):
    """``dump(data, prepare=plain)`` (what to_yaml does) is the reference's text of ``plain(data)``: a str subclass
    or a tuple is copied by ``prepare`` first, plain data written as it is."""
    calls = []

    def prepare(data):
        calls.append(data)
        return plain(data)

    assert dump(value, header, prepare) == reference(plain(value), header)
    assert bool(calls) == (fast(value) is None)
