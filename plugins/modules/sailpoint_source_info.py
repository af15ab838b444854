#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: sailpoint_source_info
short_description: List SailPoint Identity Security Cloud sources
version_added: 0.1.0
description:
  - Read sources by ID, by name, or with a SailPoint filter expression; every page is read.
  - Optionally adds each source's health and its dependent connections.
author: identity.cloud contributors (@identity-cloud)
extends_documentation_fragment:
  - identity.cloud.connection
  - identity.cloud.sailpoint
options:
  id:
    description:
      - Server ID of one source. An unknown ID gives an empty list.
    type: str
  name:
    description:
      - Exact source name.
    type: str
  filters:
    description:
      - A filter in SailPoint's collection syntax, for example V(type eq "DelimitedFile") or
        V(name sw "HR"). Combined with O(name) by C(and) when both are given.
      - The fields and operators the API supports for sources include C(id), C(name), C(type),
        C(owner.id), C(features), C(created), C(modified), C(managementWorkgroup.id), C(description),
        C(authoritative), C(healthy), C(status), C(connectionType), C(connectorName) and C(category).
    type: str
  sorters:
    description:
      - Sort order, comma-separated field names, C(-) before a name for descending, for example V(-modified,name).
    type: str
  include_idn_source:
    description:
      - Also return the tenant's built-in IdentityNow source.
    type: bool
    default: false
  include_health:
    description:
      - Add each source's health (C(/sources/{id}/source-health)) under C(health).
    type: bool
    default: false
  include_connections:
    description:
      - Add the identity profiles, applications, transforms and other objects depending on each source
        (C(/sources/{id}/connections)) under C(connections).
    type: bool
    default: false
  include_config:
    description:
      - Add each source's connector configuration (C(/sources/{id}/connectors/source-config), with the connector
        name, class, uploaded files, XML configuration ...) under C(config).
    type: bool
    default: false
notes:
  - This module only reads, so it runs the same in check mode.
"""

EXAMPLES = r"""
- name: List every source
  identity.cloud.sailpoint_source_info:
  register: all_sources

- name: Show the names of the sources
  ansible.builtin.debug:
    msg: "{{ all_sources.sources | map(attribute='name') | list }}"

- name: Find the delimited file sources, newest first, with their health
  identity.cloud.sailpoint_source_info:
    filters: type eq "DelimitedFile"
    sorters: -created
    include_health: true

- name: Read one source by name with what depends on it
  identity.cloud.sailpoint_source_info:
    name: IdentityNow
    include_idn_source: true
    include_connections: true
    include_config: true
"""

RETURN = r"""
sources:
  description:
    - The sources found, as the API returns them, in the API's order.
    - With O(include_health=true) each has C(health); with O(include_connections=true) each has C(connections);
      with O(include_config=true) each has C(config).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 2c9180835d191a86015d28455b4a2329
      name: HR Feed
      type: DelimitedFile
      connector: delimited-file
      owner: {type: IDENTITY, id: 2c9180857182305e0171993735622948, name: Ada Admin}
      health: {id: 2c9180835d191a86015d28455b4a2329, status: SOURCE_STATE_UNCHECKED_SOURCE, isAuthoritative: false}
"""

from ansible_collections.identity.cloud.plugins.module_utils import sailpoint
from ansible_collections.identity.cloud.plugins.module_utils.connection import vendor_module
from ansible_collections.identity.cloud.plugins.module_utils.resource import run_flow

ARGS = {
    "id": {"type": "str"},
    "name": {"type": "str"},
    "filters": {"type": "str"},
    "sorters": {"type": "str"},
    "include_idn_source": {"type": "bool", "default": False},
    "include_health": {"type": "bool", "default": False},
    "include_connections": {"type": "bool", "default": False},
    "include_config": {"type": "bool", "default": False},
}
DETAILS = (("include_health", "health", "source-health"), ("include_connections", "connections", "connections"),
           ("include_config", "config", "connectors/source-config"))


def find_sources(api, params):
    if params["id"]:
        found = api.client.get_or_none(api.path("sources", params["id"]))
        return [found] if found else []
    terms = ["name eq %s" % sailpoint.filter_value(params["name"])] if params["name"] else []
    if params["filters"]:
        terms.append("(%s)" % params["filters"] if terms else params["filters"])
    include_idn = "true" if params["include_idn_source"] else None
    return list(api.list("sources", filters=" and ".join(terms) or None, sorters=params["sorters"],
                         includeIDNSource=include_idn))


def main():
    module = vendor_module(ARGS, sailpoint.SAILPOINT_ARGS, mutually_exclusive=[("id", "name"), ("id", "filters")])
    api = sailpoint.connect(module)

    def read():
        sources = find_sources(api, module.params)
        for source in sources:
            for option, key, sub in DETAILS:
                if module.params[option]:
                    source[key] = api.client.get(api.path("sources", source["id"], *sub.split("/"))).data
        return {"changed": False, "sources": sources}

    run_flow(module, read)


if __name__ == "__main__":
    main()
