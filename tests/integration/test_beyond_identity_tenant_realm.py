"""beyond_identity_tenant / _realm (+ _info) through ansible-playbook against the simulator."""

from tests.simulators.beyond_identity import ADMIN_REALM_ID, DEFAULT_REALM_ID, TENANT_ID
from tests.integration.plays import inject, play


def task(title, module, **args):
    return {"name": title, "identity.cloud.beyond_identity_" + module: args}


def realms_named(sim, name):
    return [r for r in sim.store["realms"].values() if r["display_name"] == name]


def test_tenant_cycle_and_info(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    run = run_playbook(play(sim, [
        task("read only", "tenant"),
        dict(task("check rename", "tenant", display_name="Acme"), check_mode=True),
        dict(task("rename", "tenant", display_name="Acme"), diff=True),
        task("rename again", "tenant", display_name="Acme"),
        task("info", "tenant_info"),
        dict(task("bad state", "tenant", display_name="Acme", state="absent"), ignore_errors=True),
    ]), expect_rc=0)
    assert not run.task("read only").changed and run.task("read only").result["id"] == TENANT_ID
    check = run.task("check rename")
    assert check.changed and run.writes(sim, "check rename") == []
    rename = run.task("rename")
    assert rename.changed and rename.result["tenant"]["display_name"] == "Acme"
    assert rename.result["diff"] == {"before": {"display_name": "Simulated Tenant"}, "after": {"display_name": "Acme"}}
    assert [(w["method"], w["path"]) for w in run.writes(sim, "rename")] == [("PATCH", "/v1/tenants/" + TENANT_ID)]
    assert not run.task("rename again").changed and run.writes(sim, "rename again") == []
    assert [t["display_name"] for t in run.task("info").result["tenants"]] == ["Acme"]
    bad = run.task("bad state")
    assert bad.failed and "state" in bad.result["msg"] and "present" in bad.result["msg"]
    assert run.writes(sim, "bad state") == []
    assert sim.store["tenant"]["display_name"] == "Acme"


def test_realm_five_step_cycle(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    run = run_playbook(play(sim, [
        task("create", "realm", display_name="Staging"),
        task("again", "realm", display_name="Staging"),
        {"name": "find id", "identity.cloud.beyond_identity_realm_info": {"display_name": "Staging"},
         "register": "found"},
        dict(task("check rename", "realm", id="{{ found.realms[0].id }}", display_name="Staging 2"), check_mode=True),
        dict(task("rename", "realm", id="{{ found.realms[0].id }}", display_name="Staging 2"), diff=True),
        task("delete", "realm", display_name="Staging 2", state="absent"),
        task("delete again", "realm", display_name="Staging 2", state="absent"),
        task("info all", "realm_info"),
        task("info by id", "realm_info", id=ADMIN_REALM_ID),
        task("info missing", "realm_info", id="0000000000000000"),
    ]), expect_rc=0)
    create = run.task("create")
    assert create.changed and create.result["realm"]["display_name"] == "Staging"
    assert create.result["id"] == create.result["realm"]["id"]
    assert [w["method"] for w in run.writes(sim, "create")] == ["POST"]
    assert not run.task("again").changed and run.writes(sim, "again") == []
    assert run.task("check rename").changed and run.writes(sim, "check rename") == []
    rename = run.task("rename")
    assert rename.changed and rename.result["realm"]["display_name"] == "Staging 2"
    assert rename.result["diff"] == {"before": {"display_name": "Staging"}, "after": {"display_name": "Staging 2"}}
    assert [w["method"] for w in run.writes(sim, "rename")] == ["PATCH"]
    assert run.task("delete").changed and [w["method"] for w in run.writes(sim, "delete")] == ["DELETE"]
    assert not run.task("delete again").changed and run.writes(sim, "delete again") == []
    assert not realms_named(sim, "Staging") and not realms_named(sim, "Staging 2")
    names = sorted(r["display_name"] for r in run.task("info all").result["realms"])
    assert names == ["Beyond Identity Admin", "Default"]
    assert [r["id"] for r in run.task("info by id").result["realms"]] == [ADMIN_REALM_ID]
    assert run.task("info missing").result["realms"] == []


def test_realm_bad_input_api_errors_and_retries(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    run = run_playbook(play(sim, [
        dict(task("unknown id", "realm", id="0000000000000000", display_name="X"), ignore_errors=True),
        dict(task("bad name", "realm", display_name="bad<name>"), ignore_errors=True),
        dict(task("not empty", "realm", display_name="Default", state="absent"), ignore_errors=True),
        dict(task("no credentials", "realm_info", api_token=None), ignore_errors=True),
        inject(sim, "429", retry_after=1, method="GET", path="/realms$"),
        inject(sim, "5xx", status=503, method="POST", path="/realms$"),
        task("flaky", "realm", display_name="Flaky"),
    ]), extra_env={"BEYONDIDENTITY_API_TOKEN": ""})
    unknown = run.task("unknown id")
    assert unknown.failed and "no such realm" in unknown.result["msg"] and run.writes(sim, "unknown id") == []
    bad = run.task("bad name")
    # The document's pattern is checked before any write; the message names the option and the rule.
    assert bad.failed and bad.result["msg"].startswith("display_name must match ^[^{}[")
    assert bad.result["msg"].endswith("got 'bad<name>'") and run.writes(sim, "bad name") == []
    busy = run.task("not empty")
    assert busy.failed and "HTTP 409" in busy.result["msg"] and "realm has children" in busy.result["msg"]
    assert DEFAULT_REALM_ID in sim.store["realms"]
    nocred = run.task("no credentials")
    assert nocred.failed and "api_token" in nocred.result["msg"] and "client_id" in nocred.result["msg"]
    # 429 with Retry-After and 503 are retried, and the task converges
    assert run.task("flaky").changed and len(realms_named(sim, "Flaky")) == 1
    calls = [(e["method"], e["status"]) for e in run.requests(sim, "flaky") if e["path"].endswith("/realms")]
    assert calls == [("GET", 429), ("GET", 200), ("POST", 503), ("POST", 200)]
