#pragma once
/// \file
/// The compliance report: what the policy requires that is not being done, on a day `as_of`.
/// - overdue activities (Art. 6.1, 8–12): due before `as_of` and not done, or never done;
/// - key customers without a valid dedicated owner (Art. 6.2, `org::check_ownership`);
/// - profile cards (Art. 6.1) missing, incomplete or stale, as the classifier's
///   `check_profile_card` found them (the caller passes its results: one implementation);
/// - complaints past a deadline to record, report or resolve (Art. 8.1–8.2);
/// - the symposium (Art. 10, under a `symposium` section): invitees not invited once the
///   invitations were due, and the event not held by its deadline (care/symposium.hpp);
/// - executive visits by plan (Art. 9, a `by_plan` cadence): planned visits not done, key
///   customers with no visit planned within the horizon, briefings not prepared (care/visits.hpp).
/// Findings are data: order by kind, then customer, then subject; `ok()` when there are none.
///
/// Free functions over value types: thread-safe as long as the arguments are not modified.

#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "keyaccount/care/calendar.hpp"
#include "keyaccount/care/complaints.hpp"
#include "keyaccount/care/planner.hpp"
#include "keyaccount/classify/dynamics.hpp"
#include "keyaccount/org/directory.hpp"
#include "keyaccount/policy/model.hpp"

namespace keyaccount::care {

/// What a finding is about.
enum class finding_kind {
  activity_overdue,        ///< an activity is overdue or was never done
  no_valid_owner,          ///< Art. 6.2: no owner, unknown, inactive, wrong position, several
  owner_over_capacity,     ///< Art. 6.2: an owner has more key accounts than allowed
  profile_missing,         ///< Art. 6.1: no profile card
  profile_incomplete,      ///< Art. 6.1: required fields missing
  profile_stale,           ///< Art. 6.1: older than max_age_days
  complaint_overdue,       ///< Art. 8: a complaint past its deadline to record, report or resolve
  symposium_not_invited,   ///< Art. 10: an invitee not invited once invitations were due
  symposium_not_held,      ///< Art. 10: the yearly symposium not held by its deadline
  visit_not_done,          ///< Art. 9: a planned visit whose day passed without it
  no_visit_planned,        ///< Art. 9: a key customer with no visit planned within the horizon
  visit_briefing_overdue,  ///< Art. 9: the briefing for a visit not prepared by its due day
};
[[nodiscard]] std::string_view to_string(finding_kind k) noexcept;
inline std::ostream& operator<<(std::ostream& os, finding_kind k) { return os << to_string(k); }

/// One thing that is not as the policy requires.
struct finding {
  finding_kind kind = finding_kind::activity_overdue;
  std::string customer;  ///< empty for an owner over capacity
  std::string subject;   ///< activity id, complaint id, owner id or "profile"
  std::string article;
  std::optional<date> due;  ///< the deadline missed, when there is one
  int days_overdue = 0;
  std::string responsible;  ///< person id who should act; may be empty
  std::string detail;       ///< in words
  friend bool operator==(const finding&, const finding&) = default;
};

/// The report.
struct compliance_report {
  date as_of;
  std::vector<finding> findings;
  bool profiles_checked = false;  ///< profile cards were part of the check
  /// Facts dated after `as_of` that were ignored (known_facts.hpp), and the planner's warnings.
  std::vector<std::string> warnings;
  [[nodiscard]] bool ok() const noexcept { return findings.empty(); }
  /// Findings per kind (kinds with none are absent).
  [[nodiscard]] std::map<std::string, int> counts() const;
};

/// What to check.
struct compliance_inputs {
  const std::vector<account>* accounts = nullptr;      ///< required
  const std::vector<complaint>* complaints = nullptr;  ///< optional
  /// Profile-card status per customer id (classifier's check_profile_card); nullptr: profile
  /// cards are not checked. A key account without an entry has no profile card.
  const std::map<std::string, profile_card_status>* profiles = nullptr;
  /// Art. 10: the symposium's event records (care/symposium.hpp); nullptr: none recorded
  /// (under a `symposium` section the event is then not held and nobody invited).
  const std::vector<symposium_event>* symposium = nullptr;
  /// Art. 9: the visit plan (care/visits.hpp); nullptr: none given (under a `by_plan` cadence
  /// every key customer then has no visit planned).
  const std::vector<planned_visit>* visits = nullptr;
};

/// Checks everything above on `as_of`, with only the facts known on `as_of`: later last-done
/// dates and complaint dates are ignored (each a warning), a complaint raised later is left out.
/// Throws what `make_plan` / `check_complaints` throw for invalid inputs.
[[nodiscard]] compliance_report check_compliance(const policy& p, const festival_calendar& calendar,
                                                 const compliance_inputs& inputs,
                                                 const org::directory& people, date as_of);

}  // namespace keyaccount::care
