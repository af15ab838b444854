"""ApiClient against a small simulator: retries, replay safety, auth refresh, pagination, errors."""

import email.utils
import os
import stat
import time

import pytest

from ansible_collections.identity.cloud.plugins.module_utils.auth import OAuthToken, StaticToken, TokenCache, refresh_time
from ansible_collections.identity.cloud.plugins.module_utils.http_client import (
    ApiClient,
    ApiError,
    CheckModeWriteError,
    RetryPolicy,
    parse_retry_after,
    redact,
)
from tests.simulators.core import HttpError, Reply, Simulator


class ToySimulator(Simulator):
    """Items under /items (limit/offset and page_token lists) and a client-credentials token."""

    vendor = "toy"

    def seed(self):
        items = self.collection("items")
        for n in range(7):
            items[str(n)] = {"id": str(n), "name": "item-%d" % n}

    def register(self):
        self.route("POST", "/token", self.token)
        self.route("GET", "/items", self.list_offset)
        self.route("GET", "/paged", self.list_token)
        self.route("POST", "/items", self.create)
        self.route("POST", "/search", self.list_offset, write=False)
        self.route("GET", "/fail", self.fail)

    def is_auth_route(self, path):
        return path == "/token"

    def token(self, req):
        if (req.form or {}).get("client_secret") != "s3cret":
            raise HttpError(401, "bad client", code="invalid_client")
        return {"access_token": self.issue_token(req.form["client_id"]), "expires_in": 600}

    def list_offset(self, req):
        items = sorted(self.collection("items").values(), key=lambda i: int(i["id"]))
        offset, limit = int(req.arg("offset", 0)), int(req.arg("limit", 250))
        return items[offset:offset + limit]

    def list_token(self, req):
        items = sorted(self.collection("items").values(), key=lambda i: int(i["id"]))
        start, size = int(req.arg("page_token", 0)), int(req.arg("page_size", 3))
        body = {"items": items[start:start + size], "total_size": len(items)}
        if start + size < len(items):
            body["next_page_token"] = str(start + size)
        return body

    def create(self, req):
        item = dict(req.json, id=self.new_id())
        self.collection("items")[item["id"]] = item
        return Reply(201, item)

    def fail(self, req):
        raise HttpError(409, "already exists", code="conflict")


@pytest.fixture(scope="module")
def toy():
    sim = ToySimulator()
    sim.start()
    yield sim
    sim.stop()


@pytest.fixture
def sim(toy):
    toy.reset()
    return toy


class Sleeps(list):
    def __call__(self, seconds):
        self.append(seconds)


def client_for(sim, check_mode=False, auth=None, **retry):
    sleeps = Sleeps()
    policy = RetryPolicy(sleep=sleeps, **retry)
    client = ApiClient(sim.url, auth=auth or OAuthToken(sim.url + "/token", "cid", "s3cret",
                                                        {"grant_type": "client_credentials"}),
                       check_mode=check_mode, retry=policy, timeout=2)
    return client, sleeps


def test_retry_after_is_honoured_on_429(sim):
    client, sleeps = client_for(sim)
    sim.inject("429", retry_after=7, path="^/items$")
    assert len(client.get("/items").data) == 7
    assert sleeps == [7.0]


def test_503_and_connection_reset_are_retried_for_reads(sim):
    client, sleeps = client_for(sim)
    sim.inject("5xx", status=503, path="^/items$")
    sim.inject("reset", path="^/items$")
    assert len(client.get("/items").data) == 7
    assert len(sleeps) == 2
    assert [e["status"] for e in sim.log if e["path"] == "/items"][-1] == 200


def test_post_is_replayed_after_429_and_503_but_not_after_ambiguous_failures(sim):
    client = client_for(sim)[0]
    sim.inject("429", retry_after=0, method="POST", path="^/items$")
    sim.inject("5xx", status=503, method="POST", path="^/items$")
    assert client.post("/items", {"name": "x"}).status == 201
    assert len(sim.collection("items")) == 8

    sim.inject("5xx", status=502, method="POST")
    with pytest.raises(ApiError) as err:
        client.post("/items", {"name": "y"})
    assert err.value.status == 502 and err.value.ambiguous

    sim.inject("reset", method="POST")
    with pytest.raises(ApiError) as err:
        client.post("/items", {"name": "z"})
    assert err.value.ambiguous and err.value.status is None
    assert len([e for e in sim.log if e["method"] == "POST" and e["path"] == "/items"]) == 5


def test_retries_stop_at_the_count_and_the_budget(sim):
    client, sleeps = client_for(sim, max_retries=2)
    sim.inject("5xx", status=503, count=10, path="^/items$")
    with pytest.raises(ApiError) as err:
        client.get("/items")
    assert err.value.status == 503 and len(sleeps) == 2

    client, sleeps = client_for(sim, max_retries=10, budget=5)
    sim.reset()
    sim.inject("429", retry_after=3, count=10, path="^/items$")
    with pytest.raises(ApiError):
        client.get("/items")
    assert sleeps == [3.0]  # a second 3 s wait would overrun the 5 s budget


def test_retry_after_parsing():
    now = time.time()
    assert parse_retry_after("12") == 12.0
    assert parse_retry_after(email.utils.formatdate(now + 30, usegmt=True), now=now) == pytest.approx(30, abs=1)
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_backoff_is_jittered_and_capped():
    policy = RetryPolicy(base_delay=1, max_delay=4)
    delays = [policy.delay(5) for _attempt in range(50)]
    assert all(2 <= d <= 4 for d in delays) and len(set(delays)) > 1


def test_check_mode_refuses_writes_but_allows_reads_and_read_only_posts(sim):
    client = client_for(sim, check_mode=True)[0]
    assert client.get("/items").status == 200
    assert client.request("POST", "/search", json_body={}, read_only=True).status == 200
    with pytest.raises(CheckModeWriteError):
        client.post("/items", {"name": "x"})
    assert len(sim.collection("items")) == 7


def test_expired_token_is_refreshed_once_and_the_call_replayed(sim):
    auth = OAuthToken(sim.url + "/token", "cid", "s3cret", {"grant_type": "client_credentials"})
    client = client_for(sim, auth=auth)[0]
    client.get("/items")
    sim.inject("expire_token", path="^/items$")
    assert client.get("/items").status == 200
    assert auth.fetch_count == 2
    assert [e["status"] for e in sim.log if e["path"] == "/items"] == [200, 401, 200]


def test_static_token_is_not_refreshed(sim):
    client = client_for(sim, auth=StaticToken("not-issued"))[0]
    with pytest.raises(ApiError) as err:
        client.get("/items")
    assert err.value.status == 401
    assert len([e for e in sim.log if e["path"] == "/items"]) == 1


def test_token_cache_shares_tokens_and_keeps_secrets_off_disk(sim, tmp_path):
    cache = TokenCache(str(tmp_path / "tokens"))
    first = OAuthToken(sim.url + "/token", "cid", "s3cret", {"grant_type": "client_credentials"}, cache=cache)
    client_for(sim, auth=first)[0].get("/items")
    second = OAuthToken(sim.url + "/token", "cid", "s3cret", {"grant_type": "client_credentials"}, cache=cache)
    client_for(sim, auth=second)[0].get("/items")
    assert (first.fetch_count, second.fetch_count) == (1, 0)
    other = OAuthToken(sim.url + "/token", "other", "s3cret", {"grant_type": "client_credentials"}, cache=cache)
    client_for(sim, auth=other)[0].get("/items")
    assert other.fetch_count == 1
    wrong = OAuthToken(sim.url + "/token", "cid", "wrong", {"grant_type": "client_credentials"}, cache=cache)
    with pytest.raises(ApiError, match="HTTP 401"):
        client_for(sim, auth=wrong)[0].get("/items")

    directory = tmp_path / "tokens"
    assert stat.S_IMODE(os.stat(directory).st_mode) == 0o700
    files = list(directory.iterdir())
    assert len(files) == 2
    for path in files:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert "s3cret" not in path.read_text() and "cid" not in path.name


def test_token_endpoint_error_is_reported_without_the_secret(sim):
    auth = OAuthToken(sim.url + "/token", "cid", "wrong-secret", {"grant_type": "client_credentials"})
    client = client_for(sim, auth=auth)[0]
    with pytest.raises(ApiError) as err:
        client.get("/items")
    assert "POST %s/token failed: HTTP 401 [invalid_client] bad client" % sim.url in str(err.value)
    assert "wrong-secret" not in str(err.value)


def test_pagination_styles(sim):
    client = client_for(sim)[0]
    assert [i["id"] for i in client.paginate_offset("/items", limit=3)] == [str(n) for n in range(7)]
    assert len([e for e in sim.log if e["path"] == "/items"]) == 3
    assert [i["id"] for i in client.paginate_token("/paged", "items", page_size=3)] == [str(n) for n in range(7)]


def test_api_error_names_call_status_code_message_and_request_id(sim):
    client = client_for(sim)[0]
    with pytest.raises(ApiError) as err:
        client.get("/fail?secret=abc")
    text = str(err.value)
    assert text.startswith("GET /fail failed: HTTP 409 [conflict] already exists (request id ")
    assert "abc" not in text


def test_redact_masks_secret_fields_at_any_depth():
    body = {"name": "x", "client_secret": "a", "nested": [{"password": "b", "apiToken": "c", "ok": 1}],
            "connectorAttributes": {"privateKey": "d", "host": "h"}}
    assert redact(body) == {"name": "x", "client_secret": "********",
                            "nested": [{"password": "********", "apiToken": "********", "ok": 1}],
                            "connectorAttributes": {"privateKey": "********", "host": "h"}}


def test_short_lived_tokens_are_reused_and_long_ones_refreshed_a_minute_early():
    assert refresh_time(40, now=1000) == 1030
    assert refresh_time(3600, now=1000) == 1000 + 3600 - 60
