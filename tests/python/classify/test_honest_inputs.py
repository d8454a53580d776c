"""Issue 17 from Python: a record contradicting its as-of date is an input error (one record and
a table), an undeclared tier is refused, facts after as_of are ignored with a warning, and an
evaluation error names its criterion and cause wherever it shows."""

from __future__ import annotations

import pandas as pd
import pytest

import keyaccount
from keyaccount import care

PEOPLE = {"people": [
    {"id": "gina", "name": "Gina", "positions": ["general_manager"]},
    {"id": "carl", "name": "Carl", "positions": ["cs_manager"]},
    {"id": "sue", "name": "Sue", "positions": ["cr_supervisor"]},
    {"id": "alice", "name": "Alice", "positions": ["cr_specialist"], "superior": "sue"},
]}


def _customer(cid="F1", first_order="2027-03-01", shipments=(40.0, 40.0, 40.0), cumulative=100.0):
    return {"id": cid, "name": "n", "category": "government", "first_order": first_order,
            "monthly_shipments": list(shipments), "cumulative_amount": cumulative}


def test_a_first_order_after_as_of_is_an_input_error_in_a_record_and_in_a_table():
    with pytest.raises(keyaccount.InputError) as exc:
        keyaccount.classify(_customer(), "2026-06-30")
    assert exc.value.field == "first_order"
    assert "2027-03-01 is after the as-of date 2026-06-30" in str(exc.value)
    frame = pd.DataFrame([_customer("OK", "2020-01-01"), _customer()])
    with pytest.raises(keyaccount.InputError) as exc:
        keyaccount.classify(frame, "2026-06-30")
    assert exc.value.field == "first_order" and exc.value.row == 1
    out = keyaccount.classify(frame, "2026-06-30", on_error="skip", explain=True)
    assert pd.isna(out["tier"][1]) and not pd.isna(out["tier"][0])
    assert out["error"][1].startswith("first_order: 2027-03-01 is after the as-of date")


def test_an_undeclared_or_miscased_tier_is_refused_with_a_suggestion():
    orders = [{"id": "L1", "customer": "C1", "tier": "Key", "product": "P", "quantity": 60,
               "ordered_at": "2026-11-02"}]
    with pytest.raises(keyaccount.InputError) as exc:
        care.allocate([{"product": "P", "quantity": 100}], orders, "2026-11-25")
    assert 'unknown tier "Key" (did you mean `key`?' in str(exc.value)


def test_facts_after_as_of_are_ignored_and_listed():
    complaints = [{"id": "K1", "customer": "C1", "category": "transport", "recorder": "alice",
                   "raised_on": "2026-06-01", "recorded_on": "2026-06-01",
                   "resolved_on": "2026-07-10"}]
    esc = care.escalations(complaints, PEOPLE, "2026-06-30")
    assert sorted(esc["kind"]) == ["report", "resolve_overdue"]
    assert any("complaints[0].resolved_on: 2026-07-10 is after" in w
               for w in esc.attrs["warnings"])
    accounts = [{"id": "C1", "tier": "key", "owner": "alice",
                 "last_done": {"regular_visit": "2027-01-01"}}]
    found = care.compliance(accounts, PEOPLE, "2026-06-30", complaints=complaints)
    assert (found["kind"] == "complaint_overdue").sum() == 2
    assert "regular_visit" in set(found["subject"])
    assert any("last_done.regular_visit: 2027-01-01 is after" in w
               for w in found.attrs["warnings"])
    plan = care.plan(accounts, PEOPLE, "2026-06-30", days=10)
    visit = plan[plan["activity"] == "regular_visit"].iloc[0]
    assert visit["never_done"]
    assert any(w.startswith("accounts[0]: C1: last_done.regular_visit: 2027-01-01 is after")
               for w in plan.attrs["warnings"])


def _twelfth_month_policy():
    data = keyaccount.default_policy().to_dict()
    for c in data["criteria"]:
        if c["id"] == "art-5.1":
            c["condition"] = "monthly_shipments[11] > 1.0"
    return keyaccount.Policy.from_dict(data)


CAUSE = "index 11 out of range for a list of size 2"


def test_an_evaluation_error_names_its_criterion_and_cause_everywhere():
    policy = _twelfth_month_policy()
    stuck = _customer("E1", "2020-01-01", (10.0, 10.0))      # the tier hangs on art-5.1
    decided = _customer("K1", "2020-01-01", (60.0, 60.0, 60.0))  # key by art-5.2 anyway
    with pytest.raises(keyaccount.EvaluationError) as exc:
        keyaccount.classify(stuck, "2026-06-30", policy=policy)
    assert exc.value.criterion == "art-5.1"
    assert CAUSE in exc.value.cause
    assert exc.value.id == "E1"
    frame = pd.DataFrame([decided, stuck])
    with pytest.raises(keyaccount.EvaluationError) as exc:
        keyaccount.classify(frame, "2026-06-30", policy=policy)
    assert (exc.value.criterion, exc.value.row) == ("art-5.1", 1)
    assert not isinstance(exc.value, keyaccount.InputError)
    out = keyaccount.classify(frame, "2026-06-30", policy=policy, explain=True, on_error="skip")
    assert out["error"][1].startswith("criterion art-5.1 could not be evaluated: ")
    assert CAUSE in out["error"][1]
    assert out["tier"][0] == "key"
    assert out["art-5.1.result"][0] == "error"   # decided, and still not "not met"
    assert "index 11 out of range for a list of size 3" in out["art-5.1.error"][0]
    assert out["art-5.2.result"][0] == "met"
    decision = keyaccount.classify(decided, "2026-06-30", policy=policy)
    assert decision.criterion("art-5.1")["result"] == "error"


def test_allocation_errors_name_the_argument_and_index():
    orders = [{"id": "a", "customer": "A", "tier": "key", "product": "P", "quantity": 5,
               "ordered_at": "2026-11-01"},
              {"id": "a", "customer": "B", "tier": "key", "product": "P", "quantity": 5,
               "ordered_at": "2026-11-02"}]
    with pytest.raises(keyaccount.InputError) as exc:
        care.allocate([{"product": "P", "quantity": 100}, {"product": "P", "quantity": 1}],
                      orders, "2026-11-25")
    text = str(exc.value)
    assert 'orders[1]: order line "a" is given twice (first at orders[0])' in text
    assert 'stock[1]: stock of "P" is given twice (first at stock[0])' in text
    assert "lines[" not in text
