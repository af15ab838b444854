"""The ``region`` connection option of the Beyond Identity modules: servers, precedence, environment, refusal."""

import yaml

import pytest

from ansible_collections.identity.cloud.plugins.module_utils import beyond_identity as bi
from tests.integration.plays import run_module
from tests.simulators.beyond_identity import SPEC_FILE


def test_regions_are_the_documents_servers():
    with open(SPEC_FILE) as handle:
        servers = [s["url"].rstrip("/") for s in yaml.safe_load(handle)["servers"]]
    assert sorted(api for api, _auth in bi.REGIONS.values()) == sorted(servers)
    for api, auth in bi.REGIONS.values():
        assert bi.auth_base_from(api) == auth  # the document's auth servers follow the API host


@pytest.mark.parametrize("region,api,auth", [
    (None, "https://api-us.beyondidentity.com", "https://auth-us.beyondidentity.com"),
    ("us", "https://api-us.beyondidentity.com", "https://auth-us.beyondidentity.com"),
    ("eu", "https://api-eu.beyondidentity.com", "https://auth-eu.beyondidentity.com"),
    ("us-gov", "https://api.us1.beyondidentity-gov.com", "https://auth.us1.beyondidentity-gov.com"),
])
def test_region_gives_both_servers(region, api, auth):
    params = {"region": region, "auth_realm_id": "r", "auth_application_id": "a"}
    assert bi.api_base_url(params) == api
    assert bi.token_url(params, "t") == auth + "/v1/tenants/t/realms/r/applications/a/token"


def test_base_url_overrides_win_over_the_region():
    params = {"region": "eu", "api_base_url": "https://gw.example/bi", "auth_realm_id": "r", "auth_application_id": "a"}
    assert bi.api_base_url(params) == "https://gw.example/bi"
    assert bi.token_url(params, "t").startswith("https://gw.example/bi/v1/")
    params["auth_base_url"] = "https://auth.example"
    assert bi.token_url(params, "t").startswith("https://auth.example/v1/")


def test_region_option_choices_and_environment():
    spec = bi.BEYOND_IDENTITY_ARGS["region"]
    assert spec["choices"] == ["eu", "us", "us-gov"]
    assert spec["fallback"][1] == ["BEYONDIDENTITY_REGION", "BEYOND_IDENTITY_REGION"]


def test_unknown_region_fails_in_one_line_before_any_call(monkeypatch):
    monkeypatch.setenv("BEYONDIDENTITY_REGION", "mars")
    result = run_module("beyond_identity_realm_info", {"tenant_id": "t", "api_token": "x"})
    assert result["failed"] and "region" in result["msg"] and "eu, us, us-gov" in result["msg"]
    assert "\n" not in result["msg"]
