#!/usr/bin/env python3
"""Writes the JSON Schemas (draft 2020-12) of keyaccount's input files:

- schema/policy.schema.json, the policy format;
- schema/policy-tests.schema.json, policy test files (`keyaccount test`, e.g.
  policies/key-account-policy.tests.json).

The policy schema mirrors src/policy/loader.cpp: the same required members, types, enumerations
and integer ranges, and no member the loader does not read (`additionalProperties: false`),
except `$schema`, `$comment` and `x-*`, which the loader accepts in every object. The test-file
schema mirrors parse_policy_tests (src/classify/policy_tests.cpp) the same way. They are
generated so that the extension members, titles and the shared definitions stay consistent;
edit this script and re-run it rather than editing the JSON. tests/python/policy/test_schema.py checks
that the committed files are what this script writes.

Both are installed with the package (the wheel's keyaccount/schema/, the C++ install's
share/keyaccount/) and printed by `keyaccount schema [policy|tests]`.

Usage: python3 tests/tools/make_policy_schema.py
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# A content hash: SHA-256 as 64 lowercase hex digits.
HASH_PATTERN = r"^[0-9a-f]{64}$"
OUT = ROOT / "schema" / "policy.schema.json"
TESTS_OUT = ROOT / "schema" / "policy-tests.schema.json"
# The schemas' `$id`s: identifiers (a URN), not download addresses, because the project has no
# public home to serve them from yet. Editors find a schema by a file association or by a
# policy's `"$schema"` path (docs/editors.md); `keyaccount schema` prints the installed one.
POLICY_ID = "urn:keyaccount:schema:policy:1"
TESTS_ID = "urn:keyaccount:schema:policy-tests:1"

# A calendar date "YYYY-MM-DD" that exists (30 February does not; 29 February only in leap
# years; year 0000 is not accepted), as date::parse checks it.
DATE_PATTERN = (
    r"^(?!0000)(?:[0-9]{4}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])"
    r"|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)"
    r"|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)$"
)
# A day of the year "MM-DD" (02-29 included), as month_day::parse checks it.
MONTH_DAY_PATTERN = (
    r"^(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-9])|(?:0[13-9]|1[0-2])-30|(?:0[13578]|1[02])-31)$"
)


def obj(title: str, properties: dict, required: list[str] | None = None, **extra) -> dict:
    """An object schema closed like the loader's: only the listed members, plus `$schema`,
    `$comment` and `x-*` extensions."""
    props = dict(properties)
    props["$schema"] = {"type": "string", "description": "Accepted everywhere and ignored "
                        "(editors use it to find this schema)."}
    props["$comment"] = {"description": "A comment; ignored."}
    out = {"type": "object", "title": title}
    if "description" in extra:
        out["description"] = extra.pop("description")
    out["properties"] = props
    out["patternProperties"] = {"^x-": {"description": "An extension member; ignored by the "
                                        "library, kept for the user's tools."}}
    out["additionalProperties"] = False
    if required:
        out["required"] = required
    out.update(extra)
    return out


def string(title: str, description: str | None = None, **extra) -> dict:
    out = {"type": "string", "title": title}
    if description:
        out["description"] = description
    out.update(extra)
    return out


def integer(title: str, lo: int, hi: int, description: str | None = None, **extra) -> dict:
    out = {"type": "integer", "title": title}
    if description:
        out["description"] = description
    out.update({"minimum": lo, "maximum": hi})
    out.update(extra)
    return out


def boolean(title: str, description: str, default: bool) -> dict:
    return {"type": "boolean", "title": title, "description": description, "default": default}


def ref(name: str, title: str | None = None, description: str | None = None) -> dict:
    out = {"$ref": f"#/$defs/{name}"}
    if title:
        out["title"] = title
    if description:
        out["description"] = description
    return out


def ids(title: str, description: str, kind: str, min_items: int = 0) -> dict:
    out = {"type": "array", "title": title, "description": description,
           "items": ref(kind)}
    if min_items:
        out["minItems"] = min_items
    return out


def names(what: str) -> dict:
    return {
        "name": string("Name", f"The {what}'s name in English."),
        "name_zh": string("Chinese name", f"The {what}'s name in Chinese (the seed's wording)."),
    }


def article_ref() -> dict:
    return ref("article_id", "Article", "The article of the policy text this encodes "
               "(an id declared in `articles`, e.g. \"art-5.2\").")


FIELD_TYPES = ["string", "number", "int", "bool", "date", "enum", "series", "string_list",
               "person", "object"]


def field(depth: int) -> dict:
    """A field of the customer schema at nesting `depth` (objects allowed below depth 3), or a
    workflow request field (depth 3: no objects)."""
    allow_object = depth < 3
    types = FIELD_TYPES if allow_object else FIELD_TYPES[:-1]
    props = {
        "id": string("Field id", "How conditions name the field (`monthly_shipments`, "
                     "`profile.updated_on`)."),
        "type": {"type": "string", "title": "Type", "enum": types,
                 "description": "string, number (a real number; amounts in 万元), int, bool, "
                 "date (\"YYYY-MM-DD\"), enum (one of `values`), series (monthly numbers, "
                 "oldest first), string_list, person (a person id from the host system)" +
                 (", object (nested `fields`)" if allow_object else "") + "."},
        "required": boolean("Required", "A record must have this field.", False),
        **names("field"),
        "unit": string("Unit", "Unit of a number or series, e.g. \"万元\"."),
        "article": article_ref(),
        "values": {"type": "array", "title": "Allowed values", "minItems": 1,
                   "description": "The values of an enum field (only for type enum).",
                   "items": {"type": "string"}},
    }
    conditions = [
        {"if": {"properties": {"type": {"const": "enum"}}, "required": ["type"]},
         "then": {"required": ["values"]}, "else": {"not": {"required": ["values"]}}},
    ]
    if allow_object:
        props["fields"] = {"type": "array", "title": "Nested fields",
                           "description": "The fields of an object (only for type object).",
                           "items": ref(f"field_{depth + 1}" if depth + 1 < 3 else "request_field")}
        conditions.append(
            {"if": {"properties": {"type": {"const": "object"}}, "required": ["type"]},
             "then": {"required": ["fields"]}, "else": {"not": {"required": ["fields"]}}})
    return obj("Field", props, ["id", "type"], allOf=conditions)


COMBINATION = {
    "all": {"type": "array", "title": "All of", "minItems": 1, "items": {"$ref": "#/$defs/criterion_id"},
            "description": "Holds when every listed criterion holds."},
    "any": {"type": "array", "title": "Any of", "minItems": 1, "items": {"$ref": "#/$defs/criterion_id"},
            "description": "Holds when at least one listed criterion holds."},
    "at_least": integer("At least", 1, 1000, "With `of`: holds when at least this many of the "
                        "listed criteria hold (no more than are listed)."),
    "of": {"type": "array", "title": "Of", "minItems": 1, "items": {"$ref": "#/$defs/criterion_id"},
           "description": "The criteria `at_least` counts."},
}
COMBINATION_KINDS = [{"required": ["all"]}, {"required": ["any"]},
                     {"required": ["at_least", "of"]}]


def build() -> dict:
    defs = {
        "date": {"type": "string", "title": "Date", "format": "date", "pattern": DATE_PATTERN,
                 "description": "A calendar date \"YYYY-MM-DD\" that exists."},
        "month_day": {"type": "string", "title": "Day of the year", "pattern": MONTH_DAY_PATTERN,
                      "description": "A day of every year, \"MM-DD\" (02-29 allowed)."},
        "article_id": string("Article id", "An article declared in `articles`."),
        "department_id": string("Department id", "A department declared in "
                                "`organization.departments`."),
        "position_id": string("Position id", "A position declared in "
                              "`organization.positions`."),
        "tier_id": string("Tier id", "A tier declared in `tiers`."),
        "criterion_id": string("Criterion id", "A criterion declared in `criteria`."),
        "festival_id": string("Festival id", "A festival declared in `calendars.festivals`."),
        "workflow_id": string("Workflow id", "A workflow declared in `workflows`."),
        "field_0": field(0),
        "field_1": field(1),
        "field_2": field(2),
        "request_field": field(3),
    }
    defs["request_field"]["title"] = "Field (no nested objects)"

    document = obj("Document control", {
        "id": string("Policy id", "A stable identifier of the policy."),
        "name": string("Policy name (制度名称)", "In English."),
        "name_zh": string("Policy name in Chinese (制度名称)", "As printed on the document, "
                          "e.g. \"XX企业重点客户关系维护办法\"."),
        "number": string("Policy number (制度编号)", "e.g. \"KA-CR-001\"."),
        "version": string("Version", "The policy's own version, e.g. \"1.0\" (not the format's)."),
        "controlled_status": {"type": "string", "title": "Controlled status (受控状态)",
                              "enum": ["controlled", "uncontrolled"],
                              "description": "Whether copies of the document are controlled "
                              "(受控) or not (非受控)."},
        "executing_department": ref("department_id", "Executing department (执行部门)",
                                    "Art. 13: the Customer Service Dept."),
        "supervising_department": ref("department_id", "Supervising department (监督部门)"),
        "drafted_on": ref("date", "Drafted on (编制日期)"),
        "reviewed_on": ref("date", "Reviewed on (审核日期)", "Not before `drafted_on`."),
        "approved_on": ref("date", "Approved on (批准日期)",
                           "Art. 14: signed by the General Manager. Not before `reviewed_on`."),
        "effective_on": ref("date", "Effective on (生效日期)", "Not before `approved_on`."),
        "revisions": {"type": "array", "title": "Revision log (修改标记/修改处数/修改日期)",
                      "description": "Oldest first; marks count up, dates do not go back.",
                      "items": obj("Revision", {
                          "mark": string("Revision mark (修改标记)", "e.g. \"A\", \"B\", \"1.1\"."),
                          "changes": integer("Number of changes (修改处数)", 0, 1_000_000,
                                             "How many places the revision changed."),
                          "date": ref("date", "Revision date (修改日期)"),
                          "summary": string("Summary", "What changed."),
                          "content_hash": string(
                              "Content hash of the document this revision produced",
                              "SHA-256 of the canonical form of the policy without this member "
                              "(docs/impact.md, the revision hash chain); written by "
                              "`keyaccount amend`.", pattern=HASH_PATTERN),
                          "previous_hash": string(
                              "The previous revision's content hash",
                              "Links the revision log into a hash chain; absent when the "
                              "previous revision records no content hash.",
                              pattern=HASH_PATTERN),
                      }, ["mark", "changes", "date"])},
    }, ["id", "name", "number", "version", "controlled_status", "executing_department",
        "supervising_department", "approved_on", "effective_on"],
        description="The template's header and footer (Art. 13, 14).")

    article = obj("Article", {
        "id": string("Article id", "A stable reference such as \"art-5.2\"."),
        "chapter": integer("Chapter", 0, 1000, "The chapter the article belongs to (1–4 in "
                           "the seed's real order)."),
        "title": string("Title", "In English."),
        "title_zh": string("Chinese title", "The article's title in Chinese."),
        "text_zh": string("Original text", "The article's text in Chinese; `____` marks the "
                          "template's blanks, filled in by parameters."),
    }, ["id", "title"])

    organization = obj("Organization", {
        "departments": {"type": "array", "title": "Departments",
                        "description": "The departments (部门) positions belong to.",
                        "items": obj("Department", {
            "id": string("Department id", "Unique among the departments; positions and the document refer to it."), **names("department")}, ["id", "name"])},
        "positions": {"type": "array", "title": "Positions (岗位)",
                      "description": "Roles people hold; workflows and activities name them.",
                      "items": obj("Position", {
                          "id": string("Position id", "Unique among the positions; workflows, activities, ownership and complaints refer to it."), **names("position"),
                          "department": ref("department_id", "Department"),
                          "reports_to": {"title": "Reports to",
                                         "description": "The superior position (escalation goes "
                                         "there); null at the top. No circles.",
                                         "anyOf": [{"$ref": "#/$defs/position_id"},
                                                   {"type": "null"}]},
                          "headcount": integer("Headcount", 1, 1_000_000,
                                               "How many people may hold it, when limited."),
                          "article": article_ref(),
                          "duties": {"type": "array", "title": "Duties",
                                     "description": "What the position does, one duty per "
                                     "item (free text).",
                                     "items": {"type": "string"}},
                      }, ["id", "name", "department"])},
        "primary_department": ref("department_id", "Primary department",
                                  "Art. 3: the department mainly responsible (客户关系部)."),
    }, ["departments", "positions"], description="Art. 3: departments, positions, duties and "
        "the reporting line.")

    customer_schema = obj("Customer schema", {
        "fields": {"type": "array", "title": "Fields", "items": ref("field_0"),
                   "description": "The typed fields of a customer record; one must be `id` "
                   "(string).",
                   "contains": {"properties": {"id": {"const": "id"},
                                               "type": {"const": "string"}},
                                "required": ["id", "type"]}},
    }, ["fields"], description="The customer record conditions are checked against.")

    parameter = obj("Parameter", {
        "id": string("Parameter id", "Conditions read it as `params.<id>`."),
        "type": {"type": "string", "title": "Type", "enum": ["number", "int"],
                 "description": "number: a real number; int: a whole number."},
        "value": {"title": "Value", "description": "The filled-in blank. `null` or \"____\" is "
                  "the template's unfilled blank (an error).", "type": "number"},
        "unit": string("Unit", "e.g. \"万元\"."),
        "article": article_ref(),
        "minimum": {"title": "Minimum", "type": "number", "description": "The smallest value "
                    "allowed (checked when the policy loads: out_of_range)."},
        "maximum": {"title": "Maximum", "type": "number", "description": "The largest value "
                    "allowed (checked when the policy loads: out_of_range)."},
        **names("parameter"),
    }, ["id", "type", "value"], description="A named value: one of the template's blanks "
        "(Art. 5 thresholds) or a documented default.",
        allOf=[{"if": {"properties": {"type": {"const": "int"}}, "required": ["type"]},
                "then": {"properties": {"value": {"type": "integer"}}}}])

    explain = obj("Explanation", {
        "observed": string("Observed", "CEL: the observed value."),
        "target": string("Target", "CEL: the value it is compared with."),
        "requirement": string("Requirement", "Free text, when there is no target."),
        "requirement_zh": string("Requirement (Chinese)", "`requirement` in Chinese."),
        "unit": string("Unit", "Unit of the observed value and the target in explanations."),
        "unit_zh": string("Unit (Chinese)", "`unit` in Chinese, e.g. \"万元\"."),
        "strict": boolean("Strict", "The comparison is strict (\"above\").", False),
        "precondition": string("Precondition", "CEL: must hold before a shortfall makes sense."),
        "precondition_failed": string("Precondition failed", "Message template."),
        "precondition_failed_zh": string("Precondition failed (Chinese)",
                                         "`precondition_failed` in Chinese."),
        "shortfall": string("Shortfall", "Message template; `{gap}` and `{<CEL>}` placeholders."),
        "shortfall_zh": string("Shortfall (Chinese)", "`shortfall` in Chinese."),
    }, ["observed"], description="How to explain the criterion's outcome.")

    criterion = obj("Criterion", {
        "id": string("Criterion id", "Unique among the criteria; conventionally the article id, e.g. \"art-5.2\"."),
        "article": article_ref(),
        **names("criterion"),
        "condition": string("Condition", "CEL over the customer fields, `params` and `as_of` "
                            "(a leaf criterion)."),
        **COMBINATION,
        "explain": explain,
    }, ["id", "article", "name"],
        description="Art. 4–5: a leaf with a `condition`, or a combination (`all`, `any`, "
        "`at_least` + `of`) of other criteria; exactly one of these.",
        oneOf=[{"required": ["condition"]}] + COMBINATION_KINDS,
        dependentRequired={"of": ["at_least"]})

    tier_rule = obj("Tier rule", dict(COMBINATION), description="Exactly one of `all`, `any`, "
                    "`at_least` + `of`.", oneOf=COMBINATION_KINDS,
                    dependentRequired={"of": ["at_least"]})

    tier = obj("Tier", {
        "id": string("Tier id", "Unique among the tiers; ownership, activities and the peak season refer to it."),
        **names("tier"),
        "article": article_ref(),
        "fallback": boolean("Fallback", "The last tier takes every customer the others do not; "
                            "it has no `rule`.", False),
        "rule": tier_rule,
    }, ["id", "name"], description="Tiers are tried in order; the first whose rule holds wins; "
        "the last one is the fallback.",
        allOf=[{"if": {"properties": {"fallback": {"const": True}}, "required": ["fallback"]},
                "then": {"not": {"required": ["rule"]}}, "else": {"required": ["rule"]}}])

    dynamic = obj("Dynamic management", {
        "article": article_ref(),
        "demote_after_failures": integer("Demote after failures", 1, 120,
                                         "Consecutive failing evaluations before a demotion.",
                                         default=1),
        "profile_card": obj("Profile card (客户资料卡)", description="What a complete, "
                            "up-to-date customer profile card has (checked by `compliance`).",
                            properties={
            "required_fields": {"type": "array", "title": "Required fields",
                                "description": "Fields of the customer's `profile` object a "
                                "complete card has.", "items": {"type": "string"}},
            "max_age_days": integer("Maximum age in days", 0, 100_000,
                                    "How old `profile.updated_on` may be; 0: no limit.",
                                    default=0),
        }, required=["required_fields"]),
    }, description="Art. 6.1: re-classification and the customer profile card.")

    ownership = obj("Ownership", {
        "article": article_ref(),
        "tiers": ids("Tiers", "Tiers whose customers need a dedicated owner.", "tier_id"),
        "owner_position": ref("position_id", "Owner position",
                              "The position an owner must hold."),
        "max_accounts_per_owner": integer("Maximum accounts per owner", 0, 1_000_000,
                                          "0: no limit.", default=0),
    }, ["tiers", "owner_position"], description="Art. 6.2: one dedicated owner per customer.")

    principle = obj("Principle", {
        "id": string("Principle id", "Unique among the principles."),
        "article": article_ref(),
        **names("principle"),
        "overridable": {"type": "array", "title": "Overridable settings",
                        "description": "Art. 6.3: settings a customer may override, e.g. "
                        "\"regular_visit.every_days\".", "items": {"type": "string"}},
    }, ["id", "article", "name"])

    festival = obj("Festival", {
        "id": string("Festival id", "Unique in the calendar; activity cadences refer to it."),
        **names("festival"),
        "dates": {"type": "array", "title": "Dates", "items": ref("date"),
                  "description": "The festival's date in each year covered."},
    }, ["id", "name", "dates"])

    calendars = obj("Calendars", {
        "festivals": {"type": "array", "title": "Festivals", "items": festival,
                      "description": "Festivals with their date in each year; activities "
                      "with a `festivals` cadence are due before them."},
    }, description="Art. 12: the festival calendar (data, extendable).")

    cadence = obj("Cadence", {
        "every_days": integer("Every N days", 1, 100_000, "Due N days after it was last done."),
        "every_months": integer("Every N months", 1, 1200,
                                "Due N months after it was last done."),
        "yearly_on": ref("month_day", "Yearly on", "Due once a year on this day (\"MM-DD\")."),
        "festivals": {"type": "array", "title": "Before festivals",
                      "description": "Due `lead_days` before each of these festivals.",
                      "items": ref("festival_id")},
        "lead_days": integer("Lead days", 0, 366, "How long before a festival.", default=0),
        "by_plan": obj("By plan", {
            "horizon_days": integer("Horizon", 1, 3660, "A customer with no visit planned "
                                    "within this many days is reported.", default=180),
            "briefing": obj("Briefing", {
                "responsible": ref("position_id", "Responsible position",
                                   "The position preparing the briefing (Customer Relations)."),
                "assignee": {"type": "string", "title": "Assignee",
                             "enum": ["owner", "position"], "default": "position",
                             "description": "owner: the customer's dedicated owner; position: "
                             "the owner's nearest superior holding it, else its first holder."},
                "lead_days": integer("Lead days", 0, 366, "The briefing is due this many days "
                                     "before the visit.", default=7),
            }, ["responsible"], description="What the executive is given before each visit."),
        }, ["briefing"], description="Art. 9: due on the dates of a visit plan given as input "
            "(customer, date, visiting executive), not at a fixed interval."),
    }, description="When the activity is due: exactly one of `every_days`, `every_months`, "
        "`yearly_on`, `festivals`, `by_plan`.",
        oneOf=[{"required": ["every_days"]}, {"required": ["every_months"]},
               {"required": ["yearly_on"]}, {"required": ["by_plan"]},
               # An empty list of festivals is no schedule (the loader counts it as none).
               {"required": ["festivals"], "properties": {"festivals": {"minItems": 1}}}])

    activity = obj("Activity", {
        "id": string("Activity id", "Unique among the activities."),
        "article": article_ref(),
        **names("activity"),
        "tiers": ids("Tiers", "Tiers of the customers it applies to.", "tier_id"),
        "responsible": ref("position_id", "Responsible position",
                           "The position responsible for the activity."),
        "assignee": {"type": "string", "title": "Assignee", "enum": ["owner", "position"],
                     "default": "position",
                     "description": "owner: the customer's dedicated owner; position: whoever "
                     "holds the responsible position."},
        "workflow": ref("workflow_id", "Workflow", "A workflow to start when due."),
        "cadence": cadence,
    }, ["id", "article", "name", "tiers", "responsible", "cadence"],
        description="Art. 6.1, 8–12: a recurring maintenance activity.")

    category = obj("Complaint category", {
        "id": string("Category id", "Unique among the complaint categories."),
        "article": article_ref(),
        **names("category"),
        "record_within_days": integer("Record within days", 0, 3650,
                                      "Days from the customer raising it to its record."),
        "report_within_days": integer("Report within days", 0, 3650,
                                      "Days to report it to the recorder's superior."),
        "resolve_within_days": integer("Resolve within days", 0, 3650,
                                       "Days to resolve it (the responsible department)."),
    }, ["id", "article", "name", "record_within_days", "report_within_days",
        "resolve_within_days"])

    complaints = obj("Complaints", {
        "article": article_ref(),
        "recorder": ref("position_id", "Recorder", "Who records complaints (Art. 8.1)."),
        "categories": {"type": "array", "title": "Categories", "items": category,
                       "description": "Kinds of complaint, each with its deadlines."},
    }, ["recorder", "categories"], description="Art. 8.1–8.2: recording, reporting and "
        "resolving customers' problems.")

    peak = obj("Peak season", {
        "article": article_ref(),
        "periods": {"type": "array", "title": "Periods",
                    "description": "The peak-season periods of every year.",
                    "items": obj("Period", {
            "from": ref("month_day", "From"), "to": ref("month_day", "To",
                                                        "Inclusive; may wrap the year end."),
        }, ["from", "to"])},
        "tier_priority": ids("Tier priority", "Tiers, highest priority first.", "tier_id"),
        "within_tier": {"type": "string", "title": "Within a tier",
                        "enum": ["first_come", "pro_rata"], "default": "first_come",
                        "description": "How scarce stock is shared among orders of one tier."},
        "pack_size": integer("Pack size", 1, 1_000_000, "Allocations are multiples of it.",
                             default=1),
    }, ["periods", "tier_priority"], description="Art. 7.3: key customers first in peak season.")

    symposium = obj("Symposium", {
        "id": string("Symposium id", "Names the event in plans and findings; not an "
                     "activity's id."),
        "article": article_ref(),
        **names("symposium"),
        "tiers": ids("Tiers", "Tiers of the customers invited.", "tier_id", min_items=1),
        "organizer": ref("position_id", "Organizer", "The position organising the event."),
        "window": obj("Window", {
            "from": ref("month_day", "From"),
            "to": ref("month_day", "To", "Inclusive, not before `from` (the deadline)."),
        }, ["from", "to"], description="When in the year the event is held."),
        "invitations": obj("Invitations", {
            "responsible": ref("position_id", "Responsible position",
                               "The position sending the invitations."),
            "assignee": {"type": "string", "title": "Assignee", "enum": ["owner", "position"],
                         "default": "owner",
                         "description": "owner: each customer's dedicated owner; position: "
                         "whoever holds the responsible position."},
            "lead_days": integer("Lead days", 0, 366, "Invitations are due this many days "
                                 "before the event (or before the window opens)."),
        }, ["responsible", "lead_days"], description="Who invites each customer, and how long "
           "before the event."),
    }, ["id", "article", "name", "tiers", "organizer", "window", "invitations"],
        description="Art. 10: the yearly symposium, one event with every key customer "
        "invited.")

    supply = obj("Supply watch", {
        "article": article_ref(),
        "notice_article": ref("article_id", "Notice article",
                              "The article of the notice to Sales (\"art-7.2\")."),
        "tiers": ids("Tiers", "Tiers of the customers watched.", "tier_id", min_items=1),
        "demand": string("Demand rule", "CEL over the customer fields, `params` and `as_of`: "
                         "the customer's projected demand for one month, a number in `unit`."),
        "unit": string("Unit", "Of the demand and of the stock file's quantities, e.g. 万元."),
        "horizon_months": integer("Horizon", 1, 24, "Calendar months projected after the "
                                  "month of the day.", default=3),
        "product_field": string("Product field", "A string or enum customer field naming the "
                                "product a customer's demand is for: supply is then compared "
                                "per product; absent: in aggregate."),
        "watcher": ref("position_id", "Watcher", "The position sending the notices (Art. 7.2: "
                       "the Customer Relations Specialist)."),
        "notify": ref("position_id", "Notified position", "The position the notices are "
                      "addressed to (the Sales Dept.)."),
        "lead_days": integer("Lead days", 0, 366, "A notice is due this many days before the "
                             "first short month begins.", default=14),
    }, ["article", "notice_article", "tiers", "demand", "watcher", "notify"],
        description="Art. 7.1–7.2: key customers' projected demand against stock and incoming "
        "supply, with notices to Sales before a shortage.")

    step = obj("Step", {
        "id": string("Step id", "Unique within the workflow."),
        **names("step"),
        "article": article_ref(),
        "approvers": ids("Approvers", "Positions that may act on the step.", "position_id",
                         min_items=1),
        "mode": {"type": "string", "title": "Mode", "enum": ["one_of", "all_of", "quorum"],
                 "description": "one_of: anyone holding a listed position; all_of: one person "
                 "per listed position; quorum: `quorum` distinct people."},
        "quorum": integer("Quorum", 1, 1000, "Approvals needed (mode quorum)."),
        "condition": string("Condition", "CEL over `request` and `params`; when false the step "
                            "is skipped."),
        "deadline_days": integer("Deadline in days", 0, 3650, "0: no deadline.", default=0),
        "escalation": {"type": "string", "title": "Escalation", "enum": ["superior", "none"],
                       "default": "none",
                       "description": "superior: when overdue, to the approver's superior."},
    }, ["id", "name", "approvers", "mode"],
        allOf=[{"if": {"properties": {"mode": {"const": "quorum"}}, "required": ["mode"]},
                "then": {"required": ["quorum"]}}])

    workflow = obj("Workflow", {
        "id": string("Workflow id", "Unique among the workflows; activities refer to it."),
        "article": article_ref(),
        **names("workflow"),
        "initiators": ids("Initiators", "Positions that may submit a request.", "position_id",
                          min_items=1),
        "request_fields": {"type": "array", "title": "Request fields",
                           "description": "The typed fields of a request; conditions read "
                           "them as `request.<id>`.",
                           "items": ref("request_field")},
        "entry_condition": string("Entry condition", "CEL over `request` and `params`; a "
                                  "submission whose request fails it is refused "
                                  "(invalid_request)."),
        "separation_of_duties": boolean("Separation of duties", "Nobody approves their own "
                                        "request or acts twice.", True),
        "steps": {"type": "array", "title": "Steps", "items": step, "minItems": 1,
                  "description": "The approval steps, in order."},
    }, ["id", "article", "name", "initiators", "steps"],
        description="Art. 11, 12, 13–14: an approval workflow.")

    root = obj("Key-customer relationship maintenance policy", {
        "format_version": {"type": "string", "title": "Format version", "pattern": r"^1\.",
                           "description": "\"1.x\": the version of this format (not of the "
                           "policy); this library reads any 1.x."},
        "document": document,
        "articles": {"type": "array", "title": "Articles", "items": article,
                     "description": "The policy text, article by article."},
        "organization": organization,
        "customer_schema": customer_schema,
        "parameters": {"type": "array", "title": "Parameters", "items": parameter,
                       "description": "Art. 5: the template's blanks (thresholds) and other "
                       "named values; conditions read them as `params.<id>`."},
        "criteria": {"type": "array", "title": "Criteria", "items": criterion,
                     "description": "Art. 4–5: the rules tiers are built from; a leaf has a "
                     "CEL `condition`, the others combine criteria."},
        "tiers": {"type": "array", "title": "Tiers", "items": tier, "minItems": 1,
                  "description": "Tried in order; the last one, and only it, is the fallback."},
        "dynamic_management": dynamic,
        "ownership": ownership,
        "principles": {"type": "array", "title": "Principles (Art. 6)", "items": principle,
                       "description": "Art. 6: the maintenance principles, and the settings a "
                       "customer may override."},
        "calendars": calendars,
        "activities": {"type": "array", "title": "Activities", "items": activity,
                       "description": "Art. 6.1, 8–12: recurring maintenance activities "
                       "(`keyaccount plan`)."},
        "complaints": complaints,
        "peak_season": peak,
        "symposium": symposium,
        "supply_watch": supply,
        "workflows": {"type": "array", "title": "Workflows", "items": workflow,
                      "description": "Art. 11–14: approval workflows (gift requests, "
                      "proposals, ...)."},
    }, ["format_version", "document", "articles", "organization", "customer_schema",
        "criteria", "tiers"],
        description="XX企业重点客户关系维护办法 as executable rules. Format reference: "
        "docs/policy-format.md; diagnostics: docs/diagnostics.md.")
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema",
              "$id": POLICY_ID,
              "$comment": "Generated by tests/tools/make_policy_schema.py from the loader's "
              "rules (src/policy/loader.cpp); edit the script, not this file. Meaning checks "
              "(references resolve, no cycles, dates in order, ...) are the validator's: see "
              "docs/diagnostics.md."}
    schema.update(root)
    schema["$defs"] = defs
    return schema


def build_tests() -> dict:
    """The schema of a policy test file, as parse_policy_tests reads it."""
    expect = {
        "type": "object", "title": "Expectation",
        "description": "What the case checks: at least one of `tier`, `deciding`, `criteria`.",
        "properties": {
            "tier": string("Tier", "The id of the tier the customer must get."),
            "deciding": {"type": "array", "title": "Deciding criteria",
                         "description": "The criteria that decide the tier, exactly these "
                         "(in any order), as `classify --explain` lists them.",
                         "items": {"type": "string", "description": "A criterion id."}},
            "criteria": {"type": "object", "title": "Criterion outcomes",
                         "description": "Criterion id → \"met\" or \"not_met\": each listed "
                         "criterion must have this outcome.",
                         "additionalProperties": {"enum": ["met", "not_met"],
                                                  "description": "The criterion's outcome."}},
        },
        "additionalProperties": False,
        "minProperties": 1,
    }
    case = {
        "type": "object", "title": "Test case",
        "description": "One customer on one date, and what the policy must decide for it.",
        "properties": {
            "name": string("Name", "Shown when the case fails (default: its position, "
                           "`cases[i]`)."),
            "customer": {"type": "object", "title": "Customer",
                         "description": "The customer's fields, as in a `classify` record, "
                         "laid over the file's `defaults` (a field given here replaces the "
                         "default's). The policy's `customer_schema` checks them."},
            "as_of": ref("date", "As of", "The date of the decision; default: the file's "
                         "`as_of`."),
            "expect": expect,
        },
        "required": ["customer", "expect"],
        "additionalProperties": False,
    }
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": TESTS_ID,
        "$comment": "Generated by tests/tools/make_policy_schema.py from parse_policy_tests "
        "(src/classify/policy_tests.cpp); edit the script, not this file.",
        "type": "object",
        "title": "keyaccount policy tests",
        "description": "Table-driven tests of a policy's classification, run by `keyaccount "
        "test [--policy FILE] FILE...`: each case is a customer, a date and the expected "
        "tier, deciding criteria and criterion outcomes. See docs/classification.md.",
        "properties": {
            "$schema": {"type": "string", "description": "Accepted and ignored (editors use it "
                        "to find this schema)."},
            "description": string("Description", "What the file tests; ignored."),
            "as_of": ref("date", "As of", "The date of every case that gives none."),
            "defaults": {"type": "object", "title": "Default customer",
                         "description": "Fields every case's customer starts from."},
            "cases": {"type": "array", "title": "Cases", "minItems": 1, "items": case,
                      "description": "The test cases; at least one."},
        },
        "required": ["cases"],
        "additionalProperties": False,
        # Without a file-wide as_of, every case needs its own.
        "if": {"not": {"required": ["as_of"]}},
        "then": {"properties": {"cases": {"items": {"required": ["as_of"]}}}},
        "$defs": {
            "date": {"type": "string", "title": "Date", "format": "date",
                     "pattern": DATE_PATTERN,
                     "description": "A calendar date \"YYYY-MM-DD\" that exists."},
        },
    }
    return schema


def render() -> str:
    """The policy schema's text."""
    return json.dumps(build(), ensure_ascii=False, indent=2) + "\n"


def render_tests() -> str:
    """The test-file schema's text."""
    return json.dumps(build_tests(), ensure_ascii=False, indent=2) + "\n"


def main() -> int:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    for path, text in [(OUT, render()), (TESTS_OUT, render_tests())]:
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
