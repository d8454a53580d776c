#pragma once
/// \file
/// Reading records from a stream or a file: the one reader of every command's and every Python
/// entry point's input files (customers, accounts, complaints, festivals, stock, order lines).
///
/// Formats:
/// - JSON: JSON Lines (one value per line, blank lines passed over) or, when the first
///   non-blank character is `[`, one JSON array read whole (what `json.dump(list)` and pandas'
///   `to_json(orient="records")` write);
/// - CSV: a header row, then one record per row (RFC 4180, strict, parsed by libcsv); a record
///   that ends inside a quoted cell, on the last line too, makes the input malformed.
///
/// A UTF-8 byte order mark at the start is skipped (spreadsheets write one), CRLF line ends are
/// read as LF ends. Every record carries the 1-based line it came from: where it ends (CSV, JSON
/// Lines) or where it starts (an element of a JSON array). A record that cannot be read (a JSON
/// Lines line that is not JSON, a CSV row with the wrong number of cells) is reported in the
/// record (`error`), so that callers can skip it; what makes the rest unreadable (broken CSV
/// quoting, a broken JSON array, no CSV header) throws `read_error`.
///
/// CSV cells are text: a series (`monthly_shipments`) is written as `;`-separated numbers in one
/// cell, and the reader of the record (the customer schema's, `care::account_from_json`...)
/// decides what a cell means.

#include <cstddef>
#include <fstream>
#include <functional>
#include <iosfwd>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "keyaccount/core/error.hpp"
#include "keyaccount/policy/source_document.hpp"

namespace keyaccount::io {

enum class format {
  json,  ///< JSON Lines, or one JSON array
  csv,   ///< a header row, then one record per row
};

/// The format a file name says: `.csv` (any case) is CSV, anything else JSON.
[[nodiscard]] format format_of(std::string_view path) noexcept;

/// Input that cannot be read on: `line` (1-based, 0 when it is not about one line) and
/// `column` (0 when unknown) say where. `what()` is `message()` with its place in front
/// ("line 4: malformed CSV (...)"); callers with a file name write `FILE:LINE[:COLUMN]: `
/// instead (`located`).
/// Kind `error_kind::read`; `where()` holds the line and column.
class read_error : public error {
 public:
  read_error(std::size_t line, std::size_t column, const std::string& message);
  [[nodiscard]] std::size_t line() const noexcept { return error::where().line; }
  [[nodiscard]] std::size_t column() const noexcept { return error::where().column; }
  using error::where;
  /// `NAME:LINE:COLUMN`, without what is unknown (`NAME` alone for line 0): the place of the
  /// error in the input called NAME (a file name), for `NAME:LINE: error[kind]: message`.
  [[nodiscard]] std::string where(const std::string& name) const;
  /// `where(name): message()`.
  [[nodiscard]] std::string located(const std::string& name) const;
};

/// One record read.
struct record {
  std::size_t line = 0;  ///< 1-based: where it ends (CSV, JSON Lines) or starts (array element)
  /// The record: the JSON value; for CSV (with `read_options::csv_objects`) an object of the
  /// header's names to the row's cells, as text, cells left empty being absent. Null when
  /// `error` is set.
  nlohmann::json value;
  /// CSV: the row's cells in header order (without `csv_objects`, the record itself).
  std::vector<std::string> cells;
  /// Why the record cannot be read ("not valid JSON: ...", "expected 4 cells, got 3"); empty
  /// when it was read.
  std::string error;
};

struct read_options {
  format input = format::json;
  /// Lines already consumed from the stream (blank lines passed over to sniff its format), so
  /// that every line reported counts from the input's first.
  std::size_t lines_before = 0;
  /// CSV: also build each record's `value` (an object) and check its number of cells.
  bool csv_objects = true;
  /// CSV: called with the header row before the first record; may throw (a column it does
  /// not know), which ends the reading.
  std::function<void(const std::vector<std::string>&)> on_header;
  /// Told how many bytes have been read so far (for progress).
  std::function<void(std::size_t)> on_bytes;
};

/// Consumes a UTF-8 byte order mark at the start of `in`, if there is one. Throws read_error
/// (line 1) for bytes EF BB not followed by BF.
void skip_utf8_bom(std::istream& in);

/// Calls `sink` for each record of `in` in input order; stops when it returns false. Skips a
/// byte order mark first (skip_utf8_bom). Throws
/// read_error as described above; whatever `sink` or `on_header` throws passes through.
void read_records(std::istream& in, const read_options& options,
                  const std::function<bool(record&&)>& sink);

/// Why `path` cannot be opened for reading ("No such file or directory", "it is a directory"),
/// or nothing when `in` now reads it (binary mode).
[[nodiscard]] std::optional<std::string> open_file(const std::string& path, std::ifstream& in);

/// Every record of the file `path`, in the format its name says (format_of). Throws
/// read_error: line 0 with "cannot read the file (REASON)" when it cannot be opened, and as
/// read_records does; a record that cannot be read is returned with its `error`.
[[nodiscard]] std::vector<record> read_file(const std::string& path);

/// The 1-based line on which each of the `count` elements of the top-level JSON array in `text`
/// starts, in order. `text` must be JSON that keyaccount::parse_json accepted, with `count`
/// elements (the scan does not validate; the result always has `count` entries).
[[nodiscard]] std::vector<std::size_t> array_element_lines(std::string_view text,
                                                           std::size_t count);

/// `text` parsed with the position of every value and parse_json's depth limit (and no
/// other), so that its first error is the first thing parse_json refuses in `text`. For
/// messages: to say where a refused text is wrong, or where a member of an accepted one is.
[[nodiscard]] source_document parse_with_positions(const std::string& text,
                                                   std::vector<diagnostic>& problems);

/// Where in `text` keyaccount::parse_json refuses it (a syntax error, a duplicate key, nesting
/// past the limit: parse_json itself does not say where); empty when it has no such problem.
[[nodiscard]] std::optional<text_position> json_error_position(const std::string& text);

/// Where in the JSON text of the file `path` an error lies: the first thing
/// keyaccount::parse_json refuses in `text` (a syntax error, a duplicate key, nesting past the
/// limit: parse_json does not say where), else the member at JSON pointer `pointer` (its key, or
/// the nearest enclosing value); the file alone when neither applies. Reparses `text`: for
/// messages.
[[nodiscard]] location locate_in_json(const std::string& path, const std::string& text,
                                      const std::string& pointer = "");

/// Where in the JSON text `text` (a document keyaccount::parse_json accepted) lies the member a
/// problem names: `problem` starts with a dotted path and a colon, as org::people_from_json
/// words them ("people[2].positions[0]: unknown position ..."), looked up as the JSON pointer
/// "/people/2/positions/0" (its key, else the nearest enclosing value). Nothing when `problem`
/// starts with no such path. For a problem found in a file after it was read (the people file).
[[nodiscard]] std::optional<text_position> problem_position(const std::string& text,
                                                            std::string_view problem);

}  // namespace keyaccount::io
