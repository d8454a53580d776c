"""Issue 17 item 11: one input contract across the CLI and Python. `care.plan` takes a
`keyaccount.People` where it takes people data, and `customers=` as `keyaccount plan
--customers` does (the sample accounts alone are all tagged `regular` and plan nothing)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import keyaccount
from keyaccount import care

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
PEOPLE = EXAMPLES / "people.json"


def cli_plan(*args) -> list[dict]:
    result = subprocess.run(
        [sys.executable, "-m", "keyaccount", "plan", "--as-of", "2026-06-30", "--days", "90",
         "--people", str(PEOPLE), "--format", "json", *map(str, args)],
        capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["items"]


def rows(df) -> list[tuple]:
    return [(c, a, d.date().isoformat(), p) for c, a, d, p in
            zip(df["customer"], df["activity"], df["due"], df["person"])]


def items(found: list[dict]) -> list[tuple]:
    return [(i["customer"], i["activity"], i["due"], i["person"]) for i in found]


def test_plan_with_customers_is_the_cli_plan_with_customers():
    expected = items(cli_plan("--customers", EXAMPLES / "customers.jsonl",
                              "--accounts", EXAMPLES / "accounts.jsonl"))
    assert expected  # the sample's key customers have activities due
    df = care.plan(EXAMPLES / "accounts.jsonl", PEOPLE, "2026-06-30", days=90,
                   customers=EXAMPLES / "customers.jsonl")
    assert rows(df) == expected
    # Customers alone (no activity log): as `plan --customers` alone.
    alone = care.plan(None, PEOPLE, "2026-06-30", days=90,
                      customers=EXAMPLES / "customers.jsonl")
    assert rows(alone) == items(cli_plan("--customers", EXAMPLES / "customers.jsonl"))
    assert len(alone) > 0


def test_plan_needs_accounts_or_customers():
    with pytest.raises(TypeError, match="accounts, customers or both"):
        care.plan(None, PEOPLE, "2026-06-30")


def test_a_people_object_is_accepted_wherever_people_data_is():
    data = json.loads(PEOPLE.read_text(encoding="utf-8"))
    people = keyaccount.People(data)
    owner = next(p["id"] for p in data["people"] if "cr_specialist" in p["positions"])
    accounts = [{"id": "C1", "tier": "key", "owner": owner}]
    # Before: "people: cannot read a value of type People".
    as_object = care.plan(accounts, people, "2026-06-30", days=30)
    assert rows(as_object) == rows(care.plan(accounts, data, "2026-06-30", days=30))
    assert rows(as_object) == rows(care.plan(accounts, PEOPLE, "2026-06-30", days=30))
    assert len(as_object) > 0
    found = care.compliance(accounts, people, "2026-06-30")
    assert found.astype(str).to_dict("records") == \
        care.compliance(accounts, data, "2026-06-30").astype(str).to_dict("records")
