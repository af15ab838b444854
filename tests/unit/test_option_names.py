"""No module has an option that means one thing for the connection and another for the resource (issue 12, item 5).

Every module's ``main()`` runs with ``vendor_module`` replaced by a recorder: the module's own
options and the connection options it is given (common + vendor) must not share a name, or
``module_defaults`` for the action group would silently set a resource field (as ``scopes`` did).
"""

import importlib

import pytest

from tests.module_files import VENDOR_MODULES
import yaml

from ansible_collections.identity.cloud.plugins.module_utils.connection import COMMON_ARGS

MODULES = VENDOR_MODULES


class Recorded(Exception):
    def __init__(self, argument_spec, vendor_args):
        super().__init__("recorded")
        self.argument_spec = argument_spec
        self.vendor_args = vendor_args


def _record(argument_spec, vendor_args, **_kwargs):
    raise Recorded(argument_spec, vendor_args)


@pytest.mark.parametrize("name", MODULES)
def test_no_connection_option_shares_a_name_with_a_module_option(name, monkeypatch):
    module = importlib.import_module("ansible_collections.identity.cloud.plugins.modules." + name)
    monkeypatch.setattr(module, "vendor_module", _record)
    with pytest.raises(Recorded) as caught:
        module.main()
    connection = set(COMMON_ARGS) | set(caught.value.vendor_args)
    own = set(caught.value.argument_spec)
    assert own & connection == set(), "%s: %s are both connection and module options" % (name, sorted(own & connection))
    documented = set((yaml.safe_load(module.DOCUMENTATION).get("options") or {}))
    assert documented & connection == set(), name


def test_the_recorder_sees_the_resource_servers_own_scopes():
    module = importlib.import_module("ansible_collections.identity.cloud.plugins.modules.beyond_identity_resource_server")
    with pytest.raises(Recorded) as caught:
        _record(module.SPEC.argument_spec(), {})
    assert "scopes" in caught.value.argument_spec


VENDOR_ARGS = {
    "finbourne": ("finbourne", "FINBOURNE_ARGS"),
    "sailpoint": ("sailpoint", "SAILPOINT_ARGS"),
    "beyond_identity": ("beyond_identity", "BEYOND_IDENTITY_ARGS"),
}


@pytest.mark.parametrize("vendor", sorted(VENDOR_ARGS))
def test_every_environment_variable_a_connection_option_reads_is_documented(vendor):
    """The vendor's doc fragment (and the common one) name every variable the options fall back to."""
    adapter = importlib.import_module("ansible_collections.identity.cloud.plugins.module_utils." + VENDOR_ARGS[vendor][0])
    fragments = "".join(
        importlib.import_module("ansible_collections.identity.cloud.plugins.doc_fragments." + name).ModuleDocFragment.DOCUMENTATION
        for name in ("connection", vendor))
    spec = dict(COMMON_ARGS, **getattr(adapter, VENDOR_ARGS[vendor][1]))
    for name, option in sorted(spec.items()):
        for variable in (option.get("fallback") or (None, []))[1]:
            assert "E(%s)" % variable in fragments or (variable.startswith("BEYOND_IDENTITY_") and vendor == "beyond_identity"), (
                "%s falls back to %s, which the docs do not name" % (name, variable))
    for name in ("proxy_username", "proxy_password", "client_cert", "client_key"):
        assert "\n  %s:\n" % name in fragments, name


def test_every_module_is_a_vendor_module_or_a_controller_module():
    from tests.module_files import ALL_MODULES, CONTROLLER_MODULES, VENDOR_MODULES

    assert sorted(VENDOR_MODULES + list(CONTROLLER_MODULES)) == ALL_MODULES
