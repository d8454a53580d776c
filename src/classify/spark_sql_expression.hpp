#pragma once
// One criterion's checked CEL condition as a Spark SQL boolean expression (internal to the
// policy → Spark SQL translator, keyaccount/classify/spark_sql.hpp).
//
// Only what Spark evaluates exactly as keyaccount's interpreter does is translated, for a row
// whose values passed the batch's checks (every value read is present and finite): literals,
// `params.<name>`, `as_of`, the customer's fields of the kinds the caller could read, `&&`
// `||` `!`, relations between values of one kind, `in` a constant list, double `+ - *` and
// negation, `size` and `.last(k)` of a series, `.all` `.exists` `.exists_one` `.count`
// `.trailing` over a series with a predicate of its element, and `months_between`. Anything
// else throws sql_refusal saying what: another function, int arithmetic (it can overflow, a
// CEL error), division, a field of an object, an optional field (absent, it is a CEL error),
// a nested comprehension.

#include <cstddef>
#include <string>
#include <vector>

#include "keyaccount/core/date.hpp"
#include "keyaccount/expr/ast.hpp"
#include "keyaccount/expr/declarations.hpp"
#include "keyaccount/policy/model.hpp"

namespace keyaccount::detail {

/// What a condition is translated against.
struct sql_condition_context {
  const expr::declarations* decls = nullptr;   ///< customer_declarations() of the policy
  const std::vector<field>* fields = nullptr;  ///< the customer schema's fields, slot order
  /// Per field slot: the SQL that reads the field's value from its column, or empty when the
  /// field cannot be read (why in `unreadable[slot]`).
  std::vector<std::string> read;
  std::vector<std::string> unreadable;
  date as_of;
};

/// The SQL of a translated condition, and how many comprehensions it runs (each iterates at
/// most once over a series: the interpreter's iteration budget bounds the series it can
/// evaluate without an error).
struct sql_condition {
  std::string text;
  std::size_t comprehensions = 0;
};

/// Translates `tree` (parsed and checked against ctx.decls). Throws sql_refusal.
[[nodiscard]] sql_condition condition_sql(const expr::ast& tree, const sql_condition_context& ctx);

}  // namespace keyaccount::detail
