"""Beyond Identity API 1.7.0 in the existing modules: the ``region`` option, and the batch calls of the bulk forms
(``identities:batchDelete``, batch credential binding jobs), driven through ansible-playbook against the simulator."""

from tests.integration.plays import connection, inject, play, task
from tests.simulators.beyond_identity import DEFAULT_REALM_ID, GROUPS, IDENTITIES

IDENTITY = "identity.cloud.beyond_identity_identity"
JOB = "identity.cloud.beyond_identity_credential_binding_job"


def add_identity(sim, username, email=True):
    with sim.lock:
        traits = {"type": "traits_v0", "username": username}
        if email:
            traits["primary_email_address"] = username + "@example.com"
        return sim._put(IDENTITIES, DEFAULT_REALM_ID, {"display_name": username.title(), "status": "active",
                                                       "traits": traits})["id"]


def test_region_with_the_base_url_override_and_a_bad_region(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    defaults = dict(connection(sim), region="eu")  # the simulator's base URL wins over the EU servers
    run = run_playbook(play(sim, [
        task("realms", "identity.cloud.beyond_identity_realm_info"),
        task("bad region", "identity.cloud.beyond_identity_realm_info", errors=True, region="mars"),
    ], defaults=defaults))
    assert [r["display_name"] for r in run.task("realms").result["realms"]] == ["Beyond Identity Admin", "Default"]
    bad = run.task("bad region")
    assert bad.failed and "region" in bad.result["msg"] and "eu, us, us-gov" in bad.result["msg"]
    assert "\n" not in bad.result["msg"] and run.requests(sim, "bad region") == []


def test_bulk_delete_and_enrolment_use_the_batch_calls(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    leavers = ["leaver%d" % n for n in range(3)]
    ids = [add_identity(sim, name) for name in leavers]
    joiners = ["joiner%d" % n for n in range(4)]
    joiner_ids = [add_identity(sim, name) for name in joiners]
    with sim.lock:
        group = sim._put(GROUPS, DEFAULT_REALM_ID, {"display_name": "Leavers"})
        sim.store["memberships"][group["id"]] = {ids[0]: "now"}
    gone = [{"username": name, "state": "absent"} for name in leavers] + [{"username": "ghost", "state": "absent"}]
    run = run_playbook(play(sim, [
        dict(task("check leavers", IDENTITY, realm="Default", identities=gone), check_mode=True),
        task("leavers", IDENTITY, realm="Default", identities=gone),
        task("enrol two", JOB, realm="Default", identities=joiners[:2], delivery_method="EMAIL"),
        inject(sim, "lost_reply", method="POST", path="batch-credential-binding-jobs$"),
        task("enrol all", JOB, realm="Default", identities=joiners, delivery_method="EMAIL"),
        inject(sim, "5xx", status=500, method="POST", path="batch-credential-binding-jobs$"),
        task("enrol refused", JOB, realm="Default", identities=["alice"], delivery_method="EMAIL", force=True,
             errors=True),
    ]))
    check = run.task("check leavers")
    assert check.changed and run.writes(sim, "check leavers") == []

    leave = run.task("leavers")
    assert [r["changed"] for r in leave.result["results"]] == [True, True, True, False]
    writes = run.writes(sim, "leavers")
    assert [(w["method"], w["path"].rsplit("/", 1)[-1]) for w in writes] == [("POST", "identities:batchDelete")]
    assert sorted(writes[0]["body"]["ids"]) == sorted(ids)
    assert not any(i in sim.store["identities"] for i in ids) and sim.store["memberships"][group["id"]] == {}

    two = run.task("enrol two")
    writes = run.writes(sim, "enrol two")
    assert [w["path"].rsplit("/", 1)[-1] for w in writes] == ["batch-credential-binding-jobs"]
    jobs = dict((j["identity_id"], j["id"]) for j in sim.store["credential-binding-jobs"].values())
    expected = [(n, jobs[i]) for n, i in zip(joiners[:2], joiner_ids)]
    assert [(r["item"], r["id"]) for r in two.result["results"]] == expected
    # the batch's answer is lost: the two new jobs are found by listing, not sent twice; two pending ones stay
    every = run.task("enrol all")
    jobs = {}
    for job in sim.store["credential-binding-jobs"].values():
        jobs.setdefault(job["identity_id"], []).append(job["id"])
    assert all(len(jobs[i]) == 1 for i in joiner_ids), "a joiner got two enrolment emails"
    assert [(r["item"], r["changed"], r["id"]) for r in every.result["results"]] == [
        (n, n in joiners[2:], jobs[i][0]) for n, i in zip(joiners, joiner_ids)]

    refused = run.task("enrol refused")
    assert refused.failed and refused.result["failed_items"] == ["alice"]
    assert refused.result["results"][0]["failed"] and "500" in refused.result["results"][0]["msg"]
