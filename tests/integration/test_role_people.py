"""The identity.cloud.people role: bad input stops it before any write, naming the variable; check mode writes
nothing and ends with the summary of what would change; enrolment and activation emails are decided from the
vendors' state, so a failed run is finished by the corrected re-run and nobody gets two emails.
Leavers through playbooks/offboard_people.yml: tests/integration/test_people_leavers.py."""

from tests.integration.plays import connection, inject

ROLE = "identity.cloud.people : "
ENROL = ROLE + "Start passkey enrolment for identities without an active credential or a pending binding job, in one task"
ACTIVATE = ROLE + "Send the activation email to FINBOURNE users created without one (status STAGED), in one task"
STOP = ROLE + "Stop before any write when the list cannot be converged"


def people_play(bi, fbn, people, pre_tasks=(), **role_vars):
    env = {"group/identity.cloud.beyond_identity": connection(bi), "group/identity.cloud.finbourne": connection(fbn)}
    role = dict({"role": "identity.cloud.people"}, **role_vars)
    if people is not None:
        role["people_list"] = people
    return [{"hosts": "localhost", "gather_facts": False, "module_defaults": env, "pre_tasks": list(pre_tasks),
             "roles": [role]}]


def writes(*sims):
    return [e for sim in sims for e in sim.log if e["write"]]


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
    assert first.task(ENROL).changed
    # FINBOURNE emails the activation link when it creates the user: the role does not send a second one
    assert first.task(ACTIVATE)["status"] == "skipped"
    assert [e["kind"] for e in fbn.store["emails"] if e["to"] == "kim@example.com"] == ["activation"]
    again = run_playbook(people_play(bi, fbn, people), expect_rc=0)
    assert not [t["name"] for t in again.tasks if t.changed]
    identities = dict((i["traits"]["username"], i) for i in bi.store["identities"].values())
    assert identities["alice"]["status"] == "suspended"
    assert all(c["state"] == "REVOKED" for c in bi.store["credentials"].values()
               if c["identity_id"] == identities["alice"]["id"])


def test_wrong_types_and_settings_name_the_variable(beyond_identity_sim, finbourne_sim, run_playbook):
    bi, fbn = beyond_identity_sim, finbourne_sim
    people = [{"username": "kim", "email": "kim@example.com", "first_name": "Kim", "last_name": "Lee"},
              {"username": ["a", "b"], "email": "ab@example.com"}]
    run = run_playbook(people_play(bi, fbn, people), expect_rc=2)
    assert run.task(STOP).result["msg"] == "people_list[1].username must be a string, not a list"
    assert not writes(bi, fbn)

    run = run_playbook(people_play(bi, fbn, people[:1], people_concurrency=0), expect_rc=2)
    assert run.tasks[-1].failed and "people_concurrency must be a whole number from 1 to 32" in run.tasks[-1].result["msg"]
    run = run_playbook(people_play(bi, fbn, people[:1], people_beyond_identity_realm=""), expect_rc=2)
    assert run.tasks[-1].result["msg"] == "people_beyond_identity_realm must name a realm (display name or id), not be empty"

    # a group or role that does not exist: named before the first write (the bulk task failed that person after
    # writing the others); in check mode it may be one an earlier task would create
    typo = [dict(people[0], beyond_identity={"groups": ["Tradnig"]}, finbourne={"roles": ["Tradng Desk"]})]
    run = run_playbook(people_play(bi, fbn, typo), expect_rc=2)
    assert run.task(STOP).result["msg"] == (
        "people_list[0].beyond_identity.groups: 'Tradnig' names no Beyond Identity group of the realm (id or display "
        "name); people_list[0].finbourne.roles: 'Tradng Desk' names no FINBOURNE role (id or name)")
    run_playbook(people_play(bi, fbn, typo), check=True, expect_rc=0)
    assert not writes(bi, fbn)

    run = run_playbook(people_play(bi, fbn, None), expect_rc=2)
    assert "people_list" in run.tasks[-1].result["argument_errors"][0]
    assert not writes(bi, fbn)


def test_a_failed_joiner_run_is_finished_by_the_corrected_run(beyond_identity_sim, finbourne_sim, run_playbook):
    bi, fbn = beyond_identity_sim, finbourne_sim
    kim = {"username": "kim", "first_name": "Kim", "last_name": "Lee", "email": "kim@example.com",
           "finbourne": {"enabled": False}}
    lee = {"username": "lee", "first_name": "Lee", "last_name": "Park", "finbourne": {"enabled": False}}
    # a joiner EMAIL enrolment cannot reach: refused before anything is created
    run = run_playbook(people_play(bi, fbn, [kim, lee]), expect_rc=2)
    assert run.task(STOP).result["msg"].startswith("people_list[1].email is required to enrol lee by EMAIL")
    assert not writes(bi, fbn)

    # a run that fails after creating the identities (the binding job calls fail) ...
    lee["email"] = "lee@example.com"
    fault = inject(bi, "5xx", status=500, method="POST", path="credential-binding-jobs", count=50)
    run_playbook(people_play(bi, fbn, [kim, lee], pre_tasks=[fault]), expect_rc=2)
    created = dict((i["traits"]["username"], i["id"]) for i in bi.store["identities"].values())
    assert {"kim", "lee"} <= set(created) and not bi.store["credential-binding-jobs"]
    bi.faults.clear()

    # ... is finished by the next run, decided from the vendor's state: one job each, none on the run after
    run_playbook(people_play(bi, fbn, [kim, lee]), expect_rc=0)
    jobs = sorted(j["identity_id"] for j in bi.store["credential-binding-jobs"].values())
    assert jobs == sorted([created["kim"], created["lee"]])
    again = run_playbook(people_play(bi, fbn, [kim, lee]), expect_rc=0)
    assert not [t["name"] for t in again.tasks if t.changed] and len(bi.store["credential-binding-jobs"]) == 2

    # an enrolled identity (active credential) gets no new job, one whose passkey was revoked does
    bi.complete_binding_job(next(j for j in bi.store["credential-binding-jobs"].values() if j["identity_id"] == created["kim"])["id"])
    alice = next(i for i in bi.store["identities"].values() if i["traits"]["username"] == "alice")
    for credential in bi.store["credentials"].values():
        if credential["identity_id"] == alice["id"]:
            credential["state"] = "REVOKED"
    run_playbook(people_play(bi, fbn, [kim, lee, {"username": "alice", "finbourne": {"enabled": False}}]), expect_rc=0)
    assert sorted(j["identity_id"] for j in bi.store["credential-binding-jobs"].values()) == sorted(
        [created["kim"], created["lee"], alice["id"]])


def test_finbourne_activation_email_only_while_staged(beyond_identity_sim, finbourne_sim, run_playbook):
    bi, fbn = beyond_identity_sim, finbourne_sim
    kim = {"username": "kim", "first_name": "Kim", "last_name": "Lee", "email": "kim@example.com"}
    run_playbook(people_play(bi, fbn, [kim], people_beyond_identity=False), expect_rc=0)
    user = fbn.user_by_login("kim@example.com")
    assert [e["kind"] for e in fbn.store["emails"] if e["userId"] == user["id"]] == ["activation"]

    fbn.set_status(user["id"], "STAGED")  # created elsewhere without the email
    run = run_playbook(people_play(bi, fbn, [kim], people_beyond_identity=False), expect_rc=0)
    assert run.task(ACTIVATE).changed and user["status"] == "PROVISIONED"
    assert [e["kind"] for e in fbn.store["emails"] if e["userId"] == user["id"]] == ["activation", "activation"]
    again = run_playbook(people_play(bi, fbn, [kim], people_beyond_identity=False), expect_rc=0)
    assert again.task(ACTIVATE)["status"] == "skipped"
    assert len([e for e in fbn.store["emails"] if e["userId"] == user["id"]]) == 2
