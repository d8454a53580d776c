"""One error model (issue 15 item 4): every error of the C++ core reaches Python through one
translator (bindings/python/bind_errors.cpp) as the class of its kind, with ``problems`` and
its place kept, whichever entry point met it. The same bad people give the same PeopleError from
People(), care.plan and care.compliance."""

from __future__ import annotations

import pytest

import keyaccount as ka
from keyaccount import care

BAD_PEOPLE = [{"id": "a", "positions": ["wizard"]}, {"id": "a", "positions": []}]
ACCOUNTS = [{"id": "C1", "tier": "key", "owner": "a"}]


def people_error(call) -> ka.PeopleError:
    with pytest.raises(ka.PeopleError) as e:
        call()
    return e.value


def test_bad_people_are_the_same_people_error_everywhere():
    expected = people_error(lambda: ka.People(BAD_PEOPLE))
    assert len(expected.problems) >= 2
    assert all(p.startswith("people[") for p in expected.problems), expected.problems
    for call in (lambda: care.plan(ACCOUNTS, BAD_PEOPLE, "2026-11-01"),
                 lambda: care.compliance(ACCOUNTS, BAD_PEOPLE, "2026-11-01"),
                 lambda: care.escalations([], BAD_PEOPLE, "2026-11-01")):
        got = people_error(call)
        assert got.problems == expected.problems
        assert str(got) == str(expected)
        assert got.error_kind == "people"
        assert isinstance(got, ka.InputError)  # as care raised before: callers catching it still do


def test_a_bad_customer_field_is_an_input_error_at_the_field():
    with pytest.raises(ka.InputError) as e:
        ka.classify({"id": "C1", "first_order": "2024-02-30"}, "2026-06-30")
    assert e.value.field == "first_order"
    assert e.value.error_kind == "input"
    assert e.value.problems == [str(e.value)]
    assert str(e.value).startswith("first_order: ")


def test_a_bad_instance_is_located_by_pointer_and_by_line():
    with pytest.raises(ka.InstanceFormatError) as e:
        ka.Instance.from_json("[]")
    assert (e.value.pointer, e.value.where) == ("/", "/")
    assert e.value.error_kind == "workflow_format"
    with pytest.raises(ka.InstanceFormatError) as e:
        ka.Instance.from_json("{\n  ]")
    assert (e.value.line, e.value.pointer) == (2, "")
    assert e.value.where.startswith("line 2, column ")


def test_a_bad_account_is_an_input_error_at_its_field():
    with pytest.raises(ka.InputError) as e:
        care.plan([{"id": "C1", "tier": "gold"}], {"people": []}, "2026-11-01")
    assert e.value.field == "accounts[0]"  # the record; the field is named by the problem
    assert e.value.error_kind == "input"
    assert str(e.value).startswith("accounts[0]: tier: unknown tier")


def test_allocation_problems_are_an_allocation_error_listing_each():
    orders = [{"id": "L1", "customer": "A", "tier": "gold", "product": "P", "quantity": 1,
               "ordered_at": "2026-06-01"},
              {"id": "L2", "customer": "B", "tier": "silver", "product": "P", "quantity": 5,
               "ordered_at": "2026-06-01"}]
    with pytest.raises(ka.AllocationError) as e:
        care.allocate([{"product": "P", "quantity": 10}], orders, "2026-06-15")
    assert isinstance(e.value, ka.InputError)  # as care raised before: callers catching it still do
    assert e.value.error_kind == "allocation"
    assert [p.split(":")[0] for p in e.value.problems] == ["orders[0].tier", "orders[1].tier"]
    assert str(e.value).startswith("invalid allocation input\n  orders[0].tier: ")


def test_a_bad_record_of_a_file_keeps_its_file_and_line(tmp_path):
    accounts = tmp_path / "accounts.jsonl"
    accounts.write_text('{"id": "C1", "tier": "key"}\n'
                        '{"id": "C2", "tier": "key", "last_done": {"regular_visit": "x"}}\n')
    with pytest.raises(ka.InputError) as e:
        care.plan(accounts, {"people": []}, "2026-11-01")
    assert (e.value.file, e.value.line) == (str(accounts), 2)
    assert e.value.field == "last_done.regular_visit"
    assert str(e.value).startswith(f"{accounts}:2: last_done.regular_visit: ")
