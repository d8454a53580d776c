"""keyaccount.classify on single records: tiers, explanations computed by hand from the default
policy's thresholds (Art. 5.1 > 500 万元, Art. 5.2 3 months > 50 万元), errors, HTML."""

import datetime as dt

import pytest

import keyaccount


def customer(**overrides):
    record = {
        "id": "C1",
        "name": "Test customer",
        "category": "government",
        "first_order": "2020-01-15",
        "monthly_shipments": [10.0] * 21 + [20.0, 60.0, 70.0],
        "cumulative_amount": 380.0,
    }
    record.update(overrides)
    return record


def test_near_miss_is_regular_with_why_not():
    d = keyaccount.classify(customer(), "2026-06-30")
    assert d.tier == "regular"
    cum = d.criterion("art-5.1")
    assert cum["met"] is False
    assert cum["gap"] == 500 - 380
    assert cum["why_not"] == "needs more than 120 万元 more cumulative transactions"
    assert cum["why_not_zh"] == "累计交易额还需超过 120 万元"
    ship = d.criterion("art-5.2")
    assert ship["observed"] == 2 and ship["target"] == 3
    assert ship["why_not"] == "needs 1 more consecutive months above 50 万元"
    assert "art-5.1: needs more than 120 万元 more cumulative transactions" in d.why_not


def test_key_customer_and_policy_method_and_date_objects():
    policy = keyaccount.default_policy()
    d = policy.classify(customer(cumulative_amount=800.0), dt.date(2026, 6, 30))
    assert d.tier == "key"
    assert d.tier_name_zh == "重点客户"
    assert d.deciding == ["art-4", "art-4.1", "art-4.2", "art-5", "art-5.1"]


def test_list_of_records_keeps_order():
    ds = keyaccount.classify([customer(id="A", cumulative_amount=900.0), customer(id="B")],
                             "2026-06-30")
    assert [(d.customer_id, d.tier) for d in ds] == [("A", "key"), ("B", "regular")]


@pytest.mark.parametrize("overrides, field", [
    ({"cumulative_amount": "800"}, "cumulative_amount"),
    ({"first_order": "2026-02-30"}, "first_order"),
    ({"monthly_shipments": [1.0, "x"]}, "monthly_shipments[1]"),
    ({"category": "charity"}, "category"),
    ({"cumulative_ammount": 5}, "cumulative_ammount"),
])
def test_malformed_records_raise_input_error_naming_the_field(overrides, field):
    with pytest.raises(keyaccount.InputError) as info:
        keyaccount.classify(customer(**overrides), "2026-06-30")
    assert info.value.field == field
    assert isinstance(info.value, keyaccount.Error)


def test_missing_field_and_bad_as_of():
    record = customer()
    del record["category"]
    with pytest.raises(keyaccount.InputError, match="category"):
        keyaccount.classify(record, "2026-06-30")
    with pytest.raises(keyaccount.InputError, match="as_of"):
        keyaccount.classify(customer(), "30/06/2026")


def test_list_error_names_the_record_index():
    with pytest.raises(keyaccount.InputError) as info:
        keyaccount.classify([customer(), customer(category="charity")], "2026-06-30")
    assert info.value.row == 1


def test_repr_html_and_text():
    d = keyaccount.classify(customer(), "2026-06-30")
    page = d._repr_html_()
    assert page.startswith("<div>") and "<table>" in page
    assert "累计交易额还需超过 120 万元" in page
    assert str(d).startswith("C1: regular 普通客户 (Regular customer)")


def test_reclassify_grace_rule_and_profile_card():
    record = customer(profile={"updated_on": "2026-06-01", "address": "1 Road"})
    first = keyaccount.reclassify(record, "2026-06-30", "key", 0)
    assert first.kind == "pending_demotion" and first.tier == "key"
    assert first.consecutive_failures == 1
    second = keyaccount.reclassify(record, "2026-07-31", "key", first.consecutive_failures)
    assert second.kind == "demoted" and second.tier == "regular"
    assert first.profile_card["missing_fields"] == ["contacts"]
    assert first.profile_card["age_days"] == 29
    up = keyaccount.reclassify(customer(cumulative_amount=900.0), "2026-06-30", "regular")
    assert up.kind == "promoted"
    with pytest.raises(keyaccount.InputError):
        keyaccount.reclassify(record, "2026-06-30", "gold")


def test_why_not_lists_leaf_criteria_whatever_their_ids():
    """A leaf is a condition, a composite an any / all of others: told by the explanation, not
    by a dot in the id (a leaf "amount", a composite "group.any")."""
    import json
    from pathlib import Path

    p = json.loads((Path(__file__).resolve().parents[2] / "data" / "format-examples" /
                    "minimal.json").read_text())
    leaf = dict(p["criteria"][0], id="amount")
    p["criteria"] = [leaf, {"id": "group.any", "article": leaf["article"], "name": "Either",
                            "any": ["amount"]}]
    p["tiers"][0]["rule"] = {"all": ["group.any"]}
    policy = keyaccount.Policy.from_dict(p)
    d = keyaccount.classify({"id": "c", "cumulative_amount": 1.0}, "2026-06-30", policy=policy)
    assert d.tier == "regular"
    assert [w.split(":")[0] for w in d.why_not] == ["amount"]
    assert {c["id"]: c["leaf"] for c in d.criteria} == {"amount": True, "group.any": False}
    assert all("leaf" not in c for c in d.to_dict()["criteria"])  # as the CLI prints it
