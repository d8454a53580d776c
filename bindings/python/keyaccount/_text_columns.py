"""Explanation text columns without a Python object per cell (issue 18, item 4).

With ``explain=True`` the C++ batch can hand each text column (``<id>.why_not``,
``.why_not_zh``, ``.result``, ``.error``, ``deciding``) over as Arrow buffers, one chunk per range
of rows it explained: (offsets, UTF-8 data, validity bitmap or None, null count), numpy arrays
sized exactly. These functions say which form the caller's result needs and wrap the chunks as
pyarrow arrays (``pa.Array.from_buffers`` over the numpy memory: no copy) and, for pandas, as the
Arrow-backed string array pandas itself would have made from the strings, so the result's
dtypes are what they were with one ``str`` per cell. Without pyarrow, or with a pandas whose
strings are not Arrow-backed, the batch makes object arrays of ``str`` as before ("objects").
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np


def _pyarrow() -> Any:
    try:
        import pyarrow as pa
    except ImportError:
        return None
    return pa


def pandas_text_dtype() -> Optional[Any]:
    """The dtype pandas gives a column of ``str`` objects when it is its Arrow-backed string
    dtype over ``large_string`` (pandas 3's default ``str``; ``string[pyarrow]``), else None:
    the result is then made of object columns, as pandas would keep them."""
    import pandas as pd

    dtype = pd.DataFrame({"x": np.array(["x"], dtype=object)})["x"].dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow" and _pyarrow():
        return dtype
    return None


def text_mode_for_arrow() -> str:
    """The ``text`` argument of ``classify_arrow`` for a pyarrow / Polars result (pyarrow's
    ``string``, as ``pa.array`` makes from ``str`` objects), or objects without pyarrow."""
    return "string" if _pyarrow() is not None else "objects"


def is_text_chunks(column: Any) -> bool:
    """Whether an explanation column came as Arrow chunks (a list) rather than an array."""
    return isinstance(column, list)


def arrow_text(chunks: list, large: bool) -> Any:
    """The chunks as one ``pa.ChunkedArray`` of ``string`` / ``large_string``, no copy."""
    pa = _pyarrow()
    kind = pa.large_string() if large else pa.string()
    arrays = []
    for offsets, data, validity, nulls in chunks:
        buffers = [None if validity is None else pa.py_buffer(validity), pa.py_buffer(offsets),
                   pa.py_buffer(data)]
        arrays.append(pa.Array.from_buffers(kind, len(offsets) - 1, buffers, null_count=nulls))
    return pa.chunked_array(arrays, type=kind)


def pandas_text(chunks: list, dtype: Any) -> Any:
    """The chunks as the pandas array of `dtype` (pandas_text_dtype()), over the same buffers."""
    import pandas as pd

    return pd.arrays.ArrowStringArray(arrow_text(chunks, large=True), dtype=dtype)
