#!/usr/bin/env python3
"""Classification speed against what users would otherwise write, on the same generated data in
the same run: keyaccount's batch (a DataFrame, and prepared numpy columns), an idiomatic pandas
implementation of the default policy, and GoRules zen-engine running a decision model that
encodes the same criteria. Every implementation's tiers are checked against keyaccount's.

    pip install '.[bench]'
    python3 bench/compare_python.py [--rows 50000] [--zen-rows 3000] [--budget 1.0]

The last line prints all speed ratios.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

import keyaccount

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))
from generate_customers import generate  # noqa: E402

AS_OF = "2026-06-30"
P = keyaccount.default_policy().parameters


def best_of(fn, budget: float = 1.0, at_least: int = 3) -> tuple[float, int]:
    """The best time of `fn` over as many runs as fit in `budget` seconds (at least `at_least`),
    and the number of runs. Every contender gets the same budget: on this shared machine a
    single run is noisy, and the first few runs over the same Python objects are slower (up to
    1.6x for keyaccount's DataFrame path; the cause is not pinned down), so a fixed small count
    would favour whatever takes longest per run."""
    best, runs, start = float("inf"), 0, time.perf_counter()
    while runs < at_least or time.perf_counter() - start < budget:
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
        runs += 1
    return best, runs


# --- idiomatic pandas ---------------------------------------------------------------------------
def pandas_tiers(df: pd.DataFrame) -> pd.Series:
    as_of = pd.Timestamp(AS_OF)
    first = pd.to_datetime(df["first_order"])
    months = ((as_of.year - first.dt.year) * 12 + (as_of.month - first.dt.month)
              - (as_of.day < first.dt.day).astype(int))
    k = int(P["consecutive_months"])

    def trailing(values, threshold):
        n = 0
        for v in reversed(values):
            if v <= threshold:
                break
            n += 1
        return n

    s = df["monthly_shipments"]
    strategic = df["category"].isin(["government", "large_enterprise", "monopoly"])
    continuous = s.apply(lambda x: len(x) > 0 and all(v > 0 for v in x[-int(P["continuity_months"]):]))
    cumulative = df["cumulative_amount"] > P["cumulative_amount_min"]
    shipments = s.apply(lambda x: trailing(x, P["monthly_shipment_min"]) >= k)
    new = (months < P["new_customer_months"]) & s.apply(
        lambda x: trailing(x, P["new_customer_monthly_min"]) >= k)
    key = strategic & continuous & (cumulative | shipments | new)
    return pd.Series(np.where(key, "key", "regular"), index=df.index)


# --- zen-engine decision model ------------------------------------------------------------------
def zen_model() -> dict:
    k = int(P["consecutive_months"])
    c = int(P["continuity_months"])
    last = lambda n, t: (f"(len(monthly_shipments) >= {n} ? all(monthly_shipments"  # noqa: E731
                         f"[len(monthly_shipments)-{n}:len(monthly_shipments)-1], # > {t}) : false)")
    months = ("((d(as_of).year() - d(first_order).year()) * 12 + (d(as_of).month() - "
              "d(first_order).month()) - (d(as_of).day() < d(first_order).day() ? 1 : 0))")
    criteria = [
        ("art_4_1", "category in ['government', 'large_enterprise', 'monopoly']"),
        ("art_4_2", f"(len(monthly_shipments) > 0 ? all(monthly_shipments[max([len(monthly_shipments)-{c}, 0]):"
                    "len(monthly_shipments)-1], # > 0) : false)"),
        ("art_5_1", f"cumulative_amount > {P['cumulative_amount_min']}"),
        ("art_5_2", last(k, P["monthly_shipment_min"])),
        ("art_5_3", f"{months} < {int(P['new_customer_months'])} and {last(k, P['new_customer_monthly_min'])}"),
    ]
    node = lambda i, name, exprs: {  # noqa: E731
        "id": i, "type": "expressionNode", "name": name, "position": {"x": 0, "y": 0},
        "content": {"expressions": [{"id": f"{i}{n}", "key": key, "value": v}
                                    for n, (key, v) in enumerate(exprs)]}}
    return {
        "nodes": [
            {"id": "in", "type": "inputNode", "name": "customer", "position": {"x": 0, "y": 0}},
            node("criteria", "criteria (Art. 4-5)", criteria),
            node("tier", "tier", [("tier", "art_4_1 and art_4_2 and (art_5_1 or art_5_2 or art_5_3)"
                                           " ? 'key' : 'regular'")]),
            {"id": "out", "type": "outputNode", "name": "out", "position": {"x": 0, "y": 0}},
        ],
        "edges": [{"id": "e1", "sourceId": "in", "targetId": "criteria", "type": "edge"},
                  {"id": "e2", "sourceId": "criteria", "targetId": "tier", "type": "edge"},
                  {"id": "e3", "sourceId": "tier", "targetId": "out", "type": "edge"}],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--zen-rows", type=int, default=3_000)
    parser.add_argument("--budget", type=float, default=1.0,
                        help="seconds of runs per contender, the best of which counts")
    args = parser.parse_args()
    timed = lambda fn: best_of(fn, args.budget)  # noqa: E731

    records = generate(args.rows, seed=99)
    df = pd.DataFrame(records)
    n = len(df)
    print(f"{n} generated customers, as of {AS_OF}")

    expected = keyaccount.classify(df, AS_OF)["tier"].astype(str)

    # keyaccount on the DataFrame (list column converted in C++) and on prepared columns.
    t_df, _ = timed(lambda: keyaccount.classify(df, AS_OF))
    width = max(len(r["monthly_shipments"]) for r in records)
    block = np.full((n, width), np.nan)
    for i, r in enumerate(records):
        block[i, :len(r["monthly_shipments"])] = r["monthly_shipments"]
    columns = {"category": df["category"].to_numpy(),
               "first_order": df["first_order"].to_numpy().astype("datetime64[D]"),
               "monthly_shipments": block, "cumulative_amount": df["cumulative_amount"].to_numpy()}
    from keyaccount.classify import _classifier, _columns
    core = _classifier(None)  # the compiled default policy
    prepared = _columns(None, columns, n)
    t_cols, runs = timed(lambda: core.classify_columns(n, prepared, AS_OF, 1, False))
    # The C++ batch alone on the very same arrays, timed inside C++ in this run (best of as
    # many runs): what the Python call adds is the binding's overhead.
    t_cpp = core._time_classify_columns(n, prepared, AS_OF, 1, runs)
    assert list(keyaccount.classify_columns(columns, AS_OF)) == list(expected)
    # The same call with its conversion (issue 22 item 3): the NaN-padded block's lengths, the
    # category column given as Python strings, and as a pandas Categorical (read as its codes).
    t_full, _ = timed(lambda: keyaccount.classify_columns(columns, AS_OF))
    categorical = dict(columns, category=pd.Categorical(columns["category"]))
    assert list(keyaccount.classify_columns(categorical, AS_OF)) == list(expected)
    t_full_cat, _ = timed(lambda: keyaccount.classify_columns(categorical, AS_OF))

    def numpy_padding_lengths():  # how the lengths were found before padded_lengths (C++)
        nan = np.isnan(block)
        last = block.shape[1] - np.argmax(~nan[:, ::-1], axis=1)
        last[nan.all(axis=1)] = 0
        return last.astype(np.int64)

    t_np_lengths, _ = timed(numpy_padding_lengths)
    from keyaccount import _core
    t_lengths, _ = timed(lambda: _core.columns.padded_lengths(block))
    t_arrow = float("nan")
    try:
        import pyarrow as pa
    except ImportError:
        pass
    else:  # the list column stored in Arrow: read from its flat values, no float objects
        arrow_df = df.copy()
        arrow_df["monthly_shipments"] = arrow_df["monthly_shipments"].astype(
            pd.ArrowDtype(pa.list_(pa.float64())))
        assert list(keyaccount.classify(arrow_df, AS_OF)["tier"].astype(str)) == list(expected)
        t_arrow, _ = timed(lambda: keyaccount.classify(arrow_df, AS_OF))
    print(f"keyaccount, DataFrame in:        {1e9 * t_df / n:9.1f} ns/customer")
    print(f"keyaccount, DataFrame with an Arrow list column: {1e9 * t_arrow / n:9.1f} ns/customer")
    print(f"keyaccount, numpy columns (1 thread): {1e9 * t_cols / n:9.1f} ns/customer")
    print(f"keyaccount, C++ batch on the same arrays: {1e9 * t_cpp / n:9.1f} ns/customer")
    print(f"keyaccount, numpy columns with their conversion (NaN-padded block, category as "
          f"str objects): {1e9 * t_full / n:9.1f} ns/customer "
          f"({t_full / t_cpp:.2f}x the C++ batch); category as a pandas Categorical: "
          f"{1e9 * t_full_cat / n:9.1f} ns/customer ({t_full_cat / t_cpp:.2f}x)")
    print(f"  of which the padded block's lengths: {1e9 * t_lengths / n:9.1f} ns/customer "
          f"(numpy's isnan/argmax, the way before: {1e9 * t_np_lengths / n:9.1f})")

    t_pd, _ = timed(lambda: pandas_tiers(df))
    assert (pandas_tiers(df) == expected).all(), "pandas disagrees with keyaccount"
    print(f"pandas (idiomatic):              {1e9 * t_pd / n:9.1f} ns/customer")

    ratio_zen = float("nan")
    try:
        import zen
    except ImportError:
        print("zen-engine: not installed (pip install '.[bench]')")
    else:
        decision = zen.ZenEngine().create_decision(json.dumps(zen_model()))
        sub = [dict(r, as_of=AS_OF) for r in records[:args.zen_rows]]
        got = []
        t0 = time.perf_counter()
        for r in sub:
            got.append(decision.evaluate(r)["result"]["tier"])
        t_zen = (time.perf_counter() - t0) / len(sub)
        assert got == list(expected[:len(sub)]), "zen-engine disagrees with keyaccount"
        print(f"zen-engine (expression nodes):   {1e9 * t_zen:9.1f} ns/customer ({len(sub)} rows)")
        ratio_zen = t_zen / (t_df / n)

    zen_text = "not measured" if ratio_zen != ratio_zen else f"{ratio_zen:.0f}x faster"
    print(f"ratios: keyaccount DataFrame vs pandas {t_pd / t_df:.1f}x faster (Arrow list column "
          f"{t_pd / t_arrow:.1f}x, numpy columns {t_pd / t_cols:.1f}x); vs zen-engine "
          f"{zen_text}; Python numpy-columns batch takes {t_cols / t_cpp:.2f}x "
          f"the C++ batch's time on the same arrays")


if __name__ == "__main__":
    main()
