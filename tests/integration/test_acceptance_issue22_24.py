"""Acceptance findings on issues 22 and 24, through ansible-playbook against the simulators."""

import json

from tests.integration.plays import play, task

SSO = "identity.cloud.beyond_identity_sso_config"
IDP = "identity.cloud.beyond_identity_identity_provider"
SSO_SECRET = "sso-idp-secret-4471"
IDP_SECRET = "idp-secret-8832"
SSO_SETTINGS = {"realm": "Default", "display_name": "Corp OIDC", "type": "generic_oidc_idp",
                "idp_client_secret": SSO_SECRET, "update_secrets": "on_create",
                "payload": {"client_id": "bi", "identifying_claim_name": "email", "identity_attribute": "email",
                            "authorization_endpoint": "https://idp.example/authorize",
                            "token_endpoint": "https://idp.example/token", "jwks_endpoint": "https://idp.example/jwks"}}
IDP_SETTINGS = {"realm": "Default", "display_name": "Corp IdP", "idp_client_id": "bi", "idp_client_secret": IDP_SECRET,
                "update_secrets": "on_create", "scopes": ["openid"], "identity_attribute": "email",
                "identifying_claim_name": "email", "pkce": "s256", "authorization_endpoint": "https://idp.example/a",
                "token_endpoint": "https://idp.example/t", "jwks_endpoint": "https://idp.example/j"}
BAD_URL_SETTINGS = dict(IDP_SETTINGS)
BAD_URL_SETTINGS.update(display_name="Other", jwks_endpoint="jwks.json")


def test_secrets_read_back_are_never_returned_and_endpoints_are_urls(beyond_identity_sim, run_playbook):
    """The 1.7.0 API reads an SSO configuration's and an identity provider's client secret back in clear: the
    modules (a run that does not send the secret) and their _info modules must not return it."""
    sim = beyond_identity_sim
    run = run_playbook(play(sim, [
        task("sso", SSO, **SSO_SETTINGS),
        task("sso without secret", SSO, realm="Default", display_name="Corp OIDC", payload={"pkce": "s256"}),
        task("sso info", "identity.cloud.beyond_identity_sso_config_info", realm="Default"),
        task("idp", IDP, **IDP_SETTINGS),
        task("idp without secret", IDP, realm="Default", display_name="Corp IdP", pkce="disabled"),
        task("idp info", "identity.cloud.beyond_identity_identity_provider_info", realm="Default"),
        task("idp bad url", IDP, errors=True, **BAD_URL_SETTINGS),
    ]), secrets=[SSO_SECRET, IDP_SECRET])
    stored = [c["payload"].get("client_secret") for c in sim.store["sso-configs"].values()]
    assert stored == [SSO_SECRET]  # sent and kept: the secret is there to read back
    for name in ("sso", "sso without secret", "sso info", "idp", "idp without secret", "idp info"):
        shown = json.dumps(run.task(name).result)
        assert SSO_SECRET not in shown and IDP_SECRET not in shown, name
    assert run.task("sso info").result["sso_configs"][0]["payload"]["pkce"] == "s256"
    bad = run.task("idp bad url")
    assert bad.failed and bad.result["msg"].startswith("jwks_endpoint must be an http:// or https:// URL")
    assert run.writes(sim, "idp bad url") == []


def test_an_empty_region_variable_is_unset(beyond_identity_sim, run_playbook):
    """A CI or AWX setting left blank is exported empty: BEYONDIDENTITY_REGION= counts as unset, as every other
    connection variable does, and the next name (BEYOND_IDENTITY_REGION) is read (api_base_url wins over it)."""
    sim = beyond_identity_sim
    run = run_playbook(play(sim, [task("read", "identity.cloud.beyond_identity_realm_info")]),
                       extra_env={"BEYONDIDENTITY_REGION": "", "BEYOND_IDENTITY_REGION": "us-gov"})
    read = run.task("read")
    assert not read.failed, read.result.get("msg")
    assert read.result["realms"] and read.result["invocation"]["module_args"]["region"] == "us-gov"


def test_check_mode_says_which_members_do_not_exist_yet(beyond_identity_sim, run_playbook):
    """In check mode a member that exists nowhere is counted as added (an earlier task may create it): the
    result says so, naming the option; the real run refuses it before any write."""
    sim = beyond_identity_sim
    role = dict(realm="Default", resource_server="Pets", display_name="Keepers", members=["ghost-user"])
    run = run_playbook(play(sim, [
        task("server", "identity.cloud.beyond_identity_resource_server", realm="Default", display_name="Pets",
             identifier="https://pets.example", scopes=["pets:read"]),
        task("dry run", "identity.cloud.beyond_identity_role", check=True, **role),
        task("real run", "identity.cloud.beyond_identity_role", errors=True, **role),
    ]))
    dry = run.task("dry run")
    assert dry.changed and "members: ghost-user name nothing that exists yet" in dry.result["msg"]
    assert run.writes(sim, "dry run") == []
    assert run.task("real run").result["msg"].startswith("members: no identity (id or username) or group")
    assert run.writes(sim, "real run") == []
