"""Art. 6.2 from Python: the ownership check and the load-balancing proposal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import keyaccount as ka

PEOPLE = json.loads((Path(__file__).resolve().parents[2] / "data" / "workflows" / "people.json")
                    .read_text())


@pytest.fixture(scope="module")
def people() -> ka.People:
    return ka.People(PEOPLE)


def test_check_reports_each_violation(people):
    customers = [{"id": f"c{i}", "tier": "key"} for i in range(1, 5)] + [{"id": "o1", "tier": "ordinary"}]
    report = ka.check_ownership(people, customers,
                                {"c1": "alice", "c2": "sue", "c3": "fred"})
    kinds = [(i["kind"], i["customer"]) for i in report["issues"]]
    assert kinds == [("wrong_position", "c2"), ("inactive_owner", "c3"), ("no_owner", "c4")]
    assert report["unowned"] == ["c2", "c3", "c4"]
    assert report["load"] == {"alice": 1, "sue": 1, "fred": 1}
    assert not report["ok"]


def test_limit_comes_from_the_policy_or_the_caller(people):
    customers = [{"id": f"c{i}", "tier": "key"} for i in range(1, 17)]
    assignments = [{"customer": c["id"], "owner": "alice"} for c in customers]
    report = ka.check_ownership(people, customers, assignments)  # the policy says 15
    assert [i["kind"] for i in report["issues"]] == ["over_capacity"]
    assert ka.check_ownership(people, customers, assignments, max_accounts_per_owner=20)["ok"]


def test_proposal_is_balanced_and_deterministic(people):
    customers = [{"id": f"c{i}", "tier": "key"} for i in range(1, 6)]
    first = ka.propose_owners(people, customers, {"c1": "alice"})
    assert first["proposed"] == [{"customer": "c2", "owner": "bob"},
                                 {"customer": "c3", "owner": "alice"},
                                 {"customer": "c4", "owner": "bob"},
                                 {"customer": "c5", "owner": "alice"}]
    assert first == ka.propose_owners(people, list(reversed(customers)), {"c1": "alice"})
    assert first["load_after"] == {"alice": 3, "bob": 2}


def test_a_customer_listed_twice_is_refused_not_counted_twice(people):
    # It would count twice towards its owner's load and be reported twice.
    customers = [{"id": "c1", "tier": "key"}, {"id": "c2", "tier": "key"},
                 {"id": "c1", "tier": "key"}]
    for call in (lambda: ka.check_ownership(people, customers, {"c1": "alice"}),
                 lambda: ka.propose_owners(people, customers, {"c1": "alice"})):
        twice = r'customers\[2\]\.id: "c1" is given twice \(first at customers\[0\]\)'
        with pytest.raises(ka.InputError, match=twice):
            call()
