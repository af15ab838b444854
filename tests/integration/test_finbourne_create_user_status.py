"""finbourne_user takes the created user from CreateUser's answer whether it is 200 (what FINBOURNE's SDK,
built from API 0.0.3743, expects and the simulator answers) or 201 (document 0.0.3076)."""

import pytest

from tests.integration.plays import play, task

USER = "identity.cloud.finbourne_user"


@pytest.mark.parametrize("status", [200, 201])
def test_create_user_answer_200_or_201(finbourne_sim, run_playbook, status):
    sim = finbourne_sim
    login = "status.%d@example.com" % status
    person = dict(login=login, first_name="Stat", last_name="Us", email_address=login, type="Personal")
    sim.create_user_status = status
    try:
        run = run_playbook(play(sim, [task("create", USER, **person), task("again", USER, **person)]), expect_rc=0)
    finally:
        del sim.create_user_status  # back to the class default
    create = run.task("create")
    assert [w["status"] for w in run.writes(sim, "create")] == [status]
    stored = next(u for u in sim.collection("users").values() if u["login"] == login)
    assert create.changed and create.result["id"] == stored["id"] and create.result["user"]["login"] == login
    assert not run.task("again").changed and run.writes(sim, "again") == []
