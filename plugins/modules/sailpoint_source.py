#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sailpoint_source
short_description: Manage SailPoint Identity Security Cloud sources
version_added: 0.1.0
description:
  - Create, update and delete sources (connected systems) in SailPoint Identity Security Cloud.
  - A source is found by O(name) (or O(id)). Only the options given are compared (a subset compare;
    keys of O(connector_attributes) you do not name are left alone), and an update sends a JSON Patch
    of only the changed paths.
  - The tenant adds computed keys to C(connectorAttributes) (C(healthy), C(since), C(status) ...);
    they are never compared or sent back.
  - Deleting a source starts a task on the tenant; with O(wait=true) the module polls the task until it completes.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.sailpoint
options:
  name:
    description:
      - Source name, unique in the tenant, not empty. Required to create a source.
      - With O(id) given too, the source with that id is renamed to O(name).
    type: str
  id:
    description:
      - Server ID of an existing source, instead of finding it by O(name).
      - With O(state=present) a source with this ID must exist; the task fails (writing nothing) otherwise.
    type: str
  description:
    description:
      - Human-readable description of the source.
    type: str
  owner:
    description:
      - Identity that owns the source. Required to create a source. It must exist (an unknown ID or
        name fails the task before anything is written).
      - An identity ID (32 hex digits), an identity name (looked up with C(name eq) in C(/identities)),
        or a dict with C(id) and/or C(name) (and optionally C(type=IDENTITY)).
      - Compared by ID.
    type: raw
  cluster:
    description:
      - Virtual appliance cluster of a direct-connect source, by ID, by name (looked up in
        C(/managed-clusters)) or as a dict with C(id) and/or C(name). Compared by ID.
    type: raw
  management_workgroup:
    description:
      - Governance group whose members may administer the source, by ID, by name (looked up in
        C(/workgroups)) or as a dict with C(id) and/or C(name). Compared by ID.
    type: raw
  account_correlation_config:
    description:
      - Account correlation configuration, by ID or as a dict with C(id) (and optionally C(name)).
    type: raw
  account_correlation_rule:
    description:
      - Rule doing complex account correlation, by ID or as a dict with C(id) (and optionally C(name)).
    type: raw
  manager_correlation_rule:
    description:
      - Rule doing manager correlation, by ID or as a dict with C(id) (and optionally C(name)).
    type: raw
  before_provisioning_rule:
    description:
      - Rule run on the cluster before provisioning, by ID or as a dict with C(id) (and optionally C(name)).
    type: raw
  manager_correlation_mapping:
    description:
      - Manager correlation filter, a dict with the API keys C(accountAttributeName) and C(identityAttributeName).
    type: dict
  connector:
    description:
      - Connector script name, for example V(delimited-file), V(active-directory) or V(web-services).
        Required to create a source; cannot change afterwards.
    type: str
  connector_class:
    description:
      - Fully qualified Java class of the connector. Cannot change once the source exists.
    type: str
  type:
    description:
      - Type of the managed system, for example V(OpenLDAP - Direct). Cannot change once the source exists.
      - For a delimited file source use O(provision_as_csv) instead; the tenant then sets V(DelimitedFile).
    type: str
  authoritative:
    description:
      - Whether the source is authoritative. Cannot change once the source exists.
    type: bool
  features:
    description:
      - Optional connector features, for example V(PROVISIONING) or V(AUTHENTICATE). Compared as a set.
    type: list
    elements: str
    choices: [AUTHENTICATE, COMPOSITE, DIRECT_PERMISSIONS, DISCOVER_SCHEMA, ENABLE, MANAGER_LOOKUP, NO_RANDOM_ACCESS,
              PROXY, SEARCH, TEMPLATE, UNLOCK, UNSTRUCTURED_TARGETS, SHAREPOINT_TARGET, PROVISIONING, GROUP_PROVISIONING,
              SYNC_PROVISIONING, PASSWORD, CURRENT_PASSWORD, ACCOUNT_ONLY_REQUEST, ADDITIONAL_ACCOUNT_REQUEST,
              NO_AGGREGATION, GROUPS_HAVE_MEMBERS, NO_PERMISSIONS_PROVISIONING, NO_GROUP_PERMISSIONS_PROVISIONING,
              NO_UNSTRUCTURED_TARGETS_PROVISIONING, NO_DIRECT_PERMISSIONS_PROVISIONING, PREFER_UUID,
              ARM_SECURITY_EXTRACT, ARM_UTILIZATION_EXTRACT, ARM_CHANGELOG_EXTRACT, USES_UUID, APPLICATION_DISCOVERY,
              DELETE]
  delete_threshold:
    description:
      - Percentage (0 to 100) of accounts removed in one aggregation above which the delete phase is skipped.
    type: int
  credential_provider_enabled:
    description:
      - Whether the source may fetch credentials from a credential provider.
    type: bool
  category:
    description:
      - Source category, for example V(CredentialProvider).
    type: str
  connector_attributes:
    description:
      - Connector-specific configuration (C(connectorAttributes)), with the connector's own key names.
      - Only the keys given are compared and changed, nested dicts key by key.
      - Must not contain keys the tenant computes (C(healthy), C(since), C(status), C(cloudExternalId),
        C(cloudDisplayName), C(cloudCacheUpdate)) nor secret-looking keys (containing C(password),
        C(secret) or C(privateKey)), which belong in O(connector_secrets).
    type: dict
  connector_secrets:
    description:
      - Secret connector attributes (passwords, private keys, client secrets), merged into
        C(connectorAttributes) on write. The tenant returns them encrypted, so they are never compared.
      - When they are sent is set by O(update_secrets).
    type: dict
  update_secrets:
    description:
      - V(always) sends O(connector_secrets) on every run (the task then always reports a change);
        V(on_create) sends them only when the source is created.
    type: str
    choices: [always, on_create]
    default: always
  provision_as_csv:
    description:
      - Create the source as a delimited file (CSV) source (the C(provisionAsCsv) query parameter).
        Only used when the source is created.
    type: bool
  wait:
    description:
      - After a delete, poll the deletion task (C(/task-status/{id})) until it completes (the source is gone only then).
      - With V(false) the task reference is returned at once; until the task completes the source still
        exists, so repeating the delete meanwhile reports a change again (the tenant answers with the same task).
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait for the deletion task when O(wait=true), 1 to 86400.
    type: int
    default: 300
  state:
    description:
      - V(present) creates or updates the source, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
notes:
  - The source's C(schemas) and C(passwordPolicies) are managed through their own endpoints and are not options here.
"""

EXAMPLES = r"""
- name: Ensure a delimited file source for the HR feed exists
  identity.cloud.sailpoint_source:
    name: HR Feed
    description: Employee records exported nightly by the HR system
    owner: Ada Admin
    connector: delimited-file
    provision_as_csv: true
    delete_threshold: 10

- name: Ensure a web services source with a secret exists
  identity.cloud.sailpoint_source:
    name: Ticketing
    description: Ticketing system accounts
    owner: {name: Ada Admin}
    management_workgroup: Source Admins
    cluster: Corporate Cluster
    connector: web-services
    features: [PROVISIONING, ENABLE]
    connector_attributes:
      genericWebServiceBaseUrl: https://tickets.example.com/api
      authenticationMethod: OAuth2Login
    connector_secrets:
      client_secret: "{{ lookup('ansible.builtin.env', 'TICKETING_CLIENT_SECRET', default='change-me') }}"
    update_secrets: on_create

- name: Change one connector attribute, leaving the others alone
  identity.cloud.sailpoint_source:
    name: Ticketing
    connector_attributes:
      genericWebServiceBaseUrl: https://tickets.example.com/api/v2

- name: Delete the HR feed source and wait for the deletion task
  identity.cloud.sailpoint_source:
    name: HR Feed
    state: absent
    wait_timeout: 120
"""

RETURN = r"""
source:
  description:
    - The source as the API returns it (secret connector attributes encrypted). Empty after deletion.
    - In check mode, the object the module would send merged into the current one.
  returned: always
  type: dict
  sample:
    id: 2c9180835d191a86015d28455b4a2329
    name: HR Feed
    description: Employee records exported nightly by the HR system
    owner: {type: IDENTITY, id: 2c9180857182305e0171993735622948, name: Ada Admin}
    connector: delimited-file
    type: DelimitedFile
    deleteThreshold: 10
    connectorAttributes: {healthy: false, status: SOURCE_STATE_UNCHECKED_SOURCE}
    healthy: false
    status: SOURCE_STATE_UNCHECKED_SOURCE
    created: "2024-05-01T10:00:00.000Z"
    modified: "2024-05-01T10:00:00.000Z"
id:
  description: Server ID of the source.
  returned: when the source exists
  type: str
  sample: 2c9180835d191a86015d28455b4a2329
task:
  description:
    - The deletion task, when the module deleted the source. With O(wait=true) the final task status
      (C(completionStatus), C(completed), C(messages) ...), else the reference the API answered
      (C(type=TASK_RESULT), C(id)).
  returned: when a source was deleted
  type: dict
  sample: {id: 2c91808779ecf55b0179f720942f181a, completionStatus: SUCCESS, completed: "2024-05-01T10:00:03.000Z"}
"""

from ansible_collections.identity.cloud.plugins.module_utils import sailpoint
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import Engine, Field, ResourceSpec

REFERENCES = [
    sailpoint.Reference("owner", "IDENTITY", "identities", "identity"),
    sailpoint.Reference("cluster", "CLUSTER", "managed-clusters", "cluster"),
    sailpoint.Reference("management_workgroup", "GOVERNANCE_GROUP", "workgroups", "governance group"),
    sailpoint.Reference("account_correlation_config", "ACCOUNT_CORRELATION_CONFIG"),
    sailpoint.Reference("account_correlation_rule", "RULE"),
    sailpoint.Reference("manager_correlation_rule", "RULE"),
    sailpoint.Reference("before_provisioning_rule", "RULE"),
]


SPEC = ResourceSpec("source", key=Field("name", min_length=1), fields=[
    Field("description"),
    *[Field(ref.option, api=sailpoint.camel(ref.option), type="raw", normalize=sailpoint.reference_id) for ref in REFERENCES],
    Field("manager_correlation_mapping", api="managerCorrelationMapping", type="dict"),
    Field("connector"),
    Field("connector_class", api="connectorClass"),
    Field("type"),
    Field("authoritative", type="bool"),
    Field("features", type="list", elements="str", unordered=True, schema=("sailpoint", "Source", "features"),
          choices=sailpoint.SOURCE_FEATURES),
    Field("delete_threshold", api="deleteThreshold", type="int", minimum=0, maximum=100),
    Field("credential_provider_enabled", api="credentialProviderEnabled", type="bool"),
    Field("category"),
    # Both live in connectorAttributes; the secrets are merged in on write and never compared.
    Field("connector_secrets", api="connectorAttributes", type="dict", secret=True),
    Field("connector_attributes", api="connectorAttributes", type="dict"),
], extra_options={
    "provision_as_csv": {"type": "bool"},
    "wait": {"type": "bool", "default": True},
    "wait_timeout": {"type": "int", "default": 300, "minimum": 1, "maximum": 86400},
})

CHECKS = [
    sailpoint.forbid_keys("connector_attributes", sailpoint.COMPUTED_CONNECTOR_KEYS,
                          "the tenant computes them and rejects them on write"),
    sailpoint.secret_looking_keys("connector_attributes", sailpoint.SECRET_KEY_MARKERS, "connector_secrets"),
    sailpoint.disjoint_keys("connector_secrets", "connector_attributes"),
]


def main():
    module = vendor_module(SPEC.argument_spec(), sailpoint.SAILPOINT_ARGS, required_one_of=[("name", "id")])
    api = sailpoint.connect(module)
    sources = sailpoint.Collection(
        api, "sources", SPEC, references=REFERENCES, checks=CHECKS,
        immutable=("connector", "connector_class", "type", "authoritative"),
        required_on_create=("owner", "connector"), create_query={"provision_as_csv": "provisionAsCsv"},
        deep=("connectorAttributes",))
    Engine(module, SPEC, sources).run()


if __name__ == "__main__":
    main()
