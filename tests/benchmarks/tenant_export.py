"""Export a large tenant of the three vendors with the tenant_export role, against a plain script doing the same reads.

    .venv/bin/python -m tests.benchmarks.tenant_export [--identities 10000] [--groups 1000] [--users 2000]
                                                       [--sources 500] [--concurrency 8] [--latency 0.02]
                                                       [--repeat 1] [--out FILE]

A benchmark, not a test: it prints times, request counts, memory and ratios and asserts nothing (issue 23 item 4).

The three simulators run in one process of their own (``--serve``), seeded there through their own request
handlers (``Simulator.dispatch``: every request validated against the vendor's document, but no HTTP and no token
round trip per object): IDENTITIES Beyond Identity identities in the Default realm, spread evenly over GROUPS
groups; USERS FINBOURNE users, each with one of 10 roles; SOURCES SailPoint sources, each with an extra schema, a
CREATE provisioning policy, an account aggregation schedule and a correlation rule (next to the account and group
schemas and the configurations every source has). Then, each timed as a fresh process:

  floor   ansible-playbook running a module that does nothing (what any playbook pays)
  (b)     playbooks/export_tenants.yml's role, identity.cloud.tenant_export, every vendor and kind, tenant_export_concurrency
          CONCURRENCY (ansible-playbook; the files written)
  (c)     a plain ``requests`` script doing the same reads with the same concurrency and nothing else: what the role's
          action reads, in the same order, SailPoint in a thread of its own beside FINBOURNE and Beyond Identity as
          the action runs it beside them; page lists read as the modules read them

Reads only: the simulators' logs must show no write, and (b) and (c) the same number of reads (printed). SailPoint's
rate limit is off on both sides (the simulator's and the collection's, ``IDENTITY_CLOUD_SAILPOINT_RATE_LIMIT=0``), so
the figure is the export's own cost, not the tenant's 100 requests / 10 s.

Targets: (b) net of the floor <= 1.2 x (c); the controller (ansible-playbook) and every module process each under
200 MB peak resident memory (``peak.py`` measures each module process through ``ANSIBLE_PYTHON_INTERPRETER``).
"""

import argparse
import json
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from email.message import Message
from pathlib import Path

from tests.benchmarks import harness
from tests.benchmarks.__main__ import FLOOR_PLAYBOOK
from tests.benchmarks.harness import REPO, ansible_env, module_peak_kb, peak_rss_wrapper, timed

VENDORS = ("beyond_identity", "finbourne", "sailpoint")
ROLES = 10  # FINBOURNE roles the users are spread over
TARGET_MB = 200


# -- the simulators' process: seeded through their own handlers ---------------------------------------


def call(sim, method, path, body=None, token=None, headers=None):
    """One request handled by ``sim`` in this process, without HTTP; the reply's body (fails on an error)."""
    message = Message()
    for name, value in dict(headers or {}, **({"Authorization": "Bearer " + token} if token else {})).items():
        message[name] = value
    data = None
    if body is not None:
        message["Content-Type"] = "application/json"
        data = json.dumps(body).encode("utf-8")
    reply = sim.dispatch(method, path, message, data)
    if not hasattr(reply, "status") or reply.status >= 300:
        raise SystemExit("seeding failed: %s %s -> %s %s" % (method, path, getattr(reply, "status", reply),
                                                             getattr(reply, "body", "")))
    return reply.body


def seed_beyond_identity(sim, identities, groups):
    from tests.simulators.beyond_identity import TENANT_ID

    token = sim.connection_env()["BEYONDIDENTITY_API_TOKEN"]
    realms = call(sim, "GET", "/v1/tenants/%s/realms" % TENANT_ID, token=token)["realms"]
    realm = [r["id"] for r in realms if r["display_name"] == harness.REALM][0]
    base = "/v1/tenants/%s/realms/%s" % (TENANT_ID, realm)
    group_ids = [call(sim, "POST", base + "/groups", {"group": {"display_name": "Team %04d" % n}}, token)["id"]
                 for n in range(groups)]
    members = dict((gid, []) for gid in group_ids)
    for n in range(identities):
        traits = {"type": "traits_v0", "username": "person%05d" % n, "primary_email_address": "person%05d@example.com" % n}
        created = call(sim, "POST", base + "/identities", {"identity": {"display_name": "Person %05d" % n,
                                                                        "traits": traits}}, token)
        members[group_ids[n % groups]].append(created["id"])
    for gid, ids in members.items():
        for start in range(0, len(ids), 1000):
            call(sim, "POST", "%s/groups/%s:addMembers" % (base, gid), {"identity_ids": ids[start:start + 1000]}, token)


def seed_finbourne(sim, users):
    from tests.simulators.finbourne.common import MOUNT, USERNAME

    token = sim.issue_token(USERNAME)
    roles = [call(sim, "POST", MOUNT + "/api/roles", {"name": "role-%02d" % n}, token)["roleId"] for n in range(ROLES)]
    for n in range(users):
        call(sim, "POST", MOUNT + "/api/users", {
            "login": "user%05d@example.com" % n, "emailAddress": "user%05d@example.com" % n, "firstName": "User",
            "lastName": "%05d" % n, "type": "Personal", "roles": [roles[n % ROLES]]}, token)


def seed_sailpoint(sim, sources):
    from tests.simulators.sailpoint import ADMIN_ID, CLIENT_ID

    sim.rate_limit = None
    token = sim.issue_token(CLIENT_ID)
    experimental = {"X-SailPoint-Experimental": "true"}
    for n in range(sources):
        source = call(sim, "POST", "/v2024/sources", {
            "name": "Source %03d" % n, "owner": {"type": "IDENTITY", "id": ADMIN_ID}, "connector": "jdbc",
            "description": "Database %03d" % n, "connectorAttributes": {
                "url": "jdbc:postgresql://db%03d.example.com/app" % n, "user": "reader", "password": "pw-%03d" % n}},
            token, experimental)["id"]
        base = "/v2024/sources/%s/" % source
        call(sim, "POST", base + "schemas", {"name": "role", "nativeObjectType": "role", "identityAttribute": "id",
                                             "displayAttribute": "name", "attributes": [
                                                 {"name": "id", "type": "STRING"}, {"name": "name", "type": "STRING"}]},
             token, experimental)
        call(sim, "POST", base + "provisioning-policies", {"name": "Account", "usageType": "CREATE", "fields": [
            {"name": "login", "type": "string", "transform": {"type": "identityAttribute", "attributes": {"name": "uid"}}},
            {"name": "email", "type": "string"}]}, token, experimental)
        call(sim, "POST", base + "schedules", {"type": "ACCOUNT_AGGREGATION", "cronExpression": "0 0 %d * * ?" % (n % 24)},
             token, experimental)
        call(sim, "PUT", base + "correlation-config", {"attributeAssignments": [
            {"property": "uid", "value": "login", "operation": "EQ"}]}, token, experimental)


def serve(args):
    """Start the three simulators, seed them, write the settings to ``args.serve`` and serve until SIGTERM."""
    from tests.simulators import SIMULATORS, settings_text

    sims = dict((vendor, SIMULATORS[vendor]()) for vendor in VENDORS)
    for sim in sims.values():
        sim.start()
    started = time.perf_counter()
    seed_beyond_identity(sims["beyond_identity"], args.identities, args.groups)
    seed_finbourne(sims["finbourne"], args.users)
    seed_sailpoint(sims["sailpoint"], args.sources)
    seeded = time.perf_counter() - started
    for sim in sims.values():
        with sim.lock:
            del sim.log[:]
        sim.latency = args.latency
    text = settings_text(sims.values()) + "".join("%s_ADMIN_URL=%s\n" % (v.upper(), s.url) for v, s in sims.items())
    Path(args.serve).write_text(text + "SEEDED_SECONDS=%.1f\n" % seeded)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: stop.set())
    stop.wait()
    for sim in sims.values():
        sim.stop()


class Simulators:
    """The seeded simulators' process (this module with ``--serve``), driven through the admin endpoints."""

    def __init__(self, workdir, args):
        self.env_file = workdir / "sims.env"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.benchmarks.tenant_export", "--serve", str(self.env_file)]
            + ["--%s=%s" % (name, getattr(args, name)) for name in ("identities", "groups", "users", "sources", "latency")],
            cwd=str(REPO), env=harness.python_env())
        deadline = time.time() + 1800
        while not (self.env_file.exists() and "SEEDED_SECONDS" in self.env_file.read_text()):
            if time.time() > deadline or self.proc.poll() is not None:
                raise SystemExit("the simulators did not start")
            time.sleep(0.2)
        self.env = dict(line.split("=", 1) for line in self.env_file.read_text().splitlines() if "=" in line)
        self.admin = dict((vendor, self.env["%s_ADMIN_URL" % vendor.upper()] + "/__sim__") for vendor in VENDORS)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)

    def logs(self):
        import requests

        return dict((vendor, requests.get(admin + "/log").json()) for vendor, admin in self.admin.items())


EXPORT_PLAYBOOK = '''
- name: Export the tenants (playbooks/export_tenants.yml's role, every vendor and kind)
  hosts: localhost
  gather_facts: false
  roles:
    - role: identity.cloud.tenant_export
      tenant_export_dir: export
      tenant_export_force: true
      tenant_export_concurrency: {concurrency}
'''


# The reads of the identity.cloud.tenant_export action (the role's one task), with the same concurrency: the SailPoint
# sources in a thread of their own from the start (the action's async job), the pages after the first CONCURRENCY at a
# time, then each source's seven parts, the sources CONCURRENCY at a time; meanwhile FINBOURNE then Beyond Identity,
# the lists page by page as the modules read them and the per-object reads (a group's members...) CONCURRENCY at a time.
RAW_SCRIPT = '''
import os, sys, threading
from concurrent.futures import ThreadPoolExecutor
import requests

concurrency = int(sys.argv[1])


def session(token):
    out = requests.Session()
    adapter = requests.adapters.HTTPAdapter(pool_connections=concurrency, pool_maxsize=concurrency)
    out.mount("http://", adapter)
    out.headers["Authorization"] = "Bearer " + token
    return out


def get(http, url, **params):
    resp = http.get(url, params=params)
    resp.raise_for_status()
    return resp


# SailPoint: the sources (the pages after the first CONCURRENCY at a time), then each source's seven parts, the
# sources CONCURRENCY at a time
def read_sailpoint(out):
    pool = ThreadPoolExecutor(concurrency)
    sail_base = os.environ["SAIL_BASE_URL"]
    sp = session(requests.post(sail_base + "/oauth/token", data={
        "grant_type": "client_credentials", "client_id": os.environ["SAIL_CLIENT_ID"],
        "client_secret": os.environ["SAIL_CLIENT_SECRET"]}).json()["access_token"])
    sp.headers["X-SailPoint-Experimental"] = "true"
    first = get(sp, sail_base + "/v2024/sources", limit=250, offset=0, count="true")
    total = int(first.headers["X-Total-Count"])
    sources = first.json() + [s for page in pool.map(lambda at: get(sp, sail_base + "/v2024/sources", limit=250,
                                                                     offset=at).json(), range(250, total, 250))
                              for s in page]
    parts = ("schemas", "provisioning-policies", "schedules", "correlation-config", "attribute-sync-config",
             "entitlement-request-config", "native-change-detection-config")
    out["parts"] = list(pool.map(lambda s: [get(sp, "%s/v2024/sources/%s/%s" % (sail_base, s["id"], p)).json()
                                            for p in parts], sources))
    out["sources"] = sources


sailpoint = {}
sailpoint_thread = threading.Thread(target=read_sailpoint, args=(sailpoint,))
sailpoint_thread.start()
pool = ThreadPoolExecutor(concurrency)

# FINBOURNE: roles, the two password policies, applications
api = os.environ["FBN_IDENTITY_URL"] + "/api"
fbn = session(requests.post(os.environ["FBN_TOKEN_URL"], auth=(os.environ["FBN_CLIENT_ID"], os.environ["FBN_CLIENT_SECRET"]),
                            data={"grant_type": "password", "username": os.environ["FBN_USERNAME"],
                                  "password": os.environ["FBN_PASSWORD"], "scope": "openid client groups offline_access"}
                            ).json()["access_token"])
fbn_data = {"roles": get(fbn, api + "/roles").json(),
            "policies": [get(fbn, api + "/authentication/password-policy/" + t).json() for t in ("Personal", "Service")],
            "applications": get(fbn, api + "/applications").json()}

# Beyond Identity, as beyond_identity_realm_info's include_parts reads it (module_utils/beyond_identity/readers.py
# realm_parts): the realms, then realm after realm its theme, resource servers, authenticator configs, applications,
# groups, identity providers, the roles of every resource server (each role's members and scopes CONCURRENCY roles at a
# time) and the SSO configurations (their assignments CONCURRENCY at a time); then the people's realm again: its groups
# with their members (CONCURRENCY groups at a time) and its identities. Then the FINBOURNE users with their roles.
bi = session(os.environ["BEYONDIDENTITY_API_TOKEN"])
bi.headers["x-correlation_id"] = "tenant-export-benchmark"  # required by the API 1.7.0 operations
tenant = "%s/v1/tenants/%s" % (os.environ["BEYONDIDENTITY_API_BASE_URL"], os.environ["BEYONDIDENTITY_TENANT_ID"])


def pages(url, key, size=200):
    found, params = [], {} if size is None else {"page_size": size}
    while True:
        data = get(bi, url, **params).json()
        found.extend(data.get(key) or [])
        if not data.get("next_page_token"):
            return found
        params["page_token"] = data["next_page_token"]


def role_members(url):
    return pages(url + ":listMembers", "identities", None), pages(url + ":listScopes", "scopes")


def realm_parts(realm, people):
    base = "%s/realms/%s" % (tenant, realm["id"])
    out = {}
    if not people:
        out["theme"] = get(bi, base + "/themes/active").json()
        servers = pages(base + "/resource-servers", "resource_servers", 100)
        out["authenticator_configs"] = pages(base + "/authenticator-configs", "authenticator_configs", 100)
        out["applications"] = pages(base + "/applications", "applications", 100)
    out["groups"] = pages(base + "/groups", "groups")
    if people:
        out["members"] = list(pool.map(lambda g: pages("%s/groups/%s:listMembers" % (base, g["id"]), "identities"),
                                       out["groups"]))
        out["identities"] = pages(base + "/identities", "identities")
        return out
    out["identity_providers"] = pages(base + "/identity-providers", "identity_providers", 100)
    out["roles"] = []
    for server in servers:
        url = "%s/resource-servers/%s/roles" % (base, server["id"])
        roles = pages(url, "roles")
        out["roles"].append(list(pool.map(lambda r: role_members("%s/%s" % (url, r["id"])), roles)))
    configs = pages(base + "/sso-configs", "sso_configs", 100)
    out["sso"] = list(pool.map(lambda c: (
        pages("%s/sso-configs/%s:listIdentityAssociations" % (base, c["id"]), "identities"),
        pages("%s/sso-configs/%s:listGroupAssociations" % (base, c["id"]), "groups")), configs))
    return out


realms = pages(tenant + "/realms", "realms")
bi_data = dict((realm["id"], realm_parts(realm, False)) for realm in realms)
people = [r for r in realms if r["display_name"] == "Default"][0]
get(bi, "%s/realms/%s" % (tenant, people["id"]))
people_data = realm_parts(people, True)
members_of, identities = people_data["members"], people_data["identities"]
fbn_data["users"] = get(fbn, api + "/users", includeRoles="true").json()

sailpoint_thread.join()
print(len(fbn_data["users"]), len(identities), sum(len(m) for m in members_of), len(sailpoint["sources"]),
      len(sailpoint["parts"]))
'''


def run(args):
    with tempfile.TemporaryDirectory(prefix="bench-tenant-export-") as tmp:
        workdir = Path(tmp)
        print("seeding %d identities in %d groups, %d FINBOURNE users, %d SailPoint sources ..." % (
            args.identities, args.groups, args.users, args.sources), flush=True)
        sims = Simulators(workdir, args)
        try:
            return measure(workdir, sims, args)
        finally:
            sims.stop()


class Env:
    """The settings ``harness.ansible_env`` reads from a simulator."""

    def __init__(self, env):
        self.env = env


def measure(workdir, sims, args):
    env = ansible_env(Env(dict(sims.env, IDENTITY_CLOUD_SAILPOINT_RATE_LIMIT="0")), workdir)
    raw_path = workdir / "raw.py"
    raw_path.write_text(RAW_SCRIPT)
    (workdir / "export.yml").write_text(EXPORT_PLAYBOOK.format(concurrency=args.concurrency))
    (workdir / "floor.yml").write_text(FLOOR_PLAYBOOK.replace(harness.PEOPLE_VAR, "[]"))
    playbook_bin = str(Path(sys.executable).parent / "ansible-playbook")
    floors, exports, raws, peaks = [], [], [], {"controller": [], "module": [], "raw": []}
    counts = {}
    for _round in range(args.repeat):
        floors.append(timed([playbook_bin, "floor.yml", "-i", "localhost,", "-c", "local"], workdir, env))

        since = dict((vendor, len(log)) for vendor, log in sims.logs().items())
        module_peak_kb(workdir, reset=True)
        module_env = dict(env, ANSIBLE_PYTHON_INTERPRETER=str(peak_rss_wrapper(workdir)))
        exports.append(timed([playbook_bin, "export.yml", "-i", "localhost,", "-c", "local"], workdir, module_env,
                             peak_file=workdir / "controller-peak.txt"))
        peaks["controller"].append(int((workdir / "controller-peak.txt").read_text()))
        tasks = json.loads(Path(env["TASK_TIME_FILE"]).read_text())
        tasks.pop("controller_peak_rss_kb", None)
        peaks["module"].append(module_peak_kb(workdir))
        logs = sims.logs()
        counts["(b)"] = dict((v, harness.count(logs[v], since[v])) for v in VENDORS)

        since = dict((vendor, len(log)) for vendor, log in logs.items())
        raws.append(timed([sys.executable, str(raw_path), str(args.concurrency)], workdir, env,
                          peak_file=workdir / "raw-peak.txt"))
        peaks["raw"].append(int((workdir / "raw-peak.txt").read_text()))
        logs = sims.logs()
        counts["(c)"] = dict((v, harness.count(logs[v], since[v])) for v in VENDORS)
    exported = check_export(workdir / "export" / "localhost", args)
    floor, export, raw = statistics.median(floors), statistics.median(exports), statistics.median(raws)
    row = {"identities": args.identities, "groups": args.groups, "users": args.users, "sources": args.sources,
           "concurrency": args.concurrency, "latency": args.latency, "floor": floor, "export": export, "raw": raw,
           "ratio": export / raw, "net_ratio": (export - floor) / raw,
           "controller_peak_mb": max(peaks["controller"]) / 1024.0, "module_peak_mb": max(peaks["module"]) / 1024.0,
           "raw_peak_mb": max(peaks["raw"]) / 1024.0, "exported": exported,
           "reads": dict((side, sum(c[v][1] for v in VENDORS)) for side, c in counts.items()),
           "writes": dict((side, sum(c[v][0] for v in VENDORS)) for side, c in counts.items()),
           "seeded_seconds": float(sims.env.get("SEEDED_SECONDS", 0)),
           "slowest_tasks": sorted(tasks.items(), key=lambda kv: -kv[1])[:6]}
    report(row, counts, args.out)
    return row


def check_export(folder, args):
    """What the export wrote, counted from its files; a short export stops the benchmark (it measured nothing)."""
    import yaml

    def load(name):
        return yaml.safe_load((folder / name).read_text()) or {}

    people = load("people.yml").get("people_list") or []
    sources = load("sailpoint_source_onboarding.yml").get("sailpoint_source_onboarding_sources") or []
    found = {"people": len(people), "sources": len(sources),
             "schemas": sum(len(s.get("schemas") or []) for s in sources),
             "memberships": sum(len((p.get("beyond_identity") or {}).get("groups") or []) for p in people)}
    if found["sources"] != args.sources or found["people"] < max(args.identities, args.users):
        raise SystemExit("the export is short: %s" % found)
    return found


def report(row, counts, out):
    lines = ["| what | seconds | reads (BI / FBN / SP) | writes |", "|---|---:|---|---:|"]
    for label, key, side in (("floor: ansible-playbook, a module that does nothing", "floor", None),
                             ("(b) tenant_export role, ansible-playbook", "export", "(b)"),
                             ("(c) plain script, the same reads", "raw", "(c)")):
        reads = " / ".join(str(counts[side][v][1]) for v in VENDORS) if side else ""
        writes = str(sum(counts[side][v][0] for v in VENDORS)) if side else ""
        lines.append("| %s | %.2f | %s | %s |" % (label, row[key], reads, writes))
    text = "\n".join([
        "%(identities)d identities in %(groups)d groups, %(users)d FINBOURNE users, %(sources)d SailPoint sources; "
        "concurrency %(concurrency)d, %(latency).3f s per request" % row, ""] + lines + [
        "", "## Targets",
        "  (b) / (c)                          %.2f" % row["ratio"],
        "  (b) / (c), net of the floor        %.2f   target <= 1.2: %s" % (row["net_ratio"], verdict(row["net_ratio"] <= 1.2)),
        "  controller peak                    %.0f MB   target < %d: %s" % (
            row["controller_peak_mb"], TARGET_MB, verdict(row["controller_peak_mb"] < TARGET_MB)),
        "  module peak (largest process)      %.0f MB   target < %d: %s" % (
            row["module_peak_mb"], TARGET_MB, verdict(row["module_peak_mb"] < TARGET_MB)),
        "  plain script peak                  %.0f MB" % row["raw_peak_mb"],
        "  exported: %(people)d people (%(memberships)d group memberships), %(sources)d sources (%(schemas)d schemas)"
        % row["exported"],
        "  seeding (not timed)                %.1f s" % row["seeded_seconds"],
        "", "## The slowest tasks of (b), start to result (last run)"]
        + ["  %6.2f s  %s" % (seconds, name) for name, seconds in row["slowest_tasks"]])
    print(text)
    if out and out != "-":
        Path(out).write_text(text + "\n")


def verdict(ok):
    return "yes" if ok else "NO"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--identities", type=int, default=10000)
    parser.add_argument("--groups", type=int, default=1000)
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--sources", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--latency", type=float, default=0.02, help="seconds each simulator adds per request")
    parser.add_argument("--repeat", type=int, default=1, help="runs of the floor, (b) and (c); the median is shown")
    parser.add_argument("--out", help="also write the Markdown table here ('-': stdout only)")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        return serve(args)
    return run(args)


if __name__ == "__main__":
    main()
