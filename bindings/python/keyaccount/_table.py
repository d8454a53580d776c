"""Converting a table's columns (numpy arrays, pandas or Arrow columns, lists) to the typed
arrays the C++ batch classifier reads, checking each value as the C++ core checks one record: a
value it would refuse is a located InputError (or, with on_error="skip", a bad row), never a
silent coercion. Typed numpy columns are checked with whole-array operations; only object
columns are read value by value. Internal to keyaccount.classify."""

from __future__ import annotations

import datetime as _dt
from typing import Any, Iterable, Mapping, Optional

import numpy as np

from . import _core
from ._errors import InputError
from ._errors import located_input_error as _input_error

def _arrow_chunks(values: Any, is_type: Any) -> Optional[list]:
    """The pyarrow chunks behind a pandas column whose Arrow type passes ``is_type``: pandas'
    StringDtype("pyarrow") (its default string type when pyarrow is installed) or any
    ``pd.ArrowDtype``. None for other columns (numpy-backed, or pyarrow not installed)."""
    dtype = getattr(values, "dtype", None)
    if getattr(dtype, "storage", None) not in ("pyarrow", "pyarrow_numpy") and \
            getattr(dtype, "pyarrow_dtype", None) is None:
        return None
    import pyarrow as pa  # present: pandas made this column with it

    data = values.array.__arrow_array__()
    chunks = data.chunks if isinstance(data, pa.ChunkedArray) else [data]
    return chunks if all(is_type(c.type) for c in chunks) else None


def _arrow_strings(values: Any) -> Optional[list]:
    """An Arrow string column as the buffers the C++ conversions read, one tuple per chunk:
    (offsets, UTF-8 data, validity bitmap or None, offset, length). No Python object per cell."""
    try:
        import pyarrow as pa
    except ImportError:
        return None
    chunks = _arrow_chunks(values, lambda t: pa.types.is_string(t) or pa.types.is_large_string(t))
    if chunks is None:
        return None
    return _string_buffers(chunks)


def _string_buffers(chunks: list) -> list:
    """pyarrow string chunks as the tuples of :func:`_arrow_strings`."""
    import pyarrow as pa

    out = []
    for c in chunks:
        validity, offsets, data = c.buffers()
        width = np.int64 if pa.types.is_large_string(c.type) else np.int32
        out.append((np.zeros(1, dtype=width) if offsets is None
                    else np.frombuffer(offsets, dtype=width, count=c.offset + len(c) + 1),
                    np.frombuffer(data, dtype=np.uint8) if data is not None
                    else np.empty(0, dtype=np.uint8),
                    None if validity is None or c.null_count == 0
                    else np.frombuffer(validity, dtype=np.uint8),
                    c.offset, len(c)))
    return out


def _arrow_list_block(name: str, values: Any) -> Optional[tuple[np.ndarray, np.ndarray]]:
    """An Arrow list column of numbers (``pd.ArrowDtype(pa.list_(pa.float64()))``) as
    (2-D block, lengths) straight from its flat values, without a Python object per month."""
    try:
        import pyarrow as pa
    except ImportError:
        return None
    chunks = _arrow_chunks(values, lambda t: (pa.types.is_list(t) or pa.types.is_large_list(t))
                           and (pa.types.is_floating(t.value_type)
                                or pa.types.is_integer(t.value_type)))
    if chunks is None:
        return None
    offsets, flat, rows, nulls = [np.zeros(1, dtype=np.int64)], [], 0, []
    for c in chunks:
        # A null list is a missing cell (as None is for one record): marked, read as empty.
        nulls.append(c.is_null().to_numpy(zero_copy_only=False) if c.null_count
                     else np.zeros(len(c), dtype=bool))
        own = c.offsets.to_numpy().astype(np.int64)  # this slice's, into the unsliced values
        # A null month becomes NaN, which the batch reports as not a finite number (located).
        flat.append(c.values.to_numpy(zero_copy_only=False)[own[0]:own[-1]])
        offsets.append(own[1:] - own[0] + offsets[-1][-1])
        rows += len(c)
    values = flat[0] if len(flat) == 1 else np.concatenate(flat) if flat else np.zeros(0)
    ends = np.concatenate(offsets)
    missing = np.concatenate(nulls) if any(c.null_count for c in chunks) else None
    if missing is not None:  # a null slot's own offsets may span values: read it as empty
        ends = np.concatenate([[0], np.cumsum(np.where(missing, 0, np.diff(ends)))])
        keep = np.repeat(~missing, np.diff(np.concatenate(offsets)))
        values = values[keep]
    block, lengths = _core.columns.series_from_offsets(ends, values, name)
    return block, lengths, missing


def _date_days(name: str, values: Any) -> np.ndarray:
    """A date column as int32 days since 1970-01-01 (INT32_MIN for missing), vectorised.
    Date-times count by their own (wall-clock) date, time zone or not, as for one record."""
    dtype = getattr(values, "dtype", None)
    tz = getattr(dtype, "tz", None) or getattr(getattr(dtype, "pyarrow_dtype", None), "tz", None)
    if tz is not None:  # the local date, not the UTC one
        values = values.dt.tz_localize(None) if hasattr(values, "dt") else \
            values.tz_localize(None)
    arrow = _arrow_strings(values)
    if arrow is not None:
        return _core.columns.arrow_date_days(arrow, name)
    if dtype is not None and not isinstance(dtype, np.dtype) and getattr(dtype, "kind", "") == "M":
        values = values.to_numpy(dtype="datetime64[ns]", na_value=np.datetime64("NaT"))
    arr = values if isinstance(values, np.ndarray) else \
        values.to_numpy() if hasattr(values, "to_numpy") else np.asarray(values, dtype=object)
    if arr.ndim != 1:
        raise _input_error(f"{name}: a column must be one-dimensional, not of shape {arr.shape}",
                           name)
    if arr.dtype.kind == "M":
        days = arr.astype("datetime64[D]")
        out = days.astype(np.int64)
        return np.where(np.isnat(days), np.iinfo(np.int32).min, out).astype(np.int32)
    if arr.dtype.kind in "OUT":
        # Strings (the usual case) are parsed in C++; other objects are read one by one.
        fast = _core.columns.date_days(arr.astype(object, copy=False), name)
        if fast is not None:
            return fast
    if arr.dtype.kind == "f" and np.isnan(arr).all():
        return np.full(len(arr), np.iinfo(np.int32).min, dtype=np.int32)
    return _date_days_objects(name, arr)


_EPOCH_ORDINAL = _dt.date(1970, 1, 1).toordinal()


def _date_days_objects(name: str, arr: np.ndarray) -> np.ndarray:
    """Dates given as other objects (datetime.date, datetime, Timestamp, numpy datetime64, text
    mixed with those), one by one; anything else is an invalid date."""
    out = np.empty(len(arr), dtype=np.int32)
    for row, x in enumerate(arr.tolist()):
        if _is_missing(x):
            out[row] = np.iinfo(np.int32).min
        elif isinstance(x, _dt.date):  # and datetime, pandas.Timestamp: their own date
            out[row] = x.toordinal() - _EPOCH_ORDINAL
        elif isinstance(x, np.datetime64):
            out[row] = int(x.astype("datetime64[D]").astype(np.int64))
        elif isinstance(x, str):
            one = np.empty(1, dtype=object)
            one[0] = x
            try:
                out[row] = _core.columns.date_days(one, name)[0]
            except InputError:
                raise _input_error(f"{name}: row {row}: expected a date YYYY-MM-DD, "
                                   f"got \"{x}\"", name, row) from None
        else:
            raise _input_error(f"{name}: row {row}: expected a date YYYY-MM-DD, got \"{x}\"",
                               name, row)
    return out


def _object_column(name: str, values: Any) -> np.ndarray:
    """A text column's cells as a 1-D object array (pandas, numpy or any sequence)."""
    if hasattr(values, "to_numpy"):
        objects = values.to_numpy(dtype=object)
    elif isinstance(values, np.ndarray):
        objects = values.astype(object, copy=False)
    else:
        objects = _object_cells(values)
    if objects.ndim != 1:
        raise _input_error(f"{name}: a column must be one-dimensional, not of shape "
                           f"{objects.shape}", name)
    return objects


def _categories(name: str, values: Any,
                problems: Optional[_Problems] = None) -> tuple[np.ndarray, list[str]]:
    """A text column to (int32 codes, categories); -1 for a missing value. A value that is not
    text (a number, a boolean...) is recorded in `problems` (its row gets -1 meanwhile)."""
    arrow = _arrow_strings(values)
    if arrow is not None:
        codes, cats = _core.columns.arrow_category_codes(arrow, name)
        return codes, list(cats)
    objects = _object_column(name, values)
    fast = _core.columns.category_codes(objects)  # strings: coded in C++
    if fast is not None:
        codes, cats = fast
        return codes, [str(c) for c in cats]
    # Other values, one by one: text is coded, anything else is refused (never str()-ed).
    codes = np.full(len(objects), -1, dtype=np.int32)
    index: dict[str, int] = {}
    bad: list[int] = []
    for i, x in enumerate(objects.tolist()):
        if isinstance(x, str):
            codes[i] = index.setdefault(x, len(index))
        elif not _is_missing(x):
            bad.append(i)
    if bad:
        if problems is None:
            raise _input_error(f"{name}: row {bad[0]}: expected a string, got "
                               f"{_describe(objects[bad[0]])}", name, bad[0])
        problems.add(bad, name, lambda row: f"expected a string, got {_describe(objects[row])}")
    return codes, list(index)


def _series(name: str, values: Any,
            lengths: Any = None) -> tuple[np.ndarray, Optional[np.ndarray], Optional[np.ndarray]]:
    """A series column as (2-D block, lengths or None, mask of missing cells or None)."""
    arr = values if isinstance(values, np.ndarray) else None
    if arr is not None and arr.ndim == 2 and arr.dtype.kind in "fiu":
        block = np.ascontiguousarray(arr, dtype=np.float64)
        if lengths is None:
            # Right padding with NaN marks the end of shorter series.
            nan = np.isnan(block)
            if nan.any():
                last = block.shape[1] - np.argmax(~nan[:, ::-1], axis=1)
                last[nan.all(axis=1)] = 0
                lengths = last.astype(np.int64)
        return block, None if lengths is None else _lengths(name, lengths), None
    if arr is not None and arr.ndim not in (1, 2):
        raise _input_error(f"{name}: a series column must be a 2-D array (rows x months) or a "
                           f"sequence of lists, not of shape {arr.shape}", name)
    arrow = _arrow_list_block(name, values)
    if arrow is not None:
        return arrow
    if hasattr(values, "to_numpy"):
        values = values.to_numpy(dtype=object)
    return tuple(_core.columns.series_block(values, name))  # type: ignore[return-value]


_EMPTY_ID = "empty: every customer needs an id"  # the C++ core's wording


def _check_ids(name: str, values: Any, rows: int, required: bool, problems: _Problems) -> None:
    """The id column checked as the C++ core checks one record's id: text, not empty, present
    when required. Bad rows are recorded in `problems`. An Arrow string column (pandas' default)
    is checked on its offsets and validity bitmap, an object column in C++: no Python work per
    row unless a row is bad."""
    arrow = _arrow_strings(values)
    objects: Optional[np.ndarray] = None
    if arrow is not None:
        states = []
        for offsets, _, validity, offset, length in arrow:
            state = np.where(np.diff(offsets[offset:offset + length + 1]) == 0, 2, 0)
            if validity is not None:
                valid = np.unpackbits(validity, bitorder="little")[offset:offset + length]
                state[valid == 0] = 1
            states.append(state)
        state = np.concatenate(states) if states else np.zeros(0, dtype=np.int64)
    else:
        objects = _object_column(name, values)
        state = _core.columns.text_cell_states(objects)
        if state is None:
            _row_count_of(name, objects, rows)
            return
        state = state.astype(np.int64)
        for row in np.flatnonzero(state == 3).tolist():
            if _is_missing(objects[row]):  # pandas' NA, NaT
                state[row] = 1
    _row_count_of(name, state, rows)
    if required:
        problems.add_mask(state == 1, name, _MISSING)
    problems.add_mask(state == 2, name, _EMPTY_ID)
    if objects is not None:
        cells = objects
        problems.add_mask(state == 3, name,
                          lambda row: f"expected a string, got {_describe(cells[row])}")


def _lengths(name: str, lengths: Any) -> np.ndarray:
    """``lengths[field]`` of a 2-D series block as int64: whole numbers only (never truncated)."""
    arr = np.asarray(lengths)
    if arr.ndim != 1 or arr.dtype.kind not in "iuf" or (
            arr.dtype.kind == "f" and not np.array_equal(arr, np.floor(arr))):
        raise _input_error(f"{name}: lengths must be a 1-D array of whole numbers, one per row",
                           name)
    return arr.astype(np.int64)


# --- Scalar columns (number / int / bool) ----------------------------------------------------
#
# A well-typed numpy column is checked with a few vectorised numpy operations; only object
# columns (mixed Python values) are read value by value. Whatever the dict path refuses for one
# record (text, booleans or dates where numbers belong, fractions where whole numbers belong,
# numbers where booleans belong) is refused here too, per row: each problem is kept as
# (rows, field, message) and reported like the C++ core's row errors.

_INT64_LOW, _INT64_HIGH = -2.0 ** 63, 2.0 ** 63  # exactly representable; [low, high) fits int64
_MISSING = "required value is missing"  # the C++ core's wording


def _is_missing(x: Any) -> bool:
    """None, NaN (float or numpy), pandas' NA and NaT, numpy's NaT: no value."""
    if x is None:
        return True
    if isinstance(x, (float, np.floating)):
        return bool(x != x)
    if isinstance(x, (np.datetime64, np.timedelta64)):
        return bool(np.isnat(x))
    return type(x).__name__ in ("NAType", "NaTType")


def _describe(x: Any) -> str:
    """A cell's type and value for an error message ("a string '600'", "a boolean True")."""
    if isinstance(x, (bool, np.bool_)):
        return f"a boolean {bool(x)}"
    if isinstance(x, (str, np.str_)):
        text = str(x)
        return f"a string {text[:40]!r}" + ("..." if len(text) > 40 else "")
    if isinstance(x, (_dt.date, np.datetime64)):
        return f"a date/time {x}"
    if isinstance(x, (int, float, np.integer, np.floating)):
        return f"the number {x!r}" if not isinstance(x, np.generic) else f"the number {x.item()!r}"
    return f"a {type(x).__name__}"


class _Problems:
    """Rows a conversion found bad: (row indices, field, message for a row) per finding, in
    column order. Rows are numbered from 0 in the table."""

    def __init__(self) -> None:
        self.found: list[tuple[np.ndarray, str, Any]] = []

    def add(self, rows: Any, field: str, message: Any) -> None:
        rows = np.asarray(rows, dtype=np.int64).ravel()
        if rows.size:
            self.found.append((rows, field, message))

    def add_mask(self, mask: np.ndarray, field: str, message: Any) -> None:
        if mask.any():
            self.add(np.flatnonzero(mask), field, message)

    def bad_mask(self, rows: int) -> Optional[np.ndarray]:
        if not self.found:
            return None
        bad = np.zeros(rows, dtype=bool)
        for r, _, _ in self.found:
            bad[r] = True
        return bad

    def errors(self, only_first: bool) -> list[tuple[int, str, str]]:
        """[(row, field, message)] in row order, one per row (its first finding)."""
        if only_first:
            first = min(int(r.min()) for r, _, _ in self.found)
            for r, field, message in self.found:
                if first in r:
                    return [(first, field, message(first) if callable(message) else message)]
        out: dict[int, tuple[int, str, str]] = {}
        for r, field, message in self.found:
            for row in r.tolist():
                if row not in out:
                    out[row] = (row, field, message(row) if callable(message) else message)
        return [out[k] for k in sorted(out)]


def _scalar_array(name: str, col: Any, rows: int) -> tuple[np.ndarray, Optional[np.ndarray]]:
    """A number / int / bool column as a 1-D numpy array and, for pandas' nullable and Arrow
    columns, the mask of missing values (None when the array marks them itself, as NaN or as
    None objects). Columns of other types come back as object arrays, read value by value."""
    missing = None
    if isinstance(col, np.ndarray):
        arr = col
    elif hasattr(col, "dtype") and hasattr(col, "to_numpy"):  # pandas Series / arrays
        dtype = col.dtype
        kind = getattr(dtype, "kind", "O")
        if isinstance(dtype, np.dtype):
            arr = col.to_numpy()
        elif kind in "iufb":
            missing = np.asarray(col.isna(), dtype=bool)
            if not missing.any():
                missing = None
            fill, target = {"i": (0, np.int64), "u": (0, np.uint64), "f": (np.nan, np.float64),
                            "b": (False, np.bool_)}[kind]
            arr = col.to_numpy(dtype=target, na_value=fill)
        else:
            arr = col.to_numpy(dtype=object)
    else:
        arr = np.asarray(col, dtype=object)  # lists: never let numpy guess ([1.0, True] ...)
    if arr.ndim != 1:
        raise _input_error(f"{name}: a column must be one-dimensional, not of shape {arr.shape}",
                           name)
    if len(arr) != rows:
        raise _input_error(f"{name}: the column has {len(arr)} rows, the table {rows}", name)
    return arr, missing


def _object_values(name: str, arr: np.ndarray, kind: str,
                   problems: _Problems) -> tuple[np.ndarray, np.ndarray]:
    """An object column read value by value: (values, missing mask)."""
    n = len(arr)
    out = np.zeros(n, dtype={"number": np.float64, "int": np.int64, "bool": np.uint8}[kind])
    missing = np.zeros(n, dtype=bool)
    bad: list[int] = []
    for i, x in enumerate(arr.tolist() if arr.dtype.kind == "O" else list(arr)):
        if _is_missing(x):
            missing[i] = True
            continue
        is_bool = isinstance(x, (bool, np.bool_))
        if kind == "bool":
            if is_bool:
                out[i] = bool(x)
                continue
        elif is_bool:
            pass
        elif isinstance(x, (int, np.integer)):
            v = int(x)
            if kind == "number":
                out[i] = float(v)
                continue
            if -2 ** 63 <= v < 2 ** 63:
                out[i] = v
                continue
        elif isinstance(x, (float, np.floating)):
            v = float(x)
            if kind == "number":
                out[i] = v
                continue
            if np.isfinite(v) and v == np.floor(v) and _INT64_LOW <= v < _INT64_HIGH:
                out[i] = int(v)
                continue
        bad.append(i)
    if bad:
        problems.add(bad, name, lambda row: _expected(kind, arr[row]))
    if kind == "number":
        out[missing] = np.nan
    return out, missing


def _expected(kind: str, x: Any) -> str:
    want = {"number": "a number", "int": "a whole number (int64)",
            "bool": "true or false"}[kind]
    return f"expected {want}, got {_describe(x)}"


def _scalar_column(name: str, col: Any, rows: int, kind: str, required: bool,
                   problems: _Problems) -> tuple[np.ndarray, Optional[np.ndarray]]:
    """A number / int / bool column checked and converted: (float64 / int64 / uint8 values,
    mask of missing values for int and bool columns, which the C++ core cannot mark in the
    array itself). Bad and, for a required field, missing values are recorded in `problems`."""
    arr, missing = _scalar_array(name, col, rows)
    k = arr.dtype.kind
    if k == "O":
        values, missing = _object_values(name, arr, kind, problems)
    elif kind == "number":
        if k in "fiu":
            values = arr.astype(np.float64, copy=False)
            if missing is not None:
                values = np.where(missing, np.nan, values)
            return values, None  # NaN marks a missing number; the C++ core checks the rest
        problems.add(np.arange(rows), name, lambda row: _expected(kind, arr[row]))
        return np.zeros(rows), None
    elif kind == "int":
        if k == "i":
            values = arr.astype(np.int64, copy=False)
        elif k == "u":
            over = arr > np.uint64(2 ** 63 - 1)
            problems.add_mask(over, name, lambda row: _expected(kind, arr[row]))
            values = np.where(over, 0, arr).astype(np.int64)
        elif k == "f":
            nan = np.isnan(arr)
            with np.errstate(invalid="ignore"):
                bad = ~nan & ((arr != np.floor(arr)) | (arr < _INT64_LOW) | (arr >= _INT64_HIGH))
            problems.add_mask(bad, name, lambda row: _expected(kind, arr[row]))
            values = np.where(nan | bad, 0.0, arr).astype(np.int64)
            if nan.any():
                missing = nan if missing is None else missing | nan
        else:
            problems.add(np.arange(rows), name, lambda row: _expected(kind, arr[row]))
            values = np.zeros(rows, dtype=np.int64)
    else:  # bool
        if k == "b":
            values = arr.view(np.uint8) if arr.dtype.itemsize == 1 else arr.astype(np.uint8)
        elif k == "f":  # only NaN (missing) fits: numbers are not booleans
            nan = np.isnan(arr)
            problems.add_mask(~nan, name, lambda row: _expected(kind, arr[row]))
            values = np.zeros(rows, dtype=np.uint8)
            missing = nan if missing is None else missing | nan
        else:
            problems.add(np.arange(rows), name, lambda row: _expected(kind, arr[row]))
            values = np.zeros(rows, dtype=np.uint8)
    if missing is not None and not missing.any():
        missing = None
    if missing is not None and required:
        problems.add_mask(missing, name, _MISSING)
        missing = None
    return values, missing


def _located(exc: InputError) -> tuple[str, str]:
    """(field, message) of an InputError a C++ conversion raised for a one-row column."""
    field = getattr(exc, "field", "") or ""
    text = str(exc.args[0]) if exc.args else str(exc)
    return field, text.split(": row 0: ", 1)[-1]


def _convert_skipping(name: str, values: Any, rows: int, convert: Any, placeholder: Any,
                      skip: bool, problems: _Problems) -> Any:
    """`convert(values)`; with on_error="skip", a column it refuses is read again row by row
    (the error path only): the bad rows are recorded and replaced by `placeholder`."""
    try:
        return convert(values)
    except InputError:
        if not skip:
            raise
    cells = values.to_numpy(dtype=object) if hasattr(values, "to_numpy") else \
        _object_cells(values)
    cells = cells.copy()
    bad: dict[int, tuple[str, str]] = {}
    one = np.empty(1, dtype=object)
    for i in range(len(cells)):
        one[0] = cells[i]
        try:
            convert(one)
        except InputError as exc:
            bad[i] = _located(exc)
            cells[i] = placeholder
    for row, (field, message) in bad.items():
        problems.add([row], field or name, message)
    return convert(cells)


def _object_cells(values: Any) -> np.ndarray:
    """Any sequence as a 1-D object array of its items (numpy does not split list cells)."""
    items = list(values)
    out = np.empty(len(items), dtype=object)
    for i, x in enumerate(items):
        out[i] = x
    return out


def _row_count_of(name: str, array: np.ndarray, rows: int) -> None:
    if len(array) != rows:
        raise _input_error(f"{name}: the column has {len(array)} rows, the table {rows}", name)


class _Converted:
    """A table's columns as the C++ batch reads them, the rows the conversion found bad, and
    per optional int / bool column the mask of missing values."""

    def __init__(self, columns: dict[str, tuple], problems: _Problems,
                 missing: dict[str, np.ndarray]) -> None:
        self.columns, self.problems, self.missing = columns, problems, missing


def _convert(fields: Mapping[str, dict[str, Any]], used: set[str], data: Mapping[str, Any],
             rows: int, lengths: Optional[Mapping[str, Any]] = None,
             skip: bool = False) -> _Converted:
    """The columns of `data` that the policy's criteria use (`used`), converted for the C++
    batch by the type their field has in `fields` (the customer schema by field id)."""
    columns: dict[str, tuple] = {}
    problems = _Problems()
    missing_of: dict[str, np.ndarray] = {}
    for name in fields:  # schema order: errors in column order
        if name not in data:
            continue  # the C++ core reports a missing required column
        f = fields[name]
        col = data[name]
        kind = f["type"]
        required = bool(f.get("required", False))
        if name == "id" and kind == "string":
            # Not read by the criteria, but each customer's name in the result: checked as
            # for one record. A table without an id column is allowed.
            _check_ids(name, col, rows, required, problems)
        if name not in used:
            continue
        if kind == "number":
            values, _ = _scalar_column(name, col, rows, "number", required, problems)
            columns[name] = ("numbers", values)
        elif kind in ("int", "bool"):
            values, missing = _scalar_column(name, col, rows, kind, required, problems)
            columns[name] = ("integers" if kind == "int" else "booleans", values)
            if missing is not None:
                missing_of[name] = missing
        elif kind == "date":
            days = _convert_skipping(name, col, rows, lambda v: _date_days(name, v), None, skip,
                                     problems)
            _row_count_of(name, days, rows)
            columns[name] = ("dates", days, int(np.iinfo(np.int32).min))
        elif kind == "series":
            block, lens, missing = _convert_skipping(
                name, col, rows, lambda v: _series(name, v, (lengths or {}).get(name)), [],
                skip, problems)
            _row_count_of(name, block, rows)
            columns[name] = ("series", block, lens)
            if missing is not None and missing.any():
                # As for one record: no value, "required value is missing" when required.
                if required:
                    problems.add_mask(missing, name, _MISSING)
                else:
                    missing_of[name] = missing
        elif kind in ("string", "enum", "person"):
            codes, cats = _categories(name, col, problems)
            _row_count_of(name, codes, rows)
            columns[name] = ("categories", codes, cats)
        else:
            raise _input_error(f"{name}: a {kind} field cannot be a table column", name)
    return _Converted(columns, problems, missing_of)


def _subset(columns: dict[str, tuple], rows: int, index: np.ndarray,
            drop: Iterable[str] = ()) -> dict[str, tuple]:
    """The columns of the rows `index`, without the columns `drop` (absent for those rows)."""
    out = {}
    for name, spec in columns.items():
        if name in drop:
            continue
        out[name] = tuple(x[index] if isinstance(x, np.ndarray) and x.ndim >= 1
                          and x.shape[0] == rows else x for x in spec)
    return out
