"""Classifying a Spark DataFrame on a cluster (issue 18, docs/spark.md).

:func:`classify` has two engines, which give the same result, row for row and error for error:

- ``"sql"``: the policy translated into Spark SQL expressions by keyaccount's C++ translator
  (``_core.classify.to_spark_sql``, keyaccount/classify/spark_sql.hpp) -- the tier, and for a
  row that cannot be classified its error in keyaccount's own words -- which Spark evaluates in
  its JVM with whole-stage code generation: no Python worker, no Arrow transfer. Only what
  Spark computes exactly as keyaccount does is translated; anything else is refused with its
  reason (see :func:`spark_sql`).
- ``"arrow"``: ``DataFrame.mapInArrow``: Spark hands each Python worker its partitions as Arrow
  record batches, and each batch goes through the C++ Arrow reader that
  :func:`keyaccount.classify` uses for a pyarrow table -- no pandas and no Python object per
  cell. The policy travels to the workers as its JSON text; each worker process compiles it
  once (the compiled policies are cached by their text) and reuses it for every batch of every
  task it runs. It reads every column type keyaccount reads (a date as text, a series as
  ``"60;70;80"`` text, ...), gives explanations, and is the fallback.

``engine="auto"`` (the default) takes ``"sql"`` when the policy and the DataFrame's columns
translate and no explanation is asked for, else ``"arrow"``.

pyspark is imported only when :func:`classify` is called: the rest of keyaccount works
without it.
"""

from __future__ import annotations

import functools
from typing import Any, Iterator, Optional

from . import _core
from ._errors import ArgumentError, located_input_error
from .classify import DateLike, _as_of_text, _check_on_error, _classifier
from .classify import classify as _classify_local
from .policy import Policy, resolve_policy, warn_if_not_in_force

__all__ = ["classify", "output_schema", "spark_sql"]

#: The engines of classify().
_ENGINES = ("auto", "sql", "arrow")

#: The explanation columns' suffixes and their Spark SQL types, in the order classify() gives
#: them per criterion (bindings/python/bind_classify.cpp, explanation_parts).
_EXPLANATION_PARTS = (("result", "string"), ("met", "boolean"), ("observed", "double"),
                      ("target", "double"), ("margin", "double"), ("gap", "double"),
                      ("why_not", "string"), ("why_not_zh", "string"), ("error", "string"))


def _pyspark_types() -> Any:
    try:
        from pyspark.sql import types
    except ImportError:
        raise ImportError("keyaccount.spark needs pyspark (and a Java 17 runtime): "
                          "pip install 'keyaccount[spark]'") from None
    return types


#: Compiled policies of this process, by their JSON text: a Spark worker process runs many
#: tasks (spark.python.worker.reuse), and compiling the policy's CEL programs for each batch
#: would cost more than classifying it.
_POLICIES: dict[str, Policy] = {}
#: How many times this process compiled each policy text (the tests read it in the workers).
_COMPILES: dict[str, int] = {}


def _policy_from_text(text: str) -> Policy:
    policy = _POLICIES.get(text)
    if policy is None:
        policy = Policy.from_json(text)
        _classifier(policy)  # compiled now, kept on the Policy
        _POLICIES[text] = policy
        _COMPILES[text] = _COMPILES.get(text, 0) + 1
    return policy


def output_schema(df_schema: Any, policy: Optional[Policy] = None, explain: bool = False,
                  on_error: str = "raise") -> Any:
    """The Spark schema (a ``StructType``) of :func:`classify`'s result for an input of schema
    ``df_schema``: ``id`` (when the input has one, of its type), ``tier`` (string, null for a
    row that could not be classified), ``error`` (string, with ``on_error="skip"`` only), and
    with ``explain=True`` ``deciding`` then per criterion ``<id>.result / .met / .observed /
    .target / .margin / .gap / .why_not / .why_not_zh / .error``: the columns, in order, that
    :func:`keyaccount.classify` gives for a pyarrow table."""
    t = _pyspark_types()
    kinds = {"string": t.StringType(), "boolean": t.BooleanType(), "double": t.DoubleType()}
    fields = []
    if "id" in df_schema.fieldNames():
        fields.append(t.StructField("id", df_schema["id"].dataType, True))
    fields.append(t.StructField("tier", kinds["string"], True))
    if on_error == "skip":
        fields.append(t.StructField("error", kinds["string"], True))
    if explain:
        fields.append(t.StructField("deciding", kinds["string"], True))
        for criterion in _classifier(policy).criterion_ids:
            for part, kind in _EXPLANATION_PARTS:
                fields.append(t.StructField(f"{criterion}.{part}", kinds[kind], True))
    return t.StructType(fields)


def _classify_batches(policy_text: str, as_of: str, explain: bool, on_error: str,
                      arrow_schema: Any, batches: Iterator[Any]) -> Iterator[Any]:
    """The function each Spark worker runs (a module-level function, so that Spark pickles it
    by reference and the worker's own _POLICIES cache is used): each Arrow batch classified
    by the C++ reader, its result cast to the declared output schema."""
    import pyarrow as pa

    policy = _policy_from_text(policy_text)
    names = arrow_schema.names
    for batch in batches:
        result = _classify_local(batch, as_of, policy=policy, explain=explain, on_error="skip")
        errors = result.column("error")
        if on_error == "raise" and errors.null_count < len(errors):
            _raise_first_error(result, errors)
        columns = [result.column(n).cast(arrow_schema.field(n).type) for n in names]
        yield from pa.Table.from_arrays(columns, schema=arrow_schema).to_batches()


def _raise_first_error(result: Any, errors: Any) -> None:
    """Fails the Spark task on the first row that could not be classified, naming the
    customer's id (a row's position in a partition means nothing to the caller)."""
    import pyarrow.compute as pc

    row = pc.index(pc.is_valid(errors), True).as_py()
    bad = pc.sum(pc.is_valid(errors)).as_py()
    more = f" (and {bad - 1} more bad rows in this batch)" if bad > 1 else ""
    customer = result.column("id")[row].as_py() if "id" in result.column_names else None
    if customer is not None:
        where = f"customer {customer}"
    elif "id" in result.column_names:
        where = "a customer with a null id"
    else:
        where = "a customer (the DataFrame has no id column)"
    exc = located_input_error(f"{where}: {errors[row].as_py()}{more}")
    exc.id = customer  # type: ignore[attr-defined]
    raise exc


def spark_sql(df: Any, as_of: DateLike, policy: Optional[Policy] = None) -> dict[str, str]:
    """The Spark SQL expressions :func:`classify` evaluates with ``engine="sql"`` for ``df``'s
    columns: ``{"tier": ..., "error": ...}``. ``tier`` is a row's tier id, NULL for a row that
    cannot be classified; ``error`` is NULL for a row that can be classified and otherwise its
    error worded as :func:`keyaccount.classify` words it with ``on_error="skip"``. Raises
    :class:`keyaccount.ArgumentError` with the reason when the policy or a column is not
    translated (then ``engine="auto"`` uses the arrow engine)."""
    tier, error, refusal = _translate(df, _as_of_text(as_of), resolve_policy(policy))
    if refusal:
        raise ArgumentError(f"keyaccount's Spark SQL engine cannot classify this: {refusal}")
    return {"tier": tier, "error": error}


def _translate(df: Any, as_of: str, policy: Policy) -> tuple[str, str, str]:
    columns = [(f.name, f.dataType.simpleString()) for f in df.schema.fields]
    return _core.classify.to_spark_sql(_classifier(policy), as_of, columns)


def _classify_sql(df: Any, tier_sql: str, error_sql: str, on_error: str) -> Any:
    """The translated expressions in one ``select``, evaluated by Spark's JVM. Both start with
    the same test of the row's values, which Spark computes once (a common subexpression)."""
    from pyspark.sql import functions as F

    tier, error = F.expr(tier_sql), F.expr(error_sql)
    ids = [F.col("id")] if "id" in df.columns else []
    if on_error == "skip":
        return df.select(*ids, tier.alias("tier"), error.alias("error"))
    # As the arrow engine fails the job: naming the customer's id (_raise_first_error). The
    # tier is NULL only for a row with an error, whose words are computed only then.
    if ids:
        where = F.coalesce(F.concat(F.lit("customer "), F.col("id")),
                           F.lit("a customer with a null id"))
    else:
        where = F.lit("a customer (the DataFrame has no id column)")
    failure = F.raise_error(F.concat(where, F.lit(": "), error))
    return df.select(*ids, F.coalesce(tier, failure).alias("tier"))


def classify(df: Any, as_of: DateLike, policy: Optional[Policy] = None, explain: bool = False,
             on_error: str = "raise", engine: str = "auto") -> Any:
    """Classify the customers of a Spark DataFrame, one column per field of the policy's
    customer schema (as for :func:`keyaccount.classify`; a ``series`` as ``array<double>``
    or any numeric array, or ``"60;70;80"`` text; a date as ``date``, ``timestamp_ntz`` or
    ``YYYY-MM-DD`` text), on ``as_of`` with ``policy`` (default: the embedded default policy).

    Returns a Spark DataFrame of the columns described by :func:`output_schema` -- ``id``,
    ``tier``, and the ``error`` and explanation columns on request -- computed lazily, on the
    executors. A row that cannot be classified fails the job with its customer's id
    (``on_error="raise"``) or gets a null tier and its reason in ``error``
    (``on_error="skip"``).

    ``engine``: ``"sql"`` evaluates the policy translated into Spark SQL expressions (no
    Python worker; see :func:`spark_sql`; raises :class:`keyaccount.ArgumentError` with the
    reason when the policy or a column does not translate, or with ``explain=True``);
    ``"arrow"`` classifies each Arrow batch with keyaccount's C++ batch on Spark's Python
    workers (``DataFrame.mapInArrow``); ``"auto"`` takes ``"sql"`` when it translates and
    ``explain`` is False, else ``"arrow"``. Both give the same tiers and the same error texts.
    The SQL engine reads a date from a ``date`` column, a series from ``array<double>``, a
    number from a ``double``, ``float`` or integer column, text from ``string``; a date or a
    series as text, a ``timestamp_ntz``, a series of floats or integers go to the arrow engine.

    The DataFrame's columns and their types are checked here, before any job runs, by the same
    C++ reader the executors use: a column the policy's customer schema does not declare, or of
    a type keyaccount cannot read (a ``timestamp`` with a time zone), raises
    :class:`keyaccount.InputError` at once.
    """
    _pyspark_types()  # a clear ImportError first
    from pyspark.sql.pandas.types import to_arrow_schema

    _check_on_error(on_error)
    if engine not in _ENGINES:
        raise ArgumentError(f"engine must be one of {', '.join(map(repr, _ENGINES))}, "
                            f"not {engine!r}")
    if engine == "sql" and explain:
        raise ArgumentError("engine='sql' gives no explanations: use engine='arrow' (or "
                            "'auto') with explain=True")
    as_of_text = _as_of_text(as_of)
    policy = resolve_policy(policy)
    warn_if_not_in_force(policy, as_of_text, stacklevel=2)
    spark_schema = output_schema(df.schema, policy, explain, on_error)
    large = df.sparkSession.conf.get("spark.sql.execution.arrow.useLargeVarTypes",
                                     "false").lower() == "true"
    timezone = df.sparkSession.conf.get("spark.sql.session.timeZone") or "UTC"
    # An empty table of the DataFrame's own Arrow schema through the local classify: wrong
    # columns or types are refused now, in the driver, with the reader's own message.
    input_schema = to_arrow_schema(df.schema, timezone=timezone, prefers_large_types=large)
    _classify_local(input_schema.empty_table(), as_of_text, policy=policy, on_error="skip")
    if engine != "arrow" and not explain:
        tier_sql, error_sql, refusal = _translate(df, as_of_text, policy)
        if not refusal:
            return _classify_sql(df, tier_sql, error_sql, on_error)
        if engine == "sql":
            raise ArgumentError(f"keyaccount's Spark SQL engine cannot classify this: {refusal}")
    arrow_schema = to_arrow_schema(spark_schema, timezone=timezone, prefers_large_types=large)
    work = functools.partial(_classify_batches, policy.to_json(), as_of_text, bool(explain),
                             on_error, arrow_schema)
    return df.mapInArrow(work, spark_schema)
