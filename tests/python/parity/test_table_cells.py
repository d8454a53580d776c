"""One bad cell, one wording, whichever way a table comes in (issue 15 items 2 and 3).

The same bad value is fed through every reader: one record dict, a DataFrame, numpy object
columns, a typed numpy column (where numpy can hold the value), pandas' nullable columns and a
pyarrow table (where Arrow can hold it). Each must refuse it in the record reader's words; only
the location in front differs (the field, "index 1 (id b)", "row 1"). Before the one table
reader (C++, io/table_cell.hpp) the table paths had their own Python wording ("expected a whole
number (int64), got the number 4.5", "got a string '600'", "got a date/time 2026-01-01") and a
date object became text on the dict path.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import keyaccount

ROOT = Path(__file__).resolve().parents[3]
AS_OF = "2026-06-30"
GOOD = {"id": "a", "cumulative_amount": 1.0, "visits": 5, "vip": False, "since": "2020-01-01"}
MISSING = "required value is missing"
BEYOND = "expected a whole number from -9223372036854775808 to 9223372036854775807, got "


@pytest.fixture(scope="module")
def policy():
    p = json.loads((ROOT / "tests/data/format-examples/minimal.json").read_text())
    p["customer_schema"]["fields"] += [
        {"id": "visits", "type": "int", "required": True},
        {"id": "vip", "type": "bool", "required": True},
        {"id": "since", "type": "date", "required": True},
    ]
    article = p["criteria"][0]["article"]
    p["criteria"] += [
        {"id": "visits", "article": article, "name": "visits", "condition": "visits > 3"},
        {"id": "vip", "article": article, "name": "vip", "condition": "vip"},
        {"id": "since", "article": article, "name": "since",
         "condition": "since < date('2026-01-01')"},
    ]
    return keyaccount.Policy.from_dict(p)


def _arrow(values, type_name):
    pa = pytest.importorskip("pyarrow")
    return pa.array(values, type=getattr(pa, type_name)())


# (what, field, the bad value as one record holds it, a typed column of [good, bad] or None,
#  (Arrow values of [good, bad], Arrow type) or None, the words every reader must say)
CASES = [
    ("fraction for int", "visits", 4.5, np.array([5.0, 4.5]), ([5.0, 4.5], "float64"),
     "expected a whole number, got 4.5"),
    ("text for number", "cumulative_amount", "600", np.array(["1", "600"]), None,
     "expected a number, got a string"),
    ("number for bool", "vip", 2, np.array([0, 2]), None,
     "expected true or false, got a number"),
    ("bool for number", "cumulative_amount", True, np.array([False, True]), None,
     "expected a number, got a boolean"),
    ("2^63 for int", "visits", 2 ** 63, np.array([5, 2 ** 63], dtype=np.uint64),
     ([5, 2 ** 63], "uint64"), BEYOND + "9223372036854775808"),
    ("2.0^63 for int", "visits", 2.0 ** 63, np.array([5.0, 2.0 ** 63]),
     ([5.0, 2.0 ** 63], "float64"), BEYOND + "9223372036854775808"),
    ("1e300 for int", "visits", 1e300, np.array([5.0, 1e300]), ([5.0, 1e300], "float64"),
     BEYOND + "1e+300"),
    ("infinity for int", "visits", float("inf"), np.array([5.0, np.inf]),
     ([5.0, float("inf")], "float64"), "not a finite number"),
    ("NaN for int", "visits", float("nan"), np.array([5.0, np.nan]),
     ([5.0, float("nan")], "float64"), MISSING),
    ("missing required", "visits", None, np.array([5.0, np.nan]), ([5, None], "int64"),
     MISSING),
    ("empty id", "id", "", np.array(["b", ""]), (["b", ""], "string"),
     "empty: every customer needs an id"),
    ("bad date", "since", "2026-02-30", np.array(["2020-01-01", "2026-02-30"]),
     (["2020-01-01", "2026-02-30"], "string"), 'expected a date YYYY-MM-DD, got "2026-02-30"'),
    ("date with a space", "since", " 2020-01-01", np.array(["2020-01-01", " 2020-01-01"]),
     (["2020-01-01", " 2020-01-01"], "string"), 'expected a date YYYY-MM-DD, got " 2020-01-01"'),
    ("date object for number", "cumulative_amount", dt.date(2026, 1, 1),
     np.array(["2026-01-01", "2026-01-01"], dtype="datetime64[D]"), None,
     "expected a number, got a date"),
    ("NaT", "since", pd.NaT, np.array(["2020-01-01", "NaT"], dtype="datetime64[D]"),
     ([dt.date(2020, 1, 1), None], "date32"), MISSING),
    ("pd.NA", "visits", pd.NA, pd.array([5, pd.NA], dtype="Int64"), ([5, None], "int64"),
     MISSING),
]


def _words(field, run):
    """What `run` raised, after the field's name (the location in front differs by path)."""
    with pytest.raises(keyaccount.InputError) as info:
        run()
    text = str(info.value)
    assert f"{field}: " in text, text
    return text.split(f"{field}: ", 1)[1]


def _columns(field, column):
    """The table [GOOD with id b, GOOD] as numpy object columns, `column` for `field`."""
    out = {k: np.array([GOOD[k], GOOD[k]], dtype=object) for k in GOOD}
    out["id"] = np.array(["b", "a"], dtype=object)
    out[field] = column
    return out


@pytest.mark.parametrize("what,field,bad,typed,arrow,words", CASES, ids=[c[0] for c in CASES])
def test_a_bad_cell_is_worded_alike_by_every_reader(policy, what, field, bad, typed, arrow,
                                                    words):
    record = dict(GOOD, **{field: bad})
    said = {"record": _words(field, lambda: keyaccount.classify(record, AS_OF, policy=policy))}
    frame = pd.DataFrame([dict(GOOD, id="b"), record], index=["x", "y"])
    said["DataFrame"] = _words(field, lambda: keyaccount.classify(frame, AS_OF, policy=policy))
    objects = np.empty(2, dtype=object)
    objects[0], objects[1] = (GOOD[field] if field != "id" else "b"), bad
    said["object column"] = _words(field, lambda: keyaccount.classify_columns(
        _columns(field, objects), AS_OF, policy=policy))
    said["list column"] = _words(field, lambda: keyaccount.classify_columns(
        _columns(field, list(objects)), AS_OF, policy=policy))
    if typed is not None:
        said["typed column"] = _words(field, lambda: keyaccount.classify_columns(
            _columns(field, typed), AS_OF, policy=policy))
        typed_frame = frame.copy()
        typed_frame[field] = typed
        said["typed DataFrame column"] = _words(
            field, lambda: keyaccount.classify(typed_frame, AS_OF, policy=policy))
    if arrow is not None:
        pa = pytest.importorskip("pyarrow")
        table = pa.Table.from_pylist([dict(GOOD, id="b"), dict(GOOD)])
        at = table.schema.get_field_index(field)
        table = table.set_column(at, field, _arrow(*arrow))
        said["pyarrow table"] = _words(field,
                                       lambda: keyaccount.classify(table, AS_OF, policy=policy))
    assert said == {path: words for path in said}, what


@pytest.mark.parametrize("what,field,bad,typed,arrow,words", CASES, ids=[c[0] for c in CASES])
def test_skip_leaves_only_the_bad_row_without_a_tier_in_the_same_words(
        policy, what, field, bad, typed, arrow, words):
    frame = pd.DataFrame([dict(GOOD, id="b"), dict(GOOD, **{field: bad})], index=["x", "y"])
    out = keyaccount.classify(frame, AS_OF, policy=policy, on_error="skip")
    assert out["tier"].isna().tolist() == [False, True]
    assert out["error"].isna().tolist() == [True, False]
    assert out["error"].iloc[1] == f"{field}: {words}"
    if typed is not None:
        tiers = keyaccount.classify_columns(_columns(field, typed), AS_OF, policy=policy,
                                            on_error="skip")
        # (a typed column may hold the good row's value in the wrong type too: "1" for a number)
        assert tiers[1] == ""
