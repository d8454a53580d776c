// The policy → Spark SQL translator (keyaccount/classify/spark_sql.hpp): what it accepts (the
// default policy, changed parameters, an at-least-k rule) and the SQL it gives, and what it
// refuses, each refusal with its reason. That Spark evaluates the SQL to the batch's very tiers
// and error texts is tested on generated customers in tests/python/tables/test_spark.py.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "classify/spark_sql_text.hpp"
#include "classify_fixtures.hpp"
#include "keyaccount/classify/spark_sql.hpp"
#include "keyaccount/policy/default_policy.hpp"
#include "keyaccount/policy/loader.hpp"

using namespace classify_test;

namespace {

const keyaccount::date as_of = day("2026-06-30");

std::vector<keyaccount::spark_column> default_columns() {
  return {{"id", "string"},
          {"category", "string"},
          {"first_order", "date"},
          {"monthly_shipments", "array<double>"},
          {"cumulative_amount", "double"}};
}

keyaccount::spark_sql translate(const keyaccount::policy& p,
                                const std::vector<keyaccount::spark_column>& columns) {
  const keyaccount::classifier c(p);
  return keyaccount::to_spark_sql(c, as_of, columns);
}

// The default policy with criterion `id`'s condition replaced.
keyaccount::policy with_condition(const std::string& id, const std::string& condition) {
  keyaccount::policy p = keyaccount::default_policy();
  for (auto& c : p.criteria)
    if (c.id == id) c.condition = condition;
  return p;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(spark_sql)

BOOST_AUTO_TEST_CASE(the_default_policy_translates_with_each_criterion_and_each_check) {
  auto sql = keyaccount::to_spark_sql(default_classifier(), as_of, default_columns());
  BOOST_TEST_REQUIRE(sql.ok(), sql.refusal);
  // Tiers: NULL for a row with an error, else key when Art. 4 and Art. 5 hold, else the
  // fallback.
  BOOST_TEST(sql.tier.starts_with("CASE WHEN (`id` IS NULL) IS NOT TRUE AND "));
  const auto tiers = sql.tier.find(" THEN CASE WHEN (((");
  BOOST_TEST_REQUIRE(tiers != std::string::npos);
  BOOST_TEST(sql.tier.ends_with(" ELSE 'regular' END END"));
  BOOST_TEST(sql.error.starts_with(sql.tier.substr(0, tiers)));  // the same test of the row
  BOOST_TEST(contains(sql.tier, "`category` IN ('government', 'large_enterprise', 'monopoly')"));
  // A comprehension whose test is `x OP bound` over finite months needs no lambda: the least
  // of the newest 12 months, `trailing(...) >= 3` as the newest 3 months read one by one
  // (spark_sql_months.hpp).
  BOOST_TEST(contains(sql.tier,
                      "(size(`monthly_shipments`) > 0L) AND (least(size("
                      "`monthly_shipments`), 12) = 0 OR array_min(slice("
                      "`monthly_shipments`, greatest(size(`monthly_shipments`) - 12 + "
                      "1, 1), 12)) > 0D)"));
  BOOST_TEST(contains(sql.tier, "(`cumulative_amount` > 500D)"));
  BOOST_TEST(contains(sql.tier,
                      "(size(`monthly_shipments`) >= 3 AND try_element_at("
                      "`monthly_shipments`, -1) > 50D AND try_element_at("
                      "`monthly_shipments`, -2) > 50D AND try_element_at("
                      "`monthly_shipments`, -3) > 50D)"));
  BOOST_TEST(!contains(sql.tier.substr(tiers), "->"));
  BOOST_TEST(contains(sql.tier, "(year(DATE'2026-06-30') - year(`first_order`)) * 12"));
  // Errors, worded by the functions that word them for the batch, in the reader's order.
  const std::string& e = sql.error;
  // A good row: none of the conditions holds (compiled by Spark); a bad row: the first WHEN's
  // words, computed in a one-element transform (interpreted by Spark, keeping the generated
  // code small).
  BOOST_TEST(
      e.starts_with("CASE WHEN (`id` IS NULL) IS NOT TRUE AND (`id` = '') IS NOT TRUE AND "
                    "(`category` IS NULL) IS NOT TRUE AND "));
  BOOST_TEST(contains(e,
                      " THEN CAST(NULL AS STRING) ELSE element_at(transform(array(0), ka_row "
                      "-> CASE WHEN `id` IS NULL THEN 'id: required value is missing' WHEN "
                      "`id` = '' THEN 'id: empty: every customer needs an id' WHEN "));
  BOOST_TEST(e.ends_with(" END), 1) END"));
  BOOST_TEST(contains(e, "format_string('category: \"%s\" is not an allowed value', `category`)"));
  BOOST_TEST(contains(e,
                      "WHEN `first_order` > DATE'2026-06-30' THEN format_string('first_order: %s "
                      "is after the as-of date 2026-06-30 (a fact cannot be dated after the day "
                      "it is known on)', CAST(`first_order` AS STRING))"));
  BOOST_TEST(contains(e,
                      "THEN format_string('monthly_shipments[%s]: not a finite number', "
                      "CAST(array_position("));
  BOOST_TEST(contains(e,
                      "WHEN (`cumulative_amount` IS NULL OR isnan(`cumulative_amount`)) "
                      "THEN 'cumulative_amount: required value is missing'"));
  BOOST_TEST(contains(e, "THEN 'cumulative_amount: not a finite number'"));
  BOOST_TEST(contains(e, "raise_error("));  // a series past the iteration budget
}

BOOST_AUTO_TEST_CASE(a_rows_first_error_is_its_first_bad_column_the_id_before_all) {
  std::vector<keyaccount::spark_column> columns{{"cumulative_amount", "double"},
                                                {"first_order", "date"},
                                                {"category", "string"},
                                                {"monthly_shipments", "array<double>"},
                                                {"id", "string"}};
  auto sql = translate(keyaccount::default_policy(), columns);
  BOOST_TEST_REQUIRE(sql.ok(), sql.refusal);
  const auto at = [&](const char* text) { return sql.error.find(text); };
  BOOST_TEST(at("'id: required") < at("'cumulative_amount: required"));
  BOOST_TEST(at("'cumulative_amount: required") < at("'first_order: required"));
  BOOST_TEST(at("'first_order: required") < at("'category: required"));
  BOOST_TEST(at("'category: required") < at("'monthly_shipments: required"));
  // Columns the criteria do not read are not checked (the reader does not read them).
  columns.push_back({"name", "binary"});
  BOOST_TEST(translate(keyaccount::default_policy(), columns).ok());
}

BOOST_AUTO_TEST_CASE(parameters_and_an_at_least_k_rule_are_translated) {
  auto p = keyaccount::with_parameters(
      keyaccount::default_policy(), {{"cumulative_amount_min", 2000.5}, {"continuity_months", 6}});
  for (auto& c : p.criteria)
    if (c.id == "art-5") {
      c.combine = keyaccount::combinator::at_least;
      c.at_least = 2;
    }
  auto sql = translate(p, default_columns());
  BOOST_TEST_REQUIRE(sql.ok(), sql.refusal);
  BOOST_TEST(contains(sql.tier, "(`cumulative_amount` > 2000.5D)"));
  BOOST_TEST(contains(sql.tier,
                      "(least(size(`monthly_shipments`), 6) = 0 OR array_min(slice("
                      "`monthly_shipments`, greatest(size(`monthly_shipments`) - 6 + 1, "
                      "1), 6)) > 0D)"));
  BOOST_TEST(contains(sql.tier, "(IF((`cumulative_amount` > 2000.5D), 1, 0) + IF("));
  BOOST_TEST(contains(sql.tier, ") >= 2)"));
}

BOOST_AUTO_TEST_CASE(month_tests_without_a_lambda_and_others_with_one) {
  struct translated {
    std::string condition, sql;
  };
  const std::vector<translated> cases{
      {"monthly_shipments.trailing(x, x * 2.0 > 100.0) >= 3",
       "aggregate(`monthly_shipments`, 0, (ka_run, ka_x) -> IF((NOT (isnan((ka_x * 2D)) OR "
       "isnan(100D)) AND ((ka_x * 2D) > 100D)), ka_run + 1, 0)) >= 3L)"},
      {"monthly_shipments.trailing(x, x > 50.0) == 3",
       "(aggregate(`monthly_shipments`, 0, (ka_run, ka_x) -> IF((ka_x > 50D), ka_run + 1, 0)) = "
       "3L)"},
      {"monthly_shipments.all(x, x != 0.0)", "forall(`monthly_shipments`, ka_x -> (ka_x <> 0D))"},
      {"monthly_shipments.exists(x, 50.0 < x)",
       "(size(`monthly_shipments`) > 0 AND array_max(`monthly_shipments`) > 50D)"},
      {"monthly_shipments.last(3).exists(x, x <= params.monthly_shipment_min)",
       "(coalesce(try_element_at(`monthly_shipments`, -1) <= 50D, FALSE) OR coalesce("
       "try_element_at(`monthly_shipments`, -2) <= 50D, FALSE) OR coalesce(try_element_at("
       "`monthly_shipments`, -3) <= 50D, FALSE))"},
      {"monthly_shipments.count(x, x > 1.0) >= 2",
       "(size(filter(`monthly_shipments`, ka_x -> (ka_x > 1D))) >= 2L)"},
      {"3 < monthly_shipments.trailing(x, x > 1.0)",
       "(size(`monthly_shipments`) >= 4 AND try_element_at(`monthly_shipments`, -1) > 1D AND"},
      {"monthly_shipments.all(x, x > 1.0)",
       "(size(`monthly_shipments`) = 0 OR array_min(`monthly_shipments`) > 1D)"},
      {"monthly_shipments.last(24).all(x, x > 0.0)",
       "(least(size(`monthly_shipments`), 24) = 0 OR array_min(slice(`monthly_shipments`, "
       "greatest(size(`monthly_shipments`) - 24 + 1, 1), 24)) > 0D)"},
      {"monthly_shipments.trailing(x, x > 1.0) >= 20",
       "(size(`monthly_shipments`) >= 20 AND array_min(slice(`monthly_shipments`, greatest(size("
       "`monthly_shipments`) - 20 + 1, 1), 20)) > 1D)"},
      {"monthly_shipments.last(2).trailing(x, x > 1.0) < 2",
       "(NOT (least(size(`monthly_shipments`), 2) >= 2 AND try_element_at(`monthly_shipments`, -1) "
       "> 1D AND try_element_at(`monthly_shipments`, -2) > 1D))"},
  };
  for (const auto& c : cases) {
    auto sql = translate(with_condition("art-5.2", c.condition), default_columns());
    BOOST_TEST_REQUIRE(sql.ok(), sql.refusal);
    BOOST_TEST(contains(sql.tier, c.sql), c.condition + " -> " + sql.tier);
  }
}

BOOST_AUTO_TEST_CASE(double_arithmetic_is_translated_with_cels_nan_rules) {
  auto sql = translate(with_condition("art-5.1", "cumulative_amount * 2.0 - 10.0 > 990.0"),
                       default_columns());
  BOOST_TEST_REQUIRE(sql.ok(), sql.refusal);
  BOOST_TEST(contains(sql.tier,
                      "(NOT (isnan(((`cumulative_amount` * 2D) - 10D)) OR isnan(990D)) "
                      "AND (((`cumulative_amount` * 2D) - 10D) > 990D))"));
}

BOOST_AUTO_TEST_CASE(what_cannot_be_made_exact_is_refused_with_its_reason) {
  struct refused {
    std::string criterion, condition, reason;
  };
  const std::vector<refused> cases{
      {"art-5.1", "sum(monthly_shipments) > 500.0", "the function sum() is not translated"},
      {"art-5.1", "size(monthly_shipments) + 1 > 3", "int overflow is a CEL error"},
      {"art-5.1", "cumulative_amount / 2.0 > 250.0", "division is not translated"},
      {"art-5.1", "monthly_shipments[0] > 1.0", "indexing is not translated"},
      {"art-5.1", "owner == \"P1\"", "the optional field `owner`"},
      {"art-5.1", "has(profile.updated_on)", "of a value other than params"},
      {"art-5.1", "monthly_shipments.map(x, x * 2.0).all(y, y > 1.0)", "comprehension"},
      {"art-5.1", "monthly_shipments.all(x, monthly_shipments.exists(y, y > x))",
       "a comprehension inside another"},
      {"art-5.1", "cumulative_amount > 1.0 ? true : false", "the conditional"},
  };
  for (const auto& c : cases) {
    auto sql = translate(with_condition(c.criterion, c.condition), default_columns());
    BOOST_TEST(!sql.ok(), c.condition);
    BOOST_TEST(contains(sql.refusal, "criterion " + c.criterion), sql.refusal);
    BOOST_TEST(contains(sql.refusal, c.reason), sql.refusal);
    BOOST_TEST(sql.tier.empty());
    BOOST_TEST(sql.error.empty());
  }
}

BOOST_AUTO_TEST_CASE(columns_the_sql_cannot_read_as_the_arrow_reader_does_are_refused) {
  const std::vector<std::pair<keyaccount::spark_column, std::string>> cases{
      {{"first_order", "string"}, "`first_order` is of Spark type string"},
      {{"first_order", "timestamp_ntz"}, "`first_order` is of Spark type timestamp_ntz"},
      {{"monthly_shipments", "string"}, "`monthly_shipments` is of Spark type string"},
      {{"monthly_shipments", "array<float>"},
       "which the SQL does not read as keyaccount reads a "
       "series field"},
      {{"id", "bigint"}, "the id column is of Spark type bigint"},
      {{"region", "string"}, "`region` is not in the policy's customer schema"},
  };
  for (const auto& [column, reason] : cases) {
    auto columns = default_columns();
    bool replaced = false;
    for (auto& c : columns)
      if (c.name == column.name) {
        c = column;
        replaced = true;
      }
    if (!replaced) columns.push_back(column);
    auto sql = translate(keyaccount::default_policy(), columns);
    BOOST_TEST(!sql.ok(), column.name);
    BOOST_TEST(contains(sql.refusal, reason), sql.refusal);
  }
  // Integer and float columns for a number are read as Spark casts them, as the reader does.
  auto columns = default_columns();
  columns.back().type = "bigint";
  auto sql = translate(keyaccount::default_policy(), columns);
  BOOST_TEST_REQUIRE(sql.ok(), sql.refusal);
  BOOST_TEST(contains(sql.tier, "(CAST(`cumulative_amount` AS DOUBLE) > 500D)"));
}

BOOST_AUTO_TEST_CASE(a_policy_without_a_fallback_tier_is_refused) {
  keyaccount::policy p = keyaccount::default_policy();
  p.tiers.back().rule = p.tiers.front().rule;
  p.tiers.back().fallback = false;
  auto sql = translate(p, default_columns());
  BOOST_TEST(!sql.ok());
  BOOST_TEST(contains(sql.refusal, "no fallback tier"), sql.refusal);
}

BOOST_AUTO_TEST_CASE(literals_read_back_as_the_value_they_were_written_from) {
  using namespace keyaccount::detail;
  BOOST_TEST(sql_string("large_enterprise") == "'large_enterprise'");
  BOOST_TEST(sql_string("it's") == "CAST(unhex('69742773') AS STRING)");
  BOOST_TEST(sql_string("a\\b") == "CAST(unhex('615C62') AS STRING)");
  BOOST_TEST(sql_double(0.1) == "0.1D");
  BOOST_TEST(sql_double(500) == "500D");
  BOOST_TEST(sql_double(-2.5) == "(-2.5D)");
  BOOST_TEST(sql_double(1e300) == "1e+300D");
  BOOST_TEST(sql_bigint(12) == "12L");
  BOOST_TEST(sql_bigint(-3) == "(-3L)");
  BOOST_TEST(sql_column("a`b") == "`a``b`");
  BOOST_TEST(sql_words_around("x \x01 y%", "\x01", "col") == "format_string('x %s y%%', col)");
  BOOST_CHECK_THROW((void)sql_double(std::nan("")), sql_refusal);
}

BOOST_AUTO_TEST_SUITE_END()
