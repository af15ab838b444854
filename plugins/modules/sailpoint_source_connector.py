#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sailpoint_source_connector
short_description: Test the connector of a SailPoint source, peek at its objects, upload a connector file
version_added: 0.1.0
description:
  - V(ping_cluster) checks that the source's virtual appliance cluster answers (C(connector/ping-cluster)),
    V(test_configuration) checks the source's configuration (C(connector/test-configuration)) and
    V(test_connection) connects to the system (C(connector/check-connection)). These read-like tests
    report C(changed=false), run in check mode too, and fail the task with the connector's own message
    when the test fails.
  - V(peek) reads a few objects from the connected system (C(connector/peek-resource-objects)), read-like too.
  - V(import_connector_file) uploads a connector file such as a JAR driver (C(upload-connector-file)).
    It is skipped (C(changed=false)) when the source already records a file of the same name and the
    same size (or SHA-256 digest); in check mode nothing is uploaded.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.sailpoint
options:
  source:
    description:
      - Name or ID of the source. It must exist.
    type: str
    required: true
  action:
    description:
      - The test or upload to run.
    type: str
    required: true
    choices: [ping_cluster, test_configuration, test_connection, peek, import_connector_file]
  object_type:
    description:
      - With V(peek), the kind of object to read (C(objectType)), for example V(account) or V(group).
    type: str
    default: account
  max_count:
    description:
      - With V(peek), the most objects to read (C(maxCount)).
    type: int
    default: 25
  file:
    description:
      - With V(import_connector_file), the local file to upload (required then).
    type: path
"""

EXAMPLES = r"""
- name: Ensure the HR feed source exists (the tasks below work on it)
  identity.cloud.sailpoint_source:
    name: HR Feed
    owner: Ada Admin
    connector: delimited-file

- name: Check that the HR feed's connection works
  identity.cloud.sailpoint_source_connector:
    source: HR Feed
    action: test_connection

- name: Look at five accounts as the connector sees them
  identity.cloud.sailpoint_source_connector:
    source: HR Feed
    action: peek
    max_count: 5
  register: peeked
"""

RETURN = r"""
action:
  description: The action run.
  returned: always
  type: str
  sample: test_connection
source_id:
  description: ID of the source.
  returned: always
  type: str
  sample: 2c9180835d191a86015d28455b4a2329
response:
  description:
    - The API's answer. For the tests C(status) (V(SUCCESS) or V(FAILURE)), C(elapsedMillis) and C(details);
      for V(peek) C(objectCount) and C(resourceObjects); for V(import_connector_file) the updated source.
  returned: when the call was sent
  type: dict
  sample: {id: 2c9180835d191a86015d28455b4a2329, name: HR Feed, status: SUCCESS, elapsedMillis: 23,
           details: {message: Test connection successful}}
"""

from ansible_collections.identity.cloud.plugins.module_utils import sailpoint
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.sailpoint import actions

ACTIONS = {
    "ping_cluster": actions.Action("connector/ping-cluster", read_like=True, outcome=actions.test_outcome),
    "test_configuration": actions.Action("connector/test-configuration", read_like=True, outcome=actions.test_outcome),
    "test_connection": actions.Action("connector/check-connection", read_like=True, outcome=actions.test_outcome),
    "peek": actions.Action("connector/peek-resource-objects", read_like=True,
                           body=lambda p: {"objectType": p["object_type"], "maxCount": p["max_count"]}),
    "import_connector_file": actions.Action("upload-connector-file", multipart=actions.connector_file_form,
                                            skip=actions.connector_file_recorded),
}
ARGS = dict(source={"type": "str", "required": True}, action={"type": "str", "required": True, "choices": sorted(ACTIONS)},
            object_type={"type": "str", "default": "account"}, max_count={"type": "int", "default": 25},
            file={"type": "path"})


def main():
    module = vendor_module(ARGS, sailpoint.SAILPOINT_ARGS,
                           required_if=[("action", "import_connector_file", ("file",))])
    if module.params["max_count"] < 1:
        module.fail_json(msg="max_count must be at least 1, got %d" % module.params["max_count"])
    actions.run_action(module, sailpoint.connect(module), ACTIONS)


if __name__ == "__main__":
    main()
