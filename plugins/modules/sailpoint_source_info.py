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
  - Optionally adds each source's health, its dependent connections, its connector configuration and what hangs on
    it (schemas, provisioning policies, schedules and configurations), reading O(concurrency) sources at a time.
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
  include_parts:
    description:
      - Add what hangs on each source under C(parts), one key per item, as the API returns it.
      - V(schemas) (C(/sources/{id}/schemas), the whole schemas), V(provisioning_policies), V(schedules) (lists);
        V(correlation_config), V(attribute_sync_config), V(entitlement_request_config) and
        V(native_change_detection_config) (the object, null when the tenant answers 404).
    type: list
    elements: str
    choices: [schemas, provisioning_policies, schedules, correlation_config, attribute_sync_config,
              entitlement_request_config, native_change_detection_config]
    default: []
    version_added: 0.2.0
  concurrency:
    description:
      - How many requests run at the same time, 1 to 32. The pages of the source listing after the first are read
        this many at a time (the first asks for the total count), and so are the sources' details (O(include_health),
        O(include_connections), O(include_config), O(include_parts)); the details of one source are read one after
        the other.
      - Every request still counts against O(rate_limit).
    type: int
    default: 8
    version_added: 0.2.0
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

- name: Read every source with its schemas, policies, schedules and configurations, 8 requests at a time
  identity.cloud.sailpoint_source_info:
    include_parts: [schemas, provisioning_policies, schedules, correlation_config, attribute_sync_config,
                    entitlement_request_config, native_change_detection_config]
    concurrency: 8
  register: everything
"""

RETURN = r"""
sources:
  description:
    - The sources found, as the API returns them, in the API's order.
    - With O(include_health=true) each has C(health); with O(include_connections=true) each has C(connections);
      with O(include_config=true) each has C(config); with O(include_parts) each has C(parts), a dict with one key
      per item of O(include_parts).
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
from ansible_collections.identity.cloud.plugins.module_utils.http_client import run_parallel
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
    "include_parts": {"type": "list", "elements": "str", "default": [], "choices": [
        "schemas", "provisioning_policies", "schedules", "correlation_config", "attribute_sync_config",
        "entitlement_request_config", "native_change_detection_config"]},
    "concurrency": {"type": "int", "default": 8, "minimum": 1, "maximum": 32},
}
DETAILS = (("include_health", "health", "source-health"), ("include_connections", "connections", "connections"),
           ("include_config", "config", "connectors/source-config"))
# include_parts item -> (sub-path, whether it is a list; a single object may be missing: 404 gives null)
PARTS = {"schemas": ("schemas", True), "provisioning_policies": ("provisioning-policies", True),
         "schedules": ("schedules", True), "correlation_config": ("correlation-config", False),
         "attribute_sync_config": ("attribute-sync-config", False),
         "entitlement_request_config": ("entitlement-request-config", False),
         "native_change_detection_config": ("native-change-detection-config", False)}


def find_sources(api, params):
    if params["id"]:
        found = api.client.get_or_none(api.path("sources", params["id"]))
        return [found] if found else []
    terms = ["name eq %s" % sailpoint.filter_value(params["name"])] if params["name"] else []
    if params["filters"]:
        terms.append("(%s)" % params["filters"] if terms else params["filters"])
    include_idn = "true" if params["include_idn_source"] else None
    return list(api.list("sources", filters=" and ".join(terms) or None, sorters=params["sorters"],
                         concurrency=params["concurrency"], includeIDNSource=include_idn))


def add_details(api, params):
    """``add(source)``: the details the options ask for, added to the source."""
    details = [(key, sub) for option, key, sub in DETAILS if params[option]]
    parts = [(name,) + PARTS[name] for name in dict.fromkeys(params["include_parts"])]

    def add(source):
        for key, sub in details:
            source[key] = api.client.get(api.path("sources", source["id"], *sub.split("/"))).data
        if parts:
            source["parts"] = {}
        for name, sub, listed in parts:
            path = api.path("sources", source["id"], sub)
            source["parts"][name] = list(api.client.get(path).data or []) if listed else api.client.get_or_none(path)

    return add


def main():
    module = vendor_module(ARGS, sailpoint.SAILPOINT_ARGS, mutually_exclusive=[("id", "name"), ("id", "filters")])
    api = sailpoint.connect(module)

    def read():
        sources = find_sources(api, module.params)
        run_parallel(add_details(api, module.params), sources, module.params["concurrency"])
        return {"changed": False, "sources": sources}

    run_flow(module, read)


if __name__ == "__main__":
    main()
