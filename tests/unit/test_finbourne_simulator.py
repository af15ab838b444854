"""The FINBOURNE simulator seen by a plain HTTP client: state transitions and vendor answers.

The expected transitions are written out here, independently of the simulator's own table.
"""

import datetime

import pytest
import requests

from tests.contract.harness import own_simulator
from tests.simulators.finbourne import (CLIENT_ID, CLIENT_SECRET, MOUNT, PAT, SERVICE_PASSWORD, SERVICE_USERNAME,
                                        TOKEN_PATH, USERNAME, duration_seconds, parse_time)

ALL = ("STAGED", "PROVISIONED", "ACTIVE", "RECOVERY", "PASSWORD_EXPIRED", "LOCKED_OUT", "SUSPENDED")
SIGNED_UP = ("ACTIVE", "RECOVERY", "PASSWORD_EXPIRED", "LOCKED_OUT")
# verb -> {status before: status after}; any other status is refused with the code given
TRANSITIONS = {
    "activate": ({"STAGED": "PROVISIONED", "PROVISIONED": "PROVISIONED"}, 707),
    "unlock": ({"LOCKED_OUT": "ACTIVE"}, 706),
    "unsuspend": ({"SUSPENDED": "ACTIVE"}, 717),
    "resetpassword": ({s: "RECOVERY" for s in SIGNED_UP}, 718),
    "expirepassword": ({s: "PASSWORD_EXPIRED" for s in SIGNED_UP}, 719),
    "resetfactors": ({s: s for s in ALL}, 717),
}


@pytest.fixture(scope="module")
def server():
    with own_simulator("finbourne") as running:
        yield running


@pytest.fixture
def sim(server):
    server.reset()
    server.token_lifetime = 3600
    return server


class Client:
    def __init__(self, sim, token=PAT):
        self.sim = sim
        self.http = requests.Session()
        self.http.headers["Authorization"] = "Bearer " + token

    def __call__(self, method, path, body=None, **params):
        return self.http.request(method, self.sim.url + MOUNT + "/api" + path, json=body, params=params, timeout=10)


@pytest.fixture
def api(sim):
    return Client(sim)


def sign_in(sim, username, password, **extra):
    return requests.post(sim.url + TOKEN_PATH, data=dict({"grant_type": "password", "username": username,
                                                          "password": password, "client_id": CLIENT_ID,
                                                          "client_secret": CLIENT_SECRET}, **extra), timeout=10)


def new_user(api, login="new.user@example.com", user_type="Personal", **extra):
    answer = api("POST", "/users", dict({"firstName": "New", "lastName": "User", "emailAddress": login,
                                         "login": login, "type": user_type}, **extra))
    assert answer.status_code == 200, answer.text  # not the document's 201: see tests/simulators/specs/README.md
    return answer.json()


def assert_error(answer, status, code, name=None):
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert body["code"] == code and body["status"] == status and body["detail"]
    if name:
        assert body["name"] == name


@pytest.mark.parametrize("verb", sorted(TRANSITIONS))
@pytest.mark.parametrize("status", ALL)
def test_lifecycle_transitions(sim, api, verb, status):
    user = new_user(api)
    sim.set_status(user["id"], status)
    moves, code = TRANSITIONS[verb]
    answer = api("POST", "/users/%s/lifecycle/$%s" % (user["id"], verb))
    after = api("GET", "/users/" + user["id"]).json()["status"]
    if status in moves:
        assert answer.status_code == (200 if verb == "expirepassword" else 204), answer.text
        assert after == moves[status]
    else:
        assert_error(answer, 409, code)
        assert after == status


@pytest.mark.parametrize("verb", sorted(TRANSITIONS))
def test_lifecycle_on_a_deleted_user_is_refused(api, verb):
    user = new_user(api)
    assert api("DELETE", "/users/" + user["id"]).status_code == 204
    assert_error(api("POST", "/users/%s/lifecycle/$%s" % (user["id"], verb)), 409, 705, "UserInADeletedState")


def test_emails_and_the_temporary_password(sim, api):
    user = new_user(api)
    assert user["status"] == "PROVISIONED"
    sim.set_status(user["id"], "ACTIVE")
    api("POST", "/users/%s/lifecycle/$resetpassword" % user["id"])
    assert [(e["to"], e["kind"]) for e in sim.store["emails"]] == [
        ("new.user@example.com", "activation"), ("new.user@example.com", "password-reset")]
    temporary = api("POST", "/users/%s/lifecycle/$expirepassword" % user["id"]).json()["password"]
    assert sign_in(sim, "NEW.user@example.com", temporary).status_code == 200
    assert sign_in(sim, "new.user@example.com", temporary + "x").status_code == 400


def test_users_crud_roles_and_deletion(api):
    role = api("POST", "/roles", {"name": "Desk Alpha"}).json()
    other = api("POST", "/roles", {"name": "Desk Beta"}).json()
    assert api("POST", "/roles", {"name": "desk ALPHA"}).status_code == 409
    user = new_user(api, roles=[{"scope": "default", "code": "desk alpha"}])
    assert [r["id"] for r in user["roles"]] == [role["id"]]
    assert [u["id"] for u in api("GET", "/roles/%s/users" % role["id"]).json()] == [user["id"]]
    assert "roles" not in api("GET", "/users/" + user["id"]).json()
    assert_error(api("POST", "/users", {"firstName": "A", "lastName": "Bc", "emailAddress": "x@y.com",
                                        "login": "NEW.USER@example.com", "type": "Service"}), 409, 658)
    assert_error(api("POST", "/users", {"firstName": "A", "lastName": "Bc", "emailAddress": "x@y.com",
                                        "login": "x@y.com", "type": "Personal",
                                        "roles": [{"scope": "default", "code": "nope"}]}), 404, 661)
    assert_error(api(
        "POST", "/users", {"firstName": "A", "lastName": "Bc", "emailAddress": "x@y.com", "login": "x@y.com",
                           "type": "Personal", "secondEmailAddress": "z@y.com"}), 403, 786)
    assert_error(api("POST", "/users", {"firstName": "A", "lastName": "Bc", "emailAddress": "x@y.com",
                                        "login": "x@y.com", "type": "Robot"}), 400, 151)
    # PUT replaces; roles given -> exactly those
    update = {"firstName": "Renamed", "lastName": "User", "emailAddress": "new.user@example.com",
              "login": "new.user@example.com", "roles": [{"scope": "default", "code": "Desk Beta"}],
              "alternativeUserIds": {"employeeId": "E1", "gone": None}}
    changed = api("PUT", "/users/" + user["id"], update).json()
    assert changed["firstName"] == "Renamed" and changed["alternativeUserIds"] == {"employeeId": "E1"}
    assert [r["id"] for r in changed["roles"]] == [other["id"]]
    listed = {u["id"]: u for u in api("GET", "/users", includeRoles="true").json()}
    assert [r["name"] for r in listed[user["id"]]["roles"]] == ["Desk Beta"]
    assert_error(api("PUT", "/users/" + user["id"], dict(update, login=USERNAME.upper())), 409, 658)
    # delete: deprovisioned, listed only on request; purge removes it
    assert api("DELETE", "/users/" + user["id"]).status_code == 204
    assert user["id"] not in {u["id"] for u in api("GET", "/users").json()}
    hidden = {u["id"]: u for u in api("GET", "/users", includeDeactivated="true").json()}
    assert hidden[user["id"]]["status"] == "DEPROVISIONED"
    assert api("GET", "/roles/%s/users" % other["id"]).json() == []
    assert_error(api("DELETE", "/users/" + user["id"]), 409, 705)
    assert api("DELETE", "/users/" + user["id"], purge="true").status_code == 204
    assert_error(api("GET", "/users/" + user["id"]), 404, 657, "UserDoesNotExist")


def test_a_deleted_user_can_no_longer_sign_in(sim, api):
    user = new_user(api, user_type="Service")
    sim.set_status(user["id"], "ACTIVE")
    sim.store["passwords"][user["login"]] = "a-long-new-password"
    session = sign_in(sim, user["login"], "a-long-new-password").json()["access_token"]
    key = Client(sim, session)("POST", "/keys", {"displayName": "mine"}).json()["key"]
    assert Client(sim, key)("GET", "/me").status_code == 200
    assert api("DELETE", "/users/" + user["id"]).status_code == 204
    assert Client(sim, key)("GET", "/me").status_code == 401
    assert Client(sim, session)("GET", "/me").status_code == 401
    assert sign_in(sim, user["login"], "a-long-new-password").status_code == 400
    assert api("GET", "/me").status_code == 200


def test_literal_user_paths_are_not_user_ids(sim, api):
    runnable = api("GET", "/users/$runnable").json()
    assert [u["login"] for u in runnable] == [SERVICE_USERNAME]
    assert api("GET", "/users/%24runnable").json() == runnable
    assert api("GET", "/users/schema").json() == {"alternativeUserIds": []}
    schema = {"alternativeUserIds": [{"name": "employeeId", "description": "HR"}]}
    assert api("PUT", "/users/schema", schema).json() == schema
    assert api("GET", "/users/schema").json() == schema
    assert api("PUT", "/users/schema", {"alternativeUserIds": [{"name": "a", "description": ""},
                                                               {"name": "A", "description": ""}]}).status_code == 409


def test_directory(sim, api):
    me = sim.user_by_login(USERNAME)
    other = new_user(api)
    found = api("GET", "/directory", id=[me["id"], other["id"], "missing"]).json()
    assert set(found["values"]) == {me["id"], other["id"]} and set(found["failed"]) == {"missing"}
    assert found["values"][other["id"]]["email"] == "new.user@example.com"
    assert "alternativeUserIds" not in found["values"][other["id"]]  # only for the caller
    assert "alternativeUserIds" in found["values"][me["id"]]
    assert_error(api("GET", "/directory", id=["u%d" % i for i in range(51)]), 400, 151)


def test_applications_and_their_secret(api):
    app = api("POST", "/applications", {"displayName": "Reports", "clientId": "reports-app", "type": "web"}).json()
    assert app["type"] == "Web" and app["secret"]
    assert "secret" not in api("GET", "/applications/" + app["id"]).json()
    assert api("GET", "/applications/" + app["id"], includeSecret="true").json()["secret"] == app["secret"]
    rotated = api("POST", "/applications/%s/lifecycle/$newsecret" % app["id"]).json()
    assert rotated["secret"] != app["secret"]
    assert api("GET", "/applications/" + app["id"], includeSecret="true").json()["secret"] == rotated["secret"]
    assert all("secret" not in a for a in api("GET", "/applications").json())
    assert api("POST", "/applications", {"displayName": "x", "clientId": "REPORTS-app", "type": "Native"}
               ).status_code == 409
    assert api("DELETE", "/applications/" + app["id"]).status_code == 204
    assert_error(api("GET", "/applications/" + app["id"]), 404, 662)
    assert_error(api("POST", "/applications"), 400, 157)


def test_personal_access_tokens(sim, api):
    created = api("POST", "/keys", {"displayName": "ci"}).json()
    assert created["key"] and created["deactivationDate"] is None
    listed = {k["id"]: k for k in api("GET", "/keys").json()}
    assert created["id"] in listed and "key" not in listed[created["id"]]
    assert Client(sim, created["key"])("GET", "/me").json()["emailAddress"] == USERNAME
    assert_error(api("POST", "/keys", {"displayName": "ci"}), 409, 659)
    deleted = api("DELETE", "/keys/" + created["id"]).json()
    assert deleted["id"] == created["id"] and deleted["deactivationDate"]
    assert Client(sim, created["key"])("GET", "/me").status_code == 401
    assert_error(api("DELETE", "/keys/" + created["id"]), 404, 239)
    # a key past its deactivation date does not sign in, and its name is free again
    past = api("POST", "/keys", {"displayName": "old", "deactivationDate": "2001-01-01T00:00:00Z"}).json()
    assert Client(sim, past["key"])("GET", "/me").status_code == 401
    assert api("POST", "/keys", {"displayName": "old"}).status_code == 200
    for index in range(len(api("GET", "/keys").json()), 50):
        assert api("POST", "/keys", {"displayName": "k%d" % index}).status_code == 200
    assert_error(api("POST", "/keys", {"displayName": "one too many"}), 409, 238)


def test_password_policy_per_user_type(api):
    personal = api("GET", "/authentication/password-policy/Personal").json()
    new = {"conditions": {"complexity": {"minLength": 20, "excludeFirstName": False, "excludeLastName": True},
                          "age": {"maxAgeDays": 90, "historyCount": 5}, "lockout": {"maxAttempts": 3}}}
    assert api("PUT", "/authentication/password-policy/service", new).json() == new
    assert api("GET", "/authentication/password-policy/SERVICE").json() == new
    assert api("GET", "/authentication/password-policy/personal").json() == personal != new
    assert_error(api("GET", "/authentication/password-policy/robot"), 404, 151)
    bad = {"conditions": dict(new["conditions"], complexity={"minLength": 5, "excludeFirstName": True,
                                                             "excludeLastName": True})}
    assert api("PUT", "/authentication/password-policy/service", bad).status_code == 400


def test_support_access(api):
    assert "support" not in api("GET", "/authentication/information").json()
    roles = [r["internalIdentifier"] for r in api("GET", "/authentication/support-roles").json()["supportRoles"]]
    grant = api("POST", "/authentication/support", {"duration": "PT1H30M", "permittedRoles": roles[:1]})
    assert grant.status_code == 201
    grant = grant.json()
    span = parse_time(grant["expiry"]) - parse_time(grant["createdAt"])
    assert span == datetime.timedelta(hours=1, minutes=30) and not grant["terminated"]
    info = api("GET", "/authentication/information").json()
    assert info["support"] == {"expiry": grant["expiry"]}
    assert info["supportAccessExpiryWithRole"] == [{"expiry": grant["expiry"], "permittedRole": roles[0]}]
    assert_error(api("POST", "/authentication/support", {"duration": "P1D", "permittedRoles": ["nope"]}), 404, 660)
    ended = api("DELETE", "/authentication/support").json()
    assert [g["id"] for g in ended] == [grant["id"]] and ended[0]["terminated"] and ended[0]["terminatedAt"]
    assert api("DELETE", "/authentication/support").json() == []
    assert "support" not in api("GET", "/authentication/information").json()
    history = api("GET", "/authentication/support").json()
    assert [g["id"] for g in history] == [grant["id"]] and history[0]["terminated"]
    assert api("GET", "/authentication/support", start="2999-01-01T00:00:00Z").json() == []


def test_scim_token(api):
    first = api("PUT", "/identityprovider/scim").json()
    assert first["apiToken"] and first["baseUrl"].endswith("/scim/v2")
    assert api("PUT", "/identityprovider/scim", apiTokenAction="ensure").json()["apiToken"] is None
    again = api("PUT", "/identityprovider/scim", apiTokenAction="regenerate",
                oldApiTokenDeactivation="2030-01-01T00:00:00Z").json()
    assert again["apiToken"] not in (None, first["apiToken"])
    assert api("PUT", "/identityprovider/scim", apiTokenAction="rotate").status_code == 400
    assert api("DELETE", "/identityprovider/scim").status_code == 204
    assert api("PUT", "/identityprovider/scim").json()["apiToken"] not in (None, again["apiToken"])


def test_set_password_rules(sim, api):
    assert_error(api("PUT", "/me/password", {"value": "a-long-new-password"}), 403, 786)
    session = sign_in(sim, SERVICE_USERNAME, SERVICE_PASSWORD).json()
    service = Client(sim, session["access_token"])
    key = service("POST", "/keys", {"displayName": "svc"}).json()["key"]
    assert_error(Client(sim, key)("PUT", "/me/password", {"value": "a-long-new-password"}), 403, 785)
    assert_error(service("PUT", "/me/password", {"value": "my-Service-password"}), 400, 787)
    assert service("PUT", "/me/password", {"value": "a-long-new-password"}).status_code == 200
    assert sign_in(sim, SERVICE_USERNAME, SERVICE_PASSWORD).status_code == 400
    assert sign_in(sim, SERVICE_USERNAME, "a-long-new-password").status_code == 200


def test_token_endpoint_and_invalidate_token(sim, api):
    answer = sign_in(sim, USERNAME, "wrong")
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"
    answer = sign_in(sim, USERNAME, "x", client_secret="wrong")
    assert answer.status_code == 401 and answer.json()["error"] == "invalid_client"
    session = sign_in(sim, USERNAME, sim.store["passwords"][USERNAME]).json()
    assert session["refresh_token"] and session["expires_in"] == 3600
    refreshed = requests.post(sim.url + TOKEN_PATH, auth=(CLIENT_ID, CLIENT_SECRET), timeout=10, data={
        "grant_type": "refresh_token", "refresh_token": session["refresh_token"]}).json()
    assert refreshed["access_token"] != session["access_token"]
    assert Client(sim, session["access_token"])("DELETE", "/tokens").status_code == 204
    assert Client(sim, session["access_token"])("GET", "/me").status_code == 401
    again = requests.post(sim.url + TOKEN_PATH, auth=(CLIENT_ID, CLIENT_SECRET), timeout=10, data={
        "grant_type": "refresh_token", "refresh_token": session["refresh_token"]})
    assert again.status_code == 400 and "refresh token is invalid or expired" in again.json()["error_description"]
    # a personal access token is not a session: it stays valid
    assert api("DELETE", "/tokens").status_code == 204 and api("GET", "/me").status_code == 200
    user = sim.user_by_login(USERNAME)
    sim.set_status(user["id"], "LOCKED_OUT")
    assert sign_in(sim, USERNAME, sim.store["passwords"][USERNAME]).status_code == 400


def test_error_bodies_follow_the_document(api):
    invalid = api("POST", "/roles", {"name": "!"})
    assert invalid.status_code == 400 and invalid.json()["errors"] and invalid.json()["name"] == "InvalidRequest"
    unauthenticated = requests.get(api.sim.url + MOUNT + "/api/me", timeout=10)
    assert unauthenticated.status_code == 401 and unauthenticated.json()["code"] == 2153


def test_durations_and_times():
    assert duration_seconds("P1DT2H") == 93600
    assert duration_seconds("P1.5W") == 1.5 * 7 * 86400
    with pytest.raises(ValueError):
        duration_seconds("1 day")
    assert parse_time("2020-01-01T10:00:00+02:00") == parse_time("2020-01-01t08:00:00z")
    assert parse_time("0000-01-01T00:00:60Z").year == 1


def test_expired_access_tokens_are_refused_and_refreshed(sim, api):
    session = sign_in(sim, USERNAME, sim.store["passwords"][USERNAME]).json()
    sim.expire_tokens()
    assert Client(sim, session["access_token"])("GET", "/me").status_code == 401
    assert api("GET", "/me").status_code == 200  # a personal access token does not expire
    fresh = requests.post(sim.url + TOKEN_PATH, auth=(CLIENT_ID, CLIENT_SECRET), timeout=10, data={
        "grant_type": "refresh_token", "refresh_token": session["refresh_token"]}).json()
    assert Client(sim, fresh["access_token"])("GET", "/me").status_code == 200
    assert sim.store["grants"] == ["password", "refresh_token"]
