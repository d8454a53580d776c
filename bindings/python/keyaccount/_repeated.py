"""A customer id given twice in one table: an input error at its second row. Internal.

One customer has one tier, so a table naming a customer on two rows is refused at the second
(``customer "C1" is given twice (first at index 'a')``), as ``keyaccount classify`` refuses a
file's second record with that id and as every care input refuses a repeated id; with
``on_error="skip"`` the second row gets no tier and that error, the first keeps its own result.
The check is one pass of the C++ core over the id column (``_core.columns.repeated_id_rows``), an
Arrow id column read in its buffers (``_core.columns.arrow_repeated_id_rows``).
"""

from __future__ import annotations

from typing import Any, Callable, Optional

import numpy as np

from . import _core
from ._table import _arrow_strings, _string_buffers


def repeated_rows(ids: Any) -> list[tuple[int, int]]:
    """(row, first row) of each row of `ids` (a column: numpy array, pandas Series, list,
    pyarrow array, Polars Series; None / NaN / "" are no id) whose id an earlier row gave."""
    if ids is None:
        return []
    pd, pl = _module("pandas"), _module("polars")
    buffers = None  # an Arrow string column's buffers, read in C++ without a str per row
    if pd is not None and isinstance(ids, (pd.Series, pd.Index)):
        buffers = _arrow_strings(ids)  # pandas' Arrow-backed strings
        if buffers is None:
            ids = ids.to_numpy(dtype=object)
    elif pl is not None and isinstance(ids, pl.Series):
        ids = ids.to_arrow()
    if buffers is None and (hasattr(ids, "__arrow_c_array__") or
                            hasattr(ids, "__arrow_c_stream__")):
        import pyarrow as pa

        if not isinstance(ids, (pa.Array, pa.ChunkedArray)):
            ids = pa.chunked_array(ids)
        chunks = ids.chunks if isinstance(ids, pa.ChunkedArray) else [ids]
        # Polars' string views, numbers...: as (large) strings, cast by Arrow
        buffers = _string_buffers([
            c if pa.types.is_string(c.type) or pa.types.is_large_string(c.type)
            else c.cast(pa.large_string()) for c in chunks])
    rows, firsts = (_core.columns.repeated_id_rows(ids) if buffers is None
                    else _core.columns.arrow_repeated_id_rows(buffers))
    return list(zip(rows.tolist(), firsts.tolist()))


def _module(name: str) -> Any:
    import sys

    return sys.modules.get(name)


def _id_at(ids: Any, row: int) -> str:
    value = ids[row] if not hasattr(ids, "iloc") else ids.iloc[row]
    return str(value.as_py() if hasattr(value, "as_py") else value)


def _blank_cell(name: str, column: np.ndarray) -> Any:
    """An explanation cell of a row not read, as the C++ batch fills one: False, NaN, "" for
    `deciding`, None for other texts."""
    if column.dtype.kind == "b":
        return False
    if column.dtype.kind == "f":
        return np.nan
    return "" if name == "deciding" else None


def refuse_repeated(ids: Any, tiers: np.ndarray, errors: list, place: Callable[[int], str],
                    keep: Optional[Callable[[tuple], bool]] = None,
                    extra: Optional[dict] = None, first_row: int = 0,
                    with_id: bool = False,
                    found: Optional[list[tuple[int, int]]] = None) -> list:
    """`errors` (tuples ``(row, field, message, criterion, ...)``, rows counted from
    `first_row`) with an ``id`` error at each row whose id an earlier row of `ids` gave, in row
    order; those rows lose their tier (-1) and their explanation cells (`extra`). An error the
    row has already that `keep` keeps (a value that could not be read: the CLI refuses such a
    record before it sees its id) stays; any other (a criterion that failed) gives way.
    `place(row)` words the first row ("index 'a'", "row 3"); `with_id`: the errors carry the
    customer id fifth (the Arrow path's); `found`: repeated_rows(ids) when already known."""
    if found is None:
        found = repeated_rows(ids)
    if not found:
        return errors
    if extra is not None:  # explanation texts given as Arrow buffers: as str objects, to blank
        from . import _text_columns

        for name, column in extra.items():
            if _text_columns.is_text_chunks(column):
                extra[name] = _text_columns.arrow_text(column, large=False).to_numpy(
                    zero_copy_only=False)

    by_row = {e[0] - first_row: e for e in errors}
    for row, first in found:
        held = by_row.get(row)
        if held is not None and keep is not None and keep(held):
            continue
        customer = _id_at(ids, row)
        error = (row + first_row, "id", _core.columns.given_twice(customer, place(first)), "")
        by_row[row] = error + ((customer,) if with_id else ())
        tiers[row] = -1
        if extra is not None:
            for name, column in extra.items():
                column[row] = _blank_cell(name, column)
    return [by_row[r] for r in sorted(by_row)]
