"""beyond_identity_authenticator_config(+_info) through ansible-playbook against the simulator."""

from tests.simulators.beyond_identity import AUTHENTICATOR_CONFIGS, DEFAULT_REALM_ID
from tests.integration.plays import play, task as plain_task

MODULE = "identity.cloud.beyond_identity_authenticator_config"
INFO = "identity.cloud.beyond_identity_authenticator_config_info"


def task(title, module=MODULE, **options):
    return plain_task(title, module, **options)


def configs(sim, kind=None):
    return [c for c in sim.store["authenticator-configs"].values()
            if c["realm_id"] == DEFAULT_REALM_ID and kind in (None, c["config"]["type"])]


def test_five_step_cycle_and_diff(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    base = {"realm": "Default", "type": "embedded", "invoke_url": "https://app/auth",
            "trusted_origins": ["https://app", "https://www"]}
    run = run_playbook(play(sim, [
        dict(task("create", **base), register="created"),
        task("again, origins reordered", **{**base, "trusted_origins": ["https://www", "https://app"]}),
        task("check change", check=True, **{**base, "trusted_origins": ["https://app"]}),
        task("change", **{**base, "trusted_origins": ["https://app"]}),
        task("new invoke url by id", realm="Default", id="{{ created.id }}", invoke_url="https://login/auth"),
        task("delete", realm="Default", type="embedded", invoke_url="https://login/auth", state="absent"),
        task("delete again", realm="Default", type="embedded", invoke_url="https://login/auth", state="absent"),
        task("hosted web is there", realm="Default", type="hosted_web"),
    ]), diff=True, expect_rc=0)

    create = run.task("create")
    assert create.changed and create.result["authenticator_config"]["config"] == {
        "type": "embedded", "invoke_url": "https://app/auth", "trusted_origins": ["https://app", "https://www"]}
    writes = run.writes(sim, "create")
    assert [w["method"] for w in writes] == ["POST"]

    again = run.task("again, origins reordered")
    assert not again.changed and run.writes(sim, "again, origins reordered") == []
    check = run.task("check change")
    assert check.changed and run.writes(sim, "check change") == []

    change = run.task("change")
    assert change.changed and [w["method"] for w in run.writes(sim, "change")] == ["PATCH"]
    assert change.result["diff"]["before"] == {"type": "embedded", "invoke_url": "https://app/auth",
                                               "trusted_origins": ["https://app", "https://www"]}
    assert change.result["diff"]["after"]["trusted_origins"] == ["https://app"]

    moved = run.task("new invoke url by id")
    assert moved.changed and moved.result["authenticator_config"]["config"] == {
        "type": "embedded", "invoke_url": "https://login/auth", "trusted_origins": ["https://app"]}

    assert run.task("delete").changed and [w["method"] for w in run.writes(sim, "delete")] == ["DELETE"]
    assert not run.task("delete again").changed and run.writes(sim, "delete again") == []
    hosted = run.task("hosted web is there")
    assert not hosted.changed and run.writes(sim, "hosted web is there") == []
    assert configs(sim, "embedded") == [] and len(configs(sim, "hosted_web")) == 1


def test_bad_input(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    sim._put(AUTHENTICATOR_CONFIGS, DEFAULT_REALM_ID, {"config": {"type": "hosted_web"}})
    run = run_playbook(play(sim, [
        task("embedded without origins", errors=True, realm="Default", type="embedded", invoke_url="https://x"),
        task("embedded without url", errors=True, realm="Default", type="embedded", trusted_origins=["https://x"]),
        task("hosted web with settings", errors=True, realm="Default", id=configs(sim)[0]["id"],
             trusted_origins=["https://x"]),
        task("ambiguous hosted web", errors=True, realm="Default", type="hosted_web"),
        task("bad type", errors=True, realm="Default", type="native"),
    ]))
    assert "type embedded needs trusted_origins" in run.task("embedded without origins").result["msg"]
    assert "invoke_url is required with type embedded" in run.task("embedded without url").result["msg"]
    assert "trusted_origins: only for type embedded" in run.task("hosted web with settings").result["msg"]
    msg = run.task("ambiguous hosted web").result["msg"]
    assert "type hosted_web matches 2 authenticator configs; give id" in msg
    assert "value of type must be one of: hosted_web, embedded" in run.task("bad type").result["msg"]
    assert sim.writes() == []


def test_info(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    for number in range(101):  # more than one page of 100
        sim._put(AUTHENTICATOR_CONFIGS, DEFAULT_REALM_ID, {"config": {
            "type": "embedded", "invoke_url": "https://app%d" % number, "trusted_origins": []}})
    hosted = configs(sim, "hosted_web")[0]
    run = run_playbook(play(sim, [
        task("all", module=INFO, realm="Default"),
        task("hosted", module=INFO, realm="Default", type="hosted_web"),
        task("by url", module=INFO, realm="Default", type="embedded", invoke_url="https://app42"),
        task("by id", module=INFO, realm="Default", id=hosted["id"]),
    ]), expect_rc=0)
    assert len(run.task("all").result["authenticator_configs"]) == 102
    assert [c["id"] for c in run.task("hosted").result["authenticator_configs"]] == [hosted["id"]]
    assert [c["config"]["invoke_url"] for c in run.task("by url").result["authenticator_configs"]] == ["https://app42"]
    assert run.task("by id").result["authenticator_configs"] == [hosted]
