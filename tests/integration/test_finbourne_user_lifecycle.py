"""finbourne_user_lifecycle and finbourne_user_info through ansible-playbook against the simulator."""

from tests.integration.plays import play, task

LIFE = "identity.cloud.finbourne_user_lifecycle"
INFO = "identity.cloud.finbourne_user_info"


def user_id(sim, login):
    return next(u["id"] for u in sim.collection("users").values() if u["login"] == login)


def test_lifecycle_is_state_aware_actions_always_run_and_the_temporary_password_stays_hidden(
        finbourne_sim, run_playbook, tmp_path):
    sim = finbourne_sim
    jane, john = "jane.doe@example.com", "john.roe@example.com"
    sim.set_status(user_id(sim, jane), "LOCKED_OUT")
    sim.set_status(user_id(sim, john), "SUSPENDED")
    saved = tmp_path / "temporary.txt"
    run = run_playbook(play(sim, [
        task("unlock in check mode", LIFE, check=True, login=jane, action="unlock"),
        task("unlock", LIFE, login="JANE.DOE@example.com", action="unlock"),
        task("unlock again", LIFE, login=jane, action="unlock"),
        task("unsuspend both", LIFE, logins=[jane, john], action="unsuspend"),
        task("reset factors", LIFE, login=jane, action="reset_factors"),
        dict(task("expire password", LIFE, login=john, action="expire_password"), no_log=True, register="expired"),
        dict(task("keep it", "ansible.builtin.copy", content="{{ expired.temporary_password }}", dest=str(saved)),
             no_log=True),
        task("new user", "identity.cloud.finbourne_user", login="new.person@example.com", first_name="New",
             last_name="Person", email_address="new.person@example.com", type="Personal"),
        task("activation email to a new user", LIFE, login="new.person@example.com", action="send_activation_email"),
        task("activation email to an active user", LIFE, login=jane, action="send_activation_email"),
        task("unknown user", LIFE, errors=True, login="ghost@example.com", action="unlock"),
        task("one unknown among logins in check mode", LIFE, check=True, errors=True,
             logins=["ghost@example.com", jane], action="reset_factors"),
        task("one unknown among logins", LIFE, errors=True, logins=["ghost@example.com", jane, john],
             action="reset_factors"),
        task("bad action", LIFE, errors=True, login=jane, action="delete"),
        task("info by login", INFO, login="JOHN.ROE@example.com", include_roles=True),
        dict(task("info all", INFO), register="everyone"),
        task("info by ids", INFO, ids="{{ everyone.users | map(attribute='id') | list + ['00unothere'] }}"),
        task("info runnable", INFO, runnable=True),
    ]), verbosity=4, expect_rc=0)

    check = run.task("unlock in check mode")
    assert check.changed and run.writes(sim, "unlock in check mode") == []
    unlock = run.task("unlock")
    assert unlock.changed and [w["path"].rsplit("/", 1)[1] for w in run.writes(sim, "unlock")] == ["$unlock"]
    again = run.task("unlock again")
    assert not again.changed and run.writes(sim, "unlock again") == []
    assert again.result["users"][0]["msg"] == "not locked out: user is ACTIVE"
    both = run.task("unsuspend both")
    assert [(r["item"], r["changed"]) for r in both.result["users"]] == [(jane, False), (john, True)]
    assert len(run.writes(sim, "unsuspend both")) == 1
    reset = run.task("reset factors")
    assert reset.changed and "always runs" in reset.result["reason"]

    temporary = saved.read_text()
    assert temporary and temporary == sim.store["passwords"][john]
    assert temporary not in run.stdout + run.proc.stderr

    assert run.task("activation email to a new user").changed
    assert not run.task("activation email to an active user").changed
    unknown = run.task("unknown user")
    assert unknown.failed and unknown.result["msg"] == "login: no FINBOURNE user with id or login 'ghost@example.com'"
    assert run.writes(sim, "unknown user") == []
    # the doc: a login that names no user does not stop the others; the task fails at the end naming it
    for name, writes in (("one unknown among logins in check mode", 0), ("one unknown among logins", 2)):
        some = run.task(name)
        assert some.failed and some.result["failed_items"] == ["ghost@example.com"], some.result
        assert some.result["msg"] == "1 of %d users failed: ghost@example.com: no FINBOURNE user has this id or login" % (
            len(some.result["users"]))
        assert [(u["item"], u["changed"], bool(u.get("failed"))) for u in some.result["users"]][0] == (
            "ghost@example.com", False, True)
        assert all(u["changed"] for u in some.result["users"][1:])
        sent = [w["path"] for w in run.writes(sim, name)]
        assert len(sent) == writes and all(p.endswith("/lifecycle/$resetfactors") for p in sent)
    assert {w["path"].split("/")[-3] for w in run.writes(sim, "one unknown among logins")} == {
        user_id(sim, jane), user_id(sim, john)}
    assert run.task("bad action").failed and run.writes(sim, "bad action") == []

    by_login = run.task("info by login").result["users"]
    assert [u["login"] for u in by_login] == [john] and by_login[0]["roles"] == []
    everyone = run.task("info all").result["users"]
    by_ids = run.task("info by ids").result["users"]
    assert sorted(u["login"] for u in by_ids) == sorted(u["login"] for u in everyone) and len(everyone) >= 5
    assert [u["login"] for u in run.task("info runnable").result["users"]] == ["svc-reporting@example.com"]
