"""The JSON Schema (schema/policy.schema.json) and the validator agree.

- The default policy and every documented example (tests/data/format-examples/) are valid for
  both.
- Every broken policy whose defect is *structural* (one a schema can express) is rejected by the
  schema too, at or above the place the validator points at; every policy the validator loads
  is accepted by the schema.
- docs/policy-format.md prints exactly the examples that are tested here.
"""
from __future__ import annotations

import copy
import importlib.util
import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

import keyaccount

ROOT = Path(__file__).resolve().parents[3]
SCHEMA_PATH = ROOT / "schema" / "policy.schema.json"
SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA)
DEFAULT_PATH = ROOT / "policies" / "key-account-policy.json"
DEFAULT = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
EXAMPLES = sorted((ROOT / "tests" / "data" / "format-examples").glob("*.json"))
CORPUS = ROOT / "tests" / "data" / "invalid"
MANIFEST = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))["files"]
FORMAT_DOC = ROOT / "docs" / "policy-format.md"

# The codes a schema can express: shape, not meaning.
STRUCTURAL = {"wrong_type", "missing_field", "unknown_field", "invalid_value", "out_of_range",
              "invalid_date", "unfilled_threshold", "unsupported_format_version"}
SECTIONS = ["document", "articles", "organization", "customer_schema", "parameters", "criteria",
            "tiers", "dynamic_management", "ownership", "principles", "calendars", "activities",
            "complaints", "peak_season", "symposium", "workflows"]


def schema_errors(doc) -> list:
    return list(VALIDATOR.iter_errors(doc))


def pointer_of(error) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1")
                   for p in error.absolute_path)


def explain(errors) -> str:
    return "\n".join(f"  {pointer_of(e) or '/'}: {e.message[:160]}" for e in errors[:10])


def test_the_schema_is_a_valid_draft_2020_12_schema():
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_the_schema_file_is_what_its_generator_writes():
    spec = importlib.util.spec_from_file_location(
        "make_policy_schema", ROOT / "tests" / "tools" / "make_policy_schema.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert SCHEMA_PATH.read_text(encoding="utf-8") == module.render()


def test_the_default_policy_refers_to_the_schema_and_is_valid_for_both():
    assert (DEFAULT_PATH.parent / DEFAULT["$schema"]).resolve() == SCHEMA_PATH.resolve()
    assert schema_errors(DEFAULT) == []
    assert keyaccount.validate(DEFAULT_PATH) == []


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_format_example_is_valid_for_schema_and_validator(path):
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert (path.parent / doc["$schema"]).resolve() == SCHEMA_PATH.resolve()
    errors = schema_errors(doc)
    assert errors == [], explain(errors)
    diagnostics = keyaccount.validate(path)
    assert diagnostics == [], [(d.code, d.pointer, d.message) for d in diagnostics]


def test_every_section_has_an_example_file():
    names = {p.stem for p in EXAMPLES}
    assert set(SECTIONS) <= names
    assert "minimal" in names


def test_the_format_doc_prints_exactly_the_tested_examples():
    text = FORMAT_DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"<!-- example: (\S+?)#(\S*) -->\n```json\n(.*?)\n```", text, flags=re.S)
    assert len(blocks) >= len(SECTIONS) + 1
    seen = set()
    for file, pointer, body in blocks:
        value = json.loads((ROOT / file).read_text(encoding="utf-8"))
        for token in filter(None, pointer.split("/")):
            value = value[int(token)] if isinstance(value, list) else value[token]
        assert json.loads(body) == value, f"{file}#{pointer} differs from the doc"
        seen.add(Path(file).stem)
    assert seen == {p.stem for p in EXAMPLES}
    # Every section has a heading of its own.
    for section in SECTIONS:
        assert re.search(rf"^## `{section}`", text, flags=re.M), section


def test_the_documented_defaults_are_the_default_policys():
    text = FORMAT_DOC.read_text(encoding="utf-8")
    params = {p["id"]: p["value"] for p in DEFAULT["parameters"]}
    for pid, shown in [("cumulative_amount_min", "**500** 万元"), ("monthly_shipment_min", "**50** 万元"),
                       ("consecutive_months", "**3** months"), ("new_customer_monthly_min", "**30** 万元"),
                       ("new_customer_months", "fewer than **12** whole months")]:
        assert shown in text, shown
        assert str(params[pid]) in shown
    assert DEFAULT["dynamic_management"]["profile_card"]["max_age_days"] == 180
    assert "**180** days" in text
    assert DEFAULT["ownership"]["max_accounts_per_owner"] == 15 and "at most **15**" in text


# ---- the invalid corpus against the schema ---------------------------------------------------


def parsed(name: str):
    raw = (CORPUS / name).read_bytes()
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return None


STRUCTURAL_FILES = sorted(n for n, e in MANIFEST.items()
                          if any(d["code"] in STRUCTURAL and d["severity"] == "error"
                                 for d in e["diagnostics"]))
LOADING_FILES = sorted(n for n, e in MANIFEST.items() if e["loads"])


def test_the_corpus_has_structural_and_loading_cases():
    assert len(STRUCTURAL_FILES) >= 20
    assert len(LOADING_FILES) >= 3


@pytest.mark.parametrize("name", STRUCTURAL_FILES)
def test_the_schema_rejects_every_structural_defect(name):
    doc = parsed(name)
    assert doc is not None, "a structural case must be well-formed JSON"
    errors = schema_errors(doc)
    assert errors, "the schema accepts a policy the validator rejects"
    # At least one schema error is at, or above, a place the validator points at.
    pointers = [d["pointer"] for d in MANIFEST[name]["diagnostics"] if d["code"] in STRUCTURAL]
    located = [pointer_of(e) for e in errors]
    assert any(p == q or p.startswith(q + "/") or q == "" for p in pointers for q in located), (
        pointers, explain(errors))


@pytest.mark.parametrize("name", LOADING_FILES)
def test_the_schema_accepts_what_the_validator_loads(name):
    errors = schema_errors(parsed(name))
    assert errors == [], explain(errors)


# ---- extension members and closed objects, for both ---------------------------------------


def nested_objects(doc):
    """A few objects at different depths: the root, a section, an array element, a deep one."""
    yield doc
    yield doc["document"]
    yield doc["organization"]["positions"][2]
    yield doc["workflows"][0]["steps"][1]
    yield doc["activities"][4]["cadence"]
    yield doc["customer_schema"]["fields"][7]["fields"][0]


def test_extension_members_are_accepted_everywhere_by_both():
    doc = copy.deepcopy(DEFAULT)
    for obj in nested_objects(doc):
        obj["x-crm-note"] = {"any": ["thing", 1]}
        obj["$comment"] = "kept for people, ignored by the library"
    assert schema_errors(doc) == []
    assert keyaccount.validate(doc) == []


@pytest.mark.parametrize("index", range(6))
def test_an_unknown_member_is_rejected_by_both(index):
    doc = copy.deepcopy(DEFAULT)
    target = list(nested_objects(doc))[index]
    target["colour"] = "blue"
    assert schema_errors(doc)
    codes = [d.code for d in keyaccount.validate(doc)]
    assert codes == ["unknown_field"]


@pytest.mark.parametrize("value,ok", [
    ("2026-02-28", True), ("2028-02-29", True), ("2000-02-29", True), ("2026-12-31", True),
    ("2027-02-29", False), ("1900-02-29", False), ("2026-04-31", False), ("2026-13-01", False),
    ("2026-1-01", False), ("0000-01-01", False), ("2026-00-10", False), ("26-01-01", False),
])
def test_schema_and_validator_agree_on_dates(value, ok):
    doc = copy.deepcopy(DEFAULT)
    doc["document"]["drafted_on"] = value
    doc["document"]["reviewed_on"] = doc["document"]["approved_on"] = \
        doc["document"]["effective_on"] = "2030-01-01"
    doc["document"]["revisions"] = []
    diagnostics = keyaccount.validate(doc)
    assert (diagnostics == []) == ok, [(d.code, d.message) for d in diagnostics]
    assert (schema_errors(doc) == []) == ok


@pytest.mark.parametrize("value,ok", [("02-29", True), ("12-31", True), ("04-30", True),
                                      ("04-31", False), ("02-30", False), ("13-01", False),
                                      ("1-01", False), ("00-10", False)])
def test_schema_and_validator_agree_on_days_of_the_year(value, ok):
    doc = copy.deepcopy(DEFAULT)
    doc["peak_season"]["periods"][0]["to"] = value
    assert (keyaccount.validate(doc) == []) == ok
    assert (schema_errors(doc) == []) == ok
