"""sailpoint_access_profile (single and bulk) and sailpoint_access_profile_info through ansible-playbook against the
SailPoint simulator, on entitlements that sailpoint_source_entitlements aggregated."""

from tests.simulators.sailpoint import ADMIN_ID
from tests.integration.plays import play, task

MODULE = "identity.cloud.sailpoint_access_profile"
GROUPS = "id,name,displayName\nPayroll Admins,Payroll Admins,Payroll administrators\n" \
         "Payroll Readers,Payroll Readers,Payroll readers\nHR Clerks,HR Clerks,HR clerks\n"


def sources(tmp_path, names=("HR Feed", "Other Feed")):
    """Tasks creating the sources and aggregating their entitlements from a CSV file (the user's path)."""
    path = tmp_path / "groups.csv"
    path.write_text(GROUPS)
    out = []
    for name in names:
        out.append(task("source " + name, "identity.cloud.sailpoint_source", name=name, owner=ADMIN_ID,
                        connector="delimited-file"))
        out.append(task("aggregate " + name, "identity.cloud.sailpoint_source_entitlements", source=name,
                        action="aggregate", file=str(path)))
    return out


def profiles(sim):
    return dict((p["name"], p) for p in sim.collection("access-profiles").values())


def test_five_step_cycle_with_diff_and_bad_input(sailpoint_sim, run_playbook, tmp_path):
    sim = sailpoint_sim
    base = {"name": "Payroll", "description": "Payroll clerks", "source": "HR Feed", "owner": "Ada Admin",
            "entitlements": ["Payroll Readers"], "requestable": True,
            "access_request_config": {"comments_required": True, "approval_schemes": [
                {"approver_type": "MANAGER"}, {"approver_type": "GOVERNANCE_GROUP", "approver": "Source Admins"}]}}
    changed = {**base, **dict(description="Changed", entitlements=["Payroll Readers", "Payroll Admins"],
                              access_request_config={"denial_comments_required": True})}
    plays = play(sim, sources(tmp_path) + [
        dict(task("other", "identity.cloud.sailpoint_entitlement_info", source="Other Feed", value="Payroll Readers"),
             register="other"),
        task("create", MODULE, **base),
        task("again", MODULE, **base),
        task("check change", MODULE, check=True, **changed),
        task("change", MODULE, **changed),
        task("other source entitlement", MODULE, errors=True, name="Bad", source="HR Feed", owner="Ada Admin",
             entitlements=["Payroll Readers", "{{ other.entitlements[0].id }}"]),
        task("unknown entitlement", MODULE, errors=True, name="Bad", source="HR Feed", owner="Ada Admin",
             entitlements=["Ghost"]),
        task("unknown owner", MODULE, errors=True, name="Bad", source="HR Feed", owner="Nobody Atall"),
        task("unknown group", MODULE, errors=True, name="Bad", source="HR Feed", owner="Ada Admin",
             access_request_config={"approval_schemes": [{"approver_type": "GOVERNANCE_GROUP", "approver": "Nope"}]}),
        task("bad approver type", MODULE, errors=True, name="Bad", source="HR Feed", owner="Ada Admin",
             access_request_config={"approval_schemes": [{"approver_type": "BOSS"}]}),
        task("unknown key", MODULE, errors=True, name="Bad", source="HR Feed", owner="Ada Admin",
             access_request_config={"comment_required": True}),
        task("missing source in check mode", MODULE, check=True, name="Later", source="Not Yet", owner="Ada Admin"),
        task("info", "identity.cloud.sailpoint_access_profile_info", name="Payroll", entitlements=True),
        task("delete", MODULE, name="Payroll", state="absent"),
        task("delete again", MODULE, name="Payroll", state="absent"),
    ])
    run = run_playbook(plays, diff=True, expect_rc=0)
    assert run.task("aggregate HR Feed").changed and run.task("aggregate HR Feed").result["completion_status"] == "SUCCESS"
    create = run.task("create")
    assert create.changed and [w["method"] for w in run.writes(sim, "create")] == ["POST"]
    body = run.writes(sim, "create")[0]["body"]
    assert body["accessRequestConfig"]["approvalSchemes"][1] == {"approverType": "GOVERNANCE_GROUP",
                                                                 "approverId": "2c91808568c529c60168cca6f90c2222"}
    assert not run.task("again").changed and run.writes(sim, "again") == []
    assert run.task("check change").changed and run.writes(sim, "check change") == []
    change = run.task("change")
    writes = run.writes(sim, "change")
    assert [w["method"] for w in writes] == ["PATCH"]
    assert sorted(op["path"] for op in writes[0]["body"]) == [
        "/accessRequestConfig/denialCommentsRequired", "/description", "/entitlements"]
    assert change.result["diff"]["before"]["description"] == "Payroll clerks"
    info = run.task("info").result["access_profiles"]
    assert sorted(e["value"] for e in info[0]["entitlement_details"]) == ["Payroll Admins", "Payroll Readers"]
    assert info[0]["accessRequestConfig"]["commentsRequired"] is True  # kept: merged key by key
    expected = {
        "other source entitlement": "belongs to source 'Other Feed', not 'HR Feed'",
        "unknown entitlement": "entitlements[0]: source 'HR Feed' has no entitlement with value or id 'Ghost'",
        "unknown owner": "owner: no identity named 'Nobody Atall'",
        "unknown group": "access_request_config.approval_schemes[0].approver: no governance group named 'Nope'",
        "bad approver type": "value of approver_type must be one of: APP_OWNER, OWNER",
        "unknown key": "access_request_config.comment_required",
    }
    for name, text in expected.items():
        result = run.task(name)
        assert result.failed and text in result.result["msg"], (name, result.result["msg"])
        assert run.writes(sim, name) == [], name
    pending = run.task("missing source in check mode")
    assert pending.changed and "does not exist yet" in pending.result["msg"]
    assert run.task("delete").changed and [w["method"] for w in run.writes(sim, "delete")] == ["DELETE"]
    assert not run.task("delete again").changed and run.writes(sim, "delete again") == []
    assert "Payroll" not in profiles(sim)


def test_bulk_requestable_and_deletions_in_bulk_calls(sailpoint_sim, run_playbook, tmp_path):
    sim = sailpoint_sim
    names = ["AP %02d" % n for n in range(6)]
    first = [{"name": n, "entitlements": ["HR Clerks"]} for n in names]
    second = [{"name": n, "requestable": False} for n in names[:4]] + [{"name": n, "state": "absent"} for n in names[4:]]
    run = run_playbook(play(sim, sources(tmp_path, ("HR Feed",)) + [
        task("bulk create", MODULE, source="HR Feed", owner="Ada Admin", access_profiles=first),
        task("bulk again", MODULE, source="HR Feed", owner="Ada Admin", access_profiles=first),
        task("bulk change", MODULE, access_profiles=second),
        task("bulk change again", MODULE, access_profiles=second),
        task("bulk pending in check mode", MODULE, check=True, owner="Ada Admin", access_profiles=[
            {"name": "Later", "source": "Not Yet", "entitlements": ["Made Later"]}, {"name": "AP 00", "requestable": True}]),
        task("bulk bad", MODULE, errors=True, source="HR Feed", owner="Ada Admin", access_profiles=[
            {"name": "AP 00", "requestable": False},
            {"name": "AP 01", "access_request_config": {"approval_schemes": [{"approver_type": "BOSS"}]}}]),
    ]), expect_rc=0)
    created = run.task("bulk create").result["results"]
    assert [r.get("created") for r in created] == [True] * 6
    assert not run.task("bulk again").changed and run.writes(sim, "bulk again") == []
    writes = run.writes(sim, "bulk change")
    assert sorted(w["path"].rsplit("/", 1)[1] for w in writes) == ["bulk-delete", "bulk-update-requestable"], [(w["method"], w["path"]) for w in writes]
    requestable = next(w for w in writes if w["path"].endswith("bulk-update-requestable"))
    assert len(requestable["body"]) == 4 and not any(item["requestable"] for item in requestable["body"])
    stored = profiles(sim)
    assert sorted(stored) == names[:4] and not any(stored[n]["requestable"] for n in names[:4])
    assert not run.task("bulk change again").changed and run.writes(sim, "bulk change again") == []
    pending = run.task("bulk pending in check mode")
    assert pending.changed and [(r.get("created"), r.get("changed_fields")) for r in pending.result["results"]] == [
        (True, None), (None, ["requestable"])]
    assert run.writes(sim, "bulk pending in check mode") == []
    bad = run.task("bulk bad")
    assert bad.failed and "access_profiles[1].access_request_config.approval_schemes[0].approver_type" in bad.result["msg"]
    assert run.writes(sim, "bulk bad") == []
