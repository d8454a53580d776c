#pragma once
/// \file
/// Explanations rendered as text (Chinese names beside English ids) and as JSON.
/// Free functions over value types: thread-safe.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "keyaccount/classify/classifier.hpp"

namespace keyaccount {

/// Multi-line text: the tier, then one line per criterion (✓ met, ✗ not met, ! error) with the
/// observed value, the target and, for one not met, the why-not in English and Chinese.
/// `customer` (an id or name) heads the first line when given.
[[nodiscard]] std::string to_text(const explanation& e, std::string_view customer = {});

/// The report of one criterion as JSON: id, article, name, name_zh, result, observed, target,
/// unit, strict, margin, gap, why_not, why_not_zh (absent members when they do not apply).
[[nodiscard]] nlohmann::json to_json(const criterion_report& r);

/// {"tier", "tier_name", "tier_name_zh", "deciding": [...], "criteria": [...]} (plus "error"),
/// and "provenance" when the explanation has one.
[[nodiscard]] nlohmann::json to_json(const explanation& e);

/// `criterion art-5.1 could not be evaluated: cause`: why a customer has no tier when a
/// criterion's condition failed (a CEL error such as an index past the end of a series).
[[nodiscard]] std::string criterion_failure_text(std::string_view criterion,
                                                 std::string_view cause);

/// A row's error in the words every edge gives it (the Python `error` column and exceptions,
/// Spark's SQL engine): `criterion_failure_text(criterion, message)` when a criterion is named,
/// else `field: message` (`monthly_shipments[3]: not a finite number`).
[[nodiscard]] std::string row_error_text(std::string_view field, std::string_view message,
                                         std::string_view criterion = {});

/// {"policy_id", "policy_version", "policy_hash", "as_of", "keyaccount_version"}.
[[nodiscard]] nlohmann::json to_json(const decision_provenance& p);

}  // namespace keyaccount
