"""beyond_identity_credential(+_info) through ansible-playbook against the simulator."""

from tests.simulators.beyond_identity import DEFAULT_REALM_ID
from tests.integration.plays import play, task as plain_task

MODULE = "identity.cloud.beyond_identity_credential"
INFO = "identity.cloud.beyond_identity_credential_info"


def task(title, module=MODULE, **options):
    return plain_task(title, module, **options)


def identity(sim, username):
    return next(i for i in sim.store["identities"].values() if i["traits"]["username"] == username)


def credentials(sim, username):
    owner = identity(sim, username)["id"]
    return sorted((c for c in sim.store["credentials"].values() if c["identity_id"] == owner), key=lambda c: c["id"])


def test_revoke_one_then_all(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    alice = identity(sim, "alice")
    second = sim.add_credential(DEFAULT_REALM_ID, alice["id"])
    first = next(c for c in credentials(sim, "alice") if c["id"] != second["id"])
    run = run_playbook(play(sim, [
        task("check revoke", check=True, realm="Default", identity="alice", id=first["id"]),
        task("revoke", realm="Default", identity="ALICE", id=first["id"]),
        task("revoke again", realm="Default", identity=alice["id"], id=first["id"], state="revoked"),
        task("revoke by id alone", realm=DEFAULT_REALM_ID, id=first["id"]),
        task("check revoke all", check=True, realm="Default", identity="alice", all_credentials=True),
        task("revoke all", realm="Default", identity="alice", all_credentials=True),
        task("revoke all again", realm="Default", identity="alice", all_credentials=True),
    ]), diff=True, expect_rc=0)

    check = run.task("check revoke")
    assert check.changed and run.writes(sim, "check revoke") == []
    assert check.result["credential"]["state"] == "REVOKED" and check.result["revoked"] == [first["id"]]

    revoke = run.task("revoke")
    assert revoke.changed and revoke.result["credential"]["state"] == "REVOKED"
    assert revoke.result["id"] == first["id"]
    assert [w["path"].rsplit("/", 1)[-1] for w in run.writes(sim, "revoke")] == [first["id"] + ":revoke"]
    assert revoke.result["diff"] == {"before": {first["id"]: "ACTIVE"}, "after": {first["id"]: "REVOKED"}}

    for name in ("revoke again", "revoke by id alone"):
        assert not run.task(name).changed and run.writes(sim, name) == [] and run.task(name).result["revoked"] == []

    check_all = run.task("check revoke all")
    assert check_all.changed and run.writes(sim, "check revoke all") == []
    assert check_all.result["revoked"] == [second["id"]]

    revoke_all = run.task("revoke all")
    assert revoke_all.changed and revoke_all.result["revoked"] == [second["id"]]
    assert len(run.writes(sim, "revoke all")) == 1
    assert sorted(c["state"] for c in revoke_all.result["credentials"]) == ["REVOKED", "REVOKED"]
    again = run.task("revoke all again")
    assert not again.changed and run.writes(sim, "revoke all again") == []

    assert [c["state"] for c in credentials(sim, "alice")] == ["REVOKED", "REVOKED"]
    assert [c["state"] for c in credentials(sim, "bob")] == ["ACTIVE"], "other identities are untouched"


def test_bad_input(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    bob_credential = credentials(sim, "bob")[0]
    run = run_playbook(play(sim, [
        task("unknown identity", errors=True, realm="Default", identity="mallory", all_credentials=True),
        task("credential of someone else", errors=True, realm="Default", identity="alice", id=bob_credential["id"]),
        task("unknown credential", errors=True, realm="Default", id="nope"),
        task("nothing to revoke", errors=True, realm="Default", identity="alice"),
        task("all without identity", errors=True, realm="Default", all_credentials=True),
        task("bad state", errors=True, realm="Default", id=bob_credential["id"], state="absent"),
    ]))
    assert "identity: no identity with id or username 'mallory'" in run.task("unknown identity").result["msg"]
    assert "no credential %r of identity 'alice'" % bob_credential["id"] in run.task(
        "credential of someone else").result["msg"]
    assert "no credential 'nope' in realm 'Default'" in run.task("unknown credential").result["msg"]
    assert "one of id, all_credentials=true or identities is required" in run.task("nothing to revoke").result["msg"]
    assert "all_credentials is True but all of the following are missing: identity" in run.task(
        "all without identity").result["msg"]
    assert "value of state must be one of: revoked" in run.task("bad state").result["msg"]
    assert sim.writes() == []


def test_info(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    bob = identity(sim, "bob")
    for _index in range(205):  # more than one page of 200
        sim.add_credential(DEFAULT_REALM_ID, bob["id"], state="REVOKED")
    alice_credential = credentials(sim, "alice")[0]
    run = run_playbook(play(sim, [
        task("all", module=INFO, realm="Default"),
        task("bob", module=INFO, realm="Default", identity="bob"),
        task("bob active", module=INFO, realm="Default", identity="bob", state="ACTIVE"),
        task("by id", module=INFO, realm="Default", id=alice_credential["id"]),
        task("by id and identity", module=INFO, realm="Default", identity="alice", id=alice_credential["id"]),
    ]), expect_rc=0)
    assert len(run.task("all").result["credentials"]) == 207
    assert len(run.task("bob").result["credentials"]) == 206
    assert [c["state"] for c in run.task("bob active").result["credentials"]] == ["ACTIVE"]
    assert run.task("by id").result["credentials"] == [alice_credential]
    assert run.task("by id and identity").result["credentials"] == [alice_credential]
