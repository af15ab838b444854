"""The example inventory's playbooks and the roles' molecule scenarios through ``ansible-playbook``.

``make test-matrix`` runs this file (with ``test_examples.py`` and the demo) once per supported
ansible-core minor, each from its own virtualenv named by ``IDENTITY_CLOUD_ANSIBLE_BIN``
(tests/conftest.py). Molecule itself runs on the newest ansible-core only (``make molecule``); here
each scenario's converge, idempotence and verify run as molecule runs them, without molecule, so the
older releases run the same roles and checks.
"""

import json
import re
import subprocess

import pytest
import yaml

from tests.conftest import ANSIBLE_BIN, REPO, ansible_env, leaked_secrets, sim_secrets
from tests.simulators import settings_text

# The newest ansible-core (.venv, which has molecule) runs these through molecule (make molecule) and
# tests/integration/test_inventory_flow_secrets.py; this file is for the other releases of the matrix.
pytestmark = pytest.mark.skipif((ANSIBLE_BIN / "molecule").exists(),
                                reason="the newest ansible-core runs these through molecule and test_inventory_flow_secrets")
SCENARIOS = sorted(p.parent.name for p in (REPO / "extensions" / "molecule").glob("*/converge.yml"))
INVENTORY = REPO / "inventories" / "example"
RECAP = re.compile(r"^(\S+)\s*:\s*ok=\d+\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)


def molecule_play(scenario, name):
    """A scenario's playbook with its relative vars_files made absolute (run_playbook writes it elsewhere)."""
    plays = yaml.safe_load((REPO / "extensions" / "molecule" / scenario / name).read_text())
    for play in plays:
        play["vars_files"] = [str((REPO / "extensions" / "molecule" / scenario / f).resolve()) for f in play.get("vars_files", [])]
    return plays


def write_settings(path, sims):
    """The NAME=value file ``python -m tests.simulators --env-file`` writes (molecule's create.yml)."""
    path.write_text(settings_text(sims))


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_molecule_scenario_without_molecule(scenario, tmp_path, finbourne_sim, sailpoint_sim, beyond_identity_sim,
                                            run_playbook):
    ephemeral = tmp_path / "molecule"
    ephemeral.mkdir()
    write_settings(ephemeral / "simulators.env", (finbourne_sim, sailpoint_sim, beyond_identity_sim))
    env = {"MOLECULE_EPHEMERAL_DIRECTORY": str(ephemeral), "MOLECULE_PROJECT_DIRECTORY": str(REPO)}
    converge = molecule_play(scenario, "converge.yml")
    # at -vvvv: ansible-core prints a play's `environment:` from -vvv on, so credentials passed that way are found
    first = run_playbook(converge, extra_env=env, expect_rc=0, verbosity=4)
    assert [t for t in first.tasks if t.changed], "the converge changed nothing on empty simulators"
    second = run_playbook(converge, extra_env=env, expect_rc=0)  # molecule's idempotence: nothing changed
    assert [t["name"] for t in second.tasks if t.changed] == [], "idempotence: the second converge changed something"
    run_playbook(molecule_play(scenario, "verify.yml"), extra_env=env, expect_rc=0, verbosity=4)


def play_inventory_playbook(tmp_path, sims, name, *extra):
    """``ansible-playbook -i inventories/example playbooks/<name> --limit simulators`` as the README says."""
    settings = tmp_path / "simulators.env"
    write_settings(settings, sims)
    env = ansible_env(tmp_path)
    env["IDENTITY_CLOUD_SIMULATORS_ENV_FILE"] = str(settings)
    cmd = [str(ANSIBLE_BIN / "ansible-playbook"), "-i", str(INVENTORY), str(REPO / "playbooks" / name),
           "--limit", "simulators", "--vault-password-file", str(INVENTORY / "demo-vault-password")] + list(extra)
    proc = subprocess.run(cmd, cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=600, check=False)
    output = proc.stdout + proc.stderr
    known = {}
    for sim in sims:
        known.update(sim_secrets(sim))
    assert leaked_secrets(output, known) == [], "secrets in the output of %s" % name
    assert proc.returncode == 0, "%s failed:\n%s" % (name, output[-5000:])
    recap = RECAP.findall(proc.stdout)
    assert [found[0] for found in recap] == ["identity-simulators"], proc.stdout[-3000:]
    return int(recap[0][1])


def test_example_inventory_playbooks(tmp_path, finbourne_sim, sailpoint_sim, beyond_identity_sim):
    """tenants, onboard_source, onboard_people (twice), drift_report, offboard_people: the state read back."""
    sims = (finbourne_sim, sailpoint_sim, beyond_identity_sim)
    wanted = yaml.safe_load((INVENTORY / "group_vars" / "all" / "main.yml").read_text())
    people = [p["username"] for p in wanted["identity_cloud_people"]]
    before = usernames(beyond_identity_sim)
    assert play_inventory_playbook(tmp_path, sims, "tenants.yml") > 0
    assert play_inventory_playbook(tmp_path, sims, "tenants.yml") == 0
    assert play_inventory_playbook(tmp_path, sims, "onboard_source.yml") > 0
    assert play_inventory_playbook(tmp_path, sims, "onboard_access.yml") > 0
    assert play_inventory_playbook(tmp_path, sims, "onboard_access.yml") == 0
    assert play_inventory_playbook(tmp_path, sims, "onboard_people.yml") > 0
    assert play_inventory_playbook(tmp_path, sims, "onboard_people.yml") == 0

    groups = set(g["display_name"] for g in beyond_identity_sim.store["groups"].values())
    assert groups >= set(g["display_name"] for g in wanted["identity_cloud_beyond_identity_groups"])
    assert usernames(beyond_identity_sim) - before == set(people)
    roles = set(r["name"] for r in finbourne_sim.collection("roles").values())
    assert roles >= set(r["name"] for r in wanted["identity_cloud_finbourne_roles"])
    sources = set(s["name"] for s in sailpoint_sim.store["sources"].values())
    assert sources >= set(s["name"] for s in wanted["identity_cloud_sources"])

    writes = {sim.vendor: len(sim.log) for sim in sims}
    report = tmp_path / "drift"
    play_inventory_playbook(tmp_path, sims, "drift_report.yml", "-e", "drift_report_dir=%s" % report)
    # a connection test changes nothing and runs in check mode too (sailpoint_source_connector says so)
    wrote = [e for sim in sims for e in sim.log[writes[sim.vendor]:]
             if e["write"] and not e["path"].endswith("/connector/check-connection")]
    assert wrote == [], "the drift report wrote"
    drift = json.loads((report / "identity-simulators.json").read_text())["drift"]
    assert not any(any(kinds.values()) for vendor in drift.values() for kinds in vendor.values()), drift

    # the tenants as code again: export_tenants.yml reads only and writes the roles' files
    export = tmp_path / "export"
    writes = {sim.vendor: len(sim.log) for sim in sims}
    assert play_inventory_playbook(tmp_path, sims, "export_tenants.yml", "-e", "tenant_export_dir=%s" % export) > 0
    assert [e for sim in sims for e in sim.log[writes[sim.vendor]:] if e["write"] and not e.get("auth")] == [], "the export wrote"
    assert (export / "identity-simulators" / "people.yml").exists()

    leaver, stayer = people[-1], people[0]
    assert play_inventory_playbook(tmp_path, sims, "offboard_people.yml", "-e",
                                   json.dumps({"offboard_usernames": [leaver]})) > 0
    status = dict((i["traits"]["username"], i["status"]) for i in beyond_identity_sim.store["identities"].values())
    assert (status[stayer], status[leaver]) == ("active", "suspended")


def usernames(sim):
    return set(i["traits"]["username"] for i in sim.store["identities"].values())
