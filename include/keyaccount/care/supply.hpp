#pragma once
/// \file
/// The demand and supply watch (Art. 7.1–7.2). Art. 7.1: the Customer Relations Specialist
/// keeps track of the key customers' demand and of the stock, and judges ahead from the
/// customers' trend, reasonable stock and the quantities needed; Art. 7.2: the specialist tells
/// the Sales Dept. in time to plan, so that key customers' supply never runs out.
///
/// The policy's `supply_watch` section says how: its `demand` rule (CEL over a customer's
/// fields) gives each watched customer's projected demand for one month; the next
/// `horizon_months` calendar months after the day's month are projected; each month's
/// cumulative demand is compared with the stock on hand plus the supply arriving by that
/// month's end, per product (the customer field `product_field` names a customer's product) or
/// in aggregate. The first month whose cumulative demand exceeds the supply is the shortage;
/// a notice to the Sales position is due `lead_days` before it begins, naming the customers,
/// the shortfall and the article. Months in a peak season (Art. 7.3) are flagged.
///
/// Free functions over value types: thread-safe; no clock (the caller passes `as_of`).

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "keyaccount/classify/classifier.hpp"
#include "keyaccount/classify/record.hpp"
#include "keyaccount/core/error.hpp"
#include "keyaccount/policy/model.hpp"

namespace keyaccount::care {

/// One line of the stock file: a quantity of a product on hand, or arriving on a day.
struct supply_item {
  std::string product;
  std::string spec;                  ///< may be empty; the watch adds specs of one product
  double quantity = 0;               ///< in the policy's `supply_watch.unit`, >= 0
  std::optional<date> arrives_on{};  ///< incoming supply; empty: on hand
};

/// What the watch refuses in one stock line on its own (`product: empty`, `quantity:
/// negative`), for readers that check each record as they read it.
[[nodiscard]] std::vector<std::string> supply_item_problems(const supply_item& s);

/// One watched customer's projection.
struct customer_demand {
  std::string customer;
  std::string name;
  std::string tier;
  std::string product;   ///< empty when compared in aggregate
  double monthly = 0;    ///< the demand rule's value
  double projected = 0;  ///< over the horizon: monthly × horizon_months
  friend bool operator==(const customer_demand&, const customer_demand&) = default;
};

/// One product (or everything, in aggregate) in one projected month.
struct supply_month {
  std::string product;  ///< empty in aggregate
  std::string month;    ///< "YYYY-MM"
  bool peak_season = false;
  std::string period;  ///< the peak-season period the month touches, "11-01..01-31"
  double demand = 0;   ///< the month's projected demand
  double cumulative_demand = 0;
  double available = 0;  ///< on hand plus arrivals by the month's end
  double shortfall = 0;  ///< cumulative demand beyond what is available, else 0
  friend bool operator==(const supply_month&, const supply_month&) = default;
};

/// A notice to Sales (Art. 7.2) of a projected shortage of one product (or in aggregate).
struct supply_notice {
  std::string product;   ///< empty in aggregate
  std::string month;     ///< the first short month, "YYYY-MM"
  date due;              ///< `lead_days` before that month begins, or the day itself when later
  bool late = false;     ///< the lead time had already passed on the day
  double shortfall = 0;  ///< the largest shortfall over the horizon
  std::vector<std::string> customers;  ///< watched customers with demand on it, most first
  std::string to;                      ///< the notified position (Sales)
  std::string to_name;
  std::string from;  ///< the watcher position
  std::string article;
  std::vector<std::string> peak_months;  ///< short months in a peak season (Art. 7.3)
  std::string message;
  friend bool operator==(const supply_notice&, const supply_notice&) = default;
};

/// The result of `supply_watch`.
struct supply_report {
  date as_of;
  std::string article;  ///< the watch's, art-7.1
  std::string unit;
  bool per_product = false;
  int horizon_months = 0;
  std::vector<customer_demand> customers;  ///< by customer id
  std::vector<supply_month> months;        ///< by product, then month
  std::vector<supply_notice> notices;      ///< by product
};

/// The inputs do not make sense: the policy has no `supply_watch` section, a customer's demand
/// rule fails or is negative, a watched customer names no product or a product without stock,
/// a stock line is refused. `problems` lists each, located ("customer C00012: ...",
/// "stock[3].quantity: ...").
/// Kind `error_kind::supply`.
class supply_error : public error {
 public:
  explicit supply_error(std::vector<std::string> problems);
};

/// The watch on `as_of`: `customers` classified by `c` (compiled from the policy watched) on
/// the day, those of the section's tiers projected, compared with `stock`. Arrivals dated on or
/// before `as_of` count as on hand. Throws supply_error.
[[nodiscard]] supply_report supply_watch(const classifier& c,
                                         const std::vector<customer_record>& customers,
                                         const std::vector<supply_item>& stock, date as_of);

}  // namespace keyaccount::care
