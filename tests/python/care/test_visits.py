"""Art. 9: senior-management visits by plan (``visit_plan=`` in ``care.plan`` / ``care.compliance``),
the same C++ core as ``keyaccount plan / compliance --visit-plan``: planned visits and their
briefings in the plan, and compliance's visits not done, customers with no visit planned and
briefings not prepared."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import keyaccount
from keyaccount import care

ROOT = Path(__file__).resolve().parents[3]
EX = ROOT / "examples"
CLI = [sys.executable, "-m", "keyaccount"]

PEOPLE = {"people": [
    {"id": "gina", "name": "Gina", "positions": ["general_manager"]},
    {"id": "sue", "name": "Sue", "positions": ["cr_supervisor"]},
    {"id": "alice", "name": "Alice", "positions": ["cr_specialist"], "superior": "sue"},
    {"id": "bob", "name": "Bob", "positions": ["cr_specialist"], "superior": "sue"},
]}
ACCOUNTS = [{"id": "C1", "name": "One", "tier": "key", "owner": "alice"},
            {"id": "C2", "name": "Two", "tier": "key", "owner": "bob"},
            {"id": "R1", "name": "Reg", "tier": "regular"}]


def visit_rows(df):
    return [(d.date().isoformat(), c, a, p) for d, c, a, p in
            zip(df["due"], df["customer"], df["activity"], df["person"])
            if a.startswith("executive_visit")]


def test_art_9_the_plan_lists_planned_visits_and_briefings_not_a_fixed_cadence():
    # No plan: no executive visit at all (no interval to project).
    assert visit_rows(care.plan(ACCOUNTS, PEOPLE, "2026-12-01", "2026-12-31")) == []
    plan = [{"customer": "C1", "date": "2026-12-15", "executive": "gina"}]
    assert visit_rows(care.plan(ACCOUNTS, PEOPLE, "2026-12-01", "2026-12-31",
                                visit_plan=plan)) == [
        ("2026-12-08", "C1", "executive_visit.briefing", "alice"),   # 7 days before, by the owner
        ("2026-12-15", "C1", "executive_visit", "gina"),             # by the visiting executive
    ]
    plan[0]["briefed_on"] = "2026-11-30"   # known on the plan's first day
    assert visit_rows(care.plan(ACCOUNTS, PEOPLE, "2026-12-01", "2026-12-31",
                                visit_plan=plan)) == [
        ("2026-12-15", "C1", "executive_visit", "gina")]


def test_art_9_compliance_reports_visits_not_done_unplanned_customers_and_briefings():
    plan = [{"customer": "C1", "date": "2026-06-10", "executive": "gina"},
            {"customer": "C2", "date": "2026-07-20", "executive": "gina"}]
    df = care.compliance(ACCOUNTS, PEOPLE, "2026-07-15", visit_plan=plan)
    art9 = df[df["article"] == "art-9"]
    assert list(zip(art9["kind"], art9["customer"], art9["days_overdue"], art9["responsible"])) == [
        ("visit_not_done", "C1", 35, "gina"),
        ("no_visit_planned", "C1", 0, "sue"),
        ("visit_briefing_overdue", "C2", 2, "bob"),   # due 07-13
    ]
    # Done (its record says so) and briefed: only C1's missing plan ahead remains.
    plan[0]["done_on"] = "2026-06-10"
    plan[1]["briefed_on"] = "2026-07-12"
    df = care.compliance(ACCOUNTS, PEOPLE, "2026-07-15", visit_plan=plan)
    assert list(df[df["article"] == "art-9"]["kind"]) == ["no_visit_planned"]


def test_art_9_visit_records_are_refused_where_they_are(tmp_path):
    with pytest.raises(keyaccount.InputError,
                       match=r"visit_plan\[1\]\.customer: \"C3\" is not among the customers given"):
        care.plan(ACCOUNTS, PEOPLE, "2026-12-01", visit_plan=[
            {"customer": "C1", "date": "2026-12-15", "executive": "gina"},
            {"customer": "C3", "date": "2026-12-15", "executive": "gina"}])
    bad = tmp_path / "visits.csv"
    bad.write_text("customer,date,executive\nC1,2026-12-15,gena\n")
    with pytest.raises(keyaccount.InputError,
                       match=r"visits\.csv:2: executive: \"gena\" is not a known person"):
        care.compliance(ACCOUNTS, PEOPLE, "2026-12-01", visit_plan=bad)


def test_art_9_the_cli_and_python_agree_on_the_examples():
    args = ["--as-of", "2026-06-30", "--customers", str(EX / "customers.jsonl"),
            "--accounts", str(EX / "accounts.jsonl"), "--people", str(EX / "people.json"),
            "--visit-plan", str(EX / "visits.jsonl"), "--format", "json"]
    r = subprocess.run([*CLI, "compliance", *args], capture_output=True, text=True, check=False)
    assert r.returncode == 1, r.stderr
    from_cli = [(f["kind"], f["customer"]) for f in json.loads(r.stdout)["findings"]
                if f["article"] == "art-9"]
    df = care.compliance(EX / "accounts.jsonl", EX / "people.json", "2026-06-30",
                         customers=EX / "customers.jsonl", visit_plan=EX / "visits.jsonl")
    assert from_cli == [(k, c) for k, c, a in zip(df["kind"], df["customer"], df["article"])
                        if a == "art-9"]
    kinds = {k for k, _ in from_cli}
    assert {"visit_not_done", "no_visit_planned"} <= kinds   # the examples have both
