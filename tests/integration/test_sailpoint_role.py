"""sailpoint_role (single and bulk), sailpoint_role_info and sailpoint_role_metadata through ansible-playbook against
the SailPoint simulator, on access profiles and entitlements of an aggregated source."""

from tests.integration.plays import play, task
from tests.integration.test_sailpoint_access_profile import sources

MODULE = "identity.cloud.sailpoint_role"
AP = "identity.cloud.sailpoint_access_profile"
LEAF = {"operation": "EQUALS", "key": {"type": "IDENTITY", "property": "attribute.department"}, "string_value": "Payroll"}


def roles(sim):
    return dict((r["name"], r) for r in sim.collection("roles").values())


def setup(tmp_path):
    return sources(tmp_path, ("HR Feed",)) + [
        task("profile", AP, name="Payroll", source="HR Feed", owner="Ada Admin", entitlements=["Payroll Readers"]),
        task("profile 2", AP, name="Clerks", source="HR Feed", owner="Ada Admin", entitlements=["HR Clerks"]),
    ]


def test_five_step_cycle_with_diff_and_bad_input(sailpoint_sim, run_playbook, tmp_path):
    sim = sailpoint_sim
    base = {"name": "Payroll clerk", "description": "Payroll", "owner": "Ada Admin", "access_profiles": ["Payroll"],
            "entitlements": [{"source": "HR Feed", "value": "Payroll Admins"}],
            "membership": {"criteria": {"operation": "OR", "children": [LEAF]}}, "requestable": True,
            "access_model_metadata": [{"key": "iscPrivacy", "values": ["private"]}],
            "access_request_config": {"comments_required": True, "approval_schemes": [{"approver_type": "MANAGER"}]}}
    changed = {**base, **dict(description="Changed", access_profiles=["Payroll", "Clerks"],
                              membership={"criteria": {"operation": "OR", "children": [LEAF, dict(LEAF, string_value="Finance")]}},
                              access_model_metadata=[{"key": "iscPrivacy", "values": ["public"]}])}
    bad = {"name": "Bad", "owner": "Ada Admin"}
    run = run_playbook(play(sim, setup(tmp_path) + [
        task("create", MODULE, **base),
        task("again", MODULE, **base),
        task("check change", MODULE, check=True, **changed),
        task("change", MODULE, **changed),
        task("change again", MODULE, **changed),
        task("and under and", MODULE, errors=True, membership={"criteria": {"operation": "AND", "children": [
            {"operation": "AND", "children": [LEAF]}]}}, **bad),
        task("leaf without value", MODULE, errors=True, membership={"criteria": {"operation": "OR", "children": [
            {"operation": "EQUALS", "key": {"type": "IDENTITY", "property": "attribute.department"}}]}}, **bad),
        task("four levels", MODULE, errors=True, membership={"criteria": {"operation": "OR", "children": [
            {"operation": "AND", "children": [{"operation": "OR", "children": [LEAF]}]}]}}, **bad),
        task("account key without source", MODULE, errors=True, membership={"criteria": {"operation": "OR", "children": [
            {"operation": "EQUALS", "key": {"type": "ACCOUNT", "property": "department"}, "string_value": "x"}]}}, **bad),
        task("bad operation", MODULE, errors=True, membership={"criteria": {"operation": "LIKE"}}, **bad),
        task("unknown access profile", MODULE, errors=True, access_profiles=["Nope"], **bad),
        task("unknown entitlement", MODULE, errors=True, entitlements=[{"source": "HR Feed", "value": "Ghost"}], **bad),
        task("unknown owner", MODULE, errors=True, name="Bad", owner="Nobody Atall"),
        task("profile in use", AP, errors=True, name="Payroll", state="absent"),
        task("info", "identity.cloud.sailpoint_role_info", name="Payroll clerk", entitlements=True,
             assigned_identities=True),
        task("search", "identity.cloud.sailpoint_role_info",
             filter={"amm_key_values": [{"attribute": "iscPrivacy", "values": ["public"]}]}),
        task("delete", MODULE, name="Payroll clerk", state="absent"),
        task("delete again", MODULE, name="Payroll clerk", state="absent"),
    ]), diff=True, expect_rc=0)
    assert run.task("create").changed
    assert not run.task("again").changed and run.writes(sim, "again") == []
    assert run.task("check change").changed and run.writes(sim, "check change") == []
    change = run.task("change")
    writes = run.writes(sim, "change")
    patch = [w for w in writes if w["method"] == "PATCH"]
    assert len(patch) == 1 and sorted(op["path"] for op in patch[0]["body"]) == [
        "/accessProfiles", "/description", "/membership"]
    assert sorted((w["method"], w["path"].split("/values/")[-1]) for w in writes if "metadata" in w["path"]) == [
        ("DELETE", "private"), ("POST", "public")]
    assert change.result["diff"]["before"]["description"] == "Payroll"
    assert not run.task("change again").changed and run.writes(sim, "change again") == []
    role = run.task("info").result["roles"][0]
    assert sorted(e["value"] for e in role["entitlement_details"]) == ["HR Clerks", "Payroll Admins", "Payroll Readers"]
    assert isinstance(role["assigned_identities"], list)
    assert role["accessRequestConfig"]["commentsRequired"] is True
    assert [r["name"] for r in run.task("search").result["roles"]] == ["Payroll clerk"]
    expected = {
        "and under and": "membership.criteria.children[0]: an AND node cannot be a child of another AND",
        "leaf without value": "membership.criteria.children[0]: operation EQUALS needs key and string_value",
        "four levels": "membership.criteria.children[0].children[0]",
        "account key without source": "key: source_id (the source's name or id) is required for type ACCOUNT",
        "bad operation": "membership.criteria.operation: 'LIKE' is not one of",
        "unknown access profile": "access_profiles[0]: no access profile has the name or id 'Nope'",
        "unknown entitlement": "entitlements[0]: source 'HR Feed' has no entitlement with value or id 'Ghost'",
        "unknown owner": "owner: no identity named 'Nobody Atall'",
        "profile in use": "DELETE",
    }
    for name, text in expected.items():
        result = run.task(name)
        assert result.failed and text in result.result["msg"], (name, result.result["msg"])
        if name != "profile in use":
            assert run.writes(sim, name) == [], name
    assert run.task("delete").changed
    assert not run.task("delete again").changed and run.writes(sim, "delete again") == []
    assert "Payroll clerk" not in roles(sim)


def test_bulk_roles_and_metadata_bulk_update(sailpoint_sim, run_playbook, tmp_path):
    sim = sailpoint_sim
    names = ["Role %02d" % n for n in range(5)]
    first = [{"name": n, "access_profiles": ["Payroll"]} for n in names]
    second = [{"name": n, "description": "v2"} for n in names[:3]] + [{"name": n, "state": "absent"} for n in names[3:]]
    tag = [{"attribute": "iscPrivacy", "values": ["private"]}]
    run = run_playbook(play(sim, setup(tmp_path) + [
        task("bulk create", MODULE, owner="Ada Admin", roles=first),
        task("bulk again", MODULE, owner="Ada Admin", roles=first),
        task("bulk change", MODULE, roles=second),
        task("tag", "identity.cloud.sailpoint_role_metadata", operation="add", roles=names[:3], values=tag),
        task("tag again", "identity.cloud.sailpoint_role_metadata", operation="add", roles=names[:3], values=tag),
        task("untag by filter", "identity.cloud.sailpoint_role_metadata", operation="remove",
             filters='name sw "Role 0"', values=tag),
        task("unknown role", "identity.cloud.sailpoint_role_metadata", errors=True, operation="add",
             roles=["Nope"], values=tag),
    ]), expect_rc=0)
    assert [r.get("created") for r in run.task("bulk create").result["results"]] == [True] * 5
    assert not run.task("bulk again").changed and run.writes(sim, "bulk again") == []
    writes = run.writes(sim, "bulk change")
    assert sorted(w["method"] for w in writes) == ["PATCH", "PATCH", "PATCH", "POST"]
    deleted = [w for w in writes if w["method"] == "POST"]
    assert deleted[0]["path"].endswith("/roles/bulk-delete")
    assert sorted(deleted[0]["body"]["roleIds"]) == sorted(r["id"] for r in run.task("bulk create").result["results"][3:])
    assert sorted(roles(sim)) == names[:3]
    tagged = run.task("tag")
    assert tagged.changed and tagged.result["bulk_update"]["status"] == "COMPLETED"
    assert [w["path"].rsplit("/", 1)[1] for w in run.writes(sim, "tag")] == ["ids"]
    assert not run.task("tag again").changed and run.writes(sim, "tag again") == []
    assert run.task("untag by filter").changed
    assert all(not (r.get("accessModelMetadata") or {}).get("attributes") for r in roles(sim).values())
    unknown = run.task("unknown role")
    assert unknown.failed and "roles[0]: no role has the name or id 'Nope'" in unknown.result["msg"]


def test_membership_by_identities_and_account_criteria(sailpoint_sim, run_playbook, tmp_path):
    sim = sailpoint_sim
    account_leaf = {"operation": "EQUALS", "key": {"type": "ACCOUNT", "property": "department", "source_id": "HR Feed"},
                    "string_value": "Payroll"}
    run = run_playbook(play(sim, setup(tmp_path) + [
        task("by identities", MODULE, name="Listed", owner="Ada Admin", membership={"identities": ["Ada Admin"]}),
        task("by identities again", MODULE, name="Listed", owner="Ada Admin", membership={"identities": ["Ada Admin"]}),
        task("by account", MODULE, name="Accounts", owner="Ada Admin",
             membership={"criteria": {"operation": "OR", "children": [account_leaf]}}),
        task("by account again", MODULE, name="Accounts", owner="Ada Admin",
             membership={"criteria": {"operation": "OR", "children": [account_leaf]}}),
        task("unknown identity", MODULE, errors=True, name="Bad", owner="Ada Admin",
             membership={"identities": ["Nobody Atall"]}),
        task("both", MODULE, errors=True, name="Bad", owner="Ada Admin",
             membership={"identities": ["Ada Admin"], "criteria": {"operation": "OR", "children": [account_leaf]}}),
        task("pending profile in check mode", MODULE, check=True, name="Later", owner="Ada Admin",
             access_profiles=["Made Later"]),
    ]), expect_rc=0)
    stored = roles(sim)
    assert run.task("by identities").changed and not run.task("by identities again").changed
    assert stored["Listed"]["membership"]["type"] == "IDENTITY_LIST"
    assert [i["id"] for i in stored["Listed"]["membership"]["identities"]] == [
        run.task("by identities").result["role"]["owner"]["id"]]
    assert run.task("by account").changed and not run.task("by account again").changed
    key = stored["Accounts"]["membership"]["criteria"]["children"][0]["key"]
    source_id = next(s["id"] for s in sim.collection("sources").values() if s["name"] == "HR Feed")
    assert key == {"type": "ACCOUNT", "property": "department", "sourceId": source_id}
    expected = {"unknown identity": "membership.identities[0]: no identity named 'Nobody Atall'",
                "both": "membership takes criteria or identities, not both"}
    for name, text in expected.items():
        result = run.task(name)
        assert result.failed and text in result.result["msg"], (name, result.result["msg"])
        assert run.writes(sim, name) == [], name
    pending = run.task("pending profile in check mode")
    assert pending.changed and "does not exist yet" in pending.result["msg"]
