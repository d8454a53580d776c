"""The corpus of broken policies (tests/data/invalid/) through the Python API.

Each file must give the diagnostics its manifest entry lists (code, severity, pointer, line,
column); the expectations were computed when the defect was placed
(tests/tools/make_invalid_corpus.py), not copied from the tool.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import keyaccount

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "tests" / "data" / "invalid"
MANIFEST = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))["files"]
FILES = sorted(MANIFEST)


def show(diagnostics) -> str:
    return "\n".join(f"  {d.line}:{d.column} {d.severity} {d.code} [{d.pointer}] {d.message[:100]}"
                     for d in diagnostics)


def matches(d, e: dict) -> bool:
    return (d.code == e["code"] and d.severity == e.get("severity", "error")
            and d.pointer == e["pointer"] and d.line == e["line"] and d.column == e["column"]
            and e.get("message_contains", "") in d.message)


def test_manifest_and_folder_agree():
    on_disk = {p.name for p in CORPUS.iterdir() if p.name != "expected.json"}
    assert on_disk == set(MANIFEST)
    assert len(MANIFEST) >= 40
    assert all(re.fullmatch(r"[0-9]{2}-[a-z0-9-]+\.json", name) for name in on_disk)


@pytest.mark.parametrize("name", FILES)
def test_file_gives_its_expected_diagnostics(name):
    entry = MANIFEST[name]
    diagnostics = keyaccount.validate(CORPUS / name)
    errors = [d for d in diagnostics if d.severity == "error"]
    assert bool(errors) == (not entry["loads"]), show(diagnostics)
    for e in entry["diagnostics"]:
        assert any(matches(d, e) for d in diagnostics), f"expected {e}; got\n{show(diagnostics)}"
    assert [(d.line, d.column) for d in diagnostics] == sorted((d.line, d.column)
                                                               for d in diagnostics)


@pytest.mark.parametrize("name", FILES)
def test_from_file_raises_exactly_when_there_is_an_error(name):
    path = CORPUS / name
    expected = [(d.code, d.pointer, d.line, d.column) for d in keyaccount.validate(path)]
    if MANIFEST[name]["loads"]:
        policy = keyaccount.Policy.from_file(path)
        assert [(d.code, d.pointer, d.line, d.column) for d in policy.diagnostics] == expected
        assert all(d.severity == "warning" for d in policy.diagnostics)
    else:
        with pytest.raises(keyaccount.PolicyError) as info:
            keyaccount.Policy.from_file(path)
        assert isinstance(info.value, keyaccount.Error)
        got = [(d.code, d.pointer, d.line, d.column) for d in info.value.diagnostics]
        assert got == expected


@pytest.mark.parametrize("name", [n for n in FILES if not n.startswith("16-")])
def test_text_and_file_give_the_same_diagnostics(name):
    raw = (CORPUS / name).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        pytest.skip("not UTF-8: a Python str cannot carry it")
    if not text.lstrip().startswith("{"):
        pytest.skip("validate() takes text for a string starting with `{`; others are paths")
    from_text = [(d.code, d.pointer, d.line, d.column) for d in keyaccount.validate(text)]
    from_file = [(d.code, d.pointer, d.line, d.column) for d in keyaccount.validate(CORPUS / name)]
    assert from_text == from_file


def test_every_code_the_loader_can_emit_is_in_the_corpus_or_explained():
    sources = "\n".join(p.read_text(encoding="utf-8")
                        for p in sorted((ROOT / "src" / "policy").rglob("*.cpp")))
    emitted = set(re.findall(r'(?:error|warning|error_at_key|report)\(\s*"([a-z_]+)"', sources))
    emitted |= set(re.findall(r'\{"(undefined_[a-z]+)",', sources))
    emitted |= set(re.findall(r'diagnostic\{\s*severity::error,\s*"([a-z_]+)"', sources))
    covered = {e["code"] for entry in MANIFEST.values() for e in entry["diagnostics"]}
    # Not reachable from a file's content: unreadable_file (tested below); undefined_parameter
    # (no member refers to a parameter by id; an undeclared params.<id> is an
    # invalid_expression);
    # undefined_reference (the default of a switch that names every kind of reference).
    # file_too_large: a file over 4 MiB is built in memory (test below), not committed.
    # workflow_may_deadlock: its policy is tests/data/deadlock/ (test below and
    # tests/cpp/workflow/test_workflow_deadlock.cpp).
    # unknown_parameter: the error of an edit (with_parameters), not of a file; tested in
    # test_impact.py.
    not_in_corpus = {"unreadable_file", "undefined_parameter", "undefined_reference",
                     "file_too_large", "workflow_may_deadlock", "unknown_parameter"}
    assert emitted - covered - not_in_corpus == set()
    assert len(emitted) >= 40


def test_every_code_is_documented():
    docs = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^### `([a-z_]+)`", docs, flags=re.M))
    documented |= set(re.findall(r"^\| `(undefined_[a-z]+)` \|", docs, flags=re.M))
    covered = {e["code"] for entry in MANIFEST.values() for e in entry["diagnostics"]}
    assert covered - documented == set()
    assert "unreadable_file" in documented and "undefined_parameter" in documented


def test_an_unreadable_file_is_one_diagnostic_without_position():
    diagnostics = keyaccount.validate(CORPUS / "no-such-file.json")
    assert [(d.code, d.severity, d.line, d.column) for d in diagnostics] == [
        ("unreadable_file", "error", None, None)]
    assert [d.code for d in keyaccount.validate(CORPUS)] == ["unreadable_file"]


def test_a_policy_over_the_size_limit_is_one_diagnostic(tmp_path):
    text = keyaccount.default_policy_text()
    limit = 4 << 20
    big = tmp_path / "big.json"
    big.write_bytes(text.encode("utf-8") + b" " * (limit + 1 - len(text.encode("utf-8"))))
    diagnostics = keyaccount.validate(big)
    assert [(d.code, d.line, d.column) for d in diagnostics] == [("file_too_large", 1, 1)]


DOC_EXAMPLE = re.compile(r"^(\d\d-[a-z0-9-]+\.json):(\d+):(\d+): (error|warning)\[([a-z_]+)\]: "
                         r"(.*) \(at (.*)\)$", flags=re.M)


def test_the_examples_in_the_diagnostics_guide_are_what_validate_reports():
    """docs/diagnostics.md quotes `keyaccount validate` on corpus files: each quoted line must
    still be exactly one of that file's diagnostics, so the guide cannot drift from the tool."""
    docs = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    examples = [m for m in DOC_EXAMPLE.finditer(docs) if (CORPUS / m.group(1)).exists()]
    assert len(examples) >= 30
    for m in examples:
        name, line, column, severity, code, message, pointer = m.groups()
        got = [(d.line, d.column, d.severity, d.code, d.message, d.pointer)
               for d in keyaccount.validate(CORPUS / name)]
        # A long pointer is quoted with its middle elided: "/x-deep/0/0/…/0".
        head, _, tail = pointer.partition("…")
        assert any(g[:5] == (int(line), int(column), severity, code, message)
                   and (g[5] == pointer or ("…" in pointer and g[5].startswith(head)
                                            and g[5].endswith(tail)))
                   for g in got), (
            f"{name}: the guide says\n  {m.group(0)}\nvalidate reports\n" +
            "\n".join(f"  {g}" for g in got))


def test_a_workflow_that_can_get_stuck_is_reported_with_its_path():
    found = keyaccount.validate(str(ROOT / "tests" / "data" / "deadlock" /
                                    "gm-approves-before-finance.json"))
    assert [(d.severity, d.code, d.pointer, d.line) for d in found] == [
        ("error", "workflow_may_deadlock", "/workflows/0/steps/1", 197)]
    assert "general_manager approves `finance_review`" in found[0].message
    assert not [d for d in keyaccount.validate(keyaccount.default_policy().to_json())
                if d.code == "workflow_may_deadlock"]

