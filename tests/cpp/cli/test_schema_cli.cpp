// `keyaccount schema [policy|tests]` prints the JSON Schemas compiled in, and `keyaccount
// validate -` reads a policy from standard input.
#include <boost/test/unit_test.hpp>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_runner.hpp"
#include "keyaccount/policy/source_document.hpp"

namespace {
using keyaccount::testing::cli_result;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  BOOST_REQUIRE_MESSAGE(in, "cannot read " + path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// `keyaccount ARGS...` with `input` as standard input.
cli_result run_with_stdin(const std::vector<std::string>& args, const std::string& input) {
  std::istringstream in(input);
  std::streambuf* saved = std::cin.rdbuf(in.rdbuf());
  cli_result r = keyaccount::testing::run_cli(args);
  std::cin.rdbuf(saved);
  return r;
}

// Replaces every `from` in `text` with `to`.
std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

const std::string schema_dir = KEYACCOUNT_SOURCE_DIR "/schema/";
const std::string default_file = KEYACCOUNT_SOURCE_DIR "/policies/key-account-policy.json";
const std::string misspelt_file = KEYACCOUNT_TEST_DATA_DIR "/cli/misspelt-department.json";
}  // namespace

BOOST_AUTO_TEST_SUITE(schema_cli)

BOOST_AUTO_TEST_CASE(schema_prints_the_policy_schema_byte_for_byte_bare_or_named) {
  const std::string expected = read_file(schema_dir + "policy.schema.json");
  for (const auto& args :
       {std::vector<std::string>{"schema"}, std::vector<std::string>{"schema", "policy"}}) {
    auto r = keyaccount::testing::run_cli(args);
    BOOST_TEST(r.code == 0, r.err);
    BOOST_TEST(r.err.empty());
    BOOST_TEST((r.out == expected));
  }
  auto schema = nlohmann::json::parse(expected);
  BOOST_TEST(schema.at("$id").get<std::string>().find("policy") != std::string::npos);
  BOOST_TEST(!schema.at("title").get<std::string>().empty());
}

BOOST_AUTO_TEST_CASE(schema_tests_prints_the_test_file_schema) {
  auto r = keyaccount::testing::run_cli({"schema", "tests"});
  BOOST_TEST(r.code == 0, r.err);
  BOOST_TEST((r.out == read_file(schema_dir + "policy-tests.schema.json")));
  BOOST_TEST(nlohmann::json::parse(r.out).at("$id") !=
             nlohmann::json::parse(read_file(schema_dir + "policy.schema.json")).at("$id"));
}

BOOST_AUTO_TEST_CASE(schema_of_anything_else_is_a_usage_error) {
  auto r = keyaccount::testing::run_cli({"schema", "customers"});
  BOOST_TEST(r.code == 2);
  BOOST_TEST(r.out.empty());
  BOOST_TEST(r.err.find("customers") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(validate_dash_reads_the_policy_from_standard_input) {
  auto r = run_with_stdin({"validate", "-"}, read_file(default_file));
  BOOST_TEST(r.code == 0, r.out + r.err);
  BOOST_TEST(r.out == "<stdin>: valid (0 errors, 0 warnings)\n");
}

BOOST_AUTO_TEST_CASE(validate_dash_reports_what_validating_the_file_reports) {
  // Every format, the same diagnostics at the same places; only the name differs.
  for (const std::string format : {"text", "json", "github"}) {
    auto piped = run_with_stdin({"validate", "--format", format, "-"}, read_file(misspelt_file));
    auto named = keyaccount::testing::run_cli({"validate", "--format", format, misspelt_file});
    BOOST_TEST(piped.code == 1);
    BOOST_TEST(named.code == 1);
    BOOST_TEST(piped.out.find("undefined_department") != std::string::npos, piped.out);
    BOOST_TEST(piped.out == replace_all(named.out, misspelt_file, "<stdin>"), format);
  }
}

BOOST_AUTO_TEST_CASE(validate_dash_with_a_file_too_large_stops_at_the_limit) {
  const std::size_t limit = keyaccount::parse_limits{}.max_bytes;
  auto r = run_with_stdin({"validate", "-"}, std::string(limit + 10, ' '));
  BOOST_TEST(r.code == 1, r.err);
  BOOST_TEST(r.out.find("error[file_too_large]") != std::string::npos, r.out);
  // Exactly at the limit it is read (and is no policy: blank input).
  r = run_with_stdin({"validate", "-"}, std::string(limit, ' '));
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.out.find("file_too_large") == std::string::npos, r.out);
}

BOOST_AUTO_TEST_SUITE_END()
