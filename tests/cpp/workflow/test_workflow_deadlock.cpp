// The validator's `workflow_may_deadlock` check (issue 16, Art. 12): a workflow whose instance
// can reach a state where nobody may act on any date is reported with the path that gets there.
#include <boost/test/unit_test.hpp>

#include "keyaccount/workflow/deadlock.hpp"
#include "test_workflow_fixtures.hpp"

namespace wf = keyaccount::workflows;
using nlohmann::json;

namespace {

std::vector<keyaccount::diagnostic> of_code(const std::vector<keyaccount::diagnostic>& all,
                                            const std::string& code) {
  std::vector<keyaccount::diagnostic> out;
  for (const auto& d : all)
    if (d.code == code) out.push_back(d);
  return out;
}

// The default policy with one workflow changed by `edit`, not validated.
keyaccount::load_result edited(const std::string& workflow,
                               const std::function<void(json&)>& edit) {
  auto doc = json::parse(keyaccount::default_policy_text());
  for (auto& w : doc["workflows"])
    if (w["id"] == workflow) edit(w);
  return keyaccount::load_policy(doc.dump());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(workflow_deadlock)

BOOST_AUTO_TEST_CASE(a_policy_letting_the_gm_take_the_finance_review_is_refused_with_the_path) {
  auto r = keyaccount::load_policy_file(KEYACCOUNT_TEST_DATA_DIR
                                        "/deadlock/gm-approves-before-finance.json");
  BOOST_TEST(!r.ok());
  auto found = of_code(r.diagnostics, "workflow_may_deadlock");
  BOOST_TEST_REQUIRE(found.size() == 1u);
  BOOST_TEST(r.diagnostics.size() == 1u);
  const auto& d = found[0];
  BOOST_TEST((d.level == keyaccount::severity::error));
  BOOST_TEST(d.pointer == "/workflows/0/steps/1");
  BOOST_TEST(d.line == 197u);  // the gm_approval step
  BOOST_TEST(d.message ==
             "workflow `gift_request` can get stuck: cr_specialist submits, general_manager "
             "approves `finance_review` as general_manager; then nobody may act at step "
             "`gm_approval` on any date (general_manager already approved step "
             "\"finance_review\"; nobody acts twice on one request) when "
             "`request.amount > params.gift_gm_approval_above` is true");
}

BOOST_AUTO_TEST_CASE(the_default_policy_cannot_deadlock) {
  auto r = keyaccount::load_policy(keyaccount::default_policy_text());
  BOOST_TEST(r.ok());
  BOOST_TEST(of_code(r.diagnostics, "workflow_may_deadlock").empty());
  for (const auto& w : r.value->workflows) {
    BOOST_TEST_CONTEXT(w.id) { BOOST_TEST(!wf::find_deadlock(*r.value, w).has_value()); }
  }
}

BOOST_AUTO_TEST_CASE(a_sole_supervisor_cannot_have_their_own_proposal_accepted) {
  // The default policy sets no headcount for supervisors: with two, one accepts the other's
  // proposal. With exactly one (headcount 1) who submits, nobody may accept: not the requester,
  // and not their superior by escalation either, since nobody acts in the requester's place.
  for (bool escalation : {true, false}) {
    BOOST_TEST_CONTEXT("escalation " << escalation) {
      auto r = edited("proposal_review", [&](json& w) {
        if (!escalation) w["steps"][0].erase("escalation");
      });
      BOOST_TEST_REQUIRE(r.ok());
      const auto& def = *r.value->find_workflow("proposal_review");
      BOOST_TEST(!wf::find_deadlock(*r.value, def).has_value());
      for (auto& p : r.value->org.positions)
        if (p.id == "cr_supervisor") p.headcount = 1;
      auto stuck = wf::find_deadlock(*r.value, def);
      BOOST_TEST_REQUIRE(stuck.has_value());
      BOOST_TEST(stuck->actions == std::vector<std::string>{"cr_supervisor submits"},
                 boost::test_tools::per_element());
      BOOST_TEST(stuck->step == 0u);
      BOOST_TEST(stuck->why == "cr_supervisor cannot approve their own request");
      BOOST_TEST(stuck->assumptions.empty());
    }
  }
}

BOOST_AUTO_TEST_CASE(a_quorum_short_of_people_after_the_requester_is_found) {
  // Two sales people (headcount 2) and a quorum of 2 sales people: when one of them submits,
  // only one remains.
  auto r = edited("proposal_review", [](json& w) {
    w["initiators"].push_back("sales_staff");
    w["steps"][1] = {{"id", "review"},
                     {"name", "Sales review"},
                     {"approvers", {"sales_staff"}},
                     {"mode", "quorum"},
                     {"quorum", 2}};
  });
  BOOST_TEST_REQUIRE(r.ok());
  for (auto& p : r.value->org.positions)
    if (p.id == "sales_staff") p.headcount = 2;
  auto stuck = wf::find_deadlock(*r.value, *r.value->find_workflow("proposal_review"));
  BOOST_TEST_REQUIRE(stuck.has_value());
  BOOST_TEST(stuck->step == 1u);
  BOOST_TEST(stuck->actions.front() == "sales_staff#1 submits");
}

BOOST_AUTO_TEST_SUITE_END()
