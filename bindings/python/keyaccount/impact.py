"""Before a policy changes (issue 20): what exactly changed (:meth:`Policy.diff`) and which
customers would change tier, and why (:func:`compare`). The C++ core does the work
(keyaccount/policy/diff.hpp, keyaccount/classify/impact.hpp), as for ``keyaccount diff``."""

from __future__ import annotations

import json
from typing import Any, Callable, Iterator, Optional

import numpy as np

from . import _core
from ._errors import located_input_error as _input_error
from ._errors import InputError
from ._repeated import repeated_rows
from .classify import (DateLike, _as_of_text, _check_on_error, _check_threads, _classifier,
                       _convert_for, _frame_locator, _raise_first, _relocate)
from .policy import Policy, resolve_policy

__all__ = ["PolicyDiff", "Comparison", "compare", "sweep"]


class PolicyDiff:
    """The structural diff of two policies: every change with its section, path, kind
    (added / removed / changed / reordered), article, old and new value. Conditions are compared
    after parsing, so whitespace or parentheses that change nothing are not changes."""

    def __init__(self, old: Policy, new: Policy) -> None:
        self._old, self._new = old, new
        self._data = json.loads(_core.policy.diff_policies(old._handle, new._handle, "json"))

    @property
    def changes(self) -> list[dict[str, Any]]:
        """One dict per change: ``section``, ``path``, ``kind``, ``article``, ``old``, ``new``."""
        return [dict(c) for c in self._data["changes"]]

    def to_dict(self) -> dict[str, Any]:
        """As ``keyaccount diff --format json`` prints it (schema ``diff-report``)."""
        return json.loads(json.dumps(self._data))

    def to_text(self) -> str:
        return _core.policy.diff_policies(self._old._handle, self._new._handle, "text")

    def to_markdown(self) -> str:
        """A summary and a table for a pull-request comment."""
        return _core.policy.diff_policies(self._old._handle, self._new._handle, "markdown")

    def __len__(self) -> int:
        return len(self._data["changes"])

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.changes)

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return f"<PolicyDiff {len(self)} change(s)>"

    def _repr_markdown_(self) -> str:
        return self.to_markdown()


def _policy_diff(self: Policy, other: Policy) -> PolicyDiff:
    """The structural diff from this policy (the baseline) to ``other`` (the candidate)."""
    if not isinstance(other, Policy):
        raise TypeError(f"Policy.diff expects a keyaccount.Policy, not {type(other).__name__}")
    return PolicyDiff(self, other)


Policy.diff = _policy_diff  # type: ignore[attr-defined]


class Comparison:
    """The impact of a candidate policy on a table of customers: ``changed`` (a DataFrame of the
    rows whose tier changes, indexed like the input, with ``id``, ``old_tier``, ``new_tier``,
    ``flipped`` (the criteria whose outcome flipped), ``old_why_not`` and ``new_why_not``),
    ``crosstab`` (baseline tier × candidate tier counts) and ``report`` (the JSON report of
    ``keyaccount diff --customers``, as a dict: made when first read). Unpacks as
    ``changed, crosstab = compare(...)``."""

    def __init__(self, changed: Any, crosstab: Any,
                 report: "dict[str, Any] | Callable[[], dict[str, Any]]") -> None:
        self.changed = changed
        self.crosstab = crosstab
        self._report = report

    @property
    def report(self) -> dict[str, Any]:
        if callable(self._report):  # made on first use: most callers read only the frames
            self._report = self._report()
        return self._report

    def __iter__(self) -> Iterator[Any]:
        return iter((self.changed, self.crosstab))

    def __repr__(self) -> str:
        changed = len(self.changed)
        customers = int(self.crosstab.to_numpy().sum())
        return f"<Comparison {changed} of {customers} customers change tier>"


def compare(data: Any, as_of: DateLike, baseline: Optional[Policy] = None,
            candidate: Optional[Policy] = None, *, threads: int = 1,
            on_error: str = "raise") -> Comparison:
    """Classify ``data`` (a pandas DataFrame, or a list of customer dicts) with ``baseline``
    (default: the embedded policy) and ``candidate`` on ``as_of``; return a
    :class:`Comparison`: the changed rows and the tier crosstab. Both policies must declare the
    same customer schema.

    ``on_error`` is the CLI's ``diff --on-error``: with ``"raise"`` (the default, the CLI's
    ``fail``) a bad value raises :class:`keyaccount.InputError` naming the field, and a
    customer either policy cannot evaluate raises :class:`keyaccount.EvaluationError` naming the
    criterion, each naming the row's index label and the customer id; with
    ``"skip"`` such customers are left out, counted in ``report["failed"]``, and each one's
    located message is listed in ``changed.attrs["skipped"]`` (a missing value in an int or
    bool column is still refused: the columns need a value in every row)."""
    import pandas as pd

    _check_on_error(on_error)
    base, cand = resolve_policy(baseline), resolve_policy(candidate)
    threads = _check_threads(threads)
    data = _table_of(data, "compare")
    as_of_text = _as_of_text(as_of)
    skipped: list[str] = []
    data, columns = _columns_skipping(base, data, on_error, skipped)
    unread = len(skipped)  # rows with a bad value, left out before the batch
    rows = len(data)
    # The C++ report itself (not its JSON text): the changed rows' columns come straight from it.
    impact = _classifier(base).compare_columns(_classifier(cand), rows, columns, as_of_text,
                                               threads)
    failures = impact.failures
    locate = _frame_locator(data)
    _raise_first([(row, field, message, criterion)
                  for row, _, field, criterion, message in failures], on_error, locate)
    for row, policy, field, criterion, message in failures:
        cause = f"{criterion}: {message}" if criterion else \
            f"{field}: {message}" if field else message
        skipped.append(f"{locate(row)[0]}: {policy} policy: {cause}")
    columns_of = impact.change_columns()
    at = columns_of.pop("row")
    if "id" in data.columns:  # only the changed rows' ids: converting every id costs more
        ids = [str(customer) for customer in data["id"].iloc[at]]
    else:
        ids = [""] * len(at)
    changed = pd.DataFrame({"id": ids, **columns_of}, index=data.index[at])
    tiers_old = list(_classifier(base).tier_ids)
    tiers_new = list(_classifier(cand).tier_ids)
    crosstab = pd.DataFrame(np.asarray(impact.matrix, dtype="int64").reshape(
                                len(tiers_old), len(tiers_new)),
                            index=pd.Index(tiers_old, name="baseline"),
                            columns=pd.Index(tiers_new, name="candidate"))

    def report() -> dict[str, Any]:
        out = json.loads(impact.to_json())
        out.pop("failures", None)
        for change, customer in zip(out["changes"], ids):
            change["id"] = customer
        out["failed"] += unread  # the batch counted only the rows it was given
        return out

    changed.attrs["provenance"] = {
        "baseline": json.loads(_classifier(base).provenance_json(as_of_text)),
        "candidate": json.loads(_classifier(cand).provenance_json(as_of_text))}
    if on_error == "skip":
        changed.attrs["skipped"] = skipped
    return Comparison(changed, crosstab, report)


def _columns_skipping(policy: Policy, frame: Any, on_error: str,
                      skipped: list[str]) -> tuple[Any, dict[str, tuple]]:
    """The frame and its columns for the C++ batch; under on_error="skip" the rows with a bad
    value, and the rows whose id an earlier row gave, are left out of both, each one's located
    message added to `skipped` (in row order); under "raise" the first of them raises, as
    ``keyaccount diff --customers`` stops at the first such record."""
    locate = _frame_locator(frame)
    twice = repeated_rows(frame["id"]) if "id" in frame.columns else []

    def given_twice(row: int, first: int) -> str:
        text = _core.columns.given_twice(str(frame["id"].iloc[row]), f"index {locate(first)[1]!r}")
        return f"{locate(row)[0]}: id: {text}"

    if on_error == "skip":
        converted = _convert_for(policy, frame, len(frame))
        bad = converted.problems.errors(only_first=False) if converted.problems.found else []
        refused = [(row, f"{locate(row)[0]}: {field}: {message}") for row, field, message in bad]
        unread = {row for row, _ in refused}
        refused += [(row, given_twice(row, first)) for row, first in twice if row not in unread]
        if refused:
            refused.sort(key=lambda r: r[0])
            skipped.extend(message for _, message in refused)
            keep = np.ones(len(frame), dtype=bool)
            keep[[row for row, _ in refused]] = False
            frame = frame.iloc[keep]
    elif twice:
        row, first = twice[0]
        _clean_columns(policy, frame.iloc[:row + 1], "compare")  # a bad value before it first
        exc = _input_error(given_twice(row, first), "id", row)
        exc.index, exc.id = locate(row)[1:]  # type: ignore[attr-defined]
        raise exc
    return frame, _clean_columns(policy, frame, "compare")


def _clean_columns(policy: Policy, frame: Any, what: str) -> dict[str, tuple]:
    """The table's columns for the C++ batch; the first bad value raises InputError naming its
    field, the row's index label and the customer id (as classify does), a missing int / bool value too (classify handles those
    by grouping rows; comparing and sweeping need every row in one call)."""
    try:
        converted = _convert_for(policy, frame, len(frame))
    except InputError as exc:  # a value the conversion refuses at once (a date): by label
        _relocate(exc, _frame_locator(frame), len(frame))
        raise
    if converted.problems.found:
        _raise_first([(*e, "") for e in converted.problems.errors(only_first=True)], "raise",
                     _frame_locator(frame))
    if converted.missing:
        name = next(iter(converted.missing))
        raise _input_error(f"{name}: {what} needs a value in every row of an int or bool column",
                           name)
    return converted.columns


def _table_of(data: Any, what: str) -> Any:
    import pandas as pd

    if isinstance(data, list):
        return pd.DataFrame.from_records(data)
    if type(data).__name__ != "DataFrame":
        raise TypeError(f"{what} expects a pandas DataFrame or a list of dicts, not "
                        f"{type(data).__name__}")
    return data


def sweep(data: Any, as_of: DateLike, parameter: str, values: Any,
          policy: Optional[Policy] = None, *, changes: bool = False, threads: int = 1) -> Any:
    """Classify ``data`` once per value of ``parameter`` (the policy with that one parameter
    set, :meth:`Policy.with_parameters`) and return a DataFrame indexed by the values, with the
    number of customers in each tier (and ``failed``: customers the policy could not evaluate);
    with ``changes=True`` also ``changed``: the ids whose tier differs from the previous value's
    (empty for the first). The table is converted once and classified by the columnar batch
    path for each value: the curve a policy owner plots to choose a threshold (Art. 5.1–5.3).
    An unknown parameter or a value out of its range raises :class:`keyaccount.PolicyError`."""
    import numpy as np
    import pandas as pd

    base = resolve_policy(policy)
    threads = _check_threads(threads)
    frame = _table_of(data, "sweep")
    values = list(values)
    as_of_text = _as_of_text(as_of)
    rows = len(frame)
    columns = _clean_columns(base, frame, "sweep")
    ids = np.asarray([str(x) for x in frame["id"]] if "id" in frame.columns
                     else [str(i) for i in frame.index], dtype=object)
    tier_ids = list(_classifier(base).tier_ids)
    counts: dict[str, list[int]] = {t: [] for t in tier_ids}
    failed: list[int] = []
    changed: list[list[str]] = []
    previous = None
    for value in values:
        core = _classifier(base.with_parameters(**{parameter: value}))
        tiers, _, _ = core.classify_columns(rows, columns, as_of_text, threads, False)
        good = tiers[tiers >= 0]
        per_tier = np.bincount(good, minlength=len(tier_ids))
        for i, t in enumerate(tier_ids):
            counts[t].append(int(per_tier[i]))
        failed.append(int(rows - len(good)))
        if changes:
            changed.append([] if previous is None else list(ids[tiers != previous]))
        previous = tiers
    out = pd.DataFrame({**counts, "failed": failed},
                       index=pd.Index(values, name=parameter))
    if changes:
        out["changed"] = changed
    out.attrs["provenance"] = json.loads(_classifier(base).provenance_json(as_of_text))
    return out
