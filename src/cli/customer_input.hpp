#pragma once
// Reading customers for `keyaccount classify`: JSON Lines (one object per line), one JSON array
// of such objects (read whole), or CSV (a header row of customer-schema field ids; series as
// `;`-separated numbers), each record with the line it came from. CSV is parsed by libcsv
// (RFC 4180, strict mode).

#include <cstddef>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>

#include "keyaccount/classify/record.hpp"

namespace keyaccount::cli {

enum class input_format { jsonl, csv };

/// One input record, or why it could not be read.
struct input_item {
  std::size_t line = 0;  ///< 1-based line where the record ends (in an array: starts)
  std::optional<customer_record> record;
  std::string error;  ///< "field: message" when record is empty
};

/// Consumes a UTF-8 byte order mark at the start of `in`, if there is one. Spreadsheets (Excel's
/// "CSV UTF-8" in particular) write one, and it would otherwise become part of the first column
/// name or make the first line look like something other than JSON.
void skip_utf8_bom(std::istream& in);

/// Calls `sink` for each record in input order; stops when it returns false. Throws
/// input_error for a problem that makes the rest unreadable (a bad CSV header or quoting).
/// `on_bytes` is told how many bytes have been read so far (for progress). `lines_before`:
/// lines the caller already consumed from `in` (blank lines passed over to sniff the format),
/// so that every line reported, records' and errors' alike, counts from the input's first.
void read_customers(std::istream& in, input_format format, const record_parser& parser,
                    const std::function<bool(input_item&&)>& sink,
                    const std::function<void(std::size_t)>& on_bytes = {},
                    std::size_t lines_before = 0);

}  // namespace keyaccount::cli
