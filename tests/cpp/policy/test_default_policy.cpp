#include <boost/test/unit_test.hpp>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "keyaccount/policy/default_policy.hpp"

BOOST_AUTO_TEST_SUITE(default_policy)

BOOST_AUTO_TEST_CASE(embedded_text_is_the_policy_file) {
  std::ifstream in(KEYACCOUNT_SOURCE_DIR "/policies/key-account-policy.json", std::ios::binary);
  BOOST_REQUIRE(in);
  std::string file_text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  BOOST_TEST(keyaccount::default_policy_text() == file_text);
}

BOOST_AUTO_TEST_CASE(embedded_text_parses_as_json) {
  auto doc = nlohmann::json::parse(keyaccount::default_policy_text());
  BOOST_TEST(doc.at("format_version").get<std::string>() == "1.0");
}

BOOST_AUTO_TEST_SUITE_END()
