#!/usr/bin/env python3
"""What comparing two policies and sweeping a threshold cost, against classifying (issue 20;
figures in the README, "Performance"). One run, the same generated table for every contender:

    python3 bench/impact_python.py                 # 1 000 000 customers, 50 sweep values
    python3 bench/impact_python.py --rows 20000 --values 5

- `keyaccount.compare(df, as_of, baseline, candidate)` (Art. 5.1 raised from 500 to 600 万元)
  against one `keyaccount.classify(df, as_of)` of the same DataFrame;
- `keyaccount.sweep(df, as_of, "cumulative_amount_min", values)` against classifying the
  DataFrame once per value with `policy.with_parameters(...)`.

The monthly series is an Arrow list column (read from its buffers, as a large table should be
kept); the last line prints both ratios. Each contender is timed as the best of `--repeat` runs,
in wall time and in the process's CPU time (on a machine shared with other work, wall time also
counts the time spent waiting for a core; everything here runs on one thread, so the CPU-time
ratios are the steadier ones).
"""
from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
import pyarrow as pa

import keyaccount

AS_OF = "2026-06-30"


def table(rows: int, months: int = 36, seed: int = 20) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    level = rng.uniform(0, 90, rows)
    block = np.repeat(level[:, None], months, axis=1)
    block[rng.random((rows, months)) < 0.05] = 0.0
    offsets = pa.array(np.arange(0, rows * months + 1, months, dtype=np.int32))
    series = pa.ListArray.from_arrays(offsets, pa.array(block.ravel()))
    first = (np.datetime64(AS_OF) - rng.integers(0, 3000, rows)).astype(str)
    ids = pd.array([f"C{i:07d}" for i in range(rows)], dtype="string")
    return pd.DataFrame({
        "id": ids, "name": ids,
        "category": pd.Categorical.from_codes(rng.integers(0, 4, rows),
                                              ["government", "large_enterprise", "monopoly",
                                               "other"]),
        "first_order": first,
        "monthly_shipments": pd.Series(series, dtype=pd.ArrowDtype(series.type)),
        "cumulative_amount": rng.uniform(0, 1500, rows),
    })


def best(fn, repeat: int) -> tuple[float, float]:
    """The best wall time and the best CPU time of `repeat` runs of fn(), in seconds."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return min(wall), min(cpu)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--values", type=int, default=50, help="sweep values")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    df = table(args.rows)
    n = len(df)
    print(f"{n} generated customers, as of {AS_OF}")
    base = keyaccount.default_policy()
    candidate = base.with_parameters(cumulative_amount_min=600)

    t_classify = best(lambda: keyaccount.classify(df, AS_OF), args.repeat)
    t_compare = best(lambda: keyaccount.compare(df, AS_OF, base, candidate), args.repeat)
    result = keyaccount.compare(df, AS_OF, base, candidate)
    print(f"classify:  {t_classify[0] * 1e3:9.1f} ms (CPU {t_classify[1] * 1e3:.1f} ms)")
    print(f"compare:   {t_compare[0] * 1e3:9.1f} ms (CPU {t_compare[1] * 1e3:.1f} ms; "
          f"{result.report['changed']} change tier)")

    values = list(np.linspace(0, 2000, args.values))
    t_sweep = best(lambda: keyaccount.sweep(df, AS_OF, "cumulative_amount_min", values),
                   max(1, args.repeat - 2))
    policies = [base.with_parameters(cumulative_amount_min=v) for v in values]

    def separately():
        return [keyaccount.classify(df, AS_OF, policy=p) for p in policies]

    t_separate = best(separately, max(1, args.repeat - 2))
    curve = keyaccount.sweep(df, AS_OF, "cumulative_amount_min", values)
    each = [int((r["tier"] == "key").sum()) for r in separately()]
    assert list(curve["key"]) == each, "the sweep disagrees with classifying once per value"
    print(f"sweep of {len(values)} values: {t_sweep[0] * 1e3:9.1f} ms "
          f"(CPU {t_sweep[1] * 1e3:.1f} ms); {len(values)} classify calls: "
          f"{t_separate[0] * 1e3:9.1f} ms (CPU {t_separate[1] * 1e3:.1f} ms)")
    print(f"ratios (wall / CPU): compare takes {t_compare[0] / t_classify[0]:.2f}x / "
          f"{t_compare[1] / t_classify[1]:.2f}x one classify; a sweep of {len(values)} values "
          f"takes {t_sweep[0] / t_separate[0]:.2f}x / {t_sweep[1] / t_separate[1]:.2f}x "
          f"{len(values)} separate classify calls")


if __name__ == "__main__":
    main()
