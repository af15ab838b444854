"""The simulators' event-loop server (tests/simulators/wire.py): one thread serves every connection,
so what a thread per connection gave for free is checked here: requests that arrive in pieces or
several at once, a waiting request that does not hold up the others, a request whose client has
gone that still runs, and answers too large for one send."""

import json
import socket
import time

import pytest

from tests.simulators import SIMULATORS


@pytest.fixture
def sim():
    simulator = SIMULATORS["beyond_identity"](validate=False)
    simulator.start()
    yield simulator
    simulator.stop()


def connect(sim):
    return socket.create_connection(sim.server.server_address[:2], timeout=10)


def read_response(rfile):
    """(status, body) of one HTTP/1.1 answer with a Content-Length."""
    status = int(rfile.readline().split()[1])
    length = 0
    for line in iter(rfile.readline, b"\r\n"):
        name, _colon, value = line.decode("latin-1").partition(":")
        if name.lower() == "content-length":
            length = int(value)
    return status, rfile.read(length)


def log_request(close=False):
    return b"GET /__sim__/log HTTP/1.1\r\nHost: sim\r\n%s\r\n" % (b"Connection: close\r\n" if close else b"")


def create_group(sim, name):
    env = sim.connection_env()
    body = json.dumps({"group": {"display_name": name}}).encode()
    realm_id = next(r["id"] for r in sim.store["realms"].values() if r["display_name"] == "Default")
    path = "/v1/tenants/%s/realms/%s/groups" % (env["BEYONDIDENTITY_TENANT_ID"], realm_id)
    return path, (b"POST %s HTTP/1.1\r\nHost: sim\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\n"
                  b"Content-Length: %d\r\n\r\n%s" % (path.encode(), env["BEYONDIDENTITY_API_TOKEN"].encode(), len(body), body))


def test_a_request_sent_a_byte_at_a_time_and_two_sent_at_once_are_both_answered_in_order(sim):
    path, create = create_group(sim, "Pieces")
    with connect(sim) as sock:
        rfile = sock.makefile("rb")
        for index in range(len(create)):
            sock.sendall(create[index:index + 1])
            if index % 40 == 0:
                time.sleep(0.001)
        status, body = read_response(rfile)
        assert status == 200 and json.loads(body)["display_name"] == "Pieces"
        sock.sendall(create_group(sim, "Second")[1] + log_request())
        first, second = read_response(rfile), read_response(rfile)
    assert json.loads(first[1])["display_name"] == "Second"
    assert [e["path"] for e in json.loads(second[1])] == [path, path]


def test_a_request_that_waits_does_not_hold_up_another_connection_and_runs_when_its_client_has_gone(sim):
    path, create = create_group(sim, "Late")
    sim.inject("slow", path=path, delay=0.5)
    waiting = connect(sim)
    waiting.sendall(create)
    time.sleep(0.05)
    started = time.monotonic()
    with connect(sim) as other:
        other.sendall(log_request(close=True))
        status, body = read_response(other.makefile("rb"))
    assert status == 200 and time.monotonic() - started < 0.4  # answered while the slow request waits
    assert [e["status"] for e in json.loads(body)] == [None]
    waiting.close()  # the client gives up before the answer
    deadline = time.monotonic() + 5
    while sim.log[0]["status"] is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sim.log[0]["status"] == 200
    assert [g["display_name"] for g in sim.store["groups"].values()] == ["Late"]


def test_an_answer_too_large_for_one_send_arrives_whole(sim):
    sim.log.extend({"method": "GET", "path": "/x/%d" % n, "status": 200, "body": "y" * 500} for n in range(20000))
    with connect(sim) as sock:
        sock.sendall(log_request(close=True))
        rfile = sock.makefile("rb")
        status, body = read_response(rfile)
        assert status == 200 and len(json.loads(body)) == 20000
        assert rfile.read() == b""  # Connection: close is honoured


def test_what_is_not_http_gets_400_and_the_connection_is_closed(sim):
    with connect(sim) as sock:
        sock.sendall(b"garbage\r\n\r\n")
        rfile = sock.makefile("rb")
        assert read_response(rfile)[0] == 400
        assert rfile.read() == b""
    with connect(sim) as sock:  # bare line feeds are taken, as the threaded reader takes them
        sock.sendall(b"GET /__sim__/log HTTP/1.1\nHost: sim\nConnection: close\n\n")
        assert read_response(sock.makefile("rb"))[0] == 200
