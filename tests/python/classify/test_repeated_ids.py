"""A customer id given twice in one table is an input error at its second row, naming the first
(issue 17's sweep: before, `keyaccount classify`, `keyaccount diff` and every Python form gave
the customer two tiers, or counted it twice, without a word).

The rule: ``customer "C1" is given twice (first at PLACE)`` at the second row, whatever the two
rows hold; with ``on_error="skip"`` (``--on-error skip``) that row is left without a tier and
reported, the first keeps its own. The same for a file (the CLI), a list of dicts, a DataFrame
(by index label), numpy columns, Arrow tables and streams, Polars, and for ``compare`` / ``diff``.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import keyaccount

ROOT = Path(__file__).resolve().parents[3]
AS_OF = "2026-06-30"
RECORDS = [json.loads(x) for x in
           (ROOT / "examples" / "customers.jsonl").read_text().splitlines()[:5]]
TWICE = "customer \"C00002\" is given twice"


def records() -> list[dict]:
    """Five customers, the fourth (position 3) with the second's id."""
    out = [dict(r) for r in RECORDS]
    out[3]["id"] = out[1]["id"]
    return out


def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "keyaccount", *map(str, args)],
                          capture_output=True, text=True)


@pytest.fixture
def customers_file(tmp_path) -> Path:
    path = tmp_path / "customers.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records()))
    return path


def test_the_cli_refuses_the_second_record(customers_file):
    r = cli("classify", "--as-of", AS_OF, customers_file)
    assert r.returncode == 1
    assert f"{customers_file}:4: error[invalid_record]: {TWICE} (first at {customers_file}:2)" \
        in r.stderr, r.stderr
    r = cli("classify", "--as-of", AS_OF, "--on-error", "skip", customers_file)
    ids = [json.loads(line)["id"] for line in r.stdout.splitlines()]
    assert ids == ["C00001", "C00002", "C00003", "C00005"], r.stdout
    assert "skipped 1" in r.stderr, r.stderr


def test_diff_refuses_it_too(customers_file):
    policy = ROOT / "policies" / "key-account-policy.json"
    r = cli("diff", policy, policy, "--customers", customers_file, "--as-of", AS_OF)
    assert r.returncode == 1
    assert f"{customers_file}:4: error[invalid_record]: {TWICE} (first at {customers_file}:2)" \
        in r.stderr, r.stderr


def test_a_list_of_dicts_is_refused_at_the_record():
    with pytest.raises(keyaccount.InputError) as raised:
        keyaccount.classify(records(), AS_OF)
    assert str(raised.value) == f"record 3: id: {TWICE} (first at record 1)"
    assert (raised.value.field, raised.value.row) == ("id", 3)


def test_a_dataframe_names_both_rows_by_label():
    frame = pd.DataFrame(records(), index=["a", "b", "c", "d", "e"])
    with pytest.raises(keyaccount.InputError) as raised:
        keyaccount.classify(frame, AS_OF)
    assert str(raised.value) == f"index 'd' (id C00002): id: {TWICE} (first at index 'b')"
    assert (raised.value.index, raised.value.id, raised.value.row) == ("d", "C00002", 3)
    out = keyaccount.classify(frame, AS_OF, on_error="skip", explain=True)
    alone = keyaccount.classify(pd.DataFrame(RECORDS, index=list("abcde")), AS_OF)
    assert out["tier"].isna().tolist() == [False, False, False, True, False]
    assert out["error"]["d"] == f"id: {TWICE} (first at index 'b')"
    assert out["tier"].drop("d").tolist() == alone["tier"].drop("d").tolist()
    assert out["deciding"]["d"] == ""


def test_numpy_columns_name_the_row():
    frame = pd.DataFrame(records())
    columns = {name: frame[name].to_numpy() for name in frame.columns}
    with pytest.raises(keyaccount.InputError, match=r"^row 3: id: .*\(first at row 1\)$"):
        keyaccount.classify_columns(columns, AS_OF)
    tiers = keyaccount.classify_columns(columns, AS_OF, on_error="skip")
    assert tiers[3] == "" and all(tiers[[0, 1, 2, 4]] != "")
    del columns["id"]  # no ids, nothing to check
    assert len(keyaccount.classify_columns(columns, AS_OF)) == 5


@pytest.mark.parametrize("kind", ["pyarrow", "stream", "polars"])
def test_arrow_tables_name_the_row(kind):
    table = pa.Table.from_pylist(records())
    data = {"pyarrow": lambda: table, "stream": lambda: pa.RecordBatchReader.from_batches(
        table.schema, table.to_batches(max_chunksize=2)),
        "polars": lambda: pytest.importorskip("polars").from_arrow(table)}[kind]
    with pytest.raises(keyaccount.InputError) as raised:
        keyaccount.classify(data(), AS_OF)
    assert str(raised.value) == f"row 3 (id C00002): id: {TWICE} (first at row 1)"
    out = keyaccount.classify(data(), AS_OF, on_error="skip")
    out = out if isinstance(out, pa.Table) else out.to_arrow()
    assert out.column("tier").is_null().to_pylist() == [False, False, False, True, False]
    assert out.column("error").to_pylist()[3] == f"id: {TWICE} (first at row 1)"


def test_compare_refuses_or_skips_it_as_diff_does():
    frame = pd.DataFrame(records(), index=list("abcde"))
    candidate = keyaccount.default_policy()
    with pytest.raises(keyaccount.InputError) as raised:
        keyaccount.compare(frame, AS_OF, candidate=candidate)
    assert str(raised.value) == f"index 'd' (id C00002): id: {TWICE} (first at index 'b')"
    result = keyaccount.compare(frame, AS_OF, candidate=candidate, on_error="skip")
    assert result.report["customers"] == 4 and result.report["failed"] == 1, result.report
    assert result.changed.attrs["skipped"] == \
        [f"index 'd' (id C00002): id: {TWICE} (first at index 'b')"]


def test_a_bad_value_before_the_repeat_is_raised_first():
    bad = records()
    bad[2]["first_order"] = "2026-02-30"
    with pytest.raises(keyaccount.InputError, match=r"^index 2 \(id C00003\): first_order"):
        keyaccount.classify(pd.DataFrame(bad), AS_OF)
    with pytest.raises(keyaccount.InputError, match=r"^index 2 \(id C00003\): first_order"):
        keyaccount.compare(pd.DataFrame(bad), AS_OF, candidate=keyaccount.default_policy())


def _texts(column):
    return [None if v is None or v != v else v for v in list(column)]


def test_a_repeated_row_is_explained_as_not_read_in_every_kind_of_table():
    """The repeated row's explanation texts are blank (the C++ batch blanks it with the
    conversion's bad rows; the Arrow path's text buffers are blanked after), the first row's
    are its own."""
    frame = pd.DataFrame(records(), index=list("abcde"))
    out = keyaccount.classify(frame, AS_OF, on_error="skip", explain=True)
    alone = keyaccount.classify(pd.DataFrame(RECORDS, index=list("abcde")), AS_OF, explain=True)
    texts = [c for c in out.columns if c.endswith((".result", ".why_not"))]
    assert texts
    for c in texts:
        assert _texts(out[c])[3] in (None, "")
        assert _texts(out[c].drop("d")) == _texts(alone[c].drop("d"))
    pa = pytest.importorskip("pyarrow")
    table = keyaccount.classify(pa.Table.from_pylist(records()), AS_OF, on_error="skip",
                                explain=True)
    assert table.column("tier").to_pylist()[3] is None
    for c in texts:
        got = table.column(c).to_pylist()
        assert got[3] in (None, "")
        assert [got[i] for i in (0, 1, 2, 4)] == [_texts(alone[c])[i] for i in (0, 1, 2, 4)]
