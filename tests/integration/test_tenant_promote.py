"""Issue 23 item 3: promote the export of tenant A to tenant B (second simulators of the same vendors, other server
ids, some objects already there): the plan in check mode as the drift report, then B's export equals A's; objects
only B has stay unless tenant_export_prune, which needs an include filter and shows every deletion first."""

import json

import pytest
import yaml

from tests.integration.tenant_export_helpers import (
    IDP_SECRET,
    api,
    playbook,
    read_export,
    seed_beyond_identity,
    seed_finbourne,
)
from tests.integration.test_tenant_export_sailpoint import (
    CLIENT_SECRET_VALUE,
    LDAP_PASSWORD,
    Tenant,
    filled_vault,
    moved,
    other_ids,
    seed,
    unlimited,
)
from tests.simulators import SIMULATORS
from tests.simulators.sailpoint import ADMIN_ID, SailPointSimulator

EXCLUDE = {"tenant_export_exclude": ["sailpoint"]}
FILLED = "promoted-secret-value"  # what the test fills the vault template with: never in any output


@pytest.fixture
def tenant_b():
    """A second FINBOURNE and Beyond Identity simulator (started as tests/conftest.py starts them)."""
    sims = [SIMULATORS["finbourne"](), SIMULATORS["beyond_identity"]()]
    for sim in sims:
        sim.start()
        sim.reset()
        sim.latency = 0.0
    yield sims
    for sim in sims:
        sim.stop()


@pytest.fixture
def sailpoint_b():
    """A second SailPoint simulator: the same identities, cluster and policies under other ids."""
    sim = SailPointSimulator(task_delay=0.0)
    sim.start()
    other_ids(sim)
    yield sim
    sim.stop()


def export(sims, tmp_path, folder, extra=None):
    proc = playbook("export_tenants.yml", sims, tmp_path, dict(EXCLUDE, tenant_export_dir=folder, tenant_export_force=True,
                                                               **(extra or {})), secrets=[IDP_SECRET])
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    return read_export(tmp_path / folder / "localhost")


def promote(sims, tmp_path, check=False, **extra):
    args = ["-e", "@%s" % (tmp_path / "vault.yml")]
    proc = playbook("promote_tenants.yml", sims, tmp_path, dict(promote_from="a/localhost", **extra), check=check,
                    extra_args=args, secrets=[IDP_SECRET, FILLED])
    return proc


def writes(sims, since):
    return [e for sim in sims for e in sim.log[since[id(sim)]:] if e["write"] and not e.get("auth")]


def test_promote_and_prune(finbourne_sim, beyond_identity_sim, tenant_b, tmp_path):
    tenant_a = [finbourne_sim, beyond_identity_sim]
    seed_finbourne(finbourne_sim)
    seed_beyond_identity(beyond_identity_sim)
    # B already has some of A's objects (with other server ids) and objects of its own
    fbn_b, bi_b = tenant_b
    api(fbn_b, "POST", "/api/roles", {"name": "Desk", "description": "Old description"})
    api(fbn_b, "POST", "/api/roles", {"name": "Legacy"})
    realm = [r for r in api(bi_b, "GET", "/v1/tenants/%s/realms" % bi_b.connection_env()["BEYONDIDENTITY_TENANT_ID"])["realms"]
             if r["display_name"] == "Default"][0]
    groups = "/v1/tenants/%s/realms/%s/groups" % (bi_b.connection_env()["BEYONDIDENTITY_TENANT_ID"], realm["id"])
    api(bi_b, "POST", groups, {"group": {"display_name": "Legacy"}})

    source = export(tenant_a, tmp_path, "a")
    template = yaml.safe_load(source["vault-template.yml"])
    assert template, "the seeded identity provider's secret is in the template"
    (tmp_path / "vault.yml").write_text(yaml.safe_dump(dict((k, FILLED) for k in template)))

    # check mode: the plan as the drift report, no write to B
    since = dict((id(sim), len(sim.log)) for sim in tenant_b)
    proc = promote(tenant_b, tmp_path, check=True)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    assert writes(tenant_b, since) == []
    plan = json.loads((tmp_path / "promote-report" / "localhost.json").read_text())
    assert plan["check_mode"] is True
    drift = plan["drift"]
    assert drift["beyond_identity"]["application"]["created"] == ["Trading API: Portal"]
    assert "Zürich" in drift["beyond_identity"]["realm"]["created"]
    assert drift["finbourne"]["role"]["changed"] == {"Desk": ["description"]}
    assert drift["finbourne"]["user"]["created"] == ["zoe@example.com"]
    assert "Legacy" not in json.dumps(drift)
    assert "Promotion plan: localhost" in (tmp_path / "promote-report" / "localhost.md").read_text()

    # for real: B's export is A's, plus B's own objects (not pruned)
    proc = promote(tenant_b, tmp_path)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    target = export(tenant_b, tmp_path, "b")
    bi_b_groups = [g["display_name"] for g in yaml.safe_load(target["beyond_identity_tenant.yml"])["beyond_identity_tenant_groups"]]
    assert "Legacy" in bi_b_groups
    assert [f for f in source if source[f] != target[f]] == ["beyond_identity_tenant.yml", "finbourne_tenant.yml"]

    # prune: refused without an include filter, before any read
    since = dict((id(sim), len(sim.log)) for sim in tenant_b)
    proc = promote(tenant_b, tmp_path, check=True, tenant_export_prune=True)
    assert proc.returncode != 0 and "tenant_export_prune needs tenant_export_include" in proc.stdout, proc.stdout[-3000:]
    assert [e for sim in tenant_b for e in sim.log[since[id(sim)]:] if not e.get("auth")] == []

    # prune in check mode shows every deletion, then deletes them
    prune = {"tenant_export_prune": True, "tenant_export_include": ["beyond_identity:group", "finbourne:role"]}
    proc = promote(tenant_b, tmp_path, check=True, **prune)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    assert writes(tenant_b, since) == []
    drift = json.loads((tmp_path / "promote-report" / "localhost.json").read_text())["drift"]
    assert drift["beyond_identity"]["group"]["deleted"] == ["Legacy"]
    assert drift["finbourne"]["role"]["deleted"] == ["Legacy"]
    proc = promote(tenant_b, tmp_path, **prune)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    assert export(tenant_b, tmp_path, "b") == source


def test_promote_sailpoint_sources_and_prune(sailpoint_sim, sailpoint_b, tmp_path):
    """The SailPoint file of an export (tests/integration/test_tenant_export_sailpoint.py seeds it) through the
    promote playbook: created on the second tenant, whose own source stays until a prune deletes it."""
    source_a, target = sailpoint_sim, sailpoint_b
    seed(source_a)
    secrets = [LDAP_PASSWORD, CLIENT_SECRET_VALUE]
    on_a = {"identity_cloud_sailpoint": unlimited(source_a), "tenant_export_include": ["sailpoint"], "tenant_export_force": True}
    on_b = dict(on_a, identity_cloud_sailpoint=unlimited(target))
    proc = playbook("export_tenants.yml", [source_a], tmp_path, dict(on_a, tenant_export_dir="a"), secrets=secrets)
    assert proc.returncode == 0, proc.stdout[-4000:]
    exported = tmp_path / "a" / "localhost"
    vault = ["-e", "@%s" % filled_vault(exported, tmp_path / "sailpoint-vault.yml")]
    Tenant(target).source({"name": "Sandbox Only", "owner": {"type": "IDENTITY", "id": moved(ADMIN_ID)}, "connector": "jdbc"})
    promote_b = dict(on_b, promote_from="a/localhost")

    since = len(target.log)
    proc = playbook("promote_tenants.yml", [target], tmp_path, promote_b, check=True, extra_args=vault, secrets=secrets)
    assert proc.returncode == 0, proc.stdout[-6000:]
    assert [e for e in target.log[since:] if e["write"] and not e["path"].endswith("/connector/check-connection")] == []
    drift = json.loads((tmp_path / "promote-report" / "localhost.json").read_text())["drift"]["sailpoint"]
    assert "HR Feed" in drift["source"]["created"] and "Sandbox Only" not in json.dumps(drift)

    proc = playbook("promote_tenants.yml", [target], tmp_path, promote_b, extra_args=vault, secrets=secrets)
    assert proc.returncode == 0, proc.stdout[-6000:]
    proc = playbook("export_tenants.yml", [target], tmp_path, dict(on_b, tenant_export_dir="b"), secrets=secrets)
    assert proc.returncode == 0, proc.stdout[-4000:]
    promoted = read_export(tmp_path / "b" / "localhost")["sailpoint_source_onboarding.yml"]
    sources = yaml.safe_load(promoted)["sailpoint_source_onboarding_sources"]
    assert [s for s in sources if s["name"] != "Sandbox Only"] == \
        yaml.safe_load(read_export(exported)["sailpoint_source_onboarding.yml"])["sailpoint_source_onboarding_sources"]

    prune = dict(promote_b, tenant_export_prune=True)
    proc = playbook("promote_tenants.yml", [target], tmp_path, prune, check=True, extra_args=vault, secrets=secrets)
    assert proc.returncode == 0, proc.stdout[-6000:]
    drift = json.loads((tmp_path / "promote-report" / "localhost.json").read_text())["drift"]["sailpoint"]
    # one deletion planned (the sailpoint_source_onboarding role's summary names a deleted source by its kind only)
    assert len(drift["source"]["deleted"]) == 1 and [e for e in target.log[since:] if e["method"] == "DELETE"] == []
    proc = playbook("promote_tenants.yml", [target], tmp_path, prune, extra_args=vault, secrets=secrets)
    assert proc.returncode == 0, proc.stdout[-6000:]
    proc = playbook("export_tenants.yml", [target], tmp_path, dict(on_b, tenant_export_dir="b"), secrets=secrets)
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert read_export(tmp_path / "b" / "localhost") == read_export(exported)
