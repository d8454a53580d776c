"""The C++ conversions of object columns (what a DataFrame's list, date and category columns hold)
to the typed arrays of the batch: every fast path checked against values computed here, and the
general paths (other sequence and element types, Python code running mid-conversion) against
the same values."""

import collections.abc
import datetime
import decimal
import fractions
import math
import random
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import keyaccount
from keyaccount import _core

MISSING_DAY = np.iinfo(np.int32).min


def expected_block(rows):
    rows = [[] if r is None else r for r in rows]  # a missing cell: an empty row
    width = max((len(r) for r in rows), default=0)
    block = np.zeros((len(rows), width))
    for i, r in enumerate(rows):
        block[i, :len(r)] = [float(v) for v in r]
    return block, np.array([len(r) for r in rows], dtype=np.int64)


SERIES = [[1.5, 2.0], [], [3.0, 4.0, 5.25], [7.0]]


def object_array(items):
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


@pytest.mark.parametrize("column", [
    SERIES,                                                   # a list of lists
    object_array(SERIES),                                     # a numpy object array
    [tuple(r) for r in SERIES],                               # tuples
    [[int(v) if v == int(v) else v for v in r] for r in SERIES],  # ints among the floats
    [list(np.array(r)) for r in SERIES],                      # numpy.float64 elements
    [np.array(r) for r in SERIES],                            # numpy arrays: the protocol
    [SERIES[0], [], SERIES[2], [np.float32(7.0)]],            # another element type
])
def test_series_block_equals_the_values_whatever_the_container(column):
    block, lengths, missing = _core.columns.series_block(column, "s")
    assert missing is None
    want_block, want_lengths = expected_block(SERIES)
    np.testing.assert_array_equal(lengths, want_lengths)
    np.testing.assert_array_equal(block, want_block)  # unused tails are zero


def test_series_block_of_random_lists_with_empty_rows():
    rng = random.Random(5)
    rows = [[round(rng.uniform(0, 100), 1) for _ in range(rng.choice([0, 0, 1, 12, 36]))]
            for _ in range(2000)]
    block, lengths, _ = _core.columns.series_block(rows, "s")
    want_block, want_lengths = expected_block(rows)
    np.testing.assert_array_equal(lengths, want_lengths)
    np.testing.assert_array_equal(block, want_block)


@pytest.mark.parametrize("bad, month, problem", [
    (float("nan"), 1, "not a finite number"), (float("inf"), 1, "not a finite number"),
    (10 ** 400, 1, "not a finite number"), (None, 1, "not a finite number"),
    ("x", 1, "expected a number, got a string"),
    (decimal.Decimal("2.5"), 1, "expected a number, got a Decimal"),
    (fractions.Fraction(1, 2), 1, "expected a number, got a Fraction")])
def test_series_block_locates_a_bad_element(bad, month, problem):
    rows = [[1.0, 2.0], [3.0, bad, 4.0]]
    with pytest.raises(keyaccount.InputError, match=problem) as info:
        _core.columns.series_block(rows, "s")
    assert info.value.row == 1 and info.value.field == f"s[{month}]"


def test_series_block_rejects_a_cell_that_is_not_a_sequence():
    for cell, kind in ((3.0, "a number"), (decimal.Decimal(1), "a Decimal")):
        with pytest.raises(keyaccount.InputError,
                           match=f"expected an array of numbers, got {kind}") as info:
            _core.columns.series_block([[1.0], cell], "s")
        assert info.value.row == 1 and info.value.field == "s"


def test_series_block_marks_missing_cells_as_empty_rows():
    block, lengths, missing = _core.columns.series_block(
        [[1.0], None, float("nan"), pd.NA, [2.0, 3.0]], "s")
    assert missing.tolist() == [False, True, True, True, False]
    assert lengths.tolist() == [1, 0, 0, 0, 2]
    np.testing.assert_array_equal(block[4], [2.0, 3.0])


def test_python_code_that_empties_another_row_mid_conversion_is_an_error_not_a_crash():
    rows: list = [None, [1.0, 2.0, 3.0]]

    class Emptying(collections.abc.Sequence):  # read through the protocol, running Python code
        def __len__(self):
            return 1

        def __getitem__(self, i):
            if i >= 1:
                raise IndexError(i)
            rows[1].clear()
            return 1.0

    rows[0] = Emptying()
    with pytest.raises(keyaccount.InputError) as info:
        _core.columns.series_block(rows, "s")
    assert info.value.row == 1


def days(text):
    return (datetime.date.fromisoformat(text) - datetime.date(1970, 1, 1)).days


def test_date_days_parses_plain_and_other_strings_and_marks_missing():
    class Text(str):
        pass

    column = np.array(["2021-02-28", None, "1969-12-31", float("nan"), Text("2024-02-29"),
                       "0001-01-01", "9999-12-31"], dtype=object)
    got, problems = _core.columns.date_days(column)
    assert problems == []
    assert list(got) == [days("2021-02-28"), MISSING_DAY, -1, MISSING_DAY, days("2024-02-29"),
                         days("0001-01-01"), days("9999-12-31")]


@pytest.mark.parametrize("text", ["2023-02-29", "2021-2-28 ", "２０２１-02-28", "0000-01-01",
                                  "2021/02/28", "", "2021-02-28T00:00"])
def test_date_days_locates_an_invalid_date(text):
    got, problems = _core.columns.date_days(["2021-01-01", "2021-01-02", text])
    assert problems == [(2, f'expected a date YYYY-MM-DD, got "{text}"')]
    assert got[2] == MISSING_DAY


def test_date_days_reads_date_objects_and_refuses_other_kinds_in_the_record_readers_words():
    column = ["2021-01-01", datetime.date(2021, 1, 2), datetime.datetime(2021, 1, 3, 23, 59),
              pd.Timestamp("2021-01-04"), np.datetime64("2021-01-05"), pd.NaT, pd.NA,
              np.datetime64("NaT"), 5, True, [1]]
    got, problems = _core.columns.date_days(column)
    assert list(got[:8]) == [days(f"2021-01-0{d}") for d in range(1, 6)] + [MISSING_DAY] * 3
    assert problems == [(8, "expected a date YYYY-MM-DD, got a number"),
                        (9, "expected a date YYYY-MM-DD, got a boolean"),
                        (10, "expected a date YYYY-MM-DD, got an array")]


def test_category_codes_code_by_text_not_by_object():
    rng = random.Random(3)
    words = ["government", "large_enterprise", "monopoly", "other"]
    # Equal strings as distinct objects (built at run time) and as one shared object, many more
    # objects than the address cache has slots.
    column = [("".join(list(w)) if rng.random() < 0.5 else w) for w in
              (rng.choice(words) for _ in range(5000))]
    column[7] = None
    codes, categories, problems = _core.columns.category_codes(np.array(column, dtype=object))
    assert problems == []
    first_seen = list(dict.fromkeys(c for c in column if c is not None))
    assert list(categories) == first_seen
    assert list(codes) == [-1 if c is None else first_seen.index(c) for c in column]


def test_category_codes_refuse_other_kinds_in_the_record_readers_words():
    codes, categories, problems = _core.columns.category_codes(["a", 1, pd.NA, True, "a"])
    assert list(codes) == [0, -1, -1, -1, 0] and list(categories) == ["a"]
    assert problems == [(1, "expected a string, got a number"),
                        (3, "expected a string, got a boolean")]


def test_series_from_offsets_builds_the_block_and_checks_the_offsets():
    values = np.array([1.5, 2.0, 3.0, 4.0, 5.25, 7.0])
    block, lengths = _core.columns.series_from_offsets(np.array([0, 2, 2, 5, 6]), values, "s")
    want_block, want_lengths = expected_block(SERIES)
    np.testing.assert_array_equal(lengths, want_lengths)
    np.testing.assert_array_equal(block, want_block)
    for offsets in ([0, 2, 1, 6], [0, 2, 7], [-1, 2], []):
        with pytest.raises(ValueError):
            _core.columns.series_from_offsets(np.array(offsets, dtype=np.int64), values, "s")


# --- properties on random columns: the result or a located error, never a crash ----------------

CELL_ELEMENTS = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                          st.integers(min_value=-2 ** 70, max_value=2 ** 70),
                          st.booleans(), st.none(), st.text(max_size=3))
SERIES_CELLS = st.one_of(st.lists(CELL_ELEMENTS, max_size=6),
                         st.lists(st.floats(allow_nan=False, allow_infinity=False), max_size=6)
                         .map(tuple), st.none(), st.text(max_size=3))


_CSV_NUMBER = re.compile(r"-?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?|-?(inf|infinity|nan)",
                         re.IGNORECASE)


def text_series(text):
    """A text cell as the CLI reads a CSV cell ("60;70;80", spaces around items allowed): the
    numbers, or the index of the first item that is not a finite number."""
    items = text.strip(" \t\r")
    numbers = []
    for j, item in enumerate(items.split(";") if items else []):
        t = item.strip(" \t\r")
        t = t[1:] if t.startswith("+") else t
        if not _CSV_NUMBER.fullmatch(t) or not math.isfinite(float(t)):
            return j
        numbers.append(float(t))
    return numbers


def reference_series(rows):
    """The same conversion in plain Python: (block, lengths) or (row, field) of the first error
    in row order (a cell that is not a sequence, or text that is not a CSV series, then the
    first element that is not a finite number; a number written as text is not one, nor is a
    boolean). Text is read as the CLI reads a CSV cell; empty text is a missing cell."""
    rows = [None if r == "" else text_series(r) if isinstance(r, str) else r for r in rows]
    for i, r in enumerate(rows):  # the sizing pass: bad text, a cell that is not a sequence
        if isinstance(r, int) and not isinstance(r, bool):
            return ("error", i, f"s[{r}]")
        if r is not None and not isinstance(r, (list, tuple)):
            return ("error", i, "s")
    for i, r in enumerate(rows):
        if r is None:
            continue  # a missing cell: an empty row, marked
        for j, v in enumerate(r):
            # Text is not a number, even "1.5"; nor is a boolean, as for one record.
            if isinstance(v, (str, bool)) or v is None:
                return ("error", i, f"s[{j}]")
            x = float(v)
            if x != x or x in (float("inf"), float("-inf")):
                return ("error", i, f"s[{j}]")
    return ("ok",) + expected_block(rows)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(SERIES_CELLS, max_size=8))
def test_series_block_equals_plain_python_on_random_columns(rows):
    want = reference_series(rows)
    if want[0] == "error":
        with pytest.raises(keyaccount.InputError) as info:
            _core.columns.series_block(rows, "s")
        # A cell that is not a sequence (or bad text) is found while sizing every row, before
        # any element.
        first_bad_cell = next((i for i, r in enumerate(rows) if r is not None and
                               not isinstance(r, (list, tuple, str))
                               or isinstance(r, str) and r and isinstance(text_series(r), int)),
                              None)
        if first_bad_cell is not None:
            r = rows[first_bad_cell]
            field = f"s[{text_series(r)}]" if isinstance(r, str) else "s"
            assert (info.value.row, info.value.field) == (first_bad_cell, field)
        else:
            assert (info.value.row, info.value.field) == want[1:]
    else:
        block, lengths, missing = _core.columns.series_block(rows, "s")
        np.testing.assert_array_equal(lengths, want[2])
        np.testing.assert_array_equal(block, want[1])
        if any(r is None or r == "" for r in rows):
            assert missing.tolist() == [r is None or r == "" for r in rows]
        else:
            assert missing is None


DATE_TEXT = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.text(alphabet="0123456789-/ T:２", min_size=0, max_size=12),
    st.none(), st.just(float("nan")))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(DATE_TEXT, max_size=8))
def test_date_days_equals_plain_python_on_random_columns(cells):
    def reference(text):
        if text is None or text != text:
            return MISSING_DAY
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            return None
        try:
            return days(text)
        except ValueError:  # no such day, or year 0
            return None

    want = [reference(c) for c in cells]
    got, problems = _core.columns.date_days(cells)
    assert [row for row, _ in problems] == [i for i, w in enumerate(want) if w is None]
    assert [g for g, w in zip(got, want) if w is not None] == [w for w in want if w is not None]
