#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sailpoint_source_correlation_config
short_description: Manage the account correlation configuration of a SailPoint source
version_added: 0.1.0
description:
  - Set the account correlation configuration of a source in SailPoint Identity Security Cloud
    (C(/sources/{id}/correlation-config), read with GET and written with PUT), which account attribute
    is matched against which identity attribute to link accounts to identities.
  - Only the options given are compared. O(attribute_assignments) is compared as a whole list, in order.
  - The PUT sends each rule merged into the current rule with the same C(property) and C(value), so the keys a
    rule leaves out keep their current values (the API would otherwise reset them).
  - O(attribute_assignments) is checked against the vendor's schema before any write, in check mode too.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.sailpoint
  - identity.cloud.sailpoint.source
options:
  name:
    description:
      - Name of the correlation configuration.
    type: str
  attribute_assignments:
    description:
      - The complete list of correlation rules (C(attributeAssignments)), each a dict with the API's keys
        C(property) (identity attribute), C(value) (account attribute), C(operation) (V(EQ)), C(complex),
        C(ignoreCase), C(matchMode) (V(ANYWHERE), V(START) or V(END)) and C(filterString); any other key
        is refused. Compared in order, each rule by the keys given; V([]) removes every rule, and a current
        rule that is not listed is removed.
      - A key a rule leaves out keeps the value of the current rule with the same C(property) and C(value);
        to change or reset a key, give it (for example C(ignoreCase=false)). A key cannot be removed from a
        rule (null is refused); to drop one such as C(matchMode), leave the rule out in one run and give it
        again in the next.
    type: list
    elements: dict
"""

EXAMPLES = r"""
- name: Ensure the HR feed source exists (the tasks below work on it)
  identity.cloud.sailpoint_source:
    name: HR Feed
    owner: Ada Admin
    connector: delimited-file

- name: Correlate HR accounts to identities by employee number
  identity.cloud.sailpoint_source_correlation_config:
    source: HR Feed
    attribute_assignments:
      - {property: uid, value: employeeId, operation: EQ, ignoreCase: true, matchMode: ANYWHERE}
"""

RETURN = r"""
correlation_config:
  description:
    - The configuration as the API returns it after the task. In check mode, the current
      configuration with the options given merged in.
  returned: always
  type: dict
  sample: {id: 2c9180835d191a86015d28455b4a2329, name: HR Feed Account Correlation, attributeAssignments: [{property: uid, value: employeeId, operation: EQ}]}
"""

from ansible_collections.identity.cloud.plugins.module_utils import sailpoint
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.nested import Items
from ansible_collections.identity.cloud.plugins.module_utils.resource import Engine, Field, ResourceSpec
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import children

SPEC = ResourceSpec("correlation_config", key=None, fields=[
    Field("name"),
    Field("attribute_assignments", api="attributeAssignments", type="list", elements="dict",
          schema=("sailpoint", "CorrelationConfig", "attributeAssignments"), items=Items(["property", "value"])),
], extra_options=children.SOURCE_OPTION)


def main():
    module = vendor_module(children.config_argument_spec(SPEC), sailpoint.SAILPOINT_ARGS)
    api = sailpoint.connect(module)
    crud = children.SourceConfig(api, SPEC, "correlation-config")
    Engine(module, SPEC, crud).run()


if __name__ == "__main__":
    main()
