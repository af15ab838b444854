"""The SailPoint adapter's pure parts: settings, errors, filters, paths, JSON Patch, references, tasks."""

import json

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.identity.cloud.plugins.module_utils import sailpoint
from ansible_collections.identity.cloud.plugins.module_utils.http_client import ApiError
from ansible_collections.identity.cloud.plugins.module_utils.nested import Items
from ansible_collections.identity.cloud.plugins.module_utils.resource import (
    MISSING,
    Field,
    InputError,
    ResourceSpec,
    subset_equal,
)
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import actions, children
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
                                               {"id": "other", "name": "Ada Admin2"}]},
                        tasks=[{"id": IDENTITY_ID}])
    api = sailpoint.Api(client)
    owner = sailpoint.Reference("owner", "IDENTITY", "identities", "identity")
    assert owner.resolve(api, IDENTITY_ID) == {"type": "IDENTITY", "id": IDENTITY_ID}
    assert client.sent == [("GET", "/v2024/identities/" + IDENTITY_ID)]  # an id is only checked to exist
    with pytest.raises(InputError, match="^owner: no identity has id '2c9180857182305e0171993735622949'$"):
        owner.resolve(api, "2c9180857182305e0171993735622949")
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


# -- source children, actions ---------------------------------------------------------------------


@pytest.mark.parametrize("text,problem", [
    ("0 30 2 * * ?", None),
    ("0 0 4 ? * MON-FRI", None),
    ("0 0/15 * * * ? 2030", None),
    ("0 0 12 L * ?", None),
    ("0 0 12 ? * 6#3", None),
    ("every night", "needs 6 or 7 fields"),
    ("0 61 2 * * ?", "minutes 61 outside 0-59"),
    ("0 0 25 * * ?", "hours 25 outside 0-23"),
    ("0 0 2 ? * ?", "exactly one of day-of-month and day-of-week"),
    ("0 0 2 * * *", "exactly one of day-of-month and day-of-week"),
    ("0 0 2 * FOO ?", "invalid month field"),
    ("? 0 2 * * ?", "may use ? only for day-of-month or day-of-week"),
])
def test_cron_expressions_are_checked_before_any_write(text, problem):
    got = children.cron_problem(text)
    assert (got is None) if problem is None else (problem in (got or "")), got


def test_attribute_lists_compare_by_name():
    have = [{"name": "b", "type": "STRING", "isMulti": False, "nativeName": "b"}, {"name": "a", "type": "LONG"}]
    wanted = children.schema_attributes([{"name": "a", "type": "LONG"}, {"name": "b", "multi": False}])
    field = Field("attributes", type="list", normalize=children.by_name)
    assert subset_equal(field.comparable(wanted), field.comparable(have))
    assert not subset_equal(field.comparable(wanted[:1]), field.comparable(have))  # a set: b would be removed
    assert wanted == [{"name": "a", "type": "LONG"}, {"name": "b", "isMulti": False}]


def test_attribute_sync_merges_by_name():
    have = [{"name": "email", "enabled": False, "target": "mail"}, {"name": "lastname", "enabled": False}]
    wanted = [{"name": "email", "enabled": True}, {"name": "dept", "enabled": True}]
    out = Items(["name"], keep_unlisted=True).merge(have, wanted)
    assert out == [{"name": "email", "enabled": True, "target": "mail"}, {"name": "lastname", "enabled": False},
                   {"name": "dept", "enabled": True}]
    assert have[0]["enabled"] is False  # the current object is not changed in place
    assert children.keyed_by_name(have)["email"]["target"] == "mail"


def test_ncd_unset_and_unique_names():
    assert children.ncd_unset({"enabled": False, "operations": [], "allEntitlements": False})
    assert not children.ncd_unset({"enabled": False, "operations": ["ACCOUNT_CREATED"]})
    with pytest.raises(InputError, match="the name 'a' is given more than once"):
        children.unique_names("attributes")({"attributes": [{"name": "a"}, {"name": "a"}]}, None)


def test_task_references_and_counts():
    assert actions.task_of({"success": True, "task": {"id": "t1"}}) == {"id": "t1"}
    assert actions.task_of({"type": "TASK_RESULT", "id": "t2"})["id"] == "t2"
    assert actions.task_of({"id": "t3", "status": "QUEUED"})["id"] == "t3"
    assert actions.task_of(None) is None and actions.task_of({"status": "x"}) is None
    assert actions.counts({"attributes": {"total": 3, "created": 1, "appId": "x", "flag": True}}) == {
        "total": 3, "created": 1}


def test_connector_test_outcome():
    assert actions.test_outcome({"status": "SUCCESS", "details": {}}) is None
    assert actions.test_outcome({"status": "FAILURE", "details": {"error": "Login failed"}}) == "Login failed"
    assert actions.test_outcome({"status": "FAILURE"}) == "FAILURE"


def test_csv_header():
    assert actions.csv_header("src", b"\xef\xbb\xbfid, name ,email\nE1,Ada,a@x\n") == ["id", "name", "email"]
    with pytest.raises(InputError, match="src is empty"):
        actions.csv_header("src", b"\n\n")
    with pytest.raises(InputError, match="name each attribute once, got a, a"):
        actions.csv_header("src", b"a,a\n")


def test_source_reference_by_name_or_id():
    client = FakeClient({"/v2024/sources": [{"id": "s1", "name": "HR Feed"}]})
    ref = children.SourceRef(sailpoint.Api(client))
    assert ref.id("HR Feed") == "s1"
    assert ref.id("HR Feed") == "s1" and len(client.sent) == 1  # looked up once per run
    assert ref.id("Nowhere", required=False) is None
    with pytest.raises(InputError, match="^source: no source has the name or id 'Nowhere'$"):
        ref.id("Nowhere")
