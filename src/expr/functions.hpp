#pragma once
// The function library: checker signatures and runtime implementations (internal).

#include <string>
#include <string_view>
#include <vector>

#include "eval_context.hpp"
#include "keyaccount/expr/type.hpp"
#include "keyaccount/expr/value.hpp"

namespace keyaccount::expr::detail {

/// Runtime implementation of every overload of one function. `args` holds the receiver first
/// for member calls; none of them is an error value (strict functions see no errors). An
/// implementation dispatches on the argument kinds and returns an error value when none fits.
using function_impl = value (*)(const value* args, std::size_t count, const eval_context& ctx);

/// One checker signature.
struct overload {
  bool member = false;  ///< written `receiver.f(args)`
  std::vector<type> params;
  type result;
};

struct function_def {
  std::string name;
  std::vector<overload> overloads;
  function_impl impl = nullptr;
};

/// The function named `name` (operators use CEL's internal names: `_+_`, `@in`, ...), or nullptr.
const function_def* find_function(std::string_view name);

/// Collects definitions; each area of the library adds its own (functions_*.cpp).
class function_registry {
 public:
  function_def& define(std::string name, function_impl impl);
  const function_def* find(std::string_view name) const;

 private:
  std::vector<function_def> defs_;
};

void register_operators(function_registry& r);
void register_strings(function_registry& r);
void register_conversions(function_registry& r);
void register_series(function_registry& r);
void register_dates(function_registry& r);

// Signature helpers.
inline type t_dyn() { return type::dyn(); }
inline type t_bool() { return type::boolean(); }
inline type t_int() { return type::int64(); }
inline type t_double() { return type::float64(); }
inline type t_string() { return type::string(); }
inline type t_date() { return type::date(); }
inline type t_null() { return type::null(); }
inline type t_list(type e) { return type::list(std::move(e)); }
inline type t_map(type k, type v) { return type::map(std::move(k), std::move(v)); }
inline type t_a() { return type::param("A"); }
inline type t_b() { return type::param("B"); }
inline overload global(std::vector<type> params, type result) {
  return overload{false, std::move(params), std::move(result)};
}
inline overload member(std::vector<type> params, type result) {
  return overload{true, std::move(params), std::move(result)};
}

/// The error for arguments no overload accepts: "no such overload: f(int, string)".
value no_such_overload(std::string_view function, const value* args, std::size_t count);

/// Three-way comparison of two values; `unordered` for NaN, `invalid` when the kinds have no
/// ordering (lists, maps, mixed non-numeric kinds).
enum class ordering : std::uint8_t { less, equal, greater, unordered, invalid };
ordering compare(const value& a, const value& b) noexcept;

}  // namespace keyaccount::expr::detail
