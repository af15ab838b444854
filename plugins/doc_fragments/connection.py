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
      - Falls back to the vendor's variable (see the notes), then E(IDENTITY_CLOUD_VALIDATE_CERTS).
      - A certificate that does not hold the host name of the URL fails the task with a line naming the
        host name and the names the certificate holds.
      - V(false) holds whatever E(REQUESTS_CA_BUNDLE) or E(CURL_CA_BUNDLE) say.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file of CA certificates (or a folder of them, named by hash as C(c_rehash) makes it) to verify
        the API's certificate with, for example for a TLS-inspecting proxy.
      - When unset, the vendor's variable (see the notes), then E(REQUESTS_CA_BUNDLE), then E(CURL_CA_BUNDLE),
        then the system's CA certificates (the
        OpenSSL default paths, which E(SSL_CERT_FILE) and E(SSL_CERT_DIR) change) apply.
        When set, it wins over those variables. A path that does not exist fails the task before any call.
    type: path
  proxy:
    description:
      - Proxy URL for every request, for example V(http://proxy.example.com:3128).
      - Give the proxy's credentials in O(proxy_username) and O(proxy_password). Credentials in the URL
        (V(http://user:pass@proxy.example.com:3128)) work too; the option is C(no_log), so the task's
        arguments never show the URL, even when the task fails on a wrong option beside it. Error
        messages name the proxy by host and port only.
      - An V(https://) target is reached through an HTTP C(CONNECT) tunnel, so give the proxy as V(http://)
        (an V(https://) proxy carries only V(http://) targets).
      - When set, it wins over the environment. When unset, the standard E(HTTPS_PROXY), E(HTTP_PROXY) and
        E(ALL_PROXY) variables apply (the lower-case names first). E(NO_PROXY) lists the hosts reached directly,
        as names (sub-domains included), V(name:port), IP addresses, networks such as V(10.0.0.0/8), or V(*).
      - The password in the URL (of this option and of those variables) is masked in all output.
    type: str
  proxy_username:
    description:
      - User name for the proxy (HTTP Basic C(Proxy-Authorization)), for O(proxy) or the proxy the environment
        names. Credentials in the proxy URL itself win over this option.
      - Falls back to the vendor's variable (see the notes).
    type: str
  proxy_password:
    description:
      - Password of O(proxy_username). Never shown in any output.
      - Falls back to the vendor's variable (see the notes).
    type: str
  client_cert:
    description:
      - PEM file of the client certificate to present to an API gateway that asks for one (mutual TLS). It
        may also hold the private key; otherwise give O(client_key).
      - A file that is missing or cannot be loaded fails the task before any call; a server that asks for a
        certificate when none is given, or refuses the one given, fails it with one line saying so.
      - Falls back to the vendor's variable (see the notes).
    type: path
  client_key:
    description:
      - PEM file of the unencrypted private key of O(client_cert), when that file does not hold it.
      - Falls back to the vendor's variable (see the notes).
    type: path
  max_retries:
    description:
      - How many times a request is retried after HTTP 429, 502, 503, 504, a read timeout or a
        connection error, with jittered exponential backoff that honours C(Retry-After), within 60 seconds.
        HTTP 500 is not retried.
      - Reads, updates (PUT, PATCH), deletes and calls that are safe to repeat (such as adding members)
        are retried after any of these.
      - A create (POST) is only re-sent when the server said it did not process it (429, 503)
        or the connection was never made. When its answer is lost (connection dropped, 502), the
        object is looked up first and the create is sent again only if it is not there. When the
        server may still be working on it (read timeout, 504), the object is looked up after each
        pause for at least twice O(timeout); if it does not appear the task fails with one line and
        is not sent again, so no duplicate is made. Running the task again is then safe.
      - An action that starts work and leaves nothing to look up by (an aggregation, an account removal, a
        user lifecycle step, a secret rotation, a connector upload) is re-sent only after 429, 503 or a
        connection never made. After a lost answer, 502, 504 or a read timeout it may have run, so the task
        fails with one line saying so; run it again if it did not.
      - A redirect is followed only to the same scheme, host and port and only for a call without a
        body; any other redirect fails the task, naming the target, so no credential or body leaves for
        another host.
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
      - Directory of the token cache. The folders it creates get mode 0700; an existing folder keeps
        its mode, and one that other users can write (such as C(/tmp) itself) fails the task.
      - Processes that need the same credential's token at once take turns (a file lock, at most
        30 seconds), so that forks starting on an empty cache fetch one token.
      - Falls back to E(IDENTITY_CLOUD_TOKEN_CACHE_DIR), then C($XDG_CACHE_HOME/identity.cloud/tokens)
        or C(~/.cache/identity.cloud/tokens).
    type: path
notes:
  - All modules support check mode, which only reads from the API, and C(--diff).
  - URL options must be V(http://) or V(https://) URLs without spaces or control characters.
  - An C(id) (or any other value that ends up in a URL path) is sent as one escaped path
    segment; an empty one, V(.) or V(..) fails the task before any call.
requirements:
  - Nothing beyond ansible-core and the Python it runs modules with (the HTTP client is the standard library's).
"""
