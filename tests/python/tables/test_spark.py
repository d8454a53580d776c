"""keyaccount.spark.classify (issue 18 item 5): a Spark DataFrame classified on Spark's Python
workers through DataFrame.mapInArrow (engine="arrow"), or by the policy translated into Spark SQL
(engine="sql", keyaccount/classify/spark_sql.hpp), must give, row for row, what
keyaccount.classify gives in process for the same customers -- malformed ones included, error
texts included -- with the policy it was given.

Spark runs in local mode (local[2], two shuffle partitions, no UI), one session for the module.
pyspark comes from the `test` extra, Java from Debian's openjdk-17-jre-headless (scripts/setup);
without either the module is skipped, saying which is missing.
"""

import datetime
import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import keyaccount

pa = pytest.importorskip("pyarrow")
pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'keyaccount[spark]')")
if shutil.which("java") is None:
    pytest.skip("no java on PATH: Spark needs a JVM (Debian: openjdk-17-jre-headless)",
                allow_module_level=True)

import keyaccount.spark  # noqa: E402
# The common base of both engines' job failures (docs/spark.md, "Bad rows").
from pyspark.errors import PySparkException  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "examples"))
from generate_customers import generate  # noqa: E402

# pyspark's own notice about pandas 3 (it checks the pandas version for its Arrow functions).
pytestmark = pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas")

AS_OF = "2026-06-30"
CUSTOMERS = 100_000
SCHEMA = pa.schema([("id", pa.string()), ("category", pa.string()),
                    ("first_order", pa.string()), ("monthly_shipments", pa.list_(pa.float64())),
                    ("cumulative_amount", pa.float64()), ("owner", pa.string())])


@pytest.fixture(scope="module")
def spark():
    import os

    from pyspark.sql import SparkSession

    # The workers run this Python, where keyaccount is installed (not whatever `python3` is).
    os.environ["PYSPARK_PYTHON"] = sys.executable

    java = subprocess.run(["java", "-version"], capture_output=True, text=True)
    assert java.returncode == 0, java.stderr
    session = (SparkSession.builder.master("local[2]").appName("keyaccount-tests")
               .config("spark.sql.shuffle.partitions", "2")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.driver.memory", "1g")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def malformed(records: list[dict]) -> dict[int, str]:
    """Spoils a few customers in place, spread over the table; {row: field} of each."""
    spoiled = {}
    for k, i in enumerate(range(101, len(records), 4999)):
        field = ("first_order", "category", "monthly_shipments", "cumulative_amount")[k % 4]
        records[i][field] = {"first_order": "2026-02-30", "category": "charity",
                             "monthly_shipments": None, "cumulative_amount": None}[field]
        spoiled[i] = field
    return spoiled


@pytest.fixture(scope="module")
def customers():
    records = generate(CUSTOMERS, seed=18)
    spoiled = malformed(records)
    return pa.Table.from_pylist(records, schema=SCHEMA), spoiled


def plain(values: list) -> list:
    """NaN as None, so that two columns of doubles compare equal where both have no value."""
    return [None if isinstance(v, float) and math.isnan(v) else v for v in values]


def test_spark_equals_in_process_classify_row_for_row(spark, customers):
    table, spoiled = customers
    frame = spark.createDataFrame(table).repartition(4)  # several tasks, rows shuffled
    result = keyaccount.spark.classify(frame, AS_OF, on_error="skip").toArrow().sort_by("id")
    expected = keyaccount.classify(table, AS_OF, on_error="skip").sort_by("id")
    assert result.num_rows == CUSTOMERS
    assert result.column_names == ["id", "tier", "error"]
    assert result.column("id").to_pylist() == expected.column("id").to_pylist()
    tiers = result.column("tier").to_pylist()
    assert tiers == expected.column("tier").cast(pa.string()).to_pylist()
    assert result.column("error").to_pylist() == expected.column("error").to_pylist()
    # The comparison is not empty-handed: both tiers occur, and every spoiled row is an error
    # naming its field, with no tier.
    assert 0.05 < tiers.count("key") / CUSTOMERS < 0.95
    errors = dict(zip(result.column("id").to_pylist(), result.column("error").to_pylist()))
    ids = table.column("id").to_pylist()
    assert len(spoiled) >= 20
    assert {i for i, e in errors.items() if e is not None} == {ids[r] for r in spoiled}
    for row, field in spoiled.items():
        assert errors[ids[row]].startswith(field), (ids[row], errors[ids[row]])


def test_a_bad_row_fails_the_job_naming_its_customer(spark, customers):
    table, spoiled = customers
    row = next(r for r, f in spoiled.items() if f == "first_order")
    frame = spark.createDataFrame(table.slice(row - 50, 100))
    result = keyaccount.spark.classify(frame, AS_OF)  # on_error="raise"; lazy: no job yet
    assert "error" not in result.columns
    with pytest.raises(PySparkException) as failure:
        result.collect()
    message = str(failure.value)
    assert f"customer {table.column('id')[row].as_py()}: first_order" in message
    assert "2026-02-30" in message
    # Without the bad row the same frame is classified.
    good = spark.createDataFrame(table.slice(row - 50, 50))
    assert len(keyaccount.spark.classify(good, AS_OF).collect()) == 50


def test_explain_columns_equal_in_process_explanations(spark, customers):
    table, _ = customers
    # Dates as Spark DATE (Arrow date32) this time, and the series as array<double>.
    part = table.slice(200, 3000)  # rows 200..3199: none spoiled, every date a real one
    part = part.set_column(2, "first_order", part.column("first_order").cast(pa.date32()))
    frame = spark.createDataFrame(part)
    result = keyaccount.spark.classify(frame, AS_OF, explain=True, on_error="skip") \
        .toArrow().sort_by("id")
    expected = keyaccount.classify(part, AS_OF, explain=True, on_error="skip").sort_by("id")
    # The schema stated to Spark is the in-process result's, column for column.
    assert result.column_names == expected.column_names
    assert any(n.endswith(".why_not") for n in result.column_names)
    for name in expected.column_names:
        want = expected.column(name)
        if pa.types.is_dictionary(want.type):
            want = want.cast(pa.string())
        assert plain(result.column(name).to_pylist()) == plain(want.to_pylist()), name
    assert set(result.column("deciding").to_pylist()) - {""}


def test_a_non_default_policy_travels_to_the_workers(spark, customers):
    table, _ = customers
    part = table.slice(0, 5000)
    strict = keyaccount.default_policy().with_parameters(cumulative_amount_min=2000)
    frame = spark.createDataFrame(part)
    result = keyaccount.spark.classify(frame, AS_OF, policy=strict, on_error="skip") \
        .toArrow().sort_by("id")
    expected = keyaccount.classify(part, AS_OF, policy=strict, on_error="skip").sort_by("id")
    default = keyaccount.classify(part, AS_OF, on_error="skip").sort_by("id")
    tiers = result.column("tier").to_pylist()
    assert tiers == expected.column("tier").cast(pa.string()).to_pylist()
    assert tiers != default.column("tier").cast(pa.string()).to_pylist()  # the policy mattered


def test_wrong_columns_are_refused_before_any_job(spark):
    frame = spark.createDataFrame([("C1", "government", "east")],
                                  "id string, category string, region string")
    with pytest.raises(keyaccount.InputError, match="region"):
        keyaccount.spark.classify(frame, AS_OF)
    # A Spark timestamp carries the session's time zone: its calendar day is not guessed.
    stamped = spark.createDataFrame([], "id string, first_order timestamp")
    with pytest.raises(keyaccount.InputError, match="first_order: a timestamp with the time zone"):
        keyaccount.spark.classify(stamped, AS_OF)
    with pytest.raises(ValueError, match="on_error"):
        keyaccount.spark.classify(frame.drop("region"), AS_OF, on_error="ignore")
    with pytest.raises(keyaccount.InputError, match="as_of"):
        keyaccount.spark.classify(frame.drop("region"), "2026-13-01")


def test_each_worker_process_compiles_a_policy_once(spark, customers):
    """Many small batches over several tasks: each Python worker that classified compiled the
    policy once, whatever the number of batches and tasks it ran (the workers are asked
    afterwards, by a job of their own)."""
    table, _ = customers
    policy = keyaccount.default_policy().with_parameters(cumulative_amount_min=777)
    text = policy.to_json()
    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", "250")
    try:
        frame = spark.createDataFrame(table.slice(0, 8000)).repartition(8)
        result = keyaccount.spark.classify(frame, AS_OF, policy=policy, on_error="skip")
        assert result.count() == 8000  # 8 tasks, 32 or more batches, on 2 worker processes
    finally:
        spark.conf.unset("spark.sql.execution.arrow.maxRecordsPerBatch")

    def compiles(batches):  # runs in the workers: what their keyaccount.spark has done
        import os

        import pyarrow

        import keyaccount.spark as ks

        for _ in batches:
            yield pyarrow.record_batch([[os.getpid()], [ks._COMPILES.get(text, 0)]],
                                       names=["pid", "compiles"])

    probe = spark.range(0, 64, numPartitions=16).mapInArrow(compiles, "pid long, compiles long")
    seen = {row.pid: row.compiles for row in probe.collect()}
    assert max(seen.values()) == 1, seen  # a worker that classified compiled exactly once
    # In this process the cache returns the compiled policy itself.
    first = keyaccount.spark._policy_from_text(text)
    assert keyaccount.spark._policy_from_text(text) is first
    assert keyaccount.spark._policy_from_text(keyaccount.default_policy().to_json()) is not first


def test_the_local_mode_example_of_docs_spark_md(spark, tmp_path, monkeypatch):
    """docs/spark.md's local-mode block, run here (it needs Java, so test_docs_run leaves it to
    this module); its `# [...]` line is checked as test_docs_run checks every example."""
    from test_docs_run import ROOT, checked_lines, doc_blocks

    (block,) = [b for b in doc_blocks() if b.file == "docs/spark.md" and b.language == "python"
                and "local[2]" in b.text]
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    source = checked_lines(block.text)
    assert "assert (sorted(" in source  # the documented counts are checked, not just printed
    exec(compile(source, str(block), "exec"), {"__name__": "__doc_example__"})  # noqa: S102


def spark_bench():
    """bench/compare_spark.py, imported as a module."""
    import importlib.util

    path = Path(__file__).resolve().parents[3] / "bench" / "compare_spark.py"
    spec = importlib.util.spec_from_file_location("compare_spark", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench


def test_the_benchmarks_spark_sql_criteria_agree_with_keyaccount(spark, customers):
    """bench/compare_spark.py times keyaccount against the default policy written as Spark SQL
    expressions; the comparison means something only if the two classify alike (checked here
    on 20 000 customers, in this module's session rather than the script's own)."""
    bench = spark_bench()
    table, spoiled = customers
    part = table.filter(pa.array([i not in spoiled for i in range(table.num_rows)]))
    part = part.slice(0, 20_000)
    part = part.set_column(2, "first_order", part.column("first_order").cast(pa.date32()))
    frame = spark.createDataFrame(part)
    theirs = bench.spark_sql_tiers(frame, keyaccount.default_policy().parameters)
    ours = keyaccount.spark.classify(frame, AS_OF)
    a = ours.toArrow().sort_by("id").column("tier").to_pylist()
    b = theirs.toArrow().sort_by("id").column("tier").to_pylist()
    assert len(a) == 20_000 and set(a) == {"key", "regular"}
    assert a == b
    # Its third contender, the same expressions behind keyaccount's checks of each row, refuses
    # none of these valid rows.
    checked = bench.spark_sql_tiers(frame, keyaccount.default_policy().parameters, checked=True)
    assert checked.toArrow().sort_by("id").column("tier").to_pylist() == a
    # And the same criteria written without lambdas (the fastest hand-written form), with and
    # without the checks.
    for with_checks in (False, True):
        direct = bench.spark_sql_tiers_direct(frame, keyaccount.default_policy().parameters,
                                              checked=with_checks)
        assert direct.toArrow().sort_by("id").column("tier").to_pylist() == a


def test_the_benchmarks_checked_sql_refuses_exactly_what_keyaccount_refuses(spark,
                                                                           sql_customers):
    """The benchmark's hand-written SQL "with keyaccount's row checks" stands for any correct
    translation of the policy: it must refuse (a null tier) exactly the rows keyaccount refuses,
    here every kind of bad value the SQL engine words, and nothing else."""
    bench = spark_bench()
    table, spoiled = sql_customers
    frame = spark.createDataFrame(table)
    ids = table.column("id").to_pylist()
    params = keyaccount.default_policy().parameters
    for form in (bench.spark_sql_tiers, bench.spark_sql_tiers_direct):
        result = form(frame, params, checked=True).toArrow()
        refused = {i for i, t in zip(result.column("id").to_pylist(),
                                     result.column("tier").to_pylist()) if t is None}
        assert refused == {ids[r] for r in spoiled}, form.__name__
    # The script's own demonstration on its malformed customers (it asserts that keyaccount and
    # the checked SQL refuse them all) says what the SQL without the checks makes of them.
    line = bench.what_each_makes_of_malformed(spark, params, per_kind=3)
    kinds = len(bench.MALFORMED)
    assert line.startswith(f"{3 * kinds} malformed customers (3 of each: a NaN month, ")
    assert f"keyaccount refuses all {3 * kinds}," in line
    assert f"without them it gives a tier to {3 * kinds} of them" in line


# --- engine="sql": the policy translated into Spark SQL --------------------------------------

SQL_SCHEMA = pa.schema([("id", pa.string()), ("category", pa.string()),
                        ("first_order", pa.date32()),
                        ("monthly_shipments", pa.list_(pa.float64())),
                        ("cumulative_amount", pa.float64()), ("owner", pa.string())])

#: Every error the SQL words, each as (field, value) spoiling one customer -- a NaN, an
#: infinity or a null month (first, in the middle, last), an absent series, a category not in
#: the schema or absent, an empty or absent id, a first order after as_of or absent, a NaN,
#: infinite or absent cumulative amount -- and rows with two errors, whose first column wins.
SPOILERS = (
    [("monthly_shipments", [math.nan, 60.0, 70.0]), ("monthly_shipments", [60.0, math.inf, 1.0]),
     ("monthly_shipments", [60.0, 70.0, -math.inf]), ("monthly_shipments", [60.0, None, 80.0]),
     ("monthly_shipments", None), ("category", "charity"), ("category", None),
     ("category", "it's \\ \"odd\""), ("first_order", datetime.date(2026, 7, 1)),
     ("first_order", datetime.date(2031, 12, 31)), ("first_order", None),
     ("cumulative_amount", math.nan), ("cumulative_amount", math.inf),
     ("cumulative_amount", -math.inf), ("cumulative_amount", None),
     ("both", {"category": "charity", "cumulative_amount": math.nan}),
     ("both", {"first_order": datetime.date(2027, 1, 1), "monthly_shipments": [math.nan]}),
     ("both", {"cumulative_amount": None, "monthly_shipments": None})])


def spoiled_for_sql(records: list[dict]) -> dict[int, str]:
    """Spoils customers in place with each of SPOILERS in turn, and one an empty id and one a
    null id (ids stay unique: the comparisons sort by id); {row: first field of its error}."""
    spoiled = {}
    for k, i in enumerate(range(57, len(records), 997)):
        field, value = SPOILERS[k % len(SPOILERS)]
        if field == "both":
            records[i].update(value)
            field = next(f for f in ("category", "first_order", "monthly_shipments",
                                     "cumulative_amount") if f in value)
        else:
            records[i][field] = value
        spoiled[i] = field
    records[3]["id"], records[3]["category"] = "", "charity"  # the id's error comes first
    records[5]["id"] = None
    spoiled[3] = spoiled[5] = "id"
    return spoiled


@pytest.fixture(scope="module")
def sql_customers():
    records = generate(CUSTOMERS, seed=21)
    for r in records:
        r["first_order"] = datetime.date.fromisoformat(r["first_order"])
    spoiled = spoiled_for_sql(records)
    return pa.Table.from_pylist(records, schema=SQL_SCHEMA), spoiled


def is_sql(result) -> bool:
    """Whether Spark evaluates `result` without a Python worker (no MapInArrow in its plan)."""
    plan = result._jdf.queryExecution().executedPlan().toString()
    return "MapInArrow" not in plan and "PythonMapInArrow" not in plan


def rows_of(result) -> list[tuple]:
    table = result.toArrow().sort_by("id")
    return list(zip(*(table.column(n).to_pylist() for n in ("id", "tier", "error"))))


def local_rows(table, policy=None) -> list[tuple]:
    expected = keyaccount.classify(table, AS_OF, policy=policy, on_error="skip").sort_by("id")
    tiers = expected.column("tier").cast(pa.string())
    return list(zip(expected.column("id").to_pylist(), tiers.to_pylist(),
                    expected.column("error").to_pylist()))


def test_the_sql_engine_equals_the_arrow_engine_and_in_process_classify(spark, sql_customers):
    table, spoiled = sql_customers
    frame = spark.createDataFrame(table).repartition(4)
    sql = keyaccount.spark.classify(frame, AS_OF, on_error="skip")  # auto: sql for these columns
    assert is_sql(sql)
    assert sql.schema == keyaccount.spark.output_schema(frame.schema, on_error="skip")
    arrow = keyaccount.spark.classify(frame, AS_OF, on_error="skip", engine="arrow")
    assert not is_sql(arrow)
    ours, theirs, local = rows_of(sql), rows_of(arrow), local_rows(table)
    assert len(ours) == CUSTOMERS
    assert ours == local  # tier and error text, row for row
    assert theirs == local
    # Not empty-handed: both tiers, and every spoiled row an error naming its first bad field.
    tiers = [t for _, t, _ in ours]
    assert 0.05 < tiers.count("key") / CUSTOMERS < 0.95
    errors = {i: e for i, _, e in ours if e is not None}
    ids = table.column("id").to_pylist()
    assert set(errors) == {ids[r] for r in spoiled}
    for row, field in spoiled.items():
        assert errors[ids[row]].startswith(field), (ids[row], errors[ids[row]])
    # Every way the SQL words an error occurs.
    words = {e.split(": ", 1)[1].split(" is after")[0] for e in errors.values()}
    assert {"required value is missing", "not a finite number", "empty: every customer needs an id",
            '"charity" is not an allowed value', '"it\'s \\ "odd"" is not an allowed value',
            "2026-07-01", "2031-12-31", "2027-01-01"} <= words, words
    assert {e.split(":")[0] for e in errors.values()} >= {
        "monthly_shipments[0]", "monthly_shipments[1]", "monthly_shipments[2]"}


def test_the_sql_engine_fails_the_job_naming_the_customer(spark, sql_customers):
    table, spoiled = sql_customers
    row = next(r for r, f in spoiled.items() if f == "first_order")
    frame = spark.createDataFrame(table.slice(row - 20, 40))
    result = keyaccount.spark.classify(frame, AS_OF, engine="sql")
    assert result.columns == ["id", "tier"]
    with pytest.raises(PySparkException) as failure:
        result.collect()
    error = local_rows(table.slice(row, 1))[0][2]
    assert f"customer {table.column('id')[row].as_py()}: {error}" in str(failure.value)
    good = spark.createDataFrame(table.slice(row - 20, 20))
    assert len(keyaccount.spark.classify(good, AS_OF, engine="sql").collect()) == 20
    # A null id: named as the arrow engine names it.
    nameless = spark.createDataFrame(table.slice(5, 1))
    with pytest.raises(PySparkException, match="a customer with a null id: id: required value"):
        keyaccount.spark.classify(nameless, AS_OF, engine="sql").collect()


def test_the_sql_engine_gives_the_same_rows_with_ansi_mode_off(spark, sql_customers):
    """Spark 4 evaluates SQL in ANSI mode by default, and many clusters turn it off
    (spark.sql.ansi.enabled=false: integer overflow wraps, a failed cast gives NULL). The
    translation relies on neither, so each row's tier and error are the same."""
    table, _ = sql_customers
    frame = spark.createDataFrame(table).repartition(4)
    before = spark.conf.get("spark.sql.ansi.enabled")
    spark.conf.set("spark.sql.ansi.enabled", "false")
    try:
        sql = keyaccount.spark.classify(frame, AS_OF, on_error="skip")
        assert is_sql(sql)
        assert rows_of(sql) == local_rows(table)
    finally:
        spark.conf.set("spark.sql.ansi.enabled", before)


def test_the_sql_engine_with_other_parameters_and_an_at_least_k_rule(spark, sql_customers):
    table, _ = sql_customers
    part = table.slice(0, 20_000)
    text = json.loads(keyaccount.default_policy().with_parameters(
        cumulative_amount_min=2000, consecutive_months=2, continuity_months=6).to_json())
    for c in text["criteria"]:
        if c["id"] == "art-5":  # any of 5.1-5.3 -> at least 2 of them
            c["at_least"], c["of"] = 2, c.pop("any")
    policy = keyaccount.Policy.from_json(json.dumps(text))
    frame = spark.createDataFrame(part)
    result = keyaccount.spark.classify(frame, AS_OF, policy=policy, on_error="skip")
    assert is_sql(result)
    sql = keyaccount.spark.spark_sql(frame, AS_OF, policy=policy)
    assert ">= 2)" in sql["tier"] and "2000D" in sql["tier"]
    ours = rows_of(result)
    assert ours == local_rows(part, policy)
    assert ours != local_rows(part)  # the policy mattered
    assert {t for _, t, _ in ours} == {"key", "regular", None}


def untranslatable_policy():
    """Art. 5.1 with a function the translator does not know (sum of the months)."""
    text = json.loads(keyaccount.default_policy().to_json())
    for c in text["criteria"]:
        if c["id"] == "art-5.1":
            c["condition"] = "sum(monthly_shipments) > params.cumulative_amount_min"
    return keyaccount.Policy.from_json(json.dumps(text))


def test_what_does_not_translate_goes_to_the_arrow_engine_or_is_refused(spark, sql_customers,
                                                                        customers):
    table, _ = sql_customers
    part = table.slice(0, 5000)
    frame = spark.createDataFrame(part)
    policy = untranslatable_policy()
    result = keyaccount.spark.classify(frame, AS_OF, policy=policy, on_error="skip")
    assert not is_sql(result)  # auto: the arrow engine
    assert rows_of(result) == local_rows(part, policy)
    with pytest.raises(keyaccount.ArgumentError, match=r"criterion art-5\.1 .*sum\(\)"):
        keyaccount.spark.classify(frame, AS_OF, policy=policy, engine="sql")
    with pytest.raises(keyaccount.ArgumentError, match=r"sum\(\) is not translated"):
        keyaccount.spark.spark_sql(frame, AS_OF, policy=policy)
    # Columns the SQL does not read as keyaccount does: dates as text (the module's other
    # table), a series of floats. Auto takes the arrow engine; "sql" says why not.
    text_dates = spark.createDataFrame(customers[0].slice(0, 2000))
    assert not is_sql(keyaccount.spark.classify(text_dates, AS_OF, on_error="skip"))
    with pytest.raises(keyaccount.ArgumentError, match="`first_order` is of Spark type string"):
        keyaccount.spark.classify(text_dates, AS_OF, engine="sql")
    floats = frame.withColumn("monthly_shipments", frame.monthly_shipments.cast("array<float>"))
    assert not is_sql(keyaccount.spark.classify(floats, AS_OF))
    # Explanations come from the arrow engine only.
    assert not is_sql(keyaccount.spark.classify(frame, AS_OF, explain=True, on_error="skip"))
    with pytest.raises(keyaccount.ArgumentError, match="explanations"):
        keyaccount.spark.classify(frame, AS_OF, explain=True, engine="sql")
    with pytest.raises(keyaccount.ArgumentError, match="engine"):
        keyaccount.spark.classify(frame, AS_OF, engine="jvm")
