# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r"""
options:
  tenant_id:
    description:
      - Id of the Beyond Identity tenant, for example V(0001f1f460b1ace6).
      - Falls back to E(BEYONDIDENTITY_TENANT_ID), then E(BEYOND_IDENTITY_TENANT_ID).
      - When unset, it is read from the C(bi_t) claim of O(api_token) or from the path of O(token_url).
    type: str
  region:
    description:
      - The region the tenant is hosted in, which gives the API and auth servers (the API document's servers) -
        V(us) U(https://api-us.beyondidentity.com) and U(https://auth-us.beyondidentity.com), V(eu)
        U(https://api-eu.beyondidentity.com) and U(https://auth-eu.beyondidentity.com), V(us-gov) (US FedRAMP)
        U(https://api.us1.beyondidentity-gov.com) and U(https://auth.us1.beyondidentity-gov.com).
      - O(api_base_url) (and O(auth_base_url), O(token_url)), when set, win over the region.
      - When unset, E(BEYONDIDENTITY_REGION), then E(BEYOND_IDENTITY_REGION), then V(us); an empty variable counts
        as unset. (Beyond Identity publishes no region variable; the name follows the collection's
        C(BEYONDIDENTITY_) variables.)
      - Any other value fails the task before any call.
    type: str
    choices: [eu, us, us-gov]
  api_base_url:
    description:
      - Base URL of the Beyond Identity API, without C(/v1), for a server that O(region) does not give (a
        gateway, a proxy, a test server). Wins over O(region).
      - When unset, E(BEYONDIDENTITY_API_BASE_URL), then E(BEYOND_IDENTITY_API_BASE_URL), then the API server of
        O(region).
    type: str
  api_token:
    description:
      - A bearer access token for the Beyond Identity Management API, for example one created in the Admin
        Console (Apps, Beyond Identity Management API, API Tokens). Used instead of O(client_id) when both are set.
      - Falls back to E(BEYONDIDENTITY_API_TOKEN), then E(BEYOND_IDENTITY_API_TOKEN).
    type: str
  client_id:
    description:
      - Client id of an application that grants access to the Beyond Identity Management API resource
        server (the built-in Beyond Identity Management API application, or your own). An access token is
        requested with the client credentials grant and HTTP Basic client authentication.
      - Falls back to E(BEYONDIDENTITY_CLIENT_ID), then E(BEYOND_IDENTITY_CLIENT_ID).
    type: str
  client_secret:
    description:
      - Client secret of O(client_id).
      - Falls back to E(BEYONDIDENTITY_CLIENT_SECRET), then E(BEYOND_IDENTITY_CLIENT_SECRET).
    type: str
  auth_base_url:
    description:
      - Base URL of the Beyond Identity auth server the token is requested from.
      - When unset, E(BEYONDIDENTITY_AUTH_BASE_URL), then E(BEYOND_IDENTITY_AUTH_BASE_URL), then derived from
        O(api_base_url) when that is set (V(https://api-eu.beyondidentity.com) gives
        V(https://auth-eu.beyondidentity.com)), else the auth server of O(region).
    type: str
  auth_realm_id:
    description:
      - Id of the realm of the application that owns O(client_id) (for the built-in Beyond Identity
        Management API application, the Beyond Identity Admin realm). Not needed with O(token_url).
      - Falls back to E(BEYONDIDENTITY_AUTH_REALM_ID), then E(BEYOND_IDENTITY_AUTH_REALM_ID).
    type: str
  auth_application_id:
    description:
      - Id of the application that owns O(client_id). Not needed with O(token_url).
      - Falls back to E(BEYONDIDENTITY_AUTH_APPLICATION_ID), then E(BEYOND_IDENTITY_AUTH_APPLICATION_ID).
    type: str
  token_url:
    description:
      - The full token endpoint of the application that owns O(client_id), as the Admin Console shows it,
        C({auth_base_url}/v1/tenants/{tenant_id}/realms/{realm_id}/applications/{application_id}/token).
        Overrides O(auth_base_url), O(auth_realm_id) and O(auth_application_id).
      - Falls back to E(BEYONDIDENTITY_TOKEN_URL), then E(BEYOND_IDENTITY_TOKEN_URL).
    type: str
  token_scopes:
    description:
      - Scopes to request with the client credentials grant, for example V(identities:read). When unset, the
        token gets every scope the application allows.
      - Named C(token_scopes) so that it cannot be confused with the C(scopes) of a resource server.
      - Falls back to E(BEYONDIDENTITY_TOKEN_SCOPES), then E(BEYOND_IDENTITY_TOKEN_SCOPES) (comma separated).
    type: list
    elements: str
notes:
  - The common options' environment variables (the collection's names, each also with the prefix
    C(BEYOND_IDENTITY_)) are O(validate_certs) E(BEYONDIDENTITY_VALIDATE_CERTS), O(ca_path) E(BEYONDIDENTITY_CA_PATH),
    O(client_cert) E(BEYONDIDENTITY_TLS_CLIENT_CERT), O(client_key) E(BEYONDIDENTITY_TLS_CLIENT_KEY),
    O(proxy_username) E(BEYONDIDENTITY_PROXY_USERNAME), O(proxy_password) E(BEYONDIDENTITY_PROXY_PASSWORD).
  - One of O(api_token) or O(client_id) with O(client_secret) is required. Access tokens from the client
    credentials grant are kept in the token cache (see O(token_cache)).
  - Set the connection options once per play with C(module_defaults) and the
    C(group/identity.cloud.beyond_identity) action group, or through the environment variables.
"""

    # identity.cloud.beyond_identity.realm: the realm option of every realm-scoped module
    REALM = r"""
options:
  realm:
    description:
      - The realm the objects live in, by id or display name (an exact display name first, then one that
        differs only in case; an ambiguous display name fails and lists the matching ids).
      - A realm that does not exist fails the task with one line, except that with C(state=absent) there is
        nothing to delete (no change), and that in check mode (the realm may be one an earlier task would
        create) the task reports the change it would make once the realm exists (C(changed), C(msg) saying so,
        nothing sent). The C(_info) modules fail.
    type: str
    required: true
"""
