#include <boost/test/unit_test.hpp>

#include "keyaccount/workflow/engine.hpp"
#include "keyaccount/workflow/json.hpp"
#include "test_workflow_fixtures.hpp"

namespace wf = keyaccount::workflows;
using fixtures::day;
using nlohmann::json;

namespace {

struct seed {
  keyaccount::policy policy = keyaccount::default_policy();
  wf::workflow_set set =
      wf::workflow_set::compile(policy, {.conditions = fixtures::test_conditions()});
  keyaccount::org::directory people = fixtures::scenario_people(policy);

  wf::instance gift(double amount = 800) const {
    auto started = set.start("gift_request",
                             wf::action::make(wf::action_kind::submit, "alice", day("2026-01-05"))
                                 .with_request(json{{"customer_id", "c1"}, {"amount", amount}}),
                             people);
    BOOST_REQUIRE(std::holds_alternative<wf::instance>(started));
    return std::get<wf::instance>(started);
  }
};

// The located message of reading `j` as an instance; empty when it reads.
std::string read_error(const json& j) {
  try {
    (void)wf::instance_from_json(j);
  } catch (const wf::format_error& e) {
    return e.what();
  }
  return {};
}

// Compile options whose every condition (entry or step) fails to evaluate with "boom".
wf::compile_options conditions_that_fail_with_boom() {
  return {.conditions = [](std::string_view, const keyaccount::workflow&, const keyaccount::policy&)
              -> std::variant<wf::condition_fn, std::string> {
    return wf::condition_fn([](const json&) { return wf::condition_value{std::nullopt, "boom"}; });
  }};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(workflow)

BOOST_AUTO_TEST_CASE(a_new_instance_records_policy_request_and_history) {
  seed s;
  auto inst = s.gift();
  BOOST_TEST(inst.workflow == "gift_request");
  BOOST_TEST(inst.policy_id == s.policy.document.id);
  BOOST_TEST(inst.policy_version == s.policy.document.version);
  BOOST_TEST(inst.requester == "alice");
  BOOST_TEST(inst.version == 1u);
  BOOST_REQUIRE_EQUAL(inst.history.size(), 1u);
  BOOST_TEST(inst.history[0].request["amount"] == 800.0);
  BOOST_TEST(inst.steps[0].status == wf::step_status::active);
  BOOST_TEST(inst.steps[0].entered_on->to_string() == "2026-01-05");
  auto j = wf::to_json(inst);
  BOOST_TEST(j["format_version"] == "1");
  BOOST_TEST(j["policy"]["version"] == s.policy.document.version);
  BOOST_TEST(j["current_step"] == "finance_review");
}

BOOST_AUTO_TEST_CASE(approvals_record_who_in_whose_place_and_how) {
  seed s;
  auto inst = s.gift();
  BOOST_REQUIRE(s.set.apply(inst,
                            wf::action::make(wf::action_kind::delegate, "fay", day("2026-01-05"))
                                .delegating_to("sal", day("2026-01-09")),
                            s.people));
  BOOST_REQUIRE(s.set.apply(
      inst,
      wf::action::make(wf::action_kind::approve, "sal", day("2026-01-06")).with_comment("for Fay"),
      s.people));
  const auto& a = inst.steps[0].approvals.at(0);
  BOOST_TEST(a.person == "sal");
  BOOST_TEST(a.place == "finance_reviewer");
  BOOST_TEST(a.via == wf::acting_via::delegation);
  BOOST_TEST(a.on_behalf_of == "fay");
  BOOST_TEST(inst.history.back().comment == "for Fay");
  BOOST_TEST(inst.history.back().on_behalf_of == "fay");
  BOOST_TEST(inst.steps[0].status == wf::step_status::approved);
}

BOOST_AUTO_TEST_CASE(a_refusal_leaves_the_instance_untouched_and_says_why) {
  seed s;
  auto inst = s.gift();
  auto before = inst;
  auto r = s.set.apply(inst, wf::action::make(wf::action_kind::approve, "alice", day("2026-01-06")),
                       s.people);
  BOOST_TEST(!r.ok());
  BOOST_TEST(r.error().kind == wf::refusal_kind::not_authorized);
  BOOST_TEST(r.error().message.find("finance_reviewer") != std::string::npos);
  BOOST_TEST((inst == before));
}

BOOST_AUTO_TEST_CASE(every_refusal_kind_has_a_stable_name) {
  for (int k = 0; k <= static_cast<int>(wf::refusal_kind::policy_mismatch); ++k) {
    auto kind = static_cast<wf::refusal_kind>(k);
    auto name = wf::to_string(kind);
    BOOST_TEST(name != "unknown");
    BOOST_TEST((wf::parse_refusal_kind(name) == kind));
  }
  BOOST_TEST(!wf::parse_refusal_kind("nope"));
  BOOST_TEST(wf::to_string(wf::action_kind::return_) == "return");
}

BOOST_AUTO_TEST_CASE(an_instance_of_another_policy_version_is_refused) {
  seed s;
  auto inst = s.gift();
  inst.policy_version = "0.9";
  auto r = s.set.apply(
      inst, wf::action::make(wf::action_kind::withdraw, "alice", day("2026-01-06")), s.people);
  BOOST_REQUIRE(!r.ok());
  BOOST_TEST(r.error().kind == wf::refusal_kind::policy_mismatch);
  inst = s.gift();
  inst.steps.pop_back();  // hand-edited: steps no longer match the definition
  r = s.set.apply(inst, wf::action::make(wf::action_kind::withdraw, "alice", day("2026-01-06")),
                  s.people);
  BOOST_REQUIRE(!r.ok());
  BOOST_TEST(r.error().kind == wf::refusal_kind::policy_mismatch);
}

BOOST_AUTO_TEST_CASE(an_entry_condition_that_cannot_be_evaluated_refuses_the_start) {
  auto p = keyaccount::default_policy();
  auto set = wf::workflow_set::compile(p, conditions_that_fail_with_boom());
  auto people = fixtures::scenario_people(p);
  auto submit = wf::action::make(wf::action_kind::submit, "alice", day("2026-01-05"))
                    .with_request(json{{"customer_id", "c1"}, {"amount", 10}});
  auto started = set.start("gift_request", submit, people);
  BOOST_REQUIRE(std::holds_alternative<wf::refusal>(started));
  const auto& refused = std::get<wf::refusal>(started);
  BOOST_TEST(refused.kind == wf::refusal_kind::condition_error);
  BOOST_TEST(refused.message.find("entry condition") != std::string::npos);
  BOOST_TEST(refused.message.find("boom") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_entry_condition_that_does_not_hold_refuses_the_start) {
  auto p = keyaccount::default_policy();
  auto set = wf::workflow_set::compile(p);
  auto people = fixtures::scenario_people(p);
  auto submit = wf::action::make(wf::action_kind::submit, "alice", day("2026-01-05"))
                    .with_request(json{{"customer_id", "c1"}, {"amount", -10}});
  auto started = set.start("gift_request", submit, people);
  BOOST_REQUIRE(std::holds_alternative<wf::refusal>(started));
  BOOST_TEST(std::get<wf::refusal>(started).kind == wf::refusal_kind::invalid_request);
  BOOST_TEST(std::get<wf::refusal>(started).message.find("request.amount >= 0.0") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_condition_that_cannot_be_evaluated_refuses) {
  auto p = keyaccount::default_policy();
  for (auto& w : p.workflows) w.entry_condition.clear();  // only the step condition is broken
  auto set = wf::workflow_set::compile(p, conditions_that_fail_with_boom());
  auto people = fixtures::scenario_people(p);
  auto submit = wf::action::make(wf::action_kind::submit, "alice", day("2026-01-05"))
                    .with_request(json{{"customer_id", "c1"}, {"amount", 10}});
  // The first step has no condition, so the instance starts; approving it needs the condition.
  auto started = set.start("gift_request", submit, people);
  BOOST_REQUIRE(std::holds_alternative<wf::instance>(started));
  auto inst = std::get<wf::instance>(started);
  auto r =
      set.apply(inst, wf::action::make(wf::action_kind::approve, "fay", day("2026-01-06")), people);
  BOOST_REQUIRE(!r.ok());
  BOOST_TEST(r.error().kind == wf::refusal_kind::condition_error);
  BOOST_TEST(r.error().message.find("gm_approval") != std::string::npos);
  BOOST_TEST(r.error().message.find("boom") != std::string::npos);
  BOOST_TEST(inst.current_step == "finance_review");
}

BOOST_AUTO_TEST_CASE(step_conditions_are_cel_over_request_and_params) {
  auto p = keyaccount::default_policy();
  for (auto& param : p.parameters) {
    if (param.id == "gift_gm_approval_above") param.value = 500;
  }
  auto set = wf::workflow_set::compile(p);
  auto people = fixtures::scenario_people(p);
  for (double amount : {499.0, 500.0, 500.5}) {
    auto started = set.start("gift_request",
                             wf::action::make(wf::action_kind::submit, "alice", day("2026-01-05"))
                                 .with_request(json{{"customer_id", "c1"}, {"amount", amount}}),
                             people);
    auto inst = std::get<wf::instance>(started);
    BOOST_REQUIRE(set.apply(
        inst, wf::action::make(wf::action_kind::approve, "fay", day("2026-01-06")), people));
    bool needs_gm = amount > 500;
    BOOST_TEST(inst.state ==
               (needs_gm ? wf::instance_state::in_progress : wf::instance_state::approved));
    BOOST_TEST(inst.steps[1].status ==
               (needs_gm ? wf::step_status::active : wf::step_status::skipped));
  }
}

BOOST_AUTO_TEST_CASE(a_condition_that_does_not_compile_is_a_compile_error) {
  auto p = keyaccount::default_policy();
  p.workflows[0].steps[1].condition = "request.amout > 1";  // typo: not a request field
  BOOST_CHECK_EXCEPTION(
      (void)wf::workflow_set::compile(p), wf::compile_error, [](const wf::compile_error& e) {
        return std::string(e.what()).find("request.amout > 1") != std::string::npos;
      });
}

BOOST_AUTO_TEST_CASE(an_unvalidated_policy_does_not_compile) {
  auto p = keyaccount::default_policy();
  p.workflows[0].steps[0].approvers = {"wizard"};
  p.workflows[1].steps[1].mode = keyaccount::approval_mode::quorum;
  try {
    (void)wf::workflow_set::compile(p, {.conditions = fixtures::test_conditions()});
    BOOST_FAIL("compiled");
  } catch (const wf::compile_error& e) {
    std::string what = e.what();
    BOOST_TEST(what.find("step \"finance_review\": unknown position \"wizard\"") !=
               std::string::npos);
    BOOST_TEST(what.find("quorum mode needs a quorum") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(broken_instance_json_gives_a_located_error) {
  seed s;
  auto inst = s.gift();
  BOOST_REQUIRE(s.set.apply(
      inst, wf::action::make(wf::action_kind::approve, "fay", day("2026-01-06")), s.people));
  const json good = wf::to_json(inst);
  BOOST_TEST(read_error(good).empty());
  auto broken = [&](auto edit) {
    json j = good;
    edit(j);
    return read_error(j);
  };
  BOOST_TEST(broken([](json& j) { j["history"][1]["on"] = "2026-13-01"; }) ==
             "/history/1/on: expected a date YYYY-MM-DD, got \"2026-13-01\"");
  BOOST_TEST(broken([](json& j) { j.erase("steps"); }) == "/: missing field \"steps\"");
  BOOST_TEST(broken([](json& j) { j["state"] = "done"; }).rfind("/state: expected one of", 0) == 0);
  BOOST_TEST(broken([](json& j) { j["version"] = -1; }) ==
             "/version: expected a whole number >= 0, got -1");
  BOOST_TEST(broken([](json& j) { j["version"] = 1; }) ==
             "/version: is 1 but the history reaches version 2");
  BOOST_TEST(broken([](json& j) {
               j["format_version"] = "2";
             }).rfind("/format_version: unsupported", 0) == 0);
  BOOST_TEST(
      broken([](json& j) { j["steps"][0]["approvals"][0]["via"] = 3; }) ==
      "/steps/0/approvals/0/via: expected one of \"direct\", \"delegation\", \"escalation\"");
  BOOST_TEST(broken([](json& j) { j["current_step"] = "finance_review"; }) ==
             "/steps/0/status: the current step must be active");
  BOOST_TEST(broken([](json& j) { j["surprise"] = true; }) == "/surprise: unknown field");
  BOOST_TEST(broken([](json& j) { j = json::array(); }) == "/: expected an object, got an array");
  BOOST_TEST(broken([](json& j) { j["history"][0] = nullptr; }) ==
             "/history/0: expected an object, got null");
  try {
    (void)wf::instance_from_json_text("{\"format_version\": \"1\",\n  \"workflow\": }");
    BOOST_FAIL("accepted");
  } catch (const wf::format_error& e) {
    BOOST_TEST(e.where().to_string() == "line 2, column 15");
    BOOST_TEST(e.where().line == 2U);
    BOOST_TEST(e.where().column == 15U);
  }
}

BOOST_AUTO_TEST_CASE(actions_round_trip_through_json) {
  auto a = wf::action::make(wf::action_kind::delegate, "gina", day("2026-01-05"))
               .with_request_id("r9")
               .expecting(4)
               .at_step("gm_approval")
               .with_comment("away")
               .delegating_to("carl", day("2026-01-31"))
               .with_request(json{{"x", 1}});
  auto back = wf::action_from_json(wf::to_json(a));
  BOOST_TEST(wf::to_json(back) == wf::to_json(a));
  BOOST_TEST(back.until->to_string() == "2026-01-31");
  BOOST_CHECK_THROW(
      (void)wf::action_from_json(json{{"action", "approve"}, {"actor", "x"}, {"on", "x"}}),
      wf::format_error);
}

BOOST_AUTO_TEST_SUITE_END()
