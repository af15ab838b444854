#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: finbourne_me_info
short_description: Read who the module signs in as, the tenant's authentication settings and access-controlled resources
version_added: 0.1.0
description:
  - Reads the signed-in user (GetUserInfo), the tenant's authentication information (GetAuthenticationInformation, with the
    issuer URLs, the SAML identity provider id and the support access expiry) and, with O(include_resources), the resources
    available for access control (ListAccessControlledResources).
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.finbourne
options:
  include_resources:
    description:
      - Also read the access-controlled resources.
    type: bool
    default: false
notes:
  - Supports C(check_mode); it only reads.
"""

EXAMPLES = r"""
- name: Who am I, and the tenant's issuer
  identity.cloud.finbourne_me_info:
    include_resources: true
  register: me
"""

RETURN = r"""
me:
  description: The signed-in user (C(id), C(emailAddress), C(type), C(domainType), C(userExpiry)).
  returned: always
  type: dict
  sample: {id: 00u1abcd, emailAddress: admin@example.com, type: Personal, domainType: Production, userExpiry: null}
authentication_information:
  description: The tenant's authentication information as the API returns it.
  returned: always
  type: dict
access_controlled_resources:
  description: The resources available for access control (the C(values) of the API's answer).
  returned: when O(include_resources=true)
  type: list
  elements: dict
"""

from ansible_collections.identity.cloud.plugins.module_utils import finbourne
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_flow


def main():
    module = vendor_module({"include_resources": {"type": "bool", "default": False}}, finbourne.FINBOURNE_ARGS)
    client = finbourne.connect(module)

    def read():
        found = {"changed": False, "me": client.get("/api/me").data,
                 "authentication_information": client.get("/api/authentication/information").data}
        if module.params["include_resources"]:
            found["access_controlled_resources"] = (client.get("/api/metadata/access/resources").data or {}).get(
                "values") or []
        return found

    run_flow(module, read)


if __name__ == "__main__":
    main()
