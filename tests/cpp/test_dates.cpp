#include <boost/test/unit_test.hpp>

#include "keyaccount/policy/date.hpp"

using keyaccount::date;

namespace {
date d(const char* text) {
  auto parsed = date::parse(text);
  BOOST_REQUIRE_MESSAGE(parsed.has_value(), "not a date: " << text);
  return *parsed;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(dates)

BOOST_AUTO_TEST_CASE(parse_accepts_only_valid_iso_days) {
  BOOST_TEST(d("2024-02-29").to_string() == "2024-02-29");
  BOOST_TEST(!date::parse("2023-02-29"));
  BOOST_TEST(!date::parse("2024-13-01"));
  BOOST_TEST(!date::parse("2024-1-01"));
  BOOST_TEST(!date::parse("2024-01-01 "));
  BOOST_TEST(!date::parse("0000-01-01"));
  BOOST_TEST(!date::parse("____"));
}

BOOST_AUTO_TEST_CASE(months_between_follows_the_foundation_definition) {
  BOOST_TEST(keyaccount::months_between(d("2025-01-15"), d("2026-01-15")) == 12);
  BOOST_TEST(keyaccount::months_between(d("2025-01-15"), d("2026-01-14")) == 11);
  BOOST_TEST(keyaccount::months_between(d("2025-01-31"), d("2025-02-28")) == 0);
  BOOST_TEST(keyaccount::months_between(d("2026-03-01"), d("2026-01-01")) == -2);
}

BOOST_AUTO_TEST_CASE(add_months_clamps_to_month_end) {
  BOOST_TEST(d("2024-01-31").add_months(1).to_string() == "2024-02-29");
  BOOST_TEST(d("2023-01-31").add_months(1).to_string() == "2023-02-28");
  BOOST_TEST(d("2024-03-31").add_months(-1).to_string() == "2024-02-29");
  BOOST_TEST(d("2024-12-15").add_months(1).to_string() == "2025-01-15");
  BOOST_TEST(d("2024-02-28").add_days(2).to_string() == "2024-03-01");
}

BOOST_AUTO_TEST_CASE(month_day_parses_with_leap_day) {
  BOOST_TEST(keyaccount::month_day::parse("02-29").has_value());
  BOOST_TEST(!keyaccount::month_day::parse("02-30").has_value());
  BOOST_TEST(keyaccount::month_day::parse("12-10")->to_string() == "12-10");
}

BOOST_AUTO_TEST_SUITE_END()
