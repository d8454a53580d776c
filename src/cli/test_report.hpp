#pragma once
// `keyaccount test`: running policy test files and reporting the run as text, JSON or JUnit XML.
// The command and the Python package (keyaccount.run_tests, through keyaccount._core) both call
// these, so a report means the same wherever it is read.

#include <cstddef>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "keyaccount/classify/policy_tests.hpp"

namespace keyaccount::cli {

/// One test file's run.
struct file_run {
  std::string file;
  policy_test_report report;
};

/// A run of test files against one policy: what every format reports.
struct test_run {
  std::string policy;  ///< the --policy file, or "<default policy>"
  std::vector<file_run> files;
  policy_test_report total;  ///< every file's cases together: the coverage
  std::size_t passed = 0, failed = 0;
  std::optional<double> threshold;  ///< --coverage-threshold, in percent
  [[nodiscard]] bool below_threshold() const {
    return threshold && total.coverage_percent() < *threshold;
  }
  /// No case failed and the coverage reaches the threshold: exit 0.
  [[nodiscard]] bool ok() const { return failed == 0 && !below_threshold(); }
};

/// Reads and runs `files` against `p`. A file that cannot be read or is not a valid test file
/// (`invalid_test_file`) is reported on `err`, located (`FILE:LINE:COL: error[CODE]: ...`),
/// and nothing is returned: the command exits 2.
std::optional<test_run> run_test_files(const policy& p, const std::string& policy_name,
                                       const std::vector<std::string>& files,
                                       std::optional<double> threshold, std::ostream& err);

/// Failures with expected against actual, a summary per file, the criteria not covered, the
/// coverage figure and PASS/FAIL.
void print_test_text(const test_run& run, std::ostream& out);
/// The run as JSON (schema/test-report.schema.json).
nlohmann::json test_run_json(const test_run& run);
/// JUnit XML: a testsuite per file, a testcase per case, a failure per failed case.
void print_test_junit(const test_run& run, std::ostream& out);

}  // namespace keyaccount::cli
