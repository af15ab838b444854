"""Parallel page reads (http_client.paginate_offset with concurrency, run_parallel) against a small simulator."""

import threading
import time

import pytest

from ansible_collections.identity.cloud.plugins.module_utils.http_client import (
    ApiClient,
    ApiError,
    RetryPolicy,
    run_parallel,
)
from ansible_collections.identity.cloud.plugins.module_utils.auth import StaticToken
from tests.simulators.core import HttpError, Reply, Simulator


class PagedSimulator(Simulator):
    """Items under /items with limit/offset; count=true adds X-Total-Count (unless ``total`` is switched off)."""

    vendor = "paged"

    def seed(self):
        items = self.collection("items")
        for n in range(23):
            items["%03d" % n] = {"id": "%03d" % n}
        self.send_total = True
        self.total_shift = 0  # what X-Total-Count under-reports (objects added after the first page)
        self.fail_offset = None  # a page answering 404

    def register(self):
        self.route("GET", "/items", self.list_items)

    def list_items(self, req):
        items = sorted(self.collection("items").values(), key=lambda i: i["id"])
        offset, limit = int(req.arg("offset", 0)), int(req.arg("limit", 250))
        if req.arg("offset") == self.fail_offset:
            raise HttpError(404, "gone")
        headers = {}
        if req.arg("count") == "true" and self.send_total:
            headers["X-Total-Count"] = str(len(items) - self.total_shift)
        return Reply(200, items[offset:offset + limit], headers)


@pytest.fixture(scope="module")
def paged():
    sim = PagedSimulator()
    sim.start()
    yield sim
    sim.stop()


@pytest.fixture
def sim(paged):
    paged.reset()
    paged.latency = 0.0
    return paged


def client(sim):
    return ApiClient(sim.url, auth=StaticToken(sim.issue_token("reader")), retry=RetryPolicy(sleep=lambda s: None),
                     timeout=5, pool_size=8)


def offsets(sim):
    return [(e["query"].get("offset", [None])[0], e["query"].get("count", [None])[0])
            for e in sim.log if e["path"] == "/items"]


def test_parallel_pages_give_every_item_in_order_with_one_call_per_page(sim):
    items = list(client(sim).paginate_offset("/items", limit=5, concurrency=4))
    assert [i["id"] for i in items] == ["%03d" % n for n in range(23)]
    calls = offsets(sim)
    assert calls[0] == ("0", "true")  # only the first page asks for the total
    assert sorted(int(o) for o, c in calls[1:]) == [5, 10, 15, 20] and all(c is None for o, c in calls[1:])


def test_parallel_pages_overlap(sim):
    sim.latency = 0.3
    started = time.monotonic()
    items = list(client(sim).paginate_offset("/items", limit=3, concurrency=8))
    elapsed = time.monotonic() - started
    assert len(items) == 23
    # 8 pages: one first, then 7 at once = 2 round trips (0.6 s); one by one they take 2.4 s
    assert elapsed < 1.8, elapsed


def test_without_a_total_the_pages_are_read_one_by_one(sim):
    sim.send_total = False
    items = list(client(sim).paginate_offset("/items", limit=5, concurrency=4))
    assert len(items) == 23
    assert [o for o, c in offsets(sim)] == ["0", "5", "10", "15", "20"]


def test_objects_added_after_the_total_are_read_too(sim):
    sim.total_shift = 8  # the total says 15 of 23
    items = list(client(sim).paginate_offset("/items", limit=5, concurrency=4))
    assert [i["id"] for i in items] == ["%03d" % n for n in range(23)]


def test_a_short_first_page_is_the_only_call(sim):
    assert len(list(client(sim).paginate_offset("/items", limit=50, concurrency=4))) == 23
    assert offsets(sim) == [("0", "true")]


def test_concurrency_one_reads_as_before_without_count(sim):
    assert len(list(client(sim).paginate_offset("/items", limit=10))) == 23
    assert offsets(sim) == [("0", None), ("10", None), ("20", None)]


def test_a_failing_page_fails_the_listing(sim):
    sim.fail_offset = "10"
    with pytest.raises(ApiError) as err:
        list(client(sim).paginate_offset("/items", limit=5, concurrency=4))
    assert "GET /items failed: HTTP 404" in str(err.value)


def test_pages_answering_503_or_429_are_retried(sim):
    sim.inject("5xx", status=503, count=2, path="^/items$")
    sim.inject("429", retry_after=0, count=2, path="^/items$")
    items = list(client(sim).paginate_offset("/items", limit=5, concurrency=4))
    assert [i["id"] for i in items] == ["%03d" % n for n in range(23)]


def test_run_parallel_runs_calls_at_the_same_time_and_keeps_order():
    barrier = threading.Barrier(4, timeout=5)  # breaks unless 4 calls wait at the same time

    def call(n):
        barrier.wait()
        return n * 2

    assert run_parallel(call, range(4), 4) == [0, 2, 4, 6]
    assert run_parallel(lambda n: n + 1, [1, 2, 3], 1) == [2, 3, 4]


def test_run_parallel_raises_the_first_error_and_skips_what_has_not_started():
    ran = []

    def call(n):
        if n == 0:
            raise ValueError("page 0")
        time.sleep(0.05)
        ran.append(n)
        return n

    with pytest.raises(ValueError, match="page 0"):
        run_parallel(call, range(40), 2)
    assert len(ran) < 39
