#pragma once
/// \file
/// The one check and the one wording of a field's value that every reader of input shares: the
/// customer record parser (JSON, CSV cells), the columnar tables (numpy and Arrow), workflow
/// requests, care inputs and the command line. A date that is not a calendar day, or a number
/// that is not whole, is refused in the same words whichever way it came in; each reader wraps
/// the words in its own layer's error with its own location (file:line, pointer, row, field).
///
///     if (auto d = date::parse(text); !d) throw input_error(path, field_check::not_a_date(text));
///     if (auto n = field_check::whole_number(x); !n)
///       throw input_error(path, field_check::not_a_whole_number(shown));

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace keyaccount::field_check {

/// `required value is missing`: a required field absent from a record, null, NaN or an empty
/// table cell.
[[nodiscard]] std::string missing_required();

/// `empty: every customer needs an id`: a customer id that is the empty text.
[[nodiscard]] std::string empty_id();

/// `not a finite number`: NaN or an infinity where a number (or a month of a series, or a
/// whole number) must be given, in a record or a table.
[[nodiscard]] std::string not_finite();

/// `"charity" is not an allowed value`: text that is not one of an enum field's values (the
/// value as it came, unescaped).
[[nodiscard]] std::string not_allowed(std::string_view text);

/// `expected a number, got a string`: a value of the wrong kind. `expected` says what the
/// field takes ("a number", "true or false"), `kind` what came ("a string", "a boolean", as
/// json::kind_of and io::table_cell word them).
[[nodiscard]] std::string wrong_kind(std::string_view expected, std::string_view kind);

/// `expected a date YYYY-MM-DD, got "2026-02-30"`: text that is not a calendar day.
[[nodiscard]] std::string not_a_date(std::string_view text);

/// `expected a date YYYY-MM-DD, got a number`: a value of another kind, named by the caller
/// ("a number", "null", "an object", ...).
[[nodiscard]] std::string not_a_date_kind(std::string_view kind);

/// `d` as an int64 when it is finite, has no fraction and lies in [-2^63, 2^63). The range is
/// checked before converting: converting a double outside it is undefined behaviour (1e300).
[[nodiscard]] std::optional<std::int64_t> whole_number(double d) noexcept;

/// Text that is exactly a whole number in digits (an optional leading '-'), as an int64; empty
/// for anything else (spaces, a sign '+', a fraction, an exponent) or beyond int64.
[[nodiscard]] std::optional<std::int64_t> whole_number(std::string_view digits) noexcept;

/// Why `d`, written `shown` in the input, is not a whole number an int64 field holds:
/// not_finite() for NaN and the infinities, beyond_int64(shown) for a whole number past int64,
/// not_a_whole_number(shown) otherwise.
[[nodiscard]] std::string why_not_whole(double d, std::string_view shown);

/// `expected a whole number, got 2.5`; `shown` is the value as the input wrote it (quoted by
/// the caller when it was text).
[[nodiscard]] std::string not_a_whole_number(std::string_view shown);

/// `expected a whole number >= 0, got -1`.
[[nodiscard]] std::string not_a_whole_number(std::string_view shown, std::int64_t min);

/// `expected a whole number from 1 to 100000, got 0`.
[[nodiscard]] std::string not_a_whole_number(std::string_view shown, std::int64_t min,
                                             std::int64_t max);

/// `expected a whole number from -9223372036854775808 to 9223372036854775807, got 1e300`: a
/// whole number beyond what an int64 field holds.
[[nodiscard]] std::string beyond_int64(std::string_view shown);

}  // namespace keyaccount::field_check
