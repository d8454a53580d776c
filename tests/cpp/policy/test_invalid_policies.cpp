// The corpus of broken policies (tests/data/invalid/): each file must give the diagnostics its
// manifest entry lists, at the listed pointer, line and column. The expectations were computed
// when the defect was placed (tests/tools/make_invalid_corpus.py), not copied from this tool.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "keyaccount/policy/default_policy.hpp"
#include "keyaccount/policy/loader.hpp"
#include "shared_checks.hpp"  // fuzz/: line_lengths

namespace {

using fuzz::line_lengths;

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path corpus_dir = fs::path(KEYACCOUNT_TEST_DATA_DIR) / "invalid";

json manifest() {
  std::ifstream in(corpus_dir / "expected.json", std::ios::binary);
  BOOST_REQUIRE_MESSAGE(in, "cannot read " << (corpus_dir / "expected.json"));
  return json::parse(in);
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string describe(const std::vector<keyaccount::diagnostic>& ds) {
  std::string out;
  for (const auto& d : ds) {
    out += "\n  " + std::to_string(d.line) + ":" + std::to_string(d.column) + " " +
           std::string(keyaccount::to_string(d.level)) + " " + d.code + " [" + d.pointer + "] " +
           d.message.substr(0, 120);
  }
  return out;
}

bool matches(const keyaccount::diagnostic& d, const json& e) {
  return d.code == e.at("code").get<std::string>() &&
         std::string(keyaccount::to_string(d.level)) == e.value("severity", "error") &&
         d.pointer == e.at("pointer").get<std::string>() &&
         d.line == e.at("line").get<std::size_t>() &&
         d.column == e.at("column").get<std::size_t>() &&
         d.message.find(e.value("message_contains", "")) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(invalid_policies)

BOOST_AUTO_TEST_CASE(every_file_is_in_the_manifest_and_every_entry_is_a_file) {
  const json files = manifest().at("files");
  std::set<std::string> on_disk;
  for (const auto& entry : fs::directory_iterator(corpus_dir)) {
    std::string name = entry.path().filename().string();
    if (name != "expected.json") on_disk.insert(name);
  }
  std::set<std::string> listed;
  for (const auto& [name, _] : files.items()) listed.insert(name);
  for (const auto& name : on_disk) BOOST_TEST(listed.count(name) == 1u, name << " not in manifest");
  for (const auto& name : listed) BOOST_TEST(on_disk.count(name) == 1u, name << " missing");
  BOOST_TEST(files.size() >= 40u);
}

BOOST_AUTO_TEST_CASE(each_file_gives_its_expected_diagnostics) {
  const json files = manifest().at("files");
  for (const auto& [name, entry] : files.items()) {
    BOOST_TEST_CONTEXT(name) {
      auto result = keyaccount::load_policy_file(corpus_dir / name);
      bool loads = entry.value("loads", false);
      BOOST_TEST(result.ok() == loads, "loads: " << result.ok() << describe(result.diagnostics));
      if (!loads) BOOST_TEST(keyaccount::has_errors(result.diagnostics));
      const json& expected = entry.at("diagnostics");
      BOOST_TEST(!expected.empty());
      for (const auto& e : expected) {
        bool found = std::any_of(result.diagnostics.begin(), result.diagnostics.end(),
                                 [&](const auto& d) { return matches(d, e); });
        BOOST_TEST(found, "expected " << e.dump() << "; got" << describe(result.diagnostics));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(diagnostics_are_in_file_order_and_within_the_file) {
  const json files = manifest().at("files");
  for (const auto& [name, entry] : files.items()) {
    BOOST_TEST_CONTEXT(name) {
      std::string text = read_bytes(corpus_dir / name);
      auto result = keyaccount::load_policy_file(corpus_dir / name);
      auto lengths = line_lengths(text);
      for (const auto& d : result.diagnostics) {
        BOOST_TEST(d.line >= 1u);
        BOOST_TEST(d.line <= lengths.size());
        BOOST_TEST(d.column >= 1u);
        // One past the last character is where an unexpected end of input is reported.
        if (d.line >= 1 && d.line <= lengths.size()) {
          BOOST_TEST(d.column <= lengths[d.line - 1] + 1, d.code << " at " << d.line);
        }
        BOOST_TEST(!d.message.empty());
      }
      BOOST_TEST(std::is_sorted(result.diagnostics.begin(), result.diagnostics.end(),
                                [](const auto& a, const auto& b) {
                                  return std::tie(a.line, a.column) < std::tie(b.line, b.column);
                                }));
    }
  }
}

BOOST_AUTO_TEST_CASE(loading_text_and_loading_the_file_agree) {
  const json files = manifest().at("files");
  for (const auto& [name, entry] : files.items()) {
    BOOST_TEST_CONTEXT(name) {
      auto from_file = keyaccount::load_policy_file(corpus_dir / name);
      auto from_text = keyaccount::load_policy(read_bytes(corpus_dir / name));
      BOOST_TEST(describe(from_file.diagnostics) == describe(from_text.diagnostics));
    }
  }
}

BOOST_AUTO_TEST_CASE(a_file_over_the_size_limit_is_one_diagnostic_at_1_1) {
  // The default policy padded with spaces to one byte over the limit (too big to commit).
  std::string text(keyaccount::default_policy_text());
  text.resize(keyaccount::parse_limits{}.max_bytes + 1, ' ');
  auto result = keyaccount::load_policy(text);
  BOOST_TEST(!result.ok());
  BOOST_REQUIRE_EQUAL(result.diagnostics.size(), 1u);
  BOOST_TEST(result.diagnostics[0].code == "file_too_large");
  BOOST_TEST(result.diagnostics[0].line == 1u);
  BOOST_TEST(result.diagnostics[0].column == 1u);
  text.resize(keyaccount::parse_limits{}.max_bytes);  // at the limit: loads
  BOOST_TEST(keyaccount::load_policy(text).ok());
}

BOOST_AUTO_TEST_CASE(the_corpus_covers_every_triggerable_code) {
  // Every code the loader and validator can emit from a file's content (docs/diagnostics.md).
  // Not here: file_too_large (over 4 MiB: built in memory below), unreadable_file (no content;
  // tested below), undefined_parameter (no member refers to a parameter by id; an undeclared
  // params.<id> in an expression is invalid_expression).
  const std::set<std::string> codes = {"syntax_error",
                                       "nesting_too_deep",
                                       "too_many_elements",
                                       "string_too_long",
                                       "duplicate_key",
                                       "wrong_type",
                                       "missing_field",
                                       "unknown_field",
                                       "invalid_value",
                                       "out_of_range",
                                       "invalid_date",
                                       "unfilled_field",
                                       "unfilled_threshold",
                                       "unsupported_format_version",
                                       "expression_too_long",
                                       "duplicate_id",
                                       "undefined_department",
                                       "undefined_position",
                                       "undefined_tier",
                                       "undefined_workflow",
                                       "undefined_field",
                                       "undefined_article",
                                       "undefined_criterion",
                                       "undefined_festival",
                                       "reporting_cycle",
                                       "criterion_cycle",
                                       "missing_fallback",
                                       "unreachable_tier",
                                       "unused_criterion",
                                       "unused_parameter",
                                       "ignored_field",
                                       "effective_before_approval",
                                       "date_order",
                                       "revision_not_increasing",
                                       "revision_chain_mismatch",
                                       "workflow_no_actor",
                                       "workflow_no_steps",
                                       "workflow_cannot_complete",
                                       "missing_id_field",
                                       "invalid_expression",
                                       "condition_not_bool",
                                       "invalid_identifier"};
  std::set<std::string> covered;
  const json files = manifest().at("files");
  for (const auto& [name, entry] : files.items()) {
    for (const auto& e : entry.at("diagnostics")) covered.insert(e.at("code").get<std::string>());
  }
  for (const auto& code : codes) BOOST_TEST(covered.count(code) == 1u, code << " not covered");
}

BOOST_AUTO_TEST_CASE(an_unreadable_file_is_one_diagnostic) {
  auto missing = keyaccount::load_policy_file(corpus_dir / "no-such-file.json");
  BOOST_TEST(!missing.ok());
  BOOST_REQUIRE(missing.diagnostics.size() == 1u);
  BOOST_TEST(missing.diagnostics[0].code == "unreadable_file");
  BOOST_TEST(missing.diagnostics[0].message.find("no-such-file.json") != std::string::npos);

  auto directory = keyaccount::load_policy_file(corpus_dir);
  BOOST_TEST(!directory.ok());
  BOOST_REQUIRE(directory.diagnostics.size() == 1u);
  BOOST_TEST(directory.diagnostics[0].code == "unreadable_file");
}

BOOST_AUTO_TEST_SUITE_END()
