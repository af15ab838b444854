"""The README's promises: the demo playbook converges and re-runs clean; the built tarball installs and runs."""

import os
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]


def all_settings(*sims):
    env = {}
    for sim in sims:
        env.update(sim.connection_env())
    return env


def test_demo_playbook_creates_then_changes_nothing(finbourne_sim, sailpoint_sim, beyond_identity_sim, run_playbook):
    plays = yaml.safe_load((REPO / "playbooks" / "demo.yml").read_text())
    env = all_settings(finbourne_sim, sailpoint_sim, beyond_identity_sim)
    first = run_playbook(plays, extra_env=env, expect_rc=0)
    assert [t["name"] for t in first.tasks if t.changed] == [
        "Ensure the FINBOURNE role exists with exactly these users",
        "Ensure the SailPoint source exists",
        "Ensure the Beyond Identity group exists",
        "Ensure the people exist and belong to the group, in one task",
    ]
    assert first.task("Show the group size").result["msg"] == "Demo Engineering: 20 members"
    log_size = {sim.vendor: len(sim.log) for sim in (finbourne_sim, sailpoint_sim, beyond_identity_sim)}

    second = run_playbook(plays, extra_env=env, expect_rc=0)
    assert [t["name"] for t in second.tasks if t.changed] == []
    for sim in (finbourne_sim, sailpoint_sim, beyond_identity_sim):
        assert sim.writes(since=log_size[sim.vendor]) == [], "%s got writes on the second run" % sim.vendor


def test_built_collection_installs_and_runs(tmp_path, finbourne_sim, run_playbook):
    bindir = Path(sys.executable).parent
    subprocess.run([str(bindir / "ansible-galaxy"), "collection", "build", str(REPO), "--output-path", str(tmp_path)],
                   check=True, capture_output=True, text=True)
    tarballs = list(tmp_path.glob("identity-cloud-*.tar.gz"))
    assert len(tarballs) == 1
    installed = tmp_path / "installed"
    # --force: a copy installed elsewhere (ansible-lint puts one in ~/.ansible) must not make this a no-op.
    subprocess.run([str(bindir / "ansible-galaxy"), "collection", "install", "--force", str(tarballs[0]),
                    "-p", str(installed)], check=True, capture_output=True, text=True)
    root = installed / "ansible_collections" / "identity" / "cloud"
    assert (root / "plugins" / "modules" / "finbourne_role.py").is_file()
    assert not (root / "tests" / "output").exists() and not (root / ".venv").exists()
    # the developers' tooling stays out (galaxy.yml build_ignore; make release-check checks the full list)
    shipped_not = ["tools", ".ci", "pytest.ini", ".ansible-lint", ".gitignore", "Makefile", "requirements-test.txt",
                   "tests/benchmarks", "tests/matrix", "tests/release"]
    assert [name for name in shipped_not if (root / name).exists()] == []
    assert (root / "docs" / "docsite" / "links.yml").is_file()
    # the vendor API documents are test data, not part of what users install
    assert not (root / "tests" / "simulators" / "specs").exists()
    assert (REPO / "tests" / "simulators" / "specs" / "finbourne" / "PROVENANCE.md").is_file()

    env = dict(finbourne_sim.connection_env(), ANSIBLE_COLLECTIONS_PATH=str(installed), PYTHONPATH="")
    run = run_playbook([{"hosts": "localhost", "gather_facts": False, "tasks": [
        {"name": "role from the installed collection",
         "identity.cloud.finbourne_role": {"name": "Installed", "description": "from the tarball"}},
    ]}], extra_env=env, expect_rc=0)
    assert run.task("role from the installed collection").changed
    assert [r["name"] for r in finbourne_sim.collection("roles").values()] == ["Installed"]


def test_a_copy_of_the_tracked_files_runs_the_demo_alone(tmp_path):
    """The tracked files alone, in a folder with nothing beside it, start every simulator and run the demo."""
    copy = tmp_path / "clone"
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=str(REPO), check=True, capture_output=True).stdout
    for name in tracked.decode("utf-8").split("\0"):
        if name and (REPO / name).is_file():
            target = copy / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes((REPO / name).read_bytes())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clone"]
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("IDENTITY_CLOUD_SPECS", "ANSIBLE_", "FBN_", "SAIL_", "BEYONDIDENTITY_"))
           and k != "PYTHONPATH"}
    env["HOME"] = str(tmp_path / "clone" / ".cache" / "home")
    # tools/demo.py starts all three simulators from the copy and runs playbooks/demo.yml against them
    proc = subprocess.run([sys.executable, "tools/demo.py"], cwd=str(copy), env=env, capture_output=True, text=True,
                          timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    assert "Idempotent: the second run changed nothing." in proc.stdout
