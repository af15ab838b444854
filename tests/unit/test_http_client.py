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
    InputError,
    RetryPolicy,
    mask_url,
    parse_retry_after,
    path_segment,
    redact,
    url_problem,
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
        self.route("PATCH", "/items/{item_id}", self.patch)
        self.route("DELETE", "/items/{item_id}", self.delete)
        self.route("POST", "/items/{item_id}:tag", self.tag)
        self.route("POST", "/upload", self.upload)
        self.route("GET", "/bad", self.bad)

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

    def patch(self, req):
        item = self.collection("items").get(req.params["item_id"])
        if item is None:
            raise HttpError(404, "no item", code="not_found")
        item.update(req.json)
        return item

    def delete(self, req):
        if self.collection("items").pop(req.params["item_id"], None) is None:
            raise HttpError(404, "no item", code="not_found")
        return Reply(204)

    def tag(self, req):
        item = self.collection("items")[req.params["item_id"]]
        item["tags"] = sorted(set(item.get("tags", [])) | {req.json["tag"]})
        return item

    def upload(self, req):
        return {"content_type": req.content_type, "size": len(req.raw)}

    def bad(self, req):
        raise HttpError(400, "field name: " + "x" * 3000, code="invalid")


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
    files = list(directory.glob("*.json"))
    assert len(files) == 2
    locks = list(directory.glob("*.lock"))  # one per credential fetched: empty files
    assert len(locks) == 3 and all(p.stat().st_size == 0 for p in locks)
    for path in files + locks:
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


# -- issue 12: idempotent retries, redirects, environment, paths, error lines, hooks ---------------


@pytest.mark.parametrize("kind", [{"kind": "5xx", "status": 502}, {"kind": "5xx", "status": 504},
                                  {"kind": "reset"}, {"kind": "lost_reply"}, {"kind": "429", "retry_after": 0}])
def test_idempotent_writes_are_retried_after_any_transient_failure(sim, kind):
    client, sleeps = client_for(sim)
    fault = dict(kind)
    sim.inject(fault.pop("kind"), method="PATCH", **fault)
    assert client.patch("/items/1", {"name": "renamed"}).data["name"] == "renamed"
    assert len(sleeps) == 1
    sim.inject(kind["kind"], method="DELETE", **{k: v for k, v in kind.items() if k != "kind"})
    assert client.delete("/items/2").status in (204, 404)  # a lost reply: the retry finds it gone
    assert "2" not in sim.collection("items")
    sim.inject(kind["kind"], method="POST", path=":tag$", **{k: v for k, v in kind.items() if k != "kind"})
    assert client.post("/items/3:tag", {"tag": "t"}, idempotent=True).data["tags"] == ["t"]


def test_a_lost_connection_is_one_readable_line(sim):
    client = client_for(sim, max_retries=0)[0]
    sim.inject("reset", method="PATCH")
    with pytest.raises(ApiError) as err:
        client.patch("/items/1", {"name": "x"})
    message = str(err.value)
    assert message == "PATCH /items/1 failed connection to 127.0.0.1:%d lost before an answer came" % (
        sim.server.server_address[1])
    assert "(" not in message and "Error" not in message

    refused = ApiClient("http://127.0.0.1:9", retry=RetryPolicy(max_retries=0))
    with pytest.raises(ApiError, match=r"^GET /x failed connection refused by 127.0.0.1:9$"):
        refused.get("/x")


@pytest.mark.parametrize("status", [307, 308])
def test_a_redirect_to_another_origin_or_with_a_body_is_never_followed(sim, status):
    other = ToySimulator()
    other.start()
    try:
        client = client_for(sim)[0]
        client.get("/items")  # token fetched
        sim.inject("redirect", status=status, location=other.url + "/items", count=2, path="^/items$")
        with pytest.raises(ApiError) as err:
            client.post("/items", {"name": "x", "password": "hunter2"})
        assert "redirected to %s/items; not followed" % other.url in str(err.value)
        with pytest.raises(ApiError, match="another origin"):
            client.get("/items")
        # a body is not re-sent even to the same origin
        sim.inject("redirect", status=status, location=sim.url + "/items", path="^/items$")
        with pytest.raises(ApiError, match="re-send the request body"):
            client.post("/items", {"name": "y"})
        assert other.log == []
        # a read redirected within the same origin is followed
        sim.inject("redirect", status=status, location="/items", path="^/paged$")
        assert len(client.get("/paged").data) == 7
    finally:
        other.stop()


def test_the_proxy_option_and_ca_settings_win_over_the_environment(sim, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("NO_PROXY", "")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/nonexistent/ca.pem")
    auth = OAuthToken(sim.url + "/token", "cid", "s3cret", {"grant_type": "client_credentials"})
    client = ApiClient(sim.url, auth=auth, validate_certs=False, proxy=None, retry=RetryPolicy(max_retries=0))
    assert client.transport.proxy_for(sim.url + "/items") == "http://127.0.0.1:9"
    with pytest.raises(ApiError, match="proxy"):
        client.get("/items")  # the environment's proxy is the fallback when the option is unset
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    assert client.get("/items").status == 200  # NO_PROXY honoured
    explicit = ApiClient(sim.url, ca_path="/given/ca.pem", proxy="http://user:pw@127.0.0.1:1")
    assert explicit.transport.ca_path == "/given/ca.pem"
    assert explicit.transport.proxy_for(sim.url) == "http://user:pw@127.0.0.1:1"
    assert ApiClient(sim.url).transport.ca_path == "/nonexistent/ca.pem"  # env only when the task gives nothing
    assert client.transport.verify is False and client.transport.ca_path is None


@pytest.mark.parametrize("path", ["/items/..", "/items/.", "/items//x", "/items/%2e%2E", "/items/a b", "/items/"])
def test_paths_with_dot_or_empty_segments_never_leave_the_client(sim, path):
    client = client_for(sim)[0]
    with pytest.raises(InputError, match="would leave its own path"):
        client.delete(path)
    assert sim.log == []


def test_path_segment_escapes_everything_and_refuses_dots():
    assert path_segment("a/b?c#d%e:f;g") == "a%2Fb%3Fc%23d%25e%3Af%3Bg"
    for bad in ("", ".", "..", " "):
        with pytest.raises(InputError, match="^identity must not be empty"):
            path_segment(bad, "identity")


def test_error_lines_are_short_and_the_body_stays_whole(sim):
    client = client_for(sim)[0]
    with pytest.raises(ApiError) as err:
        client.get("/bad")
    line = str(err.value)
    assert len(line) < 400 and "\n" not in line and "the whole answer is in error.body" in line
    assert line.startswith("GET /bad failed: HTTP 400 [invalid] field name: xxx") and "request id" in line
    assert len(err.value.as_dict()["body"]["message"]) > 3000


def test_urls_and_masking():
    assert url_problem("ftp://host/x").startswith("must be an http:// or https:// URL")
    assert url_problem("https://host/a\nb") == "must not contain spaces or control characters"
    assert url_problem("https://host:99999") .startswith("is not a valid URL")
    assert url_problem("https://host:8443/v1") is None
    assert mask_url("http://user:pass@proxy:3128/x") == "http://user:********@proxy:3128/x"


def test_throttle_runs_before_every_api_send_and_files_are_uploaded(sim):
    calls = []
    client = client_for(sim)[0]
    client.throttle = lambda: calls.append(1)
    sim.inject("5xx", status=503, path="^/items$")
    client.get("/items")
    # the 503 and its retry; token requests are not paced (the vendor's limit counts API calls)
    assert len(calls) == 2
    resp = client.request("POST", "/upload", form={"name": "x"}, files={"file": ("a.txt", b"hello")})
    assert resp.data["content_type"] == "multipart/form-data" and resp.data["size"] > 5


def test_token_cache_never_changes_a_folder_it_did_not_create(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    assert "can be written by other users" in TokenCache(str(shared)).unsafe()
    assert stat.S_IMODE(os.stat(shared).st_mode) == 0o777
    os.chmod(shared, 0o1777)  # like /tmp: a private folder may be created inside
    cache = TokenCache(str(shared / "mine" / "tokens"))
    assert cache.unsafe() is None
    cache.store("k", "tok", time.time() + 60)
    assert stat.S_IMODE(os.stat(shared).st_mode) == 0o1777
    assert stat.S_IMODE(os.stat(shared / "mine").st_mode) == 0o700
    assert stat.S_IMODE(os.stat(shared / "mine" / "tokens").st_mode) == 0o700
    private = tmp_path / "private"
    private.mkdir(mode=0o755)
    TokenCache(str(private)).store("k", "tok", time.time() + 60)
    assert stat.S_IMODE(os.stat(private).st_mode) == 0o755


def test_forks_on_a_cold_cache_fetch_one_token(sim, tmp_path):
    """Ten processes start at once with an empty cache: the file lock lets one fetch the token."""
    import multiprocessing

    directory = str(tmp_path / "tokens")
    ctx = multiprocessing.get_context("fork")
    start = ctx.Event()
    procs = [ctx.Process(target=_fetch_in_fork, args=(sim.url, directory, start)) for _n in range(10)]
    for proc in procs:
        proc.start()
    start.set()
    for proc in procs:
        proc.join(30)
    assert [p.exitcode for p in procs] == [0] * 10
    assert len([e for e in sim.log if e["path"] == "/token"]) == 1


def _fetch_in_fork(url, directory, start):
    start.wait()
    auth = OAuthToken(url + "/token", "cid", "s3cret", {"grant_type": "client_credentials"}, cache=TokenCache(directory))
    ApiClient(url, auth=auth).get("/items")
