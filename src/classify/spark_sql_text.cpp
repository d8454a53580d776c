#include "classify/spark_sql_text.hpp"

#include <charconv>
#include <cmath>
#include <limits>

namespace keyaccount::detail {

std::string sql_string(std::string_view text) {
  bool plain = true;
  for (char ch : text) {
    const auto u = static_cast<unsigned char>(ch);
    if (ch == '\'' || ch == '\\' || u < 0x20 || u == 0x7f) plain = false;
  }
  if (plain) return "'" + std::string(text) + "'";
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string hex;
  hex.reserve(text.size() * 2);
  for (char ch : text) {
    const auto u = static_cast<unsigned char>(ch);
    hex += digits[u >> 4];
    hex += digits[u & 15];
  }
  return "CAST(unhex('" + hex + "') AS STRING)";
}

std::string sql_double(double d) {
  if (!std::isfinite(d)) throw sql_refusal("a number that is not finite has no Spark SQL literal");
  char buf[64];
  // Shortest round-trip form: Spark parses the literal back (Java's correctly rounded
  // Double.parseDouble) to this very double.
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  std::string digits(buf, end);
  if (digits.front() == '-') return "(" + digits + "D)";
  return digits + "D";
}

std::string sql_bigint(std::int64_t i) {
  if (i == std::numeric_limits<std::int64_t>::min())
    throw sql_refusal("the int -9223372036854775808 has no Spark SQL literal");
  if (i < 0) return "(" + std::to_string(i) + "L)";
  return std::to_string(i) + "L";
}

std::string sql_date(date d) { return "DATE'" + d.to_string() + "'"; }

std::string sql_column(std::string_view name) {
  std::string out = "`";
  for (char ch : name) {
    if (ch == '`') out += '`';
    out += ch;
  }
  return out + "`";
}

std::string sql_words_around(std::string_view words, std::string_view marker,
                             const std::string& value_sql) {
  const auto at = words.find(marker);
  if (at == std::string_view::npos) throw sql_refusal("an error message without its value");
  std::string before(words.substr(0, at)), after(words.substr(at + marker.size()));
  std::string out = "concat(";
  if (!before.empty()) out += sql_string(before) + ", ";
  out += value_sql;
  if (!after.empty()) out += ", " + sql_string(after);
  return out + ")";
}

}  // namespace keyaccount::detail
