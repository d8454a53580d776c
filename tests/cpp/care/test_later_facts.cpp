// A report "as of" a day uses only what was known on that day: a last-done or complaint date
// after it is ignored with a warning (file:line from the command line), in the plan, the
// compliance findings and the escalations alike. Before, a complaint resolved 10 days after
// as_of lost its two complaint_overdue findings and a last visit dated next year hid an
// overdue visit.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>

#include "cli_runner.hpp"
#include "keyaccount/care/compliance.hpp"
#include "keyaccount/care/known_facts.hpp"
#include "keyaccount/policy/loader.hpp"
#include "test_workflow_fixtures.hpp"

using namespace keyaccount;
using namespace keyaccount::care;
using fixtures::day;

namespace {

const date as_of = day("2026-06-30");

policy visits_only() {
  policy p = default_policy();
  std::erase_if(p.activities, [](const activity& a) { return a.id != "regular_visit"; });
  return p;
}

// Transport (record 1, report 2, resolve 10 days), raised 2026-06-01: on 06-30 both the report
// and the resolution are overdue, whatever happened in July.
complaint late_complaint() {
  complaint k;
  k.id = "K1";
  k.customer = "C1";
  k.category = "transport";
  k.recorder = "alice";
  k.raised_on = day("2026-06-01");
  k.recorded_on = day("2026-06-01");
  k.resolved_on = day("2026-07-10");
  return k;
}

std::string temp_file(const std::string& name, const std::string& text) {
  auto path = (std::filesystem::temp_directory_path() / ("keyaccount_later_" + name)).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::string data(const char* name) { return std::string(KEYACCOUNT_TEST_DATA_DIR "/care/") + name; }

bool has(const std::vector<std::string>& lines, const std::string& text) {
  for (const auto& l : lines)
    if (l.find(text) != std::string::npos) return true;
  return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(later_facts)

BOOST_AUTO_TEST_CASE(dropping_later_facts_keeps_what_was_known) {
  account a{"C1",
            "",
            "key",
            "alice",
            {{"regular_visit", day("2027-01-01")}, {"profile_review", day("2026-06-30")}},
            std::nullopt};
  auto ignored = drop_later_facts(a, as_of);
  BOOST_REQUIRE_EQUAL(ignored.size(), 1u);
  BOOST_TEST(ignored[0] ==
             "last_done.regular_visit: 2027-01-01 is after the as-of date 2026-06-30: ignored");
  BOOST_TEST(a.last_done.size() == 1u);  // on the day itself is known
  complaint k = late_complaint();
  k.escalations.push_back({escalation_kind::report, "bob", day("2026-06-05"), day("2026-07-02")});
  k.escalations.push_back({escalation_kind::record_overdue, "bob", day("2026-07-03"), {}});
  auto c = drop_later_facts(k, as_of);
  BOOST_TEST(c.size() == 3u);
  BOOST_TEST(!k.resolved_on);
  BOOST_REQUIRE_EQUAL(k.escalations.size(), 1u);
  BOOST_TEST(k.escalations[0].open());  // closed only after as_of: open on as_of
  complaint future = late_complaint();
  future.raised_on = day("2026-07-01");
  future.recorded_on.reset();
  future.resolved_on.reset();
  BOOST_TEST(!known_on(future, as_of));
  BOOST_TEST(drop_later_facts(future, as_of)[0].find("raised_on: 2026-07-01 is after") == 0);
}

BOOST_AUTO_TEST_CASE(a_later_resolution_does_not_remove_the_overdue_findings_or_escalations) {
  policy p = visits_only();
  org::directory people(fixtures::seed_org(), fixtures::seed_people());
  festival_calendar cal(p);
  std::vector<account> accounts;
  std::vector<complaint> complaints{late_complaint()};
  auto r = check_compliance(p, cal, {&accounts, &complaints, nullptr}, people, as_of);
  std::size_t overdue = 0;
  for (const auto& f : r.findings) overdue += f.kind == finding_kind::complaint_overdue;
  BOOST_TEST(overdue == 2u);  // not reported by 06-03, not resolved by 06-11
  BOOST_TEST(has(r.warnings, "complaint K1: resolved_on: 2026-07-10 is after the as-of date"),
             r.warnings.size());
  std::vector<std::string> ignored;
  auto due = escalations_due(*p.complaints, complaints, people, as_of, &ignored);
  BOOST_TEST(due.size() == 2u);  // report and resolve_overdue
  BOOST_TEST(has(ignored, "complaint K1: resolved_on"));
}

BOOST_AUTO_TEST_CASE(a_visit_recorded_only_after_as_of_counts_as_never_done) {
  policy p = visits_only();
  org::directory people(fixtures::seed_org(), fixtures::seed_people());
  festival_calendar cal(p);
  std::vector<account> accounts{
      {"C1", "One", "key", "alice", {{"regular_visit", day("2027-01-01")}}, std::nullopt}};
  auto pl = make_plan(p, cal, accounts, people, {as_of, as_of.add_days(29), 0});
  BOOST_REQUIRE(!pl.items.empty());
  BOOST_TEST(pl.items[0].never_done);
  BOOST_TEST((pl.items[0].due == as_of));
  BOOST_TEST(has(pl.warnings, "C1: last_done.regular_visit: 2027-01-01 is after"));
  auto r = check_compliance(p, cal, {&accounts, nullptr, nullptr}, people, as_of);
  BOOST_REQUIRE_EQUAL(r.findings.size(), 1u);
  BOOST_TEST(r.findings[0].subject == "regular_visit");
}

BOOST_AUTO_TEST_CASE(the_command_line_warns_at_the_line_and_ignores_the_fact) {
  // Line 2 of the log has an earlier visit; line 3 a later one that would have replaced it.
  const auto accounts = temp_file(
      "accounts.jsonl",
      "{\"id\": \"C1\", \"tier\": \"key\", \"owner\": \"alice\"}\n"
      "{\"id\": \"C1\", \"tier\": \"key\", \"last_done\": {\"regular_visit\": \"2026-05-20\"}}\n"
      "{\"id\": \"C1\", \"tier\": \"key\", \"last_done\": {\"regular_visit\": \"2027-01-01\"}}\n");
  auto plan =
      keyaccount::testing::run_cli({"plan", "--as-of", "2026-06-30", "--days", "30", "--accounts",
                                    accounts, "--people", data("people.json"), "--format", "csv"});
  BOOST_TEST(plan.code == 0, plan.err);
  BOOST_TEST(plan.err.find(accounts + ":3: warning[later_fact]: C1: last_done.regular_visit: "
                                      "2027-01-01 is after the as-of date 2026-06-30: ignored") !=
                 std::string::npos,
             plan.err);
  // Visited 05-20, every 30 days: overdue since 06-19 (the later date used to hide it).
  BOOST_TEST(plan.out.find("2026-06-19,C1,") != std::string::npos, plan.out);

  const auto complaints =
      temp_file("complaints.jsonl",
                "{\"id\": \"K1\", \"customer\": \"C1\", \"category\": \"transport\", \"recorder\": "
                "\"alice\", \"raised_on\": \"2026-06-01\", \"recorded_on\": \"2026-06-01\", "
                "\"resolved_on\": \"2026-07-10\"}\n");
  auto c = keyaccount::testing::run_cli({"compliance", "--as-of", "2026-06-30", "--accounts",
                                         accounts, "--people", data("people.json"), "--complaints",
                                         complaints, "--format", "json"});
  BOOST_TEST(c.code == 1, c.err);
  BOOST_TEST(c.err.find(complaints + ":1: warning[later_fact]: complaint K1: resolved_on: "
                                     "2026-07-10 is after the as-of date 2026-06-30: ignored") !=
                 std::string::npos,
             c.err);
  auto j = nlohmann::json::parse(c.out);
  std::size_t overdue = 0;
  for (const auto& f : j["findings"]) overdue += f["kind"] == "complaint_overdue";
  BOOST_TEST(overdue == 2u, c.out);
  BOOST_TEST(j["escalations"].size() == 2u, c.out);
}

BOOST_AUTO_TEST_SUITE_END()
