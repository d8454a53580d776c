// A customer record whose dates are after the as-of day contradicts it: an input error naming
// the field, whichever criterion would decide the tier, in one record, in a batch (a row error)
// and on the command line (invalid_record at its line). Before, a first order 9 months in the
// future made months_between negative and the customer "new" under Art. 5.3.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>

#include "classify_fixtures.hpp"
#include "cli_runner.hpp"
#include "keyaccount/classify/batch.hpp"
#include "keyaccount/classify/dynamics.hpp"

using namespace classify_test;

namespace {

const keyaccount::date as_of = day("2026-06-30");

// Art. 5.3's case from the issue: only the new-customer standard could make it key.
nlohmann::json future_first_order() {
  return customer({40, 40, 40}, 100, "government", "2027-03-01");
}

std::string temp_file(const std::string& name, const std::string& text) {
  auto path = std::filesystem::temp_directory_path() / ("keyaccount_after_as_of_" + name);
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dates_after_as_of)

BOOST_AUTO_TEST_CASE(a_first_order_after_as_of_is_an_input_error_not_a_key_customer) {
  const auto& c = default_classifier();
  auto r = record(future_first_order());
  for (int explain = 0; explain < 2; ++explain) {
    try {
      if (explain)
        (void)c.explain(r, as_of);
      else
        (void)c.classify(r, as_of);
      BOOST_FAIL("classified a customer whose first order is after as_of");
    } catch (const keyaccount::input_error& e) {
      BOOST_TEST(e.field() == "first_order");
      BOOST_TEST(std::string(e.what()).find("2027-03-01 is after the as-of date 2026-06-30") !=
                     std::string::npos,
                 e.what());
    }
  }
  // Whichever criterion would decide: a customer key by Art. 5.1 alone is refused the same way.
  auto big = customer(std::vector<double>(24, 100), 5000, "government", "2026-07-01");
  BOOST_CHECK_THROW((void)c.classify(record(big), as_of), keyaccount::input_error);
  // On the day itself is a fact known that day: a new customer, key by Art. 5.3.
  auto today = customer({40, 40, 40}, 100, "government", "2026-06-30");
  BOOST_TEST(c.tier_id(c.classify(record(today), as_of)) == "key");
}

BOOST_AUTO_TEST_CASE(a_profile_card_updated_after_as_of_names_the_member) {
  auto j = customer(std::vector<double>(24, 100), 800);
  j["profile"] = {{"updated_on", "2026-08-01"}};
  auto r = record(j);
  try {
    (void)keyaccount::check_profile_card(default_classifier(), r, as_of);
    BOOST_FAIL("a card updated after as_of was checked");
  } catch (const keyaccount::input_error& e) {
    BOOST_TEST(e.field() == "profile.updated_on");
  }
  BOOST_CHECK_THROW((void)default_classifier().classify(r, as_of), keyaccount::input_error);
}

BOOST_AUTO_TEST_CASE(in_a_batch_the_row_is_an_error_on_both_paths) {
  const auto& c = default_classifier();
  const std::int32_t today = static_cast<std::int32_t>(as_of.days_since_epoch());
  // Row 1's first order is 244 days after as_of; rows 0 and 2 are ordinary.
  std::vector<std::int32_t> category{0, 0, 0};
  std::vector<std::int32_t> first_order{today - 4000, today + 244, today - 100};
  std::vector<double> block{40, 40, 40, 40, 40, 40, 40, 40, 40};
  std::vector<double> cumulative{100, 100, 100};
  keyaccount::column_table table(3);
  table.set_categories("category", category,
                       {"government", "large_enterprise", "monopoly", "other"});
  table.set_dates("first_order", first_order);
  table.set_series("monthly_shipments", block, 3);
  table.set_numbers("cumulative_amount", cumulative);
  // The columnar path (no explanations) and the row-at-a-time path (explanations).
  for (bool explain : {false, true}) {
    keyaccount::batch_options o;
    o.explain = explain;
    auto result = keyaccount::classify_batch(c, table, as_of, o);
    BOOST_REQUIRE_EQUAL(result.errors.size(), 1u);
    BOOST_TEST(result.errors[0].row == 1u);
    BOOST_TEST(result.errors[0].field == "first_order");
    BOOST_TEST(result.errors[0].message.find("2027-03-01 is after the as-of date 2026-06-30") !=
                   std::string::npos,
               result.errors[0].message);
    BOOST_TEST(result.tiers[1] == -1);
    BOOST_TEST(result.tiers[0] >= 0);
    BOOST_TEST(result.tiers[2] >= 0);
  }
}

BOOST_AUTO_TEST_CASE(the_command_line_reports_it_at_its_line) {
  const std::string file = temp_file(
      "customers.jsonl",
      R"({"id": "OK1", "name": "n", "category": "other", "first_order": "2020-01-01", "monthly_shipments": [1], "cumulative_amount": 1})"
      "\n"
      R"({"id": "F1", "name": "n", "category": "government", "first_order": "2027-03-01", "monthly_shipments": [40, 40, 40], "cumulative_amount": 100})"
      "\n");
  auto r = keyaccount::testing::run_cli(
      {"classify", "--as-of", "2026-06-30", "--on-error", "skip", file});
  BOOST_TEST(r.code == 0, r.err);
  BOOST_TEST(r.out.find("\"OK1\"") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("\"F1\"") == std::string::npos, r.out);
  BOOST_TEST(r.err.find(":2: error[invalid_record]: first_order: 2027-03-01 is after the as-of "
                        "date 2026-06-30") != std::string::npos,
             r.err);
  // --on-error fail stops there with exit 1 (it used to print F1 as a key customer).
  auto fail = keyaccount::testing::run_cli({"classify", "--as-of", "2026-06-30", file});
  BOOST_TEST(fail.code == 1, fail.err);
  BOOST_TEST(fail.out.find("\"F1\"") == std::string::npos, fail.out);
}

BOOST_AUTO_TEST_SUITE_END()
