"""Classifying customers (Art. 4–6.1): one record, a list of records, or a whole table.

One customer (a dict in the policy's customer schema) gives a :class:`Decision` with the
explanation of every criterion; a pandas DataFrame gives a DataFrame (tier column, and on request
explanation columns); a mapping of numpy arrays gives a numpy array of tier ids. Tables are
handed to the C++ core as columns without per-row Python work, and the GIL is released while
they are classified.
"""

from __future__ import annotations

import datetime as _dt
import html
import json
from typing import Any, Iterable, Mapping, Optional, Union

import numpy as np

from . import _core
from ._errors import InputError
from .policy import Policy, default_policy

DateLike = Union[str, _dt.date, np.datetime64]

__all__ = ["Decision", "Transition", "classify", "classify_columns", "reclassify"]


def _input_error(message: str, field: str = "", row: Optional[int] = None) -> InputError:
    """keyaccount.InputError with the ``field`` and ``row`` attributes the C++ core sets too."""
    exc = InputError(message)
    exc.field, exc.row = field, row  # type: ignore[attr-defined]
    return exc


def _as_of_text(as_of: DateLike) -> str:
    if isinstance(as_of, str):
        return as_of
    if isinstance(as_of, _dt.datetime):
        return as_of.date().isoformat()
    if isinstance(as_of, _dt.date):
        return as_of.isoformat()
    if isinstance(as_of, np.datetime64):
        return str(as_of.astype("datetime64[D]"))
    if hasattr(as_of, "date") and callable(as_of.date):  # pandas.Timestamp
        return as_of.date().isoformat()
    raise TypeError(f"as_of must be a date or 'YYYY-MM-DD', not {type(as_of).__name__}")


def _json_default(value: Any) -> Any:
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"cannot read a value of type {type(value).__name__}")


class Decision:
    """The tier of one customer with the report of every criterion (met or not, observed value,
    target, and for one not met the why-not in English and Chinese). Immutable."""

    def __init__(self, customer_id: str, data: dict[str, Any], text: str) -> None:
        self.customer_id: str = customer_id
        self._data = data
        self._text = text

    @property
    def tier(self) -> str:
        """The tier id (e.g. ``"key"``)."""
        return self._data["tier"]

    @property
    def tier_name(self) -> str:
        return self._data["tier_name"]

    @property
    def tier_name_zh(self) -> str:
        return self._data["tier_name_zh"]

    @property
    def deciding(self) -> list[str]:
        """Criteria that decided: met ones for a tier won, unmet ones for the fallback tier."""
        return list(self._data["deciding"])

    @property
    def criteria(self) -> list[dict[str, Any]]:
        """One dict per criterion (id, name, name_zh, result, met, observed, target, gap,
        why_not, why_not_zh, ...), in policy order."""
        return [dict(c) for c in self._data["criteria"]]

    def criterion(self, criterion_id: str) -> dict[str, Any]:
        """The report of one criterion; KeyError when the policy has no such criterion."""
        for c in self._data["criteria"]:
            if c["id"] == criterion_id:
                return dict(c)
        raise KeyError(criterion_id)

    @property
    def why_not(self) -> list[str]:
        """For each leaf criterion not met: "id: why not"."""
        return [f"{c['id']}: {c['why_not']}" for c in self._data["criteria"]
                if c.get("why_not") and "." in c["id"]]

    def to_dict(self) -> dict[str, Any]:
        """The decision as JSON-ready data (as ``keyaccount classify --explain`` prints it)."""
        return {"id": self.customer_id, **json.loads(json.dumps(self._data))}

    def explain(self) -> str:
        """The explanation as text (Chinese names beside English ids)."""
        return self._text

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return f"<Decision {self.customer_id}: {self.tier}>"

    def _repr_html_(self) -> str:
        e = html.escape
        rows = []
        for c in self._data["criteria"]:
            mark = {"met": "✓", "not_met": "✗"}.get(c["result"], "!")
            observed = c.get("observed", "")
            target = c.get("target", c.get("requirement", ""))
            rows.append(
                f"<tr><td>{mark}</td><td>{e(c['id'])}</td><td>{e(c['name_zh'])} "
                f"({e(c['name'])})</td><td>{e(str(observed))}</td><td>{e(str(target))}</td>"
                f"<td>{e(c.get('why_not', ''))}<br>{e(c.get('why_not_zh', ''))}</td></tr>")
        return (f"<div><b>{e(self.customer_id)}</b>: <b>{e(self.tier)}</b> "
                f"{e(self.tier_name_zh)} ({e(self.tier_name)})"
                "<table><thead><tr><th></th><th>criterion</th><th>name</th><th>observed</th>"
                "<th>target</th><th>why not</th></tr></thead><tbody>" + "".join(rows) +
                "</tbody></table></div>")


class Transition:
    """Re-classification against the previous tier (Art. 6.1) and the profile card status."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    kind = property(lambda self: self._data["kind"],
                    doc="'promoted', 'demoted', 'unchanged' or 'pending_demotion'")
    tier = property(lambda self: self._data["tier"], doc="the tier the customer holds now")
    evaluated_tier = property(lambda self: self._data["evaluated_tier"])
    previous_tier = property(lambda self: self._data["previous_tier"])
    consecutive_failures = property(lambda self: self._data["consecutive_failures"],
                                    doc="to pass back at the next evaluation")
    reasons = property(lambda self: list(self._data["reasons"]))
    profile_card = property(lambda self: dict(self._data["profile_card"]))

    def to_dict(self) -> dict[str, Any]:
        return json.loads(json.dumps(self._data))

    def __repr__(self) -> str:
        return f"<Transition {self.previous_tier} -> {self.tier} ({self.kind})>"


_default: dict[str, Any] = {}


def _default_policy() -> Policy:
    if "policy" not in _default:
        _default["policy"] = default_policy()
    return _default["policy"]


def _classifier(policy: Optional[Policy]) -> Any:
    policy = policy or _default_policy()
    cached = getattr(policy, "_classifier", None)
    if cached is None:
        cached = _core.Classifier(policy._handle)
        policy._classifier = cached
    return cached


def _fields(policy: Optional[Policy]) -> dict[str, dict[str, Any]]:
    policy = policy or _default_policy()
    schema = policy._section("customer_schema") or {}
    return {f["id"]: f for f in schema.get("fields", [])}


def _decision(core: Any, record: Mapping[str, Any], as_of: str, index: Optional[int]) -> Decision:
    try:
        text = json.dumps(dict(record), ensure_ascii=False, default=_json_default)
    except TypeError as exc:
        raise _input_error(str(exc), "", index) from None
    try:
        data = json.loads(core.explain_json(text, as_of))
        explanation = core.explain_text(text, as_of)
    except InputError as exc:
        if index is not None:
            exc.row = index
            exc.args = (f"record {index}: {exc.args[0]}",)
        raise
    return Decision(str(record.get("id", "")), data, explanation)


# ---------------------------------------------------------------------------------------------
# Tables


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
    offsets, flat, rows = [np.zeros(1, dtype=np.int64)], [], 0
    for c in chunks:
        if c.null_count:
            row = rows + int(np.flatnonzero(c.is_null().to_numpy(zero_copy_only=False))[0])
            raise _input_error(f"{name}: row {row}: expected a list of numbers", name, row)
        own = c.offsets.to_numpy().astype(np.int64)  # this slice's, into the unsliced values
        # A null month becomes NaN, which the batch reports as not a finite number (located).
        flat.append(c.values.to_numpy(zero_copy_only=False)[own[0]:own[-1]])
        offsets.append(own[1:] - own[0] + offsets[-1][-1])
        rows += len(c)
    values = flat[0] if len(flat) == 1 else np.concatenate(flat) if flat else np.zeros(0)
    return tuple(_core.series_from_offsets(np.concatenate(offsets), values, name))  # type: ignore


def _date_days(name: str, values: Any) -> np.ndarray:
    """A date column as int32 days since 1970-01-01 (INT32_MIN for missing), vectorised."""
    arrow = _arrow_strings(values)
    if arrow is not None:
        return _core.arrow_date_days(arrow, name)
    arr = np.asarray(values)
    if arr.dtype.kind == "M":
        days = arr.astype("datetime64[D]")
    elif arr.dtype.kind in "OUT":
        # Strings (the usual case) are parsed in C++; other objects fall through to pandas.
        fast = _core.date_days(arr.astype(object, copy=False), name)
        if fast is not None:
            return fast
        return _date_days_pandas(name, arr)
    else:
        return _date_days_pandas(name, arr)
    out = days.astype(np.int64)
    missing = np.isnat(days)
    return np.where(missing, np.iinfo(np.int32).min, out).astype(np.int32)


def _date_days_pandas(name: str, arr: np.ndarray) -> np.ndarray:
    """Dates given as other objects (datetime.date, Timestamp, ...) converted by pandas."""
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is a test dependency
        days = arr.astype("datetime64[D]")
    else:
        series = pd.Series(arr, dtype=object)
        parsed = pd.to_datetime(series, format="%Y-%m-%d", errors="coerce")
        bad = parsed.isna() & series.notna()
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise _input_error(f"{name}: row {row}: invalid date {series.iloc[row]!r} "
                               "(expected YYYY-MM-DD)", name, row)
        days = parsed.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    out = days.astype(np.int64)
    missing = np.isnat(days)
    return np.where(missing, np.iinfo(np.int32).min, out).astype(np.int32)


def _categories(name: str, values: Any) -> tuple[np.ndarray, list[str]]:
    arrow = _arrow_strings(values)
    if arrow is not None:
        codes, cats = _core.arrow_category_codes(arrow, name)
        return codes, list(cats)
    objects = values.to_numpy(dtype=object) if hasattr(values, "to_numpy") else \
        np.asarray(values, dtype=object)
    fast = _core.category_codes(objects)  # strings: coded in C++
    if fast is not None:
        codes, cats = fast
        return codes, [str(c) for c in cats]
    try:
        import pandas as pd
        cat = pd.Categorical(values)
        return np.asarray(cat.codes, dtype=np.int32), [str(c) for c in cat.categories]
    except ImportError:  # pragma: no cover
        uniques, codes = np.unique(np.asarray(values, dtype=str), return_inverse=True)
        return codes.astype(np.int32), [str(u) for u in uniques]


def _series(name: str, values: Any, lengths: Any = None) -> tuple[np.ndarray, Optional[np.ndarray]]:
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
        return block, None if lengths is None else np.asarray(lengths, dtype=np.int64)
    arrow = _arrow_list_block(name, values)
    if arrow is not None:
        return arrow
    if hasattr(values, "to_numpy"):
        values = values.to_numpy(dtype=object)
    return tuple(_core.series_block(values, name))  # type: ignore[return-value]


def _columns(policy: Optional[Policy], data: Mapping[str, Any], rows: int,
             lengths: Optional[Mapping[str, Any]] = None) -> dict[str, tuple]:
    fields = _fields(policy)
    used = set(_classifier(policy).fields_used)
    columns: dict[str, tuple] = {}
    for name in used:
        if name not in data:
            continue  # the C++ core reports a missing required column
        f = fields[name]
        col = data[name]
        kind = f["type"]
        if kind == "number":
            arr = col.to_numpy(dtype=np.float64, na_value=np.nan) if hasattr(col, "to_numpy") \
                else np.asarray(col, dtype=np.float64)
            columns[name] = ("numbers", arr)
        elif kind == "int":
            columns[name] = ("integers", np.asarray(col, dtype=np.int64))
        elif kind == "bool":
            columns[name] = ("booleans", np.asarray(col, dtype=np.uint8))
        elif kind == "date":
            columns[name] = ("dates", _date_days(name, col), int(np.iinfo(np.int32).min))
        elif kind == "series":
            block, lens = _series(name, col, (lengths or {}).get(name))
            columns[name] = ("series", block, lens)
        elif kind in ("string", "enum", "person"):
            codes, cats = _categories(name, col)
            columns[name] = ("categories", codes, cats)
        else:
            raise _input_error(f"{name}: a {kind} field cannot be a table column", name)
    return columns


def _raise_first(errors: list, on_error: str) -> None:
    if errors and on_error == "raise":
        row, field, message = errors[0]
        more = f" (and {len(errors) - 1} more bad rows)" if len(errors) > 1 else ""
        raise _input_error(f"row {row}: {field}: {message}{more}", field, row)


def classify_columns(columns: Mapping[str, Any], as_of: DateLike, *,
                     policy: Optional[Policy] = None, lengths: Optional[Mapping[str, Any]] = None,
                     threads: int = 1, on_error: str = "raise") -> np.ndarray:
    """Classify a table given as numpy arrays, one per customer field. A series is a 2-D array
    (rows × months, oldest first; right-padded with NaN or with ``lengths[field]``) or a
    sequence of lists. Returns the tier id of each row (``""`` for a bad row when
    ``on_error="skip"``)."""
    rows = _row_count(columns)
    tiers, errors, _ = _classifier(policy).classify_columns(
        rows, _columns(policy, columns, rows, lengths), _as_of_text(as_of), threads, False)
    _raise_first(errors, on_error)
    ids = np.array(list(_classifier(policy).tier_ids) + [""], dtype=object)
    return ids[tiers]


def _row_count(columns: Mapping[str, Any]) -> int:
    for value in columns.values():
        return len(value)
    return 0


def _classify_frame(frame: Any, as_of: str, policy: Optional[Policy], explain: bool,
                    threads: int, on_error: str) -> Any:
    import pandas as pd

    core = _classifier(policy)
    rows = len(frame)
    tiers, errors, extra = core.classify_columns(
        rows, _columns(policy, frame, rows), as_of, threads, explain)
    _raise_first(errors, on_error)
    ids = np.array(list(core.tier_ids) + [None], dtype=object)
    out: dict[str, Any] = {}
    if "id" in frame.columns:
        out["id"] = frame["id"].array  # no conversion to objects
    out["tier"] = pd.Categorical.from_codes(tiers, categories=list(core.tier_ids))  # -1: none
    if errors:
        messages = np.full(rows, None, dtype=object)
        for row, field, message in errors:
            messages[row] = f"{field}: {message}"
        out["error"] = messages
    if explain and extra is not None:
        out["deciding"] = extra.pop("deciding")
        out.update(extra)
    return pd.DataFrame(out, index=frame.index, copy=False)  # the columns are new already


def classify(data: Any, as_of: DateLike, *, policy: Optional[Policy] = None,
             explain: bool = False, threads: int = 1, on_error: str = "raise") -> Any:
    """Classify customers with ``policy`` (default: the embedded default policy) on ``as_of``.

    - a dict (one customer record) → :class:`Decision` (always explained);
    - a list of dicts → list of :class:`Decision`;
    - a pandas DataFrame (one column per field; a series as a list column) → DataFrame with
      ``id`` (when present) and ``tier``, plus with ``explain=True`` per criterion
      ``<id>.met / .observed / .target / .margin / .gap / .why_not / .why_not_zh`` and
      ``deciding``. The C++ core classifies the columns with the GIL released, on ``threads``
      threads.

    Malformed input raises :class:`keyaccount.InputError` naming the field (and row); with
    ``on_error="skip"`` a table's bad rows get no tier and an ``error`` column instead.
    """
    if on_error not in ("raise", "skip"):
        raise ValueError("on_error must be 'raise' or 'skip'")
    as_of_text = _as_of_text(as_of)
    core = _classifier(policy)
    if isinstance(data, Mapping):
        return _decision(core, data, as_of_text, None)
    if type(data).__name__ == "DataFrame":
        return _classify_frame(data, as_of_text, policy, explain, threads, on_error)
    if isinstance(data, Iterable) and not isinstance(data, (str, bytes)):
        return [_decision(core, record, as_of_text, i) for i, record in enumerate(data)]
    raise TypeError("classify expects a dict, a list of dicts or a pandas DataFrame, not "
                    f"{type(data).__name__}")


def reclassify(record: Mapping[str, Any], as_of: DateLike, previous_tier: str,
               consecutive_failures: int = 0, *, policy: Optional[Policy] = None) -> Transition:
    """Art. 6.1: the transition from ``previous_tier`` (promoted / demoted / unchanged /
    pending_demotion under the policy's grace rule ``demote_after_failures``) and the profile
    card's completeness and age."""
    text = json.dumps(dict(record), ensure_ascii=False, default=_json_default)
    return Transition(json.loads(_classifier(policy).reclassify_json(
        text, _as_of_text(as_of), previous_tier, consecutive_failures)))


def _policy_classify(self: Policy, data: Any, as_of: DateLike, **kwargs: Any) -> Any:
    return classify(data, as_of, policy=self, **kwargs)


def _policy_reclassify(self: Policy, record: Mapping[str, Any], as_of: DateLike,
                       previous_tier: str, consecutive_failures: int = 0) -> Transition:
    return reclassify(record, as_of, previous_tier, consecutive_failures, policy=self)


_policy_classify.__doc__ = classify.__doc__
_policy_reclassify.__doc__ = reclassify.__doc__
Policy.classify = _policy_classify  # type: ignore[attr-defined]
Policy.reclassify = _policy_reclassify  # type: ignore[attr-defined]
