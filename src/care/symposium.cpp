#include "keyaccount/care/symposium.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "care/resolver.hpp"
#include "keyaccount/care/known_facts.hpp"

namespace keyaccount::care {

namespace {

bool invited_tier(const symposium_rule& s, const std::string& tier) {
  return std::find(s.tiers.begin(), s.tiers.end(), tier) != s.tiers.end();
}

std::string window_text(const symposium_rule& s) {
  return s.window.from.to_string() + ".." + s.window.to.to_string();
}

}  // namespace

std::vector<std::string> symposium_event_problems(const policy& p, const symposium_event& e) {
  std::vector<std::string> problems;
  if (!p.symposium) {
    problems.emplace_back("the policy has no `symposium` section (Art. 10)");
    return problems;
  }
  const auto& s = *p.symposium;
  const date first = in_year(s.window.from, e.on.year());
  const date last = in_year(s.window.to, e.on.year());
  if (e.on < first || e.on > last)
    problems.push_back("date: " + e.on.to_string() + " is outside the symposium's window " +
                       window_text(s) + " (" + s.article + ")");
  for (const auto& [customer, sent] : e.invited)
    if (sent > e.on)
      problems.push_back("invited." + customer + ": sent " + sent.to_string() +
                         ", after the event on " + e.on.to_string());
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < e.attended.size(); ++i) {
    const auto& customer = e.attended[i];
    const std::string at = "attended[" + std::to_string(i) + "]";
    if (!e.held)
      problems.push_back(at + ": " + customer +
                         " attended an event not held (set \"held\": true once it took place)");
    else if (!e.invited.count(customer))
      problems.push_back(at + ": " + customer +
                         " attended but was not invited (add it to "
                         "\"invited\" with the day it was sent)");
    if (!seen.insert(customer).second)
      problems.push_back(at + ": " + customer + " is listed twice");
  }
  return problems;
}

symposium_status symposium_in(const policy& p, const std::vector<account>& accounts,
                              const std::vector<symposium_event>& events,
                              const org::directory& people, int year, date as_of,
                              std::vector<std::string>& warnings) {
  if (!p.symposium) throw std::logic_error("symposium_in: the policy has no symposium section");
  const auto& s = *p.symposium;
  std::vector<std::string> problems;
  const symposium_event* given = nullptr;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const auto& e = events[i];
    if (e.on.year() != year) continue;
    const std::string at = "symposium[" + std::to_string(i) + "].";
    for (const auto& problem : symposium_event_problems(p, e)) problems.push_back(at + problem);
    if (given)
      problems.push_back(at + "date: a second event in " + std::to_string(year) + " (also " +
                         given->on.to_string() + "): the symposium is held once a year");
    given = &e;
  }
  if (!problems.empty()) throw plan_error(std::move(problems));

  symposium_status out;
  out.year = year;
  out.deadline = in_year(s.window.to, year);
  symposium_event known;
  if (given) {
    known = *given;
    for (auto& w : prefixed("symposium " + given->on.to_string(), drop_later_facts(known, as_of)))
      warnings.push_back(std::move(w));
    out.on = known.on;
    out.held = known.held;
  }
  out.invitations_due = (out.on ? *out.on : in_year(s.window.from, year))
                            .add_days(-static_cast<std::int64_t>(s.invitation_lead_days));
  if (auto holders = people.holders(s.organizer); !holders.empty())
    out.organizer = holders.front()->id;

  detail::resolver who(people);
  std::set<std::string> invitees;
  for (const auto& a : accounts) {
    if (!invited_tier(s, a.tier)) continue;
    invitees.insert(a.id);
    symposium_invitee i;
    i.customer = a.id;
    i.customer_name = a.name;
    const detail::responsible r =
        s.inviter_is_owner ? who.owner(s.inviter, a) : who.holder(s.inviter, a);
    if (r.person)
      i.owner = r.person->id;
    else
      i.note = r.note;
    if (auto it = known.invited.find(a.id); it != known.invited.end()) i.invited_on = it->second;
    i.attended =
        std::find(known.attended.begin(), known.attended.end(), a.id) != known.attended.end();
    out.invitees.push_back(std::move(i));
  }
  std::sort(out.invitees.begin(), out.invitees.end(),
            [](const symposium_invitee& x, const symposium_invitee& y) {
              return x.customer < y.customer;
            });
  std::set<std::string> others;
  for (const auto& [customer, sent] : known.invited)
    if (!invitees.count(customer)) others.insert(customer);
  for (const auto& customer : known.attended)
    if (!invitees.count(customer)) others.insert(customer);
  out.others.assign(others.begin(), others.end());
  return out;
}

int symposium_last_passed_year(const symposium_rule& s, date d) noexcept {
  return in_year(s.window.to, d.year()) < d ? d.year() : d.year() - 1;
}

bool symposium_in_force(const policy& p, int year) noexcept {
  const auto& effective = p.document.effective_on;
  return !p.symposium || !effective || in_year(p.symposium->window.to, year) >= *effective;
}

std::vector<planned_activity> symposium_plan_items(const policy& p,
                                                   const std::vector<account>& accounts,
                                                   const std::vector<symposium_event>& events,
                                                   const org::directory& people, date from, date to,
                                                   std::vector<std::string>& warnings) {
  std::vector<planned_activity> out;
  if (!p.symposium) return out;
  const auto& s = *p.symposium;
  const int last_passed = symposium_last_passed_year(s, from);
  auto name_of = [&](const std::string& person) {
    const auto* who = person.empty() ? nullptr : people.find(person);
    return who ? who->name : std::string();
  };
  // The next year's invitations may fall in the period (a window in January: invitations in
  // December), so one year past the period's end is looked at too.
  const int last_year = std::min(to.year() + 1, 9999);
  for (int y = last_passed; y <= last_year; ++y) {
    if (!symposium_in_force(p, y)) continue;
    const auto st = symposium_in(p, accounts, events, people, y, from, warnings);
    const std::string year = std::to_string(y);
    for (const auto& other : st.others)
      warnings.push_back("symposium " + year + ": " + other +
                         " is recorded as invited or attending but is not an invitee (not a " +
                         "given customer of the invited tiers)");
    if (st.held) continue;
    const date event_due = st.on ? *st.on : st.deadline;
    if (event_due <= to) {
      auto& item = out.emplace_back();
      item.customer_name = "all " + std::to_string(st.invitees.size()) + " invitees";
      item.activity = s.id;
      item.activity_name = s.name;
      item.article = s.article;
      item.position = s.organizer;
      item.person = st.organizer;
      item.person_name = name_of(st.organizer);
      item.due = event_due;
      item.overdue = event_due < from;
      item.basis = "yearly event in " + window_text(s) + " for " +
                   std::to_string(st.invitees.size()) + " invitees" +
                   (st.on ? ", planned for " + st.on->to_string()
                          : ", not dated yet: to be held by " + st.deadline.to_string());
      if (y == last_passed)
        item.basis += "; not held by " + st.deadline.to_string();
      else if (item.overdue)
        item.basis += "; not recorded as held";
      if (st.organizer.empty()) item.basis += "; nobody holds " + s.organizer;
    }
    if (y == last_passed) continue;  // invitations to an event past its deadline: too late
    for (const auto& i : st.invitees) {
      if (i.invited_on || st.invitations_due > to) continue;
      auto& item = out.emplace_back();
      item.customer = i.customer;
      item.customer_name = i.customer_name;
      item.activity = s.id + ".invitation";
      item.activity_name = {"Invitation: " + s.name.en,
                            s.name.zh.empty() ? "" : s.name.zh + "邀请"};
      item.article = s.article;
      item.position = s.inviter;
      item.person = i.owner;
      item.person_name = name_of(i.owner);
      item.due = st.invitations_due;
      item.overdue = st.invitations_due < from;
      item.basis =
          std::to_string(s.invitation_lead_days) + " days before the " + year + " symposium (" +
          (st.on ? st.on->to_string() : "window opens " + in_year(s.window.from, y).to_string()) +
          ")";
      if (!i.note.empty()) item.basis += "; " + i.note;
    }
  }
  return out;
}

}  // namespace keyaccount::care
