"""sailpoint_source_password_policies through ansible-playbook against the SailPoint simulator."""

import re

from tests.simulators.sailpoint import ADMIN_ID, PASSWORD_POLICIES
from tests.integration.plays import play, task

MODULE = "identity.cloud.sailpoint_source_password_policies"


def test_set_add_remove_diff_and_bad_input(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    sim.inject("5xx", status=503, method="PATCH", path="/password-policies$")
    default_id = PASSWORD_POLICIES[0][0]
    run = run_playbook(play(sim, [
        task("source", "identity.cloud.sailpoint_source", name="HR Feed", owner=ADMIN_ID, connector="delimited-file"),
        task("set", MODULE, source="HR Feed", policies=["Strong Policy"]),
        task("again", MODULE, source="HR Feed", policies=["Strong Policy"]),
        task("check add", MODULE, check=True, source="HR Feed", policies=[default_id], policies_mode="add"),
        task("add by id", MODULE, source="HR Feed", policies=[default_id], policies_mode="add"),
        task("remove", MODULE, source="HR Feed", policies=["Strong Policy"], policies_mode="remove"),
        task("set empty", MODULE, source="HR Feed", policies=[]),
        task("set empty again", MODULE, source="HR Feed", policies=[]),
        task("unknown policy", MODULE, errors=True, source="HR Feed", policies=["Weak Policy"]),
    ]), diff=True, expect_rc=0)
    for name in ("set", "add by id", "remove", "set empty"):
        assert run.task(name).changed and run.writes(sim, name), name
    for name in ("again", "set empty again"):
        assert not run.task(name).changed and run.writes(sim, name) == [], name
    assert run.task("check add").changed and run.writes(sim, "check add") == []
    assert [p["name"] for p in run.task("add by id").result["policies"]] == ["Default Policy", "Strong Policy"]
    assert run.task("remove").result["diff"]["after"]["policies"] == ["Default Policy"]
    assert re.search(r'\+\s+"Strong Policy"', run.stdout)
    unknown = run.task("unknown policy")
    assert unknown.failed and unknown.result["msg"] == "policies: no password policy has the name or id 'Weak Policy'"
    assert run.writes(sim, "unknown policy") == []
