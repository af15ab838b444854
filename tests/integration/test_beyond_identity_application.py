"""beyond_identity_application(+_info) through ansible-playbook against the simulator."""

import json

from tests.simulators.beyond_identity import APPLICATIONS, DEFAULT_REALM_ID, MANAGEMENT_APP_ID, RESOURCE_SERVERS
from tests.integration.plays import play, task as plain_task

MODULE = "identity.cloud.beyond_identity_application"
INFO = "identity.cloud.beyond_identity_application_info"


def task(title, module=MODULE, **options):
    return plain_task(title, module, **options)


def apps(sim):
    return {a["display_name"]: a for a in sim.store["applications"].values() if a["realm_id"] == DEFAULT_REALM_ID}


def pets_api(sim):
    return sim._put(RESOURCE_SERVERS, DEFAULT_REALM_ID, {"display_name": "Pet API", "identifier": "https://pets",
                                                         "is_managed": False,
                                                         "scopes": ["pets:read", "pets:write", "pets:admin"]})


def test_five_step_cycle_secret_and_diff(beyond_identity_sim, run_playbook, tmp_path):
    sim = beyond_identity_sim
    saved = tmp_path / "created.json"
    pets_api(sim)
    protocol = {"type": "oauth2", "confidentiality": "confidential", "grant_type": ["client_credentials"],
                "allowed_scopes": ["pets:read", "pets:write"], "token_configuration": {"expires_after": 600}}
    base = {"realm": "Default", "display_name": "Pet Job", "resource_server": "Pet API", "protocol_config": protocol}
    changed = {**protocol, "allowed_scopes": ["pets:read"]}
    reordered = {**protocol, "allowed_scopes": ["pets:write", "pets:read"]}
    run = run_playbook(play(sim, [
        # no_log, as the docs ask: the result holds the client secret (Ansible prints results from -v up)
        dict(task("create", **base), register="created", no_log=True),
        dict(plain_task("keep it", "ansible.builtin.copy", dest=str(saved), content="{{ created | to_json }}"),
             no_log=True),
        task("again, scopes reordered", **{**base, "protocol_config": reordered}),
        task("check change", check=True, **{**base, "protocol_config": changed}),
        task("change", **{**base, "protocol_config": changed}),
        task("delete", realm="Default", display_name="Pet Job", state="absent"),
        task("delete again", realm="Default", display_name="Pet Job", state="absent"),
    ]), diff=True, expect_rc=0)

    created = json.loads(saved.read_text())
    app = created["application"]
    assert run.task("create").changed and app["resource_server_id"] and app["is_managed"] is False
    secret = app["protocol_config"]["client_secret"]
    assert secret == sim.store["client_secrets"][app["protocol_config"]["client_id"]]
    assert [w["method"] for w in run.writes(sim, "create")] == ["POST"]
    assert secret not in json.dumps(created["diff"]) and secret not in run.stdout
    assert created["diff"]["after"]["protocol_config"] == {
        "type": "oauth2", "confidentiality": "confidential", "grant_type": ["client_credentials"],
        "allowed_scopes": ["pets:read", "pets:write"], "token_configuration": {"expires_after": 600}}

    again = run.task("again, scopes reordered")
    assert not again.changed and run.writes(sim, "again, scopes reordered") == []
    assert secret not in json.dumps(again.result), "the client secret is returned only on creation"

    check = run.task("check change")
    assert check.changed and run.writes(sim, "check change") == []

    change = run.task("change")
    assert change.changed and [w["method"] for w in run.writes(sim, "change")] == ["PATCH"]
    assert change.result["diff"]["before"]["protocol_config"]["allowed_scopes"] == ["pets:read", "pets:write"]
    assert change.result["diff"]["after"]["protocol_config"]["allowed_scopes"] == ["pets:read"]
    assert secret not in json.dumps(change.result)

    assert run.task("delete").changed and [w["method"] for w in run.writes(sim, "delete")] == ["DELETE"]
    assert not run.task("delete again").changed and run.writes(sim, "delete again") == []
    assert apps(sim) == {}


def test_bad_input_and_managed(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    pets_api(sim)
    oidc = {"type": "oidc", "allowed_scopes": ["pets:read", "pets:fly"]}
    run = run_playbook(play(sim, [
        task("scope not on server", errors=True, realm="Default", display_name="A", resource_server="Pet API",
             protocol_config=oidc),
        task("scopes without server", errors=True, realm="Default", display_name="A",
             protocol_config={"type": "oidc", "allowed_scopes": ["pets:read"]}),
        task("unknown server", errors=True, realm="Default", display_name="A", resource_server="Nope",
             protocol_config={"type": "oidc"}),
        task("unknown authenticator config", errors=True, realm="Default", display_name="A",
             authenticator_config_id="nope", protocol_config={"type": "oidc"}),
        task("no protocol type", errors=True, realm="Default", display_name="A", protocol_config={"pkce": "s256"}),
        task("change managed", errors=True, realm="Beyond Identity Admin",
             display_name="Beyond Identity Management API", protocol_config={"type": "oauth2", "pkce": "s256"}),
        task("delete managed", errors=True, realm="Beyond Identity Admin", id=MANAGEMENT_APP_ID, state="absent"),
    ]))
    assert "pets:fly not among the scopes of resource server 'Pet API'" in run.task("scope not on server").result["msg"]
    assert "allowed_scopes needs a resource_server" in run.task("scopes without server").result["msg"]
    assert "no resource server with id or display name 'Nope'" in run.task("unknown server").result["msg"]
    assert "no authenticator config 'nope'" in run.task("unknown authenticator config").result["msg"]
    assert "type" in run.task("no protocol type").result["msg"]
    for name in ("change managed", "delete managed"):
        assert run.task(name).failed and "managed by Beyond Identity and read-only" in run.task(name).result["msg"]
    assert sim.writes() == [] and apps(sim) == {}


def test_info(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    for number in range(101):  # more than one page of 100
        sim._put(APPLICATIONS, DEFAULT_REALM_ID, {"display_name": "app%03d" % number, "is_managed": False,
                                                  "protocol_config": {"type": "oidc"}})
    run = run_playbook(play(sim, [
        task("create", realm="Default", display_name="Portal",
             protocol_config={"type": "oidc", "confidentiality": "public", "pkce": "s256",
                              "redirect_uris": ["https://portal/cb"]}),
        task("all", module=INFO, realm="Default"),
        task("by name", module=INFO, realm="Beyond Identity Admin", display_name="Beyond Identity Management API"),
        task("by id", module=INFO, realm="Beyond Identity Admin", id=MANAGEMENT_APP_ID),
    ]), expect_rc=0)
    created = run.task("create").result["application"]
    assert "client_secret" not in created["protocol_config"], "public clients have no secret"
    listed = run.task("all").result["applications"]
    assert len(listed) == 102 and [a["display_name"] for a in listed if a["display_name"] == "Portal"] == ["Portal"]
    assert [a["id"] for a in run.task("by name").result["applications"]] == [MANAGEMENT_APP_ID]
    by_id = run.task("by id").result["applications"]
    assert by_id[0]["is_managed"] is True and "client_secret" not in by_id[0]["protocol_config"]
