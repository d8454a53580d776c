#include "keyaccount/care/calendar.hpp"

#include <algorithm>
#include <chrono>
#include <map>

namespace keyaccount::care {

namespace {}  // namespace

calendar_error::calendar_error(std::vector<std::string> problems)
    : error(error_kind::calendar, listing("invalid festival calendar", problems), problems) {}

festival_calendar::festival_calendar(const policy& p, std::vector<festival> extra) {
  std::vector<std::string> problems;
  std::map<std::string, festival> by_id;
  for (const auto& f : p.festivals) by_id[f.id] = f;
  for (std::size_t i = 0; i < extra.size(); ++i) {
    auto& f = extra[i];
    const std::string at = "festivals[" + std::to_string(i) + "]";
    if (f.id.empty()) {
      problems.push_back(at + ".id: empty");
      continue;
    }
    by_id[f.id] = std::move(f);  // the user's festival wins
  }
  for (auto& [id, f] : by_id) {
    std::sort(f.dates.begin(), f.dates.end());
    if (std::adjacent_find(f.dates.begin(), f.dates.end()) != f.dates.end())
      problems.push_back("festival " + id + ": the same date twice");
    festivals_.push_back(f);
  }
  for (std::size_t i = 0; i < p.activities.size(); ++i) {
    const auto& a = p.activities[i];
    for (std::size_t k = 0; k < a.when.festivals.size(); ++k) {
      if (!by_id.count(a.when.festivals[k])) {
        std::string known;
        for (const auto& [id, f] : by_id) known += (known.empty() ? "" : ", ") + id;
        problems.push_back("activities[" + std::to_string(i) + "] (" + a.id +
                           ").cadence.festivals[" + std::to_string(k) + "]: unknown festival \"" +
                           a.when.festivals[k] + "\" (calendar has: " + known + ")");
      }
    }
  }
  if (!problems.empty()) throw calendar_error(std::move(problems));
}

const festival* festival_calendar::find(std::string_view id) const noexcept {
  auto it = std::lower_bound(festivals_.begin(), festivals_.end(), id,
                             [](const festival& f, std::string_view v) { return f.id < v; });
  return it != festivals_.end() && it->id == id ? &*it : nullptr;
}

bool is_weekend(date d) noexcept {
  const std::chrono::weekday w{d.sys_days()};
  return w == std::chrono::Saturday || w == std::chrono::Sunday;
}

date festival_due_date(date festival_day, int lead_days) noexcept {
  date due = festival_day.add_days(-lead_days);
  while (is_weekend(due)) due = due.add_days(-1);
  return due;
}

date in_year(month_day md, int year) noexcept {
  if (auto d = date::from_ymd(year, md.month, md.day)) return *d;
  return *date::from_ymd(year, 2, 28);  // 02-29 outside a leap year
}

}  // namespace keyaccount::care
