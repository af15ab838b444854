"""sailpoint_entitlement's bulk items are checked by ``access.check_items`` (not by Ansible's typed suboptions,
which cost 0.3 s at 5,000 items): each bad item fails in one line naming ``entitlements[i].field``, before any
write and in check mode too, and values Ansible would convert (``yes``, a number for a string) still are."""

import pytest

from tests.integration.plays import module_options, play, run_module, task
from tests.integration.test_sailpoint_entitlement import MODULE, seeded, stored

pytestmark = pytest.mark.no_random_faults  # "no write" is checked per case

GOOD = {"source": "HR Feed", "value": "Payroll Admins"}
BAD = [
    # Ansible's own check of ``elements: dict`` (it names the option, not the item)
    (["Payroll Admins"], "Elements value for option 'entitlements' is of type list and we were unable to convert to dict"),
    ("Payroll Admins", "Elements value for option 'entitlements' is of type str and we were unable to convert to dict"),
    (dict(GOOD, requestible=True), "entitlements[1].requestible is not an option of an item; allowed: "
                                   "access_model_metadata, description, id, owner, privileged, request_config, "
                                   "requestable, source, value"),
    (dict(GOOD, requestable="maybe"), "entitlements[1].requestable must be a boolean (true or false), got 'maybe'"),
    (dict(GOOD, privileged=[True]), "entitlements[1].privileged must be a boolean (true or false), got [True]"),
    (dict(GOOD, value=["Payroll Admins"]), "entitlements[1].value must be a string, got a list"),
    (dict(GOOD, description={"text": "x"}), "entitlements[1].description must be a string, got a dict"),
    (dict(GOOD, description="lone \ud800 surrogate"), "entitlements[1].description must be text"),
    (dict(GOOD, access_model_metadata="iscPrivacy=private"), "entitlements[1].access_model_metadata must be a list"),
    (dict(GOOD, access_model_metadata=["iscPrivacy"]),
     "entitlements[1].access_model_metadata[0] must be a dict (a YAML mapping), got a string"),
    (dict(GOOD, request_config="a=1"), "entitlements[1].request_config must be a dict (a YAML mapping), got a string"),
]


def test_bad_items_fail_in_one_line_naming_the_item_before_any_write(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    seeded(sim, run_playbook)
    problems = []
    for item, text in BAD:
        for check in (False, True):
            start = len(sim.log)
            result = run_module("sailpoint_entitlement", dict(
                module_options(sim), token_cache=False, max_retries=0, requestable=True,
                entitlements=[dict(GOOD, value="HR Clerks"), item]), check=check)
            writes = [e["method"] + " " + e["path"] for e in sim.log[start:] if e["write"]]
            msg = result.get("msg") or ""
            if writes or not result.get("failed") or text not in msg or "\n" in msg:
                problems.append((item, check, writes, result.get("failed"), msg[:300]))
    assert not problems, problems
    assert not stored(sim, "HR Clerks").get("requestable")


def test_items_are_converted_as_ansible_would(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    seeded(sim, run_playbook)
    run = run_playbook(play(sim, [
        task("converted", MODULE, source="HR Feed", entitlements=[
            {"value": "Payroll Admins", "requestable": "yes", "privileged": "no"},
            {"value": "HR Clerks", "requestable": 1, "description": 42}]),
        task("again", MODULE, source="HR Feed", entitlements=[
            {"value": "Payroll Admins", "requestable": True, "privileged": False},
            {"value": "HR Clerks", "requestable": True, "description": "42"}]),
    ]), expect_rc=0)
    results = run.task("converted").result["results"]
    assert [(r["item"], r["changed"], r["changed_fields"]) for r in results] == [
        ("Payroll Admins", True, ["requestable"]), ("HR Clerks", True, ["requestable", "description"])]
    assert stored(sim, "Payroll Admins")["requestable"] is True and stored(sim, "Payroll Admins")["privileged"] is False
    assert stored(sim, "HR Clerks")["description"] == "42"
    assert not run.task("again").changed and run.writes(sim, "again") == []
