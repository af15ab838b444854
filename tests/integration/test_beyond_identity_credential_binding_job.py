"""beyond_identity_credential_binding_job(+_info) through ansible-playbook against the simulator."""

import json

from tests.simulators.beyond_identity import AUTHENTICATOR_CONFIGS, BINDING_JOBS, DEFAULT_REALM_ID, IDENTITIES
from tests.integration.plays import play, task as plain_task

MODULE = "identity.cloud.beyond_identity_credential_binding_job"
INFO = "identity.cloud.beyond_identity_credential_binding_job_info"


def task(title, module=MODULE, **options):
    return plain_task(title, module, **options)


def identity(sim, username):
    return next(i for i in sim.store["identities"].values() if i["traits"]["username"] == username)


def jobs(sim, username):
    owner = identity(sim, username)["id"]
    return sorted((j for j in sim.store["credential-binding-jobs"].values() if j["identity_id"] == owner),
                  key=lambda j: j["create_time"])


def hosted_web(sim):
    return next(c for c in sim.store["authenticator-configs"].values()
                if c["realm_id"] == DEFAULT_REALM_ID and c["config"]["type"] == "hosted_web")


def test_create_again_force_return_link_complete_and_expiry(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    email = {"realm": "Default", "identity": "alice", "delivery_method": "EMAIL"}
    ret = {"realm": "Default", "identity": "bob", "delivery_method": "RETURN"}
    run = run_playbook(play(sim, [
        task("check create", check=True, **email),
        task("create", post_binding_redirect_uri="https://portal/welcome", **email),
        task("again", **email),
        task("again with explicit config", authenticator_config_id=hosted_web(sim)["id"], **email),
        task("check force", check=True, force=True, **email),
        task("force", force=True, **email),
        task("return", **ret),
        task("return again", **ret),
        task("email is a different job", realm="Default", identity="bob", delivery_method="EMAIL"),
    ]), diff=True, expect_rc=0)

    check = run.task("check create")
    assert check.changed and run.writes(sim, "check create") == []
    create = run.task("create")
    job = create.result["credential_binding_job"]
    assert create.changed and job["delivery_method"] == "EMAIL" and job["state"] == "LINK_SENT"
    assert job["authenticator_config_id"] == hosted_web(sim)["id"]
    assert job["post_binding_redirect_uri"] == "https://portal/welcome"
    assert "credential_binding_link" not in create.result
    writes = run.writes(sim, "create")
    assert [(w["method"], w["path"].rsplit("/", 1)[-1]) for w in writes] == [("POST", "credential-binding-jobs")]
    assert create.result["diff"] == {"before": {}, "after": {
        "id": job["id"], "delivery_method": "EMAIL", "authenticator_config_id": job["authenticator_config_id"],
        "state": "LINK_SENT"}}

    for name in ("again", "again with explicit config"):
        assert not run.task(name).changed and run.writes(sim, name) == []
        assert run.task(name).result["id"] == job["id"]
    assert run.task("check force").changed and run.writes(sim, "check force") == []
    force = run.task("force")
    assert force.changed and force.result["id"] != job["id"] and len(run.writes(sim, "force")) == 1
    assert force.result["diff"]["before"]["id"] == job["id"]
    assert len(jobs(sim, "alice")) == 2

    created = run.task("return")
    link = created.result["credential_binding_link"]
    assert created.changed and ":invokeAuthenticator?token=" in link
    assert created.result["credential_binding_job"]["delivery_method"] == "RETURN"
    assert link not in json.dumps(created.result["diff"])
    again = run.task("return again")
    assert not again.changed and "credential_binding_link" not in again.result
    assert run.task("email is a different job").changed
    assert len(jobs(sim, "bob")) == 2

    # Once the pending jobs complete (the user bound a passkey), the next run starts a new job; an expired
    # job is not pending either. With no_log (as documented) the link stays out of -vvv output.
    for pending in jobs(sim, "alice"):
        sim.complete_binding_job(pending["id"])
    for job in jobs(sim, "bob"):
        job["expire_time"] = "2020-01-01T00:00:00.000Z"
    run = run_playbook(play(sim, [task("after completion", **email), task("after completion again", **email),
                                  dict(task("after expiry", **ret), no_log=True)]), verbosity=3, expect_rc=0)
    assert run.task("after completion").changed and not run.task("after completion again").changed
    assert [j["state"] for j in jobs(sim, "alice")] == ["COMPLETE", "COMPLETE", "LINK_SENT"]
    assert run.task("after expiry").changed and len(jobs(sim, "bob")) == 3
    assert "invokeAuthenticator" not in run.stdout


def test_bad_input(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    sim._put(IDENTITIES, DEFAULT_REALM_ID, {"display_name": "No Mail", "status": "active",
                                            "traits": {"type": "traits_v0", "username": "nomail"}})
    # A realm with two hosted web configs: the default is ambiguous and the task asks for an id.
    sim._add_realm("5ec0d5ec0d5ec0d5", "Second", "2024-01-01T00:00:00.000Z")
    for _index in range(2):
        sim._put(AUTHENTICATOR_CONFIGS, "5ec0d5ec0d5ec0d5", {"config": {"type": "hosted_web"}})
    sim._put(IDENTITIES, "5ec0d5ec0d5ec0d5", {"display_name": "Zed", "status": "active",
                                              "traits": {"type": "traits_v0", "username": "zed"}})
    run = run_playbook(play(sim, [
        task("ambiguous config", errors=True, realm="Second", identity="zed", delivery_method="RETURN"),
        task("no email address", errors=True, realm="Default", identity="nomail", delivery_method="EMAIL"),
        task("unknown identity", errors=True, realm="Default", identity="mallory", delivery_method="RETURN"),
        task("unknown config", errors=True, realm="Default", identity="alice", delivery_method="RETURN",
             authenticator_config_id="nope"),
        task("bad method", errors=True, realm="Default", identity="alice", delivery_method="SMS"),
    ]))
    assert "identity 'nomail' has no primary email address" in run.task("no email address").result["msg"]
    assert "no identity with id or username 'mallory'" in run.task("unknown identity").result["msg"]
    assert "authenticator_config_id: no authenticator config 'nope'" in run.task("unknown config").result["msg"]
    assert "value of delivery_method must be one of: EMAIL, RETURN" in run.task("bad method").result["msg"]
    assert "authenticator_config_id is required: realm 'Second' has 2 hosted web" in run.task(
        "ambiguous config").result["msg"]
    assert sim.writes() == []


def test_info_and_faults(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    # alice's job is created but the answer is lost: the module finds it instead of emailing twice;
    # bob's first POST gets a 503, which is retried.
    carol = sim._put(IDENTITIES, DEFAULT_REALM_ID, {"display_name": "Carol", "status": "active",
                                                    "traits": {"type": "traits_v0", "username": "carol"}})
    for _index in range(201):  # more than one page of 200
        sim._put(BINDING_JOBS, DEFAULT_REALM_ID, {"identity_id": carol["id"], "delivery_method": "RETURN",
                                                  "state": "COMPLETE", "authenticator_config_id": hosted_web(sim)["id"]})
    sim.inject("lost_reply", method="POST", path="/credential-binding-jobs$")
    sim.inject("5xx", status=503, method="POST", path="/credential-binding-jobs$")
    run = run_playbook(play(sim, [
        task("alice", realm="Default", identity="alice", delivery_method="EMAIL"),
        dict(task("bob", realm="Default", identity="bob", delivery_method="RETURN"), register="bob_job"),
        task("all", module=INFO, realm="Default"),
        task("of alice", module=INFO, realm="Default", identity="alice"),
        task("by id", module=INFO, realm="Default", id="{{ bob_job.id }}"),
        task("by id and identity", module=INFO, realm="Default", identity="bob", id="{{ bob_job.id }}"),
        task("sent", module=INFO, realm="Default", state="LINK_SENT"),
        task("complete", module=INFO, realm="Default", identity="carol", state="COMPLETE"),
    ]), expect_rc=0)
    bob_job = run.task("bob").result["credential_binding_job"]
    assert run.task("alice").changed and run.task("alice").result["id"] == jobs(sim, "alice")[0]["id"]
    assert len(jobs(sim, "alice")) == 1 and len(run.writes(sim, "alice")) == 1
    assert [e["status"] for e in run.writes(sim, "bob")] == [503, 200]
    assert run.task("bob").result["credential_binding_link"]
    assert len(run.task("all").result["credential_binding_jobs"]) == 203
    assert len(run.task("complete").result["credential_binding_jobs"]) == 201
    assert [j["delivery_method"] for j in run.task("of alice").result["credential_binding_jobs"]] == ["EMAIL"]
    assert run.task("by id").result["credential_binding_jobs"] == [bob_job]
    assert run.task("by id and identity").result["credential_binding_jobs"] == [bob_job]
    assert [j["identity_id"] for j in run.task("sent").result["credential_binding_jobs"]] == [
        identity(sim, "alice")["id"]]
    assert "credential_binding_link" not in json.dumps(run.task("all").result)
