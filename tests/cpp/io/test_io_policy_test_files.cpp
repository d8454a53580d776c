// keyaccount::io::run_policy_test_files: the one run of policy test files that `keyaccount test`
// prints and keyaccount.run_tests returns. A file that cannot be read or is not a test file is a
// test_file_error with its code and place (the line the command prints); cases are counted per
// file, the coverage over all files together; the JSON report has the schema's members.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "keyaccount/io/policy_test_files.hpp"
#include "keyaccount/policy/default_policy.hpp"
#include "keyaccount/policy/loader.hpp"

namespace {

namespace fs = std::filesystem;
using keyaccount::io::run_policy_test_files;
using keyaccount::io::test_file_error;

struct test_dir {
  fs::path root = fs::temp_directory_path() /
                  ("keyaccount_policy_tests_" + std::to_string(std::random_device{}()));
  test_dir() { fs::create_directories(root); }
  ~test_dir() { fs::remove_all(root); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(root / name, std::ios::binary) << text;
    return (root / name).string();
  }
};

const keyaccount::policy& default_policy() {
  static const auto p = keyaccount::load_policy_or_throw(keyaccount::default_policy_text());
  return p;
}

// A customer above Art. 5.1's 500 万元 is a key customer; one "expecting" key at 100 fails.
const char* const two_cases = R"({"as_of": "2026-06-30",
 "defaults": {"id": "T", "name": "N", "category": "government", "first_order": "2020-01-15",
              "monthly_shipments": [10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10]},
 "cases": [
  {"name": "above 500", "customer": {"cumulative_amount": 600}, "expect": {"tier": "key"}},
  {"name": "100 is not key", "customer": {"cumulative_amount": 100}, "expect": {"tier": "key"}}
 ]})";

// The diagnostic of the test_file_error that running `file` throws, or "<ran>".
std::string refusal(const std::string& file) {
  try {
    (void)run_policy_test_files(default_policy(), "p", {file});
  } catch (const test_file_error& e) {
    return e.diagnostic();
  }
  return "<ran>";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(io_policy_test_files)

BOOST_AUTO_TEST_CASE(cases_are_counted_per_file_and_the_run_fails_on_a_failed_case) {
  test_dir dir;
  const auto file = dir.write("t.json", two_cases);
  const auto run = run_policy_test_files(default_policy(), "p", {file, file});
  BOOST_REQUIRE_EQUAL(run.files.size(), 2u);
  BOOST_TEST(run.files[0].report.passed == 1u);
  BOOST_TEST(run.files[0].report.failures.size() == 1u);
  BOOST_TEST(run.passed == 2u);
  BOOST_TEST(run.failed == 2u);
  BOOST_TEST(!run.ok());
  const auto json = keyaccount::io::to_json(run);
  BOOST_TEST(json.at("policy") == "p");
  BOOST_TEST(json.at("files").at(1).at("cases").at(1).at("name") == "100 is not key");
  BOOST_TEST(json.at("files").at(1).at("cases").at(1).at("passed") == false);
  BOOST_TEST(json.at("ok") == false);
  BOOST_TEST(json.at("threshold").is_null());
}

BOOST_AUTO_TEST_CASE(a_threshold_above_the_coverage_fails_a_run_whose_cases_pass) {
  test_dir dir;
  const auto file = dir.write("t.json", R"({"as_of": "2026-06-30",
    "cases": [{"name": "n", "customer": {"id": "T", "name": "N", "category": "government",
      "first_order": "2020-01-15", "monthly_shipments": [10, 10, 10], "cumulative_amount": 600},
      "expect": {"tier": "key"}}]})");
  const auto run = run_policy_test_files(default_policy(), "p", {file}, 100.0);
  BOOST_TEST(run.failed == 0u);
  BOOST_TEST(run.below_threshold());
  BOOST_TEST(!run.ok());
  BOOST_TEST(keyaccount::io::to_json(run).at("threshold") == 100.0);
}

BOOST_AUTO_TEST_CASE(a_bad_test_file_is_refused_at_its_line_with_its_code) {
  test_dir dir;
  // An unknown key on line 2: located at that member.
  const auto misspelt =
      dir.write("bad.json",
                "{\"as_of\": \"2026-06-30\",\n \"cases\": [{\"customer\": {}, \"expected\": {}}]}");
  BOOST_TEST(refusal(misspelt).starts_with(misspelt + ":2:"));
  BOOST_TEST(refusal(misspelt).find(": error[invalid_test_file]: cases[0].expected: unknown key") !=
             std::string::npos);
  // Text that is not JSON: located where the reader stopped.
  const auto broken = dir.write("broken.json", "{\"cases\": [\n  {\"name\": }]}");
  BOOST_TEST(refusal(broken).starts_with(broken + ":2:"));
  BOOST_TEST(refusal(broken).find("error[invalid_test_file]") != std::string::npos);
  // A file that cannot be read: the file alone, another code, kind read.
  const auto missing = (dir.root / "missing.json").string();
  BOOST_TEST(refusal(missing) == missing +
                                     ": error[unreadable_file]: cannot read the test file (No "
                                     "such file or directory)");
  try {
    (void)run_policy_test_files(default_policy(), "p", {missing});
    BOOST_FAIL("a missing file was read");
  } catch (const test_file_error& e) {
    BOOST_TEST(keyaccount::to_string(e.kind()) == "read");
    BOOST_TEST(e.code() == "unreadable_file");
    BOOST_TEST(e.where().file == missing);
  }
}

BOOST_AUTO_TEST_SUITE_END()
