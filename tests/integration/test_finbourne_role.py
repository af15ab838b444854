"""finbourne_role and finbourne_role_info through ansible-playbook against the simulator."""

from tests.integration.plays import play


def role_task(title, **args):
    return {"name": title, "identity.cloud.finbourne_role": args}


def stored_roles(sim):
    return {r["name"]: r for r in sim.collection("roles").values()}


def members(sim, role_name):
    role = stored_roles(sim)[role_name]
    users = sim.collection("users")
    return sorted(users[u]["login"] for u in sim.collection("role_members")[role["id"]])


def test_five_step_cycle(finbourne_sim, run_playbook):
    sim = finbourne_sim
    base = {"name": "Trading Desk", "description": "Front office", "users": ["jane.doe@example.com"]}
    run = run_playbook(play(sim, [
        role_task("create", **base),
        role_task("again", **base),
        dict(role_task("check change", **{**base, "description": "Changed"}), check_mode=True),
        dict(role_task("change", **{**base, "description": "Changed", "users": ["JOHN.ROE@example.com"]}), diff=True),
        role_task("delete", name="Trading Desk", state="absent"),
        role_task("delete again", name="Trading Desk", state="absent"),
    ]), expect_rc=0)

    create = run.task("create")
    assert create.changed and create.result["role"]["name"] == "Trading Desk"
    assert create.result["id"] == create.result["role"]["id"]
    assert [w["method"] for w in run.writes(sim, "create")] == ["POST", "PUT"]

    again = run.task("again")
    assert not again.changed and run.writes(sim, "again") == []

    check = run.task("check change")
    assert check.changed and run.writes(sim, "check change") == []

    change = run.task("change")
    assert change.changed
    assert change.result["diff"]["before"] == {"name": "Trading Desk", "description": "Front office",
                                               "users": ["jane.doe@example.com"]}
    assert change.result["diff"]["after"] == {"name": "Trading Desk", "description": "Changed",
                                              "users": ["john.roe@example.com"]}
    assert sorted(w["method"] for w in run.writes(sim, "change")) == ["DELETE", "PUT", "PUT"]

    assert run.task("delete").changed and run.writes(sim, "delete")
    assert not run.task("delete again").changed and run.writes(sim, "delete again") == []
    assert stored_roles(sim) == {}


def test_membership_modes_and_info(finbourne_sim, run_playbook):
    sim = finbourne_sim
    run = run_playbook(play(sim, [
        role_task("create", name="Desk", users=["jane.doe@example.com", "john.roe@example.com"]),
        role_task("add", name="Desk", users=["svc-reporting@example.com", "jane.doe@example.com"], users_mode="add"),
        role_task("remove", name="Desk", users=["jane.doe@example.com", "nobody-but-known@example.com"][:1],
                  users_mode="remove"),
        role_task("remove again", name="Desk", users=["jane.doe@example.com"], users_mode="remove"),
        {"name": "info", "identity.cloud.finbourne_role_info": {"name": "Desk", "include_users": True}},
        {"name": "info all", "identity.cloud.finbourne_role_info": {}},
    ]), expect_rc=0)
    assert run.task("add").changed and [w["method"] for w in run.writes(sim, "add")] == ["PUT"]
    assert run.task("remove").changed
    assert not run.task("remove again").changed and run.writes(sim, "remove again") == []
    assert members(sim, "Desk") == ["john.roe@example.com", "svc-reporting@example.com"]
    info = run.task("info").result["roles"]
    assert [r["name"] for r in info] == ["Desk"]
    assert sorted(u["login"] for u in info[0]["users"]) == members(sim, "Desk")
    assert [r["name"] for r in run.task("info all").result["roles"]] == ["Desk"]


def test_bad_input_fails_before_any_write(finbourne_sim, run_playbook):
    sim = finbourne_sim
    run = run_playbook(play(sim, [
        dict(role_task("unknown user", name="Desk", users=["ghost@example.com"]), ignore_errors=True),
        dict(role_task("bad mode", name="Desk", users_mode="replace"), ignore_errors=True),
        dict(role_task("bad name", name="1 starts with a digit"), ignore_errors=True),
        dict(role_task("unknown id", id="doesnotexist1", name="Ghost Desk"), ignore_errors=True),
        role_task("unknown id absent", id="doesnotexist1", state="absent"),
        dict(role_task("create", name="Alpha Desk", description="a"), register="alpha"),
        role_task("other case is the same role", name="alpha desk", description="a"),
        dict(role_task("rename by id", id="{{ alpha.id }}", name="Other Desk", description="a"), ignore_errors=True),
        role_task("same name by id in other case", id="{{ alpha.id }}", name="ALPHA DESK", description="a"),
    ]))
    unknown = run.task("unknown user")
    assert unknown.failed and "users: no FINBOURNE user with id or login ghost@example.com" in unknown.result["msg"]
    assert run.writes(sim, "unknown user") == []
    bad_mode = run.task("bad mode")
    assert bad_mode.failed and "users_mode" in bad_mode.result["msg"] and "set, add, remove" in bad_mode.result["msg"]
    bad_name = run.task("bad name")
    assert bad_name.failed and bad_name.result["msg"].startswith("name must match ^[a-zA-Z]")
    assert run.writes(sim, "bad name") == []
    unknown_id = run.task("unknown id")
    assert unknown_id.failed and unknown_id.result["msg"].startswith("id 'doesnotexist1' names no FINBOURNE role")
    assert "\n" not in unknown_id.result["msg"] and run.writes(sim, "unknown id") == []
    assert not run.task("unknown id absent").changed
    same = run.task("other case is the same role")
    assert not same.changed and run.writes(sim, "other case is the same role") == []
    rename = run.task("rename by id")
    assert rename.failed and rename.result["msg"].startswith("name cannot change: role ")
    assert run.writes(sim, "rename by id") == []
    assert not run.task("same name by id in other case").changed
    assert list(stored_roles(sim)) == ["Alpha Desk"]
def test_retries_429_and_503_then_converges(finbourne_sim, run_playbook):
    sim = finbourne_sim
    sim.inject("429", retry_after=1, method="GET", path="/api/roles$")
    sim.inject("5xx", status=503, method="POST", path="/api/roles$")
    run = run_playbook(play(sim, [role_task("create", name="Desk", description="d")]), expect_rc=0)
    assert run.task("create").changed
    statuses = [(e["method"], e["status"]) for e in run.requests(sim, "create") if e["path"].endswith("/api/roles")]
    assert statuses == [("GET", 429), ("GET", 200), ("POST", 503), ("POST", 201)]
    assert list(stored_roles(sim)) == ["Desk"]


def test_personal_access_token_and_secrets_file(finbourne_sim, run_playbook, tmp_path):
    sim = finbourne_sim
    env = sim.connection_env()
    secrets = tmp_path / "secrets.json"
    secrets.write_text('{"api": {"identityUrl": "%s", "accessToken": "sim-personal-access-token"}}'
                       % env["FBN_IDENTITY_URL"])
    run = run_playbook([{"hosts": "localhost", "gather_facts": False, "tasks": [
        {"name": "with pat", "identity.cloud.finbourne_role": {"name": "Desk"}},
    ]}], extra_env={"FBN_SECRETS_PATH": str(secrets)}, expect_rc=0)
    assert run.task("with pat").changed
    assert not [e for e in sim.log if e["auth"]], "a PAT must not trigger a token request"


def test_create_whose_answer_is_lost_is_not_sent_twice(finbourne_sim, run_playbook):
    sim = finbourne_sim
    sim.inject("lost_reply", method="POST", path="/api/roles$")
    sim.inject("reset", method="POST", path="/api/roles$")
    run = run_playbook(play(sim, [
        role_task("answer lost", name="Lost", description="processed, reply dropped"),
        role_task("never arrived", name="Reset", description="dropped before processing"),
    ]), expect_rc=0)
    assert run.task("answer lost").changed and run.task("never arrived").changed
    assert [(w["status"], w.get("reply_lost")) for w in run.writes(sim, "answer lost")] == [(201, True)]
    assert [w["status"] for w in run.writes(sim, "never arrived")] == ["reset", 201]
    assert sorted(stored_roles(sim)) == ["Lost", "Reset"]
    assert run.task("answer lost").result["role"]["description"] == "processed, reply dropped"


def test_no_secret_in_verbose_output_with_settings_from_the_environment(finbourne_sim, run_playbook):
    sim = finbourne_sim
    env = sim.connection_env()
    run = run_playbook([{"hosts": "localhost", "gather_facts": False, "tasks": [
        {"name": "create", "identity.cloud.finbourne_role": {"name": "Desk", "users": ["jane.doe@example.com"]}},
        {"name": "rejected", "identity.cloud.finbourne_role": {"name": "9 bad"}, "ignore_errors": True},
    ]}], extra_env=dict(env, FBN_PROXY_PASSWORD="proxy-pass-never-shown"), verbosity=4)
    assert run.task("create").changed and run.task("rejected").failed
    output = run.stdout + run.proc.stderr
    secrets = [env["FBN_PASSWORD"], env["FBN_CLIENT_SECRET"], "proxy-pass-never-shown"] + list(sim.tokens)
    assert [s for s in secrets if s in output] == []
