#!/usr/bin/env python3
"""keyaccount on Spark against Spark's own expressions (issue 18), same data, same run.

    python3 bench/compare_spark.py [--rows 500000] [--runs 3] [--master local[2]]
                                   [--source cache|parquet] [--batch-rows 10000]

Generates that many customers (examples/generate_customers.py, first_order as a DATE, the
series as array<double>), caches them in Spark's memory (--source cache) or writes them to a
Parquet folder that every run reads again, as a job reads a data lake (--source parquet), then
times, per customer (best of --runs, the contenders taking turns):

- keyaccount.spark.classify with engine="sql" (its default for these columns): the policy
  translated by keyaccount's C++ translator into Spark SQL expressions -- the tier and each
  bad row's error in keyaccount's words -- evaluated by Spark's JVM, no Python worker;
- keyaccount.spark.classify with engine="arrow": each Arrow batch through keyaccount's C++
  reader on Spark's Python workers (DataFrame.mapInArrow);
- the default policy's criteria (Art. 4.1, 4.2, 5.1, 5.2, 5.3, with the policy's parameter
  values) written as Spark SQL column expressions -- higher-order array functions for the
  series -- evaluated by Spark's JVM with whole-stage code generation;
- the same criteria written without lambdas (the least month of a slice, the newest months read
  one by one), the fastest hand-written form we know: the ratios are also given against the
  faster of the two hand-written forms;
- the same expressions behind the checks keyaccount makes of every row before it gives a tier
  (id present and not empty, category one of the schema's values, first_order present and not
  after as_of, the series present with every month a finite number, cumulative_amount a finite
  number): what any correct translation of the policy into Spark SQL would have to evaluate
  too, so its rate is the most such an engine could reach (a row failing a check only gets a
  null tier here, where keyaccount words the error);
- mapInArrow handing the batches to Python and back with nothing computed: the floor of any
  classifier on Spark's Python workers;
- a diagnostic: the criteria part of keyaccount's translated tier expression alone, without
  its checks (not a mode keyaccount offers), to set beside the hand-written criteria.

Why the checks count: before timing, a few customers are spoiled with each kind of bad value
(`MALFORMED`), and the script prints what each contender makes of them -- keyaccount refuses
every one with its reason, the hand-written SQL behind the checks refuses the same rows, and
the hand-written SQL without them gives each a tier, silently (a NaN month passes `> 50`, a
category outside the schema is simply not strategic).

Each run ends in the same action (the number of customers per tier), so Spark computes every
tier; all are first checked to agree customer for customer. Prints customers per second of
each (best of --runs) and the ratio. --batch-rows sets the Arrow batches Spark hands Python
(spark.sql.execution.arrow.maxRecordsPerBatch, 10 000 by default). Needs pyspark and Java 17
(scripts/setup installs both).
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))
from generate_customers import generate  # noqa: E402

AS_OF = "2026-06-30"


def customers(rows: int):
    base = generate(min(rows, 50000), seed=7)
    return bench_table([f"C{i:07d}" for i in range(rows)],
                       [base[i % len(base)] for i in range(rows)])


def bench_table(ids: list, records: list):
    """The benchmark's columns of generated customer records (first_order as ISO text), with
    these ids: first_order as a DATE and the series as array<double>, as the SQL engine reads
    them."""
    import pyarrow as pa

    return pa.table({
        "id": pa.array(ids),
        "category": pa.array([r["category"] for r in records]),
        "first_order": pa.array([r["first_order"] for r in records]).cast(pa.date32()),
        "monthly_shipments": pa.array([r["monthly_shipments"] for r in records],
                                      pa.list_(pa.float64())),
        "cumulative_amount": pa.array([r["cumulative_amount"] for r in records], pa.float64())})


def spark_sql_tiers(df, params: dict, checked: bool = False):
    """The default policy's tiers as Spark SQL column expressions (docs/cel.md gives the CEL
    functions' meaning: `s.last(n)` the newest n months, all of them when fewer; `trailing`
    the run of newest months meeting the predicate; `months_between` whole months)."""
    from pyspark.sql import functions as F

    ms = "monthly_shipments"

    def trailing(above: float) -> str:  # the run of newest months above `above`
        return f"aggregate({ms}, 0, (run, x) -> IF(x > {above!r}D, run + 1, 0))"

    as_of = f"DATE'{AS_OF}'"
    months = (f"((year({as_of}) - year(first_order)) * 12 + month({as_of}) - month(first_order)"
              f" - IF(day({as_of}) < day(first_order), 1, 0))")
    art_4_1 = F.col("category").isin("government", "large_enterprise", "monopoly")
    art_4_2 = F.expr(f"size({ms}) > 0 AND size(filter({ms}, (x, i) -> "
                     f"i >= size({ms}) - {int(params['continuity_months'])} "
                     f"AND NOT (x > 0D))) = 0")
    art_5_1 = F.col("cumulative_amount") > F.lit(float(params["cumulative_amount_min"]))
    art_5_2 = F.expr(f"{trailing(float(params['monthly_shipment_min']))} >= "
                     f"{int(params['consecutive_months'])}")
    art_5_3 = F.expr(f"{months} < {int(params['new_customer_months'])} AND "
                     f"{trailing(float(params['new_customer_monthly_min']))} >= "
                     f"{int(params['consecutive_months'])}")
    key = (art_4_1 & art_4_2) & (art_5_1 | art_5_2 | art_5_3)
    tier = F.when(key, "key").otherwise("regular")
    if checked:
        tier = F.when(_rows_keyaccount_accepts(), tier)
    return df.select("id", tier.alias("tier"))


def spark_sql_tiers_direct(df, params: dict, checked: bool = False):
    """The same criteria written as a Spark expert would for speed: no lambda (a lambda costs
    more per element than a compiled array function: Spark 4.3 compiles its body but also stores
    every element in the lambda variable's AtomicReference). `last(n).all(x, x > 0)` is the
    least of the newest n months, `trailing(x, x > m) >= k` the newest k months read one by one
    after a test of the series' length (`size(s) >= k AND try_element_at(s, -1) > m AND ...`,
    as keyaccount's translation writes it; `coalesce(..., FALSE)` over the NULL `try_element_at`
    gives past the oldest month, the form this function had before, measured no faster: best
    passes 0.307-0.335 s against 0.301-0.316 s on 2 000 000 cached customers)."""
    from pyspark.sql import functions as F

    ms = "monthly_shipments"
    n = int(params["continuity_months"])
    k = int(params["consecutive_months"])

    def newest_k_above(above: float) -> str:
        months = " AND ".join(f"try_element_at({ms}, -{i}) > {above!r}D" for i in range(1, k + 1))
        return f"size({ms}) >= {k} AND {months}"

    as_of = f"DATE'{AS_OF}'"
    months = (f"((year({as_of}) - year(first_order)) * 12 + month({as_of}) - month(first_order)"
              f" - IF(day({as_of}) < day(first_order), 1, 0))")
    art_4_1 = F.col("category").isin("government", "large_enterprise", "monopoly")
    art_4_2 = F.expr(f"size({ms}) > 0 AND "
                     f"array_min(slice({ms}, greatest(size({ms}) - {n} + 1, 1), {n})) > 0D")
    art_5_1 = F.col("cumulative_amount") > F.lit(float(params["cumulative_amount_min"]))
    art_5_2 = F.expr(newest_k_above(float(params["monthly_shipment_min"])))
    art_5_3 = F.expr(f"{months} < {int(params['new_customer_months'])} AND "
                     f"{newest_k_above(float(params['new_customer_monthly_min']))}")
    key = (art_4_1 & art_4_2) & (art_5_1 | art_5_2 | art_5_3)
    tier = F.when(key, "key").otherwise("regular")
    if checked:
        tier = F.when(_rows_keyaccount_accepts(), tier)
    return df.select("id", tier.alias("tier"))


def _rows_keyaccount_accepts():
    """The checks keyaccount makes of each row of this table before deciding its tier, as one
    Spark SQL predicate (the default schema's fields the criteria read, and the id): it refuses
    exactly the rows keyaccount refuses (tests/python/tables/test_spark.py checks this on every
    kind of bad value the SQL engine words)."""
    from pyspark.sql import functions as F

    categories = ", ".join(f"'{c}'" for c in ("government", "large_enterprise", "monopoly",
                                               "other"))
    return F.expr(
        "id IS NOT NULL AND id <> '' "
        f"AND category IN ({categories}) "
        f"AND first_order IS NOT NULL AND first_order <= DATE'{AS_OF}' "
        "AND monthly_shipments IS NOT NULL "
        "AND forall(monthly_shipments, x -> x IS NOT NULL AND NOT isnan(x) "
        "AND abs(x) <> double('infinity')) "
        "AND cumulative_amount IS NOT NULL AND NOT isnan(cumulative_amount) "
        "AND abs(cumulative_amount) <> double('infinity')")


#: Each kind of value keyaccount refuses, as (what, field, spoil): spoil(record) is the value
#: the field gets. A month is spoiled at the newest end, where the criteria read.
MALFORMED = (
    ("a NaN month", "monthly_shipments", lambda r: r["monthly_shipments"][:-1] + [math.nan]),
    ("a missing month", "monthly_shipments", lambda r: r["monthly_shipments"][:-1] + [None]),
    ("an infinite month", "monthly_shipments", lambda r: r["monthly_shipments"][:-1] + [math.inf]),
    ("a first order after as_of", "first_order", lambda r: "2026-12-01"),
    ("a category outside the schema", "category", lambda r: "charity"),
    ("a NaN cumulative amount", "cumulative_amount", lambda r: math.nan),
    ("an infinite cumulative amount", "cumulative_amount", lambda r: math.inf))


def malformed_customers(per_kind: int):
    """`per_kind` customers spoiled with each of MALFORMED (the first customers with a series,
    each spoiled once), as a pyarrow table of the benchmark's columns."""
    base = [r for r in generate(10 * per_kind * len(MALFORMED), seed=11)
            if r["monthly_shipments"]]
    records = [dict(r, **{field: spoil(r)})
               for k, (_, field, spoil) in enumerate(MALFORMED)
               for r in base[k * per_kind:(k + 1) * per_kind]]
    return bench_table([f"M{i:07d}" for i in range(len(records))], records)


def what_each_makes_of_malformed(spark, params: dict, per_kind: int = 20) -> str:
    """One line: how keyaccount and the hand-written SQL, with and without the checks, classify
    customers with bad values. Asserts that keyaccount and the checked SQL refuse them all."""
    import keyaccount.spark

    bad = spark.createDataFrame(malformed_customers(per_kind))
    total = bad.count()
    ours = keyaccount.spark.classify(bad, AS_OF, engine="sql", on_error="skip")
    refused = ours.where("error IS NOT NULL AND tier IS NULL").count()
    assert refused == total, f"keyaccount classified {total - refused} malformed customers"
    for form in (spark_sql_tiers, spark_sql_tiers_direct):
        checked = form(bad, params, checked=True).where("tier IS NOT NULL").count()
        assert checked == 0, f"{form.__name__} with the checks gave {checked} of them a tier"
    unchecked = dict(spark_sql_tiers_direct(bad, params).groupBy("tier").count().collect())
    lambdas = dict(spark_sql_tiers(bad, params).groupBy("tier").count().collect())
    return (f"{total} malformed customers ({per_kind} of each: "
            f"{', '.join(what for what, _, _ in MALFORMED)}): keyaccount refuses all {total}, "
            f"each with its reason, and so does the hand-written SQL behind the checks; without "
            f"them it gives a tier to {total - unchecked.get(None, 0)} of them "
            f"({unchecked.get('key', 0)} 'key'; with lambdas: "
            f"{total - lambdas.get(None, 0)}, {lambdas.get('key', 0)} 'key')")


def keyaccount_criteria_alone(df):
    """A diagnostic, not a mode keyaccount offers: the criteria part of the tier expression
    keyaccount's SQL engine evaluates for `df`, without its checks of the row's values -- what
    keyaccount's translation of the criteria costs by itself, beside the hand-written criteria."""
    import keyaccount.spark
    from pyspark.sql import functions as F

    tier = keyaccount.spark.spark_sql(df, AS_OF)["tier"]
    # CASE WHEN <the row's checks> THEN <the tier rules' CASE> END (src/classify/spark_sql.cpp);
    # the checks hold no CASE.
    assert tier.startswith("CASE WHEN ") and tier.endswith(" END END"), tier[:80]
    criteria = tier[tier.index(" THEN CASE WHEN ") + len(" THEN "):-len(" END")]
    return df.select("id", F.expr(criteria).alias("tier"))


def _constant_tiers(batches):
    """mapInArrow's floor: the same batches to Python and `id`, `tier` back, nothing computed."""
    import pyarrow as pa

    for batch in batches:
        yield pa.record_batch([batch.column("id"), pa.nulls(batch.num_rows, pa.string())],
                              names=["id", "tier"])


def best_rates(actions: dict, rows: int, runs: int) -> dict:
    """Customers per second of each action, best of `runs`, the actions taking turns in each
    round: none is timed only while the JVM is still compiling, or while another process on the
    machine happens to be busy."""
    best = {name: float("inf") for name in actions}
    for _ in range(runs):
        for name, action in actions.items():
            t0 = time.perf_counter()
            action()
            best[name] = min(best[name], time.perf_counter() - t0)
    return {name: rows / seconds for name, seconds in best.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=500_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--source", choices=("cache", "parquet"), default="cache")
    ap.add_argument("--batch-rows", type=int, default=10_000)
    args = ap.parse_args()

    from pyspark.sql import SparkSession

    import keyaccount
    import os
    import keyaccount.spark

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # the workers need keyaccount
    spark = (SparkSession.builder.master(args.master).appName("keyaccount-bench")
             .config("spark.sql.shuffle.partitions", "2").config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .config("spark.driver.memory", "2g")
             .config("spark.sql.execution.arrow.maxRecordsPerBatch", str(args.batch_rows))
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    folder = tempfile.TemporaryDirectory(prefix="keyaccount-bench-")
    try:
        frame = spark.createDataFrame(customers(args.rows)).repartition(4)
        if args.source == "cache":
            frame = frame.cache()
        else:
            frame.write.parquet(folder.name + "/customers")
            frame = spark.read.parquet(folder.name + "/customers")
        assert frame.count() == args.rows  # cached (or written) before anything is timed
        ours = keyaccount.spark.classify(frame, AS_OF, engine="sql")
        arrow = keyaccount.spark.classify(frame, AS_OF, engine="arrow")
        params = keyaccount.default_policy().parameters
        theirs = spark_sql_tiers(frame, params)
        direct = spark_sql_tiers_direct(frame, params)
        direct_checked = spark_sql_tiers_direct(frame, params, checked=True)
        checked = spark_sql_tiers(frame, params, checked=True)
        alone = keyaccount_criteria_alone(frame)

        # Customer for customer, the two agree (otherwise the comparison means nothing).
        a = ours.select("id", ours.tier).toArrow().sort_by("id")
        b = theirs.toArrow().sort_by("id")
        assert a.column("id").equals(b.column("id"))
        differ = sum(x != y for x, y in zip(a.column("tier").to_pylist(),
                                            b.column("tier").to_pylist()))
        assert differ == 0, f"{differ} customers classified differently"
        assert arrow.toArrow().sort_by("id").column("tier").equals(a.column("tier")), \
            "the two engines differ"
        assert direct.toArrow().sort_by("id").column("tier").equals(b.column("tier")), \
            "the lambda-free hand-written SQL differs"
        assert alone.toArrow().sort_by("id").column("tier").equals(b.column("tier")), \
            "keyaccount's criteria alone differ"
        c = checked.toArrow().sort_by("id")
        assert c.column("tier").equals(b.column("tier")), "the checks refused a valid row"
        counts = dict(ours.groupBy("tier").count().collect())
        print(f"{args.rows} customers on Spark {spark.version} ({args.master}, from "
              f"{args.source}, Arrow batches of {args.batch_rows}), tiers {counts}, the two "
              "engines and the hand-written SQL agree on every customer")
        print(what_each_makes_of_malformed(spark, params))

        floor = frame.mapInArrow(_constant_tiers, "id string, tier string")
        contenders = (("keyaccount.spark.classify engine=sql (JVM)", ours),
                      ("keyaccount.spark.classify engine=arrow (C++)", arrow),
                      ("Spark SQL column expressions (JVM)", theirs),
                      ("the same without lambdas (JVM)", direct),
                      ("without lambdas, with keyaccount's row checks", direct_checked),
                      ("the same with keyaccount's row checks (JVM)", checked),
                      ("mapInArrow computing nothing (transport only)", floor),
                      ("keyaccount's criteria, no checks (diagnostic)", alone))
        rates = best_rates({name: (lambda r=result: r.groupBy("tier").count().collect())
                            for name, result in contenders}, args.rows, args.runs)
        for name, rate in rates.items():
            print(f"  {name:48s} {rate:12,.0f} customers/s")
        (sql_rate, arrow_rate, theirs_rate, direct_rate, direct_checked_rate, checked_rate,
         floor_rate, alone_rate) = rates.values()
        best_hand = max(theirs_rate, direct_rate)
        best_checked = max(checked_rate, direct_checked_rate)
        print(f"ratio: engine=sql at {sql_rate / best_checked:.2f}x the customers per second of "
              f"the fastest hand-written SQL that refuses what keyaccount refuses, "
              f"{sql_rate / best_hand:.2f}x the fastest that refuses nothing; keyaccount's "
              f"criteria alone at {alone_rate / best_hand:.2f}x the latter")
        print(f"ratio: engine=sql at {sql_rate / theirs_rate:.2f}x the hand-written SQL with "
              f"lambdas ({sql_rate / checked_rate:.2f}x it with the checks); engine=arrow at "
              f"{arrow_rate / best_hand:.2f}x the fastest hand-written SQL "
              f"({arrow_rate / floor_rate:.2f}x mapInArrow computing nothing)")
    finally:
        spark.stop()
        folder.cleanup()


if __name__ == "__main__":
    main()
