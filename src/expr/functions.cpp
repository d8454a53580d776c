#include "functions.hpp"

namespace keyaccount::expr::detail {

function_def& function_registry::define(std::string name, function_impl impl) {
  defs_.push_back(function_def{std::move(name), {}, impl});
  return defs_.back();
}

const function_def* function_registry::find(std::string_view name) const {
  for (const auto& d : defs_) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

namespace {
const function_registry& library() {
  // Built once, then only read: safe to share between threads (C++11 static initialisation).
  static const function_registry registry = [] {
    function_registry r;
    register_operators(r);
    register_strings(r);
    register_conversions(r);
    register_series(r);
    register_dates(r);
    return r;
  }();
  return registry;
}
}  // namespace

const function_def* find_function(std::string_view name) { return library().find(name); }

value no_such_overload(std::string_view function, const value* args, std::size_t count) {
  std::string msg = "no such overload: ";
  msg += function;
  msg += '(';
  for (std::size_t i = 0; i < count; ++i) {
    if (i) msg += ", ";
    msg += to_string(args[i].kind());
  }
  msg += ')';
  return value::error(std::move(msg));
}

ordering compare(const value& a, const value& b) noexcept {
  auto three_way = [](auto x, auto y) {
    return x < y ? ordering::less : y < x ? ordering::greater : ordering::equal;
  };
  auto doubles = [](double x, double y) {
    if (x != x || y != y) return ordering::unordered;
    return x < y ? ordering::less : y < x ? ordering::greater : ordering::equal;
  };
  switch (a.kind()) {
    case value_kind::int64:
      if (b.is_int()) return three_way(a.as_int(), b.as_int());
      // Mixed int/double compare as doubles, which is what the spec's cases expect at the edges.
      if (b.is_double()) return doubles(static_cast<double>(a.as_int()), b.as_double());
      break;
    case value_kind::float64:
      if (b.is_double()) return doubles(a.as_double(), b.as_double());
      if (b.is_int()) return doubles(a.as_double(), static_cast<double>(b.as_int()));
      break;
    case value_kind::boolean:
      if (b.is_bool()) return three_way(a.as_bool(), b.as_bool());
      break;
    case value_kind::string:
      // Byte order of UTF-8 is code point order.
      if (b.is_string()) return three_way(a.as_string(), b.as_string());
      break;
    case value_kind::date:
      if (b.is_date()) return three_way(a.as_date(), b.as_date());
      break;
    default:
      break;
  }
  return ordering::invalid;
}

}  // namespace keyaccount::expr::detail
