// Runs the shared scenario files of tests/data/workflows (the Python suite runs the same files).
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <set>

#include "keyaccount/workflow/engine.hpp"
#include "keyaccount/workflow/json.hpp"
#include "test_workflow_fixtures.hpp"

namespace wf = keyaccount::workflows;
using nlohmann::json;

namespace {

std::vector<std::filesystem::path> scenario_files() {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::directory_iterator(KEYACCOUNT_TEST_DATA_DIR "/workflows")) {
    if (e.path().extension() == ".json" && e.path().filename() != "people.json") {
      out.push_back(e.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> ids_of(const std::vector<wf::eligible_actor>& actors) {
  std::set<std::string> ids;
  for (const auto& a : actors) ids.insert(a.person);
  return {ids.begin(), ids.end()};
}

void check_state(const json& step, const std::optional<wf::instance>& inst) {
  if (step.contains("state")) {
    BOOST_REQUIRE(inst.has_value());
    BOOST_TEST(std::string(wf::to_string(inst->state)) == step["state"].get<std::string>());
  }
  if (step.contains("current_step")) {
    BOOST_REQUIRE(inst.has_value());
    std::string expected =
        step["current_step"].is_null() ? "" : step["current_step"].get<std::string>();
    BOOST_TEST(inst->current_step == expected);
  }
  if (step.contains("version")) {
    BOOST_REQUIRE(inst.has_value());
    BOOST_TEST(inst->version == step["version"].get<std::uint64_t>());
  }
}

void run_scenario(const std::filesystem::path& file) {
  json sc = fixtures::read_json(file.string());
  auto policy = fixtures::patched_policy(sc.value("set_parameters", json()),
                                         sc.value("add_workflows", json()));
  auto set = wf::workflow_set::compile(policy, {.conditions = fixtures::test_conditions()});
  BOOST_REQUIRE(sc["people"] == "people.json");
  auto people = fixtures::scenario_people(policy);
  std::optional<wf::instance> inst;
  int n = 0;
  for (const auto& step : sc.at("steps")) {
    BOOST_TEST_CONTEXT(file.filename().string() << ", step " << n++) {
      if (step.contains("do")) {
        wf::action a = wf::action_from_json(step["do"]);
        std::string expect = step.at("expect").get<std::string>();
        std::string got;
        std::string message;
        if (!inst) {
          auto started = set.start(sc.at("workflow").get<std::string>(), a, people);
          if (auto* i = std::get_if<wf::instance>(&started)) {
            inst = std::move(*i);
            got = "ok";
          } else {
            got = wf::to_string(std::get<wf::refusal>(started).kind);
            message = std::get<wf::refusal>(started).message;
          }
        } else {
          wf::instance before = *inst;
          auto r = set.apply(*inst, a, people);
          got = r.ok() ? (r.replayed() ? "replayed" : "ok")
                       : std::string(wf::to_string(r.error().kind));
          if (!r.ok()) message = r.error().message;
          if (!r.ok() || r.replayed()) BOOST_TEST((*inst == before));  // untouched
        }
        BOOST_TEST(got == expect,
                   "expected " << expect << ", got " << got << " (" << message << ")");
        if (step.contains("message_contains")) {
          BOOST_TEST(message.find(step["message_contains"].get<std::string>()) != std::string::npos,
                     "message \"" << message << "\" lacks " << step["message_contains"]);
        }
        if (inst) {
          // Lossless both ways.
          json j = wf::to_json(*inst);
          wf::instance back = wf::instance_from_json(j);
          BOOST_TEST((back == *inst));
          BOOST_TEST(wf::to_json(back) == j);
          BOOST_TEST((wf::instance_from_json_text(j.dump(2)) == *inst));
        }
        check_state(step, inst);
      } else if (step.contains("who_may_act")) {
        BOOST_REQUIRE(inst.has_value());
        auto on = fixtures::day(step["who_may_act"].get<std::string>().c_str());
        BOOST_TEST(ids_of(set.who_may_act(*inst, on, people)) ==
                       step["expect"].get<std::vector<std::string>>(),
                   boost::test_tools::per_element());
      } else if (step.contains("deadline")) {
        BOOST_REQUIRE(inst.has_value());
        auto on = fixtures::day(step["deadline"].get<std::string>().c_str());
        auto d = set.deadline(*inst, on, people);
        BOOST_REQUIRE(d.has_value());
        const json& e = step["expect"];
        BOOST_TEST(d->step == e.at("step").get<std::string>());
        BOOST_TEST(d->due.has_value());
        if (d->due) BOOST_TEST(d->due->to_string() == e.at("due").get<std::string>());
        BOOST_TEST(d->overdue == e.at("overdue").get<bool>());
        BOOST_TEST(d->escalation_level == e.at("escalation_level").get<int>());
        BOOST_TEST(d->escalated_to == e.at("escalated_to").get<std::vector<std::string>>(),
                   boost::test_tools::per_element());
        if (e.contains("reported_to"))
          BOOST_TEST(d->reported_to == e.at("reported_to").get<std::vector<std::string>>(),
                     boost::test_tools::per_element());
      } else {
        BOOST_FAIL("unknown scenario step: " << step.dump());
      }
    }
  }
  const json& fin = sc.at("final");
  BOOST_TEST_CONTEXT(file.filename().string() << ", final") {
    if (fin.at("state").is_null()) {
      BOOST_TEST(!inst.has_value());
    } else {
      BOOST_REQUIRE(inst.has_value());
      BOOST_TEST(std::string(wf::to_string(inst->state)) == fin["state"].get<std::string>());
      BOOST_TEST(inst->version == fin.at("version").get<std::uint64_t>());
      BOOST_TEST(inst->history.size() == fin.at("history").get<std::size_t>());
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(workflow_scenarios)

BOOST_AUTO_TEST_CASE(every_scenario_file_runs_as_written) {
  auto files = scenario_files();
  BOOST_REQUIRE_GE(files.size(), 10u);
  std::set<std::string> workflows;
  for (const auto& f : files) {
    run_scenario(f);
    workflows.insert(fixtures::read_json(f.string()).at("workflow").get<std::string>());
  }
  // Every seeded workflow is walked.
  for (const char* w : {"gift_request", "proposal_review", "policy_amendment"}) {
    BOOST_TEST(workflows.contains(w), "no scenario walks " << w);
  }
}

BOOST_AUTO_TEST_SUITE_END()
