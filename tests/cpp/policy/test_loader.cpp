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

BOOST_AUTO_TEST_CASE(a_bad_cadence_value_is_one_error_not_two) {
  // The cadence kinds are counted by the keys given: a bad value has its own error, and no false
  // "needs exactly one of ..." beside it (there was one for every_days 0, "x", yearly_on 13-40).
  const std::string text(keyaccount::default_policy_text());
  const std::string good = R"("cadence": { "every_days": 30 })";
  const auto at = text.find(good);
  BOOST_REQUIRE(at != std::string::npos);
  struct variant {
    const char* cadence;
    const char* code;
  };
  for (const variant& v :
       {variant{R"("cadence": { "every_days": 0 })", "out_of_range"},
        variant{R"("cadence": { "every_days": "x" })", "wrong_type"},
        variant{R"("cadence": { "yearly_on": "13-40" })", "invalid_date"},
        variant{R"("cadence": { "festivals": "x" })", "wrong_type"},
        variant{R"("cadence": { "festivals": [] })", "invalid_value"},
        variant{R"("cadence": { "every_days": 3, "yearly_on": "01-02" })", "invalid_value"}}) {
    std::string changed = text;
    changed.replace(at, good.size(), v.cadence);
    auto result = keyaccount::load_policy(changed);
    BOOST_TEST_CONTEXT(v.cadence) {
      BOOST_REQUIRE_EQUAL(result.diagnostics.size(), 1u);
      BOOST_TEST(result.diagnostics[0].code == v.code, describe(result.diagnostics));
    }
  }
}

BOOST_AUTO_TEST_CASE(an_int_parameter_must_be_a_whole_number_a_double_holds_exactly) {
  // Held as a double and turned back into an integer for CEL: 2^63 - 1 became 2^63, whose
  // conversion is undefined behaviour (the asan preset's float-cast-overflow reports it).
  const std::string text(keyaccount::default_policy_text());
  const std::string good = R"("id": "consecutive_months", "type": "int", "value": 3)";
  const auto at = text.find(good);
  BOOST_REQUIRE(at != std::string::npos);
  for (const char* number : {"9223372036854775807", "18446744073709551615", "-9007199254740993"}) {
    std::string changed = text;
    changed.replace(
        at, good.size(),
        std::string(R"("id": "consecutive_months", "type": "int", "value": )") + number);
    auto result = keyaccount::load_policy(changed);
    BOOST_TEST_CONTEXT(number) {
      BOOST_REQUIRE(!result.diagnostics.empty());
      BOOST_TEST(result.diagnostics[0].code == "parameter_out_of_range",
                 describe(result.diagnostics));
    }
  }
  std::string exact = text;
  exact.replace(at, good.size(), R"("id": "consecutive_months", "type": "int", "value": 7)");
  BOOST_TEST(keyaccount::load_policy(exact).ok());
}

BOOST_AUTO_TEST_CASE(a_combination_list_of_the_wrong_type_is_one_error_not_two) {
  // "needs at least one criterion" is for an empty list as given; a list that is missing or not
  // a list of ids has its own error (a string gave both).
  const std::string text(keyaccount::default_policy_text());
  const std::string good = R"("any": ["art-5.1", "art-5.2", "art-5.3"])";
  const auto at = text.find(good);
  BOOST_REQUIRE(at != std::string::npos);
  for (const auto& [list, code] :
       std::vector<std::pair<std::string, std::string>>{{R"("any": "art-5.1")", "wrong_type"},
                                                        {R"("any": [5])", "wrong_type"},
                                                        {R"("any": [])", "invalid_value"},
                                                        {R"("at_least": 2)", "missing_field"}}) {
    std::string changed = text;
    changed.replace(at, good.size(), list);
    auto result = keyaccount::load_policy(changed);
    std::vector<keyaccount::diagnostic> errors;
    for (const auto& d : result.diagnostics)
      if (d.level == keyaccount::severity::error) errors.push_back(d);
    BOOST_TEST_CONTEXT(list) {
      BOOST_REQUIRE_EQUAL(errors.size(), 1u);
      BOOST_TEST(errors[0].code == code, describe(result.diagnostics));
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
