"""The shipped samples are consistent with the README's as-of date (issue 17 item 2): nothing in
examples/ is dated after 2026-06-30, so the README's commands on that day ignore no fact. Before,
examples/complaints.jsonl had a complaint reported on 2026-07-01. Each later fact would be a
warning listing it (``df.attrs["warnings"]``, as the CLI warns at its line)."""
from __future__ import annotations

from pathlib import Path

from keyaccount import care

EX = Path(__file__).resolve().parents[3] / "examples"
README_AS_OF = "2026-06-30"


def test_compliance_on_the_samples_ignores_nothing():
    df = care.compliance(EX / "accounts.jsonl", EX / "people.json", README_AS_OF,
                         customers=EX / "customers.jsonl", complaints=EX / "complaints.jsonl",
                         symposium=EX / "symposium.jsonl", visit_plan=EX / "visits.jsonl")
    assert df.attrs["warnings"] == [] and df.attrs["skipped"] == []
    assert len(df) > 0  # the samples do have findings: the check ran


def test_plan_and_escalations_on_the_samples_ignore_nothing():
    plan = care.plan(EX / "accounts.jsonl", EX / "people.json", README_AS_OF,
                     customers=EX / "customers.jsonl", symposium=EX / "symposium.jsonl",
                     visit_plan=EX / "visits.jsonl")
    assert plan.attrs["warnings"] == []
    escalations = care.escalations(EX / "complaints.jsonl", EX / "people.json", README_AS_OF)
    assert escalations.attrs["warnings"] == []
