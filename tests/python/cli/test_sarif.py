"""`keyaccount validate --format sarif`: a SARIF 2.1.0 log that the official schema accepts
(tests/data/sarif, a copy of OASIS's schema) and that GitHub's code scanning can upload: a rule
per diagnostic code of the catalogue (docs/diagnostics.md) with its description and a helpUri to
its heading, results located by a URI relative to the working directory and a region in code
points, the exit codes of the other formats.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft4Validator

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "tests" / "data" / "invalid"
MANIFEST = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))["files"]
SARIF_SCHEMA = json.loads(
    (ROOT / "tests" / "data" / "sarif" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
SARIF = Draft4Validator(SARIF_SCHEMA, format_checker=Draft4Validator.FORMAT_CHECKER)
DOCS = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")


def cli(*args, cwd=None, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "keyaccount", *map(str, args)], cwd=cwd,
                          input=stdin, capture_output=True, check=False, timeout=300)


def sarif(*args, cwd=None, stdin=None):
    r = cli("validate", "--format", "sarif", *args, cwd=cwd, stdin=stdin)
    assert r.returncode in (0, 1, 2), r.stderr
    log = json.loads(r.stdout)
    errors = sorted(SARIF.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])
    return r.returncode, log


def test_the_vendored_schema_is_the_official_one():
    Draft4Validator.check_schema(SARIF_SCHEMA)
    assert SARIF_SCHEMA["id"] == ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/"
                                  "schemas/sarif-schema-2.1.0.json")
    # It does check: a log without its version is refused.
    assert list(SARIF.iter_errors({"runs": []}))


def test_every_corpus_file_gives_a_valid_log_with_its_diagnostics(tmp_path):
    # The whole invalid corpus in one run, from the repository root: URIs relative to it.
    names = sorted(MANIFEST)
    code, log = sarif(*[f"tests/data/invalid/{n}" for n in names], cwd=ROOT)
    assert code == 1
    assert log["version"] == "2.1.0"
    assert "sarif-schema-2.1.0.json" in log["$schema"]
    [run] = log["runs"]
    assert run["columnKind"] == "unicodeCodePoints"
    driver = run["tool"]["driver"]
    assert driver["name"] == "keyaccount" and re.fullmatch(r"\d+\.\d+\.\d+", driver["version"])
    assert driver["informationUri"].startswith("https://")
    rules = driver["rules"]
    by_file = {}
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        [location] = result["locations"]
        artifact = location["physicalLocation"]["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%"
        by_file.setdefault(artifact["uri"], []).append(result)
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == ROOT.as_uri() + "/"
    for name in names:
        # The manifest lists what each file must produce, at least.
        got = [(r["ruleId"], r["level"], r["properties"]["pointer"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"],
                r["locations"][0]["physicalLocation"]["region"]["startColumn"])
               for r in by_file.get(f"tests/data/invalid/{name}", [])]
        for d in MANIFEST[name]["diagnostics"]:
            assert (d["code"], d["severity"], d["pointer"], d["line"], d["column"]) in got, name


def test_a_region_at_a_string_ends_after_its_closing_quote():
    names = sorted(MANIFEST)
    _, log = sarif(*[f"tests/data/invalid/{n}" for n in names], cwd=ROOT)
    ended = 0
    for r in log["runs"][0]["results"]:
        physical = r["locations"][0]["physicalLocation"]
        region = physical.get("region", {})
        path = ROOT / physical["artifactLocation"]["uri"]
        if "startLine" not in region:
            continue
        line = path.read_bytes().decode("utf-8", errors="replace").lstrip("\ufeff").split(
            "\n")[region["startLine"] - 1].rstrip("\r")
        start = line[region["startColumn"] - 1:]
        if "endColumn" not in region:
            # Only a string is given an end; anything else starts otherwise or is cut short.
            assert not start.startswith('"') or r["ruleId"] == "syntax_error" or \
                len(line) > 10000, (r, start[:40])
            continue
        ended += 1
        assert region["endLine"] == region["startLine"]
        token = line[region["startColumn"] - 1:region["endColumn"] - 1]
        assert isinstance(json.loads(token), str), (r["ruleId"], token)
    assert ended >= 40


def test_the_same_diagnostics_as_json_at_the_same_places():
    files = ["tests/data/invalid/46-undefined-position.json",
             "tests/data/invalid/75-invalid-expression-undeclared-field.json"]
    code, log = sarif(*files, cwd=ROOT)
    as_json = json.loads(cli("validate", "--format", "json", *files, cwd=ROOT).stdout)
    want = [(f["file"], d["code"], d["severity"], d["message"], d["line"], d["column"])
            for f in as_json["files"] for d in f["diagnostics"]]
    got = [(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["ruleId"],
            r["level"], r["message"]["text"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["physicalLocation"]["region"]["startColumn"])
           for r in log["runs"][0]["results"]]
    assert code == 1 and got == want and len(want) >= 2


def test_a_rule_per_catalogue_code_with_its_description_and_help_link():
    _, log = sarif(cwd=ROOT)
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    documented = set(re.findall(r"^### `([a-z_]+)`", DOCS, flags=re.M))
    documented |= set(re.findall(r"^\| `(undefined_[a-z]+)` \|", DOCS, flags=re.M))
    assert set(rules) == documented
    corpus_codes = {d["code"] for e in MANIFEST.values() for d in e["diagnostics"]}
    assert corpus_codes <= set(rules)
    for code, rule in rules.items():
        anchor = "undefined_" if code.startswith("undefined_") else code
        assert rule["helpUri"].endswith(f"/docs/diagnostics.md#{anchor}"), code
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"], code
        level = rule["defaultConfiguration"]["level"]
        assert level in ("error", "warning")
    # The descriptions are the guide's own words: Markdown in help.markdown, plain elsewhere.
    assert rules["duplicate_key"]["help"]["markdown"] in " ".join(DOCS.split())
    for rule in rules.values():
        for text in (rule["shortDescription"]["text"], rule["fullDescription"]["text"]):
            assert "`" not in text and "**" not in text and "](" not in text, text
    assert rules["unfilled_field"]["shortDescription"]["text"].startswith(
        "warning for text, error for a date.")
    assert "[" not in rules["invalid_template"]["fullDescription"]["text"]
    assert rules["undefined_tier"]["shortDescription"]["text"] == \
        "A reference to a tier that is not declared in tiers."
    assert rules["ignored_field"]["defaultConfiguration"]["level"] == "warning"


def test_a_valid_policy_is_an_empty_log_and_exit_0(tmp_path):
    policy = tmp_path / "ok.json"
    policy.write_text(subprocess.run([sys.executable, "-c",
                                      "import keyaccount; print(keyaccount.default_policy_text())"],
                                     capture_output=True, text=True, check=True).stdout,
                      encoding="utf-8")
    code, log = sarif(policy.name, cwd=tmp_path)
    assert code == 0 and log["runs"][0]["results"] == []


def test_uris_are_relative_to_the_working_directory_and_percent_encoded(tmp_path):
    sub = tmp_path / "政策 files"
    sub.mkdir()
    target = sub / "bad policy.json"
    shutil.copy(CORPUS / "46-undefined-position.json", target)
    code, log = sarif(str(target), cwd=tmp_path)  # absolute path given, under the cwd
    assert code == 1
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"][
        "artifactLocation"]["uri"]
    assert uri == "%E6%94%BF%E7%AD%96%20files/bad%20policy.json"
    # Outside the working directory: an absolute file URI, no base id.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code, log = sarif(str(target), cwd=elsewhere)
    artifact = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"][
        "artifactLocation"]
    assert artifact["uri"].startswith("file:///") and "uriBaseId" not in artifact
    assert artifact["uri"].endswith("/%E6%94%BF%E7%AD%96%20files/bad%20policy.json")


def test_columns_count_code_points(tmp_path):
    # A Chinese name before the misspelt department: the column counts characters, not bytes.
    text = keyaccount_default_text().replace('"executing_department": "customer_service"',
                                             '"executing_department": "customer_services"', 1)
    assert "customer_services" in text
    line_no = next(i for i, line in enumerate(text.splitlines(), 1)
                   if "customer_services" in line)
    line = text.splitlines()[line_no - 1]
    policy = tmp_path / "p.json"
    policy.write_text(text, encoding="utf-8")
    code, log = sarif("p.json", cwd=tmp_path)
    [result] = [r for r in log["runs"][0]["results"] if r["ruleId"] == "undefined_department"]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == line_no
    assert line[region["startColumn"] - 1:].startswith('"customer_services"')


def keyaccount_default_text() -> str:
    import keyaccount
    return keyaccount.default_policy_text()


def test_an_unreadable_file_is_a_result_without_region_and_exit_2(tmp_path):
    code, log = sarif("missing.json", cwd=tmp_path)
    assert code == 2
    [result] = log["runs"][0]["results"]
    assert result["ruleId"] == "unreadable_file"
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "missing.json" and "region" not in physical


def test_standard_input_has_no_artifact(tmp_path):
    code, log = sarif("-", cwd=tmp_path, stdin=b'{"format_version": 1}')
    assert code == 1
    results = log["runs"][0]["results"]
    assert results and all("locations" not in r for r in results)
    assert all(r["message"]["text"].startswith("<stdin>: ") for r in results)


def test_strict_fails_on_warnings_only_by_exit_code():
    warning = "tests/data/invalid/73-warning-ignored-quorum.json"
    code, log = sarif(warning, cwd=ROOT)
    assert code == 0 and {r["level"] for r in log["runs"][0]["results"]} == {"warning"}
    code, _ = sarif("--strict", warning, cwd=ROOT)
    assert code == 1
