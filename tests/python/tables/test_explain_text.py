"""Explanation text columns at scale (issue 18, item 4): with explain=True the why-not texts
(English and Chinese), outcomes, errors and deciding ids reach pandas, pyarrow and Polars as the
Arrow buffers the C++ batch builds a range of 4 096 rows at a time, never as one Python str per
cell, and they hold exactly what the str-per-cell path ("objects", still used without pyarrow)
holds: nulls (rows not classified), empty texts (criteria met) and Chinese text included."""

import copy
import math
import sys
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import keyaccount
from keyaccount import _text_columns
from keyaccount.classify import _classifier

pa = pytest.importorskip("pyarrow")  # a test dependency (pyproject.toml, extra "test")

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "examples"))
from generate_customers import generate  # noqa: E402

AS_OF = "2026-06-30"
RANGE = 4096  # bindings/python/bindings.hpp, explain_rows
ROWS = 2 * RANGE + 100  # three ranges, the last one short
BAD = (3, RANGE - 1, RANGE, RANGE + 9, ROWS - 1)  # on and around the ranges' boundaries


@pytest.fixture(scope="module")
def records():
    out = copy.deepcopy(generate(ROWS, seed=41))
    for r in out:
        r.pop("profile", None)
    for i in BAD:
        out[i]["category"] = "charity"  # refused: no tier, its explanation texts null
    return out


def text_names(frame) -> list[str]:
    suffixes = (".result", ".why_not", ".why_not_zh", ".error")
    return ["deciding"] + [c for c in frame.columns if c.endswith(suffixes)]


def objects_path(monkeypatch) -> None:
    """Makes classify take the str-per-cell path, as without pyarrow."""
    monkeypatch.setattr(_text_columns, "pandas_text_dtype", lambda: None)
    monkeypatch.setattr(_text_columns, "text_mode_for_arrow", lambda: "objects")


def test_text_columns_are_arrow_buffers_made_a_range_at_a_time(records):
    frame = pd.DataFrame(records)
    out = keyaccount.classify(frame, AS_OF, explain=True, on_error="skip")
    as_pandas_makes_it = pd.DataFrame({"x": np.array(["x"], dtype=object)})["x"].dtype
    names = text_names(out)
    assert len(names) == 1 + 4 * len(_classifier(None).criterion_ids)
    ranges = [RANGE, RANGE, ROWS - 2 * RANGE]
    for name in names:
        column = out[name]
        assert column.dtype == as_pandas_makes_it, name  # the result's dtypes do not change
        chunks = column.array.__arrow_array__().chunks  # pandas made one chunk of str objects
        assert [len(c) for c in chunks] == ranges, name
        assert all(c.type == pa.large_string() for c in chunks), name
    table = keyaccount.classify(pa.Table.from_pandas(frame, preserve_index=False), AS_OF,
                                explain=True, on_error="skip")
    for name in names:
        assert table.column(name).type == pa.string(), name
        assert [len(c) for c in table.column(name).chunks] == ranges, name


def test_no_python_object_is_made_per_text_cell(records):
    """Python's own allocations (str objects; numpy's buffers are traced too, C++'s are not)
    stay near the result's text buffers while explaining: one str per cell costs several KB per
    customer above them."""
    frame = pd.DataFrame(records)
    keyaccount.classify(frame.head(10), AS_OF, explain=True, on_error="skip")  # warm up
    tracemalloc.start()
    try:
        out = keyaccount.classify(frame, AS_OF, explain=True, on_error="skip")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    texts = sum(out[name].array.nbytes for name in text_names(out))
    numbers = sum(out[name].to_numpy().nbytes for name in out.columns
                  if out[name].dtype.kind in "bf")
    beyond = peak - texts - numbers
    assert beyond / ROWS < 600, f"{beyond / ROWS:.0f} bytes per customer traced beyond the result"


def test_nulls_empty_and_chinese_texts_equal_the_str_per_cell_path(records, monkeypatch):
    frame = pd.DataFrame(records)
    arrow_in = pa.Table.from_pandas(frame, preserve_index=False)
    fast = keyaccount.classify(frame, AS_OF, explain=True, on_error="skip")
    fast_table = keyaccount.classify(arrow_in, AS_OF, explain=True, on_error="skip")
    with monkeypatch.context() as m:
        objects_path(m)
        slow = keyaccount.classify(frame, AS_OF, explain=True, on_error="skip")
        slow_table = keyaccount.classify(arrow_in, AS_OF, explain=True, on_error="skip")
    assert list(fast.columns) == list(slow.columns)
    assert (fast.dtypes == slow.dtypes).all()
    for name in text_names(fast):
        assert fast[name].isna().tolist() == slow[name].isna().tolist(), name
        assert fast[name].fillna("<null>").tolist() == slow[name].fillna("<null>").tolist(), name
        assert fast_table.column(name).to_pylist() == slow_table.column(name).to_pylist(), name
    assert fast_table.schema == slow_table.schema
    # The edge cases are there: null texts on refused rows, "" for a criterion met, Chinese text.
    why, why_zh = fast["art-5.1.why_not"], fast["art-5.1.why_not_zh"]
    assert sorted(np.flatnonzero(why.isna())) == list(BAD)
    assert all(fast["deciding"].iloc[i] == "" for i in BAD)
    met = fast["art-5.1.result"] == "met"
    assert met.any() and (why[met] == "").all() and (why_zh[met] == "").all()
    unmet = np.flatnonzero((fast["art-5.1.result"] == "not_met").to_numpy())
    assert len(unmet) > 0
    for i in unmet[:: max(1, len(unmet) // 20)]:  # across the ranges
        single = keyaccount.classify(records[i], AS_OF).criterion("art-5.1")
        assert why.iloc[i] == single["why_not"] and why_zh.iloc[i] == single["why_not_zh"]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in why_zh.iloc[i])
        assert fast_table.column("art-5.1.why_not_zh")[int(i)].as_py() == single["why_not_zh"]


def test_polars_result_holds_the_same_texts(records):
    pl = pytest.importorskip("polars")
    frame = pd.DataFrame(records[:RANGE + 10])
    expected = keyaccount.classify(frame, AS_OF, explain=True, on_error="skip")
    out = keyaccount.classify(pl.from_pandas(frame), AS_OF, explain=True, on_error="skip")
    for name in text_names(expected):
        assert out[name].dtype == pl.String, name
        got = out[name].to_list()
        assert got == [None if isinstance(x, float) and math.isnan(x) else x
                       for x in expected[name].tolist()], name


def test_an_unknown_text_form_is_refused():
    with pytest.raises(ValueError, match='text: "utf16" is not one of'):
        _classifier(None).classify_columns(0, {}, AS_OF, 1, True, "utf16")
