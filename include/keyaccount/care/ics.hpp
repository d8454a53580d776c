#pragma once
/// \file
/// The plan as an iCalendar file (RFC 5545), importable into Outlook or Google Calendar: one
/// all-day VEVENT per planned activity, written by libical (a well-kept implementation of the
/// format; linked privately). Deterministic: UIDs derive from customer, activity, festival and
/// due date, and DTSTAMP is the plan's first day (no clock inside).
///
/// Free function: thread-safe.

#include <string>

#include "keyaccount/care/planner.hpp"

namespace keyaccount::care {

/// Options of the iCalendar export.
struct ics_options {
  std::string prodid = "-//keyaccount//maintenance plan//EN";
  std::string uid_domain = "keyaccount.invalid";  ///< the right-hand side of every UID
};

/// The plan as an iCalendar document (CRLF line ends, folded lines, as libical writes them).
[[nodiscard]] std::string to_ics(const plan& pl, const ics_options& options = {});

}  // namespace keyaccount::care
