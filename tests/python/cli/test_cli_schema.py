"""The JSON Schemas travel with the package: `keyaccount schema [policy|tests]`,
`keyaccount.schema(name)`, the files inside the installed package; and the test-file schema
agrees with `keyaccount test`, which reads test files (src/classify/policy_tests.cpp).
"""
from __future__ import annotations

import copy
import importlib.util
import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

import keyaccount

ROOT = Path(__file__).resolve().parents[3]
SCHEMAS = {"policy": ROOT / "schema" / "policy.schema.json",
           "tests": ROOT / "schema" / "policy-tests.schema.json"}
TESTS_FILE = ROOT / "policies" / "key-account-policy.tests.json"
TESTS_DOC = json.loads(TESTS_FILE.read_text(encoding="utf-8"))
TESTS_VALIDATOR = Draft202012Validator(
    json.loads(SCHEMAS["tests"].read_text(encoding="utf-8")),
    format_checker=Draft202012Validator.FORMAT_CHECKER)


def cli(*args, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "keyaccount", *map(str, args)], input=stdin,
                          capture_output=True, check=False, timeout=60)


def generator():
    spec = importlib.util.spec_from_file_location(
        "make_policy_schema", ROOT / "tests" / "tools" / "make_policy_schema.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ---- where the schemas are -----------------------------------------------------------------


def test_the_tests_schema_file_is_what_its_generator_writes():
    assert SCHEMAS["tests"].read_text(encoding="utf-8") == generator().render_tests()


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_each_schema_is_valid_and_identified(name):
    schema = json.loads(SCHEMAS[name].read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].startswith("urn:keyaccount:schema:")
    assert schema["title"] and schema["description"]


def test_the_two_schemas_have_different_ids():
    ids = {json.loads(p.read_text(encoding="utf-8"))["$id"] for p in SCHEMAS.values()}
    assert len(ids) == 2


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_the_cli_prints_each_schema_byte_for_byte(name):
    result = cli("schema", name)
    assert result.returncode == 0, result.stderr
    assert result.stdout == SCHEMAS[name].read_bytes()


def test_the_cli_prints_the_policy_schema_when_bare():
    assert cli("schema").stdout == SCHEMAS["policy"].read_bytes()


def test_the_cli_refuses_an_unknown_schema():
    result = cli("schema", "customers")
    assert result.returncode == 2
    assert result.stdout == b""
    assert b"customers" in result.stderr


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_the_python_api_returns_the_installed_schema(name):
    assert keyaccount.schema(name) == json.loads(SCHEMAS[name].read_text(encoding="utf-8"))
    # Read from inside the installed package, not from the source tree.
    installed = resources.files("keyaccount").joinpath("schemas", SCHEMAS[name].name)
    assert installed.is_file()
    assert Path(str(installed)).resolve() != SCHEMAS[name].resolve()
    assert installed.read_bytes() == SCHEMAS[name].read_bytes()


def test_the_python_api_defaults_to_the_policy_schema_and_refuses_other_names():
    assert keyaccount.schema() == keyaccount.schema("policy")
    with pytest.raises(ValueError, match="policy, tests"):
        keyaccount.schema("customers")


def test_the_policy_schema_from_the_api_checks_a_policy():
    validator = Draft202012Validator(keyaccount.schema())
    policy = json.loads(keyaccount.default_policy_text())
    assert list(validator.iter_errors(policy)) == []
    policy["tiers"][0]["colour"] = "blue"
    assert [e.json_path for e in validator.iter_errors(policy)] == ["$.tiers[0]"]


# ---- descriptions for editors --------------------------------------------------------------


def members(schema: dict, node, path: str = ""):
    """(path, member schema) of every member a document can have: the `properties` of the
    schema and of the objects inside it, through `items` and `$ref`s (once each); conditions
    (`if`/`then`, `not`, `contains`, refining alternatives) are not members."""
    seen = set()

    def walk(node, path):
        if not isinstance(node, dict):
            return
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            if name not in seen:
                seen.add(name)
                walk(schema["$defs"][name], path)
        for key, value in node.get("properties", {}).items():
            yield_list.append((f"{path}/{key}", value))
            walk(value, f"{path}/{key}")
        if isinstance(node.get("items"), dict):
            walk(node["items"], f"{path}/*")
        if isinstance(node.get("additionalProperties"), dict):
            walk(node["additionalProperties"], f"{path}/*")
        # Alternatives that are references (`reports_to`: a position id or null); the others
        # only refine members declared above (a minimum, a required member).
        for key in ("anyOf", "oneOf", "allOf"):
            for alternative in node.get(key, []):
                if "$ref" in alternative:
                    walk(alternative, path)

    yield_list: list = []
    walk(node, path)
    return yield_list


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_member_has_a_description_for_editor_completion(name):
    schema = json.loads(SCHEMAS[name].read_text(encoding="utf-8"))
    found = members(schema, schema)
    assert len(found) > (100 if name == "policy" else 10)

    def described(member: dict) -> bool:
        if "description" in member:
            return True
        ref = member.get("$ref")
        return bool(ref) and "description" in schema["$defs"][ref.rsplit("/", 1)[-1]]

    undescribed = sorted({path for path, member in found if not described(member)})
    assert undescribed == []


# ---- policy test files: the schema and `keyaccount test` agree ---------------------------------


def test_the_shipped_tests_file_refers_to_the_schema_and_is_valid_for_both():
    assert (TESTS_FILE.parent / TESTS_DOC["$schema"]).resolve() == SCHEMAS["tests"].resolve()
    errors = list(TESTS_VALIDATOR.iter_errors(TESTS_DOC))
    assert errors == [], [e.message for e in errors]
    result = cli("test", TESTS_FILE)
    assert result.returncode == 0, result.stdout + result.stderr


def first_case(doc: dict) -> dict:
    return doc["cases"][0]


BROKEN = {
    # name: (change to a copy of the shipped file, what `keyaccount test` says)
    "misspelt top-level key": (lambda d: d.update(cases_=d.pop("cases")), b"cases"),
    "no cases": (lambda d: d.update(cases=[]), b"no test cases"),
    "misspelt case key": (lambda d: first_case(d).update(expected=first_case(d).pop("expect")),
                          b"expect"),
    "expects nothing": (lambda d: first_case(d).update(expect={}), b"expects nothing"),
    "unknown expectation": (lambda d: first_case(d)["expect"].update(teir="key"),
                            b"unknown expectation"),
    "outcome other than met/not_met": (
        lambda d: first_case(d)["expect"].update(criteria={"art-5.1": "yes"}), b"not_met"),
    "deciding not a list": (lambda d: first_case(d)["expect"].update(deciding="art-5.1"),
                            b"deciding"),
    "customer not an object": (lambda d: first_case(d).update(customer=[1]), b"customer"),
    "impossible date": (lambda d: d.update(as_of="2026-02-30"), b"expected a date YYYY-MM-DD"),
    "no as_of anywhere": (lambda d: d.pop("as_of"), b"no as_of"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_tests_file_is_rejected_by_schema_and_cli(name, tmp_path):
    change, message = BROKEN[name]
    doc = copy.deepcopy(TESTS_DOC)
    change(doc)
    assert list(TESTS_VALIDATOR.iter_errors(doc)), "the schema accepts it"
    path = tmp_path / "broken.tests.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = cli("test", path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stdout + result.stderr


def test_a_minimal_tests_file_is_accepted_by_schema_and_cli(tmp_path):
    doc = {"cases": [{"as_of": "2026-06-30", "customer": {
        "id": "G", "name": "Gov", "category": "government", "first_order": "2020-01-15",
        "monthly_shipments": [60] * 12, "cumulative_amount": 800}, "expect": {"tier": "key"}}]}
    assert list(TESTS_VALIDATOR.iter_errors(doc)) == []
    path = tmp_path / "minimal.tests.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = cli("test", path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_validate_dash_reads_standard_input_through_python():
    text = keyaccount.default_policy_text().encode()
    result = cli("validate", "-", stdin=text)
    assert result.returncode == 0, result.stderr
    assert result.stdout == b"<stdin>: valid (0 errors, 0 warnings)\n"
    result = cli("validate", "--format", "json", "-", stdin=text.replace(b'"key"', b'"key', 1))
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["files"][0]["file"] == "<stdin>"
    assert report["files"][0]["diagnostics"][0]["code"] == "syntax_error"
