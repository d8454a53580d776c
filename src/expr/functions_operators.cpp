// Arithmetic, comparison, equality, membership, indexing, size and logical negation.
#include <cmath>
#include <limits>

#include "functions.hpp"

namespace keyaccount::expr::detail {

namespace {

value overflow() { return value::error("integer overflow"); }

value concat_lists(const value& a, const value& b) {
  auto la = a.as_list();
  auto lb = b.as_list();
  if (lb.empty()) return a;
  if (la.empty()) return b;
  if (la.storage_kind() == list_view::storage::doubles &&
      lb.storage_kind() == list_view::storage::doubles) {
    std::vector<double> out(la.doubles().begin(), la.doubles().end());
    out.insert(out.end(), lb.doubles().begin(), lb.doubles().end());
    return value::double_list(std::move(out));
  }
  std::vector<value> out;
  out.reserve(la.size() + lb.size());
  for (std::size_t i = 0; i < la.size(); ++i) out.push_back(la[i]);
  for (std::size_t i = 0; i < lb.size(); ++i) out.push_back(lb[i]);
  return value::list(std::move(out));
}

value add(const value* a, std::size_t n, const eval_context&) {
  const value &x = a[0], &y = a[1];
  if (x.is_int() && y.is_int()) {
    std::int64_t r;
    if (__builtin_add_overflow(x.as_int(), y.as_int(), &r)) return overflow();
    return value::int64(r);
  }
  if (x.is_double() && y.is_double()) return value::float64(x.as_double() + y.as_double());
  if (x.is_string() && y.is_string()) {
    std::string s(x.as_string());
    s += y.as_string();
    return value::string(std::move(s));
  }
  if (x.is_list() && y.is_list()) return concat_lists(x, y);
  return no_such_overload("_+_", a, n);
}

value subtract(const value* a, std::size_t n, const eval_context&) {
  const value &x = a[0], &y = a[1];
  if (x.is_int() && y.is_int()) {
    std::int64_t r;
    if (__builtin_sub_overflow(x.as_int(), y.as_int(), &r)) return overflow();
    return value::int64(r);
  }
  if (x.is_double() && y.is_double()) return value::float64(x.as_double() - y.as_double());
  return no_such_overload("_-_", a, n);
}

value multiply(const value* a, std::size_t n, const eval_context&) {
  const value &x = a[0], &y = a[1];
  if (x.is_int() && y.is_int()) {
    std::int64_t r;
    if (__builtin_mul_overflow(x.as_int(), y.as_int(), &r)) return overflow();
    return value::int64(r);
  }
  if (x.is_double() && y.is_double()) return value::float64(x.as_double() * y.as_double());
  return no_such_overload("_*_", a, n);
}

value divide(const value* a, std::size_t n, const eval_context&) {
  const value &x = a[0], &y = a[1];
  if (x.is_int() && y.is_int()) {
    if (y.as_int() == 0) return value::error("division by zero");
    if (x.as_int() == std::numeric_limits<std::int64_t>::min() && y.as_int() == -1)
      return overflow();
    return value::int64(x.as_int() / y.as_int());
  }
  if (x.is_double() && y.is_double()) return value::float64(x.as_double() / y.as_double());
  return no_such_overload("_/_", a, n);
}

value modulo(const value* a, std::size_t n, const eval_context&) {
  const value &x = a[0], &y = a[1];
  if (x.is_int() && y.is_int()) {
    if (y.as_int() == 0) return value::error("modulus by zero");
    if (x.as_int() == std::numeric_limits<std::int64_t>::min() && y.as_int() == -1)
      return overflow();
    return value::int64(x.as_int() % y.as_int());
  }
  return no_such_overload("_%_", a, n);
}

value negate(const value* a, std::size_t n, const eval_context&) {
  if (a[0].is_int()) {
    if (a[0].as_int() == std::numeric_limits<std::int64_t>::min()) return overflow();
    return value::int64(-a[0].as_int());
  }
  if (a[0].is_double()) return value::float64(-a[0].as_double());
  return no_such_overload("-_", a, n);
}

value logical_not(const value* a, std::size_t n, const eval_context&) {
  if (a[0].is_bool()) return value::boolean(!a[0].as_bool());
  return no_such_overload("!_", a, n);
}

value equal(const value* a, std::size_t, const eval_context&) {
  return value::boolean(equals(a[0], a[1]));
}
value not_equal(const value* a, std::size_t, const eval_context&) {
  return value::boolean(!equals(a[0], a[1]));
}

template <int Op>
value relation(const value* a, std::size_t n, const eval_context&) {
  static constexpr const char* names[] = {"_<_", "_<=_", "_>_", "_>=_"};
  ordering o = compare(a[0], a[1]);
  switch (o) {
    case ordering::invalid:
      return no_such_overload(names[Op], a, n);
    case ordering::unordered:
      return value::boolean(false);  // NaN: every ordering is false
    default:
      break;
  }
  bool r = false;
  if constexpr (Op == 0) r = o == ordering::less;
  if constexpr (Op == 1) r = o != ordering::greater;
  if constexpr (Op == 2) r = o == ordering::greater;
  if constexpr (Op == 3) r = o != ordering::less;
  return value::boolean(r);
}

value in(const value* a, std::size_t n, const eval_context&) {
  const value &x = a[0], &c = a[1];
  if (c.is_list()) {
    auto l = c.as_list();
    if (l.storage_kind() == list_view::storage::doubles && (x.is_double() || x.is_int())) {
      double d = x.is_double() ? x.as_double() : static_cast<double>(x.as_int());
      for (double e : l.doubles())
        if (e == d) return value::boolean(true);
      return value::boolean(false);
    }
    for (std::size_t i = 0; i < l.size(); ++i)
      if (equals(l[i], x)) return value::boolean(true);
    return value::boolean(false);
  }
  if (c.is_map()) return value::boolean(c.find(x) != nullptr);
  return no_such_overload("@in", a, n);
}

value index(const value* a, std::size_t n, const eval_context&) {
  const value &c = a[0], &k = a[1];
  if (c.is_list()) {
    std::int64_t i = 0;
    if (k.is_int()) {
      i = k.as_int();
    } else if (k.is_double() && k.as_double() == std::trunc(k.as_double()) &&
               std::abs(k.as_double()) < 9.2e18) {
      i = static_cast<std::int64_t>(k.as_double());  // 0.0 indexes like 0
    } else if (k.is_double()) {
      return value::error("invalid_argument: list index " + k.debug_string() + " is not whole");
    } else {
      return no_such_overload("_[_]", a, n);
    }
    auto l = c.as_list();
    if (i < 0 || static_cast<std::uint64_t>(i) >= l.size()) {
      return value::error("invalid_argument: index " + std::to_string(i) +
                          " out of range for a list of size " + std::to_string(l.size()));
    }
    return l[static_cast<std::size_t>(i)];
  }
  if (c.is_map() || c.is_object()) {
    const value* v = c.find(k);
    if (!v) return value::error("no such key: " + k.debug_string());
    return *v;
  }
  return no_such_overload("_[_]", a, n);
}

std::int64_t code_points(std::string_view s) {
  std::int64_t count = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  return count;
}

value size(const value* a, std::size_t n, const eval_context&) {
  if (n == 1) {
    if (a[0].is_string()) return value::int64(code_points(a[0].as_string()));
    if (a[0].is_list()) return value::int64(static_cast<std::int64_t>(a[0].as_list().size()));
    if (a[0].is_map()) return value::int64(static_cast<std::int64_t>(a[0].entries().size()));
  }
  return no_such_overload("size", a, n);
}

}  // namespace

void register_operators(function_registry& r) {
  const type num_types[] = {t_int(), t_double()};
  {
    auto& f = r.define("_+_", add);
    for (const auto& t : num_types) f.overloads.push_back(global({t, t}, t));
    f.overloads.push_back(global({t_string(), t_string()}, t_string()));
    f.overloads.push_back(global({t_list(t_a()), t_list(t_a())}, t_list(t_a())));
  }
  for (auto [name, impl] :
       {std::pair{"_-_", &subtract}, std::pair{"_*_", &multiply}, std::pair{"_/_", &divide}}) {
    auto& f = r.define(name, impl);
    for (const auto& t : num_types) f.overloads.push_back(global({t, t}, t));
  }
  r.define("_%_", modulo).overloads.push_back(global({t_int(), t_int()}, t_int()));
  {
    auto& f = r.define("-_", negate);
    for (const auto& t : num_types) f.overloads.push_back(global({t}, t));
  }
  r.define("!_", logical_not).overloads.push_back(global({t_bool()}, t_bool()));
  r.define("_==_", equal).overloads.push_back(global({t_a(), t_a()}, t_bool()));
  r.define("_!=_", not_equal).overloads.push_back(global({t_a(), t_a()}, t_bool()));
  const std::pair<const char*, function_impl> relations[] = {
      {"_<_", relation<0>}, {"_<=_", relation<1>}, {"_>_", relation<2>}, {"_>=_", relation<3>}};
  for (auto [name, impl] : relations) {
    auto& f = r.define(name, impl);
    for (const auto& t : {t_bool(), t_int(), t_double(), t_string(), t_date()})
      f.overloads.push_back(global({t, t}, t_bool()));
    // Heterogeneous numeric ordering, as in the CEL spec.
    f.overloads.push_back(global({t_int(), t_double()}, t_bool()));
    f.overloads.push_back(global({t_double(), t_int()}, t_bool()));
  }
  {
    auto& f = r.define("@in", in);
    f.overloads.push_back(global({t_a(), t_list(t_a())}, t_bool()));
    f.overloads.push_back(global({t_a(), t_map(t_a(), t_b())}, t_bool()));
  }
  {
    auto& f = r.define("_[_]", index);
    f.overloads.push_back(global({t_list(t_a()), t_int()}, t_a()));
    f.overloads.push_back(global({t_map(t_a(), t_b()), t_a()}, t_b()));
  }
  {
    auto& f = r.define("size", size);
    for (bool m : {false, true}) {
      f.overloads.push_back(overload{m, {t_string()}, t_int()});
      f.overloads.push_back(overload{m, {t_list(t_a())}, t_int()});
      f.overloads.push_back(overload{m, {t_map(t_a(), t_b())}, t_int()});
    }
  }
}

}  // namespace keyaccount::expr::detail
