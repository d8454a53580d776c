#pragma once
/// \file
/// Customer records: one customer's facts in the policy's customer schema, read from JSON (an
/// object per customer) or from text cells (CSV), with located errors for malformed input.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "keyaccount/core/error.hpp"
#include "keyaccount/expr/value.hpp"
#include "keyaccount/policy/model.hpp"

namespace keyaccount {

/// A customer record does not match the policy's customer schema: a required field is missing,
/// a value has the wrong type, a date is malformed, a series element is not a number, an enum
/// value is not allowed, or a field is unknown. `field()` names the field ("monthly_shipments[3]").
/// Kind `error_kind::input`, located at the field.
class input_error : public error {
 public:
  input_error(std::string field, const std::string& message)
      : error(error_kind::input, location{.field = std::move(field)}, message) {}
  /// The offending field, with an index or nested name when it applies; may be empty.
  [[nodiscard]] const std::string& field() const noexcept { return where().field; }
};

/// One customer's facts, one value per field of the customer schema in schema order (the CEL
/// variable slots of customer_declarations()). Absent optional fields are unset.
/// A value type that owns its data; safe to read from many threads.
class customer_record {
 public:
  customer_record() = default;
  explicit customer_record(std::size_t field_count) : values_(field_count) {}

  /// The value of field `index` (schema order), or nullptr when absent.
  [[nodiscard]] const expr::value* get(std::size_t index) const noexcept {
    return index < values_.size() && values_[index] ? &*values_[index] : nullptr;
  }
  /// Sets field `index` (schema order). Throws std::out_of_range beyond the schema.
  void set(std::size_t index, expr::value v) { values_.at(index) = std::move(v); }
  [[nodiscard]] std::size_t size() const noexcept { return values_.size(); }
  /// The `id` field's text when the schema has a string field `id`, else empty.
  [[nodiscard]] const std::string& id() const noexcept { return id_; }
  void set_id(std::string id) { id_ = std::move(id); }

 private:
  std::vector<std::optional<expr::value>> values_;
  std::string id_;
};

/// Reads customer records of one policy's schema. Immutable after construction; thread-safe.
class record_parser {
 public:
  /// Prepares a parser for `p.customers` (copied: the parser does not refer to `p` later).
  explicit record_parser(const policy& p);

  /// A record from a JSON object. Throws input_error naming the field for any mismatch,
  /// including unknown fields and missing required ones.
  [[nodiscard]] customer_record from_json(const nlohmann::json& object) const;
  /// A record from JSON text holding one object. Throws input_error (also for bad JSON).
  [[nodiscard]] customer_record from_json_text(std::string_view text) const;

  /// The schema index of each column name, for text rows (CSV). Throws input_error for an
  /// unknown column, a repeated one, or a missing required field.
  [[nodiscard]] std::vector<std::size_t> map_columns(std::span<const std::string> header) const;
  /// A record from text cells: series and string lists as `;`-separated items, dates as
  /// YYYY-MM-DD, objects as JSON text; an empty cell is an absent value. `columns` comes from
  /// map_columns(). Throws input_error naming the field.
  [[nodiscard]] customer_record from_text(std::span<const std::size_t> columns,
                                          std::span<const std::string> cells) const;

  /// The schema's fields, in slot order.
  [[nodiscard]] const std::vector<field>& fields() const noexcept { return fields_; }
  /// The slot of field `id`, if declared.
  [[nodiscard]] std::optional<std::size_t> slot_of(std::string_view id) const noexcept;

 private:
  // Sets the record's id from its `id` field; throws input_error when that is empty.
  void take_id(customer_record& r) const;

  std::vector<field> fields_;
  std::optional<std::size_t> id_slot_;
};

/// Why a record's date `value` cannot be true on `as_of`: every date of a customer record (the
/// first order, the profile card's update, ...) is a fact, and a fact cannot be dated after the
/// day it is known on ("2027-03-01 is after the as-of date 2026-06-30").
[[nodiscard]] std::string after_as_of_message(std::string_view value, std::string_view as_of);

/// Throws input_error naming the first date of `record` (a field, or a member of an object
/// field such as `profile.updated_on`) that is after `as_of` (days since 1970-01-01): such a
/// record contradicts the day it is classified on, whatever criterion would decide it.
/// `fields` is the schema the record was read with (record_parser::fields()).
void check_dates_not_after(const customer_record& record, const std::vector<field>& fields,
                           std::int32_t as_of);

/// The value of a field read from text (CSV cell rules above). Throws input_error naming `path`.
[[nodiscard]] expr::value field_value_from_text(const field& f, std::string_view text,
                                                const std::string& path);
/// The value of a field read from JSON. Throws input_error naming `path`.
[[nodiscard]] expr::value field_value_from_json(const field& f, const nlohmann::json& j,
                                                const std::string& path);

}  // namespace keyaccount
