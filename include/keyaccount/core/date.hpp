#pragma once
/// \file
/// Calendar dates (proleptic Gregorian, no time zone), built on std::chrono's calendar types.
/// The policy, customer records and workflow instances all carry dates as "YYYY-MM-DD". In the
/// core layer, below everything (expr, policy, ...), since CEL has a date type of its own.

#include <chrono>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace keyaccount {

/// A calendar date. Value type; trivially copyable; thread-safe.
class date {
 public:
  /// 1970-01-01.
  constexpr date() noexcept = default;
  constexpr explicit date(std::chrono::sys_days days) noexcept : days_(days) {}

  /// Parses exactly "YYYY-MM-DD" (four-digit year 0001–9999, a valid day of that month).
  [[nodiscard]] static std::optional<date> parse(std::string_view text) noexcept;
  /// Builds a date from its parts; empty when they do not name a valid day of years 1–9999.
  [[nodiscard]] static std::optional<date> from_ymd(int year, unsigned month,
                                                    unsigned day) noexcept;

  /// "YYYY-MM-DD".
  [[nodiscard]] std::string to_string() const;

  [[nodiscard]] int year() const noexcept;
  [[nodiscard]] unsigned month() const noexcept;
  [[nodiscard]] unsigned day() const noexcept;
  /// Days since 1970-01-01 (negative before).
  [[nodiscard]] constexpr std::int64_t days_since_epoch() const noexcept {
    return days_.time_since_epoch().count();
  }
  [[nodiscard]] constexpr std::chrono::sys_days sys_days() const noexcept { return days_; }

  [[nodiscard]] date add_days(std::int64_t n) const noexcept {
    return date(days_ + std::chrono::days(n));
  }
  /// Adds calendar months, clamping to the month's last day (2024-01-31 + 1 = 2024-02-29).
  [[nodiscard]] date add_months(std::int64_t n) const noexcept;

  friend constexpr auto operator<=>(date, date) noexcept = default;

 private:
  std::chrono::sys_days days_{};
};

/// Whole months from `from` to `to`: (y2−y1)·12 + (m2−m1), minus 1 when the day of `to` is
/// before the day of `from` (the foundation's definition; negative when `to` is earlier).
[[nodiscard]] std::int64_t months_between(date from, date to) noexcept;

/// Days from `from` to `to` (negative when `to` is earlier).
[[nodiscard]] inline std::int64_t days_between(date from, date to) noexcept {
  return to.days_since_epoch() - from.days_since_epoch();
}

/// A day of the year without a year, "MM-DD" (for yearly events and seasons).
struct month_day {
  unsigned month = 1;
  unsigned day = 1;
  /// Parses exactly "MM-DD"; 02-29 is accepted.
  [[nodiscard]] static std::optional<month_day> parse(std::string_view text) noexcept;
  [[nodiscard]] std::string to_string() const;
  friend constexpr auto operator<=>(month_day, month_day) noexcept = default;
};

}  // namespace keyaccount
