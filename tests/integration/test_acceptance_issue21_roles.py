"""Acceptance of the roles from the user's side (issue 21): what the role READMEs' examples do."""

from tests.integration.plays import connection

BI_ROLE = "identity.cloud.beyond_identity_tenant : "


def test_check_mode_of_an_application_of_a_resource_server_the_run_would_create(beyond_identity_sim, run_playbook):
    """The beyond_identity_tenant README example in check mode: the application names the resource server an
    earlier task would create, and the dry run goes on (it failed with 'no resource server ... Pet API')."""
    sim = beyond_identity_sim
    tenant = {"role": "identity.cloud.beyond_identity_tenant",
              "beyond_identity_tenant_resource_servers": [
                  {"display_name": "Pet API", "identifier": "https://api.example.com/pets",
                   "scopes": ["pets:read", "pets:write"]}],
              "beyond_identity_tenant_applications": [
                  {"display_name": "Reporting job", "resource_server": "Pet API",
                   "protocol_config": {"type": "oauth2", "confidentiality": "confidential",
                                       "grant_type": ["client_credentials"], "allowed_scopes": ["pets:read"]}}]}
    play = [{"hosts": "localhost", "gather_facts": False,
             "module_defaults": {"group/identity.cloud.beyond_identity": connection(sim)}, "roles": [tenant]}]
    check = run_playbook(play, check=True, expect_rc=0)
    assert not [e for e in sim.log if e["write"]], "check mode wrote"
    drift = check.task(BI_ROLE + "Summarise the changes").result["ansible_facts"]["beyond_identity_tenant_drift"]
    assert drift["beyond_identity"]["resource_server"]["created"] == ["Pet API"]
    assert drift["beyond_identity"]["application"]["created"] == ["Pet API: Reporting job"]

    run_playbook(play, expect_rc=0)
    again = run_playbook(play, check=True, expect_rc=0)
    assert again.task(BI_ROLE + "Summarise the changes").result["ansible_facts"]["beyond_identity_tenant_drift"] == {}
