# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r"""
options:
  base_url:
    description:
      - API URL of the SailPoint Identity Security Cloud tenant, without a version path,
        for example V(https://acme.api.identitynow.com). C(https://) is added when no scheme is given.
      - Falls back to the E(SAIL_BASE_URL) environment variable, then to C(BaseURL) in a
        C(config.json) file in the current directory (the SailPoint SDK's conventions).
    type: str
  client_id:
    description:
      - Client ID of a personal access token or API client, exchanged for an access token at
        C({base_url}/oauth/token) with the client credentials grant.
      - Falls back to E(SAIL_CLIENT_ID), then to C(ClientId) in C(config.json).
    type: str
  client_secret:
    description:
      - Client secret belonging to O(client_id).
      - Falls back to E(SAIL_CLIENT_SECRET), then to C(ClientSecret) in C(config.json).
    type: str
  access_token:
    description:
      - An access token to send as is, instead of O(client_id) and O(client_secret).
        It cannot be renewed, so it must outlive the task.
      - Falls back to E(SAIL_ACCESS_TOKEN). When set, it is used even if O(client_id) and O(client_secret) are set too.
    type: str
  api_version:
    description:
      - API version prefix of every path, for example V(v2024) (C(/v2024/sources)), V(v3) or V(beta).
      - V(v1) selects the per-resource tree of the latest SDK (C(/sources/v1), C(/task-status/v1),
        C(/transforms/v1), C(/identity-profiles/v1), C(/workgroups/v1), C(/entitlements/v1),
        C(/access-profiles/v1), C(/roles/v1)), which has the same models as V(v2024). Identities and clusters
        named by a task are then still looked up under C(/v2024).
    type: str
    default: v2024
  rate_limit:
    description:
      - Requests per O(rate_limit_period) seconds that all runs of the collection on this controller
        send together for one O(client_id) (or one O(access_token)) on one tenant. Forks of a playbook
        wait for their turn instead of collecting HTTP 429 answers.
      - The runs share a small file of recent send times (no secrets) in the token cache folder
        (O(token_cache_dir), by default C(~/.cache/identity.cloud/tokens)), created with mode 0700 when
        missing. A folder that other users can write is refused (the task fails with one line).
      - V(0) switches the shared limit off; a negative number fails before any call. Falls back to
        E(IDENTITY_CLOUD_SAILPOINT_RATE_LIMIT).
    type: int
    default: 100
  rate_limit_period:
    description:
      - Length in seconds of the window O(rate_limit) counts in (SailPoint's is 10 seconds), 1 to 3600;
        another value fails before any call.
    type: int
    default: 10
notes:
  - The common options' environment variables (the collection's names, as the SailPoint SDK has none) are
    O(validate_certs) E(SAIL_VALIDATE_CERTS), O(ca_path) E(SAIL_CA_PATH), O(client_cert) E(SAIL_TLS_CLIENT_CERT),
    O(client_key) E(SAIL_TLS_CLIENT_KEY), O(proxy_username) E(SAIL_PROXY_USERNAME), O(proxy_password)
    E(SAIL_PROXY_PASSWORD).
  - Requests are limited by SailPoint to 100 per 10 seconds per client ID. The collection paces itself
    to O(rate_limit) per O(rate_limit_period) across all its runs on the controller; an HTTP 429 that still
    comes (another tool using the same client ID) is retried after the C(Retry-After) delay the tenant
    sends (see O(max_retries)).
  - Every request carries C(X-SailPoint-Experimental=true), which the tenant requires on the operations it
    marks experimental (attribute sync, password policies) and ignores on the others.
"""

    # Every module working on something that hangs on a source.
    SOURCE = r"""
options:
  source:
    description:
      - Name or ID of the source (a source's exact name, or its ID). It must exist; an unknown source
        fails the task with one line before anything is written. When a module deletes (C(state=absent)),
        a missing source means there is nothing to delete.
      - In check mode a missing source may be one an earlier task would create - the task then reports the
        change it would make once the source exists (C(changed), C(msg) saying so, nothing sent; the options
        are still checked) instead of failing, so a dry run of a whole definition goes on. The C(_info)
        modules fail.
    type: str
    required: true
"""
