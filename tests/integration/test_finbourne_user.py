"""finbourne_user (single and bulk) through ansible-playbook against the simulator."""

from tests.integration.plays import inject, play, task

USER = "identity.cloud.finbourne_user"
ROLE = "identity.cloud.finbourne_role"
ADA = {"login": "ada.lovelace@example.com", "first_name": "Ada", "last_name": "Lovelace",
       "email_address": "ada.lovelace@example.com", "type": "Personal"}


def ada(**changes):
    """ADA with ``changes``."""
    out = dict(ADA)
    out.update(changes)
    return out


def users_by_login(sim):
    return {u["login"].lower(): u for u in sim.collection("users").values()}


def role_names(sim, login):
    user = users_by_login(sim)[login]
    roles = sim.collection("roles")
    return sorted(roles[r]["name"] for r, members in sim.collection("role_members").items() if user["id"] in members)


def roles(*names):
    return [task("role " + n, ROLE, name=n) for n in names]


def test_five_step_cycle_roles_diff_and_bad_input(finbourne_sim, run_playbook):
    sim = finbourne_sim
    run = run_playbook(play(sim, roles("Desk A", "Desk B", "Desk C") + [
        dict(task("create", USER, roles=["Desk A", "desk b"], **ADA), diff=True),
        task("again, login in another case", USER,
             **ada(login="ADA.Lovelace@example.com", roles=["desk a", "Desk B"])),
        task("check change", USER, check=True, **ada(first_name="Adah", roles=["Desk C"], roles_mode="add")),
        dict(task("change", USER,
                  **ada(first_name="Adah", roles=["Desk A", "Desk C"], alternative_user_ids={"employee": "E1"})),
             diff=True),
        task("remove a role", USER, login=ADA["login"], roles=["Desk A"], roles_mode="remove"),
        task("type cannot change", USER, errors=True, login=ADA["login"], type="Service"),
        task("short last name", USER, errors=True, **ada(login="x.y@example.com", last_name="X")),
        task("unknown role", USER, errors=True, **ada(login="x.y@example.com", roles=["Nope"])),
        task("second email on a personal user", USER, errors=True, login=ADA["login"],
             second_email_address="other@example.com"),
        task("unknown id", USER, errors=True, id="00unothere", first_name="Ghost"),
        task("missing fields to create", USER, errors=True, login="new.one@example.com"),
        task("delete", USER, login=ADA["login"], state="absent"),
        task("delete again", USER, login=ADA["login"], state="absent"),
        task("purge", USER, login=ADA["login"], state="absent", purge=True),
    ]), expect_rc=0)
    create = run.task("create")
    assert create.changed and create.result["user"]["login"] == ADA["login"]
    assert [w["method"] for w in run.writes(sim, "create")] == ["POST"], "roles go in the create request"
    assert create.result["diff"]["after"]["roles"] == ["Desk A", "Desk B"]

    again = run.task("again, login in another case")
    assert not again.changed and run.writes(sim, "again, login in another case") == []
    assert [e["path"].rsplit("/api", 1)[1] for e in run.requests(sim, "again, login in another case")
            if not e["auth"]] == ["/users", "/roles"]

    check = run.task("check change")
    assert check.changed and run.writes(sim, "check change") == []

    change = run.task("change")
    assert change.changed
    assert change.result["diff"]["before"] == {
        "login": ADA["login"], "first_name": "Ada", "last_name": "Lovelace", "email_address": ADA["login"],
        "type": "Personal", "alternative_user_ids": None, "roles": ["Desk A", "Desk B"]}
    assert change.result["diff"]["after"]["roles"] == ["Desk A", "Desk C"]
    assert change.result["diff"]["after"]["first_name"] == "Adah"
    assert sorted(w["method"] for w in run.writes(sim, "change")) == ["DELETE", "PUT", "PUT"]
    assert run.task("remove a role").changed

    for name, start in (("type cannot change", "type cannot change: user ada.lovelace@example.com is Personal"),
                        ("short last name", "last_name must be at least 2 character(s) long, got 1"),
                        ("unknown role", "roles: no FINBOURNE role with id or name 'Nope'"),
                        ("second email on a personal user", "second_email_address is allowed for Service users"),
                        ("unknown id", "id '00unothere' names no FINBOURNE user"),
                        ("missing fields to create", "first_name is required to create a user")):
        result = run.task(name)
        assert result.failed and result.result["msg"].startswith(start), (name, result.result["msg"])
        assert "\n" not in result.result["msg"] and run.writes(sim, name) == [], name

    assert run.task("delete").changed and run.writes(sim, "delete")
    assert not run.task("delete again").changed and run.writes(sim, "delete again") == []
    assert run.task("purge").changed
    assert ADA["login"] not in users_by_login(sim)
    assert role_names(sim, "jane.doe@example.com") == []


def test_faults_on_create_leave_no_duplicate(finbourne_sim, run_playbook):
    sim = finbourne_sim
    run = run_playbook(play(sim, roles("Desk A") + [
        inject(sim, "429", retry_after=1, method="GET", path="/api/users$"),
        inject(sim, "5xx", status=503, method="POST", path="/api/users$"),
        task("create after 429 and 503", USER, roles=["Desk A"], **ADA),
        inject(sim, "lost_reply", method="POST", path="/api/users$"),
        task("create whose answer is lost", USER, roles=["Desk A"], **ada(login="lost@example.com")),
    ]), expect_rc=0)
    first = run.requests(sim, "create after 429 and 503")
    assert [(e["method"], e["status"]) for e in first if e["path"].endswith("/api/users")] == [
        ("GET", 429), ("GET", 200), ("POST", 503), ("POST", 200)]
    lost = run.task("create whose answer is lost")
    assert lost.changed and lost.result["user"]["login"] == "lost@example.com"
    assert [w.get("reply_lost") for w in run.writes(sim, "create whose answer is lost")] == [True]
    logins = [u["login"] for u in sim.collection("users").values()]
    assert logins.count("lost@example.com") == 1 and logins.count(ADA["login"]) == 1
    assert role_names(sim, "lost@example.com") == ["Desk A"]


def test_bulk_failing_items_do_not_stop_the_others_and_rerun_is_read_only(finbourne_sim, run_playbook):
    sim = finbourne_sim
    people = [{"login": "p%d@example.com" % n, "first_name": "P", "last_name": "Person%d" % n,
               "email_address": "p%d@example.com" % n} for n in range(6)]
    bad = [dict(people[0], login="bad1@example.com", last_name="X"),  # too short: the whole list refused
           dict(people[0], login="bad2@example.com", roles=["Nope"])]
    bulk = {"type": "Personal", "roles": ["Desk A", "Desk B"], "concurrency": 4}
    run = run_playbook(play(sim, roles("Desk A", "Desk B") + [
        task("bulk refused", USER, errors=True, users=people[:3] + bad + people[3:], **bulk),
        task("bulk with failures", USER, errors=True, users=people[:3] + bad[1:] + people[3:], **bulk),
        task("bulk again", USER, users=people + [{"login": "jane.doe@example.com", "roles": ["Desk A"],
                                                  "roles_mode": "add"}], **bulk),
        task("bulk converged", USER, users=people + [{"login": "jane.doe@example.com", "roles": ["Desk A"],
                                                      "roles_mode": "add"}], **bulk),
        task("bulk check delete", USER, check=True,
             users=[{"login": p["login"], "state": "absent"} for p in people], **bulk),
    ]), expect_rc=0)
    refused = run.task("bulk refused")  # input the document forbids: no item is written
    assert refused.failed and refused.result["msg"].startswith("users[3].last_name ") and "results" not in refused.result
    assert run.writes(sim, "bulk refused") == []
    first = run.task("bulk with failures")  # a role that does not exist is known only by reading: that item fails
    assert first.failed and first.result["failed_items"] == ["bad2@example.com"]
    results = first.result["results"]
    logins = [p["login"] for p in people]
    assert [r["item"] for r in results] == logins[:3] + ["bad2@example.com"] + logins[3:]
    assert all(r["created"] and r["changed"] and r["id"] for r in results if not r.get("failed"))
    assert [w["method"] for w in run.writes(sim, "bulk with failures")] == ["POST"] * 6
    assert role_names(sim, "p5@example.com") == ["Desk A", "Desk B"]

    again = run.task("bulk again")
    assert again.changed and [r["item"] for r in again.result["results"] if r["changed"]] == ["jane.doe@example.com"]
    assert not any(r.get("created") for r in again.result["results"])
    assert [w["method"] for w in run.writes(sim, "bulk again")] == ["PUT"]

    converged = run.task("bulk converged")
    assert not converged.changed and run.writes(sim, "bulk converged") == []
    reads = [e["path"].rsplit("/api", 1)[1] for e in run.requests(sim, "bulk converged") if not e["auth"]]
    assert sorted(reads) == ["/roles", "/users"]

    check = run.task("bulk check delete")
    assert check.changed and run.writes(sim, "bulk check delete") == []
    assert len([u for u in sim.collection("users").values() if u["login"].startswith("p")]) == 6
