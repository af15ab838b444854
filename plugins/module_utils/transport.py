# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP/1.1 on the standard library: kept-alive connections, TLS, proxies, two timeouts, gzip.

A module process starts for every task. On the standard library a task starts about 0.1
CPU-second sooner than with ``requests`` (its import), and each call costs about a sixth of the
CPU; the collection needs nothing on the controller or in an execution environment beyond
Python and ansible-core. This layer knows nothing of retries, redirects or vendors: that is
``http_client.ApiClient``. It sends one request and reads the whole answer, or raises
``TransportError`` saying whether the request may have reached the server.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import binascii
import http.client
import os
import select
import socket
import ssl
import threading
import zlib
from urllib.parse import quote, unquote, urlencode, urlsplit

PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")
# What stays unescaped in a request target: the reserved characters and "%" (already escaped text).
TARGET_SAFE = "!#$%&'()*+,/:;=?@[]~"
DEFAULT_PORTS = {"http": 80, "https": 443}


class TransportError(Exception):
    """A call without an HTTP answer. ``sent``: the request may have reached the server.

    ``kind`` is one of certificate, tls, client_cert, proxy, connect_timeout, read_timeout, dns, refused, lost,
    invalid.
    """

    def __init__(self, kind, detail, sent):
        self.kind = kind
        self.detail = detail
        self.sent = sent
        super(TransportError, self).__init__(detail)


class RawResponse:
    """An answer read to the end: status, headers (case-insensitive ``get``) and body bytes."""

    __slots__ = ("status", "headers", "content")

    def __init__(self, status, headers, content):
        self.status = status
        self.headers = headers
        self.content = content


def encode_query(params):
    """``params`` as a query string: lists give one pair per item, None values are left out."""
    pairs = []
    for key, value in (params.items() if isinstance(params, dict) else params or ()):
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if item is not None:
                pairs.append((key, item))
    return urlencode(pairs)


def _quoted(value):
    """A multipart parameter value in quotes (the HTML5 way: quote and line breaks escaped)."""
    return '"%s"' % str(value).replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


def encode_multipart(fields=None, files=None):
    """(body, content type) of a multipart/form-data upload.

    ``fields`` maps names to plain values. ``files`` maps names to ``(filename, data)`` or
    ``(filename, data, content type)``; a filename of None makes a plain field.
    """
    boundary = binascii.hexlify(os.urandom(16)).decode("ascii")
    parts = [(name, None, value, None) for name, value in (fields or {}).items()]
    for name, spec in (files or {}).items():
        filename, data = spec[0], spec[1]
        ctype = spec[2] if len(spec) > 2 else None
        parts.append((name, filename, data, ctype or ("application/octet-stream" if filename is not None else None)))
    chunks = []
    for name, filename, data, ctype in parts:
        head = "--%s\r\nContent-Disposition: form-data; name=%s" % (boundary, _quoted(name))
        if filename is not None:
            head += "; filename=%s" % _quoted(filename)
        if ctype:
            head += "\r\nContent-Type: %s" % ctype
        chunks.append((head + "\r\n\r\n").encode("utf-8"))
        chunks.append(data if isinstance(data, bytes) else str(data).encode("utf-8"))
        chunks.append(b"\r\n")
    chunks.append(("--%s--\r\n" % boundary).encode("ascii"))
    return b"".join(chunks), "multipart/form-data; boundary=%s" % boundary


def _bypassed(host, port, no_proxy):
    """Whether NO_PROXY covers ``host``: ``*``, names and domains (``example.com`` or ``.example.com``,
    sub-domains included), ``name:port``, IP addresses and networks (``10.0.0.0/8``)."""
    import ipaddress  # only when NO_PROXY is set

    host = host.lower().strip("[]")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    for entry in no_proxy.lower().replace(" ", ",").split(","):
        entry = entry.strip()
        if entry == "*":
            return True
        if not entry:
            continue
        if address is not None:
            try:
                if address in ipaddress.ip_network(entry.strip("[]"), strict=False):
                    return True
                continue
            except ValueError:
                pass
        if entry.startswith("["):
            name, _sep, rest = entry[1:].partition("]")
            entry_port = rest.lstrip(":")
        elif entry.count(":") == 1:
            name, entry_port = entry.split(":")
        else:
            name, entry_port = entry, ""
        if entry_port and entry_port != str(port):
            continue
        name = name.lstrip("*").lstrip(".")
        if name and (host == name or host.endswith("." + name)):
            return True
    return False


def environ_proxy(url):
    """The proxy the standard variables give for ``url`` (lower case wins, as curl does), or None."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    proxy = None
    for name in ("%s_proxy" % scheme, "%s_PROXY" % scheme.upper(), "all_proxy", "ALL_PROXY"):
        if os.environ.get(name):
            proxy = os.environ[name]
            break
    if not proxy:
        return None
    no_proxy = os.environ.get("no_proxy") or os.environ.get("NO_PROXY") or ""
    if no_proxy and _bypassed(parts.hostname or "", parts.port or DEFAULT_PORTS.get(scheme), no_proxy):
        return None
    return proxy


def tls_context(verify=True, ca_path=None, client_cert=None):
    """The TLS settings: the system's CAs (or ``ca_path``, a file or folder), or no verification.

    ``client_cert`` is ``(certificate file, key file or None)`` for servers that ask for one (mutual TLS);
    a file that cannot be loaded raises ``TransportError`` (kind ``client_cert``) before any connection.
    """
    if not verify:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    elif ca_path and os.path.isdir(ca_path):
        context = ssl.create_default_context(capath=ca_path)
    else:
        context = ssl.create_default_context(cafile=ca_path or None)
    if client_cert and client_cert[0]:
        try:
            context.load_cert_chain(client_cert[0], client_cert[1] or None, password=_no_passphrase)
        except (ssl.SSLError, OSError, ValueError) as exc:
            raise TransportError("client_cert", "client_cert %s%s could not be loaded (%s): give a PEM certificate "
                                 "and its unencrypted PEM key" % (
                                     client_cert[0], " with client_key %s" % client_cert[1] if client_cert[1] else "",
                                     getattr(exc, "reason", None) or getattr(exc, "strerror", None)
                                     or type(exc).__name__), sent=False)
    return context


def _no_passphrase():
    """An encrypted client key would make OpenSSL prompt on the terminal: refuse it instead."""
    raise ValueError("the key is encrypted")


class Transport:
    """Sends requests over a pool of kept-alive connections per origin; safe to share between threads.

    ``timeout`` is (connect, read) in seconds. ``proxy``, when given, carries every request;
    otherwise the standard variables decide per URL. ``proxy_auth`` (user, password) authenticates
    to a proxy whose URL carries no credentials. ``client_cert`` is (certificate file, key file) for
    mutual TLS. ``headers`` go with every request.
    """

    def __init__(self, timeout=(10.0, 30.0), verify=True, ca_path=None, proxy=None, pool_size=10, headers=None,
                 proxy_auth=None, client_cert=None):
        self.timeout = timeout
        self.proxy = proxy
        self.proxy_auth = proxy_auth
        self.client_cert = client_cert
        self.pool_size = pool_size
        self.headers = dict(headers or {})
        self.verify = verify
        self.ca_path = ca_path
        self._context = None
        self._idle = {}
        self._lock = threading.Lock()

    def proxy_for(self, url):
        """The proxy URL a call to ``url`` goes through, or None."""
        return self.proxy or environ_proxy(url)

    def context(self):
        if self._context is None:
            self._context = tls_context(self.verify, self.ca_path, self.client_cert)
        return self._context

    def send(self, method, url, body=None, headers=None):
        """One request and its whole answer as a ``RawResponse``; ``TransportError`` without an answer."""
        parts = urlsplit(url)
        target = quote(parts.path or "/", safe=TARGET_SAFE)
        if parts.query:
            target += "?" + quote(parts.query, safe=TARGET_SAFE)
        proxy = self.proxy_for(url)
        send_headers = {"Accept-Encoding": "gzip"}
        send_headers.update(self.headers)
        send_headers.update(headers or {})
        if proxy and parts.scheme.lower() == "http":  # a plain request goes to the proxy with the whole URL
            target = "%s://%s%s" % (parts.scheme.lower(), parts.netloc.rsplit("@", 1)[-1], target)
            send_headers.update(_proxy_authorization(proxy, self.proxy_auth))
        key = (parts.scheme.lower(), (parts.hostname or "").lower(), parts.port, proxy)
        conn = self._take(key)
        fresh = conn is None
        if fresh:
            conn = self._connect(parts, proxy)
        try:
            conn.request(method, target, body=body, headers=send_headers)
            resp = conn.getresponse()
            content = resp.read()
        except (ValueError, http.client.InvalidURL):  # refused before sending; its text would show the value
            conn.close()
            raise TransportError("invalid", "not sent: a header value or the URL holds characters HTTP does not "
                                 "allow, such as a line break (check the credentials and URL options)", sent=False)
        except (socket.timeout, TimeoutError):
            conn.close()
            raise TransportError("read_timeout", "no answer from %s within %s seconds (timeout)" % (
                _where(parts), self.timeout[1]), sent=True)
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            # TLS 1.3: a server that wants a client certificate ends the connection after the handshake,
            # before it reads the request; its alert may be lost to the reset, so ask it once more.
            refused = _client_cert_refused(exc, parts, self.client_cert) or (
                fresh and parts.scheme.lower() == "https" and self._client_cert_problem(parts, proxy))
            if refused:
                raise refused
            raise TransportError("lost", "connection to %s lost before an answer came" % _where(parts), sent=True)
        if resp.will_close:
            conn.close()
        else:
            self._give_back(key, conn)
        if content and (resp.headers.get("Content-Encoding") or "").strip().lower() == "gzip":
            try:
                content = zlib.decompress(content, 16 + zlib.MAX_WBITS)
            except zlib.error:
                raise TransportError("lost", "the answer of %s is not valid gzip" % _where(parts), sent=True)
        return RawResponse(resp.status, resp.headers, content)

    def close(self):
        with self._lock:
            idle, self._idle = self._idle, {}
        for conns in idle.values():
            for conn in conns:
                conn.close()

    def _take(self, key):
        """An idle connection for ``key`` that the server has not closed meanwhile, or None."""
        while True:
            with self._lock:
                conns = self._idle.get(key)
                if not conns:
                    return None
                conn = conns.pop()
            if conn.sock is not None and not _readable(conn.sock):
                return conn
            conn.close()  # closed by the server (or it sent something unasked): not reusable

    def _give_back(self, key, conn):
        with self._lock:
            conns = self._idle.setdefault(key, [])
            if len(conns) < self.pool_size:
                conns.append(conn)
                return
        conn.close()

    def _connect(self, parts, proxy):
        """A new connection (through the proxy, if any), connected; nothing is sent on failure."""
        via = urlsplit(proxy) if proxy else None
        if via is not None and via.scheme.lower() == "https" and parts.scheme.lower() == "https":
            raise TransportError("proxy", "an https:// proxy cannot carry https:// calls here: give the proxy "
                                 "as http://", sent=False)
        conn = self._new_connection(parts, proxy, self.context())
        try:  # every failure here becomes one line, and nothing was sent
            conn.connect()
        except Exception as exc:  # pylint: disable=broad-except
            conn.close()
            if isinstance(exc, ssl.SSLCertVerificationError) and getattr(exc, "verify_code", None) in NAME_MISMATCH:
                raise _name_mismatch(parts, self._peer_names(parts, proxy))
            raise _client_cert_refused(exc, parts, self.client_cert) or _connect_error(
                exc, parts, via, self.timeout[0])
        conn.sock.settimeout(self.timeout[1])
        return conn

    def _new_connection(self, parts, proxy, context):
        scheme = parts.scheme.lower()
        host, port = parts.hostname or "", parts.port or DEFAULT_PORTS.get(scheme)
        connect_timeout = self.timeout[0]
        if proxy:
            via = urlsplit(proxy)
            proxy_host = via.hostname or ""
            proxy_port = via.port or DEFAULT_PORTS.get(via.scheme.lower())
            if scheme == "https":
                conn = http.client.HTTPSConnection(proxy_host, proxy_port, timeout=connect_timeout, context=context)
                conn.set_tunnel(host, port, headers=_proxy_authorization(proxy, self.proxy_auth))
            elif via.scheme.lower() == "https":
                conn = http.client.HTTPSConnection(proxy_host, proxy_port, timeout=connect_timeout, context=context)
            else:
                conn = http.client.HTTPConnection(proxy_host, proxy_port, timeout=connect_timeout)
        elif scheme == "https":
            conn = http.client.HTTPSConnection(host, port, timeout=connect_timeout, context=context)
        else:
            conn = http.client.HTTPConnection(host, port, timeout=connect_timeout)
        return conn

    def _client_cert_problem(self, parts, proxy):
        """The server's verdict on our client certificate (or its absence) after a handshake, or None."""
        conn = self._new_connection(parts, proxy, self.context())
        try:
            conn.connect()
            conn.sock.settimeout(min(2.0, self.timeout[0]))
            conn.sock.recv(1)  # nothing was sent: only an alert (or nothing) can come
        except Exception as exc:  # pylint: disable=broad-except
            return _client_cert_refused(exc, parts, self.client_cert)
        finally:
            conn.close()
        return None

    def _peer_names(self, parts, proxy):
        """The names the server's certificate holds (read without verifying it, sending nothing), or None."""
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        conn = self._new_connection(parts, proxy, context)
        try:
            conn.connect()
            return certificate_names(conn.sock.getpeercert(binary_form=True))
        except Exception:  # pylint: disable=broad-except
            return None
        finally:
            conn.close()


def _proxy_authorization(proxy, proxy_auth=None):
    """The Proxy-Authorization header: the proxy URL's own credentials, else ``proxy_auth`` (user, password)."""
    parts = urlsplit(proxy)
    if parts.username is not None:
        pair = "%s:%s" % (unquote(parts.username), unquote(parts.password or ""))
    elif proxy_auth and proxy_auth[0]:
        pair = "%s:%s" % (proxy_auth[0], proxy_auth[1] or "")
    else:
        return {}
    return {"Proxy-Authorization": "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")}


def _readable(sock):
    try:
        return bool(select.select([sock], [], [], 0)[0])
    except (OSError, ValueError):
        return True


def _where(parts):
    where = parts.hostname or "the server"
    return "%s:%s" % (where, parts.port) if parts.port else where


def _connect_error(exc, parts, via, connect_timeout):
    """The ``TransportError`` (sent=False) for a connection that could not be made."""
    where = _where(parts)
    if isinstance(exc, ssl.SSLError):
        verify = isinstance(exc, ssl.SSLCertVerificationError)
        detail = "certificate verify failed" if verify else "TLS handshake failed"
        return TransportError("certificate" if verify else "tls",
                              "TLS error with %s (%s): give the CA that signed its certificate in ca_path, or set "
                              "validate_certs false for a test endpoint" % (where, detail), sent=False)
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return TransportError("connect_timeout", "could not connect to %s within %s seconds" % (
            where if via is None else "the proxy %s" % _where(via), connect_timeout), sent=False)
    if via is not None:
        reason = str(exc) if "Tunnel connection failed" in str(exc) else type(exc).__name__
        return TransportError("proxy", "the proxy %s did not connect to %s (%s)" % (_where(via), where, reason),
                              sent=False)
    if isinstance(exc, socket.gaierror):
        return TransportError("dns", "cannot resolve host %s" % (parts.hostname or ""), sent=False)
    if isinstance(exc, ConnectionRefusedError):
        return TransportError("refused", "connection refused by %s" % where, sent=False)
    return TransportError("refused", "could not connect to %s (%s)" % (where, type(exc).__name__), sent=False)


# OpenSSL's X509_V_ERR_HOSTNAME_MISMATCH and X509_V_ERR_IP_ADDRESS_MISMATCH
NAME_MISMATCH = (62, 64)


def _name_mismatch(parts, names):
    where = _where(parts)
    holds = ("it holds %s" % ", ".join(names)) if names else "its names could not be read"
    return TransportError("certificate", "TLS error with %s (certificate verify failed: host name mismatch): the "
                          "certificate is not valid for %s; %s. Call the API by one of those names"
                          % (where, parts.hostname or "", holds), sent=False)


def _client_cert_refused(exc, parts, client_cert):
    """The ``TransportError`` for a server that asked for a client certificate and got none it accepts, or None."""
    reason = (getattr(exc, "reason", None) or str(exc) or "").upper()
    if not isinstance(exc, ssl.SSLError) or isinstance(exc, ssl.SSLCertVerificationError):
        return None
    if "CERTIFICATE_REQUIRED" in reason:
        return TransportError("client_cert", "TLS error with %s: the server asks for a client certificate; give "
                              "client_cert and client_key" % _where(parts), sent=False)
    if not (client_cert and client_cert[0]) and "HANDSHAKE_FAILURE" in reason:
        return TransportError("tls", "TLS error with %s (TLS handshake failed: the server may ask for a client "
                              "certificate; give client_cert and client_key if it does)" % _where(parts), sent=False)
    if client_cert and client_cert[0] and any(word in reason for word in (
            "UNKNOWN_CA", "BAD_CERTIFICATE", "CERTIFICATE_UNKNOWN", "UNSUPPORTED_CERTIFICATE", "CERTIFICATE_EXPIRED",
            "CERTIFICATE_REVOKED", "ACCESS_DENIED", "HANDSHAKE_FAILURE")):
        return TransportError("client_cert", "TLS error with %s: the server refused the client certificate %s (%s)"
                              % (_where(parts), client_cert[0], getattr(exc, "reason", None) or "alert"), sent=False)
    return None


# -- the names a DER certificate holds (subjectAltName, else the subject's common name) --------------

_SAN_OID = b"\x06\x03\x55\x1d\x11"
_CN_OID = b"\x06\x03\x55\x04\x03"


def _der_items(data):
    """(tag, content) of each DER element in ``data``."""
    items, at = [], 0
    while at + 2 <= len(data):
        tag, length = data[at], data[at + 1]
        at += 2
        if length & 0x80:
            count = length & 0x7F
            length = int.from_bytes(data[at:at + count], "big")
            at += count
        items.append((tag, data[at:at + length]))
        at += length
    return items


def certificate_names(der):
    """``DNS:name`` and ``IP:address`` entries of a certificate's subjectAltName, else ``CN:name``; [] if none."""
    import ipaddress  # only on this error path

    try:
        tbs = _der_items(_der_items(_der_items(der)[0][1])[0][1])
        fields = [item for item in tbs if item[0] != 0xA0]  # without the optional [0] version
        subject = fields[4][1]
        names = []
        for tag, content in tbs:
            if tag != 0xA3:
                continue
            for _tag, extension in _der_items(_der_items(content)[0][1]):
                parts = _der_items(extension)
                if parts and parts[0][0] == 0x06 and b"\x06\x03" + parts[0][1] == _SAN_OID:
                    for kind, value in _der_items(_der_items(parts[-1][1])[0][1]):
                        if kind == 0x82:
                            names.append("DNS:" + value.decode("ascii", "replace"))
                        elif kind == 0x87 and len(value) in (4, 16):
                            names.append("IP:%s" % ipaddress.ip_address(value))
        if names:
            return names
        for _set_tag, attribute_set in _der_items(subject):
            for _seq_tag, attribute in _der_items(attribute_set):
                oid, value = _der_items(attribute)[:2]
                if b"\x06\x03" + oid[1] == _CN_OID:
                    return ["CN:" + value[1].decode("utf-8", "replace")]
        return []
    except (IndexError, ValueError, TypeError):
        return []
