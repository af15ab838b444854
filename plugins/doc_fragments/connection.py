# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r"""
options:
  timeout:
    description:
      - Seconds to wait for the API to answer one request (the connect timeout is the smaller of this and 10).
    type: int
    default: 30
  validate_certs:
    description:
      - Verify the API's TLS certificate. Turn off only for a test endpoint.
      - Falls back to the E(IDENTITY_CLOUD_VALIDATE_CERTS) environment variable.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file of CA certificates to verify the API's certificate with, for a TLS-inspecting proxy.
    type: path
  proxy:
    description:
      - Proxy URL for every request, for example V(http://user:pass@proxy.example.com:3128).
      - When unset, the standard E(HTTPS_PROXY), E(HTTP_PROXY) and E(NO_PROXY) variables apply.
    type: str
  max_retries:
    description:
      - How many times a request is retried after HTTP 429, 502, 503, 504 or a connection error,
        with jittered exponential backoff that honours C(Retry-After).
      - A create (POST) is only re-sent when the server said it did not process it (429, 503)
        or the connection was never made.
    type: int
    default: 5
  token_cache:
    description:
      - Keep OAuth access tokens (token and expiry only, never a client secret or password) in
        a file readable only by the current user, so that a play fetches one token per
        credential instead of one per task.
      - Falls back to the E(IDENTITY_CLOUD_TOKEN_CACHE) environment variable.
    type: bool
    default: true
  token_cache_dir:
    description:
      - Directory of the token cache. Created with mode 0700.
      - Falls back to E(IDENTITY_CLOUD_TOKEN_CACHE_DIR), then C($XDG_CACHE_HOME/identity.cloud/tokens)
        or C(~/.cache/identity.cloud/tokens).
    type: path
notes:
  - All modules support check mode, which only reads from the API, and C(--diff).
requirements:
  - requests
"""
