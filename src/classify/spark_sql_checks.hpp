#pragma once
// The checks the batch makes of each row's values, as one Spark SQL expression that words a
// bad row's first error (internal to the policy → Spark SQL translator,
// keyaccount/classify/spark_sql.hpp).

#include <span>
#include <string>
#include <utility>
#include <vector>

#include "keyaccount/classify/classifier.hpp"
#include "keyaccount/classify/spark_sql.hpp"
#include "keyaccount/core/date.hpp"

namespace keyaccount::detail {

/// The columns of a DataFrame as the translated conditions read them.
struct sql_row_checks {
  /// Per customer field slot: the SQL reading its value once the checks passed (the column,
  /// or its cast to the CEL type), empty when the field has no column.
  std::vector<std::string> read;
  /// Per slot, why it cannot be read (when `read` is empty).
  std::vector<std::string> unreadable;
  /// The CASE expression giving a row's first error (NULL when none), without its final END,
  /// so that the caller can add WHENs (the iteration guard); empty when no check applies.
  std::string error_whens;
  /// The WHENs' conditions, in order (a row is good when none is TRUE).
  std::vector<std::string> conditions;
  /// The series columns read: (field id, SQL).
  std::vector<std::pair<std::string, std::string>> series;
};

/// The checks of `columns` for classifier `c` on `as_of`, in the order the Arrow reader and
/// the batch make them. Throws sql_refusal for a column the SQL cannot check as they do.
[[nodiscard]] sql_row_checks row_checks(const classifier& c, date as_of,
                                        std::span<const spark_column> columns);

}  // namespace keyaccount::detail
