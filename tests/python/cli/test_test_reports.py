"""`keyaccount test --format text|json|junit` and `--coverage-threshold`, and
`keyaccount.run_tests`: the same run reported three ways (JUnit read by junitparser, as a CI
server reads it; JSON checked against schema/test-report.schema.json), the coverage figure in
each, exit 1 below the threshold, and the Python report equal to the command's.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from junitparser import Failure, JUnitXml

import keyaccount

ROOT = Path(__file__).resolve().parents[3]
DEFAULT_TESTS = ROOT / "policies" / "key-account-policy.tests.json"
FAILING = ROOT / "tests" / "data" / "customers" / "failing.tests.json"
REPORT_SCHEMA = Draft202012Validator(
    json.loads((ROOT / "schema" / "test-report.schema.json").read_text(encoding="utf-8")))


def cli(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "keyaccount", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, check=False, timeout=300)


def as_json(*args):
    r = cli("test", "--format", "json", *args)
    report = json.loads(r.stdout)
    REPORT_SCHEMA.validate(report)
    return r.returncode, report


def as_junit(tmp_path, *args):
    r = cli("test", "--format", "junit", *args)
    path = tmp_path / "report.xml"
    path.write_text(r.stdout, encoding="utf-8")
    return r.returncode, JUnitXml.fromfile(str(path))


def cases_of(path: Path) -> list[str]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    return [c.get("name", f"cases[{i}]") for i, c in enumerate(doc["cases"])]


@pytest.fixture
def partial(tmp_path):
    """A passing file that sees only some criteria both ways: its first two cases."""
    doc = json.loads(DEFAULT_TESTS.read_text(encoding="utf-8"))
    doc.pop("$schema")
    doc["cases"] = doc["cases"][:2]
    path = tmp_path / "partial.tests.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def expected_coverage(report) -> tuple[int, int]:
    """Covered and total criteria, from the report's own lists."""
    c = report["coverage"]
    uncovered = set(c["never_met"]) | set(c["never_unmet"])
    return c["criteria"] - len(uncovered), c["criteria"]


def test_json_lists_every_case_of_every_file_with_expected_against_actual():
    code, report = as_json(DEFAULT_TESTS, FAILING)
    assert code == 1 and report["ok"] is False
    assert [f["file"] for f in report["files"]] == [str(DEFAULT_TESTS), str(FAILING)]
    for f, path in zip(report["files"], (DEFAULT_TESTS, FAILING)):
        assert [c["name"] for c in f["cases"]] == cases_of(path)
        assert f["passed"] == sum(c["passed"] for c in f["cases"])
        assert f["failed"] == sum(not c["passed"] for c in f["cases"])
    [failed] = [c for f in report["files"] for c in f["cases"] if not c["passed"]]
    assert failed["name"] == "expects key at exactly 500"
    assert failed["mismatches"] == [
        "tier: expected key, got regular",
        "art-5.1: expected met, got not_met (observed 500, target 500)"]
    assert (report["passed"], report["failed"]) == (len(cases_of(DEFAULT_TESTS)) + 1, 1)
    assert report["policy"] == "<default policy>" and report["threshold"] is None


def test_the_default_tests_cover_every_criterion_both_ways():
    code, report = as_json(DEFAULT_TESTS)
    assert code == 0 and report["ok"]
    c = report["coverage"]
    assert c["criteria"] > 0 and c["covered"] == c["criteria"] and c["percent"] == 100
    assert c["never_met"] == c["never_unmet"] == c["unexercised"] == []


def test_the_coverage_figure_is_the_same_in_every_format(partial, tmp_path):
    code, report = as_json(partial)
    covered, total = expected_coverage(report)
    c = report["coverage"]
    assert (c["covered"], c["criteria"]) == (covered, total)
    assert 0 < covered < total
    assert c["percent"] == pytest.approx(100 * covered / total)
    figure = f"{100 * covered / total:.1f}"
    text = cli("test", partial).stdout
    assert f"coverage: {figure}% ({covered} of {total} criteria seen both met and not met)" in text
    _, xml = as_junit(tmp_path, partial)
    [suite] = list(xml)
    props = {p.name: p.value for p in suite.properties()}
    assert props["coverage"] == figure
    assert (props["criteria_covered"], props["criteria"]) == (str(covered), str(total))


def test_below_the_threshold_exits_1_in_every_format(partial, tmp_path):
    _, report = as_json(partial)
    percent = report["coverage"]["percent"]
    above, below = int(percent) + 1, int(percent)
    text = cli("test", "--coverage-threshold", above, partial)
    assert text.returncode == 1
    assert f"error[coverage_below_threshold]: coverage {percent:.1f}% is below the threshold " \
           f"of {above:.1f}%" in text.stdout
    assert text.stdout.rstrip().endswith("FAIL: 2 passed, 0 failed")
    code, report = as_json("--coverage-threshold", above, partial)
    assert code == 1 and report["ok"] is False and report["threshold"] == above
    assert report["failed"] == 0
    code, xml = as_junit(tmp_path, "--coverage-threshold", above, partial)
    assert code == 1
    [suite] = [s for s in xml if s.name == "coverage"]
    [case] = list(suite)
    [failure] = case.result
    assert isinstance(failure, Failure) and "below the threshold" in failure.message
    # At or under the figure: it passes.
    for threshold in (below, percent):
        r = cli("test", "--coverage-threshold", threshold, partial)
        assert r.returncode == 0, r.stdout
        assert r.stdout.rstrip().endswith("PASS: 2 passed, 0 failed")
    code, xml = as_junit(tmp_path, "--coverage-threshold", below, partial)
    assert code == 0
    [suite] = [s for s in xml if s.name == "coverage"]
    assert [list(c.result) for c in suite] == [[]]


@pytest.mark.parametrize("bad", ["101", "-1", "many"])
def test_a_threshold_that_is_no_percentage_is_a_usage_error(bad):
    r = cli("test", "--coverage-threshold", bad, DEFAULT_TESTS)
    assert r.returncode == 2 and "coverage-threshold" in r.stderr


def test_junit_has_a_suite_per_file_a_case_per_case_and_failures_with_expected_and_actual(
        tmp_path):
    code, xml = as_junit(tmp_path, DEFAULT_TESTS, FAILING)
    assert code == 1
    suites = list(xml)
    assert [s.name for s in suites] == [str(DEFAULT_TESTS), str(FAILING)]
    for suite, path in zip(suites, (DEFAULT_TESTS, FAILING)):
        assert [c.name for c in suite] == cases_of(path)
        assert all(c.classname == str(path) for c in suite)
        assert suite.tests == len(cases_of(path))
    assert suites[0].failures == 0 and all(c.is_passed for c in suites[0])
    assert suites[1].failures == 1
    failing = next(c for c in suites[1] if c.name == "expects key at exactly 500")
    [failure] = failing.result
    assert isinstance(failure, Failure)
    assert failure.message == "tier: expected key, got regular"
    assert failure.text.splitlines() == [
        "tier: expected key, got regular",
        "art-5.1: expected met, got not_met (observed 500, target 500)"]
    assert xml.tests == len(cases_of(DEFAULT_TESTS)) + 2 and xml.failures == 1


def test_junit_escapes_names_that_are_markup(tmp_path):
    doc = json.loads(FAILING.read_text(encoding="utf-8"))
    doc["cases"][1]["name"] = 'a <b> & "c" \u91cd\u70b9 \u0001'
    path = tmp_path / "odd.tests.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    _, xml = as_junit(tmp_path, path)
    names = [c.name for s in xml for c in s]
    assert names[1] == 'a <b> & "c" \u91cd\u70b9 \ufffd'


def test_an_invalid_test_file_is_exit_2_located_whatever_the_format(tmp_path):
    bad = tmp_path / "bad.tests.json"
    bad.write_text('{"as_of": "2026-06-30",\n "cases": [{"customer": {}, "expected": {}}]}',
                   encoding="utf-8")
    for fmt in ("text", "json", "junit"):
        r = cli("test", "--format", fmt, bad)
        assert r.returncode == 2 and r.stdout == ""
        assert re.match(rf"{re.escape(str(bad))}:2:\d+: error\[invalid_test_file\]: "
                        r"cases\[0\]\.expected: unknown key", r.stderr), r.stderr


# ---- Python ----------------------------------------------------------------------------------


def test_run_tests_reports_what_the_command_reports():
    report = keyaccount.run_tests([DEFAULT_TESTS, FAILING])
    _, cli_report = as_json(DEFAULT_TESTS, FAILING)
    assert report == keyaccount.PolicyTestReport.from_dict(cli_report)
    assert isinstance(report.coverage, keyaccount.Coverage)
    assert [c.name for c in report.failures] == ["expects key at exactly 500"]
    assert report.failures[0].mismatches[0] == "tier: expected key, got regular"
    assert report.ok is False and report.failed == 1


def test_run_tests_takes_one_path_a_policy_and_a_threshold(partial):
    report = keyaccount.run_tests(str(DEFAULT_TESTS))
    assert report.ok and report.coverage.percent == 100 and report.policy == "<default policy>"
    policy = keyaccount.default_policy()
    report = keyaccount.run_tests(partial, policy, coverage_threshold=100)
    assert report.policy == f"{policy.id} {policy.version}"
    assert report.failed == 0 and report.ok is False and report.threshold == 100
    assert keyaccount.run_tests(partial, coverage_threshold=0).ok


def test_run_tests_with_another_policy_uses_it(tmp_path):
    data = json.loads(keyaccount.default_policy_text())
    for p in data["parameters"]:
        if p["id"] == "cumulative_amount_min":
            p["value"] = 400
    policy = keyaccount.Policy.from_dict(data)
    # At 500 the changed threshold makes the failing case pass.
    report = keyaccount.run_tests(FAILING, policy)
    assert report.failed == 0, report.failures


def test_run_tests_raises_input_error_for_a_bad_file(tmp_path):
    bad = tmp_path / "bad.tests.json"
    bad.write_text('{"cases": []}', encoding="utf-8")
    with pytest.raises(keyaccount.InputError, match=r"error\[invalid_test_file\]: cases: no test"):
        keyaccount.run_tests(bad)
    with pytest.raises(keyaccount.InputError, match="unreadable_file"):
        keyaccount.run_tests(tmp_path / "missing.json")
    with pytest.raises(ValueError):
        keyaccount.run_tests(DEFAULT_TESTS, coverage_threshold=120)
    with pytest.raises(TypeError):
        keyaccount.run_tests(DEFAULT_TESTS, policy="policy.json")
