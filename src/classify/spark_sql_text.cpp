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
  // A format_string pattern: the words with '%' doubled, %s for the value (shorter generated
  // code than concat's, which matters: see spark_sql.hpp).
  std::string pattern;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i == at) {
      pattern += "%s";
      i += marker.size() - 1;
      continue;
    }
    pattern += words[i];
    if (words[i] == '%') pattern += '%';
  }
  return "format_string(" + sql_string(pattern) + ", " + value_sql + ")";
}

}  // namespace keyaccount::detail
