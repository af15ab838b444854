"""sailpoint_source_aggregation, sailpoint_source_accounts and sailpoint_source_connector (actions on a
source, asynchronous tasks waited for through the shared poller) in one ansible-playbook run."""

from tests.simulators.sailpoint import ADMIN_ID
from tests.integration.plays import play, task

NS = "identity.cloud.sailpoint_source_"


def switch(sim, path, **body):
    return {"name": "switch %s %s" % (path, body), "ansible.builtin.uri": {
        "url": sim.url + "/__sim__/" + path, "method": "POST", "body_format": "json", "body": body,
        "status_code": 204}}


def test_aggregation_accounts_connector(sailpoint_sim, run_playbook, tmp_path):
    sim = sailpoint_sim
    accounts = tmp_path / "hr.csv"
    accounts.write_text("id,name,email\nE1,Ada,ada@example.com\nE2,Bob,bob@example.com\n")
    jar = tmp_path / "driver.jar"
    jar.write_bytes(b"PK\x03\x04 not really a jar")
    run = run_playbook(play(sim, [
        task("source", "identity.cloud.sailpoint_source", name="HR Feed", owner=ADMIN_ID, connector="delimited-file"),
        task("aggregate check", NS + "aggregation", check=True, source="HR Feed", file=str(accounts)),
        task("aggregate", NS + "aggregation", source="HR Feed", file=str(accounts), disable_optimization=True),
        task("aggregate no wait", NS + "aggregation", source="HR Feed", action="import_uncorrelated_accounts",
             wait=False),
        task("test connection", NS + "connector", source="HR Feed", action="test_connection"),
        task("test connection check", NS + "connector", check=True, source="HR Feed", action="ping_cluster"),
        task("peek", NS + "connector", source="HR Feed", action="peek", max_count=1),
        task("upload", NS + "connector", source="HR Feed", action="import_connector_file", file=str(jar)),
        task("upload again", NS + "connector", source="HR Feed", action="import_connector_file", file=str(jar)),
        switch(sim, "connector", healthy=False, message="Login failed for user hr_reader"),
        task("failing test", NS + "connector", errors=True, source="HR Feed", action="test_configuration"),
        task("sync", NS + "accounts", source="HR Feed", action="sync_attributes"),
        task("remove check", NS + "accounts", check=True, source="HR Feed", action="remove_accounts"),
        switch(sim, "tasks", outcome="ERROR", message="Accounts are locked by a running aggregation"),
        task("remove failing", NS + "accounts", errors=True, source="HR Feed", action="remove_accounts"),
        switch(sim, "tasks", outcome="SUCCESS", delay=5),
        task("remove timeout", NS + "accounts", errors=True, source="HR Feed", action="remove_accounts",
             wait_timeout=1),
        task("unknown source", NS + "aggregation", errors=True, source="Nowhere"),
        task("missing file", NS + "aggregation", errors=True, source="HR Feed", file=str(tmp_path / "none.csv")),
    ]), expect_rc=0)
    assert run.task("aggregate check").changed and run.writes(sim, "aggregate check") == []
    aggregate = run.task("aggregate")
    assert aggregate.changed and aggregate.result["completion_status"] == "SUCCESS"
    assert aggregate.result["counts"]["total"] == 2 and aggregate.result["counts"]["created"] == 2
    post = [w for w in run.writes(sim, "aggregate") if w["method"] == "POST"]
    assert len(post) == 1 and post[0]["content_type"].startswith("multipart/form-data")
    assert "disableOptimization" in post[0]["body"] and "E2,Bob" in post[0]["body"]
    no_wait = run.task("aggregate no wait")
    assert no_wait.changed and no_wait.result["task"]["id"] and "completion_status" not in no_wait.result
    test = run.task("test connection")
    assert not test.changed and test.result["response"]["status"] == "SUCCESS"
    assert not run.task("test connection check").changed
    assert run.task("peek").result["response"]["objectCount"] == 1
    assert run.task("upload").changed and not run.task("upload again").changed
    assert [w["method"] for w in run.writes(sim, "upload again")] == []
    failing = run.task("failing test")
    assert failing.failed
    assert failing.result["msg"] == "test_configuration on source 'HR Feed' failed: Login failed for user hr_reader"
    sync = run.task("sync")
    assert sync.changed and sync.result["completion_status"] == "SUCCESS"
    assert run.task("remove check").changed and run.writes(sim, "remove check") == []
    removed = run.task("remove failing")
    assert removed.failed and "Accounts are locked by a running aggregation" in removed.result["msg"]
    assert "ended with ERROR" in removed.result["msg"]
    timeout = run.task("remove timeout")
    assert timeout.failed and "did not complete within 1 s" in timeout.result["msg"]
    assert "source: no source has the name or id 'Nowhere'" == run.task("unknown source").result["msg"]
    missing = run.task("missing file")
    assert missing.failed and missing.result["msg"].startswith("file: ") and run.writes(sim, "missing file") == []
