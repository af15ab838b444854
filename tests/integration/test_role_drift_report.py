"""playbooks/drift_report.yml: every role in check mode, no write, a Markdown and a JSON report."""

import json
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import REPO, ansible_env
from tests.simulators.sailpoint import ADMIN_ID

PAYROLL = {"name": "Payroll Feed", "owner": ADMIN_ID, "connector": "delimited-file",
           "schemas": [{"name": "account", "attributes": [{"name": "id", "type": "STRING"}]}],
           "schedules": [{"type": "ACCOUNT_AGGREGATION", "cron_expression": "0 30 2 * * ?"}]}


def playbook(name, sims, tmp_path, extra, check=False):
    """``playbooks/<name>`` run from ``tmp_path`` (the user's directory) against the simulators."""
    inventory = tmp_path / "hosts.yml"
    inventory.write_text(yaml.safe_dump({"identity_cloud": {"hosts": {"localhost": {
        "ansible_connection": "local", "ansible_python_interpreter": sys.executable}}}}))
    env = ansible_env(tmp_path)
    # started by a program (AWX, CI, make), not a shell: $PWD is stale; the current directory is the process's
    env["PWD"] = str(tmp_path / "stale")
    for sim in sims:
        env.update(sim.connection_env())
    cmd = [str(Path(sys.executable).parent / "ansible-playbook"), str(REPO / "playbooks" / name), "-i", str(inventory),
           "-e", json.dumps(extra)] + (["--check"] if check else [])
    return subprocess.run(cmd, cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=600, check=False)


def test_drift_report(beyond_identity_sim, finbourne_sim, sailpoint_sim, tmp_path):
    sims = (beyond_identity_sim, finbourne_sim, sailpoint_sim)
    inventory = tmp_path / "hosts.yml"
    inventory.write_text(yaml.safe_dump({"identity_cloud": {"hosts": {"localhost": {
        "ansible_connection": "local", "ansible_python_interpreter": sys.executable}}}}))
    extra = {"drift_report_dir": str(tmp_path / "drift"),
             "identity_cloud_people": [{"username": "kim", "first_name": "Kim", "last_name": "Lee",
                                        "email": "kim@example.com"}, {"username": "bob", "state": "absent"}],
             "identity_cloud_beyond_identity_groups": [{"display_name": "Trading"}],
             "identity_cloud_finbourne_roles": [{"name": "Trading Desk"}],
             "identity_cloud_sources": []}
    env = ansible_env(tmp_path)
    for sim in sims:
        env.update(sim.connection_env())
    proc = subprocess.run([str(Path(sys.executable).parent / "ansible-playbook"), str(REPO / "playbooks" / "drift_report.yml"),
                           "-i", str(inventory), "-e", json.dumps(extra)], cwd=str(tmp_path), env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert not [e for sim in sims for e in sim.log if e["write"]], "the drift report wrote to a vendor"
    report = json.loads((tmp_path / "drift" / "localhost.json").read_text())["drift"]
    assert report["beyond_identity"]["identity"]["created"] == ["kim"]
    assert report["beyond_identity"]["identity"]["deleted"] == ["bob"]
    assert report["beyond_identity"]["group"]["created"] == ["Trading"]
    assert report["finbourne"]["role"]["created"] == ["Trading Desk"]
    assert report["finbourne"]["user"]["created"] == ["kim@example.com"]
    markdown = (tmp_path / "drift" / "localhost.md").read_text()
    assert "## beyond_identity" in markdown and "| identity bob | deleted | |" in markdown


def test_drift_report_with_a_pending_source_in_the_current_directory(beyond_identity_sim, finbourne_sim,
                                                                     sailpoint_sim, tmp_path):
    sims = (beyond_identity_sim, finbourne_sim, sailpoint_sim)
    proc = playbook("drift_report.yml", sims, tmp_path, {"identity_cloud_sources": [PAYROLL]})
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert not [e for sim in sims for e in sim.log if e["write"]], "the drift report wrote to a vendor"
    assert (tmp_path / "drift-report" / "localhost.json").exists(), proc.stdout[-5000:]
    report = json.loads((tmp_path / "drift-report" / "localhost.json").read_text())["drift"]["sailpoint"]
    assert report["source"]["created"] == ["Payroll Feed"]
    assert report["schema"]["created"] == ["Payroll Feed: account"]
    assert report["schedule"]["created"] == ["Payroll Feed: ACCOUNT_AGGREGATION"]
    assert report["connection_test"]["actions"] == {"Payroll Feed": ["test_connection"]}
    assert "| source Payroll Feed | created | |" in (tmp_path / "drift-report" / "localhost.md").read_text()
    assert not (tmp_path / "stale").exists()


def test_onboard_source_check_mode_and_required_sources(beyond_identity_sim, finbourne_sim, sailpoint_sim, tmp_path):
    sims = (beyond_identity_sim, finbourne_sim, sailpoint_sim)
    proc = playbook("onboard_source.yml", sims, tmp_path, {"identity_cloud_sources": [PAYROLL]}, check=True)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "| connection_test Payroll Feed | test_connection | |" in proc.stdout, proc.stdout[-3000:]
    assert not [e for e in sailpoint_sim.log if e["write"]]
    proc = playbook("onboard_source.yml", sims, tmp_path, {})
    assert proc.returncode != 0 and "identity_cloud_sources" in proc.stdout + proc.stderr, proc.stdout[-3000:]
    assert not [e for e in sailpoint_sim.log if e["write"]]
