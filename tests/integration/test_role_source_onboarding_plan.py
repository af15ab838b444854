"""identity.cloud.sailpoint_source_onboarding plans its parts with the sailpoint_source_plan filter: the same plan on
every ansible-core version, also for sources whose plan has no true, false or null in it (before ansible-core 2.19
the templar turned such printed JSON into a dict, which the role's former ``from_json`` refused), and a source with
``state: absent`` gets no part."""

from tests.integration.plays import connection
from tests.simulators.sailpoint import ADMIN_ID

ROLE = "identity.cloud.sailpoint_source_onboarding : "
QUIET = {"name": "Quiet Feed", "owner": ADMIN_ID, "connector": "delimited-file", "test_connection": False,
         "aggregate": "never"}
OLD = dict(QUIET, name="Old Feed")


def onboarding(sim, sources):
    """The role, then every source read back through the API."""
    return [{"hosts": "localhost", "gather_facts": False,
             "module_defaults": {"group/identity.cloud.sailpoint": connection(sim)},
             "roles": [{"role": "identity.cloud.sailpoint_source_onboarding",
                        "sailpoint_source_onboarding_sources": sources}],
             "post_tasks": [{"name": "Read the sources back", "identity.cloud.sailpoint_source_info": {}}]}]


def names(run):
    return sorted(s["name"] for s in run.task("Read the sources back").result["sources"])


def parts_sent(sim):
    """The writes other than to the sources themselves (schemas, policies, tests, aggregations ...)."""
    return [(e["method"], e["path"]) for e in sim.log if e["write"] and e["path"].count("/") > 3]


def test_sources_without_tests_and_aggregations_then_one_absent(sailpoint_sim, run_playbook):
    run = run_playbook(onboarding(sailpoint_sim, [QUIET, OLD]), expect_rc=0)
    plan = run.task(ROLE + "Plan the sources' parts (one list per kind, without the sources' connector attributes)")
    assert plan.result["ansible_facts"]["__sailpoint_source_onboarding_plan"] == {
        "schemas": [], "schedules": [], "policies": [], "correlation": [], "sync": [], "entitlement_requests": [],
        "change_detection": [], "password_policies": [], "test": [], "aggregate": []}
    assert names(run) == ["Old Feed", "Quiet Feed"]
    assert parts_sent(sailpoint_sim) == []

    # the absent source is deleted and gets no part, though it names some
    gone = dict(OLD, state="absent", schemas=[{"name": "account"}], aggregate="always", test_connection=True)
    run = run_playbook(onboarding(sailpoint_sim, [QUIET, gone]), expect_rc=0)
    assert names(run) == ["Quiet Feed"]
    assert parts_sent(sailpoint_sim) == []
