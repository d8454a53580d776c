// Time-series extension over numeric lists (oldest first): sum, mean, min, max, last.
// The macros trailing / longest_run / count are comprehensions (see nodes.cpp).
#include <cmath>
#include <limits>

#include "functions.hpp"

namespace keyaccount::expr::detail {

namespace {

// Visits the elements of a numeric list as int64 or double; false when an element is neither.
template <typename OnInt, typename OnDouble>
bool for_each_number(const list_view& l, OnInt on_int, OnDouble on_double) {
  switch (l.storage_kind()) {
    case list_view::storage::doubles:
      for (double d : l.doubles()) on_double(d);
      return true;
    case list_view::storage::ints:
      for (std::int64_t i : l.ints()) on_int(i);
      return true;
    case list_view::storage::values:
      for (const value& v : l.values()) {
        if (v.is_int())
          on_int(v.as_int());
        else if (v.is_double())
          on_double(v.as_double());
        else
          return false;
      }
      return true;
  }
  return false;
}

bool numeric_list_arg(const value* a, std::size_t n) { return n == 1 && a[0].is_list(); }

value sum(const value* a, std::size_t n, const eval_context&) {
  if (!numeric_list_arg(a, n)) return no_such_overload("sum", a, n);
  auto l = a[0].as_list();
  std::int64_t isum = 0;
  double dsum = 0;
  bool any_double = l.storage_kind() == list_view::storage::doubles;
  bool overflowed = false;
  bool ok = for_each_number(
      l,
      [&](std::int64_t i) {
        if (__builtin_add_overflow(isum, i, &isum)) overflowed = true;
        dsum += static_cast<double>(i);
      },
      [&](double d) {
        any_double = true;
        dsum += d;
      });
  if (!ok) return no_such_overload("sum", a, n);
  if (any_double) return value::float64(dsum);
  if (overflowed) return value::error("integer overflow in sum()");
  return value::int64(isum);
}

value mean(const value* a, std::size_t n, const eval_context&) {
  if (!numeric_list_arg(a, n)) return no_such_overload("mean", a, n);
  auto l = a[0].as_list();
  if (l.empty()) return value::error("mean() of an empty list");
  double total = 0;
  bool ok = for_each_number(
      l, [&](std::int64_t i) { total += static_cast<double>(i); }, [&](double d) { total += d; });
  if (!ok) return no_such_overload("mean", a, n);
  return value::float64(total / static_cast<double>(l.size()));
}

// min/max return the extreme element itself (an int stays an int); NaN wins, as in numpy, so
// that a missing figure is not silently ignored.
template <bool Max>
value extreme(const value* a, std::size_t n, const eval_context&) {
  const char* name = Max ? "max" : "min";
  if (!numeric_list_arg(a, n)) return no_such_overload(name, a, n);
  auto l = a[0].as_list();
  if (l.empty()) return value::error(std::string(name) + "() of an empty list");
  bool have = false, is_int = false, nan = false;
  std::int64_t best_i = 0;
  double best_d = 0;
  auto better = [](double x, double best) { return Max ? x > best : x < best; };
  bool ok = for_each_number(
      l,
      [&](std::int64_t i) {
        double as_d = static_cast<double>(i);
        double cur = is_int ? static_cast<double>(best_i) : best_d;
        if (!have || (is_int ? (Max ? i > best_i : i < best_i) : better(as_d, cur))) {
          have = true;
          is_int = true;
          best_i = i;
        }
      },
      [&](double d) {
        if (std::isnan(d)) nan = true;
        double cur = is_int ? static_cast<double>(best_i) : best_d;
        if (!have || better(d, cur)) {
          have = true;
          is_int = false;
          best_d = d;
        }
      });
  if (!ok) return no_such_overload(name, a, n);
  if (nan) return value::float64(std::numeric_limits<double>::quiet_NaN());
  return is_int ? value::int64(best_i) : value::float64(best_d);
}

value last(const value* a, std::size_t n, const eval_context&) {
  if (n != 2 || !a[0].is_list() || !a[1].is_int()) return no_such_overload("last", a, n);
  std::int64_t k = a[1].as_int();
  if (k < 0) return value::error("last(): negative count " + std::to_string(k));
  std::size_t size = a[0].as_list().size();
  std::size_t take = static_cast<std::uint64_t>(k) >= size ? size : static_cast<std::size_t>(k);
  return slice_list(a[0], size - take, take);  // a view: no copy
}

}  // namespace

void register_series(function_registry& r) {
  auto both_styles = [](function_def& f, type param, type result) {
    f.overloads.push_back(member({param}, result));
    f.overloads.push_back(global({param}, result));
  };
  auto& s = r.define("sum", sum);
  both_styles(s, t_list(t_int()), t_int());
  both_styles(s, t_list(t_double()), t_double());
  auto& m = r.define("mean", mean);
  both_styles(m, t_list(t_int()), t_double());
  both_styles(m, t_list(t_double()), t_double());
  for (auto [name, impl] : {std::pair{"min", &extreme<false>}, std::pair{"max", &extreme<true>}}) {
    auto& f = r.define(name, impl);
    both_styles(f, t_list(t_int()), t_int());
    both_styles(f, t_list(t_double()), t_double());
  }
  r.define("last", last).overloads.push_back(member({t_list(t_a()), t_int()}, t_list(t_a())));
}

}  // namespace keyaccount::expr::detail
