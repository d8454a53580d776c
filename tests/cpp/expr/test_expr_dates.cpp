// The date extension: date(), comparisons, months_between, days_between, add_days, add_months,
// year/month/day and string(d), including month ends and leap years.
#include <boost/test/unit_test.hpp>

#include "keyaccount/expr.hpp"

namespace ex = keyaccount::expr;

namespace {

ex::value eval(const std::string& source) {
  auto compiled = ex::compile(source, ex::declarations{});
  BOOST_REQUIRE_MESSAGE(compiled.ok(),
                        source + ": " + ex::format_diagnostics(compiled.diagnostics));
  return compiled.program->evaluate(ex::activation{});
}
std::int64_t as_int(const std::string& source) {
  auto v = eval(source);
  BOOST_REQUIRE_MESSAGE(v.is_int(), source + " gave " + v.debug_string());
  return v.as_int();
}
std::string as_text(const std::string& source) {
  auto v = eval("string(" + source + ")");
  BOOST_REQUIRE_MESSAGE(v.is_string(), source + " gave " + v.debug_string());
  return std::string(v.as_string());
}
bool as_bool(const std::string& source) {
  auto v = eval(source);
  BOOST_REQUIRE_MESSAGE(v.is_bool(), source + " gave " + v.debug_string());
  return v.as_bool();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(expr_dates)

BOOST_AUTO_TEST_CASE(parse_is_strict) {
  BOOST_TEST(as_text("date('2024-02-29')") == "2024-02-29");
  BOOST_TEST(eval("date('2023-02-29')").is_error());  // not a leap year
  BOOST_TEST(eval("date('2024-13-01')").is_error());
  BOOST_TEST(eval("date('2024-1-01')").is_error());
  BOOST_TEST(eval("date('2024-01-01T00:00:00Z')").is_error());
  BOOST_TEST(eval("date(' 2024-01-01')").is_error());
  BOOST_TEST(eval("date('0000-01-01')").is_error());
  BOOST_TEST(eval("date('')").is_error());
}

BOOST_AUTO_TEST_CASE(parts_and_text) {
  BOOST_TEST(as_int("date('2024-03-15').year()") == 2024);
  BOOST_TEST(as_int("date('2024-03-15').month()") == 3);
  BOOST_TEST(as_int("date('2024-03-15').day()") == 15);
  BOOST_TEST(as_text("date('0001-01-01')") == "0001-01-01");
}

BOOST_AUTO_TEST_CASE(comparisons) {
  BOOST_TEST(as_bool("date('2024-01-01') < date('2024-01-02')"));
  BOOST_TEST(as_bool("date('2024-01-01') == date('2024-01-01')"));
  BOOST_TEST(as_bool("date('2025-01-01') >= date('2024-12-31')"));
  BOOST_TEST(!as_bool("date('2025-01-01') != date('2025-01-01')"));
}

BOOST_AUTO_TEST_CASE(months_between_counts_whole_months) {
  BOOST_TEST(as_int("months_between(date('2024-01-15'), date('2024-04-15'))") == 3);
  BOOST_TEST(as_int("months_between(date('2024-01-15'), date('2024-04-14'))") == 2);
  BOOST_TEST(as_int("months_between(date('2024-01-15'), date('2024-01-15'))") == 0);
  BOOST_TEST(as_int("months_between(date('2023-12-31'), date('2024-01-01'))") == 0);
  BOOST_TEST(as_int("months_between(date('2024-01-31'), date('2024-02-29'))") == 0);
  BOOST_TEST(as_int("months_between(date('2024-04-15'), date('2024-01-15'))") == -3);
  BOOST_TEST(as_int("months_between(date('2020-02-29'), date('2021-02-28'))") == 11);
}

BOOST_AUTO_TEST_CASE(days_between) {
  BOOST_TEST(as_int("days_between(date('2024-02-28'), date('2024-03-01'))") == 2);  // leap year
  BOOST_TEST(as_int("days_between(date('2023-02-28'), date('2023-03-01'))") == 1);
  BOOST_TEST(as_int("days_between(date('2024-03-01'), date('2024-02-28'))") == -2);
  BOOST_TEST(as_int("days_between(date('2024-01-01'), date('2025-01-01'))") == 366);
}

BOOST_AUTO_TEST_CASE(add_days_and_months) {
  BOOST_TEST(as_text("date('2024-02-28').add_days(1)") == "2024-02-29");
  BOOST_TEST(as_text("date('2023-02-28').add_days(1)") == "2023-03-01");
  BOOST_TEST(as_text("date('2024-01-01').add_days(-1)") == "2023-12-31");
  BOOST_TEST(as_text("date('2024-01-31').add_months(1)") == "2024-02-29");
  BOOST_TEST(as_text("date('2023-01-31').add_months(1)") == "2023-02-28");
  BOOST_TEST(as_text("date('2024-03-31').add_months(-1)") == "2024-02-29");
  BOOST_TEST(as_text("date('2024-05-15').add_months(-17)") == "2022-12-15");
  BOOST_TEST(as_text("date('2024-12-15').add_months(1)") == "2025-01-15");
  BOOST_TEST(eval("date('9999-12-31').add_days(1)").is_error());
  BOOST_TEST(eval("date('0001-01-01').add_months(-1)").is_error());
  BOOST_TEST(eval("date('2024-01-01').add_days(9223372036854775807)").is_error());
}

BOOST_AUTO_TEST_CASE(dates_as_variables_and_types) {
  ex::declarations decls;
  decls.add_variable("first_order", ex::type::date());
  decls.add_variable("as_of", ex::type::date());
  auto compiled = ex::compile("months_between(first_order, as_of) < 12", decls);
  BOOST_REQUIRE(compiled.ok());
  ex::activation vars(decls);
  vars.set("first_order", ex::value::from_date(*ex::date::parse("2024-03-31")));
  vars.set("as_of", ex::value::from_date(*ex::date::parse("2025-03-30")));
  BOOST_TEST(compiled.program->evaluate(vars).as_bool() == true);  // 11 whole months
  auto bad = ex::compile("first_order < 3", decls);
  BOOST_REQUIRE(!bad.ok());
  BOOST_TEST(bad.diagnostics[0].code == "no_matching_overload");
}

BOOST_AUTO_TEST_SUITE_END()
