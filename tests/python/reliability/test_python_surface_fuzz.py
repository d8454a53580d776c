"""The atheris harness of the Python surface (fuzz/python/fuzz_keyaccount.py), replayed: every
file in tests/data/fuzz-regressions/python/ (inputs that once found something) and a seeded
batch of random inputs go through its ``test_one_input``, which raises on any exception other
than keyaccount's own errors and TypeError, and on a broken invariant. The long campaign runs
under libFuzzer: ``python fuzz/python/fuzz_keyaccount.py -max_total_time=600 CORPUS``."""

from __future__ import annotations

import pathlib
import random
import sys

import pytest

atheris = pytest.importorskip("atheris", reason="atheris has wheels for x86-64 Linux only")

ROOT = pathlib.Path(__file__).resolve().parents[3]
REGRESSIONS = ROOT / "tests" / "data" / "fuzz-regressions" / "python"
RANDOM_INPUTS = 600


@pytest.fixture(scope="module")
def harness():
    sys.path.insert(0, str(ROOT / "fuzz" / "python"))
    try:
        import fuzz_keyaccount
    finally:
        sys.path.pop(0)
    return fuzz_keyaccount


def _regressions() -> list[pathlib.Path]:
    return sorted(p for p in REGRESSIONS.glob("*") if p.is_file() and p.suffix != ".md")


@pytest.mark.parametrize("path", _regressions(), ids=lambda p: p.name)
def test_a_kept_finding_stays_fixed(harness, path):
    harness.test_one_input(path.read_bytes())


def test_random_inputs_raise_only_documented_errors(harness):
    rng = random.Random(20261206)
    for _ in range(RANDOM_INPUTS):
        harness.test_one_input(rng.randbytes(rng.randrange(1, 400)))


def test_the_harness_reports_an_undocumented_exception(harness, monkeypatch):
    # The contract check itself can fail: an entry point raising KeyError is a finding.
    def broken(values):
        raise KeyError("not a keyaccount error")

    monkeypatch.setattr(harness, "ENTRY_POINTS", [broken])
    with pytest.raises(KeyError):
        harness.test_one_input(b"\x00\x01")


def test_the_harness_reaches_every_entry_point(harness, monkeypatch):
    called = []
    entries = list(harness.ENTRY_POINTS)
    monkeypatch.setattr(harness, "ENTRY_POINTS",
                        [lambda v, e=e: (called.append(e.__name__), e(v)) for e in entries])
    rng = random.Random(7)
    for _ in range(200):
        harness.test_one_input(rng.randbytes(rng.randrange(1, 200)))
    assert set(called) == {e.__name__ for e in entries}
