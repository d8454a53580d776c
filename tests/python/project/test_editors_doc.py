"""docs/editors.md shows what works: its JSON snippets parse, its file patterns pick the right
schema for the shipped file names, and its VS Code problem matcher reads `validate`'s real
output (every diagnostic, with file, line, column, severity, code and message)."""
from __future__ import annotations

import fnmatch
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DOC = (ROOT / "docs" / "editors.md").read_text(encoding="utf-8")
MISSPELT = ROOT / "tests" / "data" / "cli" / "misspelt-department.json"


def snippet(name: str):
    match = re.search(rf"<!-- editors: {name} -->\n```json\n(.*?)\n```", DOC, flags=re.S)
    assert match, name
    return json.loads(match.group(1))


def matches(patterns: list[str], file_name: str) -> bool:
    """VS Code's fileMatch: any pattern matches, and no `!` pattern does."""
    positive = [p for p in patterns if not p.startswith("!")]
    negative = [p[1:] for p in patterns if p.startswith("!")]
    return (any(fnmatch.fnmatch(file_name, p) for p in positive)
            and not any(fnmatch.fnmatch(file_name, p) for p in negative))


def schema_for(associations: list[dict], file_name: str) -> list[str]:
    return [Path(a["url"]).name for a in associations if matches(a["fileMatch"], file_name)]


def test_each_file_name_gets_exactly_its_schema_in_settings_and_catalog():
    settings = snippet("vscode-settings")["json.schemas"]
    catalog = snippet("schemastore")
    for associations in (settings, catalog):
        for name, schema in [("key-account-policy.json", "policy.schema.json"),
                             ("key-account-policy-2027.json", "policy.schema.json"),
                             ("sales.keyaccount.json", "policy.schema.json"),
                             ("key-account-policy.tests.json", "policy-tests.schema.json"),
                             ("sales.keyaccount-tests.json", "policy-tests.schema.json")]:
            assert schema_for(associations, name) == [schema], (name, associations)
        assert schema_for(associations, "package.json") == []
    # The settings point at files `keyaccount schema` writes, under the names the doc uses.
    assert {a["url"] for a in settings} == {"./schema/policy.schema.json",
                                            "./schema/policy-tests.schema.json"}
    assert all({"name", "description", "fileMatch", "url"} <= set(e) for e in catalog)


def test_the_problem_matcher_reads_every_diagnostic_of_validate():
    task = snippet("vscode-tasks")["tasks"][0]
    assert task["command"] == "keyaccount" and task["args"][0] == "validate"
    pattern = task["problemMatcher"]["pattern"]
    regexp = re.compile(pattern["regexp"])
    result = subprocess.run([sys.executable, "-m", "keyaccount", "validate", "--format", "json",
                             str(MISSPELT)], capture_output=True, check=False)
    expected = json.loads(result.stdout)["files"][0]["diagnostics"]
    assert expected
    text = subprocess.run([sys.executable, "-m", "keyaccount", "validate", str(MISSPELT)],
                          capture_output=True, check=False).stdout.decode()
    found = [m for m in map(regexp.match, text.splitlines()) if m]
    assert len(found) == len(expected), text
    for m, d in zip(found, expected):
        assert m.group(pattern["file"]) == str(MISSPELT)
        assert int(m.group(pattern["line"])) == d["line"]
        assert int(m.group(pattern["column"])) == d["column"]
        assert m.group(pattern["severity"]) == d["severity"]
        assert m.group(pattern["code"]) == d["code"]
        assert m.group(pattern["message"]).startswith(d["message"])
