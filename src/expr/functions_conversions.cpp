// Type conversions: int, double, string, bool, dyn.
#include <charconv>
#include <cmath>

#include "functions.hpp"
#include "number_format.hpp"

namespace keyaccount::expr::detail {

namespace {

value to_int(const value* a, std::size_t n, const eval_context&) {
  if (n != 1) return no_such_overload("int", a, n);
  const value& x = a[0];
  if (x.is_int()) return x;
  if (x.is_double()) {
    double d = x.as_double();
    // Strict bounds: -2^63 and 2^63 themselves are out of range, like the reference
    // implementations (the nearest doubles to INT64_MIN/MAX are ambiguous).
    if (!(d > -9223372036854775808.0 && d < 9223372036854775808.0)) {
      return value::error("range error: " + x.debug_string() + " does not fit in an int");
    }
    return value::int64(static_cast<std::int64_t>(d));
  }
  if (x.is_string()) {
    std::string_view s = x.as_string();
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    std::int64_t i = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), i);
    if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size()) {
      return value::error("type conversion error: cannot convert " + x.debug_string() + " to int");
    }
    return value::int64(i);
  }
  return no_such_overload("int", a, n);
}

value to_double(const value* a, std::size_t n, const eval_context&) {
  if (n != 1) return no_such_overload("double", a, n);
  const value& x = a[0];
  if (x.is_double()) return x;
  if (x.is_int()) return value::float64(static_cast<double>(x.as_int()));
  if (x.is_string()) {
    auto d = parse_double(x.as_string());
    if (!d)
      return value::error("type conversion error: cannot convert " + x.debug_string() +
                          " to double");
    return value::float64(*d);
  }
  return no_such_overload("double", a, n);
}

value to_string(const value* a, std::size_t n, const eval_context&) {
  if (n != 1) return no_such_overload("string", a, n);
  const value& x = a[0];
  switch (x.kind()) {
    case value_kind::string:
      return x;
    case value_kind::int64:
      return value::string(std::to_string(x.as_int()));
    case value_kind::float64:
      return value::string(format_double_cel(x.as_double()));
    case value_kind::boolean:
      return value::string(x.as_bool() ? "true" : "false");
    case value_kind::date:
      return value::string(x.as_date().to_string());
    default:
      return no_such_overload("string", a, n);
  }
}

value to_bool(const value* a, std::size_t n, const eval_context&) {
  if (n != 1) return no_such_overload("bool", a, n);
  const value& x = a[0];
  if (x.is_bool()) return x;
  if (x.is_string()) {
    std::string_view s = x.as_string();
    if (s == "1" || s == "t" || s == "true" || s == "TRUE" || s == "True")
      return value::boolean(true);
    if (s == "0" || s == "f" || s == "false" || s == "FALSE" || s == "False")
      return value::boolean(false);
    return value::error("type conversion error: cannot convert " + x.debug_string() + " to bool");
  }
  return no_such_overload("bool", a, n);
}

value to_dyn(const value* a, std::size_t n, const eval_context&) {
  if (n != 1) return no_such_overload("dyn", a, n);
  return a[0];
}

}  // namespace

void register_conversions(function_registry& r) {
  auto& i = r.define("int", to_int);
  for (const auto& t : {t_int(), t_double(), t_string()})
    i.overloads.push_back(global({t}, t_int()));
  auto& d = r.define("double", to_double);
  for (const auto& t : {t_int(), t_double(), t_string()})
    d.overloads.push_back(global({t}, t_double()));
  auto& s = r.define("string", to_string);
  for (const auto& t : {t_int(), t_double(), t_string(), t_bool(), t_date()})
    s.overloads.push_back(global({t}, t_string()));
  auto& b = r.define("bool", to_bool);
  for (const auto& t : {t_bool(), t_string()}) b.overloads.push_back(global({t}, t_bool()));
  r.define("dyn", to_dyn).overloads.push_back(global({t_a()}, t_dyn()));
}

}  // namespace keyaccount::expr::detail
