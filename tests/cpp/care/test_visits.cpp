// Art. 9: senior-management visits by plan (care/visits.hpp): the default policy's `by_plan`
// cadence, the planned visits and their briefings in the plan, compliance's findings (visit not
// done, no visit planned within the horizon, briefing overdue), the fixed cadence kept as a
// policy option, located refusals, and `plan` / `compliance --visit-plan`.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "keyaccount/care/compliance.hpp"
#include "keyaccount/care/json.hpp"
#include "keyaccount/care/visits.hpp"
#include "keyaccount/policy/summary.hpp"
#include "test_workflow_fixtures.hpp"

using namespace keyaccount;
using namespace keyaccount::care;
using fixtures::day;

namespace {

using strings = std::vector<std::string>;

org::directory people() { return org::directory(fixtures::seed_org(), fixtures::seed_people()); }

// The default policy with executive visits only.
policy visits_only(policy p = default_policy()) {
  std::erase_if(p.activities, [](const activity& a) { return a.id != "executive_visit"; });
  p.symposium.reset();
  return p;
}

std::vector<account> accounts() {
  return {{"C1", "One", "key", "alice", {}, std::nullopt},
          {"C2", "Two", "key", "bob", {}, std::nullopt},
          {"C3", "Three", "key", "cora", {}, std::nullopt},
          {"R1", "Reg", "regular", "", {}, std::nullopt}};
}

planned_visit visit(const char* customer, const char* on, const char* executive = "gina") {
  planned_visit v;
  v.customer = customer;
  v.on = day(on);
  v.executive = executive;
  return v;
}

// Plan items as "due[!] customer activity person".
strings items(const policy& p, const std::vector<account>& acc,
              const std::vector<planned_visit>& visits, const char* from, const char* to) {
  strings out;
  for (const auto& i :
       make_plan(p, festival_calendar(p), acc, people(), {day(from), day(to), 0, nullptr, &visits})
           .items)
    out.push_back(i.due.to_string() + (i.overdue ? "!" : "") + " " + i.customer + " " + i.activity +
                  " " + i.person);
  return out;
}

// Findings as "kind customer due/days responsible".
strings findings(const policy& p, const std::vector<account>& acc,
                 const std::vector<planned_visit>* visits, const char* as_of) {
  strings out;
  for (const auto& f :
       check_compliance(p, festival_calendar(p), {&acc, nullptr, nullptr, nullptr, visits},
                        people(), day(as_of))
           .findings)
    out.push_back(std::string(to_string(f.kind)) + " " + f.customer + " " +
                  (f.due ? f.due->to_string() : "-") + "/" + std::to_string(f.days_overdue) + " " +
                  f.responsible);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(visits)

BOOST_AUTO_TEST_CASE(art_9_the_default_policy_plans_executive_visits_by_plan) {
  const policy& p = default_policy();
  const activity* a = p.find_activity("executive_visit");
  BOOST_TEST_REQUIRE(a != nullptr);
  BOOST_TEST_REQUIRE(a->when.by_plan.has_value());  // not a fixed cadence
  BOOST_TEST(a->when.every_months == 0);
  BOOST_TEST(a->when.by_plan->horizon_days == 180);
  BOOST_TEST(a->when.by_plan->briefing_by == "cr_specialist");
  BOOST_TEST(a->when.by_plan->briefing_by_owner);
  BOOST_TEST(a->when.by_plan->briefing_lead_days == 7);
  const auto text = summarize(p);
  BOOST_TEST(text.find("executive_visit [art-9] Senior-management visit (高层领导拜访): by the "
                       "visit plan (no fixed interval; a customer with none planned within 180 "
                       "days is reported); briefing by the owner, cr_specialist 7 days before "
                       "each visit") != std::string::npos,
             text);
}

BOOST_AUTO_TEST_CASE(art_9_the_plan_lists_each_planned_visit_and_its_briefing) {
  const policy p = visits_only();
  // No visit plan: nothing at a fixed interval.
  BOOST_TEST(items(p, accounts(), {}, "2026-01-01", "2026-12-31").empty());
  // C1 visited by gina on 12-15: the briefing by its owner alice 7 days before, the visit by gina.
  const std::vector<planned_visit> plan{visit("C1", "2026-12-15"),
                                        visit("C2", "2027-02-01", "carl")};
  BOOST_TEST(items(p, accounts(), plan, "2026-12-01", "2026-12-31") ==
                 (strings{"2026-12-08 C1 executive_visit.briefing alice",
                          "2026-12-15 C1 executive_visit gina"}),
             boost::test_tools::per_element());
  // On 12-10 the briefing is overdue; once handed over it is gone.
  auto briefed = plan;
  BOOST_TEST(items(p, accounts(), plan, "2026-12-10", "2026-12-20") ==
                 (strings{"2026-12-08! C1 executive_visit.briefing alice",
                          "2026-12-15 C1 executive_visit gina"}),
             boost::test_tools::per_element());
  briefed[0].briefed_on = day("2026-12-09");
  BOOST_TEST(items(p, accounts(), briefed, "2026-12-10", "2026-12-20") ==
                 strings{"2026-12-15 C1 executive_visit gina"},
             boost::test_tools::per_element());
  // Not done by its day: listed as overdue afterwards; done (its record, or a last-done date on
  // or after the day): gone.
  BOOST_TEST(items(p, accounts(), briefed, "2026-12-16", "2026-12-31") ==
                 strings{"2026-12-15! C1 executive_visit gina"},
             boost::test_tools::per_element());
  briefed[0].done_on = day("2026-12-15");
  BOOST_TEST(items(p, accounts(), briefed, "2026-12-16", "2026-12-31").empty());
  auto acc = accounts();
  acc[0].last_done["executive_visit"] = day("2026-12-16");
  BOOST_TEST(items(p, acc, plan, "2026-12-17", "2026-12-31").empty());
  // A regular customer's visit is not planned, with a warning.
  const std::vector<planned_visit> regular{visit("R1", "2026-12-15")};
  const auto pl = make_plan(p, festival_calendar(p), accounts(), people(),
                            {day("2026-12-01"), day("2026-12-31"), 0, nullptr, &regular});
  BOOST_TEST(pl.items.empty());
  BOOST_TEST_REQUIRE(pl.warnings.size() == 1U);
  BOOST_TEST(pl.warnings[0].find("R1 on 2026-12-15 is a regular customer") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(art_9_compliance_reports_visits_not_done_unplanned_customers_and_briefings) {
  const policy p = visits_only();
  // On 07-15: C1's visit of 06-10 was not done; C2's visit on 07-20 lacks its briefing (due
  // 07-13); C3's only visit is beyond the 180-day horizon (to 2027-01-11); C1 has none ahead.
  const std::vector<planned_visit> plan{
      visit("C1", "2026-06-10"), visit("C2", "2026-07-20", "carl"), visit("C3", "2027-03-01")};
  BOOST_TEST(
      findings(p, accounts(), &plan, "2026-07-15") ==
          (strings{"visit_not_done C1 2026-06-10/35 gina", "no_visit_planned C1 -/0 sue",
                   "no_visit_planned C3 -/0 sam", "visit_briefing_overdue C2 2026-07-13/2 bob"}),
      boost::test_tools::per_element());
  // Done, briefed and planned: nothing.
  auto fixed = plan;
  fixed[0].done_on = day("2026-06-12");
  fixed.push_back(visit("C1", "2026-09-01"));
  fixed[1].briefed_on = day("2026-07-10");
  fixed[2].on = day("2026-12-01");
  BOOST_TEST(findings(p, accounts(), &fixed, "2026-07-15").empty());
  // No visit plan at all: every key customer has none planned (the regular one is not asked).
  BOOST_TEST(findings(p, accounts(), nullptr, "2026-07-15") ==
                 (strings{"no_visit_planned C1 -/0 sue", "no_visit_planned C2 -/0 sue",
                          "no_visit_planned C3 -/0 sam"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(art_9_a_fixed_cadence_stays_a_policy_option) {
  const policy p = visits_only(fixtures::with_fixed_executive_visits(default_policy()));
  auto acc = accounts();
  acc.resize(1);
  acc[0].last_done["executive_visit"] = day("2026-01-10");
  BOOST_TEST(
      items(p, acc, {}, "2026-01-11", "2026-12-31") == strings{"2026-07-10 C1 executive_visit sue"},
      boost::test_tools::per_element());
  // Without a by_plan activity no visit-plan finding is made, and a visit plan is refused.
  BOOST_TEST(findings(p, acc, nullptr, "2026-03-01").empty());
  const auto problems = visit_problems(p, acc, people(), visit("C1", "2026-03-01"));
  BOOST_TEST(problems == (strings{"activity: the policy has no activity by plan (a `by_plan` "
                                  "cadence, Art. 9)"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(art_9_visits_are_refused_where_they_are) {
  const policy p = visits_only();
  const auto problems = visit_problems(p, accounts(), people(), visit("C11", "2026-03-01", "gena"));
  BOOST_TEST(problems ==
                 (strings{"customer: \"C11\" is not among the customers given (did you mean `C1`?)",
                          "executive: \"gena\" is not a known person"}),
             boost::test_tools::per_element());
  const std::vector<planned_visit> bad{visit("C1", "2026-03-01"), visit("C9", "2026-03-01")};
  BOOST_CHECK_EXCEPTION((void)make_plan(p, festival_calendar(p), accounts(), people(),
                                        {day("2026-03-01"), day("2026-03-31"), 0, nullptr, &bad}),
                        plan_error, [](const plan_error& e) {
                          return e.problems().size() == 1U &&
                                 e.problems()[0].rfind("visits[1].customer: \"C9\" is not among",
                                                       0) == 0;
                        });
  // The record's shape.
  const auto v = planned_visit_from_json(nlohmann::json::parse(
      R"({"customer": "C1", "date": "2026-03-01", "executive": "gina", "briefed_on": ""})"));
  BOOST_TEST(v.customer == "C1");
  BOOST_TEST(!v.briefed_on.has_value());
  BOOST_CHECK_EXCEPTION((void)planned_visit_from_json(
                            nlohmann::json::parse(R"({"customer": "C1", "executive": "x"})")),
                        care::input_error, [](const care::input_error& e) {
                          return std::string(e.what()) == "date: required value is missing";
                        });
}

BOOST_AUTO_TEST_CASE(art_9_plan_and_compliance_take_a_visit_plan_file) {
  const auto dir = std::filesystem::temp_directory_path() / "keyaccount_test_visits";
  std::filesystem::create_directories(dir);
  const auto accounts_file = (dir / "accounts.jsonl").string();
  const auto people_file = (dir / "people.json").string();
  const auto visits_file = (dir / "visits.csv").string();
  const auto bad_file = (dir / "bad.csv").string();
  std::ofstream(accounts_file) << R"({"id": "C1", "name": "One", "tier": "key", "owner": "alice"})"
                               << '\n';
  std::ofstream(people_file)
      << R"({"people": [{"id": "gina", "name": "Gina", "positions": ["general_manager"]},
    {"id": "sue", "name": "Sue", "positions": ["cr_supervisor"]},
    {"id": "alice", "name": "Alice", "positions": ["cr_specialist"], "superior": "sue"}]})";
  std::ofstream(visits_file) << "customer,date,executive,done_on,briefed_on\n"
                                "C1,2026-12-15,gina,,\nC1,2026-06-01,gina,2026-12-20,\n";
  std::ofstream(bad_file) << "customer,date,executive\nC1,2026-12-15,gina\nC2,2026-12-20,gina\n";
  using testing::run_cli;
  auto plan = run_cli({"plan", "--as-of", "2026-12-01", "--days", "31", "--accounts", accounts_file,
                       "--people", people_file, "--visit-plan", visits_file, "--format", "csv"});
  BOOST_TEST(plan.code == 0, plan.err);
  BOOST_TEST(plan.out.find("2026-12-08,C1,One,executive_visit.briefing,") != std::string::npos,
             plan.out);
  BOOST_TEST(plan.out.find("2026-12-15,C1,One,executive_visit,") != std::string::npos, plan.out);
  // The June visit's done_on is after the day: not known, so it is overdue, with a warning.
  BOOST_TEST(plan.out.find("2026-06-01,C1,One,executive_visit,") != std::string::npos, plan.out);
  BOOST_TEST(plan.err.find(visits_file + ":3: warning[later_fact]: visit of C1: done_on: "
                                         "2026-12-20 is after 2026-12-01") != std::string::npos,
             plan.err);
  auto check = run_cli({"compliance", "--as-of", "2026-12-10", "--accounts", accounts_file,
                        "--people", people_file, "--visit-plan", visits_file, "--format", "json"});
  BOOST_TEST(check.code == 1);
  const auto j = nlohmann::json::parse(check.out);
  strings visit_kinds;  // the Art. 9 findings among the others (never-done activities, ...)
  for (const auto& f : j["findings"])
    if (f["article"] == "art-9")
      visit_kinds.push_back(f["kind"].get<std::string>() + " " + f["due"].get<std::string>());
  BOOST_TEST(
      visit_kinds == (strings{"visit_not_done 2026-06-01", "visit_briefing_overdue 2026-12-08"}),
      boost::test_tools::per_element());
  auto bad = run_cli({"plan", "--as-of", "2026-12-01", "--accounts", accounts_file, "--people",
                      people_file, "--visit-plan", bad_file});
  BOOST_TEST(bad.code == 1);
  BOOST_TEST(bad.err.find(bad_file + ":3: error[invalid_record]: customer: \"C2\" is not among the "
                                     "customers given") != std::string::npos,
             bad.err);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
