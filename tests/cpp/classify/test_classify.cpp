// The classifier on the default policy: tiers, short-circuit vs full evaluation, and the
// explanations, checked against values computed by hand from the policy's thresholds
// (Art. 5.1: > 500 万元; Art. 5.2: 3 months > 50 万元; Art. 5.3: new (< 12 months) and
// 3 months > 30 万元; Art. 4.2: the last 12 months all > 0).
#include <boost/test/unit_test.hpp>

#include "classify_fixtures.hpp"
#include "keyaccount/classify/format.hpp"

using namespace classify_test;
using keyaccount::outcome;

BOOST_AUTO_TEST_SUITE(classify)

const keyaccount::date as_of = day("2026-06-30");

std::vector<double> months(std::size_t n, double each) { return std::vector<double>(n, each); }

BOOST_AUTO_TEST_CASE(large_cumulative_government_customer_is_key) {
  const auto& c = default_classifier();
  auto d = c.classify(record(customer(months(24, 10), 800)), as_of);
  BOOST_TEST(d.ok());
  BOOST_TEST(c.tier_id(d) == "key");
}

BOOST_AUTO_TEST_CASE(other_category_is_regular_however_large) {
  const auto& c = default_classifier();
  auto d = c.classify(record(customer(months(24, 100), 5000, "other")), as_of);
  BOOST_TEST(c.tier_id(d) == "regular");
}

BOOST_AUTO_TEST_CASE(a_month_at_zero_breaks_continuity) {
  const auto& c = default_classifier();
  auto s = months(24, 100);
  s[20] = 0;  // within the last 12 months
  auto e = c.explain(record(customer(s, 800)), as_of);
  BOOST_TEST(e.tier == "regular");
  const auto* r = e.find("art-4.2");
  BOOST_REQUIRE(r);
  BOOST_TEST(r->result == outcome::not_met);
  // Trailing months with shipments: indices 21..23 = 3; target min(24, 12) = 12; gap 9.
  BOOST_TEST(*r->observed_number == 3.0);
  BOOST_TEST(*r->target_number == 12.0);
  BOOST_TEST(*r->gap == 9.0);
  BOOST_TEST(r->why_not.en == "needs 9 more consecutive months with shipments");
  BOOST_TEST(r->why_not.zh == "还需连续 9 个月有出货");
}

BOOST_AUTO_TEST_CASE(a_zero_month_before_the_last_twelve_does_not_matter) {
  auto s = months(24, 100);
  s[11] = 0;  // 13 months before the end
  BOOST_TEST(default_classifier().tier_id(
                 default_classifier().classify(record(customer(s, 800)), as_of)) == "key");
}

BOOST_AUTO_TEST_CASE(exactly_500_is_not_above_500) {
  auto e = default_classifier().explain(record(customer(months(24, 10), 500)), as_of);
  BOOST_TEST(e.tier == "regular");
  const auto* r = e.find("art-5.1");
  BOOST_REQUIRE(r);
  BOOST_TEST(r->result == outcome::not_met);
  BOOST_TEST(*r->margin == 0.0);
  BOOST_TEST(*r->gap == 0.0);
  BOOST_TEST(r->strict);
  BOOST_TEST(r->why_not.en == "needs more than 0 万元 more cumulative transactions");
  auto above = default_classifier().explain(record(customer(months(24, 10), 500.01)), as_of);
  BOOST_TEST(above.tier == "key");
}

BOOST_AUTO_TEST_CASE(why_not_of_a_near_miss_is_computed_from_the_thresholds) {
  // 380 万元 cumulative: 120 short of 500. Shipments end 20, 60, 70: two months above 50.
  auto s = months(21, 10);
  s.push_back(20);
  s.push_back(60);
  s.push_back(70);
  auto e = default_classifier().explain(record(customer(s, 380)), as_of);
  BOOST_TEST(e.tier == "regular");

  const auto* cum = e.find("art-5.1");
  BOOST_TEST(*cum->observed_number == 380.0);
  BOOST_TEST(*cum->target_number == 500.0);
  BOOST_TEST(*cum->gap == 120.0);
  BOOST_TEST(cum->why_not.en == "needs more than 120 万元 more cumulative transactions");
  BOOST_TEST(cum->why_not.zh == "累计交易额还需超过 120 万元");

  const auto* ship = e.find("art-5.2");
  BOOST_TEST(*ship->observed_number == 2.0);
  BOOST_TEST(*ship->target_number == 3.0);
  BOOST_TEST(ship->why_not.en == "needs 1 more consecutive months above 50 万元");
  BOOST_TEST(ship->why_not.zh == "还需连续 1 个月出货量超过 50 万元");

  // First order 2020-01-15, as of 2026-06-30: 6 years 5 months = 77 whole months; not new.
  const auto* fresh = e.find("art-5.3");
  BOOST_TEST(fresh->precondition_failed);
  BOOST_TEST(!fresh->gap.has_value());
  BOOST_TEST(fresh->why_not.en == "not a new customer: first order 77 whole months ago");
  BOOST_TEST(fresh->why_not.zh == "非新客户:首次下单已满 77 个月");

  const auto* any = e.find("art-5");
  BOOST_TEST(any->result == outcome::not_met);
  BOOST_TEST(any->why_not.en == "none met of: art-5.1, art-5.2, art-5.3");

  // The fallback's deciding criteria: what kept the customer out of `key`.
  std::vector<std::string> expected{"art-5", "art-5.1", "art-5.2", "art-5.3"};
  BOOST_TEST(e.deciding == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(deciding_criteria_of_a_key_customer) {
  auto e = default_classifier().explain(record(customer(months(12, 60), 800)), as_of);
  BOOST_TEST(e.tier == "key");
  std::vector<std::string> expected{"art-4", "art-4.1", "art-4.2", "art-5", "art-5.1", "art-5.2"};
  BOOST_TEST(e.deciding == expected, boost::test_tools::per_element());
  BOOST_TEST(e.find("art-5.2")->why_not.en.empty());
  BOOST_TEST(*e.find("art-5.2")->margin == 9.0);  // 12 trailing months above 50, 3 needed
}

BOOST_AUTO_TEST_CASE(new_customer_eleven_versus_twelve_months) {
  // First order 2025-07-30: on 2026-06-30 that is 11 whole months (day 30 reached); on
  // 2026-07-30, 12. Shipments 40 a month: above 30 (Art. 5.3) but not above 50 (Art. 5.2).
  auto j = customer(months(11, 40), 100, "monopoly", "2025-07-30");
  auto eleven = default_classifier().explain(record(j), day("2026-06-30"));
  BOOST_TEST(eleven.tier == "key");
  BOOST_TEST(eleven.find("art-5.3")->result == outcome::met);
  auto twelve = default_classifier().explain(record(j), day("2026-07-30"));
  BOOST_TEST(twelve.tier == "regular");
  BOOST_TEST(twelve.find("art-5.3")->precondition_failed);
  BOOST_TEST(twelve.find("art-5.3")->why_not.en ==
             "not a new customer: first order 12 whole months ago");
}

BOOST_AUTO_TEST_CASE(series_shorter_than_three_months) {
  // Two months of 90: continuity holds (2 of 2), but no 3-month run exists.
  auto e = default_classifier().explain(
      record(customer({90, 90}, 100, "large_enterprise", "2026-04-01")), as_of);
  BOOST_TEST(e.tier == "regular");
  BOOST_TEST(e.find("art-4.2")->result == outcome::met);
  BOOST_TEST(*e.find("art-5.3")->gap == 1.0);
  BOOST_TEST(e.find("art-5.3")->why_not.en == "needs 1 more consecutive months above 30 万元");
}

BOOST_AUTO_TEST_CASE(empty_series_fails_continuity) {
  auto e = default_classifier().explain(record(customer({}, 900)), as_of);
  BOOST_TEST(e.tier == "regular");
  BOOST_TEST(e.find("art-4.2")->result == outcome::not_met);
}

BOOST_AUTO_TEST_CASE(category_requirement_text) {
  auto e = default_classifier().explain(record(customer(months(12, 60), 800, "other")), as_of);
  const auto* r = e.find("art-4.1");
  BOOST_TEST(r->observed == "other");
  BOOST_TEST(r->why_not.en == "requires government, large_enterprise or monopoly");
  BOOST_TEST(r->why_not.zh == "需为政府、大型企业或行业垄断企业");
  BOOST_TEST(e.find("art-4")->why_not.en == "not met: art-4.1");
}

BOOST_AUTO_TEST_CASE(short_circuit_agrees_with_full_evaluation) {
  const auto& c = default_classifier();
  auto scratch = c.make_scratch();
  const char* categories[] = {"government", "other"};
  for (int cat = 0; cat < 2; ++cat)
    for (double cum : {100.0, 500.0, 501.0})
      for (double level : {0.0, 35.0, 55.0})
        for (const char* first : {"2019-03-01", "2026-01-10"}) {
          auto r = record(customer(months(14, level), cum, categories[cat], first));
          auto d = c.classify(r, as_of, scratch);
          auto e = c.explain(r, as_of);
          BOOST_TEST(d.tier == e.result.tier);
        }
}

BOOST_AUTO_TEST_CASE(text_and_json_renderings) {
  auto e = default_classifier().explain(record(customer(months(24, 10), 380)), as_of);
  std::string text = keyaccount::to_text(e, "C1");
  BOOST_TEST(text.find("C1: regular 普通客户 (Regular customer)") == 0u);
  BOOST_TEST(
      text.find(
          "✗ art-5.1 累计交易额 (Cumulative transaction amount): 380 万元, target > 500 万元") !=
      std::string::npos);
  auto j = keyaccount::to_json(e);
  BOOST_TEST(j["tier"] == "regular");
  const auto& cum = j["criteria"][3];
  BOOST_TEST(cum["id"] == "art-5.1");
  BOOST_TEST(cum["met"] == false);
  BOOST_TEST(cum["gap"] == 120.0);
  BOOST_TEST(cum["why_not_zh"] == "累计交易额还需超过 120 万元");
}

BOOST_AUTO_TEST_SUITE_END()
