"""Machine-readable everywhere (issue 19 item 6): every report-producing command's JSON output
has a JSON Schema in schema/ (shipped: compiled into `keyaccount schema NAME`, installed in the
package for `keyaccount.schema(NAME)`), and real outputs of each command, on the examples and
on the test data, in their different modes, are valid against it. The schemas forbid members
they do not name, so a member added to an output without its schema fails here."""
from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

import keyaccount

ROOT = Path(__file__).resolve().parents[3]
EX = ROOT / "examples"
DATA = ROOT / "tests" / "data"
REPORTS = ["validate-report", "test-report", "classify-record", "plan-report",
           "compliance-report", "allocate-report", "symposium-report", "supply-report",
           "diff-report"]


def validator(name: str) -> Draft202012Validator:
    schema = json.loads((ROOT / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def cli(*args, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "keyaccount", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, check=False, timeout=300)


def check(name: str, document) -> None:
    errors = list(validator(name).iter_errors(document))
    assert not errors, "\n".join(f"{e.json_path}: {e.message}" for e in errors[:5])


@pytest.mark.parametrize("name", REPORTS)
def test_each_report_schema_is_shipped_everywhere(name):
    text = (ROOT / "schema" / f"{name}.schema.json").read_text(encoding="utf-8")
    schema = json.loads(text)
    assert schema["$id"] == f"urn:keyaccount:schema:{name}:1"
    assert schema["title"] and schema["description"]
    assert cli("schema", name).stdout == text
    assert keyaccount.schema(name) == schema
    installed = resources.files("keyaccount").joinpath("schemas", f"{name}.schema.json")
    assert installed.read_text(encoding="utf-8") == text


def test_every_schema_file_has_a_name():
    files = {p.name for p in (ROOT / "schema").glob("*.schema.json")}
    names = {"policy.schema.json", "policy-tests.schema.json"} | {
        f"{n}.schema.json" for n in REPORTS}
    assert files == names


def test_the_schemas_do_check():
    # A report with a member its schema does not name, or a wrong type, is refused.
    with pytest.raises(AssertionError):
        check("validate-report", {"files": [], "extra": 1})
    with pytest.raises(AssertionError):
        check("compliance-report", {"as_of": "2026-06-30", "ok": "yes", "profiles_checked": True,
                                    "counts": {}, "findings": [], "warnings": [],
                                    "escalations": []})


@pytest.mark.parametrize("args,code", [
    ([], 0),
    (["--strict", "tests/data/invalid/73-warning-ignored-quorum.json"], 1),
    (["tests/data/invalid/46-undefined-position.json", "tests/data/invalid/01-syntax-missing-comma.json",
      "tests/data/invalid/75-invalid-expression-undeclared-field.json", "missing.json"], 2),
])
def test_validate_json(args, code):
    r = cli("validate", "--format", "json", *args)
    assert r.returncode == code
    report = json.loads(r.stdout)
    check("validate-report", report)
    assert len(report["files"]) == max(1, len([a for a in args if not a.startswith("--")]))


@pytest.mark.parametrize("args,code", [
    (["policies/key-account-policy.tests.json"], 0),
    (["--coverage-threshold", "100", "tests/data/customers/failing.tests.json"], 1),
])
def test_test_json(args, code):
    r = cli("test", "--format", "json", *args)
    assert r.returncode == code
    check("test-report", json.loads(r.stdout))


@pytest.mark.parametrize("explain", [False, True])
def test_classify_jsonl(explain):
    r = cli("classify", "--as-of", "2026-06-30", *(["--explain"] if explain else []),
            EX / "customers.jsonl")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) == 300
    for line in lines:
        check("classify-record", json.loads(line))
    if explain:
        assert any(c.get("why_not") for line in lines for c in json.loads(line)["criteria"])


def test_classify_jsonl_of_csv_input_with_skipped_records():
    r = cli("classify", "--as-of", "2026-06-30", "--on-error", "skip", "--explain",
            DATA / "customers" / "customers.csv")
    assert r.returncode == 0 and r.stdout
    for line in r.stdout.splitlines():
        check("classify-record", json.loads(line))


@pytest.mark.parametrize("extra", [[], ["--start-workflows"], ["--days", "400"],
                                   ["--visit-plan", EX / "visits.jsonl"]])
def test_plan_json(extra):
    r = cli("plan", "--as-of", "2026-06-30", "--customers", EX / "customers.jsonl", "--accounts",
            EX / "accounts.jsonl", "--people", EX / "people.json", "--format", "json", *extra)
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    check("plan-report", report)
    assert report["items"]
    if extra == ["--start-workflows"]:
        assert report["workflows"]
    if extra == ["--days", "400"]:
        assert any(i["festival"] for i in report["items"])
    if "--visit-plan" in extra:
        assert any(i["activity"] == "executive_visit.briefing" for i in report["items"])


@pytest.mark.parametrize("args", [
    ["--accounts", EX / "accounts.jsonl"],
    ["--customers", EX / "customers.jsonl", "--accounts", EX / "accounts.jsonl",
     "--complaints", EX / "complaints.jsonl"],
    ["--accounts", DATA / "care" / "accounts.jsonl"],
])
def test_compliance_json(args):
    r = cli("compliance", "--as-of", "2026-12-31", "--people", EX / "people.json", *args,
            "--format", "json")
    report = json.loads(r.stdout)
    check("compliance-report", report)
    assert r.returncode == (0 if report["ok"] else 1)
    assert report["ok"] == (not report["findings"])
    assert report["counts"] == {k: sum(f["kind"] == k for f in report["findings"])
                                for k in report["counts"]}


def test_compliance_json_has_findings_and_escalations():
    r = cli("compliance", "--as-of", "2027-06-30", "--people", EX / "people.json",
            "--customers", EX / "customers.jsonl", "--accounts", EX / "accounts.jsonl",
            "--complaints", EX / "complaints.jsonl", "--format", "json")
    report = json.loads(r.stdout)
    check("compliance-report", report)
    assert r.returncode == 1 and report["findings"] and report["escalations"]


def test_compliance_json_with_a_visit_plan():
    r = cli("compliance", "--as-of", "2026-06-30", "--people", EX / "people.json",
            "--customers", EX / "customers.jsonl", "--accounts", EX / "accounts.jsonl",
            "--visit-plan", EX / "visits.jsonl", "--format", "json")
    report = json.loads(r.stdout)
    check("compliance-report", report)
    assert {"visit_not_done", "no_visit_planned"} <= set(report["counts"])


@pytest.mark.parametrize("as_of", ["2026-06-30", "2026-10-20", "2027-03-01"])
def test_supply_json(as_of):
    r = cli("supply", "--as-of", as_of, "--customers", EX / "customers.jsonl", "--stock",
            EX / "supply_stock.csv", "--format", "json")
    report = json.loads(r.stdout)
    check("supply-report", report)
    assert report["customers"] and report["months"]
    assert r.returncode == (1 if report["notices"] else 0), r.stderr


@pytest.mark.parametrize("as_of,extra", [("2026-06-30", []), ("2026-12-15", ["--year", "2025"]),
                                         ("2027-01-10", ["--year", "2026"])])
def test_symposium_json(as_of, extra):
    r = cli("symposium", "--as-of", as_of, "--customers", EX / "customers.jsonl", "--people",
            EX / "people.json", "--symposium", EX / "symposium.jsonl", "--format", "json", *extra)
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    check("symposium-report", report)
    assert report["invitees"]
    assert report["held"] == (extra == ["--year", "2025"])


@pytest.mark.parametrize("on,extra", [("2026-11-20", []), ("2026-11-20", ["--within-tier", "pro_rata"]),
                                      ("2026-09-20", []), ("2026-06-15", ["--pack-size", "5"])])
def test_allocate_json(on, extra):
    r = cli("allocate", "--on", on, "--stock", EX / "stock.csv", "--orders", EX / "orders.csv",
            "--format", "json", *extra)
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    check("allocate-report", report)
    assert report["lines"] and report["stock"]
