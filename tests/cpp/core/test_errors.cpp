// The one error model (keyaccount/core/error.hpp): real failures of several layers caught as
// keyaccount::error, each with its kind, its place and its problems, and what() unchanged.
#include <boost/test/unit_test.hpp>
#include <sstream>
#include <string>

#include "keyaccount/care/planner.hpp"
#include "keyaccount/classify/classifier.hpp"
#include "keyaccount/core/error.hpp"
#include "keyaccount/io/records.hpp"
#include "keyaccount/json/parse.hpp"
#include "keyaccount/org/directory.hpp"
#include "keyaccount/policy/loader.hpp"
#include "keyaccount/workflow/json.hpp"
#include "test_workflow_fixtures.hpp"

using namespace keyaccount;

namespace {

// The keyaccount::error `f` throws; fails the test when it throws nothing.
template <class F>
error caught(F&& f) {
  try {
    f();
  } catch (const error& e) {
    return e;
  }
  BOOST_FAIL("no keyaccount::error thrown");
  return error(error_kind::input, {}, "unreachable");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(errors)

BOOST_AUTO_TEST_CASE(a_location_is_worded_one_way) {
  BOOST_TEST(location{}.to_string() == "");
  BOOST_TEST(location{}.empty());
  BOOST_TEST((location{.file = "c.csv", .line = 4, .column = 2}.to_string() == "c.csv:4:2"));
  BOOST_TEST((location{.file = "c.csv", .line = 4}.to_string() == "c.csv:4"));
  BOOST_TEST((location{.line = 4, .column = 2}.to_string() == "line 4, column 2"));
  BOOST_TEST((location{.pointer = "/history/2/on"}.to_string() == "/history/2/on"));
  BOOST_TEST(
      (location{.file = "p.jsonl", .line = 3, .field = "tier"}.to_string() == "p.jsonl:3: tier"));
  BOOST_TEST((location{.field = "first_order", .row = 7}.to_string() == "row 7: first_order"));
  const error e(error_kind::input, location{.field = "tier"}, "unknown tier");
  BOOST_TEST(e.what() == std::string("tier: unknown tier"));
  BOOST_TEST(e.message() == "unknown tier");
  BOOST_TEST(e.problems() == std::vector<std::string>{"tier: unknown tier"},
             boost::test_tools::per_element());
  BOOST_TEST(to_string(error_kind::workflow_format) == "workflow_format");
}

BOOST_AUTO_TEST_CASE(bad_people_are_a_people_error_with_every_problem) {
  auto e = caught([] {
    (void)org::people_from_json(nlohmann::json::parse(R"([{"id": "a", "positions": 3}, 4])"));
  });
  BOOST_TEST((e.kind() == error_kind::people));
  BOOST_REQUIRE_EQUAL(e.problems().size(), 2U);
  BOOST_TEST(e.problems()[0] == "people[0].positions: expected an array of strings");
  BOOST_TEST(e.problems()[1] == "people[1]: expected an object");
  BOOST_TEST(std::string(e.what()).starts_with("invalid people\n  people[0].positions"));
}

BOOST_AUTO_TEST_CASE(a_bad_customer_field_is_an_input_error_at_the_field) {
  const classifier c(default_policy());
  auto e = caught(
      [&] { (void)c.parser().from_json_text(R"({"id": "C1", "first_order": "2024-02-30"})"); });
  BOOST_TEST((e.kind() == error_kind::input));
  BOOST_TEST(e.where().field == "first_order");
  BOOST_TEST(std::string(e.what()).starts_with("first_order: "), e.what());
  BOOST_TEST(e.problems().size() == 1U);
}

BOOST_AUTO_TEST_CASE(broken_csv_is_a_read_error_at_its_line) {
  std::istringstream in("id,name\nA,\"open\n");
  io::read_options options;
  options.input = io::format::csv;
  auto e = caught([&] { io::read_records(in, options, [](io::record&&) { return true; }); });
  BOOST_TEST((e.kind() == error_kind::read));
  BOOST_TEST(e.where().line == 2U);
  BOOST_TEST(std::string(e.what()).starts_with("line 2"), e.what());
}

BOOST_AUTO_TEST_CASE(a_bad_instance_is_a_workflow_format_error_at_its_pointer) {
  auto e = caught([] { (void)workflows::instance_from_json(nlohmann::json::array()); });
  BOOST_TEST((e.kind() == error_kind::workflow_format));
  BOOST_TEST(e.where().pointer == "/");
  BOOST_TEST(e.what() == std::string("/: expected an object, got an array"));
  auto text = caught([] { (void)workflows::instance_from_json_text("{\n  ]"); });
  BOOST_TEST(text.where().line == 2U);
  BOOST_TEST(text.where().pointer == "");
}

BOOST_AUTO_TEST_CASE(a_policy_with_errors_is_a_policy_error_listing_them) {
  auto e = caught([] { (void)load_policy_or_throw(R"({"format_version": "1"})"); });
  BOOST_TEST((e.kind() == error_kind::policy));
  BOOST_TEST(!e.problems().empty());
  BOOST_TEST(e.problems()[0].find("error[") != std::string::npos, e.problems()[0]);
  BOOST_TEST(std::string(e.what()).starts_with("the policy has errors\n  " + e.problems()[0]));
}

BOOST_AUTO_TEST_CASE(json_and_plan_errors_keep_their_kind) {
  auto j = caught([] { (void)parse_json("[1,"); });
  BOOST_TEST((j.kind() == error_kind::json));
  const policy& p = default_policy();
  care::account a;
  a.id = "C1";
  a.tier = "gold";
  auto e = caught([&] {
    care::festival_calendar cal(p);
    (void)care::make_plan(p, cal, {a},
                          org::directory(fixtures::seed_org(), fixtures::seed_people()),
                          {fixtures::day("2026-11-01"), fixtures::day("2026-11-30"), 800});
  });
  BOOST_TEST((e.kind() == error_kind::plan));
  BOOST_REQUIRE_EQUAL(e.problems().size(), 1U);
  BOOST_TEST(e.problems()[0].starts_with("accounts[0].tier: unknown tier \"gold\""));
}

BOOST_AUTO_TEST_SUITE_END()
