"""Every input error has a place (issue 17 item 4, the sweep): from a file, FILE:LINE; from
Python, the argument's name and the record's index.

Each record input of the commands and of ``keyaccount.care`` (customers, accounts, complaints,
orders, stock, festivals, symposium events, the visit plan) is given with its third record
damaged four ways: an id given twice, a value of the wrong type, an impossible date and a
required field missing; from a file (the CLI), a list of dicts and a DataFrame (Python). The
people file, whose problems are found after it is read, is checked at the line of the member
each one names. Where the sweep found an error without its place (the people file; a customer
given twice located twice from a list) or no error at all (a visit planned twice), the test
failed before the fix.
"""
from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import keyaccount
from keyaccount import care

ROOT = Path(__file__).resolve().parents[3]
EX = ROOT / "examples"
AS_OF = "2026-06-30"
PEOPLE_FILE = EX / "people.json"
PEOPLE = json.loads(PEOPLE_FILE.read_text())


def _jsonl(name: str, n: int = 3) -> list[dict]:
    return [json.loads(x) for x in (EX / name).read_text().splitlines() if x.strip()][:n]


def _csv(name: str, n: int = 3) -> list[dict]:
    return pd.read_csv(EX / name, dtype=str).to_dict("records")[:n]


ACCOUNTS = [dict(a, tier="key", owner="specialist-1") for a in _jsonl("accounts.jsonl")]
VISITS = [{"customer": a["id"], "executive": "csm-1", "date": f"2026-08-0{i + 1}"}
          for i, a in enumerate(ACCOUNTS)]
_SKIP_DATE = None
_ACC = ["--accounts", EX / "accounts.jsonl", "--people", PEOPLE_FILE]

# name: (records, the defects as {kind: change of record 2}, argument name, CLI arguments for
# the file F, the Python call). A change is (field, value) or a function of the records.
INPUTS = {
    "customers": (
        _jsonl("customers.jsonl"),
        {"duplicate": ("id", "C00001"), "wrong type": ("cumulative_amount", "lots"),
         "bad date": ("first_order", "2026-02-30"), "missing": ("category", None)},
        "customers",
        lambda f: ["plan", "--as-of", AS_OF, "--customers", f, "--people", PEOPLE_FILE],
        lambda r: care.plan(None, PEOPLE, AS_OF, customers=r)),
    "accounts": (
        ACCOUNTS,
        {"wrong type": ("gift_amount", "much"),
         "bad date": ("last_done", {"regular_visit": "2026-02-30"}), "missing": ("tier", None)},
        "accounts",
        lambda f: ["plan", "--as-of", AS_OF, "--accounts", f, "--people", PEOPLE_FILE],
        lambda r: care.plan(r, PEOPLE, AS_OF)),
    "complaints": (
        _jsonl("complaints.jsonl"),
        {"duplicate": ("id", "K001"), "wrong type": ("recorder", 5),
         "bad date": ("raised_on", "2026-02-30"), "missing": ("customer", None)},
        "complaints",
        lambda f: ["compliance", "--as-of", AS_OF, *_ACC, "--complaints", f],
        lambda r: care.compliance(EX / "accounts.jsonl", PEOPLE, AS_OF, complaints=r)),
    "orders": (
        _csv("orders.csv"),
        {"duplicate": ("id", "L001"), "wrong type": ("quantity", "many"),
         "bad date": ("ordered_at", "2026-02-30"), "missing": ("customer", None)},
        "orders",
        lambda f: ["allocate", "--on", "2026-12-01", "--stock", EX / "stock.csv", "--orders", f],
        lambda r: care.allocate(EX / "stock.csv", r, "2026-12-01")),
    "stock": (
        [dict(s, arrives_on="2026-07-01") for s in _csv("stock.csv")],
        {"duplicate": lambda r: r[2].update(product=r[0]["product"], spec=r[0]["spec"]),
         "wrong type": ("quantity", "many"), "bad date": ("arrives_on", "2026-02-30"),
         "missing": ("quantity", None)},
        "stock",
        lambda f: ["supply", "--as-of", AS_OF, "--customers", EX / "customers.jsonl",
                   "--stock", f],
        lambda r: care.supply_watch(EX / "customers.jsonl", r, AS_OF)),
    "festivals": (
        [{"id": f"f{i}", "name": f"F{i}", "dates": [f"2026-08-0{i}"]} for i in (1, 2, 3)],
        {"duplicate": ("id", "f1"), "wrong type": ("name", 5),
         "bad date": ("dates", ["2026-02-30"]), "missing": ("dates", None)},
        "festivals",
        lambda f: ["plan", "--as-of", AS_OF, *_ACC, "--festivals", f],
        lambda r: care.plan(EX / "accounts.jsonl", PEOPLE, AS_OF, festivals=r)),
    "symposium": (
        [{"date": "2024-12-10", "held": True}, {"date": "2025-12-10", "held": True},
         {"date": "2026-12-10"}],
        {"duplicate": ("date", "2025-12-11"), "wrong type": ("held", "yes"),
         "bad date": ("date", "2026-02-30"), "missing": ("date", None)},
        "symposium",
        lambda f: ["plan", "--as-of", AS_OF, *_ACC, "--symposium", f],
        lambda r: care.plan(EX / "accounts.jsonl", PEOPLE, AS_OF, symposium=r)),
    "visit_plan": (
        VISITS,
        {"duplicate": lambda r: r.__setitem__(2, copy.deepcopy(r[0])),
         "wrong type": ("executive", 5), "bad date": ("date", "2026-02-30"),
         "missing": ("executive", None)},
        "visit_plan",
        lambda f: ["plan", "--as-of", AS_OF, "--customers", EX / "customers.jsonl", "--people",
                   PEOPLE_FILE, "--visit-plan", f],
        lambda r: care.plan(None, PEOPLE, AS_OF, customers=EX / "customers.jsonl",
                            visit_plan=r)),
}

CASES = [(name, kind) for name, spec in INPUTS.items() for kind in spec[1]]


def damaged(name: str, kind: str) -> list[dict]:
    records = copy.deepcopy(INPUTS[name][0])
    change = INPUTS[name][1][kind]
    if callable(change):
        change(records)
    elif change[1] is None:
        records[2].pop(change[0])
    else:
        records[2][change[0]] = change[1]
    return records


def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "keyaccount", *map(str, args)],
                          capture_output=True, text=True)


@pytest.mark.parametrize("name,kind", CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_from_a_file_the_error_is_at_its_line(tmp_path, name, kind):
    path = tmp_path / f"{name}.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in damaged(name, kind)))
    r = cli(*INPUTS[name][3](path))
    assert r.returncode == 1, r.stderr
    errors = [line for line in r.stderr.splitlines() if "error[" in line]
    assert errors and errors[0].startswith(f"{path}:3: error[invalid_record]: "), r.stderr


@pytest.mark.parametrize("form", ["list", "DataFrame"])
@pytest.mark.parametrize("name,kind", CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_from_python_the_error_names_the_argument_and_index(name, kind, form):
    records = damaged(name, kind)
    data = records if form == "list" else pd.DataFrame(records)
    with pytest.raises(keyaccount.InputError) as raised:
        INPUTS[name][4](data)
    message = str(raised.value)
    # A list's record by its position, a DataFrame's row by its index label (here the same 2).
    where = f"{INPUTS[name][2]}[2]" if form == "list" else f"{INPUTS[name][2]}.loc[2]"
    assert re.search(rf"(^|\n  ){re.escape(where)}[.: ]", message), message
    assert message.count(where) == 1 + message.count("first at " + where), \
        f"located more than once: {message}"


@pytest.mark.parametrize("people,line,column,problem", [
    ([{"id": "a", "positions": ["cr_specialist"]}, {"id": "a", "positions": ["cr_specialist"]}],
     10, 4, 'people[1].id: duplicate person id "a"'),
    ([{"id": "a", "positions": "cr_specialist"}], 5, 4,
     "people[0].positions: expected an array of strings"),
    ([{"positions": ["cr_specialist"]}], 3, 3, 'people[0]: missing "id"'),
    ([{"id": "a", "positions": ["nobody"]}], 6, 5, 'people[0].positions[0]: unknown position'),
], ids=["duplicate", "wrong type", "missing", "unknown position"])
def test_a_people_file_problem_is_at_the_line_of_the_member_it_names(tmp_path, people, line,
                                                                       column, problem):
    path = tmp_path / "people.json"
    path.write_text(json.dumps({"people": people}, indent=1))
    r = cli("plan", "--as-of", AS_OF, "--accounts", EX / "accounts.jsonl", "--people", path)
    assert r.returncode == 1
    assert f"{path}:{line}:{column}: error[invalid_people]: {problem}" in r.stderr, r.stderr
    with pytest.raises(keyaccount.InputError, match=re.escape(f"{path}:{line}:{column}: "
                                                              f"{problem}")):
        care.plan(EX / "accounts.jsonl", path, AS_OF)


def test_a_problem_of_the_whole_directory_is_at_the_people_list(tmp_path):
    """A problem no one person holds (a position held by too many) is the `people` list's."""
    path = tmp_path / "people.json"
    path.write_text(json.dumps({"people": [{"id": f"g{i}", "positions": ["general_manager"]}
                                           for i in range(2)]}, indent=1))  # "people" on line 2
    r = cli("plan", "--as-of", AS_OF, "--accounts", EX / "accounts.jsonl", "--people", path)
    errors = [line for line in r.stderr.splitlines() if "error[invalid_people]" in line]
    assert r.returncode == 1 and errors, r.stderr
    assert errors[0].startswith(f"{path}:2:2: error[invalid_people]: people: position "
                                "\"general_manager\" allows 1"), r.stderr


def test_amendment_arguments_of_a_wrong_type_are_named():
    """Found by the sweep: `amendment_request(..., summary=5)` raised pybind11's "incompatible
    function arguments" listing C++ types, not the argument."""
    base = keyaccount.default_policy()
    name, value = next(iter(base.parameters.items()))
    cand = base.with_parameters(**{name: value + 1})
    with pytest.raises(TypeError, match="^summary must be a string, not int$"):
        keyaccount.amendment_request(base, cand, 5)
    with pytest.raises(TypeError, match="^effective_on must be a date or 'YYYY-MM-DD', not int$"):
        keyaccount.amend(_approved_amendment(base, cand), cand, effective_on=20270101)


def _approved_amendment(base, cand):
    """An instance (any: the argument is refused before the instance is looked at)."""
    return keyaccount.WorkflowSet(base).start(
        "gift_request", {"action": "submit", "actor": "specialist-1", "on": "2026-01-05",
                         "request": {"customer_id": "C00001", "amount": 500,
                                     "festival": "spring_festival"}},
        keyaccount.People(PEOPLE))
