"""beyond_identity_realm_info with include_parts: one task reads what the single-kind _info modules read, through
ansible-playbook against the simulator (seeded with the modules), with the requests the docs name."""

import math
import threading

from tests.integration.plays import play, task as plain_task
from tests.simulators.beyond_identity import now

INFO = "identity.cloud.beyond_identity_realm_info"
PARTS = ["theme", "resource_servers", "authenticator_configs", "applications", "groups", "group_members",
         "identity_providers", "roles", "sso_configs", "identities"]
REALM = "Parts"
USERS = ["user%02d" % n for n in range(1, 26)]
IDP = {"display_name": "Corp IdP", "idp_client_id": "bi-client", "idp_client_secret": "idp-secret-7731",
       "scopes": ["openid", "email"], "identity_attribute": "email", "identifying_claim_name": "email", "pkce": "s256",
       "authorization_endpoint": "https://idp.example/authorize", "token_endpoint": "https://idp.example/token",
       "jwks_endpoint": "https://idp.example/jwks"}


LATENCY = 0.25


def latency(sim, seconds):
    """A task that makes the simulator hold every request ``seconds`` before answering."""
    return {"name": "latency %s" % seconds, "ansible.builtin.uri": {
        "url": sim.url + "/__sim__/latency", "method": "POST", "body_format": "json", "body": {"seconds": seconds},
        "status_code": 204}}


def task(title, module, **options):
    return plain_task(title, "identity.cloud." + module, **options)


def seed():
    """A realm with objects of every part: 25 identities, three groups (one empty), two resource servers with
    roles (one with 22 identity members: two pages of role members), an application, an identity provider, an SSO
    configuration with assignments and a theme. The Default realm keeps its own objects."""
    inside = {"realm": REALM}
    return [
        task("realm", "beyond_identity_realm", display_name=REALM),
        task("people", "beyond_identity_identity", realm=REALM, identities=[
            {"username": u, "display_name": u.title(), "email": u + "@example.com"} for u in USERS]),
        task("engineering", "beyond_identity_group", display_name="Engineering", members=USERS[:3], **inside),
        task("help desk", "beyond_identity_group", display_name="Help Desk", members=USERS[3:4], **inside),
        task("empty group", "beyond_identity_group", display_name="Empty", **inside),
        task("pet api", "beyond_identity_resource_server", display_name="Pet API", identifier="https://pets.example",
             scopes=["pets:read", "pets:write"], **inside),
        task("toy api", "beyond_identity_resource_server", display_name="Toy API", identifier="https://toys.example",
             scopes=["toys:admin"], **inside),
        task("pet keepers", "beyond_identity_role", resource_server="Pet API", display_name="Pet keepers",
             members=USERS[:22] + ["group:Help Desk"], scopes=["pets:read", "pets:write"], **inside),
        task("pet readers", "beyond_identity_role", resource_server="Pet API", display_name="Pet readers",
             scopes=["pets:read"], **inside),
        task("toy admins", "beyond_identity_role", resource_server="Toy API", display_name="Toy admins",
             members=["group:Engineering"], scopes=["toys:admin"], **inside),
        dict(task("application", "beyond_identity_application", display_name="Pet Job", resource_server="Pet API",
                  protocol_config={"type": "oauth2", "confidentiality": "confidential",
                                   "grant_type": ["client_credentials"], "allowed_scopes": ["pets:read"]}, **inside),
             no_log=True),  # its result holds the client secret
        task("identity provider", "beyond_identity_identity_provider", **dict(IDP, **inside)),
        task("sso", "beyond_identity_sso_config", display_name="Wiki", type="bookmark",
             payload={"login_link": "https://wiki.example/login"}, identities=[USERS[4]], groups=["Engineering"],
             **inside),
        task("theme", "beyond_identity_theme", email_realm_name="Parts Inc", support_url="https://help.example",
             **inside),
    ]


def single_kind_reads():
    """The single-kind _info modules on the same realm, as realm_info's parts say they read."""
    inside = {"realm": REALM}
    return [
        task("theme_info", "beyond_identity_theme_info", **inside),
        task("resource_server_info", "beyond_identity_resource_server_info", **inside),
        task("authenticator_config_info", "beyond_identity_authenticator_config_info", **inside),
        task("application_info", "beyond_identity_application_info", **inside),
        task("group_info", "beyond_identity_group_info", include_members=True, **inside),
        task("group_info without members", "beyond_identity_group_info", **inside),
        task("identity_provider_info", "beyond_identity_identity_provider_info", **inside),
        dict(task("role_info", "beyond_identity_role_info", resource_server="{{ item }}", include_members=True,
                  include_scopes=True, **inside), loop=["Pet API", "Toy API"]),
        task("sso_config_info", "beyond_identity_sso_config_info", include_assignments=True, **inside),
        task("identity_info", "beyond_identity_identity_info", **inside),
    ]


def pages(count, size):
    return max(1, math.ceil(count / size))


def documented_requests(sim, realm_id):
    """{part: number of requests} that the module's docs give for the realm's objects in the simulator."""
    store = sim.store

    def mine(kind):
        return [o for o in store[kind].values() if o.get("realm_id") == realm_id]

    servers = mine("resource-servers")
    roles = [r for r in store["roles"].values() if r["resource_server_id"] in {s["id"] for s in servers}]
    role_reads = sum(pages(len([r for r in roles if r["resource_server_id"] == s["id"]]), 200) for s in servers)
    for role in roles:
        members = store["role-members"][role["id"]]
        role_reads += max(pages(len(members["identities"]), 20), pages(len(members["groups"]), 20))
        role_reads += pages(len(store["role-scopes"][role["id"]]), 200)
    groups = mine("groups")
    sso = mine("sso-configs")
    return {
        "realms": pages(len(store["realms"]), 200),
        "theme": 1,
        "resource_servers": pages(len(servers), 100),
        "authenticator_configs": pages(len(mine("authenticator-configs")), 100),
        "applications": pages(len(mine("applications")), 100),
        "groups": pages(len(groups), 200),
        "group_members": sum(pages(len(store["memberships"].get(g["id"], {})), 200) for g in groups),
        "identity_providers": pages(len(mine("identity-providers")), 100),
        "roles": role_reads,
        "sso_configs": pages(len(sso), 100) + sum(sso_pages(store, c["id"]) for c in sso),
        "identities": pages(len(mine("identities")), 200),
    }


def sso_pages(store, config_id):
    """The assignment listings of an SSO configuration: the identity associations list the direct ones and the
    members of the assigned groups."""
    assigned = store["sso-assignments"][config_id]
    rows = len(assigned["identities"]) + sum(len(store["memberships"].get(g, {})) for g in assigned["groups"])
    return pages(rows, 200) + pages(len(assigned["groups"]), 200)


def part_of(path, realm_id):
    """The part a request of realm_info belongs to (by its path)."""
    if path.endswith("/realms"):
        return "realms"
    assert "/realms/%s/" % realm_id in path, "a request outside the selected realm: %s" % path
    tail = path.split("/realms/%s/" % realm_id, 1)[1]
    kind = tail.split("/", 1)[0].split(":", 1)[0]
    if kind == "themes":
        return "theme"
    if kind == "groups":
        return "group_members" if tail.endswith(":listMembers") else "groups"
    if kind == "resource-servers":
        return "roles" if "/roles" in tail else "resource_servers"
    return kind.replace("-", "_")


def test_every_part_is_what_the_single_kind_module_returns(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    run = run_playbook(play(sim, seed() + [
        dict(task("everything", "beyond_identity_realm_info", display_name=REALM, include_parts=list(reversed(PARTS)),
                  concurrency=4), register="everything"),
        task("everything in check mode", "beyond_identity_realm_info", check=True, display_name=REALM,
             include_parts=PARTS, concurrency=1),
        task("groups only", "beyond_identity_realm_info", display_name=REALM, include_parts=["groups"]),
        task("no parts", "beyond_identity_realm_info"),
    ] + single_kind_reads() + [
        latency(sim, LATENCY),
        task("timed", "beyond_identity_realm_info", display_name=REALM, concurrency=2,
             include_parts=["groups", "group_members", "roles", "sso_configs"]),
        latency(sim, 0),
    ]), expect_rc=0)

    realm_id = next(r["id"] for r in sim.store["realms"].values() if r["display_name"] == REALM)
    (realm,) = run.task("everything").result["realms"]
    single = dict((name, run.task(name + "_info").result) for name in (
        "theme", "resource_server", "authenticator_config", "application", "group", "identity_provider",
        "sso_config", "identity"))
    assert realm["themes"] == single["theme"]["themes"] and realm["themes"][0]["email_realm_name"] == "Parts Inc"
    for key in ("resource_servers", "authenticator_configs", "applications", "groups", "identity_providers",
                "sso_configs", "identities"):
        assert realm[key] == single[key[:-1] if key != "identities" else "identity"][key], key
    assert [len(realm[key]) for key in ("resource_servers", "applications", "groups", "identity_providers",
                                        "sso_configs", "identities")] == [2, 1, 3, 1, 1, 25]
    members = dict((g["display_name"], sorted(m["traits"]["username"] for m in g["members"])) for g in realm["groups"])
    assert members == {"Engineering": USERS[:3], "Help Desk": USERS[3:4], "Empty": []}
    assert realm["sso_configs"][0]["identities"] == [USERS[4]] and realm["sso_configs"][0]["groups"] == ["Engineering"]
    assert "client_secret" not in realm["identity_providers"][0]["protocol_config"]

    servers = dict((s["id"], s["display_name"]) for s in realm["resource_servers"])
    by_server = [role for result in run.task("role_info").result["results"] for role in result["roles"]]
    assert [dict(r, resource_server_display_name=servers[r["resource_server_id"]]) for r in by_server] == realm["roles"]
    keepers = next(r for r in realm["roles"] if r["display_name"] == "Pet keepers")
    assert keepers["members"] == sorted(["identity:" + u for u in USERS[:22]] + ["group:Help Desk"])
    assert keepers["scopes"] == ["pets:read", "pets:write"] and keepers["resource_server_display_name"] == "Pet API"

    assert run.task("everything in check mode").result["realms"] == [realm]
    plain = run.task("no parts").result["realms"]
    assert [r["display_name"] for r in plain] == ["Beyond Identity Admin", "Default", REALM]
    assert run.task("groups only").result["realms"] == [
        dict(plain[2], groups=run.task("group_info without members").result["groups"])]

    # the requests: as many as documented, only the selected realm's, one part after the other in the documented
    # order (the order given in include_parts, here reversed, does not matter), no writes
    sent = run.requests(sim, "everything")
    assert [e for e in sent if e["write"]] == []
    kinds = [part_of(e["path"], realm_id) for e in sent if not e["auth"]]
    expected = documented_requests(sim, realm_id)
    assert dict((part, kinds.count(part)) for part in expected) == expected and len(kinds) == sum(expected.values())
    order = ["realms"] + PARTS
    assert kinds == sorted(kinds, key=order.index)
    # two role listings, then per role its members and scopes (Pet keepers: two pages of members)
    assert expected["roles"] == 2 + (2 + 1) + (1 + 1) + (1 + 1) and expected["group_members"] == 3
    check_sent = [part_of(e["path"], realm_id) for e in run.requests(sim, "everything in check mode") if not e["auth"]]
    assert check_sent == sorted(check_sent, key=order.index) and len(check_sent) == len(kinds)

    # how many at a time, with every request held LATENCY seconds by the simulator: a listing runs alone; the
    # members of the three groups and the members and scopes of the three roles run two objects at a time
    timed = [e for e in run.requests(sim, "timed") if not e["auth"]]
    # the simulator logs a request once it has held it: it was in flight at least over [time - LATENCY, time)
    in_flight = [sum(1 for o in timed if o["time"] - LATENCY <= e["time"] - LATENCY < o["time"]) for e in timed]
    per_object = [any(v in e["path"] for v in (":listMembers", ":listScopes", "Associations")) for e in timed]
    # realms, groups, resource servers, the roles of each, SSO configs: the listings
    assert [n for n, many in zip(in_flight, per_object) if not many] == [1] * 6
    # the one SSO configuration's identities, then groups
    assert [n for n, e in zip(in_flight, timed) if "Associations" in e["path"]] == [1, 1]
    groups_at_once = [n for n, e in zip(in_flight, timed) if part_of(e["path"], realm_id) == "group_members"]
    roles_at_once = [n for n, e, many in zip(in_flight, timed, per_object) if many and "/roles/" in e["path"]]
    assert len(groups_at_once) == 3 and max(groups_at_once) <= 2 and len(roles_at_once) == 7 and max(roles_at_once) <= 2
    if not sim.random_faults:  # a faulted request is retried later, out of step with the others
        assert max(groups_at_once) == 2 and max(roles_at_once) == 2


def test_bad_parts_fail_before_any_request(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    run = run_playbook(play(sim, [
        task("unknown part", "beyond_identity_realm_info", errors=True, include_parts=["groups", "users"]),
        task("members alone", "beyond_identity_realm_info", errors=True, include_parts=["group_members"]),
        task("members alone in check mode", "beyond_identity_realm_info", errors=True, check=True,
             include_parts=["identities", "group_members"]),
        task("concurrency out of range", "beyond_identity_realm_info", errors=True, include_parts=["groups"],
             concurrency=33),
    ]))
    unknown = run.task("unknown part").result["msg"]
    assert "include_parts" in unknown and "users" in unknown and "\n" not in unknown
    for name in ("members alone", "members alone in check mode"):
        failed = run.task(name)
        assert failed.failed and failed.result["msg"] == (
            "include_parts: group_members needs groups too (it adds members to each group of the groups part)")
    assert run.task("concurrency out of range").result["msg"].startswith("concurrency must be")
    for name in ("unknown part", "members alone", "members alone in check mode", "concurrency out of range"):
        assert run.requests(sim, name) == [], name


def test_realm_gone_before_its_parts_are_read(beyond_identity_sim, run_playbook):
    """The realm is deleted while its first part's request is on its way: the error the single-kind modules give
    for that realm."""
    sim = beyond_identity_sim
    realm_id = "feedfacecafe0042"
    with sim.lock:
        sim._add_realm(realm_id, "Gone", now())
    sim.inject("slow", path="/realms/%s/themes/active$" % realm_id, delay=1.5)
    stop = threading.Event()

    def delete_when_asked():
        while not stop.is_set():
            if any(e["path"].endswith("/realms/%s/themes/active" % realm_id) for e in list(sim.log)):
                with sim.lock:
                    del sim.store["realms"][realm_id]
                return
            stop.wait(0.02)

    deleter = threading.Thread(target=delete_when_asked)
    deleter.start()
    try:
        run = run_playbook(play(sim, [
            task("parts", "beyond_identity_realm_info", errors=True, display_name="Gone", include_parts=["theme", "groups"]),
            task("single kind", "beyond_identity_theme_info", errors=True, realm=realm_id),
            task("single kind groups", "beyond_identity_group_info", errors=True, realm=realm_id),
        ]))
    finally:
        stop.set()
        deleter.join()
    parts = run.task("parts")
    assert parts.failed and parts.result["msg"].startswith("realm '%s' not found" % realm_id)
    assert parts.result["msg"] == run.task("single kind").result["msg"] == run.task("single kind groups").result["msg"]
    assert not any("/groups" in e["path"] for e in run.requests(sim, "parts"))
