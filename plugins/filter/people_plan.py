# -*- coding: utf-8 -*-
# Copyright: identity.cloud contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The people role's plan: the items of its bulk tasks from the list of people, in one pass."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


def _given(value):
    return value not in (None, "", [], {})


def people_plan(people, user_type="Personal", enroll=True, activation_email=True, finbourne_users=None):
    """{bi: identities items, suspended: usernames, enroll: lowercased usernames, fbn: users items,
    activate: lowercased logins} for the bulk module tasks of the people role.

    ``finbourne_users`` (the users FINBOURNE has, when known) leaves out a suspended person who has
    no FINBOURNE user: there are no roles to take away, and nothing to create."""
    plan = {"bi": [], "suspended": [], "enroll": [], "fbn": [], "activate": []}
    known = None
    if finbourne_users is not None:
        known = set((u.get("login") or "").lower() if isinstance(u, dict) else str(u).lower() for u in finbourne_users)
    for person in people or []:
        state = person.get("state") or "present"
        bi = person.get("beyond_identity") or {}
        names = " ".join(n for n in (person.get("first_name"), person.get("last_name")) if n).strip()
        item = {"username": person["username"], "state": "absent" if state == "absent" else "present"}
        if state != "absent":
            item["status"] = "suspended" if state == "suspended" else "active"
            if state == "present" or person.get("display_name") or names:
                item["display_name"] = person.get("display_name") or names or person["username"]
            if person.get("email"):
                item["email"] = person["email"]
            if bi.get("groups") is not None:
                item["groups"] = bi["groups"]
        plan["bi"].append(item)
        if state == "suspended":
            plan["suspended"].append(person["username"])
        if state == "present" and (bi["enroll"] if bi.get("enroll") is not None else enroll):
            plan["enroll"].append(person["username"].lower())
        fbn = person.get("finbourne") or {}
        if fbn.get("enabled") is False:
            continue
        login = fbn.get("login") or person.get("email") or person["username"]
        if state == "suspended" and known is not None and login.lower() not in known:
            continue
        user = {"login": login, "state": "absent" if state == "absent" else "present"}
        if state != "absent":
            values = {"first_name": person.get("first_name"), "last_name": person.get("last_name"),
                      "email_address": person.get("email"), "type": fbn.get("type") or user_type,
                      "roles": [] if state == "suspended" else fbn.get("roles")}
            user.update((k, v) for k, v in values.items() if v is not None and (_given(v) or k == "roles"))
        plan["fbn"].append(user)
        wants = fbn["activation_email"] if fbn.get("activation_email") is not None else activation_email
        if state == "present" and wants:
            plan["activate"].append(login.lower())
    return plan


class FilterModule(object):
    def filters(self):
        return {"people_plan": people_plan}
