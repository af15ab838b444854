"""finbourne_password_policy, _support_access, _scim, _user_schema, _token, _password and the info modules
through ansible-playbook against the simulator (one playbook: the suite stays fast)."""

from tests.integration.plays import inject, play, task
from tests.simulators.finbourne import SERVICE_PASSWORD, SERVICE_USERNAME

C = "identity.cloud.finbourne_"


def test_tenant_settings_cycle(finbourne_sim, run_playbook, tmp_path):
    sim = finbourne_sim
    saved = tmp_path / "scim.txt"
    run = run_playbook(play(sim, [
        dict(task("policy", C + "password_policy", user_type="Personal", complexity={"minLength": 16},
                  lockout={"maxAttempts": 5}), diff=True),
        task("policy again", C + "password_policy", user_type="Personal", complexity={"minLength": 16}),
        task("policy check", C + "password_policy", check=True, user_type="Personal", age={"historyCount": 9}),
        task("policy out of range", C + "password_policy", errors=True, user_type="Personal",
             complexity={"minLength": 8}),
        task("policy info", C + "password_policy_info"),
        task("grant", C + "support_access", duration="P1D", description="ticket 1"),
        task("grant again", C + "support_access", duration="PT2H", description="ticket 1"),
        task("grant check other roles", C + "support_access", check=True, duration="P1D",
             permitted_roles=["support-readonly"]),
        task("bad duration", C + "support_access", errors=True, duration="one day"),
        task("support info", C + "support_access_info"),
        task("revoke", C + "support_access", state="absent"),
        task("revoke again", C + "support_access", state="absent"),
        dict(task("scim on", C + "scim"), no_log=True, register="scim"),
        dict(task("keep token", "ansible.builtin.copy", dest=str(saved), content="{{ scim.api_token }}"), no_log=True),
        task("scim ensure again", C + "scim"),
        task("scim check", C + "scim", check=True, api_token_action="regenerate"),
        dict(task("scim regenerate", C + "scim", api_token_action="regenerate",
                  old_api_token_deactivation="2035-01-01T00:00:00Z"), no_log=True),
        task("scim off", C + "scim", state="absent"),
        dict(task("schema", C + "user_schema", alternative_user_ids=[{"name": "employee", "description": "HR"}]),
             diff=True),
        task("schema again", C + "user_schema", alternative_user_ids=[{"name": "EMPLOYEE", "description": "HR"}]),
        task("schema bad name", C + "user_schema", errors=True, alternative_user_ids=[{"name": "no spaces"}]),
        task("schema info", C + "user_schema_info"),
        task("me", C + "me_info", include_resources=True),
        task("password too short", C + "password", errors=True, new_password="short"),
        task("password check", C + "password", check=True, new_password="Long-Enough-Password-1",
             username=SERVICE_USERNAME, password=SERVICE_PASSWORD),  # Service users only (test_finbourne_password.py)
        task("sign out check", C + "token", check=True),
        task("sign out", C + "token"),
        task("after sign out", C + "me_info"),
        inject(sim, "429", retry_after=1, method="GET", path="/password-policy/Service$"),
        inject(sim, "5xx", status=503, method="PUT", path="/password-policy/Service$"),
        task("policy after 429 and 503", C + "password_policy", user_type="Service", lockout={"maxAttempts": 3}),
        inject(sim, "5xx", status=503, method="POST", path="/api/authentication/support$"),
        task("grant after 503", C + "support_access", duration="PT1H", description="ticket 2"),
        inject(sim, "lost_reply", method="POST", path="/api/authentication/support$"),
        task("grant whose answer is lost", C + "support_access", duration="PT1H", description="ticket 3"),
    ]), verbosity=4, expect_rc=0)

    policy = run.task("policy")
    assert policy.changed and [w["method"] for w in run.writes(sim, "policy")] == ["PUT"]
    assert policy.result["diff"]["before"] == {"complexity": {"minLength": 12}, "lockout": {"maxAttempts": 10}}
    assert sim.store["password_policies"]["personal"]["conditions"]["age"] == {"maxAgeDays": 0, "historyCount": 4}
    assert not run.task("policy again").changed and run.writes(sim, "policy again") == []
    assert run.task("policy check").changed and run.writes(sim, "policy check") == []
    bad = run.task("policy out of range")
    assert bad.failed and bad.result["msg"] == "complexity.minLength must be at least 12, got 8"
    assert [p["userType"] for p in run.task("policy info").result["password_policies"]] == ["Personal", "Service"]

    assert run.task("grant").changed and not run.task("grant again").changed
    assert run.writes(sim, "grant again") == []
    assert run.task("grant check other roles").changed and run.writes(sim, "grant check other roles") == []
    assert run.task("bad duration").failed and run.task("bad duration").result["msg"].startswith("duration must match")
    info = run.task("support info").result
    assert len(info["active"]) == 1 and len(info["support_roles"]) == 2
    assert run.task("revoke").changed and not run.task("revoke again").changed
    assert run.writes(sim, "revoke again") == []

    token = saved.read_text()
    assert token.startswith("scim-") and token not in run.stdout + run.proc.stderr
    assert not run.task("scim ensure again").changed
    assert run.task("scim check").changed and run.writes(sim, "scim check") == []
    assert sim.store["scim"]["token"] is None and sim.store["scim"]["retired"][0]["token"] == token
    assert "reason" in run.task("scim off").result

    assert run.task("schema").changed and not run.task("schema again").changed
    assert run.writes(sim, "schema again") == []
    assert run.task("schema bad name").failed and run.writes(sim, "schema bad name") == []
    schema = run.task("schema info").result["user_schema"]
    assert schema == {"alternativeUserIds": [{"name": "employee", "description": "HR"}]}
    me = run.task("me").result
    assert me["me"]["emailAddress"] == "admin@example.com" and me["access_controlled_resources"]
    too_short = run.task("password too short")
    assert too_short.failed and too_short.result["msg"] == "new_password must be at least 12 character(s) long, got 5"
    assert "Long-Enough-Password-1" not in run.stdout + run.proc.stderr
    assert run.task("password check").changed and run.writes(sim, "password check") == []
    assert run.task("sign out check").changed and run.writes(sim, "sign out check") == []
    assert run.task("sign out").changed and run.task("after sign out").result["me"]["emailAddress"]

    policy = [(e["method"], e["status"]) for e in run.requests(sim, "policy after 429 and 503") if not e["auth"]]
    assert policy == [("GET", 429), ("GET", 200), ("PUT", 503), ("PUT", 200)]
    assert sim.store["password_policies"]["service"]["conditions"]["lockout"] == {"maxAttempts": 3}
    assert run.task("grant after 503").changed and run.task("grant whose answer is lost").changed
    descriptions = [g["description"] for g in sim.store["support_access"]]
    assert descriptions.count("ticket 2") == 1 and descriptions.count("ticket 3") == 1


def test_scim_retries_429_and_503_and_fails_in_one_line_when_the_token_answer_is_lost(finbourne_sim, run_playbook):
    sim = finbourne_sim
    C = "identity.cloud.finbourne_"
    run = run_playbook(play(sim, [
        inject(sim, "429", retry_after=1, method="PUT", path="/api/identityprovider/scim$"),
        inject(sim, "5xx", status=503, method="PUT", path="/api/identityprovider/scim$"),
        dict(task("scim on through 429 and 503", C + "scim"), no_log=True, register="scim"),
        task("scim off", C + "scim", state="absent"),
        inject(sim, "lost_reply", method="PUT", path="/api/identityprovider/scim$"),
        task("scim on, answer lost", C + "scim", errors=True),
        dict(task("regenerate after the lost answer", C + "scim", api_token_action="regenerate"), no_log=True),
    ]), expect_rc=0)
    first = run.task("scim on through 429 and 503")
    assert first.changed
    puts = [w for w in run.writes(sim, "scim on through 429 and 503") if w["method"] == "PUT"]
    assert [w["status"] for w in puts] == [429, 503, 200]  # replayed only where the server said it did nothing
    lost = run.task("scim on, answer lost")
    msg = lost.result["msg"]
    assert lost.failed and "\n" not in msg and "api_token_action=regenerate" in msg
    assert len([w for w in run.writes(sim, "scim on, answer lost") if w["method"] == "PUT"]) == 1  # not sent twice
    assert run.task("regenerate after the lost answer").changed and sim.store["scim"]["token"]
