"""The bulk forms (``identities``) of beyond_identity_credential and beyond_identity_credential_binding_job."""

from tests.simulators.beyond_identity import DEFAULT_REALM_ID
from tests.integration.plays import inject, play, task

CREDENTIAL = "identity.cloud.beyond_identity_credential"
JOB = "identity.cloud.beyond_identity_credential_binding_job"


def owner(sim, username):
    return next(i for i in sim.store["identities"].values() if i["traits"]["username"] == username)["id"]


def states(sim, username):
    return sorted(c["state"] for c in sim.store["credentials"].values() if c["identity_id"] == owner(sim, username))


def jobs(sim, username):
    return [j for j in sim.store["credential-binding-jobs"].values() if j["identity_id"] == owner(sim, username)]


def test_revoke_many(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    sim.add_credential(DEFAULT_REALM_ID, owner(sim, "alice"))
    run = run_playbook(play(sim, [
        task("check", CREDENTIAL, check=True, realm="Default", identities=["alice", "BOB"]),
        task("revoke", CREDENTIAL, realm="Default", identities=["alice", "BOB"], concurrency=4),
        task("again", CREDENTIAL, realm="Default", identities=["alice", "bob"]),
        task("unknown", CREDENTIAL, errors=True, realm="Default", identities=["alice", "mallory"]),
        task("mixed", CREDENTIAL, errors=True, realm="Default", identities=["alice"], identity="bob"),
    ]), diff=True, expect_rc=0)
    check = run.task("check")
    assert check.changed and run.writes(sim, "check") == [] and len(check.result["revoked"]) == 3
    revoke = run.task("revoke")
    assert revoke.changed and len(run.writes(sim, "revoke")) == 3
    assert [(r["item"], r["changed"], len(r["revoked"])) for r in revoke.result["results"]] == [
        ("alice", True, 2), ("BOB", True, 1)]
    assert revoke.result["diff"]["before"] == {"alice": {"active_credentials": 2}, "bob": {"active_credentials": 1}}
    assert states(sim, "alice") == ["REVOKED", "REVOKED"] and states(sim, "bob") == ["REVOKED"]
    again = run.task("again")
    assert not again.changed and run.writes(sim, "again") == []
    assert run.task("unknown").failed and "identities: no identity with id or username 'mallory'" in run.task(
        "unknown").result["msg"]
    assert run.writes(sim, "unknown") == []
    assert "mutually exclusive" in run.task("mixed").result["msg"]


def test_binding_jobs_for_many(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    email = {"realm": "Default", "delivery_method": "EMAIL"}
    run = run_playbook(play(sim, [
        task("check", JOB, check=True, identities=["alice", "bob"], **email),
        task("one first", JOB, identity="alice", **email),
        task("start", JOB, identities=["alice", "bob"], **email),
        task("again", JOB, identities=["alice", "bob"], **email),
        inject(sim, "lost_reply", method="POST", path="/credential-binding-jobs", count=1),
        task("force with a lost answer", JOB, identities=["bob"], force=True, **email),
        task("no identity", JOB, errors=True, delivery_method="EMAIL", realm="Default"),
    ]), expect_rc=0)
    check = run.task("check")
    assert check.changed and run.writes(sim, "check") == []
    assert [(r["item"], r["created"]) for r in check.result["results"]] == [("alice", True), ("bob", True)]
    start = run.task("start")
    assert [(r["item"], r["changed"], r["created"]) for r in start.result["results"]] == [
        ("alice", False, False), ("bob", True, True)]
    assert len(run.writes(sim, "start")) == 1
    again = run.task("again")
    assert not again.changed and run.writes(sim, "again") == []
    assert len(jobs(sim, "alice")) == 1
    assert len(jobs(sim, "bob")) == 2, "the lost answer did not start a third job"
    assert "one of the following is required: identity, identities" in run.task("no identity").result["msg"]
