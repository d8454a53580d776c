#pragma once
// `keyaccount test`: the run of policy test files (keyaccount::io::run_policy_test_files, which
// the Python package's keyaccount.run_tests calls too) printed as text or JUnit XML; its JSON is
// the library's io::to_json.

#include <iosfwd>

#include "keyaccount/io/policy_test_files.hpp"

namespace keyaccount::cli {

using io::test_run;

/// Failures with expected against actual, a summary per file, the criteria not covered, the
/// coverage figure and PASS/FAIL.
void print_test_text(const test_run& run, std::ostream& out);
/// JUnit XML: a testsuite per file, a testcase per case, a failure per failed case.
void print_test_junit(const test_run& run, std::ostream& out);

}  // namespace keyaccount::cli
