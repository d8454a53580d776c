"""The CLI's ``--on-error`` and ``plan --start-workflows`` from Python (issue 17 item 11):
``on_error=`` in ``keyaccount.care.plan / plan_ics / compliance / symposium / allocate /
supply_watch`` and ``start_workflows=`` in ``care.plan``, each doing what the command does with
the same input (one C++ core: the records skipped are the ones the command skips, reported at
the same place)."""
from __future__ import annotations

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
PEOPLE = EX / "people.json"


def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "keyaccount", *map(str, args)],
                          capture_output=True, text=True)


def cli_skipped(stderr: str) -> list[str]:
    """The located messages of the records the command skipped (its error[invalid_record]
    lines, without the kind tag, as Python lists them)."""
    return [re.sub(r" error\[invalid_record\]:", "", line) for line in stderr.splitlines()
            if "error[invalid_record]" in line]


def damaged(tmp_path: Path, name: str, source: Path, line: int, replace: dict) -> Path:
    """`source` (JSON Lines) with record `line` (1-based) changed by `replace`."""
    records = [json.loads(x) for x in source.read_text().splitlines() if x.strip()]
    records[line - 1].update(replace)
    out = tmp_path / name
    out.write_text("".join(json.dumps(r) + "\n" for r in records))
    return out


def test_plan_skips_what_the_command_skips(tmp_path):
    accounts = damaged(tmp_path, "accounts.jsonl", EX / "accounts.jsonl", 3, {"tier": "Key"})
    with pytest.raises(keyaccount.InputError, match=re.escape(f"{accounts}:3")):
        care.plan(accounts, PEOPLE, AS_OF)
    df = care.plan(accounts, PEOPLE, AS_OF, on_error="skip")
    r = cli("plan", "--as-of", AS_OF, "--accounts", accounts, "--people", PEOPLE, "--format",
            "json", "--on-error", "skip")
    assert r.returncode == 0, r.stderr
    assert df.attrs["skipped"] == cli_skipped(r.stderr) != []
    assert df.attrs["skipped"][0].startswith(f"{accounts}:3: ")
    assert len(df) == len(json.loads(r.stdout)["items"])


def test_plan_skips_a_bad_row_of_a_dataframe_by_its_label():
    accounts = pd.DataFrame([{"id": "C1", "tier": "key", "owner": "specialist-1"},
                             {"id": "C2", "tier": "Key", "owner": "specialist-1"},
                             {"id": "C3", "tier": "key", "owner": "specialist-1"}])
    with pytest.raises(keyaccount.InputError, match=r"accounts\.loc\[1\]"):
        care.plan(accounts, PEOPLE, AS_OF)
    df = care.plan(accounts, PEOPLE, AS_OF, on_error="skip")
    assert len(df.attrs["skipped"]) == 1
    assert df.attrs["skipped"][0].startswith('accounts.loc[1] (id C2): tier: unknown tier "Key"')
    assert set(df["customer"]) >= {"C1", "C3"} and "C2" not in set(df["customer"])


def test_plan_ics_warns_each_skipped_record(tmp_path):
    accounts = damaged(tmp_path, "accounts.jsonl", EX / "accounts.jsonl", 2, {"tier": "vip"})
    with pytest.warns(UserWarning, match=re.escape(f"{accounts}:2")):
        text = care.plan_ics(accounts, PEOPLE, AS_OF, on_error="skip")
    assert text.startswith("BEGIN:VCALENDAR")


def test_compliance_skips_a_bad_complaint(tmp_path):
    complaints = damaged(tmp_path, "complaints.jsonl", EX / "complaints.jsonl", 2,
                         {"raised_on": "2026-02-30"})
    args = ["--as-of", AS_OF, "--accounts", EX / "accounts.jsonl", "--people", PEOPLE,
            "--complaints", complaints, "--format", "json"]
    with pytest.raises(keyaccount.InputError, match=re.escape(f"{complaints}:2")):
        care.compliance(EX / "accounts.jsonl", PEOPLE, AS_OF, complaints=complaints)
    df = care.compliance(EX / "accounts.jsonl", PEOPLE, AS_OF, complaints=complaints,
                         on_error="skip")
    r = cli("compliance", *args, "--on-error", "skip")
    assert df.attrs["skipped"] == cli_skipped(r.stderr) != []
    assert df.attrs["counts"] == json.loads(r.stdout)["counts"]


def test_symposium_skips_a_bad_event(tmp_path):
    events = damaged(tmp_path, "symposium.jsonl", EX / "symposium.jsonl", 1, {"held": "yes"})
    with pytest.raises(keyaccount.InputError, match=re.escape(f"{events}:1")):
        care.symposium(EX / "accounts.jsonl", PEOPLE, AS_OF, events=events)
    df = care.symposium(EX / "accounts.jsonl", PEOPLE, AS_OF, events=events, on_error="skip")
    r = cli("symposium", "--as-of", AS_OF, "--accounts", EX / "accounts.jsonl", "--people",
            PEOPLE, "--symposium", events, "--format", "json", "--on-error", "skip")
    assert r.returncode == 0, r.stderr
    assert df.attrs["skipped"] == cli_skipped(r.stderr) != []


def test_allocate_skips_bad_lines_and_keeps_the_rest(tmp_path):
    orders = pd.read_csv(EX / "orders.csv", dtype=str)
    orders.loc[2, "tier"] = "Key"        # an unknown tier (issue 17 item 3)
    orders.loc[5, "id"] = orders.loc[0, "id"]  # an id given twice
    with pytest.raises(keyaccount.InputError) as raised:
        care.allocate(EX / "stock.csv", orders, "2026-12-01")
    assert "orders.loc[2].tier" in str(raised.value) and "orders.loc[5]" in str(raised.value)
    df = care.allocate(EX / "stock.csv", orders, "2026-12-01", on_error="skip")
    assert [re.match(r"orders\.loc\[\d+\]", m).group(0) for m in df.attrs["skipped"]] == \
        ["orders.loc[2]", "orders.loc[5]"]
    assert len(df) == len(orders) - 2
    path = tmp_path / "orders.csv"
    orders.to_csv(path, index=False)
    r = cli("allocate", "--on", "2026-12-01", "--stock", EX / "stock.csv", "--orders", path,
            "--format", "json", "--on-error", "skip")
    assert r.returncode == 0, r.stderr
    assert [line["allocated"] for line in json.loads(r.stdout)["lines"]] == \
        list(df["allocated"])


def test_supply_watch_skips_a_bad_stock_line(tmp_path):
    stock = pd.read_csv(EX / "supply_stock.csv", dtype=str)
    stock.loc[1, "quantity"] = "-5"
    with pytest.raises(keyaccount.InputError, match=r"stock\.loc\[1\]\.quantity"):
        care.supply_watch(EX / "customers.jsonl", stock, AS_OF)
    df = care.supply_watch(EX / "customers.jsonl", stock, AS_OF, on_error="skip")
    assert [m.split(":")[0] for m in df.attrs["skipped"]] == ["stock.loc[1].quantity"]
    path = tmp_path / "stock.csv"
    stock.to_csv(path, index=False)
    r = cli("supply", "--as-of", AS_OF, "--customers", EX / "customers.jsonl", "--stock", path,
            "--format", "json", "--on-error", "skip")
    assert r.returncode in (0, 1), r.stderr  # 1: a shortfall to notify (Art. 7.2)
    assert [m["shortfall"] for m in json.loads(r.stdout)["months"]] == list(df["shortfall"])


@pytest.mark.parametrize("call", [
    lambda e: care.plan(EX / "accounts.jsonl", PEOPLE, AS_OF, on_error=e),
    lambda e: care.plan_ics(EX / "accounts.jsonl", PEOPLE, AS_OF, on_error=e),
    lambda e: care.compliance(EX / "accounts.jsonl", PEOPLE, AS_OF, on_error=e),
    lambda e: care.symposium(EX / "accounts.jsonl", PEOPLE, AS_OF, on_error=e),
    lambda e: care.allocate(EX / "stock.csv", EX / "orders.csv", "2026-12-01", on_error=e),
    lambda e: care.supply_watch(EX / "customers.jsonl", EX / "supply_stock.csv", AS_OF,
                                on_error=e),
], ids=["plan", "plan_ics", "compliance", "symposium", "allocate", "supply_watch"])
@pytest.mark.parametrize("value", ["fail", "SKIP", None, 1])
def test_on_error_is_raise_or_skip(call, value):
    with pytest.raises(keyaccount.ArgumentError, match="on_error must be one of 'raise', 'skip'"):
        call(value)


def test_start_workflows_starts_each_due_gift_as_the_command_does():
    args = dict(customers=EX / "customers.jsonl", days=400)
    df = care.plan(EX / "accounts.jsonl", PEOPLE, AS_OF, start_workflows=True, **args)
    r = cli("plan", "--as-of", AS_OF, "--customers", EX / "customers.jsonl", "--accounts",
            EX / "accounts.jsonl", "--people", PEOPLE, "--days", 400, "--format", "json",
            "--start-workflows")
    assert r.returncode == 0, r.stderr
    expected = json.loads(r.stdout)["workflows"]
    started = df.attrs["workflows"]
    assert expected and len(started) == len(expected)
    for got, want in zip(started, expected):
        assert got["item"] == want["item"]
        assert df.iloc[got["item"]]["workflow"] == "gift_request"
        if "instance" in want:
            assert isinstance(got["instance"], keyaccount.Instance)
            assert got["instance"].to_dict() == want["instance"]
        else:
            assert got["refusal"] == want["refusal"]
    assert "workflows" not in care.plan(EX / "accounts.jsonl", PEOPLE, AS_OF, **args).attrs


def test_start_workflows_is_a_bool():
    with pytest.raises(TypeError, match="start_workflows must be True or False"):
        care.plan(EX / "accounts.jsonl", PEOPLE, AS_OF, start_workflows="yes")
