// Evaluation errors and explanations that tell the truth: a criterion whose condition fails on
// a customer's data is named with its CEL error everywhere (one record, the explanation, its
// combination, the batch's row error), and a why-not or margin never contradicts the result.
#include <boost/test/unit_test.hpp>

#include "classify_fixtures.hpp"
#include "keyaccount/classify/batch.hpp"
#include "keyaccount/classify/format.hpp"
#include "keyaccount/policy/default_policy.hpp"

using namespace classify_test;
using keyaccount::outcome;

namespace {

const keyaccount::date as_of = day("2026-06-30");

// The policy: Art. 5.1 reads the 12th month, an error for a 2-month series.
const keyaccount::classifier& twelfth_month_classifier() {
  static const keyaccount::classifier c([] {
    std::string text(keyaccount::default_policy_text());
    const std::string from = "\"condition\": \"cumulative_amount > params.cumulative_amount_min\"";
    text.replace(text.find(from), from.size(), "\"condition\": \"monthly_shipments[11] > 1.0\"");
    return keyaccount::load_policy_or_throw(text);
  }());
  return c;
}

const std::string index_error = "index 11 out of range for a list of size 2";

}  // namespace

BOOST_AUTO_TEST_SUITE(classify_errors)

BOOST_AUTO_TEST_CASE(the_combination_names_its_failing_part_and_the_cause) {
  const auto& c = twelfth_month_classifier();
  // Art. 4 holds (government, both months shipped), nothing else in Art. 5: the tier hangs on
  // Art. 5.1, which cannot be evaluated.
  auto e = c.explain(c.parser().from_json(customer({10, 10}, 100)), as_of);
  BOOST_TEST(!e.result.ok());
  BOOST_TEST(e.error_criterion == "art-5.1");
  BOOST_TEST(e.error.find(index_error) != std::string::npos, e.error);
  const auto* leaf = e.find("art-5.1");
  BOOST_TEST(leaf->result == outcome::error);
  BOOST_TEST(leaf->error.find(index_error) != std::string::npos, leaf->error);
  const auto* combination = e.find("art-5");
  BOOST_TEST(combination->result == outcome::error);
  // It used to be empty: EvaluationError('criterion art-5: ').
  BOOST_TEST(combination->error.find("art-5.1: ") == 0, combination->error);
  BOOST_TEST(combination->error.find(index_error) != std::string::npos, combination->error);
  auto j = keyaccount::to_json(e);
  BOOST_TEST(j["error_criterion"] == "art-5.1");
  BOOST_TEST(j["error"].get<std::string>().find(index_error) != std::string::npos, j.dump());
  const std::string text = keyaccount::to_text(e);
  BOOST_TEST(text.find("no tier: criterion art-5.1 could not be evaluated: ") != std::string::npos,
             text);
  BOOST_TEST(text.find(index_error) != std::string::npos, text);
}

BOOST_AUTO_TEST_CASE(a_decided_tier_still_shows_the_error_outcome) {
  // Art. 5.2 met (three months above 50): key whatever Art. 5.1 gives, and Art. 5.1's report
  // says error, not "not met".
  const auto& c = twelfth_month_classifier();
  auto e = c.explain(c.parser().from_json(customer({60, 60, 60}, 100)), as_of);
  BOOST_TEST(e.result.ok());
  BOOST_TEST(e.find("art-5.1")->result == outcome::error);
  BOOST_TEST(!e.find("art-5.1")->error.empty());
  BOOST_TEST(keyaccount::to_json(*e.find("art-5.1"))["result"] == "error");
}

BOOST_AUTO_TEST_CASE(batch_row_errors_name_the_criterion_and_the_cause_not_a_field) {
  const auto& c = twelfth_month_classifier();
  std::vector<std::int32_t> category{0};
  std::vector<std::int32_t> first_order{static_cast<std::int32_t>(as_of.days_since_epoch()) - 900};
  std::vector<double> block{10, 10};
  std::vector<double> cumulative{100};
  keyaccount::column_table table(1);
  table.set_categories("category", category,
                       {"government", "large_enterprise", "monopoly", "other"});
  table.set_dates("first_order", first_order);
  table.set_series("monthly_shipments", block, 2);
  table.set_numbers("cumulative_amount", cumulative);
  for (bool explain : {false, true}) {
    keyaccount::batch_options o;
    o.explain = explain;
    auto r = keyaccount::classify_batch(c, table, as_of, o);
    BOOST_REQUIRE_EQUAL(r.errors.size(), 1u);
    BOOST_TEST(r.errors[0].field.empty(), r.errors[0].field);  // was "art-5.1"
    BOOST_TEST(r.errors[0].criterion == "art-5.1");
    BOOST_TEST(r.errors[0].message.find(index_error) != std::string::npos, r.errors[0].message);
  }
}

BOOST_AUTO_TEST_CASE(no_why_not_asks_for_zero_more_of_something) {
  // An empty series: Art. 4.2 is not met; "needs 0 more consecutive months" contradicted it.
  const auto& c = default_classifier();
  auto e = c.explain(record(customer({}, 800)), as_of);
  const auto* r = e.find("art-4.2");
  BOOST_TEST(r->result == outcome::not_met);
  BOOST_TEST(r->why_not.en.find("needs 0 ") == std::string::npos, r->why_not.en);
  BOOST_TEST(!r->why_not.en.empty());
  BOOST_TEST(r->gap.value_or(0) > 0);  // one month with shipments, at least
  // Whatever a policy's explain block says, a comparison that holds while the condition fails
  // gives neither a margin nor a "needs 0 more" why-not.
  std::string text(keyaccount::default_policy_text());
  const std::string from = "max([1, min([size(monthly_shipments), params.continuity_months])])";
  BOOST_REQUIRE(text.find(from) != std::string::npos);
  text.replace(text.find(from), from.size(), "min([size(monthly_shipments), 12])");
  keyaccount::classifier bare(keyaccount::load_policy_or_throw(text));
  auto b = bare.explain(bare.parser().from_json(customer({}, 800)), as_of);
  const auto* rb = b.find("art-4.2");
  BOOST_TEST(rb->result == outcome::not_met);
  BOOST_TEST(!rb->margin.has_value());
  BOOST_TEST(!rb->gap.has_value());
  BOOST_TEST(rb->why_not.en.find("condition not met: size(monthly_shipments) > 0") == 0,
             rb->why_not.en);
}

BOOST_AUTO_TEST_CASE(a_failed_precondition_has_no_margin_of_the_other_part) {
  // Not a new customer (first order 2020) with 36 months above 30 万元: Art. 5.3 not met by
  // its precondition; a margin of 33 read as a comfortable pass.
  const auto& c = default_classifier();
  auto e = c.explain(record(customer(std::vector<double>(36, 40), 100)), as_of);
  const auto* r = e.find("art-5.3");
  BOOST_TEST(r->result == outcome::not_met);
  BOOST_TEST(r->precondition_failed);
  BOOST_TEST(!r->margin.has_value());
  BOOST_TEST(!r->gap.has_value());
  BOOST_TEST(r->why_not.en.find("not a new customer") == 0, r->why_not.en);
  // When met, the margin is there: how far above the threshold.
  auto met = c.explain(record(customer({40, 40, 40, 40}, 100, "government", "2026-03-01")), as_of);
  BOOST_TEST(met.find("art-5.3")->result == outcome::met);
  BOOST_TEST(met.find("art-5.3")->margin.value_or(-1) == 1.0);
}

// One wording of a row's error for every edge (the Python error column, Spark's SQL engine, the
// CLI's no-tier line): a field's problem, or a criterion that could not be evaluated.
BOOST_AUTO_TEST_CASE(a_rows_error_has_one_wording) {
  BOOST_TEST(keyaccount::row_error_text("monthly_shipments[3]", "not a finite number") ==
             "monthly_shipments[3]: not a finite number");
  BOOST_TEST(keyaccount::row_error_text("", "index 40 out of range", "art-5.2") ==
             "criterion art-5.2 could not be evaluated: index 40 out of range");
  BOOST_TEST(keyaccount::criterion_failure_text("art-5.2", "index 40 out of range") ==
             keyaccount::row_error_text("ignored", "index 40 out of range", "art-5.2"));
}

BOOST_AUTO_TEST_SUITE_END()
