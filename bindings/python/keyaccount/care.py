"""Maintenance measures (Art. 6.1, 7–12) on tables: plans, compliance, complaint escalations and
peak-season allocation as pandas DataFrames. The work is done by the C++ core (the same code
as ``keyaccount plan`` / ``compliance`` / ``allocate``); inputs are DataFrames or lists of dicts
in the JSON forms of docs/maintenance.md.

A DataFrame of accounts may give last-done dates either as a ``last_done`` column of dicts or
as columns named ``last_done.<activity>`` (or ``last_done.<activity>@<festival>``).

``on_error`` is the CLI's ``--on-error``: ``"raise"`` (default; the CLI's ``fail``) raises
:class:`keyaccount.InputError` for the first malformed record, located; ``"skip"`` leaves every
malformed record of the record inputs (customers, accounts, complaints, symposium events, visit
plan, stock, orders) out and lists each located message in ``df.attrs["skipped"]``, as the CLI
prints them. People and festivals are read whole: an error in them always raises.

A record of a list is located by its position (``accounts[3].tier: ...``), a row of a pandas
DataFrame by its index label and its id (``accounts.loc['x'].tier (id C7): ...``; the error's
``.index``, ``.id`` and ``.row``, the position), in errors, ``skipped`` and warnings alike.

Every input may also be a file, named by a :class:`pathlib.Path` (any ``os.PathLike``): JSON
Lines, one JSON array, or CSV with a header row for ``.csv`` files (people: a JSON file), read
by the same C++ reader as the ``keyaccount`` command's, a bad record reported as
``FILE:LINE: field: message``.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import numbers
import os
import pathlib
import re
import sys
import warnings
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

from . import _core
from ._errors import ArgumentError, ComplaintRefused
from ._errors import located_input_error as _input_error
from ._jsontext import dumps as _dumps
from ._places import located_rows, note_frame, relabeled
from .policy import Policy, resolve_policy, warn_if_not_in_force

__all__ = [
    "allocate",
    "close_complaint",
    "compliance",
    "escalations",
    "plan",
    "plan_ics",
    "supply_watch",
    "symposium",
    "ComplaintRefused",
]

# A DataFrame, a list of dicts, or a file of records (pathlib.Path)
Records = Union["Any", Sequence[Mapping[str, Any]], "os.PathLike[str]"]
DateLike = Union[str, _dt.date]


def _day(value: DateLike, name: str = "date") -> str:
    """A date argument as "YYYY-MM-DD" text (the C++ core checks the text); another type is a
    TypeError naming the argument, as classify's ``as_of``."""
    if isinstance(value, str):
        return value
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if hasattr(value, "date") and callable(value.date):  # pandas.Timestamp
        return value.date().isoformat()
    raise TypeError(f"{name} must be a date or 'YYYY-MM-DD', not {type(value).__name__}")


def _date_of(text: str, name: str) -> _dt.date:
    """The date a "YYYY-MM-DD" argument names; anything else is an InputError naming it."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return _dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise _input_error(f'{name}: expected a date YYYY-MM-DD, got "{text}"', name)


def _error(place: str, problem: str) -> Exception:
    return _input_error(f"{place}: {problem}", place)


def _json(value: Any, what: str) -> str:
    return _dumps(value, what, _error)


def _missing(value: Any) -> bool:
    """None, NaN (float or numpy), pandas' NA and NaT, numpy's NaT: no value (a never-done
    activity...), decided by the one check every table reader uses (C++, python_cells)."""
    return _core.columns.is_missing(value)


def _clean(value: Any) -> Any:
    if _missing(value):
        return None
    if isinstance(value, (_dt.date, _dt.datetime)) or type(value).__name__ == "Timestamp":
        return _day(value)
    if type(value).__module__ == "numpy" and hasattr(value, "tolist"):
        return value.tolist()  # a numpy scalar becomes its Python value, an array a list
    if isinstance(value, Mapping):
        return {k: _clean(v) for k, v in value.items() if _clean(v) is not None}
    return value


def _arrow_rows(data: Any) -> list[dict[str, Any]]:
    """The rows of an Arrow table (anything with the Arrow PyCapsule interface) as dicts: the
    care functions read records (one JSON text for the C++ core), so each row becomes one."""
    import pyarrow as pa  # the object exports Arrow: pyarrow reads it

    if hasattr(data, "__arrow_c_stream__"):
        return pa.RecordBatchReader.from_stream(data).read_all().to_pylist()
    return pa.record_batch(data).to_pylist()


def _records(data: Optional[Records], what: str = "records") -> list[dict[str, Any]]:
    if data is None:
        return []
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(data, pd.DataFrame):
        rows = data.to_dict(orient="records")
        note_frame(what, data)  # its rows named by index label in what the call reports
    elif hasattr(data, "__arrow_c_stream__") or hasattr(data, "__arrow_c_array__"):
        rows = _arrow_rows(data)  # Polars, pyarrow, DuckDB...: told by capability, not name
    elif hasattr(data, "to_dict") and not isinstance(data, Mapping):  # another DataFrame kind
        rows = data.to_dict(orient="records")
    elif isinstance(data, (str, bytes, Mapping)) or not isinstance(data, Iterable):
        raise TypeError(f"{what} must be a DataFrame or a list of dicts, not "
                        f"{type(data).__name__}")
    else:
        rows = []
        for i, r in enumerate(data):
            if not isinstance(r, Mapping):
                raise _input_error(f"{what}[{i}]: expected a dict (one record), got "
                                   f"{type(r).__name__}", f"{what}[{i}]")
            rows.append(dict(r))
    out = []
    for row in rows:
        rec: dict[str, Any] = {}
        for key, value in row.items():
            if key == "ordered_at" and isinstance(value, _dt.datetime) and not _missing(value):
                # An order time, not a day: the C++ core compares YYYY-MM-DDTHH:MM:SS, so the
                # order of lines within one day is kept (wall-clock time, zone dropped).
                rec[key] = value.strftime("%Y-%m-%dT%H:%M:%S")
                continue
            value = _clean(value)
            if value is None:
                continue
            rec[key] = value  # ``last_done.<activity>`` columns are folded in by the C++ core
        out.append(rec)
    return out


def _source(data: Records, what: str) -> Union[str, pathlib.Path]:
    """What the C++ core reads: a file (read there, as the CLI reads it) or the JSON text of
    the records."""
    if isinstance(data, os.PathLike):
        return pathlib.Path(data)
    return _json(_records(data, what), what)


def _people(people: Any) -> Union[str, pathlib.Path]:
    from .workflow import People  # here: workflow imports this module's neighbours

    if isinstance(people, People):  # checked once already; read again by the call's policy
        return _json({"people": people.to_list()}, "people")
    if isinstance(people, os.PathLike):  # a people file
        return pathlib.Path(people)
    if isinstance(people, str):  # JSON text
        try:
            json.loads(people)
        except ValueError as exc:
            raise _input_error(f"people: not valid JSON: {exc}", "people") from None
        return people
    if hasattr(people, "to_dict") and not isinstance(people, Mapping):
        people = _records(people, "people")
    return _json(people, "people")


_ON_ERROR = ("raise", "skip")


def _on_error(on_error: Any) -> str:
    """The ``on_error`` argument, checked as classify checks it."""
    if not isinstance(on_error, str) or on_error not in _ON_ERROR:
        raise ArgumentError(f"on_error must be one of {', '.join(map(repr, _ON_ERROR))}, "
                            f"not {on_error!r}")
    return on_error


def _policy(policy: Optional[Policy]) -> Any:
    return resolve_policy(policy)._handle


def _frame(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], dates: Sequence[str] = ()):
    import pandas as pd

    df = pd.DataFrame(list(rows), columns=list(columns))
    for c in dates:
        df[c] = pd.to_datetime(df[c])
    return df


_PLAN_COLUMNS = ["due", "customer", "customer_name", "activity", "activity_name",
                 "activity_name_zh", "article", "position", "person", "person_name", "overdue",
                 "never_done", "festival", "festival_on", "workflow", "basis", "submit"]


@located_rows
def plan(accounts: Optional[Records], people: Any, start: DateLike,
         end: Optional[DateLike] = None, *, days: int = 90,
         festivals: Optional[Records] = None, gift_amount: float = 0.0,
         policy: Optional[Policy] = None, customers: Optional[Records] = None,
         symposium: Optional[Records] = None, visit_plan: Optional[Records] = None,
         start_workflows: bool = False, on_error: str = "raise"):
    """The activities due from ``start`` to ``end`` (default: ``days`` days) as a DataFrame, one
    row per activity, ordered by due date, customer, activity. ``submit`` holds the gift-request
    submission (a dict) of a due gift. ``people`` may be a :class:`keyaccount.People`, dicts, JSON
    text or a file. With ``customers`` (records in the policy's customer schema, as for
    ``classify``) the customers are classified on ``start`` and ``accounts`` (the activity log,
    may be None) is merged into them by id, as ``keyaccount plan --customers F --accounts F``
    does. Under the policy's ``symposium`` section (Art. 10) the plan lists the yearly event
    (``customer`` empty, by the organizer) and an invitation per key customer (``activity``
    ``annual_symposium.invitation``, by its owner) until they are done; ``symposium`` gives the
    event records (dicts ``{"date", "held", "invited": {customer: date}, "attended": [...]}``,
    one a year, or a file of them). An activity with a ``by_plan`` cadence (Art. 9, the default
    policy's ``executive_visit``) is due on the dates of ``visit_plan`` (dicts ``{"customer",
    "date", "executive", "done_on"?, "briefed_on"?}``, or a file of them): each visit not done,
    by its executive, and its briefing (``executive_visit.briefing``) ``lead_days`` before, by
    the Customer Relations Dept. With ``start_workflows=True`` (``keyaccount plan
    --start-workflows``) the workflow of every due gift is started for its submission:
    ``df.attrs["workflows"]`` lists ``{"item": row, "instance": Instance}`` or ``{"item": row,
    "refusal": {...}}`` per due gift. ``on_error`` as in the module's introduction
    (``df.attrs["skipped"]``). Raises :class:`keyaccount.InputError` for bad input."""
    if not isinstance(start_workflows, bool):
        raise TypeError(f"start_workflows must be True or False, not "
                        f"{type(start_workflows).__name__}")
    text, skipped = _plan_text(accounts, people, start, end, days, festivals, gift_amount, policy,
                               "json", customers, symposium, visit_plan, on_error,
                               start_workflows)
    result = json.loads(text)
    df = _frame(result["items"], _PLAN_COLUMNS, dates=["due", "festival_on"])
    df.attrs["warnings"] = result["warnings"]
    df.attrs["skipped"] = skipped
    if start_workflows:
        from .workflow import Instance  # here: workflow imports this module's neighbours

        df.attrs["workflows"] = [
            {"item": w["item"], "instance": Instance.from_dict(w["instance"])}
            if "instance" in w else w for w in result["workflows"]]
    return df


@located_rows
def plan_ics(accounts: Optional[Records], people: Any, start: DateLike,
             end: Optional[DateLike] = None, *, days: int = 90,
             festivals: Optional[Records] = None, gift_amount: float = 0.0,
             policy: Optional[Policy] = None, customers: Optional[Records] = None,
             symposium: Optional[Records] = None, visit_plan: Optional[Records] = None,
             on_error: str = "raise") -> str:
    """The same plan as iCalendar text (.ics), importable into Outlook or Google Calendar.
    With ``on_error="skip"`` each record left out is a :class:`UserWarning` with its located
    message (the text has no place for them)."""
    text, skipped = _plan_text(accounts, people, start, end, days, festivals, gift_amount,
                               policy, "ics", customers, symposium, visit_plan, on_error, False)
    for message in relabeled(skipped):
        warnings.warn(f"skipped a malformed record: {message}", UserWarning,
                      stacklevel=3)  # past located_rows, at the caller
    return text


def _plan_text(accounts, people, start, end, days, festivals, gift_amount, policy, fmt,
               customers, symposium, visit_plan, on_error, start_workflows) -> tuple[str, list]:
    on_error = _on_error(on_error)
    if accounts is None and customers is None:
        raise TypeError("plan() needs accounts, customers or both")
    start_s = _day(start, "start")
    first = _date_of(start_s, "start")
    if end is None:
        if isinstance(days, bool) or not isinstance(days, numbers.Integral) or days < 1:
            raise ArgumentError(f"days must be a whole number >= 1, not {days!r}")
        try:
            end_s = (first + _dt.timedelta(days=int(days) - 1)).isoformat()
        except OverflowError:
            raise ArgumentError(f"days: {days} days from {start_s} go past the year 9999") from None
    else:
        end_s = _day(end, "end")
        _date_of(end_s, "end")
    if isinstance(gift_amount, bool) or not isinstance(gift_amount, numbers.Real) or \
            not math.isfinite(gift_amount):
        raise _input_error(f"gift_amount: expected a finite number, got {gift_amount!r}",
                           "gift_amount")
    fest = _source(festivals, "festivals") if festivals is not None else ""
    warn_if_not_in_force(policy, start_s, stacklevel=4)  # the caller of plan / plan_ics
    cust = _source(customers, "customers") if customers is not None else None
    acc = _source(accounts, "accounts") if accounts is not None else ""
    symp = _source(symposium, "symposium") if symposium is not None else None
    visits = _source(visit_plan, "visit_plan") if visit_plan is not None else None
    return _core.care.care_plan(_policy(policy), cust, acc, _people(people), fest, start_s, end_s,
                           float(gift_amount), fmt, symp, visits, on_error, start_workflows)


@located_rows
def compliance(accounts: Optional[Records], people: Any, as_of: DateLike, *,
               customers: Optional[Records] = None, complaints: Optional[Records] = None,
               festivals: Optional[Records] = None, policy: Optional[Policy] = None,
               symposium: Optional[Records] = None, visit_plan: Optional[Records] = None,
               on_error: str = "raise"):
    """The compliance findings on ``as_of`` as a DataFrame (empty when compliant): overdue
    activities, key customers without a valid owner, complaints past a deadline and, when
    ``customers`` (records in the policy's customer schema, as for ``classify``) are given,
    missing, incomplete or stale profile cards (Art. 6.1). Customers are classified on
    ``as_of``; ``accounts`` (the activity log: last-done dates, gift amounts) is merged into
    them by id, as ``keyaccount compliance --customers F --accounts F`` does. The counts per
    kind are in ``df.attrs["counts"]``; ``df.attrs["profiles_checked"]`` says whether profile
    cards were part of the check. Only what was known on ``as_of`` counts: a last-done or
    complaint date after it is ignored and listed in ``df.attrs["warnings"]``. Under the
    policy's ``symposium`` section (Art. 10), ``symposium`` gives the event records (as for
    :func:`plan`; none given: nothing recorded) and the findings include key customers not
    invited once invitations were due (``symposium_not_invited``) and the event not held by
    its deadline (``symposium_not_held``). For an activity by plan (Art. 9), ``visit_plan``
    gives the planned visits (as for :func:`plan`; none given: none planned) and the findings
    include planned visits not done (``visit_not_done``), key customers with no visit planned
    within the policy's horizon (``no_visit_planned``) and briefings not prepared by their due
    day (``visit_briefing_overdue``). ``on_error`` as in the module's introduction
    (``df.attrs["skipped"]``)."""
    on_error = _on_error(on_error)
    if accounts is None and customers is None:
        raise TypeError("compliance() needs accounts, customers or both")
    acc = _source(accounts, "accounts") if accounts is not None else ""
    cust = _source(customers, "customers") if customers is not None else None
    fest = _source(festivals, "festivals") if festivals is not None else ""
    comp = _source(complaints, "complaints") if complaints is not None else None
    as_of_s = _day(as_of, "as_of")
    warn_if_not_in_force(policy, as_of_s, stacklevel=3)  # past located_rows
    symp = _source(symposium, "symposium") if symposium is not None else None
    visits = _source(visit_plan, "visit_plan") if visit_plan is not None else None
    result = json.loads(_core.care.care_compliance(_policy(policy), cust, acc, _people(people), comp,
                                              fest, as_of_s, symp, visits, on_error))
    df = _frame(result["findings"], ["kind", "customer", "subject", "article", "due",
                                     "days_overdue", "responsible", "detail"], dates=["due"])
    df.attrs["counts"] = result["counts"]
    df.attrs["profiles_checked"] = result["profiles_checked"]
    df.attrs["warnings"] = result["warnings"]
    df.attrs["skipped"] = result["skipped"]
    return df


_SYMPOSIUM_COLUMNS = ["customer", "customer_name", "owner", "note", "invited_on", "attended"]


@located_rows
def symposium(accounts: Optional[Records], people: Any, as_of: DateLike, *,
              events: Optional[Records] = None, year: Optional[int] = None,
              customers: Optional[Records] = None, policy: Optional[Policy] = None,
              on_error: str = "raise"):
    """One year's symposium (Art. 10) as known on ``as_of``, as a DataFrame of its invitees
    (every customer of the policy's ``symposium.tiers``, by id): who invites each (its owner),
    when the invitation was sent (``invited_on``) and whether it attended. ``events`` are the
    event records (dicts ``{"date", "held", "invited": {customer: date}, "attended": [...]}``,
    one a year, or a file of them); ``year`` defaults to the event ahead of ``as_of`` (the
    current year's until its deadline). ``df.attrs`` holds ``year``, ``date``, ``deadline``,
    ``invitations_due``, ``held``, ``organizer``, ``others`` (invited or attending customers
    that are not invitees) and ``warnings`` (facts after ``as_of``, ignored). Accounts and
    customers are read as for :func:`compliance`; ``on_error`` as in the module's introduction
    (``df.attrs["skipped"]``). Raises :class:`keyaccount.InputError` for bad input or a policy
    without a ``symposium`` section."""
    on_error = _on_error(on_error)
    if accounts is None and customers is None:
        raise TypeError("symposium() needs accounts, customers or both")
    if year is not None and (isinstance(year, bool) or not isinstance(year, numbers.Integral)):
        raise TypeError(f"year must be a whole number, not {type(year).__name__}")
    acc = _source(accounts, "accounts") if accounts is not None else ""
    cust = _source(customers, "customers") if customers is not None else None
    ev = _source(events, "events") if events is not None else None
    as_of_s = _day(as_of, "as_of")
    warn_if_not_in_force(policy, as_of_s, stacklevel=3)  # past located_rows
    result = json.loads(_core.care.care_symposium(_policy(policy), cust, acc, _people(people), ev,
                                             as_of_s, None if year is None else int(year),
                                             on_error))
    df = _frame(result["invitees"], _SYMPOSIUM_COLUMNS, dates=["invited_on"])
    for key in ("year", "date", "deadline", "invitations_due", "held", "organizer", "others",
                "warnings", "skipped"):
        df.attrs[key] = result[key]
    return df


@located_rows
def escalations(complaints: Records, people: Any, as_of: DateLike, *,
                policy: Optional[Policy] = None):
    """The complaint escalations due on ``as_of`` (Art. 8.1–8.2) as a DataFrame: to whom, why,
    which article. Only what was known on ``as_of`` counts: a date after it (a resolution, a
    report...) is ignored and listed in ``df.attrs["warnings"]`` with the complaint's index."""
    result = json.loads(_core.care.care_escalations(
        _policy(policy), _source(complaints, "complaints"), _people(people),
        _day(as_of, "as_of")))
    df = _frame(result["escalations"], ["complaint", "customer", "category", "kind", "from", "to",
                                        "to_name", "due_on", "days_overdue", "article", "reason"],
                dates=["due_on"])
    df.attrs["warnings"] = result["warnings"]
    return df


def close_complaint(complaint: Mapping[str, Any], on: DateLike) -> dict[str, Any]:
    """The complaint closed on ``on``; raises :class:`keyaccount.ComplaintRefused` (``kind``
    ``open_escalation`` while an escalation on it is open)."""
    if not isinstance(complaint, Mapping):
        raise TypeError(f"complaint must be a dict, not {type(complaint).__name__}")
    return json.loads(_core.care.care_close_complaint(
        _json(_records([complaint], "complaint")[0], "complaint"), _day(on, "on")))


@located_rows
def allocate(stock: Records, orders: Records, on: DateLike, *, within_tier: Optional[str] = None,
             pack_size: Optional[int] = None, policy: Optional[Policy] = None,
             on_error: str = "raise"):
    """Peak-season priority allocation (Art. 7.3) as a DataFrame, one row per order line in
    input order with ``allocated`` and ``reason``. ``df.attrs`` holds ``peak_season``,
    ``period`` and the per-product ``stock`` summary. ``on_error`` as in the module's
    introduction: under ``"raise"`` every problem of every record is raised at once, under
    ``"skip"`` each such stock line or order line is left out (``df.attrs["skipped"]``)."""
    on_error = _on_error(on_error)
    if within_tier is not None and within_tier not in ("first_come", "pro_rata"):
        raise _input_error("within_tier: expected 'first_come' or 'pro_rata', got "
                           f"{within_tier!r}", "within_tier")
    if pack_size is not None and (isinstance(pack_size, bool)
                                  or not isinstance(pack_size, numbers.Integral)
                                  or not 1 <= pack_size < 2 ** 31):
        raise _input_error(f"pack_size: expected a whole number >= 1, got {pack_size!r}",
                           "pack_size")
    pack_size = None if pack_size is None else int(pack_size)
    result = json.loads(_core.care.care_allocate(
        _policy(policy), _source(stock, "stock"), _source(orders, "orders"), _day(on, "on"),
        within_tier, pack_size, on_error))
    df = _frame(result["lines"], ["line", "customer", "tier", "product", "spec", "ordered",
                                  "allocated", "priority", "stock_before", "reason"])
    for key in ("peak_season", "period", "within_tier", "pack_size", "stock", "skipped"):
        df.attrs[key] = result[key]
    return df


@located_rows
def supply_watch(customers: Records, stock: Records, as_of: DateLike, *,
                 policy: Optional[Policy] = None, on_error: str = "raise"):
    """The demand and supply watch (Art. 7.1–7.2) on ``as_of``, as ``keyaccount supply`` makes
    it (the same C++ core): every customer of the policy's ``supply_watch.tiers`` (classified on
    ``as_of``) has its monthly demand projected by the policy's CEL ``demand`` rule, and the
    next ``horizon_months`` months' cumulative demand is compared with the stock on hand plus
    the supply arriving by each month's end, per product or in aggregate.

    ``customers`` are records of the policy's customer schema (a DataFrame, dicts or a file);
    ``stock`` lines are ``{"product", "spec", "quantity", "arrives_on"}`` (no ``arrives_on``: on
    hand), in the policy's ``supply_watch.unit``.

    Returns a DataFrame with one row per product and month (``demand``, ``cumulative_demand``,
    ``available``, ``shortfall``, ``peak_season``: the month touches a peak-season period,
    Art. 7.3). ``df.attrs["notices"]`` lists the notices to Sales (Art. 7.2; ``to``, ``due``,
    ``customers``, ``shortfall``, ``article``, ``message``), ``df.attrs["customers"]`` each
    watched customer's projection; ``as_of``, ``article``, ``unit``, ``per_product`` and
    ``horizon_months`` too. Raises :class:`keyaccount.InputError` for bad input (located), a
    demand rule that fails for a customer (naming it) or a policy without ``supply_watch``.
    ``on_error`` as in the module's introduction (``df.attrs["skipped"]``)."""
    on_error = _on_error(on_error)
    as_of_s = _day(as_of, "as_of")
    warn_if_not_in_force(policy, as_of_s, stacklevel=3)  # past located_rows
    result = json.loads(_core.care.care_supply_watch(
        _policy(policy), _source(customers, "customers"), _source(stock, "stock"), as_of_s,
        on_error))
    df = _frame(result["months"], ["product", "month", "peak_season", "period", "demand",
                                   "cumulative_demand", "available", "shortfall"])
    for key in ("as_of", "article", "unit", "per_product", "horizon_months", "customers",
                "notices", "skipped"):
        df.attrs[key] = result[key]
    return df
