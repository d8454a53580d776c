// Robustness: thousands of truncated, shuffled, random and randomly generated expressions
// (deterministic seed, bounded time). Each must end in a program or diagnostics, and each
// program in a value or an error value: never a crash, a hang or unbounded memory. Also runs
// under the asan preset.
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "keyaccount/expr.hpp"
#include "shared_checks.hpp"  // fuzz/: the CEL fuzz target's variables

namespace ex = keyaccount::expr;

namespace {

const std::vector<std::string> seeds = {
    "category in [\"government\", \"large_enterprise\", \"monopoly\"]",
    "size(l) > 0 && l.last(12).all(v, v > 0.0)",
    "l.trailing(v, v > 50.0) >= 3 || months_between(dt, date('2025-01-31')) < 12",
    "min([size(l), 12]) + x * 2 - x / 3 % 5",
    "{'a': [1, 2.5, 'x'], 'b': {1: true}}['a'][1] == 2.5 ? s + 'y' : string(d)",
    "m.exists(k, k.startsWith('a') && m[k] > 1) && has(m.a)",
    "l.map(v, v * 2.0).filter(v, v > 1.0).exists_one(v, v == 4.0)",
    "s.matches('^[a-z]+(\\\\d{2})?$') && r'raw\\n' != '''tri\nple''' && \"\\u00e9\\x41\\101\" != "
    "''",
    "int('12') + int(3.7) + double('1e3') > 0.0 ? bool('true') : dyn(null) == null",
    "-9223372036854775808 - 1 == 0x7fffffffffffffff + 1 || 1 / 0 == 2 % 0",
    "dt.add_months(13).add_days(-400).year() * 10000 + dt.month() * 100 + dt.day()",
    "l.longest_run(v, v >= 0.0) + l.count(v, v != v) + l.sum() + l.mean() + l.max() - l.min()",
};

const std::vector<std::string> fragments = {"x",
                                            "d",
                                            "s",
                                            "l",
                                            "m",
                                            "dt",
                                            "category",
                                            "1",
                                            "-1",
                                            "0.5",
                                            "1e308",
                                            "'a'",
                                            "\"b\"",
                                            "r'c'",
                                            "true",
                                            "false",
                                            "null",
                                            "[",
                                            "]",
                                            "{",
                                            "}",
                                            "(",
                                            ")",
                                            ".",
                                            ",",
                                            ":",
                                            "?",
                                            "+",
                                            "-",
                                            "*",
                                            "/",
                                            "%",
                                            "!",
                                            "<",
                                            "<=",
                                            ">",
                                            ">=",
                                            "==",
                                            "!=",
                                            "&&",
                                            "||",
                                            "in",
                                            "size",
                                            "all",
                                            "exists",
                                            "map",
                                            "filter",
                                            "has",
                                            "trailing",
                                            "last",
                                            "sum",
                                            "date",
                                            "'2024-02-29'",
                                            "matches",
                                            "v",
                                            "9223372036854775807",
                                            "\\",
                                            "'''",
                                            "\"",
                                            "0x",
                                            "1u",
                                            "b'",
                                            "if",
                                            " ",
                                            "\n",
                                            "//",
                                            "é",
                                            "\xff"};

class generator {
 public:
  explicit generator(std::mt19937& rng) : rng_(rng) {}

  std::string expr(int depth) {
    if (depth <= 0) return leaf();
    switch (pick(14)) {
      case 0:
        return leaf();
      case 1:
        return "(" + expr(depth - 1) + " " + binary_op() + " " + expr(depth - 1) + ")";
      case 2:
        return std::string(pick(2) ? "!" : "-") + expr(depth - 1);
      case 3:
        return expr(depth - 1) + " ? " + expr(depth - 1) + " : " + expr(depth - 1);
      case 4:
        return "[" + expr(depth - 1) + ", " + expr(depth - 1) + "]";
      case 5:
        return "{" + expr(depth - 1) + ": " + expr(depth - 1) + "}";
      case 6:
        return expr(depth - 1) + "[" + expr(depth - 1) + "]";
      case 7: {
        static const char* fns[] = {"size", "int", "double", "string", "bool", "dyn",
                                    "date", "sum", "min",    "max",    "mean"};
        return std::string(fns[pick(11)]) + "(" + expr(depth - 1) + ")";
      }
      case 8: {
        static const char* fns[] = {"months_between", "days_between", "matches"};
        return std::string(fns[pick(3)]) + "(" + expr(depth - 1) + ", " + expr(depth - 1) + ")";
      }
      case 9: {
        static const char* methods[] = {"contains", "startsWith", "endsWith",  "matches",
                                        "last",     "add_days",   "add_months"};
        return expr(depth - 1) + "." + methods[pick(7)] + "(" + expr(depth - 1) + ")";
      }
      case 10: {
        static const char* methods[] = {"size", "sum",  "min",   "max",
                                        "mean", "year", "month", "day"};
        return expr(depth - 1) + "." + methods[pick(8)] + "()";
      }
      case 11: {
        static const char* macros[] = {"all",    "exists",   "exists_one",  "map",
                                       "filter", "trailing", "longest_run", "count"};
        return expr(depth - 1) + "." + macros[pick(8)] + "(v, " + expr(depth - 1) + ")";
      }
      case 12:
        return "has(" + expr(depth - 1) + ".a)";
      default:
        return expr(depth - 1) + ".a";
    }
  }

 private:
  std::mt19937& rng_;
  std::size_t pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }
  std::string binary_op() {
    static const char* ops[] = {
        "+", "-", "*", "/", "%", "<", "<=", ">", ">=", "==", "!=", "&&", "||", "in"};
    return ops[pick(14)];
  }
  std::string leaf() {
    static const char* leaves[] = {"x",
                                   "d",
                                   "s",
                                   "l",
                                   "m",
                                   "dt",
                                   "v",
                                   "0",
                                   "1",
                                   "-7",
                                   "9223372036854775807",
                                   "2.5",
                                   "0.0",
                                   "-1e300",
                                   "'abc'",
                                   "''",
                                   "'a+'",
                                   "'('",
                                   "true",
                                   "false",
                                   "null",
                                   "[]",
                                   "{}",
                                   "[1.0, 2.0, 3.0]",
                                   "{'a': 1}",
                                   "'2024-01-31'",
                                   "date('2024-02-29')",
                                   "0.0/0.0"};
    return leaves[pick(sizeof leaves / sizeof *leaves)];
  }
};

struct fuzz_env {
  ex::declarations decls;
  std::vector<double> series = {1.5, -2.0, 0.0, 60.0, 70.0, 1e300};
  ex::activation vars;

  fuzz_env() {
    fuzz::declare_cel_variables(decls);
    vars = ex::activation(decls);
    vars.set("x", ex::value::int64(7));
    vars.set("d", ex::value::float64(-0.5));
    vars.set("s", ex::value::string("abc"));
    vars.set("l", ex::value::borrowed_doubles(series));
    vars.set("m", ex::value::map({{ex::value::string("a"), ex::value::int64(2)}}));
    vars.set("dt", ex::value::from_date(*ex::date::parse("2024-01-31")));
    vars.set("category", ex::value::string("monopoly"));
  }
};

struct fuzz_stats {
  std::size_t inputs = 0, compiled = 0, values = 0, errors = 0;
};

// Compiles (checked and unchecked) and evaluates one input; checks the invariants.
void exercise(const std::string& source, fuzz_env& env, fuzz_stats& stats) {
  ++stats.inputs;
  for (bool checked : {true, false}) {
    ex::compile_options options;
    options.check_types = checked;
    options.max_comprehension_iterations = 10'000;
    auto r = ex::compile(source, env.decls, options);
    if (!r.ok()) {
      BOOST_REQUIRE(!r.diagnostics.empty());
      for (const auto& d : r.diagnostics) {
        BOOST_REQUIRE(!d.code.empty());
        BOOST_REQUIRE(!d.message.empty());
        BOOST_REQUIRE(d.offset <= source.size());
        BOOST_REQUIRE(d.line >= 1 && d.column >= 1);
      }
      continue;
    }
    ++stats.compiled;
    ex::activation vars = env.vars;
    if (!checked) {
      // Unchecked programs may name undeclared variables: give them their own activation.
      vars = ex::activation(*r.program);
      for (std::size_t i = 0; i < env.decls.variables().size(); ++i) vars.set(i, *env.vars.get(i));
    }
    ex::value v = r.program->evaluate(vars);
    if (v.is_error()) {
      ++stats.errors;
      BOOST_REQUIRE(!v.error_message().empty());
    } else {
      ++stats.values;
      (void)v.debug_string();
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(expr_fuzz)

BOOST_AUTO_TEST_CASE(hostile_inputs_end_in_a_value_or_an_error) {
  auto start = std::chrono::steady_clock::now();
  std::mt19937 rng(20261127);
  fuzz_env env;
  fuzz_stats stats;

  for (const auto& seed : seeds) {
    exercise(seed, env, stats);
    for (std::size_t cut = 0; cut < seed.size(); cut += 3)
      exercise(seed.substr(0, cut), env, stats);
    for (int i = 0; i < 40; ++i) {
      std::string shuffled = seed;
      std::shuffle(shuffled.begin(), shuffled.end(), rng);
      exercise(shuffled.substr(0, rng() % (shuffled.size() + 1)), env, stats);
      // Single-character mutations keep most of the structure.
      std::string mutated = seed;
      mutated[rng() % mutated.size()] = static_cast<char>(32 + rng() % 95);
      exercise(mutated, env, stats);
    }
  }
  for (int i = 0; i < 1500; ++i) {
    std::string soup;
    std::size_t n = 1 + rng() % 12;
    for (std::size_t k = 0; k < n; ++k)
      soup += fragments[rng() % fragments.size()] + (rng() % 3 ? "" : " ");
    exercise(soup, env, stats);
  }
  for (int i = 0; i < 300; ++i) {
    std::string bytes;
    std::size_t n = rng() % 40;
    for (std::size_t k = 0; k < n; ++k) bytes += static_cast<char>(rng() % 256);
    exercise(bytes, env, stats);
  }
  generator gen(rng);
  for (int i = 0; i < 3000; ++i) exercise(gen.expr(1 + static_cast<int>(rng() % 5)), env, stats);
  // Hostile shapes: deep nesting and long inputs are refused with diagnostics, not a crash.
  exercise(std::string(100000, '('), env, stats);
  exercise(std::string(200001, '1'), env, stats);
  exercise(std::string(5000, '!') + "true", env, stats);
  exercise("[" + std::string(3000, '[') + "]", env, stats);

  auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  BOOST_TEST_MESSAGE("fuzz: " << stats.inputs << " inputs, " << stats.compiled << " compiled, "
                              << stats.values << " values, " << stats.errors << " errors, "
                              << elapsed << " s");
  // The generators must actually reach the evaluator, both ways, or this test proves nothing.
  BOOST_TEST(stats.inputs > 5000u);
  BOOST_TEST(stats.compiled > 1000u);
  BOOST_TEST(stats.values > 500u);
  BOOST_TEST(stats.errors > 100u);
  BOOST_TEST(elapsed < 240.0);
}

BOOST_AUTO_TEST_SUITE_END()
