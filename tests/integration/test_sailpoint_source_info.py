"""sailpoint_source_info (and the connection fallbacks) through ansible-playbook against the simulator."""

import json

from tests.simulators.sailpoint import ADMIN_ID, CLIENT_ID, CLIENT_SECRET, IDN_SOURCE_ID
from tests.integration.plays import play
from tests.integration.test_sailpoint_source import source_task


def info_task(title, **args):
    return {"name": title, "identity.cloud.sailpoint_source_info": args}


def seed_sources(sim, count, connector="jdbc", prefix="src"):
    """Put sources straight into the simulator store (much faster than creating them by API)."""
    with sim.lock:
        for number in range(count):
            sim._insert_source({"name": "%s-%03d" % (prefix, number), "owner": {"type": "IDENTITY", "id": ADMIN_ID},
                                "connector": connector}, "2024-02-01T00:00:%02d.000Z" % (number % 60))


def test_lookups_filters_and_details(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    run = run_playbook(play(sim, [
        dict(source_task("csv", name="HR Feed", owner=ADMIN_ID, connector="delimited-file", provision_as_csv=True),
             register="csv"),
        source_task("ldap", name="Directory", owner=ADMIN_ID, connector="ldap", description="LDAP"),
        info_task("all"),
        info_task("by name", name="Directory", include_health=True, include_connections=True, include_config=True),
        info_task("by id", id="{{ csv.id }}"),
        info_task("by filter", filters='type eq "DelimitedFile"'),
        info_task("name and filter miss", name="Directory", filters='type eq "DelimitedFile"'),
        info_task("sorted", sorters="-name"),
        info_task("with idn", include_idn_source=True, filters='name sw "Ident"'),
        info_task("unknown id", id="0123456789abcdef0123456789abcdef"),
        dict(info_task("bad filter", filters='connectorClass eq "x"'), ignore_errors=True),
    ]), expect_rc=0)
    csv_id = run.task("csv").result["id"]

    assert sorted(s["name"] for s in run.task("all").result["sources"]) == ["Directory", "HR Feed"]
    by_name = run.task("by name").result["sources"]
    assert [s["name"] for s in by_name] == ["Directory"]
    assert by_name[0]["health"]["status"] == "SOURCE_STATE_UNCHECKED_SOURCE"
    assert by_name[0]["health"]["id"] == by_name[0]["id"]
    assert "identityProfiles" in by_name[0]["connections"]
    assert by_name[0]["config"]["className"] and "uploadedFiles" in by_name[0]["config"]
    assert [s["id"] for s in run.task("by id").result["sources"]] == [csv_id]
    assert [s["name"] for s in run.task("by filter").result["sources"]] == ["HR Feed"]
    assert run.task("name and filter miss").result["sources"] == []
    sent = [e["query"]["filters"][0] for e in run.requests(sim, "name and filter miss") if "filters" in e["query"]]
    assert sent == ['name eq "Directory" and (type eq "DelimitedFile")']
    assert [s["name"] for s in run.task("sorted").result["sources"]] == ["HR Feed", "Directory"]
    assert [s["id"] for s in run.task("with idn").result["sources"]] == [IDN_SOURCE_ID]
    assert run.task("unknown id").result["sources"] == []
    bad = run.task("bad filter")
    assert bad.failed and bad.result["msg"].startswith("GET /v2024/sources failed: HTTP 400")
    assert "connectorClass" in bad.result["msg"]
    for name in ("all", "by name", "by filter", "sorted", "bad filter"):
        assert not run.task(name).changed and run.writes(sim, name) == []


def test_pagination_over_more_than_one_page(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    seed_sources(sim, 260)
    seed_sources(sim, 3, connector="ldap", prefix="dir")
    run = run_playbook(play(sim, [
        info_task("all"),
        info_task("quoted name", name='dir-001'),
        info_task("ldap only", filters='connectorName eq "LDAP"'),
    ]), expect_rc=0)
    names = [s["name"] for s in run.task("all").result["sources"]]
    assert len(names) == 263 and len(set(names)) == 263
    pages = [(e["query"]["limit"], e["query"]["offset"]) for e in run.requests(sim, "all")
             if e["path"] == "/v2024/sources"]
    assert pages == [(["250"], ["0"]), (["250"], ["250"])]
    assert [s["name"] for s in run.task("quoted name").result["sources"]] == ["dir-001"]
    assert sorted(s["name"] for s in run.task("ldap only").result["sources"]) == ["dir-000", "dir-001", "dir-002"]


def test_name_with_quotes_and_backslashes(sailpoint_sim, run_playbook):
    sim = sailpoint_sim
    tricky = 'Finance "Ledger" \\ EU'
    run = run_playbook(play(sim, [
        source_task("create", name=tricky, owner=ADMIN_ID, connector="jdbc"),
        source_task("again", name=tricky, owner=ADMIN_ID, connector="jdbc"),
        info_task("info", name=tricky),
    ]), expect_rc=0)
    assert run.task("create").changed and not run.task("again").changed
    assert [s["name"] for s in run.task("info").result["sources"]] == [tricky]


def test_connection_from_environment_and_config_file(sailpoint_sim, run_playbook, tmp_path):
    sim = sailpoint_sim
    env = sim.connection_env()
    # The SDK's ./config.json, in the directory ansible-playbook (and so the module) runs in. It only
    # fills settings that neither the task nor the environment gives.
    (tmp_path / "config.json").write_text(json.dumps({"BaseURL": sim.url, "ClientId": CLIENT_ID,
                                                      "ClientSecret": CLIENT_SECRET}))
    # The settings go into the environment of ansible-playbook, not a task's ``environment:``, which
    # Ansible itself prints at -vvvv.
    wrong = dict(env, SAIL_CLIENT_SECRET="wrong-secret-value")
    other_tenant = {"SAIL_BASE_URL": "http://127.0.0.1:9"}
    runs = [run_playbook([{"hosts": "localhost", "gather_facts": False, "tasks": [task]}], extra_env=extra,
                         secrets=["wrong-secret-value"])
            for task, extra in ((info_task("from environment", include_idn_source=True), env),
                                (info_task("from config file", include_idn_source=True), None),
                                (dict(info_task("wrong secret"), ignore_errors=True), wrong),
                                (dict(info_task("other tenant"), ignore_errors=True), other_tenant))]
    run = runs[0]
    run.tasks.extend(t for other in runs[1:] for t in other.tasks)
    assert all(r.rc == 0 for r in runs), [r.stdout[-3000:] for r in runs]
    for name in ("from environment", "from config file"):
        assert [s["id"] for s in run.task(name).result["sources"]] == [IDN_SOURCE_ID], name

    # A wrong secret fails with the token endpoint's answer (not served from the token cache),
    # and the secret is not shown.
    failed = run.task("wrong secret")
    assert failed.failed and "oauth/token failed: HTTP 401 [invalid_client]" in failed.result["msg"]
    # The file's credentials are not sent to another tenant.
    other = run.task("other tenant")
    assert other.failed and "needs access_token, or client_id and client_secret" in other.result["msg"]
    assert len([e for e in sim.log if e["auth"]]) == 2  # one good token (cached), one refused
