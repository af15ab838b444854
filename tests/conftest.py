"""Shared pytest fixtures: the collection on the import path, simulators, and a playbook runner.

The repository root is the collection root. Python imports it as
``ansible_collections.identity.cloud`` through a symlink under ``.cache/collections``, the
same path ``ansible-playbook`` gets in ``ANSIBLE_COLLECTIONS_PATH``.
"""

import json
import os
import re
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

# ``make test-random-faults`` sets this: the simulators of the integration tests then answer 10 % of
# the requests with a fault the modules must ride out (seeded; the seed is printed in the header).
RANDOM_FAULTS_SEED = os.environ.get("IDENTITY_CLOUD_RANDOM_FAULTS")
RANDOM_FAULTS_RATE = float(os.environ.get("IDENTITY_CLOUD_RANDOM_FAULTS_RATE") or 0.1)
# Playbooks run at this verbosity unless the test sets one (IDENTITY_CLOUD_PLAY_VERBOSITY=4 for all at -vvvv);
# every output is searched for secrets (see ``leaked_secrets``).
PLAY_VERBOSITY = int(os.environ.get("IDENTITY_CLOUD_PLAY_VERBOSITY") or 0)
# IDENTITY_CLOUD_PLAY_DIFF=1: every playbook runs with --diff (what the diff shows is searched too)
PLAY_DIFF = os.environ.get("IDENTITY_CLOUD_PLAY_DIFF") == "1"
# IDENTITY_CLOUD_ANSIBLE_BIN=<a virtualenv's bin folder>: playbooks run with that ansible-playbook and its python
# (make test-matrix: the older ansible-core releases, tests/matrix); default: this Python's own.
ANSIBLE_BIN = Path(os.environ.get("IDENTITY_CLOUD_ANSIBLE_BIN") or Path(sys.executable).parent).absolute()
SECRET_KEY = re.compile(r"password|secret|token|api_?key|private_?key|authorization", re.I)
NOT_SECRET_KEYS = {"token_url", "token_cache", "token_cache_dir", "token_scopes", "update_secrets",
                   "fbn_token_url", "secret_fields", "api_token_action", "old_api_token_deactivation",
                   "update_password", "rotate_secret", "authorization_endpoint", "token_endpoint", "token_ids"}


def pytest_configure(config):
    config.addinivalue_line("markers", "no_random_faults: not run under random faults: unit and contract tests "
                            "(marked here), integration tests that inject faults of their own, and bad-input tests "
                            "whose every case must fail before any write (an end-to-end run of the same role or "
                            "module rides out random faults in the other pass)")


# The longest runs (a minute or more each: whole roles and playbook flows), longest first, by file and test name.
# The parallel passes hand tests out in collection order: collected last, they kept one worker busy at the end
# while the others had nothing left to run.
LONG_RUNS = [
    "test_tenant_promote.py::test_promote_and_prune",
    "test_role_sailpoint_access.py::test_from_nothing_to_requestable_access",
    "test_tenant_export_roundtrip.py::test_round_trip",
    "test_inventory_flow_secrets.py::test_no_secret_of_the_inventory_flow_prints_at_vvvv",
    "test_playbooks_and_roles.py::test_example_inventory_playbooks",
    "test_tenant_export_sailpoint.py::test_export_writes_the_role_shape_and_converges_with_no_change",
    "test_tenant_export_sailpoint.py::test_promote_to_a_second_tenant",
    "test_role_sailpoint_access_references.py::test_entitlements_and_roles_approved_by_a_new_group",
    "test_tenant_promote.py::test_promote_sailpoint_sources_and_prune",
    "test_playbooks_and_roles.py::test_molecule_scenario_without_molecule",
    "test_role_sailpoint_access.py::test_failed_run_finished_by_the_corrected_one",
    "test_people_leavers.py::test_leavers_by_username_lose_every_access",
    "test_role_source_onboarding.py::test_pending_source_in_check_mode_then_converge",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "integration" not in item.path.parts:
            item.add_marker(pytest.mark.no_random_faults)
    # the long runs first (a stable sort: the rest keep their order); the Makefile's passes hand out one test at a
    # time (--maxschedchunk 1), so they start on different workers and the passes end on short tests
    rank = dict((name, at) for at, name in enumerate(LONG_RUNS))
    items.sort(key=lambda item: rank.get("%s::%s" % (item.path.name, getattr(item, "originalname", item.name)), len(rank)))


def _random_faults_line():
    return "random faults: seed %s, rate %.0f %% (FAULT_SEED=%s make pytest-random-faults repeats it)" % (
        RANDOM_FAULTS_SEED, RANDOM_FAULTS_RATE * 100, RANDOM_FAULTS_SEED)


def pytest_report_header(config):
    return _random_faults_line() if RANDOM_FAULTS_SEED else None


def pytest_terminal_summary(terminalreporter):
    if RANDOM_FAULTS_SEED:  # also at the end, and with -q (which hides the header)
        terminalreporter.write_line(_random_faults_line())


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
    if RANDOM_FAULTS_SEED:
        sim.use_random_faults("%s-%s-%s" % (RANDOM_FAULTS_SEED, vendor, os.environ.get("PYTEST_CURRENT_TEST", "")),
                              RANDOM_FAULTS_RATE)
    return sim


def sim_secrets(sim):
    """What a simulator holds secret: the access tokens it issued and the credentials it hands out."""
    found = {"access token issued by the %s simulator" % sim.vendor: list(sim.tokens)}
    for getter in ("connection_env", "client_credentials_env"):
        env = getattr(sim, getter, lambda: {})()
        for name, value in env.items():
            if SECRET_KEY.search(name) and not name.lower().endswith("url") and value:
                found.setdefault(name, []).append(value)
    return found


def given_secrets(value, found=None, key=None):
    """Values under secret-looking keys anywhere in a playbook (what the test passed as secrets)."""
    found = {} if found is None else found
    if isinstance(value, dict):
        for name, item in value.items():
            given_secrets(item, found, str(name))
    elif isinstance(value, list):
        for item in value:
            given_secrets(item, found, key)
    elif (isinstance(value, str) and key and SECRET_KEY.search(key) and key.lower() not in NOT_SECRET_KEYS
          and len(value) >= 6 and "{{" not in value):
        found.setdefault("playbook option %s" % key, []).append(value)
    return found


# ansible-core prints the lines of the playbook file around a failed task ("Origin:" and numbered lines):
# the test's own playbook text, with whatever it holds inline, not anything a module output.
ORIGIN_EXCERPT = re.compile(r"Origin: [^\n]*\n\n(?:\d+ [^\n]*\n|\s+\^ column \d+\n)*")


def leaked_secrets(text, secrets):
    """The names of the secrets (never the values) that occur in ``text``."""
    return sorted(name for name, values in secrets.items() if any(v and v in text for v in values))


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
def run_playbook(tmp_path, _servers):
    """Run a playbook (a list of plays, or YAML text) and return a ``PlaybookRun``.

    ``check`` and ``diff`` map to the command-line flags; ``extra_env`` adds variables. Every run's
    output (at ``verbosity``, else ``PLAY_VERBOSITY``) is searched for every secret the
    simulators issued or hand out, every secret-looking option value of the playbook and ``secrets``:
    a hit fails the test, naming the secret but not showing it.
    """
    counter = {"n": 0}

    def run(plays, check=False, diff=False, extra_env=None, verbosity=None, expect_rc=None, secrets=()):
        counter["n"] += 1
        if isinstance(plays, str):
            text = textwrap.dedent(plays)
        else:
            text = yaml.safe_dump(plays, sort_keys=False)
        playbook = tmp_path / ("play%d.yml" % counter["n"])
        playbook.write_text(text)
        record = tmp_path / ("record%d.jsonl" % counter["n"])
        cmd = [str(ANSIBLE_BIN / "ansible-playbook"), str(playbook), "-i", "localhost,", "-c", "local"]
        if check:
            cmd.append("--check")
        if diff or PLAY_DIFF:
            cmd.append("--diff")
        verbosity = PLAY_VERBOSITY if verbosity is None else verbosity
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
        known = given_secrets(yaml.safe_load(text))
        for sim in _servers.values():
            known.update(sim_secrets(sim))
        if secrets:
            known["secret the test passed"] = [s for s in secrets if s]
        output = ORIGIN_EXCERPT.sub("Origin: <excerpt of the playbook file>\n", proc.stdout + proc.stderr)
        leaked = leaked_secrets(output, known)
        if leaked:
            value = next(v for v in known[leaked[0]] if v in output)
            at = output.index(value)
            context = output[max(0, at - 300):at + len(value) + 100].replace(value, "<SECRET>")
            context = repr(context)
            pytest.fail("secrets in the output of %s: %s; first one here: ...%s..." % (playbook.name, leaked, context))
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
        "ANSIBLE_PYTHON_INTERPRETER": str(ANSIBLE_BIN / "python"),
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
