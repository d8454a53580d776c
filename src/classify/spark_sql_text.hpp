#pragma once
// Spark SQL text for values (internal to the policy → Spark SQL translator,
// keyaccount/classify/spark_sql.hpp): literals that Spark reads back as exactly the value they
// were written from, quoted column names, and the refusal a translation step throws.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "keyaccount/core/date.hpp"

namespace keyaccount::detail {

/// Why a policy (or an input column) is not translated: the translator throws it, and
/// to_spark_sql() hands its message back as the refusal.
struct sql_refusal : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// A string literal. Plain text goes between single quotes; text with a quote, a backslash or
/// a control character is written as the hex of its UTF-8 bytes (`CAST(unhex('…') AS
/// STRING)`), so that neither escape rules nor spark.sql.parser.escapedStringLiterals change it.
[[nodiscard]] std::string sql_string(std::string_view text);

/// A DOUBLE literal in its shortest exact form (`500D`, `0.1D`, `(-2.5D)`). Throws
/// sql_refusal for NaN or an infinity (no CEL literal or parameter is one).
[[nodiscard]] std::string sql_double(double d);

/// A BIGINT literal (`12L`, `(-3L)`). Throws sql_refusal for INT64_MIN (no literal form).
[[nodiscard]] std::string sql_bigint(std::int64_t i);

/// A DATE literal (`DATE'2026-06-30'`).
[[nodiscard]] std::string sql_date(date d);

/// A column name in backquotes (a backquote in it doubled).
[[nodiscard]] std::string sql_column(std::string_view name);

/// Words that contain one row's value, as SQL: `words` is what the wording function returned
/// for the value `marker`; the result formats `value_sql` (a STRING) into the literal text
/// around the marker (`format_string('category: "%s" is not an allowed value', col)`). Every error
/// message the SQL gives comes from the C++ function that words it for the batch, called with a
/// marker, so the two cannot drift apart.
[[nodiscard]] std::string sql_words_around(std::string_view words, std::string_view marker,
                                           const std::string& value_sql);

}  // namespace keyaccount::detail
