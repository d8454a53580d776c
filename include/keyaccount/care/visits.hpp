#pragma once
/// \file
/// Senior-management visits by plan (Art. 9): "the Customer Relations Dept. organises, by plan
/// and at no fixed interval, visits of senior management to key customers, and gives them
/// accurate customer information" (根据计划不定期地组织安排). An activity with a `by_plan`
/// cadence is due on the dates of a visit plan the user gives (customer, date, visiting
/// executive), not every N months; each visit is prepared by a briefing the Customer Relations
/// Dept. owes the executive `briefing.lead_days` before it.
///
/// - The plan (make_plan) lists each planned visit in the period (by the visiting executive)
///   and its briefing (activity `<id>.briefing`, by the owner or the position's holder).
/// - Compliance reports a planned visit whose day has passed without it being done
///   (`visit_not_done`: the record's `done_on`, or a last-done date of the activity on or after
///   the planned day), a customer of the activity's tiers with no visit planned from the day to
///   `horizon_days` ahead (`no_visit_planned`), and a briefing not prepared by its due day
///   (`visit_briefing_overdue`) while the visit is ahead.
///
/// A fixed cadence (`every_months`) stays available to a policy that prefers it.
/// Free functions over value types: thread-safe.

#include <optional>
#include <string>
#include <vector>

#include "keyaccount/care/compliance.hpp"
#include "keyaccount/care/planner.hpp"
#include "keyaccount/org/directory.hpp"
#include "keyaccount/policy/model.hpp"

namespace keyaccount::care {

/// One visit of the visit plan.
struct planned_visit {
  std::string customer;
  date on;                           ///< the planned day
  std::string executive;             ///< person id of the visiting executive
  std::string activity;              ///< the `by_plan` activity; empty: the policy's only one
  std::optional<date> done_on{};     ///< when it took place
  std::optional<date> briefed_on{};  ///< when the briefing was handed over
  friend bool operator==(const planned_visit&, const planned_visit&) = default;
};

/// The `by_plan` activity a visit is for: its `activity`, or the policy's only `by_plan` one.
/// nullptr when there is none (or several and the visit names none).
[[nodiscard]] const activity* visit_activity(const policy& p, const planned_visit& v) noexcept;

/// What the planner and compliance refuse in one visit, as "field: message": an empty
/// customer, no `by_plan` activity for it, a customer that is not among `accounts`, an
/// executive who is not a known person. For readers that check each record as they read it.
/// What makes a visit the same as another, for refusing one given twice (care::first_places
/// "visit"): "C1 by csm-1 on 2026-08-01" (and "for ACTIVITY" when it names one). Twice the same
/// visit would plan it, and report it not done, twice.
[[nodiscard]] std::string visit_key(const planned_visit& v);

[[nodiscard]] std::vector<std::string> visit_problems(const policy& p,
                                                      const std::vector<account>& accounts,
                                                      const org::directory& people,
                                                      const planned_visit& v);

/// The plan items of the visit plan from `from` to `to` (make_plan adds them): each visit not
/// done that is due in the period or before it (then `overdue`), by its executive, and its
/// briefing (activity `<id>.briefing`) while the visit is ahead and no briefing was handed
/// over (`overdue` when due before `from`). Facts dated after `from` are not known on it.
/// Visits of customers whose tier the activity does not apply to are left out, each with a
/// warning added to `warnings`.
[[nodiscard]] std::vector<planned_activity> visit_plan_items(
    const policy& p, const std::vector<account>& accounts, const std::vector<planned_visit>& visits,
    const org::directory& people, date from, date to, std::vector<std::string>& warnings);

/// Compliance's Art. 9 findings on `as_of` for every `by_plan` activity: `visit_not_done`,
/// `no_visit_planned`, `visit_briefing_overdue` (see above).
[[nodiscard]] std::vector<finding> visit_findings(const policy& p,
                                                  const std::vector<account>& accounts,
                                                  const std::vector<planned_visit>& visits,
                                                  const org::directory& people, date as_of);

}  // namespace keyaccount::care
