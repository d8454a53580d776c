"""Bad customer data and malformed tables raise keyaccount.InputError naming the field (never a
ValueError, TypeError, OverflowError or AttributeError from inside the package); bad API
arguments (threads, on_error, a non-mapping of columns) raise a clear ValueError / TypeError."""

import decimal
import fractions

import numpy as np
import pandas as pd
import pytest

import keyaccount

AS_OF = "2026-06-30"
RECORD = {"id": "C1", "name": "n", "category": "government", "first_order": "2020-01-15",
          "monthly_shipments": [60.0] * 12, "cumulative_amount": 380.0}
N = 4


def columns(**changes):
    out = {"category": np.array(["government"] * N, dtype=object),
           "first_order": np.array(["2020-01-01"] * N, dtype=object),
           "monthly_shipments": np.full((N, 3), 60.0),
           "cumulative_amount": np.full(N, 100.0)}
    out.update(changes)
    return out


@pytest.mark.parametrize("change,field", [
    ({"first_order": "2020-01-01"}, "first_order"),  # a scalar, not a column
    ({"category": "government"}, "category"),  # a str's length is not a row count
    ({"category": None}, "category"),
    ({"cumulative_amount": np.full((N, 2), 100.0)}, "cumulative_amount"),
    ({"cumulative_amount": np.full(N + 3, 100.0)}, "cumulative_amount"),
    ({"monthly_shipments": np.full((N, 3, 2), 60.0)}, "monthly_shipments"),
])
def test_malformed_columns_are_input_errors(change, field):
    cols = columns()
    cols.update(change)
    if not isinstance(change[field], np.ndarray):  # first: it would set the row count
        cols = {field: cols.pop(field), **cols}
    with pytest.raises(keyaccount.InputError) as info:
        keyaccount.classify_columns(cols, AS_OF)
    assert info.value.field == field


def test_fractional_series_lengths_are_refused_not_truncated():
    with pytest.raises(keyaccount.InputError, match="lengths") as info:
        keyaccount.classify_columns(columns(), AS_OF,
                                    lengths={"monthly_shipments": np.full(N, 2.7)})
    assert info.value.field == "monthly_shipments"
    whole = keyaccount.classify_columns(columns(), AS_OF,
                                        lengths={"monthly_shipments": np.full(N, 2.0)})
    assert list(whole) == list(keyaccount.classify_columns(
        columns(), AS_OF, lengths={"monthly_shipments": np.full(N, 2)}))


@pytest.mark.parametrize("name", ["id", "cumulative_amount"])
def test_a_dataframe_column_given_twice_is_an_input_error(name):
    frame = pd.DataFrame([RECORD] * 3)
    frame = pd.concat([frame, frame[[name]]], axis=1)
    with pytest.raises(keyaccount.InputError, match="twice") as info:
        keyaccount.classify(frame, AS_OF)
    assert info.value.field == name


def test_a_dataframe_row_is_one_record():
    frame = pd.DataFrame([RECORD, dict(RECORD, id="C2", cumulative_amount=900.0)])
    d = keyaccount.classify(frame.iloc[1], AS_OF)
    assert d.to_dict() == keyaccount.classify(frame.iloc[1].to_dict(), AS_OF).to_dict()


@pytest.mark.parametrize("record", [None, "C1", 5, ["a"]])
def test_a_list_item_that_is_not_a_record_is_located(record):
    with pytest.raises(keyaccount.InputError) as info:
        keyaccount.classify([RECORD, record], AS_OF)
    assert info.value.row == 1


@pytest.mark.parametrize("previous,failures,field", [
    (None, 0, "previous_tier"), (5, 0, "previous_tier"),
    ("key", 1.5, "consecutive_failures"), ("key", -5, "consecutive_failures"),
    ("key", 2 ** 40, "consecutive_failures"), ("key", True, "consecutive_failures"),
    ("key", "1", "consecutive_failures"),
])
def test_reclassify_arguments_are_checked(previous, failures, field):
    with pytest.raises(keyaccount.InputError) as info:
        keyaccount.reclassify(RECORD, AS_OF, previous, failures)
    assert info.value.field == field
    assert keyaccount.reclassify(RECORD, AS_OF, "key", np.int64(1)).consecutive_failures >= 0


@pytest.mark.parametrize("threads", [-1, 2.5, "2", None, True])
def test_threads_is_checked(threads):
    frame = pd.DataFrame([RECORD])
    with pytest.raises(ValueError, match="threads"):
        keyaccount.classify(frame, AS_OF, threads=threads)
    with pytest.raises(ValueError, match="threads"):
        keyaccount.classify_columns(columns(), AS_OF, threads=threads)


@pytest.mark.parametrize("cols", [None, [("category", ["government"])]])
def test_columns_must_be_a_mapping(cols):
    with pytest.raises(TypeError, match="mapping"):
        keyaccount.classify_columns(cols, AS_OF)


@pytest.mark.parametrize("change,field,message", [
    ({"cumulative_amount": decimal.Decimal("600")}, "cumulative_amount",
     "expected a number, got a Decimal"),
    ({"monthly_shipments": [60.0, fractions.Fraction(1, 2)]}, "monthly_shipments[1]",
     "expected a number, got a Fraction"),
    ({"name": decimal.Decimal(1)}, "name", "expected a string, got a Decimal"),
    ({"profile": {"updated_on": "2026-01-01", "contacts": ["a", decimal.Decimal(1)]}},
     "profile.contacts[1]", "cannot read a value of type Decimal"),
])
def test_a_value_json_cannot_carry_is_named_by_its_field(change, field, message):
    with pytest.raises(keyaccount.InputError) as info:
        keyaccount.classify(dict(RECORD, **change), AS_OF)
    assert str(info.value) == f"{field}: {message}" and info.value.field == field
    with pytest.raises(keyaccount.InputError) as info:
        keyaccount.classify([RECORD, dict(RECORD, **change)], AS_OF)
    assert str(info.value) == f"record 1: {field}: {message}" and info.value.row == 1
    with pytest.raises(keyaccount.InputError) as info:
        keyaccount.reclassify(dict(RECORD, **change), AS_OF, "key")
    assert info.value.field == field


@pytest.mark.parametrize("call", [
    lambda p: keyaccount.classify(RECORD, AS_OF, policy=p),
    lambda p: keyaccount.classify(pd.DataFrame([RECORD]), AS_OF, policy=p),
    lambda p: keyaccount.classify_columns(columns(), AS_OF, policy=p),
    lambda p: keyaccount.reclassify(RECORD, AS_OF, "key", policy=p),
    lambda p: keyaccount.care.plan([], [], "2026-01-01", policy=p),
    lambda p: keyaccount.WorkflowSet(policy=p),
], ids=["classify", "classify-frame", "classify_columns", "reclassify", "care.plan",
        "WorkflowSet"])
@pytest.mark.parametrize("wrong", ["policies/key-account-policy.json", {"id": "x"}, 42])
def test_a_policy_argument_that_is_not_a_policy_is_a_type_error_naming_it(call, wrong):
    with pytest.raises(TypeError, match=rf"policy: expected a keyaccount\.Policy or None, got "
                                        rf"{type(wrong).__name__}"):
        call(wrong)


def test_the_policy_hint_says_how_to_load_a_file_or_text():
    with pytest.raises(TypeError, match="Policy.from_file"):
        keyaccount.classify(RECORD, AS_OF, policy="policies/key-account-policy.json")
