"""Beyond Identity API 1.7.0 adapters without HTTP: SSO config input, role members, launch mechanisms,
held against the 1.7.0 document where it declares them."""

import os
import threading

import pytest
import yaml

from ansible_collections.identity.cloud.plugins.module_utils import beyond_identity as bi
from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import providers, roles, sso
from ansible_collections.identity.cloud.plugins.module_utils.resource import InputError, MissingReferences

DOCUMENT = os.path.join(os.path.dirname(__file__), "..", "simulators", "specs", "beyond_identity",
                        "beyond-identity-api-v1.7.0-latest.yaml")


@pytest.fixture(scope="module")
def schemas():
    with open(DOCUMENT) as handle:
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))["components"]["schemas"]


class FakeApi:
    check_mode = False

    def __init__(self, lists=None):
        self.lists = lists or {}
        self.posts = []
        self._lock = threading.Lock()

    def paginate_token(self, path, items_key, page_size=100, params=None):
        return iter(self.lists.get(path, []))

    def post(self, path, body=None, **kwargs):
        with self._lock:
            self.posts.append((path, body))


def session(lists=None):
    realm = {"id": "r1", "display_name": "Default"}
    base = "/v1/tenants/t1/realms/r1/"
    lists = dict(("%s%s" % (base, k), v) for k, v in (lists or {}).items())
    lists["/v1/tenants/t1/realms"] = [realm]
    session = bi.BeyondIdentity(FakeApi(lists), "t1", 4)
    session.use_realm("Default")
    return session


# -- SSO configs ------------------------------------------------------------------------------------


def test_sso_types_and_required_settings_follow_the_document(schemas):
    payloads = schemas["SsoConfigPayload"]["oneOf"]
    saml = next(p for p in payloads if "acs_url" in p.get("properties", {}) and "sign_envelope" in p["properties"])
    assert sso.TYPES == sorted(schemas["SsoConfigType"]["enum"] + saml["properties"]["type"]["enum"])
    assert set(sso.REQUIRED["saml"]) == set(saml["required"]) - {"type"}
    assert set(sso.REQUIRED["generic_saml"]) < set(sso.REQUIRED["saml"])
    for kind, schema in (("bookmark", "SsoConfigBookmark"), ("generic_oidc", "SsoConfigGenericOidc"),
                         ("generic_oidc_idp", "SsoConfigOidcIdp"), ("okta_sso_bi_idp", "SsoConfigOktaBiIdp"),
                         ("ws_fed", "SsoConfigWsFed"),
                         ("entra_id_external_auth_methods", "SsoConfigEntraIdExternalAuthMethod")):
        assert set(sso.REQUIRED[kind]) == set(schemas[schema]["required"]) - {"type"}, kind


def test_sso_config_input_is_refused_before_any_call():
    crud = sso.SsoConfigCrud(session())
    with pytest.raises(InputError, match="^type is required to create an SSO config, one of bookmark"):
        crud.validate({"payload": {"login_link": "https://x"}}, None)
    with pytest.raises(InputError, match="^payload: an SSO config of type bookmark needs login_link$"):
        crud.validate({"type": "bookmark", "payload": {}}, None)
    with pytest.raises(InputError, match="^payload.client_secret: give it as the no_log option idp_client_secret"):
        crud.validate({"type": "okta_idp", "payload": {"client_secret": "s3cret"}}, None)
    with pytest.raises(InputError, match="^payload.okta_registration.okta_token: give it as the no_log option okta_token"):
        crud.validate({"payload": {"okta_registration": {"okta_token": "t"}}}, {"id": "c1", "payload": {"type": "x"}})
    with pytest.raises(InputError, match="^type: SSO config 'Wiki' is of type bookmark and cannot become ws_fed"):
        crud.validate({"type": "ws_fed"}, {"id": "c1", "display_name": "Wiki", "payload": {"type": "bookmark"}})
    crud.validate({"type": "bookmark", "payload": {"login_link": "https://x"}}, None)


def test_sso_test_failures_are_named():
    answer = {"identity_providers": [{"display_name": "Corp", "is_success": False, "status_code": "502",
                                      "error_context": "no answer"}],
              "oidc_applications": [{"display_name": "Portal", "is_success": True, "status_code": "200"}]}
    assert sso.failed_checks(answer) == ["Corp (502: no answer)"]


# -- roles --------------------------------------------------------------------------------------------------


IDENTITIES = [{"id": "i1", "traits": {"username": "alice"}}, {"id": "i2", "traits": {"username": "ops"}}]
GROUPS = [{"id": "g1", "display_name": "Help Desk"}, {"id": "g2", "display_name": "ops"}]


def role_crud():
    crud = roles.RoleCrud(session({"identities": IDENTITIES, "groups": GROUPS}), "Pet API")
    crud._server = {"id": "rs1", "display_name": "Pet API", "scopes": ["pets:read", "pets:write"]}
    return crud


def test_role_members_are_identities_or_groups_by_name_or_id():
    crud = role_crud()
    assert crud.resolve_members(["ALICE", "Help Desk", "g2"]) == {
        "identity/i1": "identity:alice", "group/g1": "group:Help Desk", "group/g2": "group:ops"}
    assert crud.resolve_members(["identity:ops", "group:ops"]) == {"identity/i2": "identity:ops",
                                                                   "group/g2": "group:ops"}
    with pytest.raises(InputError, match="members: 'ops' names .*; write identity:ops or group:ops"):
        crud.resolve_members(["ops"])
    with pytest.raises(MissingReferences, match="members: no identity .* or group .* 'nobody' in realm 'Default'") as exc:
        crud.resolve_members(["alice", "nobody"])
    assert exc.value.found == {"identity/i1": "identity:alice"} and exc.value.missing == ["nobody"]


def test_role_scopes_must_be_the_resource_servers():
    crud = role_crud()
    assert crud.resolve_scopes(["pets:read"]) == {"pets:read": "pets:read"}
    with pytest.raises(InputError, match=r"scopes: pets:admin not among the scopes of resource server 'Pet API' "
                                         r"\(pets:read, pets:write\)"):
        crud.resolve_scopes(["pets:admin", "pets:read"])


def test_role_member_changes_split_by_kind_and_1000():
    crud = role_crud()
    keys = ["identity/i%04d" % n for n in range(1500)] + ["group/g1"]
    crud.change_members({"id": "ro1", "resource_server_id": "rs1"}, keys, add=False)
    posts = crud.bi.api.posts
    assert {path for path, _body in posts} == {"/v1/tenants/t1/realms/r1/resource-servers/rs1/roles/ro1:deleteMembers"}
    assert sorted(sorted((key, len(ids)) for key, ids in body.items()) for _path, body in posts) == [
        [("group_ids", 1), ("identity_ids", 1000)], [("identity_ids", 500)]]


# -- launch mechanisms -----------------------------------------------------------------------------------


def test_launch_mechanisms_follow_the_document(schemas):
    assert set(providers.PLATFORMS) == set(schemas["PlatformFlowTypeConfig"]["properties"])
    assert set(providers.FLOW_TYPES) == set(schemas["FlowTypeSet"]["properties"])


def test_launch_mechanisms_checked_and_shaped():
    crud = providers.FlowTypeConfigCrud(session())
    with pytest.raises(InputError, match="^launch_mechanisms: unknown platform 'beos', one of android"):
        crud.validate({"launch_mechanisms": {"beos": {}}}, {})
    with pytest.raises(InputError, match="^launch_mechanisms.web: unknown flow type 'telepathy'"):
        crud.validate({"launch_mechanisms": {"web": {"telepathy": True}}}, {})
    with pytest.raises(InputError, match="^launch_mechanisms.web.copy must be true or false, got 'yes'"):
        crud.validate({"launch_mechanisms": {"web": {"copy": "yes"}}}, {})
    wanted = {"web": {"copy": False, "embedded": True}}
    api = providers.launch_mechanisms_to_api(wanted)
    assert api == {"web": {"copy": {"enabled": False}, "embedded": {"enabled": True}}}
    assert providers.launch_mechanisms_of({"platform_config": {"web": {"copy": {"enabled": False, "valid": True},
                                                                       "embedded": {"enabled": True}}}}) == wanted


def test_no_module_option_shadows_a_connection_option():
    """An option named like a connection option (client_id, token_url...) would replace it in the argument spec."""
    import importlib
    for name in ("role", "role_info", "sso_config", "sso_config_info", "identity_provider", "identity_provider_info",
                 "flow_type_config", "flow_type_config_info", "application_token", "application_token_info"):
        module = importlib.import_module("ansible_collections.identity.cloud.plugins.modules.beyond_identity_" + name)
        spec = getattr(module, "SPEC", None)
        if spec is not None:
            assert not set(spec.argument_spec()) & set(bi.BEYOND_IDENTITY_ARGS), name
