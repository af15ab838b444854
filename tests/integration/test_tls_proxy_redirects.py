"""TLS, proxies and redirects: the task's options win over the environment; nothing follows a redirect off its origin.

The simulators serve HTTPS with a CA this test generates (``cryptography``). Modules run in-process
(``plays.run_module``) so the environment variables set here are the ones the HTTP client sees;
the proxy credentials check runs one real playbook at -vvvv.
"""

import datetime
import ipaddress

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.integration.plays import module_options, play, run_module, task
from tests.simulators import SIMULATORS

pytestmark = pytest.mark.no_random_faults  # max_retries 0: one try per case

GROUP = {"realm": "Default", "display_name": "TLS Group"}
ENV_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "NO_PROXY", "no_proxy",
                 "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")


def _name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_ca(directory):
    """A test CA and a certificate for 127.0.0.1 signed by it; returns (ca file, cert file, key file)."""
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(_name("identity.cloud test CA")).issuer_name(_name("identity.cloud test CA"))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
                                       key_encipherment=False, data_encipherment=False, key_agreement=False,
                                       encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(_name("127.0.0.1")).issuer_name(ca.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    files = (directory / "ca.pem", directory / "server.pem", directory / "server.key")
    files[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    files[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    files[2].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return tuple(str(f) for f in files)


@pytest.fixture(scope="module")
def tls_sim(tmp_path_factory):
    ca, cert, key = make_ca(tmp_path_factory.mktemp("ca"))
    other_ca = make_ca(tmp_path_factory.mktemp("other-ca"))[0]
    sim = SIMULATORS["beyond_identity"]()
    sim.start(tls=(cert, key))
    yield sim, ca, other_ca
    sim.stop()


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in ENV_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def options(sim, **extra):
    return dict(module_options(sim), token_cache=False, max_retries=0, **extra)


def one_line(result):
    assert result.get("failed"), result
    assert "\n" not in result["msg"] and "Traceback" not in result["msg"] and len(result["msg"]) < 400, result["msg"]
    return result["msg"]


def test_tls_fails_in_one_line_by_default_and_works_with_ca_path_or_without_verification(tls_sim, monkeypatch):
    sim, ca, other_ca = tls_sim
    sim.reset()
    assert sim.url.startswith("https://")
    msg = one_line(run_module("beyond_identity_group", dict(options(sim), **GROUP)))
    assert "TLS error with 127.0.0.1:%d (certificate verify failed)" % sim.server.server_address[1] in msg
    assert "ca_path" in msg and sim.writes() == []

    # whatever the environment says: a wrong CA bundle in both variables does not beat the task's options
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", other_ca)
    monkeypatch.setenv("CURL_CA_BUNDLE", other_ca)
    assert run_module("beyond_identity_group", dict(options(sim, ca_path=ca), **GROUP))["changed"]
    assert not run_module("beyond_identity_group", dict(options(sim, validate_certs=False), **GROUP))["changed"]
    assert "certificate verify failed" in one_line(run_module("beyond_identity_group", dict(options(sim), **GROUP)))
    # with nothing in the task, the environment's bundle is the fallback
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", ca)
    monkeypatch.delenv("CURL_CA_BUNDLE")
    assert not run_module("beyond_identity_group", dict(options(sim), **GROUP))["changed"]
    assert len(sim.writes()) == 1


def test_a_missing_ca_file_or_a_bad_url_is_one_line(tls_sim, monkeypatch):
    sim, _ca, _other = tls_sim
    sim.reset()
    msg = one_line(run_module("beyond_identity_group", dict(options(sim, ca_path="/no/such/ca.pem"), **GROUP)))
    assert msg == "ca_path /no/such/ca.pem does not exist"
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/no/such/bundle.pem")
    msg = one_line(run_module("beyond_identity_group", dict(options(sim), **GROUP)))
    assert msg == "REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE /no/such/bundle.pem does not exist"
    for url, problem in (("ftp://example.com", "must be an http:// or https:// URL"),
                         ("https://exa mple.com", "must not contain spaces or control characters"),
                         ("https://example.com/\r\nX-Evil: 1", "must not contain spaces or control characters")):
        msg = one_line(run_module("beyond_identity_group", dict(options(sim, api_base_url=url), **GROUP)))
        assert msg.startswith("api_base_url " + problem), msg
    assert sim.log == []


def test_the_proxy_option_wins_over_the_environment(beyond_identity_sim, monkeypatch):
    """The simulator answers absolute-URI requests, so it can stand in for an HTTP proxy to itself."""
    sim = beyond_identity_sim
    dead = "http://envuser:envsecret@127.0.0.1:9"
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(name, dead)
    msg = one_line(run_module("beyond_identity_group", dict(options(sim), **GROUP)))
    assert "proxy" in msg and "envsecret" not in msg
    proxy = sim.url.replace("http://", "http://puser:pr0xy-pa55@")
    result = run_module("beyond_identity_group", dict(options(sim, proxy=proxy), **GROUP))
    assert result["changed"] and "pr0xy-pa55" not in str(result)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    assert not run_module("beyond_identity_group", dict(options(sim), **GROUP))["changed"]


def test_proxy_credentials_never_reach_the_output(beyond_identity_sim, run_playbook):
    sim = beyond_identity_sim
    proxy = sim.url.replace("http://", "http://puser:pr0xy-pa55@")
    run = run_playbook(play(sim, [
        task("through the proxy", "identity.cloud.beyond_identity_group", proxy=proxy, **GROUP),
        task("bad proxy", "identity.cloud.beyond_identity_group", errors=True,
             proxy="http://puser:pr0xy-pa55@127.0.0.1:9", max_retries=0, **GROUP),
    ]), verbosity=4, diff=True, secrets=["pr0xy-pa55"])  # the harness fails on any hit in the output
    assert run.task("through the proxy").changed
    bad = run.task("bad proxy")
    assert bad.failed and "proxy" in bad.result["msg"] and "\n" not in bad.result["msg"]
    assert "http://********@127.0.0.1" in run.stdout  # the proxy option is shown, its credentials masked


@pytest.mark.parametrize("status", [307, 308])
def test_no_redirect_to_another_origin_carries_a_secret(beyond_identity_sim, finbourne_sim, status):
    sim = beyond_identity_sim
    thief = SIMULATORS["beyond_identity"]()
    thief.start()
    try:
        # the token request (client secret in the Authorization header and form) and a create (a body)
        sim.inject("redirect", status=status, location=thief.url + "/steal", path="/token$")
        msg = one_line(run_module("beyond_identity_group", dict(module_options(sim, client_credentials=True),
                                                                token_cache=False, **GROUP)))
        assert "redirected to %s/steal; not followed" % thief.url in msg
        sim.inject("redirect", status=status, location=thief.url + "/steal", method="POST", path="/groups$")
        msg = one_line(run_module("beyond_identity_group", dict(options(sim), **GROUP)))
        assert msg.startswith("POST /v1/tenants/") and "redirected to %s/steal" % thief.url in msg
        # FINBOURNE's password grant: username, password, client id and secret in the body
        finbourne_sim.inject("redirect", status=status, location=thief.url + "/steal", path="/token$")
        result = run_module("finbourne_role", dict(module_options(finbourne_sim), token_cache=False, max_retries=0,
                                                   name="Redirected"))
        assert "redirected to %s/steal" % thief.url in one_line(result)
        assert thief.log == [] and thief.faulted == []
    finally:
        thief.stop()
