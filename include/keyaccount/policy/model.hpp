#pragma once
/// \file
/// The policy model: plain value types mirroring the policy JSON format (docs/policy-format.md).
///
/// A `policy` is produced by the loader (keyaccount/policy/loader.hpp) from JSON text, after
/// validation; every reference in it (department, position, criterion, tier, workflow, article,
/// field) is known to resolve. Downstream stages (classifier, workflows, planner) read it and
/// never re-parse JSON. Value types: copyable, no shared state; safe to read from many threads.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "keyaccount/core/date.hpp"

namespace keyaccount {

/// Text in English with its Chinese original beside it (the seed is Chinese).
struct localized_name {
  std::string en;  ///< English name (`name` in JSON)
  std::string zh;  ///< Chinese name (`name_zh` in JSON); may be empty
};

/// One entry of the revision log (修改标记 / 修改处数 / 修改日期).
struct revision {
  std::string mark;     ///< revision mark, e.g. "A", "B" or "1.1"; counts up entry to entry
  int changes = 0;      ///< number of changes (修改处数)
  date on;              ///< revision date (修改日期)
  std::string summary;  ///< what changed
  /// The content hash of the document this revision produced (the revision hash chain,
  /// keyaccount/policy/revision_chain.hpp); empty when the entry records none.
  std::string content_hash{};
  /// The previous entry's `content_hash`; empty for the first entry of the chain.
  std::string previous_hash{};
};

/// The template's document-control block.
struct document_control {
  std::string id;                      ///< stable identifier of the policy
  localized_name name;                 ///< 制度名称
  std::string number;                  ///< 制度编号
  std::string version;                 ///< the policy's own version, e.g. "1.0"
  std::string controlled_status;       ///< 受控状态: "controlled" or "uncontrolled"
  std::string executing_department;    ///< 执行部门 (department id)
  std::string supervising_department;  ///< 监督部门 (department id)
  std::optional<date> drafted_on;      ///< 编制日期
  std::optional<date> reviewed_on;     ///< 审核日期
  std::optional<date> approved_on;     ///< 批准日期
  std::optional<date> effective_on;    ///< 生效日期
  std::vector<revision> revisions;     ///< oldest first
};

/// A numbered article or sub-article of the policy text, e.g. "art-5.2".
struct article {
  std::string id;
  int chapter = 0;
  localized_name title;
  std::string text_zh;  ///< the original text
};

/// A department (Art. 3).
struct department {
  std::string id;
  localized_name name;
};

/// A position (岗位, Art. 3): the role people hold; workflows and activities name positions.
struct position {
  std::string id;
  localized_name name;
  std::string department;                 ///< department id
  std::optional<std::string> reports_to;  ///< position id of the superior; empty at the top
  std::optional<int> headcount;           ///< how many people may hold it, when limited
  std::string article;                    ///< article id, may be empty
  std::vector<std::string> duties;
};

/// Art. 3: departments, positions and the reporting line used for escalation.
struct organization {
  std::vector<department> departments;
  std::vector<position> positions;
  std::string primary_department;  ///< the department mainly responsible (客户关系部)
};

/// The type of a customer-record field, a workflow request field or a parameter.
enum class field_type {
  string_,      ///< text
  number,       ///< a real number (double); amounts in 万元
  integer,      ///< a whole number (int64)
  boolean,      ///< true / false
  date_,        ///< a calendar date, "YYYY-MM-DD"
  enumeration,  ///< one of `values` (text)
  series,       ///< list of numbers, oldest first (monthly figures)
  string_list,  ///< list of text
  person,       ///< a person id (text) supplied by the host system
  object,       ///< nested fields
};

/// A declared field of the customer schema (or of a nested object, or a workflow request).
struct field {
  std::string id;
  field_type type = field_type::string_;
  bool required = false;
  localized_name name;
  std::string unit;                 ///< e.g. "万元"
  std::string article;              ///< article id, may be empty
  std::vector<std::string> values;  ///< allowed values of an enumeration
  std::vector<field> fields;        ///< the nested fields of an object
};

/// The typed fields a customer record has and conditions may use.
struct customer_schema {
  std::vector<field> fields;
};

/// A named, typed value of the policy (the template's blanks, e.g. the Art. 5.1 threshold).
/// Conditions read it as `params.<id>`.
struct parameter {
  std::string id;
  field_type type = field_type::number;  ///< number or integer
  double value = 0;                      ///< the value (an integer parameter holds a whole number)
  std::string unit;
  std::string article;
  localized_name name;
  /// The range the value must stay in (checked when the policy loads), so that an amendment
  /// (Art. 14) cannot set, say, a negative number of months that no customer could meet.
  std::optional<double> minimum, maximum;
};

/// How to explain a criterion's outcome: what was observed against what was required, and what
/// would meet it. All expressions are CEL over the same variables as the condition.
struct criterion_explanation {
  std::string observed;     ///< CEL: the observed value (e.g. `cumulative_amount`)
  std::string target;       ///< CEL: the value the observed one is compared with
  std::string requirement;  ///< free text requirement when no target applies
  std::string requirement_zh;
  localized_name unit;                 ///< unit of observed/target (en, zh)
  bool strict = false;                 ///< the comparison is strict ("above")
  std::string precondition;            ///< CEL: must hold before the shortfall makes sense
  localized_name precondition_failed;  ///< message templates when the precondition fails
  localized_name shortfall;            ///< message templates, `{gap}` and `{<CEL>}` placeholders
};

/// How a composite criterion or a tier rule combines its parts.
enum class combinator { all, any, at_least };

/// A rule of Art. 4–5: either a leaf with a CEL condition, or a combination of other criteria.
struct criterion {
  std::string id;
  std::string article;
  localized_name name;
  std::string condition;                 ///< CEL (leaf); empty for a combination
  combinator combine = combinator::all;  ///< for a combination
  int at_least = 0;                      ///< k of at-least-k
  std::vector<std::string> parts;        ///< criterion ids (combination)
  std::optional<criterion_explanation> explain;
  [[nodiscard]] bool is_leaf() const noexcept { return parts.empty(); }
};

/// A tier rule: a combination of criteria (ids).
struct tier_rule {
  combinator combine = combinator::all;
  int at_least = 0;
  std::vector<std::string> parts;
};

/// A customer tier. Tiers are ordered: the first whose rule holds wins; the last is the fallback.
struct tier {
  std::string id;
  localized_name name;
  std::string article;
  std::optional<tier_rule> rule;  ///< empty for the fallback tier
  bool fallback = false;
};

/// Profile-card requirements of Art. 6.1.
struct profile_card_rule {
  std::vector<std::string> required_fields;  ///< fields of the `profile` object
  int max_age_days = 0;                      ///< 0: no age limit
};

/// Dynamic management (Art. 6.1): re-classification and the profile card.
struct dynamic_management {
  std::string article;
  int demote_after_failures = 1;  ///< consecutive failing evaluations before a demotion
  std::optional<profile_card_rule> profile_card;
};

/// Dedicated owners (Art. 6.2).
struct ownership_rule {
  std::string article;
  std::vector<std::string> tiers;  ///< tiers whose customers need an owner
  std::string owner_position;      ///< position an owner must hold
  int max_accounts_per_owner = 0;  ///< 0: no limit
};

/// A maintenance principle (Art. 6).
struct principle {
  std::string id;
  std::string article;
  localized_name name;
  std::vector<std::string> overridable;  ///< settings a customer may override (Art. 6.3)
};

/// A festival with its dates per year (the festival calendar is data, extendable by the user).
struct festival {
  std::string id;
  localized_name name;
  std::vector<date> dates;
};

/// Art. 9: visits "by plan, at no fixed interval" (根据计划不定期): due on the dates of a visit
/// plan given as input (customer, date, visiting executive), each prepared by a briefing the
/// Customer Relations Dept. owes the executive ahead of the visit.
struct plan_cadence {
  int horizon_days = 180;          ///< a customer with no visit planned this far ahead is reported
  std::string briefing_by;         ///< position preparing the briefing
  bool briefing_by_owner = false;  ///< the customer's dedicated owner prepares it
  int briefing_lead_days = 7;      ///< the briefing is due this many days before the visit
};

/// When an activity is due.
struct cadence {
  int every_days = 0;                     ///< every N days since last done
  int every_months = 0;                   ///< every N months since last done
  std::optional<month_day> yearly_on;     ///< once a year on this day
  std::vector<std::string> festivals;     ///< before each of these festivals
  int lead_days = 0;                      ///< how long before a festival
  std::optional<plan_cadence> by_plan{};  ///< by a visit plan (Art. 9), not by an interval
};

/// A maintenance activity (Art. 6.1, 8–12).
struct activity {
  std::string id;
  std::string article;
  localized_name name;
  std::vector<std::string> tiers;  ///< tiers of the customers it applies to
  std::string responsible;         ///< position id
  std::string assignee;            ///< "owner": the customer's dedicated owner; empty: position
  cadence when;
  std::string workflow;  ///< workflow id to start when due (gift request), may be empty
};

/// A complaint category with its deadlines (Art. 8.1–8.2).
struct complaint_category {
  std::string id;
  std::string article;
  localized_name name;
  int record_within_days = 0;
  int report_within_days = 0;
  int resolve_within_days = 0;
};

/// Complaint handling (Art. 8.1–8.2).
struct complaint_rules {
  std::string article;
  std::string recorder;  ///< position id
  std::vector<complaint_category> categories;
};

/// A period of the year, inclusive, that may wrap the year end (11-01 .. 01-31).
struct season_period {
  month_day from;
  month_day to;
};

/// How stock is shared among order lines of the same tier.
enum class allocation_mode { first_come, pro_rata };

/// Peak-season priority (Art. 7.3).
struct peak_season_rule {
  std::string article;
  std::vector<season_period> periods;
  std::vector<std::string> tier_priority;  ///< tier ids, highest priority first
  allocation_mode within_tier = allocation_mode::first_come;
  int pack_size = 1;
};

/// The annual symposium (Art. 10): one event a year between the key customers and senior
/// management, organised by the Customer Relations Dept., every customer of `tiers` invited by
/// its dedicated owner ahead of it. Read by care/symposium.hpp; replaces a per-customer yearly
/// activity (an `activities` entry with `yearly_on` still reads Art. 10 that way if a policy
/// prefers it).
struct symposium_rule {
  std::string id;  ///< names the event in plans and findings, e.g. "annual_symposium"
  std::string article;
  localized_name name;
  std::vector<std::string> tiers;  ///< tiers of the customers invited
  std::string organizer;           ///< position id organising the event
  season_period window;            ///< when in the year it is held (from <= to, no wrap)
  std::string inviter;             ///< position id sending the invitations
  bool inviter_is_owner = true;    ///< the customer's dedicated owner sends its invitation
  int invitation_lead_days = 30;   ///< invitations due this many days before the event
};

/// The demand and supply watch (Art. 7.1–7.2): the Customer Relations Specialist keeps an eye
/// on the key customers' demand against stock and incoming supply, and tells the Sales Dept.
/// ahead of a shortage so that it plans ("通知销售部门做好计划"). Read by care/supply.hpp.
struct supply_watch_rule {
  std::string article;             ///< the watch itself, "art-7.1"
  std::string notice_article;      ///< the notice to Sales, "art-7.2"
  std::vector<std::string> tiers;  ///< tiers of the customers watched
  /// CEL over the customer's fields, `as_of` and `params` (customer_declarations): the
  /// customer's projected demand for one month, a number in `unit`.
  std::string demand;
  std::string unit;        ///< of the demand and of the stock file's quantities
  int horizon_months = 3;  ///< calendar months projected, after the month of the day
  /// A customer field (string or enum) naming the product a customer's demand is for: supply
  /// is then compared per product; empty: in aggregate (every product's stock together).
  std::string product_field;
  std::string watcher;  ///< position sending the notices (the CR Specialist)
  std::string notify;   ///< position the notices are addressed to (Sales)
  int lead_days = 14;   ///< a notice is due this many days before the first short month
};

/// How many of a step's eligible people must approve.
enum class approval_mode {
  one_of,  ///< any one person holding one of the positions
  all_of,  ///< one person for each listed position (unanimous)
  quorum,  ///< `quorum` distinct people holding any of the positions
};

/// One step of an approval workflow.
struct workflow_step {
  std::string id;
  localized_name name;
  std::string article;
  std::vector<std::string> approvers;  ///< position ids that may act
  approval_mode mode = approval_mode::one_of;
  int quorum = 0;
  std::string condition;   ///< CEL over `request` and `params`; when false the step is skipped
  int deadline_days = 0;   ///< 0: no deadline
  std::string escalation;  ///< "superior" or empty
};

/// An approval workflow (Art. 11, 12, 13–14).
struct workflow {
  std::string id;
  std::string article;
  localized_name name;
  std::vector<std::string> initiators;  ///< positions that may submit
  std::vector<field> request_fields;
  /// CEL over `request` and `params`: a submission whose request does not satisfy it is refused
  /// (`invalid_request`), e.g. a proposal review only for proposals with a title. Empty: none.
  std::string entry_condition;
  bool separation_of_duties = true;  ///< nobody approves their own request or acts twice
  std::vector<workflow_step> steps;
};

/// A whole policy, as loaded and validated.
struct policy {
  std::string format_version;
  document_control document;
  std::vector<article> articles;
  organization org;
  customer_schema customers;
  std::vector<parameter> parameters;
  std::vector<criterion> criteria;
  std::vector<tier> tiers;
  std::optional<dynamic_management> dynamics;
  std::optional<ownership_rule> ownership;
  std::vector<principle> principles;
  std::vector<festival> festivals;
  std::vector<activity> activities;
  std::optional<complaint_rules> complaints;
  std::optional<peak_season_rule> peak_season;
  std::optional<symposium_rule> symposium;
  std::optional<supply_watch_rule> supply_watch;
  std::vector<workflow> workflows;

  /// The policy document in canonical JSON without `$schema` (keyaccount/policy/identity.hpp),
  /// set by the loader; empty for a policy built in code.
  std::string canonical_text;
  /// SHA-256 of `canonical_text`, 64 lowercase hex digits (the policy's content hash, named by
  /// every decision output); empty for a policy built in code.
  std::string content_hash;

  /// Look-ups by id; nullptr when absent. Linear: policies are small.
  [[nodiscard]] const position* find_position(std::string_view id) const noexcept;
  [[nodiscard]] const department* find_department(std::string_view id) const noexcept;
  [[nodiscard]] const criterion* find_criterion(std::string_view id) const noexcept;
  [[nodiscard]] const tier* find_tier(std::string_view id) const noexcept;
  [[nodiscard]] const workflow* find_workflow(std::string_view id) const noexcept;
  [[nodiscard]] const article* find_article(std::string_view id) const noexcept;
  [[nodiscard]] const parameter* find_parameter(std::string_view id) const noexcept;
  [[nodiscard]] const activity* find_activity(std::string_view id) const noexcept;
};

}  // namespace keyaccount
