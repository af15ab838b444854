"""drift_summary without --diff: names from loop items and bulk items, the engine's summary keys, actions."""

from ansible_collections.identity.cloud.plugins.filter.drift import drift_markdown, drift_summary


def loop(*results):
    return {"changed": True, "results": [dict(r, ansible_loop_var="item") for r in results]}


def test_bulk_items_without_diff():
    bulk = {"changed": True, "results": [
        {"item": "kim", "changed": True, "created": True, "id": "1",
         "memberships": {"groups": {"added": ["Traders"], "removed": []}}},
        {"item": "bob", "changed": True, "deleted": True},
        {"item": "ann", "changed": True, "id": "3", "changed_fields": ["display_name"]},
        {"item": "joe", "changed": False, "id": "4"},
        {"item": "bad", "changed": False, "failed": True, "msg": "no"}]}
    summary = drift_summary({"beyond_identity/identity": bulk})["beyond_identity"]["identity"]
    assert summary == {"created": ["kim"], "deleted": ["bob"], "changed": {"ann": ["display_name"]},
                       "memberships": {"kim": {"added": {"groups": ["Traders"]}, "removed": {}}}}


def test_loop_items_named_after_their_source_and_actions():
    schedules = loop({"item": {"source": "HR Feed", "type": "ACCOUNT_AGGREGATION"}, "changed": True, "created": True,
                      "schedule": {"id": "2c91"}})
    policies = loop({"item": {"source": "HR Feed", "policies": []}, "changed": True,
                     "results": [{"item": "CREATE", "changed": True, "changed_fields": ["fields"]}]})
    tests = loop({"item": "HR Feed", "changed": True, "action": "test_connection", "msg": "check mode: ..."})
    emails = {"changed": True, "users": [{"item": "kim@example.com", "changed": True, "id": "u1"}],
              "invocation": {"module_args": {"action": "send_activation_email"}}}
    policy = loop({"item": {"user_type": "Personal"}, "changed": True, "changed_fields": ["complexity"]})
    summary = drift_summary({"sailpoint/schedule": schedules, "sailpoint/provisioning_policy": policies,
                             "sailpoint/connection_test": tests, "finbourne/user_lifecycle": emails,
                             "finbourne/password_policy": policy, "finbourne/scim": {"skipped": True}})
    assert summary["sailpoint"]["schedule"]["created"] == ["HR Feed: ACCOUNT_AGGREGATION"]
    assert summary["sailpoint"]["provisioning_policy"]["changed"] == {"HR Feed: CREATE": ["fields"]}
    assert summary["sailpoint"]["connection_test"]["actions"] == {"HR Feed": ["test_connection"]}
    assert summary["finbourne"]["user_lifecycle"]["actions"] == {"kim@example.com": ["send_activation_email"]}
    assert summary["finbourne"]["password_policy"]["changed"] == {"Personal": ["complexity"]}
    assert "scim" not in summary["finbourne"]
    markdown = drift_markdown(summary)
    assert "| schedule HR Feed: ACCOUNT_AGGREGATION | created | |" in markdown
    assert "| user_lifecycle kim@example.com | send_activation_email | |" in markdown


def test_diff_still_read_when_a_module_returns_no_summary_keys():
    result = {"changed": True, "source_id": "s1", "diff": {"before": {"policies": ["A"]}, "after": {"policies": ["B"]}},
              "policies": [{"id": "p", "name": "B"}]}
    summary = drift_summary({"sailpoint/password_policies": loop(dict(result, item="HR Feed"))})
    assert summary["sailpoint"]["password_policies"]["changed"] == {"HR Feed": ["policies"]}
    assert drift_summary({"x/y": {"changed": False}}) == {}


def test_a_change_the_module_cannot_compare_says_why():
    """finbourne_scim in check mode (FINBOURNE has no read for SCIM): the reason, not 'see --diff', which has none."""
    reason = "FINBOURNE has no read for SCIM; check mode cannot tell whether ensure would change anything"
    summary = drift_summary({"finbourne/scim": {"changed": True, "reason": reason}})
    assert summary["finbourne"]["scim"]["changed"] == {"scim": ["(%s)" % reason]}
    assert "see --diff" not in drift_markdown(summary)


def test_a_loop_over_indexes_is_named_by_its_label():
    # the source role loops over indexes (so that no connector secret becomes a loop item) with the name as label
    deleted = loop({"item": 0, "_ansible_item_label": "Old Feed", "changed": True, "deleted": True,
                    "task": {"type": "QUARTZ", "id": "t1"}})
    assert drift_summary({"sailpoint/source": deleted})["sailpoint"]["source"]["deleted"] == ["Old Feed"]
