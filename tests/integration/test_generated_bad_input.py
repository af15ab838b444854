"""Bad input, generated from every vendor module's argument spec, deterministically (the controller module
tenant_export is checked in test_tenant_export.py).

For each module the cases start from a minimal task (its required options, the first option of
each ``required_one_of`` group, values made from the spec) and break one option the way a user's
typo or a template does: a list or a dict for a string, a string, a number or a dict for a list, a
string or a list for a dict, a boolean for an integer, an empty string or control characters
for an option that selects the object, control characters or 10,000 characters for a file path,
a lone UTF-16 surrogate in any string, and a number below the option's lower bound (0 and negative
ones). Each case runs the module in-process (``plays.run_module``), in normal and in check mode,
against its simulator and must end in ``failed`` with one line that names the option, with no Python exception (it would fail the test) and no write in the
simulator's log. Every integer option must declare its lower bound (``minimum`` next to the
option, see ``module_utils/arguments.py``, or one of the checks in ``CHECKED_IN_CODE``).

test_bad_input.py draws random breaks of the vendor documents' constraints for ten modules; this
file covers the argument types of all of them, every run the same cases.
"""

import importlib
import os

import pytest
import yaml

from tests.integration.plays import module_arguments as arguments_of
from tests.integration.plays import module_options, run_module
from tests.module_files import VENDOR_MODULES, vendor_of

pytestmark = pytest.mark.no_random_faults  # "no write" is checked per case

MODULES = VENDOR_MODULES
# Integer options whose lower bound is checked in code rather than declared next to the option
# (``minimum`` in the argument spec or on the module's ``Field``).
CHECKED_IN_CODE = {"timeout": 1, "max_retries": 0, "max_count": 1, "wait_timeout": 1}
CONTROL = ["a\x00b", "line\nbreak", "tab\there", "bell\x07"]
FIXED = {"realm": "Default", "source": "No Such Source"}  # names the simulators know or that name nothing


def sample(option, name="x"):
    """A value of the option's type that passes the argument spec."""
    kind = option.get("type", "str")
    if option.get("choices"):
        return option["choices"][0]
    if kind == "list":
        if option.get("elements") == "dict":
            return [dict((k, sample(v, k)) for k, v in (option.get("options") or {}).items() if v.get("required"))]
        return ["hyp-" + name]
    if kind == "dict":
        return dict((k, sample(v, k)) for k, v in (option.get("options") or {}).items() if v.get("required"))
    if kind == "int":
        return max(1, option.get("minimum") or 1)
    if kind == "bool":
        return True
    if kind == "path":
        return "/nonexistent/hyp-" + name
    return FIXED.get(name, "hyp-" + name)


def base_task(spec, kwargs):
    args = dict((k, sample(v, k)) for k, v in spec.items() if v.get("required"))
    for group in kwargs.get("required_one_of") or ():
        if not any(k in args for k in group):
            args[group[0]] = sample(spec[group[0]], group[0])
    for option, value, needed, *_rest in kwargs.get("required_if") or ():
        if args.get(option, spec[option].get("default")) == value:
            args.update((k, sample(spec[k], k)) for k in needed if k not in args)
    return args


def selectors(spec, kwargs):
    from ansible_collections.identity.cloud.plugins.module_utils.arguments import selectors as chosen
    return chosen(spec, kwargs)


def lower_bound(name, option_name, option):
    spec = getattr(importlib.import_module("ansible_collections.identity.cloud.plugins.modules." + name), "SPEC", None)
    field = next((f for f in getattr(spec, "fields", ()) if f.option == option_name), None)
    if field is not None and field.minimum is not None:
        return field.minimum
    return option.get("minimum", CHECKED_IN_CODE.get(option_name))


def breaks(name):
    """(option, value, how) for every way to break every option of module ``name``."""
    own, vendor, kwargs = arguments_of(name)
    spec = dict(vendor, **own)
    chosen = selectors(spec, kwargs)
    out = []
    for option_name in sorted(spec):
        option = spec[option_name]
        kind = option.get("type", "str")
        connection = option_name in vendor
        if kind in ("str", "path"):
            out += [(option_name, ["item-one", "item-two"], "list for %s" % kind),
                    (option_name, {"key-one": "value-one"}, "dict for %s" % kind),
                    (option_name, "lone \ud800 surrogate", "not text")]
        if kind == "list":
            out += [(option_name, "item-one,item-two", "string for list"), (option_name, 12345, "number for list"),
                    (option_name, {"key-one": 1}, "dict for list")]
        if kind == "dict":
            out += [(option_name, "key-one=1", "string for dict"), (option_name, ["item-one"], "list for dict")]
        if kind == "int":
            out.append((option_name, True, "boolean for int"))
            low = lower_bound(name, option_name, option)
            assert low is not None, "%s: int option %s declares no lower bound" % (name, option_name)
            out += [(option_name, value, "below %s" % low) for value in sorted({low - 1, -1, -1000}) if value < low]
        if kind in ("str", "path") and option_name in chosen and not connection and not option.get("choices"):
            out.append((option_name, "", "empty selector"))
            out += [(option_name, value, "control characters in selector") for value in CONTROL]
        if kind == "path":
            out += [(option_name, "/tmp/" + value, "control characters in path") for value in CONTROL]
            out += [(option_name, "/tmp/" + "a" * 10000, "10,000 characters"),
                    (option_name, "/tmp/" + "\u00e9" * 200 + "/x", "a path name over 255 bytes")]
    return out


CASES = [(name, option, value, how) for name in MODULES for option, value, how in breaks(name)]


def test_the_cases_cover_every_module_and_kind():
    with open(os.path.join(os.path.dirname(__file__), "..", "..", "meta", "runtime.yml")) as runtime:
        grouped = {name for group in yaml.safe_load(runtime)["action_groups"].values() for name in group}
    assert set(MODULES) == grouped and len(MODULES) >= 60  # every module of every action group
    assert {name for name, _o, _v, _h in CASES} == set(MODULES)
    kinds = {how.split(" ")[0] for _n, _o, _v, how in CASES}
    assert {"list", "dict", "string", "number", "boolean", "below", "empty", "control", "10,000", "not"} <= kinds
    assert len(CASES) > 1500


@pytest.mark.parametrize("name", MODULES)
def test_bad_arguments_fail_in_one_line_naming_the_option_before_any_write(name, _servers):
    from tests.conftest import _sim

    sim = _sim(_servers, vendor_of(name))
    own, vendor, kwargs = arguments_of(name)
    base = base_task(dict(vendor, **own), kwargs)
    problems = []
    for case_name, option, value, how in CASES:
        if case_name != name:
            continue
        for check in (False, True):
            start = len(sim.log)
            args = dict(module_options(sim), token_cache=False, max_retries=0)
            args.update(base)
            args[option] = value
            result = run_module(name, args, check=check)
            writes = [e["method"] + " " + e["path"] for e in sim.log[start:] if e["write"]]
            msg = result.get("msg") or ""
            where = "%s %s=%r (%s%s)" % (name, option, value if len(repr(value)) < 60 else "...", how,
                                         ", check mode" if check else "")
            if writes:
                problems.append("%s wrote %s" % (where, writes))
            if not result.get("failed"):
                problems.append("%s did not fail: %s" % (where, {k: result.get(k) for k in ("changed", "msg")}))
            elif "\n" in msg or "Traceback" in msg or len(msg) > 1000 or option not in msg:
                problems.append("%s: %r" % (where, msg[:300]))
    assert not problems, "%d problem(s):\n  %s" % (len(problems), "\n  ".join(problems[:40]))
