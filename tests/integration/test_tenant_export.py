"""Issue 23 items 1 and 5: playbooks/export_tenants.yml - patterns, the files' shape, and bad input and faults: one
line each, before any read where it can be, nothing half-written."""

import pytest
import yaml

from tests.integration.tenant_export_helpers import IDP_SECRET, playbook, read_export, seed_beyond_identity

EXCLUDE = ["sailpoint"]


def reads(sims, since=None):
    return [e for sim in sims for e in sim.log[(since or {}).get(sim.vendor, 0):] if not e.get("auth")]


def failure_lines(proc):
    return [line for line in proc.stdout.splitlines() if line.startswith(("fatal:", "failed:"))]


def test_include_exclude_and_file_shape(finbourne_sim, beyond_identity_sim, tmp_path):
    sims = [finbourne_sim, beyond_identity_sim]
    seed_beyond_identity(beyond_identity_sim)
    since = dict((sim.vendor, len(sim.log)) for sim in sims)
    proc = playbook("export_tenants.yml", sims, tmp_path, {
        "tenant_export_include": ["beyond_identity:group", "beyond_identity:role:T*", "finbourne:role"],
        "tenant_export_exclude": ["beyond_identity:group:o*"]}, secrets=[IDP_SECRET])
    assert proc.returncode == 0, proc.stdout[-4000:]
    files = read_export(tmp_path / "export" / "localhost")
    assert sorted(files) == ["beyond_identity_tenant.yml", "finbourne_tenant.yml", "vault-template.yml"]
    tenant = yaml.safe_load(files["beyond_identity_tenant.yml"])
    assert sorted(tenant) == ["beyond_identity_tenant_groups", "beyond_identity_tenant_roles"]
    assert [g["display_name"] for g in tenant["beyond_identity_tenant_groups"]] == ["Ops", "Zürich Desk"]
    assert [r["display_name"] for r in tenant["beyond_identity_tenant_roles"]] == ["Traders"]
    assert tenant["beyond_identity_tenant_roles"][0]["members"] == ["group:Ops", "identity:nomail"]
    assert all(text.endswith("\n") and "\n---\n" in text for text in files.values())
    # only the kinds selected were read: no identity provider, application or FINBOURNE user listing
    paths = [e["path"] for e in reads(sims, since)]
    assert not [p for p in paths if "identity-providers" in p or "applications" in p or p.endswith("/users")], paths


def test_unknown_kind_fails_before_any_read(finbourne_sim, beyond_identity_sim, tmp_path):
    sims = [finbourne_sim, beyond_identity_sim]
    proc = playbook("export_tenants.yml", sims, tmp_path, {"tenant_export_include": ["beyond_identity:groups"]})
    assert proc.returncode != 0
    assert "tenant_export_include: unknown beyond_identity kind 'groups' in 'beyond_identity:groups'; allowed: realm" \
        in proc.stdout, proc.stdout[-3000:]
    assert len(failure_lines(proc)) == 1
    assert reads(sims) == [] and not (tmp_path / "export").exists()


def test_concurrency_out_of_range(finbourne_sim, beyond_identity_sim, tmp_path):
    sims = [finbourne_sim, beyond_identity_sim]
    proc = playbook("export_tenants.yml", sims, tmp_path, {"tenant_export_concurrency": 0})
    assert proc.returncode != 0 and "tenant_export_concurrency must be a whole number from 1 to 32, not 0" in proc.stdout
    assert len(failure_lines(proc)) == 1 and reads(sims) == []


def test_export_dir_that_is_not_a_directory(finbourne_sim, beyond_identity_sim, tmp_path):
    sims = [finbourne_sim, beyond_identity_sim]
    (tmp_path / "taken").write_text("not a directory\n")
    proc = playbook("export_tenants.yml", sims, tmp_path, {"tenant_export_dir": "taken", "tenant_export_exclude": EXCLUDE})
    assert proc.returncode != 0
    assert "tenant_export_dir: %s is not a directory this user can read and write" % (tmp_path / "taken") in proc.stdout
    assert len(failure_lines(proc)) == 1 and reads(sims) == []


def test_existing_file_without_force(finbourne_sim, beyond_identity_sim, tmp_path):
    sims = [finbourne_sim, beyond_identity_sim]
    folder = tmp_path / "export" / "localhost"
    folder.mkdir(parents=True)
    (folder / "people.yml").write_text("mine\n")
    proc = playbook("export_tenants.yml", sims, tmp_path, {"tenant_export_exclude": EXCLUDE})
    assert proc.returncode != 0
    assert "%s exists and tenant_export_force is false: nothing was read or written" % (folder / "people.yml") in proc.stdout
    assert len(failure_lines(proc)) == 1 and reads(sims) == []
    assert sorted(p.name for p in folder.iterdir()) == ["people.yml"] and (folder / "people.yml").read_text() == "mine\n"
    proc = playbook("export_tenants.yml", sims, tmp_path, {"tenant_export_exclude": EXCLUDE, "tenant_export_force": True})
    assert proc.returncode == 0 and (folder / "people.yml").read_text() != "mine\n"


def test_check_mode_writes_nothing(finbourne_sim, beyond_identity_sim, tmp_path):
    sims = [finbourne_sim, beyond_identity_sim]
    proc = playbook("export_tenants.yml", sims, tmp_path, {"tenant_export_exclude": EXCLUDE}, check=True, diff=True)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert not (tmp_path / "export").exists()
    assert "+people_list:" in proc.stdout


def test_403_on_one_kind_fails_and_writes_nothing(finbourne_sim, beyond_identity_sim, tmp_path):
    sims = [finbourne_sim, beyond_identity_sim]
    beyond_identity_sim.inject("5xx", status=403, count=50, method="GET", path=r".*/sso-configs$")
    proc = playbook("export_tenants.yml", sims, tmp_path, {"tenant_export_exclude": EXCLUDE})
    assert proc.returncode != 0
    failed = failure_lines(proc)
    assert failed and "403" in proc.stdout, proc.stdout[-3000:]
    assert not (tmp_path / "export" / "localhost").exists() or not list((tmp_path / "export" / "localhost").iterdir())


@pytest.mark.no_random_faults  # injects faults of its own
def test_faults_are_retried_and_the_export_is_complete(finbourne_sim, beyond_identity_sim, tmp_path):
    sims = [finbourne_sim, beyond_identity_sim]
    seed_beyond_identity(beyond_identity_sim)
    proc = playbook("export_tenants.yml", sims, tmp_path, {"tenant_export_exclude": EXCLUDE, "tenant_export_dir": "clean"},
                    secrets=[IDP_SECRET])
    assert proc.returncode == 0, proc.stdout[-3000:]
    beyond_identity_sim.inject("429", retry_after=0, count=2, method="GET", path=r".*/groups$")
    beyond_identity_sim.inject("5xx", status=503, count=2, method="GET", path=r".*/roles$")
    beyond_identity_sim.inject("reset", count=1, method="GET", path=r".*/identities$")
    finbourne_sim.inject("5xx", status=502, count=1, method="GET", path=r".*/api/roles$")
    proc = playbook("export_tenants.yml", sims, tmp_path, {"tenant_export_exclude": EXCLUDE}, secrets=[IDP_SECRET])
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert read_export(tmp_path / "export" / "localhost") == read_export(tmp_path / "clean" / "localhost")
