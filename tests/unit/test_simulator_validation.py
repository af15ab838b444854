"""The simulators' compiled request validation, their store indexes, and the scaling report writer."""

import json
import time

import pytest

from tests.benchmarks import scaling
from tests.simulators.beyond_identity import DEFAULT_REALM_ID, TENANT_ID, BeyondIdentitySimulator, load_spec
from tests.simulators.core import Request

REALM = "/v1/tenants/%s/realms/%s" % (TENANT_ID, DEFAULT_REALM_ID)
JSON = {"Authorization": "Bearer x", "Content-Type": "application/json"}


def check(method, path, query=None, body=None, headers=None):
    raw = json.dumps(body).encode("utf-8") if body is not None else b""
    req = Request(method, path, query or {}, dict(headers or JSON), raw)
    req.spec_path = path
    return load_spec()["validator"].errors(req)


IDENTITY = {"identity": {"display_name": "Ann", "traits": {"type": "traits_v0", "username": "ann"}}}


@pytest.mark.parametrize("method, path, query, body, headers, expected", [
    ("POST", REALM + "/identities", None,
     {"identity": {"display_name": 5, "traits": {"type": "traits_v0", "username": "a"}}}, None, 'is not of type "string"'),
    ("POST", REALM + "/identities", None, {"identity": dict(IDENTITY["identity"], id="x")}, None, "(at /identity/id)"),
    ("POST", REALM + "/identities", None, IDENTITY, {"Authorization": "Bearer x", "Content-Type": "text/csv"},
     "mimetype not found"),
    ("GET", REALM + "/identities", {"page_size": ["many"]}, None, None, "Failed to cast"),
    ("GET", REALM + "/identities", {"page_size": [""]}, None, None, "cannot be empty"),
    ("POST", REALM + "/groups/g1:addMembers", None, {"identity_ids": []}, None, "identity_ids"),
    ("PUT", REALM + "/identities", None, IDENTITY, None, "Operation put not found"),
    ("GET", REALM + "/nothing-here", None, None, None, "Path not found"),
])
def test_rejects_what_the_document_forbids(method, path, query, body, headers, expected):
    problem = check(method, path, query, body, headers)
    assert problem is not None and expected in problem


def test_accepts_valid_requests_and_picks_the_most_concrete_path():
    assert check("POST", REALM + "/identities", body=IDENTITY) is None
    assert check("GET", REALM + "/identities", {"page_size": ["200"], "page_token": ["abc"]}) is None
    # ``{group_id}:addMembers`` is its own operation, not GetGroup / UpdateGroup with an odd id
    assert check("POST", REALM + "/groups/g1:addMembers", body={"identity_ids": ["i1"]}) is None
    assert check("PATCH", REALM + "/groups/g1", body={"group": {"display_name": "x"}}) is None


def test_each_operation_is_compiled_once_and_checking_is_cheap():
    validator = load_spec()["validator"]
    check("POST", REALM + "/identities", body=IDENTITY)
    compiled = validator.operation("POST", REALM + "/identities")[0]
    check("POST", REALM + "/identities", body=IDENTITY)
    assert validator.operation("POST", REALM + "/identities")[0] is compiled
    started = time.process_time()
    for _round in range(200):
        check("POST", REALM + "/identities", body=IDENTITY)
    # a generous bound (openapi-core took ~4 ms a request): only a regression by orders of magnitude fails
    assert (time.process_time() - started) / 200 < 0.002


@pytest.fixture(scope="module")
def sim():
    return BeyondIdentitySimulator()


def call(sim, method, path, body=None, query=None):
    token = sim.static_token
    raw = json.dumps(body).encode("utf-8") if body is not None else b""
    qs = "&".join("%s=%s" % kv for kv in (query or {}).items())
    reply = sim.dispatch(method, path + ("?" + qs if qs else ""), {"Authorization": "Bearer " + token,
                                                                   "Content-Type": "application/json"}, raw)
    return reply.status, reply.body


def identity(username):
    return {"identity": {"display_name": username, "traits": {"type": "traits_v0", "username": username}}}


def test_username_index_follows_creates_renames_and_deletes(sim):
    sim.reset()
    status, ann = call(sim, "POST", REALM + "/identities", identity("Ann"))
    assert status == 200
    assert call(sim, "POST", REALM + "/identities", identity("ANN"))[0] == 409
    assert call(sim, "PATCH", REALM + "/identities/" + ann["id"],
                {"identity": {"traits": {"type": "traits_v0", "username": "anne"}}})[0] == 200
    assert call(sim, "POST", REALM + "/identities", identity("ann"))[0] == 200  # the old name is free again
    assert call(sim, "POST", REALM + "/identities", identity("Anne"))[0] == 409
    assert call(sim, "DELETE", REALM + "/identities/" + ann["id"])[0] == 200
    assert call(sim, "POST", REALM + "/identities", identity("anne"))[0] == 200
    names = [i["traits"]["username"] for i in call(sim, "GET", REALM + "/identities", query={"page_size": 200})[1]
             ["identities"]]
    assert names == ["alice", "bob", "ann", "anne"]  # creation order, the deleted one gone


def test_scaling_report_verdicts_table_and_plot():
    rows = [dict(size=size, floor=1.0, raw=size * 0.002 + 0.5, raw_0ms=size * 0.0005, module=size * 0.002 + 1.8,
                 task=size * 0.002 + 0.4, controller_peak_mb=60 + size / 1000, module_peak_mb=35 + size / 500,
                 raw_peak_mb=30, converged_writes=0, converged_reads=3, raw_sim_cpu_ms=0.1, module_sim_cpu_ms=0.1,
                 **({"uri": 0.9 * size, "uri_controller_peak_mb": 70} if size <= 1000 else {}))
            for size in (100, 1000, 5000, 10000)]
    verdicts = dict(scaling.derive(rows, 0.5))
    assert rows[-1]["uri_extrapolated"] == pytest.approx(9000)
    assert verdicts["(b)/(c) whole run <= 1.2 from 5,000 identities up"] == "met"
    assert verdicts["(b)/(c) net of the floor <= 1.2 at every size"] == "NOT met"  # 100: (2.0 - 1) / 0.7
    assert verdicts["module process <= 100 MB at 10,000 identities"] == "met"
    flat = ("time per identity flat (within 20 %) from 1,000 identities up, as the time each added identity costs the "
            "task (linear time)")
    assert verdicts[flat] == "met"  # 2.0 ms for each added identity
    assert rows[2]["ms_marginal"] == pytest.approx(2.0)
    # growing faster than linear: 2.6 ms per added identity from 1,000 to 5,000, 3.5 from 5,000 to 10,000
    quadratic = [dict(r, task=r["size"] * 0.002 + r["size"] ** 2 * 1e-7) for r in rows]
    assert dict(scaling.derive(quadratic, 0.5))[flat] == "NOT met"
    assert scaling.simulator_budget_ms(0.02, 16) == pytest.approx(0.5)
    simulator = "simulator CPU per request well under latency / concurrency (<= %.2f ms)"
    assert verdicts[simulator % 0.5] == "met"
    assert dict(scaling.derive(rows, 0.05))[simulator % 0.05] == "NOT met"  # 0.1 ms per request
    options = type("Options", (), dict(sizes=[100], latency=0.02, concurrency=16))()
    text = scaling.markdown(rows, list(verdicts.items()), options, "")
    assert "~9000 (extrapolated)" in text and "| 10,000 |" in text
    svg = scaling.svg_plot(rows)
    assert svg.startswith("<svg") and "stroke-dasharray" in svg and "extrapolated" in svg


def test_scaling_takes_the_median_of_the_repeated_runs_of_a_size():
    runs = [{"size": 100, "module": 3.1, "task": 1.6, "converged_writes": 0, "uri": 143.0, "load": [1, 2]},
            {"size": 100, "module": 2.6, "task": 1.3, "converged_writes": 0},
            {"size": 100, "module": 2.7, "task": 1.2, "converged_writes": 1}]
    row = scaling.median_row(runs)
    assert (row["module"], row["task"], row["converged_writes"]) == (2.7, 1.3, 0)
    assert row["uri"] == 143.0 and row["size"] == 100 and row["runs"] == 3  # only the first run has the uri loop
    assert scaling.median_row(runs[1:])["converged_writes"] == 0  # an even number of runs: counts stay whole
