"""A policy given as a dict is placed by JSON pointer only (issue 17 item 7).

`keyaccount.validate(dict)` and `Policy.from_dict` serialise the dict for the C++ loader; a
line and column in that serialisation is text the user never wrote, so a diagnostic carries
its pointer and no line/column. Values JSON cannot carry (NaN, infinity, a set, a date, a key
that is not a string) are errors at their pointer, not a syntax error in our text.
"""
from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

import keyaccount

DEFAULT = Path(__file__).resolve().parents[3] / "policies" / "key-account-policy.json"


def default_dict() -> dict:
    return json.loads(DEFAULT.read_text(encoding="utf-8"))


def test_a_typo_in_a_dict_is_placed_by_pointer_only():
    policy = default_dict()
    policy["workflows"][0]["steps"][0]["approvers"] = ["finance_reviewr"]
    errors = [d for d in keyaccount.validate(policy) if d.severity == "error"]
    assert [(d.code, d.pointer) for d in errors] == [
        ("undefined_position", "/workflows/0/steps/0/approvers/0")]
    assert (errors[0].line, errors[0].column) == (None, None)
    assert "finance_reviewer" in errors[0].message  # did-you-mean still there


def test_the_same_typo_in_a_file_keeps_its_line_and_column(tmp_path):
    text = DEFAULT.read_text(encoding="utf-8").replace('"approvers": ["finance_reviewer"]',
                                                     '"approvers": ["finance_reviewr"]', 1)
    path = tmp_path / "policy.json"
    path.write_text(text, encoding="utf-8")
    (error,) = [d for d in keyaccount.validate(path) if d.severity == "error"]
    assert error.line is not None and error.line > 1 and error.column > 1
    assert "finance_reviewr" in text.splitlines()[error.line - 1]


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf")])
def test_a_non_finite_number_is_not_valid_json_at_its_pointer(bad):
    policy = default_dict()
    policy["parameters"][0]["value"] = bad
    diagnostics = keyaccount.validate(policy)
    assert [(d.code, d.pointer, d.line) for d in diagnostics] == [
        ("invalid_value", "/parameters/0/value", None)]
    assert "not valid JSON" in diagnostics[0].message


@pytest.mark.parametrize("bad, name", [({"a"}, "set"), (datetime.date(2026, 1, 1), "date")])
def test_a_python_value_that_is_not_json_is_a_wrong_type_at_its_pointer(bad, name):
    policy = default_dict()
    policy["document"]["x-note"] = bad
    (problem,) = keyaccount.validate(policy)
    assert (problem.code, problem.pointer) == ("wrong_type", "/document/x-note")
    assert name in problem.message


def test_a_key_that_is_not_a_string_is_named():
    policy = default_dict()
    policy["document"][3] = "x"
    (problem,) = keyaccount.validate(policy)
    assert (problem.code, problem.pointer) == ("wrong_type", "/document")
    assert "3" in problem.message


def test_pointer_tokens_are_escaped():
    policy = default_dict()
    policy["document"]["a/b~c"] = float("nan")
    (problem,) = keyaccount.validate(policy)
    assert problem.pointer == "/document/a~1b~0c"


def test_from_dict_refuses_with_the_pointer_in_its_message():
    policy = default_dict()
    policy["parameters"][1]["value"] = float("nan")
    with pytest.raises(keyaccount.PolicyError) as info:
        keyaccount.Policy.from_dict(policy)
    assert "<dict>:/parameters/1/value: error[invalid_value]" in str(info.value)
    assert [d.pointer for d in info.value.diagnostics] == ["/parameters/1/value"]


def test_a_valid_dict_still_loads():
    assert keyaccount.Policy.from_dict(default_dict()).id == "key-account-maintenance"
