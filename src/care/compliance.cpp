#include "keyaccount/care/compliance.hpp"

#include <algorithm>
#include <tuple>

#include "keyaccount/care/known_facts.hpp"
#include "keyaccount/care/symposium.hpp"
#include "keyaccount/care/visits.hpp"
#include "keyaccount/org/ownership.hpp"

namespace keyaccount::care {

std::string_view to_string(finding_kind k) noexcept {
  switch (k) {
    case finding_kind::activity_overdue:
      return "activity_overdue";
    case finding_kind::no_valid_owner:
      return "no_valid_owner";
    case finding_kind::owner_over_capacity:
      return "owner_over_capacity";
    case finding_kind::profile_missing:
      return "profile_missing";
    case finding_kind::profile_incomplete:
      return "profile_incomplete";
    case finding_kind::profile_stale:
      return "profile_stale";
    case finding_kind::complaint_overdue:
      return "complaint_overdue";
    case finding_kind::symposium_not_invited:
      return "symposium_not_invited";
    case finding_kind::symposium_not_held:
      return "symposium_not_held";
    case finding_kind::visit_not_done:
      return "visit_not_done";
    case finding_kind::no_visit_planned:
      return "no_visit_planned";
    case finding_kind::visit_briefing_overdue:
      return "visit_briefing_overdue";
  }
  return "activity_overdue";
}

std::map<std::string, int> compliance_report::counts() const {
  std::map<std::string, int> out;
  for (const auto& f : findings) ++out[std::string(to_string(f.kind))];
  return out;
}

namespace {

int days_late(date due, date as_of) {
  return static_cast<int>(std::max<std::int64_t>(0, days_between(due, as_of)));
}

bool in_tiers(const std::vector<std::string>& tiers, const std::string& tier) {
  return tiers.empty() || std::find(tiers.begin(), tiers.end(), tier) != tiers.end();
}

}  // namespace

compliance_report check_compliance(const policy& p, const festival_calendar& calendar,
                                   const compliance_inputs& inputs, const org::directory& people,
                                   date as_of) {
  compliance_report report;
  report.as_of = as_of;
  static const std::vector<account> none;
  const auto& accounts = inputs.accounts ? *inputs.accounts : none;

  // Activities: a plan for the single day as_of lists what is overdue or never done.
  plan today =
      make_plan(p, calendar, accounts, people, {as_of, as_of, 0, inputs.symposium, inputs.visits});
  report.warnings = today.warnings;
  for (const auto& item : today.items) {
    if (!item.overdue && !item.never_done) continue;
    if (p.symposium &&
        (item.activity == p.symposium->id || item.activity == p.symposium->id + ".invitation"))
      continue;  // the symposium's items: checked below, by its deadline
    if (const activity* act = p.find_activity(item.activity.substr(0, item.activity.find('.')));
        act && act->when.by_plan)
      continue;  // visits by plan and their briefings (Art. 9): checked below
    finding f;
    f.kind = finding_kind::activity_overdue;
    f.customer = item.customer;
    f.subject = item.festival.empty() ? item.activity : item.activity + "@" + item.festival;
    f.article = item.article;
    f.responsible = item.person;
    f.detail = item.basis;  // the planner's basis already says "never done" when it was
    if (item.overdue) {     // a yearly event missed this year is overdue even if never done
      f.due = item.due;
      f.days_overdue = days_late(item.due, as_of);
    }
    report.findings.push_back(std::move(f));
  }

  // The symposium (Art. 10): the latest event past its deadline was held, and everyone is
  // invited to the one ahead once its invitations were due.
  if (p.symposium) {
    static const std::vector<symposium_event> no_events;
    const auto& events = inputs.symposium ? *inputs.symposium : no_events;
    const auto& s = *p.symposium;
    const int passed = symposium_last_passed_year(s, as_of);
    std::vector<std::string> warnings;  // the plan above warned of these already
    if (symposium_in_force(p, passed)) {
      const auto st = symposium_in(p, accounts, events, people, passed, as_of, warnings);
      if (!st.held) {
        finding f;
        f.kind = finding_kind::symposium_not_held;
        f.subject = s.id;
        f.article = s.article;
        f.due = st.deadline;
        f.days_overdue = days_late(st.deadline, as_of);
        f.responsible = st.organizer;
        f.detail = "the " + std::to_string(passed) + " symposium was not held by " +
                   st.deadline.to_string() +
                   (st.on ? " (planned for " + st.on->to_string() + ")" : " (no date recorded)");
        report.findings.push_back(std::move(f));
      }
    }
    if (symposium_in_force(p, passed + 1)) {
      const auto st = symposium_in(p, accounts, events, people, passed + 1, as_of, warnings);
      if (as_of > st.invitations_due)
        for (const auto& i : st.invitees) {
          if (i.invited_on) continue;
          finding f;
          f.kind = finding_kind::symposium_not_invited;
          f.customer = i.customer;
          f.subject = s.id;
          f.article = s.article;
          f.due = st.invitations_due;
          f.days_overdue = days_late(st.invitations_due, as_of);
          f.responsible = i.owner;
          f.detail = "not invited to the " + std::to_string(passed + 1) + " symposium" +
                     (st.on ? " on " + st.on->to_string() : "") + ": invitations were due " +
                     st.invitations_due.to_string() + (st.held ? "; it was held without it" : "") +
                     (i.note.empty() ? "" : "; " + i.note);
          report.findings.push_back(std::move(f));
        }
    }
  }

  // Executive visits by plan (Art. 9): planned visits not done, customers with none planned,
  // briefings not prepared. Without a visit plan every customer has none planned.
  {
    static const std::vector<planned_visit> no_visits;
    for (auto& f :
         visit_findings(p, accounts, inputs.visits ? *inputs.visits : no_visits, people, as_of))
      report.findings.push_back(std::move(f));
  }

  // Owners (Art. 6.2).
  if (p.ownership) {
    std::vector<org::customer_ref> refs;
    std::vector<org::assignment> assignments;
    for (const auto& a : accounts) {
      refs.push_back({a.id, a.tier});
      if (!a.owner.empty()) assignments.push_back({a.id, a.owner});
    }
    auto owners = org::check_ownership(*p.ownership, people, refs, assignments);
    for (const auto& issue : owners.issues) {
      finding f;
      f.kind = issue.kind == org::ownership_issue_kind::over_capacity
                   ? finding_kind::owner_over_capacity
                   : finding_kind::no_valid_owner;
      f.customer = issue.customer;
      f.subject = issue.owner.empty() ? std::string(org::to_string(issue.kind)) : issue.owner;
      f.article = p.ownership->article;
      f.responsible = issue.owner;
      f.detail = issue.message;
      report.findings.push_back(std::move(f));
    }
  }

  // Profile cards (Art. 6.1), as the classifier checked them.
  if (inputs.profiles) {
    report.profiles_checked = true;
    const std::string article = p.dynamics ? p.dynamics->article : "art-6.1";
    const std::vector<std::string> key_tiers =
        p.ownership ? p.ownership->tiers : std::vector<std::string>{};
    for (const auto& a : accounts) {
      if (!in_tiers(key_tiers, a.tier)) continue;
      auto it = inputs.profiles->find(a.id);
      finding f;
      f.customer = a.id;
      f.subject = "profile";
      f.article = article;
      f.responsible = a.owner;
      if (it == inputs.profiles->end() || !it->second.present) {
        f.kind = finding_kind::profile_missing;
        f.detail = "no customer profile card (客户资料卡)";
        report.findings.push_back(f);
        continue;
      }
      const auto& s = it->second;
      if (!s.missing_fields.empty()) {
        f.kind = finding_kind::profile_incomplete;
        f.detail = "profile card lacks:";
        for (const auto& m : s.missing_fields) f.detail += " " + m;
        report.findings.push_back(f);
      }
      if (s.stale) {
        f.kind = finding_kind::profile_stale;
        if (s.updated_on) f.due = s.updated_on->add_days(s.max_age_days);
        f.days_overdue = f.due ? days_late(*f.due, as_of) : 0;
        f.detail = "profile card updated " +
                   (s.updated_on ? s.updated_on->to_string() : std::string("never")) + ", " +
                   std::to_string(s.age_days.value_or(0)) + " days old (at most " +
                   std::to_string(s.max_age_days) + ")";
        report.findings.push_back(f);
      }
    }
  }

  // Complaints past a deadline (Art. 8).
  if (inputs.complaints && p.complaints) {
    const auto& rules = *p.complaints;
    check_complaints(rules, *inputs.complaints);
    for (complaint c : *inputs.complaints) {
      // A resolution dated after as_of was not known on as_of: the deadline was still missed.
      for (auto& w : prefixed("complaint " + c.id, drop_later_facts(c, as_of)))
        report.warnings.push_back(std::move(w));
      if (c.closed_on || !known_on(c, as_of)) continue;
      const auto d = deadlines_of(rules, c);
      std::string article;
      for (const auto& cat : rules.categories)
        if (cat.id == c.category) article = cat.article;
      auto add = [&](date due, const std::string& what) {
        finding f;
        f.kind = finding_kind::complaint_overdue;
        f.customer = c.customer;
        f.subject = c.id;
        f.article = article;
        f.due = due;
        f.days_overdue = days_late(due, as_of);
        f.responsible = c.recorder;
        f.detail = c.category + " complaint raised " + c.raised_on.to_string() + " not " + what +
                   " by " + due.to_string();
        report.findings.push_back(std::move(f));
      };
      if (!c.recorded_on && as_of > d.record_by) add(d.record_by, "recorded");
      if (!c.resolved_on && !c.reported_on && as_of > d.report_by)
        add(d.report_by, "reported to the superior");
      if (!c.resolved_on && as_of > d.resolve_by) add(d.resolve_by, "resolved");
    }
  }

  std::stable_sort(
      report.findings.begin(), report.findings.end(), [](const finding& a, const finding& b) {
        return std::tie(a.kind, a.customer, a.subject) < std::tie(b.kind, b.customer, b.subject);
      });
  return report;
}

}  // namespace keyaccount::care
