#include <boost/test/unit_test.hpp>

#include "keyaccount/policy/default_policy.hpp"
#include "keyaccount/policy/loader.hpp"

namespace {
std::string describe(const std::vector<keyaccount::diagnostic>& ds) {
  std::string out;
  for (const auto& d : ds) {
    out += std::to_string(d.line) + ":" + std::to_string(d.column) + " " + d.code + " " +
           d.pointer + " " + d.message + "\n";
  }
  return out;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(loader)

BOOST_AUTO_TEST_CASE(default_policy_loads_without_any_diagnostic) {
  auto result = keyaccount::load_policy(keyaccount::default_policy_text());
  BOOST_TEST(result.ok());
  BOOST_TEST(result.diagnostics.empty(), describe(result.diagnostics));
}

BOOST_AUTO_TEST_CASE(default_policy_has_the_seed_structure) {
  const keyaccount::policy& p = keyaccount::default_policy();
  BOOST_TEST(p.tiers.size() == 2u);
  BOOST_TEST(p.tiers.front().id == "key");
  BOOST_TEST(p.tiers.back().fallback);
  BOOST_REQUIRE(p.find_parameter("cumulative_amount_min") != nullptr);
  BOOST_TEST(p.find_parameter("cumulative_amount_min")->value == 500.0);
  BOOST_REQUIRE(p.find_workflow("gift_request") != nullptr);
  BOOST_TEST(p.find_workflow("gift_request")->steps.size() == 2u);
  BOOST_TEST(p.find_position("cr_specialist")->reports_to.value() == "cr_supervisor");
  BOOST_TEST(p.document.effective_on->to_string() == "2026-02-01");
}

BOOST_AUTO_TEST_CASE(policy_error_carries_every_diagnostic) {
  try {
    (void)keyaccount::load_policy_or_throw(R"({"format_version": "1.0"})");
    BOOST_FAIL("expected policy_error");
  } catch (const keyaccount::policy_error& e) {
    BOOST_TEST(e.diagnostics().size() >= 5u, describe(e.diagnostics()));
  }
}

BOOST_AUTO_TEST_SUITE_END()
