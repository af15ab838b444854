"""Acceptance checks of issue 21's module items, written from ansible-doc: what a user's slip does.

An empty string (or a line break) in an item of a list that selects objects (``logins``, ``identities``,
``ids``) is a template's slip, not a login that names no user: it fails the task in one line naming the
item, before any call, in check mode too; the documented "a login that names no user does not stop the
others" still holds for a real login.
"""

import pytest

from tests.integration.plays import module_options, play, run_module, task

LIFE = "identity.cloud.finbourne_user_lifecycle"
JANE = "jane.doe@example.com"


def test_an_empty_login_among_logins_fails_naming_it_before_any_call(finbourne_sim, run_playbook):
    sim = finbourne_sim
    run = run_playbook(play(sim, [
        task("empty login in check mode", LIFE, check=True, errors=True, logins=[JANE, ""], action="reset_password"),
        task("empty login", LIFE, errors=True, logins=[JANE, ""], action="reset_password"),
        task("line break in a login", LIFE, errors=True, logins=[JANE + "\n"], action="reset_factors"),
        task("unknown login still goes on", LIFE, errors=True, logins=[JANE, "ghost@example.com"],
             action="reset_factors"),
    ]), verbosity=4, expect_rc=0)
    for name, message in (("empty login in check mode", "logins[1] must not be empty"),
                          ("empty login", "logins[1] must not be empty"),
                          ("line break in a login",
                           "logins[0] must not contain control characters (NUL, line breaks, tabs...)")):
        result = run.task(name)
        assert result.failed and result.result["msg"] == message, result.result
        assert run.writes(sim, name) == []
    going_on = run.task("unknown login still goes on")
    assert going_on.failed and going_on.result["failed_items"] == ["ghost@example.com"]
    assert [w["path"].rsplit("/", 1)[1] for w in run.writes(sim, "unknown login still goes on")] == ["$resetfactors"]


@pytest.mark.parametrize("name,args,message", [
    ("finbourne_user_info", {"ids": [""]}, "ids[0] must not be empty"),
    ("beyond_identity_credential_binding_job",
     {"realm": "Default", "identities": ["x", ""], "delivery_method": "EMAIL"}, "identities[1] must not be empty"),
    ("sailpoint_source_password_policies", {"source": "HR Feed", "policies": ["a\tb"]},
     "policies[0] must not contain control characters (NUL, line breaks, tabs...)"),
])
def test_an_empty_item_of_a_selecting_list_fails_before_any_call(name, args, message, request):
    vendor = name.split("_")[0] if not name.startswith("beyond") else "beyond_identity"
    sim = request.getfixturevalue(vendor + "_sim")
    for check in (False, True):
        start = len(sim.log)
        result = run_module(name, dict(module_options(sim), token_cache=False, max_retries=0, **args), check=check)
        assert result.get("failed") and result["msg"] == message, result
        assert sim.log[start:] == []


def test_a_user_named_twice_among_logins_gets_one_call(finbourne_sim, run_playbook):
    sim = finbourne_sim
    jane_id = next(u["id"] for u in sim.collection("users").values() if u["login"] == JANE)
    run = run_playbook(play(sim, [
        task("twice in check mode", LIFE, check=True, logins=[JANE, "JANE.DOE@example.com", jane_id],
             action="reset_factors"),
        task("twice", LIFE, logins=[JANE, "JANE.DOE@example.com", jane_id], action="reset_factors"),
    ]), verbosity=4, expect_rc=0)
    for name, calls in (("twice in check mode", 0), ("twice", 1)):
        result = run.task(name)
        assert [u["id"] for u in result.result["users"]] == [jane_id], result.result
        assert [w["path"].rsplit("/", 1)[1] for w in run.writes(sim, name)] == ["$resetfactors"] * calls


POLICY = "identity.cloud.sailpoint_provisioning_policy"
CORRELATION = "identity.cloud.sailpoint_source_correlation_config"


def test_two_items_of_a_merged_list_with_the_same_key_fail_before_any_write(sailpoint_sim, run_playbook):
    """Each item is merged into the current item of its key: two items of one key are one item given twice
    (the API refuses a provisioning policy whose field names repeat), named before the first write."""
    sim = sailpoint_sim
    source = "Duplicates Feed"
    twice = [{"name": "mail"}, {"name": "mail", "type": "int"}]
    run = run_playbook(play(sim, [
        task("source", "identity.cloud.sailpoint_source", name=source, owner="Ada Admin", connector="delimited-file"),
        task("policy", POLICY, source=source, usage_type="UPDATE", name="Update", fields=[{"name": "mail"}]),
        task("field twice in check mode", POLICY, check=True, errors=True, source=source, usage_type="UPDATE",
             fields=twice),
        task("field twice", POLICY, errors=True, source=source, usage_type="UPDATE", fields=twice),
        task("field twice in bulk", POLICY, errors=True, source=source, policies=[
            {"usage_type": "CREATE", "name": "Account", "description": "not written"},
            {"usage_type": "UPDATE", "fields": twice}]),
        task("rule twice", CORRELATION, errors=True, source=source, attribute_assignments=[
            {"property": "uid", "value": "employeeId"}, {"property": "uid", "value": "employeeId", "ignoreCase": True}]),
    ]), verbosity=2, expect_rc=0)
    for name, message in (("field twice in check mode", "fields: the name 'mail' is given more than once"),
                          ("field twice", "fields: the name 'mail' is given more than once"),
                          ("field twice in bulk", "policies[1].fields: the name 'mail' is given more than once"),
                          ("rule twice", "attribute_assignments: the property 'uid' with value 'employeeId' is "
                                         "given more than once")):
        result = run.task(name)
        assert result.failed and result.result["msg"] == message, result.result
        assert run.writes(sim, name) == []


def test_ansible_doc_renders_every_module_with_examples_that_parse(tmp_path):
    """What the reviewer reads first: ``ansible-doc`` of each module (doc fragments included) renders, and its
    EXAMPLES are YAML (a ': ' in a plain scalar of a shared fragment broke every module of a vendor)."""
    import json
    import subprocess

    import yaml

    from tests.conftest import ANSIBLE_BIN, REPO, ansible_env

    names = sorted("identity.cloud." + p.stem for p in (REPO / "plugins" / "modules").glob("*.py"))
    proc = subprocess.run([str(ANSIBLE_BIN / "ansible-doc"), "--json"] + names, env=ansible_env(tmp_path),
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0 and "ERROR" not in proc.stderr, proc.stderr[-2000:]
    docs = json.loads(proc.stdout)
    assert sorted(docs) == names
    for name, doc in docs.items():
        assert doc["doc"]["description"] and doc["doc"]["options"], name
        assert yaml.safe_load(doc["examples"]), name
