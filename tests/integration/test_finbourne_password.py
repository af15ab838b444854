"""finbourne_password through ansible-playbook: FINBOURNE's SetPassword is "only available to Service users
authenticated using OpenID" (document 0.0.3076), so the module refuses anyone else before any write, in
check mode too, and sets a Service user's password (read back by signing in with it)."""

from tests.integration.plays import connection, play, task
from tests.simulators.finbourne import PAT, SERVICE_PASSWORD, SERVICE_USERNAME

PASSWORD = "identity.cloud.finbourne_password"
NEW = "Brand-New-Pass-Seven-77"


def test_only_a_service_user_signed_in_with_a_password_sets_its_own_password(finbourne_sim, run_playbook):
    sim = finbourne_sim
    service = dict(username=SERVICE_USERNAME, password=SERVICE_PASSWORD)
    pat = dict(connection(sim), access_token=PAT)
    run = run_playbook(play(sim, [
        task("personal user", PASSWORD, errors=True, new_password=NEW),
        task("personal user in check mode", PASSWORD, check=True, errors=True, new_password=NEW),
        task("personal access token", PASSWORD, errors=True, new_password=NEW, **pat),
        task("service user in check mode", PASSWORD, check=True, new_password=NEW, **service),
        task("service user", PASSWORD, new_password=NEW, **service),
        task("sign in with the new password", "identity.cloud.finbourne_me_info",
             username=SERVICE_USERNAME, password=NEW, token_cache=False),
    ]), verbosity=4, expect_rc=0)

    for name in ("personal user", "personal user in check mode"):
        refused = run.task(name)
        assert refused.failed and refused.result["msg"] == (
            "username: FINBOURNE lets only Service users set their own password; 'admin@example.com' is a Personal user")
        assert run.writes(sim, name) == []
    by_token = run.task("personal access token")
    assert by_token.failed and by_token.result["msg"].startswith("access_token: FINBOURNE sets a password only for")
    assert run.requests(sim, "personal access token") == []  # refused before any call
    check = run.task("service user in check mode")
    assert check.changed and run.writes(sim, "service user in check mode") == []
    assert sim.store["passwords"][SERVICE_USERNAME] == NEW
    assert run.task("service user").changed and run.task("service user").result["updatedAt"]
    assert [w["path"].rsplit("/api", 1)[1] for w in run.writes(sim, "service user")] == ["/me/password"]
    assert run.task("sign in with the new password").result["me"]["emailAddress"] == SERVICE_USERNAME
