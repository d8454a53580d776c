"""The Python face of the workflow engine: values, errors, pictures, Jupyter."""

from __future__ import annotations

import datetime as dt
import decimal
import json
from pathlib import Path

import pytest

import keyaccount as ka

PEOPLE = json.loads((Path(__file__).resolve().parents[2] / "data" / "workflows" / "people.json")
                    .read_text())


@pytest.fixture(scope="module")
def people() -> ka.People:
    return ka.People(PEOPLE)


@pytest.fixture(scope="module")
def flows() -> ka.WorkflowSet:
    return ka.WorkflowSet()


def gift(flows, people, amount=800):
    return flows.start("gift_request", {"action": "submit", "actor": "alice", "on": dt.date(2026, 1, 5),
                                        "request": {"customer_id": "c1", "amount": amount}}, people)


def test_apply_returns_a_new_value_and_leaves_the_old_one(flows, people):
    inst = gift(flows, people)
    after = flows.apply(inst, {"action": "approve", "actor": "fay", "on": "2026-01-06"}, people)
    assert inst.current_step == "finance_review" and inst.version == 1
    assert after.current_step == "gm_approval" and after.version == 2
    assert after != inst
    assert after.history[-1]["actor"] == "fay"
    assert after.to_dict()["policy"] == {"id": flows.policy.id, "version": flows.policy.version}


def test_each_refusal_kind_is_its_own_exception_class(flows, people):
    inst = gift(flows, people)
    with pytest.raises(ka.NotAuthorizedError) as e:
        flows.apply(inst, {"action": "approve", "actor": "sal", "on": "2026-01-06"}, people)
    assert e.value.kind == "not_authorized" and "finance_reviewer" in str(e.value)
    own = flows.start("gift_request", {"action": "submit", "actor": "olga", "on": "2026-01-05",
                                       "request": {"customer_id": "c1", "amount": 5}}, people)
    with pytest.raises(ka.SeparationOfDutiesError) as e:
        flows.apply(own, {"action": "approve", "actor": "olga", "on": "2026-01-06"}, people)
    assert "own request" in e.value.message
    with pytest.raises(ka.StaleVersionError):
        flows.apply(inst, {"action": "approve", "actor": "fay", "on": "2026-01-06",
                           "expected_version": 7}, people)
    with pytest.raises(ka.UnknownStepError):
        flows.apply(inst, {"action": "approve", "actor": "fay", "on": "2026-01-06", "step": "x"}, people)
    with pytest.raises(ka.UnknownWorkflowError):
        flows.start("nope", {"action": "submit", "actor": "alice", "on": "2026-01-05"}, people)
    with pytest.raises(ka.InvalidRequestError):
        flows.start("gift_request", {"action": "submit", "actor": "alice", "on": "2026-01-05",
                                     "request": {"customer_id": "c1"}}, people)
    with pytest.raises(ka.InvalidActionError):
        flows.apply(inst, {"action": "fly", "actor": "fay", "on": "2026-01-06"}, people)
    # All under the one base classes.
    assert issubclass(ka.WrongStateError, ka.WorkflowError)
    assert issubclass(ka.WorkflowError, ka.Error)


def test_retry_with_the_same_request_id_is_safe(flows, people):
    inst = gift(flows, people)
    action = {"action": "approve", "actor": "fay", "on": "2026-01-06", "request_id": "r-1",
              "expected_version": 1}
    once = flows.apply(inst, action, people)
    again, replayed = flows.apply_detailed(once, action, people)
    assert replayed and again == once
    with pytest.raises(ka.DuplicateRequestError):
        flows.apply(once, {"action": "comment", "actor": "fay", "on": "2026-01-06",
                           "request_id": "r-1", "comment": "x"}, people)


def test_instances_round_trip_and_broken_ones_are_located(flows, people):
    inst = flows.apply(gift(flows, people), {"action": "approve", "actor": "fay", "on": "2026-01-06"},
                       people)
    data = inst.to_dict()
    assert ka.Instance.from_dict(data) == inst
    assert ka.Instance.from_json(inst.to_json()) == inst
    data["history"][1]["on"] = "yesterday"
    with pytest.raises(ka.InstanceFormatError) as e:
        ka.Instance.from_dict(data)
    assert e.value.where == "/history/1/on"
    assert isinstance(e.value, ka.InputError) and isinstance(e.value, ka.WorkflowError)
    with pytest.raises(ka.InstanceFormatError) as e:
        ka.Instance.from_json('{"format_version": "1",')
    assert e.value.where.startswith("line 1")


def test_bad_people_are_reported_all_at_once():
    with pytest.raises(ka.PeopleError) as e:
        ka.People([{"id": "a", "positions": ["wizard"]}, {"id": "a", "positions": []}])
    assert e.value.problems == ['people[0].positions[0]: unknown position "wizard"',
                                'people[1].id: duplicate person id "a"']


def test_org_queries(people):
    assert people.holders("finance_reviewer") == ["fay", "fin", "olga"]
    assert people.superior_of("alice") == "sue"
    assert people.superior_of("sue") == "carl"
    assert people.superior_of("gina") is None


def test_org_queries_about_an_unknown_position_or_person_raise_key_error(people):
    # Before, both answered as if the position had no holder / the person no superior.
    with pytest.raises(KeyError, match="unknown position 'finance_reviwer'.*finance_reviewer"):
        people.holders("finance_reviwer")
    with pytest.raises(KeyError, match="no person 'nobody'"):
        people.superior_of("nobody")


def test_who_may_act_and_deadline(flows, people):
    inst = gift(flows, people)
    assert [a["person"] for a in flows.who_may_act(inst, "2026-01-05", people)] == ["fay", "fin", "olga"]
    d = flows.deadline(inst, dt.date(2026, 1, 9), people)
    # Overdue: reported to the GM, who approves at the later step and so may not act here.
    assert d == {"step": "finance_review", "entered_on": "2026-01-05", "due": "2026-01-08",
                 "overdue": True, "escalation_level": 1, "escalated_to": [], "reported_to": ["gina"]}
    assert [a["person"] for a in flows.who_may_act(inst, "2026-01-09", people)] == ["fay", "fin", "olga"]


def test_graphs_and_jupyter(flows, people):
    inst = flows.apply(gift(flows, people), {"action": "approve", "actor": "fay", "on": "2026-01-06"},
                       people)
    mermaid = flows.graph("gift_request", instance=inst)
    assert mermaid.splitlines()[3] == "flowchart LR"
    assert "class s_finance_review done" in mermaid and "class s_gm_approval active" in mermaid
    dot = flows.graph("proposal_review", format="dot")
    assert dot.startswith('digraph "proposal_review"') and "all of: general_manager, sales_staff" in dot
    with pytest.raises(ValueError):
        flows.graph("gift_request", format="png")
    assert "<table>" in inst._repr_html_()
    assert "| finance_review | approved | fay |" in inst._repr_markdown_()
    assert "```mermaid" in flows._repr_markdown_()


def test_core_functions_take_the_keyword_names_of_the_type_stub(flows, people):
    """The _core stubs' parameter names work as keywords (the binding declares them)."""
    from keyaccount import _core

    d, s = people._core, flows._core
    assert d.holders(position="finance_reviewer") == people.holders("finance_reviewer")
    assert d.superior_of(person="alice") == "sue"
    action = json.dumps({"action": "submit", "actor": "alice", "on": "2026-01-05",
                         "request": {"customer_id": "c1", "amount": 800}})
    inst = s.start(workflow="gift_request", action_json=action, people=d)
    after, replayed = s.apply(instance=inst, action_json=json.dumps(
        {"action": "approve", "actor": "fay", "on": "2026-01-06"}), people=d)
    assert after.version == inst.version + 1 and not replayed
    assert json.loads(s.who_may_act(instance=inst, as_of="2026-01-05", people=d)[0]) == \
        flows.who_may_act(ka.Instance(inst), "2026-01-05", people)
    assert json.loads(s.deadline(instance=inst, as_of="2026-01-09", people=d)[0])["overdue"]
    assert s.as_of(instance=inst, day="2026-01-09", people=d) == (inst, 0)
    policy = people.policy._handle
    customers, assignments = json.dumps([{"id": "c1", "tier": "key"}]), json.dumps([])
    report = json.loads(_core.workflow.check_ownership(policy=policy, people=d, customers=customers,
                                              assignments=assignments, max_accounts=None))
    assert report["unowned"] == ["c1"]
    proposal = json.loads(_core.workflow.propose_owners(policy=policy, people=d, customers=customers,
                                               assignments=assignments, max_accounts=None))
    assert [p["customer"] for p in proposal["proposed"]] == ["c1"]


SUBMIT = {"action": "submit", "actor": "alice", "on": "2026-01-05",
          "request": {"customer_id": "c1", "amount": 800}}


@pytest.mark.parametrize("call,error,message", [
    (lambda f, p, i: f.start("gift_request", dict(SUBMIT, request={
        "customer_id": "c1", "amount": decimal.Decimal(800)}), p),
     ka.InvalidActionError, "action/request/amount: cannot read a value of type Decimal"),
    (lambda f, p, i: f.start("gift_request", dict(SUBMIT, request={
        "customer_id": "c1", "amount": float("nan")}), p),
     ka.InvalidActionError, "action/request/amount: not a finite number"),
    (lambda f, p, i: f.start("gift_request", SUBMIT, PEOPLE), TypeError,
     "people must be a keyaccount.People, not dict"),
    (lambda f, p, i: f.apply(i.to_dict(), SUBMIT, p), TypeError,
     "instance must be a keyaccount.Instance, not dict"),
    (lambda f, p, i: f.graph("gift_request", instance=i.to_dict()), TypeError,
     "instance must be a keyaccount.Instance"),
    (lambda f, p, i: ka.Instance.from_dict(dict(i.to_dict(), version=decimal.Decimal(1))),
     ka.InstanceFormatError, "/version: cannot read a value of type Decimal"),
    (lambda f, p, i: ka.People([{"id": "x", "name": decimal.Decimal(1),
                                 "positions": ["cr_specialist"]}]),
     ka.PeopleError, r"people\[0\]\.name: cannot read a value of type Decimal"),
    (lambda f, p, i: ka.check_ownership(p, [{"id": "c", "tier": "key"}], {}, -1),
     ka.InputError, "max_accounts_per_owner: expected a whole number >= 0"),
    (lambda f, p, i: ka.propose_owners(p, [{"id": "c", "tier": decimal.Decimal(1)}], {}),
     ka.InputError, r"customers\[0\]\.tier: cannot read a value of type Decimal"),
    (lambda f, p, i: ka.check_ownership(p, 5, {}), TypeError,
     "customers must be a list of dicts, not int"),
])
def test_bad_python_input_is_a_named_error(flows, people, call, error, message):
    with pytest.raises(error, match=message):
        call(flows, people, gift(flows, people))
