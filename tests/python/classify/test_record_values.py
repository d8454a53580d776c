"""One record (a dict, e.g. a DataFrame row's to_dict()): NaN, None, pandas' NA and NaT mean
"no value" (absent for an optional field, a located InputError for a required one), never a
bare "not valid JSON"; values JSON cannot carry are refused naming the field."""

import math

import numpy as np
import pandas as pd
import pytest

import keyaccount

AS_OF = "2026-06-30"
RECORD = {"id": "C1", "name": "n", "category": "government", "first_order": "2020-01-15",
          "monthly_shipments": [10.0] * 21 + [20.0, 60.0, 70.0], "cumulative_amount": 380.0}
MISSING = [None, math.nan, np.float32("nan"), pd.NA, pd.NaT, np.datetime64("NaT")]


@pytest.mark.parametrize("value", MISSING, ids=repr)
def test_a_missing_optional_value_is_absent(value):
    expected = keyaccount.classify(RECORD, AS_OF).to_dict()
    for field in ("owner", "profile"):  # the default policy's optional fields
        got = keyaccount.classify(dict(RECORD, **{field: value}), AS_OF)
        assert got.to_dict() == expected
        t = keyaccount.reclassify(dict(RECORD, **{field: value}), AS_OF, "key")
        assert t.to_dict() == keyaccount.reclassify(RECORD, AS_OF, "key").to_dict()


@pytest.mark.parametrize("value", MISSING, ids=repr)
@pytest.mark.parametrize("field", ["cumulative_amount", "first_order", "category"])
def test_a_missing_required_value_names_the_field(field, value):
    with pytest.raises(keyaccount.InputError, match=field) as info:
        keyaccount.classify(dict(RECORD, **{field: value}), AS_OF)
    assert info.value.field == field
    with pytest.raises(keyaccount.InputError) as info:
        keyaccount.classify([RECORD, dict(RECORD, **{field: value})], AS_OF)
    assert (info.value.field, info.value.row) == (field, 1)


def test_a_dataframe_row_with_nan_is_read_as_the_row():
    frame = pd.DataFrame([dict(RECORD, owner="p1"), dict(RECORD, id="C2")])
    assert pd.isna(frame.iloc[1]["owner"])
    d = keyaccount.classify(frame.iloc[1].to_dict(), AS_OF)
    assert d.to_dict() == keyaccount.classify(dict(RECORD, id="C2"), AS_OF).to_dict()


@pytest.mark.parametrize("value", [math.inf, -math.inf, np.float64("inf")])
def test_an_infinite_number_is_refused_naming_the_field(value):
    with pytest.raises(keyaccount.InputError, match="cumulative_amount: not a finite") as info:
        keyaccount.classify(dict(RECORD, cumulative_amount=value), AS_OF)
    assert info.value.field == "cumulative_amount"
    months = RECORD["monthly_shipments"][:-1] + [value]
    with pytest.raises(keyaccount.InputError) as info:
        keyaccount.classify(dict(RECORD, monthly_shipments=months), AS_OF)
    assert info.value.field == f"monthly_shipments[{len(months) - 1}]"


def test_a_nan_month_is_refused_naming_the_month():
    months = [1.0, math.nan, 2.0]
    with pytest.raises(keyaccount.InputError) as info:
        keyaccount.classify(dict(RECORD, monthly_shipments=months), AS_OF)
    assert info.value.field == "monthly_shipments[1]"
    with pytest.raises(keyaccount.InputError) as info:
        keyaccount.classify(dict(RECORD, monthly_shipments=np.array(months)), AS_OF)
    assert info.value.field == "monthly_shipments[1]"
