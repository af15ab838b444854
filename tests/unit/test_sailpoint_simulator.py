"""The SailPoint simulator seen by a plain HTTP client: the vendor behaviour the modules rely on."""

import time

import pytest
import requests

from tests.simulators.sailpoint import ADMIN_ID, CLIENT_ID, CLIENT_SECRET, SailPointSimulator

OWNER = {"type": "IDENTITY", "id": ADMIN_ID}


@pytest.fixture(scope="module")
def server():
    sim = SailPointSimulator(task_delay=0.0)
    sim.start()
    yield sim
    sim.stop()


@pytest.fixture
def sim(server):
    server.reset()
    server.task_delay = 0.0
    return server


def session(sim):
    resp = requests.post(sim.url + "/oauth/token", data={"grant_type": "client_credentials", "client_id": CLIENT_ID,
                                                         "client_secret": CLIENT_SECRET}, timeout=5)
    assert resp.status_code == 200 and resp.json()["expires_in"] == 749
    http = requests.Session()
    http.headers["Authorization"] = "Bearer " + resp.json()["access_token"]
    return http


def create(sim, http, **body):
    resp = http.post(sim.url + "/v2024/sources", json=dict({"owner": OWNER, "connector": "jdbc"}, **body), timeout=5)
    assert resp.status_code == 201, resp.text
    return resp.json()


def test_token_errors(sim):
    bad = requests.post(sim.url + "/oauth/token", data={"grant_type": "client_credentials", "client_id": CLIENT_ID,
                                                        "client_secret": "nope"}, timeout=5)
    assert bad.status_code == 401 and bad.json() == {"error": "invalid_client", "error_description": "Bad credentials"}
    anonymous = requests.get(sim.url + "/v2024/sources", timeout=5)
    assert anonymous.status_code == 401 and "error" in anonymous.json()


def test_error_body_is_an_error_response_dto(sim):
    http = session(sim)
    resp = http.get(sim.url + "/v2024/sources/nope", timeout=5)
    body = resp.json()
    assert resp.status_code == 404 and body["detailCode"] == "404 Not found" and body["trackingId"]
    assert body["messages"][0]["text"] == "The source nope was not found."


def test_computed_connector_attributes_cannot_be_written(sim):
    http = session(sim)
    source = create(sim, http, name="S")
    assert source["connectorAttributes"]["healthy"] is False
    echoed = {k: source[k] for k in ("name", "owner", "connector", "connectorAttributes")}
    put = http.put(sim.url + "/v2024/sources/" + source["id"], json=dict(echoed, description="x"), timeout=5)
    assert put.status_code == 400 and put.json()["messages"][0]["text"] == "Illegal attempt to modify healthy"
    patch = http.patch(sim.url + "/v2024/sources/" + source["id"], timeout=5,
                       json=[{"op": "replace", "path": "/connectorAttributes/status", "value": "x"}],
                       headers={"Content-Type": "application/json-patch+json"})
    assert patch.status_code == 400 and "Illegal attempt to modify status" in patch.text
    created = http.post(sim.url + "/v2024/sources", timeout=5,
                        json={"name": "T", "owner": OWNER, "connector": "jdbc", "connectorAttributes": {"since": "x"}})
    assert created.status_code == 400 and "Illegal attempt to modify since" in created.text


def test_requests_are_checked_against_the_spec(sim):
    http = session(sim)
    source = create(sim, http, name="S")
    as_json = http.patch(sim.url + "/v2024/sources/" + source["id"], timeout=5,
                         json=[{"op": "replace", "path": "/description", "value": "x"}])
    assert as_json.status_code == 400 and "request does not match the API" in as_json.text
    assert as_json.json()["detailCode"] == "400.1 Bad Request Content"
    too_many = http.get(sim.url + "/v2024/sources", params={"limit": 251}, timeout=5)
    assert too_many.status_code == 400
    missing = http.post(sim.url + "/v2024/sources", json={"name": "No owner"}, timeout=5)
    assert missing.status_code == 400 and "owner" in missing.text
    immutable = http.patch(sim.url + "/v2024/sources/" + source["id"], timeout=5,
                           json=[{"op": "replace", "path": "/connector", "value": "ldap"}],
                           headers={"Content-Type": "application/json-patch+json"})
    assert immutable.status_code == 400 and "connector cannot be changed" in immutable.text


def test_pagination_filters_and_total_count(sim):
    http = session(sim)
    for number in range(5):
        create(sim, http, name="src-%d" % number)
    query = {"limit": 2, "offset": 1, "count": "true", "sorters": "-name"}
    page = http.get(sim.url + "/v2024/sources", params=query, timeout=5)
    assert page.headers["X-Total-Count"] == "5"
    assert [s["name"] for s in page.json()] == ["src-3", "src-2"]
    assert "X-Total-Count" not in http.get(sim.url + "/v2024/sources", timeout=5).headers
    found = http.get(sim.url + "/v2024/sources", params={"filters": 'name eq "src-4" or name in ("src-1")'}, timeout=5)
    assert sorted(s["name"] for s in found.json()) == ["src-1", "src-4"]
    unsupported = http.get(sim.url + "/v2024/sources", params={"filters": 'connector eq "jdbc"'}, timeout=5)
    assert unsupported.status_code == 400 and "not supported for field 'connector'" in unsupported.text


def test_delete_answers_202_with_a_task(sim):
    http = session(sim)
    sim.task_delay = 0.2
    source = create(sim, http, name="S")
    resp = http.delete(sim.url + "/sources/v1/" + source["id"], timeout=5)
    assert resp.status_code == 202 and resp.json()["type"] == "TASK_RESULT"
    task_id = resp.json()["id"]
    assert http.get(sim.url + "/task-status/v1/" + task_id, timeout=5).json()["completed"] is None
    time.sleep(0.25)
    done = http.get(sim.url + "/v2024/task-status/" + task_id, timeout=5).json()
    assert done["completionStatus"] == "SUCCESS"
    assert http.get(sim.url + "/v2024/sources/" + source["id"], timeout=5).status_code == 404
    # the per-resource tree only serves sources and task status
    assert http.get(sim.url + "/identities/v1", timeout=5).status_code == 404


def test_rate_limit_per_client(sim):
    assert sim.rate_limit == (100, 10)  # the tenant's limit, restored by every reset
    sim.rate_limit = (20, 10)  # same mechanism, fewer calls to reach it
    http = session(sim)
    statuses = [http.get(sim.url + "/v2024/identities", timeout=5) for _index in range(21)]
    assert [r.status_code for r in statuses[:20]] == [200] * 20
    last = statuses[20]
    assert last.status_code == 429 and 1 <= int(last.headers["Retry-After"]) <= 10
    assert last.json() == {"message": " Rate Limit Exceeded "}
