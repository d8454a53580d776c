#include <boost/test/unit_test.hpp>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_runner.hpp"

namespace {
using keyaccount::testing::cli_result;
cli_result run(const std::vector<std::string>& args) { return keyaccount::testing::run_cli(args); }
const std::string data_dir = KEYACCOUNT_TEST_DATA_DIR;

// Line and column (1-based, code points) of the first occurrence of `needle` in a file: the
// expected position is found by construction, not copied from the tool.
std::pair<std::size_t, std::size_t> locate(const std::string& path, const std::string& needle) {
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto at = text.find(needle);
  BOOST_REQUIRE(at != std::string::npos);
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < at; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++column;
    }
  }
  return {line, column};
}
const std::string default_file = KEYACCOUNT_SOURCE_DIR "/policies/key-account-policy.json";
}  // namespace

BOOST_AUTO_TEST_SUITE(cli)

BOOST_AUTO_TEST_CASE(validate_default_policy_exits_0_even_when_strict) {
  auto r = run({"validate", "--strict", default_file});
  BOOST_TEST(r.code == 0, r.out + r.err);
  BOOST_TEST(r.out.find("valid (0 errors, 0 warnings)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(validate_reports_text_with_caret_and_exits_1) {
  const std::string file = data_dir + "/cli/misspelt-department.json";
  auto [line, column] = locate(file, "\"finanse\"");
  auto r = run({"validate", file});
  BOOST_TEST(r.code == 1);
  std::string expected = "misspelt-department.json:" + std::to_string(line) + ":" +
                         std::to_string(column) +
                         ": error[undefined_department]: undefined department `finanse` (did "
                         "you mean `finance`?)";
  BOOST_TEST(r.out.find(expected) != std::string::npos, r.out);
  // The caret sits under the opening quote: two cells for each wide (CJK) character before it.
  auto source_line_start = r.out.find("\n  ", r.out.find(expected)) + 3;
  auto source_line_end = r.out.find('\n', source_line_start);
  std::string prefix = r.out.substr(source_line_start, source_line_end - source_line_start);
  std::size_t cells = 0, seen = 0;
  for (std::size_t i = 0; i < prefix.size() && seen + 1 < column; ++seen) {
    auto c = static_cast<unsigned char>(prefix[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
    cells += len >= 3 ? 2 : 1;
    i += len;
  }
  BOOST_TEST(r.out.substr(source_line_end, cells + 5) == "\n  " + std::string(cells, ' ') + "^\n",
             r.out);
}

BOOST_AUTO_TEST_CASE(validate_json_format_lists_files_and_diagnostics) {
  auto r = run(
      {"validate", "--format", "json", default_file, data_dir + "/cli/misspelt-department.json"});
  BOOST_TEST(r.code == 1);
  auto doc = nlohmann::json::parse(r.out);
  BOOST_TEST(doc["files"].size() == 2u);
  BOOST_TEST(doc["files"][0]["valid"] == true);
  BOOST_TEST(doc["files"][1]["valid"] == false);
  const auto& d = doc["files"][1]["diagnostics"][0];
  BOOST_TEST(d["code"] == "undefined_department");
  auto [line, column] = locate(data_dir + "/cli/misspelt-department.json", "\"finanse\"");
  BOOST_TEST(d["pointer"] == "/organization/positions/5/department");
  BOOST_TEST(d["line"] == line);
  BOOST_TEST(d["column"] == column);
  BOOST_TEST(d["severity"] == "error");
}

BOOST_AUTO_TEST_CASE(validate_github_format_is_a_workflow_command) {
  auto r = run({"validate", "--format", "github", data_dir + "/cli/misspelt-department.json"});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.out.rfind("::error file=", 0) == 0, r.out);
  auto [line, column] = locate(data_dir + "/cli/misspelt-department.json", "\"finanse\"");
  BOOST_TEST(r.out.find(",line=" + std::to_string(line) + ",col=" + std::to_string(column) +
                        ",title=undefined_department::undefined department") != std::string::npos,
             r.out);
}

BOOST_AUTO_TEST_CASE(unreadable_file_and_bad_usage_exit_2) {
  BOOST_TEST(run({"validate", data_dir + "/no-such-file.json"}).code == 2);
  auto directory = run({"validate", data_dir});
  BOOST_TEST(directory.code == 2);
  BOOST_TEST(directory.out.find("error[unreadable_file]: this is a directory") != std::string::npos,
             directory.out);
  BOOST_TEST(run({"validate", "--format", "xml", default_file}).code == 2);
  BOOST_TEST(run({"no-such-command"}).code == 2);
}

BOOST_AUTO_TEST_CASE(a_directory_as_an_input_file_is_unreadable_in_every_command) {
  // std::ifstream opens a directory and reads it as empty: "no customers", exit 0, before.
  const std::string dir = data_dir + "/care";
  const std::string accounts = data_dir + "/care/accounts.jsonl";
  const std::string people = data_dir + "/care/people.json";
  const std::vector<std::vector<std::string>> commands{
      {"classify", "--as-of", "2026-06-30", dir},
      {"classify", "--policy", dir, "--as-of", "2026-06-30", accounts},
      {"test", dir},
      {"plan", "--as-of", "2026-06-30", "--accounts", dir, "--people", people},
      {"plan", "--as-of", "2026-06-30", "--customers", dir, "--people", people},
      {"compliance", "--as-of", "2026-06-30", "--accounts", accounts, "--people", dir},
      {"workflow", "graph", "gift_request", "--instance", dir},
  };
  for (const auto& args : commands) {
    auto r = run(args);
    BOOST_TEST(r.code == 2, args[0] << ": " << r.err);
    BOOST_TEST(r.err.find(dir + ": error[unreadable_file]: cannot read the ") != std::string::npos,
               args[0] << ": " << r.err);
    BOOST_TEST(r.err.find("(it is a directory)") != std::string::npos, args[0] << ": " << r.err);
  }
  auto missing = run({"test", data_dir + "/no-such.tests.json"});
  BOOST_TEST(missing.code == 2);
  BOOST_TEST(missing.err.find("cannot read the test file (No such file or directory)") !=
                 std::string::npos,
             missing.err);
}

BOOST_AUTO_TEST_CASE(strict_fails_on_warnings) {
  auto lenient = run({"validate", data_dir + "/cli/unused-parameter.json"});
  auto strict = run({"validate", "--strict", data_dir + "/cli/unused-parameter.json"});
  BOOST_TEST(lenient.code == 0, lenient.out);
  BOOST_TEST(strict.code == 1, strict.out);
  BOOST_TEST(strict.out.find("warning[unused_parameter]") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(describe_summarises_the_default_policy) {
  auto r = run({"describe"});
  BOOST_TEST(r.code == 0);
  BOOST_TEST(r.out.find("key — Key customer (重点客户)") != std::string::npos, r.out);
}

BOOST_AUTO_TEST_SUITE_END()
