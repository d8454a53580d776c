// `keyaccount workflow list|graph` and the pictures behind it.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli_runner.hpp"
#include "keyaccount/workflow/graph.hpp"
#include "keyaccount/workflow/json.hpp"
#include "test_workflow_fixtures.hpp"

namespace wf = keyaccount::workflows;

namespace {

using keyaccount::testing::cli_result;
cli_result run(const std::vector<std::string>& args) { return keyaccount::testing::run_cli(args); }

// A gift request after the finance review, written to a temporary file.
std::string instance_file(const std::string& name, const std::string& text = "") {
  auto path = std::filesystem::temp_directory_path() / ("keyaccount_wf_" + name + ".json");
  std::ofstream out(path, std::ios::binary);
  if (!text.empty()) {
    out << text;
    return path.string();
  }
  const auto& p = keyaccount::default_policy();
  auto set = wf::workflow_set::compile(p);
  auto people = fixtures::scenario_people(p);
  auto inst = std::get<wf::instance>(
      set.start("gift_request",
                wf::action::make(wf::action_kind::submit, "alice", fixtures::day("2026-01-05"))
                    .with_request({{"customer_id", "c1"}, {"amount", 800}}),
                people));
  BOOST_REQUIRE(set.apply(
      inst, wf::action::make(wf::action_kind::approve, "fay", fixtures::day("2026-01-06")),
      people));
  out << wf::to_json(inst).dump(2);
  return path.string();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(workflow_cli)

BOOST_AUTO_TEST_CASE(list_names_every_seeded_workflow) {
  auto r = run({"workflow", "list"});
  BOOST_TEST(r.code == 0);
  BOOST_TEST(r.out ==
             "gift_request (art-12): finance_review -> gm_approval\n"
             "proposal_review (art-11): acceptance -> review\n"
             "policy_amendment (art-13): gm_signature\n");
}

BOOST_AUTO_TEST_CASE(graph_draws_mermaid_by_default) {
  auto r = run({"workflow", "graph", "gift_request"});
  BOOST_TEST(r.code == 0, r.err);
  BOOST_TEST(r.out.find("flowchart LR") != std::string::npos);
  BOOST_TEST(r.out.find("start --> s_finance_review") != std::string::npos);
  BOOST_TEST(r.out.find("s_finance_review -. \"condition false\" .-> s_gm_approval") ==
             std::string::npos);
  BOOST_TEST(r.out.find("s_finance_review -. \"condition false\" .-> approved") !=
             std::string::npos);
  BOOST_TEST(r.out.find("only if request.amount #gt; params.gift_gm_approval_above") !=
             std::string::npos);
  BOOST_TEST(r.out.find("classDef") == std::string::npos);  // no instance: nothing marked
}

BOOST_AUTO_TEST_CASE(graph_marks_an_instance_in_dot) {
  auto file = instance_file("progress");
  auto r = run({"workflow", "graph", "gift_request", "--format", "dot", "--instance", file});
  BOOST_TEST(r.code == 0, r.err);
  BOOST_TEST(r.out.rfind("digraph \"gift_request\" {", 0) == 0);
  BOOST_TEST(
      r.out.find(
          "s_finance_review [label=\"Finance review\\none of: finance_reviewer\\n3 days, then "
          "the superior\", style=\"rounded,filled\", fillcolor=\"#c8e6c9\"];") !=
      std::string::npos);
  BOOST_TEST(r.out.find("fillcolor=\"#fff59d\"") != std::string::npos);  // the current step
}

BOOST_AUTO_TEST_CASE(graph_errors_have_exit_codes) {
  auto unknown = run({"workflow", "graph", "holiday_party"});
  BOOST_TEST(unknown.code == 2);
  BOOST_TEST(unknown.err.find("no workflow \"holiday_party\"; it has: gift_request") !=
             std::string::npos);
  BOOST_TEST(run({"workflow", "graph", "gift_request", "--format", "png"}).code == 2);
  BOOST_TEST(run({"workflow", "graph", "gift_request", "--instance", "/no/such/file.json"}).code ==
             2);
  auto broken = instance_file("broken", "{\"format_version\": \"1\", \"workflow\": 3}");
  auto r = run({"workflow", "graph", "gift_request", "--instance", broken});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find("/workflow: expected a string, got a number") != std::string::npos);
  auto other = run({"workflow", "graph", "proposal_review", "--instance", instance_file("other")});
  BOOST_TEST(other.code == 1);
  BOOST_TEST(other.err.find("is of workflow \"gift_request\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_bad_instance_file_is_an_error_with_a_kind_like_every_other_input) {
  // FILE: error[invalid_instance]: ..., as bad data in every other input is reported.
  auto nested = instance_file("nested", std::string(100000, '[') + std::string(100000, ']'));
  auto deep = run({"workflow", "graph", "gift_request", "--instance", nested});
  BOOST_TEST(deep.code == 1);
  BOOST_TEST(deep.err.find(nested + ":1:65: error[invalid_instance]: ") == 0, deep.err);
  BOOST_TEST(deep.err.find("nest deeper than the limit of 64") != std::string::npos, deep.err);
  auto huge = instance_file("huge", "{\"format_version\": \"1\", \"x\": 1e400}");
  auto big = run({"workflow", "graph", "gift_request", "--instance", huge});
  BOOST_TEST(big.code == 1);
  BOOST_TEST(big.err.find(huge + ":1:30: error[invalid_instance]: ") == 0, big.err);
  // A member of the wrong type: at its key.
  auto wrong = instance_file("wrong", "{\"format_version\": \"1\",\n \"workflow\": 3}");
  auto w = run({"workflow", "graph", "gift_request", "--instance", wrong});
  BOOST_TEST(w.code == 1);
  BOOST_TEST(w.err.find(wrong + ":2:2: error[invalid_instance]: /workflow: expected a string") == 0,
             w.err);
  auto other = run({"workflow", "graph", "proposal_review", "--instance", instance_file("other")});
  BOOST_TEST(
      other.err.find(": error[invalid_instance]: the instance is of workflow") != std::string::npos,
      other.err);
}

BOOST_AUTO_TEST_SUITE_END()
