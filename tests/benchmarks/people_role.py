"""The people role against its own bulk module tasks: 1,000 joiners on Beyond Identity and FINBOURNE.

    .venv/bin/python -m tests.benchmarks.people_role [--size 1000] [--latency 0.02] [--concurrency 16]

(a) the identity.cloud.people role converges SIZE new people (Beyond Identity identity in two groups and a
    passkey enrolment job; FINBOURNE user with a role and an activation email);
(b) the same four bulk module tasks with the same inputs written out by hand (no role, no planning, no
    argument spec, no drift summary), on fresh simulators in the same state.
Prints both times (the whole ansible-playbook run, and the tasks alone) and the ratio (a) / (b), whose target
is at most 1.5. Not part of ``make test``; never asserts a time.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.harness import REPO, ansible_env, playbook

TARGET = 1.5

SETUP = """
- hosts: localhost
  gather_facts: false
  tasks:
    - identity.cloud.beyond_identity_group: {realm: Default, display_name: "{{ item }}"}
      loop: [Trading, Operations]
    - identity.cloud.finbourne_role: {name: Traders}
"""

ROLE = """
- hosts: localhost
  gather_facts: false
  vars_files: [people.json]
  roles:
    - role: identity.cloud.people
      people_concurrency: %(concurrency)d
      people_list: "{{ people }}"
"""

BULK = """
- hosts: localhost
  gather_facts: false
  vars_files: [bulk.json]
  tasks:
    - name: identities
      identity.cloud.beyond_identity_identity: {realm: Default, concurrency: %(concurrency)d, identities: "{{ identities }}"}
    - name: binding jobs
      identity.cloud.beyond_identity_credential_binding_job:
        {realm: Default, concurrency: %(concurrency)d, delivery_method: EMAIL, identities: "{{ usernames }}"}
    - name: users
      identity.cloud.finbourne_user: {concurrency: %(concurrency)d, users: "{{ users }}"}
    - name: activation
      identity.cloud.finbourne_user_lifecycle:
        {concurrency: %(concurrency)d, action: send_activation_email, logins: "{{ logins }}"}
"""


class Simulators:
    """Beyond Identity and FINBOURNE simulators in their own process, with latency."""

    def __init__(self, latency, workdir):
        workdir.mkdir(parents=True, exist_ok=True)
        env_file = workdir / "simulators.env"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.simulators", "--vendor", "beyond_identity", "--vendor", "finbourne",
             "--latency", str(latency), "--env-file", str(env_file)], cwd=str(REPO), stdout=subprocess.DEVNULL)
        deadline = time.time() + 60
        while not (env_file.exists() and env_file.read_text().endswith("\n")):
            if time.time() > deadline or self.proc.poll() is not None:
                self.stop()
                raise SystemExit("the simulators did not start")
            time.sleep(0.1)
        self.env = dict(line.split("=", 1) for line in env_file.read_text().splitlines() if "=" in line)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)


def people(size):
    return [{"username": "user%04d" % n, "first_name": "User", "last_name": "Number %d" % n,
             "email": "user%04d@example.com" % n, "beyond_identity": {"groups": ["Trading", "Operations"]},
             "finbourne": {"roles": ["Traders"]}} for n in range(size)]


def bulk_inputs(persons):
    return {
        "identities": [{"username": p["username"], "display_name": "%s %s" % (p["first_name"], p["last_name"]),
                        "email": p["email"], "status": "active", "groups": p["beyond_identity"]["groups"]}
                       for p in persons],
        "usernames": [p["username"] for p in persons],
        "users": [{"login": p["email"], "first_name": p["first_name"], "last_name": p["last_name"],
                   "email_address": p["email"], "type": "Personal", "roles": p["finbourne"]["roles"]} for p in persons],
        "logins": [p["email"] for p in persons],
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.02, help="seconds the simulators add per request")
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args(argv)
    (REPO / ".cache").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="people-role-", dir=str(REPO / ".cache")) as tmp:
        workdir = Path(tmp)
        persons = people(args.size)
        (workdir / "people.json").write_text(json.dumps({"people": persons}))
        (workdir / "bulk.json").write_text(json.dumps(bulk_inputs(persons)))
        figures = {}
        for label, text in (("bulk module tasks alone", BULK), ("people role", ROLE)):
            sims = Simulators(args.latency, workdir / label.replace(" ", "_"))  # fresh simulators per run
            try:
                env = ansible_env(sims, workdir)
                playbook(workdir, "setup.yml", SETUP, env)
                elapsed, tasks = playbook(workdir, label.replace(" ", "_") + ".yml", text % vars(args), env)
                tasks.pop("controller_peak_rss_kb", None)  # the callback's memory figure, not a task
            finally:
                sims.stop()
            figures[label] = (elapsed, sum(tasks.values()))
            print("%-24s ansible-playbook %6.1f s   its tasks %6.1f s" % (label, elapsed, sum(tasks.values())),
                  flush=True)
            for name, seconds in sorted(tasks.items(), key=lambda pair: -pair[1])[:8]:
                print("    %6.2f s  %s" % (seconds, name))
    role, bulk = figures["people role"], figures["bulk module tasks alone"]
    print("%d people, latency %.0f ms, concurrency %d" % (args.size, args.latency * 1000, args.concurrency))
    print("ratio role / bulk tasks: %.2f (ansible-playbook runs), %.2f (tasks only); target <= %.1f: %s" % (
        role[0] / bulk[0], role[1] / bulk[1], TARGET, "met" if role[0] / bulk[0] <= TARGET else "NOT met"))


if __name__ == "__main__":
    main()
