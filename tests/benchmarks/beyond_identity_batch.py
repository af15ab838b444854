"""Beyond Identity joiners and leavers, one call per person against the API 1.7.0 batch calls.

    .venv/bin/python -m tests.benchmarks.beyond_identity_batch [--joiners 1000] [--leavers 200] [--latency 0.02]
                                                                [--concurrency 16]

On a fresh simulator each time (own process, ``--latency`` per request), with JOINERS identities in two groups:

  enrol    one beyond_identity_credential_binding_job task, ``identities:`` JOINERS, delivery_method EMAIL
  leave    one beyond_identity_identity task, ``identities:`` LEAVERS of them with ``state: absent``

each run twice: "per person" (the batch calls turned off with ``IDENTITY_CLOUD_BEYOND_IDENTITY_NO_BATCH=1``,
as the modules worked before: a job per identity; per leaver its groups read, a membership delete per group, a
DELETE) and "batch" (``batch-credential-binding-jobs`` and ``identities:batchDelete``, 1,000 a call). A raw
``requests`` script doing only the batch calls (after the same listing) is the lower bound. Prints requests,
requests per person, the task's seconds and its ratio to the raw script. Not part of ``make test``; asserts nothing.
"""

import argparse
import json
import tempfile
import time
from pathlib import Path

from tests.benchmarks.harness import REPO, Simulator, ansible_env, count, playbook

GROUPS = ["Trading", "Operations"]

SETUP = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: joiners
      identity.cloud.beyond_identity_identity:
        realm: Default
        concurrency: %(concurrency)d
        identities: "{{ (lookup('ansible.builtin.file', 'people.json') | from_json).identities }}"
"""

ENROL = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: enrol
      identity.cloud.beyond_identity_credential_binding_job:
        realm: Default
        concurrency: %(concurrency)d
        delivery_method: EMAIL
        identities: "{{ (lookup('ansible.builtin.file', 'people.json') | from_json).usernames }}"
"""

LEAVE = """
- hosts: localhost
  gather_facts: false
  tasks:
    - name: leave
      identity.cloud.beyond_identity_identity:
        realm: Default
        concurrency: %(concurrency)d
        identities: "{{ (lookup('ansible.builtin.file', 'people.json') | from_json).leavers }}"
"""


def raw_batch(sim, realm_id, usernames, leavers):
    """The lower bound: list the realm's identities (pages of 200), then only the batch calls."""
    base = "%s/v1/tenants/%s/realms/%s" % (sim.url, sim.tenant, realm_id)

    def identities():
        found, token = {}, None
        while True:
            page = sim.session.get(base + "/identities", params=dict(page_size=200, **(
                {"page_token": token} if token else {}))).json()
            found.update((i["traits"]["username"], i["id"]) for i in page["identities"])
            token = page.get("next_page_token")
            if not token:
                return found

    configs = sim.session.get(base + "/authenticator-configs").json()["authenticator_configs"]
    started = time.perf_counter()
    ids = identities()
    for start in range(0, len(usernames), 1000):
        batch = sim.session.post(base + "/batch-credential-binding-jobs", json={"batch_credential_binding_job": {
            "identity_ids": [ids[u] for u in usernames[start:start + 1000]],
            "job_template": {"authenticator_config_id": configs[0]["id"]}}}).json()
        sim.session.get(base + "/batch-credential-binding-jobs/%s:listResults" % batch["id"]).raise_for_status()
    enrol = time.perf_counter() - started
    started = time.perf_counter()
    ids = identities()
    for start in range(0, len(leavers), 1000):
        sim.session.post(base + "/identities:batchDelete",
                         json={"ids": [ids[u] for u in leavers[start:start + 1000]]}).raise_for_status()
    return enrol, time.perf_counter() - started


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--joiners", type=int, default=1000)
    parser.add_argument("--leavers", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.02, help="seconds the simulator adds per request")
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args(argv)
    usernames = ["joiner%04d" % n for n in range(args.joiners)]
    people = {"identities": [{"username": u, "display_name": "Joiner %s" % u[6:], "email": u + "@example.com",
                              "groups": GROUPS} for u in usernames],
              "usernames": usernames, "leavers": [{"username": u, "state": "absent"} for u in usernames[:args.leavers]]}
    (REPO / ".cache").mkdir(exist_ok=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bi-batch-", dir=str(REPO / ".cache")) as tmp:
        workdir = Path(tmp)
        (workdir / "people.json").write_text(json.dumps(people))
        sim = Simulator(args.latency, workdir)
        try:
            for mode, extra in (("per person", {"IDENTITY_CLOUD_BEYOND_IDENTITY_NO_BATCH": "1"}), ("batch", {})):
                realm_id = sim.reset(GROUPS)
                env = ansible_env(sim, workdir)
                env.update(extra)
                playbook(workdir, "setup.yml", SETUP % vars(args), env)
                for phase, text, persons in (("enrol", ENROL, args.joiners), ("leave", LEAVE, args.leavers)):
                    since = len(sim.log())
                    _elapsed, tasks = playbook(workdir, phase + ".yml", text % vars(args), env)
                    writes, reads = count(sim.log(), since)
                    rows.append((phase, mode, persons, writes, reads, tasks[phase]))
            realm_id = sim.reset(GROUPS)
            env = ansible_env(sim, workdir)
            playbook(workdir, "setup.yml", SETUP % vars(args), env)
            raw = dict(zip(("enrol", "leave"), raw_batch(sim, realm_id, usernames, usernames[:args.leavers])))
        finally:
            sim.stop()
    print("%d joiners, %d leavers, latency %.0f ms, concurrency %d" % (
        args.joiners, args.leavers, args.latency * 1000, args.concurrency))
    print("| phase | mode | requests (writes + reads) | per person | task s | raw batch script s | task / raw |")
    print("|---|---|---|---|---|---|---|")
    for phase, mode, persons, writes, reads, seconds in rows:
        print("| %s | %s | %d (%d + %d) | %.3f | %.2f | %.2f | %.1f |" % (
            phase, mode, writes + reads, writes, reads, (writes + reads) / float(persons), seconds, raw[phase],
            seconds / raw[phase]))


if __name__ == "__main__":
    main()
