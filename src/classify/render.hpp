#pragma once
// Rendering values and numbers in explanations (internal).

#include <cmath>
#include <string>

#include "expr/number_format.hpp"
#include "keyaccount/expr/value.hpp"

namespace keyaccount::detail {

/// A number for people: rounded to 4 decimals, shortest form ("120", "0.5"), never "-0".
inline std::string format_number(double d) {
  if (!std::isfinite(d)) return expr::detail::format_double(d);
  double r = std::round(d * 1e4) / 1e4;
  if (r == 0) r = 0;  // drop the sign of -0
  return expr::detail::format_double(r);
}

/// A CEL value for people: text without quotes, numbers via format_number, dates as YYYY-MM-DD.
inline std::string render_value(const expr::value& v) {
  switch (v.kind()) {
    case expr::value_kind::string:
      return std::string(v.as_string());
    case expr::value_kind::float64:
      return format_number(v.as_double());
    case expr::value_kind::int64:
      return std::to_string(v.as_int());
    case expr::value_kind::boolean:
      return v.as_bool() ? "true" : "false";
    case expr::value_kind::date:
      return v.as_date().to_string();
    case expr::value_kind::error:
      return "error: " + std::string(v.error_message());
    default:
      return v.debug_string();
  }
}

}  // namespace keyaccount::detail
