#pragma once
/// \file
/// Columnar evaluation: a boolean program run over many rows of caller-owned columns at once,
/// a chunk of rows per step, instead of binding one row at a time into an activation.
///
/// Only part of CEL has a columnar form (see docs/cel.md, "Columnar evaluation"): variables,
/// constants, `&& || !`, comparisons of numbers and dates, `==`/`!=`, `in` a constant list,
/// `size`, `last`, `months_between` and the comprehensions whose predicate is `x OP constant`.
/// vectorize() says whether a program has one. Rows whose result the columnar form cannot
/// establish (an absent value, a value no kernel takes, anything that would be an error) come
/// out *undecided*: the caller evaluates those rows one at a time, so results are always
/// exactly program::evaluate()'s.
///
///     expr::column_bindings cols(decls.variables().size());
///     cols.set_column(slot_of_amount, {.what = column_layout::float64, .data = amounts});
///     cols.set_value(slot_of_as_of, value::from_date(as_of));
///     if (auto vp = expr::vectorize(prog, cols))
///       vp->evaluate(row, n, out);   // out[i]: 0 false, 1 true, 2 undecided

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "keyaccount/expr/program.hpp"
#include "keyaccount/expr/value.hpp"

namespace keyaccount::expr {

/// How a column's memory is laid out.
enum class column_layout : std::uint8_t {
  float64,     ///< `const double*`; NaN or ±inf: no value
  int64,       ///< `const std::int64_t*`
  boolean,     ///< `const std::uint8_t*`, 0 or 1
  date_days,   ///< `const std::int32_t*`, days since 1970-01-01; `missing_date`: no value
  codes,       ///< `const std::int32_t*` into `categories` (strings); negative: no value
  double_rows  ///< a row-major block of `width` doubles per row, `lengths[i]` of them used
};

/// One variable's values for every row, in caller-owned memory that outlives the evaluation.
struct column_view {
  column_layout what = column_layout::float64;
  const void* data = nullptr;
  std::size_t width = 0;                  ///< double_rows: values per row in the block
  const std::int64_t* lengths = nullptr;  ///< double_rows: used values per row; null: `width`
  std::int32_t missing_date = INT32_MIN;  ///< date_days
  const std::vector<std::string>* categories = nullptr;  ///< codes
};

/// What each variable slot holds for a columnar evaluation: a column, one value for every row,
/// or nothing (then programs that read the slot have no columnar form).
class column_bindings {
 public:
  explicit column_bindings(std::size_t slots) : entries_(slots) {}
  /// Throws std::out_of_range for a slot beyond the size given at construction.
  void set_column(std::size_t slot, column_view c);
  /// The same value for every row (e.g. `as_of`). Must outlive the evaluation if borrowed.
  void set_value(std::size_t slot, value v);

  struct entry {
    enum class kind : std::uint8_t { none, column, scalar } what = kind::none;
    column_view column;
    value scalar;
  };
  [[nodiscard]] const entry& at(std::size_t slot) const;
  [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }

 private:
  std::vector<entry> entries_;
};

namespace detail {
class vector_kernel;
}

/// A boolean program compiled against the layouts of some column bindings. Immutable and
/// thread-safe; it refers to the bindings' memory, which must outlive it.
class vector_program {
 public:
  /// Rows evaluated per step (and the most evaluate() takes at once).
  static constexpr std::size_t chunk = 256;

  /// Results for rows [first, first + count), count ≤ chunk: out[i] is 0 (false), 1 (true) or
  /// 2 (undecided: evaluate that row with program::evaluate()). With `need`, rows where
  /// need[i] is 0 may be left undecided (costly parts skip them).
  void evaluate(std::size_t first, std::size_t count, std::uint8_t* out,
                const std::uint8_t* need = nullptr) const;
  /// A rough cost per row (the comprehensions it runs), to evaluate cheap programs first.
  [[nodiscard]] std::size_t cost() const noexcept { return cost_; }

  /// Internal: wraps a kernel tree (see vectorize()).
  vector_program(std::shared_ptr<const detail::vector_kernel> root, std::size_t cost);

 private:
  std::shared_ptr<const detail::vector_kernel> root_;
  std::size_t cost_ = 0;
};

/// The columnar form of `p` over `columns`, or nothing when some part of `p` has none (or its
/// result is not a boolean). `columns` must have a slot for every variable `p` reads.
[[nodiscard]] std::optional<vector_program> vectorize(const program& p,
                                                      const column_bindings& columns);

}  // namespace keyaccount::expr
