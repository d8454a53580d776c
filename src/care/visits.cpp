#include "keyaccount/care/visits.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "care/resolver.hpp"
#include "core/suggest.hpp"

namespace keyaccount::care {

namespace {

using detail::resolver;
using detail::responsible;

bool applies(const activity& a, const std::string& tier) {
  return a.tiers.empty() || std::find(a.tiers.begin(), a.tiers.end(), tier) != a.tiers.end();
}

const account* find_account(const std::vector<account>& accounts, const std::string& id) {
  for (const auto& a : accounts)
    if (a.id == id) return &a;
  return nullptr;
}

// Accounts by id, for the functions that look up every visit's customer (linear otherwise:
// visits × accounts).
class account_index {
 public:
  explicit account_index(const std::vector<account>& accounts) {
    for (const auto& a : accounts) by_id_.emplace(a.id, &a);
  }
  const account* find(const std::string& id) const {
    auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : it->second;
  }

 private:
  std::unordered_map<std::string, const account*> by_id_;
};

// Whether the visit was done, as known on `day`: its record says so, or the account's last-done
// date of the activity is on or after the planned day (a visit done early counts from the
// plan's day only: an earlier one was another visit).
bool done_by(const planned_visit& v, const activity& a, const account* acc, date day) {
  if (v.done_on && *v.done_on <= day) return true;
  if (!acc) return false;
  auto it = acc->last_done.find(a.id);
  return it != acc->last_done.end() && it->second >= v.on && it->second <= day;
}

bool briefed_by(const planned_visit& v, date day) { return v.briefed_on && *v.briefed_on <= day; }

std::string name_of(const org::directory& people, const std::string& id) {
  const auto* person = people.find(id);
  return person && !person->name.empty() ? person->name + " (" + id + ")" : id;
}

int days_late(date due, date as_of) {
  return static_cast<int>(std::max<std::int64_t>(0, days_between(due, as_of)));
}

}  // namespace

const activity* visit_activity(const policy& p, const planned_visit& v) noexcept {
  if (!v.activity.empty()) {
    const activity* a = p.find_activity(v.activity);
    return a && a->when.by_plan ? a : nullptr;
  }
  const activity* only = nullptr;
  for (const auto& a : p.activities)
    if (a.when.by_plan) {
      if (only) return nullptr;
      only = &a;
    }
  return only;
}

std::string visit_key(const planned_visit& v) {
  return v.customer + " by " + v.executive + " on " + v.on.to_string() +
         (v.activity.empty() ? "" : " for " + v.activity);
}

std::vector<std::string> visit_problems(const policy& p, const std::vector<account>& accounts,
                                        const org::directory& people, const planned_visit& v) {
  std::vector<std::string> problems;
  if (v.customer.empty()) {
    problems.push_back("customer: empty");
  } else if (!find_account(accounts, v.customer)) {
    std::vector<std::string> ids;
    for (const auto& a : accounts) ids.push_back(a.id);
    problems.push_back("customer: \"" + v.customer + "\" is not among the customers given" +
                       keyaccount::detail::did_you_mean(v.customer, ids));
  }
  if (!visit_activity(p, v)) {
    std::vector<std::string> by_plan;
    for (const auto& a : p.activities)
      if (a.when.by_plan) by_plan.push_back(a.id);
    if (!v.activity.empty())
      problems.push_back("activity: \"" + v.activity + "\" is not an activity by plan" +
                         (by_plan.empty() ? std::string(" (the policy has none)")
                                          : keyaccount::detail::did_you_mean(v.activity, by_plan)));
    else if (by_plan.empty())
      problems.push_back(
          "activity: the policy has no activity by plan (a `by_plan` cadence, Art. 9)");
    else
      problems.push_back("activity: required (the policy has several activities by plan)");
  }
  if (v.executive.empty())
    problems.push_back("executive: empty");
  else if (!people.find(v.executive))
    problems.push_back("executive: \"" + v.executive + "\" is not a known person");
  return problems;
}

std::vector<planned_activity> visit_plan_items(const policy& p,
                                               const std::vector<account>& accounts,
                                               const std::vector<planned_visit>& visits,
                                               const org::directory& people, date from, date to,
                                               std::vector<std::string>& warnings) {
  std::vector<planned_activity> out;
  resolver who(people);
  const account_index index(accounts);
  for (const auto& v : visits) {
    const activity* a = visit_activity(p, v);
    const account* acc = index.find(v.customer);
    if (!a || !acc) continue;  // refused by visit_problems before
    if (!applies(*a, acc->tier)) {
      warnings.push_back("visit plan: " + v.customer + " on " + v.on.to_string() + " is a " +
                         acc->tier + " customer, to whom " + a->id +
                         " does not apply: not planned");
      continue;
    }
    if (done_by(v, *a, acc, from)) continue;
    const auto& bp = *a->when.by_plan;
    planned_activity base;
    base.customer = acc->id;
    base.customer_name = acc->name;
    base.article = a->article;
    const std::string exec = name_of(people, v.executive);
    if (v.on <= to) {
      planned_activity visit = base;
      visit.activity = a->id;
      visit.activity_name = a->name;
      visit.position = a->responsible;
      visit.person = v.executive;
      if (const auto* person = people.find(v.executive)) visit.person_name = person->name;
      visit.due = v.on;
      visit.overdue = v.on < from;
      visit.basis = "planned visit by " + exec + " (by plan, no fixed interval; organised by " +
                    a->responsible + ")" + (visit.overdue ? ": not done" : "");
      out.push_back(std::move(visit));
    }
    // The briefing is owed while the visit is ahead.
    const date due = v.on.add_days(-bp.briefing_lead_days);
    if (v.on >= from && due <= to && !briefed_by(v, from)) {
      planned_activity brief = base;
      brief.activity = a->id + ".briefing";
      brief.activity_name = {a->name.en + " briefing",
                             a->name.zh.empty() ? "" : a->name.zh + "准备"};
      brief.position = bp.briefing_by;
      const responsible r =
          bp.briefing_by_owner ? who.owner(bp.briefing_by, *acc) : who.holder(bp.briefing_by, *acc);
      if (r.person) {
        brief.person = r.person->id;
        brief.person_name = r.person->name;
      }
      brief.due = due;
      brief.overdue = due < from;
      brief.basis = "customer information for " + exec + "'s visit on " + v.on.to_string() + ", " +
                    std::to_string(bp.briefing_lead_days) + " days before" +
                    (r.note.empty() ? "" : "; " + r.note);
      out.push_back(std::move(brief));
    }
  }
  return out;
}

std::vector<finding> visit_findings(const policy& p, const std::vector<account>& accounts,
                                    const std::vector<planned_visit>& visits,
                                    const org::directory& people, date as_of) {
  std::vector<finding> out;
  resolver who(people);
  const account_index index(accounts);
  for (const auto& a : p.activities) {
    if (!a.when.by_plan) continue;
    const auto& bp = *a.when.by_plan;
    const date horizon = as_of.add_days(bp.horizon_days);
    std::map<std::string, bool> planned;  // customer → a visit ahead within the horizon
    for (const auto& v : visits) {
      if (visit_activity(p, v) != &a) continue;
      const account* acc = index.find(v.customer);
      if (!acc || !applies(a, acc->tier) || done_by(v, a, acc, as_of)) continue;
      const std::string exec = name_of(people, v.executive);
      if (v.on < as_of) {
        finding f;
        f.kind = finding_kind::visit_not_done;
        f.customer = v.customer;
        f.subject = a.id;
        f.article = a.article;
        f.due = v.on;
        f.days_overdue = days_late(v.on, as_of);
        f.responsible = v.executive;
        f.detail = "the visit by " + exec + " planned for " + v.on.to_string() +
                   " was not done (no record of it on or after that day)";
        out.push_back(std::move(f));
        continue;
      }
      if (v.on <= horizon) planned[v.customer] = true;
      const date due = v.on.add_days(-bp.briefing_lead_days);
      if (due < as_of && !briefed_by(v, as_of)) {
        const responsible r = bp.briefing_by_owner ? who.owner(bp.briefing_by, *acc)
                                                   : who.holder(bp.briefing_by, *acc);
        finding f;
        f.kind = finding_kind::visit_briefing_overdue;
        f.customer = v.customer;
        f.subject = a.id + ".briefing";
        f.article = a.article;
        f.due = due;
        f.days_overdue = days_late(due, as_of);
        f.responsible = r.person ? r.person->id : std::string();
        f.detail = "the briefing for " + exec + "'s visit on " + v.on.to_string() + " was due " +
                   due.to_string() + " (" + std::to_string(bp.briefing_lead_days) +
                   " days before) and has not been handed over" +
                   (r.note.empty() ? "" : "; " + r.note);
        out.push_back(std::move(f));
      }
    }
    for (const auto& acc : accounts) {
      if (!applies(a, acc.tier) || planned.count(acc.id)) continue;
      const responsible r = who.holder(a.responsible, acc);
      finding f;
      f.kind = finding_kind::no_visit_planned;
      f.customer = acc.id;
      f.subject = a.id;
      f.article = a.article;
      f.responsible = r.person ? r.person->id : std::string();
      f.detail = "no " + a.id + " planned from " + as_of.to_string() + " to " +
                 horizon.to_string() + " (" + std::to_string(bp.horizon_days) +
                 " days): visits are by plan (" + a.article + ")" +
                 (r.note.empty() ? "" : "; " + r.note);
      out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace keyaccount::care
