#pragma once
/// \file
/// A calendar date, the value behind CEL's `date` extension type.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace keyaccount::expr {

/// A day of the proleptic Gregorian calendar between 0001-01-01 and 9999-12-31, stored as the
/// number of days since 1970-01-01. A plain value type: safe to share between threads.
class date {
 public:
  /// 1970-01-01.
  constexpr date() noexcept = default;

  /// The date `days` days after 1970-01-01 (negative: before). Not range-checked; see valid().
  static constexpr date from_days(std::int32_t days) noexcept {
    date d;
    d.days_ = days;
    return d;
  }
  /// The date year-month-day, or nothing when it does not exist or is outside 0001..9999.
  static std::optional<date> from_ymd(int year, int month, int day) noexcept;
  /// Strict ISO 8601 calendar date `YYYY-MM-DD` (exactly 10 characters), or nothing.
  static std::optional<date> parse(std::string_view text) noexcept;

  constexpr std::int32_t days_since_epoch() const noexcept { return days_; }
  int year() const noexcept;
  int month() const noexcept;  ///< 1..12
  int day() const noexcept;    ///< 1..31
  /// The day counts of 0001-01-01 and 9999-12-31, the range valid() accepts.
  static constexpr std::int32_t earliest_days = -719162;
  static constexpr std::int32_t latest_days = 2932896;
  /// Whether the date lies within 0001-01-01 .. 9999-12-31.
  constexpr bool valid() const noexcept { return days_ >= earliest_days && days_ <= latest_days; }
  /// `YYYY-MM-DD`.
  std::string to_string() const;

  friend constexpr auto operator<=>(date, date) noexcept = default;

 private:
  std::int32_t days_ = 0;
};

}  // namespace keyaccount::expr
