#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: finbourne_support_access
short_description: Grant or revoke FINBOURNE support access to the tenant
version_added: 0.1.0
description:
  - V(present) grants FINBOURNE support access (GrantSupportAccess) unless an equivalent grant is still active,
    not terminated, not expired, with the same O(permitted_roles) (when given) and O(description) (when given).
    O(duration) is not compared; an active equivalent grant is enough, whatever its remaining time.
  - V(absent) revokes every active grant (InvalidateSupportAccess) when there is one.
  - Reads the grants with GetSupportAccessHistory.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.finbourne
options:
  duration:
    description:
      - How long the access lasts, an ISO-8601 duration such as V(P1D) or V(PT8H). Required with O(state=present).
    type: str
  description:
    description:
      - Why access is granted (for example a support ticket number), up to 1024 characters.
    type: str
  permitted_roles:
    description:
      - The support roles FINBOURNE staff may assume, by internal identifier
        (C(internalIdentifier) in M(identity.cloud.finbourne_support_access_info)). Omit for the API's default.
    type: list
    elements: str
  state:
    description:
      - V(present) ensures an active grant, V(absent) revokes all active grants.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Supports C(check_mode) and C(diff_mode).
"""

EXAMPLES = r"""
- name: Let FINBOURNE support in for a day for ticket 1234
  identity.cloud.finbourne_support_access:
    duration: P1D
    description: ticket 1234

- name: Revoke support access
  identity.cloud.finbourne_support_access:
    state: absent
"""

RETURN = r"""
support_access:
  description: The active grant (created or found); after revoking, C(active) lists the grants that were active.
  returned: always
  type: dict
  sample: {id: 6f1d0c2a, duration: P1D, description: ticket 1234, createdAt: "2026-12-01T07:00:00Z",
           expiry: "2026-12-02T07:00:00Z", createdBy: UserId-01234, terminated: false,
           permittedRoles: [support-readonly]}
id:
  description: Id of the grant.
  returned: when a grant is active
  type: str
"""

from ansible_collections.identity.cloud.plugins.module_utils import finbourne
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.finbourne import tenant
from ansible_collections.identity.cloud.plugins.module_utils.resource import Engine, Field, ResourceSpec

REQUEST = "SupportAccessRequest"
SPEC = ResourceSpec("support_access", key=None, fields=[
    Field("duration", schema=("finbourne", REQUEST, "duration"), min_length=2, max_length=30, create_only=True,
          required_on_create=True,
          pattern=r"^P(?!$)((\d+Y)|(\d+\.\d+Y$))?((\d+M)|(\d+\.\d+M$))?((\d+W)|(\d+\.\d+W$))?((\d+D)|(\d+\.\d+D$))?"
                  r"(T(?=\d)((\d+H)|(\d+\.\d+H$))?((\d+M)|(\d+\.\d+M$))?(\d+(\.\d+)?S)?)??$"),
    Field("description", schema=("finbourne", REQUEST, "description"), min_length=0, max_length=1024,
          pattern=r"^[\s\S]*$"),
    Field("permitted_roles", api="permittedRoles", type="list", elements="str", unordered=True),
])


def main():
    module = vendor_module(SPEC.argument_spec(with_id=False), finbourne.FINBOURNE_ARGS,
                           required_if=[("state", "present", ("duration",))])
    Engine(module, SPEC, tenant.SupportAccess(finbourne.connect(module))).run()


if __name__ == "__main__":
    main()
