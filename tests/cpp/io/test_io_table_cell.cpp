// The one check of a table cell (io/table_cell.hpp) says what the record reader says of the same
// value in JSON: each table reader (numpy columns, object columns) words a refusal alike.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "keyaccount/classify/record.hpp"
#include "keyaccount/io/table_cell.hpp"

using keyaccount::field;
using keyaccount::field_type;
using keyaccount::io::table_cell;

namespace {

// What the record reader says of `json` for a field of type `t`.
std::string record_says(field_type t, const nlohmann::json& json) {
  field f;
  f.id = "x";
  f.type = t;
  try {
    (void)keyaccount::field_value_from_json(f, json, "x");
  } catch (const keyaccount::input_error& e) {
    std::string text = e.what();
    return text.substr(text.find(": ") + 2);
  }
  return "accepted";
}

// What the table cell check says of `c` for a field of type `t`.
std::string cell_says(field_type t, const table_cell& c) {
  std::string why;
  double d = 0;
  std::int64_t n = 0;
  std::uint8_t b = 0;
  std::int32_t days = 0;
  bool ok = false;
  switch (t) {
    case field_type::number:
      ok = keyaccount::io::read_number(c, d, why);
      break;
    case field_type::integer:
      ok = keyaccount::io::read_integer(c, n, why);
      break;
    case field_type::boolean:
      ok = keyaccount::io::read_boolean(c, b, why);
      break;
    case field_type::date_:
      ok = keyaccount::io::read_date(c, days, why);
      break;
    default:
      ok = keyaccount::io::read_text(c, why);
  }
  return ok ? "accepted" : why;
}

table_cell cell(table_cell::kind k) {
  table_cell c;
  c.what = k;
  return c;
}
table_cell number(double d) {
  auto c = cell(table_cell::kind::number);
  c.number = d;
  return c;
}
table_cell integer(std::int64_t n) {
  auto c = cell(table_cell::kind::integer);
  c.integer = n;
  return c;
}
table_cell big(std::uint64_t u) {
  auto c = cell(table_cell::kind::big_unsigned);
  c.big = u;
  return c;
}
table_cell text(std::string_view t, table_cell::kind k = table_cell::kind::text) {
  auto c = cell(k);
  c.text = t;
  return c;
}
table_cell boolean(bool b) {
  auto c = cell(table_cell::kind::boolean);
  c.boolean = b;
  return c;
}
table_cell date(std::int32_t days) {
  auto c = cell(table_cell::kind::date);
  c.days = days;
  return c;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(io_table_cell)

BOOST_AUTO_TEST_CASE(a_cell_is_refused_in_the_record_readers_words) {
  struct example {
    field_type type;
    table_cell cell;
    nlohmann::json json;
  };
  const example examples[] = {
      {field_type::integer, number(4.5), 4.5},
      {field_type::integer, number(1e300), 1e300},
      {field_type::integer, number(9223372036854775808.0), 9223372036854775808.0},
      {field_type::integer, big(1ULL << 63), nlohmann::json(1ULL << 63)},
      {field_type::integer, text("5"), "5"},
      {field_type::integer, boolean(true), true},
      {field_type::integer, number(4.0), 4.0},
      {field_type::number, text("600"), "600"},
      {field_type::number, boolean(true), true},
      {field_type::number, integer(7), 7},
      {field_type::boolean, integer(2), 2},
      {field_type::boolean, number(0.5), 0.5},
      {field_type::boolean, boolean(false), false},
      {field_type::date_, text("2026-02-30"), "2026-02-30"},
      {field_type::date_, integer(5), 5},
      {field_type::date_, text("2026-02-28"), "2026-02-28"},
      {field_type::string_, integer(5), 5},
      {field_type::string_, boolean(true), true},
      {field_type::string_, text("north"), "north"},
  };
  for (const auto& e : examples)
    BOOST_TEST(cell_says(e.type, e.cell) == record_says(e.type, e.json), e.json.dump());
}

BOOST_AUTO_TEST_CASE(a_date_object_is_a_date_only_and_an_id_is_not_empty) {
  const table_cell day = date(20000);
  BOOST_TEST(cell_says(field_type::date_, day) == "accepted");
  BOOST_TEST(cell_says(field_type::number, day) == "expected a number, got a date");
  BOOST_TEST(cell_says(field_type::string_, day) == "expected a string, got a date");
  std::string why;
  BOOST_TEST(!keyaccount::io::read_id(text(""), why));
  BOOST_TEST(why == "empty: every customer needs an id");
  const table_cell decimal = text("a Decimal", table_cell::kind::other);
  BOOST_TEST(cell_says(field_type::integer, decimal) == "expected a whole number, got a Decimal");
}

BOOST_AUTO_TEST_SUITE_END()
