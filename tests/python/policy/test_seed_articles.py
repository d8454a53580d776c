"""Every clause of the seed, by article id (issue 16, "Done when").

docs/policy-format.md has a table, "Every clause of the seed, and where it runs": one row per
clause of the seed policy, executable (with the tests that exercise it) or descriptive (with the
reason). The tests here cover the executable clauses whose behaviour was tested elsewhere under a
name that did not carry the article id; each one drives the public Python API with the embedded
default policy and checks results worked out by hand. The last tests read the table back so it
cannot drift: every clause has a row, every named test exists, every executable row names a test
that carries its article id.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import warnings
from pathlib import Path

import pytest

import keyaccount as ka
from keyaccount import care

ROOT = Path(__file__).resolve().parents[3]
PEOPLE = json.loads((ROOT / "tests" / "data" / "workflows" / "people.json").read_text())


@pytest.fixture(scope="module")
def people() -> ka.People:
    return ka.People(PEOPLE)


@pytest.fixture(scope="module")
def flows() -> ka.WorkflowSet:
    return ka.WorkflowSet()


def customer(cid="C1", **changes):
    """A record that meets Art. 4 and Art. 5.1 under the default policy (500 万元, 12 months)."""
    record = {"id": cid, "name": f"Customer {cid}", "category": "government",
              "first_order": "2020-01-15", "monthly_shipments": [20.0] * 24,
              "cumulative_amount": 900.0}
    record.update(changes)
    return record


def days(start: str, n: int) -> dt.date:
    return dt.date.fromisoformat(start) + dt.timedelta(days=n)


@contextlib.contextmanager
def no_warning_of(category):
    """Turns a warning of this category inside the block into an error, failing the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", category)
        yield


# --- Document control block and Art. 14 ------------------------------------------------------

def test_document_control_block_is_loaded_checked_and_described():
    doc = ka.default_policy().to_dict()["document"]
    assert (doc["number"], doc["controlled_status"]) == ("KA-CR-001", "controlled")
    assert (doc["executing_department"], doc["supervising_department"]) == (
        "customer_service", "general_management")
    assert [r["mark"] for r in doc["revisions"]] == ["A"]
    text = ka.default_policy().describe()
    assert "number KA-CR-001, version 1.0, controlled" in text
    assert "effective 2026-02-01 (approved 2026-01-15)" in text
    # The dates are checked, not just stored: drafted after it was reviewed is an error.
    data = ka.default_policy().to_dict()
    data["document"]["drafted_on"] = "2026-03-01"
    assert [(d.code, d.pointer) for d in ka.validate(data)] == [
        ("date_order", "/document/reviewed_on")]
    # ... and the departments must exist in the organisation.
    data = ka.default_policy().to_dict()
    data["document"]["executing_department"] = "customer_servise"
    assert [d.code for d in ka.validate(data)] == ["undefined_department"]


def test_art_14_in_force_from_effective_on_and_signed_by_the_general_manager():
    policy = ka.default_policy()
    assert policy.effective_on == dt.date(2026, 2, 1)
    with pytest.warns(ka.PolicyNotInForceWarning):
        ka.classify(customer(), "2026-01-31")
    with no_warning_of(ka.PolicyNotInForceWarning):
        assert ka.classify(customer(), "2026-02-01").tier == "key"
    # The signature is the last step of the amendment workflow, quoting art-14.
    step = policy.to_dict()["workflows"][2]["steps"][-1]
    assert (step["id"], step["article"], step["approvers"]) == (
        "gm_signature", "art-14", ["general_manager"])


# --- Chapter 1 -------------------------------------------------------------------------------

def test_art_2_only_key_customers_are_planned_for():
    accounts = [{"id": "K", "tier": "key", "owner": "alice"},
                {"id": "R", "tier": "regular", "owner": "alice"}]
    df = care.plan(accounts, PEOPLE, "2026-03-01", "2026-12-31")
    assert len(df) > 0
    # Every row is for K, or for no one customer (the symposium itself, Art. 10).
    assert set(df["customer"]) == {"K", ""}
    assert set(df[df["customer"] == ""]["activity"]) == {"annual_symposium"}
    assert set(care.compliance(accounts, PEOPLE, "2026-12-31")["customer"]) <= {"K", ""}


def test_art_3_positions_departments_duties_and_reporting_lines(people):
    org = ka.default_policy().to_dict()["organization"]
    positions = {p["id"]: p for p in org["positions"] if p.get("article") == "art-3"}
    # CS Dept Manager plans, CR Supervisor organises, CR Specialist carries out, Sales assists.
    assert {k: (p["department"], p["reports_to"]) for k, p in positions.items()} == {
        "cs_manager": ("customer_service", "general_manager"),
        "cr_supervisor": ("customer_relations", "cs_manager"),
        "cr_specialist": ("customer_relations", "cr_supervisor"),
        "sales_staff": ("sales", "general_manager"),
    }
    assert all(p["duties"] for p in positions.values())
    # The reporting lines are used: sue (a supervisor, no superior given) reports to carl.
    assert people.superior_of("sue") == "carl"
    assert "Positions (Art. 3):" in ka.default_policy().describe()
    # Who does what in practice: the supervisor organises campaigns, the specialist visits.
    df = care.plan([{"id": "C1", "tier": "key", "owner": "alice"}], PEOPLE, "2026-03-01",
                   "2026-06-30")
    assert set(df[df["activity"] == "regular_visit"]["position"]) == {"cr_specialist"}
    assert set(df[df["activity"] == "proposal_campaign"]["position"]) == {"cr_supervisor"}
    # A position in a department that does not exist is refused with a suggestion.
    data = ka.default_policy().to_dict()
    data["organization"]["positions"][2]["department"] = "customer_relation"
    found = [(d.code, d.pointer) for d in ka.validate(data)]
    assert found == [("undefined_department", "/organization/positions/2/department")]


# --- Chapter 2: Art. 4 and Art. 5 ------------------------------------------------------------

def test_art_4_needs_both_characteristics():
    assert ka.classify(customer(), "2026-06-30").criterion("art-4")["met"] is True
    d = ka.classify(customer(category="other"), "2026-06-30")
    assert (d.criterion("art-4")["met"], d.tier) == (False, "regular")


def test_art_4_1_government_large_enterprise_or_monopoly():
    met = {c: ka.classify(customer(category=c), "2026-06-30").criterion("art-4.1")["met"]
           for c in ("government", "large_enterprise", "monopoly", "other")}
    assert met == {"government": True, "large_enterprise": True, "monopoly": True, "other": False}


def test_art_4_2_a_month_without_shipments_breaks_the_relationship():
    gap = [20.0] * 12 + [0.0] + [20.0] * 11     # a gap 11 months ago: inside the 12 months
    d = ka.classify(customer(monthly_shipments=gap), "2026-06-30")
    assert (d.criterion("art-4.2")["met"], d.tier) == (False, "regular")
    old_gap = [20.0] * 11 + [0.0] + [20.0] * 12  # 12 clean months since the gap
    assert ka.classify(customer(monthly_shipments=old_gap), "2026-06-30").tier == "key"


def test_art_5_any_one_standard_is_enough():
    low = customer(cumulative_amount=100.0)
    d = ka.classify(low, "2026-06-30")
    assert (d.criterion("art-5")["met"], d.tier) == (False, "regular")
    d = ka.classify(dict(low, monthly_shipments=[60.0] * 24), "2026-06-30")
    assert (d.criterion("art-5.1")["met"], d.criterion("art-5.2")["met"], d.tier) == (
        False, True, "key")


def test_art_5_1_cumulative_amount_strictly_above_the_threshold():
    at = ka.classify(customer(cumulative_amount=500.0), "2026-06-30")
    above = ka.classify(customer(cumulative_amount=500.5), "2026-06-30")
    assert (at.criterion("art-5.1")["met"], above.criterion("art-5.1")["met"]) == (False, True)
    # The blank of the template is a parameter: lowering it changes the verdict.
    lower = ka.default_policy().with_parameters(cumulative_amount_min=400)
    assert lower.classify(customer(cumulative_amount=450.0), "2026-06-30").tier == "key"
    assert ka.classify(customer(cumulative_amount=450.0), "2026-06-30").tier == "regular"


def test_art_5_2_three_consecutive_months_above_the_threshold():
    three = customer(cumulative_amount=100.0, monthly_shipments=[20.0] * 21 + [60.0] * 3)
    broken = customer(cumulative_amount=100.0,
                      monthly_shipments=[20.0] * 21 + [60.0, 40.0, 60.0])
    assert ka.classify(three, "2026-06-30").criterion("art-5.2")["met"] is True
    ship = ka.classify(broken, "2026-06-30").criterion("art-5.2")
    assert (ship["met"], ship["observed"], ship["target"]) == (False, 1, 3)


def test_art_5_3_a_new_customer_qualifies_with_the_lower_threshold():
    # 40 万元 a month: above the new customer's 30, below the 50 of Art. 5.2.
    new = customer(cumulative_amount=120.0, first_order="2026-01-10",
                   monthly_shipments=[40.0] * 5)
    d = ka.classify(new, "2026-06-30")
    assert (d.criterion("art-5.2")["met"], d.criterion("art-5.3")["met"]) == (False, True)
    # Twelve whole months later it is no longer new: the same shipments no longer qualify.
    old = dict(new, first_order="2025-01-10", monthly_shipments=[40.0] * 17)
    assert ka.classify(old, "2026-06-30").criterion("art-5.3")["met"] is False


# --- Art. 6 ----------------------------------------------------------------------------------

def test_art_6_1_profile_cards_complete_and_fresh_by_the_policy():
    cards = {
        "stale": {"updated_on": "2026-01-01", "address": "1 Road", "contacts": ["Ms Li"]},
        "bare": {"updated_on": "2026-10-01", "address": "3 Road"},
        "fine": {"updated_on": "2026-10-01", "address": "4 Road", "contacts": ["Mr Wu"]},
    }
    customers = [dict(customer(k), owner="alice", profile=v) for k, v in cards.items()]
    customers.append(dict(customer("none"), owner="alice"))
    accounts = [{"id": c["id"], "last_done": {"profile_review": "2026-10-01"}} for c in customers]

    def problems(policy=None):
        df = care.compliance(accounts, PEOPLE, "2026-11-01", customers=customers, policy=policy)
        rows = df[df["kind"].str.startswith("profile_")]
        return sorted(zip(rows["kind"], rows["customer"], rows["article"]))

    assert problems() == [("profile_incomplete", "bare", "art-6.1"),
                          ("profile_missing", "none", "art-6.1"),
                          ("profile_stale", "stale", "art-6.1")]
    # Freshness and completeness come from the policy's dynamic_management section.
    data = ka.default_policy().to_dict()
    data["dynamic_management"]["profile_card"] = {"required_fields": ["updated_on", "address"],
                                                  "max_age_days": 365}
    assert problems(ka.Policy.from_dict(data)) == [("profile_missing", "none", "art-6.1")]


def test_art_6_1_the_profile_card_is_reviewed_every_90_days():
    accounts = [{"id": "C1", "tier": "key", "owner": "alice",
                 "last_done": {"profile_review": "2026-01-20"}}]
    df = care.plan(accounts, PEOPLE, "2026-02-01", "2026-12-31")
    rows = df[df["activity"] == "profile_review"]
    assert [d.date() for d in rows["due"]] == [days("2026-01-20", 90 * k) for k in (1, 2, 3)]
    assert set(rows["article"]) == {"art-6.1"} and set(rows["person"]) == {"alice"}
    late = care.compliance(accounts, PEOPLE, "2026-04-25")
    review = late[late["subject"] == "profile_review"]
    assert list(zip(review["kind"], review["days_overdue"])) == [("activity_overdue", 5)]


def test_art_6_2_each_key_customer_has_one_dedicated_specialist(people):
    customers = [{"id": f"C{i}", "tier": "key"} for i in range(1, 5)]
    report = ka.check_ownership(people, customers, {"C1": "alice", "C2": "sue", "C3": "fred"})
    assert [(i["kind"], i["customer"]) for i in report["issues"]] == [
        ("wrong_position", "C2"), ("inactive_owner", "C3"), ("no_owner", "C4")]
    assert "(art-6.2)" in report["issues"][-1]["message"]
    # Owners not named are proposed: one each, specialists only, balanced.
    proposal = ka.propose_owners(people, customers, {"C1": "alice"})
    assert [p["customer"] for p in proposal["proposed"]] == ["C2", "C3", "C4"]
    assert {p["owner"] for p in proposal["proposed"]} <= set(people.holders("cr_specialist"))
    assert proposal["load_after"] == {"alice": 2, "bob": 2}
    # Compliance reports a key account whose owner is missing.
    df = care.compliance([{"id": "C1", "tier": "key", "owner": ""}], PEOPLE, "2026-03-01")
    assert ("no_valid_owner", "C1", "art-6.2") in set(zip(df["kind"], df["customer"],
                                                          df["article"]))


# --- Art. 7.3 --------------------------------------------------------------------------------

def test_art_7_3_in_peak_season_key_customers_are_served_first():
    orders = [{"id": "a", "customer": "A", "tier": "regular", "product": "P", "quantity": 50,
               "ordered_at": "2026-12-01"},
              {"id": "b", "customer": "B", "tier": "key", "product": "P", "quantity": 50,
               "ordered_at": "2026-12-02"}]
    peak = care.allocate([{"product": "P", "quantity": 60}], orders, "2026-12-15")
    assert peak.attrs["peak_season"] is True
    assert dict(zip(peak["line"], peak["allocated"])) == {"a": 10, "b": 50}
    # Outside the season it is first come, first served whatever the tier.
    sept = [dict(o, ordered_at=o["ordered_at"].replace("-12-", "-09-")) for o in orders]
    off = care.allocate([{"product": "P", "quantity": 60}], sept, "2026-09-15")
    assert off.attrs["peak_season"] is False
    assert dict(zip(off["line"], off["allocated"])) == {"a": 50, "b": 10}
    assert all("art-7.3" in r for r in list(peak["reason"]) + list(off["reason"]))


# --- Art. 8 ----------------------------------------------------------------------------------

def test_art_8_regular_visits_every_30_days_by_the_owner():
    accounts = [{"id": "C1", "tier": "key", "owner": "alice",
                 "last_done": {"regular_visit": "2026-01-20"}}]
    df = care.plan(accounts, PEOPLE, "2026-02-01", "2026-04-30")
    rows = df[df["activity"] == "regular_visit"]
    assert [d.date() for d in rows["due"]] == [days("2026-01-20", 30 * k) for k in (1, 2, 3)]
    assert set(rows["person"]) == {"alice"} and set(rows["article"]) == {"art-8"}
    late = care.compliance(accounts, PEOPLE, "2026-03-01")
    visit = late[late["subject"] == "regular_visit"]
    assert list(zip(visit["kind"], visit["days_overdue"], visit["responsible"])) == [
        ("activity_overdue", 10, "alice")]   # due 02-19


# --- Art. 11 ---------------------------------------------------------------------------------

def test_art_11_a_proposal_campaign_every_3_months_through_proposal_review():
    accounts = [{"id": "C1", "tier": "key", "owner": "alice",
                 "last_done": {"proposal_campaign": "2026-01-15"}}]
    df = care.plan(accounts, PEOPLE, "2026-02-01", "2026-12-31")
    rows = df[df["activity"] == "proposal_campaign"]
    assert [d.date().isoformat() for d in rows["due"]] == ["2026-04-15", "2026-07-15",
                                                           "2026-10-15"]
    assert set(rows["workflow"]) == {"proposal_review"} and set(rows["person"]) == {"sue"}


def test_art_11_proposals_accepted_by_the_supervisor_then_reviewed_by_the_general_manager(
        flows, people):
    submit = {"action": "submit", "actor": "alice", "on": "2026-04-15",
              "request": {"customer_id": "C1", "title": "Faster delivery"}}
    inst = flows.start("proposal_review", submit, people)
    assert inst.current_step == "acceptance"
    assert {a["person"] for a in flows.who_may_act(inst, "2026-04-15", people)} == set(
        people.holders("cr_supervisor"))
    with pytest.raises(ka.NotAuthorizedError):   # the GM reviews, but does not accept
        flows.apply(inst, {"action": "approve", "actor": "gina", "on": "2026-04-16"}, people)
    inst = flows.apply(inst, {"action": "approve", "actor": "sue", "on": "2026-04-16"}, people)
    assert inst.current_step == "review"
    inst = flows.apply(inst, {"action": "approve", "actor": "gina", "on": "2026-04-17"}, people)
    # all_of: the General Manager and the relevant (sales) staff both review.
    assert (inst.state, inst.current_step) == ("in_progress", "review")
    inst = flows.apply(inst, {"action": "approve", "actor": "sal", "on": "2026-04-18"}, people)
    assert inst.state == "approved"
    assert [e["actor"] for e in inst.history] == ["alice", "sue", "gina", "sal"]


# --- Art. 13 ---------------------------------------------------------------------------------

def test_art_13_the_customer_service_department_amends_the_measures(flows, people):
    request = {"summary": "raise the Art. 5.1 threshold", "changes": 1}
    with pytest.raises(ka.NotAuthorizedError, match="cs_manager"):
        flows.start("policy_amendment", {"action": "submit", "actor": "alice", "on": "2026-03-01",
                                         "request": request}, people)
    inst = flows.start("policy_amendment", {"action": "submit", "actor": "carl", "on": "2026-03-01",
                                            "request": request}, people)
    assert [a["person"] for a in flows.who_may_act(inst, "2026-03-02", people)] == ["gina"]
    assert flows.apply(inst, {"action": "approve", "actor": "gina", "on": "2026-03-03"},
                       people).state == "approved"
    # The amendment's record is the document's revision list, checked by the validator.
    data = ka.default_policy().to_dict()
    data["document"]["revisions"].append({"mark": "B", "changes": 1, "date": "2026-01-01",
                                          "summary": "dated before revision A"})
    assert [d.code for d in ka.validate(data)] == ["revision_not_increasing"]


# --- The table in docs/policy-format.md -------------------------------------------------------

DOC = ROOT / "docs" / "policy-format.md"
SECTION = "## Every clause of the seed, and where it runs"
CLAUSES = ["document", "art-1", "art-2", "art-3", "art-4", "art-4.1", "art-4.2", "art-5",
           "art-5.1", "art-5.2", "art-5.3", "art-6.1", "art-6.2", "art-6.3", "art-7.1",
           "art-7.2", "art-7.3", "art-8", "art-8.1", "art-8.2", "art-9", "art-10", "art-11",
           "art-12", "art-13", "art-14"]


def table_rows() -> dict[str, dict[str, object]]:
    text = DOC.read_text(encoding="utf-8")
    assert SECTION in text, f"{DOC.name} has no section {SECTION!r}"
    body = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    rows: dict[str, dict[str, object]] = {}
    for line in body.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) != 5:
            continue
        clause = re.fullmatch(r"`([a-z0-9.-]+)`", cells[0])
        if not clause:
            continue   # the header and the separator
        assert clause.group(1) not in rows, f"{clause.group(1)} has two rows"
        rows[clause.group(1)] = {"status": cells[2], "where": cells[3],
                                 "tests": re.findall(r"`(tests/[^`]+)`", cells[4]),
                                 "line": line}
    return rows


def id_pattern(clause: str) -> re.Pattern[str]:
    """art-7.1 → a name containing art_7_1 or art-7.1, not art_7_10 or art_7_1_2."""
    if clause == "document":
        return re.compile(r"document_control")
    parts = clause.removeprefix("art-").split(".")
    return re.compile(r"art[_-]" + r"[_.]".join(parts) + r"(?![0-9])(?![_.][0-9])")


def test_docs_table_has_a_row_for_every_clause_of_the_seed():
    rows = table_rows()
    assert sorted(rows, key=CLAUSES.index) == CLAUSES, set(CLAUSES) ^ set(rows)
    for clause, row in rows.items():
        assert row["status"] in {"executable", "descriptive"}, row["line"]
        if row["status"] == "descriptive":
            assert not row["tests"] and len(str(row["where"])) > 20, (
                f"{clause}: a descriptive clause gives its reason, no tests")


def test_docs_table_names_tests_that_exist_and_carry_the_article_id():
    for clause, row in table_rows().items():
        if row["status"] != "executable":
            continue
        assert row["tests"], f"{clause}: an executable clause names its tests"
        carrying = []
        for ref in row["tests"]:
            path, _, name = str(ref).partition("::")
            file = ROOT / path
            assert file.is_file(), f"{clause}: {path} does not exist"
            source = file.read_text(encoding="utf-8")
            if path.endswith(".py"):
                found = re.search(rf"^def {re.escape(name)}\(", source, flags=re.M)
            else:
                found = re.search(rf"BOOST_(?:AUTO|DATA)_TEST_CASE\(\s*{re.escape(name)}\b", source)
            assert found, f"{clause}: {path} has no test {name}"
            if id_pattern(clause).search(name):
                carrying.append(name)
        assert carrying, f"{clause}: none of {row['tests']} has the article id in its name"


@pytest.mark.parametrize("clause, name, expected", [
    ("art-7.1", "test_art_7_1_demand", True),
    ("art-7.1", "art_7_10_x", False),
    ("art-7.1", "art_7_1_2_x", False),
    ("art-4", "test_art_4_1_x", False),
    ("art-4", "test_art_4_needs", True),
    ("art-10", "art_10_x", True),
    ("art-1", "art_10_x", False),
])
def test_the_article_id_match_is_exact(clause, name, expected):
    assert bool(id_pattern(clause).search(name)) is expected
