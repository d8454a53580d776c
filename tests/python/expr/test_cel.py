"""keyaccount.cel: evaluate, compile, value conversions, errors, and the `eval` command."""

import datetime
import math
import subprocess
import sys

import numpy as np
import pytest

import keyaccount
from keyaccount import cel


def test_evaluate_literals_and_operators():
    assert cel.evaluate("1 + 2 * 3") == 7
    assert cel.evaluate("'ab' + 'c'") == "abc"
    assert cel.evaluate("[1, 2.5, 'x', null, true]") == [1, 2.5, "x", None, True]
    assert cel.evaluate("{'a': 1}") == {"a": 1}
    assert math.isnan(cel.evaluate("0.0 / 0.0"))


def test_evaluate_with_variables():
    variables = {"monthly": [10.0, 60.0, 70.0, 80.0], "amount": 612.5}
    assert cel.evaluate("amount > 500.0 && monthly.last(3).all(x, x > 50.0)", variables) is True
    assert cel.evaluate("monthly.trailing(x, x > 65.0)", variables) == 2
    assert cel.evaluate("monthly.sum()", variables) == 220.0


def test_dates_cross_the_boundary():
    first = datetime.date(2024, 1, 31)
    assert cel.evaluate("d.add_months(1)", {"d": first}) == datetime.date(2024, 2, 29)
    assert cel.evaluate("months_between(d, date('2025-01-30'))", {"d": first}) == 11
    assert cel.evaluate("string(d)", {"d": first}) == "2024-01-31"


def test_compile_once_evaluate_many():
    program = cel.compile("s.trailing(x, x > limit) >= 3",
                          {"s": "list(double)", "limit": "double"})
    assert program.result_type == "bool"
    assert program.evaluate({"s": [1, 60, 70, 80], "limit": 50}) is True
    assert program.evaluate({"s": [60, 70, 1], "limit": 50}) is False
    assert program.evaluate({"s": [], "limit": 50}) is False
    assert "trailing" in repr(program)


def test_numpy_series():
    np = pytest.importorskip("numpy")
    program = cel.compile("s.mean()", {"s": "list(double)"})
    assert program.evaluate({"s": np.array([1.0, 2.0, 6.0])}) == 3.0


def test_expression_error_carries_diagnostics():
    with pytest.raises(keyaccount.ExpressionError) as info:
        cel.compile("amount >\n  limt", {"amount": "double"})
    assert isinstance(info.value, keyaccount.Error)
    diagnostics = info.value.diagnostics
    assert len(diagnostics) == 1
    d = diagnostics[0]
    assert d["code"] == "undeclared_reference"
    assert (d["line"], d["column"], d["offset"]) == (2, 3, 11)
    assert "limt" in str(info.value)


def test_parse_error():
    with pytest.raises(keyaccount.ExpressionError) as info:
        cel.evaluate("1 +")
    assert info.value.diagnostics[0]["code"] == "parse_error"


def test_evaluation_error():
    with pytest.raises(keyaccount.EvaluationError, match="division by zero"):
        cel.evaluate("1 / 0")
    with pytest.raises(keyaccount.EvaluationError):
        cel.evaluate("[].mean()")
    with pytest.raises(keyaccount.EvaluationError):
        cel.compile("x", {"x": "int"}).evaluate({})  # unbound


def test_errors_are_absorbed_by_logic():
    assert cel.evaluate("1 / 0 == 1 || true") is True
    assert cel.evaluate("false && 1 / 0 == 1") is False


def test_bad_inputs():
    with pytest.raises(keyaccount.Error):
        cel.evaluate("x", {"x": object()})
    with pytest.raises(keyaccount.Error):
        cel.evaluate("x", {"x": 2**70})
    with pytest.raises(keyaccount.Error):
        cel.compile("x", {"x": "list("})
    with pytest.raises(keyaccount.Error):
        cel.compile("x", {"x": "int"}).evaluate({"y": 1})


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "keyaccount", "eval", *args],
                          capture_output=True, text=True, check=False)


def test_cli_eval_prints_json():
    result = run_cli("s.last(2).sum() > 100.0", "--var", "s=[10, 60, 70]")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "true"
    result = run_cli("d.add_days(1)", "--var", 'd:date="2024-02-28"')
    assert result.stdout.strip() == '"2024-02-29"'


def test_cli_eval_exit_codes():
    assert run_cli("1 / 0").returncode == 1
    bad = run_cli("1 +")
    assert bad.returncode == 2
    assert "parse_error" in bad.stderr
    assert run_cli("x", "--var", "x=not json").returncode == 2


@pytest.mark.parametrize("value,expr,expected", [
    (np.int64(5), "x + 1", 6),
    (np.int32(-3), "x * 2", -6),
    (np.uint8(7), "x", 7),
    (np.bool_(True), "x && true", True),
    (np.float32(1.5), "x", 1.5),
    (np.array([1, 2, 3]), "x.map(v, v * 2)", [2, 4, 6]),
    (np.array([True, False]), "x.exists(v, v)", True),
    (np.array([[1, 2], [3, 4]]), "x[1][0]", 3),
    (np.datetime64("2024-01-31"), "x", __import__("datetime").date(2024, 1, 31)),
])
def test_numpy_scalars_and_arrays_are_their_cel_values(value, expr, expected):
    assert cel.evaluate(expr, {"x": value}) == expected


def test_numpy_values_for_declared_types():
    assert cel.compile("x > 1.0", {"x": "double"}).evaluate({"x": np.int64(3)}) is True
    assert cel.compile("x.all(v, v > 1.0)", {"x": "list(double)"}).evaluate(
        {"x": np.array([2, 3], dtype=np.int32)}) is True


@pytest.mark.parametrize("value", [b"ab", bytearray(b"ab"), np.array([b"a"]),
                                   np.datetime64("2024-01-31T10:00"), np.uint64(2 ** 64 - 1)])
def test_values_with_no_cel_meaning_are_refused(value):
    with pytest.raises(keyaccount.InputError):
        cel.evaluate("x", {"x": value})
