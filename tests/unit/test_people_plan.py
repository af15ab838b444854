"""The people role's plan (plugins/filter/people_plan.py): leavers found on each vendor by any key, enrolment and
activation from the vendors' state, and every input error named, one per problem."""

from ansible_collections.identity.cloud.plugins.filter.people_plan import people_leavers, people_plan

IDENTITIES = [{"id": "i1", "traits": {"username": "john.roe", "primary_email_address": "john.roe@example.com"}},
              {"id": "i2", "traits": {"username": "jane", "primary_email_address": "jane.doe@example.com"}},
              {"id": "i3", "traits": {"username": "kim"}}]
USERS = [{"login": "john.roe@example.com", "emailAddress": "john.roe@example.com", "status": "ACTIVE"},
         {"login": "jdoe@corp.example", "emailAddress": "jane.doe@example.com", "status": "PROVISIONED"},
         {"login": "staged@example.com", "emailAddress": "staged@example.com", "status": "STAGED"},
         {"login": "gone@example.com", "emailAddress": "gone@example.com", "status": "DEPROVISIONED"}]


def plan(people, **settings):
    return people_plan(people, settings, IDENTITIES, [{"identity_id": "i1"}], USERS)


def test_a_leaver_is_found_on_both_vendors_by_any_key():
    for key in ("john.roe", "john.roe@example.com", "JOHN.ROE"):
        out = plan([{"username": key, "state": "suspended"}])
        assert out["bi"] == [{"username": "john.roe", "state": "present", "status": "suspended"}]
        assert out["suspended"] == ["john.roe"]
        assert out["fbn"] == [{"login": "john.roe@example.com", "state": "present", "roles": []}]
        assert out["not_found"] == {"beyond_identity": [], "finbourne": []} and not out["errors"]
    # the identity's email leads to the FINBOURNE user whose email address it is, whatever its login
    out = plan([{"username": "jane", "state": "absent"}])
    assert out["bi"] == [{"username": "jane", "state": "absent"}]
    assert out["fbn"] == [{"login": "jdoe@corp.example", "state": "absent"}]
    # and a FINBOURNE login leads back to the identity
    out = plan([{"username": "jdoe@corp.example", "state": "suspended"}], suspend_deactivate=True,
               suspend_remove_groups=True)
    assert out["bi"] == [{"username": "jane", "state": "present", "status": "suspended", "groups": []}]
    assert out["fbn"] == [{"login": "jdoe@corp.example", "state": "absent"}]


def test_leavers_not_found_are_named_per_vendor_and_never_created():
    out = plan([{"username": "kim", "state": "suspended"}, {"username": "nobody", "state": "absent"},
                {"username": "gone@example.com", "state": "absent"}])
    assert out["not_found"] == {"beyond_identity": ["nobody", "gone@example.com"], "finbourne": ["kim", "nobody"]}
    assert [i["username"] for i in out["bi"]] == ["kim"] and out["fbn"] == []  # gone@ is deactivated already


def test_enrolment_and_activation_from_the_vendors_state():
    people = [{"username": "john.roe"}, {"username": "jane"}, {"username": "new", "email": "new@example.com",
                                                               "first_name": "N", "last_name": "Ew"},
              {"username": "staged", "email": "staged@example.com"}]
    out = plan(people)
    assert out["enroll"] == ["jane", "new", "staged"], "john.roe has an active credential"
    assert out["activate"] == ["staged@example.com"], "FINBOURNE emailed the others when it created them"
    # jane's identity email is the email address of the FINBOURNE user jdoe@corp.example
    assert [u["login"] for u in out["fbn"]] == ["john.roe@example.com", "jdoe@corp.example", "new@example.com",
                                                "staged@example.com"]
    assert not out["errors"]


def test_every_error_is_named_before_any_write():
    out = plan([{"username": ["a", "b"]}, {"username": "kim"}, {"username": "x", "state": "gone", "extra": 1},
                {"username": "new", "email": "new@example.com"}, {"username": "gone", "email": "gone@example.com"},
                {"username": "y", "beyond_identity": {"groups": "Trading", "enroll": "perhaps"}}])
    assert out["errors"] == [
        "people_list[0].username must be a string, not a list",
        "people_list[1].email is required to enrol kim by EMAIL (people_beyond_identity_delivery_method); "
        "or set people_list[1].beyond_identity.enroll: false",
        "people_list[1]: FINBOURNE logins are email addresses, 'kim' is not one; give people_list[1].email or "
        "people_list[1].finbourne.login (or finbourne.enabled: false)",
        "people_list[2]: unknown key extra (allowed: username, display_name, first_name, last_name, email, state, "
        "beyond_identity, finbourne)",
        "people_list[2].state must be one of present, suspended, absent, not 'gone'",
        "people_list[3]: people_list[3].first_name, people_list[3].last_name required to create the FINBOURNE user "
        "new@example.com (or set finbourne.enabled: false)",
        "people_list[4]: the FINBOURNE user gone@example.com is deactivated, and FINBOURNE has no call to reactivate "
        "it (purge it with identity.cloud.finbourne_user purge: true to create it again)",
        "people_list[5].beyond_identity.groups must be a list of strings, not a str",
        "people_list[5].beyond_identity.enroll must be true or false, not 'perhaps'"]
    assert people_plan("jane")["errors"] == ["people_list must be a list of people, not a str"]


def test_one_person_twice_is_named():
    out = plan([{"username": "kim", "first_name": "Kim", "last_name": "Lee", "email": "kim@example.com"},
                {"username": "KIM", "first_name": "Kim", "last_name": "Two", "email": "kim2@example.com"},
                {"username": "lee", "first_name": "Lee", "last_name": "Lee", "email": "KIM@example.com"}])
    assert out["errors"] == [
        "people_list[0] and people_list[1] are the same Beyond Identity identity kim; list each person once",
        "people_list[0] and people_list[2] are the same FINBOURNE user KIM@example.com; list each person once"]


def test_unknown_groups_and_roles_are_named_before_any_write_except_in_check_mode():
    people = [{"username": "kim", "first_name": "Kim", "last_name": "Lee", "email": "kim@example.com",
               "beyond_identity": {"groups": ["Trading", "g2", "Tradnig"]}, "finbourne": {"roles": ["trading desk", "Auditor"]}},
              {"username": "john.roe", "state": "absent", "beyond_identity": {"groups": ["Nope"]}}]
    groups = [{"id": "g1", "display_name": "Trading"}, {"id": "g2", "display_name": "Ops"}]
    roles = [{"id": "r1", "name": "Trading Desk"}]
    out = people_plan(people, {}, IDENTITIES, [], USERS, groups, roles)
    assert out["errors"] == [
        "people_list[0].beyond_identity.groups: 'Tradnig' names no Beyond Identity group of the realm (id or display name)",
        "people_list[0].finbourne.roles: 'Auditor' names no FINBOURNE role (id or name)"]
    assert people_plan(people, {"check_mode": True}, IDENTITIES, [], USERS, groups, roles)["errors"] == []


def test_wrong_types_named_by_their_base_type():
    class _AnsibleTaggedStr(str):  # what ansible-core 2.19 hands a filter for a string from a playbook
        pass

    out = plan([{"username": "y", "beyond_identity": {"groups": _AnsibleTaggedStr("Trading")}}])
    assert out["errors"] == ["people_list[0].beyond_identity.groups must be a list of strings, not a str"]


def test_leavers_from_keys():
    assert people_leavers(["a", "b@example.com"], "absent") == [
        {"username": "a", "state": "absent"}, {"username": "b@example.com", "state": "absent"}]


def test_values_the_vendors_refuse_are_named_before_any_write():
    out = plan([{"username": "a|b", "first_name": "A", "last_name": "B", "email": "ab@example.com",
                 "finbourne": {"login": "x@y"}},
                {"username": "c" * 65, "display_name": "C", "first_name": "C" * 51, "last_name": "Ok",
                 "email": "c@example.com"}])
    assert out["errors"] == [
        "people_list[0].username must not contain any of {}[]<>;:?\\/|*^%$#=~`!, as Beyond Identity refuses them",
        "people_list[0].last_name must be 2 to 50 characters, not 1",
        "people_list[0].finbourne.login must be 5 to 80 characters, not 3",
        "people_list[1].username must be 1 to 64 characters, not 65",
        "people_list[1].first_name must be 1 to 50 characters, not 51"]
