// Values (borrowed and owned), JSON conversions, types, and the program's run-time guarantees:
// allocation-free scalar evaluation, thread-safe sharing, bounded comprehensions and regexes.
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <cstdlib>
#include <new>
#include <thread>

#include "keyaccount/expr.hpp"

namespace ex = keyaccount::expr;
using nlohmann::json;

// The replacement operator new/delete below pair malloc with free; GCC's inliner cannot see
// that and warns about a mismatch at every inlined delete in this file.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

// Counts heap allocations made on the current thread while `counting` is set, to prove that the
// hot path allocates nothing. Replacing the global operator new is allowed by the standard.
namespace {
thread_local bool counting = false;
thread_local std::size_t allocations = 0;
}  // namespace

void* operator new(std::size_t size) {
  if (counting) ++allocations;
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
// Every form must be replaced together: otherwise (say) the library's nothrow new comes from the
// runtime while its delete comes from here, which AddressSanitizer rightly calls a mismatch.
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  if (counting) ++allocations;
  return std::malloc(size ? size : 1);
}
void* operator new[](std::size_t size) { return operator new(size); }
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept {
  return operator new(size, tag);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

namespace {

ex::value eval(const std::string& source) {
  auto compiled = ex::compile(source, ex::declarations{});
  BOOST_REQUIRE_MESSAGE(compiled.ok(),
                        source + ": " + ex::format_diagnostics(compiled.diagnostics));
  return compiled.program->evaluate(ex::activation{});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(expr_values)

BOOST_AUTO_TEST_CASE(borrowed_series_is_not_copied) {
  std::vector<double> column = {1, 2, 3, 4};
  ex::value v = ex::value::borrowed_doubles(column);
  auto l = v.as_list();
  BOOST_TEST(l.doubles().data() == column.data());
  ex::value tail = ex::slice_list(v, 2, 2);
  BOOST_TEST(tail.as_list().doubles().data() == column.data() + 2);
  column[3] = 40;  // the view sees the caller's data
  BOOST_TEST(tail.as_list()[1].as_double() == 40.0);
  ex::value owned = v.to_owned();
  column[0] = -1;
  BOOST_TEST(owned.as_list()[0].as_double() == 1.0);
}

BOOST_AUTO_TEST_CASE(equality_and_maps) {
  BOOST_TEST(ex::equals(ex::value::int64(1), ex::value::float64(1.0)));
  BOOST_TEST(!ex::equals(ex::value::string("1"), ex::value::int64(1)));
  BOOST_TEST(ex::equals(ex::value::double_list({1, 2}), eval("[1, 2]")));
  ex::value m = ex::value::map({{ex::value::string("a"), ex::value::int64(1)},
                                {ex::value::int64(2), ex::value::boolean(true)}});
  BOOST_REQUIRE(m.is_map());
  BOOST_TEST(m.find(ex::value::float64(2.0))->as_bool());
  BOOST_TEST(m.find_field("a")->as_int() == 1);
  BOOST_TEST(ex::value::map({{ex::value::int64(1), ex::value::null()},
                             {ex::value::int64(1), ex::value::null()}})
                 .is_error());
  BOOST_TEST(eval("{1: 'a', 1: 'b'}").is_error());
  BOOST_TEST(eval("{dyn(1.5): 'a'}").is_error());
}

BOOST_AUTO_TEST_CASE(large_maps_are_indexed) {
  std::string source = "{";
  for (int i = 0; i < 100; ++i)
    source += (i ? ", " : "") + std::to_string(i) + ": " + std::to_string(i * i);
  source += "}[99]";
  BOOST_TEST(eval(source).as_int() == 9801);
}

BOOST_AUTO_TEST_CASE(json_round_trip) {
  json j = json::parse(R"({"n": 1, "x": 2.5, "s": "t", "b": true, "z": null, "l": [1, 2.0]})");
  ex::value v = ex::from_json(j);
  BOOST_TEST(v.find_field("n")->is_int());
  BOOST_TEST(v.find_field("x")->is_double());
  BOOST_TEST(ex::to_json(v) == j);
  ex::value d = ex::from_json(json("2024-02-29"), ex::type::date());
  BOOST_TEST(d.is_date());
  BOOST_TEST(ex::to_json(d) == json("2024-02-29"));
  ex::value series = ex::from_json(json::parse("[1, 2.5]"), *ex::type::parse("list(double)"));
  BOOST_TEST((series.as_list().storage_kind() == ex::list_view::storage::doubles));
  BOOST_CHECK_THROW(ex::from_json(json("x"), ex::type::int64()), std::invalid_argument);
  BOOST_CHECK_THROW(ex::from_json(json("2024-02-30"), ex::type::date()), std::invalid_argument);
  BOOST_CHECK_THROW(ex::to_json(ex::value::error("boom")), std::invalid_argument);
  BOOST_TEST(ex::to_json(ex::value::float64(NAN)) == json("NaN"));
}

BOOST_AUTO_TEST_CASE(type_text) {
  for (const char* text : {"int", "double", "string", "bool", "date", "dyn", "list(double)",
                           "map(string, int)", "list(map(string, list(int)))"}) {
    auto t = ex::type::parse(text);
    BOOST_REQUIRE_MESSAGE(t, text);
    BOOST_TEST(t->to_string() == text);
  }
  BOOST_TEST(!ex::type::parse("list(").has_value());
  BOOST_TEST(!ex::type::parse("int int").has_value());
  BOOST_TEST(!ex::type::parse(std::string(100, '(')).has_value());
}

BOOST_AUTO_TEST_CASE(declarations_reject_misuse) {
  ex::declarations d;
  d.add_variable("x", ex::type::int64());
  BOOST_CHECK_THROW(d.add_variable("x", ex::type::int64()), std::invalid_argument);
  BOOST_CHECK_THROW(d.add_constant("x", ex::value::int64(1)), std::invalid_argument);
  BOOST_CHECK_THROW(d.add_variable("not a name", ex::type::int64()), std::invalid_argument);
  ex::activation a(d);
  BOOST_CHECK_THROW(a.set("y", ex::value::int64(1)), std::out_of_range);
  BOOST_CHECK_THROW(a.set(5, ex::value::int64(1)), std::out_of_range);
}

BOOST_AUTO_TEST_CASE(scalar_evaluation_allocates_nothing) {
  ex::declarations decls;
  decls.add_variable("cumulative_amount", ex::type::float64());
  decls.add_variable("monthly_shipments", ex::type::list(ex::type::float64()));
  decls.add_constant("params", ex::value::object("params", {{"min", ex::value::float64(500)}}));
  auto compiled = ex::compile(
      "cumulative_amount > params.min && monthly_shipments.last(3).all(x, x > 50.0) && "
      "monthly_shipments.trailing(x, x > 10.0) >= 3 && monthly_shipments.sum() > 0.0",
      decls);
  BOOST_REQUIRE(compiled.ok());
  std::vector<double> series(36, 60.0);
  ex::activation vars(decls);
  vars.set(0, ex::value::float64(600.0));
  vars.set(1, ex::value::borrowed_doubles(series));
  ex::value result;
  allocations = 0;
  counting = true;
  for (int i = 0; i < 100; ++i) result = compiled.program->evaluate(vars);
  counting = false;
  BOOST_TEST(result.as_bool());
  BOOST_TEST(allocations == 0u);
}

BOOST_AUTO_TEST_CASE(programs_are_shared_between_threads) {
  ex::declarations decls;
  decls.add_variable("s", ex::type::list(ex::type::float64()));
  auto compiled = ex::compile("s.map(x, x * 2.0).filter(x, x > 10.0).sum()", decls);
  BOOST_REQUIRE(compiled.ok());
  const ex::program program = *compiled.program;  // copies share the plan
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      std::vector<double> s = {1.0 * t, 10, 20};
      ex::activation vars(decls);
      vars.set(0, ex::value::borrowed_doubles(s));
      for (int i = 0; i < 2000; ++i) {
        ex::value v = program.evaluate(vars);
        if (!v.is_double() || v.as_double() != 60.0) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  BOOST_TEST(wrong.load() == 0);
}

BOOST_AUTO_TEST_CASE(comprehension_iterations_are_bounded) {
  ex::compile_options options;
  options.max_comprehension_iterations = 1000;
  auto r = ex::compile(
      "[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, "
      "[1,2,3,4,5,6,7,8,9,10].all(c, a + b + c > 0)))",
      ex::declarations{}, options);
  BOOST_REQUIRE(r.ok());
  ex::value v = r.program->evaluate(ex::activation{});
  BOOST_REQUIRE(v.is_error());
  BOOST_TEST(std::string(v.error_message()).find("iteration limit") != std::string::npos);
  options.max_comprehension_iterations = 2000;
  BOOST_TEST(ex::compile("[1,2,3].all(a, a > 0)", ex::declarations{}, options)
                 .program->evaluate(ex::activation{})
                 .as_bool());
}

BOOST_AUTO_TEST_CASE(regular_expressions_are_bounded) {
  BOOST_TEST(eval("'abc'.matches('^a.c$')").as_bool());
  BOOST_TEST(eval("'abc'.matches('(')").is_error());
  BOOST_TEST(eval("'aaaa'.matches('(a+)+$')").as_bool());       // RE2: no catastrophic backtracking
  BOOST_TEST(eval("'a'.matches('a{1000}{1000}')").is_error());  // program too large
  ex::declarations decls;
  decls.add_variable("p", ex::type::string());
  auto r = ex::compile("'abc'.matches(p)", decls);
  BOOST_REQUIRE(r.ok());
  ex::activation vars(decls);
  vars.set(0, ex::value::string("b+"));
  BOOST_TEST(r.program->evaluate(vars).as_bool());
  vars.set(0, ex::value::string("[a-z]{1000}{1000}"));
  BOOST_TEST(r.program->evaluate(vars).is_error());
}

BOOST_AUTO_TEST_CASE(syntax_corners) {
  BOOST_TEST(eval("r'\\n' == '\\\\n'").as_bool());
  BOOST_TEST(eval("'''a\nb''' == \"a\\nb\"").as_bool());
  BOOST_TEST(eval("'\\x41\\101\\u0041\\U00000041' == 'AAAA'").as_bool());
  BOOST_TEST(eval("// comment\n 1 + 1 // another").as_int() == 2);
  BOOST_TEST(eval("[1, 2, 3,].size() == 3").as_bool());
  BOOST_TEST(eval("{'a': 1,}.a").as_int() == 1);
  BOOST_TEST(eval("has({'a': 1}.a) && !has({'a': 1}.b)").as_bool());
  BOOST_TEST(eval("[1, 2, 3].map(x, x > 1, x * 10) == [20, 30]").as_bool());
  BOOST_TEST(eval("1 < 2 ? 'y' : 'n'").as_string() == "y");
  BOOST_TEST(eval("-9223372036854775808").as_int() == std::numeric_limits<std::int64_t>::min());
  BOOST_TEST(eval(".5 + 1e1").as_double() == 10.5);
  BOOST_TEST(eval("string(1e20)").as_string() == "1e+20");
}

// string(double) writes what Google's runtimes write (tests/python/expr/cel_differential.py found
// the plain "2147483647" where cel-cpp and cel-go write "2.147483647e+09"): the shortest digits in
// printf's %g layout. Non-finite values keep keyaccount's spelling (docs/cel.md).
BOOST_AUTO_TEST_CASE(string_of_a_double_is_laid_out_as_cel_cpp_lays_it_out) {
  const std::pair<const char*, const char*> cases[] = {
      {"string(2147483647.0)", "2.147483647e+09"},
      {"string(1234567.0)", "1.234567e+06"},
      {"string(123456.0)", "123456"},
      {"string(0.0001)", "0.0001"},
      {"string(0.00001)", "1e-05"},
      {"string(0.1 + 0.2)", "0.30000000000000004"},
      {"string(-0.0)", "-0"},
      {"string(1.0 / 0.0)", "Infinity"},
      {"string(0.0 / 0.0)", "NaN"},
  };
  for (const auto& [source, text] : cases) BOOST_TEST(eval(source).as_string() == text, source);
}

BOOST_AUTO_TEST_SUITE_END()
