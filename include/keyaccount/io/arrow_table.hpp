#pragma once
/// \file
/// Classifying tables of customers handed over through the Arrow C Data and C Stream Interfaces
/// (https://arrow.apache.org/docs/format/CDataInterface.html): a Polars frame, a pyarrow table or
/// record batch reader, a DuckDB result, an ADBC / Arrow Flight stream in a C++ CRM. Each record
/// batch is read column by column into a classify::column_table (nothing per cell but the value
/// itself), classified by classify_batch() and handed to the caller before the next batch is
/// read, so memory stays bounded by one batch.
///
///     ArrowArrayStream stream = ...;                   // from any Arrow producer
///     keyaccount::io::classify_arrow_stream(c, stream, as_of, {}, [&](const auto& batch) {
///       for (std::size_t i = 0; i < batch.rows; ++i) use(batch.ids[i], batch.result.tiers[i]);
///     });
///     stream.release(&stream);                         // the caller's: it owns the stream
///
/// Columns are matched to the customer schema by name. Read for each field type:
/// - number: float64 / float32 / any integer type (null: absent);
/// - int: any integer type, float64 / float32 holding whole numbers; bool: boolean (null: absent);
/// - date: date32, date64, timestamp without a time zone (its own calendar day), or text
///   (string, large_string, string_view, or dictionary-encoded) written YYYY-MM-DD;
/// - string / enum / person: string, large_string, string_view, or dictionary-encoded text (its
///   dictionary is read once per batch, the rows as codes);
/// - series: list / large_list / fixed_size_list of float64, float32 or integers (a null list:
///   absent; a null month: "not a finite number" at that month), or text as the CLI's CSV
///   writes it ("60;70;80").
/// Any other Arrow type for a field, and a column the schema does not declare, throw
/// input_error naming the column before any row is read (the rule the CLI's CSV header and a
/// record dict follow). Columns the policy's criteria do not read are not read, except `id`,
/// which names each customer in the result and in errors.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "keyaccount/classify/batch.hpp"
#include "keyaccount/policy/date.hpp"

// The Arrow C Data / C Stream Interface ABI, declared as the Arrow project specifies: "copied
// verbatim" into each consumer, with these guards so that a translation unit also including
// Arrow's or nanoarrow's own declaration sees one definition. Declared here rather than taken
// from nanoarrow: the ABI is these three structs (frozen since Arrow 1.0), nanoarrow is not
// packaged in Debian, and what keyaccount needs of it (offsets, bitmaps, dictionaries) is a few
// lines per type, checked below.
#ifndef ARROW_C_DATA_INTERFACE
#define ARROW_C_DATA_INTERFACE

#define ARROW_FLAG_DICTIONARY_ORDERED 1
#define ARROW_FLAG_NULLABLE 2
#define ARROW_FLAG_MAP_KEYS_SORTED 4

extern "C" {
struct ArrowSchema {
  // Array type description
  const char* format;
  const char* name;
  const char* metadata;
  int64_t flags;
  int64_t n_children;
  struct ArrowSchema** children;
  struct ArrowSchema* dictionary;

  // Release callback
  void (*release)(struct ArrowSchema*);
  // Opaque producer-specific data
  void* private_data;
};

struct ArrowArray {
  // Array data description
  int64_t length;
  int64_t null_count;
  int64_t offset;
  int64_t n_buffers;
  int64_t n_children;
  const void** buffers;
  struct ArrowArray** children;
  struct ArrowArray* dictionary;

  // Release callback
  void (*release)(struct ArrowArray*);
  // Opaque producer-specific data
  void* private_data;
};
}  // extern "C"

#endif  // ARROW_C_DATA_INTERFACE

#ifndef ARROW_C_STREAM_INTERFACE
#define ARROW_C_STREAM_INTERFACE

extern "C" {
struct ArrowArrayStream {
  // Callbacks providing stream functionality
  int (*get_schema)(struct ArrowArrayStream*, struct ArrowSchema* out);
  int (*get_next)(struct ArrowArrayStream*, struct ArrowArray* out);
  const char* (*get_last_error)(struct ArrowArrayStream*);

  // Release callback
  void (*release)(struct ArrowArrayStream*);

  // Opaque producer-specific data
  void* private_data;
};
}  // extern "C"

#endif  // ARROW_C_STREAM_INTERFACE

namespace keyaccount::io {

/// One record batch classified. Everything borrowed from the batch (the ids) is valid only
/// during the callback that receives it.
struct arrow_batch {
  std::size_t first_row = 0;  ///< the row of the stream this batch starts at (0-based)
  std::size_t rows = 0;
  /// Tiers of the batch's rows (result.tiers[i]: row first_row + i); result.errors[k].row is
  /// the stream's row; explanations as requested (batch_options::explain).
  batch_result result;
  /// The `id` column's text per row when the table has one (empty otherwise; an empty view for
  /// a null id).
  std::vector<std::string_view> ids;
  bool with_ids = false;  ///< the table has an `id` column
};

/// Reads record batches of one Arrow schema (a struct of columns, as a record batch exports)
/// for a classifier: the columns are matched with the customer schema once, on construction
/// (throws input_error for an unknown column, a column of a type its field cannot take, a
/// missing required column, or a schema that is not a struct).
class arrow_table_reader {
 public:
  arrow_table_reader(const classifier& c, const ArrowSchema& schema);
  ~arrow_table_reader();
  arrow_table_reader(const arrow_table_reader&) = delete;
  arrow_table_reader& operator=(const arrow_table_reader&) = delete;

  /// Whether the table has an `id` column (arrow_batch::ids filled).
  [[nodiscard]] bool has_ids() const noexcept;

  /// One batch read: its columns converted as the classifier reads them (borrowing the batch's
  /// buffers where they fit as they are, so the batch must outlive it), its ids, and the values
  /// the columns could not hold as their field requires (a text date that is not one, 2.5 for a
  /// whole number) as row errors.
  class batch_columns;

  /// Reads rows [begin, begin + count) of one batch (a struct array of the schema; the caller
  /// keeps ownership), the first of them being the stream's row `first_row`. Throws
  /// input_error for a batch that does not match the schema (lengths, buffers).
  [[nodiscard]] std::shared_ptr<const batch_columns> read(const ArrowArray& batch,
                                                          std::size_t first_row,
                                                          std::size_t begin = 0,
                                                          std::size_t count = SIZE_MAX) const;

  /// Classifies the rows [options.begin, options.end) of a batch read (every row by default):
  /// arrow_batch::first_row is then the stream's row of options.begin and everything in it
  /// covers that range only. Explaining a batch a range at a time bounds the explanations'
  /// memory.
  [[nodiscard]] arrow_batch classify(const batch_columns& columns, date as_of,
                                     const batch_options& options = {}) const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// How a batch is cut: it is read (converted) `read_rows` rows at a time, each piece then
/// classified, so that a piece's converted series stay in the processor's caches and memory
/// stays bounded however large the batch; with options.explain, handed over in ranges of at
/// most `explain_rows` rows, so that only one range's explanations exist at a time.
struct arrow_slices {
  std::size_t read_rows = 16384;
  std::size_t explain_rows = 4096;
};

/// Classifies one batch (`schema` and `batch` as `__arrow_c_array__` exports them; the caller
/// keeps ownership of both), handing the pieces to `sink` in row order.
void classify_arrow_array(const classifier& c, const ArrowSchema& schema, const ArrowArray& batch,
                          date as_of, const batch_options& options,
                          const std::function<void(arrow_batch&)>& sink, arrow_slices slices = {});

/// Classifies every batch of `stream` in order, handing the pieces of each to `sink` before
/// reading the next; returns the number of rows. The caller keeps ownership of the stream
/// (release it after). A stream error (get_schema / get_next failing) throws
/// std::runtime_error with the producer's message; what input_error and classify_batch throw
/// is passed on.
std::size_t classify_arrow_stream(const classifier& c, ArrowArrayStream& stream, date as_of,
                                  const batch_options& options,
                                  const std::function<void(arrow_batch&)>& sink,
                                  arrow_slices slices = {});

}  // namespace keyaccount::io
