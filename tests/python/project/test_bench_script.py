"""bench/compare_python.py keeps working: on a few hundred customers, with no time budget, it
checks that pandas (and zen-engine, when installed) agree with keyaccount and prints the ratios
as its last line. Speed itself is never asserted here (see the README's Performance section)."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pandas")

SCRIPT = Path(__file__).resolve().parents[3] / "bench" / "compare_python.py"


def test_the_comparison_script_agrees_with_pandas_and_prints_every_ratio():
    run = subprocess.run([sys.executable, str(SCRIPT), "--rows", "400", "--zen-rows", "30",
                          "--budget", "0"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.strip().splitlines()
    assert lines[0] == "400 generated customers, as of 2026-06-30"
    last = lines[-1]
    assert last.startswith("ratios: keyaccount DataFrame vs pandas "), last
    for ratio in ("vs pandas", "Arrow list column", "numpy columns"):
        assert re.search(re.escape(ratio) + r" \d+\.\dx", last), (ratio, last)
    assert re.search(r"takes \d+\.\d\dx the C\+\+ batch's time", last), last
