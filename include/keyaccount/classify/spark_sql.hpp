#pragma once
/// \file
/// A compiled policy as Spark SQL (issue 18): for a Spark DataFrame with the given columns,
/// the expressions that give each row's tier and, for a row that cannot be classified, its
/// error, exactly as classify_batch() and keyaccount.classify(..., on_error="skip") give them
/// for the same row of an Arrow table. Spark then classifies with its own code-generated JVM
/// expressions, with no Python worker (keyaccount.spark.classify(engine="sql"),
/// docs/spark.md).
///
///     std::vector<keyaccount::spark_column> columns{{"id", "string"}, {"category", "string"},
///         {"first_order", "date"}, {"monthly_shipments", "array<double>"},
///         {"cumulative_amount", "double"}};
///     auto sql = keyaccount::to_spark_sql(c, as_of, columns);
///     if (!sql.ok()) use_the_arrow_path(sql.refusal);
///     // SELECT id, <tier> AS tier, <error> AS error FROM customers
///
/// Only what Spark evaluates exactly as keyaccount does is translated (the constructs the
/// default policy uses: see spark_sql_expression.hpp in src/classify for the list). Anything
/// else is refused, with the reason: another CEL function, a construct whose CEL error Spark
/// cannot reproduce (int arithmetic, division, indexing), a criterion reading an optional
/// field, a policy without a fallback tier, a column of a Spark type the SQL does not read as
/// the Arrow reader does (a date or a series as text, a series of floats, ...). A series
/// longer than the interpreter's iteration budget lets every comprehension of a condition
/// run over (1 000 000 steps shared by them) fails the query with raise_error naming the
/// engine="arrow" path: past that length the interpreter may give an error the SQL does not
/// word.

#include <span>
#include <string>

#include "keyaccount/classify/classifier.hpp"
#include "keyaccount/core/date.hpp"

namespace keyaccount {

/// One column of a Spark DataFrame: its name and its Spark type as DataType.simpleString()
/// writes it (`string`, `date`, `double`, `bigint`, `array<double>`, ...).
struct spark_column {
  std::string name;
  std::string type;
};

/// The SQL texts of a translated policy, or why it was not translated.
struct spark_sql {
  /// A STRING expression: the tier id of a row, NULL for a row that cannot be classified.
  std::string tier;
  /// A STRING expression: NULL for a row that can be classified, else its error worded as
  /// keyaccount.classify(on_error="skip") words it ("monthly_shipments[3]: not a finite
  /// number").
  std::string error;
  /// Not empty when the policy or the columns are not translated: why.
  std::string refusal;
  [[nodiscard]] bool ok() const noexcept { return refusal.empty(); }
};

/// Translates classifier `c`'s tiers and the checks of every column it reads, on `as_of`, for
/// a DataFrame of `columns` (in its order: a row's first error is that of its first bad
/// column, the id's before any other, as the Arrow reader finds them). Never throws for a
/// policy or columns it cannot translate: the refusal says why.
[[nodiscard]] spark_sql to_spark_sql(const classifier& c, date as_of,
                                     std::span<const spark_column> columns);

}  // namespace keyaccount
