"""Tables: a DataFrame or numpy columns classified in C++ give the same tiers as classifying
each record alone, on thousands of random customers; explanation columns; located errors."""

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import keyaccount

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))
from generate_customers import generate  # noqa: E402

AS_OF = "2026-06-30"


@pytest.fixture(scope="module")
def records():
    return generate(3000, seed=11)


def test_dataframe_equals_one_at_a_time(records):
    frame = pd.DataFrame(records)
    one = [d.tier for d in keyaccount.classify(records, AS_OF)]
    for threads in (1, 2):
        out = keyaccount.classify(frame, AS_OF, threads=threads)
        assert list(out["tier"]) == one
        assert list(out["id"]) == [r["id"] for r in records]
    assert 0.1 < one.count("key") / len(one) < 0.9  # both tiers substantially exercised


def test_numpy_columns_with_a_2d_block_equal_one_at_a_time(records):
    width = 36
    block = np.full((len(records), width), np.nan)
    for i, r in enumerate(records):
        block[i, :len(r["monthly_shipments"])] = r["monthly_shipments"]
    columns = {
        "category": np.array([r["category"] for r in records]),
        "first_order": np.array([r["first_order"] for r in records], dtype="datetime64[D]"),
        "monthly_shipments": block,
        "cumulative_amount": np.array([r["cumulative_amount"] for r in records]),
    }
    tiers = keyaccount.classify_columns(columns, AS_OF)
    assert list(tiers) == [d.tier for d in keyaccount.classify(records, AS_OF)]


def test_explanation_columns_match_single_decisions(records):
    sample = records[:200]
    out = keyaccount.classify(pd.DataFrame(sample), AS_OF, explain=True)
    for i, r in enumerate(sample):
        single = keyaccount.classify(r, AS_OF)
        c = single.criterion("art-5.1")
        assert out["art-5.1.met"].iloc[i] == c["met"]
        assert out["art-5.1.observed"].iloc[i] == pytest.approx(c["observed"])
        assert out["art-5.1.why_not"].iloc[i] == c.get("why_not", "")
        assert out["deciding"].iloc[i] == ";".join(single.deciding)


def test_bad_rows_raise_or_are_skipped(records):
    frame = pd.DataFrame(records[:10])
    frame.loc[4, "category"] = "charity"
    with pytest.raises(keyaccount.InputError) as info:
        keyaccount.classify(frame, AS_OF)
    assert info.value.row == 4 and info.value.field == "category"
    out = keyaccount.classify(frame, AS_OF, on_error="skip")
    assert pd.isna(out["tier"].iloc[4]) and "category" in out["error"].iloc[4]
    assert out["tier"].notna().sum() == 9


def test_bad_series_element_and_bad_date_are_located(records):
    frame = pd.DataFrame(records[:5])
    frame.at[2, "monthly_shipments"] = [1.0, "x"]
    with pytest.raises(keyaccount.InputError) as info:
        keyaccount.classify(frame, AS_OF)
    assert info.value.row == 2 and info.value.field == "monthly_shipments[1]"
    frame = pd.DataFrame(records[:5])
    frame.loc[3, "first_order"] = "2026-02-30"
    with pytest.raises(keyaccount.InputError) as info:
        keyaccount.classify(frame, AS_OF)
    assert info.value.row == 3 and info.value.field == "first_order"
