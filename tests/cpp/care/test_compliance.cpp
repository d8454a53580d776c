// The compliance report: overdue activities, owners, profile cards, complaints, by hand.
#include <boost/test/unit_test.hpp>

#include "keyaccount/care/compliance.hpp"
#include "keyaccount/policy/loader.hpp"
#include "test_plan_print.hpp"
#include "test_workflow_fixtures.hpp"

using namespace keyaccount;
using namespace keyaccount::care;
using fixtures::day;

BOOST_AUTO_TEST_SUITE(compliance)

BOOST_AUTO_TEST_CASE(every_kind_of_finding_computed_by_hand) {
  policy p = default_policy();
  std::erase_if(p.activities, [](const activity& a) { return a.id != "regular_visit"; });
  org::directory people(fixtures::seed_org(), fixtures::seed_people());
  festival_calendar cal(p);
  const date as_of = day("2026-11-01");
  std::vector<account> accounts = {
      {"C1", "One", "key", "alice", {{"regular_visit", day("2026-09-01")}}, std::nullopt},
      {"C2", "Two", "key", "", {{"regular_visit", day("2026-10-20")}}, std::nullopt},
      {"C3", "Three", "key", "carl", {{"regular_visit", day("2026-10-25")}}, std::nullopt},
      {"C4", "Four", "regular", "", {}, std::nullopt},  // not a key customer: nothing required
  };
  std::map<std::string, profile_card_status> profiles;
  profile_card_status c1;
  c1.required = c1.present = true;
  c1.missing_fields = {"address"};
  c1.updated_on = day("2026-01-01");
  c1.age_days = 304;
  c1.max_age_days = 180;
  c1.stale = true;
  profiles["C1"] = c1;
  profile_card_status c3;
  c3.required = c3.present = true;
  c3.updated_on = day("2026-10-01");
  profiles["C3"] = c3;
  complaint k1;
  k1.id = "K1";
  k1.customer = "C1";
  k1.category = "transport";  // record 1, report 2, resolve 10 days
  k1.recorder = "alice";
  k1.raised_on = day("2026-10-20");
  k1.recorded_on = day("2026-10-20");
  complaint k2 = k1;
  k2.id = "K2";
  k2.resolved_on = day("2026-10-25");
  k2.closed_on = day("2026-10-26");
  std::vector<complaint> complaints = {k1, k2};

  auto r = check_compliance(p, cal, {&accounts, &complaints, &profiles}, people, as_of);
  BOOST_TEST(!r.ok());
  BOOST_TEST(r.profiles_checked);
  std::vector<std::string> got;
  for (const auto& f : r.findings)
    got.push_back(std::string(to_string(f.kind)) + " " + f.customer + " " + f.subject + " " +
                  std::to_string(f.days_overdue));
  const std::vector<std::string> expected = {
      "activity_overdue C1 regular_visit 31",  // due 10-01
      "no_valid_owner C2 no_owner 0",
      "no_valid_owner C3 carl 0",  // a CS manager, not a CR specialist
      "profile_missing C2 profile 0",
      "profile_incomplete C1 profile 0",
      "profile_stale C1 profile 124",  // 2026-01-01 + 180 = 06-30
      "complaint_overdue C1 K1 10",    // report by 10-22
      "complaint_overdue C1 K1 2",     // resolve by 10-30
  };
  BOOST_TEST(got == expected, boost::test_tools::per_element());
  BOOST_TEST(r.findings[0].responsible == "alice");
  BOOST_TEST(*r.findings[0].due == day("2026-10-01"));
  BOOST_TEST(r.findings[0].article == "art-8");
  BOOST_TEST(r.findings[1].article == "art-6.2");
  BOOST_TEST(r.findings[6].detail.find("not reported to the superior by 2026-10-22") !=
             std::string::npos);
  BOOST_TEST(r.counts().at("complaint_overdue") == 2);

  // Without profiles the profile findings are absent, and a clean account set is ok.
  std::vector<account> clean = {
      {"C1", "One", "key", "alice", {{"regular_visit", day("2026-10-20")}}, std::nullopt}};
  auto ok = check_compliance(p, cal, {&clean, nullptr, nullptr}, people, as_of);
  BOOST_TEST(ok.ok());
  BOOST_TEST(!ok.profiles_checked);
}

BOOST_AUTO_TEST_CASE(never_done_activities_say_so_once_and_a_missed_yearly_event_is_late) {
  policy p = fixtures::with_yearly_symposium_activity(default_policy());
  std::erase_if(p.activities, [](const activity& a) {
    return a.id != "regular_visit" && a.id != "annual_symposium";
  });
  org::directory people(fixtures::seed_org(), fixtures::seed_people());
  festival_calendar cal(p);
  std::vector<account> never = {{"C1", "One", "key", "alice", {}, std::nullopt}};
  // 2026-12-15: the visit (every 30 days) is due now; the symposium (yearly on 12-10) was due
  // five days ago and has never been held.
  auto r = check_compliance(p, cal, {&never, nullptr, nullptr}, people, day("2026-12-15"));
  BOOST_TEST_REQUIRE(r.findings.size() == 2u);
  const auto& symposium =
      r.findings[0].subject == "annual_symposium" ? r.findings[0] : r.findings[1];
  const auto& visit = r.findings[0].subject == "regular_visit" ? r.findings[0] : r.findings[1];
  BOOST_TEST(visit.subject == "regular_visit");
  BOOST_TEST(visit.detail == "never done: due now (every 30 days)");
  BOOST_TEST(!visit.due.has_value());
  BOOST_TEST(visit.days_overdue == 0);
  BOOST_TEST(symposium.subject == "annual_symposium");
  BOOST_TEST(symposium.detail == "never done: yearly on 12-10: not done in 2026");
  BOOST_TEST_REQUIRE(symposium.due.has_value());
  BOOST_TEST(*symposium.due == day("2026-12-10"));
  BOOST_TEST(symposium.days_overdue == 5);
}

BOOST_AUTO_TEST_SUITE_END()
