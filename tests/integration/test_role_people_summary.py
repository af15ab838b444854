"""The people role's summary without --diff (issue 21: after creating 1,000 people it listed none): in check
mode and for real it names every identity, user, membership and enrolment, and it is empty on a re-run."""

from tests.integration.plays import connection

ROLE = "identity.cloud.people : "
COUNT = 30


def people_play(bi, fbn, people):
    env = {"group/identity.cloud.beyond_identity": connection(bi), "group/identity.cloud.finbourne": connection(fbn)}
    return [{"hosts": "localhost", "gather_facts": False, "module_defaults": env,
             "roles": [{"role": "identity.cloud.people", "people_list": people}],
             "post_tasks": [{"name": "Read the identities back",
                             "identity.cloud.beyond_identity_identity_info": {"realm": "Default"}}]}]


def drift(run):
    return run.task(ROLE + "Summarise the changes").result["ansible_facts"]["people_drift"]


def test_summary_names_every_person_without_diff(beyond_identity_sim, finbourne_sim, run_playbook):
    bi, fbn = beyond_identity_sim, finbourne_sim
    run_playbook([{"hosts": "localhost", "gather_facts": False,
                   "module_defaults": {"group/identity.cloud.beyond_identity": connection(bi),
                                       "group/identity.cloud.finbourne": connection(fbn)},
                   "tasks": [{"name": "group", "identity.cloud.beyond_identity_group": {
                       "realm": "Default", "display_name": "Traders"}}]}], expect_rc=0)
    people = [{"username": "p%02d" % n, "first_name": "P", "last_name": "N%02d" % n,
               "email": "p%02d@example.com" % n, "beyond_identity": {"groups": ["Traders"]}} for n in range(COUNT)]
    usernames = sorted(p["username"] for p in people)
    logins = sorted(p["email"] for p in people)

    check = run_playbook(people_play(bi, fbn, people), check=True, expect_rc=0)
    summary = drift(check)
    assert sorted(summary["beyond_identity"]["identity"]["created"]) == usernames
    assert summary["beyond_identity"]["identity"]["memberships"]["p07"] == {
        "added": {"groups": ["Traders"]}, "removed": {}}
    assert sorted(summary["finbourne"]["user"]["created"]) == logins
    # the enrolments of identities the run would create (the binding-job module takes pending identities)
    assert sorted(summary["beyond_identity"]["credential_binding_job"]["created"]) == usernames
    shown = "\n".join(check.task(ROLE + "Show the changes").result["msg"])
    assert "| identity p07 | created | |" in shown and "| identity p07 | memberships | +groups: Traders |" in shown

    made = run_playbook(people_play(bi, fbn, people), expect_rc=0)
    read_back = [i["traits"]["username"] for i in made.task("Read the identities back").result["identities"]]
    assert sorted(u for u in read_back if u not in ("alice", "bob")) == usernames  # the realm's seed has these two
    summary = drift(made)
    assert sorted(summary["beyond_identity"]["identity"]["created"]) == usernames
    assert sorted(summary["finbourne"]["user"]["created"]) == logins
    assert sorted(summary["beyond_identity"]["credential_binding_job"]["created"]) == usernames  # enrolments sent

    again = run_playbook(people_play(bi, fbn, people), expect_rc=0)
    assert drift(again) == {}
