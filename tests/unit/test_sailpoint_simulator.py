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


# -- what hangs on a source -------------------------------------------------------------------------


def multipart_file(name, data, **fields):
    return {"files": dict({"file": (name, data)}, **{k: (None, v) for k, v in fields.items()})}


def wait_task(sim, http, task_id):
    for _attempt in range(250):
        task = http.get(sim.url + "/v2024/task-status/" + task_id, timeout=5).json()
        if task["completed"] is not None:
            return task
        time.sleep(0.02)
    raise AssertionError("task %s never completed" % task_id)


def test_parts_go_with_their_source(sim):
    http = session(sim)
    source = create(sim, http, name="S")
    base = sim.url + "/v2024/sources/" + source["id"]
    assert [s["name"] for s in http.get(base + "/schemas", timeout=5).json()] == ["account", "group"]
    extra = http.post(base + "/schemas", json={"name": "extra", "attributes": [{"name": "id", "type": "STRING"}]},
                      timeout=5).json()
    assert {"type": "CONNECTOR_SCHEMA", "id": extra["id"], "name": "extra"} in http.get(base, timeout=5).json()["schemas"]
    assert http.post(base + "/provisioning-policies", json={"name": "A", "usageType": "CREATE"},
                     timeout=5).status_code == 201
    assert http.post(base + "/schedules", json={"type": "ACCOUNT_AGGREGATION", "cronExpression": "0 0 6 * * ?"},
                     timeout=5).status_code == 201
    assert http.put(base + "/native-change-detection-config", json={"enabled": True}, timeout=5).status_code == 200
    assert source["id"] in sim.store["parts"]
    sim.task_delay = 0.5
    task = http.delete(base, timeout=5).json()["id"]
    assert http.get(base + "/schemas/" + extra["id"], timeout=5).status_code == 200  # not gone before the task ends
    assert wait_task(sim, http, task)["completionStatus"] == "SUCCESS"
    assert source["id"] not in sim.store["parts"]
    for path in ("/schemas/" + extra["id"], "/provisioning-policies/CREATE", "/schedules/ACCOUNT_AGGREGATION",
                 "/native-change-detection-config", "/correlation-config"):
        assert http.get(base + path, timeout=5).status_code == 404, path


def test_one_policy_per_usage_type_and_bulk_is_all_or_nothing(sim):
    http = session(sim)
    base = sim.url + "/v2024/sources/" + create(sim, http, name="S")["id"] + "/provisioning-policies"
    assert http.post(base, json={"name": "A", "usageType": "CREATE"}, timeout=5).status_code == 201
    again = http.post(base, json={"name": "B", "usageType": "CREATE"}, timeout=5)
    assert again.status_code == 400 and "already exists" in again.text
    broken = http.post(base + "/bulk-update", timeout=5, json=[{"name": "U", "usageType": "UPDATE"}, {"name": "X"}])
    assert broken.status_code == 400
    assert [p["usageType"] for p in http.get(base, timeout=5).json()] == ["CREATE"]
    policies = [{"name": "U", "usageType": "UPDATE"}, {"name": "A2", "usageType": "CREATE"}]
    bulk = http.post(base + "/bulk-update", timeout=5, json=policies)
    assert bulk.status_code == 200 and [p["name"] for p in bulk.json()] == ["U", "A2"]
    assert sorted(p["name"] for p in http.get(base, timeout=5).json()) == ["A2", "U"]


def test_schedule_cron_and_patch(sim):
    http = session(sim)
    base = sim.url + "/v2024/sources/" + create(sim, http, name="S")["id"] + "/schedules"
    bad = http.post(base, json={"type": "ACCOUNT_AGGREGATION", "cronExpression": "every day"}, timeout=5)
    assert bad.status_code == 400 and "Invalid cron expression" in bad.text
    http.post(base, json={"type": "ACCOUNT_AGGREGATION", "cronExpression": "0 0 6 * * ?"}, timeout=5)
    patch = [{"op": "replace", "path": "/type", "value": "GROUP_AGGREGATION"}]
    headers = {"Content-Type": "application/json-patch+json"}
    assert http.patch(base + "/ACCOUNT_AGGREGATION", json=patch, headers=headers, timeout=5).status_code == 400
    patch = [{"op": "replace", "path": "/cronExpression", "value": "0 30 6 * * ?"}]
    done = http.patch(base + "/ACCOUNT_AGGREGATION", json=patch, headers=headers, timeout=5)
    assert done.json() == {"type": "ACCOUNT_AGGREGATION", "cronExpression": "0 30 6 * * ?"}


def test_aggregation_counts_and_remove_accounts(sim):
    http = session(sim)
    sim.task_delay = 0.05
    base = sim.url + "/v2024/sources/" + create(sim, http, name="S")["id"]
    first = http.post(base + "/load-accounts", timeout=5,
                      **multipart_file("a.csv", b"id,name\nu1,One\nu2,Two\n", disableOptimization="true"))
    assert first.status_code == 202 and first.json()["task"]["completed"] is None
    task = wait_task(sim, http, first.json()["task"]["id"])
    assert task["completionStatus"] == "SUCCESS"
    counts = task["attributes"]
    assert [counts["total"], counts["created"], counts["optimized"]] == [2, 2, 0]
    second = http.post(base + "/load-accounts", timeout=5, **multipart_file("a.csv", b"id,name\nu1,Uno\nu3,Three\n"))
    counts = wait_task(sim, http, second.json()["task"]["id"])["attributes"]
    assert [counts[k] for k in ("total", "created", "updated", "deleted")] == [2, 1, 1, 1]
    peek = http.post(base + "/connector/peek-resource-objects", json={"objectType": "account", "maxCount": 5},
                     timeout=5).json()
    assert sorted(o["identity"] for o in peek["resourceObjects"]) == ["u1", "u3"]
    removed = http.post(base + "/remove-accounts", timeout=5)
    assert removed.status_code == 202
    assert wait_task(sim, http, removed.json()["id"])["attributes"]["deleted"] == 2
    assert http.post(base + "/connector/peek-resource-objects", json={"objectType": "account"},
                     timeout=5).json()["objectCount"] == 0


def test_failed_tasks_carry_the_message(sim):
    http = session(sim)
    base = sim.url + "/v2024/sources/" + create(sim, http, name="S")["id"]
    assert requests.post(sim.url + "/__sim__/tasks", json={"outcome": "ERROR", "message": "connector down"},
                         timeout=5).status_code == 204
    job = http.post(base + "/synchronize-attributes", headers={"X-SailPoint-Experimental": "true"}, timeout=5)
    assert job.status_code == 202 and job.json()["status"] == "QUEUED"
    task = wait_task(sim, http, job.json()["id"])
    assert task["completionStatus"] == "ERROR" and task["messages"][0]["localizedText"]["message"] == "connector down"
    assert sim.store["sync-jobs"][job.json()["id"]]["status"] == "ERROR"


def test_connector_switch(sim):
    http = session(sim)
    base = sim.url + "/v2024/sources/" + create(sim, http, name="S")["id"]
    assert http.post(base + "/connector/check-connection", timeout=5).json()["status"] == "SUCCESS"
    assert http.get(base, timeout=5).json()["healthy"] is True
    requests.post(sim.url + "/__sim__/connector", json={"healthy": False, "message": "LDAP bind failed"}, timeout=5)
    for call in ("ping-cluster", "test-configuration", "check-connection"):
        answer = http.post(base + "/connector/" + call, timeout=5).json()
        assert answer["status"] == "FAILURE" and answer["details"]["message"] == "LDAP bind failed", call
    assert http.get(base + "/source-health", timeout=5).json()["status"] == "SOURCE_STATE_ERROR_SOURCE"
    peek = http.post(base + "/connector/peek-resource-objects", json={"objectType": "account"}, timeout=5)
    assert peek.status_code == 400 and "LDAP bind failed" in peek.text
    sim.reset()
    assert sim.connector_healthy is True


def test_schema_files_and_connector_file(sim):
    http = session(sim)
    base = sim.url + "/v2024/sources/" + create(sim, http, name="S")["id"]
    download = http.get(base + "/schemas/accounts", timeout=5)
    assert download.headers["Content-Type"] == "text/csv" and download.text == "id,name,email\n"
    upload = http.post(base + "/schemas/accounts", timeout=5, **multipart_file("s.csv", b"login,name,dept\n"))
    assert [a["name"] for a in upload.json()["attributes"]] == ["login", "name", "dept"]
    assert upload.json()["identityAttribute"] == "login"
    assert http.get(base + "/schemas/entitlements", params={"schemaName": "group"}, timeout=5).text == "id,name\n"
    jar = http.post(base + "/upload-connector-file", timeout=5, **multipart_file("ojdbc.jar", b"PK" * 10))
    assert jar.json()["connectorAttributes"]["connectorFiles"] == [{"name": "ojdbc.jar", "size": 20}]
    assert http.get(base + "/connectors/source-config", timeout=5).json()["uploadedFiles"] == ["ojdbc.jar"]
    not_multipart = http.post(base + "/upload-connector-file", data=b"PK", timeout=5,
                              headers={"Content-Type": "multipart/form-data"})
    assert not_multipart.status_code == 400


def test_rate_limit_window_slides_and_logs_429(sim):
    sim.rate_limit = (5, 0.5)
    http = session(sim)
    other = session(sim)
    assert [http.get(sim.url + "/v2024/identities", timeout=5).status_code for _i in range(6)] == [200] * 5 + [429]
    # another token of the same client id shares the window; the log keeps every 429
    assert other.get(sim.url + "/v2024/identities", timeout=5).status_code == 429
    assert [e["status"] for e in sim.log if e["path"] == "/v2024/identities"].count(429) == 2
    time.sleep(0.55)
    assert http.get(sim.url + "/v2024/identities", timeout=5).status_code == 200
    sim.clients["second-client"] = "second-secret"
    token = requests.post(sim.url + "/oauth/token", timeout=5, data={
        "grant_type": "client_credentials", "client_id": "second-client", "client_secret": "second-secret"}).json()
    for _i in range(4):
        http.get(sim.url + "/v2024/identities", timeout=5)
    assert http.get(sim.url + "/v2024/identities", timeout=5).status_code == 429
    second = requests.get(sim.url + "/v2024/identities", timeout=5,
                          headers={"Authorization": "Bearer " + token["access_token"]})
    assert second.status_code == 200  # another client id has its own window
    assert requests.post(sim.url + "/__sim__/rate-limit", json={}, timeout=5).status_code == 204
    assert all(http.get(sim.url + "/v2024/identities", timeout=5).status_code == 200 for _i in range(8))
