"""Escalation of overdue workflow steps (issue 16, Art. 11-12), through the Python API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import keyaccount as ka

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def flows() -> ka.WorkflowSet:
    return ka.WorkflowSet()


def test_art_12_gift_request_completes_finance_then_general_manager(flows):
    people = ka.People(json.loads((ROOT / "examples" / "people.json").read_text())["people"])
    inst = flows.start("gift_request", {"action": "submit", "actor": "specialist-1", "on": "2026-01-05",
                                        "request": {"customer_id": "c1", "amount": 800}}, people)
    # Overdue on 01-09: reported to the GM, who approves later and so may not stand in for Finance.
    assert [a["person"] for a in flows.who_may_act(inst, "2026-01-09", people)] == ["finance-1"]
    d = flows.deadline(inst, "2026-01-09", people)
    assert (d["escalation_level"], d["escalated_to"], d["reported_to"]) == (1, [], ["gm-1"])
    with pytest.raises(ka.NotAuthorizedError):
        flows.apply(inst, {"action": "approve", "actor": "gm-1", "on": "2026-01-09"}, people)
    inst = flows.apply(inst, {"action": "approve", "actor": "finance-1", "on": "2026-01-09"}, people)
    inst = flows.apply(inst, {"action": "approve", "actor": "gm-1", "on": "2026-01-10"}, people)
    assert inst.state == "approved"
    assert [e["actor"] for e in inst.history] == ["specialist-1", "finance-1", "gm-1"]


@pytest.mark.parametrize("requester", ["sup_a", "sup_z"])
def test_escalation_does_not_depend_on_id_order(flows, requester):
    people = ka.People([
        {"id": "gm", "positions": ["general_manager"]},
        {"id": "csm", "positions": ["cs_manager"]},
        {"id": requester, "positions": ["cr_supervisor"], "superior": "csm"},
        {"id": "sup_b", "positions": ["cr_supervisor"], "superior": "csm"},
    ])
    inst = flows.start("proposal_review", {"action": "submit", "actor": requester, "on": "2026-05-04",
                                           "request": {"customer_id": "c1", "title": "t"}}, people)
    assert flows.who_may_act(inst, "2026-05-10", people) == [
        {"person": "csm", "place": "cr_supervisor", "via": "escalation", "on_behalf_of": "sup_b"},
        {"person": "sup_b", "place": "cr_supervisor", "via": "direct", "on_behalf_of": None},
    ]
    after = flows.apply(inst, {"action": "approve", "actor": "csm", "on": "2026-05-10"}, people)
    assert after.current_step == "review"
    rejected = flows.apply(inst, {"action": "reject", "actor": "csm", "on": "2026-05-10",
                                  "comment": "no"}, people)
    assert rejected.state == "rejected"
