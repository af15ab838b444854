"""Simulator core (issue 12, item 7): unknown faults are refused; a reset keeps the static token of the env file."""

import json

from tests.simulators import SIMULATORS


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
