"""DuckDB without pandas in between (issue 18 item 6, docs/tables.md "DuckDB"): a query's result
handed to keyaccount as DuckDB gives it -- a relation, a RecordBatchReader from
`to_arrow_reader` (`fetch_record_batch` before DuckDB 2), the Arrow result of `.arrow()` -- and
keyaccount registered as a DuckDB Arrow UDF must classify every customer as the dict path does,
edge cases included (an empty series, a null month, a null series, an unknown category, a
missing amount, a bad date)."""

import datetime as dt

import pytest

import keyaccount

# Test dependencies (pyproject.toml, extra "test"): imported, not skipped, so that CI cannot
# pass with the DuckDB recipe untested.
import duckdb  # noqa: E402
import pyarrow as pa  # noqa: E402

from test_arrow_tables import AS_OF, arrow_table, with_edge_cases  # noqa: E402
from generate_customers import generate  # noqa: E402  (examples/, on the path since above)


@pytest.fixture(scope="module")
def con():
    """A DuckDB table of customers in DuckDB's own types (DATE, DOUBLE[]), edge cases included,
    and the same customers as record dicts read back from DuckDB (the dict path's input)."""
    records = with_edge_cases(generate(3000, seed=41))
    connection = duckdb.connect()
    staged = arrow_table(records)  # noqa: F841  (read by the query below, by its name)
    # A bad date text becomes NULL as a DATE (TRY_CAST): DuckDB refuses it before keyaccount
    # sees it, so a bad date is tested as text below.
    connection.execute("""
        CREATE TABLE customers AS
        SELECT id, name, category, TRY_CAST(first_order AS DATE) AS first_order,
               monthly_shipments::DOUBLE[] AS monthly_shipments, cumulative_amount, owner
        FROM staged""")
    return connection


def records_of(con, query: str) -> list[dict]:
    """The rows of a query as record dicts: the dict path's input."""
    cursor = con.execute(query)
    names = [d[0] for d in cursor.description]
    out = []
    for row in cursor.fetchall():
        record = {}
        for name, value in zip(names, row):
            if value is None:
                continue
            record[name] = value.isoformat() if isinstance(value, dt.date) else value
        out.append(record)
    return out


def dict_tiers(records: list[dict]) -> list:
    """Tier per record one at a time, None where the record is refused."""
    tiers = []
    for r in records:
        try:
            tiers.append(keyaccount.classify(r, AS_OF).tier)
        except (keyaccount.InputError, keyaccount.EvaluationError):
            tiers.append(None)
    return tiers


QUERY = "SELECT * FROM customers ORDER BY id"


def check(result, expected: list) -> None:
    tiers = result.column("tier").to_pylist()
    assert tiers == expected
    assert 0.1 < tiers.count("key") / len(tiers) < 0.9
    bad = [i for i, t in enumerate(expected) if t is None]
    assert len(bad) >= 5  # the edge cases: refused by both
    errors = result.column("error").to_pylist()
    assert [i for i, e in enumerate(errors) if e is not None] == bad


def test_a_relation_a_record_batch_reader_and_arrow_results(con):
    expected = dict_tiers(records_of(con, QUERY))
    check(keyaccount.classify(con.sql(QUERY), AS_OF, on_error="skip"), expected)
    relation = con.sql(QUERY)
    # A stream, read batch by batch: to_arrow_reader (DuckDB 2), fetch_record_batch before it.
    to_reader = getattr(relation, "to_arrow_reader", None) or relation.fetch_record_batch
    reader = to_reader(128)
    assert isinstance(reader, pa.RecordBatchReader)
    check(keyaccount.classify(reader, AS_OF, on_error="skip"), expected)
    # .arrow(): a pyarrow Table (DuckDB 1), a RecordBatchReader (DuckDB 2); both are read.
    check(keyaccount.classify(con.sql(QUERY).arrow(), AS_OF, on_error="skip"), expected)


def test_a_query_that_computes_its_columns(con):
    # A query's own expressions (a date from text, a series from a list of structs, a sum)
    # are read as they come, without pandas or Python objects per cell.
    query = """
        SELECT id, name, category, strftime(first_order, '%Y-%m-%d') AS first_order,
               list_transform(monthly_shipments, lambda x: x * 2) AS monthly_shipments,
               cumulative_amount * 2 AS cumulative_amount
        FROM customers ORDER BY id"""
    expected = dict_tiers(records_of(con, query))
    result = keyaccount.classify(con.sql(query), AS_OF, on_error="skip")
    check(result, expected)
    assert expected != dict_tiers(records_of(con, QUERY))  # the doubling changed tiers


def test_a_bad_value_names_the_row_and_the_customer(con):
    relation = con.sql("SELECT id, name, category, '2026-02-30' AS first_order, monthly_shipments, "
                       "cumulative_amount FROM customers WHERE id = (SELECT min(id) FROM "
                       "customers)")
    ((customer,),) = con.execute("SELECT min(id) FROM customers").fetchall()
    with pytest.raises(keyaccount.InputError, match=rf"^row 0 \(id {customer}\): first_order"):
        keyaccount.classify(relation, AS_OF)


def test_keyaccount_as_a_duckdb_arrow_udf(con):
    def tier(name, category, first_order, monthly_shipments, cumulative_amount):
        return pa.array(keyaccount.classify_columns(
            {"name": name, "category": category, "first_order": first_order,
             "monthly_shipments": monthly_shipments, "cumulative_amount": cumulative_amount},
            AS_OF, on_error="skip"))

    # null_handling="special": NULLs reach keyaccount (a missing required value is its error,
    # ""), rather than DuckDB answering NULL without calling it.
    con.create_function("keyaccount_tier", tier,
                        ["VARCHAR", "VARCHAR", "DATE", "DOUBLE[]", "DOUBLE"], "VARCHAR",
                        type="arrow", null_handling="special")
    rows = con.sql("SELECT id, keyaccount_tier(name, category, first_order, monthly_shipments, "
                   "cumulative_amount) FROM customers ORDER BY id").fetchall()
    expected = dict_tiers(records_of(con, "SELECT id, name, category, first_order, "
                                          "monthly_shipments, cumulative_amount "
                                          "FROM customers ORDER BY id"))
    assert [t or None for _, t in rows] == expected  # "": could not be classified
    assert len(rows) > 2048  # DuckDB called it on more than one vector
