#pragma once
/// \file
/// Peak-season priority allocation (Art. 7.3): scarce stock per product/spec shared among open
/// order lines. In a peak-season period of the policy, tiers are served in strict priority
/// (`peak_season.tier_priority`, tiers not listed come last); within a tier either first-come
/// (order time, then line id) or pro-rata with largest-remainder rounding to `pack_size`.
/// Outside peak season every line is served first-come. A line never gets more than it ordered,
/// a product/spec never gives more than its stock, and every line's amount is explained.
///
/// Free functions over value types: thread-safe as long as the arguments are not modified.
/// Deterministic: the result does not depend on the order of the input lines.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "keyaccount/core/error.hpp"
#include "keyaccount/policy/model.hpp"

namespace keyaccount::care {

/// Stock available for one product and specification.
struct stock_item {
  std::string product;
  std::string spec;           ///< specification; may be empty
  std::int64_t quantity = 0;  ///< units available, >= 0
};

/// An open order line.
struct order_line {
  std::string id;  ///< unique among the lines
  std::string customer;
  std::string tier;  ///< the customer's tier (classifier or CRM)
  std::string product;
  std::string spec;
  std::int64_t quantity = 0;  ///< units ordered, >= 0
  std::string ordered_at;     ///< "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS]"; compared as time
};

/// Overrides of the policy's peak-season rule.
struct allocation_options {
  std::optional<allocation_mode> within_tier;  ///< default: the policy's
  std::optional<int> pack_size;                ///< default: the policy's (>= 1)
  std::optional<bool> peak_season;             ///< force in or out of season; default: by date
};

/// How one line was served.
struct line_allocation {
  std::string line;
  std::string customer;
  std::string tier;
  std::string product;
  std::string spec;
  std::int64_t ordered = 0;
  std::int64_t allocated = 0;
  int priority = 0;               ///< 1-based rank of the line's tier group (1 outside peak season)
  std::int64_t stock_before = 0;  ///< stock of the product/spec left when its group was served
  std::string reason;             ///< why this amount, in words, with the article
  friend bool operator==(const line_allocation&, const line_allocation&) = default;
};

/// What is left of one product/spec.
struct stock_left {
  std::string product;
  std::string spec;
  std::int64_t stock = 0;
  std::int64_t allocated = 0;
  std::int64_t remaining = 0;
  std::int64_t unmet = 0;  ///< ordered but not allocated
  friend bool operator==(const stock_left&, const stock_left&) = default;
};

/// The result of `allocate`.
struct allocation_result {
  date on;
  bool peak_season = false;
  std::string period;  ///< the peak-season period that applies, "11-01..01-31"
  allocation_mode mode = allocation_mode::first_come;  ///< within a tier (peak season)
  int pack_size = 1;
  std::string article;                 ///< art-7.3
  std::vector<line_allocation> lines;  ///< in the order of the input lines
  std::vector<stock_left> stock;       ///< by product, then spec
};

/// The inputs do not make sense (duplicate line id, negative quantity, bad time, duplicate
/// stock entry, pack size below 1). `problems` lists each, located ("lines[3].quantity: ...").
/// Kind `error_kind::allocation`.
class allocation_error : public error {
 public:
  explicit allocation_error(std::vector<std::string> problems);
};

/// Whether `day` lies in one of `rule`'s periods (inclusive; a period may wrap the year end,
/// e.g. 11-01..01-31). Returns the period's text, or nothing.
[[nodiscard]] std::optional<std::string> peak_period_on(const peak_season_rule& rule, date day);

/// What `allocate` refuses in one order line on its own, each as "field: message" (`id: empty`,
/// `tier: unknown tier "Key" (did you mean `key`?; ...)`, `quantity: negative`, `ordered_at:
/// ...`): for readers that check each record as they read it and can say where it came from.
/// A tier the policy does not declare is refused, not served last: only declared tiers missing
/// from `peak_season.tier_priority` are served after the listed ones.
[[nodiscard]] std::vector<std::string> order_line_problems(const policy& p, const order_line& l);

/// What `allocate` refuses in one stock entry on its own (`product: empty`, `quantity:
/// negative`), for readers that check each record as they read it.
[[nodiscard]] std::vector<std::string> stock_item_problems(const stock_item& s);

/// Allocates `stock` to `lines` on day `on` under the policy's peak-season rule (a policy
/// without one: first-come all year). Throws `allocation_error` for invalid inputs.
[[nodiscard]] allocation_result allocate(const policy& p, const std::vector<stock_item>& stock,
                                         const std::vector<order_line>& lines, date on,
                                         const allocation_options& options = {});

/// Normalises an order time to "YYYY-MM-DDTHH:MM:SS"; empty when it is not a valid time.
[[nodiscard]] std::optional<std::string> normalize_time(std::string_view text);

[[nodiscard]] std::string_view to_string(allocation_mode m) noexcept;

}  // namespace keyaccount::care
