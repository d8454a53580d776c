"""No command of the pip-installed ``keyaccount`` exits 134 (or crashes otherwise) on any input
of the test corpus (issue 14: "no command of the pip-installed CLI exits 134 on any input of the
test corpus").

Every file under ``tests/data`` (except the CEL conformance cases, which are no input of the
command line) is given, in every role a command reads a file in, to the ``keyaccount`` entry
point (``keyaccount.__main__.main``): as a policy, customers, policy tests, accounts, people,
stock and orders. Most of these runs are wrong on purpose (a people file given as orders); each
must still end with one of the CLI's exit codes and a message, never an abort, a traceback or an
"internal error".

The runs happen in one child interpreter, so that an abort kills only the child and the test
reads which run it was from the child's progress lines.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data"
EXAMPLES = ROOT / "examples"
AS_OF = "2026-06-30"


def corpus_files() -> list[Path]:
    return sorted(path for path in DATA.rglob("*")
                  if path.is_file() and "cel-conformance" not in path.parts)


def runs_for(path: Path) -> list[list[str]]:
    """Every command line that reads `path` in one of its roles."""
    file = str(path)
    people = str(EXAMPLES / "people.json")
    return [
        ["validate", file],
        ["validate", "--format", "json", file],
        ["describe", "--policy", file],
        ["classify", "--as-of", AS_OF, "--explain", file],
        ["classify", "--as-of", AS_OF, "--policy", file, str(EXAMPLES / "customers.jsonl")],
        ["test", file],
        ["plan", "--as-of", AS_OF, "--days", "31", "--people", file,
         "--accounts", str(EXAMPLES / "accounts.jsonl")],
        ["plan", "--as-of", AS_OF, "--days", "31", "--people", people, "--accounts", file],
        ["compliance", "--as-of", AS_OF, "--people", people, "--customers", file],
        ["allocate", "--on", AS_OF, "--stock", file, "--orders", str(EXAMPLES / "orders.csv")],
        ["allocate", "--on", AS_OF, "--stock", str(EXAMPLES / "stock.csv"), "--orders", file],
    ]


# The child: runs each command line given as JSON on stdin through the entry point, with the
# command's output going to the null device, and prints one progress line per run on stderr
# *before* it starts (so an abort names its run) and its exit status after.
CHILD = r"""
import json, sys
from keyaccount.__main__ import main
for args in json.load(sys.stdin):
    print("RUN " + json.dumps(args), file=sys.stderr, flush=True)
    code = main(args)
    print("EXIT %d" % code, file=sys.stderr, flush=True)
print("DONE", file=sys.stderr, flush=True)
"""

CRASH_MARKERS = ("Traceback", "terminate called", "Fatal Python error", "Aborted",
                 "internal error", "Exception ignored")


def test_the_corpus_has_inputs_of_every_kind():
    names = {path.name for path in corpus_files()}
    # Inputs that once made the pip-installed CLI abort, and one of each other kind.
    assert {"10-syntax-invalid-utf8.json", "orders_bad.csv", "accounts_bad.jsonl",
            "people.json", "excel-utf8-bom.csv"} <= names


def test_no_command_aborts_on_any_file_of_the_corpus():
    runs = [args for path in corpus_files() for args in runs_for(path)]
    child = subprocess.run([sys.executable, "-c", CHILD], input=json.dumps(runs).encode(),
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False,
                           timeout=600, cwd=ROOT)
    stderr = child.stderr.decode("utf-8", errors="replace")
    last_run = next((line for line in reversed(stderr.splitlines()) if line.startswith("RUN ")),
                    "(none)")
    assert child.returncode == 0, f"the child ended with {child.returncode} at {last_run}"
    assert stderr.rstrip().endswith("DONE"), f"stopped at {last_run}"
    exits = [int(line.split()[1]) for line in stderr.splitlines() if line.startswith("EXIT ")]
    assert len(exits) == len(runs)
    unexpected = [(args, code) for args, code in zip(runs, exits) if code not in (0, 1, 2)]
    assert not unexpected, unexpected[:5]
    for marker in CRASH_MARKERS:
        assert marker not in stderr, f"{marker!r} in the output of the runs:\n{stderr[-3000:]}"
    # The runs are meant to be mostly refusals: if nearly all succeeded, the roles were not
    # exercised (a wrong option would make every run fail with 2 instead, caught here too).
    assert exits.count(2) < len(exits), "every run was refused as a usage error"
    assert exits.count(0) < len(exits) // 2
