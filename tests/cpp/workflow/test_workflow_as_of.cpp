// Issue 17 item 2, workflows: a question "as of a day" is answered with what was known on that
// day. Actions recorded after it are left out (the history is replayed up to the day), and an
// instance of another policy is refused by every query, as `apply` refuses it.

#include <boost/test/unit_test.hpp>
#include <map>

#include "keyaccount/policy/default_policy.hpp"
#include "keyaccount/workflow/engine.hpp"
#include "test_workflow_fixtures.hpp"

namespace wf = keyaccount::workflows;
using fixtures::day;
using nlohmann::json;

namespace {

struct gift_case {
  keyaccount::policy policy = keyaccount::default_policy();
  wf::workflow_set set =
      wf::workflow_set::compile(policy, {.conditions = fixtures::test_conditions()});
  std::vector<keyaccount::org::person> list = keyaccount::org::people_from_json(
      fixtures::read_json(KEYACCOUNT_SOURCE_DIR "/examples/people.json"));
  keyaccount::org::directory people{policy.org, list};

  wf::instance start(const char* on) const {
    auto started = set.start("gift_request",
                             wf::action::make(wf::action_kind::submit, "specialist-1", day(on))
                                 .with_request({{"customer_id", "c1"}, {"amount", 800}}),
                             people);
    if (auto* r = std::get_if<wf::refusal>(&started)) BOOST_FAIL("start refused: " << r->message);
    return std::get<wf::instance>(started);
  }

  void act(wf::instance& inst, wf::action_kind kind, const char* actor, const char* on) const {
    auto a = wf::action::make(kind, actor, day(on));
    if (kind != wf::action_kind::approve) a.comment = "noted";
    auto r = set.apply(inst, a, people);
    if (!r) BOOST_FAIL(actor << " refused: " << r.error().message);
  }
};

std::vector<std::string> persons(const std::vector<wf::eligible_actor>& actors) {
  std::vector<std::string> out;
  for (const auto& a : actors) out.push_back(a.person);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(workflow_as_of)

// Before: who_may_act on 01-07 read the instance as recorded later (at gm_approval) and
// offered the General Manager, although on 01-07 the request still waited for Finance.
BOOST_AUTO_TEST_CASE(who_may_act_and_deadline_ignore_actions_after_the_day) {
  gift_case g;
  auto inst = g.start("2026-01-05");
  g.act(inst, wf::action_kind::approve, "finance-1", "2026-01-09");
  BOOST_TEST(inst.current_step == "gm_approval");

  BOOST_TEST(persons(g.set.who_may_act(inst, day("2026-01-07"), g.people)) ==
                 std::vector<std::string>{"finance-1"},
             boost::test_tools::per_element());
  auto then = g.set.deadline(inst, day("2026-01-07"), g.people);
  BOOST_REQUIRE(then.has_value());
  BOOST_TEST(then->step == "finance_review");
  BOOST_TEST(then->entered_on.to_string() == "2026-01-05");
  // On the day of the approval and after it, the recorded state is the answer.
  BOOST_TEST(persons(g.set.who_may_act(inst, day("2026-01-09"), g.people)) ==
                 std::vector<std::string>{"gm-1"},
             boost::test_tools::per_element());
  BOOST_TEST(g.set.deadline(inst, day("2026-01-09"), g.people)->step == "gm_approval");
}

// The replay is the instance as it was: for every day, as_of equals the snapshot taken after
// the last action on or before that day (history, versions, approvals, delegations alike).
BOOST_AUTO_TEST_CASE(as_of_equals_the_instance_as_it_was_on_each_day) {
  gift_case g;
  std::map<std::string, wf::instance> snapshot;  // day -> the instance at the end of it
  auto inst = g.start("2026-01-05");
  snapshot["2026-01-05"] = inst;
  g.act(inst, wf::action_kind::comment, "specialist-1", "2026-01-06");
  snapshot["2026-01-06"] = inst;
  g.act(inst, wf::action_kind::return_, "finance-1", "2026-01-07");
  snapshot["2026-01-07"] = inst;
  auto resubmit = wf::action::make(wf::action_kind::submit, "specialist-1", day("2026-01-08"))
                      .with_request({{"customer_id", "c1"}, {"amount", 600}});
  BOOST_REQUIRE(g.set.apply(inst, resubmit, g.people).ok());
  g.act(inst, wf::action_kind::approve, "finance-1", "2026-01-08");
  snapshot["2026-01-08"] = inst;
  g.act(inst, wf::action_kind::approve, "gm-1", "2026-01-12");
  snapshot["2026-01-12"] = inst;
  BOOST_TEST(wf::to_string(inst.state) == "approved");

  for (const auto& [text, expected] : snapshot) {
    BOOST_TEST_CONTEXT("as of " << text) {
      auto then = g.set.as_of(inst, day(text.c_str()), g.people);
      BOOST_REQUIRE(std::holds_alternative<wf::instance>(then));
      BOOST_TEST((std::get<wf::instance>(then) == expected));
    }
  }
  // A day between two actions: the state of the earlier one.
  auto between = g.set.as_of(inst, day("2026-01-10"), g.people);
  BOOST_REQUIRE(std::holds_alternative<wf::instance>(between));
  BOOST_TEST((std::get<wf::instance>(between) == snapshot["2026-01-08"]));
}

BOOST_AUTO_TEST_CASE(a_day_before_the_submission_is_refused_and_nobody_may_act) {
  gift_case g;
  auto inst = g.start("2026-01-05");
  auto then = g.set.as_of(inst, day("2026-01-04"), g.people);
  BOOST_REQUIRE(std::holds_alternative<wf::refusal>(then));
  BOOST_TEST(wf::to_string(std::get<wf::refusal>(then).kind) == "wrong_state");
  BOOST_TEST(std::get<wf::refusal>(then).message.find("submitted on 2026-01-05") !=
             std::string::npos);
  BOOST_TEST(g.set.who_may_act(inst, day("2026-01-04"), g.people).empty());
  BOOST_TEST(!g.set.deadline(inst, day("2026-01-04"), g.people).has_value());
}

// Before: who_may_act and deadline answered for an instance of another policy, offering people
// whose actions `apply` then refused as policy_mismatch.
BOOST_AUTO_TEST_CASE(an_instance_of_another_policy_is_refused_by_every_query) {
  gift_case g;
  auto inst = g.start("2026-01-05");
  inst.policy_id = "another-policy";
  auto why = g.set.check_instance(inst);
  BOOST_REQUIRE(why.has_value());
  BOOST_TEST(wf::to_string(why->kind) == "policy_mismatch");
  BOOST_TEST(g.set.who_may_act(inst, day("2026-01-06"), g.people).empty());
  BOOST_TEST(!g.set.deadline(inst, day("2026-01-06"), g.people).has_value());
  auto then = g.set.as_of(inst, day("2026-01-06"), g.people);
  BOOST_REQUIRE(std::holds_alternative<wf::refusal>(then));
  BOOST_TEST(wf::to_string(std::get<wf::refusal>(then).kind) == "policy_mismatch");
}

// A replay through today's directory can be refused (the approver has left since): the
// refusal names the version that cannot be replayed rather than answering from a wrong state.
BOOST_AUTO_TEST_CASE(a_replay_refused_today_names_the_version) {
  gift_case g;
  auto inst = g.start("2026-01-05");
  g.act(inst, wf::action_kind::approve, "finance-1", "2026-01-09");
  g.act(inst, wf::action_kind::comment, "specialist-1", "2026-01-11");
  auto list = g.list;
  for (auto& p : list) {
    if (p.id == "finance-1") p.active = false;
  }
  keyaccount::org::directory later{g.policy.org, list};
  auto then = g.set.as_of(inst, day("2026-01-10"), later);
  BOOST_REQUIRE(std::holds_alternative<wf::refusal>(then));
  const auto& message = std::get<wf::refusal>(then).message;
  BOOST_TEST(
      message.find("replaying version 2 (approve by finance-1 on 2026-01-09)") != std::string::npos,
      message);
}

BOOST_AUTO_TEST_SUITE_END()
