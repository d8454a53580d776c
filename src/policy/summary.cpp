#include "keyaccount/policy/summary.hpp"

#include <sstream>

namespace keyaccount {
namespace {

std::string both(const localized_name& n) {
  if (n.zh.empty()) return n.en;
  if (n.en.empty()) return n.zh;
  return n.en + " (" + n.zh + ")";
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

std::string combination(combinator c, int k, const std::vector<std::string>& parts) {
  switch (c) {
    case combinator::all:
      return "all of " + join(parts, ", ");
    case combinator::any:
      return "any of " + join(parts, ", ");
    case combinator::at_least:
      return "at least " + std::to_string(k) + " of " + join(parts, ", ");
  }
  return {};
}

std::string number(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

void describe_criterion(std::ostringstream& out, const policy& p, const std::string& id,
                        int depth) {
  const criterion* c = p.find_criterion(id);
  if (c == nullptr || depth > 16) return;
  std::string indent(static_cast<std::size_t>(4 + depth * 2), ' ');
  out << indent << "[" << c->article << "] " << both(c->name);
  if (c->is_leaf()) {
    out << ": " << c->condition << '\n';
    return;
  }
  out << ": " << combination(c->combine, c->at_least, c->parts) << '\n';
  for (const auto& part : c->parts) describe_criterion(out, p, part, depth + 1);
}

std::string cadence_text(const cadence& c) {
  if (c.every_days > 0) return "every " + std::to_string(c.every_days) + " days";
  if (c.every_months > 0) return "every " + std::to_string(c.every_months) + " months";
  if (c.yearly_on) return "yearly on " + c.yearly_on->to_string();
  if (!c.festivals.empty()) {
    return std::to_string(c.lead_days) + " days before " + join(c.festivals, ", ");
  }
  if (c.by_plan) {
    const auto& b = *c.by_plan;
    return "by the visit plan (no fixed interval; a customer with none planned within " +
           std::to_string(b.horizon_days) + " days is reported); briefing by " +
           (b.briefing_by_owner ? "the owner, " : "") + b.briefing_by + " " +
           std::to_string(b.briefing_lead_days) + " days before each visit";
  }
  return "unscheduled";
}

}  // namespace

std::string summarize(const policy& p) {
  std::ostringstream out;
  const auto& d = p.document;
  out << both(d.name) << "\n  number " << d.number << ", version " << d.version << ", "
      << d.controlled_status << "; executed by " << d.executing_department << ", supervised by "
      << d.supervising_department << '\n';
  if (d.effective_on) out << "  effective " << d.effective_on->to_string();
  if (d.approved_on) out << " (approved " << d.approved_on->to_string() << ")";
  out << "\n\n";

  out << "Parameters (the template's blanks):\n";
  for (const auto& param : p.parameters) {
    out << "  " << param.id << " = " << number(param.value)
        << (param.unit.empty() ? "" : " " + param.unit);
    if (param.minimum && param.maximum)
      out << " (" << number(*param.minimum) << ".." << number(*param.maximum) << ")";
    else if (param.minimum)
      out << " (at least " << number(*param.minimum) << ")";
    else if (param.maximum)
      out << " (at most " << number(*param.maximum) << ")";
    out << "  [" << param.article << "] " << both(param.name) << '\n';
  }

  out << "\nTiers (first match wins):\n";
  for (const auto& t : p.tiers) {
    out << "  " << t.id << " — " << both(t.name);
    if (t.fallback) {
      out << ": everyone else\n";
      continue;
    }
    out << ": " << combination(t.rule->combine, t.rule->at_least, t.rule->parts) << '\n';
    for (const auto& part : t.rule->parts) describe_criterion(out, p, part, 0);
  }

  out << "\nPositions (Art. 3):\n";
  for (const auto& pos : p.org.positions) {
    out << "  " << pos.id << " — " << both(pos.name) << ", " << pos.department;
    if (pos.reports_to) out << ", reports to " << *pos.reports_to;
    out << '\n';
  }

  out << "\nWorkflows:\n";
  for (const auto& w : p.workflows) {
    out << "  " << w.id << " [" << w.article << "] " << both(w.name) << "\n    submitted by "
        << join(w.initiators, " or ");
    if (!w.entry_condition.empty()) out << ", when " << w.entry_condition;
    out << '\n';
    for (const auto& s : w.steps) {
      out << "    → " << s.id << ": " << both(s.name) << " — "
          << (s.mode == approval_mode::all_of   ? "all of "
              : s.mode == approval_mode::quorum ? std::to_string(s.quorum) + " of "
                                                : "one of ")
          << join(s.approvers, ", ");
      if (!s.condition.empty()) out << " when " << s.condition;
      if (s.deadline_days > 0) out << ", within " << s.deadline_days << " days";
      out << '\n';
    }
  }

  out << "\nMaintenance activities:\n";
  for (const auto& a : p.activities) {
    out << "  " << a.id << " [" << a.article << "] " << both(a.name) << ": " << cadence_text(a.when)
        << ", by " << (a.assignee == "owner" ? "the owner, " : "") << a.responsible;
    if (!a.workflow.empty()) out << ", via workflow " << a.workflow;
    out << '\n';
  }

  if (p.symposium) {
    const auto& s = *p.symposium;
    out << "\nSymposium (one event a year):\n  " << s.id << " [" << s.article << "] "
        << both(s.name) << ": held between " << s.window.from.to_string() << " and "
        << s.window.to.to_string() << ", organised by " << s.organizer << "\n    invitees: every "
        << join(s.tiers, " or ") << " customer; invitations " << s.invitation_lead_days
        << " days before the event, by " << (s.inviter_is_owner ? "the owner, " : "") << s.inviter
        << '\n';
  }

  if (p.supply_watch) {
    const auto& w = *p.supply_watch;
    out << "\nDemand and supply watch [" << w.article << ", " << w.notice_article << "]:\n"
        << "  every " << join(w.tiers, " or ") << " customer's monthly demand = " << w.demand
        << (w.unit.empty() ? "" : " (" + w.unit + ")") << "\n    projected " << w.horizon_months
        << " months ahead, compared with stock and incoming supply "
        << (w.product_field.empty() ? "in aggregate" : "per product (" + w.product_field + ")")
        << "; a shortfall is notified by " << w.watcher << " to " << w.notify << ' ' << w.lead_days
        << " days before the short month\n";
  }
  return out.str();
}

}  // namespace keyaccount
