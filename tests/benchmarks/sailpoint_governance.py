"""SailPoint governance at scale: entitlement metadata for 5,000 entitlements and 500 access profiles,
one task each, against a plain Python script doing the calls they need under the same rate limit.

    .venv/bin/python -m tests.benchmarks.sailpoint_governance [--entitlements 5000] [--access-profiles 500]
        [--limit 100] [--latency 0.02] [--concurrency 8] [--repeat 1] [--settle 10]

A benchmark, not a test: it prints times and ratios and asserts nothing but the state it leaves. The SailPoint
simulator runs in its own process, started afresh before each approach, with one source ("Bench Ledger")
whose ENTITLEMENTS entitlements are seeded through its admin call (``POST /__sim__/entitlements``: what an
aggregation would bring in, without the aggregation's cost). Both approaches then do the same two phases, each
timed as a fresh process:

  entitlements     every entitlement requestable, one in ten also privileged (they all start neither)
  access profiles  ACCESS_PROFILES access profiles of the source, two entitlements each (by value), owner Ada
                   Admin, requestable

  (b) module   one identity.cloud.sailpoint_entitlement task (``entitlements:``) and one
               identity.cloud.sailpoint_access_profile task (``access_profiles:``), each its own ansible-playbook
  (c) script   a ``requests`` script doing only the calls that are needed: the source by name, its entitlements
               (pages of 250), then ``POST /entitlements/bulk-update`` per 50 ids that take the same patch; for the
               profiles, the owner by name, the existing profiles, the entitlements, then one create per profile;
               writes in a thread pool of the same concurrency, under a client-side limit of LIMIT requests per
               10 s (the vendor's 100 by default) that also waits out any 429's Retry-After

The simulator limits the client id to LIMIT requests per 10 s and the collection's ``rate_limit`` is set to
LIMIT too: ``--limit`` above the vendor's 100 raises both alike. Before each timed phase the run waits
``--settle`` seconds (untimed) so that both approaches start with an empty rate-limit window. Finally the
module's two tasks run again on the converged tenant: they must read only (writes counted from the
simulator's request log). Targets: each task net of the floor (a task that does nothing, Ansible's own cost)
<= 1.2 x the script's phase; the converged re-run 0 writes.
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests

from tests.benchmarks import harness
from tests.benchmarks.harness import ansible_env, count, playbook, timed
from tests.simulators.sailpoint.common import ADMIN_ID

SOURCE = "Bench Ledger"
OWNER = "Ada Admin"
WINDOW = 10
PHASES = ("entitlements", "access profiles")
TASKS = {"entitlements": "Entitlement metadata", "access profiles": "Access profiles"}
DATA_VAR = "(lookup('ansible.builtin.file', 'governance.json') | from_json)"

PLAY = '''
- name: SailPoint governance at scale
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/identity.cloud.sailpoint:
      base_url: "{{{{ lookup('ansible.builtin.env', 'SAIL_BASE_URL') }}}}"
      client_id: "{{{{ lookup('ansible.builtin.env', 'SAIL_CLIENT_ID') }}}}"
      client_secret: "{{{{ lookup('ansible.builtin.env', 'SAIL_CLIENT_SECRET') }}}}"
      rate_limit: {limit}
  tasks:
{task}
'''
TASK = {
    "entitlements": '''
    - name: Entitlement metadata
      identity.cloud.sailpoint_entitlement:
        concurrency: {concurrency}
        entitlements: "{{{{ {data}.entitlements }}}}"
''',
    "access profiles": '''
    - name: Access profiles
      identity.cloud.sailpoint_access_profile:
        concurrency: {concurrency}
        access_profiles: "{{{{ {data}.access_profiles }}}}"
''',
    "floor": '''
    - name: Load the items
      ansible.builtin.debug: {{msg: "{{{{ {data}.entitlements | length }}}}"}}

    - name: A module that does nothing
      ansible.builtin.ping:
''',
}

SCRIPT = r'''
import collections, json, os, sys, threading, time
from concurrent.futures import ThreadPoolExecutor
import requests

phase, data, concurrency, limit = sys.argv[1], json.load(open(sys.argv[2])), int(sys.argv[3]), int(sys.argv[4])
base = os.environ["SAIL_BASE_URL"]
api = base + "/v2024"
session = requests.Session()
adapter = requests.adapters.HTTPAdapter(pool_connections=concurrency, pool_maxsize=concurrency)
session.mount("http://", adapter)
token = session.post(base + "/oauth/token", data={"grant_type": "client_credentials", "client_id": os.environ["SAIL_CLIENT_ID"],
                                                  "client_secret": os.environ["SAIL_CLIENT_SECRET"]}).json()["access_token"]
session.headers.update({"Authorization": "Bearer " + token, "X-SailPoint-Experimental": "true"})
sent, lock = collections.deque(), threading.Lock()

def call(method, path, **kwargs):
    """One request under the client-side limit (``limit`` per 10 s); a 429 waits its Retry-After."""
    while True:
        with lock:
            while True:
                now = time.monotonic()
                while sent and now - sent[0] >= 10:
                    sent.popleft()
                if len(sent) < limit:
                    sent.append(now)
                    break
                time.sleep(10 - (now - sent[0]))
        reply = session.request(method, api + path, **kwargs)
        if reply.status_code == 429:
            time.sleep(float(reply.headers.get("Retry-After", "1")))
            continue
        reply.raise_for_status()
        return reply.json() if reply.content else None

def pages(path, **params):
    found, offset = [], 0
    while True:
        page = call("GET", path, params=dict(params, limit=250, offset=offset))
        found += page
        if len(page) < 250:
            return found
        offset += 250

source = call("GET", "/sources", params={"filters": 'name eq "%s"' % data["source"]})[0]
entitlements = dict((e["value"], e) for e in pages("/entitlements", filters='source.id eq "%s"' % source["id"]))
pool = ThreadPoolExecutor(concurrency)
if phase == "entitlements":
    patches = collections.defaultdict(list)
    for item in data["entitlements"]:
        have = entitlements[item["value"]]
        patch = tuple((field, item[field]) for field in ("requestable", "privileged") if have.get(field) != item[field])
        if patch:
            patches[patch].append(have["id"])
    bodies = [{"entitlementIds": ids[start:start + 50], "jsonPatch": [{"op": "replace", "path": "/" + field, "value": value}
                                                                     for field, value in patch]}
              for patch, ids in patches.items() for start in range(0, len(ids), 50)]
    list(pool.map(lambda body: call("POST", "/entitlements/bulk-update", json=body), bodies))
else:
    owner = call("GET", "/identities", params={"filters": 'name eq "%s"' % data["owner"]})[0]
    existing = set(p["name"] for p in pages("/access-profiles"))
    ref = lambda kind, obj: {"type": kind, "id": obj["id"], "name": obj["name"]}
    bodies = [{"name": item["name"], "description": item["description"], "requestable": True, "enabled": True,
               "owner": ref("IDENTITY", owner), "source": ref("SOURCE", source),
               "entitlements": [ref("ENTITLEMENT", entitlements[v]) for v in item["entitlements"]]}
              for item in data["access_profiles"] if item["name"] not in existing]
    list(pool.map(lambda body: call("POST", "/access-profiles", json=body), bodies))
'''


class Simulator(harness.Simulator):
    """The SailPoint simulator in a subprocess: a reset starts it afresh, limits it and seeds the source."""

    def __init__(self, latency, workdir, limit):
        super(Simulator, self).__init__(latency, workdir, vendor="sailpoint")
        self.limit = limit

    def start(self):
        super(Simulator, self).start()
        self.url = self.env["SAIL_BASE_URL"]
        token = requests.post(self.url + "/oauth/token", data={
            "grant_type": "client_credentials", "client_id": self.env["SAIL_CLIENT_ID"],
            "client_secret": self.env["SAIL_CLIENT_SECRET"]}, timeout=30).json()["access_token"]
        self.session.headers.update({"Authorization": "Bearer " + token, "X-SailPoint-Experimental": "true"})
        self.session.post(self.url + "/__sim__/rate-limit", json={"requests": self.limit, "seconds": WINDOW},
                          timeout=30).raise_for_status()
        if self.latency:
            self.session.post(self.url + "/__sim__/latency", json={"seconds": self.latency}, timeout=30).raise_for_status()

    def reset(self, values):
        """A fresh tenant with the source and its entitlements (none requestable, none privileged)."""
        self.stop()
        self.start()
        reply = self.session.post(self.url + "/v2024/sources", json={
            "name": SOURCE, "owner": {"type": "IDENTITY", "name": OWNER, "id": ADMIN_ID},
            "connector": "delimited-file"}, timeout=30)
        reply.raise_for_status()
        self.source_id = reply.json()["id"]
        self.session.post(self.url + "/__sim__/entitlements", json={"source": self.source_id, "values": values},
                          timeout=120).raise_for_status()

    def log(self):
        return self.session.get(self.url + "/__sim__/log", timeout=60).json()

    def _all(self, path, **params):
        found, offset = [], 0
        while True:
            page = self.session.get(self.url + "/v2024" + path, params=dict(params, limit=250, offset=offset),
                                    timeout=60)
            page.raise_for_status()
            found += page.json()
            if len(page.json()) < 250:
                return found
            offset += 250

    def check(self, data, phase, label):
        """Every approach must leave the same state (read back through the API, untimed)."""
        entitlements = dict((e["value"], e) for e in self._all("/entitlements", filters='source.id eq "%s"' % self.source_id))
        wrong = [i["value"] for i in data["entitlements"] if (entitlements[i["value"]].get("requestable"),
                 entitlements[i["value"]].get("privileged")) != (i["requestable"], i["privileged"])]
        if phase == "access profiles":
            profiles = dict((p["name"], p) for p in self._all("/access-profiles"))
            wrong += [i["name"] for i in data["access_profiles"] if i["name"] not in profiles or sorted(
                e["name"] for e in profiles[i["name"]]["entitlements"]) != sorted(i["entitlements"])
                or not profiles[i["name"]].get("requestable")]
        if wrong:
            raise SystemExit("%s (%s) left %d objects wrong, e.g. %s" % (label, phase, len(wrong), wrong[0]))


def workload(entitlements, access_profiles):
    values = ["GL-%05d" % n for n in range(entitlements)]
    return values, {
        "source": SOURCE, "owner": OWNER,
        "entitlements": [{"source": SOURCE, "value": v, "requestable": True, "privileged": n % 10 == 0}
                         for n, v in enumerate(values)],
        "access_profiles": [{"name": "Ledger Access %04d" % n, "description": "Bench access profile %d" % n,
                             "source": SOURCE, "owner": OWNER, "requestable": True,
                             "entitlements": sorted(set([values[(2 * n) % len(values)], values[(2 * n + 1) % len(values)]]))}
                            for n in range(access_profiles)]}


def module_play(phase, args):
    return PLAY.format(limit=args.limit, task=TASK[phase].format(concurrency=args.concurrency, data=DATA_VAR))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entitlements", type=int, default=5000, help="entitlements of the source (default 5000)")
    parser.add_argument("--access-profiles", type=int, default=500, help="access profiles to create (default 500)")
    parser.add_argument("--limit", type=int, default=100,
                        help="requests per 10 s for the simulator and the collection's rate_limit (vendor: 100)")
    parser.add_argument("--latency", type=float, default=0.02, help="seconds the simulator adds per request")
    parser.add_argument("--concurrency", type=int, default=8, help="parallel writes of (b) and (c) (default 8)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of (b), (c) and the floor; the median is shown")
    parser.add_argument("--settle", type=float, default=WINDOW,
                        help="seconds to wait (untimed) before each timed phase: an empty rate-limit window")
    args = parser.parse_args(argv)

    values, data = workload(args.entitlements, args.access_profiles)
    kinds = ("floor", "noop") + tuple("%s %s" % (way, phase) for way in ("raw", "task", "run") for phase in PHASES)
    runs = dict((key, []) for key in kinds)
    counts = {}
    with tempfile.TemporaryDirectory(prefix="sp-gov-bench-", dir=str(harness.REPO / ".cache")) as tmp:
        workdir = Path(tmp)
        (workdir / "governance.json").write_text(json.dumps(data))
        (workdir / "raw.py").write_text(SCRIPT)
        sim = Simulator(args.latency, workdir, args.limit)
        try:
            print("SailPoint governance: %d entitlements, %d access profiles; limit %d requests / %d s (simulator and "
                  "rate_limit), latency %.0f ms, concurrency %d; median of %d runs" % (
                      args.entitlements, args.access_profiles, args.limit, WINDOW, args.latency * 1000,
                      args.concurrency, args.repeat))
            sim.reset([])
            for _round in range(args.repeat):
                elapsed, tasks = playbook(workdir, "floor.yml", module_play("floor", args), ansible_env(sim, workdir))
                runs["floor"].append(elapsed)
                runs["noop"].append(tasks["A module that does nothing"])
            for _round in range(args.repeat):  # alternate (c) and (b) so both see the same machine load
                sim.reset(values)
                for phase in PHASES:
                    time.sleep(args.settle)
                    runs["raw " + phase].append(timed([sys.executable, str(workdir / "raw.py"), phase,
                                                       str(workdir / "governance.json"), str(args.concurrency),
                                                       str(args.limit)], workdir, ansible_env(sim, workdir)))
                    sim.check(data, phase, "(c)")
                sim.reset(values)
                env = ansible_env(sim, workdir)
                for phase in PHASES:
                    time.sleep(args.settle)
                    since = len(sim.log())
                    elapsed, tasks = playbook(workdir, "module.yml", module_play(phase, args), env)
                    runs["run " + phase].append(elapsed)
                    runs["task " + phase].append(tasks[TASKS[phase]])
                    counts[phase] = count(sim.log(), since)
                    sim.check(data, phase, "(b)")
            for phase in PHASES:  # converged: the same tasks again
                since = len(sim.log())
                playbook(workdir, "module.yml", module_play(phase, args), env)
                counts["converged " + phase] = count(sim.log(), since)
        finally:
            sim.stop()
    times = dict((key, statistics.median(values)) for key, values in runs.items())
    return report(times, counts, args)


def report(times, counts, args):
    verdict = {True: "met", False: "NOT met"}
    print("\n| phase | (c) script s | (b) task s | (b) whole run s | task net of the floor / (c) | writes + reads (b) |"
          " converged re-run writes + reads |")
    print("|---|---|---|---|---|---|---|")
    rows = []
    for phase in PHASES:
        raw, task, run = times["raw " + phase], times["task " + phase], times["run " + phase]
        ratio = (task - times["noop"]) / raw
        converged = counts["converged " + phase]
        rows.append({"phase": phase, "raw": raw, "task": task, "run": run, "ratio": ratio, "writes": counts[phase][0],
                     "reads": counts[phase][1], "converged_writes": converged[0], "converged_reads": converged[1]})
        print("| %s | %.2f | %.2f | %.2f | %.2f | %d + %d | %d + %d |" % (
            phase, raw, task, run, ratio, counts[phase][0], counts[phase][1], converged[0], converged[1]))
    print("\nfloor: ansible-playbook with the items loaded and a do-nothing module %.2f s, that task alone %.2f s" % (
        times["floor"], times["noop"]))
    print("targets")
    for row in rows:
        print("  %-16s task net of the floor / (c) %5.2f   target <= 1.2: %s" % (
            row["phase"], row["ratio"], verdict[row["ratio"] <= 1.2]))
        print("  %-16s converged re-run: %d writes, %d reads   target 0 writes: %s" % (
            row["phase"], row["converged_writes"], row["converged_reads"], verdict[row["converged_writes"] == 0]))
    return rows


if __name__ == "__main__":
    main()
