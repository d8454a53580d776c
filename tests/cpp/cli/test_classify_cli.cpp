// `keyaccount classify` and `keyaccount test` end to end, on files in tests/data/customers.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_runner.hpp"
#include "keyaccount/policy/default_policy.hpp"
#include "keyaccount/policy/loader.hpp"
#include "keyaccount/version.hpp"

namespace {
using keyaccount::testing::cli_result;
cli_result run(const std::vector<std::string>& args) { return keyaccount::testing::run_cli(args); }
std::vector<nlohmann::json> lines(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
  return out;
}
const std::string dir = KEYACCOUNT_TEST_DATA_DIR "/customers/";

// Every decision names the policy that made it (issue 20 item 5): the CSV's last five columns.
const std::string csv_header =
    "id,tier,policy_id,policy_version,policy_hash,as_of,keyaccount_version\n";
std::string provenance_cells() {
  const auto& p = keyaccount::default_policy();
  return ",key-account-maintenance,1.0," + p.content_hash + ",2026-06-30," +
         std::string(keyaccount::version());
}

// Writes `text` to a file in the temporary directory and returns its path.
std::string temp_file(const std::string& name, const std::string& text) {
  auto path = std::filesystem::temp_directory_path() / ("keyaccount_classify_" + name);
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}
}  // namespace

BOOST_AUTO_TEST_SUITE(classify_cli)

BOOST_AUTO_TEST_CASE(jsonl_skip_reports_the_line_and_keeps_input_order) {
  auto r = run({"classify", "--as-of", "2026-06-30", "--on-error", "skip", dir + "mixed.jsonl"});
  BOOST_TEST(r.code == 0, r.err);
  auto out = lines(r.out);
  BOOST_REQUIRE_EQUAL(out.size(), 3u);
  BOOST_TEST(out[0]["id"] == "K1");
  BOOST_TEST(out[0]["tier"] == "key");
  BOOST_TEST(out[1]["id"] == "R1");
  BOOST_TEST(out[1]["tier"] == "regular");
  BOOST_TEST(out[2]["id"] == "R2");
  // The malformed record is on line 4 (line 3 is blank).
  BOOST_TEST(
      r.err.find("mixed.jsonl:4: error[invalid_record]: monthly_shipments[1]") != std::string::npos,
      r.err);
}

BOOST_AUTO_TEST_CASE(standard_input_keeps_line_numbers_past_leading_blank_lines) {
  // The format is sniffed from the first non-blank character; the blank lines it passes over
  // still count, so the bad record is reported on line 3 (it was line 1).
  std::istringstream input("\n\n{\"id\": \"X\"}\n");
  std::streambuf* saved = std::cin.rdbuf(input.rdbuf());
  auto r = run({"classify", "--as-of", "2026-06-30", "-"});
  std::cin.rdbuf(saved);
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find("<stdin>:3: error[invalid_record]: ") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(errors_of_the_whole_standard_input_count_the_leading_blank_lines_too) {
  // A broken JSON array and broken CSV quoting end the run with one error; its line is the
  // same as for a file with that content (it counted from the first non-blank line).
  auto from_stdin = [](const std::string& text) {
    std::istringstream input(text);
    std::streambuf* saved = std::cin.rdbuf(input.rdbuf());
    auto r = run({"classify", "--as-of", "2026-06-30", "-"});
    std::cin.rdbuf(saved);
    return r;
  };
  auto r = from_stdin("\n\n[{\"id\": \"a\",\n  \"x\": }]\n");
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find("<stdin>:4:8: error[invalid_input]: parse error at line 4, column 8") !=
                 std::string::npos,
             r.err);
  r = from_stdin(
      "\n\nid,name,category,first_order,monthly_shipments,cumulative_amount\n"
      "C2,\"bad,government,2020-01-01,1,5\n");
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find("<stdin>:4: error[invalid_input]: malformed CSV") != std::string::npos,
             r.err);
}

BOOST_AUTO_TEST_CASE(a_json_array_of_customers_is_read_like_json_lines) {
  // What json.dump(list) and pandas' to_json(orient="records") write: the same tiers in the same
  // order as the JSON Lines file holding the same records (it was one error per line).
  std::ifstream source(KEYACCOUNT_SOURCE_DIR "/examples/customers.jsonl");
  std::string array = "[", line;
  std::size_t count = 0;
  while (std::getline(source, line))
    if (!line.empty()) array += (count++ ? ",\n  " : "\n  ") + line;
  array += "\n]\n";
  BOOST_REQUIRE_GT(count, 100u);
  auto as_lines =
      run({"classify", "--as-of", "2026-06-30", KEYACCOUNT_SOURCE_DIR "/examples/customers.jsonl"});
  auto as_array = run({"classify", "--as-of", "2026-06-30", temp_file("all.json", array)});
  BOOST_TEST(as_array.code == 0, as_array.err);
  BOOST_TEST(lines(as_array.out).size() == count);
  BOOST_TEST(as_array.out == as_lines.out);
  // On standard input too (sniffed by its '[', not taken for a CSV header).
  std::istringstream input(array);
  std::streambuf* saved = std::cin.rdbuf(input.rdbuf());
  auto piped = run({"classify", "--as-of", "2026-06-30", "-"});
  std::cin.rdbuf(saved);
  BOOST_TEST(piped.out == as_lines.out, piped.err);
}

BOOST_AUTO_TEST_CASE(a_json_array_locates_each_bad_element_at_the_line_it_starts) {
  // Line 1 blank; the number on line 3; the unknown field in the element starting on line 4 (a
  // string holding "],[" does not confuse the count).
  const std::string text = "\n[{\"id\": \"A\"},\n 5,\n {\"id\": \"B\",\n  \"x\": \"a\\\"],[\"}]\n";
  auto r = run({"classify", "--as-of", "2026-06-30", "--on-error", "skip",
                temp_file("bad_elements.json", text)});
  BOOST_TEST(r.code == 0, r.err);
  BOOST_TEST(r.err.find("bad_elements.json:2: error[invalid_record]: name: required value") !=
                 std::string::npos,
             r.err);
  BOOST_TEST(r.err.find("bad_elements.json:3: error[invalid_record]: expected a JSON object") !=
                 std::string::npos,
             r.err);
  BOOST_TEST(r.err.find("bad_elements.json:4: error[invalid_record]: x: unknown field") !=
                 std::string::npos,
             r.err);
  BOOST_TEST(r.err.find("skipped 3 records") != std::string::npos, r.err);
  // A broken array cannot be read past its error: the whole input is refused, located.
  auto broken = temp_file("broken.json", "\n[{\"id\": \"A\"},\n 5 6]");
  auto b = run({"classify", "--as-of", "2026-06-30", broken});
  BOOST_TEST(b.code == 1);
  BOOST_TEST(
      b.err.find(broken + ":3:4: error[invalid_input]: parse error at line 3, column 4") == 0,
      b.err);
  auto twice = temp_file("twice.json", "[\n{\"id\": \"A\", \"id\": \"B\"}]");
  auto t = run({"classify", "--as-of", "2026-06-30", twice});
  BOOST_TEST(t.code == 1);
  BOOST_TEST(t.err.find(twice + ":2:13: error[invalid_input]: the key \"id\" appears twice") == 0,
             t.err);
}

BOOST_AUTO_TEST_CASE(fail_stops_at_the_malformed_record) {
  auto r = run({"classify", "--as-of", "2026-06-30", dir + "mixed.jsonl"});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(lines(r.out).size() == 2u);
  BOOST_TEST(r.err.find("mixed.jsonl:4:") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_criterion_that_cannot_be_evaluated_is_a_located_error_not_a_blank_tier) {
  // A valid policy whose Art. 5.1 reads the 13th month: an error for a 12-month series. E1 meets
  // Art. 4 and no other Art. 5 standard, so its tier depends on 5.1 and cannot be decided; K1
  // meets Art. 5.2, so it is a key customer whatever 5.1 gives.
  std::string text(keyaccount::default_policy_text());
  const std::string from = "\"condition\": \"cumulative_amount > params.cumulative_amount_min\"";
  BOOST_REQUIRE(text.find(from) != std::string::npos);
  text.replace(text.find(from), from.size(),
               "\"condition\": \"monthly_shipments[12] > params.monthly_shipment_min\"");
  const std::string policy = temp_file("thirteenth_month.json", text);
  const std::string months = "\"monthly_shipments\": [10,10,10,10,10,10,10,10,10,10,10,10]";
  const std::string customers = temp_file(
      "thirteenth_month.jsonl",
      "{\"id\": \"E1\", \"name\": \"n\", \"category\": \"government\", \"first_order\": "
      "\"2020-01-15\", " +
          months +
          ", \"cumulative_amount\": 800}\n"
          "{\"id\": \"K1\", \"name\": \"n\", \"category\": \"government\", \"first_order\": "
          "\"2020-01-15\", \"monthly_shipments\": [60,60,60,60,60,60,60,60,60,60,60,60], "
          "\"cumulative_amount\": 800}\n");
  for (const char* explain : {"", "--explain"}) {
    std::vector<std::string> args{"classify", "--policy", policy, "--as-of", "2026-06-30"};
    if (*explain) args.push_back(explain);
    args.push_back(customers);
    auto fail = run(args);
    BOOST_TEST(fail.code == 1, fail.err);
    BOOST_TEST(fail.out.empty(), fail.out);  // stopped at line 1, nothing printed for it
    BOOST_TEST(fail.err.find("thirteenth_month.jsonl:1: error[evaluation_error]: customer \"E1\": "
                             "criterion art-5.1 could not be evaluated: ") != std::string::npos,
               fail.err);
    args.insert(args.end() - 1, {"--on-error", "skip"});
    auto skip = run(args);
    BOOST_TEST(skip.code == 0, skip.err);
    auto out = lines(skip.out);
    BOOST_REQUIRE_EQUAL(out.size(), 1u);
    BOOST_TEST(out[0]["id"] == "K1");
    BOOST_TEST(out[0]["tier"] == "key");
    BOOST_TEST(skip.err.find("skipped 1 record without a tier") != std::string::npos, skip.err);
  }
}

BOOST_AUTO_TEST_CASE(explain_adds_the_per_criterion_results) {
  auto r = run({"classify", "--as-of", "2026-06-30", "--explain", "--on-error", "skip",
                dir + "mixed.jsonl"});
  auto out = lines(r.out);
  const auto& near = out[2];
  BOOST_TEST(near["tier"] == "regular");
  bool found = false;
  for (const auto& c : near["criteria"])
    if (c["id"] == "art-5.1") {
      found = true;
      BOOST_TEST(c["gap"] == 120.0);
      BOOST_TEST(c["why_not"] == "needs more than 120 万元 more cumulative transactions");
    }
  BOOST_TEST(found);
}

BOOST_AUTO_TEST_CASE(csv_input_with_quoted_commas_and_a_bad_date) {
  auto r = run({"classify", "--as-of", "2026-06-30", "--on-error", "skip", "--format", "csv",
                dir + "customers.csv"});
  BOOST_TEST(r.code == 0, r.err);
  const std::string p = provenance_cells();
  BOOST_TEST(r.out == csv_header + "K1,key" + p + "\nR1,regular" + p + "\nR2,regular" + p + "\n");
  BOOST_TEST(r.err.find("customers.csv:4: error[invalid_record]: first_order") != std::string::npos,
             r.err);
}

BOOST_AUTO_TEST_CASE(a_utf8_byte_order_mark_is_skipped_and_a_near_miss_is_kept) {
  // Excel's "CSV UTF-8": a byte order mark, CRLF line ends, Chinese names.
  auto csv =
      run({"classify", "--as-of", "2026-06-30", "--format", "csv", dir + "excel-utf8-bom.csv"});
  BOOST_TEST(csv.code == 0, csv.err);
  const std::string p = provenance_cells();
  BOOST_TEST(csv.out == csv_header + "K1,key" + p + "\nR1,regular" + p + "\n");
  auto jsonl = run({"classify", "--as-of", "2026-06-30", dir + "bom.jsonl"});
  BOOST_TEST(jsonl.code == 0, jsonl.err);
  BOOST_TEST(jsonl.out.find("{\"id\":\"K1\",\"provenance\":{\"as_of\":\"2026-06-30\",") == 0,
             jsonl.out);
  BOOST_TEST(jsonl.out.find("\"policy_hash\":\"" + keyaccount::default_policy().content_hash +
                            "\"") != std::string::npos);
  BOOST_TEST(jsonl.out.find("},\"tier\":\"key\"}\n") != std::string::npos, jsonl.out);
  // EF BB 80 is the character U+FEC0, not a mark: it stays part of the (unknown) column name.
  auto near = run({"classify", "--as-of", "2026-06-30", dir + "not-a-bom.csv"});
  BOOST_TEST(near.code == 1);
  BOOST_TEST(near.err.find("\xEF\xBB\x80id: unknown column") != std::string::npos, near.err);
}

BOOST_AUTO_TEST_CASE(bad_as_of_is_a_usage_error) {
  BOOST_TEST(run({"classify", "--as-of", "2026-13-01", dir + "mixed.jsonl"}).code == 2);
  BOOST_TEST(run({"classify", "--as-of", "2026-06-30", dir + "nope.jsonl"}).code == 2);
}

BOOST_AUTO_TEST_CASE(policy_test_of_the_default_policy_passes_with_full_coverage) {
  auto r = run({"test", KEYACCOUNT_SOURCE_DIR "/policies/key-account-policy.tests.json"});
  BOOST_TEST(r.code == 0, r.out + r.err);
  BOOST_TEST(
      r.out.find("coverage: every criterion exercised, both met and not met") != std::string::npos,
      r.out);
}

BOOST_AUTO_TEST_CASE(policy_test_failure_prints_expected_against_actual) {
  auto r = run({"test", dir + "failing.tests.json"});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.out.find("FAIL: expects key at exactly 500") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("tier: expected key, got regular") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("art-5.1: expected met, got not_met (observed 500, target 500)") !=
                 std::string::npos,
             r.out);
  BOOST_TEST(
      r.out.find("criteria no test exercised: art-4.1, art-4.2, art-4, art-5.2, art-5.3, art-5") !=
          std::string::npos,
      r.out);
}

BOOST_AUTO_TEST_CASE(policy_test_junit_lists_every_case_and_the_failure_with_expected_and_actual) {
  auto r = run({"test", "--format", "junit", dir + "failing.tests.json"});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.out.rfind("<?xml", 0) == 0, r.out);
  BOOST_TEST(r.out.find("<testcase name=\"passes\"") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("<failure type=\"mismatch\" message=\"tier: expected key, got "
                        "regular\">") != std::string::npos,
             r.out);
  BOOST_TEST(r.out.find("<property name=\"coverage\"") != std::string::npos, r.out);
}

BOOST_AUTO_TEST_CASE(policy_test_below_the_coverage_threshold_exits_1_though_every_case_passed) {
  const std::string file = KEYACCOUNT_SOURCE_DIR "/policies/key-account-policy.tests.json";
  auto full = run({"test", "--coverage-threshold", "100", file});
  BOOST_TEST(full.code == 0, full.out);
  BOOST_TEST(full.out.find("coverage: 100.0% (") != std::string::npos, full.out);
  const std::string one_case = temp_file(
      "one_case.tests.json",
      "{\"as_of\": \"2026-06-30\", \"cases\": [{\"customer\": {\"id\": \"T\", \"name\": \"t\", "
      "\"category\": \"government\", \"first_order\": \"2020-01-15\", \"monthly_shipments\": "
      "[60,60,60], \"cumulative_amount\": 800}, \"expect\": {\"tier\": \"key\"}}]}");
  auto low = run({"test", "--coverage-threshold", "50", one_case});
  BOOST_TEST(low.code == 1, low.out);
  BOOST_TEST(low.out.find("error[coverage_below_threshold]: coverage 0.0% is below the threshold "
                          "of 50.0%") != std::string::npos,
             low.out);
  BOOST_TEST(low.out.find("FAIL: 1 passed, 0 failed") != std::string::npos, low.out);
}

BOOST_AUTO_TEST_CASE(a_test_file_that_would_test_nothing_or_less_than_it_says_is_refused) {
  const std::string customer =
      "{\"id\": \"T\", \"name\": \"t\", \"category\": \"government\", \"first_order\": "
      "\"2020-01-15\", \"monthly_shipments\": [60,60,60], \"cumulative_amount\": 800}";
  struct bad_file {
    std::string name, text, message;
  };
  const std::vector<bad_file> files{
      {"typo_top", "{\"asof\": \"2026-06-30\", \"cases\": []}",
       "asof: unknown key (did you mean `as_of`?)"},
      {"typo_case",
       "{\"as_of\": \"2026-06-30\", \"cases\": [{\"customer\": " + customer +
           ", \"expected\": {\"tier\": \"key\"}}]}",
       "cases[0].expected: unknown key (did you mean `expect`?)"},
      {"no_cases", "{\"as_of\": \"2026-06-30\", \"cases\": []}", "cases: no test cases"},
      {"empty_expect",
       "{\"as_of\": \"2026-06-30\", \"cases\": [{\"customer\": " + customer + ", \"expect\": {}}]}",
       "cases[0].expect: expects nothing"},
      // Legal JSON that crashed the run (copying 150,000 levels overflowed the stack).
      {"deep",
       "{\"as_of\": \"2026-06-30\", \"cases\": [{\"customer\": {\"x\": " +
           std::string(150000, '[') + std::string(150000, ']') + "}, \"expect\": {}}]}",
       "the test file is not valid JSON: objects and arrays nest deeper than the limit of 64"},
  };
  for (const auto& f : files) {
    auto r = run({"test", temp_file(f.name + ".tests.json", f.text)});
    BOOST_TEST(r.code == 2, f.name << ": " << r.err);
    BOOST_TEST(r.err.find("error[invalid_test_file]: " + f.message) != std::string::npos,
               f.name << ": " << r.err);
  }
}

BOOST_AUTO_TEST_CASE(a_bad_test_file_is_reported_at_the_line_and_column_of_the_problem) {
  // Hand-written files: the error points at the misspelt key or the bad value, not just the file.
  const std::string text =
      "{\n"
      "  \"as_of\": \"2026-06-30\",\n"
      "  \"cases\": [\n"
      "    {\"customer\": {\"id\": \"T\"}, \"expect\": {\"tier\": \"key\"}},\n"
      "    {\"customer\": {\"id\": \"U\"},\n"
      "     \"expected\": {\"tier\": \"key\"}}\n"
      "  ]\n"
      "}\n";
  const auto typo = temp_file("typo_located.tests.json", text);
  auto r = run({"test", typo});
  BOOST_TEST(r.code == 2, r.err);
  BOOST_TEST(r.err.find(typo + ":6:6: error[invalid_test_file]: cases[1].expected: unknown key "
                               "(did you mean `expect`?)") == 0,
             r.err);
  const auto value = temp_file("value_located.tests.json",
                               "{\"as_of\": \"2026-06-30\",\n \"cases\": [{\"customer\": {}, "
                               "\"expect\": {\"tier\": 3}}]}\n");
  auto v = run({"test", value});
  BOOST_TEST(v.code == 2, v.err);
  BOOST_TEST(v.err.find(value + ":2:40: error[invalid_test_file]: cases[0].expect.tier: ") == 0,
             v.err);
  // A criterion id has dots of its own: located at the nearest enclosing object.
  const auto outcome = temp_file("outcome_located.tests.json",
                                 "{\"as_of\": \"2026-06-30\", \"cases\": [{\"customer\": {},\n"
                                 "  \"expect\": {\"criteria\": {\"art-5.1\": \"yes\"}}}]}\n");
  auto o = run({"test", outcome});
  BOOST_TEST(o.err.find(outcome + ":2:") == 0, o.err);
  // Not JSON at all: nlohmann's message carries the line and column.
  const auto broken =
      temp_file("broken.tests.json", "{\"as_of\": \"2026-06-30\",\n  \"cases\": [}");
  auto b = run({"test", broken});
  BOOST_TEST(b.code == 2, b.err);
  BOOST_TEST(b.err.find(broken + ":2:13: error[invalid_test_file]: ") == 0, b.err);
  BOOST_TEST(b.err.find("line 2") != std::string::npos, b.err);
}

BOOST_AUTO_TEST_CASE(a_test_case_whose_criteria_cannot_be_evaluated_says_why) {
  std::string text(keyaccount::default_policy_text());
  const std::string from = "\"condition\": \"cumulative_amount > params.cumulative_amount_min\"";
  text.replace(text.find(from), from.size(),
               "\"condition\": \"monthly_shipments[12] > params.monthly_shipment_min\"");
  const std::string policy = temp_file("thirteenth_month_for_tests.json", text);
  auto r = run({"test", "--policy", policy, dir + "failing.tests.json"});
  BOOST_TEST(r.code == 1, r.err);
  BOOST_TEST(r.out.find("no tier: criterion art-5.1 could not be evaluated: invalid_argument: "
                        "index 12 out of range") != std::string::npos,
             r.out);
}

BOOST_AUTO_TEST_SUITE_END()
