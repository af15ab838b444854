"""beyond_identity_tenant with the 1.7 objects: identity providers, roles with members and scopes, SSO configurations
with their assignments; created, left alone, changed in check mode and for real, each named in the summary."""

from tests.integration.test_role_tenant_summaries import BI_ROLE, bi_play, drift

IDP = {"display_name": "Corp IdP", "idp_client_id": "bi", "idp_client_secret": "role-idp-secret-9913",
       "scopes": ["openid"], "identity_attribute": "email", "identifying_claim_name": "email", "pkce": "s256",
       "authorization_endpoint": "https://idp.example/authorize", "token_endpoint": "https://idp.example/tok",
       "jwks_endpoint": "https://idp.example/jwks"}
TENANT = dict(
    beyond_identity_tenant_resource_servers=[{"display_name": "Pet API", "identifier": "https://pets.example",
                                              "scopes": ["pets:read", "pets:write"]}],
    beyond_identity_tenant_groups=[{"display_name": "Help Desk", "members": ["alice"]}],
    beyond_identity_tenant_identity_providers=[IDP],
    beyond_identity_tenant_roles=[{"resource_server": "Pet API", "display_name": "Pet keepers",
                                   "members": ["Help Desk", "bob"], "scopes": ["pets:read"]}],
    beyond_identity_tenant_sso_configs=[{"display_name": "Wiki", "type": "bookmark",
                                         "payload": {"login_link": "https://wiki.example"}, "groups": ["Help Desk"]}])


def test_tenant_as_code_with_roles_sso_configs_and_identity_providers(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    dry = run_playbook(bi_play(sim, **TENANT), check=True, expect_rc=0)
    assert sim.writes() == []
    summary = drift(dry, BI_ROLE, "beyond_identity_tenant_drift")["beyond_identity"]
    assert (summary["role"]["created"], summary["sso_config"]["created"]) == (["Pet API: Pet keepers"], ["Wiki"])

    made = run_playbook(bi_play(sim, **TENANT), expect_rc=0, verbosity=2)
    summary = drift(made, BI_ROLE, "beyond_identity_tenant_drift")["beyond_identity"]
    assert summary["identity_provider"]["created"] == ["Corp IdP"]
    assert summary["role"]["created"] == ["Pet API: Pet keepers"]
    assert summary["role"]["memberships"]["Pet API: Pet keepers"]["added"] == {
        "members": ["group:Help Desk", "identity:bob"], "scopes": ["pets:read"]}
    assert summary["sso_config"]["created"] == ["Wiki"]
    assert summary["sso_config"]["memberships"]["Wiki"]["added"] == {"groups": ["Help Desk"]}
    shown = "\n".join(made.task(BI_ROLE + "Show the changes").result["msg"])
    for line in ("| identity_provider Corp IdP | created | |", "| role Pet API: Pet keepers | created | |",
                 "| sso_config Wiki | created | |"):
        assert line in shown
    role = next(iter(sim.store["roles"].values()))
    assert sorted(sim.store["role-scopes"][role["id"]]) == ["pets:read"]
    wiki = next(iter(sim.store["sso-configs"].values()))
    assert [sim.store["groups"][g]["display_name"] for g in sim.store["sso-assignments"][wiki["id"]]["groups"]] == [
        "Help Desk"]

    count = len(sim.writes())
    again = run_playbook(bi_play(sim, **TENANT), expect_rc=0)
    assert len(sim.writes()) == count
    assert drift(again, BI_ROLE, "beyond_identity_tenant_drift") == {}

    changed = {**TENANT,
               "beyond_identity_tenant_roles": [{**TENANT["beyond_identity_tenant_roles"][0], "scopes": ["pets:write"],
                                                 "scopes_mode": "add"}],
               "beyond_identity_tenant_sso_configs": [{**TENANT["beyond_identity_tenant_sso_configs"][0],
                                                       "payload": {"login_link": "https://wiki.example/sso"}}]}
    check = run_playbook(bi_play(sim, **changed), check=True, expect_rc=0)
    assert len(sim.writes()) == count
    summary = drift(check, BI_ROLE, "beyond_identity_tenant_drift")["beyond_identity"]
    assert summary["role"]["memberships"] == {"Pet API: Pet keepers": {"added": {"scopes": ["pets:write"]},
                                                                       "removed": {}}}
    assert summary["sso_config"]["changed"] == {"Wiki": ["payload"]}
    run_playbook(bi_play(sim, **changed), expect_rc=0)
    assert sorted(sim.store["role-scopes"][role["id"]]) == ["pets:read", "pets:write"]
    assert sim.store["sso-configs"][wiki["id"]]["payload"]["login_link"] == "https://wiki.example/sso"
