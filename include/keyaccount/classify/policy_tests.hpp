#pragma once
/// \file
/// Table-driven policy tests, as `opa test` is for Rego: each case is a customer, an `as_of`, the
/// expected tier and deciding criteria and, optionally, the expected outcome of named criteria.
///
/// File format (JSON):
///
///     { "as_of": "2026-06-30",                       // default evaluation date
///       "defaults": { "category": "government", ... }, // merged under every case's customer
///       "cases": [ { "name": "exactly 500 万元 is not above 500",
///                    "customer": { "cumulative_amount": 500 },
///                    "as_of": "2026-06-30",            // optional, overrides the default
///                    "expect": { "tier": "regular",
///                                "deciding": ["art-5", "art-5.1", "art-5.2", "art-5.3"],
///                                "criteria": { "art-5.1": "not_met" } } } ] }
///
/// A top-level `"description"` is allowed, and a `"$schema"` (an editor's pointer to
/// schema/policy-tests.schema.json, the format as a JSON Schema), both ignored. Any other key is
/// an error (with a did-you-mean), as
/// is a file without cases or a case that expects nothing: a misspelt `"asof"` or `"expected"`
/// would otherwise make a case test less than it says. A case whose customer's criteria cannot be
/// evaluated fails with the criterion and the evaluation error.
///
/// Free functions over value types: thread-safe.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "keyaccount/classify/classifier.hpp"

namespace keyaccount {

/// One test case.
struct policy_test_case {
  std::string name;
  nlohmann::json customer;  ///< the customer with the file's defaults merged in
  date as_of;
  std::optional<std::string> tier;                   ///< expected tier
  std::optional<std::vector<std::string>> deciding;  ///< expected deciding criteria (a set)
  std::map<std::string, std::string> criteria;       ///< criterion id → "met" / "not_met"
};

/// Reads a test file. Throws input_error naming the case ("cases[3].expect.tier") when the file
/// is malformed.
[[nodiscard]] std::vector<policy_test_case> parse_policy_tests(std::string_view json_text);

/// One failed case: what was expected against what happened, one line each.
struct policy_test_failure {
  std::string name;
  std::vector<std::string> mismatches;  ///< "tier: expected key, got regular", ...
};

/// The outcome of running test cases.
struct policy_test_report {
  std::size_t passed = 0;
  std::vector<policy_test_failure> failures;
  /// Every case in the order run, passed ones with no mismatches (JUnit reports list them all).
  std::vector<policy_test_failure> cases;
  /// The policy's criteria, and how many of them some case saw met and some case saw not met:
  /// the coverage, as `opa test --coverage` counts a rule exercised both ways.
  std::size_t criterion_count = 0, covered = 0;
  /// `covered` of `criterion_count` in percent (100 for a policy without criteria).
  [[nodiscard]] double coverage_percent() const noexcept {
    return criterion_count == 0
               ? 100.0
               : 100.0 * static_cast<double>(covered) / static_cast<double>(criterion_count);
  }
  /// Criteria no case's expectation names (neither in `deciding` nor in `criteria`).
  std::vector<std::string> unexercised;
  /// Criteria never seen met, and never seen not met, across all cases (full evaluation).
  std::vector<std::string> never_met, never_unmet;
  [[nodiscard]] bool ok() const noexcept { return failures.empty(); }
};

/// Runs `cases` against `c`. A customer that does not read (input_error) is a failure.
[[nodiscard]] policy_test_report run_policy_tests(const classifier& c,
                                                  const std::vector<policy_test_case>& cases);

}  // namespace keyaccount
