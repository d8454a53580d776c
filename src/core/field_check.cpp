#include "keyaccount/core/field_check.hpp"

#include <charconv>
#include <cmath>
#include <limits>

namespace keyaccount::field_check {

namespace {
constexpr std::string_view date_expected = "expected a date YYYY-MM-DD, got ";
constexpr std::string_view whole_expected = "expected a whole number";
}  // namespace

std::string missing_required() { return "required value is missing"; }

std::string empty_id() { return "empty: every customer needs an id"; }

std::string not_finite() { return "not a finite number"; }

std::string not_allowed(std::string_view text) {
  return "\"" + std::string(text) + "\" is not an allowed value";
}

std::string wrong_kind(std::string_view expected, std::string_view kind) {
  return "expected " + std::string(expected) + ", got " + std::string(kind);
}

std::string not_a_date(std::string_view text) {
  return std::string(date_expected) + "\"" + std::string(text) + "\"";
}

std::string not_a_date_kind(std::string_view kind) {
  return std::string(date_expected) + std::string(kind);
}

std::optional<std::int64_t> whole_number(double d) noexcept {
  // 2^63 is exactly representable; every double below it and at or above -2^63 fits an int64.
  if (!std::isfinite(d) || d != std::floor(d) || d >= 9223372036854775808.0 ||
      d < -9223372036854775808.0)
    return std::nullopt;
  return static_cast<std::int64_t>(d);
}

std::optional<std::int64_t> whole_number(std::string_view digits) noexcept {
  if (digits.empty() || digits.front() == '+') return std::nullopt;
  std::int64_t n = 0;
  const auto* end = digits.data() + digits.size();
  auto r = std::from_chars(digits.data(), end, n);
  if (r.ec != std::errc() || r.ptr != end) return std::nullopt;
  return n;
}

std::string not_a_whole_number(std::string_view shown) {
  return std::string(whole_expected) + ", got " + std::string(shown);
}

std::string not_a_whole_number(std::string_view shown, std::int64_t min) {
  return std::string(whole_expected) + " >= " + std::to_string(min) + ", got " + std::string(shown);
}

std::string not_a_whole_number(std::string_view shown, std::int64_t min, std::int64_t max) {
  return std::string(whole_expected) + " from " + std::to_string(min) + " to " +
         std::to_string(max) + ", got " + std::string(shown);
}

std::string why_not_whole(double d, std::string_view shown) {
  if (!std::isfinite(d)) return not_finite();  // as a number field refuses it
  return d == std::floor(d) ? beyond_int64(shown) : not_a_whole_number(shown);
}

std::string beyond_int64(std::string_view shown) {
  return not_a_whole_number(shown, std::numeric_limits<std::int64_t>::min(),
                            std::numeric_limits<std::int64_t>::max());
}

}  // namespace keyaccount::field_check
