#include "keyaccount/care/planner.hpp"

#include <algorithm>
#include <set>
#include <tuple>

namespace keyaccount::care {

namespace {

std::string join(const std::vector<std::string>& problems) {
  std::string out = "invalid accounts for planning";
  for (const auto& p : problems) out += "\n  " + p;
  return out;
}

bool applies(const activity& a, const std::string& tier) {
  return a.tiers.empty() || std::find(a.tiers.begin(), a.tiers.end(), tier) != a.tiers.end();
}

struct responsible {
  std::string person;
  std::string name;
  std::string note;  // empty when a valid person was found
};

// Who carries out an activity for an account: its owner, when the activity is the owner's;
// otherwise the nearest superior of the owner holding the position, else its first holder.
class resolver {
 public:
  explicit resolver(const org::directory& people) : people_(people) {}

  responsible owner(const activity& a, const account& acc) const {
    if (acc.owner.empty()) return {"", "", "no dedicated owner (art-6.2)"};
    const auto* p = people_.find(acc.owner);
    if (!p) return {"", "", "owner " + acc.owner + " is not a known person (art-6.2)"};
    if (!p->active) return {"", "", "owner " + acc.owner + " is inactive (art-6.2)"};
    if (!people_.holds(acc.owner, a.responsible))
      return {"", "", "owner " + acc.owner + " does not hold " + a.responsible + " (art-6.2)"};
    return {p->id, p->name, ""};
  }

  responsible position(const activity& a, const account& acc) {
    auto key = std::pair{acc.owner, a.responsible};
    auto it = cache_.find(key);
    if (it != cache_.end()) return it->second;
    responsible r;
    if (!acc.owner.empty() && people_.find(acc.owner)) {
      for (const auto* s : people_.superiors_of(acc.owner, 8))
        if (people_.holds(s->id, a.responsible)) {
          r = {s->id, s->name, ""};
          break;
        }
    }
    if (r.person.empty()) {
      auto holders = people_.holders(a.responsible);
      if (!holders.empty())
        r = {holders.front()->id, holders.front()->name, ""};
      else
        r.note = "nobody holds " + a.responsible;
    }
    return cache_.emplace(key, r).first->second;
  }

 private:
  const org::directory& people_;
  std::map<std::pair<std::string, std::string>, responsible> cache_;
};

std::string days_text(int n, const char* unit) {
  return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
}

}  // namespace

plan_error::plan_error(std::vector<std::string> problems)
    : std::invalid_argument(join(problems)), problems_(std::move(problems)) {}

plan make_plan(const policy& p, const festival_calendar& calendar,
               const std::vector<account>& accounts, const org::directory& people,
               const plan_options& options) {
  std::vector<std::string> problems;
  if (options.to < options.from)
    problems.push_back("period: ends " + options.to.to_string() + " before it starts " +
                       options.from.to_string());
  std::set<std::string_view> ids;
  for (std::size_t i = 0; i < accounts.size(); ++i) {
    const auto& a = accounts[i];
    const std::string at = "accounts[" + std::to_string(i) + "]";
    if (a.id.empty())
      problems.push_back(at + ".id: empty");
    else if (!ids.insert(a.id).second)
      problems.push_back(at + ".id: duplicate account id " + a.id);
    if (!p.find_tier(a.tier)) problems.push_back(at + ".tier: unknown tier \"" + a.tier + "\"");
    for (const auto& [key, when] : a.last_done) {
      const auto name = std::string_view(key).substr(0, key.find('@'));
      if (!p.find_activity(name))
        problems.push_back(at + ".last_done." + key + ": unknown activity \"" + std::string(name) +
                           "\"");
    }
  }
  if (!problems.empty()) throw plan_error(std::move(problems));

  plan out;
  out.from = options.from;
  out.to = options.to;
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

  // Items are large: reserve from an upper estimate of occurrences per account so that the
  // vector does not move them while growing.
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
        per_account += static_cast<std::size_t>(to.year() - from.year() + 1);
      else
        for (const auto& fid : c.festivals)
          if (const auto* f = calendar.find(fid))
            per_account += static_cast<std::size_t>(std::count_if(
                f->dates.begin(), f->dates.end(),
                [&](date d) { return d >= from && d.add_days(-c.lead_days - 3) <= to; }));
    }
    out.items.reserve(accounts.size() * per_account);
  }

  for (const auto& acc : accounts) {
    for (const auto& a : p.activities) {
      if (!applies(a, acc.tier)) continue;
      const responsible r = a.assignee == "owner" ? who.owner(a, acc) : who.position(a, acc);
      auto emit = [&](date due, bool overdue, bool never, std::string basis,
                      const festival* fest = nullptr, std::optional<date> fest_on = {}) {
        planned_activity item;
        item.customer = acc.id;
        item.customer_name = acc.name;
        item.activity = a.id;
        item.activity_name = a.name;
        item.article = a.article;
        item.position = a.responsible;
        item.person = r.person;
        item.person_name = r.name;
        item.due = due;
        item.overdue = overdue;
        item.never_done = never;
        if (!r.note.empty()) basis += "; " + r.note;
        item.basis = std::move(basis);
        item.workflow = a.workflow;
        if (fest) {
          item.festival = fest->id;
          item.festival_on = fest_on;
          if (!a.workflow.empty() && !r.person.empty()) {
            const double amount = acc.gift_amount.value_or(options.gift_amount);
            auto submit = workflows::action::make(workflows::action_kind::submit, r.person, due);
            submit.request = nlohmann::json{
                {"customer_id", acc.id},
                {"amount", amount},
                {"festival", fest->id},
                {"description", (fest->name.en.empty() ? fest->id : fest->name.en) + " gift for " +
                                    (acc.name.empty() ? acc.id : acc.name)}};
            submit.request_id = "gift:" + acc.id + ":" + fest->id + ":" + fest_on->to_string();
            item.submit = std::move(submit);
          }
        }
        out.items.push_back(std::move(item));
      };

      const auto& c = a.when;
      auto last_it = acc.last_done.find(a.id);
      const std::optional<date> last =
          last_it == acc.last_done.end() ? std::nullopt : std::optional<date>(last_it->second);

      if (c.every_days > 0 || c.every_months > 0) {
        const bool by_days = c.every_days > 0;
        const int n = by_days ? c.every_days : c.every_months;
        const std::string every = "every " + days_text(n, by_days ? "day" : "month");
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
        for (int k = 1;; ++k) {
          date d = step(anchor, k);
          if (d > to) break;
          if (d < from) continue;
          emit(d, false, false, anchor_text + ", " + every);
        }
      } else if (c.yearly_on) {
        for (int y = from.year(); y <= to.year(); ++y) {
          const date d = in_year(*c.yearly_on, y);
          if (last && last->year() == y) continue;  // done this year
          std::string basis = "yearly on " + c.yearly_on->to_string();
          if (c.yearly_on->month == 2 && c.yearly_on->day == 29 && d.day() == 28)
            basis += " (" + std::to_string(y) + " has no 02-29: 02-28)";
          if (d < from) {
            if (y == from.year())
              emit(d, true, !last, basis + ": not done in " + std::to_string(y));
          } else if (d <= to) {
            emit(d, false, false, basis);
          }
        }
      } else if (!c.festivals.empty()) {
        for (const auto& fid : c.festivals) {
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
                                (f->name.en.empty() ? f->id : f->name.en) + " " + fd.to_string();
            if (due != fd.add_days(-c.lead_days))
              basis += "; " + fd.add_days(-c.lead_days).to_string() +
                       " is a weekend: due the Friday before";
            emit(due, due < from, false, basis, f, fd);
          }
        }
      }
    }
  }
  // Sort small integer keys, then move each item once: items are large (strings, a workflow
  // action) and comparing ids as text is slow. Ranks reproduce the text order of the ids.
  auto rank_of = [](std::vector<std::string_view> v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
  };
  std::vector<std::string_view> customer_ids, activity_ids, festival_ids{""};
  for (const auto& acc : accounts) customer_ids.push_back(acc.id);
  for (const auto& a : p.activities) {
    activity_ids.push_back(a.id);
    for (const auto& f : a.when.festivals) festival_ids.push_back(f);
  }
  customer_ids = rank_of(std::move(customer_ids));
  activity_ids = rank_of(std::move(activity_ids));
  festival_ids = rank_of(std::move(festival_ids));
  auto index_in = [](const std::vector<std::string_view>& v, std::string_view id) {
    return static_cast<std::uint32_t>(std::lower_bound(v.begin(), v.end(), id) - v.begin());
  };
  struct sort_key {
    std::int64_t due;
    std::uint32_t customer, activity, festival, index;
    bool operator<(const sort_key& o) const {
      return std::tie(due, customer, activity, festival, index) <
             std::tie(o.due, o.customer, o.activity, o.festival, o.index);
    }
  };
  std::vector<sort_key> keys;
  keys.reserve(out.items.size());
  {
    // Items of one account are consecutive: look its rank up once.
    std::string_view last_customer;
    std::uint32_t customer_rank = 0;
    for (std::size_t i = 0; i < out.items.size(); ++i) {
      const auto& it = out.items[i];
      if (i == 0 || it.customer != last_customer) {
        last_customer = it.customer;
        customer_rank = index_in(customer_ids, it.customer);
      }
      keys.push_back({it.due.days_since_epoch(), customer_rank, index_in(activity_ids, it.activity),
                      index_in(festival_ids, it.festival), static_cast<std::uint32_t>(i)});
    }
  }
  std::sort(keys.begin(), keys.end());
  std::vector<planned_activity> sorted;
  sorted.reserve(keys.size());
  for (const auto& k : keys) sorted.push_back(std::move(out.items[k.index]));
  out.items = std::move(sorted);
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
