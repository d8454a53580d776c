"""Table columns are checked like one record: a value the dict path refuses (text, a boolean or a
date for a number, a fraction for a whole number, a number for a boolean...) is a located
keyaccount.InputError in a DataFrame or numpy columns too, never a silent conversion; with
on_error="skip" only its row is left without a tier. A missing optional int / bool is absent,
as for one record."""

import decimal
import fractions
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import keyaccount

AS_OF = "2026-06-30"
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def policy():
    p = json.loads((ROOT / "tests/data/format-examples/minimal.json").read_text())
    p["customer_schema"]["fields"] += [
        {"id": "visits", "type": "int", "required": True},
        {"id": "vip", "type": "bool", "required": True},
        {"id": "region", "type": "string", "required": True},
        {"id": "n2", "type": "int", "required": False},
        {"id": "flag2", "type": "bool", "required": False},
    ]
    article = p["criteria"][0]["article"]
    p["criteria"] = [
        {"id": "amount", "article": article, "name": "amount",
         "condition": "cumulative_amount > params.cumulative_amount_min"},
        {"id": "visits", "article": article, "name": "visits", "condition": "visits > 3"},
        {"id": "vip", "article": article, "name": "vip", "condition": "vip"},
        {"id": "north", "article": article, "name": "north", "condition": "region == 'north'"},
        # Optional fields: an absent value decides nothing, so `visits > 3` must decide.
        {"id": "extra", "article": article, "name": "extra",
         "condition": "visits > 3 || n2 > 100 || flag2"},
    ]
    p["tiers"] = [{"id": "key", "name": "Key", "rule": {"any": ["amount", "north", "extra"]}},
                  {"id": "vip", "name": "VIP", "rule": {"all": ["vip"]}},
                  {"id": "regular", "name": "Regular", "fallback": True}]
    return keyaccount.Policy.from_dict(p)


BASE = {"id": "a", "cumulative_amount": 1.0, "visits": 5, "vip": False, "region": "south"}


def one(policy, record):
    """The dict path's answer for one record: its tier, or the InputError's field."""
    try:
        return keyaccount.classify(record, AS_OF, policy=policy).tier
    except keyaccount.InputError as exc:
        return ("InputError", exc.field)
    except keyaccount.EvaluationError:
        return ("EvaluationError",)


def table(records, **columns):
    frame = pd.DataFrame(records)
    for name, values in columns.items():
        frame[name] = values
    return frame


# (field, bad value, what the value is): each refused by the dict path.
BAD_CELLS = [
    ("cumulative_amount", "600", "numeric text in a number column"),
    ("cumulative_amount", True, "a boolean in a number column"),
    ("cumulative_amount", np.datetime64("2026-01-01"), "a date in a number column"),
    ("visits", 4.5, "a fraction in an int column"),
    ("visits", "5", "text in an int column"),
    ("visits", True, "a boolean in an int column"),
    ("visits", 2.0 ** 63, "a whole number past int64"),
    ("vip", 2, "an int in a bool column"),
    ("vip", 256, "an int in a bool column, 256 mod 256 == 0"),
    ("vip", "False", "text in a bool column"),
    ("vip", 0.5, "a number in a bool column"),
    ("region", 5, "a number in a string column"),
    ("region", True, "a boolean in a string column"),
]


@pytest.mark.parametrize("field,value,what", BAD_CELLS)
def test_a_value_the_dict_path_refuses_is_refused_in_a_table(policy, field, value, what):
    records = [dict(BASE, id=f"c{i}") for i in range(5)]
    bad = dict(records[3], **{field: value.item() if isinstance(value, np.generic) and
                              not isinstance(value, np.datetime64) else value})
    assert one(policy, bad)[0] == "InputError", what  # the reference: refused for one record
    with pytest.raises(keyaccount.InputError) as refused:
        keyaccount.classify(bad, AS_OF, policy=policy)
    words = str(refused.value)  # "field: problem", said alike by the table (one wording)
    column = pd.Series([r[field] for r in records], dtype=object)
    column[3] = value
    frame = table(records, **{field: column})
    with pytest.raises(keyaccount.InputError) as info:
        keyaccount.classify(frame, AS_OF, policy=policy)
    assert (info.value.field, info.value.row) == (field, 3), what
    assert str(info.value) == f"index 3 (id c3): {words}", what
    out = keyaccount.classify(frame, AS_OF, policy=policy, on_error="skip")
    assert out["tier"].isna().tolist() == [False, False, False, True, False]
    assert out["error"].iloc[3] == words, what
    good = [one(policy, r) for r in records]
    assert [out["tier"].iloc[i] for i in (0, 1, 2, 4)] == [good[i] for i in (0, 1, 2, 4)]


@pytest.mark.parametrize("field,column,row", [
    ("cumulative_amount", np.array(["600", "700"], dtype=object), 0),
    ("cumulative_amount", np.array([True, False]), 0),
    ("cumulative_amount", np.array(["2026-01-01", "2026-01-02"], dtype="datetime64[D]"), 0),
    ("cumulative_amount", [1.0, True], 1),  # a list: never numpy's guess of one dtype
    ("visits", np.array([4.0, 4.5]), 1),
    ("visits", np.array([4.0, 4.5], dtype=">f8"), 1),  # not this machine's byte order
    ("visits", np.array([4.0, 9.0, 4.5, 9.0], dtype=np.float32)[::2], 1),  # a strided view
    ("visits", np.array([np.nan, 4.0]), 0),  # a required int missing
    ("visits", np.array([np.inf, 4.0]), 0),
    ("visits", np.array([5, 2 ** 64 - 1], dtype=np.uint64), 1),
    ("visits", np.array(["5", "6"]), 0),
    ("visits", pd.array([4, None], dtype="Int64"), 1),
    ("vip", np.array([0, 2], dtype=np.int64), 0),
    ("vip", np.array([0.0, 1.0]), 0),
    ("vip", pd.array([True, None], dtype="boolean"), 1),  # a required bool missing
    ("vip", np.array([True, 256], dtype=object), 1),
])
def test_typed_columns_are_checked_and_located(policy, field, column, row):
    columns = {"id": np.array(["a", "b"], dtype=object),
               "cumulative_amount": np.array([1.0, 2.0]), "visits": np.array([5, 6]),
               "vip": np.array([False, True]), "region": np.array(["south", "north"])}
    columns[field] = column
    with pytest.raises(keyaccount.InputError) as info:
        keyaccount.classify_columns(columns, AS_OF, policy=policy)
    assert (info.value.field, info.value.row) == (field, row)
    tiers = keyaccount.classify_columns(columns, AS_OF, policy=policy, on_error="skip")
    assert tiers[row] == ""


def test_whole_floats_in_an_int_column_and_nullable_columns_are_read_exactly(policy):
    records = [dict(BASE, id=f"c{i}", visits=v, vip=b)
               for i, (v, b) in enumerate([(4, False), (5, True), (2 ** 53, False), (9, True)])]
    expected = [one(policy, r) for r in records]
    frame = table(records)
    for visits, vip in [(frame["visits"].astype(float), frame["vip"]),
                        (frame["visits"].astype("Int64"), frame["vip"].astype("boolean")),
                        (frame["visits"].astype("int64[pyarrow]"),
                         frame["vip"].astype("bool[pyarrow]"))]:
        out = keyaccount.classify(table(records, visits=visits, vip=vip), AS_OF, policy=policy)
        assert list(out["tier"]) == expected


def test_missing_optional_int_and_bool_are_absent_as_for_one_record(policy):
    rows = [dict(BASE, id="a"), dict(BASE, id="b", n2=500), dict(BASE, id="c", visits=0),
            dict(BASE, id="d", visits=0, n2=500), dict(BASE, id="e", visits=0, flag2=True),
            dict(BASE, id="f", visits=0, n2=1, flag2=False), dict(BASE, id="g", n2=None)]
    expected = [one(policy, {k: v for k, v in r.items() if v is not None}) for r in rows]
    assert ("EvaluationError",) in expected and "key" in expected  # both outcomes exercised
    n2 = [r.get("n2") for r in rows]
    flag2 = [r.get("flag2") for r in rows]
    for n2_col, flag_col in [(pd.array(n2, dtype="Int64"), pd.array(flag2, dtype="boolean")),
                             ([math.nan if v is None else v for v in n2],
                              pd.Series(flag2, dtype=object))]:
        frame = table([{k: v for k, v in r.items() if k not in ("n2", "flag2")} for r in rows],
                      n2=n2_col, flag2=flag_col)
        out = keyaccount.classify(frame, AS_OF, policy=policy, on_error="skip", explain=True)
        got = [t if isinstance(t, str) else ("EvaluationError",) for t in out["tier"]]
        assert got == expected
        # The explanation of a row classified without its absent column is its own.
        for i, r in enumerate(rows):
            if isinstance(expected[i], str):
                d = keyaccount.classify({k: v for k, v in r.items() if v is not None}, AS_OF,
                                        policy=policy)
                assert out["deciding"].iloc[i] == ";".join(d.deciding)
                assert out["visits.met"].iloc[i] == d.criterion("visits")["met"]


def test_a_boolean_inside_a_series_is_refused(records_default):
    frame = pd.DataFrame(records_default[:4])
    months = list(frame.at[2, "monthly_shipments"])
    months[1] = True
    frame.at[2, "monthly_shipments"] = months
    with pytest.raises(keyaccount.InputError, match="boolean") as info:
        keyaccount.classify(frame, AS_OF)
    assert (info.value.field, info.value.row) == ("monthly_shipments[1]", 2)
    with pytest.raises(keyaccount.InputError):
        keyaccount.classify(dict(records_default[2], monthly_shipments=months), AS_OF)
    block = np.ones((4, 3), dtype=bool)
    columns = {"category": np.array(["government"] * 4),
               "first_order": np.array(["2020-01-01"] * 4, dtype="datetime64[D]"),
               "monthly_shipments": block, "cumulative_amount": np.full(4, 600.0)}
    with pytest.raises(keyaccount.InputError, match="boolean"):
        keyaccount.classify_columns(columns, AS_OF)


@pytest.fixture(scope="module")
def records_default():
    import sys
    sys.path.insert(0, str(ROOT / "examples"))
    from generate_customers import generate
    return generate(40, seed=5)


def test_skip_leaves_rows_with_unconvertible_dates_and_series_without_a_tier(records_default):
    records = records_default[:6]
    frame = pd.DataFrame(records)
    frame.loc[1, "first_order"] = "2020-13-01"
    frame.at[3, "monthly_shipments"] = [1.0, "x"]
    frame.at[4, "monthly_shipments"] = None
    expected = [d.tier for d in keyaccount.classify(records, AS_OF)]
    with pytest.raises(keyaccount.InputError) as info:
        keyaccount.classify(frame, AS_OF)
    assert info.value.row in (1, 3)
    out = keyaccount.classify(frame, AS_OF, on_error="skip", explain=True)
    assert out["tier"].isna().tolist() == [False, True, False, True, True, False]
    assert out["error"].iloc[1].startswith("first_order:")
    assert out["error"].iloc[3].startswith("monthly_shipments[1]:")
    assert out["error"].iloc[4].startswith("monthly_shipments:")
    assert [out["tier"].iloc[i] for i in (0, 2, 5)] == [expected[i] for i in (0, 2, 5)]
    assert pd.isna(out["art-5.1.why_not"].iloc[1]) and out["deciding"].iloc[1] == ""
    assert not out["art-5.1.met"].iloc[1] and np.isnan(out["art-5.1.observed"].iloc[1])
    tiers = keyaccount.classify_columns({k: frame[k].to_numpy(dtype=object) for k in
                                         ("category", "first_order", "monthly_shipments",
                                          "cumulative_amount")}, AS_OF, on_error="skip")
    assert [t == "" for t in tiers] == [False, True, False, True, True, False]


@pytest.mark.parametrize("tz", ["Asia/Shanghai", "UTC", "US/Pacific"])
def test_time_zone_aware_dates_count_by_their_local_date(tz):
    # A new customer (Art. 5.3: fewer than 12 whole months) exactly on the boundary: one day
    # earlier (the UTC date of Shanghai's midnight) makes 12 months and another tier.
    base = {"id": "A", "name": "n", "category": "government", "monthly_shipments": [40.0] * 12,
            "cumulative_amount": 100.0}
    records = [dict(base, id=str(i), first_order=d) for i, d in
               enumerate(["2025-07-01", "2025-06-30", "2025-07-02", "2020-01-01"])]
    expected = keyaccount.classify(pd.DataFrame(records), AS_OF, explain=True)
    assert len(set(expected["tier"])) == 2  # the boundary decides
    local = pd.to_datetime(pd.Series([r["first_order"] for r in records])).dt.tz_localize(tz)
    for column in (local, local.astype(object),
                   local.astype(pd.ArrowDtype(__import__("pyarrow").timestamp("us", tz=tz)))):
        out = keyaccount.classify(pd.DataFrame(records).assign(first_order=column), AS_OF,
                                  explain=True)
        assert list(out["tier"]) == list(expected["tier"])
        assert list(out["art-5.3.why_not"]) == list(expected["art-5.3.why_not"])
    for i, r in enumerate(records):  # and as the dict path reads a Timestamp
        assert keyaccount.classify(dict(r, first_order=local[i]), AS_OF).tier == \
            expected["tier"].iloc[i]


@pytest.mark.parametrize("bad", ["ignore", "Skip", None, 1])
def test_on_error_is_validated(records_default, bad):
    frame = pd.DataFrame(records_default[:2])
    for call in (lambda: keyaccount.classify(frame, AS_OF, on_error=bad),
                 lambda: keyaccount.classify_columns({k: frame[k] for k in frame}, AS_OF,
                                                     on_error=bad)):
        with pytest.raises(ValueError, match="'raise', 'skip'"):
            call()


# --- the dict path and the table path agree on bad series cells and ids -----------------------


def test_a_missing_series_cell_is_a_missing_required_value_in_its_row(records_default):
    records = [dict(r) for r in records_default[:4]]
    records[2]["monthly_shipments"] = None
    with pytest.raises(keyaccount.InputError, match="required value is missing"):
        keyaccount.classify(records[2], AS_OF)
    for frame in (pd.DataFrame(records), pd.DataFrame(records).astype({"id": object})):
        with pytest.raises(keyaccount.InputError,
                           match=r"index 2 \(id C[0-9]+\): monthly_shipments: "
                                 "required value is missing") as info:
            keyaccount.classify(frame, AS_OF)
        assert (info.value.field, info.value.row) == ("monthly_shipments", 2)
        out = keyaccount.classify(frame, AS_OF, on_error="skip")
        assert out["tier"].isna().tolist() == [False, False, True, False]
        assert out["error"].iloc[2] == "monthly_shipments: required value is missing"


def test_a_missing_optional_series_is_absent_as_for_one_record():
    p = json.loads((ROOT / "tests/data/format-examples/minimal.json").read_text())
    p["customer_schema"]["fields"].append({"id": "months", "type": "series",
                                           "required": False})
    article = p["criteria"][0]["article"]
    # An absent series decides nothing: `||` with a met condition still holds.
    p["criteria"].append({"id": "busy", "article": article, "name": "busy",
                          "condition": "cumulative_amount > 1000.0 || size(months) > 1"})
    p["tiers"] = [{"id": "key", "name": "Key", "rule": {"any": ["busy"]}},
                  {"id": "regular", "name": "Regular", "fallback": True}]
    policy = keyaccount.Policy.from_dict(p)
    records = [{"id": "a", "cumulative_amount": 1.0, "months": [1.0, 2.0]},
               {"id": "b", "cumulative_amount": 1e9, "months": None},
               {"id": "c", "cumulative_amount": 1.0, "months": [1.0]}]
    want = [keyaccount.classify(r, AS_OF, policy=policy).tier for r in records]
    assert want == ["key", "key", "regular"]
    out = keyaccount.classify(pd.DataFrame(records), AS_OF, policy=policy)
    assert out["tier"].astype(str).tolist() == want and "error" not in out


@pytest.mark.parametrize("number", [decimal.Decimal("60"), fractions.Fraction(60)])
def test_a_decimal_or_fraction_month_is_refused_in_a_table_as_for_one_record(records_default,
                                                                           number):
    records = [dict(r) for r in records_default[:4]]
    records[1]["monthly_shipments"] = [60.0, number, 60.0]
    kind = type(number).__name__
    with pytest.raises(keyaccount.InputError,
                       match=rf"monthly_shipments\[1\]: expected a number, got a {kind}") as info:
        keyaccount.classify(records[1], AS_OF)
    assert info.value.field == "monthly_shipments[1]"
    frame = pd.DataFrame(records)
    with pytest.raises(keyaccount.InputError, match=f"expected a number, got a {kind}") as info:
        keyaccount.classify(frame, AS_OF)
    assert (info.value.field, info.value.row) == ("monthly_shipments[1]", 1)
    out = keyaccount.classify(frame, AS_OF, on_error="skip")
    assert out["tier"].isna().tolist() == [False, True, False, False]
    assert out["error"].iloc[1] == f"monthly_shipments[1]: expected a number, got a {kind}"


@pytest.mark.parametrize("month", [np.float64(60), np.float32(60), np.int64(60), np.int32(60),
                                   np.uint8(60)])
def test_numpy_number_months_stay_accepted_in_both_paths(records_default, month):
    record = dict(records_default[0], monthly_shipments=[month] * 24)
    want = keyaccount.classify(dict(record, monthly_shipments=[60.0] * 24), AS_OF).tier
    assert keyaccount.classify(record, AS_OF).tier == want
    assert keyaccount.classify(pd.DataFrame([record]), AS_OF)["tier"].iloc[0] == want


# (bad id, the one message the dict path and every table column type give)
BAD_IDS = [
    (5, "id: expected a string, got a number"),
    (None, "id: required value is missing"),
    ("", "id: empty: every customer needs an id"),
    (True, "id: expected a string, got a boolean"),
]


def id_columns(ids):
    """The same ids as the column types a table may hold them in."""
    out = [pd.Series(ids, dtype=object)]
    if all(isinstance(x, str) or x is None for x in ids):
        out += [pd.Series(ids, dtype="string"), pd.Series(ids, dtype="str")]
        try:
            import pyarrow as pa
            out.append(pd.Series(ids, dtype=pd.ArrowDtype(pa.string())))
            # A sliced Arrow column: its buffers start before its first row.
            out.append(pd.Series(["x", "y"] + ids, dtype=pd.ArrowDtype(pa.large_string()))
                       .iloc[2:].reset_index(drop=True))
        except ImportError:
            pass
    return out


@pytest.mark.parametrize("bad,dict_message", BAD_IDS)
def test_a_bad_id_is_refused_in_a_table_as_for_one_record(records_default, bad, dict_message):
    table_message = dict_message  # one wording (tests/python/parity/test_table_cells.py)
    records = [dict(r) for r in records_default[:4]]
    with pytest.raises(keyaccount.InputError, match=dict_message) as info:
        keyaccount.classify(dict(records[3], id=bad), AS_OF)
    assert info.value.field == "id"
    ids = [r["id"] for r in records]
    ids[3] = bad
    for column in id_columns(ids):
        frame = pd.DataFrame(records)
        frame["id"] = column
        with pytest.raises(keyaccount.InputError, match=f"index 3: {table_message}") as info:
            keyaccount.classify(frame, AS_OF)
        assert (info.value.field, info.value.row) == ("id", 3), column.dtype
        out = keyaccount.classify(frame, AS_OF, on_error="skip")
        assert out["tier"].isna().tolist() == [False, False, False, True], column.dtype
        assert out["error"].iloc[3] == table_message, column.dtype
        columns = {k: frame[k] for k in frame.columns}
        with pytest.raises(keyaccount.InputError, match=table_message):
            keyaccount.classify_columns(columns, AS_OF)
        assert list(keyaccount.classify_columns(columns, AS_OF, on_error="skip"))[3] == ""


def test_good_ids_in_any_column_type_and_no_id_column_pass(records_default):
    records = [dict(r) for r in records_default[:6]]
    want = keyaccount.classify(pd.DataFrame(records), AS_OF)["tier"].astype(str).tolist()
    for column in id_columns([r["id"] for r in records]) + [np.array([r["id"] for r in records])]:
        frame = pd.DataFrame(records)
        frame["id"] = column
        out = keyaccount.classify(frame, AS_OF)
        assert out["tier"].astype(str).tolist() == want and "error" not in out
    frame = pd.DataFrame(records).drop(columns="id")
    assert keyaccount.classify(frame, AS_OF)["tier"].astype(str).tolist() == want


def test_an_empty_id_among_nulls_in_an_arrow_column_is_told_apart():
    pa = pytest.importorskip("pyarrow")
    from keyaccount._table import _Problems, _check_ids

    column = pd.Series(["a", None, "", "b", None], dtype=pd.ArrowDtype(pa.string()))
    problems = _Problems()
    _check_ids("id", column, 5, True, problems)
    assert problems.errors(only_first=False) == [
        (1, "id", "required value is missing"), (2, "id", "empty: every customer needs an id"),
        (4, "id", "required value is missing")]
