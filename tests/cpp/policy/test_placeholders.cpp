// The template's placeholder for the company's name ("XX企业", "××公司", "ＸＸ") is a blank like
// "____": an unfilled_field warning at the member, so `validate --strict` fails on it; the
// embedded default fills it with the documented example name and stays clean.
#include <boost/test/unit_test.hpp>

#include <string>

#include "cli_runner.hpp"
#include "keyaccount/policy/default_policy.hpp"
#include "keyaccount/policy/loader.hpp"

namespace {

// The default policy with its title replaced by `title`.
std::string titled(const std::string& title) {
  std::string text(keyaccount::default_policy_text());
  const std::string from = "\"name_zh\": \"示例公司重点客户关系维护办法\"";
  const auto at = text.find(from);
  BOOST_REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), "\"name_zh\": \"" + title + "\"");
  return text;
}

std::vector<keyaccount::diagnostic> unfilled(const std::string& text) {
  std::vector<keyaccount::diagnostic> out;
  for (const auto& d : keyaccount::load_policy(text).diagnostics)
    if (d.code == "unfilled_field") out.push_back(d);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(placeholders)

BOOST_AUTO_TEST_CASE(the_seeds_company_placeholders_are_unfilled_fields) {
  for (const char* title : {"XX企业重点客户关系维护办法", "××公司重点客户关系维护办法",
                            "XX公司重点客户关系维护办法", "ＸＸ集团重点客户关系维护办法"}) {
    BOOST_TEST_CONTEXT(title) {
      auto found = unfilled(titled(title));
      BOOST_REQUIRE_EQUAL(found.size(), 1u);
      BOOST_TEST((found[0].level == keyaccount::severity::warning));
      BOOST_TEST(found[0].pointer == "/document/name_zh");
      BOOST_TEST(found[0].line == 7u);
      BOOST_TEST(found[0].message.find("placeholder") != std::string::npos, found[0].message);
    }
  }
}

BOOST_AUTO_TEST_CASE(x_inside_a_word_is_not_a_placeholder) {
  for (const char* title : {"XXL 重点客户关系维护办法", "MAXX 企业办法", "X企业"}) {
    BOOST_TEST_CONTEXT(title) { BOOST_TEST(unfilled(titled(title)).empty()); }
  }
}

BOOST_AUTO_TEST_CASE(the_default_policy_is_clean_under_strict) {
  BOOST_TEST(keyaccount::load_policy(keyaccount::default_policy_text()).diagnostics.empty());
  auto r = keyaccount::testing::run_cli({"validate", "--strict"});
  BOOST_TEST(r.code == 0, r.out << r.err);
}

BOOST_AUTO_TEST_SUITE_END()
