"""Fault matrix: every state module, every kind of call it makes, every fault the network or API can throw.

ROW FORMAT -- adding a state module is adding rows to ``ROWS``:

    Row(module, call, method, path, args, setup=())

- ``module``: the module name (``beyond_identity_group``); its vendor is the name's prefix.
- ``call``: the kind of call the fault hits: ``read``, ``create``, ``update``, ``delete`` or
  ``membership`` (only a label for the test id and the failure message).
- ``method``, ``path``: the request the fault is injected on (HTTP method and a regular
  expression searched in the path); the first matching request gets the fault, once.
- ``args``: the module's arguments for the task under test (connection options are added).
- ``setup``: argument sets for the same module run first, without faults (e.g. create the object
  a ``delete`` row deletes).

For each row and each fault in ``FAULTS`` the test runs setup + args once without a fault (the
expected end state), then again from a fresh simulator with the fault injected, and compares the
simulators' stores (ids replaced by the objects' names, times and secrets left out): same objects,
no duplicates, no lost update. Outcomes (``expect``):

- ``ok``: the task succeeds; retried by the client (429 honouring Retry-After, 502, 503, 504,
  reset, lost reply and read timeout for idempotent calls) or recovered by the engine (a create
  whose answer was lost is re-read before it is sent again; an expired token is fetched again).
- ``fails``: the task fails with one line and nothing half-done, and a run without the fault then
  converges. This is the documented outcome for HTTP 500 (not a transient status: not retried), and
  for a create answered 504 that never shows up (the client cannot tell whether the server will
  still create it: sending it again could make a duplicate; see ``max_retries`` in the docs).

Modules run in-process (``plays.run_module``), with ``max_retries: 2`` and ``timeout: 1`` so the
read timeout (``slow`` fault: 2 s) and the re-reads stay short.
"""

import json
import re
from collections import namedtuple

import pytest

from tests.integration.plays import module_options, run_module

pytestmark = pytest.mark.no_random_faults  # it injects its faults one at a time

Row = namedtuple("Row", "module call method path args setup")
Row.__new__.__defaults__ = ((),)

BI_REALM = {"realm": "Default"}
GROUP = dict(BI_REALM, display_name="Fault Group", description="matrix")
IDENTITY = dict(BI_REALM, username="fault.user", display_name="Fault User", email="fault@example.com")
APP_RS = dict(BI_REALM, display_name="Fault API", identifier="https://fault.example", scopes=["f:read", "f:write"])
APP = dict(BI_REALM, display_name="Fault App", resource_server="Fault API",
           protocol_config={"type": "oauth2", "allowed_scopes": ["f:read"], "confidentiality": "confidential",
                            "grant_type": ["client_credentials"]})
EMBEDDED = dict(BI_REALM, type="embedded", invoke_url="https://fault.example/auth",
                trusted_origins=["https://fault.example"])
ROLE = {"name": "Fault Desk", "description": "matrix", "users": ["jane.doe@example.com"]}
SOURCE = {"name": "Fault Feed", "description": "matrix", "owner": "Ada Admin", "connector": "delimited-file",
          "wait_timeout": 30}

BI = "/v1/tenants/[^/]+"
ROWS = [
    Row("beyond_identity_group", "read", "GET", "/groups$", GROUP),
    Row("beyond_identity_group", "create", "POST", "/groups$", GROUP),
    Row("beyond_identity_group", "update", "PATCH", "/groups/", dict(GROUP, description="changed"), [GROUP]),
    Row("beyond_identity_group", "membership", "POST", ":addMembers$", dict(GROUP, members=["alice", "bob"]), [GROUP]),
    Row("beyond_identity_group", "delete", "DELETE", "/groups/", dict(GROUP, state="absent"), [GROUP]),
    Row("beyond_identity_identity", "create", "POST", "/identities$", IDENTITY),
    Row("beyond_identity_identity", "update", "PATCH", "/identities/", dict(IDENTITY, status="suspended"), [IDENTITY]),
    Row("beyond_identity_identity", "membership", "POST", ":addMembers$", dict(IDENTITY, groups=["Fault Group"]),
        [("beyond_identity_group", GROUP), IDENTITY]),
    Row("beyond_identity_identity", "delete", "DELETE", "/identities/", dict(IDENTITY, state="absent"), [IDENTITY]),
    Row("beyond_identity_realm", "create", "POST", BI + "/realms$", {"display_name": "Fault Realm"}),
    Row("beyond_identity_realm", "update", "PATCH", "/realms/", {"display_name": "Fault Realm 2", "id": "{realm}"},
        [{"display_name": "Fault Realm"}]),
    Row("beyond_identity_realm", "delete", "DELETE", "/realms/", {"display_name": "Fault Realm", "state": "absent"},
        [{"display_name": "Fault Realm"}]),
    Row("beyond_identity_tenant", "update", "PATCH", BI + "$", {"display_name": "Fault Tenant"}),
    Row("beyond_identity_tenant", "read", "GET", BI + "$", {"display_name": "Fault Tenant"}),
    Row("beyond_identity_theme", "create", "POST", "/themes$", dict(BI_REALM, email_realm_name="Fault Co")),
    Row("beyond_identity_theme", "update", "PATCH", "/themes/", dict(BI_REALM, email_realm_name="Fault Co 2"),
        [dict(BI_REALM, email_realm_name="Fault Co")]),
    Row("beyond_identity_resource_server", "create", "POST", "/resource-servers$", APP_RS),
    Row("beyond_identity_resource_server", "update", "PATCH", "/resource-servers/", dict(APP_RS, scopes=["f:read"]),
        [APP_RS]),
    Row("beyond_identity_resource_server", "delete", "DELETE", "/resource-servers/", dict(APP_RS, state="absent"),
        [APP_RS]),
    Row("beyond_identity_application", "create", "POST", "/applications$", APP,
        [("beyond_identity_resource_server", APP_RS)]),
    Row("beyond_identity_application", "delete", "DELETE", "/applications/", dict(APP, state="absent"),
        [("beyond_identity_resource_server", APP_RS), APP]),
    Row("beyond_identity_authenticator_config", "create", "POST", "/authenticator-configs$", EMBEDDED),
    Row("beyond_identity_authenticator_config", "update", "PATCH", "/authenticator-configs/",
        dict(EMBEDDED, trusted_origins=["https://other.example"]), [EMBEDDED]),
    Row("beyond_identity_authenticator_config", "delete", "DELETE", "/authenticator-configs/",
        dict(EMBEDDED, state="absent"), [EMBEDDED]),
    Row("finbourne_role", "create", "POST", "/roles$", ROLE),
    Row("finbourne_role", "update", "PUT", "/roles/[^/]+$", dict(ROLE, description="changed"), [ROLE]),
    Row("finbourne_role", "membership", "PUT", "/users/", dict(ROLE, users=["john.roe@example.com"]), [ROLE]),
    Row("finbourne_role", "delete", "DELETE", "/roles/[^/]+$", dict(ROLE, state="absent"), [ROLE]),
    Row("sailpoint_source", "create", "POST", "/sources$", SOURCE),
    Row("sailpoint_source", "update", "PATCH", "/sources/", dict(SOURCE, description="changed"), [SOURCE]),
    Row("sailpoint_source", "delete", "DELETE", "/sources/", dict(SOURCE, state="absent"), [SOURCE]),
]

# fault id -> (simulator fault, outcome on a create, outcome on any other call)
FAULTS = {
    "429": ({"kind": "429", "retry_after": 1}, "ok", "ok"),
    "500": ({"kind": "5xx", "status": 500}, "fails", "fails"),
    "502": ({"kind": "5xx", "status": 502}, "ok", "ok"),
    "503": ({"kind": "5xx", "status": 503}, "ok", "ok"),
    "504": ({"kind": "5xx", "status": 504}, "fails", "ok"),
    "reset": ({"kind": "reset"}, "ok", "ok"),
    "lost_reply": ({"kind": "lost_reply"}, "ok", "ok"),
    "read_timeout": ({"kind": "slow", "delay": 2.0}, "ok", "ok"),
    "token_expiry": ({"kind": "expire_token"}, "ok", "ok"),
}
LEAVE_OUT = re.compile(r"time$|CacheUpdate$|^created$|^modified$|secret|^client_id$|jwk|thumbprint|^etag$|^last|^tasks$|"
                       r"^deletions$|^vault$|^windows$|^refresh_tokens$|^sessions$|^grants$")

STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")
SERVER_ID = re.compile(r"^[0-9a-f]{32}$")


def vendor_of(module):
    return next(v for v in ("beyond_identity", "finbourne", "sailpoint") if module.startswith(v + "_"))


def snapshot(sim):
    """The simulator's store with ids replaced by names, times and secrets left out, lists sorted."""
    labels = {}
    for name, objects in sim.store.items():
        if isinstance(objects, dict):
            for ident, obj in objects.items():
                if isinstance(obj, dict):
                    label = (obj.get("display_name") or obj.get("name") or (obj.get("traits") or {}).get("username")
                             or obj.get("identifier") or json.dumps(obj.get("config"), sort_keys=True))
                    labels[ident] = "%s:%s" % (name, label)

    def key_label(key, value):
        # objects kept under their server id inside another object (a source's schemas) go by name
        if key not in labels and SERVER_ID.match(str(key)) and isinstance(value, dict) and value.get("name"):
            return "id:%s" % value["name"]
        return labels.get(key, key)

    def clean(value):
        if isinstance(value, dict):
            return dict((key_label(k, v), clean(v)) for k, v in value.items()
                        if k != "id" and not LEAVE_OUT.search(str(k)))
        if isinstance(value, list):
            return sorted((clean(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
        if isinstance(value, str) and STAMP.match(value):
            return "<time>"
        return labels.get(value, value) if isinstance(value, str) else value

    def collection(objects):
        return isinstance(objects, dict) and objects and all(isinstance(o, (dict, list)) for o in objects.values())

    return dict((name, sorted(json.dumps(clean(o), sort_keys=True) for o in objects.values())
                 if collection(objects) else clean(objects))
                for name, objects in sim.store.items() if not LEAVE_OUT.search(name))


def converge(sim, row, fault=None):
    """Fresh simulator, setup, then the row's task (with ``fault`` injected); the task's result and arguments."""
    sim.reset()
    base = dict(module_options(sim, client_credentials=True), token_cache=False, max_retries=2, timeout=1)
    context = {}
    for step in row.setup:
        module, args = step if isinstance(step, tuple) else (row.module, step)
        done = run_module(module, dict(base, **args))
        assert not done.get("failed"), "setup of %s failed: %s" % (row.module, done.get("msg"))
        context.setdefault("realm", done.get("id"))
    args = dict((k, v.format(**context) if isinstance(v, str) else v) for k, v in row.args.items())
    if fault is not None:
        spec = dict(fault)
        sim.inject(spec.pop("kind"), method=row.method, path=row.path, **spec)
    return run_module(row.module, dict(base, **args)), dict(base, **args)


EXPECTED = {}


@pytest.mark.parametrize("fault", sorted(FAULTS))
@pytest.mark.parametrize("row", ROWS, ids=["%s-%s" % (r.module, r.call) for r in ROWS])
def test_fault(row, fault, request):
    sim = request.getfixturevalue(vendor_of(row.module) + "_sim")
    key = (row.module, row.call)
    if key not in EXPECTED:
        clean = converge(sim, row)[0]
        assert not clean.get("failed"), "%s without faults failed: %s" % (key, clean.get("msg"))
        EXPECTED[key] = (snapshot(sim), clean.get("changed"))
    wanted, changed = EXPECTED[key]
    injected, on_create, other = FAULTS[fault]
    result, args = converge(sim, row, injected)
    hit = [e for e in sim.log if re.search(row.path, e["path"]) and e.get("status") is not None]
    expect = on_create if row.call == "create" else other
    msg = result.get("msg") or ""
    assert "\n" not in msg and "Traceback" not in msg and len(msg) < 700, msg
    if expect == "fails":
        assert result.get("failed"), "%s with %s: expected a one-line failure, got %s" % (key, fault, result)
        again = run_module(row.module, args)
        assert not again.get("failed"), "%s %s: the run after the failure failed: %s" % (key, fault, again.get("msg"))
    else:
        assert not result.get("failed"), "%s with %s on %s %s failed: %s" % (key, fault, row.method, row.path, msg)
        assert result.get("changed") == changed, "%s %s: changed %s, without the fault %s" % (
            key, fault, result.get("changed"), changed)
    assert hit, "%s: the fault's path %s was never requested" % (key, row.path)
    assert snapshot(sim) == wanted, "%s with %s: the end state differs from the fault-free run" % (key, fault)
