"""playbooks/onboard_people.yml through ansible-runner the way AWX runs a job.

The vendors' settings reach the job only as environment variables rendered from the credential types'
injectors (extensions/awx/credential_types) with the simulators' settings as the credentials' inputs,
as AWX does: no secret on the command line, in extra vars or in the inventory.
"""

import base64
import http.server
import json
import re
import subprocess
import sys
import threading
import urllib.parse
import uuid
from pathlib import Path

import ansible_runner
import jinja2.sandbox
import pytest
import requests
import yaml

from tests.conftest import ANSIBLE_BIN, REPO, ansible_env
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


def fake_awx(authorization, prefix="/api/"):
    """AWX's credential type endpoints as extensions/awx/credential_types.yml calls them, on 127.0.0.1: GET
    ?name=, POST, PATCH <id>/ under ``prefix`` + v2/, one Authorization header accepted; the types in a dict."""
    base = prefix + "v2/credential_types/"

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def answer(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def handle_request(self):
            url = urllib.parse.urlsplit(self.path)
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or "null")
            server.log.append((self.command, url.path, body))
            if self.headers.get("Authorization") != authorization:
                return self.answer(401, {"detail": "Authentication credentials were not provided."})
            found = re.fullmatch(re.escape(base) + r"(\d+)/", url.path)
            if url.path == base and self.command == "GET":
                name = urllib.parse.parse_qs(url.query).get("name", [None])[0]
                results = [t for t in server.types.values() if name is None or t["name"] == name]
                return self.answer(200, {"count": len(results), "next": None, "previous": None, "results": results})
            if url.path == base and self.command == "POST":
                if body.get("kind") not in ("cloud", "net") or not all(isinstance(body.get(k), dict) for k in ("inputs", "injectors")):
                    return self.answer(400, {"kind": ["a custom credential type is cloud or net, with inputs and injectors"]})
                ident = max(server.types, default=0) + 1
                server.types[ident] = dict(body, id=ident, url="%s%d/" % (base, ident), managed=False)
                return self.answer(201, server.types[ident])
            if found and self.command == "PATCH" and int(found.group(1)) in server.in_use and "inputs" in body:
                return self.answer(403, {"detail": "Modifications to inputs are not allowed for credential types that are in use"})
            if found and self.command == "PATCH" and int(found.group(1)) in server.types:
                server.types[int(found.group(1))].update(body)
                return self.answer(200, server.types[int(found.group(1))])
            return self.answer(404, {"detail": "Not found."})

        do_GET = do_POST = do_PATCH = handle_request

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.types, server.log, server.base, server.in_use = {}, [], base, set()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run_credential_types_playbook(tmp_path, controller_env, *args):
    env = dict((k, v) for k, v in ansible_env(tmp_path).items() if not k.startswith("CONTROLLER_"))
    env.update(controller_env)
    proc = subprocess.run([str(ANSIBLE_BIN / "ansible-playbook"), str(REPO / "extensions" / "awx" / "credential_types.yml"),
                           "-vvvv"] + list(args), cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=300, check=False)
    return proc, proc.stdout + proc.stderr


def changed(output):
    return int(re.search(r"localhost\s+:.*changed=(\d+)", output).group(1))


def assert_types_as_in_the_files(awx):
    stored = dict((t["name"], t) for t in awx.types.values())
    assert len(stored) == len(VENDORS)
    for vendor in VENDORS:
        kind = credential_type(vendor)
        for field in ("description", "kind", "inputs", "injectors"):
            assert stored[kind["name"]][field] == kind[field], (vendor, field)
    # the injectors' templates reached AWX unrendered
    assert stored[credential_type("beyond_identity")["name"]]["injectors"]["env"]["BEYONDIDENTITY_TENANT_ID"] == "{{ tenant_id }}"


def test_the_credential_type_playbook_creates_the_types_then_changes_nothing(tmp_path):
    """extensions/awx/credential_types.yml (ansible.builtin.uri only) against a stand-in AWX: the files' types are
    created as they are, a second run only reads, the token never shows at -vvvv."""
    token = "awx-token-%s" % uuid.uuid4().hex
    awx = fake_awx("Bearer " + token)
    controller = {"CONTROLLER_HOST": "http://127.0.0.1:%d" % awx.server_port, "CONTROLLER_OAUTH_TOKEN": token,
                  "CONTROLLER_VERIFY_SSL": "false"}
    try:
        first, first_output = run_credential_types_playbook(tmp_path, controller)
        assert first.returncode == 0, first_output[-3000:]
        assert sorted(m for m, _path, _body in awx.log) == ["GET"] * 3 + ["POST"] * 3
        assert_types_as_in_the_files(awx)
        del awx.log[:]
        second, second_output = run_credential_types_playbook(tmp_path, controller)
        assert second.returncode == 0, second_output[-3000:]
        assert [m for m, _path, _body in awx.log] == ["GET"] * 3 and changed(second_output) == 0
        assert changed(first_output) == 1
    finally:
        awx.shutdown()
    for output in (first_output, second_output):
        assert token not in output


def test_the_credential_type_playbook_updates_what_differs(tmp_path):
    """Basic auth, the AAP 2.5 gateway's /api/controller/ prefix: --check writes nothing and says what it would do;
    a type that differs is PATCHed with only the fields that differ, the others are created."""
    username, password = "admin", "awx-password-%s" % uuid.uuid4().hex
    basic = base64.b64encode(("%s:%s" % (username, password)).encode()).decode()
    awx = fake_awx("Basic " + basic, prefix="/api/controller/")
    older = credential_type("finbourne")
    older["description"] = "an older description"
    del older["injectors"]["env"]["FBN_VALIDATE_CERTS"]
    awx.types[7] = dict(older, id=7, url=awx.base + "7/", managed=False)
    controller = {"CONTROLLER_HOST": "http://127.0.0.1:%d/" % awx.server_port, "CONTROLLER_USERNAME": username,
                  "CONTROLLER_PASSWORD": password}
    try:
        check, check_output = run_credential_types_playbook(tmp_path, controller, "-e", "identity_cloud_controller_api_prefix=/api/controller/",
                                                            "--check")
        assert check.returncode == 0, check_output[-3000:]
        assert [m for m, _path, _body in awx.log] == ["GET"] * 3
        assert '"msg": "update identity.cloud FINBOURNE: description, injectors"' in check_output
        assert check_output.count('"msg": "create identity.cloud') == 2 and changed(check_output) == 1
        del awx.log[:]
        run, run_output = run_credential_types_playbook(tmp_path, controller, "-e", "identity_cloud_controller_api_prefix=/api/controller/")
        assert run.returncode == 0, run_output[-3000:]
        patches = [(path, body) for method, path, body in awx.log if method == "PATCH"]
        assert patches == [(awx.base + "7/", {"description": credential_type("finbourne")["description"],
                                              "injectors": credential_type("finbourne")["injectors"]})]
        assert [m for m, _path, _body in awx.log].count("POST") == 2
        assert_types_as_in_the_files(awx)
    finally:
        awx.shutdown()
    for output in (check_output, run_output):
        assert password not in output and basic not in output


@pytest.mark.parametrize("case", ["no host", "no credentials", "verify ssl", "refused token", "api prefix"])
def test_the_credential_type_playbook_refuses_bad_settings_before_any_write(tmp_path, case):
    token = "awx-token-%s" % uuid.uuid4().hex
    awx = fake_awx("Bearer " + token)
    controller = {"CONTROLLER_HOST": "http://127.0.0.1:%d" % awx.server_port, "CONTROLLER_OAUTH_TOKEN": token}
    expected = {"no host": "CONTROLLER_HOST is not set", "no credentials": "Set CONTROLLER_OAUTH_TOKEN, or CONTROLLER_USERNAME",
                "verify ssl": "CONTROLLER_VERIFY_SSL must be true or false, not maybe",
                "refused token": "answered 401: Authentication credentials were not provided.",
                "api prefix": "answered 404: Not found."}[case]
    if case == "no host":
        del controller["CONTROLLER_HOST"]
    elif case == "no credentials":
        controller = {"CONTROLLER_HOST": controller["CONTROLLER_HOST"], "CONTROLLER_USERNAME": "admin"}
    elif case == "verify ssl":
        controller["CONTROLLER_VERIFY_SSL"] = "maybe"
    elif case == "refused token":
        controller["CONTROLLER_OAUTH_TOKEN"] = "another-" + token
    else:
        controller["CONTROLLER_OPTIONAL_API_URLPATTERN_PREFIX"] = "/api/controller/"
    try:
        proc, output = run_credential_types_playbook(tmp_path, controller)
    finally:
        awx.shutdown()
    assert proc.returncode != 0 and expected in output, output[-3000:]
    assert all(method == "GET" for method, _path, _body in awx.log) and not awx.types
    assert (len(awx.log) == 3) == (case in ("refused token", "api prefix"))
    assert token not in output


def test_the_credential_type_playbook_reports_a_refused_change(tmp_path):
    """AWX refuses a change of inputs while credentials use the type: the run fails with its answer."""
    token = "awx-token-%s" % uuid.uuid4().hex
    awx = fake_awx("Bearer " + token)
    older = credential_type("sailpoint")
    older["inputs"]["fields"] = older["inputs"]["fields"][:-1]
    awx.types[3] = dict(older, id=3, url=awx.base + "3/", managed=False)
    awx.in_use.add(3)
    try:
        proc, output = run_credential_types_playbook(tmp_path, {"CONTROLLER_HOST": "http://127.0.0.1:%d" % awx.server_port,
                                                                "CONTROLLER_OAUTH_TOKEN": token})
    finally:
        awx.shutdown()
    assert proc.returncode != 0, output[-3000:]
    assert ("sailpoint.yml: http://127.0.0.1:%d/api/v2/credential_types/3/ refused the change (403): Modifications to inputs are "
            "not allowed for credential types that are in use" % awx.server_port) in output, output[-3000:]
    assert [m for m, _path, _body in awx.log].count("POST") == 2 and awx.types[3]["inputs"] == older["inputs"]
    assert token not in output
