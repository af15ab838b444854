"""The identity.cloud.tenant_export action used directly (the role's one task): its own option names in every
error, check mode and --diff, files rewritten only when their text or mode differ, write=false, and SailPoint read
as an async job beside FINBOURNE and Beyond Identity, its job file removed afterwards."""

import json
import os
import stat

import pytest
import yaml

from tests.integration.tenant_export_helpers import IDP_SECRET, playbook, read_export, seed_beyond_identity

NO_SAILPOINT = ["sailpoint"]


def action_play(tmp_path, name="export.yml", **args):
    """A playbook of the test calling the action with ``args`` (connection options as the inventory's module_defaults)."""
    groups = ("finbourne", "sailpoint", "beyond_identity")
    task = {"name": "Export", "identity.cloud.tenant_export": dict({"path": "out/{{ inventory_hostname }}"}, **args),
            "register": "exported"}
    tasks = [task, {"name": "Keep the result", "ansible.builtin.copy": {
        "content": "{{ exported | to_json }}", "dest": str(tmp_path / "result.json"), "mode": "0600"}, "delegate_to": "localhost",
        "check_mode": False}]
    if args.get("write") is False:
        tasks.append({"name": "Keep the fact", "ansible.builtin.copy": {
            "content": "{{ tenant_export_result | to_json }}", "dest": str(tmp_path / "fact.json"), "mode": "0600"},
            "delegate_to": "localhost"})
    play = [{"name": "Export", "hosts": "identity_cloud", "gather_facts": False, "tasks": tasks,
             "module_defaults": dict(("group/identity.cloud.%s" % g, "{{ identity_cloud_%s | default({}) }}" % g)
                                     for g in groups)}]
    path = tmp_path / name
    path.write_text(yaml.safe_dump(play, sort_keys=False))
    return str(path)


def reads(sims, since=None):
    return [e for sim in sims for e in sim.log[(since or {}).get(sim.vendor, 0):] if not e.get("auth")]


def failure_lines(proc):
    return [line for line in proc.stdout.splitlines() if line.startswith(("fatal:", "failed:"))]


def result(tmp_path):
    return json.loads((tmp_path / "result.json").read_text())


@pytest.mark.parametrize("args,message", [
    ({"include": ["okta"]}, "include: unknown vendor 'okta' in 'okta'; allowed: beyond_identity, finbourne, sailpoint"),
    ({"exclude": ["sailpoint:role"]}, "exclude: unknown sailpoint kind 'role' in 'sailpoint:role'; allowed: source"),
    ({"concurrency": 0, "exclude": NO_SAILPOINT}, "concurrency must be a whole number from 1 to 32, not 0"),
    ({"timeout": 0, "exclude": NO_SAILPOINT}, "timeout must be a positive number of seconds, not 0"),
    ({"path": "taken/localhost", "exclude": NO_SAILPOINT}, "path: {tmp}/taken is not a directory this user can read and write"),
    ({"exclude": NO_SAILPOINT}, "{tmp}/out/localhost/people.yml exists and force is false: nothing was read or written"),
    ({"path": None, "exclude": NO_SAILPOINT}, "path is required when write is true (the folder the files are written to)"),
])
def test_bad_options_fail_in_one_line_naming_the_option_before_any_read(args, message, finbourne_sim,
                                                                        beyond_identity_sim, tmp_path):
    sims = [finbourne_sim, beyond_identity_sim]
    (tmp_path / "taken").write_text("a file\n")
    (tmp_path / "out" / "localhost").mkdir(parents=True)
    (tmp_path / "out" / "localhost" / "people.yml").write_text("kept: true\n")
    since = dict((sim.vendor, len(sim.log)) for sim in sims)
    for check in (True, False):
        proc = playbook(action_play(tmp_path, **args), sims, tmp_path, check=check)
        assert proc.returncode != 0
        assert message.format(tmp=tmp_path) in proc.stdout, proc.stdout[-3000:]
        assert len(failure_lines(proc)) == 1, proc.stdout[-3000:]
    assert reads(sims, since) == []
    assert sorted(os.listdir(tmp_path / "out" / "localhost")) == ["people.yml"]
    assert (tmp_path / "out" / "localhost" / "people.yml").read_text() == "kept: true\n"


def test_check_mode_then_a_write_then_nothing_to_do(finbourne_sim, beyond_identity_sim, tmp_path):
    sims = [finbourne_sim, beyond_identity_sim]
    seed_beyond_identity(beyond_identity_sim)
    play = action_play(tmp_path, exclude=NO_SAILPOINT)
    folder = tmp_path / "out" / "localhost"
    names = ["beyond_identity_tenant.yml", "finbourne_tenant.yml", "people.yml", "vault-template.yml"]

    proc = playbook(play, sims, tmp_path, check=True, diff=True, secrets=[IDP_SECRET])
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert not folder.exists()
    checked = result(tmp_path)
    assert checked["changed"] and [(f["name"], f["changed"]) for f in checked["files"]] == [(n, True) for n in names]
    assert "+people_list:" in proc.stdout and "+beyond_identity_tenant_groups:" in proc.stdout

    proc = playbook(play, sims, tmp_path, secrets=[IDP_SECRET])
    assert proc.returncode == 0, proc.stdout[-3000:]
    written = read_export(folder)
    assert sorted(written) == names and result(tmp_path)["changed"]
    modes = dict((n, stat.S_IMODE(os.stat(folder / n).st_mode)) for n in names)
    assert modes == dict((n, 0o600 if n == "vault-template.yml" else 0o644) for n in names)
    assert result(tmp_path)["exported"]["people.yml"]["people_list"] == len(yaml.safe_load(written["people.yml"])["people_list"])
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []  # no temporary file left

    play_forced = action_play(tmp_path, "forced.yml", exclude=NO_SAILPOINT, force=True)
    stamps = dict((n, os.stat(folder / n).st_mtime_ns) for n in names)
    os.chmod(folder / "people.yml", 0o666)
    proc = playbook(play_forced, sims, tmp_path, secrets=[IDP_SECRET])
    assert proc.returncode == 0, proc.stdout[-3000:]
    again = result(tmp_path)
    assert [(f["name"], f["changed"]) for f in again["files"]] == [(n, n == "people.yml") for n in names]
    assert stat.S_IMODE(os.stat(folder / "people.yml").st_mode) == 0o644
    assert dict((n, os.stat(folder / n).st_mtime_ns) for n in names if n != "people.yml") == dict(
        (n, t) for n, t in stamps.items() if n != "people.yml")
    assert read_export(folder) == written

    proc = playbook(play_forced, sims, tmp_path, check=True, diff=True, secrets=[IDP_SECRET])
    assert proc.returncode == 0 and not result(tmp_path)["changed"], proc.stdout[-3000:]


def test_write_false_sets_the_fact_the_files_would_hold(finbourne_sim, beyond_identity_sim, tmp_path):
    sims = [finbourne_sim, beyond_identity_sim]
    seed_beyond_identity(beyond_identity_sim)
    proc = playbook(action_play(tmp_path, exclude=NO_SAILPOINT, force=True), sims, tmp_path, secrets=[IDP_SECRET])
    assert proc.returncode == 0, proc.stdout[-3000:]
    files = read_export(tmp_path / "out" / "localhost")
    proc = playbook(action_play(tmp_path, "read.yml", exclude=NO_SAILPOINT, write=False), sims, tmp_path,
                    secrets=[IDP_SECRET])
    assert proc.returncode == 0, proc.stdout[-3000:]
    fact = json.loads((tmp_path / "fact.json").read_text())
    assert sorted(fact) == sorted(n for n in files if n != "vault-template.yml")
    assert dict((n, yaml.safe_load(files[n])) for n in fact) == dict((n, v["vars"]) for n, v in fact.items())
    vault = yaml.safe_load(files["vault-template.yml"])
    assert sorted(vault) == sorted(v["name"] for n in fact for v in fact[n]["vault"])
    assert not result(tmp_path)["changed"] and "files" not in result(tmp_path)


def test_sailpoint_is_read_beside_the_others_and_its_job_file_is_removed(
        finbourne_sim, beyond_identity_sim, sailpoint_sim, tmp_path):
    sims = [finbourne_sim, beyond_identity_sim, sailpoint_sim]
    seed_beyond_identity(beyond_identity_sim)
    since = dict((sim.vendor, len(sim.log)) for sim in sims)
    async_dir = tmp_path / "async"
    proc = playbook(action_play(tmp_path, force=True), sims, tmp_path, check=True, secrets=[IDP_SECRET],
                    env={"ANSIBLE_ASYNC_DIR": str(async_dir)})  # check mode: the job runs in check mode too
    assert proc.returncode == 0 and not (tmp_path / "out").exists(), proc.stdout[-3000:]
    assert "sailpoint_source_onboarding.yml" in [f["name"] for f in result(tmp_path)["files"]]
    proc = playbook(action_play(tmp_path, force=True), sims, tmp_path, secrets=[IDP_SECRET],
                    env={"ANSIBLE_ASYNC_DIR": str(async_dir)})
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "sailpoint_source_onboarding.yml" in read_export(tmp_path / "out" / "localhost")
    first_sailpoint = min(e["time"] for e in reads([sailpoint_sim], since))
    last_beyond_identity = max(e["time"] for e in reads([beyond_identity_sim], since))
    assert first_sailpoint < last_beyond_identity  # started before the others, not after them
    assert [e for e in reads(sims, since) if e["write"]] == []
    assert not async_dir.exists() or os.listdir(async_dir) == []
