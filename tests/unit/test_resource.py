"""The state engine with an in-memory Crud: compare, check mode, diff, memberships, bulk isolation."""

import pytest

from ansible_collections.identity.cloud.plugins.module_utils.http_client import REDACTED, ApiError, RetryPolicy
from ansible_collections.identity.cloud.plugins.module_utils.resource import (
    MISSING,
    Crud,
    Engine,
    Field,
    InputError,
    Membership,
    ResourceSpec,
    merge,
    subset_equal,
)


class Exit(Exception):
    def __init__(self, failed, result):
        super().__init__(result.get("msg"))
        self.failed = failed
        self.result = result


class FakeModule:
    def __init__(self, params, check_mode=False, diff=True):
        self.params = params
        self.check_mode = check_mode
        self._diff = diff

    def exit_json(self, **result):
        raise Exit(False, result)

    def fail_json(self, **result):
        raise Exit(True, result)


class MemoryCrud(Crud):
    """Objects in a dict; records every write; ``fail_on`` names keys whose writes fail."""

    def __init__(self, objects=None, fail_on=()):
        super().__init__(client=None)
        self.objects = {o["id"]: dict(o) for o in objects or []}
        self.writes = []
        self.fail_on = set(fail_on)

    def list_all(self):
        return list(self.objects.values())

    def find(self, params):
        if params.get("id"):
            return self.objects.get(params["id"])
        return next((o for o in self.objects.values() if o["name"] == params.get("name")), None)

    def _guard(self, name):
        if name in self.fail_on:
            raise ApiError("POST", "/things", 400, "invalid", "rejected %s" % name)

    def create(self, desired, params):
        self._guard(desired.get("name"))
        obj = dict(desired, id="id-%d" % (len(self.objects) + 1))
        self.objects[obj["id"]] = obj
        self.writes.append(("create", obj["name"]))
        return obj

    def update(self, current, desired, changes, params):
        self._guard(current.get("name"))
        obj = merge(current, desired)
        self.objects[obj["id"]] = obj
        self.writes.append(("update", obj["name"], sorted(f.option for f, _w, _h in changes)))
        return obj

    def delete(self, current, params):
        del self.objects[current["id"]]
        self.writes.append(("delete", current["name"]))


SPEC = ResourceSpec("thing", key=Field("name"), fields=[
    Field("description"),
    Field("tags", type="list", elements="str", unordered=True),
    Field("color", normalize=str.lower),
    Field("size", api="settings.size", type="int"),
    Field("secret", secret=True),
])


def params(**given):
    base = {name: None for name in SPEC.argument_spec()}
    base.update(state="present", update_secrets="always")
    base.update(given)
    return base


def run(crud, check_mode=False, **given):
    with pytest.raises(Exit) as caught:
        Engine(FakeModule(params(**given), check_mode=check_mode), SPEC, crud).run()
    return caught.value


def test_subset_compare_only_looks_at_what_the_user_gave():
    assert subset_equal({"a": 1}, {"a": 1, "b": 2})
    assert not subset_equal({"a": 1}, {"a": 2})
    assert subset_equal({"a": {"b": [1, 2]}}, {"a": {"b": [1, 2], "c": 3}})
    assert not subset_equal([1, 2], [1, 2, 3])
    assert subset_equal([], None) and subset_equal({}, MISSING)
    assert subset_equal(None, "anything")


def test_argument_spec_marks_secrets_no_log_and_offers_update_secrets():
    spec = SPEC.argument_spec()
    assert spec["secret"]["no_log"] is True
    assert spec["update_secrets"]["choices"] == ["always", "on_create"]
    assert spec["state"] == {"type": "str", "default": "present", "choices": ["present", "absent"]}


def test_create_then_no_change_then_update_only_changed_fields():
    crud = MemoryCrud()
    created = run(crud, name="a", description="d", tags=["x", "y"], color="Red", size=3)
    assert created.result["changed"] and created.result["id"] == "id-1"
    assert crud.objects["id-1"]["settings"] == {"size": 3}
    assert created.result["diff"] == {"before": {}, "after": {
        "name": "a", "description": "d", "tags": ["x", "y"], "color": "Red", "size": 3}}

    same = run(crud, name="a", tags=["y", "x"], color="RED", size=3)
    assert not same.result["changed"] and len(crud.writes) == 1

    changed = run(crud, name="a", description="new", size=3)
    assert changed.result["changed"]
    assert crud.writes[-1] == ("update", "a", ["description"])
    assert changed.result["diff"]["before"]["description"] == "d"
    assert changed.result["diff"]["after"]["description"] == "new"


def test_check_mode_reports_the_change_and_writes_nothing():
    crud = MemoryCrud([{"id": "1", "name": "a", "description": "d"}])
    result = run(crud, check_mode=True, name="a", description="other")
    assert result.result["changed"] and crud.writes == []
    assert result.result["thing"]["description"] == "other"
    created = run(crud, check_mode=True, name="b", secret="hunter2")
    assert created.result["changed"] and crud.writes == []
    assert "hunter2" not in repr(created.result)


def test_secrets_are_masked_in_diff_and_follow_update_secrets():
    crud = MemoryCrud([{"id": "1", "name": "a"}])
    always = run(crud, name="a", secret="hunter2")
    assert always.result["changed"] and always.result["diff"]["after"]["secret"] == REDACTED
    assert "hunter2" not in repr(always.result["diff"])
    writes = len(crud.writes)
    on_create = run(crud, name="a", secret="hunter2", update_secrets="on_create")
    assert not on_create.result["changed"] and len(crud.writes) == writes


def test_absent_deletes_once():
    crud = MemoryCrud([{"id": "1", "name": "a"}])
    assert run(crud, name="a", state="absent").result["changed"]
    assert not run(crud, name="a", state="absent").result["changed"]
    assert crud.writes == [("delete", "a")]


def test_missing_key_on_create_fails_before_any_write():
    crud = MemoryCrud()
    failed = run(crud, description="d")
    assert failed.failed and failed.result["msg"] == "name is required to create a thing"
    assert crud.writes == []


@pytest.mark.parametrize("check_mode", [False, True])
def test_an_id_that_names_nothing_fails_instead_of_creating(check_mode):
    crud = MemoryCrud()
    failed = run(crud, check_mode=check_mode, id="doesnotexist1", name="a")
    assert failed.failed and failed.result["msg"] == (
        "id 'doesnotexist1': no such thing; leave id out to create one by name")
    assert crud.writes == [] and crud.objects == {}


@pytest.mark.parametrize("ident", ["", ".", "..", " .. "])
def test_ids_that_cannot_be_a_path_segment_fail_before_any_call(ident):
    class Spy(MemoryCrud):
        def find(self, params):
            raise AssertionError("find must not run")

    failed = run(Spy(), id=ident, name="a", state="absent")
    assert failed.failed and failed.result["msg"].startswith("id must not be empty, '.' or '..'")


def test_api_error_becomes_a_one_line_failure_with_details():
    crud = MemoryCrud(fail_on=["bad"])
    failed = run(crud, name="bad")
    assert failed.failed and failed.result["msg"] == "POST /things failed: HTTP 400 [invalid] rejected bad"
    assert failed.result["error"]["status"] == 400


def membership(members, added, removed):
    people = {"u1": "ann", "u2": "bob", "u3": "cid"}

    def resolve(client, refs):
        unknown = [r for r in refs if r not in people and r not in people.values()]
        if unknown:
            raise InputError("members: unknown %s" % unknown)
        return {i: n for i, n in people.items() if i in refs or n in refs}

    return Membership("members", resolve=resolve, current=lambda client, obj: dict(members),
                      add=lambda client, obj, ids: added.extend(ids),
                      remove=lambda client, obj, ids: removed.extend(ids))


@pytest.mark.parametrize("mode,refs,to_add,to_remove", [
    ("set", ["ann", "cid"], ["u3"], ["u2"]),
    ("add", ["ann", "cid"], ["u3"], []),
    ("remove", ["bob", "cid"], [], ["u2"]),
    ("set", ["ann", "bob"], [], []),
])
def test_membership_modes(mode, refs, to_add, to_remove):
    added, removed = [], []
    relation = membership({"u1": "ann", "u2": "bob"}, added, removed)
    have, plan_add, plan_remove = relation.plan(None, {"id": "g"}, {"members": refs, "members_mode": mode})
    assert have == {"u1": "ann", "u2": "bob"}
    relation.apply(None, {"id": "g"}, plan_add, plan_remove)
    assert added == to_add and removed == to_remove


def test_unknown_member_fails_before_the_object_is_written():
    spec = ResourceSpec("thing", key=Field("name"), relations=[membership({}, [], [])])
    crud = MemoryCrud()
    module = FakeModule({"name": "a", "id": None, "state": "present", "members": ["zed"], "members_mode": "set"})
    with pytest.raises(Exit) as caught:
        Engine(module, spec, crud).run()
    assert caught.value.failed and "members: unknown ['zed']" in caught.value.result["msg"]
    assert crud.writes == []


def test_bulk_reports_each_item_and_a_failing_item_does_not_lose_the_others():
    crud = MemoryCrud([{"id": "1", "name": "kept", "description": "same"}], fail_on=["bad"])
    items = [params(name=n, description=d) for n, d in (("kept", "same"), ("new", "x"), ("bad", "y"), ("other", "z"))]
    with pytest.raises(Exit) as caught:
        Engine(FakeModule(params()), SPEC, crud).run_bulk(items, concurrency=3)
    result = caught.value.result
    assert caught.value.failed and result["failed_items"] == ["bad"]
    assert result["msg"].startswith("1 of 4 items failed: bad: POST /things failed: HTTP 400")
    assert [(r["item"], r["changed"]) for r in result["results"]] == [
        ("kept", False), ("new", True), ("bad", False), ("other", True)]
    assert [r["item"] for r in result["results"] if r.get("created")] == ["new", "other"]
    assert sorted(o["name"] for o in crud.objects.values()) == ["kept", "new", "other"]


def test_bulk_invocation_counts_the_items_instead_of_echoing_them():
    module = FakeModule(dict(params(), things=[{"name": "a"}, {"name": "b"}]))
    items = [params(name="a"), params(name="b")]
    with pytest.raises(Exit) as caught:
        Engine(module, SPEC, MemoryCrud()).run_bulk(items, option="things")
    args = caught.value.result["invocation"]["module_args"]
    assert args["things"] == "2 items; results lists them in order"
    assert dict(args, things=None) == dict(module.params, things=None)
    assert module.params["things"] == [{"name": "a"}, {"name": "b"}]  # the module's own params are untouched


class LostReplyCrud(MemoryCrud):
    """The first create fails ambiguously: processed (``processed=True``) or not, the client cannot tell."""

    def __init__(self, processed):
        super().__init__()
        self.processed = processed
        self.attempts = 0

    def create(self, desired, params):
        self.attempts += 1
        if self.attempts == 1:
            if self.processed:
                super().create(desired, params)
            raise ApiError("POST", "/things", message="ConnectionError: reset", ambiguous=True)
        return super().create(desired, params)


@pytest.mark.parametrize("processed", [True, False])
def test_ambiguous_create_is_re_read_before_it_is_sent_again(processed):
    crud = LostReplyCrud(processed)
    result = run(crud, name="a", description="d")
    assert result.result["changed"] and result.result["thing"]["name"] == "a"
    assert [o["name"] for o in crud.objects.values()] == ["a"]
    assert crud.attempts == (1 if processed else 2)


def test_unambiguous_create_failure_is_not_retried():
    crud = MemoryCrud(fail_on=["a"])
    assert run(crud, name="a").failed and crud.objects == {}


class SlowCrud(MemoryCrud):
    """The create times out while the server is still working: the object appears after ``appears`` re-reads."""

    def __init__(self, appears):
        super().__init__()
        self.appears = appears
        self.reads = 0
        self.attempts = 0

    def create(self, desired, params):
        self.attempts += 1
        self.pending = dict(desired, id="slow-1")
        raise ApiError("POST", "/things", message="no answer within 1 seconds (timeout)", ambiguous=True,
                       pending=True, retry=RetryPolicy(max_retries=4, budget=60, sleep=lambda s: None))

    def find(self, params):
        self.reads += 1
        if self.appears is not None and self.reads > self.appears:
            self.objects["slow-1"] = self.pending
        return super().find(params)


def test_a_create_still_in_flight_is_waited_for_and_never_sent_twice():
    crud = SlowCrud(appears=3)  # the first find (before create) and two re-reads see nothing
    result = run(crud, name="a")
    assert not result.failed and result.result["id"] == "slow-1"
    assert crud.attempts == 1 and crud.reads == 4


def test_a_create_that_never_shows_up_fails_in_one_line_instead_of_a_duplicate():
    crud = SlowCrud(appears=None)
    failed = run(crud, name="a")
    assert failed.failed and crud.attempts == 1 and crud.reads == 1 + 1 + 4
    assert "did not appear" in failed.result["msg"] and "\n" not in failed.result["msg"]


def test_a_failure_never_repeats_long_input_whole():
    class Loud(MemoryCrud):
        def validate(self, params, current):
            raise InputError("name %s is not\nallowed" % params["name"])

    failed = run(Loud(), name="n" * 10000)
    assert failed.failed and "\n" not in failed.result["msg"] and len(failed.result["msg"]) < 430
    assert failed.result["msg"].endswith("... (10020 characters)")
