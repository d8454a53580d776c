#pragma once
/// \file
/// Columnar batch classification: whole tables as per-field arrays, evaluated without copying
/// (series are borrowed as spans of a fixed-width, row-major 2-D block), optionally on several
/// threads. Same results as classifying the rows one at a time.
///
///     keyaccount::column_table t(rows);
///     t.set_categories("category", codes, {"government", "other", ...});
///     t.set_dates("first_order", days_since_epoch);
///     t.set_series("monthly_shipments", block, 36, lengths);
///     t.set_numbers("cumulative_amount", amounts);
///     auto r = keyaccount::classify_batch(c, t, as_of);   // r.tiers[i]: tier index or -1

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "keyaccount/classify/classifier.hpp"

namespace keyaccount {

/// Caller-owned columns of a table of customers (nothing is copied: the arrays must outlive the
/// classification). Setting a column checks its shape once; values are checked per row while
/// classifying. Not synchronised: fill it on one thread, then share it read-only.
class column_table {
 public:
  /// A table of `rows` customers.
  explicit column_table(std::size_t rows) : rows_(rows) {}
  [[nodiscard]] std::size_t rows() const noexcept { return rows_; }

  /// A number column (NaN: absent). Throws std::invalid_argument when the length differs.
  void set_numbers(std::string field, std::span<const double> values);
  /// A whole-number column; `missing` (empty, or one byte per row, non-zero: absent) marks
  /// absent values, which the array itself cannot.
  void set_integers(std::string field, std::span<const std::int64_t> values,
                    std::span<const std::uint8_t> missing = {});
  /// A boolean column (0 / 1); `missing` as for set_integers().
  void set_booleans(std::string field, std::span<const std::uint8_t> values,
                    std::span<const std::uint8_t> missing = {});
  /// A date column as days since 1970-01-01; `missing` marks absent values.
  void set_dates(std::string field, std::span<const std::int32_t> days,
                 std::int32_t missing = INT32_MIN);
  /// A text column (enum values are checked against the schema per row).
  void set_strings(std::string field, std::span<const std::string_view> values);
  /// A categorical text column: per-row codes into `categories` (a negative code: absent).
  void set_categories(std::string field, std::span<const std::int32_t> codes,
                      std::vector<std::string> categories);
  /// A series column: row i is block[i·width, i·width + lengths[i]) (oldest first). Empty
  /// `lengths`: every row has `width` values; `missing` as for set_integers() (such a row's
  /// length is then not read). Throws std::invalid_argument on a shape mismatch.
  void set_series(std::string field, std::span<const double> block, std::size_t width,
                  std::span<const std::int64_t> lengths = {},
                  std::span<const std::uint8_t> missing = {});

  /// One column (internal layout; read by classify_batch).
  struct column {
    enum class kind : std::uint8_t {
      numbers,
      integers,
      booleans,
      dates,
      strings,
      categories,
      series
    };
    std::string field;
    kind what = kind::numbers;
    const void* data = nullptr;
    std::size_t width = 0;                  // series
    const std::int64_t* lengths = nullptr;  // series, may be null
    std::int32_t missing_date = INT32_MIN;
    std::vector<std::string> categories;
    const std::uint8_t* missing = nullptr;  // integers, booleans, series: non-zero: absent
  };
  [[nodiscard]] const std::vector<column>& columns() const noexcept { return columns_; }

 private:
  void add(column c, std::size_t length);
  std::size_t rows_;
  std::vector<column> columns_;
};

/// Options of classify_batch().
struct batch_options {
  unsigned threads = 1;  ///< worker threads (0: hardware concurrency); rows split in blocks
  bool explain = false;  ///< also produce an explanation per row
  std::size_t begin = 0, end = SIZE_MAX;  ///< row range to classify
};

/// A row without a tier: a value that could not be read (`field` names it), or a criterion
/// whose condition failed to evaluate on the row's data (`criterion` names it, `field` is
/// empty and `message` is the CEL error, the cause).
struct batch_row_error {
  std::size_t row = 0;
  std::string field;
  std::string message;
  std::string criterion;
};

/// The result of a batch: a tier index per row (−1: the row is malformed or failed to evaluate).
struct batch_result {
  std::vector<std::int32_t> tiers;
  /// When requested, one per row of the range classified: explanations[i] is row begin + i
  /// (empty for a bad row). Explaining a large table a range at a time bounds their memory.
  std::vector<explanation> explanations;
  std::vector<batch_row_error> errors;  ///< in row order
};

/// Classifies every row of `table` on `as_of`. Columns are matched to the policy's customer
/// schema by field id; a column for an unknown field or of the wrong kind throws input_error
/// (before any row is evaluated), a missing column for a field the criteria use is an absent
/// value (an error for a required field). Thread-safe for distinct outputs.
[[nodiscard]] batch_result classify_batch(const classifier& c, const column_table& table,
                                          date as_of, const batch_options& options = {});

/// The same into caller-owned `tiers` (size rows(); no explanations), returning the row errors.
/// The hot path of the Python binding: nothing is allocated per row.
std::vector<batch_row_error> classify_batch_into(const classifier& c, const column_table& table,
                                                 date as_of, std::span<std::int32_t> tiers,
                                                 unsigned threads = 1);

/// The row errors of classify_batch_pair_into(), one list per classifier.
struct batch_pair_errors {
  std::vector<batch_row_error> a, b;
};

/// The tiers of every row under two classifiers of the same customer schema (a policy and its
/// amendment), in one pass: equal to classify_batch_into(a, ...) and classify_batch_into(b, ...),
/// but each row is checked once and a leaf criterion whose condition and parameter values are
/// the same in both is evaluated once (compare_batch's hot path: a parameter change costs the
/// criteria that read it, not a second classification). The schemas must be the same.
batch_pair_errors classify_batch_pair_into(const classifier& a, const classifier& b,
                                           const column_table& table, date as_of,
                                           std::span<std::int32_t> tiers_a,
                                           std::span<std::int32_t> tiers_b, unsigned threads = 1);

/// The explanations of the rows `rows` of `table` (in that order), with provenance: for a few
/// rows of a large table (the customers whose tier a policy change moves). A row that cannot be
/// read gives an explanation without a tier whose `error` names the field.
[[nodiscard]] std::vector<explanation> explain_rows(const classifier& c, const column_table& table,
                                                    date as_of, std::span<const std::size_t> rows);

}  // namespace keyaccount
