#include "keyaccount/care/complaints.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include "keyaccount/care/known_facts.hpp"

namespace keyaccount::care {

namespace {

const complaint_category* find_category(const complaint_rules& rules, std::string_view id) {
  for (const auto& c : rules.categories)
    if (c.id == id) return &c;
  return nullptr;
}

// Art. 8.2 categories (other objections) are reported only when unresolved in time.
bool report_only_if_unresolved(const complaint_category& c) { return c.article == "art-8.2"; }

bool raised(const complaint& c, escalation_kind k) {
  return std::any_of(c.escalations.begin(), c.escalations.end(),
                     [&](const escalation_record& e) { return e.kind == k; });
}

}  // namespace

std::string_view to_string(escalation_kind k) noexcept {
  switch (k) {
    case escalation_kind::report:
      return "report";
    case escalation_kind::record_overdue:
      return "record_overdue";
    case escalation_kind::resolve_overdue:
      return "resolve_overdue";
  }
  return "report";
}

std::optional<escalation_kind> parse_escalation_kind(std::string_view s) noexcept {
  for (auto k :
       {escalation_kind::report, escalation_kind::record_overdue, escalation_kind::resolve_overdue})
    if (to_string(k) == s) return k;
  return std::nullopt;
}

std::string_view to_string(complaint_refusal_kind k) noexcept {
  switch (k) {
    case complaint_refusal_kind::open_escalation:
      return "open_escalation";
    case complaint_refusal_kind::not_resolved:
      return "not_resolved";
    case complaint_refusal_kind::already_closed:
      return "already_closed";
    case complaint_refusal_kind::invalid_date:
      return "invalid_date";
  }
  return "open_escalation";
}

complaint_error::complaint_error(std::vector<std::string> problems)
    : error(error_kind::complaint, listing("invalid complaints", problems), problems) {}

std::vector<std::string> complaint_problems(const complaint_rules& rules, const complaint& c) {
  std::vector<std::string> problems;
  if (c.id.empty()) problems.push_back("id: empty");
  if (!find_category(rules, c.category)) {
    std::string known;
    for (const auto& k : rules.categories) known += (known.empty() ? "" : ", ") + k.id;
    problems.push_back("category: unknown category \"" + c.category + "\" (known: " + known + ")");
  }
  auto not_before_raised = [&](const std::optional<date>& d, const char* field) {
    if (d && *d < c.raised_on)
      problems.push_back(std::string(field) + ": " + d->to_string() + " is before raised_on " +
                         c.raised_on.to_string());
  };
  not_before_raised(c.recorded_on, "recorded_on");
  not_before_raised(c.reported_on, "reported_on");
  not_before_raised(c.resolved_on, "resolved_on");
  not_before_raised(c.closed_on, "closed_on");
  if (c.closed_on && !c.resolved_on) problems.push_back("closed_on: closed but never resolved");
  for (std::size_t k = 0; k < c.escalations.size(); ++k) {
    const auto& e = c.escalations[k];
    if (e.closed_on && *e.closed_on < e.opened_on)
      problems.push_back("escalations[" + std::to_string(k) + "].closed_on: before opened_on");
  }
  return problems;
}

void check_complaints(const complaint_rules& rules, const std::vector<complaint>& complaints) {
  std::vector<std::string> problems;
  std::set<std::string_view> ids;
  for (std::size_t i = 0; i < complaints.size(); ++i) {
    const auto& c = complaints[i];
    const std::string at = "complaints[" + std::to_string(i) + "].";
    if (!c.id.empty() && !ids.insert(c.id).second)
      problems.push_back(at + "id: duplicate complaint id " + c.id);
    for (auto& problem : complaint_problems(rules, c)) problems.push_back(at + problem);
  }
  if (!problems.empty()) throw complaint_error(std::move(problems));
}

complaint_deadlines deadlines_of(const complaint_rules& rules, const complaint& c) {
  const auto* cat = find_category(rules, c.category);
  if (!cat) throw complaint_error({"unknown complaint category \"" + c.category + "\""});
  return {c.raised_on.add_days(cat->record_within_days),
          c.raised_on.add_days(cat->report_within_days),
          c.raised_on.add_days(cat->resolve_within_days)};
}

std::vector<escalation> escalations_due(const complaint_rules& rules,
                                        const std::vector<complaint>& complaints,
                                        const org::directory& people, date as_of,
                                        std::vector<std::string>* ignored) {
  check_complaints(rules, complaints);
  std::vector<escalation> out;
  for (complaint c : complaints) {
    std::vector<std::string> later = drop_later_facts(c, as_of);
    if (ignored)
      for (auto& w : prefixed("complaint " + c.id, later)) ignored->push_back(std::move(w));
    if (c.closed_on || c.resolved_on || !known_on(c, as_of)) continue;
    const auto* cat = find_category(rules, c.category);
    const auto d = deadlines_of(rules, c);
    const org::person* superior = c.recorder.empty() ? nullptr : people.superior_of(c.recorder);
    auto add = [&](escalation_kind kind, date due, std::string why) {
      if (raised(c, kind)) return;
      escalation e;
      e.complaint = c.id;
      e.customer = c.customer;
      e.category = c.category;
      e.kind = kind;
      e.from = c.recorder;
      e.due_on = due;
      e.days_overdue = static_cast<int>(std::max<std::int64_t>(0, days_between(due, as_of)));
      e.article = cat->article;
      if (superior) {
        e.to = superior->id;
        e.to_name = superior->name;
      } else {
        // Why there is nobody to escalate to: a recorder the people do not know (a typo, a
        // departed owner) is a data problem to fix, not the top of the reporting line.
        if (c.recorder.empty())
          why += "; no recorder, so no superior to escalate to";
        else if (people.find(c.recorder) == nullptr)
          why += "; recorder " + c.recorder + " is not among the people, so nobody to escalate to";
        else
          why += "; no active superior found for " + c.recorder;
      }
      e.reason = std::move(why) + " (" + cat->article + ")";
      out.push_back(std::move(e));
    };
    const std::string name = cat->name.en.empty() ? cat->id : cat->name.en;
    if (!c.recorded_on && as_of > d.record_by)
      add(escalation_kind::record_overdue, d.record_by,
          name + " complaint raised " + c.raised_on.to_string() + " not recorded by " +
              d.record_by.to_string());
    if (!c.reported_on) {
      if (!report_only_if_unresolved(*cat)) {
        add(escalation_kind::report, d.report_by,
            name + " problems are reported to the superior and followed until resolved; due by " +
                d.report_by.to_string());
      } else if (as_of >= d.report_by) {
        add(escalation_kind::report, d.report_by,
            "objection still unresolved " + std::to_string(cat->report_within_days) +
                " days after it was raised: report it to the superior for help");
      }
    }
    if (as_of > d.resolve_by)
      add(escalation_kind::resolve_overdue, d.resolve_by,
          "not resolved by " + d.resolve_by.to_string() + " (" +
              std::to_string(cat->resolve_within_days) + " days for " + name + ")");
  }
  std::stable_sort(out.begin(), out.end(), [](const escalation& a, const escalation& b) {
    return std::tie(a.complaint, a.kind) < std::tie(b.complaint, b.kind);
  });
  return out;
}

std::variant<complaint, complaint_refusal> close_complaint(const complaint& c, date on) {
  if (c.closed_on)
    return complaint_refusal{complaint_refusal_kind::already_closed,
                             "complaint " + c.id + " was closed on " + c.closed_on->to_string()};
  for (const auto& e : c.escalations)
    if (e.open())
      return complaint_refusal{complaint_refusal_kind::open_escalation,
                               "complaint " + c.id + " has an open " +
                                   std::string(to_string(e.kind)) + " escalation to " + e.to +
                                   " (opened " + e.opened_on.to_string() +
                                   "): close the escalation first"};
  if (!c.resolved_on)
    return complaint_refusal{complaint_refusal_kind::not_resolved,
                             "complaint " + c.id +
                                 " is not resolved yet (Art. 8.1: followed "
                                 "until the responsible department has resolved it)"};
  if (on < *c.resolved_on)
    return complaint_refusal{complaint_refusal_kind::invalid_date,
                             "closing day " + on.to_string() + " is before it was resolved (" +
                                 c.resolved_on->to_string() + ")"};
  complaint closed = c;
  closed.closed_on = on;
  return closed;
}

}  // namespace keyaccount::care
