"""playbooks/onboard_people.yml through ansible-runner the way AWX runs a job.

The vendors' settings reach the job only as environment variables rendered from the credential types'
injectors (extensions/awx/credential_types) with the simulators' settings as the credentials' inputs,
as AWX does: no secret on the command line, in extra vars or in the inventory.
"""

import json
import re
import subprocess
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


# -- the credential types as AWX validates and injects them -------------------------------------------

VENDORS = ["finbourne", "sailpoint", "beyond_identity"]
# What AWX accepts in a custom credential type (awx/main/fields.py: CredentialTypeInputField / InjectorField)
FIELD_KEYS = {"id", "label", "type", "help_text", "multiline", "secret", "ask_at_runtime", "format", "choices",
              "default"}
STRING_FORMATS = {"url", "ssh_private_key"}
RESERVED_ENV = ("ANSIBLE_", "AWX_", "TOWER_", "CONTROLLER_", "JOB_", "INVENTORY_", "PROJECT_")


class Filenames(dict):
    """``tower.filename`` (one file template) or ``tower.filename.<name>`` (several), as AWX renders them."""

    def __getattr__(self, name):
        return self[name]


def inject_with_files(vendor, inputs, directory):
    """The environment AWX builds, file injectors included: each template written to a file of its own."""
    kind = credential_type(vendor)
    env = jinja2.sandbox.SandboxedEnvironment()
    files = Filenames()
    for key, template in kind["injectors"].get("file", {}).items():
        path = directory / ("%s-%s" % (vendor, key.replace("template.", "")))
        path.write_text(env.from_string(template).render(**inputs))
        files[key.replace("template.", "")] = str(path)
    namespace = dict(inputs, tower={"filename": files})
    return dict((name, env.from_string(template).render(**namespace)) for name, template in kind["injectors"]["env"].items())


@pytest.mark.parametrize("vendor", VENDORS)
def test_credential_types_follow_awx_rules(vendor):
    kind = credential_type(vendor)
    assert set(kind) == {"name", "description", "kind", "inputs", "injectors"} and kind["kind"] == "cloud"
    fields = kind["inputs"]["fields"]
    ids = [f["id"] for f in fields]
    assert len(ids) == len(set(ids)), "duplicate input ids"
    assert set(kind["inputs"]["required"]) <= set(ids)
    for field in fields:
        assert set(field) <= FIELD_KEYS, (vendor, field)
        assert field["type"] in ("string", "boolean"), field
        if field["type"] == "boolean":
            assert not (set(field) & {"secret", "multiline", "format"}), field
        if "format" in field:
            assert field["format"] in STRING_FORMATS, field
        if field["id"].endswith("_url"):
            assert field.get("format") == "url", "%s.%s has no format: url" % (vendor, field["id"])
    assert set(kind["injectors"]) <= {"env", "extra_vars", "file"}
    for name in kind["injectors"]["env"]:
        assert not name.startswith(RESERVED_ENV), name
    files = kind["injectors"].get("file", {})
    assert all(key.startswith("template.") for key in files), "several file templates need template.<name> keys"
    used = set()
    for template in kind["injectors"]["env"].values():
        used.update(re.findall(r"tower\.filename\.(\w+)", template))
        for name in re.findall(r"{{\s*(?:'[^']*' if )?(\w+)", template):
            assert name in ids or name == "tower", "%s injects %s, which is not an input" % (vendor, name)
    assert used == set(key.replace("template.", "") for key in files), "file templates and tower.filename differ"


@pytest.mark.parametrize("vendor", VENDORS)
def test_unset_tls_inputs_inject_nothing_that_changes_the_defaults(vendor, tmp_path):
    required = dict((name, "https://example.com" if "url" in name else "x")
                    for name in credential_type(vendor)["inputs"]["required"])
    env = inject_with_files(vendor, required, tmp_path)
    tls = dict((name, value) for name, value in env.items() if re.search(r"CERT|CA_PATH|TLS", name))
    assert sorted(tls.values()) == ["", "", "", "true"], tls  # certificates verified, no file named


@pytest.fixture(scope="module")
def mtls_sims(tmp_path_factory):
    from tests.integration.test_tls_proxy_redirects import make_pki
    from tests.simulators import SIMULATORS

    pki = make_pki(tmp_path_factory.mktemp("pki"))
    sims = {}
    for vendor in VENDORS:
        sims[vendor] = SIMULATORS[vendor]()
        sims[vendor].start(tls=(pki["server_cert"], pki["server_key"]), client_ca=pki["ca"])
    yield sims, pki
    for sim in sims.values():
        sim.stop()


def test_the_tls_inputs_reach_the_modules(mtls_sims, tmp_path, monkeypatch):
    """A CA bundle and a client certificate pasted into each credential: the modules verify the simulators'
    certificates with that CA and present that client certificate, through the injected files only."""
    from tests.integration.plays import run_module

    sims, pki = mtls_sims
    pem = dict((name, Path(pki[name]).read_text()) for name in ("ca", "client_cert", "client_key"))
    tls = {"ca_bundle": pem["ca"], "client_cert": pem["client_cert"], "client_key": pem["client_key"]}
    credentials = {
        "finbourne": dict(tls, identity_url=sims["finbourne"].connection_env()["FBN_IDENTITY_URL"],
                          **dict((k.lower()[4:], v) for k, v in sims["finbourne"].connection_env().items()
                                 if k in ("FBN_TOKEN_URL", "FBN_USERNAME", "FBN_PASSWORD", "FBN_CLIENT_ID",
                                          "FBN_CLIENT_SECRET"))),
        "sailpoint": dict(tls, base_url=sims["sailpoint"].url, client_id=sims["sailpoint"].connection_env()["SAIL_CLIENT_ID"],
                          client_secret=sims["sailpoint"].connection_env()["SAIL_CLIENT_SECRET"]),
        "beyond_identity": dict(tls, tenant_id=sims["beyond_identity"].connection_env()["BEYONDIDENTITY_TENANT_ID"],
                                api_base_url=sims["beyond_identity"].url,
                                api_token=sims["beyond_identity"].connection_env()["BEYONDIDENTITY_API_TOKEN"]),
    }
    tasks = {"finbourne": ("finbourne_role", {"name": "Through AWX"}), "sailpoint": ("sailpoint_source_info", {}),
             "beyond_identity": ("beyond_identity_group", {"realm": "Default", "display_name": "Through AWX"})}
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "HTTPS_PROXY", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    for vendor, inputs in credentials.items():
        env = inject_with_files(vendor, inputs, tmp_path)
        with monkeypatch.context() as scoped:
            for name, value in env.items():
                scoped.setenv(name, value)
            module, args = tasks[vendor]
            result = run_module(module, dict(args, token_cache=False, max_retries=0))
            assert not result.get("failed"), (vendor, result)
            # without the client certificate the gateway refuses the job
            scoped.setenv([n for n in env if n.endswith("TLS_CLIENT_CERT")][0], "")
            scoped.setenv([n for n in env if n.endswith("TLS_CLIENT_KEY")][0], "")
            refused = run_module(module, dict(args, token_cache=False, max_retries=0))
            assert refused.get("failed") and "client certificate" in refused["msg"], (vendor, refused)
        assert sims[vendor].log, "nothing reached the %s simulator" % vendor


STUB_CREDENTIAL_TYPE_MODULE = '''#!/usr/bin/python
from ansible.module_utils.basic import AnsibleModule


def main():
    module = AnsibleModule(argument_spec=dict(name=dict(required=True), description=dict(), kind=dict(),
                                              inputs=dict(type="dict"), injectors=dict(type="dict"),
                                              state=dict(default="present")))
    module.exit_json(changed=True, received=module.params)


if __name__ == "__main__":
    main()
'''


def test_the_credential_type_playbook_sends_each_file_as_it_is(tmp_path):
    """extensions/awx/credential_types.yml against a stand-in awx.awx.credential_type (awx.awx is optional and not
    installed here): each file's inputs and injectors arrive untouched, their {{ }} templates included."""
    stub = tmp_path / "stub" / "ansible_collections" / "awx" / "awx"
    (stub / "plugins" / "modules").mkdir(parents=True)
    (stub / "plugins" / "modules" / "credential_type.py").write_text(STUB_CREDENTIAL_TYPE_MODULE)
    (stub / "galaxy.yml").write_text("namespace: awx\nname: awx\nversion: 0.0.1\n")
    env = ansible_env(tmp_path)
    env["ANSIBLE_COLLECTIONS_PATH"] = "%s:%s" % (tmp_path / "stub", env["ANSIBLE_COLLECTIONS_PATH"])
    env["IDENTITY_CLOUD_RECORD"] = str(tmp_path / "record.jsonl")
    proc = subprocess.run([str(Path(sys.executable).parent / "ansible-playbook"),
                           str(REPO / "extensions" / "awx" / "credential_types.yml")],
                          cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    records = [json.loads(line) for line in (tmp_path / "record.jsonl").read_text().splitlines() if line.strip()]
    results = [r for r in records if r["name"] == "Create or update the credential type"][0]["result"]["results"]
    sent = dict((r["received"]["name"], r["received"]) for r in results)
    for vendor in VENDORS:
        kind = credential_type(vendor)
        assert sent[kind["name"]]["inputs"] == kind["inputs"], vendor
        assert sent[kind["name"]]["injectors"] == kind["injectors"], vendor
        assert (sent[kind["name"]]["kind"], sent[kind["name"]]["description"]) == (kind["kind"], kind["description"])
    assert len(sent) == len(VENDORS)
