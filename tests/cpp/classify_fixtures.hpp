#pragma once
// Customers for the classification tests, built as JSON so each test states the facts it relies on.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include <ostream>

#include "keyaccount/classify/classifier.hpp"
#include "keyaccount/classify/dynamics.hpp"
#include "keyaccount/policy/loader.hpp"

namespace keyaccount {
// Printable in Boost.Test messages (found by argument-dependent lookup).
inline std::ostream& boost_test_print_type(std::ostream& os, outcome o) {
  return os << to_string(o);
}
inline std::ostream& boost_test_print_type(std::ostream& os, transition_kind k) {
  return os << to_string(k);
}
}  // namespace keyaccount

namespace classify_test {

inline const keyaccount::classifier& default_classifier() {
  static const keyaccount::classifier c(keyaccount::default_policy());
  return c;
}

inline keyaccount::date day(const char* text) { return *keyaccount::date::parse(text); }

/// A government customer since 2020 with `shipments` (oldest first) and `cumulative` 万元.
inline nlohmann::json customer(std::vector<double> shipments, double cumulative,
                               const char* category = "government",
                               const char* first_order = "2020-01-15") {
  return {{"id", "C1"},
          {"name", "Test customer"},
          {"category", category},
          {"first_order", first_order},
          {"monthly_shipments", shipments},
          {"cumulative_amount", cumulative}};
}

inline keyaccount::customer_record record(const nlohmann::json& j) {
  return default_classifier().parser().from_json(j);
}

}  // namespace classify_test
