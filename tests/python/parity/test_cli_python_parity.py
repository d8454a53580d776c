"""The CLI and the Python package read the same input the same way (issue 15).

Each test gives one input to a ``keyaccount`` command and to its Python twin in
``keyaccount.care`` (as lists of dicts and as the very same files, passed as ``pathlib.Path``)
and asserts that both come to the same result: the same plan, or the same refusal worded the
same way after its location (``FILE:LINE: error[kind]: `` on the command line, ``FILE:LINE: ``
or ``what[index]: `` in the Python message). Each one reproduces a divergence the two copies of
the readers once had:

- two activity-log records for one customer: ``keyaccount plan`` merged them, ``care.plan``
  refused them as a duplicate account id;
- an unterminated quote on the last line of ``orders.csv``: ``keyaccount allocate`` dropped the
  order and exited 0, while the same damage in a customers CSV was "malformed CSV", exit 1;
- one festival given twice: ``keyaccount plan --festivals`` refused it, ``care.plan`` silently
  planned with the last of the two.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from keyaccount import InputError, care

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples"
CLI = [sys.executable, "-m", "keyaccount"]

PEOPLE_FILE = ROOT / "tests" / "data" / "care" / "people.json"
PEOPLE = json.loads(PEOPLE_FILE.read_text(encoding="utf-8"))


def keyaccount(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run(CLI + [str(a) for a in args], capture_output=True, text=True)


def write_lines(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def cli_errors(stderr: str) -> list[tuple[str, str]]:
    """(location, message) of each ``LOCATION: error[kind]: message`` line."""
    return [(m.group(1), m.group(2))
            for m in re.finditer(r"^(.*?): error\[\w+\]: (.*)$", stderr, flags=re.M)]


def plan_rows(items) -> list[tuple]:
    """(due, customer, activity, festival, person) of plan items (JSON, or DataFrame rows in
    which a missing festival is NaN)."""
    return [(str(i["due"])[:10], i["customer"], i["activity"],
             i["festival"] if isinstance(i["festival"], str) else "", i["person"])
            for i in items]


# --- 1. two activity-log records of one customer are merged by both ----------------------

LOG = [
    {"id": "C1", "tier": "key", "owner": "alice",
     "last_done": {"regular_visit": "2026-10-20", "profile_review": "2026-10-01"}},
    {"id": "C1", "tier": "key", "owner": "alice",
     "last_done": {"regular_visit": "2026-09-01", "executive_visit": "2026-08-31"},
     "gift_amount": 800},
]


def test_two_log_records_of_one_customer_are_merged_by_the_cli_and_by_python(tmp_path):
    accounts = write_lines(tmp_path / "accounts.jsonl", LOG)
    people = PEOPLE_FILE
    run = keyaccount("plan", "--as-of", "2026-11-01", "--days", "120", "--accounts", accounts,
                     "--people", people, "--format", "json")
    assert run.returncode == 0, run.stderr
    expected = plan_rows(json.loads(run.stdout)["items"])
    # The merge kept the later regular visit (10-20, not 09-01): the next is due 30 days on;
    # the profile review comes from the first record only (10-01 + 90 days).
    assert [r[0] for r in expected if r[2] == "regular_visit"][0] == "2026-11-19"
    assert [r[0] for r in expected if r[2] == "profile_review"] == ["2026-12-30"]

    from_dicts = care.plan(LOG, PEOPLE, "2026-11-01", days=120)
    assert plan_rows(from_dicts.to_dict(orient="records")) == expected
    from_files = care.plan(accounts, people, "2026-11-01", days=120)
    assert plan_rows(from_files.to_dict(orient="records")) == expected


def test_conflicting_log_records_are_refused_alike(tmp_path):
    log = [dict(LOG[0], gift_amount=500), LOG[1]]
    accounts = write_lines(tmp_path / "accounts.jsonl", log)
    people = PEOPLE_FILE
    run = keyaccount("plan", "--as-of", "2026-11-01", "--accounts", accounts, "--people", people)
    assert run.returncode == 1
    [(where, message)] = cli_errors(run.stderr)
    assert where == f"{accounts}:2"
    assert message.startswith("gift_amount: C1 is ")
    with pytest.raises(InputError) as dicts:
        care.plan(log, PEOPLE, "2026-11-01")
    assert str(dicts.value) == f"accounts[1].{message}"
    with pytest.raises(InputError) as files:
        care.plan(accounts, people, "2026-11-01")
    assert str(files.value) == f"{accounts}:2: {message}"


# --- 2. an unterminated quote on the last line of a CSV is malformed everywhere ------------

def test_an_unterminated_quote_on_the_last_csv_line_is_malformed_csv_everywhere(tmp_path):
    orders = tmp_path / "orders.csv"
    good = (EXAMPLES / "orders.csv").read_text(encoding="utf-8")
    orders.write_text(good + 'L999,C00100,key,"switch,16A,5,2026-11-19T11:00\n',
                      encoding="utf-8")
    last = orders.read_text(encoding="utf-8").count("\n")
    run = keyaccount("allocate", "--on", "2026-11-25", "--stock", EXAMPLES / "stock.csv",
                     "--orders", orders)
    assert run.returncode == 1, run.stdout
    [(where, message)] = cli_errors(run.stderr)
    assert where == f"{orders}:{last}"
    assert message.startswith("malformed CSV (")

    # The same damage in a customers CSV: the same error, worded the same, at its line.
    customers = tmp_path / "customers.csv"
    customers.write_text("id,name,category,first_order,monthly_shipments,cumulative_amount\n"
                         'C1,One,government,2020-01-15,60;70,900\n'
                         'C2,"Two,government,2020-01-15,60;70,900\n', encoding="utf-8")
    for args in (["classify", "--as-of", "2026-06-30", customers],
                 ["plan", "--as-of", "2026-06-30", "--customers", customers,
                  "--people", EXAMPLES / "people.json"]):
        other = keyaccount(*args)
        assert other.returncode == 1, other.stdout
        assert cli_errors(other.stderr) == [(f"{customers}:3", message)]

    # Python, given the file, refuses it with the same words.
    with pytest.raises(InputError) as e:
        care.allocate(EXAMPLES / "stock.csv", orders, "2026-11-25")
    assert str(e.value) == f"{orders}:{last}: {message}"


# --- 3. one festival given twice is refused by both -----------------------------------------

def test_a_festival_given_twice_is_refused_by_the_cli_and_by_python(tmp_path):
    festivals = [{"id": "spring_festival", "dates": ["2027-02-06"]},
                 {"id": "spring_festival", "dates": ["2027-01-20"]}]
    fest = write_lines(tmp_path / "festivals.jsonl", festivals)
    people = PEOPLE_FILE
    accounts = write_lines(tmp_path / "accounts.jsonl", LOG[:1])
    run = keyaccount("plan", "--as-of", "2026-11-01", "--days", "120", "--accounts", accounts,
                     "--people", people, "--festivals", fest)
    assert run.returncode == 1, run.stdout
    [(where, message)] = cli_errors(run.stderr)
    assert (where, message) == (
        f"{fest}:2", f'festival "spring_festival" is given twice (first at {fest}:1)')
    with pytest.raises(InputError) as dicts:
        care.plan(LOG[:1], PEOPLE, "2026-11-01", days=120, festivals=festivals)
    assert str(dicts.value) == \
        'festivals[1]: festival "spring_festival" is given twice (first at festivals[0])'
    with pytest.raises(InputError) as files:
        care.plan(accounts, people, "2026-11-01", days=120, festivals=fest)
    assert str(files.value) == f"{where}: {message}"


# --- the same files, every input kind: the same results ---------------------------------------

def finding_rows(findings) -> list[tuple]:
    return sorted((f["kind"], f["customer"], f["subject"]) for f in findings)


def test_compliance_from_the_same_files_finds_the_same():
    # Customers classified on the day, the activity log merged in, complaints: from files by
    # both (JSON Lines here; the CLI's exit 1 says there are findings).
    files = {name: EXAMPLES / f"{name}.jsonl" for name in ("customers", "accounts", "complaints")}
    run = keyaccount("compliance", "--as-of", "2026-06-30", "--customers", files["customers"],
                     "--accounts", files["accounts"], "--complaints", files["complaints"],
                     "--people", EXAMPLES / "people.json", "--format", "json")
    assert run.returncode == 1, run.stderr
    expected = finding_rows(json.loads(run.stdout)["findings"])
    assert len(expected) > 10
    df = care.compliance(files["accounts"], EXAMPLES / "people.json", "2026-06-30",
                         customers=files["customers"], complaints=files["complaints"])
    assert finding_rows(df.to_dict(orient="records")) == expected
    assert df.attrs["profiles_checked"]


def test_a_csv_with_a_byte_order_mark_and_crlf_is_read_alike():
    accounts = ROOT / "tests" / "data" / "care" / "accounts-bom.csv"
    run = keyaccount("plan", "--as-of", "2026-11-01", "--days", "60", "--accounts", accounts,
                     "--people", PEOPLE_FILE, "--format", "json")
    assert run.returncode == 0, run.stderr
    expected = plan_rows(json.loads(run.stdout)["items"])
    assert ("2026-10-01", "C1", "regular_visit", "", "alice") in expected  # 09-01 + 30, overdue
    df = care.plan(accounts, PEOPLE_FILE, "2026-11-01", days=60)
    assert plan_rows(df.to_dict(orient="records")) == expected


def test_a_file_that_cannot_be_read_is_named_alike(tmp_path):
    missing = tmp_path / "nowhere.jsonl"
    run = keyaccount("plan", "--as-of", "2026-11-01", "--accounts", missing,
                     "--people", PEOPLE_FILE)
    assert run.returncode == 2
    assert "(No such file or directory)" in run.stderr
    with pytest.raises(InputError, match=re.escape(
            f"{missing}: cannot read the file (No such file or directory)")):
        care.plan(missing, PEOPLE_FILE, "2026-11-01")
