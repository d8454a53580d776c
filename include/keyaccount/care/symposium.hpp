#pragma once
/// \file
/// The annual symposium (Art. 10) as one event a year: the policy's `symposium` section says in
/// which window of the year it is held, who organises it, which tiers are invited and how long
/// before it the invitations are due; the event records say, per year, the day it is (or was)
/// held, whom the owners invited and when, whether it was held and who attended.
///
/// - The event of a year is on its record's `date`, or, without one, undated: it must be held by
///   the window's last day (the deadline) and its invitations are due `lead_days` before the
///   window's first day; with a date, `lead_days` before that date.
/// - Every customer of the policy's tiers is an invitee; its dedicated owner sends the
///   invitation when `invitations.assignee` is "owner" (Art. 6.2), else the first holder of the
///   position.
/// - An event not held by its deadline stays "not held" until the next year's deadline has
///   passed (then that year's event is the one checked); years whose deadline is before the
///   policy's `effective_on` are not checked.
/// - Facts dated after the day of a report are not known on it: an invitation sent later, and
///   `held` with attendance for an event dated later, are ignored with a warning
///   (known_facts.hpp).
///
/// `make_plan` (plan_options::symposium) lists the invitation tasks and the event; compliance
/// (compliance_inputs::symposium) reports invitees not invited once invitations were due, and
/// the event not held by its deadline. Free functions over value types: thread-safe.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "keyaccount/care/planner.hpp"
#include "keyaccount/org/directory.hpp"
#include "keyaccount/policy/model.hpp"

namespace keyaccount::care {

/// What is recorded of one year's symposium.
struct symposium_event {
  date on;                              ///< the day it is planned, or was held
  bool held = false;                    ///< it took place on `on`
  std::map<std::string, date> invited;  ///< customer id → day the invitation was sent
  std::vector<std::string> attended;    ///< customer ids present (recorded afterwards)
  friend bool operator==(const symposium_event&, const symposium_event&) = default;
};

/// What one record refuses on its own under `p`, as "field: message": no `symposium` section,
/// a date outside the window, attendance of an event not held or of a customer not invited, a
/// customer listed twice, an invitation sent after the event.
[[nodiscard]] std::vector<std::string> symposium_event_problems(const policy& p,
                                                                const symposium_event& e);

/// One invitee of a year's symposium.
struct symposium_invitee {
  std::string customer;
  std::string customer_name;
  std::string owner;  ///< the person who sends the invitation; empty when nobody valid
  std::string note;   ///< why nobody, when `owner` is empty
  std::optional<date> invited_on;
  bool attended = false;
};

/// One year's symposium as known on a day.
struct symposium_status {
  int year = 0;
  std::optional<date> on;  ///< the recorded day; empty: not dated yet
  date deadline;           ///< the window's last day that year
  date invitations_due;    ///< lead days before `on` (or before the window's first day)
  bool held = false;
  std::string organizer;                    ///< person id; empty when nobody holds the position
  std::vector<symposium_invitee> invitees;  ///< by customer id
  /// Customers invited or attending that are not invitees (not given, or of another tier).
  std::vector<std::string> others;
};

/// The symposium of `year` for `accounts` on `as_of`, from the events recorded (one per year at
/// most; facts after `as_of` ignored, each a warning added to `warnings`). Throws plan_error for
/// events a record check (symposium_event_problems) refuses or two events in one year, and
/// std::logic_error when the policy has no symposium section.
[[nodiscard]] symposium_status symposium_in(const policy& p, const std::vector<account>& accounts,
                                            const std::vector<symposium_event>& events,
                                            const org::directory& people, int year, date as_of,
                                            std::vector<std::string>& warnings);

/// The latest year whose symposium deadline is before `d` (the event "not held" is checked for
/// it); the next year's event is the one ahead.
[[nodiscard]] int symposium_last_passed_year(const symposium_rule& s, date d) noexcept;

/// Whether the policy was in force by the deadline of `year`'s symposium (no `effective_on`:
/// always): earlier years are not planned or checked.
[[nodiscard]] bool symposium_in_force(const policy& p, int year) noexcept;

/// The plan items of the symposium from `from` to `to` (make_plan adds them): the event of each
/// year not held (overdue when its deadline passed before `from`: the latest such year only),
/// and, for events ahead, an invitation per invitee not yet invited. Facts are those known on
/// `from`; warnings (later facts, invited customers that are not invitees) go to `warnings`.
[[nodiscard]] std::vector<planned_activity> symposium_plan_items(
    const policy& p, const std::vector<account>& accounts,
    const std::vector<symposium_event>& events, const org::directory& people, date from, date to,
    std::vector<std::string>& warnings);

}  // namespace keyaccount::care
