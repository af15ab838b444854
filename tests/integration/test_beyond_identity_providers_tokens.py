"""beyond_identity_identity_provider, beyond_identity_flow_type_config and beyond_identity_application_token
(and their _info modules) through ansible-playbook against the simulator."""

from tests.integration.plays import connection, module_options, play, run_module, task
from tests.simulators.beyond_identity import ADMIN_REALM_ID, IDENTITIES, MANAGEMENT_APP_ID

IDP = "identity.cloud.beyond_identity_identity_provider"
FLOWS = "identity.cloud.beyond_identity_flow_type_config"
TOKENS = "identity.cloud.beyond_identity_application_token"
SETTINGS = {"realm": "Default", "display_name": "Corp IdP", "idp_client_id": "bi-client",
            "idp_client_secret": "idp-secret-5521", "update_secrets": "on_create", "scopes": ["openid", "email"],
            "identity_attribute": "email", "identifying_claim_name": "email", "pkce": "s256",
            "authorization_endpoint": "https://idp.example/authorize",
            "token_endpoint": "https://idp.example/token", "jwks_endpoint": "https://idp.example/jwks"}


def changed(settings, **changes):
    """``settings`` with ``changes`` on top."""
    out = dict(settings)
    out.update(changes)
    return out


def providers(sim):
    return dict((p["display_name"], p["protocol_config"]) for p in sim.store["identity-providers"].values())


def test_identity_provider_five_steps_and_bad_input(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    run = run_playbook(play(sim, [
        dict(task("create", IDP, **SETTINGS), register="created"),
        task("again", IDP, **changed(SETTINGS, scopes=["email", "openid"])),
        task("check change", IDP, check=True, **changed(SETTINGS, pkce="disabled")),
        task("change", IDP, **changed(SETTINGS, pkce="disabled")),
        task("info", "identity.cloud.beyond_identity_identity_provider_info", realm="Default", id="{{ created.id }}"),
        task("missing setting", IDP, errors=True, realm="Default", display_name="Other", idp_client_id="x"),
        task("unknown pkce", IDP, errors=True, **changed(SETTINGS, pkce="sha1")),
        task("delete", IDP, realm="Default", display_name="Corp IdP", state="absent"),
        task("delete again", IDP, realm="Default", display_name="Corp IdP", state="absent"),
    ]), diff=True)
    assert run.task("create").changed and run.task("create").result["id"]
    assert not run.task("again").changed and run.writes(sim, "again") == []
    assert run.task("check change").changed and run.writes(sim, "check change") == []
    change = run.task("change")
    assert change.changed and change.result["diff"]["before"]["pkce"] == "s256"
    assert [w["method"] for w in run.writes(sim, "change")] == ["PATCH"]
    assert run.task("info").result["identity_providers"][0]["protocol_config"]["pkce"] == "disabled"
    assert run.task("missing setting").result["msg"] == "idp_client_secret is required to create an identity_provider"
    assert run.task("unknown pkce").result["msg"].startswith("value of pkce must be one of: disabled, plain, s256")
    assert run.task("delete").changed and not run.task("delete again").changed
    assert run.writes(sim, "delete again") == [] and providers(sim) == {}
    assert [e for e in sim.log if "/token" in e["path"] and "/applications/" in e["path"]] == []  # the API token only


def test_launch_mechanisms(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    wanted = {"web": {"copy": False, "layered_auth_qr_code": True}, "ios": {"scheme": False}}
    run = run_playbook(play(sim, [
        task("read", "identity.cloud.beyond_identity_flow_type_config_info", realm="Default"),
        task("check", FLOWS, check=True, realm="Default", launch_mechanisms=wanted),
        task("set", FLOWS, realm="Default", launch_mechanisms=wanted),
        task("again", FLOWS, realm="Default", launch_mechanisms=wanted),
        task("unknown flow", FLOWS, errors=True, realm="Default", launch_mechanisms={"web": {"telepathy": True}}),
        task("invalid on the platform", FLOWS, errors=True, realm="Default",
             launch_mechanisms={"web": {"safari_extension": True}}),
    ]), diff=True)
    assert run.task("read").result["launch_mechanisms"]["web"]["copy"] is True
    assert run.task("check").changed and run.writes(sim, "check") == []
    assert run.task("set").changed and [w["method"] for w in run.writes(sim, "set")] == ["PATCH"]
    assert not run.task("again").changed and run.writes(sim, "again") == []
    assert run.task("unknown flow").result["msg"].startswith("launch_mechanisms.web: unknown flow type 'telepathy'")
    assert "safari_extension is not valid on web" in run.task("invalid on the platform").result["msg"]
    web = next(iter(sim.store["flow-type-configs"].values()))["platform_config"]["web"]
    assert (web["copy"]["enabled"], web["layered_auth_qr_code"]["enabled"]) == (False, True)


def test_tokens_of_a_rotated_application_and_of_a_leaver(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    for _fetch in range(2):  # two tokens the Management API application issued to itself (client credentials)
        done = run_module("beyond_identity_realm_info",
                          dict(module_options(sim, client_credentials=True), token_cache=False))
        assert not done.get("failed"), done
    carol = sim._put(IDENTITIES, ADMIN_REALM_ID, {"display_name": "Carol", "status": "active", "traits": {
        "type": "traits_v0", "username": "carol", "primary_email_address": "carol@example.com"}})
    sim.store["app-tokens"][MANAGEMENT_APP_ID]["carol-token"] = {
        "id": "carol-token", "display_name": "carol", "scopes": [], "token_suffix": "abcd", "token_format":
        "self_contained", "issued_at": 1, "expires": 2, "token_type": "access", "principal_type": "identity",
        "principal_id": carol["id"]}
    realm = {"realm": "Beyond Identity Admin"}
    run = run_playbook(play(sim, [
        task("list", "identity.cloud.beyond_identity_application_token_info", **realm),
        task("leaver in check mode", TOKENS, check=True, identity="carol", **realm),
        task("leaver", TOKENS, identity="carol", **realm),
        task("leaver again", TOKENS, identity="carol", **realm),
        task("rotated application", TOKENS, application="Beyond Identity Management API",
             principal_application="Beyond Identity Management API", **realm),
        task("unknown identity", TOKENS, errors=True, identity="nobody", **realm),
    ], defaults=connection(sim)))
    listed = run.task("list").result["tokens"]
    assert len(listed) == 3 and {t["application_id"] for t in listed} == {MANAGEMENT_APP_ID}
    assert [t["id"] for t in listed if t["display_name"] == "carol"] == ["carol-token"]
    check = run.task("leaver in check mode")
    assert check.changed and [t["id"] for t in check.result["revoked"]] == ["carol-token"]
    assert run.writes(sim, "leaver in check mode") == []
    assert [w["method"] for w in run.writes(sim, "leaver")] == ["DELETE"]
    assert not run.task("leaver again").changed and run.writes(sim, "leaver again") == []
    assert len(run.task("rotated application").result["revoked"]) == 2
    assert run.task("unknown identity").result["msg"].startswith("identity: no identity with id or username 'nobody'")
    assert sim.store["app-tokens"][MANAGEMENT_APP_ID] == {}


def test_pending_binding_jobs_revoked(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    jobs = "identity.cloud.beyond_identity_credential_binding_job"
    run = run_playbook(play(sim, [
        task("enrol", jobs, realm="Default", identities=["alice", "bob"], delivery_method="EMAIL"),
        task("revoke in check mode", jobs, check=True, realm="Default", identity="alice", state="revoked"),
        task("revoke", jobs, realm="Default", identities=["alice", "bob"], state="revoked"),
        task("revoke again", jobs, realm="Default", identities=["alice", "bob"], state="revoked"),
        task("unknown identity", jobs, errors=True, realm="Default", identity="nobody", state="revoked"),
        task("present needs a delivery method", jobs, errors=True, realm="Default", identity="alice"),
    ]))
    check = run.task("revoke in check mode")
    assert check.changed and [j["identity"] for j in check.result["revoked"]] == ["alice"]
    assert run.writes(sim, "revoke in check mode") == []
    revoke = run.task("revoke")
    assert revoke.changed and sorted(j["identity"] for j in revoke.result["revoked"]) == ["alice", "bob"]
    assert sorted(w["path"].rsplit(":", 1)[-1] for w in run.writes(sim, "revoke")) == ["revoke", "revoke"]
    assert not run.task("revoke again").changed and run.writes(sim, "revoke again") == []
    assert run.task("unknown identity").result["msg"].startswith("identity: no identity with id or username 'nobody'")
    assert "state is present but all of the following are missing: delivery_method" in run.task(
        "present needs a delivery method").result["msg"]
    assert sorted(j["state"] for j in sim.store["credential-binding-jobs"].values()) == ["REVOKED", "REVOKED"]
