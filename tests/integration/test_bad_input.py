"""Bad input, generated (hypothesis) over every state module's argument spec and the vendor documents' constraints.

Each case takes a valid task for a module, breaks one option, and runs the module in-process
(``plays.run_module``) against its simulator. Every case must end in one line that names the
option, with no write in the simulator's log and no traceback (a Python exception fails the test);
an ``id`` never reaches a path other than its own (the logged paths are checked). Ways to break
an option come from the module itself: its argspec (type, choices), its ``Field`` constraints
(``min_length``/``max_length``/``pattern``, held against the documents by test_constraints.py),
``id`` values that are not one path segment, and the connection options (URLs, bounds).

At least 200 cases run per test run (``CASES``); the seed is printed by hypothesis on a failure.
"""

import importlib
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.integration.plays import module_argspec, module_options, run_module

pytestmark = pytest.mark.no_random_faults  # no write and exact paths are checked per case

CASES = 220
BI = {"realm": "Default"}
# A valid task per state module: the case breaks one option of it.
VALID = {
    "beyond_identity_group": dict(BI, display_name="Hyp Group", description="generated"),
    "beyond_identity_identity": dict(BI, username="hyp.user", display_name="Hyp User"),
    "beyond_identity_realm": {"display_name": "Hyp Realm"},
    "beyond_identity_tenant": {"display_name": "Hyp Tenant"},
    "beyond_identity_theme": dict(BI, email_realm_name="Hyp Co"),
    "beyond_identity_resource_server": dict(BI, display_name="Hyp API", identifier="https://hyp", scopes=["h:r"]),
    "beyond_identity_application": dict(BI, display_name="Hyp App", protocol_config={"type": "oauth2"}),
    "beyond_identity_authenticator_config": dict(BI, type="embedded", invoke_url="https://hyp/auth",
                                                 trusted_origins=["https://hyp"]),
    "finbourne_role": {"name": "Hyp Role", "description": "generated"},
    "sailpoint_source": {"name": "Hyp Source", "owner": "Ada Admin", "connector": "delimited-file"},
}
SPECIAL_IDS = ["", ".", "..", " ", "a/../b", "../../realms", "x:listGroups", "x?y=1", "x#y", "%2e%2e", "a/b"]
FORBIDDEN = "{}[]<>;:?\\/|*^%$#=~`!"


def vendor_of(name):
    return next(v for v in ("beyond_identity", "finbourne", "sailpoint") if name.startswith(v + "_"))


def fields_of(name):
    spec = getattr(importlib.import_module("ansible_collections.identity.cloud.plugins.modules." + name), "SPEC")
    return dict((f.option, f) for f in spec.fields)


SPECS = dict((name, module_argspec(name)) for name in VALID)
FIELDS = dict((name, fields_of(name)) for name in VALID)


@st.composite
def bad_case(draw):
    """(module, broken option, arguments, kind of break)."""
    name = draw(st.sampled_from(sorted(VALID)))
    own, vendor = SPECS[name]
    args = dict(VALID[name])
    ways = []
    for option, spec in own.items():
        kind = spec.get("type", "str")
        if kind == "str" and not spec.get("choices"):
            ways.append((option, "type"))
        if spec.get("choices"):
            ways.append((option, "choices"))
        field = FIELDS[name].get(option)
        if field is not None and kind == "str":
            if field.max_length:
                ways.append((option, "too_long"))
            if field.min_length:
                ways.append((option, "empty"))
            if field.pattern == r"^[^{}[\]<>;:?\\/|*^%$#=~`!]*$":
                ways.append((option, "forbidden"))
    if "id" in own:
        ways.append(("id", "id"))
    ways.extend((option, "url") for option in vendor if option.endswith("url"))
    ways.extend([("timeout", "bound"), ("max_retries", "bound")])
    option, how = draw(st.sampled_from(ways))
    text = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FF, exclude_characters=FORBIDDEN),
                   min_size=1, max_size=20)
    if how == "type":
        value = draw(st.one_of(st.lists(text, min_size=1, max_size=3),
                               st.dictionaries(text, text, min_size=1, max_size=2)))
    elif how == "choices":
        value = draw(text.filter(lambda v: v not in own[option]["choices"]))
    elif how == "too_long":
        size = FIELDS[name][option].max_length + draw(st.integers(1, 10000))
        value = draw(st.sampled_from("aZ9 -")) * size
    elif how == "empty":
        value = ""
    elif how == "forbidden":
        value = draw(text) + draw(st.sampled_from(FORBIDDEN)) + draw(text)
    elif how == "id":
        value = draw(st.sampled_from(SPECIAL_IDS))
        args.pop(option, None)
        if draw(st.booleans()):
            args["state"] = "absent"
    elif how == "url":
        value = draw(st.sampled_from(["ftp://example.com", "file:///etc/passwd", "https://exa mple.com",
                                      "https://example.com/\r\nX: 1", "example.com", "https://\x00host"]))
    else:
        value = draw(st.sampled_from([0, -1, -100])) if option == "timeout" else draw(st.integers(-1000, -1))
    args[option] = value
    return name, option, args, how


def test_bad_input_fails_in_one_line_naming_the_option_before_any_write(_servers):
    ran = []

    @settings(max_examples=CASES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(case=bad_case())
    def check(case):
        ran.append(case[:2])
        one_case(_servers, case)

    check()
    assert len(ran) >= 200, "only %d generated cases ran" % len(ran)
    assert len(set(name for name, _option in ran)) == len(VALID), "some modules got no case"


def one_case(_servers, case):
    name, option, args, how = case
    sim = _servers.get(vendor_of(name))
    if sim is None:
        from tests.conftest import _sim

        sim = _sim(_servers, vendor_of(name))
    start = len(sim.log)
    given = dict(module_options(sim), token_cache=False, max_retries=0)
    given.update(args)
    result = run_module(name, given)
    requests = sim.log[start:]
    assert [e for e in requests if e["write"]] == [], "%s wrote with %s=%r" % (name, option, args[option])
    # an id that is one escaped path segment but names nothing is nothing to delete: ok, unchanged
    nothing_to_delete = how == "id" and args[option].strip() not in ("", ".", "..") and args.get("state") == "absent"
    if nothing_to_delete and not result.get("failed"):
        assert not result["changed"]
    else:
        assert result.get("failed"), "%s accepted %s=%r (%s): %s" % (name, option, args[option], how, result)
        msg = result["msg"]
        # Ansible's own choices message lists every allowed value (SailPoint's features: 40 of them)
        limit = 1000 if msg.startswith("value of ") and " must be " in msg else 400
        assert "\n" not in msg and "Traceback" not in msg and len(msg) < limit, msg
        assert option.split(".")[-1] in msg, "%s: %r does not name %s" % (name, msg, option)
    for entry in requests:
        segments = entry["path"].split("/")
        assert "." not in segments and ".." not in segments and "" not in segments[1:], entry["path"]
        if how == "id" and re.search(r"[/:?#%]", args[option]):
            assert args[option] not in entry["path"], "id %r reached %s" % (args[option], entry["path"])
