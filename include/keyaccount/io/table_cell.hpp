#pragma once
/// \file
/// One cell of a table column, checked for its field as the record reader checks one JSON value
/// and refused in the same words (core/field_check.hpp). Every reader of columns (typed numpy
/// buffers, columns of Python objects, ...) describes each cell as a table_cell and reads it
/// here, so that what a field takes, what counts as a whole number and how a refusal is worded
/// exist once, whichever way a table came in.
///
///     io::table_cell c{.what = io::table_cell::kind::number, .number = 4.5};
///     std::int64_t n = 0;
///     std::string why;
///     if (!io::read_integer(c, n, why)) problem(row, field, why);  // "expected a whole number,
///     got 4.5"
///
/// A missing cell (None, NaN, a null) is the caller's to mark: it is absent for an optional
/// field and field_check::missing_required() for a required one.

#include <cstdint>
#include <string>
#include <string_view>

#include "keyaccount/policy/model.hpp"

namespace keyaccount::io {

/// What a reader found in one cell.
struct table_cell {
  enum class kind : std::uint8_t {
    missing,       ///< no value: None, NaN, a null, pandas' NA or NaT
    boolean,       ///< `boolean`
    integer,       ///< `integer`: a whole number that fits an int64
    big_unsigned,  ///< `big`: a whole number past int64 (up to 2^64 - 1)
    number,        ///< `number`: a floating-point number
    text,          ///< `text`
    date,          ///< `days` since 1970-01-01: a date object (not text)
    other,         ///< anything else; `text` says what it is ("an array", "a Decimal")
  };
  kind what = kind::missing;
  bool boolean = false;
  std::int64_t integer = 0;
  std::uint64_t big = 0;
  double number = 0.0;
  std::int32_t days = 0;
  std::string_view text;
};

/// What the cell is, as json::kind_of words a JSON value: "a boolean", "a number", "a string",
/// "a date", "null", or an `other` cell's own words.
[[nodiscard]] std::string kind_words(const table_cell& c);

/// What a field of type `t` takes, as the record reader words it: "a number", "a whole
/// number", "true or false", "a string", "a date YYYY-MM-DD", "an array of numbers".
[[nodiscard]] const char* expected_words(field_type t) noexcept;

/// The refusal of cell `c` for a field of type `t` that cannot take its kind:
/// `expected a number, got a string`.
[[nodiscard]] std::string wrong_kind(field_type t, const table_cell& c);

/// The reads of a cell that is not missing: true with `out` set, or false with `why` the
/// refusal in field_check's words.
/// - number: a number or a whole number (a boolean is not a number);
/// - integer: a whole number in int64, or a floating-point number with no fraction in range;
/// - boolean: a boolean only (1 is a number);
/// - date: a date, or text that is a calendar day YYYY-MM-DD;
/// - text: text only (a number is never turned into text).
[[nodiscard]] bool read_number(const table_cell& c, double& out, std::string& why);
[[nodiscard]] bool read_integer(const table_cell& c, std::int64_t& out, std::string& why);
[[nodiscard]] bool read_boolean(const table_cell& c, std::uint8_t& out, std::string& why);
[[nodiscard]] bool read_date(const table_cell& c, std::int32_t& out, std::string& why);
[[nodiscard]] bool read_text(const table_cell& c, std::string& why);

/// A customer id: text, not empty (field_check::empty_id()).
[[nodiscard]] bool read_id(const table_cell& c, std::string& why);

}  // namespace keyaccount::io
