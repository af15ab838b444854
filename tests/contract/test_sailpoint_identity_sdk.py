"""The vendor's own ``sailpoint`` SDK judges the simulator's transforms, identity profiles, lifecycle
states and governance groups (issue 25: 32 operations), in two releases, as
``test_sailpoint_sdk.py`` does for Sources:

* the latest release (requirements-test.txt) speaks the per-resource tree (``/transforms/v1``,
  ``/identity-profiles/v1``, ``/workgroups/v1``, ``/identities/v1/{id}/set-lifecycle-state``), in
  this process;
* 1.4.2 (``sailpoint.v2024``, ``/v2024/...``) runs ``sailpoint_identity_sdk_driver.py`` in its own
  virtualenv (``.cache/sdk-sailpoint-1.4.2``, built by ``make pytest``) as a subprocess.

The driver calls every method of the four API classes with arguments that succeed, follows the
tasks through task status and checks the semantics it can see (transform in use refused, identities
made by process-identities, lifecycle state counted, per-item bulk answers). The test asserts 0
failures, that every method of the four classes was called (all 32 are operations of the v2024
document) and that each answer became the SDK's model, but for the 204 answers and the one answer
the SDK itself cannot read (``CONNECTED_TYPE_FAULT``: governance group connections, read raw).
"""

import pytest

from tests.contract import sailpoint_identity_sdk_driver
from tests.contract.sailpoint_sdk_judge import options, run_legacy, simulator

OPERATIONS = 32  # Transforms 5, Identity Profiles 11, Lifecycle States 6, Governance Groups 10
NO_MODEL = {"transforms.delete_transform", "governance_groups.delete_workgroup"}  # 204 answers
RAW = {"governance_groups.list_connections"}
# the one refusal the driver asks for: deleting a transform an identity profile maps
REFUSED = ("DELETE", "/transforms/")


@pytest.fixture
def sim():
    server = simulator()
    yield server
    server.stop()


def check(report, sim, suffix):
    called = len(set(report["called"]) & set(report["methods"]))
    print("sailpoint %s (%s): %d methods, %d called" % (report["sdk"], report["flavor"], len(report["methods"]), called))
    assert report["failures"] == [], "\n".join(report["failures"])
    methods, called = set(report["methods"]), set(report["called"])
    assert len(methods) == OPERATIONS, sorted(methods)
    assert called == methods, "not called: %s" % sorted(methods - called)
    kinds = {}
    for name, kind in report["results"]:
        kinds.setdefault(name, set()).add(kind)
    assert {n for n, k in kinds.items() if "NoneType" in k} == NO_MODEL, kinds
    assert {n for n, k in kinds.items() if "raw" in k} == RAW, kinds
    assert set(report["sdk_faults"]) == {n + suffix for n in RAW}
    served = [e for e in sim.log if not e["auth"]]
    misses = [(e["method"], e["path"], e["status"]) for e in served if e["status"] >= 400]
    assert len(misses) == 1 and misses[0][0] == REFUSED[0] and REFUSED[1] in misses[0][1] and misses[0][2] == 400, misses
    return served


def test_latest_sdk_drives_every_identity_operation(sim):
    report = sailpoint_identity_sdk_driver.run(options(sim, "v1"))
    assert report["sdk"] == "2.1.72"
    served = check(report, sim, "_v1")
    issue25 = [e["path"] for e in served if not e["path"].startswith(("/sources/v1", "/task-status/v1", "/v2024/identities"))]
    assert issue25 and all(p.startswith(("/transforms/v1", "/identity-profiles/v1", "/workgroups/v1", "/identities/v1/"))
                           for p in issue25), issue25


def test_sdk_1_4_2_drives_every_v2024_identity_operation(sim):
    report = run_legacy(sailpoint_identity_sdk_driver, sim)
    served = check(report, sim, "")
    assert all(e["path"].startswith("/v2024/") for e in served)


def test_the_identity_driver_fails_on_a_broken_answer(sim):
    """The judge can fail: a lifecycle state the SDK cannot deserialise is reported."""
    original = sim._state_view
    sim._state_view = lambda profile_id, state: dict(original(profile_id, state), enabled="maybe")
    report = sailpoint_identity_sdk_driver.run(options(sim, "v1"))
    assert report["failures"] and all(f.startswith("lifecycle_states.") for f in report["failures"]), report["failures"]
