#include "keyaccount/expr/date.hpp"

#include <chrono>

#include "keyaccount/core/date.hpp"

namespace keyaccount::expr {

namespace {

std::chrono::year_month_day to_ymd(std::int32_t days) noexcept {
  return std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{days}}};
}
}  // namespace

// Parsing and validation live in keyaccount::date (policy/date.hpp); this type is only the
// compact representation CEL values carry.
std::optional<date> date::from_ymd(int year, int month, int day) noexcept {
  if (month < 1 || day < 1) return {};
  auto d =
      keyaccount::date::from_ymd(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  if (!d) return {};
  return from_days(static_cast<std::int32_t>(d->days_since_epoch()));
}

std::optional<date> date::parse(std::string_view text) noexcept {
  auto d = keyaccount::date::parse(text);
  if (!d) return {};
  return from_days(static_cast<std::int32_t>(d->days_since_epoch()));
}

int date::year() const noexcept { return static_cast<int>(to_ymd(days_).year()); }
int date::month() const noexcept {
  return static_cast<int>(static_cast<unsigned>(to_ymd(days_).month()));
}
int date::day() const noexcept {
  return static_cast<int>(static_cast<unsigned>(to_ymd(days_).day()));
}

std::string date::to_string() const {
  return keyaccount::date(std::chrono::sys_days{std::chrono::days{days_}}).to_string();
}

}  // namespace keyaccount::expr
