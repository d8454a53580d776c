"""Issue 17 item 2, workflows: who may act and the deadline "as of a day" are answered with what
was known on that day; actions recorded later are ignored with a LaterFactsWarning, and an
instance of another policy is refused by every query as `apply` refuses it."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

import keyaccount as ka

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def flows() -> ka.WorkflowSet:
    return ka.WorkflowSet()


@pytest.fixture(scope="module")
def people() -> ka.People:
    return ka.People(json.loads((ROOT / "examples" / "people.json").read_text())["people"])


@pytest.fixture()
def reviewed(flows, people) -> ka.Instance:
    """A gift request submitted on 01-05 and reviewed by Finance on 01-09."""
    inst = flows.start("gift_request", {"action": "submit", "actor": "specialist-1", "on": "2026-01-05",
                                        "request": {"customer_id": "c1", "amount": 800}}, people)
    return flows.apply(inst, {"action": "approve", "actor": "finance-1", "on": "2026-01-09"}, people)


def test_who_may_act_before_a_later_action_answers_for_that_day(flows, people, reviewed):
    with pytest.warns(ka.LaterFactsWarning, match=r"1 action\(s\) dated after 2026-01-07 \(the last on 2026-01-09\)"):
        actors = flows.who_may_act(reviewed, "2026-01-07", people)
    assert [a["person"] for a in actors] == ["finance-1"]
    with pytest.warns(ka.LaterFactsWarning):
        d = flows.deadline(reviewed, "2026-01-07", people)
    assert (d["step"], d["entered_on"]) == ("finance_review", "2026-01-05")


def test_on_and_after_the_last_action_nothing_is_ignored(flows, people, reviewed):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no LaterFactsWarning
        assert [a["person"] for a in flows.who_may_act(reviewed, "2026-01-09", people)] == ["gm-1"]
        assert flows.deadline(reviewed, "2026-01-20", people)["step"] == "gm_approval"
        assert flows.as_of(reviewed, "2026-01-09", people) == reviewed


def test_as_of_replays_the_history_up_to_the_day(flows, people, reviewed):
    with pytest.warns(ka.LaterFactsWarning):
        then = flows.as_of(reviewed, "2026-01-08", people)
    assert then.current_step == "finance_review"
    assert [e["actor"] for e in then.history] == ["specialist-1"]
    assert reviewed.current_step == "gm_approval"  # the argument is left alone


def test_a_day_before_the_submission_is_refused(flows, people, reviewed):
    for query in (flows.who_may_act, flows.deadline, flows.as_of):
        with pytest.raises(ka.WrongStateError, match="submitted on 2026-01-05, after 2026-01-04"):
            query(reviewed, "2026-01-04", people)


def test_an_instance_of_another_policy_is_refused_by_every_query(flows, people, reviewed):
    data = reviewed.to_dict()
    data["policy"]["id"] = "another-policy"
    foreign = ka.Instance.from_dict(data)
    for query in (flows.who_may_act, flows.deadline, flows.as_of):
        with pytest.raises(ka.PolicyMismatchError, match="another-policy"):
            query(foreign, "2026-01-09", people)
