#pragma once
/// \file
/// Running policy test files (the format of classify/policy_tests.hpp) against one policy, and
/// the run as JSON (schema/test-report.schema.json): what `keyaccount test` reports and
/// `keyaccount.run_tests` returns. Both call these, so a file refused, a case failed or a
/// coverage figure means the same wherever it is read; the command only adds its text and JUnit
/// printing and its exit codes.
///
///     auto run = keyaccount::io::run_policy_test_files(p, "policy.json", {"tests.json"}, 90.0);
///     if (!run.ok()) std::cerr << keyaccount::io::to_json(run).dump(2);

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "keyaccount/classify/policy_tests.hpp"
#include "keyaccount/core/error.hpp"

namespace keyaccount::io {

/// One test file's run.
struct test_file_run {
  std::string file;
  policy_test_report report;
};

/// A run of test files against one policy.
struct test_run {
  std::string policy;  ///< how the caller names the policy ("policy.json", "<default policy>")
  std::vector<test_file_run> files;
  policy_test_report total;  ///< every file's cases together: the coverage
  std::size_t passed = 0, failed = 0;
  std::optional<double> threshold;  ///< the coverage a run must reach, in percent
  /// The coverage is below the threshold.
  [[nodiscard]] bool below_threshold() const {
    return threshold && total.coverage_percent() < *threshold;
  }
  /// No case failed and the coverage reaches the threshold.
  [[nodiscard]] bool ok() const { return failed == 0 && !below_threshold(); }
};

/// A test file that cannot be read (`code()` "unreadable_file", kind error_kind::read, located
/// at the file) or is not a valid test file ("invalid_test_file", kind error_kind::input,
/// located at `FILE:LINE:COLUMN` of the member it names, or of what the JSON reader refused).
class test_file_error : public error {
 public:
  test_file_error(error_kind kind, location where, std::string code, const std::string& message);
  /// The diagnostic code: "unreadable_file" or "invalid_test_file".
  [[nodiscard]] const std::string& code() const noexcept { return code_; }
  /// `PLACE: error[CODE]: MESSAGE`, the one wording: the command prints it, Python raises it.
  [[nodiscard]] std::string diagnostic() const;

 private:
  std::string code_;
};

/// Reads and runs `files` (in order) against `p`, naming the policy `policy_name` in the run.
/// Throws test_file_error for the first file that cannot be read or is not a valid test file.
[[nodiscard]] test_run run_policy_test_files(const policy& p, const std::string& policy_name,
                                             const std::vector<std::string>& files,
                                             std::optional<double> threshold = std::nullopt);

/// The run as JSON (schema/test-report.schema.json).
[[nodiscard]] nlohmann::json to_json(const test_run& run);

}  // namespace keyaccount::io
