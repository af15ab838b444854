"""plugin_utils/export.py, plugin_utils/tenant_export.py and the tenant export filters (issue 23): patterns, vault names, stable output, people,
what to prune."""

import pytest
import yaml

from ansible_collections.identity.cloud.plugins.filter.people_plan import people_plan
from ansible_collections.identity.cloud.plugins.filter.tenant_export import FilterModule
from ansible_collections.identity.cloud.plugins.plugin_utils.tenant_export import (
    beyond_identity_export_memberships,
    tenant_export_dir_error,
    finbourne_export,
    people_export,
    tenant_export_file_names,
    tenant_export_files,
    tenant_export_prune,
)
from ansible_collections.identity.cloud.plugins.plugin_utils.export import (
    ExportError,
    check_patterns,
    selected,
    stable,
    to_yaml,
    vault_variable,
)


@pytest.mark.parametrize("include,exclude,error", [
    (["finbourne", "beyond_identity:group", "sailpoint:source:HR*"], ["finbourne:user:svc-*"], None),
    (["okta"], [], "tenant_export_include: unknown vendor 'okta' in 'okta'; allowed: beyond_identity, finbourne, sailpoint"),
    ([], ["sailpoint:role"], "tenant_export_exclude: unknown sailpoint kind 'role' in 'sailpoint:role'; allowed: source"),
    ("finbourne", [], "tenant_export_include must be a list of patterns vendor[:kind[:name-glob]], got: str"),
    (["finbourne:role:"], [], "tenant_export_include: empty name glob in 'finbourne:role:' (leave out ':' to select every name)"),
])
def test_check_patterns(include, exclude, error):
    assert check_patterns(include, exclude) == error


def test_selected():
    include, exclude = ["sailpoint:source:HR*", "beyond_identity"], ["beyond_identity:group:Old*"]
    assert selected(include, exclude, "sailpoint", "source", "HR Feed")
    assert not selected(include, exclude, "sailpoint", "source", "hr feed")  # case-sensitive
    assert selected(include, exclude, "beyond_identity", "group", "Ops")
    assert not selected(include, exclude, "beyond_identity", "group", "Old Ops")
    assert selected(include, exclude, "beyond_identity", "group")  # a name glob does not exclude the kind
    assert not selected(include, exclude, "finbourne", "role")
    assert selected([], [], "finbourne", "role", "Desk")
    assert not selected([], ["finbourne:role"], "finbourne", "role")


def test_vault_variables_are_distinct_for_names_differing_in_case():
    names = set(vault_variable("beyond_identity", "sso_config", n, "client_secret") for n in ("okta", "Okta", "OKTA", "Zürich"))
    assert len(names) == 4 and all(n.startswith("vault_beyond_identity_sso_config_") for n in names)
    assert vault_variable("beyond_identity", "sso_config", "okta", "client_secret") == \
        "vault_beyond_identity_sso_config_okta_client_secret"
    assert all(n.isidentifier() and n.isascii() for n in names)


def test_stable_yaml_is_deterministic():
    one = {"b": [{"name": "z", "l": ["y", "x"]}, {"name": "Ä"}], "a": "Zürich {{ x }}"}
    two = {"a": "Zürich {{ x }}", "b": [{"name": "Ä"}, {"l": ["x", "y"], "name": "z"}]}
    assert to_yaml(stable(one)) == to_yaml(stable(two))
    text = to_yaml(stable(one), "header")
    assert text.startswith("# header\n---\n") and text.endswith("\n") and "Zürich" in text
    assert yaml.safe_load(text) == stable(one)


def test_yaml_of_ansible_strings():
    """ansible-core < 2.19 hands filters AnsibleUnsafeText, whose str() is itself: the dumper gets plain str."""
    from ansible.utils.unsafe_proxy import AnsibleUnsafeText

    name = AnsibleUnsafeText("Zürich")
    assert to_yaml(stable({name: [name]})) == "---\nZürich:\n  - Zürich\n"
    assert list(stable({name: 1}))[0].__class__ is str


def test_finbourne_export_leaves_out_ids_and_unset_fields():
    out = finbourne_export({"roles": [{"id": "r1", "name": "Desk", "description": None, "roleId": {}}],
                            "applications": [{"id": "a", "clientId": "portal", "displayName": "Portal", "type": "Web",
                                              "issuer": "https://x"}]})
    assert out == {"vars": {"finbourne_tenant_roles": [{"name": "Desk"}], "finbourne_tenant_password_policies": [],
                            "finbourne_tenant_applications": [{"application_client_id": "portal", "display_name": "Portal",
                                                               "type": "Web"}]}, "vault": []}
    with pytest.raises(ExportError, match="unknown finbourne kind"):
        finbourne_export({}, ["finbourne:roles"])


IDENTITIES = [{"id": "i1", "display_name": "Jane", "status": "active", "groups": [{"display_name": "Ops"}],
               "traits": {"username": "jane", "primary_email_address": "jane@example.com"}},
              {"id": "i2", "display_name": "Bot", "status": "active", "traits": {"username": "bot"}}]
USERS = [{"login": "jane@example.com", "emailAddress": "jane@example.com", "firstName": "Jane", "lastName": "Doe",
          "type": "Personal", "status": "ACTIVE", "roles": [{"name": "Desk"}]},
         {"login": "svc@example.com", "emailAddress": "svc@example.com", "firstName": "Svc", "lastName": "Account",
          "type": "Service", "status": "ACTIVE", "roles": []},
         {"login": "gone@example.com", "emailAddress": "gone@example.com", "status": "DEPROVISIONED"}]


def test_people_export_links_identities_and_users_as_the_people_role_does():
    people = people_export({"identities": IDENTITIES, "users": USERS})["vars"]
    assert people["people_beyond_identity_enroll"] is False and people["people_finbourne_activation_email"] is False
    by_name = dict((p["username"], p) for p in people["people_list"])
    assert sorted(by_name) == ["bot", "jane", "svc@example.com"]
    assert by_name["jane"]["finbourne"] == {"roles": ["Desk"], "type": "Personal"}
    assert by_name["bot"]["finbourne"] == {"enabled": False}
    assert by_name["svc@example.com"]["beyond_identity"] == {"enabled": False}
    # the people role plans no change from it against the same state
    plan = people_plan(people["people_list"], {"enroll": False, "activation_email": False}, IDENTITIES, [], USERS)
    assert plan["errors"] == [] and [i["username"] for i in plan["bi"]] == ["bot", "jane"]
    assert [u["login"] for u in plan["fbn"]] == ["jane@example.com", "svc@example.com"]


def test_prune_lists_what_the_target_has_and_the_source_lacks():
    target = {"finbourne_tenant.yml": {"vars": {"finbourne_tenant_roles": [{"name": "Desk"}, {"name": "Legacy"}],
                                                "finbourne_tenant_password_policies": [{"user_type": "Service"}]}},
              "people.yml": {"vars": {"people_list": [{"username": "Jane"}, {"username": "old", "finbourne": {"enabled": False}}]}}}
    source = {"finbourne_tenant.yml": {"finbourne_tenant_roles": [{"name": "Desk"}]},
              "people.yml": {"people_list": [{"username": "jane"}]}}
    assert tenant_export_prune(target, source) == {
        "finbourne_tenant_roles": [{"name": "Legacy", "state": "absent"}],
        "people_list": [{"beyond_identity": {}, "finbourne": {"enabled": False}, "state": "absent", "username": "old"}]}


def test_files_and_vault_template():
    assert tenant_export_file_names(["beyond_identity:identity"], []) == ["people.yml", "vault-template.yml"]
    assert tenant_export_file_names([], ["sailpoint"]) == [
        "beyond_identity_tenant.yml", "finbourne_tenant.yml", "people.yml", "vault-template.yml"]
    files = tenant_export_files({"beyond_identity_tenant.yml": {"vars": {"x": "{{ vault_b }}"}, "vault": [
        {"name": "vault_b", "description": "Client secret of B"}]}}, "sandbox")
    assert [f["name"] for f in files] == ["beyond_identity_tenant.yml", "vault-template.yml"]
    assert "# Client secret of B\nvault_b: \"\"\n" in files[1]["content"]
    assert yaml.safe_load(files[1]["content"]) == {"vault_b": ""}


def test_memberships_come_from_the_member_listings_of_the_people_realm_only():
    def read(realm, groups, skipped=False):
        return {"item": realm, "skipped": skipped, "groups": groups}
    default = {"id": "r1", "display_name": "Default"}
    results = [
        read(default, [{"display_name": "Ops", "members": [{"id": "i1"}, {"id": "i2"}]},
                       {"display_name": "Dev", "members": [{"id": "i1"}]}, {"display_name": "Empty", "members": []}]),
        read({"id": "r2", "display_name": "Other"}, [{"display_name": "Elsewhere", "members": [{"id": "i1"}]}]),
        read(default, [{"display_name": "Skipped", "members": [{"id": "i3"}]}], skipped=True)]
    assert beyond_identity_export_memberships(results, "default") == {"i1": ["Ops", "Dev"], "i2": ["Ops"]}
    assert beyond_identity_export_memberships(results, "R2") == {"i1": ["Elsewhere"]}
    assert beyond_identity_export_memberships(results, "Nowhere") == {}


def test_dir_error_names_the_folder_or_the_files(tmp_path):
    host = tmp_path / "identity-prod"
    assert tenant_export_dir_error(["people.yml"], str(tmp_path), str(host)) == ""
    host.mkdir()
    (host / "people.yml").write_text("---\n")
    error = tenant_export_dir_error(["people.yml", "vault-template.yml"], str(tmp_path), str(host))
    assert error == "%s exists and tenant_export_force is false: nothing was read or written" % (host / "people.yml")
    assert tenant_export_dir_error(["people.yml"], str(tmp_path), str(host), force=True) == ""
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert tenant_export_dir_error([], str(blocker), str(blocker / "x")) == (
        "tenant_export_dir: %s is not a directory this user can read and write" % blocker)


def test_the_filters_are_the_checks_and_the_prune():
    filters = FilterModule().filters()
    assert sorted(filters) == ["tenant_export_check", "tenant_export_dir_error", "tenant_export_file_names",
                               "tenant_export_prune"]
    assert filters["tenant_export_check"](["sailpoint:role"], []).startswith("tenant_export_include: unknown sailpoint kind")
