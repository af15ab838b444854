"""The vendor's own ``sailpoint`` SDK judges the SailPoint simulator, in two releases.

* The latest release (pinned in requirements-test.txt) speaks the per-resource tree
  (``/sources/v1/...``, ``/task-status/v1/...``); it runs in this process.
* 1.4.2, the last release with ``sailpoint.v2024`` (``/v2024/...``). It cannot share the test
  virtualenv (same package name), so ``make pytest`` builds ``.cache/sdk-sailpoint-1.4.2`` from
  ``tests/contract/requirements-sailpoint-1.4.2.txt`` and the driver runs there as a subprocess.

Each SDK is configured through its own ``Configuration`` (base URL, client id, secret: it fetches
its own token) and ``sailpoint_sdk_driver.py`` calls every SourcesApi operation of the v2024
document with arguments that succeed, waits on every task through task status, and reports
failures (SDK errors and deserialisation errors alike). The test asserts 0 failures and that no
SourcesApi method was left out: the methods called plus, for the latest release, the ones that
are not operations of the v2024 document (``NOT_IN_V2024``: v2 provisioning policies, datasets,
resources, approval configs, ...) must be exactly the SDK's public methods.

Where 1.4.2 itself is wrong the driver goes through the SDK's lower-level ApiClient with the
right URL and says so (``lowlevel``), after showing the fault (``sdk_faults``):
get/update-source-entitlement-request-config have no source id parameter (the URL keeps a literal
``{id}``) and get/put/delete-native-change-detection-config take ``id`` but their URL template
names ``{sourceId}``, which is sent literally.
"""

import pytest

from tests.contract import sailpoint_sdk_driver
from tests.contract.sailpoint_sdk_judge import options, run_legacy, simulator

# operations of the v2024 Sources API (tag Sources) as 1.4.2 names them: 50 of the seed
# plus import_entitlements (load-entitlements), which the document and both SDKs also have
V2024_OPERATIONS = 51
# 204 answers, and the CSV downloads (the SDK maps text/csv to no model; the driver reads the raw file)
NO_MODEL = {"delete_source_schema", "delete_provisioning_policy", "delete_source_schedule",
            "delete_native_change_detection_config", "get_accounts_schema", "get_entitlements_schema"}
LEGACY_LOWLEVEL = {"get_source_entitlement_request_config", "update_source_entitlement_request_config",
                   "get_native_change_detection_config", "put_native_change_detection_config",
                   "delete_native_change_detection_config"}


@pytest.fixture
def sim():
    server = simulator()
    yield server
    server.stop()


def check(report, sim, lowlevel):
    print("sailpoint %s (%s): %d SourcesApi methods, %d called, %d through the ApiClient"
          % (report["sdk"], report["flavor"], len(report["methods"]),
             len(set(report["called"]) & set(report["methods"])), len(report["lowlevel"])))
    assert report["failures"] == [], "\n".join(report["failures"])
    methods, called, outside = set(report["methods"]), set(report["called"]), set(report["not_in_v2024"])
    assert not called & outside
    assert methods - outside <= called, "SourcesApi methods not called: %s" % sorted(methods - outside - called)
    assert outside <= methods, "listed as outside the v2024 document but not in the SDK: %s" % sorted(outside - methods)
    assert len(methods - outside) == V2024_OPERATIONS
    assert set(report["lowlevel"]) == lowlevel
    # every answer became the SDK's model (or list of them), but for the answers without one
    empty = {name for name, kind in report["results"] if kind == "NoneType"}
    assert empty == NO_MODEL, report["results"]
    served = [e for e in sim.log if not e["auth"]]
    misses = [(e["method"], e["path"], e["status"]) for e in served if e["status"] >= 400]
    # only the calls that show 1.4.2's own URL faults may miss (see sdk_faults)
    assert all("%7B" in path for _method, path, _status in misses), misses
    assert len(misses) == len(report["sdk_faults"])
    return served


def test_latest_sdk_drives_every_sources_operation(sim):
    report = sailpoint_sdk_driver.run(options(sim, "v1"))
    assert report["sdk"] == "2.1.72"
    served = check(report, sim, set())
    assert all(e["path"].startswith(("/sources/v1", "/task-status/v1")) for e in served)


def test_sdk_1_4_2_drives_every_v2024_sources_operation(sim):
    report = run_legacy(sailpoint_sdk_driver, sim)
    served = check(report, sim, LEGACY_LOWLEVEL)
    assert sorted(f.split(":")[0] for f in report["sdk_faults"]) == [
        "get_native_change_detection_config", "get_source_entitlement_request_config"]
    assert all(e["path"].startswith(("/v2024/sources", "/v2024/task-status")) for e in served)


def test_the_driver_fails_on_a_broken_answer(sim):
    """The judge can fail: a simulator answer the SDK cannot deserialise is reported."""
    original = sim.source_health
    sim.routes = [r for r in sim.routes if "source-health" not in r.template]
    sim.api("GET", "/sources/{id}/source-health", lambda req: dict(original(req), isAuthoritative="maybe"))
    report = sailpoint_sdk_driver.run(options(sim, "v1"))
    assert [f.split(":")[0] for f in report["failures"]] == ["get_source_health"], report["failures"]
