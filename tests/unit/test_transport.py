"""The standard-library transport: query and multipart encoding, NO_PROXY, kept-alive connections,
an HTTPS call through a CONNECT proxy, and which failures say the request may have been sent."""

import email
import gzip
import json
import socket
import threading

import pytest

from ansible_collections.identity.cloud.plugins.module_utils import transport
from ansible_collections.identity.cloud.plugins.module_utils.auth import OAuthToken, StaticToken
from ansible_collections.identity.cloud.plugins.module_utils.http_client import ApiClient, ApiError, RetryPolicy
from tests.integration.test_tls_proxy_redirects import make_ca
from tests.unit.test_http_client import ToySimulator


def test_query_leaves_out_none_and_repeats_lists():
    assert transport.encode_query({"a": "x y", "b": None, "c": ["1", 2], "d": 'name eq "S"'}) == (
        "a=x+y&c=1&c=2&d=name+eq+%22S%22")
    assert transport.encode_query({}) == ""


def test_multipart_parts_parse_back_with_their_names_files_and_types():
    body, ctype = transport.encode_multipart({"mode": "full"}, {
        "file": ('a "b".csv', b"id\n1\n", "text/csv"), "flag": (None, "true"), "blob": ("x.bin", b"\x00\x01")})
    message = email.message_from_bytes(b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + body)
    parts = {part.get_param("name", header="content-disposition"): part for part in message.get_payload()}
    assert sorted(parts) == ["blob", "file", "flag", "mode"]
    assert parts["file"].get_filename() == "a %22b%22.csv" and parts["file"].get_content_type() == "text/csv"
    assert parts["file"].get_payload(decode=True) == b"id\n1\n"
    assert parts["flag"].get_filename() is None and parts["flag"].get_payload() == "true"
    assert parts["blob"].get_content_type() == "application/octet-stream"
    assert parts["blob"].get_payload(decode=True) == b"\x00\x01"


@pytest.mark.parametrize("no_proxy, host, port, bypassed", [
    ("*", "api.example.com", 443, True),
    ("example.com", "api.example.com", 443, True),
    (".example.com", "example.com", 443, True),
    ("example.com", "badexample.com", 443, False),
    ("api.example.com:8443", "api.example.com", 443, False),
    ("api.example.com:443", "api.example.com", 443, True),
    ("10.0.0.0/8, 127.0.0.1", "10.1.2.3", 443, True),
    ("10.0.0.0/8", "11.1.2.3", 443, False),
    ("127.0.0.1", "127.0.0.1", 8080, True),
    ("[::1]:8080", "::1", 8080, True),
    ("", "api.example.com", 443, False),
])
def test_no_proxy_matches_names_domains_ports_and_networks(no_proxy, host, port, bypassed):
    assert transport._bypassed(host, port, no_proxy) is bypassed


def test_the_proxy_variables_lower_case_first_then_all_proxy(monkeypatch):
    for name in transport.PROXY_VARIABLES + ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    assert transport.environ_proxy("https://api.example.com") is None
    monkeypatch.setenv("ALL_PROXY", "http://all:3128")
    monkeypatch.setenv("HTTPS_PROXY", "http://upper:3128")
    assert transport.environ_proxy("https://api.example.com") == "http://upper:3128"
    monkeypatch.setenv("https_proxy", "http://lower:3128")
    assert transport.environ_proxy("https://api.example.com") == "http://lower:3128"
    assert transport.environ_proxy("http://api.example.com") == "http://all:3128"
    monkeypatch.setenv("NO_PROXY", "example.com")
    assert transport.environ_proxy("https://api.example.com") is None


class SocketServer:
    """Accepts connections on a free local port and serves each with ``serve(conn)`` in a thread."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepted = 0
        self.open = []
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                conn, _addr = self.listener.accept()
            except OSError:
                return
            self.accepted += 1
            self.open.append(conn)
            threading.Thread(target=self.serve, args=(conn,), daemon=True).start()

    def serve(self, conn):
        raise NotImplementedError

    @staticmethod
    def read_head(conn):
        """The request line and the headers (lower-case names) of the next request on ``conn``."""
        reader = conn.makefile("rb")
        line = reader.readline().decode()
        headers = {}
        for header in iter(reader.readline, b"\r\n"):
            name, _sep, value = header.decode().partition(":")
            headers[name.strip().lower()] = value.strip()
        return line.strip(), headers

    def drop_idle(self):
        """Close every connection accepted so far, as a server does with idle kept-alive ones."""
        for conn in self.open:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            conn.close()
        self.open = []

    def close(self):
        self.listener.close()
        self.drop_idle()


class KeepAliveServer(SocketServer):
    """Answers every request on a connection with 200 and keeps it open, until told to drop idle ones."""

    def serve(self, conn):
        reader = conn.makefile("rb")
        try:
            while True:
                line = reader.readline()
                if not line:
                    return
                while reader.readline() not in (b"\r\n", b""):
                    pass
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
        except OSError:
            return


def test_connections_are_kept_alive_and_one_the_server_closed_is_not_reused():
    server = KeepAliveServer()
    try:
        client = ApiClient("http://127.0.0.1:%d" % server.port, retry=RetryPolicy(max_retries=0))
        for _call in range(3):
            assert client.get("/x").status == 200
        assert server.accepted == 1
        server.drop_idle()
        # max_retries 0: the POST would fail if it were written to the closed connection
        assert client.post("/x", {"a": 1}).status == 200
        assert server.accepted == 2
    finally:
        server.close()


class GzipServer(SocketServer):
    """Answers with a gzip-compressed JSON body when the request accepts gzip, else plain; records the header."""

    def __init__(self):
        self.accept_encoding = []
        super(GzipServer, self).__init__()

    def serve(self, conn):
        _line, headers = self.read_head(conn)
        self.accept_encoding.append(headers.get("accept-encoding"))
        body = json.dumps({"items": list(range(100))}).encode()
        extra = b""
        if "gzip" in (headers.get("accept-encoding") or ""):
            body, extra = gzip.compress(body), b"Content-Encoding: gzip\r\n"
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + extra +
                     b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)
        conn.close()


def test_answers_are_asked_for_gzip_and_read_back_plain():
    server = GzipServer()
    try:
        client = ApiClient("http://127.0.0.1:%d" % server.port, retry=RetryPolicy(max_retries=0))
        assert client.get("/x").data == {"items": list(range(100))}
        assert server.accept_encoding == ["gzip"]
    finally:
        server.close()


class ConnectProxy(SocketServer):
    """An HTTP proxy that only tunnels (CONNECT), recording each request line and Proxy-Authorization."""

    def __init__(self):
        self.seen = []
        super(ConnectProxy, self).__init__()

    def serve(self, conn):
        line, headers = self.read_head(conn)
        self.seen.append((line, headers.get("proxy-authorization")))
        host, port = line.split()[1].rsplit(":", 1)
        upstream = socket.create_connection((host, int(port)))
        conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        for source, sink in ((conn, upstream), (upstream, conn)):
            threading.Thread(target=self.pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def pipe(source, sink):
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


@pytest.fixture(scope="module")
def tls_toy(tmp_path_factory):
    ca, cert, key = make_ca(tmp_path_factory.mktemp("ca"))
    sim = ToySimulator()
    sim.start(tls=(cert, key))
    yield sim, ca
    sim.stop()


def toy_client(sim, **options):
    auth = OAuthToken(sim.url + "/token", "cid", "s3cret", {"grant_type": "client_credentials"})
    return ApiClient(sim.url, auth=auth, **options)


def test_https_goes_through_a_connect_tunnel_with_the_proxy_credentials(tls_toy):
    sim, ca = tls_toy
    sim.reset()
    proxy = ConnectProxy()
    try:
        proxy_url = "http://pu%%40ser:p%%3Ass@127.0.0.1:%d" % proxy.port
        client = toy_client(sim, ca_path=ca, proxy=proxy_url, retry=RetryPolicy(max_retries=0))
        assert len(client.get("/items").data) == 7
        assert client.post("/items", {"name": "tunnelled"}).status == 201
        port = sim.server.server_address[1]
        # "pu@ser:p:ss" in Basic form; one tunnel carried the token request and both calls
        assert [(line.rsplit(" ", 1)[0], auth) for line, auth in proxy.seen] == [
            ("CONNECT 127.0.0.1:%d" % port, "Basic cHVAc2VyOnA6c3M=")]
        refused = toy_client(sim, ca_path=ca, proxy="http://127.0.0.1:9", retry=RetryPolicy(max_retries=0))
        expected = r"^POST https://127.0.0.1:%d/token failed the proxy 127.0.0.1:9 did not connect to 127.0.0.1:%d "
        with pytest.raises(ApiError, match=expected % (port, port)) as err:
            refused.get("/items")
        assert not err.value.ambiguous
    finally:
        proxy.close()


def test_an_untrusted_certificate_fails_at_once_and_says_nothing_was_sent(tls_toy):
    sim, _ca = tls_toy
    sim.reset()
    sleeps = []
    client = toy_client(sim, retry=RetryPolicy(max_retries=3, sleep=sleeps.append))
    with pytest.raises(ApiError, match="certificate verify failed") as err:
        client.get("/items")
    assert sleeps == [] and not err.value.ambiguous
    assert toy_client(sim, validate_certs=False).get("/items").status == 200


def test_a_header_http_refuses_fails_at_once_without_its_value(tls_toy):
    sim, _ca = tls_toy
    sim.reset()
    sleeps = []
    client = ApiClient(sim.url, auth=StaticToken("s3cr3t-token\nX-Evil: 1"), validate_certs=False,
                       retry=RetryPolicy(max_retries=3, sleep=sleeps.append))
    with pytest.raises(ApiError, match="holds characters HTTP does not allow") as err:
        client.get("/items")
    assert "s3cr3t" not in str(err.value) and sleeps == [] and not err.value.ambiguous
    assert sim.log == []


def test_proxy_username_and_password_authenticate_to_a_proxy_url_without_credentials(tls_toy):
    sim, ca = tls_toy
    sim.reset()
    proxy = ConnectProxy()
    try:
        client = toy_client(sim, ca_path=ca, proxy="http://127.0.0.1:%d" % proxy.port, retry=RetryPolicy(max_retries=0))
        client.transport.proxy_auth = ("pu@ser", "p:ss")
        assert client.get("/items").status == 200
        assert [auth for _line, auth in proxy.seen] == ["Basic cHVAc2VyOnA6c3M="]
    finally:
        proxy.close()


def test_the_names_a_certificate_holds(tmp_path):
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    from tests.integration.test_tls_proxy_redirects import make_pki

    pki = make_pki(tmp_path)
    for name, expected in (("server_cert", ["IP:127.0.0.1"]), ("client_cert", ["DNS:automation.identity.cloud.test"]),
                           ("ca", ["CN:identity.cloud test CA"])):  # no subjectAltName: the common name
        der = x509.load_pem_x509_certificate(open(pki[name], "rb").read()).public_bytes(serialization.Encoding.DER)
        assert transport.certificate_names(der) == expected
    assert transport.certificate_names(b"\x30\x03garbage") == []
