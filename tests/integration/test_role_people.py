"""The identity.cloud.people role: bad input stops it before any task; check mode writes nothing and ends
with the summary of what would change; the offboarding playbook suspends and deletes."""

from tests.integration.plays import connection

ROLE = "identity.cloud.people : "


def people_play(bi, fbn, people, **role_vars):
    env = {"group/identity.cloud.beyond_identity": connection(bi), "group/identity.cloud.finbourne": connection(fbn)}
    return [{"hosts": "localhost", "gather_facts": False, "module_defaults": env,
             "roles": [dict({"role": "identity.cloud.people", "people_list": people}, **role_vars)]}]


def test_bad_input_fails_before_any_task(beyond_identity_sim, finbourne_sim, run_playbook):
    run = run_playbook(people_play(beyond_identity_sim, finbourne_sim,
                                   [{"username": "x", "state": "gone"}]), expect_rc=2)
    failed = [t for t in run.tasks if t.failed]
    assert len(failed) == 1 and "Validating arguments" in failed[0]["name"]
    errors = failed[0].result["argument_errors"]
    assert len(errors) == 1 and "people_list" in errors[0] and "state" in errors[0], errors
    assert [t for t in run.tasks if "Validating" not in t["name"]] == []
    assert not [e for e in beyond_identity_sim.log + finbourne_sim.log if e["write"]]

    run = run_playbook(people_play(beyond_identity_sim, finbourne_sim, [{"username": "x"}], people_concurrency="many"),
                       expect_rc=2)
    assert "people_concurrency" in run.tasks[-1].result["argument_errors"][0]


def test_check_mode_summary_then_converge_then_offboard(beyond_identity_sim, finbourne_sim, run_playbook):
    bi, fbn = beyond_identity_sim, finbourne_sim
    people = [{"username": "kim", "first_name": "Kim", "last_name": "Lee", "email": "kim@example.com"},
              {"username": "alice", "state": "suspended", "finbourne": {"enabled": False}}]
    check = run_playbook(people_play(bi, fbn, people), check=True, diff=True, expect_rc=0)
    assert not [e for e in bi.log + fbn.log if e["write"]], "check mode wrote"
    summary = check.task(ROLE + "Summarise the changes").result["ansible_facts"]["people_drift"]
    assert summary["beyond_identity"]["identity"]["created"] == ["kim"]
    assert summary["beyond_identity"]["identity"]["changed"] == {"alice": ["status"]}
    assert summary["finbourne"]["user"]["created"] == ["kim@example.com"]
    shown = "\n".join(check.task(ROLE + "Show the changes").result["msg"])
    assert "| identity kim | created | |" in shown and "| user kim@example.com | created | |" in shown

    first = run_playbook(people_play(bi, fbn, people), expect_rc=0)
    assert first.task(ROLE + "Start passkey enrolment for the identities this run created, in one task").changed
    assert first.task(ROLE + "Send the activation email to the FINBOURNE users this run created, in one task").changed
    again = run_playbook(people_play(bi, fbn, people), expect_rc=0)
    assert not [t["name"] for t in again.tasks if t.changed]
    identities = dict((i["traits"]["username"], i) for i in bi.store["identities"].values())
    assert identities["alice"]["status"] == "suspended"
    assert all(c["state"] == "REVOKED" for c in bi.store["credentials"].values()
               if c["identity_id"] == identities["alice"]["id"])
