"""Two fast paths of the numpy/pandas table reader (issue 22 item 3: the Python path's time
beyond the C++ batch): a 2-D block of months right-padded with NaN gets its lengths from one
C++ pass reading each row from its end (was numpy's isnan/argmax over the whole block, two
block-sized temporaries), and a pandas Categorical column of text is read as its own codes (was
one Python string per row). Each must give what the general path gives, errors included."""

import numpy as np
import pandas as pd
import pytest

import keyaccount
from keyaccount import _core, _table

AS_OF = "2026-06-30"


def numpy_lengths(block):
    """The lengths the NaN padding says, as the numpy reference computes them (None: none)."""
    nan = np.isnan(block)
    last = block.shape[1] - np.argmax(~nan[:, ::-1], axis=1)
    last[nan.all(axis=1)] = 0
    return None if (last == block.shape[1]).all() else last.astype(np.int64)


@pytest.mark.parametrize("seed", range(5))
def test_padded_lengths_equal_the_numpy_reference(seed):
    rng = np.random.default_rng(seed)
    for _ in range(100):
        rows, width = int(rng.integers(0, 40)), int(rng.integers(0, 9))
        block = rng.random((rows, width))
        block[rng.random((rows, width)) < rng.random()] = np.nan  # interior NaN too
        expected = numpy_lengths(block) if rows and width else None
        got = _core.columns.padded_lengths(block)
        if expected is None:
            assert got is None
        else:
            assert got is not None and got.dtype == np.int64
            np.testing.assert_array_equal(got, expected)


def test_padded_lengths_refuses_a_block_that_is_not_2d():
    with pytest.raises(ValueError, match="2-D"):
        _core.columns.padded_lengths(np.zeros(3))


def columns(category):
    n = len(category)
    block = np.full((n, 14), 80.0)
    block[1, 12:] = np.nan  # a shorter series, marked by its padding
    return {"id": np.array([f"C{i}" for i in range(n)], dtype=object),
            "name": np.array(["n"] * n, dtype=object), "category": category,
            "first_order": np.array(["2020-01-01"] * n, dtype="datetime64[D]"),
            "monthly_shipments": block, "cumulative_amount": np.full(n, 900.0)}


def classify(category, on_error="skip"):
    return keyaccount.classify_columns(columns(category), AS_OF, on_error=on_error)


def test_a_categorical_column_classifies_as_its_strings_do():
    values = ["government", "other", None, "monopoly", "nonsense", "government"]
    categorical = pd.Series(pd.Categorical(values))
    objects = np.array(values, dtype=object)
    codes, categories = _table._categorical_codes(categorical)  # the fast path is taken
    assert [categories[c] if c >= 0 else None for c in codes] == values
    got, expected = classify(categorical), classify(objects)
    assert list(np.asarray(got)) == list(np.asarray(expected))
    assert list(np.asarray(got)) == ["key", "regular", "", "key", "", "key"]  # "": no tier
    # The refusal is the object path's, word for word (the first bad row: missing required).
    with pytest.raises(keyaccount.InputError) as a:
        classify(categorical, "raise")
    with pytest.raises(keyaccount.InputError) as b:
        classify(objects, "raise")
    assert str(a.value) == str(b.value) and "required value is missing" in str(a.value)
    # And the unknown value, once the missing one is filled.
    values[2] = "other"
    with pytest.raises(keyaccount.InputError) as a:
        classify(pd.Series(pd.Categorical(values)), "raise")
    with pytest.raises(keyaccount.InputError) as b:
        classify(np.array(values, dtype=object), "raise")
    assert str(a.value) == str(b.value) and "nonsense" in str(a.value)


def test_a_categorical_with_unused_and_non_text_categories():
    # An unused category outside the schema's values refuses no row.
    unused = pd.Categorical(["government", "monopoly"],
                            categories=["government", "monopoly", "nonsense"])
    assert list(np.asarray(classify(pd.Series(unused)))) == ["key", "key"]
    # Categories that are not text go the object path, which refuses the row holding one.
    numbers = pd.Series(pd.Categorical(["government", 7], categories=["government", 7]))
    with pytest.raises(keyaccount.InputError, match=r"category: expected a string, got a number"):
        classify(numbers, "raise")


@pytest.mark.parametrize("dtype", ["float16", "float32", "longdouble"])
def test_a_float_column_of_any_width_is_read_for_an_int_field(dtype):
    # Every width reads as float64 does (a half-precision column was once read as all missing).
    values, missing, problems = _core.columns.read_column(
        "int", np.array([5.0, np.nan, 4.5, -3.0], dtype=dtype), None, "visits", False)
    assert list(values[[0, 3]]) == [5, -3]
    assert list(missing) == [False, True, False, False]
    assert problems == [(2, "expected a whole number, got 4.5")]
