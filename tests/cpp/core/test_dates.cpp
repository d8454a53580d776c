#include <boost/test/unit_test.hpp>

#include "keyaccount/core/date.hpp"

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

BOOST_AUTO_TEST_CASE(to_string_writes_every_day_as_parse_reads_it) {
  // Zero-padded years, months and days.
  BOOST_TEST(d("0001-01-01").to_string() == "0001-01-01");
  BOOST_TEST(d("0987-06-05").to_string() == "0987-06-05");
  BOOST_TEST(d("9999-12-31").to_string() == "9999-12-31");
  // Reads back as itself: every day of 1899-2101, and every 11th day (so every day of the
  // month and every month) of years 1-9999.
  auto reads_back = [](date first, date last, int step) {
    for (date day = first; day <= last; day = day.add_days(step)) {
      const auto text = day.to_string();
      if (date::parse(text) != day) BOOST_FAIL(day.days_since_epoch() << " written as " << text);
    }
  };
  reads_back(d("1899-01-01"), d("2101-12-31"), 1);
  reads_back(d("0001-01-01"), d("9999-12-31"), 11);
  // Arithmetic past the four-digit years still writes the year in full.
  BOOST_TEST(d("9999-12-31").add_days(1).to_string() == "10000-01-01");
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
