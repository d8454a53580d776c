"""Tables: a DataFrame or numpy columns classified in C++ give the same tiers as classifying
each record alone, on thousands of random customers; explanation columns; located errors."""

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import keyaccount

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "examples"))
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


def test_other_python_types_in_columns_give_the_same_tiers(records):
    """Strings, lists of floats and numpy object columns take the C++ fast paths; dates as
    datetime.date, series as tuples / numpy arrays / ints, and a plain list of strings must give
    exactly the same tiers."""
    import datetime

    sample = records[:300]
    expected = list(keyaccount.classify(pd.DataFrame(sample), AS_OF)["tier"])
    frame = pd.DataFrame(sample)
    frame["first_order"] = [datetime.date.fromisoformat(d) for d in frame["first_order"]]
    frame["monthly_shipments"] = [
        tuple(s) if i % 3 == 0 else np.array(s) if i % 3 == 1 else [int(v) if v == int(v) else v
                                                                     for v in s]
        for i, s in enumerate(frame["monthly_shipments"])]
    frame["category"] = frame["category"].astype(object)
    assert list(keyaccount.classify(frame, AS_OF)["tier"]) == expected
    cat_frame = pd.DataFrame(sample)
    cat_frame["category"] = cat_frame["category"].astype("category")
    assert list(keyaccount.classify(cat_frame, AS_OF)["tier"]) == expected


def test_missing_and_malformed_values_in_fast_columns_are_located(records):
    frame = pd.DataFrame(records[:6])
    frame.loc[1, "category"] = None
    frame.loc[4, "first_order"] = None
    out = keyaccount.classify(frame, AS_OF, on_error="skip")
    assert pd.isna(out["tier"].iloc[1]) and "category" in out["error"].iloc[1]
    assert pd.isna(out["tier"].iloc[4]) and "first_order" in out["error"].iloc[4]
    assert out["tier"].notna().sum() == 4
    frame = pd.DataFrame(records[:6])
    frame.loc[5, "first_order"] = "2026-6-30"
    with pytest.raises(keyaccount.InputError, match='expected a date YYYY-MM-DD, got "2026-6-30"') as info:
        keyaccount.classify(frame, AS_OF)
    assert info.value.row == 5 and info.value.field == "first_order"
    frame = pd.DataFrame(records[:6])
    frame.at[0, "monthly_shipments"] = [1.0, float("inf")]
    with pytest.raises(keyaccount.InputError) as info:
        keyaccount.classify(frame, AS_OF)
    assert info.value.row == 0 and info.value.field == "monthly_shipments[1]"
