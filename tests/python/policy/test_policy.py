import json
from pathlib import Path

import pytest

import keyaccount

ROOT = Path(__file__).resolve().parents[3]
DEFAULT = ROOT / "policies" / "key-account-policy.json"


def test_default_policy_loads_with_seed_parameters():
    policy = keyaccount.default_policy()
    assert policy.id == "key-account-maintenance"
    assert policy.parameters["cumulative_amount_min"] == 500
    assert policy.tier_ids == ["key", "regular"]
    assert "gift_request" in policy.workflow_ids


def test_from_file_json_and_dict_agree():
    from_file = keyaccount.Policy.from_file(DEFAULT)
    from_json = keyaccount.Policy.from_json(DEFAULT.read_text(encoding="utf-8"))
    from_dict = keyaccount.Policy.from_dict(json.loads(DEFAULT.read_text(encoding="utf-8")))
    assert from_file.to_dict() == from_json.to_dict() == from_dict.to_dict()
    assert from_file.diagnostics == []


def test_invalid_policy_raises_policy_error_with_every_diagnostic():
    data = json.loads(DEFAULT.read_text(encoding="utf-8"))
    data["workflows"][0]["steps"][0]["approvers"] = ["finanse_reviewer"]
    data["organization"]["positions"][1]["department"] = "custmer_service"
    with pytest.raises(keyaccount.PolicyError) as info:
        keyaccount.Policy.from_dict(data)
    codes = sorted(d.code for d in info.value.diagnostics)
    assert codes == ["undefined_department", "undefined_position"]
    assert isinstance(info.value, keyaccount.Error)
    messages = " ".join(d.message for d in info.value.diagnostics)
    assert "did you mean `finance_reviewer`?" in messages
    assert "did you mean `customer_service`?" in messages


def test_validate_accepts_path_text_and_dict_and_never_raises():
    assert keyaccount.validate(DEFAULT) == []
    assert keyaccount.validate(str(DEFAULT)) == []
    diagnostics = keyaccount.validate('{"format_version": "1.0",')
    assert [d.code for d in diagnostics] == ["syntax_error"]
    assert diagnostics[0].line == 1 and diagnostics[0].severity == "error"
    missing = keyaccount.validate(ROOT / "no-such-file.json")
    assert [d.code for d in missing] == ["unreadable_file"]


def test_validate_locates_a_wrong_type_at_its_line_and_column():
    text = '{\n  "format_version": 1.0\n}'
    diagnostics = keyaccount.validate(text)
    wrong = [d for d in diagnostics if d.code == "wrong_type"]
    assert len(wrong) == 1
    assert (wrong[0].pointer, wrong[0].line, wrong[0].column) == ("/format_version", 2, 21)


def test_describe_names_tiers_positions_and_workflows():
    text = keyaccount.default_policy().describe()
    for needle in ("重点客户", "art-5.2", "cr_specialist", "gift_request", "holiday_gift"):
        assert needle in text


def test_validate_rejects_wrong_argument_type():
    with pytest.raises(TypeError):
        keyaccount.validate(42)


def test_a_byte_order_mark_is_accepted_everywhere(tmp_path):
    text = "\ufeff" + DEFAULT.read_text(encoding="utf-8")
    assert keyaccount.validate(text) == []
    path = tmp_path / "bom.json"
    path.write_text(text, encoding="utf-8")
    policy = keyaccount.Policy.from_file(path)
    assert policy.tier_ids == ["key", "regular"]
    assert keyaccount.Policy.from_json(text).parameters["cumulative_amount_min"] == 500


@pytest.mark.parametrize("name", ["Measures\n```\n# not code", "a ```` b\n`````", "plain"])
def test_repr_markdown_keeps_the_whole_description_in_one_code_block(name):
    import re as _re

    p = json.loads((Path(__file__).resolve().parents[2] / "data" / "format-examples" /
                     "minimal.json").read_text())
    p["document"]["name"] = name
    policy = keyaccount.Policy.from_dict(p)
    md = policy._repr_markdown_()
    lines = md.split("\n")
    fence = _re.match(r"`{3,}", lines[0]).group(0)
    assert lines[-1] == fence
    body = lines[1:-1]
    assert "\n".join(body) + "\n" == policy.describe()
    # No line inside may close the block (a run of at least as many backticks, CommonMark).
    assert not any(_re.match(r" {0,3}" + fence, line) for line in body)
