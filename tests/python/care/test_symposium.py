"""Art. 10: the annual symposium as one event a year (``keyaccount.care.symposium``, and the
symposium in ``care.plan`` / ``care.compliance``), the same C++ core as ``keyaccount symposium``
and ``plan`` / ``compliance --symposium``."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import keyaccount
from keyaccount import care

ROOT = Path(__file__).resolve().parents[3]
CLI = [sys.executable, "-m", "keyaccount"]

PEOPLE = {"people": [
    {"id": "sue", "name": "Sue", "positions": ["cr_supervisor"]},
    {"id": "alice", "name": "Alice", "positions": ["cr_specialist"], "superior": "sue"},
    {"id": "bob", "name": "Bob", "positions": ["cr_specialist"], "superior": "sue"},
]}
ACCOUNTS = [{"id": "C1", "name": "One", "tier": "key", "owner": "alice"},
            {"id": "C2", "name": "Two", "tier": "key", "owner": "bob"},
            {"id": "C3", "name": "Three", "tier": "regular"}]
DATED = [{"date": "2026-12-10", "invited": {"C1": "2026-10-20"}}]


def symposium_rows(df):
    return [(d.date().isoformat(), c, a, p) for d, c, a, p in
            zip(df["due"], df["customer"], df["activity"], df["person"])
            if a.startswith("annual_symposium")]


def test_art_10_the_plan_lists_one_event_and_each_missing_invitation():
    df = care.plan(ACCOUNTS, PEOPLE, "2026-11-01", "2026-12-31", symposium=DATED)
    assert symposium_rows(df) == [
        ("2026-11-10", "C2", "annual_symposium.invitation", "bob"),   # 30 days before 12-10
        ("2026-12-10", "", "annual_symposium", "sue"),                # one event, the organizer
    ]
    # Nothing recorded: invitations 30 days before the window opens (12-01), the event by the
    # deadline (12-20).
    df = care.plan(ACCOUNTS, PEOPLE, "2026-10-01", "2026-12-31")
    assert symposium_rows(df) == [
        ("2026-11-01", "C1", "annual_symposium.invitation", "alice"),
        ("2026-11-01", "C2", "annual_symposium.invitation", "bob"),
        ("2026-12-20", "", "annual_symposium", "sue"),
    ]


def test_art_10_compliance_reports_not_invited_then_not_held():
    df = care.compliance(ACCOUNTS, PEOPLE, "2026-11-15", symposium=DATED)
    rows = [(k, c, int(d)) for k, c, d in zip(df["kind"], df["customer"], df["days_overdue"])
            if k.startswith("symposium")]
    assert rows == [("symposium_not_invited", "C2", 5)]
    assert df.attrs["counts"]["symposium_not_invited"] == 1
    # Past the deadline, and still after the year end: one finding for the event.
    for as_of, late in [("2026-12-21", 1), ("2027-01-10", 21)]:
        df = care.compliance(ACCOUNTS, PEOPLE, as_of, symposium=DATED)
        rows = [(k, c, int(d)) for k, c, d in
                zip(df["kind"], df["customer"], df["days_overdue"]) if k.startswith("symposium")]
        assert rows == [("symposium_not_held", "", late)], as_of
    held = [{"date": "2026-12-10", "held": True,
             "invited": {"C1": "2026-10-20", "C2": "2026-11-02"}, "attended": ["C2"]}]
    df = care.compliance(ACCOUNTS, PEOPLE, "2027-01-10", symposium=held)
    assert not any(k.startswith("symposium") for k in df["kind"])


def test_art_10_symposium_lists_invitees_invitations_and_attendance():
    held = [{"date": "2026-12-10", "held": True,
             "invited": {"C1": "2026-10-20", "C2": "2026-11-02", "C9": "2026-11-02"},
             "attended": ["C2"]}]
    df = care.symposium(ACCOUNTS, PEOPLE, "2026-12-15", events=held)
    assert list(df["customer"]) == ["C1", "C2"]          # key customers only
    assert list(df["owner"]) == ["alice", "bob"]
    assert [d.date().isoformat() for d in df["invited_on"]] == ["2026-10-20", "2026-11-02"]
    assert list(df["attended"]) == [False, True]
    assert df.attrs["year"] == 2026 and df.attrs["held"] is True
    assert df.attrs["date"] == "2026-12-10" and df.attrs["deadline"] == "2026-12-20"
    assert df.attrs["organizer"] == "sue"
    assert df.attrs["others"] == ["C9"]                   # invited, but not an invitee
    # After the deadline the default year is the next one; an explicit year still reads 2026.
    assert care.symposium(ACCOUNTS, PEOPLE, "2026-12-21", events=held).attrs["year"] == 2027
    assert care.symposium(ACCOUNTS, PEOPLE, "2026-12-21", events=held,
                          year=2026).attrs["held"] is True


def test_art_10_facts_after_as_of_are_ignored_with_a_warning():
    held = [{"date": "2026-12-10", "held": True, "invited": {"C1": "2026-10-20"},
             "attended": ["C1"]}]
    df = care.symposium(ACCOUNTS, PEOPLE, "2026-12-01", events=held)
    assert df.attrs["held"] is False
    assert list(df["attended"]) == [False, False]
    assert df.attrs["warnings"] == [
        "events[0]: symposium 2026-12-10: held: 2026-12-10 is after the as-of date 2026-12-01: "
        "not held yet on that day; ignored",
        "events[0]: symposium 2026-12-10: attended: the event was not held by 2026-12-01; "
        "ignored"]
    df = care.compliance(ACCOUNTS, PEOPLE, "2026-10-15", symposium=held)
    assert any("invited.C1: 2026-10-20 is after the as-of date" in w
               for w in df.attrs["warnings"])


@pytest.mark.parametrize("records,where", [
    ([{"date": "2026-12-10"}, {"date": "2026-12-10", "held": "yes"}],
     r"symposium\[1\]\.held: expected true or false"),
    ([{"date": "2026-08-10"}], r"symposium\[0\]: date: 2026-08-10 is outside the symposium's "
                               r"window 12-01\.\.12-20 \(art-10\)"),
    ([{"date": "2026-12-10"}, {"date": "2026-12-12"}],
     r'symposium\[1\]: symposium of year "2026" is given twice \(first at symposium\[0\]\)'),
    ([{"date": "2026-12-10", "invited": ["C1"]}], r"symposium\[0\]\.invited: expected an object"),
])
def test_art_10_bad_records_name_the_argument_and_index(records, where):
    with pytest.raises(keyaccount.InputError, match=where):
        care.plan(ACCOUNTS, PEOPLE, "2026-11-01", symposium=records)
    with pytest.raises(keyaccount.InputError, match=where):
        care.compliance(ACCOUNTS, PEOPLE, "2026-11-01", symposium=records)
    with pytest.raises(keyaccount.InputError, match=where.replace("symposium\\[", "events\\[")):
        care.symposium(ACCOUNTS, PEOPLE, "2026-11-01", events=records)


def test_art_10_a_file_of_records_is_read_as_the_cli_reads_it(tmp_path):
    events = tmp_path / "symposium.jsonl"
    events.write_text('{"date": "2026-12-10", "invited": {"C1": "2026-10-20"}}\n'
                      '{"date": "2027-12-10", "hled": true}\n', encoding="utf-8")
    with pytest.raises(keyaccount.InputError,
                       match=rf"{events}:2: hled: unknown field \(expected one of: date, held, "
                             r"invited, attended\)"):
        care.symposium(ACCOUNTS, PEOPLE, "2026-11-15", events=events)
    events.write_text('{"date": "2026-12-10", "invited": {"C1": "2026-10-20"}}\n',
                      encoding="utf-8")
    accounts = tmp_path / "accounts.jsonl"
    accounts.write_text("".join(json.dumps(a) + "\n" for a in ACCOUNTS), encoding="utf-8")
    people = tmp_path / "people.json"
    people.write_text(json.dumps(PEOPLE), encoding="utf-8")
    run = subprocess.run(CLI + ["compliance", "--as-of", "2026-11-15", "--accounts",
                                str(accounts), "--people", str(people), "--symposium",
                                str(events), "--format", "json"],
                         capture_output=True, text=True)
    assert run.returncode == 1, run.stderr
    from_cli = [(f["kind"], f["customer"], f["due"], f["responsible"])
                for f in json.loads(run.stdout)["findings"]]
    df = care.compliance(accounts, people, "2026-11-15", symposium=events)
    from_python = [(k, c, d.date().isoformat() if d == d else None, r) for k, c, d, r in
                   zip(df["kind"], df["customer"], df["due"], df["responsible"])]
    assert from_python == from_cli
    assert ("symposium_not_invited", "C2", "2026-11-10", "bob") in from_cli


def test_art_10_a_policy_without_the_section_has_no_symposium():
    doc = json.loads((ROOT / "policies" / "key-account-policy.json").read_text(encoding="utf-8"))
    del doc["symposium"]
    policy = keyaccount.Policy.from_dict(doc)
    with pytest.raises(keyaccount.InputError, match="no `symposium` section"):
        care.symposium(ACCOUNTS, PEOPLE, "2026-11-15", policy=policy)
    df = care.plan(ACCOUNTS, PEOPLE, "2026-10-01", "2026-12-31", policy=policy)
    assert not any(a.startswith("annual_symposium") for a in df["activity"])


def test_art_10_describe_prints_the_section():
    text = keyaccount.default_policy().describe()
    assert "Symposium (one event a year):" in text
    assert "held between 12-01 and 12-20" in text
    cli = subprocess.run(CLI + ["describe"], capture_output=True, text=True)
    assert cli.returncode == 0 and "Symposium (one event a year):" in cli.stdout


def test_art_10_the_calendar_export_has_the_event_and_the_invitations():
    text = care.plan_ics(ACCOUNTS, PEOPLE, "2026-12-01", days=30)
    summaries = [line for line in text.splitlines() if line.startswith("SUMMARY:")]
    assert "SUMMARY:OVERDUE: Invitation: Annual symposium — One" in summaries
    assert "SUMMARY:Annual symposium — all 2 invitees" in summaries


def test_art_10_customers_are_classified_on_as_of_and_invited_by_their_owners():
    examples = ROOT / "examples"
    df = care.symposium(None, examples / "people.json", "2026-06-30",
                        customers=examples / "customers.jsonl",
                        events=examples / "symposium.jsonl")
    # The key customers of the sample on 2026-06-30 (as `keyaccount symposium` lists them).
    run = subprocess.run(CLI + ["symposium", "--as-of", "2026-06-30", "--customers",
                                str(examples / "customers.jsonl"), "--people",
                                str(examples / "people.json"), "--symposium",
                                str(examples / "symposium.jsonl"), "--format", "json"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert list(df["customer"]) == [i["customer"] for i in report["invitees"]]
    assert len(df) > 10
    assert int(df["invited_on"].notna().sum()) == 4
    assert df.attrs["date"] == report["date"] == "2026-12-10"
