// Art. 14 (issue 16): the policy is in force from its effective date. Applying it to an earlier
// day is a warning the CLI prints (and proceeds) and C++ callers can check.
#include <boost/test/unit_test.hpp>

#include "cli_runner.hpp"
#include "keyaccount/policy/in_force.hpp"
#include "keyaccount/policy/loader.hpp"
#include "test_workflow_fixtures.hpp"

using fixtures::day;

namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// Each command that applies the policy on a day, with its inputs.
std::vector<std::vector<std::string>> commands(const std::string& as_of) {
  const std::string care = KEYACCOUNT_TEST_DATA_DIR "/care/";
  return {
      {"classify", KEYACCOUNT_SOURCE_DIR "/examples/customers.jsonl", "--as-of", as_of},
      {"plan", "--as-of", as_of, "--accounts", care + "accounts.jsonl", "--people",
       care + "people.json"},
      {"compliance", "--as-of", as_of, "--accounts", care + "accounts.jsonl", "--people",
       care + "people.json"},
  };
}

}  // namespace

BOOST_AUTO_TEST_SUITE(in_force)

BOOST_AUTO_TEST_CASE(a_day_before_effective_on_is_reported_with_both_dates) {
  const auto& p = keyaccount::default_policy();
  BOOST_TEST_REQUIRE(p.document.effective_on.has_value());
  BOOST_TEST(p.document.effective_on->to_string() == "2026-02-01");
  auto early = keyaccount::check_in_force(p, day("2026-01-31"));
  BOOST_TEST_REQUIRE(early.has_value());
  BOOST_TEST(early->as_of.to_string() == "2026-01-31");
  BOOST_TEST(early->effective_on.to_string() == "2026-02-01");
  BOOST_TEST(early->message ==
             "the policy key-account-maintenance 1.0 is in force from 2026-02-01 (art-14); "
             "2026-01-31 is before that: its rules did not yet apply");
  BOOST_TEST(std::string(keyaccount::not_in_force::code) == "policy_not_in_force");
  BOOST_TEST(!keyaccount::check_in_force(p, day("2026-02-01")).has_value());
  BOOST_TEST(!keyaccount::check_in_force(p, day("2030-01-01")).has_value());
}

BOOST_AUTO_TEST_CASE(classify_plan_and_compliance_warn_on_stderr_and_proceed) {
  const auto before = commands("2026-01-15");
  const auto after = commands("2026-02-01");
  for (std::size_t i = 0; i < before.size(); ++i) {
    BOOST_TEST_CONTEXT(before[i][0]) {
      auto early = keyaccount::testing::run_cli(before[i]);
      auto in_force = keyaccount::testing::run_cli(after[i]);
      BOOST_TEST(count(early.err, "warning[policy_not_in_force]") == 1u);
      BOOST_TEST(early.err.find("keyaccount " + before[i][0] +
                                ": warning[policy_not_in_force]: the policy "
                                "key-account-maintenance 1.0 is in force from 2026-02-01 "
                                "(art-14); 2026-01-15 is before that") != std::string::npos,
                 early.err);
      BOOST_TEST(count(in_force.err, "policy_not_in_force") == 0u);
      // It still runs: output, and no exit code of its own (0 or 1 as the findings say).
      BOOST_TEST(!early.out.empty());
      BOOST_TEST(early.code <= 1);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
