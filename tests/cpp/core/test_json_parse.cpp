// parse_json: the one JSON reader of every input, with its limits (nesting depth, numbers past a
// double) and messages free of nlohmann's exception prefixes.
#include <boost/test/unit_test.hpp>
#include <string>

#include "keyaccount/json/parse.hpp"

namespace {
std::string nested(std::size_t levels) {
  return std::string(levels, '[') + std::string(levels, ']');
}
std::string error_of(const std::string& text, std::size_t max_depth = keyaccount::json_max_depth) {
  try {
    (void)keyaccount::parse_json(text, max_depth);
  } catch (const keyaccount::json_error& e) {
    return e.what();
  }
  return "<no error>";
}
}  // namespace

BOOST_AUTO_TEST_SUITE(json_parse)

BOOST_AUTO_TEST_CASE(values_within_the_limits_read_as_nlohmann_reads_them) {
  const std::string text = R"({"id": "C1", "months": [1, 2.5, -3], "profile": {"a": [[true]]}})";
  BOOST_TEST(keyaccount::parse_json(text) == nlohmann::json::parse(text));
  BOOST_TEST(keyaccount::parse_json("1.7e308").get<double>() == 1.7e308);
}

BOOST_AUTO_TEST_CASE(nesting_is_limited_exactly_at_max_depth) {
  // 64 levels read; 65 do not. Counted across objects and arrays alike.
  BOOST_TEST(keyaccount::parse_json(nested(64)).is_array());
  BOOST_TEST(error_of(nested(65)) == "objects and arrays nest deeper than the limit of 64 levels");
  BOOST_TEST(error_of(R"({"a": {"b": [1]}})", 2).find("limit of 2 levels") != std::string::npos);
  BOOST_TEST(keyaccount::parse_json(R"({"a": {"b": 1}})", 2).at("a").at("b") == 1);
  // The input that overflowed the stack when copied: refused without building it.
  BOOST_TEST(error_of(nested(150000)).find("limit of 64") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_text_and_huge_numbers_are_json_errors_with_a_plain_message) {
  const std::string syntax = error_of(R"({"a": })");
  BOOST_TEST(syntax.find("syntax error") != std::string::npos, syntax);
  BOOST_TEST(syntax.find("line 1, column 7") != std::string::npos, syntax);
  BOOST_TEST(syntax.find("[json.exception") == std::string::npos, syntax);
  BOOST_TEST(error_of("[1e400]") == "a number is too large to be read (beyond about 1.8e308)");
  BOOST_TEST(error_of("").find("syntax error") != std::string::npos);
  BOOST_TEST(error_of("{} {}").find("syntax error") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_message_quoting_bytes_that_are_not_utf8_escapes_them) {
  // nlohmann quotes the bytes it read last; raw, they would make the message itself invalid
  // UTF-8 (undecodable in Python, unprintable as JSON). Found by the atheris harness.
  const std::string message = error_of("[\"\xF9\"]");
  BOOST_TEST(message.find("\\xF9") != std::string::npos, message);
  BOOST_TEST(message.find('\xF9') == std::string::npos, message);
  // Well-formed multi-byte text around it is kept as it is.
  const std::string mixed = error_of("[\"\xE9\x87\x8D\", \"\xC3\"]");
  BOOST_TEST(mixed.find("\\xC3") != std::string::npos, mixed);
}

BOOST_AUTO_TEST_CASE(a_key_twice_in_one_object_is_refused_but_equal_keys_in_two_objects_are_not) {
  BOOST_TEST(error_of(R"({"amount": 1, "id": "A", "amount": 2})") ==
             "the key \"amount\" appears twice in one object");
  BOOST_TEST(error_of(R"([{"a": {"b": 1, "b": 2}}])").find("\"b\" appears twice") !=
             std::string::npos);
  const auto ok = keyaccount::parse_json(R"([{"a": 1, "b": {"a": 2}}, {"a": 3}])");
  BOOST_TEST(ok[0]["b"]["a"] == 2);
  BOOST_TEST(ok[1]["a"] == 3);
}

BOOST_AUTO_TEST_SUITE_END()
