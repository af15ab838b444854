"""Shared by the tenant export tests: the playbooks run as a user runs them, and tenants seeded through the APIs."""

import json
import subprocess
import sys
import urllib.request
from pathlib import Path

import yaml

from tests.conftest import ANSIBLE_BIN, REPO, ansible_env, given_secrets, leaked_secrets, sim_secrets

HOST = "localhost"


def inventory(tmp_path, sims):
    """An inventory whose host talks to ``sims`` (connection options as module_defaults, as the example's)."""
    from tests.integration.plays import connection

    path = tmp_path / ("hosts-%s.yml" % "-".join(s.url.rsplit(":", 1)[-1].strip("/") for s in sims))
    host = {"ansible_connection": "local", "ansible_python_interpreter": sys.executable}
    for sim in sims:
        host["identity_cloud_" + sim.vendor] = connection(sim)
    path.write_text(yaml.safe_dump({"identity_cloud": {"hosts": {HOST: host}}}))
    return path


def playbook(name, sims, tmp_path, extra=None, check=False, diff=False, extra_args=(), secrets=()):
    """``playbooks/<name>`` run from ``tmp_path`` (the user's directory) against ``sims``; its output is searched for
    every secret of the simulators and of ``secrets``."""
    env = ansible_env(tmp_path)
    env["PWD"] = str(tmp_path / "stale")  # started by a program: $PWD is not the current directory
    cmd = [str(ANSIBLE_BIN / "ansible-playbook"), str(REPO / "playbooks" / name), "-i", str(inventory(tmp_path, sims)),
           "-e", json.dumps(extra or {})] + (["--check"] if check else []) + (["--diff"] if diff else []) + list(extra_args)
    proc = subprocess.run(cmd, cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=900, check=False)
    known = given_secrets(extra or {})
    for sim in sims:
        known.update(sim_secrets(sim))
    known["secret the test seeded"] = list(secrets)
    leaked = leaked_secrets(proc.stdout + proc.stderr, known)
    assert not leaked, "secrets in the output of %s: %s" % (name, leaked)
    return proc


def api(sim, method, path, body=None):
    """A call to the simulator's vendor API with its token (how the tests seed a tenant, not through our modules)."""
    token = sim.connection_env().get("BEYONDIDENTITY_API_TOKEN") or sim.issue_token("seed")
    request = urllib.request.Request(sim.url + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": "Bearer %s" % token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as reply:
        text = reply.read()
    return json.loads(text) if text else None


def read_export(folder):
    return dict((p.name, p.read_text()) for p in sorted(Path(folder).glob("*.yml")))
