// Reading customer records: every malformed field is a located input_error, never a misreading.
#include <boost/test/unit_test.hpp>

#include "classify_fixtures.hpp"

using namespace classify_test;

namespace {
std::string error_field(const nlohmann::json& j) {
  try {
    (void)record(j);
  } catch (const keyaccount::input_error& e) {
    return e.field();
  }
  return "<no error>";
}
}  // namespace

BOOST_AUTO_TEST_SUITE(classify_record)

BOOST_AUTO_TEST_CASE(a_good_record_reads) {
  auto r = record(customer({1, 2.5}, 10));
  BOOST_TEST(r.id() == "C1");
  BOOST_TEST(r.get(4)->as_list().size() == 2u);
}

BOOST_AUTO_TEST_CASE(missing_required_field) {
  auto j = customer({1}, 10);
  j.erase("cumulative_amount");
  BOOST_TEST(error_field(j) == "cumulative_amount");
}

BOOST_AUTO_TEST_CASE(wrong_type) {
  auto j = customer({1}, 10);
  j["cumulative_amount"] = "800";
  BOOST_TEST(error_field(j) == "cumulative_amount");
}

BOOST_AUTO_TEST_CASE(bad_date) {
  BOOST_TEST(error_field(customer({1}, 10, "government", "2026-02-30")) == "first_order");
}

BOOST_AUTO_TEST_CASE(non_numeric_series_element) {
  auto j = customer({1, 2, 3}, 10);
  j["monthly_shipments"][2] = "x";
  BOOST_TEST(error_field(j) == "monthly_shipments[2]");
}

BOOST_AUTO_TEST_CASE(unknown_category_value) {
  BOOST_TEST(error_field(customer({1}, 10, "charity")) == "category");
}

BOOST_AUTO_TEST_CASE(unknown_field) {
  auto j = customer({1}, 10);
  j["cumulative_ammount"] = 5;
  BOOST_TEST(error_field(j) == "cumulative_ammount");
}

BOOST_AUTO_TEST_CASE(profile_card_fields_are_checked) {
  auto j = customer({1}, 10);
  j["profile"] = {{"address", "x"}};
  BOOST_TEST(error_field(j) == "profile.updated_on");
  j["profile"] = {{"updated_on", "2026-01-01"}, {"contacts", {"a", 3}}};
  BOOST_TEST(error_field(j) == "profile.contacts[1]");
}

BOOST_AUTO_TEST_CASE(whole_numbers_beyond_int64_are_refused_not_wrapped) {
  // The default schema has no integer field: one with an int field shows how JSON's unsigned
  // range (2^63 .. 2^64-1) and CSV text beyond int64 are read.
  keyaccount::policy p = keyaccount::default_policy();
  p.customers.fields.push_back({});
  p.customers.fields.back().id = "visits";
  p.customers.fields.back().type = keyaccount::field_type::integer;
  p.customers.fields.back().required = false;
  keyaccount::record_parser parser(p);
  auto j = customer({1}, 10);
  j["visits"] = 9223372036854775807ULL;
  BOOST_TEST(parser.from_json(j).get(*parser.slot_of("visits"))->as_int() ==
             std::numeric_limits<std::int64_t>::max());
  j["visits"] = 9223372036854775808ULL;
  try {
    (void)parser.from_json(j);
    BOOST_FAIL("expected an input_error");
  } catch (const keyaccount::input_error& e) {
    BOOST_TEST(e.field() == "visits");
    BOOST_TEST(std::string(e.what()).find("from -9223372036854775808 to 9223372036854775807") !=
               std::string::npos);
  }
  std::vector<std::string> header{
      "id", "name", "category", "first_order", "monthly_shipments", "cumulative_amount", "visits"};
  auto cols = parser.map_columns(header);
  std::vector<std::string> cells{
      "C9", "n", "monopoly", "2024-01-01", "1", "12", "-9223372036854775809"};
  try {
    (void)parser.from_text(cols, cells);
    BOOST_FAIL("expected an input_error");
  } catch (const keyaccount::input_error& e) {
    BOOST_TEST(e.field() == "visits");
    BOOST_TEST(std::string(e.what()).find("from -9223372036854775808 to 9223372036854775807") !=
               std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(a_whole_decimal_reads_as_a_whole_number_and_a_fraction_is_refused) {
  // pandas writes an int column with a gap as floats (4.0): taken when whole, exactly.
  keyaccount::policy p = keyaccount::default_policy();
  p.customers.fields.push_back({});
  p.customers.fields.back().id = "visits";
  p.customers.fields.back().type = keyaccount::field_type::integer;
  keyaccount::record_parser parser(p);
  const std::size_t slot = *parser.slot_of("visits");
  auto j = customer({1}, 10);
  j["visits"] = 4.0;
  BOOST_TEST(parser.from_json(j).get(slot)->as_int() == 4);
  j["visits"] = -9223372036854775808.0;  // -2^63, the smallest int64
  BOOST_TEST(parser.from_json(j).get(slot)->as_int() == std::numeric_limits<std::int64_t>::min());
  for (double bad : {4.5, 9223372036854775808.0, 1e300}) {
    j["visits"] = bad;
    BOOST_CHECK_THROW((void)parser.from_json(j), keyaccount::input_error);
  }
  std::vector<std::string> header{
      "id", "name", "category", "first_order", "monthly_shipments", "cumulative_amount", "visits"};
  auto cols = parser.map_columns(header);
  std::vector<std::string> cells{"C9", "n", "monopoly", "2024-01-01", "1", "12", "4.0"};
  BOOST_TEST(parser.from_text(cols, cells).get(slot)->as_int() == 4);
  cells[6] = "1e3";
  BOOST_TEST(parser.from_text(cols, cells).get(slot)->as_int() == 1000);
  for (const char* bad : {"4.5", "1e19", "four", "nan"}) {
    cells[6] = bad;
    BOOST_CHECK_THROW((void)parser.from_text(cols, cells), keyaccount::input_error);
  }
}

BOOST_AUTO_TEST_CASE(an_empty_id_is_refused) {
  auto j = customer({1}, 10);
  j["id"] = "";
  BOOST_TEST(error_field(j) == "id");
}

BOOST_AUTO_TEST_CASE(a_cell_that_is_not_utf8_is_refused_with_its_byte) {
  // A GBK or Latin-1 export: the bytes would otherwise pass into ids and names unchecked.
  const auto& p = default_classifier().parser();
  std::vector<std::string> header{
      "id", "name", "category", "first_order", "monthly_shipments", "cumulative_amount"};
  auto cols = p.map_columns(header);
  std::vector<std::string> cells{"C9", "Caf\xe9", "monopoly", "2024-01-01", "1", "12"};
  try {
    (void)p.from_text(cols, cells);
    BOOST_FAIL("expected an input_error");
  } catch (const keyaccount::input_error& e) {
    BOOST_TEST(e.field() == "name");
    BOOST_TEST(std::string(e.what()).find("not valid UTF-8 (byte 4 ") != std::string::npos);
  }
  // Well-formed multi-byte text reads unchanged.
  cells[1] = "重点客户 Café";
  BOOST_TEST(std::string(p.from_text(cols, cells).get(1)->as_string()) == "重点客户 Café");
  // Malformed forms: a lone continuation byte, an overlong '/', a surrogate, past U+10FFFF, a
  // sequence cut short.
  for (const char* bad : {"\x80", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe9\x87"}) {
    cells[1] = bad;
    BOOST_CHECK_THROW((void)p.from_text(cols, cells), keyaccount::input_error);
  }
}

BOOST_AUTO_TEST_CASE(text_cells_read_like_csv) {
  const auto& p = default_classifier().parser();
  std::vector<std::string> header{
      "id", "name", "category", "first_order", "monthly_shipments", "cumulative_amount"};
  auto cols = p.map_columns(header);
  std::vector<std::string> cells{"C9", "n", "monopoly", "2024-01-01", "1; 2.5;3", "12"};
  auto r = p.from_text(cols, cells);
  BOOST_TEST(r.id() == "C9");
  BOOST_TEST(r.get(4)->as_list().doubles()[1] == 2.5);
  cells[4] = "1;;3";
  try {
    (void)p.from_text(cols, cells);
    BOOST_FAIL("expected an input_error");
  } catch (const keyaccount::input_error& e) {
    BOOST_TEST(e.field() == "monthly_shipments[1]");
  }
  header[5] = "cumulative";
  BOOST_CHECK_THROW((void)p.map_columns(header), keyaccount::input_error);
}

BOOST_AUTO_TEST_SUITE_END()
