#pragma once
/// \file
/// The festival calendar (Art. 12): data, not code. The policy's `calendars.festivals` merged
/// with festivals the user supplies (a user festival replaces the policy's one with the same
/// id, so a company can correct or extend the dates), validated against the activities that
/// name festivals.
///
/// Immutable once built: any number of threads may read one calendar.

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "keyaccount/core/error.hpp"
#include "keyaccount/policy/model.hpp"

namespace keyaccount::care {

/// The calendar is unusable: an activity names a festival it does not have, a festival has no
/// id or the same date twice. `problems` lists each, located.
/// Kind `error_kind::calendar`.
class calendar_error : public error {
 public:
  explicit calendar_error(std::vector<std::string> problems);
};

/// Festivals by id, each with its dates sorted.
class festival_calendar {
 public:
  /// The policy's festivals, then `extra` (user wins on the same id). Checks every festival
  /// named by an activity of `p` exists, and throws `calendar_error` listing every problem.
  festival_calendar(const policy& p, std::vector<festival> extra = {});

  /// Festivals ordered by id.
  [[nodiscard]] const std::vector<festival>& festivals() const noexcept { return festivals_; }
  /// The festival with this id; nullptr when unknown.
  [[nodiscard]] const festival* find(std::string_view id) const noexcept;

 private:
  std::vector<festival> festivals_;
};

/// The gift rule for festivals (documented in docs/maintenance.md): an activity is due
/// `lead_days` before the festival; when that day is a Saturday or a Sunday (for instance
/// because the festival itself falls on a weekend and the lead is whole weeks) it is due on the
/// preceding Friday, so that the gift leaves on a working day and arrives early, never late.
[[nodiscard]] date festival_due_date(date festival_day, int lead_days) noexcept;

/// Whether `d` is a Saturday or a Sunday.
[[nodiscard]] bool is_weekend(date d) noexcept;

/// The day of `md` in `year`; 02-29 in a year without it is 02-28 (a yearly event set on a leap
/// day happens on the last day of February).
[[nodiscard]] date in_year(month_day md, int year) noexcept;

}  // namespace keyaccount::care
