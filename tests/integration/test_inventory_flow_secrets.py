"""The inventory flow at -vvvv: no vault secret and no token the simulators issued appears in any output.

Each playbook of the inventory flow runs the way the README shows it (``-i inventories/example
--limit simulators --vault-password-file inventories/example/demo-vault-password``) against the
three simulators, whose URLs reach the inventory through the env file it reads
(IDENTITY_CLOUD_SIMULATORS_ENV_FILE). ansible-core prints a play's ``environment:`` in its
``EXEC`` lines from -vvv on, so secrets passed that way would be found here.
"""

import subprocess

import pytest
import yaml

from tests.conftest import ANSIBLE_BIN, REPO, ansible_env, leaked_secrets, sim_secrets
from tests.simulators import settings_text

INVENTORY = REPO / "inventories" / "example"
VAULT_PASSWORD = INVENTORY / "demo-vault-password"
# In the order a user meets them: the tenants, the sources, their access, the joiners, the drift, the leavers,
# the export and a promotion's plan.
PLAYBOOKS = [
    ("tenants.yml", []),
    ("onboard_source.yml", []),
    ("onboard_access.yml", []),
    ("onboard_people.yml", []),
    ("drift_report.yml", ["-e", "drift_report_dir={tmp}/drift-report"]),
    ("offboard_people.yml", ["-e", '{"offboard_usernames": ["john.roe"]}']),
    ("export_tenants.yml", ["-e", "tenant_export_dir={tmp}/export"]),
    ("promote_tenants.yml", ["--check", "-e", "promote_from={tmp}/export/identity-simulators",
                             "-e", "promote_report_dir={tmp}/promote-report"]),
]


def vault_secrets():
    """Every value of the simulators' vault file (what the inventory holds secret)."""
    out = subprocess.run([str(ANSIBLE_BIN / "ansible-vault"), "view", "--vault-password-file",
                          str(VAULT_PASSWORD), str(INVENTORY / "group_vars" / "simulators" / "vault.yml")],
                         capture_output=True, text=True, check=True).stdout
    values = []

    def walk(value):
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif value is not None:
            values.append(str(value))

    walk(yaml.safe_load(out))
    assert len(values) >= 4, "the simulators' vault holds no secrets"
    return values


def env_file(path, sims):
    """What ``python -m tests.simulators --env-file`` writes: one NAME=value line per setting."""
    path.write_text(settings_text(sims))
    return path


def run_inventory_playbook(tmp_path, playbook, extra, settings_file):
    env = ansible_env(tmp_path)
    env["IDENTITY_CLOUD_SIMULATORS_ENV_FILE"] = str(settings_file)
    cmd = [str(ANSIBLE_BIN / "ansible-playbook"), str(REPO / "playbooks" / playbook),
           "-i", str(INVENTORY), "--limit", "simulators", "--vault-password-file", str(VAULT_PASSWORD), "-vvvv"]
    extra = [arg.replace("{tmp}", str(tmp_path)) for arg in extra]
    return subprocess.run(cmd + extra, cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=900,
                          check=False)


def test_no_secret_of_the_inventory_flow_prints_at_vvvv(finbourne_sim, sailpoint_sim, beyond_identity_sim, tmp_path):
    sims = (finbourne_sim, sailpoint_sim, beyond_identity_sim)
    settings_file = env_file(tmp_path / "simulators.env", sims)
    vault = vault_secrets()
    for playbook, extra in PLAYBOOKS:
        proc = run_inventory_playbook(tmp_path, playbook, extra, settings_file)
        output = proc.stdout + proc.stderr
        secrets = {"a value of the simulators' vault.yml": vault}
        for sim in sims:
            secrets.update(sim_secrets(sim))
        leaked = leaked_secrets(output, secrets)
        assert not leaked, "%s at -vvvv prints %s" % (playbook, leaked)
        assert proc.returncode == 0, "%s failed:\n%s" % (playbook, output[-5000:])
    # every vendor was called with the vault's credentials: tokens were issued and objects written
    for sim in sims:
        assert sim.tokens, "no token was issued by the %s simulator" % sim.vendor
    assert {"Trading", "Operations"} <= {g["display_name"] for g in beyond_identity_sim.store["groups"].values()}
    assert finbourne_sim.user_by_login("jane.doe@example.com") is not None
    assert "HR Feed" in {s["name"] for s in sailpoint_sim.store["sources"].values()}
    assert (tmp_path / "drift-report" / "identity-simulators.json").exists()
    assert (tmp_path / "export" / "identity-simulators" / "people.yml").exists()
    assert (tmp_path / "promote-report" / "identity-simulators.md").exists()


@pytest.mark.parametrize("playbook", [name for name, _extra in PLAYBOOKS])
def test_the_playbooks_pass_no_environment(playbook):
    """Credentials go to the modules as no_log options (module_defaults), never through ``environment:``."""
    plays = yaml.safe_load((REPO / "playbooks" / playbook).read_text())
    for one in plays:
        assert "environment" not in one, "%s sets environment: ansible-core prints it at -vvv" % playbook
        defaults = one.get("module_defaults") or {}
        assert set(defaults) >= {"group/identity.cloud.finbourne", "group/identity.cloud.sailpoint",
                                 "group/identity.cloud.beyond_identity"}, playbook
