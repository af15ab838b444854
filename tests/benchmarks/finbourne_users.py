"""Onboard FINBOURNE users with two roles each three ways against the simulator and compare.

    .venv/bin/python -m tests.benchmarks.finbourne_users [--size 500] [--roles 10] [--latency 0.02]
                                                          [--concurrency 16] [--skip-uri] [--repeat 3]

A benchmark, not a test: it prints times and ratios and asserts nothing. The simulator runs in
its own process; before each approach it is started afresh and the roles are created (untimed:
they are the organisation's existing roles). Then, each timed as a fresh process:

  (a) uri loop   ansible.builtin.uri as users write it: a token, the roles, one CreateUser per user
                 (``loop:``) with its two roles in the request
  (b) module     one finbourne_user task with ``users:`` (ansible-playbook)
  (c) raw        a requests script doing only the calls that are needed (the roles listing, one
                 CreateUser per user with its roles), with a thread pool of the same concurrency

and finally a converged re-run of (b), with the reads and writes the simulator logged.
Targets: (b) task net of the floor <= 1.2 x (c), (a) >= 10 x (b), converged run 0 writes and at
most one read per listing (users, roles). The floor (ansible-playbook start-up and a module that
does nothing) is measured as ``tests/benchmarks/__main__.py`` does, with its helpers.
"""

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

import requests

from tests.benchmarks import harness
from tests.benchmarks.__main__ import FLOOR_PLAYBOOK
from tests.benchmarks.harness import PEOPLE_VAR, ansible_env, count, playbook, timed

MODULE_TASK = "Converge every user and their roles"
LISTINGS = 2  # GET /api/users and GET /api/roles

RAW_SCRIPT = '''
import json, os, sys
from concurrent.futures import ThreadPoolExecutor
import requests

api = os.environ["FBN_IDENTITY_URL"] + "/api"
people, concurrency = json.load(open(sys.argv[1]))["people"], int(sys.argv[2])
token = requests.post(os.environ["FBN_TOKEN_URL"], auth=(os.environ["FBN_CLIENT_ID"], os.environ["FBN_CLIENT_SECRET"]),
                      data={"grant_type": "password", "username": os.environ["FBN_USERNAME"],
                            "password": os.environ["FBN_PASSWORD"], "scope": "openid client groups offline_access"}
                      ).json()["access_token"]
session = requests.Session()
adapter = requests.adapters.HTTPAdapter(pool_connections=concurrency, pool_maxsize=concurrency)
session.mount("http://", adapter)
session.headers["Authorization"] = "Bearer " + token
role_ids = dict((r["name"], r["roleId"]) for r in session.get(api + "/roles").json())

def create(person):
    body = {"login": person["login"], "firstName": person["first_name"], "lastName": person["last_name"],
            "emailAddress": person["email_address"], "type": "Personal",
            "roles": [role_ids[name] for name in person["roles"]]}
    session.post(api + "/users", json=body).raise_for_status()

with ThreadPoolExecutor(concurrency) as pool:
    list(pool.map(create, people))
'''

URI_PLAYBOOK = '''
- name: Onboard users with ansible.builtin.uri
  hosts: localhost
  gather_facts: false
  vars:
    people: ''' + PEOPLE_VAR + '''
  tasks:
    - name: Token (password grant)
      ansible.builtin.uri:
        url: "{{ lookup('env', 'FBN_TOKEN_URL') }}"
        method: POST
        url_username: "{{ lookup('env', 'FBN_CLIENT_ID') }}"
        url_password: "{{ lookup('env', 'FBN_CLIENT_SECRET') }}"
        force_basic_auth: true
        body_format: form-urlencoded
        body:
          grant_type: password
          username: "{{ lookup('env', 'FBN_USERNAME') }}"
          password: "{{ lookup('env', 'FBN_PASSWORD') }}"
          scope: openid client groups offline_access
      register: token

    - name: Roles
      ansible.builtin.uri:
        url: "{{ lookup('env', 'FBN_IDENTITY_URL') }}/api/roles"
        headers: {Authorization: "Bearer {{ token.json.access_token }}"}
      register: roles

    - name: Create each user with their roles
      ansible.builtin.uri:
        url: "{{ lookup('env', 'FBN_IDENTITY_URL') }}/api/users"
        method: POST
        headers: {Authorization: "Bearer {{ token.json.access_token }}"}
        body_format: json
        body:
          login: "{{ item.login }}"
          firstName: "{{ item.first_name }}"
          lastName: "{{ item.last_name }}"
          emailAddress: "{{ item.email_address }}"
          type: Personal
          roles: "{{ roles.json | selectattr('name', 'in', item.roles) | map(attribute='roleId') | list }}"
        status_code: [200, 201]
      loop: "{{ people }}"
'''

MODULE_PLAYBOOK = '''
- name: Onboard users with the collection
  hosts: localhost
  gather_facts: false
  vars:
    people: {people}
  tasks:
    - name: Converge every user and their roles
      identity.cloud.finbourne_user:
        type: Personal
        concurrency: {concurrency}
        users: "{{{{ people }}}}"
'''


class Simulator(harness.Simulator):
    """The FINBOURNE simulator in a subprocess; a reset starts it afresh and creates the roles."""

    def __init__(self, latency, workdir):
        super(Simulator, self).__init__(latency, workdir, vendor="finbourne")

    def start(self):
        super(Simulator, self).start()
        self.api = self.env["FBN_IDENTITY_URL"] + "/api"
        self.admin = self.env["FBN_TOKEN_URL"].rsplit("/oauth2", 1)[0] + "/__sim__"
        token = requests.post(self.env["FBN_TOKEN_URL"], auth=(self.env["FBN_CLIENT_ID"], self.env["FBN_CLIENT_SECRET"]),
                              data={"grant_type": "password", "username": self.env["FBN_USERNAME"],
                                    "password": self.env["FBN_PASSWORD"], "scope": "openid"}).json()["access_token"]
        self.session.headers["Authorization"] = "Bearer " + token

    def reset(self, names):
        self.stop()
        self.start()
        for name in names:
            self.session.post(self.api + "/roles", json={"name": name}).raise_for_status()

    def log(self):
        return requests.get(self.admin + "/log").json()

    def check(self, people, label):
        """Every approach must leave the same state: each person with exactly their two roles."""
        users = self.session.get(self.api + "/users", params={"includeRoles": "true"}).json()
        got = dict((u["login"], sorted(r["name"] for r in u.get("roles") or [])) for u in users)
        wrong = [p["login"] for p in people if got.get(p["login"]) != sorted(p["roles"])]
        if wrong:
            raise SystemExit("%s did not onboard everyone: %d of %d wrong, e.g. %s" % (
                label, len(wrong), len(people), wrong[0]))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=500, help="users to onboard (default 500)")
    parser.add_argument("--roles", type=int, default=10, help="roles they are spread over, two each (default 10)")
    parser.add_argument("--latency", type=float, default=0.02, help="seconds the simulator adds per request")
    parser.add_argument("--concurrency", type=int, default=16, help="concurrency of (b) and (c) (default 16)")
    parser.add_argument("--skip-uri", action="store_true", help="leave out (a), the slow one")
    parser.add_argument("--repeat", type=int, default=3, help="runs of (b), (c) and the floor; the median is shown")
    args = parser.parse_args(argv)

    roles = ["Desk %02d" % n for n in range(args.roles)]
    people = [{"login": "user%05d@example.com" % n, "first_name": "User", "last_name": "Number %d" % n,
               "email_address": "user%05d@example.com" % n,
               "roles": [roles[n % len(roles)], roles[(n + 1) % len(roles)]]} for n in range(args.size)]
    times = {}
    with tempfile.TemporaryDirectory(prefix="fbn-bench-") as tmp:
        workdir = Path(tmp)
        (workdir / "people.json").write_text(json.dumps({"people": people}))
        (workdir / "raw.py").write_text(RAW_SCRIPT)
        sim = Simulator(args.latency, workdir)
        try:
            print("Onboarding %d FINBOURNE users with 2 of %d roles each; simulator latency %.0f ms per request, "
                  "concurrency %d; median of %d runs" % (args.size, args.roles, args.latency * 1000,
                                                         args.concurrency, args.repeat))
            sim.reset([])
            floors = [playbook(workdir, "floor.yml", FLOOR_PLAYBOOK, ansible_env(sim, workdir))
                      for _round in range(args.repeat)]
            times["floor: ansible-playbook, vars file, a do-nothing module"] = statistics.median(f[0] for f in floors)
            times["floor: the do-nothing module's task alone"] = statistics.median(
                f[1]["A module that does nothing"] for f in floors)

            if not args.skip_uri:
                sim.reset(roles)
                times["(a) uri loop"] = playbook(workdir, "uri.yml", URI_PLAYBOOK, ansible_env(sim, workdir))[0]
                sim.check(people, "(a)")

            raw_runs, module_runs, task_runs = [], [], []
            module_play = MODULE_PLAYBOOK.format(concurrency=args.concurrency, people=PEOPLE_VAR)
            for _round in range(args.repeat):  # alternate (c) and (b) so both see the same machine load
                sim.reset(roles)
                raw_runs.append(timed([sys.executable, str(workdir / "raw.py"), str(workdir / "people.json"),
                                       str(args.concurrency)], workdir, ansible_env(sim, workdir)))
                sim.check(people, "(c)")
                sim.reset(roles)
                env = ansible_env(sim, workdir)
                since = len(sim.log())
                elapsed, tasks = playbook(workdir, "module.yml", module_play, env)
                module_runs.append(elapsed)
                task_runs.append(tasks[MODULE_TASK])
                onboard = count(sim.log(), since)
                sim.check(people, "(b)")
            times["(c) raw requests"] = statistics.median(raw_runs)
            times["(b) module, whole ansible-playbook run"] = statistics.median(module_runs)
            times["(b) module, its task alone"] = statistics.median(task_runs)
            since = len(sim.log())
            times["(b) converged re-run"] = playbook(workdir, "module.yml", module_play, env)[0]
            converged = count(sim.log(), since)
        finally:
            sim.stop()
    report(times, onboard, converged, args)


def report(times, onboard, converged, args):
    width = max(len(k) for k in times)
    print()
    for name, seconds in times.items():
        print("  %-*s %8.2f s" % (width, name, seconds))
    floor = times["floor: ansible-playbook, vars file, a do-nothing module"]
    raw, whole, task = times["(c) raw requests"], times["(b) module, whole ansible-playbook run"], \
        times["(b) module, its task alone"]
    verdict = {True: "met", False: "NOT met"}
    noop = times["floor: the do-nothing module's task alone"]
    print("\ntargets")
    print("  (b) task net of the floor / (c)        %6.2f   target <= 1.2: %s" % (
        (task - noop) / raw, verdict[task - noop <= 1.2 * raw]))
    print("  (b) whole run net of the floor / (c)   %6.2f   (for information)" % ((whole - floor) / raw))
    print("  (b) task alone / (c)                   %6.2f   (for information)" % (task / raw))
    print("  (b) whole run / (c)                    %6.2f   (for information)" % (whole / raw))
    if "(a) uri loop" in times:
        uri = times["(a) uri loop"]
        print("  (a) / (b)                              %6.1f   target >= 10: %s" % (uri / whole, verdict[uri >= 10 * whole]))
    print("  converged re-run: %d writes, %d reads for %d listings   target 0 writes, <= 1 read per listing: %s" % (
        converged[0], converged[1], LISTINGS, verdict[converged[0] == 0 and converged[1] <= LISTINGS]))
    print("  (b) onboarding: %d writes (the minimum: %d), %d reads" % (onboard[0], args.size, onboard[1]))


if __name__ == "__main__":
    main()
