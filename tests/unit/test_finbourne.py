"""FINBOURNE adapter: the SDK's configuration names and precedence, token URL, error bodies."""

import json

import pytest

from ansible_collections.identity.cloud.plugins.module_utils import finbourne
from ansible_collections.identity.cloud.plugins.module_utils.resource import InputError


def options(**given):
    base = {name: None for name in finbourne.FINBOURNE_ARGS}
    base.update(ca_path=None, proxy=None)
    base.update(given)
    return base


def test_options_beat_secrets_file_which_beats_environment(tmp_path):
    secrets = tmp_path / "secrets.json"
    secrets.write_text(json.dumps({
        "api": {"identityUrl": "https://file.lusid.com/identity", "tokenUrl": "https://file/token",
                "username": "file-user", "clientCertificate": "/etc/ca.pem"},
        "proxy": {"address": "http://proxy:8080", "username": "p user", "password": "p@ss"}}))
    environ = {"FBN_IDENTITY_URL": "https://env.lusid.com/identity", "FBN_USERNAME": "env-user",
               "FBN_PASSWORD": "env-pass", "FBN_CLIENT_ID": "env-client"}
    settings = finbourne.resolve_settings(options(secrets_path=str(secrets), username="task-user"), environ)
    assert settings["username"] == "task-user"
    assert settings["identity_url"] == "https://file.lusid.com/identity"
    assert settings["password"] == "env-pass" and settings["client_id"] == "env-client"
    assert settings["ca_path"] == "/etc/ca.pem"
    assert (settings["proxy"], settings["proxy_username"], settings["proxy_password"]) == (
        "http://proxy:8080", "p user", "p@ss")


def test_environment_alone_and_the_long_url_name():
    settings = finbourne.resolve_settings(options(), {"FBN_FINBOURNE_IDENTITY_API_URL": "https://x/identity",
                                                      "FBN_ACCESS_TOKEN": "pat", "FBN_PROXY_ADDRESS": "http://p:1"})
    assert settings["identity_url"] == "https://x/identity"
    assert settings["access_token"] == "pat" and settings["proxy"] == "http://p:1"


def test_unreadable_secrets_file_names_the_option(tmp_path):
    bad = tmp_path / "secrets.json"
    bad.write_text("{not json")
    with pytest.raises(InputError, match="secrets_path .* could not be read as JSON"):
        finbourne.resolve_settings(options(secrets_path=str(bad)), {})


def test_okta_issuer_gets_the_token_path_like_the_sdk():
    assert finbourne.okta_token_url("https://lusid.okta.com/oauth2/abc") == "https://lusid.okta.com/oauth2/abc/v1/token"
    assert finbourne.okta_token_url("https://lusid.okta.com/oauth2/abc/v1/token").endswith("/abc/v1/token")
    assert finbourne.okta_token_url("https://other/token") == "https://other/token"


def test_error_parser_reads_problem_details_and_validation_errors():
    assert finbourne.error_parser({"name": "RoleNotFound", "title": "t", "detail": "Role x not found"}) == (
        "RoleNotFound", "Role x not found")
    code, message = finbourne.error_parser({"name": "ValidationError", "title": "Invalid",
                                            "errors": {"name": ["too long", "bad chars"]}})
    assert code == "ValidationError" and message == "Invalid (name: too long, bad chars)"
    assert finbourne.error_parser("plain text") == (None, "plain text")
