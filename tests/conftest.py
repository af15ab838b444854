"""Shared pytest fixtures: the collection on the import path, simulators, and a playbook runner.

The repository root is the collection root. Python imports it as
``ansible_collections.identity.cloud`` through a symlink under ``.cache/collections``, the
same path ``ansible-playbook`` gets in ``ANSIBLE_COLLECTIONS_PATH``.
"""

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
COLLECTIONS = REPO / ".cache" / "collections"


def _link_collection():
    link = COLLECTIONS / "ansible_collections" / "identity" / "cloud"
    link.parent.mkdir(parents=True, exist_ok=True)
    if not link.exists():
        try:
            link.symlink_to(REPO, target_is_directory=True)
        except FileExistsError:
            pass
    if str(COLLECTIONS) not in sys.path:
        sys.path.insert(0, str(COLLECTIONS))


_link_collection()

from tests.simulators import SIMULATORS  # noqa: E402  (needs the path set up above)


# -- simulators ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def _servers():
    started = {}
    yield started
    for sim in started.values():
        sim.stop()


def _sim(servers, vendor):
    sim = servers.get(vendor)
    if sim is None:
        sim = SIMULATORS[vendor]()
        sim.start()
        servers[vendor] = sim
    sim.reset()
    sim.latency = 0.0
    return sim


@pytest.fixture
def finbourne_sim(_servers):
    return _sim(_servers, "finbourne")


@pytest.fixture
def sailpoint_sim(_servers):
    return _sim(_servers, "sailpoint")


@pytest.fixture
def beyond_identity_sim(_servers):
    return _sim(_servers, "beyond_identity")


# -- ansible-playbook ----------------------------------------------------------------------------


class TaskRecord(dict):
    @property
    def result(self):
        return self["result"]

    @property
    def changed(self):
        return self["status"] == "changed"

    @property
    def failed(self):
        return self["status"] == "failed"


class PlaybookRun:
    def __init__(self, proc, records):
        self.proc = proc
        self.rc = proc.returncode
        self.stdout = proc.stdout
        self.tasks = [TaskRecord(r) for r in records]

    def task(self, name):
        found = [t for t in self.tasks if t["name"] == name]
        assert found, "task %r did not run; tasks: %s\n%s" % (name, [t["name"] for t in self.tasks], self.stdout[-4000:])
        assert len(found) == 1, "task name %r is not unique" % name
        return found[0]

    def requests(self, sim, name):
        """The simulator requests sent while task ``name`` ran (matched by time)."""
        task = self.task(name)
        return [e for e in sim.log if task["start"] <= e["time"] <= task["end"]]

    def writes(self, sim, name):
        return [e for e in self.requests(sim, name) if e["write"]]


@pytest.fixture
def run_playbook(tmp_path):
    """Run a playbook (a list of plays, or YAML text) and return a ``PlaybookRun``.

    ``check`` and ``diff`` map to the command-line flags; ``extra_env`` adds variables.
    """
    counter = {"n": 0}

    def run(plays, check=False, diff=False, extra_env=None, verbosity=0, expect_rc=None):
        counter["n"] += 1
        if isinstance(plays, str):
            text = textwrap.dedent(plays)
        else:
            text = yaml.safe_dump(plays, sort_keys=False)
        playbook = tmp_path / ("play%d.yml" % counter["n"])
        playbook.write_text(text)
        record = tmp_path / ("record%d.jsonl" % counter["n"])
        cmd = [str(Path(sys.executable).parent / "ansible-playbook"), str(playbook), "-i", "localhost,", "-c", "local"]
        if check:
            cmd.append("--check")
        if diff:
            cmd.append("--diff")
        if verbosity:
            cmd.append("-" + "v" * verbosity)
        env = ansible_env(tmp_path)
        env["IDENTITY_CLOUD_RECORD"] = str(record)
        env.update(extra_env or {})
        proc = subprocess.run(cmd, cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=900, check=False)
        records = []
        if record.exists():
            records = [json.loads(line) for line in record.read_text().splitlines() if line.strip()]
        result = PlaybookRun(proc, records)
        if expect_rc is not None:
            assert proc.returncode == expect_rc, proc.stdout[-6000:] + proc.stderr[-3000:]
        return result

    return run


def ansible_env(tmp_path):
    env = dict(os.environ)
    env.update({
        "ANSIBLE_COLLECTIONS_PATH": str(COLLECTIONS),
        "ANSIBLE_CALLBACK_PLUGINS": str(REPO / "tests" / "integration" / "callback_plugins"),
        "ANSIBLE_CALLBACKS_ENABLED": "record_tasks",
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        "ANSIBLE_LOCALHOST_WARNING": "false",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
        "ANSIBLE_RETRY_FILES_ENABLED": "false",
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
        "ANSIBLE_LOCAL_TEMP": str(tmp_path / "ansible-tmp"),
        "ANSIBLE_HOME": str(tmp_path / "ansible-home"),
        "IDENTITY_CLOUD_TOKEN_CACHE_DIR": str(tmp_path / "tokens"),
        "PYTHONPATH": str(COLLECTIONS),
    })
    return env


def wait_until(predicate, timeout=5.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False
