"""Columns stored in Arrow (pandas' StringDtype("pyarrow"), its default string type when pyarrow
is installed, and pd.ArrowDtype lists) are read from their buffers; they must give exactly the
tiers and the located errors of the same data as Python objects."""

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import keyaccount
from keyaccount import _core

pa = pytest.importorskip("pyarrow")  # a test dependency (pyproject.toml, extra "test")

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "examples"))
from generate_customers import generate  # noqa: E402

AS_OF = "2026-06-30"
ARROW_STRING = pd.StringDtype("pyarrow")
ARROW_SERIES = pd.ArrowDtype(pa.list_(pa.float64()))


@pytest.fixture(scope="module")
def records():
    return generate(2000, seed=23)


def objects(records) -> pd.DataFrame:
    frame = pd.DataFrame(records)
    for name in ("id", "category", "first_order"):
        frame[name] = frame[name].astype(object)
    return frame


def arrow(records, series: bool = True) -> pd.DataFrame:
    frame = pd.DataFrame(records)
    for name in ("id", "category", "first_order"):
        frame[name] = frame[name].astype(ARROW_STRING)
    if series:
        frame["monthly_shipments"] = frame["monthly_shipments"].astype(ARROW_SERIES)
    return frame


def test_arrow_columns_give_the_tiers_of_python_objects(records):
    expected = list(keyaccount.classify(objects(records), AS_OF)["tier"])
    assert 0.1 < expected.count("key") / len(expected) < 0.9
    for frame in (arrow(records), arrow(records, series=False)):
        assert list(keyaccount.classify(frame, AS_OF)["tier"]) == expected
    # Several chunks, sliced (non-zero offsets), and large_string / large_list types.
    frame = arrow(records)
    half = len(records) // 2
    for name, kind in (("category", pa.large_string()), ("first_order", pa.string()),
                       ("monthly_shipments", pa.large_list(pa.float64()))):
        column = pa.array(list(frame[name]), type=kind)
        chunked = pa.chunked_array([column.slice(0, half), column.slice(half)])
        frame[name] = pd.Series(pd.arrays.ArrowExtensionArray(chunked))
    assert list(keyaccount.classify(frame, AS_OF)["tier"]) == expected


def test_arrow_nulls_and_bad_values_are_located(records):
    frame = arrow(records[:8])
    frame.loc[1, "category"] = None
    frame.loc[4, "first_order"] = None
    out = keyaccount.classify(frame, AS_OF, on_error="skip")
    assert pd.isna(out["tier"].iloc[1]) and "category" in out["error"].iloc[1]
    assert pd.isna(out["tier"].iloc[4]) and "first_order" in out["error"].iloc[4]
    assert out["tier"].notna().sum() == 6

    frame = arrow(records[:8])
    frame.loc[5, "first_order"] = "2026-6-30"
    with pytest.raises(keyaccount.InputError, match='expected a date YYYY-MM-DD, got "2026-6-30"') as info:
        keyaccount.classify(frame, AS_OF)
    assert info.value.row == 5 and info.value.field == "first_order"

    frame = arrow(records[:8])
    shipments = list(frame["monthly_shipments"])
    shipments[3] = None
    frame["monthly_shipments"] = pd.Series(shipments, dtype=ARROW_SERIES)
    # A null list is a missing value, as None is for one record (the field is required).
    with pytest.raises(keyaccount.InputError, match="monthly_shipments: required value is "
                       "missing") as info:
        keyaccount.classify(frame, AS_OF)
    assert info.value.row == 3 and info.value.field == "monthly_shipments"

    shipments = [list(s) for s in arrow(records[:8])["monthly_shipments"]]
    shipments[6] = [1.0, None, 2.0]
    frame = arrow(records[:8])
    frame["monthly_shipments"] = pd.Series(shipments, dtype=ARROW_SERIES)
    out = keyaccount.classify(frame, AS_OF, on_error="skip")
    assert pd.isna(out["tier"].iloc[6]) and "monthly_shipments[1]" in out["error"].iloc[6]
    assert out["tier"].notna().sum() == 7


def test_arrow_string_conversions_match_the_object_conversions():
    texts = ["2021-02-28", None, "1969-12-31", "9999-12-31", "2024-02-29"] * 3
    for kind in (pa.string(), pa.large_string()):  # int32 and int64 offsets
        whole = pa.array(texts, type=kind)
        column = pa.chunked_array([whole.slice(0, 4), whole.slice(4)])  # the second: offset 4
        check_against_object_conversions(column, texts)


def test_arrow_categories_beyond_the_first_few_are_coded_alike():
    # More distinct values than the linear scan keeps (16): the rest go through the hash map.
    texts = [None if i % 17 == 0 else f"category-{(i * 7) % 40}" for i in range(400)]
    column = pa.chunked_array([pa.array(texts)])
    from keyaccount._table import _arrow_strings

    codes, categories = _core.columns.arrow_category_codes(
        _arrow_strings(pd.Series(pd.arrays.ArrowExtensionArray(column))), "c")
    first_seen = list(dict.fromkeys(t for t in texts if t is not None))
    assert len(first_seen) == 40 and list(categories) == first_seen
    assert list(codes) == [-1 if t is None else first_seen.index(t) for t in texts]


def check_against_object_conversions(column, texts):
    from keyaccount._table import _arrow_strings

    chunks = _arrow_strings(pd.Series(pd.arrays.ArrowExtensionArray(column)))
    assert len(chunks) == 2
    objects_ = np.array(texts, dtype=object)
    days, problems = _core.columns.arrow_date_days(chunks, "d")
    want_days, want_problems = _core.columns.date_days(objects_)
    assert list(days) == list(want_days) and problems == want_problems
    codes, categories = _core.columns.arrow_category_codes(chunks, "c")
    want_codes, want_categories, _ = _core.columns.category_codes(objects_)
    assert list(codes) == list(want_codes) and list(categories) == list(want_categories)


def test_malformed_arrow_buffers_are_errors_not_reads_out_of_bounds():
    data = np.frombuffer(b"2021-02-282021-03-01", dtype=np.uint8)
    good = (np.array([0, 10, 20], dtype=np.int32), data, None, 0, 2)
    assert list(_core.columns.arrow_date_days([good], "d")[0]) == [18686, 18687]
    bad = [
        (np.array([0, 10, 99], dtype=np.int32), data, None, 0, 2),   # beyond the data
        (np.array([0, 10, 5], dtype=np.int32), data, None, 0, 2),    # not counting up
        (np.array([0, 10], dtype=np.int32), data, None, 0, 2),       # too few offsets
        (np.array([0, 10, 20], dtype=np.int32), data, None, 1, 2),   # offset past the end
        (np.array([0, 10, 20], dtype=np.float64), data, None, 0, 2),  # not integers
        (np.array([0, 10, 20], dtype=np.int32), data, np.zeros(0, dtype=np.uint8), 0, 2),
        (np.array([0, 10, 20], dtype=np.int32), data, None, 0),       # not a 5-tuple
        ([0, 10, 20], data, None, 0, 2),                              # offsets not an array
        (np.array([0, 10, 20], dtype=np.int32), data, None, 2 ** 64 - 1, 2),  # would wrap
    ]
    for chunk in bad:
        with pytest.raises(ValueError):
            _core.columns.arrow_date_days([chunk], "d")
        with pytest.raises(ValueError):
            _core.columns.arrow_category_codes([chunk], "c")
