"""The vendor's own ``sailpoint`` SDK judges the simulator's entitlements, access profiles and roles (issue 25),
in two releases, as ``test_sailpoint_sdk.py`` does for sources.

* The latest release (pinned in requirements-test.txt) speaks the per-resource trees
  (``/entitlements/v1``, ``/access-profiles/v1``, ``/roles/v1``); it runs in this process.
* 1.4.2, the last release with ``sailpoint.v2024`` (``/v2024/...``), runs as a subprocess in
  ``.cache/sdk-sailpoint-1.4.2`` (``make pytest`` builds it).

``sailpoint_access_sdk_driver.py`` calls every operation of the document's tags Entitlements (12),
Access Profiles (8) and Roles (16) with arguments that succeed, on entitlements an aggregation made,
checks what the answers say, and reports failures (SDK errors and deserialisation errors alike). The
test asserts 0 failures and that no method of the three APIs was left out: the methods called plus,
for the latest release, the ones that are not operations of those tags of the v2024 document
(``NOT_IN_V2024``) must be exactly the SDK's public methods. Where the SDK and the document disagree
the document decides: the driver shows the SDK method failing, then makes the call through the SDK's
ApiClient (``lowlevel``; see the driver's docstring).
"""

import pytest

from tests.contract import sailpoint_access_sdk_driver
from tests.contract.sailpoint_sdk_judge import options, run_legacy, simulator

OPERATIONS = 36  # Entitlements 12, Access Profiles 8, Roles 16
CHECKS = 19  # what the driver checks in the answers (aggregated values, parents, members, per-item results...)
# the answers without a model (204, and the 200 / 202 answers the document gives no body)
NO_MODEL = {"update_entitlements_in_bulk", "delete_access_model_metadata_from_entitlement", "delete_access_profile",
            "delete_role", "delete_metadata_from_role_by_key_and_value"}
METADATA_BY_BODY = {"update_roles_metadata_by_filter", "update_roles_metadata_by_query"}  # refused: 400
TREES = {"v1": ("/entitlements/v1", "/access-profiles/v1", "/roles/v1", "/sources/v1", "/task-status/v1"),
         "v2024": ("/v2024/entitlements", "/v2024/access-profiles", "/v2024/roles", "/v2024/sources",
                   "/v2024/task-status")}


@pytest.fixture
def sim():
    server = simulator()
    yield server
    server.stop()


def check(report, sim, suffix, lowlevel):
    methods, called, outside = set(report["methods"]), set(report["called"]), set(report["not_in_v2024"])
    print("sailpoint %s (%s): %d methods, %d called, %d through the ApiClient, %d checks of the answers"
          % (report["sdk"], report["flavor"], len(methods), len(called), len(report["lowlevel"]),
             len(report["checks"])))
    assert report["failures"] == [], "\n".join(report["failures"])
    assert not called & outside
    assert methods - outside <= called, "methods not called: %s" % sorted(methods - outside - called)
    assert outside <= methods, "listed as outside the v2024 document but not in the SDK: %s" % sorted(outside - methods)
    assert len(methods - outside) == OPERATIONS
    assert set(report["lowlevel"]) == set(name + suffix for name in lowlevel)
    assert len(report["checks"]) == CHECKS  # every check of the answers ran
    empty = {name for name, kind in report["results"] if kind == "NoneType"}
    assert empty == NO_MODEL, report["results"]
    served = [e for e in sim.log if not e["auth"]]
    assert all(e["path"].startswith(TREES[report["flavor"]]) for e in served), [e["path"] for e in served]
    misses = [(e["method"], e["path"], e["status"]) for e in served if e["status"] >= 400]
    # only the SDK's own faults the driver shows may miss (the refused metadata bulk updates)
    assert sorted(path.rsplit("/", 1)[-1] for _m, path, _s in misses) == ["filter", "query"], misses
    assert all(status == 400 for _m, _p, status in misses)


def test_latest_sdk_drives_every_access_operation(sim):
    report = sailpoint_access_sdk_driver.run(options(sim, "v1"))
    assert report["sdk"] == "2.1.72"
    check(report, sim, "_v1", METADATA_BY_BODY)
    assert sorted(f.split(":")[0] for f in report["sdk_faults"]) == sorted(n + "_v1" for n in METADATA_BY_BODY)


def test_sdk_1_4_2_drives_every_v2024_access_operation(sim):
    report = run_legacy(sailpoint_access_sdk_driver, sim)
    lowlevel = METADATA_BY_BODY | {"search_roles_by_filter"}
    check(report, sim, "", lowlevel)
    assert sorted(f.split(":")[0] for f in report["sdk_faults"]) == sorted(lowlevel)


def test_the_driver_fails_on_a_broken_answer(sim):
    """The judge can fail: a simulator answer the SDK cannot deserialise is reported."""
    original = sim.get_entitlement_request_config
    sim.routes = [r for r in sim.routes if not (r.method == "GET" and r.template.endswith("entitlement-request-config")
                                                and "entitlements" in r.template)]
    sim.api("GET", "/entitlements/{id}/entitlement-request-config",
            lambda req: dict(original(req), accessRequestConfig={"requestCommentRequired": "maybe"}))
    report = sailpoint_access_sdk_driver.run(options(sim, "v1"))
    assert [f.split(":")[0] for f in report["failures"]] == ["get_entitlement_request_config"], report["failures"]


def test_the_driver_fails_on_wrong_semantics(sim):
    """... and on an answer that deserialises but says the wrong thing (aggregation made no parents)."""
    sim.routes = [r for r in sim.routes if not r.template.endswith("/parents")]
    sim.api("GET", "/entitlements/{id}/parents", lambda req: [])
    report = sailpoint_access_sdk_driver.run(options(sim, "v1"))
    assert [f.split(":")[0] for f in report["failures"]] == ["parents"], report["failures"]
