#pragma once
/// \file
/// JSON forms of the maintenance inputs and results. Readers never guess: a missing required
/// field, a wrong type, an unknown field or a malformed date is an `input_error` naming the
/// field (`last_done.regular_visit: expected a date YYYY-MM-DD`); callers add the file and
/// record/line number. Writers produce the forms the CLI prints and the Python layer reads.
///
/// Free functions: thread-safe.

#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "keyaccount/care/allocation.hpp"
#include "keyaccount/care/complaints.hpp"
#include "keyaccount/care/compliance.hpp"
#include "keyaccount/care/planner.hpp"
#include "keyaccount/care/supply.hpp"
#include "keyaccount/care/symposium.hpp"
#include "keyaccount/care/visits.hpp"
#include "keyaccount/core/error.hpp"

namespace keyaccount::care {

/// A record that does not have the expected shape. `field()` is the path inside the record.
/// Kind `error_kind::input`, located at the field (or at `where`, when a reader knows more).
class input_error : public error {
 public:
  input_error(std::string field, const std::string& message)
      : error(error_kind::input, location{.field = std::move(field)}, message) {}
  input_error(location where, const std::string& message)
      : error(error_kind::input, std::move(where), message) {}
  [[nodiscard]] const std::string& field() const noexcept { return where().field; }
};

/// {"id", "name"?, "tier", "owner"?, "last_done"?: {activity: date}, "gift_amount"?,
///  "overrides"?: {"<activity>.<setting>": value}} (Art. 6.3: every_days, every_months and
/// lead_days whole numbers, yearly_on "MM-DD", responsible a position id); a table row may give
/// each last-done date as a key "last_done.ACTIVITY" and each override as
/// "overrides.ACTIVITY.SETTING" instead, and every value as text (a gift amount then written as
/// a number, "800" or "800.5"; a blank override cell sets nothing).
[[nodiscard]] account account_from_json(const nlohmann::json& j);
/// {"id", "customer", "category", "recorder"?, "summary"?, "raised_on", "recorded_on"?,
///  "reported_on"?, "resolved_on"?, "closed_on"?, "escalations"?: [{"kind", "to", "opened_on",
///  "closed_on"?}]}
[[nodiscard]] complaint complaint_from_json(const nlohmann::json& j);
/// {"id", "customer", "tier", "product", "spec"?, "quantity", "ordered_at"}; from CSV every
/// value may be text: a quantity must then be a whole number written in digits.
[[nodiscard]] order_line order_line_from_json(const nlohmann::json& j);
/// {"product", "spec"?, "quantity"}
[[nodiscard]] stock_item stock_item_from_json(const nlohmann::json& j);
/// A line of the supply watch's stock file (Art. 7.1): {"product", "spec"?, "quantity",
///  "arrives_on"?}; quantity a number in the policy's `supply_watch.unit` (from CSV, text that
/// is exactly one); without `arrives_on` it is on hand, with it it arrives on that day.
[[nodiscard]] supply_item supply_item_from_json(const nlohmann::json& j);
/// {"id", "name"?, "name_zh"?, "dates": ["YYYY-MM-DD", ...]}
[[nodiscard]] festival festival_from_json(const nlohmann::json& j);
/// One year's symposium (Art. 10): {"date", "held"?: false, "invited"?: {customer: date sent},
///  "attended"?: [customer, ...]}
[[nodiscard]] symposium_event symposium_event_from_json(const nlohmann::json& j);

/// One visit of the visit plan (Art. 9): {"customer", "date", "executive", "activity"?,
///  "done_on"?, "briefed_on"?}; from CSV every value is text, an empty cell absent.
[[nodiscard]] planned_visit planned_visit_from_json(const nlohmann::json& j);

[[nodiscard]] nlohmann::json to_json(const planned_activity& item);
[[nodiscard]] nlohmann::json to_json(const plan& pl);
[[nodiscard]] nlohmann::json to_json(const line_allocation& line);
[[nodiscard]] nlohmann::json to_json(const allocation_result& r);
[[nodiscard]] nlohmann::json to_json(const escalation& e);
[[nodiscard]] nlohmann::json to_json(const finding& f);
[[nodiscard]] nlohmann::json to_json(const compliance_report& r);
[[nodiscard]] nlohmann::json to_json(const complaint& c);
[[nodiscard]] nlohmann::json to_json(const symposium_status& s);
[[nodiscard]] nlohmann::json to_json(const supply_report& r);
/// The workflows `start_workflows` started for a plan's due gifts: [{"item", "instance"} or
/// {"item", "refusal"}], as `keyaccount plan --start-workflows --format json` and
/// `keyaccount.care.plan(..., start_workflows=True)` give them.
[[nodiscard]] nlohmann::json to_json(const std::vector<started_workflow>& started);

/// CSV (RFC 4180, a header row, LF line ends) of plan items, allocation lines, compliance
/// findings and escalations.
[[nodiscard]] std::string to_csv(const plan& pl);
[[nodiscard]] std::string to_csv(const allocation_result& r);
[[nodiscard]] std::string to_csv(const compliance_report& r);
[[nodiscard]] std::string to_csv(const std::vector<escalation>& escalations);
/// The supply watch's months (product, month, peak season, demand, available, shortfall).
[[nodiscard]] std::string to_csv(const supply_report& r);

}  // namespace keyaccount::care
