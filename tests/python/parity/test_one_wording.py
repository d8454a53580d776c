"""A bad date is refused in the same words by every reader (issue 15 item 2, one field checker).

Before core/field_check.hpp the same impossible day was worded five ways: `invalid date "…"
(expected YYYY-MM-DD)` by the record reader, `"…" is not a date YYYY-MM-DD` for as_of,
`expected a date "YYYY-MM-DD", got "…"` in workflow instances, `"…" is not a valid date` in a
policy, `'…' is not a date (YYYY-MM-DD)` in CEL variables. Each reader below is fed the same
2026-02-30 and must say WORDS, with its own location in front.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import keyaccount
from keyaccount import care, cel

BAD = "2026-02-30"
WORDS = f'expected a date YYYY-MM-DD, got "{BAD}"'
EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
AS_OF = "2026-06-30"


def customer(**changes):
    with open(EXAMPLES / "customers.jsonl", encoding="utf-8") as f:
        record = json.loads(f.readline())
    return dict(record, **changes)


def test_record_dict_frame_and_command_line_say_the_same(tmp_path):
    record = customer(first_order=BAD)
    with pytest.raises(keyaccount.InputError) as one:
        keyaccount.classify(record, AS_OF)
    assert f"first_order: {WORDS}" in str(one.value)
    with pytest.raises(keyaccount.InputError) as table:
        keyaccount.classify(pd.DataFrame([record]), AS_OF)
    assert f"first_order: {WORDS}" in str(table.value)
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "keyaccount", "classify", str(path),
                          "--as-of", AS_OF], capture_output=True, text=True)
    assert run.returncode != 0
    assert f"first_order: {WORDS}" in run.stderr


def test_arrow_table_says_the_same():
    pa = pytest.importorskip("pyarrow")
    record = customer(first_order=BAD)
    with pytest.raises(keyaccount.InputError) as info:
        keyaccount.classify(pa.Table.from_pylist([record]), AS_OF)
    assert f"first_order: {WORDS}" in str(info.value)


def test_as_of_arguments_say_the_same():
    with pytest.raises(keyaccount.InputError) as info:
        keyaccount.classify(customer(), BAD)
    assert f"as_of: {WORDS}" in str(info.value)
    run = subprocess.run([sys.executable, "-m", "keyaccount", "classify",
                          str(EXAMPLES / "customers.jsonl"), "--as-of", BAD],
                         capture_output=True, text=True)
    assert run.returncode != 0 and f"--as-of: {WORDS}" in run.stderr


def test_care_inputs_say_the_same():
    account = {"id": "C1", "tier": "key", "last_done": {"regular_visit": BAD}}
    people = EXAMPLES / "people.json"
    with pytest.raises(keyaccount.InputError) as info:
        care.plan([account], people, "2026-07-01")
    assert f"last_done.regular_visit: {WORDS}" in str(info.value)
    with pytest.raises(keyaccount.InputError) as info:
        care.plan([dict(account, last_done={})], people, BAD)
    assert f"start: {WORDS}" in str(info.value)


def test_policy_and_cel_say_the_same():
    policy = json.loads(keyaccount.default_policy().to_json())
    policy["document"]["effective_on"] = BAD
    found = [d for d in keyaccount.validate(policy) if d.code == "invalid_date"]
    assert [d.message for d in found] == [WORDS]
    with pytest.raises(keyaccount.InputError) as info:
        cel.compile("d < date('2027-01-01')", {"d": "date"}).evaluate({"d": BAD})
    assert WORDS in str(info.value)
