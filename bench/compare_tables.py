#!/usr/bin/env python3
"""Arrow tables against numpy columns, and explanations at scale (issue 18), same data, same run.

    python3 bench/compare_tables.py [--rows 200000] [--budget 2.0]
    python3 bench/compare_tables.py --explain 1000000 [--python OTHER_PYTHON]

The first form times, per customer, keyaccount.classify_columns on prepared numpy columns (the
series as a 2-D float block) against keyaccount.classify on a pyarrow Table and on a Polars
frame holding the series as list<double> (read in C++ through the Arrow C stream interface),
checks that all give the same tiers, and prints the ratios. The second classifies a DataFrame of
that many customers with explain=True in a fresh process (OTHER_PYTHON: another installed
keyaccount, e.g. before a change) and prints the time, the memory the result holds and the peak
transient memory beyond it (Linux: /proc/self/status, the peak reset by /proc/self/clear_refs).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))
from generate_customers import generate  # noqa: E402

AS_OF = "2026-06-30"


def best_of(fn, budget: float) -> float:
    best, runs, start = float("inf"), 0, time.perf_counter()
    while runs < 3 or time.perf_counter() - start < budget:
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
        runs += 1
    return best


def records(rows: int) -> list[dict]:
    base = generate(min(rows, 50000), seed=7)
    out = [dict(base[i % len(base)], id=f"C{i:07d}") for i in range(rows)]
    for r in out:
        r.pop("profile", None)
        r.pop("owner", None)
        r.pop("name", None)
    return out


def numpy_columns(recs: list[dict]) -> dict:
    width = max(len(r["monthly_shipments"]) for r in recs)
    block = np.full((len(recs), width), np.nan)
    for i, r in enumerate(recs):
        block[i, :len(r["monthly_shipments"])] = r["monthly_shipments"]
    return {"category": np.array([r["category"] for r in recs], dtype=object),
            "first_order": np.array([r["first_order"] for r in recs], dtype="datetime64[D]"),
            "monthly_shipments": block,
            "cumulative_amount": np.array([r["cumulative_amount"] for r in recs])}


def speed(rows: int, budget: float) -> None:
    import pyarrow as pa

    import keyaccount

    recs = records(rows)
    columns = numpy_columns(recs)
    table = pa.table({
        "id": pa.array([r["id"] for r in recs]),
        "category": pa.array([r["category"] for r in recs]),
        "first_order": pa.array(columns["first_order"].astype("datetime64[D]"), pa.date32()),
        "monthly_shipments": pa.array([r["monthly_shipments"] for r in recs],
                                      pa.list_(pa.float64())),
        "cumulative_amount": pa.array(columns["cumulative_amount"])})
    expected = keyaccount.classify_columns(columns, AS_OF)
    contenders = {"numpy columns (classify_columns)":
                  lambda: keyaccount.classify_columns(columns, AS_OF),
                  "pyarrow Table, list<double> (classify)":
                  lambda: keyaccount.classify(table, AS_OF)}
    assert keyaccount.classify(table, AS_OF).column("tier").to_pylist() == list(expected)
    try:
        import polars as pl
        frame = pl.from_arrow(table)
        assert keyaccount.classify(frame, AS_OF)["tier"].to_list() == list(expected)
        contenders["Polars frame, list<double> (classify)"] = \
            lambda: keyaccount.classify(frame, AS_OF)
    except ImportError:
        print("polars not installed: skipped")
    times = {name: best_of(fn, budget) / rows * 1e6 for name, fn in contenders.items()}
    base = times["numpy columns (classify_columns)"]
    print(f"{rows} customers, µs per customer (best of runs within {budget} s each):")
    for name, t in times.items():
        print(f"  {name:42s} {t:6.3f} µs  ({t / base:.2f}x numpy columns)")


def explain_child(rows: int) -> None:
    import pandas as pd

    import keyaccount

    def status(key: str) -> int:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
        return 0

    frame = pd.DataFrame(records(rows))
    keyaccount.classify(frame.head(10), AS_OF, explain=True)  # warm up
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
    before = status("VmRSS")
    t0 = time.perf_counter()
    out = keyaccount.classify(frame, AS_OF, explain=True)
    seconds = time.perf_counter() - t0
    peak = status("VmHWM")
    result = int(out.memory_usage(deep=True).sum())  # the Python objects included
    print(json.dumps({"rows": rows, "seconds": seconds, "result_bytes": result,
                      "peak_growth_bytes": peak - before,
                      "transient_bytes": peak - before - result, "columns": len(out.columns)}))


def explain(rows: int, python: str) -> None:
    out = subprocess.run([python, __file__, "--explain-child", str(rows)], check=True,
                         capture_output=True, text=True).stdout.strip().splitlines()[-1]
    r = json.loads(out)
    print(f"explain=True on {r['rows']} customers ({python}): {r['seconds']:.1f} s, result "
          f"{r['result_bytes'] / 2**20:.0f} MiB (deep), peak memory growth "
          f"{r['peak_growth_bytes'] / 2**20:.0f} MiB, transient beyond the result "
          f"{r['transient_bytes'] / 2**20:.0f} MiB "
          f"({r['transient_bytes'] / r['rows']:.0f} bytes per customer)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200000)
    parser.add_argument("--budget", type=float, default=2.0)
    parser.add_argument("--explain", type=int, metavar="ROWS")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--explain-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.explain_child:
        explain_child(args.explain_child)
    elif args.explain:
        explain(args.explain, args.python)
    else:
        speed(args.rows, args.budget)


if __name__ == "__main__":
    main()
