"""beyond_identity_identity with ``identities:``: many items in one task, and the client-credentials path."""

import json

from tests.simulators.beyond_identity import DEFAULT_REALM_ID, GROUPS
from tests.integration.plays import play

GROUP_NAMES = ["Team %d" % n for n in range(5)]


def bulk_task(title, items, **args):
    args.setdefault("realm", "Default")
    return {"name": title, "identity.cloud.beyond_identity_identity": dict(args, identities=items)}


def members(sim):
    """{group display name: sorted usernames} from the simulator store."""
    out = {}
    for group in sim.store["groups"].values():
        ids = sim.store["memberships"].get(group["id"], {})
        out[group["display_name"]] = sorted(sim.store["identities"][i]["traits"]["username"] for i in ids)
    return out


def paths(entries):
    return [e["path"].rsplit("/", 1)[-1] for e in entries]


def test_300_identities_with_groups(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    with sim.lock:
        for name in GROUP_NAMES:
            sim._put(GROUPS, DEFAULT_REALM_ID, {"display_name": name})
    items = [{"username": "user%03d" % n, "display_name": "User %d" % n, "email": "user%03d@example.com" % n,
              "groups": [GROUP_NAMES[n % 5]]} for n in range(300)]
    lost = {"username": "lost", "display_name": "Lost", "groups": ["Nope"]}  # unknown group: known only by reading
    changed = [dict(item, groups=[GROUP_NAMES[(n + 1) % 5]], status="suspended") if n < 20 else item
               for n, item in enumerate(items)]
    run = run_playbook(play(sim, [
        dict(bulk_task("check onboard", items), check_mode=True),
        # input that breaks the document's rules fails the task before any item is written
        dict(bulk_task("bad username", items[:150] + [{"username": "bad<name>", "display_name": "Bad"}] + items[150:]),
             ignore_errors=True),
        dict(bulk_task("nameless", items[:2] + [{"username": "nameless"}]), ignore_errors=True),
        dict(bulk_task("line break", [{"username": "a\nb", "display_name": "A"}]), ignore_errors=True),
        dict(bulk_task("onboard", items[:150] + [lost] + items[150:], concurrency=16), ignore_errors=True),
        bulk_task("converged", items),
        dict(bulk_task("check move", changed), check_mode=True),
        dict(bulk_task("move", changed), diff=True),
        bulk_task("offboard", [{"username": "user%03d" % n} for n in range(10)] + [{"username": "ghost"}],
                  state="absent"),
    ]))

    check = run.task("check onboard")
    assert check.changed and run.writes(sim, "check onboard") == []
    assert all(r["changed"] and not r.get("failed") for r in check.result["results"])

    for title, msg in (("bad username", "identities[150].username must match ^[^{}["),
                       ("nameless", "identities[2].display_name is required to create"),
                       ("line break", "identities[0].username must not be empty or contain control characters")):
        refused = run.task(title)
        assert refused.failed and refused.result["msg"].startswith(msg), refused.result["msg"]
        assert "\n" not in refused.result["msg"] and run.writes(sim, title) == []

    onboard = run.task("onboard")
    assert onboard.failed and onboard.result["changed"]
    results = onboard.result["results"]
    assert [r["item"] for r in results] == [i["username"] for i in items[:150] + [lost] + items[150:]]
    failed = {r["item"]: r["msg"] for r in results if r.get("failed")}
    assert sorted(failed) == ["lost"] == sorted(onboard.result["failed_items"])
    assert "no group with id or display name 'Nope'" in failed["lost"]
    assert "1 of 301 items failed" in onboard.result["msg"]
    # the items are not echoed back as invocation.module_args: the results list them
    args = onboard.result["invocation"]["module_args"]
    assert args["identities"] == "301 items; results lists them in order"
    assert args["concurrency"] == 16 and args["realm"] == "Default"
    ok = [r for r in results if not r.get("failed")]
    assert len(ok) == 300 and all(r["changed"] for r in ok)
    # per item only the key, the id, changed and what changed (for the roles' summaries): the object is one
    # read away, not in the result
    assert all(sorted(r) == ["changed", "created", "id", "item", "memberships"] for r in ok)
    assert ok[0]["memberships"] == {"groups": {"added": [GROUP_NAMES[0]], "removed": []}}
    kept = [r for r in ok if r["item"] >= "user010"]  # the last task deletes user000 to user009
    assert [sim.store["identities"][r["id"]]["traits"]["username"] for r in kept] == [r["item"] for r in kept]
    # the rest were applied: every identity was created and added to its group, one call per group
    writes = run.writes(sim, "onboard")
    assert paths(writes).count("identities") == 300
    adds = [w for w in writes if w["path"].endswith(":addMembers")]
    assert len(adds) == 5 and len(writes) == 305
    username = dict((r["id"], r["item"]) for r in ok)
    assert sorted(sorted(username[i] for i in w["body"]["identity_ids"]) for w in adds) == [
        ["user%03d" % n for n in range(300) if n % 5 == g] for g in range(5)]
    reads = paths(run.requests(sim, "onboard"))
    assert sorted(r for r in reads if not r.endswith(":addMembers") and r != "identities") == ["groups", "realms"]
    assert reads.count("identities") == 300 + 1  # one listing page (2 identities existed) + the creates

    converged = run.task("converged")
    assert not converged.changed and run.writes(sim, "converged") == []
    # one read per page: realms, identities (302 = 2 pages of 200), groups, the members of each group
    reads = paths(run.requests(sim, "converged"))
    assert sorted(reads) == sorted(["realms", "identities", "identities", "groups"] +
                                   [g["id"] + ":listMembers" for g in sim.store["groups"].values()])

    assert run.task("check move").changed and run.writes(sim, "check move") == []
    move = run.task("move")
    assert move.changed
    moved = [r for r in move.result["results"] if r["changed"]]
    assert [r["item"] for r in moved] == ["user%03d" % n for n in range(20)]
    assert move.result["diff"]["before"]["user000"] == {
        "username": "user000", "display_name": "User 0", "email": "user000@example.com", "status": "active",
        "groups": ["Team 0"]}
    assert move.result["diff"]["after"]["user000"] == {
        "username": "user000", "display_name": "User 0", "email": "user000@example.com", "status": "suspended",
        "groups": ["Team 1"]}
    assert sorted(move.result["diff"]["before"]) == sorted(move.result["diff"]["after"]) == [
        "user%03d" % n for n in range(20)]
    assert not any("diff" in r for r in move.result["results"])  # shown once, in the task's diff
    writes = run.writes(sim, "move")
    assert sum(w["method"] == "PATCH" for w in writes) == 20
    member_calls = [w for w in writes if w["method"] == "POST"]
    assert len(member_calls) == 10  # per group: one add, one delete
    assert sim.store["identities"][moved[-1]["id"]]["status"] == "suspended"
    assert "user019" in members(sim)["Team 0"] and "user019" not in members(sim)["Team 4"]

    offboard = run.task("offboard")
    assert offboard.changed
    assert [r["changed"] for r in offboard.result["results"]] == [True] * 10 + [False]
    gone = {"user%03d" % n for n in range(10)}
    assert not any(i["traits"]["username"] in gone for i in sim.store["identities"].values())
    writes = run.writes(sim, "offboard")
    # one identities:batchDelete for the ten (API 1.7.0), which takes them out of their groups itself
    assert [(w["method"], w["path"].rsplit("/", 1)[-1]) for w in writes] == [("POST", "identities:batchDelete")]
    assert sorted(writes[0]["body"]["ids"]) == sorted(r["id"] for r in ok[:10])
    assert not any(i in ids for ids in sim.store["memberships"].values() for i in writes[0]["body"]["ids"])


def test_client_credentials_one_token_per_run(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    env = sim.client_credentials_env()
    run = run_playbook(play(sim, [
        bulk_task("bulk", [{"username": "dave", "display_name": "Dave"}, {"username": "erin", "display_name": "Erin"}]),
        {"name": "single", "identity.cloud.beyond_identity_identity": {
            "realm": "Default", "username": "dave", "status": "suspended"}},
        {"name": "info", "identity.cloud.beyond_identity_identity_info": {"realm": "Default", "username": "erin"}},
        {"name": "expire", "ansible.builtin.uri": {
            "url": sim.url + "/__sim__/faults", "method": "POST", "body_format": "json",
            "body": {"kind": "expire_token", "path": "/realms$"}, "status_code": 204}},
        {"name": "after expiry", "identity.cloud.beyond_identity_tenant_info": {}},
        {"name": "after refresh", "identity.cloud.beyond_identity_realm_info": {}},
    ], defaults={}), extra_env=env, expect_rc=0)
    assert run.task("bulk").changed and run.task("single").changed
    bulk_args = run.task("bulk").result["invocation"]["module_args"]
    assert bulk_args["identities"] == "2 items; results lists them in order"
    assert bulk_args["client_id"] == env["BEYONDIDENTITY_CLIENT_ID"]
    assert bulk_args["client_secret"] != env["BEYONDIDENTITY_CLIENT_SECRET"]  # masked like any no_log option
    assert env["BEYONDIDENTITY_CLIENT_SECRET"] not in json.dumps(run.task("bulk").result)
    assert [i["status"] for i in run.task("info").result["identities"]] == ["active"]
    tokens = [e for e in sim.log if e["auth"]]
    before_expiry = [e for e in tokens if e["time"] <= run.task("expire")["start"]]
    assert len(before_expiry) == 1 and before_expiry[0]["path"].endswith("/token")
    # the cached token is revoked under the next run's feet: one 401, one new token, then success
    assert len(tokens) == 2
    statuses = [e["status"] for e in run.requests(sim, "after refresh") if not e["auth"]]
    assert statuses[:2] == [401, 200]
