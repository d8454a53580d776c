// Concurrency: the C++ API promises that a compiled policy, a classifier, a column table and a
// workflow set are immutable once built and may be shared by any number of threads. Several
// threads here share one of each and run classify, explain, classify_batch (itself with worker
// threads), workflow apply (each on its own copy of an instance), care planning, compliance and
// allocation at the same time, every result compared with a single-threaded run of the same.
// In the normal ctest it runs a few rounds; under ThreadSanitizer (preset `tsan`,
// docs/reliability.md) it proves the absence of data races. KEYACCOUNT_STRESS_ROUNDS sets the
// rounds per thread.
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "keyaccount/care/account_book.hpp"
#include "keyaccount/care/allocation.hpp"
#include "keyaccount/care/calendar.hpp"
#include "keyaccount/care/compliance.hpp"
#include "keyaccount/care/json.hpp"
#include "keyaccount/care/planner.hpp"
#include "keyaccount/classify/batch.hpp"
#include "keyaccount/classify/classifier.hpp"
#include "keyaccount/org/directory.hpp"
#include "keyaccount/policy/loader.hpp"
#include "keyaccount/workflow/engine.hpp"
#include "keyaccount/workflow/json.hpp"
#include "record_columns.hpp"

namespace {

namespace wf = keyaccount::workflows;
namespace care = keyaccount::care;
using nlohmann::json;

std::vector<json> read_json_lines(const std::string& path, std::size_t at_most) {
  std::ifstream in(path);
  std::vector<json> out;
  std::string line;
  while (out.size() < at_most && std::getline(in, line))
    if (!line.empty()) out.push_back(json::parse(line));
  return out;
}

json read_json(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return json::parse(std::string(std::istreambuf_iterator<char>(in), {}));
}

keyaccount::date day(const char* text) { return *keyaccount::date::parse(text); }

// Everything the threads share, built once, and what one thread computes from it.
struct shared_world {
  const keyaccount::policy& policy = keyaccount::default_policy();
  const keyaccount::classifier classifier{policy};
  const keyaccount::date as_of = day("2026-06-30");
  std::vector<keyaccount::customer_record> records;
  fuzz::columns_of columns;
  const wf::workflow_set workflows = wf::workflow_set::compile(policy);
  keyaccount::org::directory workflow_people{
      policy.org, keyaccount::org::people_from_json(
                      read_json(KEYACCOUNT_TEST_DATA_DIR "/workflows/people.json"))};
  wf::instance started;
  keyaccount::org::directory care_people{
      policy.org,
      keyaccount::org::people_from_json(read_json(KEYACCOUNT_TEST_DATA_DIR "/care/people.json"))};
  std::vector<care::account> accounts;
  std::vector<care::stock_item> stock;
  std::vector<care::order_line> lines;
  const care::festival_calendar calendar{policy};

  shared_world() {
    for (const auto& j : read_json_lines(KEYACCOUNT_SOURCE_DIR "/examples/customers.jsonl", 120))
      records.push_back(classifier.parser().from_json(j));
    if (!fuzz::build_columns(classifier, records, columns))
      throw std::runtime_error("the sample customers have no column form");
    auto submit = wf::action_from_json(json::parse(
        R"({"action": "submit", "actor": "alice", "on": "2026-01-05", "request_id": "r1",
            "request": {"customer_id": "c1", "amount": 800, "festival": "spring_festival"}})"));
    started = std::get<wf::instance>(workflows.start("gift_request", submit, workflow_people));
    care::account_book book(policy, as_of);
    for (const auto& j : read_json_lines(KEYACCOUNT_TEST_DATA_DIR "/care/accounts.jsonl", 80))
      (void)book.add_record(j);
    accounts = book.take();
    stock.push_back({"cable", "3x2.5", 40});
    stock.push_back({"switch", "16A", 25});
    const char* tiers[] = {"key", "regular"};
    for (int i = 0; i < 12; ++i)
      lines.push_back({"L" + std::to_string(i), "C" + std::to_string(i), tiers[i % 2],
                       i % 3 ? "cable" : "switch", i % 3 ? "3x2.5" : "16A", 3 + i % 7,
                       "2026-11-0" + std::to_string(1 + i % 9)});
  }
};

// The results one thread computes, rendered to comparable values.
struct results {
  std::vector<std::int32_t> tiers;
  std::vector<std::string> explanations;
  std::vector<std::int32_t> batch_tiers;
  std::string workflow;
  std::string plan, compliance, allocation;
  friend bool operator==(const results&, const results&) = default;
};

std::string render(const keyaccount::explanation& e) {
  std::string out = e.tier + "|" + e.error;
  for (const auto& d : e.deciding) out += "|" + d;
  for (const auto& c : e.criteria)
    out += "|" + c.id + ":" + std::string(keyaccount::to_string(c.result)) + ":" + c.observed;
  return out;
}

results compute(const shared_world& w, unsigned batch_threads) {
  results r;
  auto scratch = w.classifier.make_scratch();
  for (const auto& rec : w.records) {
    auto d = w.classifier.classify(rec, w.as_of, scratch);
    r.tiers.push_back(d.ok() ? static_cast<std::int32_t>(d.tier) : -1);
  }
  for (std::size_t i = 0; i < w.records.size(); i += 7)
    r.explanations.push_back(render(w.classifier.explain(w.records[i], w.as_of)));
  keyaccount::batch_options o;
  o.threads = batch_threads;
  r.batch_tiers = keyaccount::classify_batch(w.classifier, w.columns.table, w.as_of, o).tiers;
  wf::instance mine = w.started;  // each thread its own copy
  auto approve = wf::action_from_json(
      json::parse(R"({"action": "approve", "actor": "fay", "on": "2026-01-06"})"));
  auto applied = w.workflows.apply(mine, approve, w.workflow_people);
  r.workflow = (applied.ok() ? "ok " : "refused ") + wf::to_json(mine).dump();
  r.plan = care::to_json(care::make_plan(w.policy, w.calendar, w.accounts, w.care_people,
                                         {w.as_of, w.as_of.add_days(365), 800}))
               .dump();
  care::compliance_inputs inputs{&w.accounts, nullptr, nullptr};
  r.compliance =
      care::to_json(care::check_compliance(w.policy, w.calendar, inputs, w.care_people, w.as_of))
          .dump();
  r.allocation =
      care::to_json(care::allocate(w.policy, w.stock, w.lines, day("2026-11-20"))).dump();
  return r;
}

int rounds() {
  const char* env = std::getenv("KEYACCOUNT_STRESS_ROUNDS");
  return env ? std::max(1, std::atoi(env)) : 2;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(concurrency)

BOOST_AUTO_TEST_CASE(shared_policy_classifier_table_and_workflows_give_single_threaded_results) {
  const shared_world world;
  const results expected = compute(world, 1);
  // The single-threaded run must have exercised every part, or the comparison proves little.
  BOOST_TEST(expected.tiers.size() == 120u);
  BOOST_TEST(expected.batch_tiers == expected.tiers, boost::test_tools::per_element());
  BOOST_TEST(expected.workflow.rfind("ok ", 0) == 0u);
  BOOST_TEST(expected.plan.find("\"items\":[{") != std::string::npos, expected.plan.substr(0, 300));
  BOOST_TEST(expected.allocation.find("\"allocated\"") != std::string::npos);

  const unsigned threads = 4;
  const int n = rounds();
  std::mutex m;
  std::vector<std::string> mismatches;
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      for (int i = 0; i < n; ++i) {
        results got;
        try {
          got = compute(world, 1 + (t + static_cast<unsigned>(i)) % 3);
        } catch (const std::exception& e) {
          std::lock_guard lock(m);
          mismatches.push_back("thread " + std::to_string(t) + " threw " + e.what());
          return;
        }
        if (!(got == expected)) {
          std::lock_guard lock(m);
          mismatches.push_back("thread " + std::to_string(t) + " round " + std::to_string(i));
        }
      }
    });
  }
  for (auto& th : pool) th.join();
  BOOST_TEST(mismatches.empty(),
             "mismatches: " << mismatches.size()
                            << (mismatches.empty() ? "" : ", first: " + mismatches[0]));
}

BOOST_AUTO_TEST_SUITE_END()
