#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sailpoint_source_entitlement_request_config
short_description: Manage the entitlement request configuration of a SailPoint source
version_added: 0.1.0
description:
  - Set how access to the entitlements of a source is requested and revoked in SailPoint Identity Security
    Cloud (C(/sources/{id}/entitlement-request-config), read with GET and written with PUT).
  - Only the keys given are compared, nested dicts key by key; the PUT sends the current configuration
    with the given keys changed. A list (C(approvalSchemes)) is the complete list and replaces the current one.
  - The options are checked against the vendor's schema (keys, types, enums such as C(approverType) and
    C(timeUnit)) before any write, in check mode too.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.sailpoint
  - identity.cloud.sailpoint.source
options:
  access_request_config:
    description:
      - C(accessRequestConfig) with the API's keys, for example C(approvalSchemes) (list of
        C({approverType, approverId})), C(requestCommentRequired), C(denialCommentRequired),
        C(reauthorizationRequired), C(requireEndDate), C(maxPermittedAccessDuration) (C({value, timeUnit}),
        C(timeUnit) one of V(HOURS), V(DAYS), V(WEEKS), V(MONTHS)). C(approverType) is one of
        V(ENTITLEMENT_OWNER), V(SOURCE_OWNER), V(MANAGER), V(GOVERNANCE_GROUP), V(WORKFLOW).
    type: dict
  revocation_request_config:
    description:
      - C(revocationRequestConfig) with the API's keys (C(approvalSchemes)).
    type: dict
"""

EXAMPLES = r"""
- name: Ensure the HR feed source exists (the tasks below work on it)
  identity.cloud.sailpoint_source:
    name: HR Feed
    owner: Ada Admin
    connector: delimited-file

- name: Require a comment on every entitlement request of the HR feed
  identity.cloud.sailpoint_source_entitlement_request_config:
    source: HR Feed
    access_request_config:
      requestCommentRequired: true
      denialCommentRequired: true
"""

RETURN = r"""
entitlement_request_config:
  description:
    - The configuration as the API returns it after the task. In check mode, the current
      configuration with the options given merged in.
  returned: always
  type: dict
  sample: {accessRequestConfig: {approvalSchemes: [], requestCommentRequired: true}, revocationRequestConfig: {approvalSchemes: []}}
"""

from ansible_collections.identity.cloud.plugins.module_utils import sailpoint
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import Engine, Field, ResourceSpec
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import children

SPEC = ResourceSpec("entitlement_request_config", key=None, fields=[
    Field("access_request_config", api="accessRequestConfig", type="dict",
          schema=("sailpoint", "SourceEntitlementRequestConfig", "accessRequestConfig")),
    Field("revocation_request_config", api="revocationRequestConfig", type="dict",
          schema=("sailpoint", "SourceEntitlementRequestConfig", "revocationRequestConfig")),
], extra_options=children.SOURCE_OPTION)


def main():
    module = vendor_module(children.config_argument_spec(SPEC), sailpoint.SAILPOINT_ARGS)
    api = sailpoint.connect(module)
    crud = children.SourceConfig(api, SPEC, "entitlement-request-config")
    Engine(module, SPEC, crud).run()


if __name__ == "__main__":
    main()
