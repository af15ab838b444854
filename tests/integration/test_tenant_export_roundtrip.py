"""Issue 23 item 2: the export of a tenant seeded through the vendor APIs (every kind, optional fields unset, unicode
names, names differing only in case) converges against the same tenant with changed=0 and no write, in check mode
and for real."""

import yaml

from tests.integration.tenant_export_helpers import (
    IDP_SECRET,
    playbook,
    read_export,
    seed_beyond_identity,
    seed_finbourne,
)


def converge(sims, tmp_path, folder, check):
    """The README's commands: playbooks/tenants.yml with the tenant files and the vault file, and
    playbooks/promote_tenants.yml from the export folder (every file, the people included); both must report
    changed=0."""
    vault = ["-e", "@%s/vault.yml" % folder]
    tenants = ["-e", "@%s/beyond_identity_tenant.yml" % folder, "-e", "@%s/finbourne_tenant.yml" % folder] + vault
    return [playbook("tenants.yml", sims, tmp_path, check=check, extra_args=tenants, secrets=[IDP_SECRET, FILLED]),
            playbook("promote_tenants.yml", sims, tmp_path, {"promote_from": str(folder)}, check=check, extra_args=vault,
                     secrets=[IDP_SECRET, FILLED])]


FILLED = "filled-by-the-test"  # the vault values: never in any output


def fill_vault(folder, value=FILLED):
    template = yaml.safe_load((folder / "vault-template.yml").read_text()) or {}
    (folder / "vault.yml").write_text(yaml.safe_dump(dict((k, value) for k in template)))
    return template


def test_round_trip(finbourne_sim, beyond_identity_sim, tmp_path):
    sims = [finbourne_sim, beyond_identity_sim]
    seed_finbourne(finbourne_sim)
    seed_beyond_identity(beyond_identity_sim)
    proc = playbook("export_tenants.yml", sims, tmp_path, {"tenant_export_exclude": ["sailpoint"]}, secrets=[IDP_SECRET])
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    folder = tmp_path / "export" / "localhost"
    files = read_export(folder)
    assert IDP_SECRET not in "".join(files.values())
    tenant = yaml.safe_load(files["beyond_identity_tenant.yml"])
    # every kind is in the export, by name
    assert {"display_name": "Zürich"} in tenant["beyond_identity_tenant_realms"]
    assert [g["display_name"] for g in tenant["beyond_identity_tenant_groups"]] == ["Ops", "Zürich Desk", "ops"]
    assert [r["display_name"] for r in tenant["beyond_identity_tenant_roles"]] == ["Traders", "traders"]
    assert tenant["beyond_identity_tenant_applications"][0]["resource_server"] == "Trading API"
    idp = tenant["beyond_identity_tenant_identity_providers"][0]
    template = fill_vault(folder)
    assert idp["idp_client_secret"] == "{{ %s }}" % next(iter(template))
    people = yaml.safe_load(files["people.yml"])["people_list"]
    zoe = next(p for p in people if p["username"] == "zoe@example.com")
    assert zoe["finbourne"]["roles"] == ["Desk", "Zurich Ops"] and zoe["first_name"] == "Zoë"

    since = {sim.vendor: len(sim.log) for sim in sims}
    for check in (True, False):
        for proc in converge(sims, tmp_path, folder, check):
            assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
            recap = [line for line in proc.stdout.splitlines() if line.startswith("localhost ")]
            assert recap and "changed=0" in recap[-1], "%s\n%s" % (recap, "\n".join(
                line for line in proc.stdout.splitlines() if line.startswith("changed:"))[-4000:])
        writes = [e for sim in sims for e in sim.log[since[sim.vendor]:] if e["write"] and not e.get("auth")]
        assert writes == [], writes

    # a second export of the same tenant is byte-equal
    proc = playbook("export_tenants.yml", sims, tmp_path, {"tenant_export_exclude": ["sailpoint"], "tenant_export_force": True,
                                                           "tenant_export_dir": "again"})
    assert proc.returncode == 0, proc.stdout[-4000:]
    again = read_export(tmp_path / "again" / "localhost")
    assert again == dict((k, v) for k, v in read_export(folder).items() if k != "vault.yml")
