#!/usr/bin/env python3
"""Regenerates the corpus of broken policies in tests/data/invalid/ and its manifest.

Each case starts from the default policy (policies/key-account-policy.json) or from a small
hand-written text, places one deliberate defect, and computes the expected diagnostic's
line:column *from where it placed the defect* (never from the tool's output):

* line is 1-based; column is 1-based and counts Unicode code points;
* a value's position is its first character (the opening quote of a string, the `{` of an
  object, the first digit of a number);
* unknown_field and duplicate_key point at the opening quote of the key;
* missing_field points at the `{` of the object lacking the member;
* syntax errors point at the offending byte: the first byte of an unexpected token, or the byte
  where the lexer gave up inside a token (at end of input: one past the last character).

As a self-check, every expected value position is re-parsed with Python's json module and
compared with the value the JSON pointer names, so a wrong offset or pointer fails here.

Usage: python3 tests/tools/make_invalid_corpus.py   (rewrites tests/data/invalid/)
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "data" / "invalid"
DEFAULT = (ROOT / "policies" / "key-account-policy.json").read_text(encoding="utf-8")

MAX_BYTES = 4 << 20          # parse_limits::max_bytes
MAX_DEPTH = 64               # parse_limits::max_depth
MAX_ELEMENTS = 200_000       # parse_limits::max_elements
MAX_STRING_BYTES = 64 << 10  # parse_limits::max_string_bytes
MAX_EXPRESSION = 4096        # load_options::max_expression_length


# ---------------------------------------------------------------------------------------------
# Text helpers


def replace_once(text: str, old: str, new: str) -> str:
    count = text.count(old)
    if count != 1:
        raise SystemExit(f"expected exactly one {old!r} in the text, found {count}")
    return text.replace(old, new, 1)


def at(text: str, before: str, target: str = "") -> int:
    """Offset of `target` in the one place where `before + target` occurs."""
    needle = before + target
    count = text.count(needle)
    if count != 1:
        raise SystemExit(f"expected exactly one {needle!r} in the text, found {count}")
    return text.index(needle) + len(before)


def line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def pointer(*tokens) -> str:
    return "".join("/" + escape(str(t)) for t in tokens)


def resolve(doc, ptr: str):
    value = doc
    for raw in ptr.split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        value = value[int(token)] if isinstance(value, list) else value[token]
    return value


def index_of(items: list, id_: str, nth: int = 0) -> int:
    hits = [i for i, x in enumerate(items) if isinstance(x, dict) and x.get("id") == id_]
    return hits[nth]


# ---------------------------------------------------------------------------------------------
# Cases

CASES: list[dict] = []


def case(name: str, description: str, text, diagnostics: list[dict], *, loads: bool = False,
         self_check: bool = True, source: str | None = None) -> None:
    """Registers a case. Each diagnostic: code, pointer, offset (into `text`), optional
    severity ("error") and message_contains; kind "value" (default), "key" or "none" says
    what the self-check compares."""
    CASES.append(dict(name=name, description=description, text=text, diagnostics=diagnostics,
                      loads=loads, self_check=self_check, source=source))


def d(code: str, ptr: str, offset: int, *, kind: str = "value", severity: str = "error",
      message_contains: str | None = None) -> dict:
    out = dict(code=code, pointer=ptr, offset=offset, kind=kind, severity=severity)
    if message_contains:
        out["message_contains"] = message_contains
    return out


def doc_of(text: str):
    return json.loads(text)


T0 = DEFAULT
D0 = doc_of(DEFAULT)
ARTICLES = D0["articles"]
POSITIONS = D0["organization"]["positions"]
CRITERIA = D0["criteria"]
WORKFLOWS = D0["workflows"]
ACTIVITIES = D0["activities"]
PARAMS = D0["parameters"]


def build_cases() -> None:
    # ---- syntax and limits ------------------------------------------------------------------
    t = replace_once(T0, '"number": "KA-CR-001",', '"number": "KA-CR-001"')
    case("syntax-missing-comma", "a comma between two members is missing: the next key is the "
         "unexpected token", t,
         [d("syntax_error", "", at(t, '"number": "KA-CR-001"\n    ', '"version"'), kind="none")])

    t = replace_once(T0, '"2030-10-01"] }', '"2030-10-01",] }')
    case("syntax-trailing-comma", "a trailing comma before `]` (JSON has none)", t,
         [d("syntax_error", "", at(t, '"2030-10-01",', "]"), kind="none")])

    cut = at(T0, '"text_zh": "本办法适用于公司所有重点', "客户")
    t = T0[:cut]
    case("syntax-truncated-in-string", "the file ends in the middle of a Chinese string (an "
         "interrupted copy); the column counts code points, not bytes", t,
         [d("syntax_error", "", len(t), kind="none", message_contains="missing closing quote")])

    cut = at(T0, '"peak_season": {\n    "article": "art-7.3",\n', "")
    t = T0[:cut]
    case("syntax-truncated-between-members", "the file ends after a comma, between two members",
         t, [d("syntax_error", "", len(t), kind="none", message_contains="end of input")])

    t = replace_once(T0, '"reports_to": null', '"reports_to": nul')
    case("syntax-invalid-literal", "`nul` is not a JSON literal: the lexer gives up at the comma "
         "after it", t,
         [d("syntax_error", "", at(t, '"reports_to": nul', ","), kind="none")])

    t = replace_once(T0, '"max_age_days": 180', "'max_age_days': 180")
    case("syntax-single-quotes", "single-quoted key (JSON needs double quotes)", t,
         [d("syntax_error", "", at(t, '"contacts"], ', "'max_age_days'"), kind="none")])

    t = replace_once(T0, '"name": "Customer Relations Dept.", "name_zh": "客户关系部"',
                     '"name": "Customer Relations\nDept.", "name_zh": "客户关系部"')
    case("syntax-raw-newline-in-string", "a line break inside a string must be written \\n", t,
         [d("syntax_error", "", at(t, '"name": "Customer Relations', "\n"), kind="none",
            message_contains="control character")])

    t = T0 + '\n{ "format_version": "1.0" }\n'
    case("syntax-two-documents", "a second JSON document after the first", t,
         [d("syntax_error", "", len(T0) + 1, kind="none", message_contains="end of input")])

    t = ""
    case("syntax-empty-file", "an empty file", t, [d("syntax_error", "", 0, kind="none")])

    # Invalid UTF-8: the first byte of "客" in 客户关系部 replaced by 0xFF.
    anchor = '{ "id": "customer_relations", "name": "Customer Relations Dept.", "name_zh": "'
    off = at(T0, anchor, "客户关系部")
    data = T0[:off].encode() + b"\xff" + T0[off].encode()[1:] + T0[off + 1:].encode()
    case("syntax-invalid-utf8", "a byte 0xFF inside a string (not UTF-8: e.g. a GBK file "
         "damaged in transit)", data,
         [d("syntax_error", "", off, kind="none", message_contains="UTF-8")], self_check=False,
         source=T0)

    t = replace_once(T0, '"format_version": "1.0",',
                     '"format_version": "1.0",\n  "format_version": "1.0",')
    case("duplicate-key", "`format_version` appears twice in the same object", t,
         [d("duplicate_key", "/format_version",
            at(t, '"format_version": "1.0",\n  ', '"format_version"'), kind="key")])

    depth = MAX_DEPTH + 6
    t = '{\n  "format_version": "1.0",\n  "x-deep": ' + "[" * depth + "]" * depth + "\n}\n"
    # The root object is level 1, so the array at level MAX_DEPTH + 1 is the first too deep:
    # the (MAX_DEPTH)th array.
    first = t.index("[")
    case("nesting-too-deep", f"{depth} nested arrays (the limit is {MAX_DEPTH} levels)", t,
         [d("nesting_too_deep", "/x-deep" + "/0" * (MAX_DEPTH - 1), first + MAX_DEPTH - 1,
            kind="none")], self_check=False)

    count = MAX_ELEMENTS
    lines = ["[" + ",".join(["0"] * 100)] + ["," + ",".join(["0"] * 100)] * (count // 100 - 1)
    t = '{\n  "format_version": "1.0",\n  "x-big": ' + "\n".join(lines) + "]\n}\n"
    # Values counted: the root object (1), "1.0" (2), the array (3), then the zeros; the one
    # that makes MAX_ELEMENTS + 1 is zero number MAX_ELEMENTS - 2 (1-based), index
    # MAX_ELEMENTS - 3.
    index = MAX_ELEMENTS - 3
    line0 = t.count("\n", 0, t.index("[")) + 1  # line of the first zero
    row, col = divmod(index, 100)
    line_text_start = [i for i, c in enumerate(t) if c == "\n"][line0 - 2 + row] + 1
    offset = line_text_start + 1 + 2 * col
    assert t[offset] == "0" and t[offset - 1] in "[,"
    case("too-many-elements", f"an extension array of {count} numbers: more than "
         f"{MAX_ELEMENTS} values in the document", t,
         [d("too_many_elements", f"/x-big/{index}", offset, kind="none")], self_check=False)

    long_text = "x" * (MAX_STRING_BYTES + 1)
    t = replace_once(T0, '"format_version": "1.0",',
                     '"format_version": "1.0",\n  "$comment": "' + long_text + '",')
    case("string-too-long", f"a string of {MAX_STRING_BYTES + 1} bytes (the limit is "
         f"{MAX_STRING_BYTES})", t,
         [d("string_too_long", "/$comment", at(t, '"$comment": ', '"x'), kind="none")],
         self_check=False)

    long_key = "x-" + "k" * (MAX_STRING_BYTES - 1)
    t = '{\n  "format_version": "1.0",\n  "' + long_key + '": 1\n}\n'
    case("key-too-long", f"a member name of {len(long_key)} bytes: a key is a string too; the "
         "pointer names the object holding it (the key itself is too long to quote)", t,
         [d("string_too_long", "", t.index('"x-'), kind="none")], self_check=False)

    # file_too_large needs a file over 4 MiB: too big to commit, so the tests build it in
    # memory (tests/cpp/policy/test_invalid_policies.cpp, tests/python/policy/test_invalid_policies.py).

    t = "[\n" + T0 + "]\n"
    case("root-not-an-object", "the policy wrapped in an array", t,
         [d("wrong_type", "", 0)])

    # ---- structure: types, required and unknown members, enumerations, ranges ---------------
    t = replace_once(T0, '"art-1", "chapter": 1,', '"art-1", "chapter": "1",')
    case("wrong-type-chapter", "a chapter number written as a string", t,
         [d("wrong_type", pointer("articles", 0, "chapter"), at(t, '"art-1", "chapter": ', '"1"'))])

    i = index_of(POSITIONS, "cs_manager")
    t = replace_once(T0, '"reports_to": "general_manager", "headcount": 1,',
                     '"reports_to": "general_manager", "headcount": 1.5,')
    case("wrong-type-headcount", "a headcount must be a whole number", t,
         [d("wrong_type", pointer("organization", "positions", i, "headcount"),
            at(t, '"headcount": ', "1.5"))])

    t = replace_once(T0, '"ownership": {\n    "article": "art-6.2",\n    "tiers": ["key"],',
                     '"ownership": {\n    "article": "art-6.2",\n    "tiers": "key",')
    case("wrong-type-list-as-string", "a list of tiers written as a single string", t,
         [d("wrong_type", "/ownership/tiers", at(t, '"art-6.2",\n    "tiers": ', '"key"'))])

    i = index_of(WORKFLOWS, "gift_request")
    t = replace_once(T0, '"separation_of_duties": true,\n      "steps": [\n        { "id": "finance_review"',
                     '"separation_of_duties": "yes",\n      "steps": [\n        { "id": "finance_review"')
    case("wrong-type-boolean", "separation_of_duties written as \"yes\"", t,
         [d("wrong_type", pointer("workflows", i, "separation_of_duties"),
            at(t, '"separation_of_duties": ', '"yes"'))])

    t = replace_once(T0, '"number": "KA-CR-001",\n    ', "")
    case("missing-field-document-number", "the document block lacks its number (制度编号)", t,
         [d("missing_field", "/document", at(t, '"document": ', "{"),
            message_contains="`number`")])

    i = index_of(CRITERIA, "art-4.1")
    t = replace_once(T0, '{ "id": "art-4.1", "article": "art-4.1", "name": "Strategic category", ',
                     '{ "id": "art-4.1", "article": "art-4.1", ')
    case("missing-field-criterion-name", "a criterion without its name", t,
         [d("missing_field", pointer("criteria", i), at(t, '"criteria": [\n    ', "{"),
            message_contains="`name`")])

    t = replace_once(T0, '    { "id": "regular", "name": "Regular customer", "name_zh": "普通客户", "fallback": true }',
                     '    { "id": "regular", "name": "Regular customer", "name_zh": "普通客户" }')
    case("missing-field-tier-rule", "a tier with neither a rule nor \"fallback\": true (the "
         "policy then also has no fallback tier)", t,
         [d("missing_field", "/tiers/1", at(t, '"art-5"] } },\n    ', "{"),
            message_contains="rule"),
          d("missing_fallback", "/tiers/1", at(t, '"art-5"] } },\n    ', "{"))])

    i = index_of(WORKFLOWS, "gift_request")
    t = replace_once(T0, '"mode": "one_of", "deadline_days": 3,', '"mode": "one_of", "deadline_day": 3,')
    case("unknown-field-typo", "`deadline_day` for `deadline_days`: the message suggests the "
         "right name", t,
         [d("unknown_field", pointer("workflows", i, "steps", 0, "deadline_day"),
            at(t, '"one_of", ', '"deadline_day"'), kind="key",
            message_contains="deadline_days")])

    t = replace_once(T0, '"peak_season": {', '"peak_seasons": {')
    case("unknown-field-section", "a misspelt top-level section", t,
         [d("unknown_field", "/peak_seasons", at(t, "  ", '"peak_seasons"'), kind="key",
            message_contains="peak_season")])

    t = replace_once(T0, '"name_zh": "示例公司重点客户关系维护办法",',
                     '"name_zh": "示例公司重点客户关系维护办法",\n    "name/en": "Key Customer Relationship Maintenance Measures",')
    case("unknown-field-escaped-pointer", "an unknown member whose name holds a `/`: the JSON "
         "pointer escapes it as ~1 (RFC 6901)", t,
         [d("unknown_field", "/document/name~1en", at(t, "    ", '"name/en"'), kind="key")])

    t = replace_once(T0, '"controlled_status": "controlled"', '"controlled_status": "controled"')
    case("invalid-value-controlled-status", "受控状态 must be controlled or uncontrolled", t,
         [d("invalid_value", "/document/controlled_status",
            at(t, '"controlled_status": ', '"controled"'), message_contains="controlled")])

    i = index_of(PARAMS, "consecutive_months")
    t = replace_once(T0, '{ "id": "consecutive_months", "type": "int",',
                     '{ "id": "consecutive_months", "type": "integer",')
    case("invalid-value-parameter-type", "a parameter's type is number or int", t,
         [d("invalid_value", pointer("parameters", i, "type"),
            at(t, '"consecutive_months", "type": ', '"integer"'))])

    i = index_of(WORKFLOWS, "proposal_review")
    t = replace_once(T0, '"mode": "all_of"', '"mode": "any_of"')
    case("invalid-value-approval-mode", "approval modes are one_of, all_of and quorum", t,
         [d("invalid_value", pointer("workflows", i, "steps", 1, "mode"),
            at(t, '"mode": ', '"any_of"'))])

    i = index_of(ACTIVITIES, "regular_visit")
    t = replace_once(T0, '"cadence": { "every_days": 30 }', '"cadence": { "every_days": 30, "every_months": 1 }')
    case("invalid-value-cadence", "a cadence with two kinds of schedule", t,
         [d("invalid_value", pointer("activities", i, "cadence"),
            at(t, '"cadence": ', '{ "every_days": 30, "every_months": 1 }'))])

    i = index_of(CRITERIA, "art-5")
    t = replace_once(T0, '"any": ["art-5.1", "art-5.2", "art-5.3"]',
                     '"any": ["art-5.1", "art-5.2", "art-5.3"], "condition": "true"')
    case("invalid-value-criterion-both", "a criterion with both a condition and a combination", t,
         [d("invalid_value", pointer("criteria", i), at(t, "    ", '{ "id": "art-5", "article"'))])

    i = index_of(WORKFLOWS, "gift_request")
    t = replace_once(T0, '"approvers": ["finance_reviewer"], "mode": "one_of", "deadline_days": 3,',
                     '"approvers": ["finance_reviewer"], "mode": "one_of", "deadline_days": -1,')
    case("out-of-range-deadline", "a negative deadline", t,
         [d("out_of_range", pointer("workflows", i, "steps", 0, "deadline_days"),
            at(t, '"deadline_days": ', "-1"))])

    t = replace_once(T0, '"demote_after_failures": 2', '"demote_after_failures": 0')
    case("out-of-range-demote", "demotion needs at least one failing evaluation", t,
         [d("out_of_range", "/dynamic_management/demote_after_failures",
            at(t, '"demote_after_failures": ', "0"))])

    t = replace_once(T0, '"max_accounts_per_owner": 15', '"max_accounts_per_owner": 18446744073709551615')
    case("out-of-range-huge-integer", "an integer beyond 64-bit signed range (it must be "
         "reported as written, not wrapped round)", t,
         [d("out_of_range", "/ownership/max_accounts_per_owner",
            at(t, '"max_accounts_per_owner": ', "18446744073709551615"),
            message_contains="18446744073709551615")])

    t = replace_once(T0, '"effective_on": "2026-02-01"', '"effective_on": "2026-02-30"')
    case("invalid-date-no-such-day", "30 February", t,
         [d("invalid_date", "/document/effective_on", at(t, '"effective_on": ', '"2026-02-30"'))])

    i = index_of(D0["calendars"]["festivals"], "new_year")
    t = replace_once(T0, '"dates": ["2026-01-01",', '"dates": ["2026/01/01",')
    case("invalid-date-format", "a festival date written with slashes", t,
         [d("invalid_date", pointer("calendars", "festivals", i, "dates", 0),
            at(t, '"dates": [', '"2026/01/01"'))])

    t = replace_once(T0, '{ "from": "06-01", "to": "06-30" }', '{ "from": "06-01", "to": "06-31" }')
    case("invalid-date-day-of-year", "a peak-season period ending on 31 June", t,
         [d("invalid_date", "/peak_season/periods/1/to", at(t, '"from": "06-01", "to": ', '"06-31"'))])

    i = index_of(PARAMS, "cumulative_amount_min")
    t = replace_once(T0, '"type": "number", "value": 500,', '"type": "number", "value": "____",')
    case("unfilled-threshold-blank", "the Art. 5.1 threshold left as the template's blank ____", t,
         [d("unfilled_threshold", pointer("parameters", i, "value"), at(t, '"value": ', '"____"'),
            message_contains="art-5.1")])

    i = index_of(PARAMS, "new_customer_monthly_min")
    t = replace_once(T0, '"type": "number", "value": 30,', '"type": "number", "value": null,')
    case("unfilled-threshold-null", "the Art. 5.3 threshold left empty (null)", t,
         [d("unfilled_threshold", pointer("parameters", i, "value"), at(t, '"value": ', "null"))])

    t = replace_once(T0, '"approved_on": "2026-01-15"', '"approved_on": "____"')
    case("unfilled-field-approval-date", "the approval date (批准日期) still blank", t,
         [d("unfilled_field", "/document/approved_on", at(t, '"approved_on": ', '"____"'))])

    t = replace_once(T0, '"format_version": "1.0"', '"format_version": "2.0"')
    case("unsupported-format-version", "a future major version", t,
         [d("unsupported_format_version", "/format_version", at(t, '"format_version": ', '"2.0"'))])

    i = index_of(CRITERIA, "art-5.1")
    old = '"condition": "cumulative_amount > params.cumulative_amount_min",'
    clause = " && cumulative_amount > 0.0"
    long_condition = "cumulative_amount > params.cumulative_amount_min" + clause * (
        MAX_EXPRESSION // len(clause) + 1)
    t = replace_once(T0, old, '"condition": "' + long_condition + '",')
    case("expression-too-long", f"a condition longer than {MAX_EXPRESSION} bytes", t,
         [d("expression_too_long", pointer("criteria", i, "condition"),
            at(t, '"condition": ', '"cumulative_amount > params.cumulative_amount_min &&'))])

    # ---- meaning: ids and references ------------------------------------------------------------
    line = next(l for l in T0.splitlines(keepends=True) if '{ "id": "art-14"' in l)
    t = replace_once(T0, line, line.replace(" }\n", " },\n") + line)
    n = len(ARTICLES)
    case("duplicate-id-article", "art-14 declared twice", t,
         [d("duplicate_id", pointer("articles", n, "id"),
            t.index('"art-14"', t.index('"art-14"') + 1), message_contains="/articles/" + str(n - 1))])

    i = index_of(WORKFLOWS, "gift_request")
    t = replace_once(T0, '{ "id": "gm_approval",', '{ "id": "finance_review",')
    case("duplicate-id-step", "two steps of one workflow with the same id", t,
         [d("duplicate_id", pointer("workflows", i, "steps", 1, "id"),
            at(t, '"deadline_days": 3, "escalation": "superior" },\n        { "id": ', '"finance_review"'))])

    t = replace_once(T0, '"executing_department": "customer_service"', '"executing_department": "customer_services"')
    case("undefined-department", "执行部门 names a department that is not declared", t,
         [d("undefined_department", "/document/executing_department",
            at(t, '"executing_department": ', '"customer_services"'), message_contains="customer_service`")])

    i = index_of(WORKFLOWS, "gift_request")
    t = replace_once(T0, '"approvers": ["finance_reviewer"]', '"approvers": ["finance"]')
    case("undefined-position", "an approver names the finance department, not a position", t,
         [d("undefined_position", pointer("workflows", i, "steps", 0, "approvers", 0),
            at(t, '"approvers": [', '"finance"'), message_contains="finance_reviewer")])

    t = replace_once(T0, '"tiers": ["key"],\n    "owner_position"', '"tiers": ["vip"],\n    "owner_position"')
    case("undefined-tier", "ownership applies to an undeclared tier", t,
         [d("undefined_tier", "/ownership/tiers/0", at(t, '"tiers": [', '"vip"'))])

    i = index_of(ACTIVITIES, "holiday_gift")
    t = replace_once(T0, '"workflow": "gift_request" }', '"workflow": "gift_requests" }')
    case("undefined-workflow", "an activity starts an undeclared workflow", t,
         [d("undefined_workflow", pointer("activities", i, "workflow"),
            at(t, '"workflow": ', '"gift_requests"'))])

    t = replace_once(T0, '"required_fields": ["updated_on", "address", "contacts"]',
                     '"required_fields": ["updated_on", "address", "email"]')
    case("undefined-field", "the profile card requires a field the customer schema lacks", t,
         [d("undefined_field", "/dynamic_management/profile_card/required_fields/2",
            at(t, '"address", ', '"email"'))])

    i = index_of(PARAMS, "new_customer_monthly_min")
    t = replace_once(T0, '"unit": "万元", "article": "art-5.3", "name": "New',
                     '"unit": "万元", "article": "art-5.4", "name": "New')
    case("undefined-article", "a parameter cites article 5.4, which does not exist", t,
         [d("undefined_article", pointer("parameters", i, "article"), at(t, '"article": ', '"art-5.4"'))])

    t = replace_once(T0, '"rule": { "all": ["art-4", "art-5"] }', '"rule": { "all": ["art-4", "art-6"] }')
    warn_art5 = index_of(CRITERIA, "art-5")
    case("undefined-criterion", "a tier rule names art-6 (a principle, not a criterion); "
         "art-5 and its parts are then unused", t,
         [d("undefined_criterion", "/tiers/0/rule/all/1", at(t, '"art-4", ', '"art-6"')),
          d("unused_criterion", pointer("criteria", warn_art5, "id"),
            at(t, '{ "id": ', '"art-5", "article": "art-5", "name": "Classification'),
            severity="warning")])

    i = index_of(ACTIVITIES, "holiday_gift")
    t = replace_once(T0, '"festivals": ["spring_festival", "mid_autumn"]',
                     '"festivals": ["spring_festival", "lantern_festival"]')
    case("undefined-festival", "a festival that is not in the calendar", t,
         [d("undefined_festival", pointer("activities", i, "cadence", "festivals", 1),
            at(t, '"spring_festival", ', '"lantern_festival"'))])

    # ---- meaning: structure of the organization, criteria and tiers ----------------------------
    i = index_of(POSITIONS, "general_manager")
    t = replace_once(T0, '"reports_to": null', '"reports_to": "cr_specialist"')
    case("reporting-cycle", "the General Manager reports to a specialist: escalation goes round "
         "in a circle", t,
         [d("reporting_cycle", pointer("organization", "positions", i, "reports_to"),
            at(t, '"reports_to": ', '"cr_specialist"'))])

    t = replace_once(T0, '"all": ["art-4.1", "art-4.2"] }', '"all": ["art-4.1", "art-4.2", "art-5"] }')
    t = replace_once(t, '"any": ["art-5.1", "art-5.2", "art-5.3"] }', '"any": ["art-5.1", "art-5.2", "art-5.3", "art-4"] }')
    i = index_of(CRITERIA, "art-4")
    case("criterion-cycle", "art-4 requires art-5 and art-5 accepts art-4", t,
         [d("criterion_cycle", pointer("criteria", i), at(t, "    ", '{ "id": "art-4", "article"'))])

    t = replace_once(T0, '"name_zh": "普通客户", "fallback": true }',
                     '"name_zh": "普通客户", "rule": { "all": ["art-4.1"] } }')
    case("missing-fallback", "every tier has a rule: customers meeting none have no tier", t,
         [d("missing_fallback", "/tiers/1", at(t, "    ", '{ "id": "regular"'))])

    key_line = '    { "id": "key", "name": "Key customer", "name_zh": "重点客户", "article": "art-4", "rule": { "all": ["art-4", "art-5"] } },\n'
    regular_line = '    { "id": "regular", "name": "Regular customer", "name_zh": "普通客户", "fallback": true }\n'
    t = replace_once(T0, key_line + regular_line,
                     regular_line.replace(" }\n", " },\n") + key_line.replace(" },\n", " }\n"))
    case("unreachable-tier", "the fallback tier listed first: the key tier can never be chosen", t,
         [d("unreachable_tier", "/tiers/1", at(t, "    ", '{ "id": "key"'))])

    t = replace_once(T0, '"article": "art-4", "rule": { "all": ["art-4", "art-5"] } },',
                     '"article": "art-4", "fallback": true, "rule": { "all": ["art-4", "art-5"] } },')
    case("invalid-value-fallback-with-rule", "a tier that is both the fallback and has a rule "
         "(then two tiers claim to be the fallback)", t,
         [d("invalid_value", "/tiers/0", at(t, "    ", '{ "id": "key"')),
          d("invalid_value", "/tiers/1/fallback", at(t, '"普通客户", "fallback": ', "true"))])

    t = replace_once(T0, '{ "id": "id", "type": "string", "required": true, "name": "Customer id"',
                     '{ "id": "customer_id", "type": "string", "required": true, "name": "Customer id"')
    case("missing-id-field", "the customer schema has no field `id`", t,
         [d("missing_id_field", "/customer_schema/fields", at(t, '"fields": ', '[\n      { "id": "customer_id"'))])

    t = replace_once(T0, '{ "id": "id", "type": "string",', '{ "id": "id", "type": "int",')
    case("invalid-value-id-not-string", "the customer field `id` must be a string", t,
         [d("invalid_value", "/customer_schema/fields/0/type", at(t, '{ "id": "id", "type": ', '"int"'))])

    t = replace_once(T0, '{ "id": "address", "type": "string"', '{ "id": "updated_on", "type": "string"')
    case("duplicate-id-nested-field", "two fields of the profile card with the same id", t,
         [d("duplicate_id", "/customer_schema/fields/7/fields/1/id",
            at(t, '{ "id": ', '"updated_on", "type": "string"'))])

    # ---- meaning: document control -------------------------------------------------------------
    t = replace_once(T0, '"effective_on": "2026-02-01"', '"effective_on": "2026-01-10"')
    case("effective-before-approval", "in force before the General Manager signs (Art. 14)", t,
         [d("effective_before_approval", "/document/effective_on", at(t, '"effective_on": ', '"2026-01-10"'))])

    t = replace_once(T0, '"reviewed_on": "2026-01-12"', '"reviewed_on": "2026-01-02"')
    case("date-order-review", "reviewed before it was drafted", t,
         [d("date_order", "/document/reviewed_on", at(t, '"reviewed_on": ', '"2026-01-02"'))])

    t = replace_once(T0, '"approved_on": "2026-01-15",\n    "effective_on": "2026-02-01"',
                     '"approved_on": "2026-01-10",\n    "effective_on": "2026-02-01"')
    case("date-order-approval", "approved before it was reviewed", t,
         [d("date_order", "/document/approved_on", at(t, '"approved_on": ', '"2026-01-10"'))])

    rev = '"summary": "First issue: the template with its blank thresholds filled in (Art. 5) and defaults for the cadences the template leaves open." }'
    t = replace_once(T0, rev, rev + ',\n      { "mark": "A", "changes": 2, "date": "2026-03-01", "summary": "Thresholds revised." }')
    case("revision-not-increasing", "the second revision repeats mark A", t,
         [d("revision_not_increasing", "/document/revisions/1/mark", at(t, '{ "mark": ', '"A", "changes": 2'))])

    # ---- meaning: workflows --------------------------------------------------------------------
    i = index_of(WORKFLOWS, "policy_amendment")
    t = replace_once(T0, '"initiators": ["cs_manager"],', '"initiators": [],')
    case("workflow-no-actor", "nobody may submit an amendment", t,
         [d("workflow_no_actor", pointer("workflows", i, "initiators"), at(t, '"initiators": ', "[]"))])

    i = index_of(WORKFLOWS, "policy_amendment")
    step = '{ "id": "gm_signature", "name": "Signed and approved by the General Manager", "name_zh": "总经理签字批准", "article": "art-14", "approvers": ["general_manager"], "mode": "one_of", "deadline_days": 10 }'
    t = replace_once(T0, '"steps": [\n        ' + step + "\n      ] }", '"steps": [] }')
    case("workflow-no-steps", "an approval workflow without steps", t,
         [d("workflow_no_steps", pointer("workflows", i, "steps"), at(t, '"steps": ', "[] }\n  ]"))])

    i = index_of(WORKFLOWS, "gift_request")
    t = replace_once(T0, '"approvers": ["general_manager"], "mode": "one_of", "deadline_days": 5,',
                     '"approvers": ["general_manager"], "mode": "quorum", "quorum": 2, "deadline_days": 5,')
    case("workflow-cannot-complete-quorum", "a quorum of 2 among positions held by one person", t,
         [d("workflow_cannot_complete", pointer("workflows", i, "steps", 1, "quorum"),
            at(t, '"quorum": ', "2"))])

    i = index_of(WORKFLOWS, "policy_amendment")
    t = replace_once(T0, '"article": "art-14", "approvers": ["general_manager"]',
                     '"article": "art-14", "approvers": ["cs_manager"]')
    case("workflow-cannot-complete-separation", "the only requester is the only approver, "
         "which separation of duties forbids", t,
         [d("workflow_cannot_complete", pointer("workflows", i, "steps", 0, "approvers"),
            at(t, '"art-14", "approvers": ', '["cs_manager"]'))])

    # ---- encodings and line endings ------------------------------------------------------------
    t = replace_once(T0, '"pack_size": 1', '"pack_sizes": 1').replace("\n", "\r\n")
    case("crlf-unknown-field", "Windows line endings: lines still count from 1, the CR is not "
         "a column", t,
         [d("unknown_field", "/peak_season/pack_sizes", at(t, "    ", '"pack_sizes"'), kind="key")],
         self_check=True)

    t = "\ufeff" + replace_once(T0, '"within_tier": "first_come"', '"within_tier": "first_served"')
    case("bom-invalid-value", "a UTF-8 byte-order mark (accepted) and a bad enumeration value", t,
         [d("invalid_value", "/peak_season/within_tier", at(t, '"within_tier": ', '"first_served"'))])

    # ---- warnings: the policy loads, but `validate --strict` fails -----------------------------
    t = replace_once(T0, '"rule": { "all": ["art-4", "art-5"] }', '"rule": { "all": ["art-5"] }')
    case("warning-unused-criterion", "art-4 (and its parts) no longer used by any tier", t,
         [d("unused_criterion", pointer("criteria", index_of(CRITERIA, "art-4.1"), "id"),
            at(t, '{ "id": ', '"art-4.1", "article": "art-4.1", "name": "Strategic'), severity="warning"),
          d("unused_criterion", pointer("criteria", index_of(CRITERIA, "art-4.2"), "id"),
            at(t, '{ "id": ', '"art-4.2", "article": "art-4.2", "name": "Continuous'), severity="warning"),
          d("unused_criterion", pointer("criteria", index_of(CRITERIA, "art-4"), "id"),
            at(t, '{ "id": ', '"art-4", "article": "art-4", "name": "Characteristics'), severity="warning")],
         loads=True)

    last = '"article": "art-12", "name": "Gift value above which the General Manager approves", "name_zh": "需总经理批准的礼品金额" }'
    t = replace_once(T0, last, last + ',\n    { "id": "visit_budget", "type": "number", "value": 2000, "unit": "元", "article": "art-8", "name": "Visit budget" }')
    case("warning-unused-parameter", "a parameter no expression uses", t,
         [d("unused_parameter", pointer("parameters", len(PARAMS), "id"), at(t, '{ "id": ', '"visit_budget"'),
            severity="warning")], loads=True)

    i = index_of(WORKFLOWS, "gift_request")
    t = replace_once(T0, '"approvers": ["finance_reviewer"], "mode": "one_of",',
                     '"approvers": ["finance_reviewer"], "mode": "one_of", "quorum": 2,')
    case("warning-ignored-quorum", "`quorum` on a one_of step has no effect", t,
         [d("ignored_field", pointer("workflows", i, "steps", 0, "quorum"), at(t, '"quorum": ', "2"),
            severity="warning")], loads=True)

    t = replace_once(T0, '"number": "KA-CR-001"', '"number": "____"')
    case("warning-unfilled-number", "the policy number (制度编号) still the template's blank", t,
         [d("unfilled_field", "/document/number", at(t, '"number": ', '"____"'), severity="warning")],
         loads=True)


    # ---- expressions (CEL, type-checked against the customer schema) ------------------------
    i = index_of(CRITERIA, "art-5.1")
    t = replace_once(T0, '"condition": "cumulative_amount > params.cumulative_amount_min"',
                     '"condition": "cumulative_amont > params.cumulative_amount_min"')
    case("invalid-expression-undeclared-field", "a condition misspells a customer field; the "
         "error points inside the expression, at the misspelt name", t,
         [d("invalid_expression", pointer("criteria", i, "condition"),
            at(t, '"condition": "', "cumulative_amont"), kind="none",
            message_contains="(did you mean `cumulative_amount`?)")])

    t = replace_once(T0, '"condition": "cumulative_amount > params.cumulative_amount_min"',
                     '"condition": "cumulative_amount > params.cumulative_amount_mn"')
    case("invalid-expression-undefined-parameter", "a condition names a parameter that is not "
         "declared (the expression checker's form of undefined_parameter)", t,
         [d("invalid_expression", pointer("criteria", i, "condition"),
            at(t, "params.", "cumulative_amount_mn"), kind="none",
            message_contains="(did you mean `cumulative_amount_min`?)")])

    w = index_of(WORKFLOWS, "gift_request")
    t = replace_once(T0, '"entry_condition": "request.amount >= 0.0"',
                     '"entry_condition": "request.amout >= 0.0"')
    case("invalid-expression-entry-condition", "a workflow's entry condition misspells a request "
         "field; checked against the workflow's request fields", t,
         [d("invalid_expression", pointer("workflows", w, "entry_condition"),
            at(t, '"entry_condition": "request.', "amout"), kind="none",
            message_contains="'amout' (did you mean `amount`?)")])

    t = replace_once(T0, '"condition": "cumulative_amount > params.cumulative_amount_min"',
                     '"condition": "cumulative_amount - params.cumulative_amount_min"')
    case("condition-not-bool", "a condition that computes a number instead of true/false", t,
         [d("condition_not_bool", pointer("criteria", i, "condition"),
            at(t, '"condition": ', '"cumulative_amount - '))])

    t = replace_once(T0, '{ "id": "first_order", "type": "date"', '{ "id": "first-order", "type": "date"')
    j = index_of(D0["customer_schema"]["fields"], "first_order")
    case("invalid-identifier", "a customer field id with a hyphen cannot be named in an "
         "expression", t,
         [d("invalid_identifier", pointer("customer_schema", "fields", j, "id"),
            at(t, '{ "id": ', '"first-order"'))])

    i = index_of(PARAMS, "continuity_months")
    t = replace_once(T0, '"id": "continuity_months", "type": "int", "value": 12,',
                     '"id": "continuity_months", "type": "int", "value": -1,')
    case("parameter-below-minimum", "an amendment sets the Art. 4.2 month count to -1, below the "
         "parameter's minimum of 1 (every customer's evaluation would fail)", t,
         [d("parameter_out_of_range", pointer("parameters", i, "value"),
            at(t, '"continuity_months", "type": "int", "value": ', "-1"),
            message_contains="below its minimum 1")])

    # ---- explanation message templates (placeholders are `{gap}` or CEL) ----------------------
    i = index_of(CRITERIA, "art-5.2")
    t = replace_once(T0, 'more consecutive months above {params.monthly_shipment_min} 万元"',
                     'more consecutive months above {params.monthly_shipment_mn} 万元"')
    case("invalid-template-undefined-parameter", "a shortfall message's placeholder names a "
         "parameter that is not declared; the error points inside the placeholder", t,
         [d("invalid_expression", pointer("criteria", i, "explain", "shortfall"),
            at(t, "months above {params.", "monthly_shipment_mn"), kind="none",
            message_contains="(did you mean `monthly_shipment_min`?)")])

    i = index_of(CRITERIA, "art-5.1")
    t = replace_once(T0, '"needs more than {gap} 万元 more cumulative transactions"',
                     '"needs more than {gap 万元 more cumulative transactions"')
    case("invalid-template-unclosed", "a shortfall message opens a placeholder `{` and never "
         "closes it (the classifier could not compile it)", t,
         [d("invalid_template", pointer("criteria", i, "explain", "shortfall"),
            at(t, '"needs more than ', "{gap 万元"), kind="none",
            message_contains="has no closing '}'")])

    t = replace_once(T0, '"累计交易额还需超过 {gap} 万元"', '"累计交易额还需超过 {} 万元"')
    case("invalid-template-empty-placeholder", "a Chinese shortfall message with an empty "
         "placeholder `{}`", t,
         [d("invalid_template", pointer("criteria", i, "explain", "shortfall_zh"),
            at(t, '"累计交易额还需超过 ', "{} 万元"), kind="none",
            message_contains="empty placeholder")])

    # ---- the revision log's hash chain (issue 20 item 6) -------------------------------------
    stale = hashlib.sha256(b"the document revision B produced, before a later edit").hexdigest()
    t = replace_once(T0, 'for the cadences the template leaves open." }',
                     'for the cadences the template leaves open." },\n'
                     '      { "mark": "B", "changes": 1, "date": "2026-03-02", "summary": '
                     '"Art. 5.1 raised to 600", "content_hash": "' + stale + '" }')
    case("warning-revision-chain-mismatch", "revision B records a content hash the document no "
         "longer has: the policy was edited after the amendment was recorded", t,
         [d("revision_chain_mismatch", "/document/revisions/1/content_hash",
            at(t, '"content_hash": ', '"' + stale), severity="warning",
            message_contains="changed after this revision was recorded")], loads=True)


# ---------------------------------------------------------------------------------------------


def self_check(c: dict) -> None:
    text = c["text"]
    if isinstance(text, bytes) or not c["self_check"]:
        return
    if all(e["kind"] == "none" for e in c["diagnostics"]):
        return
    doc = json.loads(text.lstrip("\ufeff"))
    shift = 1 if text.startswith("\ufeff") else 0
    for e in c["diagnostics"]:
        if e["kind"] == "none":
            continue
        expected = resolve(doc, e["pointer"]) if e["kind"] == "value" else None
        off = e["offset"] - shift
        body = text.lstrip("\ufeff")
        if e["kind"] == "key":
            key = e["pointer"].rsplit("/", 1)[1].replace("~1", "/").replace("~0", "~")
            got, _ = json.JSONDecoder().raw_decode(body, off)
            assert got == key, (c["name"], e, got)
        else:
            got, _ = json.JSONDecoder().raw_decode(body, off)
            assert got == expected, (c["name"], e["pointer"], str(got)[:80])


def main() -> int:
    build_cases()
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.json"):
        old.unlink()
    manifest = {
        "$comment": "Generated by tests/tools/make_invalid_corpus.py: for each broken policy, the "
                    "diagnostics it must produce (at least these; line and column 1-based, the "
                    "column in Unicode code points). `loads`: true when only warnings are "
                    "expected (the policy loads; `keyaccount validate --strict` rejects it).",
        "files": {},
    }
    names = set()
    for n, c in enumerate(CASES, start=1):
        assert c["name"] not in names, c["name"]
        names.add(c["name"])
        self_check(c)
        file = f"{n:02d}-{c['name']}.json"
        data = c["text"] if isinstance(c["text"], bytes) else c["text"].encode("utf-8")
        (OUT / file).write_bytes(data)
        expected = []
        for e in c["diagnostics"]:
            # A bytes case (invalid UTF-8) keeps every character before its bad byte intact, so
            # its offsets are code-point offsets into the text it was made from.
            line, column = line_col(c["source"] if isinstance(c["text"], bytes)
                                    else c["text"], e["offset"])
            entry = {"code": e["code"], "severity": e["severity"], "pointer": e["pointer"],
                     "line": line, "column": column}
            if "message_contains" in e:
                entry["message_contains"] = e["message_contains"]
            expected.append(entry)
        manifest["files"][file] = {"description": c["description"], "loads": c["loads"],
                                   "diagnostics": expected}
    (OUT / "expected.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                       encoding="utf-8")
    print(f"{len(CASES)} files written to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
