#pragma once
// Tests of a series' months as Spark SQL that Spark compiles to Java (internal to the policy →
// Spark SQL translator, keyaccount/classify/spark_sql.hpp). A lambda (forall, exists,
// aggregate) costs more per element than a compiled array function: Spark 4.3 compiles its body
// but also stores every element in the lambda variable's AtomicReference, and earlier versions
// interpret it. Over months that passed the checks (each a finite number) a test `x OP bound`
// needs none: `all` and `exists` over the whole series follow from its least or greatest month,
// over its newest k months (k small) from those months read one by one, and
// `trailing(...) >= k` from the newest k months.

#include <cstdint>
#include <optional>
#include <string>

namespace keyaccount::detail {

/// A list of finite months: a series column, or its newest `take` (CEL `.last(take)`).
struct sql_months {
  std::string series;
  std::optional<std::int64_t> take{};
  /// The list itself (a slice for `.last`).
  [[nodiscard]] std::string sql() const;
  /// Its size.
  [[nodiscard]] std::string size() const;
};

/// The test `x OP bound` of one month: OP one of < <= > >=, `bound` SQL for a double that is
/// not NaN.
struct sql_month_test {
  std::string op, bound;
};

/// `months.all(x, x OP bound)`.
[[nodiscard]] std::string all_months(const sql_months& months, const sql_month_test& test);
/// `months.exists(x, x OP bound)`.
[[nodiscard]] std::string any_month(const sql_months& months, const sql_month_test& test);
/// `months.trailing(x, x OP bound) >= k`: the newest k months exist and pass the test.
[[nodiscard]] std::string trailing_at_least(const sql_months& months, const sql_month_test& test,
                                            std::int64_t k);

}  // namespace keyaccount::detail
