#pragma once
/// \file
/// Customers read from a stream or a file (io::read_records) into records of a policy's
/// customer schema: what `keyaccount classify`, `plan --customers`, `compliance --customers` and
/// the Python functions given a customers file read. CSV cells are read by the schema
/// (`record_parser::from_text`: series as `;`-separated numbers), JSON records by
/// `record_parser::from_json`.

#include <cstddef>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>

#include "keyaccount/classify/record.hpp"
#include "keyaccount/io/records.hpp"

namespace keyaccount::io {

/// One customer read, or why it could not be.
struct customer_item {
  std::size_t line = 0;  ///< as io::record::line
  std::optional<customer_record> record;
  std::string error;  ///< "field: message" when `record` is empty
};

/// Calls `sink` for each customer of `in` in input order; stops when it returns false. Throws
/// read_error as io::read_records does, and keyaccount::input_error for a CSV header the
/// schema cannot read (an unknown or repeated column, a required field missing).
void read_customers(std::istream& in, format input, const record_parser& parser,
                    const std::function<bool(customer_item&&)>& sink,
                    const std::function<void(std::size_t)>& on_bytes = {},
                    std::size_t lines_before = 0);

}  // namespace keyaccount::io
