#include "keyaccount/core/date.hpp"

#include <cstdio>

namespace keyaccount {
namespace {

// Reads exactly `count` ASCII digits at `text[pos]`.
std::optional<unsigned> digits(std::string_view text, std::size_t pos, std::size_t count) {
  unsigned v = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    char c = text[i];
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  return v;
}

}  // namespace

std::optional<date> date::parse(std::string_view text) noexcept {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto y = digits(text, 0, 4);
  auto m = digits(text, 5, 2);
  auto d = digits(text, 8, 2);
  if (!y || !m || !d || *y == 0) return std::nullopt;
  return from_ymd(static_cast<int>(*y), *m, *d);
}

std::optional<date> date::from_ymd(int year, unsigned month, unsigned day) noexcept {
  if (year < 1 || year > 9999) return std::nullopt;  // the four-digit years of "YYYY-MM-DD"
  std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{month},
                                  std::chrono::day{day}};
  if (!ymd.ok()) return std::nullopt;
  return date(std::chrono::sys_days(ymd));
}

std::string date::to_string() const {
  const std::chrono::year_month_day ymd(days_);
  const int y = int(ymd.year());
  const auto m = unsigned(ymd.month());
  const auto d = unsigned(ymd.day());
  if (y < 0 || y > 9999) {  // moved out of "YYYY" by arithmetic: printf's form, e.g. "10000-01-01"
    char buf[24];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
    return buf;
  }
  // Digit by digit rather than snprintf, whose format parsing was about 5% of the time of
  // planning a year (several dates are written per planned account and activity).
  const auto year = static_cast<unsigned>(y);
  std::string out = "0000-00-00";
  auto put = [&out](std::size_t at, unsigned value, int width) {
    for (auto i = static_cast<std::size_t>(width); i-- > 0; value /= 10)
      out[at + i] = static_cast<char>('0' + value % 10);
  };
  put(0, year, 4);
  put(5, m, 2);
  put(8, d, 2);
  return out;
}

int date::year() const noexcept { return int(std::chrono::year_month_day(days_).year()); }
unsigned date::month() const noexcept {
  return unsigned(std::chrono::year_month_day(days_).month());
}
unsigned date::day() const noexcept { return unsigned(std::chrono::year_month_day(days_).day()); }

date date::add_months(std::int64_t n) const noexcept {
  std::chrono::year_month_day ymd(days_);
  auto shifted = ymd.year() / ymd.month() + std::chrono::months(n);
  auto last = std::chrono::year_month_day_last(shifted.year(), shifted.month() / std::chrono::last);
  auto day = ymd.day() <= last.day() ? ymd.day() : last.day();
  return date(std::chrono::sys_days(shifted.year() / shifted.month() / day));
}

std::int64_t months_between(date from, date to) noexcept {
  std::int64_t months = (std::int64_t{to.year()} - from.year()) * 12 +
                        (std::int64_t{to.month()} - std::int64_t{from.month()});
  if (to.day() < from.day()) --months;
  return months;
}

std::optional<month_day> month_day::parse(std::string_view text) noexcept {
  if (text.size() != 5 || text[2] != '-') return std::nullopt;
  auto m = digits(text, 0, 2);
  auto d = digits(text, 3, 2);
  if (!m || !d) return std::nullopt;
  // 2000 is a leap year, so 02-29 counts as a valid day of the year.
  if (!std::chrono::year_month_day{std::chrono::year{2000}, std::chrono::month{*m},
                                   std::chrono::day{*d}}
           .ok())
    return std::nullopt;
  return month_day{*m, *d};
}

std::string month_day::to_string() const {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02u-%02u", month, day);
  return buf;
}

}  // namespace keyaccount
