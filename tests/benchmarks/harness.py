"""What every benchmark here shares: a simulator in its own process, ansible-playbook runs timed
with their tasks, peak memory of the processes involved, and the figures written as a Markdown
table and an SVG plot.

A benchmark of another vendor (e.g. ``finbourne_users.py``) reuses ``Simulator`` (``vendor=``),
``ansible_env``, ``playbook``, ``timed``, ``peak_rss_wrapper`` / ``module_peak_kb``, ``count``,
``markdown_table`` and ``svg_plot``, and can join the size sweep of ``scaling.py`` through its
``SWEEPS`` table.
"""

import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]
COLLECTIONS = REPO / ".cache" / "collections"
REALM = "Default"  # the Beyond Identity realm the benchmarks onboard into
# How the plays get the people: a play variable that reads people.json when a task uses it. Not
# vars_files: ansible-core 2.19 reads a vars file again, and tags every value in it with its origin,
# each time it gathers the variables of a task (about 0.5 s a time at 5,000 people, several times
# per task), a cost that grows with the file and that no module can avoid.
PEOPLE_VAR = "\"{{ (lookup('ansible.builtin.file', 'people.json') | from_json).people }}\""


class Simulator:
    """A vendor simulator in a subprocess, driven through its admin endpoints (default: Beyond Identity)."""

    def __init__(self, latency, workdir, vendor="beyond_identity"):
        self.latency = latency
        self.workdir = workdir
        self.vendor = vendor
        self.proc = None

    def start(self):
        env_file = self.workdir / "sim.env"
        if env_file.exists():
            env_file.unlink()
        latency = self.latency
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.simulators", "--vendor", self.vendor, "--latency", str(latency),
             "--env-file", str(env_file)], cwd=str(REPO), stdout=subprocess.DEVNULL, env=python_env())
        deadline = time.time() + 60
        while not (env_file.exists() and env_file.read_text().endswith("\n")):
            if time.time() > deadline or self.proc.poll() is not None:
                raise SystemExit("the simulator did not start")
            time.sleep(0.1)
        self.env = dict(line.split("=", 1) for line in env_file.read_text().splitlines() if "=" in line)
        self.session = requests.Session()
        if self.vendor == "beyond_identity":
            self.url = self.env["BEYONDIDENTITY_API_BASE_URL"]
            self.session.headers["Authorization"] = "Bearer " + self.env["BEYONDIDENTITY_API_TOKEN"]
            self.tenant = self.env["BEYONDIDENTITY_TENANT_ID"]
        else:
            self.url = next(v for k, v in self.env.items() if k.endswith("_URL"))

    def stop(self):
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None

    def reset(self, names, latency=None):
        """A fresh tenant with the groups; returns the Default realm's id. ``latency`` (seconds per
        request) replaces the one the simulator was created with, until the next reset.

        A reset mints a new static API token, so the simulator process is started anew instead.
        """
        if self.proc is not None:
            self.stop()
        self.start()
        if latency is not None:
            self.session.post(self.url + "/__sim__/latency", json={"seconds": latency}).raise_for_status()
        realms = self.session.get("%s/v1/tenants/%s/realms" % (self.url, self.tenant)).json()["realms"]
        realm_id = [r["id"] for r in realms if r["display_name"] == REALM][0]
        for name in names:
            self.session.post("%s/v1/tenants/%s/realms/%s/groups" % (self.url, self.tenant, realm_id),
                              json={"group": {"display_name": name}}).raise_for_status()
        return realm_id

    def log(self):
        return self.session.get(self.url + "/__sim__/log").json()

    def stats(self):
        """(CPU seconds the simulator process has used, all threads; requests it has logged), in one call."""
        stats = self.session.get(self.url + "/__sim__/stats").json()
        return stats["cpu_seconds"], stats["requests"]

    def cpu_ms_per_request(self, before):
        """The simulator's CPU milliseconds per request logged since ``before`` (a ``stats()``)."""
        cpu, served = self.stats()
        return 1000 * (cpu - before[0]) / max(1, served - before[1])


def python_env(extra=None):
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env.update(extra or {})
    return env


def ansible_env(sim, workdir):
    link = COLLECTIONS / "ansible_collections" / "identity" / "cloud"
    link.parent.mkdir(parents=True, exist_ok=True)
    if not link.exists():
        link.symlink_to(REPO, target_is_directory=True)
    return python_env(dict(sim.env, **{
        "ANSIBLE_COLLECTIONS_PATH": str(COLLECTIONS),
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        "ANSIBLE_LOCALHOST_WARNING": "false",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
        "ANSIBLE_RETRY_FILES_ENABLED": "false",
        "ANSIBLE_HOME": str(workdir / "ansible-home"),
        "ANSIBLE_LOCAL_TEMP": str(workdir / "ansible-tmp"),
        "IDENTITY_CLOUD_TOKEN_CACHE_DIR": str(workdir / "tokens"),
        "ANSIBLE_CALLBACK_PLUGINS": str(Path(__file__).resolve().parent / "callback_plugins"),
        "ANSIBLE_CALLBACKS_ENABLED": "task_time",
        "TASK_TIME_FILE": str(workdir / "task-time.json"),
    }))


def timed(cmd, workdir, env, peak_file=None):
    """Seconds ``cmd`` ran; with ``peak_file``, its peak resident memory (KiB) is written there.

    The peak comes from ``wait4`` on the process itself, so no helper (such as GNU time) is needed.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=str(workdir), env=env, stdout=out, stderr=err)
        _pid, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
        if proc.returncode != 0:
            out.seek(0)
            err.seek(0)
            raise SystemExit("%s failed (rc %d):\n%s\n%s" % (
                " ".join(str(part) for part in cmd[:3]), proc.returncode,
                out.read().decode("utf-8", "replace")[-3000:], err.read().decode("utf-8", "replace")[-3000:]))
    if peak_file is not None:
        Path(peak_file).write_text("%d\n" % usage.ru_maxrss)
    return elapsed


def playbook(workdir, name, text, env, extra_args=()):
    """Seconds of the whole ansible-playbook run, and {task name: seconds} of its tasks."""
    path = workdir / name
    path.write_text(textwrap.dedent(text))
    cmd = [str(Path(sys.executable).parent / "ansible-playbook"), str(path), "-i", "localhost,", "-c", "local"]
    task_times = Path(env["TASK_TIME_FILE"])
    if task_times.exists():
        task_times.unlink()
    elapsed = timed(cmd + list(extra_args), workdir, env)
    return elapsed, json.loads(task_times.read_text())


def count(log, since):
    entries = [e for e in log[since:] if not e.get("auth")]
    return sum(1 for e in entries if e["write"]), sum(1 for e in entries if not e["write"])


def peak_rss_wrapper(workdir):
    """An interpreter for ``ANSIBLE_PYTHON_INTERPRETER`` that records each module process's peak
    resident memory (KiB, one line per module run) in ``workdir / "module-peak.txt"``."""
    wrapper = workdir / "python-peak"
    wrapper.write_text('#!/bin/sh\nexec "%s" -S -E "%s" "%s" "%s" "$@"\n' % (
        sys.executable, Path(__file__).resolve().parent / "peak.py", workdir / "module-peak.txt", sys.executable))
    wrapper.chmod(0o755)
    return wrapper


def module_peak_kb(workdir, reset=False):
    """The largest module-process peak recorded by ``peak_rss_wrapper`` since the last reset."""
    path = workdir / "module-peak.txt"
    if reset:
        if path.exists():
            path.unlink()
        return None
    if not path.exists():
        return None
    values = [int(line) for line in path.read_text().split() if line.strip().isdigit()]
    return max(values) if values else None
