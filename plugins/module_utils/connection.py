# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection options shared by every vendor, and the glue that turns them into a client.

Vendor adapters add their own URL and credential options (with the vendor's environment
variable names as fallbacks) on top of ``COMMON_ARGS``; see ``doc_fragments/connection.py``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible.module_utils.basic import AnsibleModule, _load_params, env_fallback

from ansible_collections.identity.cloud.plugins.module_utils import arguments
from ansible_collections.identity.cloud.plugins.module_utils.auth import TokenCache
from ansible_collections.identity.cloud.plugins.module_utils.http_client import (
    ApiClient,
    InputError,
    RetryPolicy,
    environ_ca_bundle,
    url_problem,
    url_secrets,
)
from ansible_collections.identity.cloud.plugins.module_utils.transport import PROXY_VARIABLES, TransportError


COMMON_ARGS = {
    "timeout": {"type": "int", "default": 30},
    "validate_certs": {"type": "bool", "default": True, "fallback": (env_fallback, ["IDENTITY_CLOUD_VALIDATE_CERTS"])},
    "ca_path": {"type": "path"},
    # no_log: a failed argument check returns the task's arguments before the module can mask the URL's password
    "proxy": {"type": "str", "no_log": True},
    "proxy_username": {"type": "str"},
    "proxy_password": {"type": "str", "no_log": True},
    "client_cert": {"type": "path"},
    "client_key": {"type": "path", "no_log": False},
    "max_retries": {"type": "int", "default": 5},
    "token_cache": {"type": "bool", "default": True, "fallback": (env_fallback, ["IDENTITY_CLOUD_TOKEN_CACHE"])},
    "token_cache_dir": {"type": "path", "fallback": (env_fallback, ["IDENTITY_CLOUD_TOKEN_CACHE_DIR"])},
}

VERSION = "0.1.0"


def connection_args(**environment):
    """The common options that a vendor gives environment variables of its own: ``name=[variables]``.

    ``validate_certs`` keeps IDENTITY_CLOUD_VALIDATE_CERTS as the last fallback.
    """
    out = {}
    for name, variables in environment.items():
        names = list(variables) + (["IDENTITY_CLOUD_VALIDATE_CERTS"] if name == "validate_certs" else [])
        out[name] = dict(COMMON_ARGS[name], fallback=(env_fallback, names))
    return out


def vendor_module(argument_spec, vendor_args, **kwargs):
    """An ``AnsibleModule`` with the common and the vendor's connection options added."""
    spec = dict(COMMON_ARGS)
    spec.update(vendor_args)
    spec.update(argument_spec)
    spec, bounds = arguments.split_bounds(spec)
    raw = _raw_params()
    spec, type_problem = arguments.relax_types(spec, raw)
    kwargs.setdefault("supports_check_mode", True)
    module = AnsibleModule(argument_spec=spec, **kwargs)
    connection_options = set(COMMON_ARGS) | set(vendor_args)
    # An empty connection setting is an unset one: AWX renders a credential's unset inputs as "".
    for name in connection_options:
        if module.params.get(name) == "":
            module.params[name] = None
    # Credentials in a proxy URL (option or environment) or any URL option never reach the output.
    for name in sorted(connection_options):
        if isinstance(module.params.get(name), str):
            hide_values(module, *url_secrets(module.params[name]))
    for name in PROXY_VARIABLES:
        hide_values(module, *url_secrets(os.environ.get(name)))
    problem = (type_problem or arguments.strict_types(spec, raw)
               or arguments.problem(spec, raw, module.params, kwargs, bounds)
               or url_options_problem(module.params, connection_options)
               or ca_path_problem(module.params) or client_cert_problem(module.params))
    if problem:
        module.fail_json(msg=problem)
    for name in ("timeout", "max_retries"):
        if module.params[name] is not None and module.params[name] < (1 if name == "timeout" else 0):
            module.fail_json(msg="%s must be %s, got %s" % (
                name, "at least 1 second" if name == "timeout" else "0 or more", module.params[name]))
    return module


def _raw_params():
    """The arguments as the task gave them, before Ansible converted them to the option types."""
    # No raw arguments (a caller that built the module another way): nothing to check.
    try:
        return _load_params()
    except (SystemExit, Exception):  # pylint: disable=broad-except
        return {}


def url_options_problem(params, names):
    """Connection options holding URLs (``*url``, ``proxy``) must be http(s) without control characters."""
    for name in sorted(names):
        value = params.get(name)
        if value is not None and (name.endswith("url") or name == "proxy"):
            problem = url_problem(value)
            if problem:
                return "%s %s" % (name, problem)
    return None


def ca_path_problem(params):
    """ca_path (or the CA bundle variable that stands in for it) must be a readable file."""
    if not params.get("validate_certs"):
        return None
    for name, value in (("ca_path", params.get("ca_path")), ("REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE", environ_ca_bundle())):
        if value:
            if not os.path.exists(value):
                return "%s %s does not exist" % (name, value)
            if not os.access(value, os.R_OK):
                return "%s %s is not readable" % (name, value)
            return None  # ca_path given: the environment is not used
    return None


def client_cert_problem(params):
    """client_cert and client_key must be readable files; a key needs its certificate."""
    if params.get("client_key") and not params.get("client_cert"):
        return "client_key needs client_cert (the certificate the key belongs to)"
    for name in ("client_cert", "client_key"):
        value = params.get(name)
        if value and not os.path.isfile(value):
            return "%s %s is not a file" % (name, value)
        if value and not os.access(value, os.R_OK):
            return "%s %s is not readable" % (name, value)
    return None


def token_cache(params):
    """The on-disk token cache the user asked for, or None (``InputError`` for an unsafe folder)."""
    if not params.get("token_cache"):
        return None
    cache = TokenCache(params.get("token_cache_dir"))
    problem = cache.unsafe()
    if problem:
        raise InputError("token_cache_dir %s; give a folder only you can write, or set token_cache false" % problem)
    return cache


def hide_values(module, *values):
    """Mask secrets that did not come in as ``no_log`` options (environment, files) in all module output."""
    for value in values:
        if value:
            module.no_log_values.add(value)


def api_client(module, base_url, auth, error_parser=None, request_id_headers=(), pool_size=10, secret_fields=(),
               ca_path=None, proxy=None, throttle=None, proxy_username=None, proxy_password=None):
    """An ``ApiClient`` configured from the common options (``ca_path``/``proxy``/``proxy_*`` override them)."""
    params = module.params
    ca_path = ca_path or params.get("ca_path")
    proxy = proxy or params.get("proxy")
    proxy_username = proxy_username or params.get("proxy_username")
    proxy_password = proxy_password or params.get("proxy_password")
    hide_values(module, proxy_password, *url_secrets(proxy))
    problem = (("base URL %s" % url_problem(base_url) if url_problem(base_url) else None)
               or ("proxy %s" % url_problem(proxy) if proxy and url_problem(proxy) else None)
               or ca_path_problem(dict(params, ca_path=ca_path)))
    if problem:
        module.fail_json(msg=problem)
    client = ApiClient(
        base_url,
        auth=auth,
        timeout=params["timeout"],
        validate_certs=params["validate_certs"],
        ca_path=ca_path,
        proxy=proxy,
        check_mode=module.check_mode,
        retry=RetryPolicy(max_retries=params["max_retries"]),
        error_parser=error_parser,
        request_id_headers=request_id_headers,
        user_agent="identity.cloud-ansible/%s" % VERSION,
        pool_size=pool_size,
        secret_fields=secret_fields,
        throttle=throttle,
    )
    transport = client.transport
    transport.proxy_auth = (proxy_username, proxy_password) if proxy_username else None
    transport.client_cert = (params.get("client_cert"), params.get("client_key")) if params.get("client_cert") else None
    if transport.client_cert:
        try:  # a certificate or key that does not load fails here, before any call
            transport.context()
        except TransportError as exc:
            module.fail_json(msg=exc.detail)
    return client
