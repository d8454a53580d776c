#pragma once
// Single rows of a column table bound for the classifier's interpreter (internal): impact's
// look at the rows a policy change moves (src/classify/impact.cpp). Defined in batch.cpp, with
// the column plan it shares with classify_batch.

#include <cstddef>
#include <memory>

#include "keyaccount/classify/batch.hpp"
#include "keyaccount/classify/classifier.hpp"
#include "keyaccount/expr/program.hpp"

namespace keyaccount::detail {

/// Binds single rows of a table for a classifier's interpreter (detail::outcomes, report,
/// explain): for the few rows of a large table whose criteria one wants to look at. Checks the
/// columns against the schema once, when made (input_error as classify_batch). Immutable after
/// construction; bind() is thread-safe for distinct activations.
class row_binder {
 public:
  row_binder(const classifier& c, const column_table& table, date as_of);
  ~row_binder();
  row_binder(row_binder&&) noexcept;
  row_binder& operator=(row_binder&&) noexcept;
  /// Binds row `row` and `as_of` into `vars` (made by detail::make_activation(c)). False, with the
  /// field and the problem in `error`, when a value of the row cannot be read.
  bool bind(std::size_t row, expr::activation& vars, batch_row_error& error) const;
  /// Asks the processor to bring row `row`'s values into its caches (nothing else happens): a
  /// caller binding scattered rows of a large table one by one calls it for the next row while
  /// it works on the current one, so the next bind() does not wait for memory. A row beyond
  /// the table is ignored.
  void prefetch(std::size_t row) const noexcept;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace keyaccount::detail
