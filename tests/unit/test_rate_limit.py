"""The shared client-side rate limit: a sliding window over a locked file, with a fake clock."""

import os
import stat

import pytest

from ansible_collections.identity.cloud.plugins.module_utils import rate_limit
from ansible_collections.identity.cloud.plugins.module_utils.http_client import ApiClient
from ansible_collections.identity.cloud.plugins.module_utils.transport import RawResponse


class FakeClock:
    def __init__(self, now=1000.0):
        self.now = now
        self.slept = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


def reply(status):
    """What the transport returns: 429 (Retry-After 0) or 200 with an empty JSON body."""
    return RawResponse(status, {"Retry-After": "0"} if status == 429 else {}, b"{}")


def limiter(tmp_path, clock, key="tenant\0client", limit=5, period=10):
    return rate_limit.SharedRateLimit(str(tmp_path), key, limit, period, clock=clock, sleep=clock.sleep)


def test_calls_within_the_limit_do_not_wait(tmp_path):
    clock = FakeClock()
    lim = limiter(tmp_path, clock)
    for _call in range(5):
        lim()
    assert clock.slept == []
    assert lim.calls == 5


def test_the_call_over_the_limit_waits_until_the_oldest_leaves_the_window(tmp_path):
    clock = FakeClock()
    lim = limiter(tmp_path, clock)
    for _call in range(5):
        lim()
        clock.now += 1
    lim()  # 5 calls at 1000..1004; the window (10 s + margin) frees 1000 at 1010.2
    assert clock.slept and abs(clock.now - (1000 + 10 * (1 + rate_limit.MARGIN))) < 1e-6


def test_no_window_ever_holds_more_than_the_limit(tmp_path):
    clock = FakeClock()
    lim = limiter(tmp_path, clock, limit=10, period=10)
    sent = []
    for _call in range(55):
        lim()
        sent.append(clock.now)
        clock.now += 0.05
    for i, start in enumerate(sent):
        assert sum(1 for t in sent[i:] if t < start + 10) <= 10
    # ... and it does not hold back more than needed: 55 calls at 10 per ~10.2 s
    assert sent[-1] - sent[0] < 5 * 10 * (1 + rate_limit.MARGIN) + 1


def test_processes_share_the_window_through_the_file(tmp_path):
    clock = FakeClock()
    first, second = limiter(tmp_path, clock), limiter(tmp_path, clock)
    for _call in range(3):
        first()
    for _call in range(2):
        second()
    assert clock.slept == []
    second()
    assert clock.slept, "the sixth call across both limiters must wait"


def test_other_client_ids_have_their_own_window(tmp_path):
    clock = FakeClock()
    first, other = limiter(tmp_path, clock), limiter(tmp_path, clock, key="tenant\0other")
    for _call in range(5):
        first()
    other()
    assert clock.slept == []
    assert first.path != other.path


def test_the_file_holds_only_times_and_is_private(tmp_path):
    clock = FakeClock()
    lim = limiter(tmp_path, clock, key="https://acme\0my-client-id")
    lim()
    assert "my-client-id" not in os.path.basename(lim.path)
    with open(lim.path) as handle:
        assert handle.read() == "[1000.0]"
    assert stat.S_IMODE(os.stat(lim.path).st_mode) == 0o600


def test_a_damaged_file_only_forgets_recent_calls(tmp_path):
    clock = FakeClock()
    lim = limiter(tmp_path, clock)
    with open(lim.path, "w") as handle:
        handle.write("not json")
    lim()
    assert clock.slept == []


def test_a_created_folder_is_0700_and_an_existing_shared_one_is_refused_not_changed(tmp_path):
    created = tmp_path / "new" / "tokens"
    rate_limit.safe_directory(str(created))
    assert stat.S_IMODE(os.stat(str(created)).st_mode) == 0o700
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(str(shared), 0o777)
    with pytest.raises(rate_limit.RateLimitError, match="can be written by other users"):
        rate_limit.shared_rate_limit(str(shared), "k", 100, 10)
    assert stat.S_IMODE(os.stat(str(shared)).st_mode) == 0o777


def test_zero_switches_it_off_and_bad_values_fail(tmp_path):
    assert rate_limit.shared_rate_limit(str(tmp_path), "k", 0, 10) is None
    with pytest.raises(rate_limit.RateLimitError, match="rate_limit"):
        rate_limit.shared_rate_limit(str(tmp_path), "k", -1, 10)


def test_the_client_calls_the_throttle_before_every_send_including_retries(monkeypatch):
    calls = []

    replies = [reply(429), reply(200)]
    client = ApiClient("https://example.test", throttle=lambda: calls.append("throttle"))
    client.retry.sleep = lambda s: None
    monkeypatch.setattr(client.transport, "send", lambda *a, **k: calls.append("send") or replies.pop(0))
    client.get("/x")
    assert calls == ["throttle", "send", "throttle", "send"]


def test_the_client_sends_files_as_multipart_and_again_on_a_retry(monkeypatch):
    sent = []

    replies = [reply(429), reply(200)]
    client = ApiClient("https://example.test")
    client.retry.sleep = lambda s: None
    monkeypatch.setattr(client.transport, "send", lambda method, url, body, headers: sent.append(
        (body, headers["Content-Type"])) or replies.pop(0))
    upload = {"file": ("a.csv", b"id\n1\n", "text/csv"), "disableOptimization": (None, "true")}
    client.request("POST", "/load", files=upload)
    assert len(sent) == 2 and sent[0] == sent[1]
    body, ctype = sent[0]
    assert ctype.startswith("multipart/form-data; boundary=")
    assert b'name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\nid\n1\n' in body
    assert b'name="disableOptimization"\r\n\r\ntrue\r\n' in body
