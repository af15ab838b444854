"""The four source configurations (correlation, attribute sync, entitlement request, native change
detection) and their _info modules through one ansible-playbook run against the SailPoint simulator."""

from tests.simulators.sailpoint import ADMIN_ID
from tests.integration.plays import play, task

NS = "identity.cloud.sailpoint_source_"
ASSIGN = [{"property": "uid", "value": "employeeId", "operation": "EQ", "ignoreCase": True, "matchMode": "ANYWHERE"}]


def parts(sim, source_name="HR Feed"):
    ids = [s["id"] for s in sim.collection("sources").values() if s["name"] == source_name]
    return sim.collection("parts").get(ids[0]) or {}


def test_configs_five_steps_diff_and_bad_input(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    sim.inject("5xx", status=503, method="PUT", path="/correlation-config$")
    # A lost reply on PUT needs the retry of idempotent writes (issue 12 item 1, reliability branch).
    sim.inject("429", retry_after=1, method="PUT", path="/attribute-sync-config$")
    email = {"name": "email", "displayName": "Email", "enabled": True, "target": "mail"}
    ncd = {"source": "HR Feed", "enabled": True, "operations": ["ACCOUNT_CREATED", "ACCOUNT_DELETED"],
           "all_entitlements": True}
    run = run_playbook(play(sim, [
        task("source", "identity.cloud.sailpoint_source", name="HR Feed", owner=ADMIN_ID, connector="delimited-file"),
        task("correlation", NS + "correlation_config", source="HR Feed", attribute_assignments=ASSIGN),
        task("correlation again", NS + "correlation_config", source="HR Feed", attribute_assignments=ASSIGN),
        task("correlation check", NS + "correlation_config", check=True, source="HR Feed", attribute_assignments=[]),
        task("correlation clear", NS + "correlation_config", source="HR Feed", attribute_assignments=[]),
        task("attrsync", NS + "attribute_sync_config", source="HR Feed", attributes=[email]),
        task("attrsync again", NS + "attribute_sync_config", source="HR Feed", attributes=[email]),
        task("entreq", NS + "entitlement_request_config", source="HR Feed",
             access_request_config={"requestCommentRequired": True}),
        task("entreq again", NS + "entitlement_request_config", source="HR Feed",
             access_request_config={"requestCommentRequired": True}),
        task("ncd", NS + "native_change_detection_config", **ncd),
        task("ncd again reordered", NS + "native_change_detection_config",
             **dict(ncd, operations=["ACCOUNT_DELETED", "ACCOUNT_CREATED"])),
        task("ncd check change", NS + "native_change_detection_config", check=True, **dict(ncd, enabled=False)),
        task("ncd delete", NS + "native_change_detection_config", source="HR Feed", state="absent"),
        task("ncd delete again", NS + "native_change_detection_config", source="HR Feed", state="absent"),
        task("bad operation", NS + "native_change_detection_config", errors=True, source="HR Feed",
             operations=["ACCOUNT_EXPLODED"]),
        task("unknown source", NS + "correlation_config", errors=True, source="Nowhere", attribute_assignments=[]),
        task("duplicate attribute", NS + "attribute_sync_config", errors=True, source="HR Feed",
             attributes=[email, email]),
        {"name": "read", "identity.cloud.sailpoint_source_attribute_sync_config_info": {"source": "HR Feed"},
         "register": "attrsync_info"},
        task("read correlation", NS + "correlation_config_info", source="HR Feed"),
        task("read entreq", NS + "entitlement_request_config_info", source="HR Feed"),
        task("read ncd", NS + "native_change_detection_config_info", source="HR Feed"),
    ]), diff=True, expect_rc=0)
    for name in ("correlation", "attrsync", "entreq", "ncd", "correlation clear", "ncd delete"):
        assert run.task(name).changed, name
        assert run.writes(sim, name), name
    for name in ("correlation again", "attrsync again", "entreq again", "ncd again reordered", "ncd delete again"):
        assert not run.task(name).changed, name
        assert run.writes(sim, name) == [], name
    for name in ("correlation check", "ncd check change"):
        assert run.task(name).changed and run.writes(sim, name) == [], name
    put = [w for w in run.writes(sim, "attrsync") if w["method"] == "PUT" and w["status"] == 200]
    assert put and len(put[0]["body"]["attributes"]) == 3 and put[0]["body"]["source"]["name"] == "HR Feed"
    stored = parts(sim)
    assert stored["correlation"]["attributeAssignments"] == []
    assert [a for a in stored["attrsync"]["attributes"] if a["name"] == "email"][0]["enabled"] is True
    assert stored["entreq"]["accessRequestConfig"]["requestCommentRequired"] is True
    assert stored["ncd"]["enabled"] is False
    assert run.task("ncd").result["diff"]["after"]["enabled"] is True
    for name, text in {"bad operation": "value of operations must be one or more of",
                       "unknown source": "source: no source has the name or id 'Nowhere'",
                       "duplicate attribute": "the name 'email' is given more than once"}.items():
        result = run.task(name)
        assert result.failed and text in result.result["msg"], (name, result.result.get("msg"))
        assert run.writes(sim, name) == [], name
    assert run.task("read").result["attribute_sync_config"]["source"]["name"] == "HR Feed"
    assert run.task("read correlation").result["correlation_config"]["attributeAssignments"] == []
    assert run.task("read entreq").result["entitlement_request_config"]["accessRequestConfig"]
    assert run.task("read ncd").result["native_change_detection_config"]["enabled"] is False
