// The comprehension fast path over series of doubles (`s.all(x, x > 50.0)` and the like runs a
// tight loop instead of building a value per element) must give exactly what the general loop
// gives. The general loop runs when the same numbers are bound as a list of ordinary values.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "keyaccount/expr.hpp"

namespace ex = keyaccount::expr;

namespace {

struct both_paths {
  ex::value fast;     // s bound as borrowed doubles: the fast path
  ex::value general;  // s bound as a list of values: the general loop
};

both_paths evaluate_both(const std::string& source, const std::vector<double>& series,
                         std::uint64_t max_iterations = 1'000'000) {
  ex::declarations decls;
  decls.add_variable("s", ex::type::list(ex::type::float64()));
  ex::compile_options options;
  options.max_comprehension_iterations = max_iterations;
  auto compiled = ex::compile(source, decls, options);
  BOOST_REQUIRE_MESSAGE(compiled.ok(),
                        source + ": " + ex::format_diagnostics(compiled.diagnostics));
  std::vector<ex::value> as_values;
  for (double x : series) as_values.push_back(ex::value::float64(x));

  ex::activation fast_vars(decls);
  fast_vars.set(0, ex::value::borrowed_doubles(series));
  ex::activation general_vars(decls);
  general_vars.set(0, ex::value::list(as_values));
  return {compiled.program->evaluate(fast_vars), compiled.program->evaluate(general_vars)};
}

std::string describe(const std::vector<double>& series) {
  std::string out = "[";
  for (double x : series) out += std::to_string(x) + ",";
  return out + "]";
}

const double not_a_number = std::numeric_limits<double>::quiet_NaN();
const double inf = std::numeric_limits<double>::infinity();

const std::vector<std::string> macros = {"all",   "exists",      "exists_one",
                                         "count", "longest_run", "trailing"};
// Element on either side; double and int bounds, including an int that a double cannot hold.
const std::vector<std::string> predicates = {"x > 50.0",
                                             "x >= 50.0",
                                             "x < 50.0",
                                             "x <= 50.0",
                                             "50.0 < x",
                                             "50 <= x",
                                             "x > 50",
                                             "0 > x",
                                             "x >= -0.0",
                                             "x < 9007199254740993",
                                             "9007199254740993 > x",
                                             "x > 1e308"};

}  // namespace

BOOST_AUTO_TEST_SUITE(expr_fast_paths)

BOOST_AUTO_TEST_CASE(fast_and_general_loops_agree_on_random_series) {
  std::mt19937 rng(20261127);
  const std::vector<double> specials = {not_a_number,      inf, -inf, 50.0, -0.0, 0.0,
                                        9007199254740992.0};
  std::uniform_int_distribution<int> length(0, 14);
  std::uniform_real_distribution<double> amount(-20.0, 120.0);
  std::uniform_int_distribution<int> pick(0, 9);
  int compared = 0;
  for (int round = 0; round < 120; ++round) {
    std::vector<double> series(static_cast<std::size_t>(length(rng)));
    for (double& x : series)  // one element in five is a special value
      x = pick(rng) < 2 ? specials[rng() % specials.size()] : amount(rng);
    for (const auto& macro : macros) {
      for (const auto& predicate : predicates) {
        const std::string source = "s." + macro + "(x, " + predicate + ")";
        auto r = evaluate_both(source, series);
        BOOST_TEST_CONTEXT(source << " over " << describe(series)) {
          BOOST_TEST(r.fast.debug_string() == r.general.debug_string());
        }
        ++compared;
      }
    }
  }
  BOOST_TEST(compared == 120 * 6 * 12);
}

BOOST_AUTO_TEST_CASE(hand_computed_results) {
  const std::vector<double> s = {10, 60, 0, 55, 70, 80};
  auto check = [&](const std::string& source, const std::string& expected) {
    auto r = evaluate_both(source, s);
    BOOST_TEST(r.fast.debug_string() == expected, source);
    BOOST_TEST(r.general.debug_string() == expected, source);
  };
  check("s.trailing(x, x > 50.0)", ex::value::int64(3).debug_string());
  check("s.trailing(x, 50 < x)", ex::value::int64(3).debug_string());
  check("s.longest_run(x, x > 0.0)", ex::value::int64(3).debug_string());
  check("s.count(x, x >= 55)", ex::value::int64(4).debug_string());
  check("s.all(x, x >= 0.0)", ex::value::boolean(true).debug_string());
  check("s.exists(x, x < 5.0)", ex::value::boolean(true).debug_string());
  check("s.exists_one(x, x > 75.0)", ex::value::boolean(true).debug_string());
  check("s.last(3).all(x, x > 50.0)", ex::value::boolean(true).debug_string());
}

BOOST_AUTO_TEST_CASE(the_iteration_budget_is_charged_alike) {
  // 6 elements, budget 4: `all` stopping at the 3rd element fits; `count` needs all 6 and
  // fails with the limit; `trailing` charges the failing element too (3 + 1 = 4 fits).
  const std::vector<double> s = {10, 60, 0, 55, 70, 80};
  for (const std::string source :
       {"s.all(x, x > 5.0)", "s.all(x, x != 0.0 && x > 5.0)", "s.count(x, x > 5.0)",
        "s.trailing(x, x > 50.0)", "s.exists(x, x == 0.0) && s.all(x, x > 20.0)",
        "s.trailing(x, x > 50.0) + s.trailing(x, x > 50.0)"}) {
    auto r = evaluate_both(source, s, 4);
    BOOST_TEST(r.fast.debug_string() == r.general.debug_string(), source);
  }
  auto limited = evaluate_both("s.count(x, x > 5.0)", s, 4);
  BOOST_TEST(limited.fast.is_error());
  auto fits = evaluate_both("s.trailing(x, x > 50.0)", s, 4);
  BOOST_TEST(fits.fast.debug_string() == ex::value::int64(3).debug_string());
  auto over = evaluate_both("s.trailing(x, x > 50.0) + s.trailing(x, x > 50.0)", s, 4);
  BOOST_TEST(over.fast.is_error());
}

BOOST_AUTO_TEST_SUITE_END()
