#include "keyaccount/expr/date.hpp"

#include <chrono>
#include <cstdio>

namespace keyaccount::expr {

namespace {
constexpr std::int32_t min_days = -719162;  // 0001-01-01
constexpr std::int32_t max_days = 2932896;  // 9999-12-31

std::chrono::year_month_day to_ymd(std::int32_t days) noexcept {
  return std::chrono::year_month_day{std::chrono::sys_days{std::chrono::days{days}}};
}
}  // namespace

std::optional<date> date::from_ymd(int year, int month, int day) noexcept {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31) return {};
  std::chrono::year_month_day ymd{std::chrono::year{year},
                                  std::chrono::month{static_cast<unsigned>(month)},
                                  std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return {};
  return from_days(
      static_cast<std::int32_t>(std::chrono::sys_days{ymd}.time_since_epoch().count()));
}

std::optional<date> date::parse(std::string_view text) noexcept {
  // Strict: exactly YYYY-MM-DD with ASCII digits, nothing else (no time, no sign, no spaces).
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return {};
  auto digits = [&](std::size_t from, std::size_t count, int& out) {
    out = 0;
    for (std::size_t i = from; i < from + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      out = out * 10 + (text[i] - '0');
    }
    return true;
  };
  int y = 0, m = 0, d = 0;
  if (!digits(0, 4, y) || !digits(5, 2, m) || !digits(8, 2, d)) return {};
  return from_ymd(y, m, d);
}

int date::year() const noexcept { return static_cast<int>(to_ymd(days_).year()); }
int date::month() const noexcept {
  return static_cast<int>(static_cast<unsigned>(to_ymd(days_).month()));
}
int date::day() const noexcept {
  return static_cast<int>(static_cast<unsigned>(to_ymd(days_).day()));
}
bool date::valid() const noexcept { return days_ >= min_days && days_ <= max_days; }

std::string date::to_string() const {
  auto ymd = to_ymd(days_);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

}  // namespace keyaccount::expr
