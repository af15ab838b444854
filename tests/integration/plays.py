"""Building blocks of the integration tests' playbooks: one play per simulator, tasks, faults mid-play."""

# module option -> the simulator's connection setting, per vendor (action group identity.cloud.<vendor>)
OPTIONS = {
    "finbourne": {"identity_url": "FBN_IDENTITY_URL", "token_url": "FBN_TOKEN_URL", "username": "FBN_USERNAME",
                  "password": "FBN_PASSWORD", "client_id": "FBN_CLIENT_ID", "client_secret": "FBN_CLIENT_SECRET"},
    "sailpoint": {"base_url": "SAIL_BASE_URL", "client_id": "SAIL_CLIENT_ID", "client_secret": "SAIL_CLIENT_SECRET"},
    "beyond_identity": {"api_base_url": "BEYONDIDENTITY_API_BASE_URL", "tenant_id": "BEYONDIDENTITY_TENANT_ID",
                        "api_token": "BEYONDIDENTITY_API_TOKEN"},
}


def connection(sim):
    """The simulator's connection settings as module options."""
    env = sim.connection_env()
    return {option: env[name] for option, name in OPTIONS[sim.vendor].items()}


def play(sim, tasks, defaults=None, **extra):
    """A play against ``sim``: ``defaults`` (else ``connection(sim)``) set through the vendor's action group."""
    module_defaults = {"group/identity.cloud." + sim.vendor: connection(sim) if defaults is None else defaults}
    return [dict({"hosts": "localhost", "gather_facts": False, "module_defaults": module_defaults, "tasks": tasks},
                 **extra)]


def task(title, module, check=False, errors=False, **args):
    """A task calling ``module`` (full name) with ``args``; ``check`` and ``errors`` set check_mode / ignore_errors."""
    out = {"name": title, module: args}
    if check:
        out["check_mode"] = True
    if errors:
        out["ignore_errors"] = True
    return out


def inject(sim, kind, **fault):
    """A task that injects a simulator fault mid-play (so earlier tasks do not consume it)."""
    return {"name": "inject %s %s" % (kind, fault.get("path")), "ansible.builtin.uri": {
        "url": sim.url + "/__sim__/faults", "method": "POST", "body_format": "json",
        "body": dict(fault, kind=kind), "status_code": 204}}


# -- modules run in-process (fault matrix, bad input): no ansible-playbook per case ------------------


def module_options(sim, client_credentials=False):
    """The connection options of ``sim`` as module arguments (Beyond Identity: client credentials if asked)."""
    if client_credentials and hasattr(sim, "client_credentials_env"):
        return {name[len("BEYONDIDENTITY_"):].lower(): value for name, value in sim.client_credentials_env().items()}
    return connection(sim)


def _module_side_json():
    """Decode the arguments as a module process does. ansible-core 2.19 checks that every string is valid
    UTF-8 only on the controller, which it takes this process to be once any test has imported
    ``ansible.constants``: without this, whether a module sees a lone surrogate depends on test order."""
    from unittest import mock

    try:
        from ansible.module_utils._internal._json import _profiles
    except ImportError:  # before 2.19: no such check
        import contextlib
        return contextlib.nullcontext()
    return mock.patch.object(_profiles, "_string_encoding_check_enabled", lambda: False)


def run_module(name, args, check=False, diff=False):
    """Run ``identity.cloud.<name>``'s ``main()`` in this process; return its result (``failed`` and ``msg``
    on failure). A Python exception (a traceback in Ansible) propagates, so a crash fails the test."""
    import contextlib
    import importlib
    import io
    import json

    from ansible.module_utils.testing import patch_module_args

    module = importlib.import_module("ansible_collections.identity.cloud.plugins.modules." + name)
    out = io.StringIO()
    given = dict(args, _ansible_check_mode=check, _ansible_diff=diff, _ansible_module_name="identity.cloud." + name)
    with patch_module_args(given), contextlib.redirect_stdout(out), _module_side_json():
        try:
            module.main()
        except SystemExit:
            pass
    text = out.getvalue()
    assert text.strip(), "%s printed no result" % name
    return json.loads(text.strip().splitlines()[-1])


def module_arguments(name):
    """(the module's own argument spec, its vendor's connection options, the other keyword arguments) as its
    ``main()`` passes them to ``vendor_module``."""
    import importlib
    from unittest import mock

    class Built(Exception):
        pass

    seen = {}

    def record(argument_spec, vendor_args, **kwargs):
        seen.update(spec=argument_spec, vendor=vendor_args, kwargs=kwargs)
        raise Built()

    module = importlib.import_module("ansible_collections.identity.cloud.plugins.modules." + name)
    with mock.patch.object(module, "vendor_module", record):
        try:
            module.main()
        except Built:
            pass
    return seen["spec"], seen["vendor"], seen["kwargs"]


def module_argspec(name):
    """(the module's own argument spec, its vendor's connection options) as its ``main()`` builds them."""
    return module_arguments(name)[:2]
