# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The sailpoint_access role's reference check, before its first write.

The modules refuse, in check mode too, a reference to an object that does not exist yet, so the role's check pass
leaves out every item naming an object the same run defines (it may create it). These filters check the names such
an item refers to instead: each must be an object the run defines with state present, or one the tenant has.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

# kind: (the role variable defining such objects, what an error calls one)
KINDS = {
    "sources": ("sailpoint_access_sources", "source"),
    "transforms": ("sailpoint_access_transforms", "transform"),
    "governance_groups": ("sailpoint_access_governance_groups", "governance group"),
    "access_profiles": ("sailpoint_access_access_profiles", "access profile"),
}
GROUP_APPROVERS = ("GOVERNANCE_GROUP", "ADDITIONAL_GOVERNANCE_GROUP")


def _list(value):
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, (list, tuple)) else []


def _present(item):
    return (item.get("state") or "present") != "absent"


def _ref(value):
    """The name or id a reference gives (a string, or a dict with id or name), or None."""
    if isinstance(value, Mapping):
        value = value.get("id") or value.get("name")
    return value if isinstance(value, str) and value else None


def _approvers(path, value):
    """(path, group) of every governance group approver in a request config (snake_case or the API's keys)."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key in ("approval_schemes", "approvalSchemes") and isinstance(item, list):
                for number, scheme in enumerate(item):
                    if isinstance(scheme, Mapping) and \
                            (scheme.get("approver_type") or scheme.get("approverType")) in GROUP_APPROVERS:
                        key_name = "approver" if "approver" in scheme else "approverId"
                        yield "%s.%s[%d].%s" % (path, key, number, key_name), scheme.get(key_name)
            else:
                yield from _approvers("%s.%s" % (path, key), item)


def _criteria_sources(path, node):
    if not isinstance(node, Mapping):
        return
    key = node.get("key")
    if isinstance(key, Mapping):
        for name in ("source_id", "sourceId"):
            if key.get(name):
                yield "%s.key.%s" % (path, name), key[name]
    for number, child in enumerate(node.get("children") or []):
        yield from _criteria_sources("%s.children[%d]" % (path, number), child)


def _items(definitions):
    """Each item that may name another object, as a list of its references ``(path, kind, value, source)``
    (``source`` only for the entitlements of a source), with what decides whether it is checked: the lifecycle
    states of an identity profile are checked with it."""
    out = []
    for number, profile in enumerate(_list(definitions.get("identity_profiles"))):
        if not _present(profile):
            continue
        path = "sailpoint_access_identity_profiles[%d]" % number
        refs = []
        if profile.get("authoritative_source") is not None:
            refs.append((path + ".authoritative_source", "sources", profile["authoritative_source"], None))
        config = profile.get("identity_attribute_config")
        for index, mapping in enumerate(_list(config.get("attribute_transforms")) if isinstance(config, Mapping) else []):
            if mapping.get("transform") is not None:
                refs.append(("%s.identity_attribute_config.attribute_transforms[%d].transform" % (path, index),
                             "transforms", mapping["transform"], None))
        states = []
        for index, state in enumerate(_list(profile.get("lifecycle_states"))):
            if not _present(state):
                continue
            where = "%s.lifecycle_states[%d]" % (path, index)
            state_refs = [("%s.access_profiles[%d]" % (where, k), "access_profiles", v, None)
                          for k, v in enumerate(state.get("access_profiles") or [])]
            for k, action in enumerate(_list(state.get("account_actions"))):
                for option in ("sources", "exclude_sources"):
                    state_refs.extend(("%s.account_actions[%d].%s[%d]" % (where, k, option, s), "sources", v, None)
                                      for s, v in enumerate(action.get(option) or []))
            states.append(state_refs)
        out.append((refs, states))
    for number, item in enumerate(_list(definitions.get("entitlements"))):
        path = "sailpoint_access_entitlements[%d]" % number
        refs = [(path + ".source", "sources", item["source"], None)] if item.get("source") is not None else []
        refs.extend((where, "governance_groups", group, None)
                    for where, group in _approvers(path + ".request_config", item.get("request_config")))
        out.append((refs, []))
    for number, item in enumerate(_list(definitions.get("access_profiles"))):
        if not _present(item):
            continue
        path = "sailpoint_access_access_profiles[%d]" % number
        refs = []
        if item.get("source") is not None:
            refs.append((path + ".source", "sources", item["source"], None))
            refs.extend(("%s.entitlements[%d]" % (path, k), "entitlements", v, item["source"])
                        for k, v in enumerate(item.get("entitlements") or []))
        for option in ("access_request_config", "revocation_request_config"):
            refs.extend((where, "governance_groups", group, None)
                        for where, group in _approvers("%s.%s" % (path, option), item.get(option)))
        out.append((refs, []))
    for number, item in enumerate(_list(definitions.get("roles"))):
        if not _present(item):
            continue
        path = "sailpoint_access_roles[%d]" % number
        refs = [("%s.access_profiles[%d]" % (path, k), "access_profiles", v, None)
                for k, v in enumerate(item.get("access_profiles") or [])]
        for k, value in enumerate(item.get("entitlements") or []):
            if isinstance(value, Mapping) and value.get("source") is not None and not value.get("id"):
                refs.append(("%s.entitlements[%d].source" % (path, k), "sources", value["source"], None))
                refs.append(("%s.entitlements[%d]" % (path, k), "entitlements", value.get("value"), value["source"]))
        membership = item.get("membership")
        if isinstance(membership, Mapping):
            refs.extend((where, "sources", source, None)
                        for where, source in _criteria_sources(path + ".membership.criteria", membership.get("criteria")))
        for option in ("access_request_config", "revocation_request_config"):
            refs.extend((where, "governance_groups", group, None)
                        for where, group in _approvers("%s.%s" % (path, option), item.get(option)))
        out.append((refs, []))
    return out


class _Run:
    """What the run defines: {kind: {name or id: (index, present)}}."""

    def __init__(self, definitions):
        if not isinstance(definitions, Mapping):
            raise AnsibleFilterError("the sailpoint_access reference filters expect a dict of the role's lists")
        self.definitions = definitions
        self.defined = {}
        for kind in KINDS:
            found = self.defined[kind] = {}
            for number, item in enumerate(_list(definitions.get(kind))):
                for key in (item.get("name"), item.get("id")):
                    if isinstance(key, str) and key and key not in found:
                        found[key] = (number, _present(item))

    def names_run_object(self, refs):
        return any(kind in self.defined and _ref(value) in self.defined[kind] for _path, kind, value, _source in refs)

    def checked(self):
        """The references of every item that names an object of the run (the items its check pass may leave out)."""
        for refs, states in _items(self.definitions):
            parent = self.names_run_object(refs)
            if parent:
                yield from refs
            for state_refs in states:
                if parent or self.names_run_object(state_refs):
                    yield from state_refs

    def outside(self, kind, value):
        """Whether a reference is to no object of the run (so the tenant must have it)."""
        return _ref(value) is not None and _ref(value) not in self.defined[kind]

    def run_source(self, value):
        found = self.defined["sources"].get(_ref(value))
        return found is not None and found[1]


def sailpoint_access_reference_reads(definitions):
    """What the reference check needs from the tenant: ``{kind: bool}`` for sources, transforms, governance groups
    and access profiles, and ``entitlement_sources``, the sources (outside the run) whose entitlements to read."""
    run = _Run(definitions)
    out = dict((kind, False) for kind in KINDS)
    out["entitlement_sources"] = []
    for _path, kind, value, source in run.checked():
        if kind == "entitlements":
            name = _ref(source)
            if name and not run.run_source(source) and name not in out["entitlement_sources"]:
                out["entitlement_sources"].append(name)
        elif run.outside(kind, value):
            out[kind] = True
    return out


def _index(objects, key="name"):
    found = set()
    for obj in objects or []:
        if isinstance(obj, Mapping):
            found.update(v for v in (obj.get("id"), obj.get(key)) if isinstance(v, str))
        elif isinstance(obj, str):
            found.add(obj)
    return found


def sailpoint_access_references(definitions, tenant=None):
    """The first reference of the run that names neither an object the run defines (state present) nor one of the
    tenant, as one line naming the variable path and what is allowed, or '' when there is none.

    ``definitions``: the role's lists by kind (sources, transforms, governance_groups, identity_profiles,
    entitlements, access_profiles, roles). ``tenant``: the tenant's objects by kind (dicts with id and name, or
    names), as the _info modules return them, and ``entitlements`` (each with its ``source``); a kind left out is
    not checked against the tenant."""
    run = _Run(definitions)
    tenant = tenant if isinstance(tenant, Mapping) else {}
    have = dict((kind, _index(tenant.get(kind))) for kind in KINDS if tenant.get(kind) is not None)
    entitlements = {}  # {source id or name: its entitlements' ids and values}
    for entitlement in tenant.get("entitlements") or []:
        if isinstance(entitlement, Mapping) and isinstance(entitlement.get("source"), Mapping):
            source = entitlement["source"]
            for key in (source.get("id"), source.get("name")):
                if key:
                    entitlements.setdefault(key, set()).update(
                        v for v in (entitlement.get("id"), entitlement.get("value")) if isinstance(v, str))
    read_sources = set(_ref(s) for s in (tenant.get("entitlement_sources") or []))
    for path, kind, value, source in run.checked():
        name = _ref(value)
        if kind == "entitlements":
            source_name = _ref(source)
            if run.run_source(source) or source_name not in read_sources or not isinstance(value, str):
                continue  # a source of the run: its entitlements come with its aggregation
            if value not in entitlements.get(source_name, ()):
                return "%s: source '%s' has no entitlement with value or id '%s' in the tenant (entitlements appear " \
                    "when the source is aggregated)" % (path, source_name, value)
            continue
        variable, label = KINDS[kind]
        if name is None:
            continue  # not a name: the module says what it takes
        defined = run.defined[kind].get(name)
        if defined is not None:
            if not defined[1]:
                return "%s: %s '%s' is deleted by this run (%s[%d] has state absent); keep it or name another" % (
                    path, label, name, variable, defined[0])
            continue
        if kind in have and name not in have[kind]:
            return "%s: %s '%s' is neither in %s nor in the tenant" % (path, label, name, variable)
    return ""


class FilterModule(object):
    def filters(self):
        return {"sailpoint_access_references": sailpoint_access_references,
                "sailpoint_access_reference_reads": sailpoint_access_reference_reads}
