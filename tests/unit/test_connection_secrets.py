"""Proxy credentials stay out of every module's result, even when its argument check fails (issue 21, item 10).

A failed argument check (a misspelled option) returns ``invocation.module_args`` before the module
can mask anything itself, so every option that can hold a secret must be ``no_log`` in the spec.
"""

import json
import re

import pytest

from tests.module_files import VENDOR_MODULES

from tests.integration.plays import module_argspec, run_module

MODULES = VENDOR_MODULES
SECRET_OPTION = re.compile(r"password|secret|token$|api_token|access_token|^proxy$")
PROXY = "http://puser:pr0xy-pa55@proxy.example.com:3128"


def connection_spec(name):
    from ansible_collections.identity.cloud.plugins.module_utils.connection import COMMON_ARGS

    _own, vendor = module_argspec(name)
    return dict(COMMON_ARGS, **vendor)


def test_there_are_sixty_modules():
    assert len(MODULES) >= 60


@pytest.mark.parametrize("name", MODULES)
def test_every_connection_option_that_holds_a_secret_is_no_log(name):
    spec = connection_spec(name)
    for option in ("proxy", "proxy_password", "client_cert", "client_key", "proxy_username"):
        assert option in spec, "%s has no %s option" % (name, option)
    secret = sorted(o for o, s in spec.items() if SECRET_OPTION.search(o) and not o.endswith(("_url", "_path")))
    assert "proxy" in secret and "proxy_password" in secret
    for option in secret:
        assert spec[option].get("no_log") is True, "%s: %s is not no_log" % (name, option)


@pytest.mark.parametrize("name", MODULES)
def test_a_failed_argument_check_shows_no_proxy_credential(name):
    result = run_module(name, {"proxy": PROXY, "proxy_username": "puser", "proxy_password": "0pti0n-pa55",
                               "proxy_pasword": "typo"})
    # the misspelled option (or a required option left out) fails the argument check, which returns the arguments
    assert result.get("failed") and "module_args" in result.get("invocation", {}), result
    text = json.dumps(result)
    assert "pr0xy-pa55" not in text and "0pti0n-pa55" not in text, "%s shows a proxy credential" % name
    shown = result.get("invocation", {}).get("module_args", {})
    assert shown.get("proxy") in (None, "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"), shown.get("proxy")
