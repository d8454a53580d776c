// The one check and wording of a field's value (core/field_check.hpp) that every reader shares.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>
#include <string>

#include "keyaccount/core/field_check.hpp"

namespace fc = keyaccount::field_check;

BOOST_AUTO_TEST_SUITE(field_check)

BOOST_AUTO_TEST_CASE(a_double_is_whole_only_within_int64_and_without_fraction) {
  BOOST_TEST(fc::whole_number(4.0).value() == 4);
  BOOST_TEST(fc::whole_number(-0.0).value() == 0);
  BOOST_TEST(fc::whole_number(-9223372036854775808.0).value() ==
             std::numeric_limits<std::int64_t>::min());
  BOOST_TEST(!fc::whole_number(9223372036854775808.0));  // 2^63: one past int64
  BOOST_TEST(!fc::whole_number(1e300));                  // undefined behaviour if converted
  BOOST_TEST(!fc::whole_number(-1e300));
  BOOST_TEST(!fc::whole_number(2.5));
  BOOST_TEST(!fc::whole_number(std::nan("")));
  BOOST_TEST(!fc::whole_number(std::numeric_limits<double>::infinity()));
}

BOOST_AUTO_TEST_CASE(text_is_whole_only_when_written_in_digits) {
  BOOST_TEST(fc::whole_number(std::string_view("42")).value() == 42);
  BOOST_TEST(fc::whole_number(std::string_view("-7")).value() == -7);
  BOOST_TEST(fc::whole_number(std::string_view("9223372036854775807")).value() ==
             std::numeric_limits<std::int64_t>::max());
  for (const char* bad :
       {"", "+1", " 1", "1 ", "1.0", "1e3", "0x10", "9223372036854775808", "-", "１"})
    BOOST_TEST(!fc::whole_number(std::string_view(bad)), "accepted: " << bad);
}

BOOST_AUTO_TEST_CASE(one_wording_for_each_refusal) {
  BOOST_TEST(fc::not_a_date("2026-02-30") == "expected a date YYYY-MM-DD, got \"2026-02-30\"");
  BOOST_TEST(fc::not_a_date_kind("a number") == "expected a date YYYY-MM-DD, got a number");
  BOOST_TEST(fc::not_a_whole_number("2.5") == "expected a whole number, got 2.5");
  BOOST_TEST(fc::not_a_whole_number("-1", 0) == "expected a whole number >= 0, got -1");
  BOOST_TEST(fc::not_a_whole_number("0", 1, 100000) ==
             "expected a whole number from 1 to 100000, got 0");
  BOOST_TEST(fc::beyond_int64("1e+300") ==
             "expected a whole number from -9223372036854775808 to 9223372036854775807, got "
             "1e+300");
}

BOOST_AUTO_TEST_CASE(why_not_whole_tells_a_fraction_from_a_number_past_int64) {
  BOOST_TEST(fc::why_not_whole(2.5, "2.5") == "expected a whole number, got 2.5");
  BOOST_TEST(fc::why_not_whole(1e300, "1e300") == fc::beyond_int64("1e300"));
  BOOST_TEST(fc::why_not_whole(std::nan(""), "NaN") == "not a finite number");
  BOOST_TEST(fc::why_not_whole(-HUGE_VAL, "-inf") == "not a finite number");
}

BOOST_AUTO_TEST_SUITE_END()
