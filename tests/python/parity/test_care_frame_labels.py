"""A DataFrame given to ``keyaccount.care`` is reported by its index label, not by its position
(issue 17 item 4: "from Python, the argument name and index/label").

Each care entry point gets a frame whose index is not 0, 1, 2...: strings, and integers that
differ from the positions. A bad record is named ``NAME.loc[LABEL]`` (with ``(id ID)`` where
the record has an id) in the error raised, in ``df.attrs["skipped"]`` and in the warnings; the
error's ``.index`` / ``.id`` / ``.row`` say the label, the id and the position, as classify's
do. Before, every one said ``NAME[2]``, the position. A list of dicts keeps its positions.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

import keyaccount
from keyaccount import care

ROOT = Path(__file__).resolve().parents[3]
EX = ROOT / "examples"
AS_OF = "2026-06-30"
PEOPLE = EX / "people.json"

# The index of a four-row frame: strings, and integers none of which is its own position.
INDEXES = {"strings": ["a", "b", "c", "d"], "integers": [105, 7, 3, 2]}


def _jsonl(name: str, n: int = 4) -> list[dict]:
    return [json.loads(x) for x in (EX / name).read_text().splitlines() if x.strip()][:n]


def frame(records: list[dict], index: str) -> pd.DataFrame:
    return pd.DataFrame(records, index=INDEXES[index])


def label(index: str, position: int = 2) -> str:
    return f".loc[{INDEXES[index][position]!r}]"


ACCOUNTS = [dict(a, tier="key", owner="specialist-1") for a in _jsonl("accounts.jsonl")]


@pytest.fixture(params=list(INDEXES))
def index(request):
    return request.param


def test_plan_names_a_bad_account_by_label_and_id(index):
    records = [dict(a) for a in ACCOUNTS]
    records[2]["tier"] = "Key"
    accounts = frame(records, index)
    with pytest.raises(keyaccount.InputError) as raised:
        care.plan(accounts, PEOPLE, AS_OF)
    where = f"accounts{label(index)} (id C00003): tier: "
    assert where in str(raised.value) and "accounts[2]" not in str(raised.value), raised.value
    assert (raised.value.index, raised.value.id, raised.value.row) == \
        (INDEXES[index][2], "C00003", 2)
    df = care.plan(accounts, PEOPLE, AS_OF, on_error="skip")
    assert len(df.attrs["skipped"]) == 1 and df.attrs["skipped"][0].startswith(where), \
        df.attrs["skipped"]
    with pytest.warns(UserWarning, match=re.escape(where)):
        care.plan_ics(accounts, PEOPLE, AS_OF, on_error="skip")


def test_a_list_of_dicts_keeps_its_positions():
    records = [dict(a) for a in ACCOUNTS]
    records[2]["tier"] = "Key"
    with pytest.raises(keyaccount.InputError, match=re.escape("accounts[2]: tier: ")):
        care.plan(records, PEOPLE, AS_OF)


def test_a_customer_given_twice_names_both_rows_by_label(index):
    records = _jsonl("customers.jsonl")
    records[2]["id"] = records[0]["id"]
    customers = frame(records, index)
    with pytest.raises(keyaccount.InputError) as raised:
        care.plan(None, PEOPLE, AS_OF, customers=customers)
    assert f"customers{label(index)} (id C00001): customer \"C00001\" is given twice (first at " \
        f"customers{label(index, 0)})" in str(raised.value), raised.value


def test_compliance_names_a_bad_complaint_and_a_later_fact_by_label(index):
    records = _jsonl("complaints.jsonl")
    records[1]["resolved_on"] = "2026-07-10"  # after as_of: a warning
    records[2]["raised_on"] = "2026-02-30"
    complaints = frame(records, index)
    with pytest.raises(keyaccount.InputError, match=re.escape(f"complaints{label(index)}")):
        care.compliance(EX / "accounts.jsonl", PEOPLE, AS_OF, complaints=complaints)
    df = care.compliance(EX / "accounts.jsonl", PEOPLE, AS_OF, complaints=complaints,
                         on_error="skip")
    assert [m.split(" ")[0] for m in df.attrs["skipped"]] == \
        [f"complaints{label(index)}.raised_on"], df.attrs["skipped"]
    assert any(w.startswith(f"complaints{label(index, 1)}.resolved_on (id K002): ")
               for w in df.attrs["warnings"]), df.attrs["warnings"]


def test_escalations_name_a_later_fact_by_label(index):
    records = _jsonl("complaints.jsonl")
    records[3]["resolved_on"] = "2026-07-10"
    df = care.escalations(frame(records, index), PEOPLE, AS_OF)
    assert any(w.startswith(f"complaints{label(index, 3)}.resolved_on (id K004): ")
               for w in df.attrs["warnings"]), df.attrs["warnings"]


def test_symposium_names_a_bad_event_by_label(index):
    events = frame([{"date": "2024-12-10", "held": True}, {"date": "2025-12-10", "held": True},
                    {"date": "2026-12-10", "held": "yes"}, {"date": "2027-12-10"}], index)
    with pytest.raises(keyaccount.InputError, match=re.escape(f"events{label(index)}.held")):
        care.symposium(EX / "accounts.jsonl", PEOPLE, AS_OF, events=events)
    df = care.symposium(EX / "accounts.jsonl", PEOPLE, AS_OF, events=events, on_error="skip")
    assert [m.split(":")[0] for m in df.attrs["skipped"]] == [f"events{label(index)}.held"]


def test_allocate_names_every_bad_line_by_label_and_id(index):
    orders = pd.read_csv(EX / "orders.csv", dtype=str).head(4)
    orders.index = INDEXES[index]
    orders.iloc[2, orders.columns.get_loc("tier")] = "Key"
    orders.iloc[3, orders.columns.get_loc("id")] = orders.iloc[0]["id"]
    with pytest.raises(keyaccount.InputError) as raised:
        care.allocate(EX / "stock.csv", orders, "2026-12-01")
    text = "\n".join(raised.value.problems)
    assert f"orders{label(index)}.tier (id L003)" in text, text
    assert f"orders{label(index, 3)}" in text and "orders[" not in str(raised.value), text
    df = care.allocate(EX / "stock.csv", orders, "2026-12-01", on_error="skip")
    assert [m.split(" ")[0].split(".tier")[0] for m in df.attrs["skipped"]] == \
        [f"orders{label(index)}", f"orders{label(index, 3)}"], df.attrs["skipped"]


def test_supply_watch_names_a_bad_stock_line_by_label(index):
    stock = pd.read_csv(EX / "supply_stock.csv", dtype=str).head(4)
    stock.index = INDEXES[index]
    stock.iloc[1, stock.columns.get_loc("quantity")] = "-5"
    with pytest.raises(keyaccount.InputError,
                       match=re.escape(f"stock{label(index, 1)}.quantity")):
        care.supply_watch(EX / "customers.jsonl", stock, AS_OF)
    df = care.supply_watch(EX / "customers.jsonl", stock, AS_OF, on_error="skip")
    assert [m.split(":")[0] for m in df.attrs["skipped"]] == \
        [f"stock{label(index, 1)}.quantity"]


def test_festivals_and_visit_plan_by_label(index):
    festivals = frame([{"id": f"f{i}", "name": f"F{i}", "dates": [f"2026-08-0{i}"]}
                       for i in (1, 2, 3, 4)], index)
    festivals.at[INDEXES[index][2], "id"] = "f1"
    with pytest.raises(keyaccount.InputError,
                       match=re.escape(f"festivals{label(index)} (id f1): ")):
        care.plan(EX / "accounts.jsonl", PEOPLE, AS_OF, festivals=festivals)
    visits = frame([{"customer": a["id"], "executive": "csm-1", "date": f"2026-08-0{i + 1}"}
                    for i, a in enumerate(ACCOUNTS)], index)
    visits.at[INDEXES[index][2], "date"] = "2026-02-30"
    with pytest.raises(keyaccount.InputError,
                       match=re.escape(f"visit_plan{label(index)}.date")):
        care.plan(None, PEOPLE, AS_OF, customers=EX / "customers.jsonl", visit_plan=visits)
