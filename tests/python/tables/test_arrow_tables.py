"""Arrow tables (issue 18): Polars frames, pyarrow Tables and RecordBatchReaders, DuckDB relations
and pandas frames with Arrow-backed columns are read in C++ through the Arrow C stream interface
and must give, row for row, what the dict path gives for the same customers -- edge cases
included (empty series, nulls, an unknown category, a bad date) -- in the caller's own kind of
table, with errors that name the row's index label or position and the customer's id."""

import copy
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import keyaccount

pa = pytest.importorskip("pyarrow")  # a test dependency (pyproject.toml, extra "test")

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "examples"))
from generate_customers import generate  # noqa: E402

AS_OF = "2026-06-30"
SERIES = pa.list_(pa.float64())


def with_edge_cases(records: list[dict]) -> list[dict]:
    """Generated customers plus the awkward ones, each at a known row."""
    out = copy.deepcopy(records)
    out[3]["monthly_shipments"] = []                   # empty series: a valid customer
    out[5]["owner"] = None                             # optional text: null
    out[7]["category"] = "charity"                     # not an allowed value
    out[11]["first_order"] = "2026-02-30"              # not a date
    out[13]["monthly_shipments"] = None                # required series: missing
    out[17]["cumulative_amount"] = None                # required number: missing
    out[19]["monthly_shipments"] = [60.0, None, 70.0]  # a null month
    out[23]["first_order"] = "2027-01-01"              # after as_of
    for r in out:
        r.pop("profile", None)
    return out


@pytest.fixture(scope="module")
def records():
    return with_edge_cases(generate(400, seed=31))


def dict_path(records) -> tuple[list, dict]:
    """(tier per row, None for a refused one; {row: field}) one record at a time."""
    tiers, bad = [], {}
    for i, r in enumerate(records):
        try:
            tiers.append(keyaccount.classify({k: v for k, v in r.items() if v is not None},
                                             AS_OF).tier)
        except keyaccount.InputError as exc:
            tiers.append(None)
            bad[i] = exc.field
    return tiers, bad


def without_bad(records) -> list[dict]:
    bad = dict_path(records)[1]
    return [r for i, r in enumerate(records) if i not in bad]


def arrow_table(records) -> "pa.Table":
    schema = pa.schema([("id", pa.string()), ("name", pa.string()), ("category", pa.string()),
                        ("first_order", pa.string()), ("monthly_shipments", SERIES),
                        ("cumulative_amount", pa.float64()), ("owner", pa.string())])
    return pa.Table.from_pylist(records, schema=schema)


def tiers_of(result) -> list:
    if isinstance(result, pa.Table):
        return result.column("tier").to_pylist()
    if isinstance(result, pd.DataFrame):
        return [None if isinstance(t, float) else t for t in result["tier"].astype(object)]
    return result["tier"].to_list()  # Polars


def errors_of(result) -> dict:
    if isinstance(result, pa.Table):
        column = result.column("error").to_pylist()
    elif isinstance(result, pd.DataFrame):
        column = list(result["error"])
    else:
        column = result["error"].to_list()
    return {i: e for i, e in enumerate(column) if isinstance(e, str)}


def check_like_dicts(result, records) -> None:
    expected, bad = dict_path(records)
    assert 0.1 < expected.count("key") / len(expected) < 0.9
    assert tiers_of(result) == expected
    errors = errors_of(result)
    assert sorted(errors) == sorted(bad)
    for row, field in bad.items():
        assert errors[row].startswith(field.split("[")[0]), (row, errors[row], field)


def test_pyarrow_table_equals_the_dict_path(records):
    result = keyaccount.classify(arrow_table(records), AS_OF, on_error="skip")
    assert isinstance(result, pa.Table)
    assert result.column("id").to_pylist() == [r["id"] for r in records]
    assert pa.types.is_dictionary(result.schema.field("tier").type)
    check_like_dicts(result, records)


def test_record_batch_reader_is_read_batch_by_batch(records):
    table = arrow_table(records)
    reader = pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=37))
    result = keyaccount.classify(reader, AS_OF, on_error="skip")
    assert isinstance(result, pa.Table) and result.num_rows == len(records)
    check_like_dicts(result, records)
    # Errors count rows across batches: row 11 is in the first batch, row 40 in the second.
    bad = copy.deepcopy(records)
    bad[40]["first_order"] = "yesterday"
    table = arrow_table(bad)
    reader = pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=37))
    result = keyaccount.classify(reader, AS_OF, on_error="skip")
    assert "yesterday" in errors_of(result)[40]


def test_polars_frame_in_polars_frame_out(records):
    pl = pytest.importorskip("polars")
    frame = pl.from_arrow(arrow_table(records))
    result = keyaccount.classify(frame, AS_OF, on_error="skip")
    assert isinstance(result, pl.DataFrame)
    assert result["id"].to_list() == [r["id"] for r in records]
    check_like_dicts(result, records)


def test_polars_frame_read_from_json_lines():
    pl = pytest.importorskip("polars")
    path = Path(__file__).resolve().parents[3] / "examples" / "customers.jsonl"
    frame = pl.read_ndjson(path)
    result = keyaccount.classify(frame.drop("profile"), AS_OF)
    expected = keyaccount.classify(pd.read_json(path, lines=True).drop(columns="profile"), AS_OF)
    assert result["tier"].to_list() == list(expected["tier"].astype(str))


def test_duckdb_relation(records):
    duckdb = pytest.importorskip("duckdb")
    customers = arrow_table(records)  # noqa: F841  (read by the query below, by its name)
    relation = duckdb.sql("SELECT * FROM customers ORDER BY id")
    result = keyaccount.classify(relation, AS_OF, on_error="skip")
    assert isinstance(result, pa.Table)
    check_like_dicts(result, sorted(records, key=lambda r: r["id"]))


def test_pandas_frame_with_arrow_backed_columns(records):
    frame = arrow_table(records).to_pandas(types_mapper=pd.ArrowDtype)
    result = keyaccount.classify(frame, AS_OF, on_error="skip")
    assert isinstance(result, pd.DataFrame)
    check_like_dicts(result, records)


def test_arrow_types_dates_dictionaries_lists(records):
    clean = without_bad(records)
    clean = [dict(r, monthly_shipments=r["monthly_shipments"] or [1.0]) for r in clean]
    expected = tiers_of(keyaccount.classify(arrow_table(clean), AS_OF))
    table = arrow_table(clean)
    width = max(len(r["monthly_shipments"]) for r in clean)

    def replaced(name, array):
        return table.set_column(table.schema.get_field_index(name), name, array)

    variants = {
        "date32": replaced("first_order", pc_cast(table["first_order"], pa.date32())),
        "timestamp": replaced("first_order", pc_cast(pc_cast(table["first_order"], pa.date32()),
                                                     pa.timestamp("ms"))),
        "dictionary": replaced("category", table["category"].dictionary_encode()),
        "large_string": replaced("category", pc_cast(table["category"], pa.large_string())),
        "large_list<float32>": replaced("monthly_shipments", pc_cast(
            table["monthly_shipments"], pa.large_list(pa.float32()))),
    }
    for name, variant in variants.items():
        assert tiers_of(keyaccount.classify(variant, AS_OF)) == expected, name
    # Whole-number amounts as list<int64> and fixed_size_list (series padded: only equal widths)
    same = [dict(r, monthly_shipments=[float(i % 90) for i in range(width)]) for r in clean]
    want = tiers_of(keyaccount.classify(arrow_table(same), AS_OF))
    t = arrow_table(same)
    ints = t.set_column(4, "monthly_shipments", pc_cast(t["monthly_shipments"],
                                                        pa.list_(pa.int64())))
    fixed = t.set_column(4, "monthly_shipments", pc_cast(t["monthly_shipments"],
                                                         pa.list_(pa.float64(), width)))
    assert tiers_of(keyaccount.classify(ints, AS_OF)) == want
    assert tiers_of(keyaccount.classify(fixed, AS_OF)) == want


def pc_cast(column, kind):
    return column.cast(kind)


def test_text_series_as_the_cli_reads_them(records):
    clean = without_bad(records)[:50]
    expected = tiers_of(keyaccount.classify(arrow_table(clean), AS_OF))
    texts = [";".join(f"{x:g}" for x in r["monthly_shipments"]) for r in clean]
    table = arrow_table(clean).set_column(4, "monthly_shipments", pa.array(texts))
    result = keyaccount.classify(table, AS_OF, on_error="skip")
    empty = [i for i, t in enumerate(texts) if t == ""]  # an empty cell: no value (required)
    assert [t for i, t in enumerate(tiers_of(result)) if i not in empty] == \
        [t for i, t in enumerate(expected) if i not in empty]
    frame = pd.DataFrame(clean).assign(monthly_shipments=texts)
    assert [t for i, t in enumerate(tiers_of(keyaccount.classify(frame, AS_OF, on_error="skip")))
            if i not in empty] == [t for i, t in enumerate(expected) if i not in empty]
    frame.loc[2, "monthly_shipments"] = "60;x;80"
    with pytest.raises(keyaccount.InputError, match=r"monthly_shipments\[1\]") as info:
        keyaccount.classify(frame, AS_OF)
    assert info.value.field == "monthly_shipments[1]"


def test_errors_name_the_index_label_and_the_id(records):
    frame = pd.DataFrame(records[:11]).set_index(pd.Index([f"r{i}" for i in range(11)]))
    with pytest.raises(keyaccount.InputError) as info:
        keyaccount.classify(frame, AS_OF)
    message = str(info.value)
    assert message.startswith(f"index 'r7' (id {records[7]['id']}): category:"), message
    assert (info.value.index, info.value.id, info.value.row) == ("r7", records[7]["id"], 7)
    # A conversion's error (a bad date text) too, with a shuffled integer index.
    frame = pd.DataFrame(records[8:30]).set_index(pd.Index(range(100, 122))[::-1])
    with pytest.raises(keyaccount.InputError) as info:
        keyaccount.classify(frame, AS_OF)
    assert str(info.value).startswith(f"index 118 (id {records[11]['id']}): first_order:"), \
        str(info.value)
    assert info.value.index == 118
    # Arrow: the row in the stream and the id.
    with pytest.raises(keyaccount.InputError) as info:
        keyaccount.classify(arrow_table(records), AS_OF)
    assert str(info.value).startswith(f"row 7 (id {records[7]['id']}): category:")
    assert (info.value.row, info.value.id, info.value.field) == (7, records[7]["id"], "category")


def test_unknown_columns_are_refused_everywhere(records):
    record = dict(records[0], region="east")
    with pytest.raises(keyaccount.InputError, match="region: unknown"):
        keyaccount.classify(record, AS_OF)
    with pytest.raises(keyaccount.InputError, match="region: unknown column"):
        keyaccount.classify(pd.DataFrame([record]), AS_OF)
    with pytest.raises(keyaccount.InputError, match="region: unknown column"):
        keyaccount.classify(pa.Table.from_pylist([record]), AS_OF)


def test_time_zones_are_refused_not_guessed(records):
    table = arrow_table(records[:3])
    local = table.set_column(3, "first_order", table["first_order"].cast(pa.date32()).cast(
        pa.timestamp("s")).cast(pa.timestamp("s", tz="Asia/Shanghai")))
    with pytest.raises(keyaccount.InputError, match="first_order: a timestamp with the time zone"):
        keyaccount.classify(local, AS_OF)


def test_classify_columns_takes_arrow_tables_and_arrays(records):
    table = arrow_table(records)
    expected = [t or "" for t in dict_path(records)[0]]
    assert list(keyaccount.classify_columns(table, AS_OF, on_error="skip")) == expected
    columns = {name: table[name] for name in table.column_names}
    assert list(keyaccount.classify_columns(columns, AS_OF, on_error="skip")) == expected


def test_explanations_equal_the_pandas_path(records):
    clean = without_bad(records)[:300]
    arrow = keyaccount.classify(arrow_table(clean), AS_OF, explain=True).to_pandas()
    frame = keyaccount.classify(pd.DataFrame(clean), AS_OF, explain=True)
    assert list(arrow.columns) == list(frame.columns)
    for name in frame.columns:
        if name == "tier":
            continue
        left, right = arrow[name].to_numpy(), frame[name].to_numpy()
        if right.dtype.kind == "f":
            assert np.array_equal(left, right, equal_nan=True), name
        else:
            assert [x if x == x else None for x in left] == list(right), name


def test_iter_classify_gives_the_whole_in_pieces(records):
    whole = keyaccount.classify(arrow_table(records), AS_OF, on_error="skip")
    pieces = list(keyaccount.iter_classify(arrow_table(records), AS_OF, chunk_rows=64,
                                           on_error="skip", progress=False))
    assert len(pieces) == -(-len(records) // 64)
    assert pa.concat_tables(pieces).column("tier").to_pylist() == tiers_of(whole)
    # Errors keep their row numbers in the whole table.
    with pytest.raises(keyaccount.InputError, match=r"^row 7 \(id"):
        for _ in keyaccount.iter_classify(arrow_table(records), AS_OF, chunk_rows=2,
                                          progress=False):
            pass
    frames = list(keyaccount.iter_classify(pd.DataFrame(records), AS_OF, chunk_rows=100,
                                           on_error="skip", progress=False))
    assert [t for f in frames for t in tiers_of(f)] == tiers_of(whole)
    reader = pa.RecordBatchReader.from_batches(
        arrow_table(records).schema, arrow_table(records).to_batches(max_chunksize=150))
    streamed = list(keyaccount.iter_classify(reader, AS_OF, chunk_rows=100, on_error="skip",
                                             progress=False))
    assert [len(p) for p in streamed] == [100, 50, 100, 50, 100]
    assert pa.concat_tables(streamed).column("tier").to_pylist() == tiers_of(whole)


def test_progress_bar_only_when_asked_or_attached(records, capsys, monkeypatch):
    pytest.importorskip("tqdm")
    table = arrow_table(without_bad(records))
    list(keyaccount.iter_classify(table, AS_OF, chunk_rows=100, progress=True))
    assert "customers" in capsys.readouterr().err  # tqdm's bar, on stderr
    list(keyaccount.iter_classify(table, AS_OF, chunk_rows=100))  # stderr is not a terminal
    assert capsys.readouterr().err == ""
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # tqdm not installed: no bar, no error
    assert len(list(keyaccount.iter_classify(table, AS_OF, chunk_rows=100, progress=True))) > 1
    assert capsys.readouterr().err == ""


def test_a_broken_arrow_buffer_is_an_error_not_a_crash(records):
    good = pa.array(["government", "other", "monopoly"])
    offsets = pa.py_buffer(np.array([0, 10, 5, 18], dtype=np.int32).tobytes())
    broken = pa.StringArray.from_buffers(3, offsets, good.buffers()[2])
    table = arrow_table(without_bad(records)[:3]).set_column(2, "category", broken)
    with pytest.raises(keyaccount.InputError, match="category: Arrow array: offsets out of order"):
        keyaccount.classify(table, AS_OF)


def test_care_functions_take_arrow_tables_of_customers():
    pl = pytest.importorskip("polars")
    from keyaccount import care

    root = Path(__file__).resolve().parents[3]
    people = root / "tests" / "data" / "workflows" / "people.json"
    path = root / "examples" / "customers.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    expected = care.plan(None, people, "2026-06-30", days=90, customers=records)
    assert len(expected) > 0
    for table in (pl.read_ndjson(path), pa.Table.from_pylist(records)):
        got = care.plan(None, people, "2026-06-30", days=90, customers=table)
        pd.testing.assert_frame_equal(got, expected)
    findings = care.compliance(None, people, "2026-06-30", customers=records)
    assert len(findings) > 0
    pd.testing.assert_frame_equal(
        care.compliance(None, people, "2026-06-30", customers=pl.read_ndjson(path)), findings)
