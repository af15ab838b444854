"""Joiners and leavers the way a user runs them: playbooks/onboard_people.yml, then playbooks/offboard_people.yml
with usernames (or email addresses), against the Beyond Identity and FINBOURNE simulators, the state read back.

A leaver loses every grant the people role manages on both vendors in one run whatever key is given; a leaver a
vendor does not have is named per vendor (or stops the run before any write); a joiner run that failed is finished
by the corrected re-run, decided from the vendors' state; FINBOURNE's creation email is the only activation email.
"""

import json
import subprocess

import yaml

from tests.conftest import ANSIBLE_BIN, REPO, PlaybookRun, ansible_env, leaked_secrets, sim_secrets
from tests.integration.plays import connection

ROLE = "identity.cloud.people : "
NOT_FOUND = ROLE + "Leavers not found on a vendor (nothing to take away there)"
PEOPLE = [{"username": name, "first_name": first, "last_name": last, "email": "%s@example.com" % name,
           "beyond_identity": {"groups": ["Trading"]}, "finbourne": {"roles": ["Trading Desk"]}}
          for name, first, last in (("jane.doe", "Jane", "Doe"), ("john.roe", "John", "Roe"),
                                    ("kim.lee", "Kim", "Lee"))]


def inventory(tmp_path, bi, fbn, people):
    """An inventory like inventories/example: one host in the identity_cloud group with the vendors' settings."""
    host = {"ansible_connection": "local", "ansible_python_interpreter": str(ANSIBLE_BIN / "python"),
            "identity_cloud_finbourne": connection(fbn), "identity_cloud_beyond_identity": connection(bi),
            "identity_cloud_sailpoint": {}, "identity_cloud_people": people}
    path = tmp_path / "inventory.yml"
    path.write_text(yaml.safe_dump({"identity_cloud": {"hosts": {"identity-test": host}}}))
    return path


def playbook(tmp_path, sims, name, *extra, expect_rc=0):
    """ansible-playbook playbooks/<name> -i <inventory> <extra>, its tasks recorded; no secret may print."""
    record = tmp_path / ("record-%s-%d.jsonl" % (name, len(list(tmp_path.glob("record-*")))))
    env = ansible_env(tmp_path)
    env["IDENTITY_CLOUD_RECORD"] = str(record)
    cmd = [str(ANSIBLE_BIN / "ansible-playbook"), str(REPO / "playbooks" / name), "-i", str(tmp_path / "inventory.yml")]
    proc = subprocess.run(cmd + list(extra), cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=900,
                          check=False)
    secrets = {}
    for sim in sims:
        secrets.update(sim_secrets(sim))
    assert not leaked_secrets(proc.stdout + proc.stderr, secrets), name
    assert proc.returncode == expect_rc, proc.stdout[-6000:] + proc.stderr[-3000:]
    records = [json.loads(line) for line in record.read_text().splitlines() if line.strip()] if record.exists() else []
    return PlaybookRun(proc, records)


def offboard(tmp_path, sims, keys, *extra, **kwargs):
    return playbook(tmp_path, sims, "offboard_people.yml", "-e", json.dumps({"offboard_usernames": keys}), *extra,
                    **kwargs)


def setup_tenant(run_playbook, bi, fbn, with_people=True):
    """The group and role the people get (what playbooks/tenants.yml would converge)."""
    defaults = {"group/identity.cloud.beyond_identity": connection(bi), "group/identity.cloud.finbourne": connection(fbn)}
    run_playbook([{"hosts": "localhost", "gather_facts": False, "module_defaults": defaults, "tasks": [
        {"identity.cloud.beyond_identity_group": {"realm": "Default", "display_name": "Trading"}},
        {"identity.cloud.finbourne_role": {"name": "Trading Desk"}}]}], expect_rc=0)


def read_back(run_playbook, bi, fbn):
    """The vendors' state through their APIs (the info modules): identities with groups, credentials, users with roles."""
    defaults = {"group/identity.cloud.beyond_identity": connection(bi), "group/identity.cloud.finbourne": connection(fbn)}
    run = run_playbook([{"hosts": "localhost", "gather_facts": False, "module_defaults": defaults, "tasks": [
        {"name": "identities", "identity.cloud.beyond_identity_identity_info": {"realm": "Default", "include_groups": True}},
        {"name": "credentials", "identity.cloud.beyond_identity_credential_info": {"realm": "Default"}},
        {"name": "users", "identity.cloud.finbourne_user_info": {"include_roles": True, "include_deactivated": True}}]}],
        expect_rc=0)
    identities = dict((i["traits"]["username"], i) for i in run.task("identities").result["identities"])
    for ident in identities.values():
        ident["credentials"] = [c["state"] for c in run.task("credentials").result["credentials"]
                                if c["identity_id"] == ident["id"]]
    return identities, dict((u["login"], u) for u in run.task("users").result["users"])


def identity(bi, username):
    return next((i for i in bi.store["identities"].values() if i["traits"]["username"] == username), None)


def groups_of(bi, ident):
    return sorted(bi.store["groups"][g]["display_name"] for g, members in bi.store["memberships"].items()
                  if ident["id"] in members)


def active_credentials(bi, ident):
    return [c for c in bi.store["credentials"].values() if c["identity_id"] == ident["id"] and c["state"] == "ACTIVE"]


def fbn_roles(fbn, login):
    return sorted(r["name"] for r in fbn.roles_of(fbn.user_by_login(login)["id"]))


def writes(*sims):
    return [e for sim in sims for e in sim.log if e["write"]]


def test_leavers_by_username_lose_every_access(beyond_identity_sim, finbourne_sim, run_playbook, tmp_path):
    bi, fbn = beyond_identity_sim, finbourne_sim
    sims = (bi, fbn)
    setup_tenant(run_playbook, bi, fbn)
    inventory(tmp_path, bi, fbn, PEOPLE)
    playbook(tmp_path, sims, "onboard_people.yml")
    for person in PEOPLE:
        ident = identity(bi, person["username"])
        bi.add_credential(ident["realm_id"], ident["id"])  # each joiner enrolled a passkey
        assert groups_of(bi, ident) == ["Trading"] and fbn_roles(fbn, person["email"]) == ["Trading Desk"]

    # the default leaver: suspended, by username for one and by email address (the FINBOURNE login) for another;
    # check mode first: what would change on both vendors, nothing written
    before = len(writes(bi, fbn))
    check = offboard(tmp_path, sims, ["jane.doe", "john.roe@example.com"], "--check")
    assert len(writes(bi, fbn)) == before
    assert check.task(ROLE + "Beyond Identity identities and their groups, in one task").changed
    assert check.task(ROLE + "Revoke the credentials of suspended people, in one task").changed
    assert [r["item"] for r in check.task(ROLE + "FINBOURNE users and their roles, in one task").result["results"]
            if r["changed"]] == ["jane.doe@example.com", "john.roe@example.com"]
    run = offboard(tmp_path, sims, ["jane.doe", "john.roe@example.com"])
    assert run.task(NOT_FOUND)["status"] == "skipped"
    for username in ("jane.doe", "john.roe"):
        ident = identity(bi, username)
        assert ident["status"] == "suspended" and active_credentials(bi, ident) == []
        assert groups_of(bi, ident) == ["Trading"], "groups are kept unless asked"
        user = fbn.user_by_login(username + "@example.com")
        assert fbn_roles(fbn, user["login"]) == [] and user["status"] != "DEPROVISIONED"
    kim = identity(bi, "kim.lee")
    assert kim["status"] == "active" and active_credentials(bi, kim) and fbn_roles(fbn, "kim.lee@example.com")
    identities, users = read_back(run_playbook, bi, fbn)  # the same, through the vendors' APIs
    for username in ("jane.doe", "john.roe"):
        assert identities[username]["status"] == "suspended" and identities[username]["credentials"] == ["REVOKED"]
        assert [g["display_name"] for g in identities[username]["groups"]] == ["Trading"]
        assert users[username + "@example.com"]["roles"] == [] and users[username + "@example.com"]["status"] != "DEPROVISIONED"
    assert identities["kim.lee"]["credentials"] == ["ACTIVE"]
    assert [r["name"] for r in users["kim.lee@example.com"]["roles"]] == ["Trading Desk"]
    again = offboard(tmp_path, sims, ["jane.doe", "john.roe@example.com"])
    assert not [t["name"] for t in again.tasks if t.changed]

    # leaving beyond roles, when asked: the FINBOURNE user deactivated, the identity out of its groups
    offboard(tmp_path, sims, ["jane.doe"], "-e", "people_finbourne_suspend_deactivate=true",
             "-e", "people_beyond_identity_suspend_remove_groups=true")
    assert fbn.user_by_login("jane.doe@example.com")["status"] == "DEPROVISIONED"
    assert groups_of(bi, identity(bi, "jane.doe")) == [] and identity(bi, "jane.doe")["status"] == "suspended"
    assert groups_of(bi, identity(bi, "john.roe")) == ["Trading"]

    # absent, by username: the identity deleted, the FINBOURNE user deactivated
    offboard(tmp_path, sims, ["kim.lee"], "-e", "offboard_state=absent")
    assert identity(bi, "kim.lee") is None
    assert fbn.user_by_login("kim.lee@example.com")["status"] == "DEPROVISIONED"
    identities, users = read_back(run_playbook, bi, fbn)
    assert "kim.lee" not in identities and users["kim.lee@example.com"]["status"] == "DEPROVISIONED"
    assert identities["jane.doe"]["groups"] == [] and users["jane.doe@example.com"]["status"] == "DEPROVISIONED"
    last = offboard(tmp_path, sims, ["kim.lee", "jane.doe"], "-e", "offboard_state=absent")
    assert identity(bi, "jane.doe") is None
    # kim.lee's identity (whose email led to the FINBOURNE login) is gone, so neither vendor can be searched by it
    assert last.task(NOT_FOUND).result["msg"] == {"beyond_identity": ["kim.lee"], "finbourne": ["kim.lee"]}


def test_a_leaver_a_vendor_does_not_have_is_named(beyond_identity_sim, finbourne_sim, tmp_path):
    bi, fbn = beyond_identity_sim, finbourne_sim
    inventory(tmp_path, bi, fbn, [])
    strict = offboard(tmp_path, (bi, fbn), ["alice", "nobody"], "-e", "people_leaver_not_found=fail", expect_rc=2)
    assert strict.task(NOT_FOUND).failed and not writes(bi, fbn)
    assert strict.task(NOT_FOUND).result["msg"] == {"beyond_identity": ["nobody"], "finbourne": ["alice", "nobody"]}
    assert identity(bi, "alice")["status"] == "active"

    run = offboard(tmp_path, (bi, fbn), ["alice", "nobody"])
    assert run.task(NOT_FOUND).result["msg"] == {"beyond_identity": ["nobody"], "finbourne": ["alice", "nobody"]}
    assert identity(bi, "alice")["status"] == "suspended" and not active_credentials(bi, identity(bi, "alice"))
    assert identity(bi, "nobody") is None, "a leaver is never created"
