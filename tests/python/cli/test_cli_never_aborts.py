"""The pip-installed ``keyaccount`` command (keyaccount.__main__) never aborts.

It once did (exit 134, "terminate called after throwing an instance of
'pybind11::error_already_set'") when the C++ CLI's output was not UTF-8 (``validate`` echoing a
damaged policy line) and when the reader of its output went away (``... | head -1``). Here every
subcommand, listed from the CLI's own help so that a new one cannot be missed, runs

- on input that is not UTF-8, and
- with standard output closed: a pipe whose reader has gone before the first write (the first
  write fails, every time) and a pipe whose reader closes after one byte (as ``head -c 1``);

and must end with one of its exit codes, no traceback, no abort; a closed pipe quietly
(nothing on stderr, exit 141 as a shell reports a process SIGPIPE ended, or the command's own
code when it had written everything before the reader left).
"""
from __future__ import annotations

import fcntl
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples"
DATA = ROOT / "tests" / "data"
BROKEN_POLICY = DATA / "invalid" / "10-syntax-invalid-utf8.json"
PYTHON_CLI = [sys.executable, "-m", "keyaccount"]
EXIT_CLOSED_PIPE = 141
CRASH_MARKERS = (b"Traceback", b"terminate called", b"Fatal Python error", b"Aborted",
                 b"Exception ignored")


def subcommands() -> list[str]:
    """The subcommands `keyaccount --help` lists (CLI11's SUBCOMMANDS section)."""
    help_text = subprocess.run(PYTHON_CLI + ["--help"], capture_output=True, text=True,
                               check=True).stdout
    section = re.search(r"^SUBCOMMANDS:\n((?:[ \t]+\S.*\n?)+)", help_text,
                        flags=re.M | re.I)
    assert section, help_text
    return sorted(line.split()[0] for line in section.group(1).splitlines())


def non_utf8_files(tmp: Path) -> dict[str, Path]:
    """Input files of every kind with bytes that are not UTF-8 (0xFF, a lone continuation
    byte, a truncated sequence) inside their strings and names."""
    files = {
        "customers.jsonl": b'{"id": "C\xff01", "name": "\xe5\xae", "category": "government",'
                           b' "first_order": "2020-01-15", "monthly_shipments": [60, 70, 80],'
                           b' "cumulative_amount": 900}\n{"id": "C0\x802"}\n',
        "customers.csv": b"id,category,cumulative_amount\nC\xff1,government,900\n",
        "tests.json": b'{"as_of": "2026-06-30", "cases": [{"name": "\xff", "customer": '
                      b'{"id": "T\xfe"}, "expect": {"tier": "k\xc3"}}]}\n',
        "people.json": b'{"people": [{"id": "p\xff", "positions": ["cr_specialist"]}]}\n',
        "stock.csv": b"product,spec,quantity\nP\xff,S\xfe,10\n",
        "symposium.jsonl": b'{"date": "2026-12-10", "invited": {"C\xff1": "2026-11-01"}}\n',
        "supply.csv": b"product,spec,quantity,arrives_on\nP\xff,S\xfe,10,\n",
        "visits.jsonl": b'{"customer": "C\xff1", "date": "2026-12-10", "executive": "g\xfe"}\n',
        "instance.json": b'{"workflow": "gift_request", "id": "\xff"}\n',
    }
    out = {}
    for name, content in files.items():
        path = tmp / name
        path.write_bytes(content)
        out[name] = path
    return out


def non_utf8_runs(tmp: Path) -> dict[str, list[list]]:
    """Argument lists, per subcommand, whose input is not UTF-8."""
    f = non_utf8_files(tmp)
    people = EXAMPLES / "people.json"
    return {
        "allocate": [["allocate", "--on", "2026-12-20", "--stock", f["stock.csv"],
                      "--orders", EXAMPLES / "orders.csv"]],
        "amend": [["amend", "--instance", f["instance.json"], "--candidate",
                   ROOT / "policies" / "key-account-policy.json"],
                  ["amend", "--request-summary", b"\xff", "--baseline",
                   ROOT / "policies" / "key-account-policy.json", "--candidate", BROKEN_POLICY]],
        "classify": [["classify", "--as-of", "2026-06-30", f["customers.jsonl"]],
                     ["classify", "--as-of", "2026-06-30", "--on-error", "skip",
                      "--explain", f["customers.csv"]]],
        "compliance": [["compliance", "--as-of", "2026-06-30", "--customers",
                        f["customers.jsonl"], "--people", people],
                       ["compliance", "--as-of", "2026-06-30", "--customers",
                        EXAMPLES / "customers.jsonl", "--people", f["people.json"]]],
        "describe": [["describe", "--policy", BROKEN_POLICY]],
        "diff": [["diff", ROOT / "policies" / "key-account-policy.json", "--set",
                  b"cumulative_amount_min=1", "--customers", f["customers.jsonl"], "--as-of",
                  "2026-06-30"],
                 ["diff", BROKEN_POLICY, "--set", b"\xff=1"]],
        "eval": [["eval", b'"\xff" + x', "--var", b'x="\xfe"'], ["eval", b"\xc3"]],
        "plan": [["plan", "--as-of", "2026-06-30", "--customers", f["customers.jsonl"],
                  "--people", people],
                 ["plan", "--as-of", "2026-06-30", "--customers", EXAMPLES / "customers.jsonl",
                  "--people", people, "--visit-plan", f["visits.jsonl"]]],
        "schema": [["schema", b"\xff"]],
        "supply": [["supply", "--as-of", "2026-06-30", "--customers", f["customers.jsonl"],
                    "--stock", EXAMPLES / "supply_stock.csv"],
                   ["supply", "--as-of", "2026-06-30", "--customers",
                    EXAMPLES / "customers.jsonl", "--stock", f["supply.csv"]]],
        "symposium": [["symposium", "--as-of", "2026-06-30", "--customers", f["customers.jsonl"],
                       "--people", people],
                      ["symposium", "--as-of", "2026-12-01", "--customers",
                       EXAMPLES / "customers.jsonl", "--people", people, "--symposium",
                       f["symposium.jsonl"]]],
        "test": [["test", f["tests.json"]], ["test", "--policy", BROKEN_POLICY,
                                              f["tests.json"]]],
        "validate": [["validate", BROKEN_POLICY],
                     ["validate", "--format", "json", BROKEN_POLICY],
                     ["validate", "--format", "github", BROKEN_POLICY]],
        "workflow": [["workflow", "list", "--policy", BROKEN_POLICY],
                     ["workflow", "graph", "gift_request", "--instance", f["instance.json"]]],
    }


def output_runs() -> dict[str, list]:
    """Argument lists, per subcommand, that write plenty to standard output."""
    people = EXAMPLES / "people.json"
    return {
        "allocate": ["allocate", "--on", "2026-12-20", "--stock", EXAMPLES / "stock.csv",
                     "--orders", EXAMPLES / "orders.csv"],
        # The amendment request (JSON on standard output) for a candidate against the default.
        "amend": ["amend", "--request-summary", "raise art-5.1", "--baseline",
                  ROOT / "policies" / "key-account-policy.json", "--candidate",
                  ROOT / "policies" / "key-account-policy.json"],
        "classify": ["classify", "--as-of", "2026-06-30", "--explain",
                     EXAMPLES / "customers.jsonl"],
        "compliance": ["compliance", "--as-of", "2026-06-30", "--customers",
                       EXAMPLES / "customers.jsonl", "--people", people],
        "describe": ["describe"],
        "diff": ["diff", ROOT / "policies" / "key-account-policy.json", "--set",
                 "cumulative_amount_min=100", "--customers", EXAMPLES / "customers.jsonl",
                 "--as-of", "2026-06-30"],
        "eval": ["eval", "[1, 2, 3].map(x, x * 2)"],
        "plan": ["plan", "--as-of", "2026-06-30", "--customers", EXAMPLES / "customers.jsonl",
                 "--people", people],
        "schema": ["schema"],
        "supply": ["supply", "--as-of", "2026-06-30", "--customers",
                   EXAMPLES / "customers.jsonl", "--stock", EXAMPLES / "supply_stock.csv"],
        "symposium": ["symposium", "--as-of", "2026-06-30", "--customers",
                      EXAMPLES / "customers.jsonl", "--people", people, "--symposium",
                      EXAMPLES / "symposium.jsonl"],
        "test": ["test", ROOT / "policies" / "key-account-policy.tests.json"],
        "validate": ["validate", BROKEN_POLICY],
        "workflow": ["workflow", "list"],
    }


def as_args(args: list) -> list:
    return [a if isinstance(a, bytes) else str(a) for a in args]


def assert_no_crash(result_code: int, stderr: bytes, what: str) -> None:
    assert result_code not in (134, -6), f"{what}: aborted\n{stderr.decode(errors='replace')}"
    for marker in CRASH_MARKERS:
        assert marker not in stderr, f"{what}: {marker!r}\n{stderr.decode(errors='replace')}"


def test_every_subcommand_has_cases(tmp_path):
    """A new subcommand must be added to the runs below, or this fails."""
    names = subcommands()
    assert {"validate", "classify", "schema"} <= set(names)
    assert sorted(non_utf8_runs(tmp_path)) == names
    assert sorted(output_runs()) == names


@pytest.mark.parametrize("command", sorted(output_runs()))
def test_non_utf8_input_never_aborts(command, tmp_path):
    for args in non_utf8_runs(tmp_path)[command]:
        result = subprocess.run(PYTHON_CLI + as_args(args), capture_output=True, check=False,
                                timeout=120)
        assert_no_crash(result.returncode, result.stderr, repr(args))
        assert result.returncode in (0, 1, 2), (args, result.returncode, result.stderr)


def test_validate_writes_the_damaged_line_byte_for_byte():
    """The text format echoes the offending line; its bytes reach stdout unchanged."""
    damaged = BROKEN_POLICY.read_bytes().split(b"\n")[52]
    assert b"\xff" in damaged
    result = subprocess.run(PYTHON_CLI + ["validate", str(BROKEN_POLICY)], capture_output=True,
                            check=False, timeout=60)
    assert result.returncode == 1, result.stderr
    assert result.stderr == b""
    assert damaged.strip() in result.stdout
    assert b"error[syntax_error]" in result.stdout


def run_with_closed_stdout(command: list) -> tuple[int, bytes]:
    """Runs `command` with stdout a pipe whose reader is gone before the first write."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        process = subprocess.Popen(command, stdout=write_end, stderr=subprocess.PIPE)
    finally:
        os.close(write_end)
    _, stderr = process.communicate(timeout=120)
    return process.returncode, stderr


def run_reading_one_byte(command: list) -> tuple[int, bytes, bytes]:
    """Runs `command` with stdout a small pipe whose reader closes after one byte (as
    `head -c 1`)."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # The smallest pipe Linux allows (one page), so that most commands write past it.
    fcntl.fcntl(process.stdout.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), 4096)
    first = process.stdout.read(1)
    process.stdout.close()
    stderr = process.stderr.read()
    process.wait(timeout=120)
    return process.returncode, first, stderr


@pytest.mark.parametrize("command", sorted(output_runs()))
def test_a_closed_stdout_ends_the_command_quietly(command):
    args = as_args(output_runs()[command])
    code, stderr = run_with_closed_stdout(PYTHON_CLI + args)
    assert_no_crash(code, stderr, command)
    assert stderr == b""
    assert code == EXIT_CLOSED_PIPE

    code, first, stderr = run_reading_one_byte(PYTHON_CLI + args)
    assert_no_crash(code, stderr, command)
    assert len(first) == 1
    assert stderr == b""
    # 141 when it wrote after the reader left; its own code if it had finished before.
    assert code in (EXIT_CLOSED_PIPE, 0, 1)


def test_classify_into_head_stops_early_and_quietly(tmp_path):
    """`keyaccount classify ... | head -1` on a file larger than any pipe buffer."""
    big = tmp_path / "customers.jsonl"
    lines = [json.loads(x) for x in (EXAMPLES / "customers.jsonl").read_text().splitlines()]
    # Twenty copies, each customer's id made its own (an id given twice is refused).
    big.write_text("".join(json.dumps(dict(r, id=f"{r['id']}-{k}")) + "\n"
                           for k in range(20) for r in lines))
    process = subprocess.Popen(PYTHON_CLI + ["classify", "--as-of", "2026-06-30", str(big)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first_line = process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read()
    process.wait(timeout=120)
    assert first_line.startswith(b"{")
    assert stderr == b""
    assert process.returncode == EXIT_CLOSED_PIPE


def test_main_writes_bytes_to_a_captured_stream(capsysbinary):
    """In-process (pytest's capture, a notebook): the output still arrives, bytes intact."""
    from keyaccount.__main__ import main

    assert main(["validate", str(BROKEN_POLICY)]) == 1
    captured = capsysbinary.readouterr()
    assert BROKEN_POLICY.read_bytes().split(b"\n")[52].strip() in captured.out
    assert main(["--version"]) == 0
    assert capsysbinary.readouterr().out.strip().decode() == __import__("keyaccount").__version__


def test_main_on_a_text_only_stream_replaces_what_is_not_utf8(monkeypatch):
    """A stream without a binary buffer (a notebook's) gets text, U+FFFD for bad bytes."""
    from keyaccount.__main__ import main

    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    assert main(["validate", str(BROKEN_POLICY)]) == 1
    assert "\ufffd" in out.getvalue()
    assert "error[syntax_error]" in out.getvalue()


class _FullDisk(io.StringIO):
    """A stream every write to which fails, as on a full disk."""

    def write(self, text):
        raise OSError(28, "No space left on device")


def test_main_reports_a_failing_stream_on_stderr_with_exit_2(monkeypatch, capsys):
    from keyaccount.__main__ import main

    monkeypatch.setattr(sys, "stdout", _FullDisk())
    assert main(["schema"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("keyaccount: cannot write the output:")
    assert "No space left on device" in err
    assert "Traceback" not in err
