"""The adapter from a table's columns (numpy arrays, pandas or Arrow columns, lists) to the C++
table reader: each column is handed over as a numpy buffer with an optional mask of missing
values (or as Arrow buffers), and C++ checks every value as the record reader checks one record
(keyaccount._core.columns.read_column and friends, the library's io/table_cell.hpp). Nothing is
checked or worded here: a refused value comes back as (row, message) in the record reader's
words, becomes a located InputError (or, with on_error="skip", a bad row), never a silent
coercion. Internal to keyaccount.classify."""

from __future__ import annotations

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


def _date_days(name: str, values: Any) -> tuple[np.ndarray, list]:
    """A date column as (int32 days since 1970-01-01, INT32_MIN for missing; [(row, message)]
    of the cells C++ refused). Date-times count by their own (wall-clock) date, time zone or
    not, as for one record."""
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
        values.to_numpy() if hasattr(values, "to_numpy") else _object_cells(values)
    if arr.ndim != 1:
        raise _input_error(f"{name}: a column must be one-dimensional, not of shape {arr.shape}",
                           name)
    if arr.dtype.kind == "M":  # whole-array: numpy's own dates
        days = arr.astype("datetime64[D]")
        out = days.astype(np.int64)
        return np.where(np.isnat(days), np.iinfo(np.int32).min, out).astype(np.int32), []
    if arr.dtype.kind in "OUS":
        return _core.columns.date_days(arr.astype(object, copy=False))
    days, _, found = _core.columns.read_column("date", arr, None, name, False)
    return days, found


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


def _categories(name: str, values: Any, problems: _Problems) -> tuple[np.ndarray, list[str]]:
    """A text column to (int32 codes, categories); -1 for a missing value, and for a value that
    is not text, which C++ refuses (recorded in `problems`)."""
    arrow = _arrow_strings(values)
    if arrow is not None:
        codes, cats = _core.columns.arrow_category_codes(arrow, name)
        return codes, list(cats)
    categorical = _categorical_codes(values)
    if categorical is not None:
        return categorical
    codes, cats, found = _core.columns.category_codes(_object_column(name, values))
    problems.add(name, found)
    return codes, [str(c) for c in cats]


def _categorical_codes(values: Any) -> Optional[tuple[np.ndarray, list[str]]]:
    """A pandas Categorical column (or ``pd.Categorical``) of text read as its own codes and
    categories (-1 is missing in both): no Python object per row. None for other columns, and
    for categories that are not all text, whose rows the object path refuses one by one."""
    dtype = getattr(values, "dtype", None)
    if getattr(dtype, "name", None) != "category":
        return None
    categories = list(dtype.categories)
    if not all(isinstance(c, str) for c in categories):
        return None
    codes = values.cat.codes if hasattr(values, "cat") else values.codes
    return np.asarray(codes, dtype=np.int32), [str(c) for c in categories]


def _series(name: str, values: Any,
            lengths: Any = None) -> tuple[np.ndarray, Optional[np.ndarray], Optional[np.ndarray]]:
    """A series column as (2-D block, lengths or None, mask of missing cells or None)."""
    arr = values if isinstance(values, np.ndarray) else None
    if arr is not None and arr.ndim == 2 and arr.dtype.kind in "fiu":
        block = np.ascontiguousarray(arr, dtype=np.float64)
        if lengths is None:
            # Right padding with NaN marks the end of shorter series.
            lengths = _core.columns.padded_lengths(block)
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


def _check_ids(name: str, values: Any, rows: int, required: bool, problems: _Problems) -> None:
    """The id column, checked in C++ as one record's id is (text, not empty, present when
    required): an Arrow string column on its buffers, any other as objects."""
    arrow = _arrow_strings(values)
    if arrow is not None:
        _row_count_of(name, np.empty(sum(chunk[4] for chunk in arrow)), rows)
        problems.add(name, _core.columns.arrow_id_problems(arrow, required))
        return
    objects = _object_column(name, values)
    _row_count_of(name, objects, rows)
    problems.add(name, _core.columns.id_problems(objects, required))


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
# Handed to C++ as a numpy array and, for pandas' nullable and Arrow columns, a mask of missing
# values; C++ (keyaccount._core.columns.read_column) reads and checks every value.


class _Problems:
    """The values the C++ reader refused: (rows, field, messages) per column, in column order;
    rows are numbered from 0 in the table. The messages are C++'s, never made here."""

    def __init__(self) -> None:
        self.found: list[tuple[np.ndarray, str, list[str]]] = []

    def add(self, field: str, found: list) -> None:
        """`found`: [(row, message)] as the C++ readers return them."""
        if found:
            rows = np.fromiter((row for row, _ in found), dtype=np.int64, count=len(found))
            self.found.append((rows, field, [message for _, message in found]))

    def add_mask(self, mask: np.ndarray, field: str, message: str) -> None:
        self.add(field, [(row, message) for row in np.flatnonzero(mask).tolist()])

    def bad_mask(self, rows: int) -> Optional[np.ndarray]:
        if not self.found:
            return None
        bad = np.zeros(rows, dtype=bool)
        for r, _, _ in self.found:
            bad[r] = True
        return bad

    def errors(self, only_first: bool) -> list[tuple[int, str, str]]:
        """[(row, field, message)] in row order, one per row (its first finding)."""
        out: dict[int, tuple[int, str, str]] = {}
        if only_first:
            first = min(int(r.min()) for r, _, _ in self.found)
            for r, field, messages in self.found:
                hit = np.flatnonzero(r == first)
                if hit.size:
                    return [(first, field, messages[int(hit[0])])]
        for r, field, messages in self.found:
            for row, message in zip(r.tolist(), messages):
                if row not in out:
                    out[row] = (row, field, message)
        return [out[k] for k in sorted(out)]


def _scalar_array(name: str, col: Any, rows: int) -> tuple[np.ndarray, Optional[np.ndarray]]:
    """A number / int / bool column as a 1-D numpy array and, for pandas' nullable and Arrow
    columns, the mask of missing values (None when the array marks them itself, as NaN or as
    None objects). Columns of other types come back as object arrays."""
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
        arr = _object_cells(col)  # lists: never let numpy guess ([1.0, True] ...)
    if arr.ndim != 1:
        raise _input_error(f"{name}: a column must be one-dimensional, not of shape {arr.shape}",
                           name)
    if len(arr) != rows:
        raise _input_error(f"{name}: the column has {len(arr)} rows, the table {rows}", name)
    if arr.dtype.kind in "USV" or (arr.dtype.kind == "f" and arr.dtype.itemsize == 2):
        arr = arr.astype(object)  # read cell by cell: text, half floats, records
    return arr, missing


def _scalar_column(name: str, col: Any, rows: int, kind: str, required: bool,
                   problems: _Problems) -> tuple[np.ndarray, Optional[np.ndarray]]:
    """A number / int / bool column read by C++: (float64 / int64 / uint8 values, mask of
    missing values for an optional int or bool column, which the batch cannot mark in the array
    itself). The values C++ refused, and the missing values of a required int or bool, are
    recorded in `problems`."""
    arr, missing = _scalar_array(name, col, rows)
    values, missing, found = _core.columns.read_column(kind, arr, missing, name, required)
    problems.add(name, found)
    return values, missing


def _located(exc: InputError) -> tuple[str, str]:
    """(field, message) of an InputError a C++ conversion raised for a one-row column."""
    field = getattr(exc, "field", "") or ""
    text = str(exc.args[0]) if exc.args else str(exc)
    return field, text.split(": row 0: ", 1)[-1]


def _convert_by_rows(name: str, values: Any, convert: Any, placeholder: Any,
                     problems: _Problems) -> Any:
    """`convert(values)`; a column it refuses for one of its cells (a C++ conversion that stops
    at the first bad cell, the series) is read again row by row (the error path only): the bad
    rows are recorded, as every other column's, and replaced by `placeholder`. An error about
    the column itself (its shape) is raised."""
    try:
        return convert(values)
    except InputError as exc:
        if getattr(exc, "row", None) is None:
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
        problems.add(field or name, [(row, message)])
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
             rows: int, lengths: Optional[Mapping[str, Any]] = None) -> _Converted:
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
            days, found = _date_days(name, col)
            _row_count_of(name, days, rows)
            problems.add(name, found)
            columns[name] = ("dates", days, int(np.iinfo(np.int32).min))
        elif kind == "series":
            block, lens, missing = _convert_by_rows(
                name, col, lambda v: _series(name, v, (lengths or {}).get(name)), [], problems)
            _row_count_of(name, block, rows)
            columns[name] = ("series", block, lens)
            if missing is not None and missing.any():
                # As for one record: no value, "required value is missing" when required.
                if required:
                    problems.add_mask(missing, name, _core.columns.MISSING_REQUIRED)
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
