// Columnar evaluation (expr/columns.hpp) must agree with program::evaluate() on every row it
// decides: random tables with absent values, every kernel, caps on `trailing`, the iteration
// budget; and programs outside the columnar subset must be refused, not approximated.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "keyaccount/expr.hpp"

namespace ex = keyaccount::expr;

namespace {

constexpr std::size_t width = 8;
const double not_a_number = std::numeric_limits<double>::quiet_NaN();
const std::int32_t missing_date = INT32_MIN;

// A table of random rows over the variables
//   amount: double (NaN: absent), count: int, flag: bool, since: date (missing: absent),
//   category: text codes (-1: absent), s: series of doubles (lengths 0..width), as_of: date.
struct table {
  std::size_t rows = 0;
  std::vector<double> amount;
  std::vector<std::int64_t> count;
  std::vector<std::uint8_t> flag;
  std::vector<std::int32_t> since;
  std::vector<std::int32_t> category;
  std::vector<std::string> categories{"gov", "big", "other", "gov"};  // "gov" twice on purpose
  std::vector<double> block;
  std::vector<std::int64_t> lengths;
  ex::date as_of = *ex::date::parse("2026-06-30");
};

table make_table(std::size_t rows, unsigned seed) {
  std::mt19937 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  const double levels[] = {0.0, 10.0, 49.5, 50.0, 50.5, 80.0, -3.0};
  // Months of a series may also be NaN or infinite here (the classifier refuses such rows, but
  // a columnar program takes them): every comparison with NaN fails, as in the interpreter.
  const double inf = std::numeric_limits<double>::infinity();
  const double odd_months[] = {not_a_number, inf, -inf};
  table t;
  t.rows = rows;
  for (std::size_t r = 0; r < rows; ++r) {
    t.amount.push_back(pick(8) == 0 ? not_a_number : levels[pick(7)] * 10);
    t.count.push_back(pick(20) == 0 ? (std::int64_t{1} << 60) : pick(7) - 1);
    t.flag.push_back(static_cast<std::uint8_t>(pick(2)));
    t.since.push_back(pick(8) == 0
                          ? missing_date
                          : t.as_of.days_since_epoch() - pick(800) + (pick(6) == 0 ? 900 : 0));
    t.category.push_back(pick(8) == 0 ? -1 : pick(4));
    t.lengths.push_back(pick(6) == 0 ? pick(3) : static_cast<std::int64_t>(width) - pick(3));
    const double level = levels[pick(7)];
    for (std::size_t i = 0; i < width; ++i)
      t.block.push_back(pick(40) == 0  ? odd_months[pick(3)]
                        : pick(5) == 0 ? levels[pick(7)]
                                       : level);
  }
  return t;
}

ex::declarations declarations() {
  ex::declarations d;
  d.add_variable("amount", ex::type::float64());
  d.add_variable("count", ex::type::int64());
  d.add_variable("flag", ex::type::boolean());
  d.add_variable("since", ex::type::date());
  d.add_variable("category", ex::type::string());
  d.add_variable("s", ex::type::list(ex::type::float64()));
  d.add_variable("as_of", ex::type::date());
  d.add_constant("threshold", ex::value::float64(500.0));
  return d;
}

ex::column_bindings bind_columns(const table& t) {
  ex::column_bindings c(7);
  c.set_column(0, {ex::column_layout::float64, t.amount.data()});
  c.set_column(1, {ex::column_layout::int64, t.count.data()});
  c.set_column(2, {ex::column_layout::boolean, t.flag.data()});
  ex::column_view since{ex::column_layout::date_days, t.since.data()};
  since.missing_date = missing_date;
  c.set_column(3, since);
  ex::column_view cat{ex::column_layout::codes, t.category.data()};
  cat.categories = &t.categories;
  c.set_column(4, cat);
  ex::column_view s{ex::column_layout::double_rows, t.block.data()};
  s.width = width;
  s.lengths = t.lengths.data();
  c.set_column(5, s);
  c.set_value(6, ex::value::from_date(t.as_of));
  return c;
}

// Row r bound the ordinary way: absent values left unbound.
ex::activation bind_row(const ex::declarations& d, const table& t, std::size_t r) {
  ex::activation a(d);
  if (!std::isnan(t.amount[r])) a.set(0, ex::value::float64(t.amount[r]));
  a.set(1, ex::value::int64(t.count[r]));
  a.set(2, ex::value::boolean(t.flag[r] != 0));
  if (t.since[r] != missing_date) a.set(3, ex::value::from_date(ex::date::from_days(t.since[r])));
  if (t.category[r] >= 0)
    a.set(4, ex::value::borrowed_string(t.categories[static_cast<std::size_t>(t.category[r])]));
  a.set(5, ex::value::borrowed_doubles(
               {t.block.data() + r * width, static_cast<std::size_t>(t.lengths[r])}));
  a.set(6, ex::value::from_date(t.as_of));
  return a;
}

struct agreement {
  std::size_t decided = 0, undecided = 0;
};

// Every decided row must equal the interpreter's result; returns how many were decided.
agreement check_agrees(const std::string& source, const table& t,
                       std::uint64_t max_iterations = 1'000'000) {
  const ex::declarations d = declarations();
  ex::compile_options options;
  options.max_comprehension_iterations = max_iterations;
  auto compiled = ex::compile(source, d, options);
  BOOST_REQUIRE_MESSAGE(compiled.ok(),
                        source + ": " + ex::format_diagnostics(compiled.diagnostics));
  const ex::column_bindings cols = bind_columns(t);
  auto vp = ex::vectorize(*compiled.program, cols);
  BOOST_REQUIRE_MESSAGE(vp.has_value(), source + ": expected a columnar form");
  agreement a;
  std::vector<std::uint8_t> out(ex::vector_program::chunk);
  for (std::size_t first = 0; first < t.rows; first += ex::vector_program::chunk) {
    const std::size_t n = std::min(ex::vector_program::chunk, t.rows - first);
    vp->evaluate(first, n, out.data());
    for (std::size_t i = 0; i < n; ++i) {
      BOOST_REQUIRE_LE(out[i], 2);
      if (out[i] == 2) {
        ++a.undecided;
        continue;
      }
      ++a.decided;
      const ex::value expected = compiled.program->evaluate(bind_row(d, t, first + i));
      BOOST_REQUIRE_MESSAGE(expected.is_bool() && expected.as_bool() == (out[i] == 1),
                            source << ", row " << first + i << ": columnar " << int(out[i])
                                   << ", interpreter " << expected.debug_string());
    }
  }
  return a;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(expr_columns)

BOOST_AUTO_TEST_CASE(every_kernel_agrees_with_the_interpreter) {
  const table t = make_table(3000, 11);
  const std::vector<std::string> sources = {
      "amount > 500.0",
      "amount >= threshold",
      "500 < amount",
      "amount == 500.0 || amount != 100.0",
      "count >= 3",
      "count == 2",
      "count < 2.5",
      "flag",
      "!flag",
      "flag == true",
      "flag != (amount > 0.0)",
      "since < as_of",
      "since == as_of",
      "months_between(since, as_of) < 12",
      "months_between(since, as_of) >= 24 || flag",
      "months_between(as_of, since) > -12",
      "months_between(since, since) == 0",
      "category in [\"gov\", \"big\", 3]",
      "category == \"gov\"",
      "\"other\" != category",
      "count in [1, 2.0, \"x\"]",
      "size(s) > 0",
      "s.size() >= 7",
      "s.last(3).all(x, x > 49.5)",
      "s.last(0).all(x, x > 49.5)",
      "s.last(100).exists(x, x <= 0.0)",
      "s.all(x, x > 0.0)",
      "s.all(x, x < 80.0)",
      "s.exists(x, x >= 80.0)",
      "s.last(5).all(x, x <= 50.0)",
      "s.last(9).exists(x, x < 10.0)",
      "s.exists_one(x, x < 0.0)",
      "s.count(x, x >= 50) >= 2",
      "s.longest_run(x, x > 10.0) > 3",
      "s.trailing(x, x > 50.0) >= 3",
      "s.trailing(x, x > 50.0) > 2.5",
      "s.trailing(x, x > 50.0) >= 0",
      "s.trailing(x, x > 10.0) >= 1",
      "s.trailing(x, x < 60.0) > 1",
      "s.trailing(x, x >= 0.0) >= 4",
      "s.trailing(x, x > 10.0) >= 5",
      "3 <= s.trailing(x, x >= 50.0)",
      "2 < s.trailing(x, 50.0 <= x)",
      "s.trailing(x, x > 50.0) == 2",
      "s.trailing(x, x > 50.0) < 3",
      "category in [\"gov\"] && size(s) > 0 && s.last(12).all(x, x > 0.0)",
      "amount > 500.0 || s.trailing(x, x > 50.0) >= 3 || "
      "(months_between(since, as_of) < 12 && s.trailing(x, x > 30.0) >= 3)",
  };
  std::size_t decided = 0, total = 0;
  for (const auto& src : sources) {
    const agreement a = check_agrees(src, t);
    decided += a.decided;
    total += a.decided + a.undecided;
  }
  // Absent values leave some rows undecided, but most rows must be decided in columns.
  BOOST_TEST(decided > total * 3 / 4);
}

// months_between(date, constant) compared with a number becomes one comparison of the date
// with a bound day: every day over five years around as_of (month ends, 29 February), the first
// and last valid days, and days outside 0001..9999 (left undecided), against the interpreter.
BOOST_AUTO_TEST_CASE(months_between_a_constant_compared_with_a_number_agrees_on_every_day) {
  const std::int32_t as_of = table{}.as_of.days_since_epoch();
  std::vector<std::int32_t> days;
  for (std::int32_t d = as_of - 3 * 366; d <= as_of + 2 * 366; ++d) days.push_back(d);
  for (std::int32_t d :
       {ex::date::earliest_days, ex::date::earliest_days + 40, ex::date::latest_days - 40,
        ex::date::latest_days, ex::date::earliest_days - 1, ex::date::latest_days + 1, INT32_MAX})
    days.push_back(d);
  table t = make_table(days.size(), 2);
  t.since = days;
  const std::vector<std::string> sources = {
      "months_between(since, as_of) < 12",
      "months_between(since, as_of) <= 12",
      "months_between(since, as_of) > 12",
      "months_between(since, as_of) >= 12",
      "months_between(since, as_of) < 11.5",
      "months_between(since, as_of) >= 11.5",
      "months_between(since, as_of) > -7",
      "months_between(since, as_of) <= 0",
      "months_between(since, as_of) < -1.0e12",
      "months_between(since, as_of) >= -1.0e12",
      "months_between(since, as_of) > 1.0e12",
      "12 > months_between(since, as_of)",
      "24.0 <= months_between(since, as_of)",
      "months_between(since, date('2024-02-29')) < 1",
      "months_between(since, date('2024-01-31')) >= 13",
      "months_between(since, as_of) == 12",
      "months_between(since, as_of) != 12",
  };
  for (const auto& src : sources) {
    const agreement a = check_agrees(src, t);
    // Only the three days outside 0001..9999 are undecided (no date value holds them).
    BOOST_TEST(a.undecided == 3u, src);
    BOOST_TEST(a.decided == days.size() - 3, src);
  }
}

BOOST_AUTO_TEST_CASE(absent_values_are_undecided_unless_the_other_operand_decides) {
  table t = make_table(4, 3);
  t.amount = {not_a_number, not_a_number, 600.0, 100.0};
  t.flag = {0, 1, 0, 1};
  const ex::declarations d = declarations();
  const ex::column_bindings cols = bind_columns(t);
  auto compile = [&](const std::string& s) { return *ex::compile(s, d).program; };
  std::vector<std::uint8_t> out(4);
  ex::vectorize(compile("amount > 500.0"), cols)->evaluate(0, 4, out.data());
  BOOST_TEST(out == (std::vector<std::uint8_t>{2, 2, 1, 0}), boost::test_tools::per_element());
  // CEL's commutative ||: a true operand decides even when the other is an error.
  ex::vectorize(compile("amount > 500.0 || flag"), cols)->evaluate(0, 4, out.data());
  BOOST_TEST(out == (std::vector<std::uint8_t>{2, 1, 1, 1}), boost::test_tools::per_element());
  ex::vectorize(compile("flag && amount > 500.0"), cols)->evaluate(0, 4, out.data());
  BOOST_TEST(out == (std::vector<std::uint8_t>{0, 2, 0, 0}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(rows_beyond_the_iteration_budget_are_left_to_the_interpreter) {
  const table t = make_table(500, 5);
  // Two comprehensions share a budget of 10: a row of 8 values cannot be decided in columns
  // (the interpreter may run out), a row of 5 or fewer can.
  const agreement a = check_agrees("s.all(x, x > 0.0) || s.exists(x, x > 60.0)", t, 10);
  BOOST_TEST(a.undecided > 0u);
  BOOST_TEST(a.decided > 0u);
  for (std::size_t r = 0; r < t.rows; ++r) BOOST_TEST_REQUIRE(t.lengths[r] <= 8);
}

BOOST_AUTO_TEST_CASE(programs_outside_the_columnar_subset_are_refused) {
  const table t = make_table(10, 1);
  const ex::declarations d = declarations();
  const ex::column_bindings cols = bind_columns(t);
  for (const std::string src :
       {"amount + 1.0 > 2.0", "category < \"m\"", "category.startsWith(\"g\")",
        "s.map(x, x * 2.0).size() > 1", "s.all(x, x > amount)", "s.last(-1).size() == 0",
        "flag ? amount > 1.0 : true", "size(category) > 2", "count"}) {
    auto compiled = ex::compile(src, d);
    if (!compiled.ok()) continue;  // "count" is not a bool: the checker may refuse it already
    BOOST_TEST_CONTEXT(src) { BOOST_TEST(!ex::vectorize(*compiled.program, cols).has_value()); }
  }
  // A variable without a column or value has no columnar form either.
  ex::column_bindings partial(7);
  partial.set_column(0, {ex::column_layout::float64, t.amount.data()});
  BOOST_TEST(!ex::vectorize(*ex::compile("flag", d).program, partial).has_value());
  BOOST_TEST(ex::vectorize(*ex::compile("amount > 1.0", d).program, partial).has_value());
}

BOOST_AUTO_TEST_CASE(bindings_and_chunks_are_checked) {
  ex::column_bindings cols(2);
  BOOST_CHECK_THROW(cols.set_value(2, ex::value::int64(1)), std::out_of_range);
  BOOST_CHECK_THROW((void)cols.at(5), std::out_of_range);
  const table t = make_table(ex::vector_program::chunk + 1, 2);
  const ex::declarations d = declarations();
  const ex::column_bindings all = bind_columns(t);
  auto vp = ex::vectorize(*ex::compile("flag", d).program, all);
  BOOST_REQUIRE(vp.has_value());
  std::vector<std::uint8_t> out(ex::vector_program::chunk + 1);
  BOOST_CHECK_THROW(vp->evaluate(0, ex::vector_program::chunk + 1, out.data()),
                    std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
