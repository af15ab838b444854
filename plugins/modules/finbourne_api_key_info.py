#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: finbourne_api_key_info
short_description: Read the caller's FINBOURNE personal access tokens
version_added: 0.1.0
description:
  - Lists the metadata of the personal access tokens of the user the module signs in as (ListOwnApiKeys); never the key values.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.finbourne

notes:
  - Supports C(check_mode); it only reads.
"""

EXAMPLES = r"""
- name: Read the caller's FINBOURNE personal access tokens
  identity.cloud.finbourne_api_key_info:
"""

RETURN = r"""
api_keys:
  description: The keys (C(id), C(displayName), C(createdDate), C(deactivationDate)).
  returned: always
  type: list
  elements: dict
"""

from ansible_collections.identity.cloud.plugins.module_utils import finbourne
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module

from ansible_collections.identity.cloud.plugins.module_utils.resource import run_info


def main():
    module = vendor_module({}, finbourne.FINBOURNE_ARGS)
    client = finbourne.connect(module)
    run_info(module, "api_keys", lambda params: client.list_all("/api/keys"))


if __name__ == "__main__":
    main()
