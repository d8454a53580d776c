"""Issue 20: parameters as a first-class edit (with_parameters), the content hash recomputed by an
independent RFC 8785 implementation, provenance in every decision output, the decision log, the
structural diff (one test per section of the policy format) and the impact on customers checked
against classifying with each policy separately."""
from __future__ import annotations

import copy
import csv
import hashlib
import importlib.util
import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd
import pytest
import rfc8785
from jsonschema import Draft202012Validator

import keyaccount

ROOT = Path(__file__).resolve().parents[3]
EX = ROOT / "examples"
AS_OF = "2026-06-30"


def cli(*args, input=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "keyaccount", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, check=False, timeout=600, input=input)


def independent_hash(document: dict) -> str:
    """The documented content hash, by another implementation: RFC 8785 (the rfc8785 package)
    of the document without $schema, then SHA-256 (hashlib)."""
    document = dict(document)
    document.pop("$schema", None)
    return hashlib.sha256(rfc8785.dumps(document)).hexdigest()


@pytest.fixture(scope="module")
def policy():
    return keyaccount.default_policy()


@pytest.fixture(scope="module")
def generated():
    spec = importlib.util.spec_from_file_location("generate_customers",
                                                  EX / "generate_customers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate(4000, seed=20)


# --- with_parameters -----------------------------------------------------------------------------

def test_with_parameters_returns_a_new_validated_policy(policy):
    candidate = policy.with_parameters(cumulative_amount_min=600, consecutive_months=4)
    assert candidate.parameters["cumulative_amount_min"] == 600
    assert candidate.parameters["consecutive_months"] == 4
    assert policy.parameters["cumulative_amount_min"] == 500  # unchanged
    assert candidate.content_hash != policy.content_hash
    record = {"id": "C", "name": "n", "category": "government", "first_order": "2020-01-01",
              "monthly_shipments": [10.0] * 12, "cumulative_amount": 550.0}
    assert policy.classify(record, AS_OF).tier == "key"
    assert candidate.classify(record, AS_OF).tier == "regular"
    # Setting a value back gives the very same policy content.
    assert candidate.with_parameters(cumulative_amount_min=500,
                                     consecutive_months=3).content_hash == policy.content_hash


@pytest.mark.parametrize("values,code,pointer,words", [
    ({"cumulative_amount_mn": 1}, "unknown_parameter", "/parameters",
     "did you mean `cumulative_amount_min`"),
    ({"consecutive_months": 0}, "parameter_out_of_range", "/parameters/1/value",
     "`consecutive_months` is 0, below its minimum 1"),
    ({"monthly_shipment_min": -1}, "parameter_out_of_range", "/parameters/2/value",
     "`monthly_shipment_min` is -1"),
    ({"consecutive_months": 2.5}, "wrong_type", "/parameters/1/value",
     "`consecutive_months` is an int"),
    ({"cumulative_amount_min": float("nan")}, "parameter_out_of_range", "/parameters/0/value",
     "finite"),
])
def test_with_parameters_refuses_naming_the_parameter(policy, values, code, pointer, words):
    with pytest.raises(keyaccount.PolicyError) as info:
        policy.with_parameters(**values)
    [d] = info.value.diagnostics
    assert (d.code, d.pointer) == (code, pointer)
    assert words in d.message
    assert words in str(info.value)


def test_with_parameters_refuses_a_value_that_is_not_a_number(policy):
    with pytest.raises(keyaccount.PolicyError, match="not a number"):
        policy.with_parameters(cumulative_amount_min="600")


# --- content hash --------------------------------------------------------------------------------

def test_the_content_hash_is_recomputed_by_an_independent_implementation(policy):
    document = json.loads((ROOT / "policies" / "key-account-policy.json").read_text("utf-8"))
    assert "$schema" in document
    assert independent_hash(document) == policy.content_hash
    assert keyaccount.Policy.from_file(ROOT / "policies" / "key-account-policy.json"
                                       ).content_hash == policy.content_hash
    assert policy._handle.canonical_text == rfc8785.dumps(
        {k: v for k, v in document.items() if k != "$schema"}).decode("utf-8")


@pytest.mark.parametrize("value", [600, 0.1, 123.456, 1e-7, 1.5e-7, 2.5e-6, 1e20, 1e21,
                                   123456789012345680000.0, 1.7976931348623157e308, 5e-324,
                                   4.35, 1 / 3, 9007199254740993.0])
def test_numbers_are_canonical_as_rfc8785_writes_them(policy, value):
    candidate = policy.with_parameters(cumulative_amount_min=value)
    assert independent_hash(candidate.to_dict()) == candidate.content_hash
    document = json.loads(candidate._handle.canonical_text)
    assert float(document["parameters"][0]["value"]) == value  # reads back to the same double


def test_the_hash_ignores_layout_and_schema_but_not_content(policy, tmp_path):
    document = policy.to_dict()
    reshaped = {k: document[k] for k in reversed(list(document))}  # members in another order
    reshaped["$schema"] = "somewhere/else.json"
    reshaped["parameters"][0]["value"] = 500.0  # 500.0 is 500
    text = json.dumps(reshaped, ensure_ascii=True, indent=7)  # \u escapes, other indentation
    assert keyaccount.Policy.from_json(text).content_hash == policy.content_hash
    reshaped["articles"][0]["title"] += "."
    changed = keyaccount.Policy.from_json(json.dumps(reshaped))
    assert changed.content_hash != policy.content_hash
    assert independent_hash(reshaped) == changed.content_hash


def test_unicode_and_escapes_hash_as_rfc8785(policy):
    document = policy.to_dict()
    document["articles"][0]["text_zh"] = "目的 \"quoted\" \\ tab\t newline\n \u0001 \U0001F600 é"
    document["document"]["name"] = "Name with \u007f and \u2028"
    loaded = keyaccount.Policy.from_dict(document)
    assert independent_hash(document) == loaded.content_hash


# --- provenance ----------------------------------------------------------------------------------

def provenance_of(policy):
    return {"policy_id": policy.id, "policy_version": policy.version,
            "policy_hash": policy.content_hash, "as_of": AS_OF,
            "keyaccount_version": keyaccount.__version__}


def test_python_decisions_and_tables_carry_provenance(policy):
    record = json.loads((EX / "customers.jsonl").read_text("utf-8").splitlines()[0])
    candidate = policy.with_parameters(cumulative_amount_min=600)
    decision = candidate.classify(record, AS_OF)
    assert decision.provenance == provenance_of(candidate)
    assert decision.to_dict()["provenance"] == provenance_of(candidate)
    df = pd.read_json(EX / "customers.jsonl", lines=True)
    for explain in (False, True):
        out = keyaccount.classify(df, AS_OF, explain=explain)
        assert out.attrs["provenance"] == provenance_of(policy)


def test_cli_classify_lines_carry_provenance(policy):
    for extra in ([], ["--explain"]):
        r = cli("classify", "--as-of", AS_OF, *extra, "examples/customers.jsonl")
        assert r.returncode == 0, r.stderr
        lines = [json.loads(line) for line in r.stdout.splitlines()]
        assert len(lines) == 300
        assert all(line["provenance"] == provenance_of(policy) for line in lines)
    r = cli("classify", "--as-of", AS_OF, "--format", "csv", "--explain",
            "examples/customers.jsonl")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(rows) == 300
    assert list(rows[0])[-5:] == ["policy_id", "policy_version", "policy_hash", "as_of",
                                  "keyaccount_version"]
    assert all({k: row[k] for k in provenance_of(policy)} == provenance_of(policy)
               for row in rows)


def test_the_decision_log_replays_every_decision(policy, tmp_path):
    log = tmp_path / "decisions.jsonl"
    log.write_text('{"earlier": "entry"}\n', encoding="utf-8")  # appended to, never truncated
    r = cli("classify", "--as-of", AS_OF, "--explain", "--decision-log", log,
            "examples/customers.jsonl")
    assert r.returncode == 0, r.stderr
    printed = [json.loads(line) for line in r.stdout.splitlines()]
    entries = [json.loads(line) for line in log.read_text("utf-8").splitlines()]
    assert entries[0] == {"earlier": "entry"}
    entries = entries[1:]
    assert len(entries) == len(printed) == 300
    assert len({e["decision_id"] for e in entries}) == 300
    for entry, line in zip(entries, printed):
        assert set(entry) == {"decision_id", "timestamp", "path", "input", "result", "bundles",
                              "policy_hash", "provenance", "labels"}
        assert entry["path"] == "keyaccount/classify"
        assert entry["timestamp"].endswith("Z") and entry["timestamp"][:2] == "20"
        assert entry["policy_hash"] == policy.content_hash
        assert entry["bundles"] == {policy.id: {"revision": policy.version}}
        assert entry["result"] == {"tier": line["tier"], "deciding": line["deciding"]}
        # Replay: the logged input, classified again with the policy the hash names.
        replayed = policy.classify(entry["input"]["customer"], entry["input"]["as_of"])
        assert replayed.tier == entry["result"]["tier"]
        assert replayed.deciding == entry["result"]["deciding"]
    r = cli("classify", "--as-of", AS_OF, "--decision-log", tmp_path / "no" / "dir.jsonl",
            "examples/customers.jsonl")
    assert r.returncode == 2 and "--decision-log" in r.stderr


# --- structural diff: one test per section ---------------------------------------------------------

def edited(policy, edit):
    document = copy.deepcopy(policy.to_dict())
    edit(document)
    return keyaccount.Policy.from_dict(document)


def by_id(items, item_id):
    return next(i for i in items if i["id"] == item_id)


SECTION_EDITS = {
    "format_version": (lambda d: d.__setitem__("format_version", "1.1"),
                       ("format_version", "changed", "", "1.0", "1.1")),
    "document": (lambda d: d["document"].__setitem__("version", "1.1"),
                 ("document.version", "changed", "", "1.0", "1.1")),
    "articles": (lambda d: by_id(d["articles"], "art-5.1").__setitem__("text_zh", "累计交易额超过600万元的客户。"),
                 ("articles[art-5.1].text_zh", "changed", "",
                  "累计交易额超过____万元的客户。", "累计交易额超过600万元的客户。")),
    "organization": (lambda d: by_id(d["organization"]["positions"], "cr_supervisor").__setitem__("headcount", 2),
                     ("organization.positions[cr_supervisor].headcount", "added", "art-3", None, 2)),
    "customer_schema": (lambda d: by_id(d["customer_schema"]["fields"], "cumulative_amount").__setitem__("name", "Cumulative amount"),
                        ("customer_schema.fields[cumulative_amount].name", "changed", "art-5.1",
                         "Cumulative transaction amount", "Cumulative amount")),
    "parameters": (lambda d: by_id(d["parameters"], "monthly_shipment_min").__setitem__("value", 60),
                   ("parameters[monthly_shipment_min].value", "changed", "art-5.2", 50, 60)),
    "criteria": (lambda d: by_id(d["criteria"], "art-5.1").__setitem__("condition", "cumulative_amount >= params.cumulative_amount_min"),
                 ("criteria[art-5.1].condition", "changed", "art-5.1",
                  "cumulative_amount > params.cumulative_amount_min",
                  "cumulative_amount >= params.cumulative_amount_min")),
    "tiers": (lambda d: by_id(d["tiers"], "key").__setitem__("rule", {"all": ["art-5"]}),
              ("tiers[key].rule.all", "changed", "art-4", ["art-4", "art-5"], ["art-5"])),
    "dynamic_management": (lambda d: d["dynamic_management"].__setitem__("demote_after_failures", 3),
                           ("dynamic_management.demote_after_failures", "changed", "art-6.1", 2, 3)),
    "ownership": (lambda d: d["ownership"].__setitem__("max_accounts_per_owner", 20),
                  ("ownership.max_accounts_per_owner", "changed", "art-6.2", 15, 20)),
    "principles": (lambda d: by_id(d["principles"], "flexible_service")["overridable"].pop(),
                   ("principles[flexible_service].overridable", "changed", "art-6.3",
                    ["regular_visit.every_days"], [])),
    "calendars": (lambda d: by_id(d["calendars"]["festivals"], "new_year")["dates"].append("2031-01-01"),
                  ("calendars.festivals[new_year].dates", "changed", "", None, None)),
    "activities": (lambda d: by_id(d["activities"], "regular_visit")["cadence"].__setitem__("every_days", 21),
                   ("activities[regular_visit].cadence.every_days", "changed", "art-8", 30, 21)),
    "complaints": (lambda d: by_id(d["complaints"]["categories"], "transport").__setitem__("resolve_within_days", 7),
                   ("complaints.categories[transport].resolve_within_days", "changed", "art-8.1", 10, 7)),
    "peak_season": (lambda d: d["peak_season"].__setitem__("within_tier", "pro_rata"),
                    ("peak_season.within_tier", "changed", "art-7.3", "first_come", "pro_rata")),
    "symposium": (lambda d: d["symposium"]["invitations"].__setitem__("lead_days", 21),
                  ("symposium.invitations.lead_days", "changed", "art-10", 30, 21)),
    "supply_watch": (lambda d: d["supply_watch"].__setitem__("lead_days", 21),
                     ("supply_watch.lead_days", "changed", "art-7.1", 14, 21)),
    "workflows": (lambda d: by_id(by_id(d["workflows"], "gift_request")["steps"], "finance_review").__setitem__("deadline_days", 2),
                  ("workflows[gift_request].steps[finance_review].deadline_days", "changed", "art-12", 3, 2)),
}


@pytest.mark.parametrize("section", list(SECTION_EDITS))
def test_a_change_in_each_section_is_reported_with_its_article(policy, section):
    edit, (path, kind, article, old, new) = SECTION_EDITS[section]
    candidate = edited(policy, edit)
    diff = policy.diff(candidate)
    [change] = diff.changes
    assert (change["section"], change["path"], change["kind"], change["article"]) == (
        section, path, kind, article)
    if old is not None or new is not None:
        assert (change["old"], change["new"]) == (old, new)
    assert path in diff.to_text() and f"`{path}`" in diff.to_markdown()
    assert len(candidate.diff(policy)) == 1  # and back


def test_the_diff_covers_every_section_of_the_format(policy):
    assert set(SECTION_EDITS) == set(policy.to_dict()) - {"$schema"}


def test_conditions_are_compared_after_parsing(policy):
    def reformat(d):
        c = by_id(d["criteria"], "art-5.1")
        c["condition"] = "  ( cumulative_amount )>\n(params.cumulative_amount_min)  "
        c["explain"]["target"] = "(params . cumulative_amount_min)"
        by_id(d["criteria"], "art-5.2")["condition"] = (
            "(monthly_shipments.trailing(x, (x > params.monthly_shipment_min))) >= "
            "params.consecutive_months")
        by_id(d["workflows"], "gift_request")["entry_condition"] = "((request.amount >= 0.0))"
    candidate = edited(policy, reformat)
    assert candidate.content_hash != policy.content_hash
    assert len(policy.diff(candidate)) == 0
    # A change of meaning is one: `>` to `>=`, 0.0 to 1.0, an operand order.
    for text in ("cumulative_amount >= params.cumulative_amount_min",
                 "params.cumulative_amount_min < cumulative_amount",
                 "cumulative_amount > params.cumulative_amount_min + 0.0"):
        other = edited(policy, lambda d: by_id(d["criteria"], "art-5.1").__setitem__("condition", text))
        assert [c["path"] for c in policy.diff(other).changes] == ["criteria[art-5.1].condition"]


def test_added_removed_and_reordered_items(policy):
    def edit(d):
        d["tiers"].insert(0, {"id": "strategic", "name": "Strategic", "name_zh": "战略客户",
                              "article": "art-4.1", "rule": {"all": ["art-4.1", "art-5.1"]}})
        d["complaints"]["categories"] = [c for c in d["complaints"]["categories"]
                                         if c["id"] != "other"]
        d["workflows"].reverse()
    candidate = edited(policy, edit)
    changes = [(c["path"], c["kind"], c["article"]) for c in policy.diff(candidate).changes]
    assert ("tiers[strategic]", "added", "art-4.1") in changes
    assert ("complaints.categories[other]", "removed", "art-8.2") in changes
    assert ("workflows", "reordered", "") in changes
    assert len(changes) == 3
    reordered = next(c for c in policy.diff(candidate).changes if c["kind"] == "reordered")
    assert reordered["new"] == [w["id"] for w in candidate.to_dict()["workflows"]]


def test_cli_diff_formats_and_schema(policy, tmp_path):
    candidate = edited(policy, SECTION_EDITS["parameters"][0])
    (tmp_path / "new.json").write_text(candidate.to_json(), encoding="utf-8")
    old = ROOT / "policies" / "key-account-policy.json"
    schema = json.loads((ROOT / "schema" / "diff-report.schema.json").read_text("utf-8"))
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    r = cli("diff", old, tmp_path / "new.json", "--format", "json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert not list(validator.iter_errors(report))
    assert report == policy.diff(candidate).to_dict()
    assert report["sections"] == {"parameters": 1}
    assert report["old"]["hash"] == policy.content_hash
    assert report["new"]["hash"] == candidate.content_hash
    r = cli("diff", old, tmp_path / "new.json", "--format", "markdown")
    assert "| changed | `parameters[monthly_shipment_min].value` | art-5.2 | `50` | `60` |" in \
        r.stdout.splitlines()
    r = cli("diff", old, "--set", "monthly_shipment_min=60", "--format", "json")
    assert json.loads(r.stdout)["changes"] == report["changes"]
    with_impact = cli("diff", old, tmp_path / "new.json", "--format", "json", "--customers",
                      "examples/customers.jsonl", "--as-of", AS_OF)
    assert with_impact.returncode == 0
    assert not list(validator.iter_errors(json.loads(with_impact.stdout)))


@pytest.mark.parametrize("args,words", [
    (["--set", "cumulative_amount_mn=1"], "did you mean `cumulative_amount_min`"),
    (["--set", "cumulative_amount_min"], "is not NAME=NUMBER"),
    (["--set", "consecutive_months=0"], "below its minimum 1"),
    (["--customers", "examples/customers.jsonl"], "--customers needs --as-of"),
    (["--set", "consecutive_months=4", "--fail-on-change"], "--fail-on-change needs --customers"),
    ([], "give the candidate policy file NEW"),
])
def test_cli_diff_usage_errors(args, words):
    r = cli("diff", "policies/key-account-policy.json", *args)
    assert r.returncode == 2, r.stderr
    assert words in r.stderr


# --- impact --------------------------------------------------------------------------------------

def test_impact_equals_classifying_with_each_policy(policy, generated):
    candidate = policy.with_parameters(cumulative_amount_min=650, monthly_shipment_min=40,
                                       new_customer_months=6)
    df = pd.DataFrame.from_records(generated)
    old = keyaccount.classify(df, AS_OF, policy=policy)["tier"].astype(str)
    new = keyaccount.classify(df, AS_OF, policy=candidate)["tier"].astype(str)
    moved = old != new
    assert 50 < moved.sum() < len(df) - 50  # the edit moves customers both ways
    assert (old[moved] == "key").any() and (old[moved] == "regular").any()

    changed, crosstab = keyaccount.compare(df, AS_OF, policy, candidate)
    assert list(changed.index) == list(df.index[moved])
    assert list(changed["id"]) == list(df["id"][moved])
    assert list(changed["old_tier"]) == list(old[moved])
    assert list(changed["new_tier"]) == list(new[moved])
    expected = pd.crosstab(old, new).reindex(index=crosstab.index, columns=crosstab.columns,
                                             fill_value=0)
    assert (crosstab.values == expected.values).all()
    # The flipped criteria are those whose outcome differs in the two explanations.
    for i in list(df.index[moved])[:40]:
        record = generated[i]
        a = policy.classify(record, AS_OF)
        b = candidate.classify(record, AS_OF)
        flipped = [c["id"] for c in b.criteria if a.criterion(c["id"])["result"] != c["result"]]
        assert changed.loc[i, "flipped"] == flipped
        assert changed.loc[i, "new_why_not"] == "; ".join(
            f"{c}: {b.criterion(c)['why_not']}" for c in flipped if b.criterion(c).get("why_not"))
        assert changed.loc[i, "old_why_not"] == "; ".join(
            f"{c}: {a.criterion(c)['why_not']}" for c in flipped if a.criterion(c).get("why_not"))
    # The frame's columns come from the C++ report directly, the report dict from its JSON: the
    # two say the same of every changed customer.
    report = keyaccount.compare(df, AS_OF, policy, candidate).report
    assert len(report["changes"]) == len(changed)
    for (label, row), change in zip(changed.iterrows(), report["changes"]):
        assert (label, row["id"], row["old_tier"], row["new_tier"]) == (
            df.index[change["row"]], change["id"], change["old_tier"], change["new_tier"])
        assert row["flipped"] == [f["id"] for f in change["criteria"]]
        for side in ("old_why_not", "new_why_not"):
            assert row[side] == "; ".join(f"{f['id']}: {f[side]}" for f in change["criteria"]
                                          if f.get(side))

    # The command line reads the same customers from a file and finds the same.
    with tempfile.TemporaryDirectory() as tmp:
        customers = Path(tmp) / "customers.jsonl"
        customers.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in generated),
                             encoding="utf-8")
        (Path(tmp) / "new.json").write_text(candidate.to_json(), encoding="utf-8")
        r = cli("diff", "policies/key-account-policy.json", Path(tmp) / "new.json",
                "--customers", customers, "--as-of", AS_OF, "--format", "json",
                "--fail-on-change")
    assert r.returncode == 1, r.stderr  # customers change tier
    impact = json.loads(r.stdout)["impact"]
    assert impact["customers"] == len(df) and impact["failed"] == 0
    assert [c["id"] for c in impact["changes"]] == list(df["id"][moved])
    assert {(m["from"], m["to"]): m["count"] for m in impact["matrix"]} == {
        (a, b): int(crosstab.loc[a, b]) for a in crosstab.index for b in crosstab.columns
        if crosstab.loc[a, b] > 0}
    assert impact == {**keyaccount.compare(df, AS_OF, policy, candidate).report}


def test_a_neutral_edit_passes_the_gate(policy, tmp_path):
    neutral = edited(policy, lambda d: by_id(d["articles"], "art-1").__setitem__("title", "Aim"))
    (tmp_path / "new.json").write_text(neutral.to_json(), encoding="utf-8")
    r = cli("diff", "policies/key-account-policy.json", tmp_path / "new.json", "--customers",
            "examples/customers.jsonl", "--as-of", AS_OF, "--fail-on-change")
    assert r.returncode == 0, r.stderr
    assert "Impact on 300 customers as of 2026-06-30: 0 customers change tier" in r.stdout
    changed, crosstab = keyaccount.compare(pd.read_json(EX / "customers.jsonl", lines=True),
                                           AS_OF, policy, neutral)
    assert changed.empty and int(crosstab.values.sum()) == 300


def test_compare_refuses_different_schemas_and_bad_rows(policy):
    other = edited(policy, lambda d: d["customer_schema"]["fields"].append(
        {"id": "region", "type": "string", "required": False, "name": "Region"}))
    df = pd.read_json(EX / "customers.jsonl", lines=True)
    with pytest.raises(ValueError, match="different customer schemas"):
        keyaccount.compare(df, AS_OF, policy, other)
    bad = df.copy()
    bad["cumulative_amount"] = bad["cumulative_amount"].astype(object)
    bad.loc[3, "cumulative_amount"] = "lots"
    bad.index = [f"r{i}" for i in range(len(bad))]  # a label, so a position cannot pass for it
    with pytest.raises(keyaccount.InputError,
                       match=f"index 'r3' \\(id {bad.loc['r3', 'id']}\\): cumulative_amount"):
        keyaccount.compare(bad, AS_OF, policy, policy)
    with pytest.raises(keyaccount.InputError, match="index 'r3'"):
        keyaccount.sweep(bad, AS_OF, "cumulative_amount_min", [400, 500])
    with pytest.raises(TypeError):
        keyaccount.compare("customers.jsonl", AS_OF, policy, policy)


def test_compare_on_error_is_the_cli_diff_on_error(policy):
    """on_error= is `diff --on-error` (issue 17 item 11): "raise" (the CLI's fail) stops at a bad
    value or at a customer a policy cannot evaluate, naming the customer; "skip" leaves both
    out, counts them as failed and lists each located."""
    # Art. 5.1 reading the twelfth month: an error for a two-month series where Art. 4 holds.
    candidate = edited(policy, lambda d: by_id(d["criteria"], "art-5.1").__setitem__(
        "condition", "monthly_shipments[11] > 1.0"))
    df = pd.read_json(EX / "customers.jsonl", lines=True)
    df.index = [f"r{i}" for i in range(len(df))]  # labels, so a position cannot pass for one
    short = ["r5", "r17", "r40"]
    for label in short:
        df.at[label, "category"] = "government"
        df.at[label, "monthly_shipments"] = [1.0, 1.0]
    # Each policy on its own: the candidate fails there (and on the samples' own short series),
    # the baseline nowhere.
    alone = keyaccount.classify(df, AS_OF, policy=candidate, on_error="skip")
    failing = [label for label in alone.index[alone["error"].fillna("") != ""] if label != "r3"]
    assert set(short) <= set(failing)
    assert (keyaccount.classify(df, AS_OF, policy=policy)["tier"] != "").all()

    with pytest.raises(keyaccount.EvaluationError) as raised:
        keyaccount.compare(df, AS_OF, policy, candidate)
    first = failing[0]
    assert f"index {first!r}" in str(raised.value) and df.at[first, "id"] in str(raised.value)
    assert "art-5.1" in str(raised.value)

    bad = df.copy()
    bad["cumulative_amount"] = bad["cumulative_amount"].astype(object)
    bad.at["r3", "cumulative_amount"] = "lots"
    comparison = keyaccount.compare(bad, AS_OF, policy, candidate, on_error="skip")
    changed, crosstab = comparison
    skipped = changed.attrs["skipped"]
    assert comparison.report["failed"] == len(skipped) == 1 + len(failing)
    assert skipped[0].startswith("index 'r3'") and "cumulative_amount" in skipped[0]
    assert [s.split(" ")[1] for s in skipped[1:]] == [repr(label) for label in failing]
    assert all("candidate policy: art-5.1" in s for s in skipped[1:])
    assert comparison.report["customers"] == len(df) - len(skipped) == int(crosstab.values.sum())
    # The customers left are compared as without the bad ones.
    kept = bad.drop(index=["r3", *failing])
    kept["cumulative_amount"] = kept["cumulative_amount"].astype(float)
    expected, expected_crosstab = keyaccount.compare(kept, AS_OF, policy, candidate)
    assert list(changed.index) == list(expected.index)
    assert list(changed["new_tier"]) == list(expected["new_tier"])
    assert crosstab.equals(expected_crosstab)
    with pytest.raises(keyaccount.ArgumentError, match="on_error"):
        keyaccount.compare(df, AS_OF, policy, candidate, on_error="fail")


# --- sweep ---------------------------------------------------------------------------------------

def test_sweep_equals_classifying_once_per_value(policy, generated):
    df = pd.DataFrame.from_records(generated)
    values = [300, 500, 500.5, 700, 1000]
    curve = keyaccount.sweep(df, AS_OF, "cumulative_amount_min", values, changes=True)
    assert list(curve.index) == values and curve.index.name == "cumulative_amount_min"
    previous = None
    for value in values:
        tiers = keyaccount.classify(df, AS_OF, policy=policy.with_parameters(
            cumulative_amount_min=value))["tier"].astype(str)
        assert curve.loc[value, "key"] == (tiers == "key").sum()
        assert curve.loc[value, "regular"] == (tiers == "regular").sum()
        assert curve.loc[value, "failed"] == 0
        expected = [] if previous is None else list(df["id"][tiers != previous])
        assert curve.loc[value, "changed"] == expected
        previous = tiers
    assert curve["key"].is_monotonic_decreasing  # a higher threshold never promotes
    assert curve["key"].iloc[0] > curve["key"].iloc[-1]
    assert curve.attrs["provenance"]["policy_hash"] == policy.content_hash


def test_sweep_refuses_an_unknown_parameter_or_a_value_out_of_range(policy):
    df = pd.read_json(EX / "customers.jsonl", lines=True)
    with pytest.raises(keyaccount.PolicyError, match="did you mean `consecutive_months`"):
        keyaccount.sweep(df, AS_OF, "consecutive_month", [1, 2])
    with pytest.raises(keyaccount.PolicyError, match="below its minimum 1"):
        keyaccount.sweep(df, AS_OF, "consecutive_months", [1, 0])
    assert list(keyaccount.sweep(df, AS_OF, "consecutive_months", [])["key"]) == []
