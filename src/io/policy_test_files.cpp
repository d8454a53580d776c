#include "keyaccount/io/policy_test_files.hpp"

#include <fstream>
#include <iterator>
#include <sstream>
#include <utility>

#include "keyaccount/classify/classifier.hpp"
#include "keyaccount/classify/record.hpp"  // input_error
#include "keyaccount/io/records.hpp"
#include "keyaccount/policy/source_document.hpp"  // append_pointer

namespace keyaccount::io {
namespace {

// "cases[0].expect.tier" → "/cases/0/expect/tier": the paths parse_policy_tests names. (A key
// with dots of its own, a criterion id, splits; it is then located at the enclosing object.)
std::string pointer_of(const std::string& field) {
  std::string pointer, token;
  auto flush = [&] {
    if (!token.empty()) pointer = append_pointer(pointer, token);
    token.clear();
  };
  for (char ch : field) {
    if (ch == '.' || ch == '[' || ch == ']')
      flush();
    else
      token += ch;
  }
  flush();
  return pointer;
}

// The cases of the test file `file`, or test_file_error.
std::vector<policy_test_case> read_test_file(const std::string& file) {
  std::ifstream in;
  if (const auto reason = open_file(file, in))
    throw test_file_error(error_kind::read, location{.file = file}, "unreadable_file",
                          "cannot read the test file (" + *reason + ")");
  std::ostringstream text;
  text << in.rdbuf();
  try {
    return parse_policy_tests(text.str());
  } catch (const input_error& e) {
    // At the field it names, or at what parse_json refused in the text.
    throw test_file_error(
        error_kind::input,
        locate_in_json(file, text.str(), e.field().empty() ? "" : pointer_of(e.field())),
        "invalid_test_file", e.what());
  }
}

}  // namespace

test_file_error::test_file_error(error_kind kind, location where, std::string code,
                                 const std::string& message)
    : error(kind, std::move(where), message), code_(std::move(code)) {}

std::string test_file_error::diagnostic() const {
  return where().to_string() + ": error[" + code_ + "]: " + message();
}

test_run run_policy_test_files(const policy& p, const std::string& policy_name,
                               const std::vector<std::string>& files,
                               std::optional<double> threshold) {
  classifier c(p);
  test_run run;
  run.policy = policy_name;
  run.threshold = threshold;
  std::vector<policy_test_case> all;
  for (const auto& file : files) {
    std::vector<policy_test_case> cases = read_test_file(file);
    test_file_run f{file, run_policy_tests(c, cases)};
    run.passed += f.report.passed;
    run.failed += f.report.failures.size();
    run.files.push_back(std::move(f));
    all.insert(all.end(), std::make_move_iterator(cases.begin()),
               std::make_move_iterator(cases.end()));
  }
  // Coverage over every file together.
  run.total = run_policy_tests(c, all);
  return run;
}

nlohmann::json to_json(const test_run& run) {
  using nlohmann::json;
  json files = json::array();
  for (const auto& f : run.files) {
    json cases = json::array();
    for (const auto& c : f.report.cases)
      cases.push_back(
          {{"name", c.name}, {"passed", c.mismatches.empty()}, {"mismatches", c.mismatches}});
    files.push_back({{"file", f.file},
                     {"passed", f.report.passed},
                     {"failed", f.report.failures.size()},
                     {"cases", cases}});
  }
  const auto& t = run.total;
  return {{"policy", run.policy},
          {"files", files},
          {"passed", run.passed},
          {"failed", run.failed},
          {"coverage",
           {{"percent", t.coverage_percent()},
            {"covered", t.covered},
            {"criteria", t.criterion_count},
            {"unexercised", t.unexercised},
            {"never_met", t.never_met},
            {"never_unmet", t.never_unmet}}},
          {"threshold", run.threshold ? json(*run.threshold) : json(nullptr)},
          {"ok", run.ok()}};
}

}  // namespace keyaccount::io
