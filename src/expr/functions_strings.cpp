// String functions: contains, startsWith, endsWith, matches.
#include "functions.hpp"
#include "regex.hpp"

namespace keyaccount::expr::detail {

namespace {

bool strings2(const value* a, std::size_t n) {
  return n == 2 && a[0].is_string() && a[1].is_string();
}

value contains(const value* a, std::size_t n, const eval_context&) {
  if (!strings2(a, n)) return no_such_overload("contains", a, n);
  return value::boolean(a[0].as_string().find(a[1].as_string()) != std::string_view::npos);
}
value starts_with(const value* a, std::size_t n, const eval_context&) {
  if (!strings2(a, n)) return no_such_overload("startsWith", a, n);
  return value::boolean(a[0].as_string().starts_with(a[1].as_string()));
}
value ends_with(const value* a, std::size_t n, const eval_context&) {
  if (!strings2(a, n)) return no_such_overload("endsWith", a, n);
  return value::boolean(a[0].as_string().ends_with(a[1].as_string()));
}
value matches(const value* a, std::size_t n, const eval_context& ctx) {
  if (!strings2(a, n)) return no_such_overload("matches", a, n);
  // Patterns known at compile time are precompiled by the planner; this is the dynamic case.
  auto re = compile_regex(a[1].as_string(), ctx.max_regex_program_size);
  if (!re.re) return value::error(re.error);
  return value::boolean(regex_search(*re.re, a[0].as_string()));
}

}  // namespace

void register_strings(function_registry& r) {
  for (auto [name, impl] : {std::pair{"contains", &contains}, std::pair{"startsWith", &starts_with},
                            std::pair{"endsWith", &ends_with}}) {
    r.define(name, impl).overloads.push_back(member({t_string(), t_string()}, t_bool()));
  }
  auto& m = r.define("matches", matches);
  m.overloads.push_back(member({t_string(), t_string()}, t_bool()));
  m.overloads.push_back(global({t_string(), t_string()}, t_bool()));
}

}  // namespace keyaccount::expr::detail
