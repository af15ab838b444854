"""The SailPoint adapter's pure parts: settings, errors, filters, paths, JSON Patch, references, tasks."""

import json

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.identity.cloud.plugins.module_utils import sailpoint
from ansible_collections.identity.cloud.plugins.module_utils.http_client import ApiError
from ansible_collections.identity.cloud.plugins.module_utils.resource import MISSING, Field, InputError, ResourceSpec
from tests.simulators.sailpoint import FilterParser, apply_patch_op, collection_rules

URL = "https://acme.api.identitynow.com"


# -- settings ----------------------------------------------------------------------------------


def validated(args, monkeypatch, env=None):
    """What the module's argument spec yields for ``args`` with ``env`` set (env fallbacks applied)."""
    for name in ("SAIL_BASE_URL", "SAIL_CLIENT_ID", "SAIL_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    for name, value in (env or {}).items():
        monkeypatch.setenv(name, value)
    result = ArgumentSpecValidator(sailpoint.SAILPOINT_ARGS).validate(args)
    assert not result.error_messages, result.error_messages
    return result.validated_parameters


def test_environment_variables_are_the_fallback(monkeypatch, tmp_path):
    env = {"SAIL_BASE_URL": URL + "/", "SAIL_CLIENT_ID": "cid", "SAIL_CLIENT_SECRET": "sec"}
    params = validated({}, monkeypatch, env)
    got = sailpoint.resolve_settings(params, str(tmp_path / "config.json"))
    assert got == {"base_url": URL, "client_id": "cid", "client_secret": "sec", "access_token": None,
                   "api_version": "v2024"}
    # task options win over the environment
    params = validated({"client_id": "other", "client_secret": "x", "api_version": "v1"}, monkeypatch, env)
    got = sailpoint.resolve_settings(params, str(tmp_path / "config.json"))
    assert (got["client_id"], got["client_secret"], got["api_version"]) == ("other", "x", "v1")


def write_config(tmp_path, **data):
    path = tmp_path / "config.json"
    path.write_text(json.dumps(data))
    return str(path)


def test_config_file_fills_what_is_missing(monkeypatch, tmp_path):
    path = write_config(tmp_path, BaseURL="acme.api.identitynow.com", ClientId="cid", ClientSecret="sec")
    got = sailpoint.resolve_settings(validated({}, monkeypatch), path)
    assert (got["base_url"], got["client_id"], got["client_secret"]) == (URL, "cid", "sec")
    # the same tenant named by the environment: credentials come from the file
    got = sailpoint.resolve_settings(validated({}, monkeypatch, {"SAIL_BASE_URL": URL}), path)
    assert (got["client_id"], got["client_secret"]) == ("cid", "sec")
    # the file is not read when everything is given
    got = sailpoint.resolve_settings(validated({"access_token": "tok"}, monkeypatch, {"SAIL_BASE_URL": URL}),
                                     str(tmp_path / "missing.json"))
    assert got["access_token"] == "tok"


def test_config_file_credentials_never_cross_tenants_or_clients(monkeypatch, tmp_path):
    path = write_config(tmp_path, BaseURL=URL, ClientId="cid", ClientSecret="sec")
    other = sailpoint.resolve_settings(validated({"base_url": "https://other.api.identitynow.com"}, monkeypatch), path)
    assert (other["client_id"], other["client_secret"]) == (None, None)
    mine = sailpoint.resolve_settings(validated({"client_id": "someone-else"}, monkeypatch), path)
    assert (mine["base_url"], mine["client_id"], mine["client_secret"]) == (URL, "someone-else", None)


def test_bad_settings_are_input_errors(monkeypatch, tmp_path):
    bad = tmp_path / "config.json"
    bad.write_text("{not json")
    with pytest.raises(InputError, match="could not be read as JSON"):
        sailpoint.resolve_settings(validated({}, monkeypatch), str(bad))
    with pytest.raises(InputError, match="without a version path"):
        sailpoint.resolve_settings(validated({"base_url": URL + "/v2024"}, monkeypatch), str(bad))
    with pytest.raises(InputError, match="api_version must look like"):
        sailpoint.resolve_settings(validated({"base_url": URL, "access_token": "t", "api_version": "2024"},
                                             monkeypatch), str(bad))


def test_normalize_base_url():
    assert sailpoint.normalize_base_url(" acme.api.identitynow.com/ ") == URL
    assert sailpoint.normalize_base_url("http://127.0.0.1:8080") == "http://127.0.0.1:8080"
    assert sailpoint.normalize_base_url(None) is None
    with pytest.raises(InputError):
        sailpoint.normalize_base_url(URL + "/beta/")


# -- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize("body, expected", [
    ({"detailCode": "400.1 Bad Request Content", "trackingId": "abc",
      "messages": [{"locale": "en-US", "text": "Illegal attempt to modify healthy"}],
      "causes": [{"text": "because"}]},
     ("400.1 Bad Request Content", "Illegal attempt to modify healthy; because (tracking id abc)")),
    ({"detailCode": "404 Not found", "messages": []}, ("404 Not found", None)),
    ({"error": "invalid_client", "error_description": "Bad credentials"}, ("invalid_client", "Bad credentials")),
    ({"error": "JWT validation failed: JWT is expired"}, (None, "JWT validation failed: JWT is expired")),
    ({"message": " Rate Limit Exceeded "}, (None, "Rate Limit Exceeded")),
    ("<html>bad gateway</html>", (None, "<html>bad gateway</html>")),
    (None, (None, None)),
    ({}, (None, None)),
])
def test_error_parser(body, expected):
    assert sailpoint.error_parser(body) == expected


# -- filters and paths ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["plain", 'with "quotes"', "back\\slash", 'both \\" at once', "", "ünï"])
def test_filter_value_round_trips_through_the_simulator_parser(value):
    text = "name eq %s" % sailpoint.filter_value(value)
    predicate = FilterParser(text, collection_rules("/sources")[0]).parse()
    assert predicate({"name": value})
    assert not predicate({"name": value + "x"})


def test_filter_value_quoting():
    assert sailpoint.filter_value('a"b\\c') == '"a\\"b\\\\c"'


def test_api_paths_per_version():
    assert sailpoint.Api(None).path("sources", "a/b") == "/v2024/sources/a%2Fb"
    assert sailpoint.Api(None, "beta").path("sources") == "/beta/sources"
    per_resource = sailpoint.Api(None, "v1")
    assert per_resource.path("sources", "x", "source-health") == "/sources/v1/x/source-health"
    assert per_resource.path("task-status", "t") == "/task-status/v1/t"
    assert per_resource.path("identities") == "/v2024/identities"


def test_json_pointer_escapes():
    assert sailpoint.json_pointer(("connectorAttributes", "a/b", "c~d")) == "/connectorAttributes/a~1b/c~0d"


# -- JSON Patch ----------------------------------------------------------------------------------


class FakeClient:
    def __init__(self, lists=None, tasks=None):
        self.lists = lists or {}
        self.tasks = list(tasks or [])
        self.sent = []

    def paginate_offset(self, path, params=None, limit=250):
        self.sent.append(("LIST", path, params))
        return iter(self.lists.get(path, []))

    def patch(self, path, body=None, **kwargs):
        self.sent.append(("PATCH", path, body, kwargs))
        return type("R", (), {"data": {"patched": body}})()

    def get_or_none(self, path, params=None):
        self.sent.append(("GET", path))
        return self.tasks.pop(0) if self.tasks else None


SPEC = ResourceSpec("source", key=Field("name"), fields=[
    Field("description"),
    Field("features", type="list", elements="str", unordered=True),
    Field("connector_secrets", api="connectorAttributes", type="dict", secret=True),
    Field("connector_attributes", api="connectorAttributes", type="dict"),
])

CURRENT = {"id": "s1", "name": "S", "description": "old", "features": ["A", "B"],
           "connectorAttributes": {"healthy": True, "status": "OK", "since": "x", "url": "u", "password": "2:enc",
                                   "nested": {"a": 1, "b": 2}}}


def patch_for(params):
    api = sailpoint.Api(FakeClient())
    sources = sailpoint.Collection(api, "sources", SPEC, deep=("connectorAttributes",))
    params = dict({"name": "S", "update_secrets": "always"}, **params)
    changes = SPEC.changes(params, CURRENT)
    if not changes:
        return []
    sources.update(CURRENT, SPEC.desired(params, False), changes, params)
    method, path, ops, kwargs = api.client.sent[-1]
    assert (method, path, kwargs) == ("PATCH", "/v2024/sources/s1", {"content_type": "application/json-patch+json"})
    return ops


def test_patch_touches_only_changed_paths():
    ops = patch_for({"description": "new", "features": ["B", "A"],
                     "connector_attributes": {"url": "u", "nested": {"b": 3}, "added": {"k": "v"}}})
    assert ops == [
        {"op": "replace", "path": "/description", "value": "new"},
        {"op": "add", "path": "/connectorAttributes/added", "value": {"k": "v"}},
        {"op": "replace", "path": "/connectorAttributes/nested/b", "value": 3},
    ]


def test_no_change_no_patch():
    assert patch_for({"description": "old", "features": ["B", "A"], "connector_attributes": {"nested": {"a": 1}}}) == []


def test_secrets_are_written_key_by_key_and_never_with_computed_keys():
    ops = patch_for({"connector_secrets": {"password": "p", "client_secret": "c"}})
    assert ops == [{"op": "add", "path": "/connectorAttributes/client_secret", "value": "c"},
                   {"op": "replace", "path": "/connectorAttributes/password", "value": "p"}]
    assert patch_for({"connector_secrets": {"password": "p"}, "update_secrets": "on_create"}) == []


def test_patch_applies_cleanly_to_the_current_object():
    ops = patch_for({"description": "new", "connector_attributes": {"nested": {"b": 3}, "added": {"k": "v"}},
                     "connector_secrets": {"password": "p"}})
    doc = json.loads(json.dumps(CURRENT))
    for op in ops:
        apply_patch_op(doc, op)
    assert doc["connectorAttributes"]["nested"] == {"a": 1, "b": 3}
    assert doc["connectorAttributes"]["healthy"] is True  # untouched


def test_diff_ops_on_missing_parent():
    assert sailpoint.diff_ops(("connectorAttributes",), {"a": {"b": 1}}, MISSING) == [
        {"op": "add", "path": "/connectorAttributes", "value": {"a": {"b": 1}}}]


# -- references and checks ---------------------------------------------------------------------


IDENTITY_ID = "2c9180857182305e0171993735622948"


def test_reference_resolution():
    client = FakeClient({"/v2024/identities": [{"id": IDENTITY_ID, "name": "Ada Admin"},
                                               {"id": "other", "name": "Ada Admin2"}]})
    api = sailpoint.Api(client)
    owner = sailpoint.Reference("owner", "IDENTITY", "identities", "identity")
    assert owner.resolve(api, IDENTITY_ID) == {"type": "IDENTITY", "id": IDENTITY_ID}
    assert client.sent == []  # an id needs no lookup
    assert owner.resolve(api, "Ada Admin") == {"type": "IDENTITY", "id": IDENTITY_ID, "name": "Ada Admin"}
    assert client.sent[-1] == ("LIST", "/v2024/identities", {"filters": 'name eq "Ada Admin"'})
    with pytest.raises(InputError, match="owner: no identity named 'Nobody'"):
        owner.resolve(api, {"name": "Nobody"})
    with pytest.raises(InputError, match="owner must be an id, a name or a dict"):
        owner.resolve(api, {"type": "IDENTITY"})
    rule = sailpoint.Reference("account_correlation_rule", "RULE")
    assert rule.resolve(api, "any-rule-id") == {"type": "RULE", "id": "any-rule-id"}
    with pytest.raises(InputError, match="needs an id"):
        rule.resolve(api, {"name": "My rule"})


def test_checks():
    params = {"connector_attributes": {"healthy": True, "status": "x", "url": "u", "privateKey": "k"},
              "connector_secrets": {"url": "s"}, "delete_threshold": -1}
    with pytest.raises(InputError, match="must not contain healthy, status"):
        sailpoint.forbid_keys("connector_attributes", sailpoint.COMPUTED_CONNECTOR_KEYS, "why")(params, None)
    with pytest.raises(InputError, match="secret-looking keys privateKey"):
        sailpoint.secret_looking_keys("connector_attributes", sailpoint.SECRET_KEY_MARKERS, "s")(params, None)
    with pytest.raises(InputError, match="both set url"):
        sailpoint.disjoint_keys("connector_secrets", "connector_attributes")(params, None)
    with pytest.raises(InputError, match="between 0 and 100, got -1"):
        sailpoint.in_range("delete_threshold", 0, 100)(params, None)
    sailpoint.in_range("delete_threshold", 0, 100)({"delete_threshold": None}, None)


# -- tasks ---------------------------------------------------------------------------------------


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def test_wait_for_task_polls_until_completed():
    clock = Clock()
    client = FakeClient(tasks=[{"completed": None}, {"completed": None},
                               {"completed": "2024", "completionStatus": "SUCCESS"}])
    api = sailpoint.Api(client, sleep=clock.sleep, clock=clock)
    assert api.wait_for_task("t1", 60)["completionStatus"] == "SUCCESS"
    assert [s[1] for s in client.sent] == ["/v2024/task-status/t1"] * 3


def test_wait_for_task_failure_and_timeout():
    clock = Clock()
    failed = {"completed": "2024", "completionStatus": "ERROR",
              "messages": [{"key": None, "localizedText": {"message": "still referenced"}}]}
    api = sailpoint.Api(FakeClient(tasks=[failed]), sleep=clock.sleep, clock=clock)
    with pytest.raises(ApiError, match="task t1 ended with ERROR: still referenced"):
        api.wait_for_task("t1", 60, "DELETE", "/v2024/sources/s1")
    clock = Clock()
    client = FakeClient(tasks=[{"completed": None}] * 100)
    api = sailpoint.Api(client, sleep=clock.sleep, clock=clock)
    with pytest.raises(ApiError, match="did not complete within 3 s"):
        api.wait_for_task("t1", 3)
    assert clock.now == 3  # polled until, and once at, the deadline; never beyond it
    assert len(client.sent) == 5  # at 0, 0.25, 0.75, 1.75 and 3 s
