#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: beyond_identity_realm_info
short_description: List Beyond Identity realms, optionally with everything in them
version_added: 0.1.0
description:
  - Returns the realms of the tenant (every page), or those with O(display_name), or the one with O(id).
  - With O(include_parts), reads the objects of each of those realms in the same run, one key per part on each
    realm, each holding what the part's own C(_info) module returns for that realm.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.beyond_identity
options:
  display_name:
    description:
      - Only realms with this display name.
    type: str
  id:
    description:
      - Only the realm with this id.
    type: str
  include_parts:
    description:
      - What to read in each returned realm, one key per part (see RV(realms)). Each key holds the list the part's
        C(_info) module returns for that realm with no filter.
      - V(theme) adds C(themes), the realm's active theme, as M(identity.cloud.beyond_identity_theme_info).
      - V(resource_servers), V(authenticator_configs), V(applications) and V(identity_providers) add the list of
        that name, as their C(_info) modules (M(identity.cloud.beyond_identity_resource_server_info),
        M(identity.cloud.beyond_identity_authenticator_config_info),
        M(identity.cloud.beyond_identity_application_info), M(identity.cloud.beyond_identity_identity_provider_info)).
      - V(groups) adds C(groups) as M(identity.cloud.beyond_identity_group_info); with V(group_members) too, each
        group has C(members) as with its O(identity.cloud.beyond_identity_group_info#module:include_members=true).
        V(group_members) without V(groups) is an error.
      - V(roles) adds C(roles), the roles of every resource server of the realm (the managed Management API's
        too) as M(identity.cloud.beyond_identity_role_info) with C(include_members=true) and
        C(include_scopes=true), each with its resource server in C(resource_server_id) and
        C(resource_server_display_name). The resource servers are listed for this even when V(resource_servers)
        is not asked (one listing, shared when both are).
      - V(sso_configs) adds C(sso_configs) as M(identity.cloud.beyond_identity_sso_config_info) with
        C(include_assignments=true).
      - V(identities) adds C(identities) as M(identity.cloud.beyond_identity_identity_info) (without groups).
      - "Requests: after the realms' listing, realm after realm, the parts in the order of this option's choices
        (whatever the order given), one part complete before the next starts. Every listing reads its pages one
        after the other. The per-object reads run O(concurrency) objects at a time: the members of each group
        (V(group_members)); the members then the scopes of each role (V(roles), after the listing of the roles of
        each resource server in turn); the assigned identities then groups of each SSO configuration
        (V(sso_configs))."
      - A realm deleted between the realms' listing and the reading of its parts fails the task with the error the
        single-kind modules give for a realm that does not exist.
    type: list
    elements: str
    choices: [theme, resource_servers, authenticator_configs, applications, groups, group_members,
              identity_providers, roles, sso_configs, identities]
    default: []
    version_added: 0.2.0
  concurrency:
    description:
      - How many groups, roles or SSO configurations have their members, scopes or assignments read at the same
        time, 1 to 32 (see O(include_parts)). Parts are never read at the same time as each other.
    type: int
    default: 8
    version_added: 0.2.0
notes:
  - This module only reads, so it runs the same in check mode.
"""

EXAMPLES = r"""
- name: Read every realm
  identity.cloud.beyond_identity_realm_info:
  register: all_realms

- name: Read the default realm
  identity.cloud.beyond_identity_realm_info:
    display_name: Default
  register: default_realm

- name: Read everything in the default realm in one task
  identity.cloud.beyond_identity_realm_info:
    display_name: Default
    include_parts: [theme, resource_servers, authenticator_configs, applications, groups, group_members,
                    identity_providers, roles, sso_configs, identities]
    concurrency: 8
  register: default_realm_contents

- name: Show the usernames of the members of each group
  ansible.builtin.debug:
    msg: "{{ item.display_name }}: {{ item.members | map(attribute='traits.username') | list }}"
  loop: "{{ default_realm_contents.realms[0].groups }}"
  loop_control:
    label: "{{ item.display_name }}"
"""

RETURN = r"""
realms:
  description:
    - The matching realms as the API returns them, in the API's order.
    - With O(include_parts), each realm also has one key per part asked (below); each is a list, in the API's order.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 19a95130480dfa79
      tenant_id: 0001f1f460b1ace6
      display_name: Default
      create_time: "2022-05-18T18:00:01.167Z"
      update_time: "2022-05-19T14:23:01.327Z"
  contains:
    themes:
      description: The realm's active theme, as M(identity.cloud.beyond_identity_theme_info) returns it.
      returned: when O(include_parts) has V(theme)
      type: list
      elements: dict
      sample:
        - id: 88ef08fb-c3f9-44e2-b174-fbb239e1dc47
          realm_id: 19a95130480dfa79
          tenant_id: 0001f1f460b1ace6
          email_realm_name: Example Corp
          support_url: https://support.example.com
    resource_servers:
      description: The realm's resource servers, as M(identity.cloud.beyond_identity_resource_server_info).
      returned: when O(include_parts) has V(resource_servers)
      type: list
      elements: dict
      sample:
        - id: 7b5a4325-00e0-4379-bd7b-3e5e7e30b09e
          realm_id: 19a95130480dfa79
          tenant_id: 0001f1f460b1ace6
          display_name: Pet API
          is_managed: false
          identifier: https://pets.example.com
          scopes: ["pets:read", "pets:write"]
    authenticator_configs:
      description: The realm's authenticator configs, as M(identity.cloud.beyond_identity_authenticator_config_info).
      returned: when O(include_parts) has V(authenticator_configs)
      type: list
      elements: dict
      sample:
        - id: 73731b7f-eb76-4143-9b4b-81a720385f5a
          realm_id: 19a95130480dfa79
          tenant_id: 0001f1f460b1ace6
          config: {type: hosted_web}
    applications:
      description: The realm's applications, as M(identity.cloud.beyond_identity_application_info) (no client
        secrets).
      returned: when O(include_parts) has V(applications)
      type: list
      elements: dict
      sample:
        - id: 38833c36-6f47-4992-9329-ea0a00915137
          realm_id: 19a95130480dfa79
          tenant_id: 0001f1f460b1ace6
          display_name: Pet Portal
          is_managed: false
          protocol_config: {type: oidc, client_id: AYYNcuOSpfqIf33JeegCzDIT, confidentiality: public}
    groups:
      description: The realm's groups, as M(identity.cloud.beyond_identity_group_info); with V(group_members) in
        O(include_parts), each has C(members), the member identities as the API returns them.
      returned: when O(include_parts) has V(groups)
      type: list
      elements: dict
      sample:
        - id: 81490afab171aef0
          realm_id: 19a95130480dfa79
          tenant_id: 0001f1f460b1ace6
          display_name: Engineering
          members:
            - id: e372db224c06e850
              display_name: Alice
              traits: {type: traits_v0, username: alice, primary_email_address: alice@example.com}
    identity_providers:
      description: The realm's identity providers, as M(identity.cloud.beyond_identity_identity_provider_info)
        (without C(protocol_config.client_secret)).
      returned: when O(include_parts) has V(identity_providers)
      type: list
      elements: dict
      sample:
        - id: 6c1e0f4a-23f5-4b8b-9a55-3a7b1c0d2e11
          display_name: Corporate IdP
          protocol_config: {type: oidc_idp, client_id: beyond-identity, identity_attribute: email}
    roles:
      description:
        - The roles of every resource server of the realm, server after server in the servers' listing order, each
          as M(identity.cloud.beyond_identity_role_info) with C(include_members=true) and C(include_scopes=true)
          returns it (C(members) as C(identity:<username>) and C(group:<display name>), C(scopes)).
        - Each also has its resource server's id in C(resource_server_id) and display name in
          C(resource_server_display_name).
      returned: when O(include_parts) has V(roles)
      type: list
      elements: dict
      sample:
        - id: fb785d40cbe4fc0d
          resource_server_id: 7b5a4325-00e0-4379-bd7b-3e5e7e30b09e
          resource_server_display_name: Pet API
          display_name: Pet keepers
          description: May read and change pets
          members: ["group:Help Desk", "identity:alice"]
          scopes: ["pets:read"]
    sso_configs:
      description: The realm's SSO configurations, as M(identity.cloud.beyond_identity_sso_config_info) with
        C(include_assignments=true) (C(identities) and C(groups) assigned; no client secret or Okta token).
      returned: when O(include_parts) has V(sso_configs)
      type: list
      elements: dict
      sample:
        - id: 0d3b5a0e-3f5c-4f4e-9f1f-6a3e0c1b2d4e
          display_name: Wiki
          payload: {type: bookmark, login_link: "https://wiki.example.com/login"}
          identities: [alice]
          groups: [Engineering]
    identities:
      description: The realm's identities, as M(identity.cloud.beyond_identity_identity_info).
      returned: when O(include_parts) has V(identities)
      type: list
      elements: dict
      sample:
        - id: e372db224c06e850
          realm_id: 19a95130480dfa79
          tenant_id: 0001f1f460b1ace6
          display_name: Alice
          status: active
          traits: {type: traits_v0, username: alice, primary_email_address: alice@example.com}
"""

from ansible_collections.identity.cloud.plugins.module_utils import beyond_identity as bi
from ansible_collections.identity.cloud.plugins.module_utils import bulk
from ansible_collections.identity.cloud.plugins.module_utils.beyond_identity import readers
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_info


def main():
    options = {"display_name": {"type": "str"}, "id": {"type": "str"},
               "include_parts": {"type": "list", "elements": "str", "choices": list(readers.PARTS), "default": []}}
    options.update(bulk.CONCURRENCY_OPTION)
    module = vendor_module(options, bi.BEYOND_IDENTITY_ARGS, mutually_exclusive=[("display_name", "id")])
    parts = module.params["include_parts"]
    problem = readers.check_parts(parts)
    if problem:
        module.fail_json(msg=problem)
    session = bi.connect(module, realm_option=None)
    realms = bi.info_reader(bi.BeyondIdentityCrud(session, bi.REALMS), [("display_name", "display_name")])
    # Realm after realm: the reads of one realm's parts are in readers.realm_parts (order and concurrency there).
    run_info(module, "realms", lambda params: [readers.realm_parts(session, realm, parts) if parts else realm
                                               for realm in realms(params)])


if __name__ == "__main__":
    main()
