# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection options shared by every vendor, and the glue that turns them into a client.

Vendor adapters add their own URL and credential options (with the vendor's environment
variable names as fallbacks) on top of ``COMMON_ARGS``; see ``doc_fragments/connection.py``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.identity.cloud.plugins.module_utils.auth import TokenCache
from ansible_collections.identity.cloud.plugins.module_utils.http_client import (
    REQUESTS_IMPORT_ERROR,
    ApiClient,
    RetryPolicy,
)

COMMON_ARGS = {
    "timeout": {"type": "int", "default": 30},
    "validate_certs": {"type": "bool", "default": True, "fallback": (env_fallback, ["IDENTITY_CLOUD_VALIDATE_CERTS"])},
    "ca_path": {"type": "path"},
    "proxy": {"type": "str"},
    "max_retries": {"type": "int", "default": 5},
    "token_cache": {"type": "bool", "default": True, "fallback": (env_fallback, ["IDENTITY_CLOUD_TOKEN_CACHE"])},
    "token_cache_dir": {"type": "path", "fallback": (env_fallback, ["IDENTITY_CLOUD_TOKEN_CACHE_DIR"])},
}

VERSION = "0.1.0"


def vendor_module(argument_spec, vendor_args, **kwargs):
    """An ``AnsibleModule`` with the common and the vendor's connection options added."""
    spec = dict(COMMON_ARGS)
    spec.update(vendor_args)
    spec.update(argument_spec)
    kwargs.setdefault("supports_check_mode", True)
    module = AnsibleModule(argument_spec=spec, **kwargs)
    if REQUESTS_IMPORT_ERROR:
        module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
    for name in ("timeout", "max_retries"):
        if module.params[name] is not None and module.params[name] < (1 if name == "timeout" else 0):
            module.fail_json(msg="%s must be %s, got %s" % (
                name, "at least 1 second" if name == "timeout" else "0 or more", module.params[name]))
    return module


def token_cache(params):
    """The on-disk token cache the user asked for, or None."""
    if not params.get("token_cache"):
        return None
    return TokenCache(params.get("token_cache_dir"))


def hide_values(module, *values):
    """Mask secrets that did not come in as ``no_log`` options (environment, files) in all module output."""
    for value in values:
        if value:
            module.no_log_values.add(value)


def api_client(module, base_url, auth, error_parser=None, request_id_headers=(), pool_size=10, secret_fields=(),
               ca_path=None, proxy=None):
    """An ``ApiClient`` configured from the common options (``ca_path``/``proxy`` override them)."""
    params = module.params
    return ApiClient(
        base_url,
        auth=auth,
        timeout=params["timeout"],
        validate_certs=params["validate_certs"],
        ca_path=ca_path or params.get("ca_path"),
        proxy=proxy or params.get("proxy"),
        check_mode=module.check_mode,
        retry=RetryPolicy(max_retries=params["max_retries"]),
        error_parser=error_parser,
        request_id_headers=request_id_headers,
        user_agent="identity.cloud-ansible/%s" % VERSION,
        pool_size=pool_size,
        secret_fields=secret_fields,
    )
