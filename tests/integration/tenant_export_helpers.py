"""Shared by the tenant export tests: the playbooks run as a user runs them, and tenants seeded through the APIs."""

import contextlib
import json
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import yaml

from tests.conftest import ANSIBLE_BIN, REPO, ansible_env, given_secrets, leaked_secrets, sim_secrets

HOST = "localhost"


def inventory(tmp_path, sims):
    """An inventory whose host talks to ``sims`` (connection options as module_defaults, as the example's)."""
    from tests.integration.plays import connection

    path = tmp_path / ("hosts-%s.yml" % "-".join(s.url.rsplit(":", 1)[-1].strip("/") for s in sims))
    host = {"ansible_connection": "local", "ansible_python_interpreter": sys.executable}
    for sim in sims:
        host["identity_cloud_" + sim.vendor] = connection(sim)
    path.write_text(yaml.safe_dump({"identity_cloud": {"hosts": {HOST: host}}}))
    return path


def playbook(name, sims, tmp_path, extra=None, check=False, diff=False, extra_args=(), secrets=(), env=None):
    """``playbooks/<name>`` (or a playbook file of the test: a path) run from ``tmp_path`` (the user's directory)
    against ``sims``; its output is searched for every secret of the simulators and of ``secrets``."""
    env = dict(ansible_env(tmp_path), **(env or {}))
    env["PWD"] = str(tmp_path / "stale")  # started by a program: $PWD is not the current directory
    cmd = [str(ANSIBLE_BIN / "ansible-playbook"), str(REPO / "playbooks" / name), "-i", str(inventory(tmp_path, sims)),
           "-e", json.dumps(extra or {})] + (["--check"] if check else []) + (["--diff"] if diff else []) + list(extra_args)
    proc = subprocess.run(cmd, cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=900, check=False)
    known = given_secrets(extra or {})
    for sim in sims:
        known.update(sim_secrets(sim))
    known["secret the test seeded"] = list(secrets)
    leaked = leaked_secrets(proc.stdout + proc.stderr, known)
    assert not leaked, "secrets in the output of %s: %s" % (name, leaked)
    return proc


@contextlib.contextmanager
def without_random_faults(sim):
    """The test's own calls (seeding a tenant, reading it back) are not what random faults test: they are off for
    them (``make pytest-random-faults`` turns them on for every simulator of an integration test)."""
    saved, sim.random_faults = getattr(sim, "random_faults", None), None
    try:
        yield
    finally:
        sim.random_faults = saved


def api(sim, method, path, body=None):
    """A call to the simulator's vendor API with its token (how the tests seed a tenant, not through our modules)."""
    token = sim.connection_env().get("BEYONDIDENTITY_API_TOKEN") or sim.issue_token("seed")
    if sim.vendor == "finbourne":
        path = "/identity" + path  # the simulator's mount of the Identity API
    request = urllib.request.Request(sim.url + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": "Bearer %s" % token, "Content-Type": "application/json",
                                              "x-correlation_id": "seed"})
    try:
        with without_random_faults(sim), urllib.request.urlopen(request) as reply:
            text = reply.read()
    except urllib.error.HTTPError as exc:
        raise AssertionError("%s %s: %s %s" % (method, path, exc.code, exc.read()[:500]))
    return json.loads(text) if text else None


def read_export(folder):
    return dict((p.name, p.read_text()) for p in sorted(Path(folder).glob("*.yml")))


# -- tenants seeded through the vendor APIs (every kind, optional fields unset, unicode, names differing in case) ---

IDP_SECRET = "idp-client-secret-seeded-4711"


def seed_finbourne(sim, suffix=""):
    """Roles (one without a description, one unicode; FINBOURNE role names are unique whatever their case), an application, a user with roles
    and a password policy, through the FINBOURNE API."""
    roles = {}
    for name, description in (("Desk" + suffix, "Front office"), ("Back office" + suffix, None), ("Zurich Ops" + suffix, None)):
        body = {"name": name}
        if description:
            body["description"] = description
        roles[name] = api(sim, "POST", "/api/roles", body)
    api(sim, "POST", "/api/applications", {"clientId": "portal-app" + suffix.lower(), "displayName": "Portal Ä",
                                           "type": "Web", "redirectUris": ["https://portal.example.com/cb"]})
    user = api(sim, "POST", "/api/users", {"emailAddress": "zoe%s@example.com" % suffix.lower(),
                                           "login": "zoe%s@example.com" % suffix.lower(), "firstName": "Zoë",
                                           "lastName": "Ångström", "type": "Personal"})
    for name in ("Desk" + suffix, "Zurich Ops" + suffix):
        api(sim, "PUT", "/api/roles/%s/users/%s" % (roles[name]["id"], user["id"]))
    api(sim, "PUT", "/api/authentication/password-policy/Service",
        {"conditions": {"complexity": {"minLength": 16, "excludeFirstName": True, "excludeLastName": True},
                        "age": {"maxAgeDays": 90, "historyCount": 6}, "lockout": {"maxAttempts": 5}}})


def seed_beyond_identity(sim, suffix=""):
    """Every kind the beyond_identity_tenant role manages, through the Beyond Identity API."""
    tenant = "/v1/tenants/%s" % sim.connection_env()["BEYONDIDENTITY_TENANT_ID"]
    realms = dict((r["display_name"], r["id"]) for r in api(sim, "GET", tenant + "/realms")["realms"])
    realms["Zürich" + suffix] = api(sim, "POST", tenant + "/realms", {"realm": {"display_name": "Zürich" + suffix}})["id"]
    default = tenant + "/realms/%s" % realms["Default"]
    zurich = tenant + "/realms/%s" % realms["Zürich" + suffix]
    api(sim, "POST", zurich + "/themes", {"theme": {"email_realm_name": "Zürich Bank", "support_url": "https://help.example.com"}})
    rs = api(sim, "POST", default + "/resource-servers", {"resource_server": {
        "display_name": "Trading API" + suffix, "identifier": "https://trading.example.com" + suffix.lower(),
        "scopes": ["trades:read", "trades:write"]}})
    api(sim, "POST", zurich + "/resource-servers", {"resource_server": {"display_name": "Bare API" + suffix}})
    groups = {}
    for path, name, description in ((default, "Ops", "Operations"), (default, "ops", None), (zurich, "Zürich Desk", None)):
        body = {"display_name": name + suffix}
        if description:
            body["description"] = description
        groups[name] = (path, api(sim, "POST", path + "/groups", {"group": body})["id"])
    identities = {}
    for path, username, email in ((default, "émile" + suffix.lower(), "emile%s@example.com" % suffix.lower()),
                                  (default, "nomail" + suffix.lower(), None), (zurich, "zed" + suffix.lower(), None)):
        traits = {"type": "traits_v0", "username": username}
        if email:
            traits["primary_email_address"] = email
        identities[username] = api(sim, "POST", path + "/identities", {"identity": {"display_name": username.title(),
                                                                                    "traits": traits}})["id"]
    api(sim, "POST", default + "/groups/%s:addMembers" % groups["Ops"][1], {"identity_ids": [identities["émile" + suffix.lower()]]})
    api(sim, "POST", zurich + "/groups/%s:addMembers" % groups["Zürich Desk"][1], {"identity_ids": [identities["zed" + suffix.lower()]]})
    role = api(sim, "POST", default + "/resource-servers/%s/roles" % rs["id"], {"role": {
        "display_name": "Traders" + suffix, "description": "May trade"}})
    api(sim, "POST", default + "/resource-servers/%s/roles" % rs["id"], {"role": {"display_name": "traders" + suffix}})
    role_path = default + "/resource-servers/%s/roles/%s" % (rs["id"], role["id"])
    api(sim, "POST", role_path + ":addMembers", {"group_ids": [groups["Ops"][1]], "identity_ids": [identities["nomail" + suffix.lower()]]})
    api(sim, "POST", role_path + ":addScopes", {"scopes": ["trades:read"]})
    api(sim, "POST", default + "/authenticator-configs", {"authenticator_config": {"config": {
        "type": "embedded", "invoke_url": "https://app.example.com/auth" + suffix.lower(),
        "trusted_origins": ["https://app.example.com"]}}})
    api(sim, "POST", default + "/applications", {"application": {
        "display_name": "Portal" + suffix, "resource_server_id": rs["id"], "protocol_config": {
            "type": "oidc", "allowed_scopes": ["trades:read"], "confidentiality": "confidential",
            "token_endpoint_auth_method": "client_secret_basic", "grant_type": ["authorization_code"],
            "redirect_uris": ["https://portal.example.com/cb"], "pkce": "s256"}}})
    api(sim, "POST", default + "/identity-providers", {"display_name": "Corporate IdP" + suffix, "protocol_config": {
        "type": "oidc_idp", "client_id": "corp-client", "client_secret": IDP_SECRET, "token_scopes": ["openid", "email"],
        "identity_attribute": "email", "identifying_claim_name": "email", "pkce": "s256",
        "authorize_url": "https://idp.example.com/authorize", "token_url": "https://idp.example.com/token",
        "jwks_url": "https://idp.example.com/jwks"}})
    sso = api(sim, "POST", default + "/sso-configs", {"sso_config": {"display_name": "Wiki" + suffix, "payload": {
        "type": "bookmark", "login_link": "https://wiki.example.com/login"}}})
    api(sim, "POST", default + "/sso-configs/%s:addGroups" % sso["id"], {"group_ids": [groups["Ops"][1]]})
    api(sim, "POST", default + "/sso-configs/%s:addIdentities" % sso["id"], {"identity_ids": [identities["émile" + suffix.lower()]]})
