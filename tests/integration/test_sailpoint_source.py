"""sailpoint_source through ansible-playbook against the SailPoint simulator."""

import json

from tests.simulators.sailpoint import ADMIN_ID, CLUSTERS, COMPUTED_ATTRIBUTES, IDENTITIES, WORKGROUPS
from tests.integration.plays import connection, play

SECRET = "s3cr3t-Pl41ntext-value"


def source_task(title, **args):
    return {"name": title, "identity.cloud.sailpoint_source": args}


def stored(sim):
    return {s["name"]: s for s in sim.collection("sources").values() if s["type"] != "IdentityNowConnector"}


def bodies(run, sim, name):
    return [(e["method"], e["path"], e.get("body")) for e in run.writes(sim, name)]


def test_five_step_cycle_with_diff(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    base = {"name": "HR Feed", "description": "Nightly HR export", "owner": "Ada Admin",
            "connector": "delimited-file", "provision_as_csv": True, "delete_threshold": 15,
            "management_workgroup": "Source Admins", "features": ["NO_RANDOM_ACCESS", "DIRECT_PERMISSIONS"],
            "connector_attributes": {"file": {"delimiter": ",", "encoding": "UTF-8"}}}
    changed = {**base, "description": "Changed", "connector_attributes": {"file": {"delimiter": ";"}}}
    run = run_playbook(play(sim, [
        source_task("create", **base),
        source_task("again", **base),
        dict(source_task("check change", **changed), check_mode=True),
        dict(source_task("change", **changed), diff=True),
        source_task("delete", name="HR Feed", state="absent"),
        source_task("delete again", name="HR Feed", state="absent"),
    ]), expect_rc=0)

    create = run.task("create")
    assert create.changed and create.result["source"]["name"] == "HR Feed"
    assert create.result["id"] == create.result["source"]["id"]
    assert create.result["source"]["type"] == "DelimitedFile"
    writes = run.writes(sim, "create")
    assert [(w["method"], w["path"], w["query"]) for w in writes] == [
        ("POST", "/v2024/sources", {"provisionAsCsv": ["true"]})]
    assert writes[0]["body"]["owner"] == {"type": "IDENTITY", "id": ADMIN_ID, "name": "Ada Admin"}

    again = run.task("again")
    assert not again.changed and run.writes(sim, "again") == []

    check = run.task("check change")
    assert check.changed and run.writes(sim, "check change") == []

    change = run.task("change")
    assert change.changed
    assert change.result["diff"]["before"]["description"] == "Nightly HR export"
    assert change.result["diff"]["after"]["description"] == "Changed"
    assert change.result["diff"]["before"]["connector_attributes"] == {"file": {"delimiter": ","}}
    assert change.result["diff"]["after"]["connector_attributes"] == {"file": {"delimiter": ";"}}
    # The patch names only the changed paths, under the JSON Patch media type.
    patch = run.writes(sim, "change")
    assert [(w["method"], w["content_type"]) for w in patch] == [("PATCH", "application/json-patch+json")]
    assert sorted(op["path"] for op in patch[0]["body"]) == ["/connectorAttributes/file/delimiter", "/description"]
    assert all(op["op"] == "replace" for op in patch[0]["body"])

    assert run.task("delete").changed and run.writes(sim, "delete")
    assert run.task("delete").result["task"]["completionStatus"] == "SUCCESS"
    assert not run.task("delete again").changed and run.writes(sim, "delete again") == []
    assert stored(sim) == {}


def test_diff_output_on_the_command_line(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    run = run_playbook(play(sim, [
        source_task("create", name="Diffed", owner=ADMIN_ID, connector="jdbc", description="one"),
        source_task("change", name="Diffed", description="two", cluster="Corporate Cluster"),
    ]), diff=True, expect_rc=0)
    assert run.task("change").changed
    assert '-    "description": "one"' in run.stdout and '+    "description": "two"' in run.stdout
    assert run.task("change").result["diff"]["after"]["cluster"]["id"] == CLUSTERS[0][0]
    assert stored(sim)["Diffed"]["cluster"]["name"] == "Corporate Cluster"


def test_bad_input_fails_before_any_write(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    run = run_playbook(play(sim, [
        source_task("create", name="Tickets", owner=ADMIN_ID, connector="web-services"),
        dict(source_task("computed key", name="Tickets", connector_attributes={"healthy": True, "url": "x"}),
             ignore_errors=True),
        dict(source_task("unknown owner", name="Other", owner="Nobody Known", connector="jdbc"), ignore_errors=True),
        dict(source_task("immutable connector", name="Tickets", connector="jdbc"), ignore_errors=True),
        dict(source_task("threshold", name="Tickets", delete_threshold=101), ignore_errors=True),
        dict(source_task("secret in attributes", name="Tickets", connector_attributes={"password": "x"}),
             ignore_errors=True),
        dict(source_task("missing connector", name="Other", owner=ADMIN_ID), ignore_errors=True),
        dict(source_task("unknown owner id", name="Other", owner="2c9180857182305e0171993735629999",
                         connector="jdbc"), ignore_errors=True),
        dict(source_task("id names nothing", id="doesnotexist1", name="Other", owner=ADMIN_ID, connector="jdbc"),
             ignore_errors=True),
        dict(source_task("bad feature", name="Tickets", features=["FLY"]), ignore_errors=True),
        dict(source_task("empty name", name="", owner=ADMIN_ID, connector="jdbc"), ignore_errors=True),
    ]))
    assert run.task("create").changed
    expected = {
        "computed key": "connector_attributes must not contain healthy",
        "unknown owner": "owner: no identity named 'Nobody Known'",
        "immutable connector": "connector cannot be changed on an existing source",
        "threshold": "delete_threshold must be at most 100, got 101",
        "secret in attributes": "put them in connector_secrets",
        "missing connector": "connector is required to create source 'Other'",
        "unknown owner id": "owner: no identity has id '2c9180857182305e0171993735629999'",
        "id names nothing": "id: no source has id 'doesnotexist1' (leave id out to create one by name)",
        "bad feature": "value of features must be one or more of",
        "empty name": "name must not be empty",
    }
    for name, text in expected.items():
        task = run.task(name)
        assert task.failed and text in task.result["msg"], (name, task.result.get("msg"))
        assert run.writes(sim, name) == [], name
    assert list(stored(sim)) == ["Tickets"]
    assert stored(sim)["Tickets"]["connector"] == "web-services"


def test_api_error_is_one_line(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    run = run_playbook(play(sim, [
        dict(source_task("unknown connector", name="X", owner=ADMIN_ID, connector="no-such-connector"),
             ignore_errors=True),
    ]))
    task = run.task("unknown connector")
    assert task.failed
    assert task.result["msg"].startswith("POST /v2024/sources failed: HTTP 400 [400.1.3 Illegal value]")
    assert "no-such-connector" in task.result["msg"] and "tracking id" in task.result["msg"]
    assert "Traceback" not in json.dumps(task.result)


def test_retries_429_and_503_then_converges(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    sim.inject("429", retry_after=1, method="GET", path="/v2024/sources$")
    sim.inject("5xx", status=503, method="POST", path="/v2024/sources$")
    sim.inject("5xx", status=503, method="PATCH", path="/v2024/sources/")
    run = run_playbook(play(sim, [
        source_task("create", name="Faulty", owner=ADMIN_ID, connector="jdbc"),
        source_task("change", name="Faulty", description="after a 503"),
        source_task("again", name="Faulty", description="after a 503"),
    ]), expect_rc=0)
    assert run.task("create").changed and run.task("change").changed and not run.task("again").changed
    statuses = [(e["method"], e["status"]) for e in run.requests(sim, "create") if e["path"] == "/v2024/sources"]
    assert statuses == [("GET", 429), ("GET", 200), ("POST", 503), ("POST", 201)]
    patches = [e["status"] for e in run.requests(sim, "change") if e["method"] == "PATCH"]
    assert patches == [503, 200]
    assert list(stored(sim)) == ["Faulty"] and stored(sim)["Faulty"]["description"] == "after a 503"


def test_patch_never_sends_computed_keys_and_keeps_unnamed_attributes(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    attrs = {"genericWebServiceBaseUrl": "https://t.example.com", "authenticationMethod": "OAuth2Login",
             "nested": {"a": 1, "b": 2}}
    run = run_playbook(play(sim, [
        source_task("create", name="WS", owner=ADMIN_ID, connector="web-services", connector_attributes=attrs),
        source_task("change one key", name="WS", connector_attributes={"nested": {"b": 3}, "newKey": "v"},
                    features=["PROVISIONING", "ENABLE"]),
        source_task("same again", name="WS", connector_attributes={"nested": {"b": 3}, "newKey": "v"},
                    features=["ENABLE", "PROVISIONING"]),
    ]), expect_rc=0)
    create_body = run.writes(sim, "create")[0]["body"]
    assert not set(create_body["connectorAttributes"]) & set(COMPUTED_ATTRIBUTES)
    ops = run.writes(sim, "change one key")[0]["body"]
    assert sorted((op["op"], op["path"]) for op in ops) == [
        ("add", "/connectorAttributes/newKey"), ("replace", "/connectorAttributes/nested/b"),
        ("replace", "/features")]
    for op in ops:
        assert op["path"].split("/")[2:3] not in [[k] for k in COMPUTED_ATTRIBUTES]
        assert not (isinstance(op["value"], dict) and set(op["value"]) & set(COMPUTED_ATTRIBUTES))
    assert not run.task("same again").changed and run.writes(sim, "same again") == []
    have = stored(sim)["WS"]["connectorAttributes"]
    assert have["nested"] == {"a": 1, "b": 3} and have["authenticationMethod"] == "OAuth2Login"
    assert have["healthy"] is False and have["newKey"] == "v"


def test_update_secrets_always_and_on_create(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    common = {"owner": ADMIN_ID, "connector": "web-services",
              "connector_attributes": {"genericWebServiceBaseUrl": "https://t.example.com"}}
    run = run_playbook(play(sim, [
        source_task("always 1", name="Always", connector_secrets={"client_secret": SECRET}, **common),
        source_task("always 2", name="Always", connector_secrets={"client_secret": SECRET}, **common),
        source_task("on_create 1", name="Once", connector_secrets={"password": SECRET}, update_secrets="on_create",
                    **common),
        source_task("on_create 2", name="Once", connector_secrets={"password": "other"}, update_secrets="on_create",
                    **common),
    ]), expect_rc=0)
    assert run.task("always 1").changed and run.task("always 2").changed
    ops = run.writes(sim, "always 2")[0]["body"]
    assert [(op["op"], op["path"]) for op in ops] == [("replace", "/connectorAttributes/client_secret")]
    assert run.task("on_create 1").changed
    assert not run.task("on_create 2").changed and run.writes(sim, "on_create 2") == []
    for name in ("Always", "Once"):
        attrs = stored(sim)[name]["connectorAttributes"]
        key = "client_secret" if name == "Always" else "password"
        assert sim.decrypt(attrs[key]) == SECRET
    for task in run.tasks:
        assert SECRET not in json.dumps(task.result)


def test_secret_never_in_verbose_output(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    # The secret comes from the environment as it would from a vault or credential: a literal in
    # the playbook text would be echoed by Ansible itself when it shows where a failed task is.
    secret = "{{ lookup('ansible.builtin.env', 'SP_TEST_SECRET') }}"
    run = run_playbook(play(sim, [
        source_task("create", name="Verbose", owner=ADMIN_ID, connector="ldap",
                    connector_secrets={"password": secret}),
        source_task("update", name="Verbose", description="x", connector_secrets={"password": secret}),
        dict(source_task("failing", name="Verbose", connector="jdbc", connector_secrets={"password": secret}),
             ignore_errors=True),
        dict(source_task("unknown cluster", name="Verbose", connector_secrets={"password": secret},
                         cluster="2c9180866166b5b0016167c32ef3ffff"), ignore_errors=True),
        dict(source_task("api error", name="Verbose 2", owner=ADMIN_ID, connector="no-such-connector",
                         connector_secrets={"password": secret}), ignore_errors=True),
    ]), diff=True, verbosity=3, extra_env={"SP_TEST_SECRET": SECRET})
    assert run.task("create").changed and run.task("update").changed and run.task("failing").failed
    assert run.task("unknown cluster").result["msg"] == "cluster: no cluster has id '2c9180866166b5b0016167c32ef3ffff'"
    assert run.task("api error").failed and "HTTP 400" in run.task("api error").result["msg"]
    assert SECRET not in run.stdout and SECRET not in run.proc.stderr
    assert sim.decrypt(stored(sim)["Verbose"]["connectorAttributes"]["password"]) == SECRET


def test_delete_wait_and_no_wait(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    sim.task_delay = 0.6
    run = run_playbook(play(sim, [
        source_task("create a", name="A", owner=ADMIN_ID, connector="jdbc"),
        source_task("create b", name="B", owner=ADMIN_ID, connector="jdbc"),
        source_task("delete a", name="A", state="absent"),
        source_task("delete b", name="B", state="absent", wait=False),
    ]), expect_rc=0)
    task_a = run.task("delete a").result["task"]
    assert task_a["completionStatus"] == "SUCCESS" and task_a["completed"]
    polls = [e for e in run.requests(sim, "delete a") if e["path"].startswith("/v2024/task-status/")]
    assert len(polls) >= 2 and polls[-1]["status"] == 200
    task_b = run.task("delete b").result["task"]
    assert task_b["type"] == "TASK_RESULT" and task_b["id"] in sim.collection("tasks")
    assert not [e for e in run.requests(sim, "delete b") if "task-status" in e["path"]]
    assert "A" not in stored(sim)
    assert "B" in stored(sim)  # the task has not run yet


def test_delete_task_failure_and_timeout(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    sim.task_delay, sim.task_outcome = 1.5, "ERROR"
    run = run_playbook(play(sim, [
        source_task("create slow", name="Slow", owner=ADMIN_ID, connector="jdbc"),
        source_task("create stuck", name="Stuck", owner=ADMIN_ID, connector="jdbc"),
        dict(source_task("delete timeout", name="Slow", state="absent", wait_timeout=1), ignore_errors=True),
        dict(source_task("delete fails", name="Stuck", state="absent"), ignore_errors=True),
    ]))
    timeout = run.task("delete timeout")
    assert timeout.failed and "did not complete within 1 s" in timeout.result["msg"]
    assert timeout.result["msg"].startswith("DELETE /v2024/sources/")
    fails = run.task("delete fails")
    assert fails.failed and "ended with ERROR: The source is still referenced" in fails.result["msg"]
    assert sorted(stored(sim)) == ["Slow", "Stuck"]


def test_api_version_v1_per_resource_tree(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    run = run_playbook(play(sim, [
        dict(source_task("create", name="PerResource", owner="Jane Doe", connector="jdbc"), register="created"),
        source_task("change", name="PerResource", description="v1"),
        source_task("rename by id", id="{{ created.id }}", name="Renamed"),
        dict(source_task("check delete", name="Renamed", state="absent"), check_mode=True),
        source_task("delete", name="Renamed", state="absent"),
    ], defaults=dict(connection(sim), api_version="v1")), expect_rc=0)
    assert run.task("create").changed and run.task("change").changed and run.task("delete").changed
    assert run.task("rename by id").result["source"]["name"] == "Renamed"
    assert run.task("check delete").changed and run.writes(sim, "check delete") == []
    paths = {e["path"] for e in sim.log if not e["auth"]}
    assert all(p.startswith(("/sources/v1", "/task-status/v1", "/v2024/identities")) for p in paths), paths
    assert [e["method"] for e in sim.log if e["write"]] == ["POST", "PATCH", "PATCH", "DELETE"]
    assert all(e["status"] < 300 for e in sim.log)
    assert stored(sim) == {}
    assert run.task("create").result["source"]["owner"]["id"] == IDENTITIES[1][0]


def test_one_token_per_playbook_run(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    run = run_playbook(play(sim, [
        source_task("one", name="T1", owner=ADMIN_ID, connector="jdbc",
                    management_workgroup={"name": WORKGROUPS[0][1]}),
        source_task("two", name="T2", owner=ADMIN_ID, connector="jdbc"),
        source_task("three", name="T1", description="x"),
        {"name": "info", "identity.cloud.sailpoint_source_info": {}},
    ]), expect_rc=0)
    assert len(run.task("info").result["sources"]) == 2
    assert len([e for e in sim.log if e["auth"]]) == 1


def test_expired_token_is_refreshed_once(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    sim.inject("expire_token", method="GET", path="/v2024/sources$")
    run = run_playbook(play(sim, [source_task("create", name="Refresh", owner=ADMIN_ID, connector="jdbc")]),
                       expect_rc=0)
    assert run.task("create").changed
    assert len([e for e in sim.log if e["auth"]]) == 2
    assert [e["status"] for e in sim.log if e["path"] == "/v2024/sources" and e["method"] == "GET"][:2] == [401, 200]
