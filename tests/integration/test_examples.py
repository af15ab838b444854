"""Every module's EXAMPLES, run as written against a fresh simulator: an example that does not run is a bug.

Each module's examples become one play, in order, with the vendor's connection settings in the
environment (the ``FBN_*``, ``SAIL_*`` and ``BEYONDIDENTITY_*`` variables real users set; all three vendors'
for a controller module, which reads them all), so the examples stay free of connection options exactly as a
user would copy them.
"""

import ast

import pytest
import yaml

from tests.module_files import MODULES_DIR, VENDORS, vendor_of


def module_examples():
    """(module name, vendor or None for a controller module, list of example tasks) for every module file."""
    found = []
    for path in sorted(MODULES_DIR.glob("*.py")):
        if path.name == "__init__.py":
            continue
        examples = None
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "EXAMPLES" for t in node.targets):
                examples = yaml.safe_load(node.value.value)
        found.append((path.stem, vendor_of(path.stem), examples))
    return found


MODULES = module_examples()


def test_every_module_has_examples():
    assert MODULES, "no modules found"
    missing = [name for name, _vendor, examples in MODULES if not examples]
    assert missing == []


@pytest.mark.parametrize("name,vendor,examples", MODULES, ids=[m[0] for m in MODULES])
def test_examples_run(name, vendor, examples, request, run_playbook):
    env = {}
    for each in (vendor,) if vendor else VENDORS:
        env.update(request.getfixturevalue(each + "_sim").connection_env())
    calls = [task["identity.cloud." + name] or {} for task in examples if "identity.cloud." + name in task]
    assert calls, "%s EXAMPLES never call identity.cloud.%s by its full name" % (name, name)
    for args in calls:
        leaked = sorted(k for k in set(args) & {"client_secret", "password", "api_token", "access_token"}
                        if "{{" not in str(args[k]))  # a template (a vault variable) is not hard-coded
        assert not leaked, "%s EXAMPLES hard-code connection secrets %s" % (name, leaked)
    run = run_playbook([{"hosts": "localhost", "gather_facts": False, "tasks": examples}],
                       extra_env=env, diff=True, verbosity=4)  # output searched for secrets
    failed = [t for t in run.tasks if t.failed]
    assert run.rc == 0 and not failed, "%s EXAMPLES failed: %s\n%s" % (
        name, [(t["name"], t.result.get("msg")) for t in failed], run.stdout[-3000:])
    assert len(run.tasks) == len(examples), "not every example ran: %s" % [t["name"] for t in run.tasks]
