"""The Beyond Identity adapter without HTTP: configuration, errors, realm lookup, batching, bulk items."""

import base64
import json
import threading

import pytest

from ansible_collections.identity.cloud.plugins.module_utils import beyond_identity as bi
from ansible_collections.identity.cloud.plugins.module_utils import bulk
from ansible_collections.identity.cloud.plugins.module_utils.auth import OAuthToken, StaticToken
from ansible_collections.identity.cloud.plugins.module_utils.resource import Field, InputError, ResourceSpec


def jwt(claims):
    part = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return "eyJhbGciOiJub25lIn0.%s.sig" % part


class FakeApi:
    """Just enough of ``ApiClient``: canned lists, recorded posts."""

    check_mode = False

    def __init__(self, lists=None):
        self.lists = lists or {}
        self.posts = []
        self.reads = []
        self._lock = threading.Lock()

    def paginate_token(self, path, items_key, page_size=100):
        self.reads.append(path)
        return iter(self.lists.get(path, []))

    def post(self, path, body=None, **kwargs):
        with self._lock:
            self.posts.append((path, body))


REALMS = [{"id": "r1", "display_name": "Default"}, {"id": "r2", "display_name": "Staging"},
          {"id": "r3", "display_name": "Twin"}, {"id": "r4", "display_name": "Twin"}]


def session(lists=None, concurrency=4):
    lists = dict({"/v1/tenants/t1/realms": REALMS}, **(lists or {}))
    return bi.BeyondIdentity(FakeApi(lists), "t1", concurrency)


# -- configuration -------------------------------------------------------------------------------


def test_tenant_from_option_token_claim_or_token_url():
    assert bi.tenant_of({"tenant_id": "t1", "api_token": jwt({"bi_t": "t2"})}) == "t1"
    assert bi.tenant_of({"api_token": jwt({"bi_t": "t2"})}) == "t2"
    assert bi.tenant_of({"token_url": "https://auth-us.beyondidentity.com/v1/tenants/t3/realms/r/applications/a/token"}) \
        == "t3"
    with pytest.raises(InputError, match="tenant_id is required"):
        bi.tenant_of({"api_token": "not-a-jwt"})


def test_auth_base_follows_the_api_region():
    assert bi.auth_base_from("https://api-eu.beyondidentity.com") == "https://auth-eu.beyondidentity.com"
    assert bi.auth_base_from("https://api.us1.beyondidentity-gov.com/") == "https://auth.us1.beyondidentity-gov.com"
    assert bi.auth_base_from("http://127.0.0.1:8080") == "http://127.0.0.1:8080"


def test_token_url_and_auth_provider():
    params = {"api_base_url": "https://api-eu.beyondidentity.com", "auth_realm_id": "r 1", "auth_application_id": "a1",
              "client_id": "c", "client_secret": "s", "token_cache": False}
    assert bi.token_url(params, "t1") == \
        "https://auth-eu.beyondidentity.com/v1/tenants/t1/realms/r%201/applications/a1/token"
    provider = bi.auth_provider(params, "t1")
    assert isinstance(provider, OAuthToken) and provider.client_auth == "basic"
    assert isinstance(bi.auth_provider(dict(params, api_token="tok"), "t1"), StaticToken)
    with pytest.raises(InputError, match="client_secret is required"):
        bi.auth_provider(dict(params, client_secret=None), "t1")
    with pytest.raises(InputError, match="token_url, or auth_realm_id and auth_application_id"):
        bi.auth_provider(dict(params, auth_realm_id=None), "t1")
    with pytest.raises(InputError, match="no credentials"):
        bi.auth_provider({}, "t1")


def test_error_bodies_become_one_line():
    body = {"code": "bad_request", "message": "invalid parameters", "details": [
        {"type": "FieldViolations", "field_violations": [{"field": "group.description", "description": "empty"}]}]}
    assert bi.parse_error(body) == ("bad_request", "invalid parameters (group.description: empty)")
    assert bi.parse_error({"error": "invalid_client", "error_description": "nope"}) == ("invalid_client", "nope")
    info = {"code": "not_found", "message": "identity not found",
            "details": [{"type": "ResourceInfo", "resource_type": "Identity", "id": "i1", "description": "gone"}]}
    assert bi.parse_error(info) == ("not_found", "identity not found (Identity i1: gone)")


# -- realm and references ------------------------------------------------------------------------


def test_realm_by_id_or_display_name():
    bi_session = session()
    assert bi_session.use_realm("r2")["id"] == "r2"
    assert bi_session.use_realm("Staging")["id"] == "r2"
    assert bi_session.use_realm("staging")["id"] == "r2"
    with pytest.raises(InputError, match="realm 'Twin' is ambiguous: 2 realms .* r3, r4"):
        bi_session.use_realm("Twin")
    with pytest.raises(InputError, match="realm 'Nope' not found.*'Default'"):
        bi_session.use_realm("Nope")


def test_identity_and_group_references_use_one_listing():
    identities = [{"id": "i%d" % n, "traits": {"username": "User%d" % n}} for n in range(3)]
    groups = [{"id": "g1", "display_name": "Eng"}, {"id": "g2", "display_name": "Ops"}]
    bi_session = session({"/v1/tenants/t1/realms/r1/identities": identities, "/v1/tenants/t1/realms/r1/groups": groups})
    bi_session.use_realm("Default")
    assert bi_session.resolve_identities(["user0", "i2"]) == {"i0": "User0", "i2": "User2"}
    assert bi_session.resolve_identities(["USER1"]) == {"i1": "User1"}
    assert bi_session.resolve_groups(["Eng", "g2"]) == {"g1": "Eng", "g2": "Ops"}
    with pytest.raises(InputError, match="members: no identity with id or username 'ghost', 'nobody'"):
        bi_session.resolve_identities(["ghost", "user0", "nobody"])
    with pytest.raises(InputError, match="groups: no group with id or display name 'eng'"):
        bi_session.resolve_groups(["eng"])  # display names are case-sensitive
    assert bi_session.api.reads.count("/v1/tenants/t1/realms/r1/identities") == 1


# -- membership batching -------------------------------------------------------------------------


def test_member_changes_go_in_calls_of_at_most_1000():
    bi_session = session()
    bi_session.use_realm("r1")
    bi_session.change_members("g1", ["i%04d" % n for n in range(2500)], add=True)
    calls = bi_session.api.posts
    assert [path for path, _body in calls] == ["/v1/tenants/t1/realms/r1/groups/g1:addMembers"] * 3
    assert sorted(len(body["identity_ids"]) for _path, body in calls) == [500, 1000, 1000]
    assert sorted(i for _path, body in calls for i in body["identity_ids"]) == ["i%04d" % n for n in range(2500)]


def test_membership_batch_sends_per_group_and_reports_failures_per_identity():
    bi_session = session()
    bi_session.use_realm("r1")
    batch = bi.MembershipBatch()
    for n in range(5):
        batch.queue("g1", True, "i%d" % n, "user%d" % n)
        batch.queue("g2", False, "i%d" % n, "user%d" % n)
    assert batch.flush(bi_session) == {}
    assert sorted((p.rsplit("/", 1)[-1], len(b["identity_ids"])) for p, b in bi_session.api.posts) == [
        ("g1:addMembers", 5), ("g2:deleteMembers", 5)]

    def refuse(path, body=None, **kwargs):
        if "g2" in path:
            raise bi.ApiError("POST", path, 404, "not_found", "group not found")

    bi_session.api.post = refuse
    batch.queue("g1", True, "i1", "user1")
    batch.queue("g2", True, "i2", "user2")
    failed = batch.flush(bi_session)
    assert list(failed) == ["user2"] and "HTTP 404" in failed["user2"]


def test_identity_groups_come_from_the_prefetched_index():
    groups = [{"id": "g1", "display_name": "Eng"}, {"id": "g2", "display_name": "Ops"}]
    alice, bob = {"id": "i1", "traits": {"username": "a"}}, {"id": "i2", "traits": {"username": "b"}}
    members = {"/v1/tenants/t1/realms/r1/groups/g1:listMembers": [alice],
               "/v1/tenants/t1/realms/r1/groups/g2:listMembers": [alice, bob]}
    bi_session = session(dict({"/v1/tenants/t1/realms/r1/groups": groups}, **members))
    bi_session.use_realm("r1")
    bi_session.prefetch_memberships()
    assert bi_session.identity_groups("i1") == {"g1": "Eng", "g2": "Ops"}
    assert bi_session.identity_groups("i3") == {}
    assert not [r for r in bi_session.api.reads if r.endswith(":listGroups")]


# -- bulk items ----------------------------------------------------------------------------------


class FakeModule:
    def __init__(self, params):
        self.params = params


SPEC = ResourceSpec("identity", key=Field("username", api="traits.username"), fields=[Field("display_name")],
                    key_normalize=lambda value: (value or "").lower())


def test_bulk_items_take_module_values_and_refuse_duplicate_keys():
    module = FakeModule({"realm": "Default", "state": "present", "identities": [
        {"username": "a", "display_name": "A", "state": None}, {"username": "b", "state": "absent"}]})
    items = bulk.bulk_items(module.params, "identities", SPEC)
    assert [(i["username"], i["state"], i["realm"]) for i in items] == [("a", "present", "Default"),
                                                                        ("b", "absent", "Default")]
    module.params["identities"].append({"username": "A"})
    with pytest.raises(InputError, match="identities: items 1 and 3 both have username 'A'"):
        bulk.bulk_items(module.params, "identities", SPEC)


def test_bulk_option_mirrors_the_single_options_without_defaults():
    spec = ResourceSpec("identity", key=Field("username"), fields=[Field("status", choices=["active", "suspended"])])
    option = bulk.bulk_option(spec, ("username", "status", "state"))
    assert option["options"]["username"] == {"type": "str", "required": True}
    assert option["options"]["status"] == {"type": "str", "choices": ["active", "suspended"]}
    assert option["options"]["state"] == {"type": "str", "choices": ["present", "absent"]}
