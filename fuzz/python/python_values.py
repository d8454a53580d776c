"""Random Python values for the atheris harness (fuzz/python/fuzz_keyaccount.py).

Every value is drawn from an ``atheris.FuzzedDataProvider``, so the same bytes always give the
same value and libFuzzer's mutations of the bytes steer the values. The values are the ones a
caller can hand keyaccount by mistake or from a messy export: nested dicts and lists, NaN and
infinities, integers past 64 bits, bytes, numpy scalars and arrays of odd dtypes, pandas
objects, dates in every spelling, and valid sample data with some fields replaced (so the
inputs reach past the first type check)."""

from __future__ import annotations

import copy
import datetime as dt
import decimal
import json
import math
from typing import Any, Callable

import numpy as np
import pandas as pd

# A valid customer record, account, complaint, order line and stock row of the default policy;
# the generators below replace or delete some of their fields.
CUSTOMER = {
    "id": "C1", "name": "Customer 1", "category": "large_enterprise", "first_order": "2024-02-28",
    "monthly_shipments": [12.7, 24.2, 28.7, 27.8, 18.7, 20.4, 26.7, 17.4, 23.8, 14.5, 25.2, 16.8],
    "cumulative_amount": 2282.9, "owner": "specialist-1",
    "profile": {"updated_on": "2025-09-20", "address": "120 Xi'an Road", "contacts": ["c-1"]},
}
ACCOUNT = {"id": "C1", "tier": "key", "owner": "specialist-1",
           "last_done": {"regular_visit": "2026-03-17", "executive_visit": "2026-01-21"},
           "gift_amount": 800}
COMPLAINT = {"id": "K1", "customer": "C1", "category": "transport", "recorder": "specialist-1",
             "raised_on": "2026-06-09", "recorded_on": "2026-06-09"}
ORDER = {"id": "L1", "customer": "C1", "tier": "key", "product": "switch", "spec": "16A",
         "quantity": 30, "ordered_at": "2026-11-19T11:00"}
STOCK = {"product": "switch", "spec": "16A", "quantity": 20}
SUPPLY = {"product": "cable", "spec": "3x2.5", "quantity": 4200, "arrives_on": "2026-08-01"}
VISIT = {"customer": "C1", "executive": "csm-1", "date": "2026-06-10", "done_on": "2026-06-10",
         "briefed_on": "2026-06-02"}
PEOPLE = [
    {"id": "gm-1", "positions": ["general_manager"]},
    {"id": "csm-1", "positions": ["cs_manager"]},
    {"id": "supervisor-1", "positions": ["cr_supervisor"], "superior": "csm-1"},
    {"id": "finance-1", "positions": ["finance_reviewer"]},
    {"id": "specialist-1", "positions": ["cr_specialist"], "superior": "supervisor-1"},
]

_WORDS = ["id", "name", "category", "first_order", "monthly_shipments", "cumulative_amount",
          "owner", "profile", "tier", "last_done", "regular_visit", "executive_visit", "key",
          "regular", "large_enterprise", "2026-06-30", "2026-02-29", "2025-02-29", "0000-01-01",
          "9999-12-31", "2026-13-01", "2026-06-30T00:00", "NaN", "inf", "-1", "1e308", "60;70",
          "", " ", "\x00", "é", "重点客户", "action", "submit", "approve", "reject", "actor",
          "on", "request", "amount", "customer_id", "gift_request", "x", "a.b", "[0]"]


class Values:
    """Draws values from a FuzzedDataProvider ``fdp``."""

    def __init__(self, fdp: Any) -> None:
        self.fdp = fdp

    def pick(self, options: list) -> Any:
        return options[self.fdp.ConsumeIntInRange(0, len(options) - 1)]

    def chance(self, percent: int) -> bool:
        return self.fdp.ConsumeIntInRange(0, 99) < percent

    def text(self) -> str:
        if self.chance(60):
            return self.pick(_WORDS)
        return self.fdp.ConsumeUnicodeNoSurrogates(self.fdp.ConsumeIntInRange(0, 24))

    def number(self) -> Any:
        return self.pick([
            lambda: self.fdp.ConsumeInt(self.fdp.ConsumeIntInRange(1, 20)),
            lambda: self.fdp.ConsumeRegularFloat(),
            lambda: self.fdp.ConsumeFloat(),
            lambda: self.pick([math.nan, math.inf, -math.inf, -0.0, 2 ** 63, -2 ** 63 - 1,
                               10 ** 400, 1e-320, 2 ** 53 + 1]),
            lambda: np.float32(self.fdp.ConsumeFloat()),
            lambda: np.int64(self.fdp.ConsumeIntInRange(-2 ** 63, 2 ** 63 - 1)),
            lambda: np.uint64(self.fdp.ConsumeIntInRange(0, 2 ** 64 - 1)),
            lambda: decimal.Decimal(self.pick(["1.5", "NaN", "-Infinity", "1e999"])),
            lambda: self.fdp.ConsumeBool(),
        ])()

    def date_like(self) -> Any:
        return self.pick([
            lambda: self.pick(_WORDS[13:22]),
            lambda: dt.date(self.fdp.ConsumeIntInRange(1, 9999), self.fdp.ConsumeIntInRange(1, 12),
                            self.fdp.ConsumeIntInRange(1, 28)),
            lambda: dt.datetime(2026, 6, 30, 23, 59),
            lambda: np.datetime64("2026-06-30"),
            lambda: np.datetime64("NaT"),
            lambda: pd.Timestamp("2026-06-30"),
            lambda: pd.NaT,
            lambda: self.text(),
            lambda: self.number(),
        ])()

    def scalar(self) -> Any:
        return self.pick([
            lambda: None, self.text, self.number, self.date_like,
            lambda: self.fdp.ConsumeBytes(self.fdp.ConsumeIntInRange(0, 8)),
            lambda: pd.NA, lambda: np.str_(self.text()), lambda: object(),
        ])()

    def value(self, depth: int = 0) -> Any:
        """Any value: a scalar, or (up to depth 3) a list, tuple, dict or numpy array of them."""
        if depth >= 3 or self.chance(55):
            return self.scalar()
        size = self.fdp.ConsumeIntInRange(0, 4)
        kind = self.fdp.ConsumeIntInRange(0, 4)
        if kind == 0:
            return [self.value(depth + 1) for _ in range(size)]
        if kind == 1:
            return tuple(self.value(depth + 1) for _ in range(size))
        if kind == 2:
            return self.array(size)
        keys = [self.text() if self.chance(90) else self.scalar() for _ in range(size)]
        out = {}
        for key in keys:
            try:
                out[key] = self.value(depth + 1)
            except TypeError:  # an unhashable key (a list): leave it out
                pass
        return out

    def array(self, size: int) -> np.ndarray:
        dtype = self.pick(["float64", "float32", "int64", "uint8", "int8", "bool", "object",
                           "datetime64[D]", "datetime64[ns]", "U8", "S4", "complex128",
                           "float16", "timedelta64[s]"])
        if dtype == "object":
            return np.array([self.scalar() for _ in range(size)] + [None], dtype=object)[:size]
        if dtype == "U8":
            # Text arrays from real strings: raw bytes would hold code points past U+10FFFF,
            # which no Python str can, and numpy itself fails on them (SystemError in tolist).
            return np.array([self.text()[:8] for _ in range(size)], dtype="U8")
        raw = self.fdp.ConsumeBytes(size * 16)
        raw = raw + b"\x00" * (size * 16 - len(raw))
        try:
            return np.frombuffer(raw, dtype=np.dtype(dtype))[:size].copy()
        except (ValueError, TypeError):
            return np.zeros(size, dtype=np.dtype(dtype))

    def mutated(self, base: Any) -> Any:
        """``base`` (a dict or list of the sample data) with a few fields replaced, deleted or
        added, at any depth."""
        out = copy.deepcopy(base)
        for _ in range(self.fdp.ConsumeIntInRange(0, 3)):
            self._mutate_once(out)
        return out

    def _mutate_once(self, node: Any) -> None:
        while True:
            if isinstance(node, dict) and node:
                key = self.pick(sorted(node, key=repr))
            elif isinstance(node, list) and node:
                key = self.fdp.ConsumeIntInRange(0, len(node) - 1)
            else:
                return
            if self.chance(60) or not isinstance(node[key], (dict, list)):
                break
            node = node[key]
        action = self.fdp.ConsumeIntInRange(0, 3)
        if action == 0 and isinstance(node, dict):
            del node[key]
        elif action == 1 and isinstance(node, dict):
            node[self.text()] = self.value()
        else:
            node[key] = self.value()

    def records(self, base: dict, most: int = 4) -> Any:
        """A list of mutated copies of ``base``, sometimes in another container."""
        rows = [self.mutated(base) for _ in range(self.fdp.ConsumeIntInRange(0, most))]
        return self.pick([
            lambda: rows,
            lambda: tuple(rows),
            lambda: "\n".join(_json_line(r) for r in rows),   # JSON Lines text
            lambda: _frame(rows),
            lambda: rows[0] if rows else {},
            lambda: self.value(),
        ])()


def _json_line(row: Any) -> str:
    try:
        return json.dumps(row, default=str)
    except (ValueError, TypeError):
        return "{"


def _frame(rows: list) -> Any:
    try:
        return pd.DataFrame(rows)
    except Exception:  # pandas refuses some shapes; the harness then passes the rows as they are
        return rows


Generator = Callable[[Values], Any]
