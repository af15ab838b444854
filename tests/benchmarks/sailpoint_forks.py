"""Ten forks onboarding SailPoint sources against the simulator's 100 requests / 10 s limit.

    .venv/bin/python -m tests.benchmarks.sailpoint_forks [--sources 50] [--forks 10] [--limit 100]
                                                         [--strategy linear|free]

This is a benchmark, not a test: it prints figures and asserts nothing. The SailPoint simulator
runs in its own process (``python -m tests.simulators --vendor sailpoint``) and limits every
client id to 100 requests per 10 s as the vendor does (429 + Retry-After beyond). The playbook
has one inventory host per source (all local) and runs with ``-f FORKS``; each host onboards its
source: the source, its account schema, two provisioning policies (the bulk form) and an
account aggregation schedule. It runs twice against a fresh simulator:

  shared    the collection's shared client-side limit (the default: 100 per 10 s for the client id)
  off       rate_limit: 0, each fork on its own, relying on 429 + Retry-After

and once more with no limit on either side ("ceiling": the simulator allows 10,000 per 10 s and
rate_limit is 0), which shows how many requests per 10 s the controller itself can send. A last
play, "Ansible alone", has ``ansible.builtin.ping`` in place of each task: the pace of Ansible
itself on this machine, and the request rate it would allow at the onboarding's requests per task.
It prints, per run: API requests sent, requests per 10 s achieved (answered, not 429) as a share of the limit
(over the span from the first to the last API request; target >= 90 %) and as a share of what can
be reached at all (the lower of the limit and the ceiling), the same for every request sent, 429
answers received, failed tasks (target 0) and the wall time.

Each task costs the controller a fork, a Python start, a module upload and the module's imports
(about 0.6 CPU-seconds per task for even ``ansible.builtin.ping`` on the 2-core machine the figures
in the README come from). When the ceiling is under the limit, that, not the limiter, sets the pace;
``--strategy free`` lifts the ceiling a little (no fork waits for the slowest host of each task),
and ``--limit 30`` lowers the simulator's limit and the collection's ``rate_limit`` together to
show what the limiter does when the controller can outrun it.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import requests

from tests.benchmarks import harness
from tests.benchmarks.harness import COLLECTIONS, REPO

WINDOW = 10.0

PLAYBOOK = """
- hosts: sources
  gather_facts: false
  module_defaults:
    group/identity.cloud.sailpoint:
      base_url: "{{ lookup('ansible.builtin.env', 'SAIL_BASE_URL') }}"
      client_id: "{{ lookup('ansible.builtin.env', 'SAIL_CLIENT_ID') }}"
      client_secret: "{{ lookup('ansible.builtin.env', 'SAIL_CLIENT_SECRET') }}"
      rate_limit: "{{ lookup('ansible.builtin.env', 'BENCH_RATE_LIMIT') | int }}"
  tasks:
    - name: Source
      identity.cloud.sailpoint_source:
        name: "{{ source_name }}"
        owner: Ada Admin
        connector: delimited-file
        description: "Onboarded by the fork benchmark"
    - name: Account schema
      identity.cloud.sailpoint_source_schema:
        source: "{{ source_name }}"
        name: account
        native_object_type: User
        identity_attribute: employeeId
        display_attribute: displayName
        attributes:
          - {name: employeeId, type: STRING}
          - {name: displayName, type: STRING}
          - {name: mail, type: STRING}
    - name: Provisioning policies
      identity.cloud.sailpoint_provisioning_policy:
        source: "{{ source_name }}"
        policies:
          - usage_type: CREATE
            name: Account
            fields: [{name: employeeId, type: string}, {name: mail, type: string}]
          - usage_type: UPDATE
            name: Account update
            fields: [{name: mail, type: string}]
    - name: Schedule
      identity.cloud.sailpoint_source_schedule:
        source: "{{ source_name }}"
        type: ACCOUNT_AGGREGATION
        cron_expression: "0 0 3 * * ?"
"""


class Simulator(harness.Simulator):
    """The SailPoint simulator in a subprocess (default limit: 100 requests / 10 s per client id)."""

    def __init__(self, workdir):
        super(Simulator, self).__init__(0.0, workdir, vendor="sailpoint")

    def start(self, limit):
        super(Simulator, self).start()
        requests.post(self.env["SAIL_BASE_URL"] + "/__sim__/rate-limit", json={"requests": limit, "seconds": WINDOW},
                      timeout=30).raise_for_status()

    def log(self):
        return requests.get(self.env["SAIL_BASE_URL"] + "/__sim__/log", timeout=60).json()


def inventory(workdir, sources):
    lines = ["[sources]"] + ["src%03d source_name='Bench Source %03d' ansible_connection=local" % (n, n)
                             for n in range(1, sources + 1)]
    path = workdir / "inventory.ini"
    path.write_text("\n".join(lines) + "\n")
    return path


TASKS = PLAYBOOK.count("\n    - name: ")  # per source


def run_playbook(workdir, play, sources, forks, strategy, extra_env=None):
    """(the finished ansible-playbook process, its wall time) for ``play`` on one host per source."""
    env = dict(os.environ, **(extra_env or {}))
    env.update({
        "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""),
        "ANSIBLE_COLLECTIONS_PATH": str(COLLECTIONS),
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        "ANSIBLE_HOME": str(workdir / "ansible-home"),
        "ANSIBLE_LOCAL_TEMP": str(workdir / "ansible-tmp"),
        "ANSIBLE_RETRY_FILES_ENABLED": "false",
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_STRATEGY": strategy,
    })
    cmd = [str(Path(sys.executable).parent / "ansible-playbook"), str(play), "-i", str(inventory(workdir, sources)),
           "-f", str(forks)]
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=str(workdir), env=env, capture_output=True, text=True, check=False)
    return proc, time.perf_counter() - started


def ansible_alone(workdir, sources, forks, strategy):
    """Wall time of the same play with ``ansible.builtin.ping`` in place of each task: Ansible's own pace."""
    play = workdir / "ping.yml"
    play.write_text("- hosts: sources\n  gather_facts: false\n  tasks:\n" + "    - ansible.builtin.ping:\n" * TASKS)
    proc, wall = run_playbook(workdir, play, sources, forks, strategy)
    if proc.returncode:
        raise SystemExit("the ping play failed:\n" + proc.stdout[-2000:])
    return wall


def run(workdir, sources, forks, limit, rate_limit, strategy):
    sim = Simulator(workdir)
    sim.start(limit)
    try:
        link = COLLECTIONS / "ansible_collections" / "identity" / "cloud"
        link.parent.mkdir(parents=True, exist_ok=True)
        if not link.exists():
            link.symlink_to(REPO, target_is_directory=True)
        tokens = workdir / ("tokens-%d" % rate_limit)
        play = workdir / "onboard.yml"
        play.write_text(textwrap.dedent(PLAYBOOK))
        proc, wall = run_playbook(workdir, play, sources, forks, strategy, dict(
            sim.env, IDENTITY_CLOUD_TOKEN_CACHE_DIR=str(tokens), BENCH_RATE_LIMIT=str(rate_limit)))
        log = [e for e in sim.log() if not e.get("auth")]
    finally:
        sim.stop()
    failed = sum(int(n) for n in re.findall(r"failed=(\d+)", proc.stdout))
    stamps = sorted(e["time"] for e in log)
    span = (stamps[-1] - stamps[0]) if len(stamps) > 1 else 0.0
    answered = sum(1 for e in log if e.get("status") != 429)
    per_window = answered * WINDOW / span if span else 0.0  # requests the tenant served, not the 429s
    busiest = 0
    first = 0
    for last, stamp in enumerate(stamps):
        while stamp - stamps[first] >= WINDOW:
            first += 1
        busiest = max(busiest, last - first + 1)
    return {
        "requests": len(log),
        "accepted": answered,
        "sent_share": len(stamps) * WINDOW / span / limit if span else 0.0,
        "429s": sum(1 for e in log if e.get("status") == 429),
        "share": per_window / limit,
        "busiest": busiest,
        "failed": failed,
        "wall": wall,
        "rc": proc.returncode,
        "tail": proc.stdout[-1500:] if failed else "",
    }


CEILING = 10000  # requests per 10 s: no limit the controller could reach


def report(label, res, limit, reachable):
    print("\n%s" % label)
    print("  API requests sent           %6d (%d answered, %d x 429)" % (res["requests"], res["accepted"], res["429s"]))
    print("  requests per 10 s achieved  %6.1f %% of the limit (answered ones; target >= 90 %%): %s" % (
        100 * res["share"], "met" if res["share"] >= 0.9 else "NOT met"))
    if reachable:
        print("                              %6.1f %% of what can be reached (the lower of the limit and the ceiling)"
              % (100 * res["share"] * limit / reachable))
    print("  requests per 10 s sent      %6.1f %% of the limit (429s included)" % (100 * res["sent_share"]))
    print("  busiest 10 s window         %6d requests" % res["busiest"])
    print("  429 answers received        %6d" % res["429s"])
    print("  failed tasks                %6d (target 0): %s" % (res["failed"], "met" if not res["failed"] else "NOT met"))
    print("  wall time                   %6.1f s" % res["wall"])
    if res["tail"]:
        print(textwrap.indent(res["tail"], "    | "))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=50)
    parser.add_argument("--forks", type=int, default=10)
    parser.add_argument("--limit", type=int, default=100, help="requests per 10 s (simulator and rate_limit)")
    parser.add_argument("--strategy", choices=("linear", "free"), default="linear", help="the play's strategy")
    args = parser.parse_args(argv)
    print("%d sources (source, schema, 2 provisioning policies, schedule each), -f %d, strategy %s, "
          "limit %d / %ds per client id" % (args.sources, args.forks, args.strategy, args.limit, WINDOW))
    with tempfile.TemporaryDirectory(prefix="sp-forks-") as tmp:
        ceiling = run(Path(tmp), args.sources, args.forks, CEILING, 0, args.strategy)
        sent = ceiling["share"] * CEILING
        reachable = min(args.limit, sent)
        print("\nceiling (no limit anywhere): what the controller sends")
        print("  requests per 10 s           %6.1f (busiest 10 s window %d)" % (sent, ceiling["busiest"]))
        print("  failed tasks                %6d" % ceiling["failed"])
        print("  wall time                   %6.1f s" % ceiling["wall"])
        pings = ansible_alone(Path(tmp), args.sources, args.forks, args.strategy)
        tasks = TASKS * args.sources
        per_task = ceiling["requests"] / float(tasks)
        print("\nAnsible alone: the same play with ansible.builtin.ping in place of every task")
        print("  wall time                   %6.1f s (%.2f tasks/s; the onboarding %.2f tasks/s)" % (
            pings, tasks / pings, tasks / ceiling["wall"]))
        print("  requests per 10 s at that pace, with the onboarding's %.2f requests per task: %.1f" % (
            per_task, per_task * tasks * WINDOW / pings))
        results = []
        for label, rate_limit in (("shared limiter", args.limit), ("no limiter (rate_limit: 0)", 0)):
            res = run(Path(tmp), args.sources, args.forks, args.limit, rate_limit, args.strategy)
            results.append(res)
            report(label, res, args.limit, reachable)
        shared, off = results
        if off["wall"]:
            print("\nshared / off wall time: %.2f; 429s %d vs %d" % (shared["wall"] / off["wall"], shared["429s"], off["429s"]))


if __name__ == "__main__":
    main()
