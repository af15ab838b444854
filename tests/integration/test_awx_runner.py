"""playbooks/onboard_people.yml through ansible-runner the way AWX runs a job.

The vendors' settings reach the job only as environment variables rendered from the credential types'
injectors (extensions/awx/credential_types) with the simulators' settings as the credentials' inputs,
as AWX does: no secret on the command line, in extra vars or in the inventory.
"""

import json
import sys
from pathlib import Path

import ansible_runner
import jinja2.sandbox
import pytest
import requests
import yaml

from tests.conftest import REPO, ansible_env
from tests.simulators.beyond_identity import DEFAULT_REALM_ID, ADMIN_REALM_ID, MANAGEMENT_APP_ID, MANAGEMENT_CLIENT_ID, MANAGEMENT_CLIENT_SECRET

CREDENTIAL_TYPES = REPO / "extensions" / "awx" / "credential_types"
ADAPTERS = REPO / "plugins" / "module_utils"

PEOPLE = [
    {"username": "jane.doe", "first_name": "Jane", "last_name": "Doe", "email": "jane.doe@example.com",
     "beyond_identity": {"groups": ["Trading"]}},
    {"username": "john.roe", "display_name": "John Roe", "email": "john.roe@example.com"},
    {"username": "alice", "state": "suspended"},
]


def credential_type(vendor):
    return yaml.safe_load((CREDENTIAL_TYPES / (vendor + ".yml")).read_text())


def inject(vendor, inputs):
    """The environment AWX builds from a credential of this type: every injector rendered (unset inputs empty)."""
    kind = credential_type(vendor)
    fields = dict((f["id"], f) for f in kind["inputs"]["fields"])
    assert set(inputs) <= set(fields), "inputs the credential type does not declare: %s" % (set(inputs) - set(fields))
    missing = [name for name in kind["inputs"].get("required", []) if name not in inputs]
    assert not missing, "required inputs missing: %s" % missing
    env = jinja2.sandbox.SandboxedEnvironment()
    return dict((name, env.from_string(template).render(**inputs)) for name, template in kind["injectors"]["env"].items())


@pytest.mark.parametrize("vendor", ["finbourne", "sailpoint", "beyond_identity"])
def test_credential_types_inject_what_the_adapters_read(vendor):
    kind = credential_type(vendor)
    secret = set(f["id"] for f in kind["inputs"]["fields"] if f.get("secret"))
    assert secret, "a credential type without a secret field"
    for field in kind["inputs"]["fields"]:
        if any(word in field["id"] for word in ("secret", "password", "token")) and not field["id"].endswith("_url"):
            assert field["id"] in secret, "%s.%s is not marked secret" % (vendor, field["id"])
    adapter = "\n".join(p.read_text() for p in ADAPTERS.rglob("*.py") if p.stem.startswith(vendor) or p.parent.name == vendor)
    prefix = {"finbourne": "", "sailpoint": "", "beyond_identity": "BEYONDIDENTITY_"}[vendor]
    for name in kind["injectors"]["env"]:
        read_as = name[len(prefix):] if prefix else name
        assert '"%s"' % read_as in adapter, "the %s adapter does not read %s" % (vendor, name)


def test_onboard_people_like_awx(finbourne_sim, sailpoint_sim, beyond_identity_sim, tmp_path):
    fbn, sail, bi = finbourne_sim, sailpoint_sim, beyond_identity_sim
    fbn_env, sail_env = fbn.connection_env(), sail.connection_env()
    requests.post("%s/v1/tenants/%s/realms/%s/groups" % (bi.url, bi.connection_env()["BEYONDIDENTITY_TENANT_ID"],
                                                         DEFAULT_REALM_ID),
                  json={"group": {"display_name": "Trading", "description": "Traders"}},
                  headers={"Authorization": "Bearer " + bi.static_token}, timeout=10).raise_for_status()
    credentials = {
        "finbourne": {"identity_url": fbn_env["FBN_IDENTITY_URL"], "token_url": fbn_env["FBN_TOKEN_URL"],
                      "username": fbn_env["FBN_USERNAME"], "password": fbn_env["FBN_PASSWORD"],
                      "client_id": fbn_env["FBN_CLIENT_ID"], "client_secret": fbn_env["FBN_CLIENT_SECRET"]},
        "sailpoint": {"base_url": sail_env["SAIL_BASE_URL"], "client_id": sail_env["SAIL_CLIENT_ID"],
                      "client_secret": sail_env["SAIL_CLIENT_SECRET"]},
        "beyond_identity": {"tenant_id": bi.connection_env()["BEYONDIDENTITY_TENANT_ID"], "api_base_url": bi.url,
                            "auth_base_url": bi.url, "client_id": MANAGEMENT_CLIENT_ID,
                            "client_secret": MANAGEMENT_CLIENT_SECRET, "auth_realm_id": ADMIN_REALM_ID,
                            "auth_application_id": MANAGEMENT_APP_ID},
    }
    secrets = [fbn_env["FBN_PASSWORD"], fbn_env["FBN_CLIENT_SECRET"], sail_env["SAIL_CLIENT_SECRET"],
               MANAGEMENT_CLIENT_SECRET]
    envvars = {}
    for vendor, inputs in credentials.items():
        envvars.update(inject(vendor, inputs))
    base = ansible_env(tmp_path)
    envvars.update((k, base[k]) for k in ("ANSIBLE_COLLECTIONS_PATH", "ANSIBLE_LOCAL_TEMP", "ANSIBLE_HOME",
                                          "IDENTITY_CLOUD_TOKEN_CACHE_DIR", "ANSIBLE_NOCOLOR", "PYTHONPATH"))
    envvars["PATH"] = str(Path(sys.executable).parent) + ":" + base.get("PATH", "")
    envvars["IDENTITY_CLOUD_TOKEN_CACHE"] = "false"

    private = tmp_path / "runner"
    (private / "inventory").mkdir(parents=True)
    (private / "inventory" / "hosts.yml").write_text(yaml.safe_dump({"identity_cloud": {"hosts": {"localhost": {
        "ansible_connection": "local", "ansible_python_interpreter": sys.executable}}}}))
    (private / "project").mkdir()

    def run(ident):
        return ansible_runner.run(private_data_dir=str(private), ident=ident, playbook=str(REPO / "playbooks" / "onboard_people.yml"),
                                  envvars=envvars, extravars={"identity_cloud_people": PEOPLE},
                                  suppress_env_files=True, quiet=True)

    first = run("first")
    assert first.status == "successful", first.stdout.read()[-4000:]
    assert sum(first.stats["changed"].values()) > 0
    second = run("second")
    assert second.status == "successful", second.stdout.read()[-4000:]
    assert sum(second.stats["changed"].values()) == 0, "the second run changed something"

    usernames = set(i["traits"]["username"] for i in bi.store["identities"].values())
    assert {"jane.doe", "john.roe"} <= usernames

    # No secret in what the runner keeps: job events, stdout, stderr (the command line included). The
    # ``command`` artifact is ansible-runner's record of the process environment, which is where AWX
    # injects credentials: it is the one file that holds them (mode 0600), by design.
    checked = 0
    for path in (private / "artifacts").rglob("*"):
        if path.is_file() and path.name != "command":
            text = path.read_text(errors="replace")
            checked += 1
            for secret in secrets:
                assert secret not in text, "a secret is in %s" % path.relative_to(private)
    assert checked > 10, "no job events to check"
    command = json.loads((private / "artifacts" / "first" / "command").read_text())
    for secret in secrets:
        assert not any(secret in part for part in command["command"]), "a secret is on the command line"
    assert command["env"]["BEYONDIDENTITY_CLIENT_SECRET"] == MANAGEMENT_CLIENT_SECRET, "not injected as AWX does"
    assert not (private / "env").exists(), "the runner wrote env files"
