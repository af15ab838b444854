"""finbourne_application and finbourne_api_key through ansible-playbook against the simulator."""

import json

from tests.integration.plays import inject, play, task

APP = "identity.cloud.finbourne_application"
KEY = "identity.cloud.finbourne_api_key"
PORTAL = {"application_client_id": "reporting-portal", "display_name": "Reporting portal", "type": "Web",
          "redirect_uris": ["https://reports.example.com/cb"]}


def apps(sim):
    return {a["clientId"]: a for a in sim.collection("applications").values()}


def keys(sim, name):
    return [k for k in sim.collection("api_keys").values() if k["displayName"] == name]


def test_application_cycle_secret_once_and_faults(finbourne_sim, run_playbook, tmp_path):
    sim = finbourne_sim
    saved = tmp_path / "secrets.json"
    run = run_playbook(play(sim, [
        dict(task("create", APP, **PORTAL), no_log=True, register="created", diff=True),
        task("again", APP, **dict(PORTAL, application_client_id="REPORTING-portal")),
        task("check rotate", APP, check=True, application_client_id="reporting-portal", rotate_secret=True),
        dict(task("rotate", APP, application_client_id="reporting-portal", rotate_secret=True), no_log=True,
             register="rotated"),
        dict(task("keep them", "ansible.builtin.copy", dest=str(saved),
                  content="{{ [created.application.secret, rotated.application.secret] | to_json }}"), no_log=True),
        task("display name cannot change", APP, errors=True, **dict(PORTAL, display_name="Other")),
        task("bad client id", APP, errors=True, application_client_id="1abcdefg", display_name="x", type="Web"),
        task("unknown id", APP, errors=True, id="0oanothere", display_name="x"),
        inject(sim, "429", retry_after=1, method="GET", path="/api/applications$"),
        inject(sim, "5xx", status=503, method="POST", path="/api/applications$"),
        task("create after 429 and 503", APP, application_client_id="second-app", display_name="Second",
             type="Native"),
        inject(sim, "lost_reply", method="POST", path="/api/applications$"),
        dict(task("create whose answer is lost", APP, application_client_id="third-app", display_name="Third",
                  type="Native"), no_log=True),
        task("delete", APP, application_client_id="reporting-portal", state="absent"),
        task("delete again", APP, application_client_id="reporting-portal", state="absent"),
    ]), verbosity=4, expect_rc=0)
    create = run.task("create")
    assert create.changed and [w["method"] for w in run.writes(sim, "create")] == ["POST"]
    first, second = json.loads(saved.read_text())
    assert first and second and first != second
    output = run.stdout + run.proc.stderr
    assert first not in output and second not in output
    again = run.task("again")
    assert not again.changed and run.writes(sim, "again") == [] and "secret" not in again.result["application"]
    assert run.task("check rotate").changed and run.writes(sim, "check rotate") == []
    assert [w["path"].rsplit("/", 1)[1] for w in run.writes(sim, "rotate")] == ["$newsecret"]
    for name, start in (("display name cannot change", "display_name cannot change: FINBOURNE has no update"),
                        ("bad client id", "application_client_id must match"),
                        ("unknown id", "id '0oanothere' names no FINBOURNE application")):
        result = run.task(name)
        assert result.failed and result.result["msg"].startswith(start), result.result["msg"]
        assert run.writes(sim, name) == []
    statuses = [(e["method"], e["status"]) for e in run.requests(sim, "create after 429 and 503")
                if e["path"].endswith("/api/applications")]
    assert statuses == [("GET", 429), ("GET", 200), ("POST", 503), ("POST", 200)]
    assert [w.get("reply_lost") for w in run.writes(sim, "create whose answer is lost")] == [True]
    assert sorted(apps(sim)) == ["second-app", "third-app"]
    assert not run.task("delete again").changed and run.writes(sim, "delete again") == []


def test_api_key_cycle_value_once(finbourne_sim, run_playbook, tmp_path):
    sim = finbourne_sim
    saved = tmp_path / "key.txt"
    run = run_playbook(play(sim, [
        dict(task("create", KEY, display_name="nightly", deactivation_date="2035-01-01T00:00:00Z"), no_log=True,
             register="created"),
        dict(task("keep it", "ansible.builtin.copy", dest=str(saved), content="{{ created.api_key.key }}"), no_log=True),
        dict(task("again, same instant in another notation", KEY, display_name="nightly",
                  deactivation_date="2035-01-01T01:00:00+01:00"), diff=True),
        task("check change", KEY, check=True, display_name="other"),
        task("expiry cannot change", KEY, errors=True, display_name="nightly", deactivation_date="2036-01-01T00:00:00Z"),
        task("delete", KEY, display_name="nightly", state="absent"),
        task("delete again", KEY, display_name="nightly", state="absent"),
    ]), verbosity=4, expect_rc=0)
    value = saved.read_text()
    assert value.startswith("pat-") and value not in run.stdout + run.proc.stderr
    assert run.task("create").changed and [w["method"] for w in run.writes(sim, "create")] == ["POST"]
    again = run.task("again, same instant in another notation")
    assert not again.changed and run.writes(sim, "again, same instant in another notation") == []
    assert "key" not in again.result["api_key"]
    assert run.task("check change").changed and run.writes(sim, "check change") == []
    fixed = run.task("expiry cannot change")
    assert fixed.failed and fixed.result["msg"].startswith("deactivation_date cannot change")
    assert run.writes(sim, "expiry cannot change") == []
    assert run.task("delete").changed and not run.task("delete again").changed
    assert keys(sim, "nightly") == []
