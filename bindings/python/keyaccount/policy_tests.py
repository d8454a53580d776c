"""Policy tests from Python: :func:`run_tests` runs test files (the format of
``keyaccount test``, ``keyaccount.schema("tests")``) and returns the report as typed objects.

It runs the very code of ``keyaccount test --format json`` (``keyaccount._core``), so the
report has the same cases, mismatches and coverage; its dict form is described by
``keyaccount.schema("test-report")``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional, Union

from . import _core
from ._errors import ArgumentError
from .policy import Policy, PathLike, resolve_policy

__all__ = ["PolicyTestCase", "PolicyTestFile", "Coverage", "PolicyTestReport", "run_tests"]


@dataclass(frozen=True)
class PolicyTestCase:
    """One case: its ``name`` and, when it failed, one line per ``mismatches`` of expected
    against actual (``"tier: expected key, got regular"``)."""

    name: str
    passed: bool
    mismatches: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PolicyTestFile:
    """The cases of one test file, in file order."""

    file: str
    passed: int
    failed: int
    cases: list[PolicyTestCase]


@dataclass(frozen=True)
class Coverage:
    """How many of the policy's ``criteria`` some case saw met and some case saw not met
    (``covered``), in ``percent``, as ``opa test`` counts coverage; the criteria that no
    expectation names (``unexercised``), never met, never not met."""

    percent: float
    covered: int
    criteria: int
    unexercised: list[str]
    never_met: list[str]
    never_unmet: list[str]


@dataclass(frozen=True)
class PolicyTestReport:
    """The outcome of :func:`run_tests`. ``ok`` is what ``keyaccount test`` turns into exit 0:
    no case failed and the coverage reaches ``threshold`` (None: no threshold)."""

    policy: str
    files: list[PolicyTestFile]
    passed: int
    failed: int
    coverage: Coverage
    threshold: Optional[float]
    ok: bool

    @property
    def failures(self) -> list[PolicyTestCase]:
        """Every failed case, across the files."""
        return [c for f in self.files for c in f.cases if not c.passed]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "PolicyTestReport":
        """From the JSON of ``keyaccount test --format json``."""
        return cls(
            policy=data["policy"],
            files=[PolicyTestFile(file=f["file"], passed=f["passed"], failed=f["failed"],
                                  cases=[PolicyTestCase(c["name"], c["passed"],
                                                        list(c["mismatches"]))
                                         for c in f["cases"]])
                   for f in data["files"]],
            passed=data["passed"], failed=data["failed"],
            coverage=Coverage(**data["coverage"]),
            threshold=data["threshold"], ok=data["ok"])


def run_tests(files: Union[PathLike, Iterable[PathLike]], policy: Optional[Policy] = None, *,
              coverage_threshold: Optional[float] = None) -> PolicyTestReport:
    """Run policy test files against ``policy`` (None: the embedded default policy), as
    ``keyaccount test`` does, and return the report.

    ``files`` is one path or several. ``coverage_threshold`` (percent, 0–100) sets
    ``report.ok`` false when the coverage is below it, as ``--coverage-threshold`` does.
    Failed cases do not raise: they are in the report. Raises :class:`keyaccount.InputError`
    (its message located as ``FILE:LINE:COL: error[invalid_test_file]: ...``) for a file that
    cannot be read or is not a valid test file, :class:`keyaccount.ArgumentError` (a ValueError)
    for no files or a threshold outside 0–100."""
    if isinstance(files, (str, bytes, os.PathLike)):
        files = [files]
    paths = [os.fsdecode(os.fspath(f)) for f in files]
    if not paths:
        raise ArgumentError("run_tests: no test files given")
    if coverage_threshold is not None and not 0 <= coverage_threshold <= 100:
        raise ArgumentError(f"coverage_threshold: {coverage_threshold} is not a percentage 0-100")
    resolved = resolve_policy(policy)  # a TypeError for anything but a Policy or None
    name = "<default policy>" if policy is None else f"{resolved.id} {resolved.version}"
    handle = resolved._handle
    text = _core.classify.run_policy_tests(
        handle, name, paths, None if coverage_threshold is None else float(coverage_threshold))
    return PolicyTestReport.from_dict(json.loads(text))
