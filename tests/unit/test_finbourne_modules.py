"""FINBOURNE adapter helpers, and the nested input constraints held against the vendor document."""

import datetime

import pytest

from ansible_collections.identity.cloud.plugins.module_utils.finbourne import tenant, users
from ansible_collections.identity.cloud.plugins.module_utils.resource import InputError
from ansible_collections.identity.cloud.plugins.modules import finbourne_password_policy, finbourne_user_schema
from tests.unit.test_constraints import KEYWORDS, schema_property

NESTED = [f for fields in finbourne_password_policy.NESTED.values() for f in fields] + finbourne_user_schema.PROPERTIES


@pytest.mark.parametrize("field", NESTED, ids=["%s.%s" % (f.schema[1], f.option) for f in NESTED])
def test_nested_constraints_match_the_document(field):
    vendor, schema, prop = field.schema
    node = schema_property(vendor, schema, prop)
    for keyword, attribute in KEYWORDS.items():
        assert getattr(field, attribute) == node.get(keyword), (schema, prop, keyword)


def test_nested_checks_name_the_suboption():
    with pytest.raises(InputError, match=r"^age.historyCount must be at most 30, got 31$"):
        tenant.check_nested({"age": {"historyCount": 31}}, finbourne_password_policy.NESTED)
    tenant.check_nested({"age": None, "complexity": {"minLength": 12}}, finbourne_password_policy.NESTED)


def test_instants_compare_across_notations():
    assert tenant.instant("2035-01-01T01:00:00+01:00") == tenant.instant("2035-01-01T00:00:00Z")
    assert tenant.instant("2035-01-01T00:00:00.1234567Z") > tenant.instant("2035-01-01T00:00:00Z")
    assert tenant.instant("not a date") == "not a date"


def test_equivalent_grant_is_active_with_the_same_roles_and_description():
    now = datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc)
    live = {"id": "a", "expiry": "2030-01-02T00:00:00Z", "terminated": False, "permittedRoles": ["r1", "r2"],
            "description": "t1"}
    assert tenant.equivalent_grant([live], {"permitted_roles": ["r2", "r1"], "description": "t1"}, now) is live
    assert tenant.equivalent_grant([live], {"permitted_roles": ["r1"]}, now) is None
    assert tenant.equivalent_grant([dict(live, terminated=True)], {}, now) is None
    assert tenant.equivalent_grant([dict(live, expiry="2029-12-31T00:00:00Z")], {}, now) is None


def test_schema_properties_compare_names_case_insensitively():
    current = {"alternativeUserIds": [{"name": "Employee", "description": "HR"}, {"name": "other", "description": ""}]}
    assert not tenant.schema_properties_changed(current, [{"name": "employee", "description": "HR"}], False)
    assert tenant.schema_properties_changed(current, [{"name": "employee", "description": "HR"}], True)
    assert tenant.schema_properties_changed(current, [{"name": "employee", "description": "Payroll"}], False)


class FakeClient:
    def __init__(self, roles):
        self.roles = roles
        self.calls = 0

    def list_all(self, path, params=None):
        self.calls += 1
        return self.roles


def test_roles_resolve_by_id_or_name_with_one_listing():
    client = FakeClient([{"id": "r1", "name": "Trading Desk"}, {"id": "r2", "name": "Risk"}])
    directory = users.Directory(client)
    assert directory.resolve_roles(["trading desk", "r2"]) == {"r1": "Trading Desk", "r2": "Risk"}
    with pytest.raises(InputError, match=r"^roles: no FINBOURNE role with id or name 'Nope'$"):
        directory.resolve_roles(["Nope", "Risk"])
    assert client.calls == 1


def test_lifecycle_skips_calls_the_status_does_not_need():
    user = {"id": "u1", "login": "a@example.com", "status": "ACTIVE"}
    out = users.lifecycle_one(None, user, "unlock", False, check_mode=True)
    assert out == {"item": "a@example.com", "id": "u1", "status": "ACTIVE", "changed": False,
                   "msg": "not locked out: user is ACTIVE"}
    assert users.lifecycle_one(None, user, "unlock", True, check_mode=True)["changed"]
    forced = users.lifecycle_one(None, user, "reset_factors", False, check_mode=True)
    assert forced["changed"] and "always runs" in forced["reason"]
