"""beyond_identity_sso_config(+_info): settings, assignments and the test call through ansible-playbook."""

from tests.integration.plays import play, task as plain_task

MODULE = "identity.cloud.beyond_identity_sso_config"
INFO = "identity.cloud.beyond_identity_sso_config_info"
IDP = {"client_id": "bi-client", "identifying_claim_name": "email", "identity_attribute": "email",
       "authorization_endpoint": "https://idp.example/authorize",
       "token_endpoint": "https://idp.example/token", "jwks_endpoint": "https://idp.example/jwks"}


def task(title, module=MODULE, **options):
    return plain_task(title, module, **options)


def configs(sim):
    """{display name: (payload, assigned usernames, assigned group names)} from the simulator's store."""
    out = {}
    for config in sim.store["sso-configs"].values():
        assigned = sim.store["sso-assignments"][config["id"]]
        out[config["display_name"]] = (
            config["payload"], sorted(sim.store["identities"][i]["traits"]["username"] for i in assigned["identities"]),
            sorted(sim.store["groups"][g]["display_name"] for g in assigned["groups"]))
    return out


def test_five_step_cycle_assignments_test_and_info(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    base = {"realm": "Default", "display_name": "Wiki", "type": "bookmark",
            "payload": {"login_link": "https://wiki.example/login", "is_tile_visible": True},
            "identities": ["alice"], "groups": ["Engineering"]}
    change = {**base, "payload": {"login_link": "https://wiki.example/sso"}, "identities": ["bob"],
              "identities_mode": "add"}
    run = run_playbook(play(sim, [
        task("group", "identity.cloud.beyond_identity_group", realm="Default", display_name="Engineering",
             members=["bob"]),
        dict(task("create", **base), register="created"),
        task("again", **{**base, "identities": ["ALICE"]}),
        task("check change", check=True, **change),
        task("change and test", test=True, **change),
        task("unassign the group by id", realm="Default", id="{{ created.id }}", groups=["Engineering"],
             groups_mode="remove"),
        task("info", INFO, realm="Default", type="bookmark", include_assignments=True),
        task("delete", realm="Default", display_name="Wiki", state="absent"),
        task("delete again", realm="Default", display_name="Wiki", state="absent"),
    ]), diff=True, expect_rc=0)

    create = run.task("create")
    assert create.changed and create.result["sso_config"]["payload"]["type"] == "bookmark"
    assert create.result["memberships"] == {"identities": {"added": ["alice"], "removed": []},
                                            "groups": {"added": ["Engineering"], "removed": []}}
    assert not run.task("again").changed and run.writes(sim, "again") == []
    check = run.task("check change")
    assert check.changed and run.writes(sim, "check change") == []
    assert check.result["diff"]["after"]["payload"] == {"login_link": "https://wiki.example/sso"}
    change = run.task("change and test")
    assert change.changed and change.result["test_result"] == {"identity_providers": [], "oidc_applications": []}
    assert sorted((w["method"], w["path"].rsplit("/", 1)[-1]) for w in run.writes(sim, "change and test")) == [
        ("PATCH", change.result["id"]), ("POST", change.result["id"] + ":addIdentities"), ("POST", "test")]
    assert change.result["diff"]["before"]["identities"] == ["alice"]
    assert change.result["diff"]["after"]["identities"] == ["alice", "bob"]
    assert run.task("unassign the group by id").result["memberships"] == {
        "groups": {"added": [], "removed": ["Engineering"]}}
    info = run.task("info").result["sso_configs"]
    assert [(c["display_name"], c["identities"], c["groups"]) for c in info] == [("Wiki", ["alice", "bob"], [])]
    assert run.task("delete").changed and [w["method"] for w in run.writes(sim, "delete")] == ["DELETE"]
    assert not run.task("delete again").changed and run.writes(sim, "delete again") == []
    assert configs(sim) == {}


def test_idp_backed_config_secret_and_failing_test(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    base = {"realm": "Default", "display_name": "Corp login", "type": "generic_oidc_idp", "payload": IDP,
            "idp_client_secret": "sso-secret-7731", "update_secrets": "on_create"}
    run = run_playbook(play(sim, [
        task("create", **base),
        task("again", **base),
        task("break it and test", errors=True, test=True,
             **{**base, "payload": {"authorization_endpoint": "http://idp.example/authorize"}}),
    ]), diff=True)
    assert run.task("create").changed and not run.task("again").changed
    broken = run.task("break it and test")
    assert broken.failed and broken.result["msg"].startswith("test of SSO config 'Corp login' failed: Corp login (400")
    assert configs(sim)["Corp login"][0]["authorization_endpoint"] == "http://idp.example/authorize"


def test_bad_input_fails_before_any_write(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    run = run_playbook(play(sim, [
        task("unknown type", errors=True, realm="Default", display_name="X", type="kerberos", payload={}),
        task("missing setting", errors=True, realm="Default", display_name="X", type="generic_oidc",
             payload={"redirect_uris": ["https://x.example/cb"]}),
        task("secret in payload", errors=True, realm="Default", display_name="X", type="okta_idp",
             payload=dict(IDP, okta_domain="https://x.okta.com", client_secret="leak-4411")),
        task("unknown identity", errors=True, realm="Default", display_name="X", type="bookmark",
             payload={"login_link": "https://x.example"}, identities=["nobody"]),
        task("create", realm="Default", display_name="Y", type="bookmark", payload={"login_link": "https://y.example"}),
        task("change type", errors=True, realm="Default", display_name="Y", type="ws_fed"),
    ]), verbosity=4)
    msgs = dict((name, run.task(name).result["msg"]) for name in (
        "unknown type", "missing setting", "secret in payload", "unknown identity", "change type"))
    assert msgs["unknown type"].startswith("value of type must be one of: bookmark")
    assert msgs["missing setting"] == "payload: an SSO config of type generic_oidc needs scopes, confidentiality, pkce"
    assert msgs["secret in payload"].startswith("payload.client_secret: give it as the no_log option idp_client_secret")
    assert msgs["unknown identity"].startswith("identities: no identity with id or username 'nobody'")
    assert msgs["change type"].startswith("type: SSO config 'Y' is of type bookmark and cannot become ws_fed")
    assert [w["method"] for w in sim.writes() if "/sso-configs" in w["path"]] == ["POST"]
