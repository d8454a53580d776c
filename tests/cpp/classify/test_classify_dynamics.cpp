// Art. 6.1: re-classification with the grace rule (demote after 2 failing evaluations in the
// default policy) and the profile card (updated_on, address, contacts; at most 180 days old).
#include <boost/test/unit_test.hpp>

#include "classify_fixtures.hpp"
#include "keyaccount/classify/dynamics.hpp"

using namespace classify_test;
using keyaccount::transition_kind;

BOOST_AUTO_TEST_SUITE(classify_dynamics)

const keyaccount::date as_of = day("2026-06-30");

keyaccount::explanation regular() {
  return default_classifier().explain(record(customer(std::vector<double>(12, 10), 380)), as_of);
}
keyaccount::explanation key() {
  return default_classifier().explain(record(customer(std::vector<double>(12, 10), 800)), as_of);
}

BOOST_AUTO_TEST_CASE(one_bad_evaluation_does_not_demote) {
  auto t = keyaccount::reclassify(default_classifier(), regular(), {"key", 0});
  BOOST_TEST(t.kind == transition_kind::pending_demotion);
  BOOST_TEST(t.tier == "key");
  BOOST_TEST(t.evaluated_tier == "regular");
  BOOST_TEST(t.consecutive_failures == 1);
  BOOST_TEST(t.failures_to_demotion == 1);
  BOOST_REQUIRE(!t.reasons.empty());
  BOOST_TEST(t.reasons[0] == "art-5.1: needs more than 120 万元 more cumulative transactions");
}

BOOST_AUTO_TEST_CASE(second_bad_evaluation_demotes) {
  auto t = keyaccount::reclassify(default_classifier(), regular(), {"key", 1});
  BOOST_TEST(t.kind == transition_kind::demoted);
  BOOST_TEST(t.tier == "regular");
  BOOST_TEST(t.consecutive_failures == 0);
}

BOOST_AUTO_TEST_CASE(promotion_and_unchanged) {
  auto up = keyaccount::reclassify(default_classifier(), key(), {"regular", 0});
  BOOST_TEST(up.kind == transition_kind::promoted);
  BOOST_TEST(up.tier == "key");
  auto same = keyaccount::reclassify(default_classifier(), key(), {"key", 1});
  BOOST_TEST(same.kind == transition_kind::unchanged);
  BOOST_TEST(same.consecutive_failures == 0);  // a good evaluation resets the count
  BOOST_CHECK_THROW((void)keyaccount::reclassify(default_classifier(), key(), {"gold", 0}),
                    std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(profile_card_completeness_and_age) {
  auto j = customer({1}, 10);
  j["profile"] = {{"updated_on", "2025-12-11"}, {"address", "1 Road"}, {"contacts", {"Ms Li"}}};
  // 2025-12-11 → 2026-06-30: 20 + 31 + 28 + 31 + 30 + 31 + 30 = 201 days > 180.
  auto s = keyaccount::check_profile_card(default_classifier(), record(j), as_of);
  BOOST_TEST(s.present);
  BOOST_TEST(s.missing_fields.empty());
  BOOST_TEST(*s.age_days == 201);
  BOOST_TEST(s.stale);
  BOOST_TEST(!s.ok());
  j["profile"] = {{"updated_on", "2026-06-01"}, {"contacts", nlohmann::json::array()}};
  s = keyaccount::check_profile_card(default_classifier(), record(j), as_of);
  std::vector<std::string> missing{"address", "contacts"};
  BOOST_TEST(s.missing_fields == missing, boost::test_tools::per_element());
  BOOST_TEST(!s.stale);
  auto none =
      keyaccount::check_profile_card(default_classifier(), record(customer({1}, 10)), as_of);
  BOOST_TEST(!none.present);
  BOOST_TEST(!none.ok());
}

BOOST_AUTO_TEST_SUITE_END()
