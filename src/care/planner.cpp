#include "keyaccount/care/planner.hpp"

#include <algorithm>
#include <iterator>
#include <numeric>
#include <set>
#include <tuple>

#include "care/resolver.hpp"
#include "care/unknown_id.hpp"
#include "keyaccount/care/known_facts.hpp"
#include "keyaccount/care/symposium.hpp"
#include "keyaccount/care/visits.hpp"

namespace keyaccount::care {

namespace {

using detail::resolver;
using detail::responsible;

bool applies(const activity& a, const std::string& tier) {
  return a.tiers.empty() || std::find(a.tiers.begin(), a.tiers.end(), tier) != a.tiers.end();
}

std::string days_text(int n, const char* unit) {
  return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
}

// The settings an override sets, by name.
std::vector<std::string> settings_of(const activity_override& own) {
  std::vector<std::string> out;
  if (own.every_days) out.emplace_back("every_days");
  if (own.every_months) out.emplace_back("every_months");
  if (own.yearly_on) out.emplace_back("yearly_on");
  if (own.lead_days) out.emplace_back("lead_days");
  if (own.responsible) out.emplace_back("responsible");
  return out;
}

// Every `<activity>.<setting>` the policy's principles let a customer override (Art. 6.3).
std::vector<std::string> overridable_entries(const policy& p) {
  std::vector<std::string> out;
  for (const auto& principle : p.principles)
    out.insert(out.end(), principle.overridable.begin(), principle.overridable.end());
  return out;
}

// The article of the principle that lets a customer override `entry`; empty when none does.
std::string override_article(const policy& p, std::string_view entry) {
  for (const auto& principle : p.principles)
    for (const auto& e : principle.overridable)
      if (e == entry) return principle.article;
  return {};
}

// An activity as it applies to one customer: the policy's cadence and responsible position,
// with the customer's own standard (Art. 6.3) in place where it has one.
struct applied_activity {
  cadence when;
  std::string responsible;
  std::string note;  // " for this customer (art-6.3 override)" when the cadence is its own
  std::string responsible_note;  // "; responsible: X for this customer (…)" likewise
};

applied_activity apply_override(const policy& p, const activity& a, const activity_override& own) {
  applied_activity out{a.when, a.responsible, "", ""};
  auto note_for = [&](const char* setting) {
    return " for this customer (" + override_article(p, a.id + "." + setting) + " override)";
  };
  // Each cadence setting the customer has replaces the policy's, and the basis says so.
  auto take = [&](const auto& mine, auto& field, const char* setting) {
    if (!mine) return;
    field = *mine;
    out.note = note_for(setting);
  };
  take(own.every_days, out.when.every_days, "every_days");
  take(own.every_months, out.when.every_months, "every_months");
  take(own.yearly_on, out.when.yearly_on, "yearly_on");
  take(own.lead_days, out.when.lead_days, "lead_days");
  if (own.responsible) {
    out.responsible = *own.responsible;
    out.responsible_note = "; responsible: " + *own.responsible + note_for("responsible");
  }
  return out;
}

}  // namespace

plan_error::plan_error(std::vector<std::string> problems)
    : error(error_kind::plan, listing("invalid planning input", problems), problems) {}

std::vector<std::string> account_problems(const policy& p, const account& a) {
  std::vector<std::string> problems;
  if (a.id.empty()) problems.push_back("id: empty");
  if (!p.find_tier(a.tier))
    problems.push_back("tier: " + detail::unknown_id("tier", a.tier, p.tiers));
  for (const auto& [key, when] : a.last_done) {
    const auto at = key.find('@');
    const auto name = std::string_view(key).substr(0, at);
    const activity* act = p.find_activity(name);
    if (!act && p.symposium && name == p.symposium->id) {
      // The symposium used to be read per customer: say where its record goes now.
      problems.push_back("last_done." + key + ": " + p.symposium->id + " is the symposium (" +
                         p.symposium->article +
                         "), one event a year: record it in the symposium's records "
                         "(date, held, invited, attended), not per account");
    } else if (!act) {
      problems.push_back("last_done." + key + ": " +
                         detail::unknown_id("activity", name, p.activities));
    } else if (at != std::string::npos) {
      // `activity@festival`: a festival the activity is not held for would never be read, and
      // the gift would be planned as never given.
      const std::string_view fest = std::string_view(key).substr(at + 1);
      const auto& ids = act->when.festivals;
      if (std::find(ids.begin(), ids.end(), fest) == ids.end()) {
        std::vector<std::string> known(ids.begin(), ids.end());
        std::string list;
        for (const auto& f : known) list += (list.empty() ? "" : ", ") + f;
        std::string hint = keyaccount::detail::did_you_mean(fest, known);
        problems.push_back(
            "last_done." + key + ": " + std::string(name) + " is not held for festival \"" +
            std::string(fest) + "\"" + hint +
            (list.empty() ? " (it has no festivals)" : " (its festivals: " + list + ")"));
      }
    }
  }
  for (const auto& [activity_id, own] : a.overrides) {
    if (!p.find_activity(activity_id)) {
      problems.push_back("overrides." + activity_id + ": " +
                         detail::unknown_id("activity", activity_id, p.activities));
      continue;
    }
    for (const auto& setting : settings_of(own)) {
      const std::string entry = activity_id + "." + setting;
      if (override_article(p, entry).empty()) {
        const auto allowed = overridable_entries(p);
        std::string list;
        for (const auto& e : allowed) list += (list.empty() ? "" : ", ") + e;
        problems.push_back("overrides." + entry +
                           ": not overridable under this policy (art-6.3: its principles list " +
                           (list.empty() ? std::string("none") : list) + ")" +
                           keyaccount::detail::did_you_mean(entry, allowed));
      }
    }
    if (own.responsible && !p.find_position(*own.responsible))
      problems.push_back("overrides." + activity_id + ".responsible: " +
                         detail::unknown_id("position", *own.responsible, p.org.positions));
  }
  return problems;
}

plan make_plan(const policy& p, const festival_calendar& calendar,
               const std::vector<account>& given, const org::directory& people,
               const plan_options& options) {
  // Only what was known on the period's first day counts: a last-done date after it is
  // ignored (with a warning), so an activity whose only record is later is never done. Copied
  // only when some account has one; readers that drop them as they read (with the file and
  // line) leave none here.
  std::vector<account> known;
  std::vector<std::string> ignored;
  const bool any_later = std::any_of(given.begin(), given.end(), [&](const account& a) {
    return std::any_of(a.last_done.begin(), a.last_done.end(),
                       [&](const auto& done) { return done.second > options.from; });
  });
  if (any_later) {
    known = given;
    for (auto& a : known)
      for (auto& w : prefixed(a.id, drop_later_facts(a, options.from))) ignored.push_back(w);
  }
  const std::vector<account>& accounts = any_later ? known : given;
  std::vector<std::string> problems;
  if (options.to < options.from)
    problems.push_back("period: ends " + options.to.to_string() + " before it starts " +
                       options.from.to_string());
  std::set<std::string_view> ids;
  for (std::size_t i = 0; i < accounts.size(); ++i) {
    const auto& a = accounts[i];
    // Built only for a problem: most accounts have none.
    auto at = [i] { return "accounts[" + std::to_string(i) + "]."; };
    if (!a.id.empty() && !ids.insert(a.id).second)
      problems.push_back(at() + "id: duplicate account id " + a.id);
    for (auto& problem : account_problems(p, a)) problems.push_back(at() + problem);
  }
  if (options.visits)
    for (std::size_t i = 0; i < options.visits->size(); ++i)
      for (auto& problem : visit_problems(p, accounts, people, (*options.visits)[i]))
        problems.push_back("visits[" + std::to_string(i) + "]." + problem);
  if (!problems.empty()) throw plan_error(std::move(problems));

  plan out;
  out.from = options.from;
  out.to = options.to;
  out.warnings = std::move(ignored);
  resolver who(people);
  const date from = options.from;
  const date to = options.to;

  // A festival an activity needs, without a date in a planned year: say so once.
  for (const auto& a : p.activities)
    for (const auto& fid : a.when.festivals) {
      const auto* f = calendar.find(fid);
      for (int y = from.year(); y <= to.year(); ++y) {
        bool has = f && std::any_of(f->dates.begin(), f->dates.end(),
                                    [&](date d) { return d.year() == y; });
        if (!has)
          out.warnings.push_back("festival " + fid + " has no date in " + std::to_string(y) +
                                 ": activity " + a.id +
                                 " cannot be planned for it; extend the festival calendar");
      }
    }

  // Output order is due date, then customer, activity and festival id as text, then the
  // order of listing. Accounts, activities and each activity's festivals are visited in the
  // text order of their ids (equal ids in input order), so occurrences are listed in output
  // order but for the due date, and a stable sort by due date alone finishes it: cheaper than
  // comparing four ids per pair.
  auto text_order = [](std::size_t n, auto id_of) {
    std::vector<std::uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::uint32_t x, std::uint32_t y) { return id_of(x) < id_of(y); });
    return order;
  };
  const auto account_order = text_order(
      accounts.size(), [&](std::size_t i) -> const std::string& { return accounts[i].id; });
  const auto activity_order = text_order(
      p.activities.size(), [&](std::size_t i) -> const std::string& { return p.activities[i].id; });
  std::vector<std::vector<std::uint32_t>> festival_order;  // per activity
  for (const auto& a : p.activities)
    festival_order.push_back(
        text_order(a.when.festivals.size(),
                   [&](std::size_t i) -> const std::string& { return a.when.festivals[i]; }));

  // Two passes. First every occurrence is listed as a small record (indices and pointers
  // into the inputs, and the basis text) with its sort key; then the keys are sorted and each
  // planned_activity is built once, in its final place. Items are large (~650 bytes, a dozen
  // strings, a workflow action): building them in generation order and then moving them into
  // output order cost as much again as building them.
  struct occurrence {
    date due;
    date festival_on;                       // when `fest`
    const festival* fest = nullptr;         // gifts: the festival; nullptr otherwise
    const org::person* person = nullptr;    // who carries it out; nullptr: nobody valid
    const std::string* position = nullptr;  // responsible position: the policy's or the account's
    std::string basis;
    std::uint32_t account = 0;   // index into accounts
    std::uint32_t activity = 0;  // index into p.activities
    bool overdue = false;
    bool never_done = false;
  };
  struct sort_key {
    std::int64_t due;
    std::uint32_t index;  // into occurrences
  };
  std::vector<occurrence> occurrences;
  std::vector<sort_key> keys;
  // Reserved from an upper estimate of occurrences per account: growing would move them and,
  // each time a large buffer is freed, make malloc consolidate every small free chunk.
  {
    const auto days = days_between(from, to) + 1;
    std::size_t per_account = 0;
    for (const auto& a : p.activities) {
      const auto& c = a.when;
      if (c.every_days > 0)
        per_account += static_cast<std::size_t>(days / c.every_days + 2);
      else if (c.every_months > 0)
        per_account += static_cast<std::size_t>(days / (28 * c.every_months) + 2);
      else if (c.yearly_on)
        per_account += static_cast<std::size_t>(to.year() - from.year() + 2);  // + a missed one
      else
        for (const auto& fid : c.festivals)
          if (const auto* f = calendar.find(fid))
            per_account += static_cast<std::size_t>(std::count_if(
                f->dates.begin(), f->dates.end(),
                [&](date d) { return d >= from && d.add_days(-c.lead_days - 3) <= to; }));
    }
    occurrences.reserve(accounts.size() * per_account);
    keys.reserve(accounts.size() * per_account);
  }
  for (const std::uint32_t ai : account_order) {
    const auto& acc = accounts[ai];
    for (const std::uint32_t aj : activity_order) {
      const auto& a = p.activities[aj];
      if (!applies(a, acc.tier)) continue;
      // Art. 6.3: the customer's own standard for this activity, where it has one (rare, so
      // the cadence is copied only then).
      std::optional<applied_activity> own;
      const std::string* position = &a.responsible;
      if (!acc.overrides.empty()) {
        if (auto it = acc.overrides.find(a.id); it != acc.overrides.end()) {
          own = apply_override(p, a, it->second);
          if (it->second.responsible) position = &*it->second.responsible;
        }
      }
      const std::string own_note = own ? own->note : std::string();
      const responsible r =
          a.assignee == "owner" ? who.owner(*position, acc) : who.holder(*position, acc);
      auto emit = [&](date due, bool overdue, bool never, std::string basis,
                      const festival* fest = nullptr, date fest_on = {}) {
        if (own) basis += own->responsible_note;
        if (!r.note.empty()) basis += "; " + r.note;
        keys.push_back({due.days_since_epoch(), static_cast<std::uint32_t>(occurrences.size())});
        occurrences.push_back(
            {due, fest_on, fest, r.person, position, std::move(basis), ai, aj, overdue, never});
      };

      const auto& c = own ? own->when : a.when;
      auto last_it = acc.last_done.find(a.id);
      const std::optional<date> last =
          last_it == acc.last_done.end() ? std::nullopt : std::optional<date>(last_it->second);

      if (c.every_days > 0 || c.every_months > 0) {
        const bool by_days = c.every_days > 0;
        const int n = by_days ? c.every_days : c.every_months;
        const std::string every = "every " + days_text(n, by_days ? "day" : "month") + own_note;
        auto step = [&](date anchor, int k) {
          return by_days ? anchor.add_days(static_cast<std::int64_t>(n) * k)
                         : anchor.add_months(static_cast<std::int64_t>(n) * k);
        };
        date anchor = from;
        std::string anchor_text;
        if (!last) {
          emit(from, false, true, "never done: due now (" + every + ")");
          anchor_text = "projected from " + from.to_string();
        } else {
          date first = step(*last, 1);
          if (first < from) {
            emit(first, true, false,
                 "last done " + last->to_string() + ", " + every + ": overdue since " +
                     first.to_string());
            anchor_text = "projected from " + from.to_string() + " after the overdue one";
          } else {
            anchor = *last;
            anchor_text = "last done " + last->to_string();
          }
        }
        // The same words for every projected occurrence: built once, copied per item.
        const std::string projected = anchor_text + ", " + every;
        for (int k = 1;; ++k) {
          date d = step(anchor, k);
          if (d > to) break;
          if (d < from) continue;
          emit(d, false, false, projected);
        }
      } else if (c.yearly_on) {
        // Done for a year when last done in that year. The first year not done is the one after
        // the last done (or, never done, the period's year); its occurrence, once past, stays
        // overdue until done, however many year ends have gone by since.
        const int first_open = last ? last->year() + 1 : from.year();
        auto basis_in = [&](int y, date d) {
          std::string basis = "yearly on " + c.yearly_on->to_string() + own_note;
          if (c.yearly_on->month == 2 && c.yearly_on->day == 29 && d.day() == 28)
            basis += " (" + std::to_string(y) + " has no 02-29: 02-28)";
          return basis;
        };
        const date missed = in_year(*c.yearly_on, first_open);
        if (missed < from)
          emit(missed, true, !last,
               (last ? "" : "never done: ") + basis_in(first_open, missed) + ": not done in " +
                   std::to_string(first_open));
        for (int y = std::max(from.year(), first_open); y <= to.year(); ++y) {
          const date d = in_year(*c.yearly_on, y);
          if (d >= from && d <= to) emit(d, false, false, basis_in(y, d));
        }
      } else if (!c.festivals.empty()) {
        for (const std::uint32_t k : festival_order[aj]) {
          const auto& fid = c.festivals[k];
          const auto* f = calendar.find(fid);
          if (!f) continue;  // the calendar checked the activity's festivals
          auto done_it = acc.last_done.find(a.id + "@" + fid);
          const std::optional<date> done =
              done_it != acc.last_done.end() ? std::optional<date>(done_it->second) : last;
          for (date fd : f->dates) {
            const date due = festival_due_date(fd, c.lead_days);
            if (due > to || fd < from) continue;
            if (done && *done >= due.add_days(-30)) continue;
            std::string basis = days_text(c.lead_days, "day") + " before " +
                                (f->name.en.empty() ? f->id : f->name.en) + " " + fd.to_string() +
                                own_note;
            if (due != fd.add_days(-c.lead_days))
              basis += "; " + fd.add_days(-c.lead_days).to_string() +
                       " is a weekend: due the Friday before";
            emit(due, due < from, false, std::move(basis), f, fd);
          }
        }
      }
    }
  }

  std::stable_sort(keys.begin(), keys.end(),
                   [](const sort_key& x, const sort_key& y) { return x.due < y.due; });
  out.items.reserve(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    // Occurrences are read in output order, not in the order they were listed, and so are
    // their accounts: fetch the occurrence 16 items ahead and, once it has arrived, its
    // account 8 ahead, so that the cache misses overlap the copying of this item.
    if (i + 16 < keys.size()) __builtin_prefetch(&occurrences[keys[i + 16].index]);
    if (i + 8 < keys.size()) __builtin_prefetch(&accounts[occurrences[keys[i + 8].index].account]);
    auto& o = occurrences[keys[i].index];
    const auto& acc = accounts[o.account];
    const auto& a = p.activities[o.activity];
    const org::person* person = o.person;
    auto& item = out.items.emplace_back();
    item.customer = acc.id;
    item.customer_name = acc.name;
    item.activity = a.id;
    item.activity_name = a.name;
    item.article = a.article;
    item.position = *o.position;
    if (person) {
      item.person = person->id;
      item.person_name = person->name;
    }
    item.due = o.due;
    item.overdue = o.overdue;
    item.never_done = o.never_done;
    item.basis = std::move(o.basis);
    item.workflow = a.workflow;
    if (const festival* fest = o.fest) {
      item.festival = fest->id;
      item.festival_on = o.festival_on;
      if (!a.workflow.empty() && person) {
        const double amount = acc.gift_amount.value_or(options.gift_amount);
        auto& submit = item.submit.emplace(
            workflows::action::make(workflows::action_kind::submit, person->id, o.due));
        // Filled in as an object directly: a braced json list builds and copies a temporary
        // json per member first.
        nlohmann::json::object_t request;
        request.emplace("customer_id", acc.id);
        request.emplace("amount", amount);
        request.emplace("festival", fest->id);
        request.emplace("description", (fest->name.en.empty() ? fest->id : fest->name.en) +
                                           " gift for " + (acc.name.empty() ? acc.id : acc.name));
        submit.request = nlohmann::json(std::move(request));
        submit.request_id = "gift:" + acc.id + ":" + fest->id + ":" + o.festival_on.to_string();
      }
    }
  }
  // Art. 10: the symposium, one event a year with an invitation per invitee, and Art. 9: the
  // visits of the visit plan with their briefings: each sorted on its own and merged into the
  // items, which are in that order already (linear, however many).
  auto merge = [&](std::vector<planned_activity> extra) {
    if (extra.empty()) return;
    auto before = [](const planned_activity& x, const planned_activity& y) {
      return std::tie(x.due, x.customer, x.activity, x.festival) <
             std::tie(y.due, y.customer, y.activity, y.festival);
    };
    std::stable_sort(extra.begin(), extra.end(), before);
    const auto middle = static_cast<std::ptrdiff_t>(out.items.size());
    std::move(extra.begin(), extra.end(), std::back_inserter(out.items));
    std::inplace_merge(out.items.begin(), out.items.begin() + middle, out.items.end(), before);
  };
  if (p.symposium) {
    static const std::vector<symposium_event> no_events;
    merge(symposium_plan_items(p, accounts, options.symposium ? *options.symposium : no_events,
                               people, from, to, out.warnings));
  }
  if (options.visits)
    merge(visit_plan_items(p, accounts, *options.visits, people, from, to, out.warnings));
  return out;
}

std::vector<started_workflow> start_workflows(const plan& pl, const workflows::workflow_set& set,
                                              const org::directory& people) {
  std::vector<started_workflow> out;
  for (std::size_t i = 0; i < pl.items.size(); ++i) {
    const auto& item = pl.items[i];
    if (!item.submit) continue;
    auto started = set.start(item.workflow, *item.submit, people);
    if (auto* inst = std::get_if<workflows::instance>(&started))
      out.push_back({i, std::move(*inst)});
    else
      out.push_back({i, std::get<workflows::refusal>(std::move(started))});
  }
  return out;
}

}  // namespace keyaccount::care
