"""Simulator core (issue 12, item 7): unknown faults are refused; a reset keeps the static token of the env file.
And the HTTP request reader the simulators use instead of http.server's."""

import io
import json

from tests.simulators import SIMULATORS
from tests.simulators.wire import Reply, read_request


def test_unknown_fault_kinds_and_bad_fault_fields_are_refused_with_400():
    sim = SIMULATORS["finbourne"]()
    for body in ({"kind": "bogus"}, {}, {"kind": "5xx", "count": 0}, {"kind": "429", "colour": "red"},
                 {"kind": "redirect"}, {"kind": "reset", "path": "("}):
        reply = sim.admin("POST", "/faults", json.dumps(body).encode())
        assert reply.status == 400, body
    assert sim.faults == []
    assert sim.admin("POST", "/faults", json.dumps({"kind": "5xx", "status": 503}).encode()).status == 204
    assert len(sim.faults) == 1


def test_reset_keeps_the_static_token_the_env_file_holds():
    sim = SIMULATORS["beyond_identity"](validate=False)
    token = sim.static_token  # what connection_env() (the env file) hands out
    sim.tokens.pop(token)  # as an expire_token fault would
    sim.admin("POST", "/reset", b"")
    assert sim.static_token == token and token in sim.tokens
    assert sim.token_scopes[token]


def test_the_request_reader_takes_chunked_and_sized_bodies_and_refuses_what_is_not_http():
    chunked = io.BytesIO(b"POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                         b"4\r\n{\"a\"\r\n3;ext\r\n: 1\r\n1\r\n}\r\n0\r\nTrailer: t\r\n\r\n"
                         b"GET /y HTTP/1.0\r\nContent-Length: 2\r\n\r\nok")
    method, target, headers, body, keep_alive = read_request(chunked)
    assert (method, target, body, keep_alive) == ("POST", "/x", b'{"a": 1}', True)
    assert headers["host"] == "a" and "TRANSFER-ENCODING" in headers
    method, target, headers, body, keep_alive = read_request(chunked)
    assert (method, target, body, keep_alive) == ("GET", "/y", b"ok", False)
    assert read_request(chunked) is None
    for raw, status in ((b"garbage\r\n\r\n", 400), (b"GET / HTTP/1.1\r\nno colon\r\n\r\n", 400),
                        (b"GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n", 400),
                        (b"GET / HTTP/1.1\r\nExpect: 100-continue\r\n\r\n", 417)):
        answer = read_request(io.BytesIO(raw))
        assert isinstance(answer, Reply) and answer.status == status, raw
