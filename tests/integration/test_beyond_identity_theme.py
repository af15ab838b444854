"""beyond_identity_theme(+_info) through ansible-playbook against the simulator."""

from tests.simulators.beyond_identity import DEFAULT_REALM_ID
from tests.integration.plays import play, task as plain_task

MODULE = "identity.cloud.beyond_identity_theme"
INFO = "identity.cloud.beyond_identity_theme_info"


def task(title, module=MODULE, **options):
    return plain_task(title, module, **options)


def themes(sim):
    return [t for t in sim.store["themes"].values() if t["realm_id"] == DEFAULT_REALM_ID]


def test_create_update_cycle_and_diff(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    base = {"realm": "Default", "email_realm_name": "Example Corp", "support_url": "https://support.example.com"}
    run = run_playbook(play(sim, [
        task("check create", check=True, **base),
        task("create", **base),
        task("again", **base),
        task("check change", check=True, **{**base, "email_realm_name": "Example Inc"}),
        task("change", **{**base, "realm": DEFAULT_REALM_ID, "email_realm_name": "Example Inc"}),
        task("change again", **{**base, "email_realm_name": "Example Inc"}),
        task("absent is not offered", errors=True, realm="Default", state="absent"),
    ]), diff=True, expect_rc=0)

    check_create = run.task("check create")
    assert check_create.changed and run.writes(sim, "check create") == []
    create = run.task("create")
    theme = create.result["theme"]
    assert create.changed and theme["email_realm_name"] == "Example Corp" and theme["logo_url_light"]
    assert create.result["id"] == theme["id"] != "default"
    assert [(w["method"], w["path"].rsplit("/", 1)[-1]) for w in run.writes(sim, "create")] == [("POST", "themes")]

    again = run.task("again")
    assert not again.changed and run.writes(sim, "again") == []
    check = run.task("check change")
    assert check.changed and run.writes(sim, "check change") == []
    assert check.result["theme"]["email_realm_name"] == "Example Inc"

    change = run.task("change")
    assert change.changed and [w["method"] for w in run.writes(sim, "change")] == ["PATCH"]
    assert change.result["diff"] == {
        "before": {"email_realm_name": "Example Corp", "support_url": "https://support.example.com"},
        "after": {"email_realm_name": "Example Inc", "support_url": "https://support.example.com"}}
    assert "-    \"email_realm_name\": \"Example Corp\"" in run.stdout
    assert not run.task("change again").changed and run.writes(sim, "change again") == []

    absent = run.task("absent is not offered")
    assert absent.failed and "value of state must be one of: present, got: absent" in absent.result["msg"]
    assert [t["email_realm_name"] for t in themes(sim)] == ["Example Inc"]


def test_bad_input_and_info(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    run = run_playbook(play(sim, [
        task("forbidden characters", errors=True, realm="Default", email_realm_name="Example {Corp}"),
        task("too long", errors=True, realm="Default", email_realm_name="x" * 65),
        task("empty", errors=True, realm="Default", email_realm_name=""),
        task("not a url", errors=True, realm="Default", support_url="support.example.com"),
        task("default theme", module=INFO, realm="Default"),
        task("create", realm="Default", logo_url_dark="https://cdn/dark.png"),
        dict(task("active", module=INFO, realm="Default"), register="active"),
        task("by id", module=INFO, realm="Default", id="{{ active.themes[0].id }}"),
        task("unknown id", module=INFO, realm="Default", id="nope"),
        task("every realm", module=INFO),
    ]))
    rules = {"forbidden characters": "email_realm_name must match ^[^{}[", "too long": "email_realm_name must be at most 64",
             "empty": "email_realm_name must be at least 1 character"}
    for name, rule in rules.items():
        assert run.task(name).failed and run.task(name).result["msg"].startswith(rule), run.task(name).result["msg"]
    assert "support_url must be an http(s) URL" in run.task("not a url").result["msg"]
    assert [w["method"] for w in sim.writes()] == ["POST"]
    assert run.task("default theme").result["themes"][0]["id"] == "default"
    stored = themes(sim)[0]
    assert run.task("active").result["themes"] == [stored]
    assert run.task("by id").result["themes"] == [stored]
    assert run.task("unknown id").result["themes"] == []
    every = run.task("every realm").result["themes"]
    assert sorted(t["realm_id"] for t in every) == sorted(sim.store["realms"])
    assert stored in every
