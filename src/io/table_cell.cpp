#include "keyaccount/io/table_cell.hpp"

#include "expr/number_format.hpp"
#include "keyaccount/core/field_check.hpp"
#include "keyaccount/expr/date.hpp"

namespace keyaccount::io {

std::string kind_words(const table_cell& c) {
  switch (c.what) {
    case table_cell::kind::missing:
      return "null";
    case table_cell::kind::boolean:
      return "a boolean";
    case table_cell::kind::integer:
    case table_cell::kind::big_unsigned:
    case table_cell::kind::number:
      return "a number";
    case table_cell::kind::text:
      return "a string";
    case table_cell::kind::date:
      return "a date";
    case table_cell::kind::other:
      break;
  }
  return std::string(c.text);
}

const char* expected_words(field_type t) noexcept {
  switch (t) {
    case field_type::number:
      return "a number";
    case field_type::integer:
      return "a whole number";
    case field_type::boolean:
      return "true or false";
    case field_type::date_:
      return "a date YYYY-MM-DD";
    case field_type::series:
      return "an array of numbers";
    case field_type::string_list:
      return "an array of strings";
    case field_type::object:
      return "an object";
    default:
      return "a string";
  }
}

std::string wrong_kind(field_type t, const table_cell& c) {
  return field_check::wrong_kind(expected_words(t), kind_words(c));
}

bool read_number(const table_cell& c, double& out, std::string& why) {
  switch (c.what) {
    case table_cell::kind::number:
      out = c.number;
      return true;
    case table_cell::kind::integer:
      out = static_cast<double>(c.integer);
      return true;
    case table_cell::kind::big_unsigned:
      out = static_cast<double>(c.big);
      return true;
    default:
      why = wrong_kind(field_type::number, c);
      return false;
  }
}

bool read_integer(const table_cell& c, std::int64_t& out, std::string& why) {
  switch (c.what) {
    case table_cell::kind::integer:
      out = c.integer;
      return true;
    case table_cell::kind::big_unsigned:
      why = field_check::beyond_int64(std::to_string(c.big));
      return false;
    case table_cell::kind::number:
      // Taken when whole (4.0 is 4, as a spreadsheet or pandas often writes an int column).
      if (auto n = field_check::whole_number(c.number)) {
        out = *n;
        return true;
      }
      why = field_check::why_not_whole(c.number, expr::detail::format_double(c.number));
      return false;
    default:
      why = wrong_kind(field_type::integer, c);
      return false;
  }
}

bool read_boolean(const table_cell& c, std::uint8_t& out, std::string& why) {
  if (c.what == table_cell::kind::boolean) {
    out = c.boolean ? 1 : 0;
    return true;
  }
  why = wrong_kind(field_type::boolean, c);
  return false;
}

bool read_date(const table_cell& c, std::int32_t& out, std::string& why) {
  if (c.what == table_cell::kind::date) {
    out = c.days;
    return true;
  }
  if (c.what != table_cell::kind::text) {
    why = field_check::not_a_date_kind(kind_words(c));
    return false;
  }
  auto d = expr::date::parse(c.text);
  if (!d) {
    why = field_check::not_a_date(c.text);
    return false;
  }
  out = static_cast<std::int32_t>(d->days_since_epoch());
  return true;
}

bool read_text(const table_cell& c, std::string& why) {
  if (c.what == table_cell::kind::text) return true;
  why = wrong_kind(field_type::string_, c);
  return false;
}

bool read_id(const table_cell& c, std::string& why) {
  if (!read_text(c, why)) return false;
  if (!c.text.empty()) return true;
  why = field_check::empty_id();
  return false;
}

}  // namespace keyaccount::io
