#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "keyaccount/org/directory.hpp"
#include "test_workflow_fixtures.hpp"

using keyaccount::org::directory;
using keyaccount::org::input_error;
using keyaccount::org::person;

namespace {

std::vector<std::string> ids(const std::vector<const person*>& list) {
  std::vector<std::string> out;
  for (const person* p : list) out.push_back(p->id);
  return out;
}

// The problems of building a directory from `people`; empty when it builds.
std::vector<std::string> problems_of(std::vector<person> people) {
  try {
    directory d(fixtures::seed_org(), std::move(people));
  } catch (const input_error& e) {
    return e.problems();
  }
  return {};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(org)

BOOST_AUTO_TEST_CASE(holders_are_active_people_ordered_by_id) {
  directory d(fixtures::seed_org(), fixtures::seed_people());
  BOOST_TEST(ids(d.holders("cr_specialist")) == (std::vector<std::string>{"alice", "bob", "cora"}));
  BOOST_TEST(ids(d.holders("finance_reviewer")) == std::vector<std::string>{"fay"});  // fred left
  BOOST_TEST(d.holders("no_such_position").empty());
  BOOST_TEST(d.holds("fay", "finance_reviewer"));
  BOOST_TEST(!d.holds("fred", "finance_reviewer"));
  BOOST_TEST(!d.holds("nobody", "finance_reviewer"));
}

BOOST_AUTO_TEST_CASE(superior_is_explicit_or_follows_the_reporting_line) {
  directory d(fixtures::seed_org(), fixtures::seed_people());
  BOOST_TEST(d.superior_of("alice")->id == "sue");  // explicit
  BOOST_TEST(d.superior_of("cora")->id == "sam");   // explicit
  BOOST_TEST(d.superior_of("sue")->id == "carl");   // cr_supervisor reports to cs_manager
  BOOST_TEST(d.superior_of("fay")->id == "gina");   // finance_reviewer reports to the GM
  BOOST_TEST(d.superior_of("gina") == nullptr);     // the top
  BOOST_TEST(ids(d.superiors_of("alice", 5)) == (std::vector<std::string>{"sue", "carl", "gina"}));
  BOOST_TEST(ids(d.superiors_of("alice", 2)) == (std::vector<std::string>{"sue", "carl"}));
}

BOOST_AUTO_TEST_CASE(inactive_superiors_are_skipped) {
  auto people = fixtures::seed_people();
  for (auto& p : people) {
    if (p.id == "sue") p.active = false;
  }
  directory d(fixtures::seed_org(), people);
  BOOST_TEST(d.superior_of("alice")->id == "carl");  // sue is inactive: up to her superior
}

BOOST_AUTO_TEST_CASE(a_vacant_position_passes_escalation_up_the_line) {
  auto people = fixtures::seed_people();
  std::erase_if(people, [](const person& p) { return p.id == "carl"; });
  directory d(fixtures::seed_org(), people);
  BOOST_TEST(d.superior_of("sue")->id == "gina");  // no CS manager: the GM
}

BOOST_AUTO_TEST_CASE(bad_people_are_reported_all_at_once_with_locations) {
  auto people = fixtures::seed_people();
  people.push_back({"alice", "", {"cr_specialist"}, "", true});  // duplicate
  people.push_back({"zed", "", {"wizard"}, "nobody", true});     // two problems
  people.push_back({"gil", "", {"general_manager"}, "", true});  // GM headcount is 1
  auto problems = problems_of(people);
  BOOST_REQUIRE_EQUAL(problems.size(), 4u);
  BOOST_TEST(problems[0] == "people[11].id: duplicate person id \"alice\"");
  BOOST_TEST(problems[1] == "people[12].positions[0]: unknown position \"wizard\"");
  BOOST_TEST(problems[2] == "people[12].superior: unknown person \"nobody\"");
  BOOST_TEST(problems[3].find("\"general_manager\" allows 1 holder(s) but 2") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_loop_of_superiors_is_refused) {
  auto problems = problems_of(
      {{"a", "", {"cr_specialist"}, "b", true}, {"b", "", {"cr_specialist"}, "a", true}});
  BOOST_REQUIRE(!problems.empty());
  BOOST_TEST(problems[0].find("loops") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(people_json_round_trips_and_bad_json_is_located) {
  auto people = fixtures::seed_people();
  auto back = keyaccount::org::people_from_json(keyaccount::org::to_json(people));
  BOOST_TEST((back == people));
  auto bad = nlohmann::json::parse(
      R"({"people": [{"id": "a", "positions": "cr_specialist"}, {"name": "x", "active": 1}, 3]})");
  try {
    (void)keyaccount::org::people_from_json(bad);
    BOOST_FAIL("bad people JSON was accepted");
  } catch (const input_error& e) {
    BOOST_REQUIRE_EQUAL(e.problems().size(), 4u);
    BOOST_TEST(e.problems()[0] == "people[0].positions: expected an array of strings");
    BOOST_TEST(e.problems()[1] == "people[1].active: expected true or false");
    BOOST_TEST(e.problems()[2] == "people[1]: missing \"id\"");
    BOOST_TEST(e.problems()[3] == "people[2]: expected an object");
  }
}

BOOST_AUTO_TEST_SUITE_END()
