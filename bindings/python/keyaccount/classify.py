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
import sys
from typing import Any, Iterable, Iterator, Mapping, Optional, Sequence, Union

import numpy as np

from . import _core
from . import _text_columns
from ._errors import ArgumentError, EvaluationError, InputError
from ._errors import located_input_error as _input_error
from ._jsontext import dotted, first_unwritable
from ._repeated import refuse_repeated, repeated_rows
from ._table import _Converted, _convert
from .policy import Policy, resolve_policy, warn_if_not_in_force

DateLike = Union[str, _dt.date, np.datetime64]

__all__ = ["Decision", "Transition", "classify", "classify_columns", "iter_classify",
           "reclassify"]


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
        why_not, why_not_zh, ..., and ``leaf``: a condition rather than an any / all of other
        criteria), in policy order."""
        return [dict(c) for c in self._data["criteria"]]

    def criterion(self, criterion_id: str) -> dict[str, Any]:
        """The report of one criterion; KeyError when the policy has no such criterion."""
        for c in self._data["criteria"]:
            if c["id"] == criterion_id:
                return dict(c)
        raise KeyError(criterion_id)

    @property
    def provenance(self) -> dict[str, str]:
        """Which policy made the decision, and when: ``policy_id``, ``policy_version``,
        ``policy_hash`` (SHA-256 of its canonical JSON, :attr:`Policy.content_hash`), ``as_of``
        and ``keyaccount_version``."""
        return dict(self._data["provenance"])

    @property
    def why_not(self) -> list[str]:
        """For each leaf criterion (a condition, not an any / all of others) not met:
        "id: why not"."""
        return [f"{c['id']}: {c['why_not']}" for c in self._data["criteria"]
                if c.get("why_not") and c.get("leaf", False)]

    def to_dict(self) -> dict[str, Any]:
        """The decision as JSON-ready data (as ``keyaccount classify --explain`` prints it)."""
        data = json.loads(json.dumps(self._data))
        for c in data.get("criteria", []):
            c.pop("leaf", None)  # the binding's addition, not in the CLI's format
        return {"id": self.customer_id, **data}

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


def _classifier(policy: Optional[Policy]) -> Any:
    policy = resolve_policy(policy)
    cached = getattr(policy, "_classifier", None)
    if cached is None:
        cached = _core.classify.Classifier(policy._handle)
        policy._classifier = cached
    return cached


def _fields(policy: Optional[Policy]) -> dict[str, dict[str, Any]]:
    policy = resolve_policy(policy)
    schema = policy._section("customer_schema") or {}
    return {f["id"]: f for f in schema.get("fields", [])}


def _cell(key: str, value: Any, index: Optional[int], kind: Optional[str] = None) -> Any:
    """One value of a record made ready for JSON: NaN, pandas' NA and NaT mean no value (as
    None does: absent for an optional field, "required value is missing" for a required one);
    infinities, which JSON cannot carry, are refused naming the field (and the month). A date
    object is a date only: for a field of another type (`kind`) it is refused in the C++ table
    reader's words, as in a column (JSON would carry it as text)."""
    if _core.columns.is_missing(value):
        return None
    where = f"record {index}: " if index is not None else ""
    if kind not in (None, "date", "series", "string_list", "object") and \
            not isinstance(value, (str, int, float)) and \
            _core.columns.kind_of(value) == "a date":
        raise _input_error(f"{where}{key}: expected {_core.columns.expected_words(kind)}, got a "
                           "date", key, index)
    if isinstance(value, (float, np.floating)):
        if not np.isfinite(value):
            raise _input_error(f"{where}{key}: {_core.columns.NOT_FINITE}", key, index)
    elif isinstance(value, (list, tuple, np.ndarray)):
        for j, x in enumerate(value):
            if isinstance(x, (float, np.floating)) and not np.isfinite(x):
                raise _input_error(f"{where}{key}[{j}]: {_core.columns.NOT_FINITE}",
                                   f"{key}[{j}]", index)
    return value


#: The type of each item of a list field (the C++ core words what it expects of it).
_ITEM = {"series": "number", "string_list": "string"}


def _unreadable(field: str, value: Any, kind: Optional[str]) -> Optional[tuple[str, str]]:
    """(path, problem) of the first value in a field's `value` that JSON cannot carry (a
    Decimal, a Fraction, any other object), or None. `kind` is the field's type in the customer
    schema: it words the problem for the field's value or an item of its list."""
    found = first_unwritable(value, _json_default)
    if found is None:
        return None
    parts, bad = found
    path = dotted(field, parts)
    item = len(parts) == 1 and parts[0].startswith("[")
    of = _ITEM.get(kind or "") if item else kind
    if of is None or len(parts) > 1:
        return path, f"cannot read a value of type {type(bad).__name__}"
    return path, f"expected {_core.columns.expected_words(of)}, got {_core.columns.kind_of(bad)}"


def _record_json(record: Mapping[str, Any], index: Optional[int] = None,
                 fields: Optional[Mapping[str, dict[str, Any]]] = None) -> str:
    """A record as the JSON text the C++ core reads; a value JSON cannot carry is an
    InputError naming its field (and item), never a bare "not valid JSON"."""
    where = f"record {index}: " if index is not None else ""
    if not isinstance(record, Mapping):
        raise _input_error(f"{where}expected a dict (one customer record), got "
                           f"{type(record).__name__}", "", index)
    cells = {k: _cell(str(k), v, index, (fields or {}).get(str(k), {}).get("type"))
             for k, v in record.items()}
    try:
        return json.dumps(cells, ensure_ascii=False, default=_json_default, allow_nan=False)
    except (TypeError, ValueError) as exc:
        for k, v in cells.items():
            found = _unreadable(str(k), v, (fields or {}).get(str(k), {}).get("type"))
            if found:
                path, problem = found
                raise _input_error(f"{where}{path}: {problem}", path, index) from None
        raise _input_error(f"{where}{exc}", "", index) from None


def _decision(core: Any, record: Mapping[str, Any], as_of: str, index: Optional[int],
              fields: Optional[Mapping[str, dict[str, Any]]] = None) -> Decision:
    text = _record_json(record, index, fields)
    try:
        data = json.loads(core.explain_json(text, as_of))
        explanation = core.explain_text(text, as_of)
    except (InputError, EvaluationError) as exc:
        if index is not None:
            exc.row = index  # type: ignore[union-attr]
            exc.args = (f"record {index}: {exc.args[0]}",)
        raise
    return Decision(str(record.get("id", "")), data, explanation)


# ---------------------------------------------------------------------------------------------
# Tables


def _columns(policy: Optional[Policy], data: Mapping[str, Any], rows: int,
             lengths: Optional[Mapping[str, Any]] = None) -> dict[str, tuple]:
    """The columns alone, for a table the conversion found nothing wrong with (benchmarks)."""
    converted = _convert_for(policy, data, rows, lengths)
    if converted.problems.found or converted.missing:
        raise _input_error("the table has bad or missing values; use classify_columns")
    return converted.columns


def _convert_for(policy: Optional[Policy], data: Mapping[str, Any], rows: int,
                 lengths: Optional[Mapping[str, Any]] = None) -> _Converted:
    return _convert(_fields(policy), set(_classifier(policy).fields_used), data, rows, lengths)


def _run(core: Any, converted: _Converted, rows: int, as_of: str, threads: int,
         explain: bool, on_error: str, locate: Any = None,
         text: str = "objects", ids: Any = None,
         place: Any = None) -> tuple[np.ndarray, list, Optional[dict]]:
    """Classifies the converted table in one C++ call: (tier indices, -1 for a bad row;
    [(row, field, message, criterion)] in row order; explanation columns or None, their text
    columns as `text` asks, see _text_columns). Absent values of int / bool / series columns
    travel as masks beside their arrays; rows the conversion found bad are classified on
    placeholders, then given the conversion's error instead (and explained as rows not read).
    A row whose id (`ids`) an earlier row gave is refused, the first named by `place(row)`, and
    explained as a row not read."""
    columns = converted.columns
    if converted.missing:
        columns = dict(columns)
        for name, mask in converted.missing.items():
            columns[name] = tuple(columns[name]) + (np.ascontiguousarray(mask, dtype=np.uint8),)
    bad = converted.problems.bad_mask(rows)
    repeats = repeated_rows(ids)
    blank = bad
    if explain and repeats:  # explained as rows not read, by the C++ batch
        blank = np.zeros(rows, dtype=bool) if bad is None else bad.copy()
        blank[[row for row, _ in repeats]] = True
    tiers, errors, extra = core.classify_columns(rows, columns, as_of, threads, explain, text,
                                                 blank if explain else None)
    if bad is not None:
        tiers[bad] = -1
        errors = [e for e in errors if not bad[e[0]]]
        errors.extend((row, field, message, "") for row, field, message in
                      converted.problems.errors(only_first=on_error == "raise"))
        errors.sort(key=lambda e: e[0])
    if repeats:
        errors = refuse_repeated(ids, tiers, errors, place or _row_place,
                                 lambda e: bad is not None and bool(bad[e[0]]), found=repeats)
    _raise_first(errors, on_error, locate)
    return tiers, errors, extra


def _row_place(row: int) -> str:
    return f"row {row}"


def _read_error(error: tuple) -> bool:
    """An Arrow row's error that is not a criterion's: its value could not be read."""
    return not error[3]


def _error_text(field: str, message: str, criterion: str) -> str:
    """A row error in words: "field: problem", or for a criterion that could not be evaluated
    "criterion art-5.1 could not be evaluated: cause" (its field is empty). Worded by the C++
    core, which Spark's SQL engine words its errors with too."""
    return _core.classify.row_error_text(field, message, criterion)


def _raise_first(errors: list, on_error: str, locate: Any = None) -> None:
    """Raises the first row error when on_error="raise". `locate(row)` gives (the row's place
    in words, its index label, its customer id): a DataFrame's row is named by its index
    label, never its position, and by the customer's id where it has one."""
    if errors and on_error == "raise":
        row, field, message, criterion = errors[0][:4]
        where, label, customer = locate(row) if locate else (f"row {row}", row, None)
        more = f" (and {len(errors) - 1} more bad rows)" if len(errors) > 1 else ""
        if criterion:
            exc: Exception = EvaluationError(
                f"{where}: {_error_text(field, message, criterion)}{more}", criterion, message,
                row, customer)
        else:
            exc = _input_error(f"{where}: {field}: {message}{more}", field, row)
            exc.id = customer  # type: ignore[attr-defined]
        exc.index = label  # type: ignore[attr-defined]
        raise exc


_ON_ERROR = ("raise", "skip")


def _check_on_error(on_error: Any) -> None:
    if on_error not in _ON_ERROR:
        raise ArgumentError(f"on_error must be one of {', '.join(map(repr, _ON_ERROR))}, "
                         f"not {on_error!r}")


def classify_columns(columns: Mapping[str, Any], as_of: DateLike, *,
                     policy: Optional[Policy] = None, lengths: Optional[Mapping[str, Any]] = None,
                     threads: int = 1, on_error: str = "raise") -> np.ndarray:
    """Classify a table given as numpy arrays, one per customer field. A series is a 2-D array
    (rows × months, oldest first; right-padded with NaN or with ``lengths[field]``) or a
    sequence of lists. Returns the tier id of each row (``""`` for a bad row when
    ``on_error="skip"``). Values are checked as for one record: a bad value raises
    :class:`keyaccount.InputError` naming the field and the first bad row (``on_error="raise"``)
    or leaves its row without a tier (``"skip"``)."""
    _check_on_error(on_error)
    threads = _check_threads(threads)
    core = _classifier(policy)
    columns = _arrow_columns(columns)
    if not isinstance(columns, Mapping) and (hasattr(columns, "__arrow_c_stream__")
                                             or hasattr(columns, "__arrow_c_array__")):
        as_of_text = _as_of_text(as_of)
        warn_if_not_in_force(policy, as_of_text, stacklevel=2)
        own_ids = _id_column(columns)
        tiers, errors, ids, _ = core.classify_arrow(_arrow_capsules(columns), as_of_text,
                                                    threads, False, 0, own_ids is None)
        errors = refuse_repeated(own_ids if own_ids is not None else ids, tiers, errors,
                                 _row_place, _read_error, with_id=True)
        _raise_first(errors, on_error, _arrow_locator(errors))
        ids = np.array(list(core.tier_ids) + [""], dtype=object)
        return ids[tiers]
    rows = _row_count(columns)
    converted = _convert_for(policy, columns, rows, lengths)
    as_of_text = _as_of_text(as_of)
    warn_if_not_in_force(policy, as_of_text, stacklevel=2)
    tiers, _, _ = _run(core, converted, rows, as_of_text, threads, False, on_error,
                       ids=columns.get("id"))
    ids = np.array(list(core.tier_ids) + [""], dtype=object)
    return ids[tiers]


def _arrow_columns(columns: Any) -> Any:
    """A mapping whose columns are all Arrow arrays (pyarrow Array / ChunkedArray, Polars
    Series: anything with the Arrow PyCapsule interface but numpy and pandas objects) as one
    pyarrow Table, read like any Arrow table; anything else as it is."""
    if not isinstance(columns, Mapping) or not columns:
        return columns
    pd = sys.modules.get("pandas")
    for value in columns.values():
        if isinstance(value, np.ndarray) or (pd is not None and isinstance(
                value, (pd.Series, pd.Index, pd.api.extensions.ExtensionArray))):
            return columns
        if not (hasattr(value, "__arrow_c_stream__") or hasattr(value, "__arrow_c_array__")):
            return columns
    import pyarrow as pa  # the columns are Arrow arrays: their producer can export them

    return pa.table({str(k): pa.chunked_array(v) for k, v in columns.items()})


def _row_count(columns: Mapping[str, Any]) -> int:
    """The number of rows: the length of the first column (each is checked against it)."""
    if not isinstance(columns, Mapping):
        raise TypeError("classify_columns expects a mapping {field: column}, not "
                        f"{type(columns).__name__}")
    for name, value in columns.items():
        if isinstance(value, (str, bytes)) or np.ndim(value) == 0 or not hasattr(value, "__len__"):
            raise _input_error(f"{name}: expected a column (an array or a sequence, one value "
                               f"per row), got {type(value).__name__}", str(name))
        return len(value)
    return 0


def _check_threads(threads: Any) -> int:
    if isinstance(threads, bool) or not isinstance(threads, (int, np.integer)) or threads < 0:
        raise ArgumentError(f"threads must be a whole number >= 0 (0: one per core), not {threads!r}")
    return int(threads)


def _unknown_columns(names: Iterable[Any], fields: Mapping[str, Any]) -> None:
    """One rule for a table's columns, as for the CLI's CSV header and a record dict's keys: a
    column the customer schema does not declare is refused, named (never silently dropped)."""
    for name in names:
        if str(name) not in fields:
            raise _input_error(f"{name}: unknown column (not in the policy's customer schema; "
                               "drop it or select the schema's fields first)", str(name))


def _frame_locator(frame: Any) -> Any:
    """row position → (its place in words, index label, customer id or None)."""
    ids = frame["id"] if "id" in frame.columns else None

    def locate(row: int) -> tuple[str, Any, Optional[str]]:
        label = frame.index[row]
        if isinstance(label, np.generic):
            label = label.item()
        customer = ids.iloc[row] if ids is not None else None
        customer = customer if isinstance(customer, str) and customer else None
        return (f"index {label!r}" + (f" (id {customer})" if customer else ""), label, customer)

    return locate


def _relocate(exc: InputError, locate: Any, rows: int) -> None:
    """A conversion's InputError ("field: row N: problem", N a position) reworded to name the
    row by `locate` (its index label and id)."""
    row = getattr(exc, "row", None)
    if not isinstance(row, (int, np.integer)) or isinstance(row, bool) or not 0 <= row < rows:
        return
    field = getattr(exc, "field", "") or ""
    text = str(exc.args[0]) if exc.args else ""
    problem = text.split(f"row {row}: ", 1)[-1]
    if problem.startswith(f"{field}: "):
        problem = problem[len(field) + 2:]
    where, label, customer = locate(int(row))
    exc.args = (f"{where}: {field}: {problem}" if field else f"{where}: {problem}",)
    exc.index, exc.id = label, customer  # type: ignore[attr-defined]


def _classify_frame(frame: Any, as_of: str, policy: Optional[Policy], explain: bool,
                    threads: int, on_error: str) -> Any:
    import pandas as pd

    core = _classifier(policy)
    rows = len(frame)
    twice = frame.columns[frame.columns.duplicated()]
    if len(twice):
        name = str(twice[0])
        raise _input_error(f"{name}: the column appears twice", name)
    _unknown_columns(frame.columns, _fields(policy))
    locate = _frame_locator(frame)
    try:
        converted = _convert_for(policy, frame, rows)
    except InputError as exc:
        _relocate(exc, locate, rows)
        raise
    # With pandas' Arrow-backed strings, the text columns come as Arrow buffers (no str per cell).
    text_dtype = _text_columns.pandas_text_dtype() if explain else None
    tiers, errors, extra = _run(core, converted, rows, as_of, threads, explain, on_error, locate,
                                "large_string" if text_dtype is not None else "objects",
                                frame["id"] if "id" in frame.columns else None,
                                lambda row: f"index {locate(row)[1]!r}")
    out: dict[str, Any] = {}
    if "id" in frame.columns:
        out["id"] = frame["id"].array  # no conversion to objects
    out["tier"] = pd.Categorical.from_codes(tiers, categories=list(core.tier_ids))  # -1: none
    if errors:
        out["error"] = _error_column(errors, rows)
    if explain and extra is not None:
        out["deciding"] = extra.pop("deciding")
        out.update(extra)
        for name, column in out.items():
            if _text_columns.is_text_chunks(column):
                out[name] = _text_columns.pandas_text(column, text_dtype)
    result = pd.DataFrame(out, index=frame.index, copy=False)  # the columns are new already
    # Which policy made these decisions, and when (docs/impact.md, "Provenance").
    result.attrs["provenance"] = json.loads(core.provenance_json(as_of))
    return result


def _error_column(errors: list, rows: int) -> np.ndarray:
    messages = np.full(rows, None, dtype=object)
    for row, field, message, criterion in (e[:4] for e in errors):
        messages[row] = _error_text(field, message, criterion)
    return messages


# ---------------------------------------------------------------------------------------------
# Arrow tables (Polars, pyarrow, DuckDB, ...): read in C++ through the Arrow C stream interface


def _pandas_frame(data: Any) -> bool:
    """Whether `data` is a pandas DataFrame (asked only when pandas is imported already)."""
    pd = sys.modules.get("pandas")
    return pd is not None and isinstance(data, pd.DataFrame)


def _arrow_capsules(data: Any) -> Any:
    """The PyCapsule(s) an Arrow-capable object exports, or None."""
    if hasattr(data, "__arrow_c_stream__"):
        return data.__arrow_c_stream__()
    if hasattr(data, "__arrow_c_array__"):
        return data.__arrow_c_array__()
    return None


def _arrow_locator(errors: list) -> Any:
    ids = {e[0]: e[4] for e in errors}

    def locate(row: int) -> tuple[str, Any, Optional[str]]:
        customer = ids.get(row)
        return (f"row {row}" + (f" (id {customer})" if customer else ""), row, customer)

    return locate


def _classify_arrow(data: Any, as_of: str, policy: Optional[Policy], explain: bool,
                    threads: int, on_error: str, first_row: int = 0) -> Any:
    core = _classifier(policy)
    capsules = _arrow_capsules(data)
    # A table read again costs nothing: its own id column is the result's (no copy); a stream
    # is read once, so the C++ reader hands its ids over.
    own_ids = _id_column(data)
    tiers, errors, ids, extra = core.classify_arrow(capsules, as_of, threads, explain, first_row,
                                                    own_ids is None,
                                                    _text_columns.text_mode_for_arrow())
    errors = refuse_repeated(own_ids if own_ids is not None else ids, tiers, errors,
                             lambda row: f"row {row + first_row}", _read_error, extra, first_row,
                             with_id=True)
    _raise_first(errors, on_error, _arrow_locator(errors))
    columns: dict[str, Any] = {}
    if own_ids is not None:
        columns["id"] = own_ids
    elif ids is not None:
        columns["id"] = ids
    columns["tier"] = tiers  # codes into the policy's tiers, -1: none
    if errors or on_error == "skip":  # always with "skip": pieces of one table alike
        columns["error"] = _error_column([(e[0] - first_row,) + tuple(e[1:]) for e in errors],
                                         len(tiers))
    if explain and extra is not None:
        columns["deciding"] = extra.pop("deciding")
        columns.update(extra)
    return _table_like(data, columns, list(core.tier_ids))


def _id_column(data: Any) -> Any:
    """The `id` column of a Polars frame or a pyarrow Table / RecordBatch, else None."""
    pl, pa = sys.modules.get("polars"), sys.modules.get("pyarrow")
    if pl is not None and isinstance(data, pl.DataFrame) and "id" in data.columns:
        return data["id"]
    if pa is not None and isinstance(data, (pa.Table, pa.RecordBatch)) and \
            "id" in data.column_names:
        return data.column("id")
    return None


def _table_like(data: Any, columns: dict[str, Any], tier_ids: list[str]) -> Any:
    """The result columns as the caller's kind of table: a Polars frame for a Polars frame, a
    pyarrow Table for pyarrow input and any other Arrow stream (DuckDB...), or the dict of numpy
    columns when pyarrow is not installed. `tier` is categorical (Polars Enum, Arrow
    dictionary) over the policy's tiers."""
    names = np.array(tier_ids + [None], dtype=object)
    pl = sys.modules.get("polars")
    polars = pl is not None and isinstance(data, pl.DataFrame)
    try:
        import pyarrow as pa
    except ImportError:
        if polars:
            return pl.DataFrame([
                v if isinstance(v, pl.Series) else
                pl.Series(k, names[v].tolist(), dtype=pl.Enum(tier_ids)) if k == "tier" else
                pl.Series(k, v.tolist(), dtype=pl.String) if v.dtype == object else
                pl.Series(k, v) for k, v in columns.items()])
        return {**columns, "tier": names[columns["tier"]]}
    arrays = {}
    for name, values in columns.items():
        if _text_columns.is_text_chunks(values):  # explanation texts as Arrow buffers
            arrays[name] = _text_columns.arrow_text(values, large=False)
        elif not isinstance(values, np.ndarray):  # the input's own id column
            arrays[name] = values.to_arrow() if polars else values
        elif name == "tier":
            arrays[name] = pa.DictionaryArray.from_arrays(
                pa.array(values, mask=values < 0), pa.array(tier_ids, type=pa.string()))
        elif values.dtype == object:
            arrays[name] = pa.array(values, type=pa.string())
        else:
            arrays[name] = pa.array(values)
    table = pa.table(arrays)
    if polars:
        frame = pl.from_arrow(table)
        return frame.with_columns(pl.col("tier").cast(pl.String).cast(pl.Enum(tier_ids)))
    return table


def classify(data: Any, as_of: DateLike, *, policy: Optional[Policy] = None,
             explain: bool = False, threads: int = 1, on_error: str = "raise") -> Any:
    """Classify customers with ``policy`` (default: the embedded default policy) on ``as_of``.

    - a dict (one customer record) → :class:`Decision` (always explained);
    - a list of dicts → list of :class:`Decision`;
    - a pandas DataFrame (one column per field; a series as a list column, or as text
      ``"60;70;80"`` as the CLI's CSV) → DataFrame with
      ``id`` (when present) and ``tier``, plus with ``explain=True`` per criterion
      ``<id>.result`` ("met", "not_met" or "error": a condition that failed on the row's
      data, with its CEL error in ``<id>.error``) and ``<id>.met / .observed / .target /
      .margin / .gap / .why_not / .why_not_zh`` and
      ``deciding``. The C++ core classifies the columns with the GIL released, on ``threads``
      threads;
    - an Arrow table: anything with ``__arrow_c_stream__`` or ``__arrow_c_array__`` (a Polars
      DataFrame, a pyarrow Table / RecordBatch / RecordBatchReader, a DuckDB relation...), read
      batch by batch in C++ → the same columns as a Polars DataFrame for a Polars frame, else
      a pyarrow Table (see docs/tables.md).

    A column the policy's customer schema does not declare is refused (as by the CLI and for a
    record dict). Malformed input raises :class:`keyaccount.InputError` naming the field and
    the row: a DataFrame's index label (``.index``), its position (``.row``) and the customer's
    id (``.id``); a criterion whose condition fails on a customer's data (a custom policy
    reading a month the series lacks) raises :class:`keyaccount.EvaluationError` with
    ``criterion``, ``cause`` and ``row`` / ``id``. With ``on_error="skip"`` a table's bad rows
    get no tier and an ``error`` column instead. A customer id given twice is refused at its
    second row, naming the first, as ``keyaccount classify`` refuses it (docs/tables.md).
    """
    _check_on_error(on_error)
    threads = _check_threads(threads)
    as_of_text = _as_of_text(as_of)
    core = _classifier(policy)
    warn_if_not_in_force(policy, as_of_text, stacklevel=2)
    return _classify_any(data, as_of_text, policy, explain, threads, on_error, core)


def _classify_any(data: Any, as_of_text: str, policy: Optional[Policy], explain: bool,
                  threads: int, on_error: str, core: Any, first_row: int = 0) -> Any:
    """classify() by what `data` can do (never by its class name): a pandas Series or a
    mapping is one record, a pandas DataFrame a frame, anything exporting Arrow (the PyCapsule
    interface: Polars, pyarrow, DuckDB, ...) an Arrow table, any other iterable records."""
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(data, pd.Series):
        data = data.to_dict()  # one DataFrame row: one record
    if isinstance(data, Mapping):
        return _decision(core, data, as_of_text, None, _fields(policy))
    if _pandas_frame(data):
        return _classify_frame(data, as_of_text, policy, explain, threads, on_error)
    if hasattr(data, "__arrow_c_stream__") or hasattr(data, "__arrow_c_array__"):
        return _classify_arrow(data, as_of_text, policy, explain, threads, on_error, first_row)
    if isinstance(data, Iterable) and not isinstance(data, (str, bytes)):
        fields = _fields(policy)
        records = list(data)
        # One customer, one decision: a record whose id an earlier one gave is refused there.
        firsts = dict(repeated_rows([r.get("id") if isinstance(r, Mapping) else None
                                     for r in records]))
        out = []
        for i, record in enumerate(records):
            if i in firsts:  # after its values are read, as the CLI reads a record first
                _decision(core, record, as_of_text, first_row + i, fields)
                text = _core.columns.given_twice(str(record["id"]), f"record {first_row + firsts[i]}")
                raise _input_error(f"record {first_row + i}: id: {text}", "id", first_row + i)
            out.append(_decision(core, record, as_of_text, first_row + i, fields))
        return out
    raise TypeError("classify expects a dict, a list of dicts, a pandas DataFrame or an Arrow "
                    f"table (Polars, pyarrow, DuckDB...), not {type(data).__name__}")


def _in_notebook() -> bool:
    shell = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


def _progress(total: Optional[int], enabled: Optional[bool]) -> Any:
    """A tqdm progress bar of customers, or None: only when asked (True), or by default when
    stderr is a terminal or the code runs in a notebook, and tqdm is installed."""
    if enabled is False:
        return None
    if enabled is None and not (getattr(sys.stderr, "isatty", lambda: False)()
                                or _in_notebook()):
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    return tqdm(total=total, unit=" customers", unit_scale=True, desc="keyaccount")


def _chunks(data: Any, chunk_rows: int) -> Iterator[tuple[int, Any]]:
    """(first row, piece) of `data` chunk_rows rows at a time."""
    if _pandas_frame(data):
        for i in range(0, len(data), chunk_rows):
            yield i, data.iloc[i:i + chunk_rows]
        return
    if hasattr(data, "slice") and hasattr(data, "__len__") and (
            hasattr(data, "__arrow_c_stream__") or hasattr(data, "__arrow_c_array__")):
        # Polars DataFrame, pyarrow Table / RecordBatch: zero-copy slices
        for i in range(0, len(data), chunk_rows):
            yield i, data.slice(i, chunk_rows)
        return
    if hasattr(data, "__arrow_c_stream__"):  # a stream read once: its batches, cut to size
        import pyarrow as pa

        first = 0
        for batch in pa.RecordBatchReader.from_stream(data):
            for i in range(0, batch.num_rows, chunk_rows):
                piece = batch.slice(i, chunk_rows)
                yield first, piece
                first += piece.num_rows
        return
    if isinstance(data, Sequence) and not isinstance(data, (str, bytes, Mapping)):
        for i in range(0, len(data), chunk_rows):
            yield i, data[i:i + chunk_rows]
        return
    raise TypeError("iter_classify expects a pandas DataFrame, an Arrow table or stream "
                    f"(Polars, pyarrow, DuckDB...) or a list of records, not "
                    f"{type(data).__name__}")


def iter_classify(data: Any, as_of: DateLike, *, chunk_rows: int = 65536,
                  policy: Optional[Policy] = None, explain: bool = False, threads: int = 1,
                  on_error: str = "raise", progress: Optional[bool] = None) -> Iterator[Any]:
    """classify() a piece at a time: yields the result of each ``chunk_rows`` rows of
    ``data`` (a pandas DataFrame, a Polars frame, a pyarrow Table or RecordBatchReader, a
    DuckDB relation, a list of records), in the kind classify() returns for it. Rows are
    numbered in errors as in the whole table (index labels for pandas). With ``explain=True``
    only one piece's explanation columns exist at a time, however large the table.

    ``progress``: a tqdm progress bar (when tqdm is installed) — by default only when stderr is
    a terminal or in a notebook; True / False to force it on / off."""
    _check_on_error(on_error)
    threads = _check_threads(threads)
    if isinstance(chunk_rows, bool) or not isinstance(chunk_rows, (int, np.integer)) or \
            chunk_rows < 1:
        raise ArgumentError(f"chunk_rows must be a whole number >= 1, not {chunk_rows!r}")
    as_of_text = _as_of_text(as_of)
    core = _classifier(policy)
    warn_if_not_in_force(policy, as_of_text, stacklevel=2)
    total = len(data) if hasattr(data, "__len__") and not isinstance(data, Mapping) else None
    bar = _progress(total, progress)
    try:
        for first, piece in _chunks(data, int(chunk_rows)):
            yield _classify_any(piece, as_of_text, policy, explain, threads, on_error, core,
                                first)
            if bar is not None:
                bar.update(len(piece))
    finally:
        if bar is not None:
            bar.close()


def reclassify(record: Mapping[str, Any], as_of: DateLike, previous_tier: str,
               consecutive_failures: int = 0, *, policy: Optional[Policy] = None) -> Transition:
    """Art. 6.1: the transition from ``previous_tier`` (promoted / demoted / unchanged /
    pending_demotion under the policy's grace rule ``demote_after_failures``) and the profile
    card's completeness and age."""
    text = _record_json(record, None, _fields(policy))
    if not isinstance(previous_tier, str):
        raise _input_error(f"previous_tier: expected a tier id, got {_core.columns.kind_of(previous_tier)}",
                           "previous_tier")
    if isinstance(consecutive_failures, (bool, np.bool_)) or \
            not isinstance(consecutive_failures, (int, np.integer)) or \
            not 0 <= consecutive_failures < 2 ** 31:
        raise _input_error("consecutive_failures: expected a whole number >= 0, got "
                           f"{_core.columns.kind_of(consecutive_failures)}",
                           "consecutive_failures")
    consecutive_failures = int(consecutive_failures)
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
