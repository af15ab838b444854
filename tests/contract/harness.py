"""A small driver that lets schemathesis check a simulator against the vendor's OpenAPI document.

Why not the module code or the simulator's own validator: both are ours. Schemathesis reads the
vendor document itself, generates requests from it (valid ones and deliberately broken ones) and
judges every answer against it, so a misunderstanding shared by a module and its simulator shows
up here.

For every operation the driver draws a few positive cases (schema-valid requests) and a few
negative cases (requests the document forbids), sends them to the running simulator and runs the
schemathesis checks in ``CHECKS`` on each answer. Failures are collected over all cases and
reported together, one line per distinct problem, so one run shows the whole picture.

Determinism: hypothesis runs derandomized (the seed comes from the test function), without an
example database and without shrinking, with a handful of examples per operation and mode.
"""

import contextlib
import copy
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis.errors import FlakyStrategyDefinition, Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core import NOT_SET
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ensure_resource_availability,
    ignored_auth,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    use_after_free,
)

from tests.simulators import SIMULATORS

# Every answer goes through all of these; none is switched off anywhere.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    # on a 2xx answer, sends the request again without / with a broken token: must be refused
    ignored_auth,
]

# Stateful runs add the checks that compare answers along a chain of calls: an object deleted
# must stay gone, an object just created must be readable.
STATEFUL_CHECKS = CHECKS + [use_after_free, ensure_resource_availability]

POSITIVE = GenerationMode.POSITIVE
NEGATIVE = GenerationMode.NEGATIVE


@contextlib.contextmanager
def own_simulator(vendor, **options):
    """A simulator for one contract module alone: its runs keep state from test to test, which
    the shared, per-test reset simulators of the integration tests would wipe."""
    sim = SIMULATORS[vendor](**options)
    sim.start()
    try:
        yield sim
    finally:
        sim.stop()


def load_schema(document, base_url, bearer, security_parameters=False, parameters=None):
    """A schemathesis schema for ``document`` aimed at ``base_url``, independent of any config file.

    ``bearer`` is sent as the token of every bearer scheme. OAuth2 schemes are declared as what
    goes over the wire, ``Authorization: Bearer <access token>`` (RFC 6750), in the copy handed
    to schemathesis: it only generates, strips and breaks credentials of ``http`` / ``apiKey``
    schemes, so its ``ignored_auth`` check and broken-token cases would skip OAuth2 APIs.

    ``security_parameters=False``: the token is always the valid one and negative cases break
    the request data (body, query, headers) instead; with ``True`` schemathesis also generates
    broken or missing ``Authorization`` headers. ``parameters``: fixed values by parameter name.
    """
    document = copy.deepcopy(document)
    schemes = document.get("components", {}).get("securitySchemes", {})
    for name, scheme in list(schemes.items()):
        if scheme.get("type") == "oauth2":
            schemes[name] = {"type": "http", "scheme": "bearer", "description": scheme.get("description", "")}
    config = {"base-url": base_url, "generation": {"with-security-parameters": security_parameters},
              "auth": {"openapi": {name: {"bearer": bearer} for name, scheme in schemes.items()
                                   if scheme.get("type") == "http" and scheme.get("scheme", "").lower() == "bearer"}}}
    if parameters:
        config["parameters"] = parameters
    return schemathesis.openapi.from_dict(document, config=schemathesis.Config.from_dict(config))


def has_body(case):
    return case.body is not NOT_SET and case.body is not None


def is_positive(case):
    return case.meta is not None and case.meta.generation.mode.is_positive


def positive_with_body(case):
    """Filter: drop schema-valid cases that carry no body (see the callers for why)."""
    return has_body(case) or not is_positive(case)


def drop_empty_query(case, operation):
    """OpenAPI 3.0: a query parameter may not be empty unless it says allowEmptyValue; schemathesis still
    draws "" for a plain string in positive cases, which the document forbids: leave those out.

    ``exercise`` keeps its own copy of these lines inside ``run``: hypothesis derives a derandomized run's
    seed from the source of the test function, so moving them would draw other cases for every operation."""
    if is_positive(case) and isinstance(case.query, dict):
        allowed = {p.name for p in operation.query if p.definition.get("allowEmptyValue")}
        for name in [k for k, v in case.query.items() if v == "" and k not in allowed]:
            del case.query[name]


class ContractRun:
    """Sends generated cases for one operation and collects the check failures."""

    def __init__(self, label):
        self.label = label
        self.failures = {}
        self.sent = {POSITIVE: 0, NEGATIVE: 0}
        self.statuses = {}
        self.negatable = False

    def exercise(self, operation, mode, examples, path_parameters=None, query=None, fresh=None, prepare=None,
                 keep=None, headers=None):
        """Draw ``examples`` cases of ``mode`` for ``operation`` and check each answer.

        ``path_parameters`` / ``query``: fixed values (real objects of the simulator) the
            generator leaves alone.
        ``fresh(case)``: called per case before sending; returns path parameters for an object
            made just for this case (deletes and other one-shot operations).
        ``prepare(case)``: per-case adjustment of a positive case (documented spec quirks only).
        ``keep(case)``: a filter on generated cases (documented spec quirks only).
        ``headers``: extra headers sent with every request (e.g. a tenant header).
        """
        names = {p.name for p in operation.path_parameters}
        fixed = {k: v for k, v in (path_parameters or {}).items() if k in names}
        strategy = operation.as_strategy(generation_mode=mode, path_parameters=fixed, query=query or None)
        if keep is not None:
            strategy = strategy.filter(keep)

        @settings(max_examples=examples, derandomize=True, database=None, deadline=None,
                  phases=(Phase.explicit, Phase.generate), suppress_health_check=list(HealthCheck),
                  verbosity=Verbosity.quiet)
        @given(case=strategy)
        def run(case):
            if fresh is not None:
                case.path_parameters = dict(case.path_parameters or {}, **fresh(case))
            if is_positive(case) and isinstance(case.query, dict):
                # OpenAPI 3.0: a query parameter may not be empty unless it says allowEmptyValue;
                # schemathesis still draws "" for a plain string, which the document forbids
                allowed = {p.name for p in operation.query if p.definition.get("allowEmptyValue")}
                for name in [k for k, v in case.query.items() if v == "" and k not in allowed]:
                    del case.query[name]
            if prepare is not None:
                prepare(case)
            response = case.call(headers=headers)
            self.sent[mode] += 1
            self.statuses.setdefault(mode, set()).add(response.status_code)
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except FailureGroup as group:
                for failure in group.exceptions:
                    self._record(operation, mode, failure, case, response)

        if operation.definition.raw.get("requestBody") or list(operation.query):
            self.negatable = True
        try:
            run()
        except Unsatisfiable:
            # Nothing left to generate in this mode (e.g. nothing to break once the path is fixed).
            pass

    def stateful(self, schema, before_call, examples, steps):
        """Run schemathesis' state machine (links inferred from the document) with ``STATEFUL_CHECKS``."""
        run = self

        class Machine(schema.as_state_machine()):
            def before_call(self, case):
                drop_empty_query(case, case.operation)
                before_call(case)

            def validate_response(self, response, case, additional_checks=None, **kwargs):
                mode = case.meta.generation.mode if case.meta is not None else POSITIVE
                run.sent[NEGATIVE if mode.is_negative else POSITIVE] += 1
                run.statuses.setdefault(mode, set()).add(response.status_code)
                try:
                    case.validate_response(response, checks=STATEFUL_CHECKS, transport_kwargs=kwargs or None,
                                           recorder=self.recorder)
                except FailureGroup as group:
                    for failure in group.exceptions:
                        run._record(case.operation, mode, failure, case, response)

        chains = settings(max_examples=examples, stateful_step_count=steps, derandomize=True, database=None,
                          deadline=None, phases=(Phase.generate,), suppress_health_check=list(HealthCheck),
                          verbosity=Verbosity.quiet)
        try:
            Machine.run(settings=chains)
        except FlakyStrategyDefinition:
            # Hypothesis saw the state machine draw differently for the same choices: a rare fault of
            # schemathesis' stateful phase under load (schemathesis/schemathesis#4132), not an answer of
            # the simulator (those are recorded by validate_response and kept). The chains run once more.
            Machine.run(settings=chains)

    def _record(self, operation, mode, failure, case, response):
        key = (operation.label, mode.value, failure.title)
        if key in self.failures:
            return
        message = " ".join(str(failure.message).split())[:400]
        body = response.text[:300] if response.text else ""
        self.failures[key] = "%s [%s] %s -> %d: %s\n      request: path=%s query=%s body=%s\n      answer: %s" % (
            operation.label, mode.value, failure.title, response.status_code, message, case.path_parameters,
            case.query, _short(case.body), body)

    def assert_clean(self, require_success=True):
        """Fail with every distinct problem; also fail if no positive case got a 2xx answer."""
        problems = list(self.failures.values())
        if os.environ.get("CONTRACT_VERBOSE"):
            print("%s: sent %s statuses %s" % (self.label, {m.value: n for m, n in self.sent.items()},
                                               {m.value: sorted(s) for m, s in self.statuses.items()}))
        if self.negatable and not self.sent[NEGATIVE]:
            problems.append("%s: no negative case could be generated" % self.label)
        if require_success and self.sent[POSITIVE] and not any(200 <= s < 300 for s in self.statuses.get(POSITIVE, ())):
            problems.append("%s: no positive case was answered with 2xx (statuses %s); the test data does not reach "
                            "the operation" % (self.label, sorted(self.statuses.get(POSITIVE, ()))))
        if problems:
            pytest.fail("%d contract failure(s):\n  - %s" % (len(problems), "\n  - ".join(problems)), pytrace=False)


def _short(body):
    if body is NOT_SET:
        return "(none)"
    text = repr(body)
    return text if len(text) < 200 else text[:200] + "..."


def first_example(operation):
    """The first request-body example the vendor document gives for ``operation`` (or None)."""
    body = (operation.definition.raw.get("requestBody") or {}).get("content", {}).get("application/json", {})
    if "example" in body:
        return copy.deepcopy(body["example"])
    for example in (body.get("examples") or {}).values():
        if isinstance(example, dict) and "value" in example:
            return copy.deepcopy(example["value"])
    return None


def text_on_the_wire(case):
    """Whether a negative multipart case is negative as sent: a form field carries text, so a number or a
    boolean drawn against a string field (``disableOptimization: -701``) arrives as the valid text
    ``-701`` and no server can tell it from a string."""
    body = case.body
    return not (isinstance(body, dict) and any(isinstance(v, (bool, int, float)) for v in body.values()))


def check_operation(world, schemas, operation_id, path, method, examples):
    """The SailPoint passes over one operation: positive, negative, broken token, then schema-valid requests
    for objects that do not exist (generated ids must get a documented answer too). ``examples``: how many of
    each, keyed positive / negative / auth / unknown. ``world`` gives the operation's path parameters, a fresh
    object for a destructive call and the preparation of each case."""
    data_schema, auth_schema = schemas
    run = ContractRun(operation_id)
    operation = data_schema[path][method]
    common = {"path_parameters": world.path_parameters(operation_id), "fresh": world.fresh(operation_id),
              "prepare": world.prepare(operation_id, operation)}
    run.exercise(operation, POSITIVE, examples["positive"], **common)
    keep = text_on_the_wire if "multipart/form-data" in operation.definition.raw.get("requestBody", {}).get(
        "content", {}) else None
    run.exercise(operation, NEGATIVE, examples["negative"], keep=keep, **common)
    run.exercise(auth_schema[path][method], NEGATIVE, examples["auth"], keep=keep, **common)
    run.exercise(operation, POSITIVE, examples["unknown"], prepare=common["prepare"])
    run.assert_clean()
