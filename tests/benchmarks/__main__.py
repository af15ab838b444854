"""Onboard identities into groups three ways against the Beyond Identity simulator and compare.

    .venv/bin/python -m tests.benchmarks [--size 1000] [--groups 10] [--latency 0.02] [--concurrency 16]

This is a benchmark, not a test: it prints times and ratios and asserts nothing. The simulator
runs in its own process (``python -m tests.simulators --latency``) so that it does not share a
GIL with the clients. Before each approach the simulator is reset and the groups are created
(untimed: they are the organisation's existing groups). Then, each timed as a fresh process:

  (a) uri loop   a playbook as users write it today with ansible.builtin.uri: read the groups,
                 create each identity (``loop:``), add each identity to its group (``loop:``)
  (b) module     one beyond_identity_identity task with ``identities:`` (ansible-playbook)
  (c) raw        a requests script doing only the calls that are needed, with a thread pool of
                 the same concurrency: the lower bound

and finally a converged re-run of (b), with the reads and writes the simulator logged.
Targets: (b) <= 1.2 x (c), (b) >= 10 x faster than (a), converged run 0 writes and at most one
read per page. (b) / (c) is shown for the whole ansible-playbook run, for the module's task and net of the floor:
ansible-playbook's own start-up (the floor below) is paid once per playbook whatever its tasks
do, and at 1,000 identities it alone is close to a fifth of (c).

To show where the time of (b) goes it also times: the module run directly by Python (no
ansible-playbook), the task alone as ansible-playbook sees it (a callback in callback_plugins/
times it from its start to its result), and the floor: ansible-playbook loading the same people
and running a module that does nothing (ansible.builtin.ping), which any playbook that onboards
these people with any module pays. Every play reads people.json through a play variable
(``harness.PEOPLE_VAR``), not ``vars_files``: see there why.
"""

import argparse
import json
import math
import statistics
import sys
import tempfile
from pathlib import Path

from tests.benchmarks.harness import COLLECTIONS, PEOPLE_VAR, REALM, Simulator, ansible_env, count, playbook, timed


MODULE_TASK = "Converge every identity and its group membership"
FLOOR = "floor: ansible-playbook, the same vars file, a module that does nothing"
NOOP_TASK = "floor: the do-nothing module's task alone"
TASK = "(b) module, its task alone (start to result)"
DIRECT = "(b) module run directly by python, no ansible-playbook"
PAGE_SIZE = 200  # the page size the collection asks for (the API's maximum for these lists)
MAX_MEMBER_IDS = 1000  # identity ids per AddGroupMembers call

RAW_SCRIPT = '''
import json, os, sys
from concurrent.futures import ThreadPoolExecutor
import requests

api, tenant, token = (os.environ["BEYONDIDENTITY_API_BASE_URL"], os.environ["BEYONDIDENTITY_TENANT_ID"],
                      os.environ["BEYONDIDENTITY_API_TOKEN"])
realm_id, concurrency = sys.argv[2], int(sys.argv[3])
people = json.load(open(sys.argv[1]))["people"]
session = requests.Session()
adapter = requests.adapters.HTTPAdapter(pool_connections=concurrency, pool_maxsize=concurrency)
session.mount("http://", adapter)
session.mount("https://", adapter)
session.headers["Authorization"] = "Bearer " + token
base = "%s/v1/tenants/%s/realms/%s" % (api, tenant, realm_id)
groups = session.get(base + "/groups", params={"page_size": 200}).json()["groups"]
group_ids = dict((g["display_name"], g["id"]) for g in groups)

def create(person):
    body = {"identity": {"display_name": person["display_name"], "traits": {
        "type": "traits_v0", "username": person["username"], "primary_email_address": person["email"]}}}
    resp = session.post(base + "/identities", json=body)
    resp.raise_for_status()
    return person["groups"][0], resp.json()["id"]

with ThreadPoolExecutor(concurrency) as pool:
    created = list(pool.map(create, people))
members = {}
for group, ident in created:
    members.setdefault(group_ids[group], []).append(ident)
calls = [(gid, ids[i:i + 1000]) for gid, ids in members.items() for i in range(0, len(ids), 1000)]

def add(call):
    session.post("%s/groups/%s:addMembers" % (base, call[0]), json={"identity_ids": call[1]}).raise_for_status()

with ThreadPoolExecutor(concurrency) as pool:
    list(pool.map(add, calls))
'''

URI_PLAYBOOK = '''
- name: Onboard identities with ansible.builtin.uri
  hosts: localhost
  gather_facts: false
  vars:
    people: ''' + PEOPLE_VAR + '''
    api: "{{ lookup('ansible.builtin.env', 'BEYONDIDENTITY_API_BASE_URL') }}"
    base: "{{ api }}/v1/tenants/{{ lookup('ansible.builtin.env', 'BEYONDIDENTITY_TENANT_ID') }}/realms/{{ realm_id }}"
    auth: {Authorization: "Bearer {{ lookup('ansible.builtin.env', 'BEYONDIDENTITY_API_TOKEN') }}"}
  tasks:
    - name: Read the groups
      ansible.builtin.uri:
        url: "{{ base }}/groups?page_size=200"
        headers: "{{ auth }}"
      register: realm_groups

    - name: Create each identity
      ansible.builtin.uri:
        url: "{{ base }}/identities"
        method: POST
        headers: "{{ auth }}"
        body_format: json
        body:
          identity:
            display_name: "{{ item.display_name }}"
            traits: {type: traits_v0, username: "{{ item.username }}", primary_email_address: "{{ item.email }}"}
      loop: "{{ people }}"
      loop_control: {label: "{{ item.username }}"}
      register: created

    - name: Add each identity to its group
      ansible.builtin.uri:
        url: "{{ base }}/groups/{{ group_ids[item.item.groups[0]] }}:addMembers"
        method: POST
        headers: "{{ auth }}"
        body_format: json
        body: {identity_ids: ["{{ item.json.id }}"]}
      loop: "{{ created.results }}"
      loop_control: {label: "{{ item.item.username }}"}
      vars:
        group_ids: "{{ realm_groups.json.groups | items2dict(key_name='display_name', value_name='id') }}"
'''

MODULE_PLAYBOOK = '''
- name: Onboard identities with the collection
  hosts: localhost
  gather_facts: false
  vars:
    people: {people}
  tasks:
    - name: Converge every identity and its group membership
      identity.cloud.beyond_identity_identity:
        realm: Default
        concurrency: {concurrency}
        identities: "{{{{ people }}}}"
'''

FLOOR_PLAYBOOK = '''
- name: The same people loaded, and a module that does nothing
  hosts: localhost
  gather_facts: false
  vars:
    people: ''' + PEOPLE_VAR + '''
  tasks:
    - name: Count them
      ansible.builtin.debug: {msg: "{{ people | length }}"}

    - name: A module that does nothing
      ansible.builtin.ping:
'''


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000, help="identities to onboard (default 1000)")
    parser.add_argument("--groups", type=int, default=10, help="groups they are spread over (default 10)")
    parser.add_argument("--latency", type=float, default=0.02, help="seconds the simulator adds per request")
    parser.add_argument("--concurrency", type=int, default=16, help="concurrency of (b) and (c) (default 16)")
    parser.add_argument("--skip-uri", action="store_true", help="leave out (a), the slow one")
    parser.add_argument("--repeat", type=int, default=3, help="runs of (b), (c) and the floor; the median is shown (default 3)")
    args = parser.parse_args(argv)

    groups = ["Team %02d" % n for n in range(args.groups)]
    people = [{"username": "user%05d" % n, "display_name": "User %d" % n, "email": "user%05d@example.com" % n,
               "groups": [groups[n % len(groups)]]} for n in range(args.size)]
    with tempfile.TemporaryDirectory(prefix="bi-bench-") as tmp:
        workdir = Path(tmp)
        (workdir / "people.json").write_text(json.dumps({"people": people}))
        (workdir / "raw.py").write_text(RAW_SCRIPT)
        sim = Simulator(args.latency, workdir)
        try:
            print("Onboarding %d identities into %d groups; simulator latency %.0f ms per request, concurrency %d; "
                  "median of %d runs" % (
                      args.size, args.groups, args.latency * 1000, args.concurrency, args.repeat))
            times = {}

            sim.reset([])
            floors = [playbook(workdir, "floor.yml", FLOOR_PLAYBOOK, ansible_env(sim, workdir))
                      for _round in range(args.repeat)]
            times[FLOOR] = statistics.median(elapsed for elapsed, _tasks in floors)
            times[NOOP_TASK] = statistics.median(tasks["A module that does nothing"] for _elapsed, tasks in floors)

            if not args.skip_uri:
                realm_id = sim.reset(groups)
                times["(a) uri loop"] = playbook(workdir, "uri.yml", URI_PLAYBOOK, ansible_env(sim, workdir),
                                                 ["-e", "realm_id=%s" % realm_id])[0]
                check_result(sim, people, "(a)")

            # the same module and arguments, run directly by Python: (b) without Ansible's own cost
            direct_runs = []
            args_file = workdir / "args.json"
            args_file.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": {
                "realm": REALM, "concurrency": args.concurrency, "identities": people}}))
            for _round in range(args.repeat):
                sim.reset(groups)
                direct_env = dict(ansible_env(sim, workdir), PYTHONPATH=str(COLLECTIONS))
                direct_runs.append(timed([sys.executable, "-m", "ansible_collections.identity.cloud.plugins.modules."
                                          "beyond_identity_identity", str(args_file)], workdir, direct_env))
                check_result(sim, people, "(b) run directly")
            times[DIRECT] = statistics.median(direct_runs)

            raw_runs, module_runs, task_runs = [], [], []
            module_play = MODULE_PLAYBOOK.format(concurrency=args.concurrency, people=PEOPLE_VAR)
            for _round in range(args.repeat):  # alternate (c) and (b) so that both see the same machine load
                realm_id = sim.reset(groups)
                raw_runs.append(timed([sys.executable, str(workdir / "raw.py"), str(workdir / "people.json"),
                                       realm_id, str(args.concurrency)], workdir, ansible_env(sim, workdir)))
                check_result(sim, people, "(c)")

                sim.reset(groups)
                env = ansible_env(sim, workdir)
                since = len(sim.log())
                elapsed, tasks = playbook(workdir, "module.yml", module_play, env)
                module_runs.append(elapsed)
                task_runs.append(tasks[MODULE_TASK])
                check_result(sim, people, "(b)")
                onboard_writes, onboard_reads = count(sim.log(), since)
            times["(c) raw requests"] = statistics.median(raw_runs)
            times["(b) module"] = statistics.median(module_runs)
            times[TASK] = statistics.median(task_runs)

            since = len(sim.log())
            times["(b) module, converged re-run"] = playbook(workdir, "module.yml", module_play, env)[0]
            writes, reads = count(sim.log(), since)
        finally:
            sim.stop()

    width = max(len(k) for k in times)
    print()
    for name, seconds in times.items():
        print("  %-*s %8.2f s" % (width, name, seconds))
    report(args, times, (onboard_writes, onboard_reads), (writes, reads))


def report(args, times, onboard, converged):
    """Each target with its verdict, then where the difference between (b) and (c) goes."""
    module, raw, floor = times["(b) module"], times["(c) raw requests"], times[FLOOR]
    task, direct = times[TASK], times[DIRECT]
    pages = (1 + math.ceil((args.size + 2) / PAGE_SIZE) + math.ceil(args.groups / PAGE_SIZE)
             + sum(max(1, math.ceil(c / PAGE_SIZE)) for c in group_sizes(args)))
    minimum_writes = args.size + sum(math.ceil(c / MAX_MEMBER_IDS) for c in group_sizes(args))

    def verdict(ok):
        return "met" if ok else "NOT met"

    print("\ntargets")
    print("  (b) / (c), whole ansible-playbook run   %6.2f   target <= 1.2: %s" % (module / raw, verdict(module <= 1.2 * raw)))
    print("  (b) / (c), the module's task            %6.2f   target <= 1.2: %s" % (task / raw, verdict(task <= 1.2 * raw)))
    print("  (b) / (c), net of the floor             %6.2f   target <= 1.2: %s" % (
        (module - floor) / raw, verdict(module - floor <= 1.2 * raw)))
    if "(a) uri loop" in times:
        uri = times["(a) uri loop"]
        print("  (a) / (b)                               %6.1f   target >= 10: %s" % (uri / module, verdict(uri >= 10 * module)))
    print("  converged re-run: %d writes, %d reads for %d pages      target 0 writes, <= 1 read per page: %s" % (
        converged[0], converged[1], pages, verdict(converged[0] == 0 and converged[1] <= pages)))
    print("  (b) onboarding: %d writes (the minimum: %d), %d reads" % (onboard[0], minimum_writes, onboard[1]))
    noop = times[NOOP_TASK]
    print("\nwhere (b) - (c) = %.2f s goes" % (module - raw))
    print("  ansible-playbook itself: start-up, vars file, exit             %5.2f s" % (floor - noop))
    print("  Ansible's cost of any module task (the do-nothing module)     %5.2f s" % noop)
    print("  what this module adds to that                                 %5.2f s" % (module - raw - floor))
    print("  (of which its task beyond the do-nothing one: %.2f s; run directly by python it is %.2f s over (c))"
          % (task - noop - raw, direct - raw))
    print("  no module run by ansible-playbook goes below ((c) + floor) / (c) = %.2f" % ((raw + floor) / raw))


def group_sizes(args):
    return [len(range(g, args.size, args.groups)) for g in range(args.groups)]


def check_result(sim, people, label):
    """Every approach must leave the same state: each identity in its group."""
    store = sim.session.get(sim.url + "/__sim__/store").json()
    names = dict((i, o["traits"]["username"]) for i, o in store["identities"].items())
    got = {}
    for group_id, members in store["memberships"].items():
        for ident in members:
            got[names[ident]] = store["groups"][group_id]["display_name"]
    want = dict((p["username"], p["groups"][0]) for p in people)
    if got != want:
        raise SystemExit("%s did not onboard everyone: %d of %d memberships right" % (
            label, sum(1 for k, v in want.items() if got.get(k) == v), len(want)))


if __name__ == "__main__":
    main()
