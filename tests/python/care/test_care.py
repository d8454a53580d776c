"""Maintenance measures from Python: DataFrames out, hand-computed expectations, and allocation
invariants checked with hypothesis on random inputs."""

from __future__ import annotations

import datetime as dt
import decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import keyaccount
from keyaccount import care

PEOPLE = {"people": [
    {"id": "gina", "name": "Gina", "positions": ["general_manager"]},
    {"id": "carl", "name": "Carl", "positions": ["cs_manager"]},
    {"id": "sue", "name": "Sue", "positions": ["cr_supervisor"]},
    {"id": "alice", "name": "Alice", "positions": ["cr_specialist"], "superior": "sue"},
    {"id": "fay", "name": "Fay", "positions": ["finance_reviewer"]},
]}


def test_plan_is_a_dataframe_with_hand_computed_dates():
    accounts = pd.DataFrame([{
        "id": "C1", "name": "One", "tier": "key", "owner": "alice",
        "last_done.regular_visit": "2026-10-20", "last_done.profile_review": "2026-10-01",
        "last_done.executive_visit": "2026-08-31", "last_done.proposal_campaign": "2026-08-31",
        "gift_amount": 800}])
    # Art. 9: senior-management visits by plan, each with its briefing 7 days before.
    visits = [{"customer": "C1", "date": "2027-02-26", "executive": "gina"}]
    df = care.plan(accounts, PEOPLE, "2026-11-01", "2027-02-28", visit_plan=visits)
    got = [(d.date().isoformat(), a) for d, a in zip(df["due"], df["activity"])]
    assert got == [
        ("2026-11-01", "annual_symposium.invitation"),  # art-10: 30 days before the window
        ("2026-11-19", "regular_visit"),        # 10-20 + 30 days
        ("2026-11-30", "proposal_campaign"),    # 08-31 + 3 months, clamped to November's end
        ("2026-12-19", "regular_visit"),
        ("2026-12-20", "annual_symposium"),     # art-10: one event, held by the window's end
        ("2026-12-30", "profile_review"),       # 10-01 + 90 days
        ("2027-01-18", "regular_visit"),
        ("2027-01-22", "holiday_gift"),         # Spring Festival 2027-02-06 (Sat) - 14 = Sat → Fri
        ("2027-02-17", "regular_visit"),
        ("2027-02-19", "executive_visit.briefing"),  # art-9: 7 days before the visit, by alice
        ("2027-02-26", "executive_visit"),      # art-9: the planned day, not every 6 months
        ("2027-02-28", "proposal_campaign"),    # 08-31 + 6 months (no drift), clamped
    ]
    gift = df[df["activity"] == "holiday_gift"].iloc[0]
    assert gift["person"] == "alice"
    assert gift["submit"]["request"]["amount"] == 800
    assert df[df["activity"] == "executive_visit"].iloc[0]["person"] == "gina"
    assert df[df["activity"] == "executive_visit.briefing"].iloc[0]["person"] == "alice"


def test_plan_ics_is_icalendar():
    accounts = [{"id": "C1", "tier": "key", "owner": "alice",
                 "last_done": {"regular_visit": "2026-10-20"}}]
    text = care.plan_ics(accounts, PEOPLE, dt.date(2026, 11, 1), days=30)
    assert text.startswith("BEGIN:VCALENDAR")
    assert "DTSTART;VALUE=DATE:20261119" in text


def test_bad_input_raises_input_error_with_location():
    with pytest.raises(keyaccount.InputError, match=r"accounts\[0\]\.last_done\.regular_visit"):
        care.plan([{"id": "C1", "tier": "key", "last_done": {"regular_visit": "2026-02-30"}}],
                  PEOPLE, "2026-11-01")


def test_compliance_and_escalations():
    accounts = [{"id": "C1", "tier": "key", "owner": "alice",
                 "last_done": {"regular_visit": "2026-09-01", "profile_review": "2026-10-01",
                               "executive_visit": "2026-08-01",
                               "proposal_campaign": "2026-10-15"}},
                {"id": "C2", "tier": "key", "owner": "",
                 "last_done": {"regular_visit": "2026-10-20", "profile_review": "2026-10-01",
                               "executive_visit": "2026-08-01",
                               "proposal_campaign": "2026-10-15"}}]
    complaints = [{"id": "K1", "customer": "C1", "category": "transport", "recorder": "alice",
                   "raised_on": "2026-10-20", "recorded_on": "2026-10-20"}]
    visits = [{"customer": c, "date": "2026-12-01", "executive": "gina"} for c in ("C1", "C2")]
    df = care.compliance(accounts, PEOPLE, "2026-11-01", complaints=complaints,
                         visit_plan=visits)
    assert list(zip(df["kind"], df["customer"], df["days_overdue"])) == [
        ("activity_overdue", "C1", 31), ("no_valid_owner", "C2", 0),
        ("complaint_overdue", "C1", 10), ("complaint_overdue", "C1", 2)]
    esc = care.escalations(complaints, PEOPLE, "2026-11-01")
    assert list(esc["kind"]) == ["report", "resolve_overdue"]
    assert set(esc["to"]) == {"sue"}


def test_closing_with_an_open_escalation_is_refused():
    c = {"id": "K1", "customer": "C1", "category": "production", "raised_on": "2026-01-10",
         "resolved_on": "2026-01-15",
         "escalations": [{"kind": "report", "to": "sue", "opened_on": "2026-01-11"}]}
    with pytest.raises(keyaccount.ComplaintRefused) as info:
        care.close_complaint(c, "2026-01-16")
    assert info.value.kind == "open_escalation"
    c["escalations"][0]["closed_on"] = "2026-01-15"
    assert care.close_complaint(c, "2026-01-16")["closed_on"] == "2026-01-16"


def test_allocation_pro_rata_by_hand():
    stock = [{"product": "P", "quantity": 100}]
    orders = pd.DataFrame([
        {"id": "a", "customer": "A", "tier": "key", "product": "P", "quantity": 70, "ordered_at": "2026-06-01"},
        {"id": "b", "customer": "B", "tier": "key", "product": "P", "quantity": 50, "ordered_at": "2026-06-02"},
        {"id": "c", "customer": "C", "tier": "key", "product": "P", "quantity": 30, "ordered_at": "2026-06-03"},
    ])
    df = care.allocate(stock, orders, "2026-06-15", within_tier="pro_rata", pack_size=10)
    assert list(df["allocated"]) == [50, 30, 20]  # quotas 46.7/33.3/20 → packs 40/30/20 + 10 to a
    assert df.attrs["peak_season"] is True


line = st.fixed_dictionaries({
    "tier": st.sampled_from(["key", "regular", "other"]),
    "quantity": st.integers(0, 50),
    "day": st.integers(1, 28),
    "hour": st.integers(0, 23),
})


def _policy_with_unlisted_tier():
    """The default policy with a third tier, "other", that peak_season.tier_priority does not
    list: declared, so its lines are served after the listed tiers (an undeclared tier is an
    input error)."""
    data = keyaccount.default_policy().to_dict()
    other = dict(data["tiers"][0], id="other")
    data["tiers"].insert(1, other)
    return keyaccount.Policy.from_dict(data)


_UNLISTED = _policy_with_unlisted_tier()


@settings(max_examples=60, deadline=None, derandomize=True)
@given(lines=st.lists(line, max_size=25), stock=st.integers(0, 300),
       mode=st.sampled_from(["first_come", "pro_rata"]), pack=st.integers(1, 7),
       month=st.integers(1, 12))
def test_allocation_invariants(lines, stock, mode, pack, month):
    orders = [{"id": f"L{i}", "customer": f"C{i}", "tier": l["tier"], "product": "P",
               "quantity": l["quantity"], "ordered_at": f"2026-{month:02d}-{l['day']:02d}T{l['hour']:02d}:00"}
              for i, l in enumerate(lines)]
    df = care.allocate([{"product": "P", "quantity": stock}], orders, f"2026-{month:02d}-15",
                       within_tier=mode, pack_size=pack, policy=_UNLISTED)
    assert (df["allocated"] >= 0).all()
    assert (df["allocated"] <= df["ordered"]).all()
    assert df["allocated"].sum() <= stock
    if df["allocated"].sum() < stock:
        assert (df["allocated"] == df["ordered"]).all()
    if df.attrs["peak_season"]:
        rank = {"key": 0, "regular": 1, "other": 2}
        unmet = [rank[t] for t, a, o in zip(df["tier"], df["allocated"], df["ordered"]) if a < o]
        if unmet:
            best_unmet = min(unmet)
            lower = [a for t, a in zip(df["tier"], df["allocated"]) if rank[t] > best_unmet]
            assert sum(lower) == 0


def _key_customer(cid, profile=None, **changes):
    record = {"id": cid, "name": f"Customer {cid}", "category": "government",
              "first_order": "2020-01-15", "monthly_shipments": [60.0] * 36,
              "cumulative_amount": 900.0, "owner": "alice"}
    if profile is not None:
        record["profile"] = profile
    record.update(changes)
    return record


def test_compliance_with_customers_checks_profile_cards():
    customers = [
        _key_customer("C1", {"updated_on": "2026-01-01", "address": "1 Road",
                             "contacts": ["Ms Li"]}),                      # 304 days: stale
        _key_customer("C2"),                                              # no card
        _key_customer("C3", {"updated_on": "2026-10-01", "address": "3 Road"}),  # no contacts
        _key_customer("C4", {"updated_on": "2026-10-01", "address": "4 Road",
                             "contacts": ["Mr Wu"]}),                     # fine
        _key_customer("R1", category="other"),                           # regular: not checked
    ]
    # The activity log is merged into the classified customers by id (no tier needed).
    accounts = [{"id": "C4", "last_done": {"regular_visit": "2026-10-20"}}]
    df = care.compliance(accounts, PEOPLE, "2026-11-01", customers=customers)
    assert df.attrs["profiles_checked"] is True
    profile_rows = df[df["kind"].str.startswith("profile_")]
    assert sorted(zip(profile_rows["kind"], profile_rows["customer"])) == [
        ("profile_incomplete", "C3"), ("profile_missing", "C2"), ("profile_stale", "C1")]
    assert "R1" not in set(df["customer"])
    visits = df[(df["kind"] == "activity_overdue") & (df["subject"] == "regular_visit")]
    assert "C4" not in set(visits["customer"])  # its last visit came from the merged log

    without = care.compliance(accounts=[{"id": "C1", "tier": "key", "owner": "alice"}],
                              people=PEOPLE, as_of="2026-11-01")
    assert without.attrs["profiles_checked"] is False


def test_compliance_locates_a_broken_customer_record():
    customers = [_key_customer("C1"), _key_customer("C2", category="ministry")]
    with pytest.raises(keyaccount.InputError, match=r"customers\[1\]\.category"):
        care.compliance(None, PEOPLE, "2026-11-01", customers=customers)
    with pytest.raises(TypeError):
        care.compliance(None, PEOPLE, "2026-11-01")


def test_allocation_keeps_the_time_of_day_of_timestamp_order_times():
    stock = [{"product": "P", "quantity": 50}]
    orders = pd.DataFrame([
        {"id": "L1", "customer": "A", "tier": "key", "product": "P", "quantity": 50,
         "ordered_at": "2026-06-01T15:00"},
        {"id": "L2", "customer": "B", "tier": "key", "product": "P", "quantity": 50,
         "ordered_at": "2026-06-01T09:30"},
    ])
    as_text = care.allocate(stock, orders, "2026-06-15")
    assert list(as_text["allocated"]) == [0, 50]  # first come: the earlier time that day
    for column in (pd.to_datetime(orders["ordered_at"]),
                   pd.to_datetime(orders["ordered_at"]).dt.tz_localize("Asia/Shanghai"),
                   [dt.datetime(2026, 6, 1, 15), dt.datetime(2026, 6, 1, 9, 30)]):
        got = care.allocate(stock, orders.assign(ordered_at=column), "2026-06-15")
        assert list(got["allocated"]) == list(as_text["allocated"])
        assert list(got["priority"]) == list(as_text["priority"])


def test_nat_in_a_last_done_column_means_never_done():
    accounts = pd.DataFrame([
        {"id": "C1", "tier": "key", "owner": "alice", "last_done.regular_visit": "2026-09-01"},
        {"id": "C2", "tier": "key", "owner": "alice", "last_done.regular_visit": None},
    ])
    never = care.compliance([{"id": "C1", "tier": "key", "owner": "alice",
                              "last_done": {"regular_visit": "2026-09-01"}},
                             {"id": "C2", "tier": "key", "owner": "alice"}],
                            PEOPLE, "2026-11-01")
    dated = accounts.assign(**{"last_done.regular_visit":
                               pd.to_datetime(accounts["last_done.regular_visit"])})
    assert pd.isna(dated["last_done.regular_visit"].iloc[1])  # NaT
    for frame in (accounts, dated):
        got = care.compliance(frame, PEOPLE, "2026-11-01")
        assert got.astype(str).to_dict("records") == never.astype(str).to_dict("records")
    assert (never["customer"] == "C2").any()  # the never-done visit is reported


ACCOUNT = {"id": "C1", "tier": "key", "owner": "alice",
           "last_done": {"regular_visit": "2026-10-20"}}


@pytest.mark.parametrize("call,error,message", [
    (lambda: care.plan(5, PEOPLE, "2026-11-01"), TypeError,
     "accounts must be a DataFrame or a list of dicts, not int"),
    (lambda: care.compliance({"id": "C1"}, PEOPLE, "2026-11-01"), TypeError,
     "accounts must be a DataFrame or a list of dicts, not dict"),
    (lambda: care.plan(["C1"], PEOPLE, "2026-11-01"), keyaccount.InputError,
     r"accounts\[0\]: expected a dict \(one record\), got str"),
    (lambda: care.plan([dict(ACCOUNT, gift_amount=decimal.Decimal(5))], PEOPLE, "2026-11-01"),
     keyaccount.InputError, r"accounts\[0\]\.gift_amount: cannot read a value of type Decimal"),
    (lambda: care.plan([dict(ACCOUNT, gift_amount=float("inf"))], PEOPLE, "2026-11-01"),
     keyaccount.InputError, r"accounts\[0\]\.gift_amount: not a finite number"),
    (lambda: care.plan([ACCOUNT], "not json", "2026-11-01"), keyaccount.InputError,
     "people: not valid JSON"),
    (lambda: care.plan([ACCOUNT], PEOPLE, "2026-13-01"), keyaccount.InputError,
     'start: expected a date YYYY-MM-DD, got "2026-13-01"'),
    (lambda: care.plan([ACCOUNT], PEOPLE, "2026-11-01", "2026-11-31"), keyaccount.InputError,
     'end: expected a date YYYY-MM-DD, got "2026-11-31"'),
    (lambda: care.plan([ACCOUNT], PEOPLE, None), TypeError, "start must be a date"),
    (lambda: care.plan([ACCOUNT], PEOPLE, "2026-11-01", days=0), ValueError,
     "days must be a whole number >= 1"),
    (lambda: care.plan([ACCOUNT], PEOPLE, "2026-11-01", gift_amount=float("nan")),
     keyaccount.InputError, "gift_amount: expected a finite number"),
    (lambda: care.compliance(None, PEOPLE, "2026-11-01",
                             customers=[{"id": "A", "cumulative_amount": decimal.Decimal(1)}]),
     keyaccount.InputError, r"customers\[0\]\.cumulative_amount: cannot read"),
    (lambda: care.escalations(5, PEOPLE, "2026-11-01"), TypeError,
     "complaints must be a DataFrame or a list of dicts"),
    (lambda: care.close_complaint("K1", "2026-11-01"), TypeError, "complaint must be a dict"),
    (lambda: care.allocate([{"product": "P", "quantity": 5}], [], "2026-06-15", within_tier=5),
     keyaccount.InputError, "within_tier: expected 'first_come' or 'pro_rata', got 5"),
    (lambda: care.allocate([{"product": "P", "quantity": 5}], [], "2026-06-15", pack_size=2.5),
     keyaccount.InputError, "pack_size: expected a whole number >= 1, got 2.5"),
    (lambda: care.allocate([{"product": "P", "quantity": 5}], [], "2026-06-15",
                           pack_size=2 ** 40), keyaccount.InputError, "pack_size: expected"),
])
def test_bad_arguments_and_records_are_named_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_numpy_numbers_stay_accepted_as_arguments():
    df = care.plan([ACCOUNT], PEOPLE, "2026-11-01", days=np.int64(30),
                   gift_amount=np.float32(100))
    assert len(df) > 0
    out = care.allocate([{"product": "P", "quantity": 5}], [], "2026-06-15",
                        pack_size=np.int64(2))
    assert out.attrs["pack_size"] == 2
