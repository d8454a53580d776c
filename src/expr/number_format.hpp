#pragma once
// Number <-> text helpers shared by string(), debug text and JSON (internal).

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace keyaccount::expr::detail {

/// Shortest text that reads back as the same double ("123.456", "-0.0045", "1e+20").
inline std::string format_double(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, r.ptr);
}

/// CEL's `string(double)`: the shortest digits that read back as the same double, laid out as
/// printf's %g lays them out (exponent form below 1e-4 and from 1e6: "1.234567e+06", "1e-05",
/// "123456"), which is what Google's runtimes (cel-cpp, cel-go) print for every finite double
/// (tests/python/expr/cel_differential.py compares them). Non-finite values keep keyaccount's
/// spelling ("NaN", "Infinity"): the two Google runtimes disagree there (docs/cel.md).
inline std::string format_double_cel(double d) {
  if (!std::isfinite(d)) return format_double(d);
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::general);
  return std::string(buf, r.ptr);
}

/// Whole-text parse of a double; nothing on trailing garbage or empty text.
inline std::optional<double> parse_double(std::string_view s) {
  if (s.empty()) return {};
  // from_chars rejects a leading '+', which CEL's double('+1.5') accepts.
  if (s.front() == '+') s.remove_prefix(1);
  double d = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), d);
  if (r.ec == std::errc::result_out_of_range) {
    // Overflow to ±infinity, underflow to zero, as strtod does.
    std::string copy(s);
    return std::strtod(copy.c_str(), nullptr);
  }
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return {};
  return d;
}

}  // namespace keyaccount::expr::detail
