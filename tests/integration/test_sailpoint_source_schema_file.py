"""sailpoint_source_schema_file: download written only when it differs (like get_url), upload skipped
when the schema already has exactly the file's attributes."""

from tests.simulators.sailpoint import ADMIN_ID
from tests.integration.plays import play, task

MODULE = "identity.cloud.sailpoint_source_schema_file"


def test_download_upload_and_bad_input(sailpoint_sim, run_playbook, tmp_path):
    sim = sailpoint_sim
    dest = tmp_path / "account.csv"
    upload = tmp_path / "new.csv"
    upload.write_text("employeeId,displayName,mail\nE1,Ada,ada@example.com\n")
    bad = tmp_path / "bad.csv"
    bad.write_text("a,a\n")
    run = run_playbook(play(sim, [
        task("source", "identity.cloud.sailpoint_source", name="HR Feed", owner=ADMIN_ID, connector="delimited-file"),
        task("download check", MODULE, check=True, source="HR Feed", dest=str(dest)),
        task("download", MODULE, source="HR Feed", dest=str(dest)),
        task("download again", MODULE, source="HR Feed", dest=str(dest)),
        task("upload same", MODULE, source="HR Feed", src=str(dest)),
        task("upload check", MODULE, check=True, source="HR Feed", src=str(upload)),
        task("upload", MODULE, source="HR Feed", src=str(upload)),
        task("upload again", MODULE, source="HR Feed", src=str(upload)),
        task("download changed", MODULE, source="HR Feed", dest=str(dest)),
        task("entitlements", MODULE, source="HR Feed", schema="entitlements", dest=str(tmp_path / "group.csv")),
        task("bad header", MODULE, errors=True, source="HR Feed", src=str(bad)),
    ]), expect_rc=0)
    assert run.task("download check").changed
    assert run.task("download").changed and run.task("download").result["attributes"] == ["id", "name", "email"]
    assert not run.task("download again").changed
    assert not run.task("upload same").changed and run.writes(sim, "upload same") == []
    assert run.task("upload check").changed and run.writes(sim, "upload check") == []
    assert run.task("upload").changed
    post = run.writes(sim, "upload")
    assert len(post) == 1 and post[0]["content_type"].startswith("multipart/form-data")
    assert not run.task("upload again").changed and run.writes(sim, "upload again") == []
    assert run.task("download changed").changed and dest.read_text().startswith("employeeId,displayName,mail")
    assert run.task("entitlements").result["attributes"] == ["id", "name"]
    assert run.task("bad header").result["msg"] == "src: its first line must name each attribute once, got a, a"
    assert run.writes(sim, "bad header") == []
