# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The sailpoint_source_onboarding role's plan: one list of loop items per part, without the connector attributes."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError
from ansible.module_utils.parsing.convert_bool import boolean


def _with_source(item, name):
    return dict(item, source=name)


def sailpoint_source_plan(sources):
    """The items of the role's part tasks, from the role variable ``sailpoint_source_onboarding_sources``.

    Only the parts of each present source are copied (never its connector attributes), each tagged with the source's
    name, so the loop items of the part tasks hold no connector secret.
    """
    if not isinstance(sources, (list, tuple)):
        raise AnsibleFilterError("sailpoint_source_plan expects the list of sources (sailpoint_source_onboarding_sources)")
    plan = dict((kind, []) for kind in ("schemas", "schedules", "policies", "correlation", "sync", "entitlement_requests",
                                        "change_detection", "password_policies", "test", "aggregate"))
    for n, source in enumerate(sources):
        if not isinstance(source, Mapping):
            raise AnsibleFilterError("sailpoint_source_onboarding_sources[%d] must be a dict" % n)
        if (source.get("state") or "present") != "present":
            continue
        name = source.get("name")
        plan["schemas"].extend(_with_source(schema, name) for schema in source.get("schemas") or [])
        plan["schedules"].extend(_with_source(schedule, name) for schedule in source.get("schedules") or [])
        if source.get("provisioning_policies"):
            plan["policies"].append({"source": name, "policies": source["provisioning_policies"]})
        if source.get("correlation_config") is not None:
            plan["correlation"].append(_with_source(source["correlation_config"], name))
        if source.get("attribute_sync_config") is not None:
            plan["sync"].append(_with_source(source["attribute_sync_config"], name))
        if source.get("entitlement_request_config") is not None:
            plan["entitlement_requests"].append(_with_source(source["entitlement_request_config"], name))
        if source.get("native_change_detection_config") is not None:
            plan["change_detection"].append(_with_source(source["native_change_detection_config"], name))
        if source.get("password_policies") is not None:
            plan["password_policies"].append({"source": name, "policies": source["password_policies"]})
        if boolean(source.get("test_connection", True), strict=False):
            plan["test"].append(name)
        when = source.get("aggregate") or "first"
        if when in ("always", "first"):
            plan["aggregate"].append({"source": name, "first": when == "first", "file": source.get("aggregation_file"),
                                      "wait_timeout": source.get("aggregation_wait_timeout", 300)})
    return plan


class FilterModule(object):
    def filters(self):
        return {"sailpoint_source_plan": sailpoint_source_plan}
