"""Art. 6.3 per-customer service standards (issue 16 item 2): an account's `overrides` change
its plan and its compliance, the same from Python (dicts and DataFrame columns) and from the
command line (JSON Lines and CSV accounts), and an override the policy does not allow is a
located error."""
from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

import keyaccount
from keyaccount import care

PEOPLE = {"people": [
    {"id": "gina", "name": "Gina", "positions": ["general_manager"]},
    {"id": "carl", "name": "Carl", "positions": ["cs_manager"]},
    {"id": "sue", "name": "Sue", "positions": ["cr_supervisor"]},
    {"id": "alice", "name": "Alice", "positions": ["cr_specialist"], "superior": "sue"},
    {"id": "fay", "name": "Fay", "positions": ["finance_reviewer"]},
]}
OWN = "every 14 days for this customer (art-6.3 override)"


def account(cid: str, **more) -> dict:
    return {"id": cid, "tier": "key", "owner": "alice",
            "last_done": {"regular_visit": "2026-03-01"}, **more}


def visits(df: pd.DataFrame, customer: str) -> list[str]:
    rows = df[(df["activity"] == "regular_visit") & (df["customer"] == customer)]
    return [d.date().isoformat() for d in rows["due"]]


def test_a_dict_override_changes_only_its_customer_plan():
    df = care.plan([account("C1", overrides={"regular_visit.every_days": 14}), account("C2")],
                   PEOPLE, "2026-03-02", "2026-04-10")
    assert visits(df, "C1") == ["2026-03-15", "2026-03-29"]
    assert visits(df, "C2") == ["2026-03-31"]
    c1 = df[(df["activity"] == "regular_visit") & (df["customer"] == "C1")]
    assert all(OWN in basis for basis in c1["basis"])


def test_a_dataframe_column_per_override_with_blank_cells():
    frame = pd.DataFrame([
        {"id": "C1", "tier": "key", "owner": "alice", "last_done.regular_visit": "2026-03-01",
         "overrides.regular_visit.every_days": 14},
        {"id": "C2", "tier": "key", "owner": "alice", "last_done.regular_visit": "2026-03-01",
         "overrides.regular_visit.every_days": None},
    ])
    assert frame["overrides.regular_visit.every_days"].dtype.kind == "f"  # 14.0 and NaN
    df = care.plan(frame, PEOPLE, "2026-03-02", "2026-04-10")
    assert visits(df, "C1") == ["2026-03-15", "2026-03-29"]
    assert visits(df, "C2") == ["2026-03-31"]


def test_compliance_reports_against_the_customer_standard():
    on_policy = care.compliance([account("C1")], PEOPLE, "2026-03-25")
    assert not (on_policy["subject"] == "regular_visit").any()
    own = care.compliance([account("C1", overrides={"regular_visit.every_days": 14})],
                          PEOPLE, "2026-03-25")
    late = own[own["subject"] == "regular_visit"]
    assert list(late["days_overdue"]) == [10]
    assert OWN in late["detail"].iloc[0]


@pytest.mark.parametrize("overrides, message", [
    ({"regular_visit.responsible": "cs_manager"},
     "overrides.regular_visit.responsible: not overridable under this policy"),
    ({"regular_vist.every_days": 7}, 'unknown activity "regular_vist"'),
    ({"regular_visit.every_days": 0},
     "overrides.regular_visit.every_days: expected a whole number from 1 to 100000, got 0"),
    ({"regular_visit.every_week": 2}, "unknown setting `every_week`"),
])
def test_a_refused_override_is_a_located_input_error(overrides, message):
    with pytest.raises(keyaccount.InputError, match="accounts\\[0\\]") as caught:
        care.plan([account("C1", overrides=overrides)], PEOPLE, "2026-03-02", "2026-04-10")
    assert message in str(caught.value)


# ---- the same from the command line ----------------------------------------------------------


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "keyaccount", *map(str, args)],
                          capture_output=True, text=True, check=False, timeout=60)


def plan_cli(tmp_path, accounts_file) -> subprocess.CompletedProcess:
    people = tmp_path / "people.json"
    people.write_text(json.dumps(PEOPLE), encoding="utf-8")
    return run("plan", "--as-of", "2026-03-02", "--to", "2026-04-10", "--people", people,
               "--accounts", accounts_file, "--format", "json")


def cli_visits(result: subprocess.CompletedProcess, customer: str) -> list[str]:
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)["items"]
    return [i["due"] for i in items
            if i["activity"] == "regular_visit" and i["customer"] == customer]


def test_cli_reads_overrides_from_json_lines_and_csv_alike(tmp_path):
    jsonl = tmp_path / "accounts.jsonl"
    jsonl.write_text("\n".join(json.dumps(a) for a in [
        account("C1", overrides={"regular_visit.every_days": 14}), account("C2")]) + "\n",
        encoding="utf-8")
    csv = tmp_path / "accounts.csv"
    csv.write_text("id,tier,owner,last_done.regular_visit,overrides.regular_visit.every_days\n"
                   "C1,key,alice,2026-03-01,14\nC2,key,alice,2026-03-01,\n", encoding="utf-8")
    for path in (jsonl, csv):
        result = plan_cli(tmp_path, path)
        assert cli_visits(result, "C1") == ["2026-03-15", "2026-03-29"], path
        assert cli_visits(result, "C2") == ["2026-03-31"], path
    # Python, given the same file's records, says the same.
    records = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    df = care.plan(records, PEOPLE, "2026-03-02", "2026-04-10")
    for customer in ("C1", "C2"):
        assert visits(df, customer) == cli_visits(plan_cli(tmp_path, jsonl), customer)


def test_cli_two_records_of_one_account_must_agree_on_an_override(tmp_path):
    log = tmp_path / "log.jsonl"
    log.write_text("\n".join(json.dumps(a) for a in [
        account("C1", overrides={"regular_visit.every_days": 14}),
        {"id": "C1", "tier": "key", "overrides": {"regular_visit.every_days": 21}},
    ]) + "\n", encoding="utf-8")
    result = plan_cli(tmp_path, log)
    assert result.returncode == 1
    assert f"{log}:2:" in result.stderr
    assert "overrides.regular_visit.every_days: C1 is 21 here but 14 in an earlier record" \
        in result.stderr
    # Alike, or given once: merged.
    log.write_text("\n".join(json.dumps(a) for a in [
        account("C1", overrides={"regular_visit.every_days": 14}),
        {"id": "C1", "tier": "key", "last_done": {"profile_review": "2026-03-01"}},
    ]) + "\n", encoding="utf-8")
    assert cli_visits(plan_cli(tmp_path, log), "C1") == ["2026-03-15", "2026-03-29"]


def test_cli_locates_a_refused_override(tmp_path):
    log = tmp_path / "log.jsonl"
    log.write_text(json.dumps(account("C1")) + "\n" + json.dumps(
        account("C2", overrides={"regular_visit.responsible": "cs_manager"})) + "\n",
        encoding="utf-8")
    result = plan_cli(tmp_path, log)
    assert result.returncode == 1
    assert f"{log}:2:" in result.stderr
    assert "overrides.regular_visit.responsible: not overridable under this policy" \
        in result.stderr
