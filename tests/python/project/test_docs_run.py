"""Every code example in the README and docs/ runs (issue 17 item 10: a doc must not drift again).

Each fenced block of README.md and docs/*.md is found here and handled by its language:

- ``python``: run, in a scratch folder holding the files the examples name (``policy.json``,
  ``my-policy.json``: the default policy; ``people.json``: tests/data/workflows/people.json;
  ``examples/`` and ``policies/``: the repository's), with ``df`` (examples/customers.jsonl as a pandas
  DataFrame) and ``record_dict`` (its first record) defined. A line ``expression  # value``
  whose comment is a Python literal is checked: the expression must equal the value.
- ``sh``: each ``keyaccount …`` command (with ``\\`` continuations and pipes) runs in that
  folder through the installed command; it must not end with exit 2 (a usage error: an option
  the doc names no longer exists). Lines after a command that are not commands are its expected
  output: a plain line must be an output line; a ``# …`` line (other than ``# ...``) too.
- ``json``: must parse; a workflow instance must load under the default policy (its policy id
  and version match) and a people directory must be accepted by ``keyaccount.People``.
- Blocks that cannot run here are listed in NOT_RUN with the reason, by file and first line;
  an entry that no longer matches a block fails, so the list cannot go stale.

``text`` blocks are output or layouts; the quoted `validate` outputs are checked by
test_invalid_policies.py, the policy sections of docs/policy-format.md by test_schema.py.
"""
from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import keyaccount

ROOT = Path(__file__).resolve().parents[3]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
RUN_LANGUAGES = {"python", "sh", "json"}

#: (file, first line of the block) -> why the block is not run by this test.
NOT_RUN = {
    ("README.md", "pip install keyaccount        # a wheel: no compiler, no -dev packages (once "
                  "published, see below)"):
        "installs from PyPI; the installed wheel is proven by tests/packaging/test_wheel.sh",
    ("README.md", "scripts/demo    # set up, then run the main job on the embedded default policy"):
        "the quick start itself: scripts/test runs the tests, .ci/run runs scripts/test",
    ("README.md", "keyaccount validate [--format text|json|github|sarif] [--strict] [FILE...]   "
                  "# no FILE: the default policy; -: stdin"):
        "a synopsis (FILE and option placeholders), not commands to run",
    ("docs/spark.md", "from pyspark.sql import SparkSession"):
        "needs Java: tests/python/tables/test_spark.py runs it in its Spark session",
    ("docs/spark.md", "import sys"):
        "a spark-submit job on a cluster (its input is a data lake's parquet)",
    ("docs/spark.md", "%pip install keyaccount"):
        "a Databricks notebook cell (`spark`, `display` and `%pip` are the notebook's)",
}


@dataclass
class Block:
    file: str
    line: int
    language: str
    text: str

    @property
    def first_line(self) -> str:
        return self.text.split("\n", 1)[0]

    def __str__(self) -> str:
        return f"{self.file}:{self.line} ({self.language})"


def doc_blocks() -> list[Block]:
    blocks = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"^```(\w*)\n(.*?)^```", text, flags=re.M | re.S):
            blocks.append(Block(str(path.relative_to(ROOT)), text.count("\n", 0, match.start()) + 1,
                                match.group(1), match.group(2)))
    return blocks


def not_run_reason(block: Block) -> str | None:
    for (file, first), reason in NOT_RUN.items():
        if reason and file == block.file and block.text.startswith(first):
            return reason
    return None


BLOCKS = [b for b in doc_blocks() if b.language in RUN_LANGUAGES and not not_run_reason(b)]


@pytest.fixture()
def workdir(tmp_path, monkeypatch):
    """The scratch folder the examples run in."""
    for name in ("policy.json", "my-policy.json"):
        shutil.copy(ROOT / "policies" / "key-account-policy.json", tmp_path / name)
    shutil.copy(ROOT / "tests" / "data" / "workflows" / "people.json", tmp_path / "people.json")
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    (tmp_path / "policies").symlink_to(ROOT / "policies")
    (tmp_path / "schema").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_every_not_run_entry_names_a_block():
    blocks = doc_blocks()
    for (file, first), _ in NOT_RUN.items():
        assert any(b.file == file and b.text.startswith(first) for b in blocks), (file, first)


def test_the_docs_have_examples_of_each_kind():
    languages = {b.language for b in BLOCKS}
    assert RUN_LANGUAGES <= languages, languages
    assert len(BLOCKS) >= 30


# --- python ------------------------------------------------------------------------------------

def checked_lines(source: str) -> str:
    """`source` with each `expression  # literal` line turned into an assertion."""
    out = []
    for line in source.split("\n"):
        code, sep, comment = line.partition("  #")
        expected = comment.strip()
        if sep and code.strip() and not code.startswith((" ", "\t")) and expected:
            try:
                ast.literal_eval(expected)
                ast.parse(code.strip(), mode="eval")
            except (SyntaxError, ValueError):
                out.append(line)
                continue
            out.append(f"assert ({code.strip()}) == {expected}, "
                       f"({code.strip()!r}, {code.strip()})")
            continue
        out.append(line)
    return "\n".join(out)


def python_namespace() -> dict:
    import pandas as pd
    df = pd.read_json(ROOT / "examples" / "customers.jsonl", lines=True)
    with open(ROOT / "examples" / "customers.jsonl", encoding="utf-8") as f:
        record_dict = json.loads(f.readline())
    return {"__name__": "__doc_example__", "df": df, "record_dict": record_dict}


@pytest.mark.parametrize("block", [b for b in BLOCKS if b.language == "python"], ids=str)
def test_python_example_runs(block, workdir):
    source = checked_lines(block.text)
    code = compile(source, f"{block.file}:{block.line}", "exec")
    exec(code, python_namespace())  # noqa: S102 - the repository's own documentation


def test_a_wrong_documented_value_is_caught():
    """The literal checks can fail."""
    namespace = python_namespace()
    exec(compile(checked_lines("x = 1 + 1\nx  # 2"), "ok", "exec"), namespace)
    with pytest.raises(AssertionError):
        exec(compile(checked_lines("x = 1 + 1\nx  # 3"), "drifted", "exec"), namespace)


# --- sh ----------------------------------------------------------------------------------------

def sh_commands(text: str) -> list[tuple[str, list[str]]]:
    """(command, expected output lines) for each `keyaccount` command of a shell block."""
    commands: list[tuple[str, list[str]]] = []
    lines = iter(text.rstrip("\n").split("\n"))
    for line in lines:
        if line.startswith("keyaccount "):
            command = line
            while command.rstrip().endswith("\\"):
                command = command.rstrip()[:-1] + " " + next(lines).strip()
            commands.append((command, []))
        elif commands and line.strip():
            expected = line[2:] if line.startswith("# ") else line
            if expected.strip() != "...":
                commands[-1][1].append(expected.rstrip())
    return commands


def strip_comment(command: str) -> str:
    """The command without a trailing `  # remark`."""
    return re.split(r"\s{2,}#\s", command, maxsplit=1)[0]


@pytest.mark.parametrize("block", [b for b in BLOCKS if b.language == "sh"], ids=str)
def test_sh_example_runs(block, workdir):
    commands = sh_commands(block.text)
    assert commands, f"{block}: no keyaccount command in a shell example"
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    for command, expected in commands:
        result = subprocess.run(["bash", "-o", "pipefail", "-c", strip_comment(command)],
                                capture_output=True, text=True, env=env, timeout=300,
                                check=False)
        assert result.returncode in (0, 1), (block, command, result.returncode,
                                             result.stderr[-2000:])
        output = [line.rstrip() for line in result.stdout.splitlines()]
        for line in expected:
            assert line in output, (str(block), command, line, result.stdout[:2000])


def test_sh_commands_read_their_output_lines():
    commands = sh_commands("keyaccount eval '1' \\\n  --var x=1\n1\n# two\n# ...\n")
    assert commands == [("keyaccount eval '1'  --var x=1", ["1", "two"])]


# --- json --------------------------------------------------------------------------------------

@pytest.mark.parametrize("block", [b for b in BLOCKS if b.language == "json"], ids=str)
def test_json_example_is_valid(block, workdir):
    value = json.loads(block.text)
    if isinstance(value, dict) and "workflow" in value and "history" in value:
        instance = keyaccount.Instance.from_json(block.text)
        flows = keyaccount.WorkflowSet()
        people = keyaccount.People(json.loads((workdir / "people.json").read_text("utf-8")))
        # Refused with PolicyMismatchError when the example names another policy id/version.
        actor = flows.who_may_act(instance, "2026-01-07", people)[0]["person"]
        flows.apply(instance, {"action": "approve", "actor": actor, "on": "2026-01-07"}, people)
    elif isinstance(value, dict) and set(value) == {"people"}:
        keyaccount.People(value)
