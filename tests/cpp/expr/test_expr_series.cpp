// The time-series extension: sum, mean, min, max, last and the trailing / longest_run / count
// macros, on double and int series, borrowed and owned, with their edge cases.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "keyaccount/expr.hpp"

namespace ex = keyaccount::expr;

namespace {

// Evaluates `source` with `s` bound to a borrowed list(double) view of `series`.
ex::value eval_series(const std::string& source, const std::vector<double>& series) {
  ex::declarations decls;
  decls.add_variable("s", ex::type::list(ex::type::float64()));
  auto compiled = ex::compile(source, decls);
  BOOST_REQUIRE_MESSAGE(compiled.ok(),
                        source + ": " + ex::format_diagnostics(compiled.diagnostics));
  ex::activation vars(decls);
  vars.set(0, ex::value::borrowed_doubles(series));
  return compiled.program->evaluate(vars);
}

ex::value eval(const std::string& source) {
  auto compiled = ex::compile(source, ex::declarations{});
  BOOST_REQUIRE_MESSAGE(compiled.ok(),
                        source + ": " + ex::format_diagnostics(compiled.diagnostics));
  return compiled.program->evaluate(ex::activation{});
}

double as_double(const ex::value& v) {
  BOOST_REQUIRE_MESSAGE(v.is_double(), "expected a double, got " + v.debug_string());
  return v.as_double();
}
std::int64_t as_int(const ex::value& v) {
  BOOST_REQUIRE_MESSAGE(v.is_int(), "expected an int, got " + v.debug_string());
  return v.as_int();
}
bool as_bool(const ex::value& v) {
  BOOST_REQUIRE_MESSAGE(v.is_bool(), "expected a bool, got " + v.debug_string());
  return v.as_bool();
}

const std::vector<double> shipments = {10, 60, 0, 55, 70, 80};
const double not_a_number = std::numeric_limits<double>::quiet_NaN();

}  // namespace

BOOST_AUTO_TEST_SUITE(expr_series)

BOOST_AUTO_TEST_CASE(aggregates_of_a_double_series) {
  BOOST_TEST(as_double(eval_series("s.sum()", shipments)) == 275.0);
  BOOST_TEST(as_double(eval_series("sum(s)", shipments)) == 275.0);
  BOOST_TEST(as_double(eval_series("s.mean()", shipments)) == 275.0 / 6);
  BOOST_TEST(as_double(eval_series("mean(s)", shipments)) == 275.0 / 6);
  BOOST_TEST(as_double(eval_series("s.min()", shipments)) == 0.0);
  BOOST_TEST(as_double(eval_series("s.max()", shipments)) == 80.0);
  BOOST_TEST(as_double(eval_series("min(s)", shipments)) == 0.0);
  BOOST_TEST(as_double(eval_series("max(s)", shipments)) == 80.0);
}

BOOST_AUTO_TEST_CASE(aggregates_of_int_lists_stay_int) {
  BOOST_TEST(as_int(eval("[3, 1, 2].sum()")) == 6);
  BOOST_TEST(as_int(eval("min([3, 1, 2])")) == 1);
  BOOST_TEST(as_int(eval("[3, 1, 2].max()")) == 3);
  BOOST_TEST(as_double(eval("[1, 2].mean()")) == 1.5);
  // The policy's target for Art. 4.2: min([size(series), months]).
  BOOST_TEST(as_int(eval_series("min([size(s), 12])", shipments)) == 6);
}

BOOST_AUTO_TEST_CASE(empty_series) {
  std::vector<double> empty;
  BOOST_TEST(as_double(eval_series("s.sum()", empty)) == 0.0);
  BOOST_TEST(as_int(eval("[].sum()")) == 0);
  BOOST_TEST(eval_series("s.mean()", empty).is_error());
  BOOST_TEST(eval_series("s.min()", empty).is_error());
  BOOST_TEST(eval_series("s.max()", empty).is_error());
  BOOST_TEST(as_int(eval_series("s.trailing(x, x > 0.0)", empty)) == 0);
  BOOST_TEST(as_int(eval_series("s.longest_run(x, x > 0.0)", empty)) == 0);
  BOOST_TEST(as_int(eval_series("s.count(x, x > 0.0)", empty)) == 0);
  BOOST_TEST(as_int(eval_series("size(s.last(3))", empty)) == 0);
  BOOST_TEST(as_bool(eval_series("s.last(3).all(x, x > 50.0)", empty)) == true);
}

BOOST_AUTO_TEST_CASE(last_takes_the_newest_elements) {
  BOOST_TEST(as_double(eval_series("s.last(2).sum()", shipments)) == 150.0);
  BOOST_TEST(as_int(eval_series("size(s.last(0))", shipments)) == 0);
  // n larger than the series: the whole series.
  BOOST_TEST(as_int(eval_series("size(s.last(100))", shipments)) == 6);
  BOOST_TEST(as_double(eval_series("s.last(100).sum()", shipments)) == 275.0);
  BOOST_TEST(eval_series("s.last(-1)", shipments).is_error());
  BOOST_TEST(as_bool(eval("[1, 2, 3].last(2) == [2, 3]")));
  BOOST_TEST(as_bool(eval_series("s.last(3).all(x, x > 50.0)", shipments)));
  BOOST_TEST(!as_bool(eval_series("s.last(4).all(x, x > 50.0)", shipments)));
}

BOOST_AUTO_TEST_CASE(trailing_longest_run_and_count) {
  BOOST_TEST(as_int(eval_series("s.trailing(x, x > 50.0)", shipments)) == 3);
  BOOST_TEST(as_int(eval_series("s.trailing(x, x > 75.0)", shipments)) == 1);
  BOOST_TEST(as_int(eval_series("s.trailing(x, x > 100.0)", shipments)) == 0);
  BOOST_TEST(as_int(eval_series("s.longest_run(x, x > 0.0)", shipments)) == 3);
  BOOST_TEST(as_int(eval_series("s.longest_run(x, x >= 0.0)", shipments)) == 6);
  BOOST_TEST(as_int(eval_series("s.count(x, x > 50.0)", shipments)) == 4);
  // Predicate errors are not swallowed.
  BOOST_TEST(eval("[1, 0].trailing(x, 1 / x > 0)").is_error());
  BOOST_TEST(eval("[1, 0].count(x, 1 / x > 0)").is_error());
}

BOOST_AUTO_TEST_CASE(negative_values) {
  std::vector<double> losses = {-5, 3, -2.5};
  BOOST_TEST(as_double(eval_series("s.sum()", losses)) == -4.5);
  BOOST_TEST(as_double(eval_series("s.min()", losses)) == -5.0);
  BOOST_TEST(as_double(eval_series("s.max()", losses)) == 3.0);
  BOOST_TEST(as_int(eval_series("s.trailing(x, x < 0.0)", losses)) == 1);
  BOOST_TEST(as_int(eval("[-3, -1, -2].max()")) == -1);
}

BOOST_AUTO_TEST_CASE(nan_propagates) {
  std::vector<double> gap = {1, not_a_number, 3};
  BOOST_TEST(std::isnan(as_double(eval_series("s.sum()", gap))));
  BOOST_TEST(std::isnan(as_double(eval_series("s.mean()", gap))));
  BOOST_TEST(std::isnan(as_double(eval_series("s.min()", gap))));
  BOOST_TEST(std::isnan(as_double(eval_series("s.max()", gap))));
  // NaN compares false, so it breaks a run.
  BOOST_TEST(as_int(eval_series("s.longest_run(x, x > 0.0)", gap)) == 1);
}

BOOST_AUTO_TEST_CASE(integer_overflow_in_sum_is_an_error) {
  BOOST_TEST(eval("[9223372036854775807, 1].sum()").is_error());
}

BOOST_AUTO_TEST_CASE(non_numeric_elements_are_an_error) {
  ex::compile_options unchecked;
  unchecked.check_types = false;
  auto compiled = ex::compile("['a', 1].sum()", ex::declarations{}, unchecked);
  BOOST_REQUIRE(compiled.ok());
  BOOST_TEST(compiled.program->evaluate(ex::activation{}).is_error());
  // Checked: the type of a list(string) has no sum overload.
  auto checked = ex::compile("['a'].sum()", ex::declarations{});
  BOOST_REQUIRE(!checked.ok());
  BOOST_TEST(checked.diagnostics[0].code == "no_matching_overload");
}

BOOST_AUTO_TEST_CASE(int_series_borrowed) {
  std::vector<std::int64_t> counts = {4, 5, 6};
  ex::declarations decls;
  decls.add_variable("c", ex::type::list(ex::type::int64()));
  auto compiled = ex::compile("c.last(2).sum() + c.count(x, x > 4)", decls);
  BOOST_REQUIRE(compiled.ok());
  ex::activation vars(decls);
  vars.set("c", ex::value::borrowed_ints(counts));
  BOOST_TEST(as_int(compiled.program->evaluate(vars)) == 13);
}

BOOST_AUTO_TEST_CASE(result_types_are_checked) {
  ex::declarations decls;
  decls.add_variable("s", ex::type::list(ex::type::float64()));
  BOOST_TEST(ex::compile("s.sum()", decls).program->result_type().to_string() == "double");
  BOOST_TEST(ex::compile("s.trailing(x, x > 1.0)", decls).program->result_type().to_string() ==
             "int");
  BOOST_TEST(ex::compile("s.last(2)", decls).program->result_type().to_string() == "list(double)");
  auto bad = ex::compile("s.trailing(x, x + 1.0)", decls);
  BOOST_REQUIRE(!bad.ok());
  BOOST_TEST(bad.diagnostics[0].code == "type_mismatch");
}

BOOST_AUTO_TEST_SUITE_END()
