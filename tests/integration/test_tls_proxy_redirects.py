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


def _certificate(subject, issuer, issuer_key, public_key, extensions):
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1)))
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical=critical)
    return builder.sign(issuer_key, hashes.SHA256())


def _write(directory, name, cert, key=None):
    files = [directory / (name + ".pem")]
    files[0].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    if key is not None:
        files.append(directory / (name + ".key"))
        files[1].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
    return [str(f) for f in files]


def make_pki(directory):
    """A test CA, a server certificate for 127.0.0.1 and a client certificate, all signed by it.

    Returns a dict: ca, server_cert, server_key, client_cert, client_key (file names).
    """
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _certificate(_name("identity.cloud test CA"), _name("identity.cloud test CA"), ca_key, ca_key.public_key(), [
        (x509.BasicConstraints(ca=True, path_length=None), True),
        (x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
                       key_encipherment=False, data_encipherment=False, key_agreement=False,
                       encipher_only=False, decipher_only=False), True),
        (x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)])
    files = {"ca": _write(directory, "ca", ca)[0]}
    for role, usage, names in (
            ("server", x509.oid.ExtendedKeyUsageOID.SERVER_AUTH, [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            ("client", x509.oid.ExtendedKeyUsageOID.CLIENT_AUTH, [x509.DNSName("automation.identity.cloud.test")])):
        key = ec.generate_private_key(ec.SECP256R1())
        cert = _certificate(_name("127.0.0.1" if role == "server" else "automation"), ca.subject, ca_key,
                            key.public_key(), [
                                (x509.SubjectAlternativeName(names), False),
                                (x509.ExtendedKeyUsage([usage]), False),
                                (x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False)])
        files[role + "_cert"], files[role + "_key"] = _write(directory, role, cert, key)
    return files


def make_ca(directory):
    """A test CA and a certificate for 127.0.0.1 signed by it; returns (ca file, cert file, key file)."""
    pki = make_pki(directory)
    return pki["ca"], pki["server_cert"], pki["server_key"]


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


PROXY_SECRETS = ["pr0xy-pa55", "pr0xy-opti0n-pa55"]
# One module per vendor, with its own required options.
VENDOR_TASKS = {"finbourne": ("identity.cloud.finbourne_role", {"name": "Proxied"}),
                "sailpoint": ("identity.cloud.sailpoint_source_info", {}),
                "beyond_identity": ("identity.cloud.beyond_identity_group", GROUP)}


def test_proxy_credentials_never_reach_the_output(finbourne_sim, sailpoint_sim, beyond_identity_sim, run_playbook):
    sims = {"finbourne": finbourne_sim, "sailpoint": sailpoint_sim, "beyond_identity": beyond_identity_sim}
    bi = beyond_identity_sim
    plays = []
    for vendor, sim in sims.items():
        module, args = VENDOR_TASKS[vendor]
        # a misspelled option fails the argument check, which returns the task's arguments (invocation)
        plays += play(sim, [task("misspelled beside the proxy", module, errors=True, proxy_pasword="x",
                                 proxy="http://puser:pr0xy-pa55@127.0.0.1:9", proxy_username="puser",
                                 proxy_password="pr0xy-opti0n-pa55", **args)], name=vendor)
    plays += play(bi, [
        task("through the proxy", "identity.cloud.beyond_identity_group", proxy=bi.url.replace("http://", "http://puser:pr0xy-pa55@"),
             **GROUP),
        task("proxy credentials as options", "identity.cloud.beyond_identity_group", proxy=bi.url, proxy_username="puser",
             proxy_password="pr0xy-opti0n-pa55", **GROUP),
        task("bad proxy", "identity.cloud.beyond_identity_group", errors=True,
             proxy="http://puser:pr0xy-pa55@127.0.0.1:9", max_retries=0, **GROUP),
    ], name="through the proxy")
    run = run_playbook(plays, verbosity=4, diff=True, secrets=PROXY_SECRETS)  # the harness fails on any hit
    misspelled = [t for t in run.tasks if t["name"] == "misspelled beside the proxy"]
    assert len(misspelled) == 3
    for record in misspelled:
        result = record.result
        assert record.failed and "proxy_pasword" in result["msg"], result
        shown = result["invocation"]["module_args"]
        assert shown["proxy"] == shown["proxy_password"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER", shown
    assert run.task("through the proxy").changed and not run.task("proxy credentials as options").changed
    bad = run.task("bad proxy")
    assert bad.failed and "the proxy 127.0.0.1:9 " in bad.result["msg"] and "\n" not in bad.result["msg"]


def test_a_certificate_for_another_name_says_which_names_it_holds(tls_sim):
    sim, ca, _other = tls_sim
    sim.reset()
    port = sim.server.server_address[1]
    other_name = sim.url.replace("127.0.0.1", "localhost")
    msg = one_line(run_module("beyond_identity_group", dict(options(sim, ca_path=ca, api_base_url=other_name,
                                                                    auth_base_url=other_name), **GROUP)))
    assert msg.endswith("TLS error with localhost:%d (certificate verify failed: host name mismatch): the certificate "
                        "is not valid for localhost; it holds IP:127.0.0.1. Call the API by one of those names" % port), msg
    assert sim.log == []


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


# -- mutual TLS: every vendor behind a gateway that requires a client certificate ----------------------

MTLS_ENV = {"finbourne": "FBN_TLS_", "sailpoint": "SAIL_TLS_", "beyond_identity": "BEYONDIDENTITY_TLS_"}


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return make_pki(tmp_path_factory.mktemp("pki")), make_pki(tmp_path_factory.mktemp("stranger"))


@pytest.fixture(params=sorted(MTLS_ENV))
def mtls_sim(request, pki):
    ours, _stranger = pki
    sim = SIMULATORS[request.param]()
    sim.start(tls=(ours["server_cert"], ours["server_key"]), client_ca=ours["ca"])
    yield sim
    sim.stop()


def test_a_gateway_that_requires_a_client_certificate(mtls_sim, pki, monkeypatch):
    sim = mtls_sim
    ours, stranger = pki
    module, args = VENDOR_TASKS[sim.vendor]
    name = module.split(".")[-1]
    base = options(sim, ca_path=ours["ca"])

    msg = one_line(run_module(name, dict(base, **args)))
    assert "the server asks for a client certificate; give client_cert and client_key" in msg, msg
    msg = one_line(run_module(name, dict(base, client_cert=stranger["client_cert"], client_key=stranger["client_key"],
                                         **args)))
    assert "the server refused the client certificate %s" % stranger["client_cert"] in msg, msg
    assert sim.log == [], "a request reached the application without an accepted client certificate"

    result = run_module(name, dict(base, client_cert=ours["client_cert"], client_key=ours["client_key"], **args))
    assert not result.get("failed"), result
    assert sim.tokens and sim.log, "nothing reached the simulator"
    if sim.vendor != "sailpoint":  # a create: read back through the API the module used
        assert result["changed"] and sim.writes()

    # the vendor's environment variables stand in for the options
    prefix = MTLS_ENV[sim.vendor]
    monkeypatch.setenv(prefix + "CLIENT_CERT", ours["client_cert"])
    monkeypatch.setenv(prefix + "CLIENT_KEY", ours["client_key"])
    result = run_module(name, dict(base, **args))
    assert not result.get("failed") and not result["changed"], result


def test_client_certificate_options_that_cannot_work_fail_before_any_call(beyond_identity_sim, pki, tmp_path):
    sim = beyond_identity_sim
    ours, _stranger = pki
    for given, expected in (
            ({"client_key": ours["client_key"]}, "client_key needs client_cert (the certificate the key belongs to)"),
            ({"client_cert": "/no/such/cert.pem"}, "client_cert /no/such/cert.pem is not a file"),
            ({"client_cert": ours["client_cert"], "client_key": ours["ca"]}, "client_cert %s with client_key %s could "
             "not be loaded" % (ours["client_cert"], ours["ca"])),
            ({"client_cert": ours["client_cert"]}, "client_cert %s could not be loaded" % ours["client_cert"])):
        msg = one_line(run_module("beyond_identity_group", dict(options(sim), **dict(GROUP, **given))))
        assert msg.startswith(expected), msg
    # one file holding the certificate and its key is enough
    both = tmp_path / "both.pem"
    both.write_text(open(ours["client_cert"]).read() + open(ours["client_key"]).read())
    assert run_module("beyond_identity_group", dict(options(sim, client_cert=str(both)), **GROUP))["changed"]
    assert len(sim.writes()) == 1
