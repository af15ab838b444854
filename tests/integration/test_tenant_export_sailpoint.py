"""Tenant export, SailPoint part (issue 23): a tenant seeded through the vendor API with every kind of object that
hangs on a source is exported to sailpoint_source_onboarding.yml; converging that file against the same tenant
changes nothing (check mode and for real, 0 writes); a second export is byte-equal; promoting it to a second tenant
(other server ids, one source already there, one of its own) makes that tenant's export equal to the first one."""

import json
import urllib.request

import pytest
import yaml

from tests.integration.plays import connection
from tests.integration.tenant_export_helpers import without_random_faults
from tests.simulators.sailpoint import (ADMIN_ID, CLIENT_ID, CLIENT_SECRET, CLUSTERS, PASSWORD_POLICIES, WORKGROUPS,
                                        SailPointSimulator)

FILE = "sailpoint_source_onboarding.yml"
VARIABLE = "sailpoint_source_onboarding_sources"
ROLE = "identity.cloud.sailpoint_source_onboarding : "
LDAP_PASSWORD = "ldap-bind-Pa55word-42"
CLIENT_SECRET_VALUE = "ws-client-secret-7731"
UNICODE = "Zürich Ärzte – Personalverwaltung ✓"
PARTS = ["schemas", "provisioning_policies", "schedules", "correlation_config", "attribute_sync_config",
         "entitlement_request_config", "native_change_detection_config"]


class Tenant:
    """Calls to the simulator's vendor API, as a script of the tenant's administrators would make them."""

    def __init__(self, sim):
        self.sim = sim
        self.token = self.call("POST", "/oauth/token", form="grant_type=client_credentials&client_id=%s&client_secret=%s"
                               % (CLIENT_ID, CLIENT_SECRET))["access_token"]

    def call(self, method, path, body=None, form=None, content_type="application/json"):
        headers = {"X-SailPoint-Experimental": "true"}
        data = None
        if isinstance(body, bytes):
            data, headers["Content-Type"] = body, content_type
        elif form is not None:
            data, headers["Content-Type"] = form.encode(), "application/x-www-form-urlencoded"
        elif body is not None:
            data, headers["Content-Type"] = json.dumps(body).encode(), content_type
        if getattr(self, "token", None):
            headers["Authorization"] = "Bearer " + self.token
        request = urllib.request.Request(self.sim.url + path, data=data, method=method, headers=headers)
        with without_random_faults(self.sim), urllib.request.urlopen(request) as answer:
            text = answer.read()
        return json.loads(text) if text else None

    def source(self, body, csv=False):
        return self.call("POST", "/v2024/sources" + ("?provisionAsCsv=true" if csv else ""), body)["id"]

    def part(self, method, source_id, sub, body, content_type="application/json"):
        return self.call(method, "/v2024/sources/%s/%s" % (source_id, sub), body, content_type=content_type)


def ref(kind, pair):
    return {"type": kind, "id": pair[0], "name": pair[1]}


def unlimited(sim):
    """The connection options, without the vendor's rate limit (on both sides: it is not what these tests are about
    and would make them wait)."""
    sim.rate_limit = None
    return dict(connection(sim), rate_limit=0)


def seed(sim):
    """Sources with everything that can hang on one, optional fields unset on others, a unicode name, schemas and
    policies whose names differ only in case."""
    api = Tenant(sim)
    owner = {"type": "IDENTITY", "id": ADMIN_ID}
    ldap = api.source({
        "name": "HR Directory", "description": "Employees' directory accounts", "owner": owner,
        "cluster": ref("CLUSTER", CLUSTERS[0]), "managementWorkgroup": ref("GOVERNANCE_GROUP", WORKGROUPS[0]),
        "connector": "ldap", "authoritative": True, "deleteThreshold": 25, "features": ["SEARCH", "AUTHENTICATE"],
        "connectorAttributes": {"host": "ldap.example.com", "port": 636, "useSSL": True, "password": LDAP_PASSWORD,
                                "searchDNs": [{"searchDN": "ou=people,dc=example,dc=com", "iterateSearchFilter": "(uid=*)"},
                                              {"searchDN": "ou=contractors,dc=example,dc=com"}],
                                "pageSize": None, "group": {"objectClass": "groupOfNames", "members": ["b", "a"]}}})
    api.part("POST", ldap, "schemas", {
        "name": "Group", "nativeObjectType": "groupOfUniqueNames", "identityAttribute": "dn",
        "displayAttribute": "cn", "hierarchyAttribute": "memberOf", "includePermissions": True,
        "features": ["PROVISIONING"], "configuration": {"groupMemberAttribute": "uniqueMember"},
        "attributes": [{"name": "dn", "type": "STRING", "description": "Distinguished name"},
                       {"name": "cn", "type": "STRING", "isMulti": False},
                       {"name": "uniqueMember", "type": "STRING", "isMulti": True, "isEntitlement": True}]})
    api.part("POST", ldap, "provisioning-policies", {
        "name": "Account", "usageType": "CREATE", "description": "New directory account",
        "fields": [{"name": "uid", "transform": {"type": "identityAttribute", "attributes": {"name": "uid"}},
                    "attributes": {}, "type": "string", "isMultiValued": False},
                   {"name": "mail", "type": "string"}, {"name": "cn", "type": "string"}]})
    api.part("POST", ldap, "provisioning-policies", {"name": "account", "usageType": "DISABLE", "fields": []})
    api.part("POST", ldap, "schedules", {"type": "ACCOUNT_AGGREGATION", "cronExpression": "0 0 2 * * ?"})
    api.part("POST", ldap, "schedules", {"type": "GROUP_AGGREGATION", "cronExpression": "0 30 3 ? * MON"})
    api.part("PUT", ldap, "correlation-config", {"name": "HR Directory Account Correlation", "attributeAssignments": [
        {"property": "uid", "value": "uid", "operation": "EQ", "ignoreCase": True, "matchMode": "ANYWHERE"},
        {"property": "email", "value": "mail", "operation": "EQ"}]})
    api.part("PUT", ldap, "attribute-sync-config", {
        "source": {"type": "SOURCE", "id": ldap, "name": "HR Directory"},
        "attributes": [{"name": "email", "displayName": "Email", "enabled": True, "target": "mail"},
                       {"name": "firstname", "displayName": "First Name", "enabled": False, "target": "givenName"},
                       {"name": "lastname", "displayName": "Last Name", "enabled": True, "target": "sn"}]})
    api.part("PUT", ldap, "entitlement-request-config", {
        "accessRequestConfig": {"approvalSchemes": [{"approverType": "SOURCE_OWNER", "approverId": None},
                                                    {"approverType": "MANAGER", "approverId": None}],
                                "requestCommentRequired": True, "denialCommentRequired": False,
                                "reauthorizationRequired": False, "requireEndDate": True,
                                "maxPermittedAccessDuration": {"value": 30, "timeUnit": "DAYS"}},
        "revocationRequestConfig": {"approvalSchemes": [{"approverType": "ENTITLEMENT_OWNER", "approverId": None}]}})
    api.part("PUT", ldap, "native-change-detection-config", {
        "enabled": True, "operations": ["ACCOUNT_UPDATED", "ACCOUNT_CREATED"], "allEntitlements": False,
        "allNonEntitlementAttributes": True, "selectedEntitlements": ["memberOf"], "selectedNonEntitlementAttributes": []})
    api.part("PATCH", ldap, "password-policies", [{"policyId": PASSWORD_POLICIES[1][0], "policyName": PASSWORD_POLICIES[1][1]}])

    tickets = api.source({"name": "Ticketing", "owner": owner, "connector": "web-services", "category": None,
                          "connectorAttributes": {"genericWebServiceBaseUrl": "https://tickets.example.com/api",
                                                  "authenticationMethod": "OAuth2Login",
                                                  "client_secret": CLIENT_SECRET_VALUE}})
    api.part("POST", tickets, "schedules", {"type": "ACCOUNT_AGGREGATION", "cronExpression": "0 15 1 * * ?"})
    # what the role does not manage: an uploaded connector file, a manager correlation mapping (not exported)
    upload = (b'--b0undary\r\nContent-Disposition: form-data; name="file"; filename="driver.jar"\r\n'
              b"Content-Type: application/octet-stream\r\n\r\nPK\x03\x04jar\r\n--b0undary--\r\n")
    api.part("POST", tickets, "upload-connector-file", upload, "multipart/form-data; boundary=b0undary")
    api.call("PATCH", "/v2024/sources/" + tickets, [{"op": "add", "path": "/managerCorrelationMapping", "value": {
        "accountAttributeName": "manager", "identityAttributeName": "uid"}}], content_type="application/json-patch+json")
    api.source({"name": "HR Feed", "owner": {"type": "IDENTITY", "id": "2c9180857182305e0171993735622949"},
                "connector": "delimited-file", "description": "Nightly CSV"}, csv=True)
    api.source({"name": UNICODE, "owner": owner, "connector": "jdbc"})  # optional fields unset


def export_play(sim, folder, include=(), exclude=()):
    """The tenant export role (as playbooks/export_tenants.yml runs it) against ``sim``, into ``folder``."""
    return [{"hosts": "localhost", "gather_facts": False,
             "module_defaults": {"group/identity.cloud.sailpoint": unlimited(sim)},
             "roles": [{"role": "identity.cloud.tenant_export", "tenant_export_dir": str(folder),
                        "tenant_export_include": list(include) or ["sailpoint"],
                        "tenant_export_exclude": list(exclude)}]}]


def export(sim, run_playbook, tmp_path, folder, **patterns):
    run_playbook(export_play(sim, tmp_path / folder, **patterns), expect_rc=0)
    return tmp_path / folder / "localhost"


def converge(sim, folder, vault=None):
    """The exported file as the user converges it: the role with the file's variables."""
    return [{"hosts": "localhost", "gather_facts": False,
             "module_defaults": {"group/identity.cloud.sailpoint": unlimited(sim)},
             "vars_files": [str(folder / FILE)] + ([str(vault)] if vault else []),
             "roles": [{"role": "identity.cloud.sailpoint_source_onboarding"}]}]


def filled_vault(folder, path):
    """The vault template filled in, as the user does it (saved unencrypted here)."""
    template = yaml.safe_load((folder / "vault-template.yml").read_text())
    path.write_text(yaml.safe_dump(dict((name, LDAP_PASSWORD if name.endswith("_password") else CLIENT_SECRET_VALUE)
                                        for name in template)))
    return path


def sources_of(folder):
    return yaml.safe_load((folder / FILE).read_text())[VARIABLE]


def test_export_writes_the_role_shape_and_converges_with_no_change(sailpoint_sim, run_playbook, tmp_path):
    sim = sailpoint_sim
    seed(sim)
    first = export(sim, run_playbook, tmp_path, "first")
    text = (first / FILE).read_text()
    sources = dict((s["name"], s) for s in sources_of(first))
    assert list(sources) == sorted(["HR Directory", "HR Feed", "Ticketing", UNICODE])  # never the IdentityNow source
    ldap = sources["HR Directory"]
    # references by name, computed keys and secrets left out, secrets as vault references
    assert ldap["owner"] == "Ada Admin" and ldap["cluster"] == CLUSTERS[0][1]
    assert ldap["management_workgroup"] == WORKGROUPS[0][1] and ldap["password_policies"] == ["Strong Policy"]
    assert sources["HR Feed"]["owner"] == "Jane Doe" and sources["HR Feed"]["type"] == "DelimitedFile"
    for source_id in [s["id"] for s in sim.collection("sources").values()] + [ADMIN_ID, CLUSTERS[0][0]]:
        assert source_id not in text
    for computed in ("healthy", "cloudExternalId", "cloudCacheUpdate", "since", "created", "modified"):
        assert computed not in text
    assert LDAP_PASSWORD not in text and CLIENT_SECRET_VALUE not in text and "2:" not in text  # nor the ciphertext
    secret = ldap["connector_secrets"]["password"]
    assert secret.startswith("{{ vault_sailpoint_source_hr_directory_") and secret.endswith("_password }}")
    assert ldap["update_secrets"] == "on_create" and "password" not in ldap["connector_attributes"]
    assert ldap["connector_attributes"]["group"] == {"objectClass": "groupOfNames", "members": ["b", "a"]}
    vault = yaml.safe_load((first / "vault-template.yml").read_text())
    assert sorted(vault) == sorted([secret[3:-3], sources["Ticketing"]["connector_secrets"]["client_secret"][3:-3]])
    assert "HR Directory" in (first / "vault-template.yml").read_text()
    # every part, names differing only in case kept apart, ordered lists in the tenant's order
    assert [s["name"] for s in ldap["schemas"]] == ["Group", "account", "group"]
    group = ldap["schemas"][0]
    assert group["hierarchy_attribute"] == "memberOf" and group["configuration"] == {"groupMemberAttribute": "uniqueMember"}
    assert [a["name"] for a in group["attributes"]] == ["cn", "dn", "uniqueMember"]
    assert group["attributes"][2] == {"name": "uniqueMember", "native_name": "uniqueMember", "type": "STRING",
                                      "multi": True, "entitlement": True, "group": False}
    assert [(p["usage_type"], p.get("name")) for p in ldap["provisioning_policies"]] == [("CREATE", "Account"),
                                                                                         ("DISABLE", "account")]
    assert [f["name"] for f in ldap["provisioning_policies"][0]["fields"]] == ["uid", "mail", "cn"]
    assert "isRequired" not in text and "connectorFiles" not in text and "managerCorrelationMapping" not in text
    assert ldap["schedules"] == [{"type": "ACCOUNT_AGGREGATION", "cron_expression": "0 0 2 * * ?"},
                                 {"type": "GROUP_AGGREGATION", "cron_expression": "0 30 3 ? * MON"}]
    assert [r["property"] for r in ldap["correlation_config"]["attribute_assignments"]] == ["uid", "email"]
    assert [a["name"] for a in ldap["attribute_sync_config"]["attributes"]] == ["email", "firstname", "lastname"]
    access = ldap["entitlement_request_config"]["access_request_config"]
    assert [s["approverType"] for s in access["approvalSchemes"]] == ["SOURCE_OWNER", "MANAGER"]
    assert ldap["native_change_detection_config"] == {
        "enabled": True, "operations": ["ACCOUNT_CREATED", "ACCOUNT_UPDATED"], "all_entitlements": False,
        "all_non_entitlement_attributes": True, "selected_entitlements": ["memberOf"],
        "selected_non_entitlement_attributes": []}
    assert "native_change_detection_config" not in sources[UNICODE]  # detection off: nothing to export
    assert ldap["test_connection"] is False and ldap["aggregate"] == "never"
    plain = sources[UNICODE]
    assert "cluster" not in plain and "connector_secrets" not in plain and "category" not in plain
    assert plain["description"] == ""  # the tenant's empty description: converging elsewhere clears one

    # two exports of one tenant are byte-equal
    second = export(sim, run_playbook, tmp_path, "second")
    assert (second / FILE).read_bytes() == (first / FILE).read_bytes()
    assert (second / "vault-template.yml").read_bytes() == (first / "vault-template.yml").read_bytes()

    # converging the export against the same tenant: nothing to change, in check mode and for real
    for check in (True, False):
        since = len(sim.log)
        run = run_playbook(converge(sim, first, filled_vault(first, tmp_path / "vault.yml")), check=check, expect_rc=0,
                           secrets=[LDAP_PASSWORD, CLIENT_SECRET_VALUE])
        assert [e for e in sim.log[since:] if e["write"]] == [], check
        changed = [t["name"] for t in run.tasks if t["status"] == "changed"]
        assert changed == [], (check, changed)
        assert [t for t in run.tasks if t["name"] == ROLE + "Password policies"]  # every part ran
        drift = [t for t in run.tasks if t["name"] == ROLE + "Summarise the changes"][-1]
        assert not any(drift.result["ansible_facts"]["sailpoint_source_onboarding_drift"].values())


def test_include_and_exclude_choose_the_sources(sailpoint_sim, run_playbook, tmp_path):
    sim = sailpoint_sim
    seed(sim)
    chosen = export(sim, run_playbook, tmp_path, "hr", include=["sailpoint:source:HR*"],
                    exclude=["sailpoint:source:HR Feed"])
    assert [s["name"] for s in sources_of(chosen)] == ["HR Directory"]
    vault = yaml.safe_load((chosen / "vault-template.yml").read_text())
    assert len(vault) == 1  # only the secret of the source exported
    bad = run_playbook(export_play(sim, tmp_path / "bad", include=["sailpoint:profile"]), expect_rc=2)
    assert "tenant_export_include: unknown sailpoint kind 'profile' in 'sailpoint:profile'; allowed: source" in bad.stdout


def moved(server_id):
    return "beef" + server_id[4:]


def other_ids(sim):
    """A second tenant: the same identities, governance group, cluster and password policies under other ids."""
    with sim.lock:
        for store in ("identities", "workgroups", "clusters", "password-policies"):
            objects = sim.collection(store)
            for old in list(objects):
                new = moved(old)
                objects[new] = dict(objects.pop(old), id=new)


@pytest.fixture
def second_sailpoint():
    sim = SailPointSimulator(task_delay=0.0)
    sim.start()
    other_ids(sim)
    yield sim
    sim.stop()


def test_promote_to_a_second_tenant(sailpoint_sim, second_sailpoint, run_playbook, tmp_path):
    source_a, target = sailpoint_sim, second_sailpoint
    seed(source_a)
    exported = export(source_a, run_playbook, tmp_path, "a")
    # the target has one of the sources already (otherwise configured) and one of its own
    api = Tenant(target)
    owner = {"type": "IDENTITY", "id": moved(ADMIN_ID)}
    # (its connector secret is not sent again: the export sends secrets when it creates a source)
    present = api.source({"name": "Ticketing", "owner": owner, "connector": "web-services", "description": "old",
                          "connectorAttributes": {"genericWebServiceBaseUrl": "https://old.example.com",
                                                  "client_secret": "the-target's-own"}})
    api.part("POST", present, "schedules", {"type": "ACCOUNT_AGGREGATION", "cronExpression": "0 0 5 * * ?"})
    api.source({"name": "Sandbox Only", "owner": owner, "connector": "jdbc"})
    vault = filled_vault(exported, tmp_path / "vault.yml")

    since = len(target.log)
    check = run_playbook(converge(target, exported, vault), check=True, expect_rc=0,
                         secrets=[LDAP_PASSWORD, CLIENT_SECRET_VALUE])
    assert [e for e in target.log[since:] if e["write"]] == []
    plan = [t for t in check.tasks if t["name"] == ROLE + "Summarise the changes"][-1]
    drift = plan.result["ansible_facts"]["sailpoint_source_onboarding_drift"]["sailpoint"]
    assert sorted(drift["source"]["created"]) == sorted(["HR Directory", "HR Feed", UNICODE])
    assert list(drift["source"]["changed"]) == ["Ticketing"]
    assert drift["schedule"]["changed"] == {"Ticketing: ACCOUNT_AGGREGATION": ["cron_expression"]}
    run_playbook(converge(target, exported, vault), expect_rc=0, secrets=[LDAP_PASSWORD, CLIENT_SECRET_VALUE])

    stored = dict((s["name"], s) for s in target.collection("sources").values())
    assert target.decrypt(stored["HR Directory"]["connectorAttributes"]["password"]) == LDAP_PASSWORD
    assert stored["HR Directory"]["owner"]["id"] == moved(ADMIN_ID)
    assert "Sandbox Only" in stored  # not in the export: left alone

    promoted = export(target, run_playbook, tmp_path, "b")
    mine = [s for s in sources_of(promoted) if s["name"] != "Sandbox Only"]
    assert mine == sources_of(exported)
    assert (promoted / "vault-template.yml").read_text() == (exported / "vault-template.yml").read_text()
    # and converging again changes nothing
    since = len(target.log)
    again = run_playbook(converge(target, exported, vault), expect_rc=0, secrets=[LDAP_PASSWORD, CLIENT_SECRET_VALUE])
    assert [e for e in target.log[since:] if e["write"]] == []
    assert [t["name"] for t in again.tasks if t["status"] == "changed"] == []


@pytest.mark.no_random_faults  # injects faults of its own
def test_faults_are_ridden_out_and_a_forbidden_part_fails_before_any_file(sailpoint_sim, run_playbook, tmp_path):
    sim = sailpoint_sim
    seed(sim)
    clean = sources_of(export(sim, run_playbook, tmp_path, "clean"))
    # a dropped connection, a 503 and a 429 on the parallel reads of the sources' parts: retried, same export
    sim.inject("reset", count=2, path="/schedules$")
    sim.inject("5xx", status=503, count=2, path="/correlation-config$")
    sim.inject("429", retry_after=0, count=2, path="/schemas$")
    assert sources_of(export(sim, run_playbook, tmp_path, "faults")) == clean
    assert not [f for f in sim.faults if f.count]  # every fault was met
    # a tenant that answers 403 on one kind: one line naming the call, and no file
    sim.inject("5xx", status=403, count=50, path="/native-change-detection-config$")
    failed = run_playbook(export_play(sim, tmp_path / "forbidden"), expect_rc=2)
    line = [t for t in failed.tasks if t["status"] == "failed"][0]["result"]["msg"]
    assert line.startswith("identity.cloud.sailpoint_source_info: GET /v2024/sources/") and line.endswith(
        ": nothing was written") and "/native-change-detection-config failed: HTTP 403" in line
    assert "\n" not in line
    assert not list((tmp_path / "forbidden").glob("**/*.yml"))
