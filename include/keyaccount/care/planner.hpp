#pragma once
/// \file
/// The activity planner (Art. 6.1, 8–12): from the policy's activities, the festival calendar
/// and each key customer's owner and last-done dates, the activities due in a period — who
/// (position and person), when, why, under which article. A due holiday gift carries the
/// gift-request submission (Art. 12) and `start_workflows` turns it into a workflow instance.
///
/// Cadences (see docs/maintenance.md for worked examples):
/// - `every_days` N: due N days after it was last done;
/// - `every_months` N: due N calendar months after it was last done, clamped to the month's
///   end (last done 01-31, monthly: due 02-28, or 02-29 in a leap year, then 03-31: each
///   occurrence counts from the last-done date, so the clamp does not drift);
/// - `yearly_on` MM-DD: once a calendar year on that day (02-29 is 02-28 in other years);
///   done for a year when it was last done in that year;
/// - `festivals` with `lead_days`: due `lead_days` before each festival date of the calendar,
///   moved to the preceding Friday when that is a weekend (`festival_due_date`); done when the
///   last-done date for that festival (key `activity@festival`, else `activity`) is no earlier
///   than 30 days before the due date.
/// An account's `overrides` (Art. 6.3) replace these settings, and the responsible position, for
/// that customer alone; the item's `basis` then says "for this customer (art-6.3 override)".
/// An activity never done is due on the period's first day (`never_done`). An occurrence due
/// before the period that was not done is listed once, `overdue`, and the following ones are
/// projected as if it were done on the period's first day.
///
/// Free functions over value types: thread-safe as long as the arguments are not modified.
/// Output order: due date, then customer, activity and festival id compared as text.

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "keyaccount/care/calendar.hpp"
#include "keyaccount/core/error.hpp"
#include "keyaccount/org/directory.hpp"
#include "keyaccount/policy/model.hpp"
#include "keyaccount/workflow/engine.hpp"
#include "keyaccount/workflow/instance.hpp"

namespace keyaccount::care {

/// Art. 6.3 (flexible service): one customer's own standard for one activity. Each member that is
/// set replaces the policy's setting of the same name for this customer; the policy must list
/// it as `<activity>.<setting>` in `principles[].overridable` (`account_problems` checks).
struct activity_override {
  std::optional<int> every_days;           ///< 1..100000, for an `every_days` cadence
  std::optional<int> every_months;         ///< 1..1200, for an `every_months` cadence
  std::optional<month_day> yearly_on;      ///< for a `yearly_on` cadence
  std::optional<int> lead_days;            ///< 0..366, for a festival cadence
  std::optional<std::string> responsible;  ///< position id carrying the activity out
  friend bool operator==(const activity_override&, const activity_override&) = default;
};

/// A customer as the planner sees it: tier, dedicated owner, when each activity was last done.
struct account {
  std::string id;
  std::string name;
  std::string tier;                       ///< from the classifier or the CRM
  std::string owner;                      ///< person id of the dedicated owner (Art. 6.2)
  std::map<std::string, date> last_done;  ///< activity id (or "activity@festival") → last done
  std::optional<double> gift_amount;      ///< 元, for gift requests; default: plan_options'
  std::map<std::string, activity_override> overrides{};  ///< activity id → own standard (6.3)
  friend bool operator==(const account&, const account&) = default;
};

struct symposium_event;  // care/symposium.hpp
struct planned_visit;    // care/visits.hpp

/// The period and defaults of a plan.
struct plan_options {
  date from;               ///< first day of the period (the caller's "today")
  date to;                 ///< last day, inclusive
  double gift_amount = 0;  ///< 元, gift requests of accounts without their own amount
  /// Art. 10: the symposium's event records (care/symposium.hpp); nullptr: none recorded.
  /// With a `symposium` section the plan lists the event and its invitations either way.
  const std::vector<symposium_event>* symposium = nullptr;
  /// Art. 9: the visit plan (care/visits.hpp) for activities with a `by_plan` cadence; nullptr:
  /// no visit planned.
  const std::vector<planned_visit>* visits = nullptr;
};

/// One activity due.
struct planned_activity {
  std::string customer;
  std::string customer_name;
  std::string activity;
  localized_name activity_name;
  std::string article;
  std::string position;  ///< responsible position id
  std::string person;    ///< responsible person id; empty when nobody valid holds it
  std::string person_name;
  date due;
  bool overdue = false;     ///< due before the period's first day and not done
  bool never_done = false;  ///< no last-done date recorded
  std::string festival;     ///< festival id (gifts); empty otherwise
  std::optional<date> festival_on;
  std::string basis;     ///< why it is due then, in words
  std::string workflow;  ///< workflow to start (gift_request, proposal_review); may be empty
  /// The submission to start `workflow` with, for gifts: by `person` on `due`, request
  /// {customer_id, amount, festival, description}, request id "gift:<customer>:<festival>:<date>".
  std::optional<workflows::action> submit;
};

/// A plan for a period.
struct plan {
  date from;
  date to;
  std::vector<planned_activity> items;
  std::vector<std::string> warnings;  ///< e.g. a festival without a date in a planned year
};

/// Accounts that cannot be planned (empty or duplicate id, unknown tier). Located problems.
/// Kind `error_kind::plan`.
class plan_error : public error {
 public:
  explicit plan_error(std::vector<std::string> problems);
};

/// What make_plan refuses in one account on its own, each as "field: message" (`id: empty`,
/// `tier: unknown tier "gold"`, `last_done.golf: unknown activity "golf"`,
/// `overrides.regular_visit.every_days: not overridable under this policy …`): for readers that
/// check each record as they read it and can say where it came from. Empty for a plannable account.
[[nodiscard]] std::vector<std::string> account_problems(const policy& p, const account& a);

/// The activities due from `options.from` to `options.to` for the accounts whose tier an
/// activity applies to, and, under a `symposium` section (Art. 10), the symposium of each
/// year: the event (customer empty, activity the section's id, by the organizer) and an
/// invitation per invitee (activity `<id>.invitation`, by its owner), until held or sent. Throws
/// `plan_error` for invalid accounts or period. Last-done dates after `options.from` were not known
/// on it: they are ignored, each with a warning (known_facts.hpp), so an activity whose only record
/// is later counts as never done.
[[nodiscard]] plan make_plan(const policy& p, const festival_calendar& calendar,
                             const std::vector<account>& accounts, const org::directory& people,
                             const plan_options& options);

/// A started workflow for one plan item.
struct started_workflow {
  std::size_t item = 0;  ///< index into plan::items
  std::variant<workflows::instance, workflows::refusal> outcome;
};

/// Starts the workflow of every item that carries a submission (due gifts), in item order.
[[nodiscard]] std::vector<started_workflow> start_workflows(const plan& pl,
                                                            const workflows::workflow_set& set,
                                                            const org::directory& people);

}  // namespace keyaccount::care
