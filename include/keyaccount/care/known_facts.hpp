#pragma once
/// \file
/// What was known on a day. A report "as of" a day (a plan from it, the compliance findings on
/// it, the escalations due on it) uses only the facts dated on or before that day: a last-done
/// date, a complaint's recording, report, resolution or closing, an escalation's opening or
/// closing dated later is ignored, and reported so that the data can be corrected. An activity
/// whose only record is later counts as never done; a complaint raised later is not known yet.
///
/// `make_plan`, `check_compliance` and `escalations_due` apply these themselves (their warnings
/// name the record); readers that know where each record came from apply them as they read, so
/// that the warning carries the file and line (`keyaccount plan`, `compliance`).

#include <string>
#include <vector>

#include "keyaccount/care/complaints.hpp"
#include "keyaccount/care/planner.hpp"
#include "keyaccount/care/symposium.hpp"

namespace keyaccount::care {

/// Removes the last-done dates of `a` dated after `as_of`. Returns one "field: message" per
/// date removed (`last_done.regular_visit: 2027-01-01 is after the as-of date 2026-06-30:
/// ignored`), in key order; empty when every fact was known on `as_of`.
std::vector<std::string> drop_later_facts(account& a, date as_of);

/// The same for a complaint: a recorded, reported, resolved or closed date after `as_of` is
/// unset, an escalation opened after it is removed and one closed after it is open again. A
/// complaint raised after `as_of` is not known on that day at all: `known_on` is false for it
/// (the message on `raised_on` says so) and callers leave it out.
std::vector<std::string> drop_later_facts(complaint& c, date as_of);

/// The same for a symposium's record (Art. 10): an invitation sent after `as_of` is removed;
/// an event dated after `as_of` was not held yet on it (`held` and attendance are unset).
std::vector<std::string> drop_later_facts(symposium_event& e, date as_of);

/// Whether complaint `c` was raised on or before `as_of`.
[[nodiscard]] inline bool known_on(const complaint& c, date as_of) noexcept {
  return c.raised_on <= as_of;
}

/// "<record>: <problem>" for each problem, for the warnings of a report (`C1: last_done...`).
[[nodiscard]] std::vector<std::string> prefixed(const std::string& record,
                                                const std::vector<std::string>& problems);

}  // namespace keyaccount::care
