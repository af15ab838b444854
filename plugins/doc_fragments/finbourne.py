# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r"""
options:
  identity_url:
    description:
      - Base URL of the tenant's identity API, for example V(https://acme.lusid.com/identity).
      - Falls back to C(identityUrl) in O(secrets_path), then E(FBN_IDENTITY_URL), then E(FBN_FINBOURNE_IDENTITY_API_URL).
    type: str
  token_url:
    description:
      - OAuth2 token endpoint for the password grant. A bare Okta issuer URL gets C(/v1/token) appended, as the SDK does.
      - Falls back to C(tokenUrl) in O(secrets_path), then E(FBN_TOKEN_URL).
    type: str
  username:
    description:
      - User name for the password grant. Falls back to C(username) in O(secrets_path), then E(FBN_USERNAME).
    type: str
  password:
    description:
      - Password for the password grant. Falls back to C(password) in O(secrets_path), then E(FBN_PASSWORD).
    type: str
  client_id:
    description:
      - OAuth2 client id. Falls back to C(clientId) in O(secrets_path), then E(FBN_CLIENT_ID).
    type: str
  client_secret:
    description:
      - OAuth2 client secret. Falls back to C(clientSecret) in O(secrets_path), then E(FBN_CLIENT_SECRET).
    type: str
  access_token:
    description:
      - A personal access token, sent as a bearer token. When set, the password grant is not used.
      - Falls back to C(accessToken) in O(secrets_path), then E(FBN_ACCESS_TOKEN).
    type: str
  app_name:
    description:
      - Application name sent in the C(X-LUSID-Application) header.
      - Falls back to C(applicationName) in O(secrets_path), then E(FBN_APP_NAME).
    type: str
  secrets_path:
    description:
      - A C(secrets.json) file in the FINBOURNE SDK format (an C(api) section with C(identityUrl), C(tokenUrl),
        C(username), C(password), C(clientId), C(clientSecret), C(accessToken), C(applicationName),
        C(clientCertificate), and an optional C(proxy) section with C(address), C(username), C(password)).
      - As in the SDK, values from this file override the E(FBN_*) environment variables; task options override both.
      - Falls back to E(FBN_SECRETS_PATH).
    type: path
notes:
  - The SDK's names for the common options, as for the others a secrets file overrides the environment.
    O(ca_path) falls back to C(clientCertificate) in O(secrets_path), then E(FBN_CLIENT_CERTIFICATE) (the
    SDK's name for the CA bundle, not a client certificate); O(proxy), O(proxy_username) and
    O(proxy_password) fall back to C(address), C(username) and C(password) of the C(proxy) section of
    O(secrets_path), then E(FBN_PROXY_ADDRESS), E(FBN_PROXY_USERNAME) and E(FBN_PROXY_PASSWORD).
  - The collection's names, which the SDK does not have. O(validate_certs) falls back to E(FBN_VALIDATE_CERTS),
    O(client_cert) to E(FBN_TLS_CLIENT_CERT), O(client_key) to E(FBN_TLS_CLIENT_KEY).
  - Use C(module_defaults) with the action group C(group/identity.cloud.finbourne) to set the connection once per play.
"""
