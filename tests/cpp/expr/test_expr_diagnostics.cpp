// Compile-time diagnostics: stable codes, 1-based line/column within the expression, 0-based
// byte offsets, and the limits (length, depth) as clear errors.
#include <boost/test/unit_test.hpp>
#include <string>

#include "keyaccount/expr.hpp"

namespace ex = keyaccount::expr;

namespace {

std::vector<ex::diagnostic> problems(const std::string& source,
                                     const ex::compile_options& options = {}) {
  ex::declarations decls;
  decls.add_variable("amount", ex::type::float64());
  decls.add_variable("name", ex::type::string());
  decls.add_variable("profile", ex::type::object("profile", {{"updated_on", ex::type::date()},
                                                             {"address", ex::type::string()}}));
  auto r = ex::compile(source, decls, options);
  BOOST_TEST(r.ok() == r.diagnostics.empty());
  return r.diagnostics;
}

std::string first_code(const std::string& source, const ex::compile_options& options = {}) {
  auto d = problems(source, options);
  BOOST_REQUIRE_MESSAGE(!d.empty(), "expected a diagnostic for: " + source);
  return d[0].code;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(expr_diagnostics)

BOOST_AUTO_TEST_CASE(codes) {
  BOOST_TEST(first_code("1 +") == "parse_error");
  BOOST_TEST(first_code("(1") == "parse_error");
  BOOST_TEST(first_code("a = 1") == "parse_error");
  BOOST_TEST(first_code("'unterminated") == "parse_error");
  BOOST_TEST(first_code("'\\q'") == "invalid_literal");
  BOOST_TEST(first_code("9223372036854775808") == "invalid_literal");
  BOOST_TEST(first_code("1u") == "unsupported_feature");
  BOOST_TEST(first_code("b'abc'") == "unsupported_feature");
  BOOST_TEST(first_code("if") == "reserved_identifier");
  BOOST_TEST(first_code("amout > 1.0") == "undeclared_reference");
  BOOST_TEST(first_code("nosuch(1)") == "undeclared_reference");
  BOOST_TEST(first_code("name + 1") == "no_matching_overload");
  BOOST_TEST(first_code("profile.adress") == "undefined_field");
  BOOST_TEST(first_code("amount.x") == "unsupported_selection");
  BOOST_TEST(first_code("1.all(x, x)") == "type_mismatch");
  BOOST_TEST(first_code("has(amount)") == "invalid_macro");
  BOOST_TEST(first_code("[1].all(1, true)") == "invalid_macro");
}

BOOST_AUTO_TEST_CASE(positions_are_within_the_expression) {
  auto d = problems("amount > 1.0 &&\n  nme == 'x'");
  BOOST_REQUIRE_EQUAL(d.size(), 1u);
  BOOST_TEST(d[0].code == "undeclared_reference");
  BOOST_TEST(d[0].line == 2u);
  BOOST_TEST(d[0].column == 3u);
  BOOST_TEST(d[0].offset == 18u);
  BOOST_TEST(d[0].message.find("nme") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(columns_count_code_points) {
  auto d = problems("'é' + nme");
  BOOST_REQUIRE_EQUAL(d.size(), 1u);
  BOOST_TEST(d[0].column == 7u);  // ' é ' space + space: 6 code points before
  BOOST_TEST(d[0].offset == 7u);  // é is two bytes
}

BOOST_AUTO_TEST_CASE(every_type_problem_is_reported) {
  auto d = problems("nme == 'x' || amount + 'a' > 1.0 || profile.adress == ''");
  BOOST_REQUIRE_EQUAL(d.size(), 3u);
  BOOST_TEST(d[0].code == "undeclared_reference");
  BOOST_TEST(d[1].code == "no_matching_overload");
  BOOST_TEST(d[2].code == "undefined_field");
  BOOST_TEST(d[0].offset < d[1].offset);
  BOOST_TEST(d[1].offset < d[2].offset);
}

BOOST_AUTO_TEST_CASE(length_limit) {
  ex::compile_options options;
  options.max_expression_length = 10;
  BOOST_TEST(first_code("1 + 2 + 3 + 4", options) == "expression_too_long");
  BOOST_TEST(problems("1 + 2", options).empty());
}

BOOST_AUTO_TEST_CASE(depth_limit) {
  ex::compile_options options;
  options.max_ast_depth = 20;
  BOOST_TEST(first_code(std::string(50, '(') + "1" + std::string(50, ')'), options) ==
             "nesting_too_deep");
  BOOST_TEST(first_code(std::string(50, '[') + std::string(50, ']'), options) ==
             "nesting_too_deep");
  std::string chain = "1";
  for (int i = 0; i < 50; ++i) chain += " + 1";
  BOOST_TEST(first_code(chain, options) == "nesting_too_deep");
  BOOST_TEST(first_code(std::string(50, '-') + "1", options) == "nesting_too_deep");
  // && and || chains are balanced, so long ones stay shallow.
  std::string conj = "true";
  for (int i = 0; i < 500; ++i) conj += " && true";
  BOOST_TEST(problems(conj, options).empty());
}

BOOST_AUTO_TEST_CASE(unchecked_mode_defers_names_to_run_time) {
  ex::compile_options options;
  options.check_types = false;
  auto r = ex::compile("x + 1", ex::declarations{}, options);
  BOOST_REQUIRE(r.ok());
  BOOST_TEST(r.program->variable_names().size() == 1u);
  ex::activation vars(*r.program);
  BOOST_TEST(r.program->evaluate(vars).is_error());  // unbound
  vars.set("x", ex::value::int64(41));
  BOOST_TEST(r.program->evaluate(vars).as_int() == 42);
  BOOST_TEST(r.program->result_type().to_string() == "dyn");
}

BOOST_AUTO_TEST_CASE(format_lists_each_problem) {
  auto text = ex::format_diagnostics(problems("nme"));
  BOOST_TEST(text ==
             "1:1: undeclared reference to 'nme' (did you mean `name`?) [undeclared_reference]\n");
}

BOOST_AUTO_TEST_CASE(misspelt_names_and_fields_get_a_suggestion) {
  auto message = [](const std::string& source) {
    auto d = problems(source);
    BOOST_REQUIRE_MESSAGE(!d.empty(), "expected a diagnostic for: " + source);
    return d[0].message;
  };
  BOOST_TEST(message("amout > 1.0") == "undeclared reference to 'amout' (did you mean `amount`?)");
  BOOST_TEST(message("profile.updatd_on < date('2026-01-01')") ==
             "'profile' has no field 'updatd_on' (did you mean `updated_on`?)");
  BOOST_TEST(message("[1.0].all(item, itme > 0.0)") ==
             "undeclared reference to 'itme' (did you mean `item`?)");
  // Nothing close enough: no guess.
  BOOST_TEST(message("zzz > 1.0") == "undeclared reference to 'zzz'");
  BOOST_TEST(message("profile.phone == ''") == "'profile' has no field 'phone'");
}

BOOST_AUTO_TEST_SUITE_END()
