"""Art. 14 (issue 16): applying the policy on a day before its effective date warns with
keyaccount.PolicyNotInForceWarning and still returns the result."""

from __future__ import annotations

import datetime as dt
import warnings

import pytest

import keyaccount
from keyaccount import care

PEOPLE = {"people": [
    {"id": "sue", "positions": ["cr_supervisor"]},
    {"id": "alice", "positions": ["cr_specialist"], "superior": "sue"},
]}
ACCOUNTS = [{"id": "C1", "tier": "key", "owner": "alice",
             "last_done": {"regular_visit": "2025-12-10"}}]
CUSTOMER = {"id": "K1", "name": "Grid", "category": "government", "cumulative_amount": 900.0,
            "first_order": "2020-01-15", "monthly_shipments": [60.0] * 12}

CALLS = {
    "classify": lambda day: keyaccount.classify(CUSTOMER, day),
    "classify_list": lambda day: keyaccount.classify([CUSTOMER], day),
    "plan": lambda day: care.plan(ACCOUNTS, PEOPLE, day, days=30),
    "plan_ics": lambda day: care.plan_ics(ACCOUNTS, PEOPLE, day, days=30),
    "compliance": lambda day: care.compliance(ACCOUNTS, PEOPLE, day),
}


def test_the_default_policy_states_when_it_comes_into_force():
    assert keyaccount.default_policy().effective_on == dt.date(2026, 2, 1)
    assert issubclass(keyaccount.PolicyNotInForceWarning, UserWarning)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_day_before_effective_on_warns_and_still_answers(name):
    with pytest.warns(keyaccount.PolicyNotInForceWarning,
                      match=r"in force from 2026-02-01 \(art-14\); 2026-01-15 is before") as seen:
        result = CALLS[name]("2026-01-15")
    assert len(seen) == 1
    assert seen[0].filename == __file__  # points at the caller's line
    assert result is not None
    with warnings.catch_warnings():
        warnings.simplefilter("error", keyaccount.PolicyNotInForceWarning)
        CALLS[name](dt.date(2026, 2, 1))  # in force: no warning
        with pytest.raises(keyaccount.PolicyNotInForceWarning):
            CALLS[name](dt.date(2026, 1, 31))
