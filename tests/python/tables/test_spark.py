"""keyaccount.spark.classify (issue 18 item 5): a Spark DataFrame classified on Spark's Python
workers through DataFrame.mapInArrow must give, row for row, what keyaccount.classify gives in
process for the same customers -- malformed ones included -- with the policy it was given.

Spark runs in local mode (local[2], two shuffle partitions, no UI), one session for the module.
pyspark comes from the `test` extra, Java from Debian's openjdk-17-jre-headless (scripts/setup);
without either the module is skipped, saying which is missing.
"""

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
    with pytest.raises(Exception) as failure:
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


def test_the_benchmarks_spark_sql_criteria_agree_with_keyaccount(spark, customers):
    """bench/compare_spark.py times keyaccount against the default policy written as Spark SQL
    expressions; the comparison means something only if the two classify alike (checked here
    on 20 000 customers, in this module's session rather than the script's own)."""
    import importlib.util

    path = Path(__file__).resolve().parents[3] / "bench" / "compare_spark.py"
    spec = importlib.util.spec_from_file_location("compare_spark", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
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
