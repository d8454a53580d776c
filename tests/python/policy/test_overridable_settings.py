"""Art. 6.3: `principles[].overridable` entries name a real activity and a setting it has
(issue 16 item 2: a misspelt entry validated clean, and the default policy listed
`executive_visit.every_days` for an activity whose cadence is in months)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import keyaccount

DEFAULT = Path(__file__).resolve().parents[3] / "policies" / "key-account-policy.json"


def with_overridable(*entries: str) -> dict:
    policy = json.loads(DEFAULT.read_text(encoding="utf-8"))
    (flexible,) = [p for p in policy["principles"] if p["id"] == "flexible_service"]
    flexible["overridable"] = list(entries)
    return policy


def errors(policy: dict) -> list:
    return [d for d in keyaccount.validate(policy) if d.severity == "error"]


def test_the_default_policy_lists_only_real_settings():
    assert errors(json.loads(DEFAULT.read_text(encoding="utf-8"))) == []
    flexible = [p for p in keyaccount.default_policy().to_dict()["principles"]
                if p["id"] == "flexible_service"][0]
    # Art. 9 visits are by plan: no interval to override (a fixed-cadence policy may list it).
    assert flexible["overridable"] == ["regular_visit.every_days"]


def test_a_misspelt_activity_is_an_error_with_did_you_mean():
    (error,) = errors(with_overridable("regular_visit.every_days", "regular_vist.every_days"))
    assert error.code == "invalid_value"
    assert error.pointer.endswith("/overridable/1")
    assert "no activity `regular_vist`" in error.message
    assert "did you mean `regular_visit.every_days`" in error.message


def test_a_setting_the_activity_does_not_use_is_an_error():
    (error,) = errors(with_overridable("proposal_campaign.every_days"))
    assert "activity `proposal_campaign` has no overridable setting `every_days`" in error.message
    assert "every_months" in error.message
    # A visit by plan (Art. 9) has no interval at all: only its responsible position.
    (error,) = errors(with_overridable("executive_visit.every_months"))
    assert "activity `executive_visit` has no overridable setting `every_months` (it has: " \
        "responsible)" in error.message


@pytest.mark.parametrize("entry", ["regular_visit.every_days", "regular_visit.responsible",
                                   "holiday_gift.lead_days",
                                   "proposal_campaign.every_months",
                                   "executive_visit.responsible"])
def test_settings_an_activity_uses_are_accepted(entry):
    assert errors(with_overridable(entry)) == []


def test_an_entry_without_a_setting_is_an_error():
    (error,) = errors(with_overridable("regular_visit"))
    assert "has no overridable setting ``" in error.message
