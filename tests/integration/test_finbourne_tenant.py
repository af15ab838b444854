"""finbourne_password_policy, _support_access, _scim, _user_schema, _token, _password and the info modules
through ansible-playbook against the simulator (one playbook: the suite stays fast)."""

from tests.integration.plays import play, task

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
        task("password check", C + "password", check=True, new_password="Long-Enough-Password-1"),
        task("sign out check", C + "token", check=True),
        task("sign out", C + "token"),
        task("after sign out", C + "me_info"),
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
    assert run.task("schema info").result["user_schema"] == {"alternativeUserIds": [{"name": "employee",
                                                                                      "description": "HR"}]}
    me = run.task("me").result
    assert me["me"]["emailAddress"] == "admin@example.com" and me["access_controlled_resources"]
    too_short = run.task("password too short")
    assert too_short.failed and too_short.result["msg"] == "new_password must be at least 12 character(s) long, got 5"
    assert "Long-Enough-Password-1" not in run.stdout + run.proc.stderr
    assert run.task("password check").changed and run.writes(sim, "password check") == []
    assert run.task("sign out check").changed and run.writes(sim, "sign out check") == []
    assert run.task("sign out").changed and run.task("after sign out").result["me"]["emailAddress"]
