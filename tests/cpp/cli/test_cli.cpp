#include <boost/test/unit_test.hpp>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cli_runner.hpp"
#include "diagnostic_catalogue.hpp"

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

BOOST_AUTO_TEST_CASE(validate_sarif_format_is_one_run_with_rules_and_located_results) {
  const std::string file = data_dir + "/cli/misspelt-department.json";
  auto r = run({"validate", "--format", "sarif", file});
  BOOST_TEST(r.code == 1);
  auto log = nlohmann::json::parse(r.out);
  BOOST_TEST(log["version"] == "2.1.0");
  BOOST_REQUIRE(log["runs"].size() == 1u);
  const auto& run0 = log["runs"][0];
  BOOST_TEST(run0["columnKind"] == "unicodeCodePoints");
  const auto& rules = run0["tool"]["driver"]["rules"];
  BOOST_TEST(rules.size() == keyaccount::cli::diagnostic_catalogue().size());
  BOOST_REQUIRE(run0["results"].size() == 1u);
  const auto& result = run0["results"][0];
  BOOST_TEST(result["ruleId"] == "undefined_department");
  BOOST_TEST(rules[result["ruleIndex"].get<std::size_t>()]["id"] == "undefined_department");
  auto [line, column] = locate(file, "\"finanse\"");
  const auto& region = result["locations"][0]["physicalLocation"]["region"];
  BOOST_TEST(region["startLine"].get<std::size_t>() == line);
  BOOST_TEST(region["startColumn"].get<std::size_t>() == column);
}

BOOST_AUTO_TEST_CASE(the_diagnostics_catalogue_is_read_from_its_headings_and_tables) {
  const std::string markdown =
      "# Guide\n\n### `first_code`\n\n**error.** The first. More text\non two lines.\n\n"
      "```text\nx\n```\n\n### `Not a code heading`\n\n### `second`\n\n"
      "**warning** for text, **error** for a date. Two.\n\n### `family_*`\n\n"
      "**error.** A family.\n\n| code | a | b |\n|---|---|---|\n"
      "| `family_one` | a one | `ones` |\n| `other` | x | y |\n\n## Next\n\n"
      "| `family_two` | outside | the family |\n";
  auto entries = keyaccount::cli::parse_diagnostic_catalogue(markdown);
  BOOST_REQUIRE(entries.size() == 3u);
  BOOST_TEST(entries[0].code == "first_code");
  BOOST_TEST(entries[0].severity == "error");
  BOOST_TEST(entries[0].summary == "The first.");
  BOOST_TEST(entries[0].description == "The first. More text on two lines.");
  BOOST_TEST(entries[1].code == "second");
  BOOST_TEST(entries[1].severity == "warning");
  BOOST_TEST(entries[2].code == "family_one");
  BOOST_TEST(entries[2].anchor == "family_");
  BOOST_TEST(entries[2].summary == "A reference to a one that is not declared in `ones`.");
  // The compiled-in guide: every code once.
  std::set<std::string> codes;
  for (const auto& e : keyaccount::cli::diagnostic_catalogue()) codes.insert(e.code);
  BOOST_TEST(codes.size() == keyaccount::cli::diagnostic_catalogue().size());
  BOOST_TEST(codes.count("undefined_position") == 1u);
  BOOST_TEST(codes.count("coverage_below_threshold") == 1u);
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
