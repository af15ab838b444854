#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: tenant_export
short_description: Export FINBOURNE, Beyond Identity and SailPoint tenants as the collection's roles' variables files
version_added: 0.2.0
description:
  - Reads the tenants through the collection's C(_info) modules, run on the task's host as their own tasks would run
    (the connection options come from C(module_defaults) of the groups C(group/identity.cloud.finbourne),
    C(group/identity.cloud.sailpoint) and C(group/identity.cloud.beyond_identity), or from the vendors' environment
    variables), and writes under O(path) one variables file per role in the shape that role takes -
    C(finbourne_tenant.yml), C(beyond_identity_tenant.yml), C(people.yml), C(sailpoint_source_onboarding.yml) - and
    C(vault-template.yml), which lists every secret the files refer to as C({{ vault_... }}).
  - "This is the action behind the role M(identity.cloud.tenant_export) (C(ansible-doc -t role
    identity.cloud.tenant_export) says what each file holds and what is left out); the role adds the checks that
    name its own variables and the host's folder C(tenant_export_dir/<inventory_hostname>)."
  - Reads only. The SailPoint sources (with their schemas, provisioning policies, schedules and configurations) are
    read as an asynchronous job on the host while FINBOURNE and Beyond Identity are read, so the three vendors are
    read at the same time; within each vendor, O(concurrency) requests at a time.
  - Before the first read it fails in one line on a bad pattern, a folder this user cannot read and write, or a
    file of this export that exists while O(force) is false. A read that fails (an HTTP 403 on one kind, or a fault
    the modules' retries do not ride out) fails the task before any file is written, once the SailPoint job has
    ended. Each file is written to a temporary file in O(path) and renamed over the target, so no file is ever
    half-written; a file whose text and mode are already right is not touched.
  - Output is deterministic (sorted keys, lists sorted by name, fixed YAML settings), so two exports of one tenant
    are byte-equal.
author: identity.cloud contributors (@identity-cloud)
attributes:
  check_mode:
    description: Can run in check mode and return changed status prediction without modifying target.
    support: full
    details: Reads as in a real run and reports which files would change; writes nothing.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: full
    details: Before and after of each file that would change, unless it is larger than C(MAX_FILE_SIZE_FOR_DIFF).
  action:
    description: Indicates this has a corresponding action plugin so some parts of the options can be executed on the controller.
    support: full
    details: Runs on the controller; the C(_info) modules run on the task's host; the files are written on the controller.
options:
  path:
    description:
      - The folder the files are written to, on the controller; created (mode C(0755)) when missing. A relative path
        is taken from the directory C(ansible-playbook) runs in.
      - Required when O(write=true).
    type: path
  include:
    description:
      - "What to export: patterns C(vendor[:kind[:name-glob]]), for example V(finbourne), V(beyond_identity:group),
        V(sailpoint:source:HR*). An empty list exports everything."
      - "Kinds: C(finbourne) - C(role), C(password_policy), C(application), C(user); C(beyond_identity) - C(realm),
        C(theme), C(resource_server), C(authenticator_config), C(application), C(group), C(identity_provider),
        C(role), C(sso_config), C(identity); C(sailpoint) - C(source)."
    type: list
    elements: str
    default: []
  exclude:
    description:
      - Patterns (as O(include)) of what not to export; they win over the include patterns.
    type: list
    elements: str
    default: []
  people_realm:
    description:
      - The Beyond Identity realm (display name or id) whose identities C(people.yml) holds.
    type: str
    default: Default
  concurrency:
    description:
      - How many requests each vendor's reads run at the same time, 1 to 32 - Beyond Identity member, role and
        assignment listings; the pages of the SailPoint source listing after the first and the sources' parts.
    type: int
    default: 8
  force:
    description:
      - Overwrite the files of an earlier export. When false, an existing file of this export fails the task before
        any read.
    type: bool
    default: false
  write:
    description:
      - When false, nothing is written (O(path) is not used); the export is returned as the host fact
        C(tenant_export_result) (file name -> C(vars), the role's variables, and C(vault), the secrets' variables).
    type: bool
    default: true
  source:
    description:
      - What the files' header names as the tenant they were exported from.
      - Default is the inventory host's name.
    type: str
  timeout:
    description:
      - The longest the SailPoint job may run, in seconds; it is stopped and the task fails after that.
    type: int
    default: 3600
notes:
  - The SailPoint job's result waits in the async directory of the host (C(~/.ansible_async)) until it is read,
    then is removed.
seealso:
  - module: identity.cloud.sailpoint_source_info
  - module: identity.cloud.beyond_identity_realm_info
  - module: identity.cloud.finbourne_user_info
"""

EXAMPLES = r"""
- name: Export every tenant the connection settings reach, into export/ in the current directory
  identity.cloud.tenant_export:
    path: export/{{ inventory_hostname }}
    force: true

- name: Export only the Beyond Identity groups and the HR sources, reading 4 requests at a time
  identity.cloud.tenant_export:
    path: export-hr/{{ inventory_hostname }}
    include:
      - beyond_identity:group
      - sailpoint:source:HR*
    concurrency: 4
    force: true

- name: Read the tenants as the roles' variables without writing a file
  identity.cloud.tenant_export:
    write: false

- name: Show what the tenant holds as the people role's variable
  ansible.builtin.debug:
    msg: "{{ tenant_export_result['people.yml'].vars.people_list | length }} people"
"""

RETURN = r"""
path:
  description: The folder the files were written to.
  returned: when O(write=true)
  type: str
  sample: export/identity-sandbox
files:
  description: Each file of the export, whether it was (or in check mode would be) written.
  returned: when O(write=true)
  type: list
  elements: dict
  sample:
    - {name: people.yml, path: export/identity-sandbox/people.yml, changed: true}
    - {name: vault-template.yml, path: export/identity-sandbox/vault-template.yml, changed: false}
exported:
  description: Per file, how many items each of its list variables holds.
  returned: always
  type: dict
  sample:
    people.yml: {people_list: 12006}
    sailpoint_source_onboarding.yml: {sailpoint_source_onboarding_sources: 500}
ansible_facts:
  description: The export, when O(write=false).
  returned: when O(write=false)
  type: dict
  contains:
    tenant_export_result:
      description: File name -> C(vars) (the role's variables) and C(vault) (C(name), C(description) of each secret).
      type: dict
"""
