// Complaints (Art. 8.1–8.2): deadlines, escalations due on a day, and closing rules.
#include <boost/test/unit_test.hpp>

#include "keyaccount/care/complaints.hpp"
#include "keyaccount/policy/loader.hpp"
#include "test_plan_print.hpp"
#include "test_workflow_fixtures.hpp"

using namespace keyaccount;
using namespace keyaccount::care;
using fixtures::day;

namespace {

const complaint_rules& rules() { return *default_policy().complaints; }

org::directory people() { return org::directory(fixtures::seed_org(), fixtures::seed_people()); }

complaint make(std::string id, std::string category, const char* raised) {
  complaint c;
  c.id = std::move(id);
  c.customer = "C1";
  c.category = std::move(category);
  c.recorder = "alice";  // a specialist whose superior is sue
  c.raised_on = day(raised);
  return c;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(complaints)

BOOST_AUTO_TEST_CASE(deadlines_count_from_the_day_raised_across_month_and_leap_day) {
  // transport: record 1, report 2, resolve 10 days. Raised 2028-02-25 (2028 is leap):
  // record by 02-26, report by 02-27, resolve by 03-06 (02-29 exists).
  auto d = deadlines_of(rules(), make("x", "transport", "2028-02-25"));
  BOOST_TEST(d.record_by == day("2028-02-26"));
  BOOST_TEST(d.report_by == day("2028-02-27"));
  BOOST_TEST(d.resolve_by == day("2028-03-06"));
  // other (art-8.2): resolve within 20 days; raised 2026-12-20 → 2027-01-09.
  BOOST_TEST(deadlines_of(rules(), make("y", "other", "2026-12-20")).resolve_by ==
             day("2027-01-09"));
}

BOOST_AUTO_TEST_CASE(art_8_1_problems_are_reported_to_the_superior) {
  auto c = make("c1", "production", "2026-11-02");
  c.recorded_on = day("2026-11-02");
  // On the day raised: a report to sue is due by 11-04, not overdue.
  auto due = escalations_due(rules(), {c}, people(), day("2026-11-02"));
  BOOST_TEST_REQUIRE(due.size() == 1u);
  BOOST_TEST(due[0].kind == escalation_kind::report);
  BOOST_TEST(due[0].to == "sue");
  BOOST_TEST(due[0].from == "alice");
  BOOST_TEST(due[0].article == "art-8.1");
  BOOST_TEST(due[0].due_on == day("2026-11-04"));
  BOOST_TEST(due[0].days_overdue == 0);
  // 2026-11-20: production resolves within 15 days (by 11-17): report 16 days late, and the
  // resolution 3 days late.
  due = escalations_due(rules(), {c}, people(), day("2026-11-20"));
  BOOST_TEST_REQUIRE(due.size() == 2u);
  BOOST_TEST(due[0].kind == escalation_kind::report);
  BOOST_TEST(due[0].days_overdue == 16);
  BOOST_TEST(due[1].kind == escalation_kind::resolve_overdue);
  BOOST_TEST(due[1].due_on == day("2026-11-17"));
  BOOST_TEST(due[1].days_overdue == 3);
}

BOOST_AUTO_TEST_CASE(art_8_2_objections_are_reported_only_when_unresolved) {
  auto c = make("o1", "other", "2026-03-01");
  c.recorded_on = day("2026-03-01");
  // report_within_days 5: nothing before 03-06.
  BOOST_TEST(escalations_due(rules(), {c}, people(), day("2026-03-05")).empty());
  auto due = escalations_due(rules(), {c}, people(), day("2026-03-06"));
  BOOST_TEST_REQUIRE(due.size() == 1u);
  BOOST_TEST(due[0].kind == escalation_kind::report);
  BOOST_TEST(due[0].article == "art-8.2");
  BOOST_TEST(due[0].to == "sue");
  // Resolved in time: nothing at all.
  c.resolved_on = day("2026-03-04");
  BOOST_TEST(escalations_due(rules(), {c}, people(), day("2026-03-10")).empty());
}

BOOST_AUTO_TEST_CASE(missed_recording_and_already_raised_escalations) {
  auto c = make("c2", "after_sales", "2026-05-30");
  // Not recorded: record by 05-31; on 06-02 the record is 2 days late.
  auto due = escalations_due(rules(), {c}, people(), day("2026-06-02"));
  BOOST_TEST_REQUIRE(due.size() == 2u);
  BOOST_TEST(due[0].kind == escalation_kind::report);
  BOOST_TEST(due[1].kind == escalation_kind::record_overdue);
  BOOST_TEST(due[1].days_overdue == 2);
  // Once the report escalation was raised it is no longer due.
  c.escalations.push_back({escalation_kind::report, "sue", day("2026-05-30"), std::nullopt});
  due = escalations_due(rules(), {c}, people(), day("2026-06-02"));
  BOOST_TEST_REQUIRE(due.size() == 1u);
  BOOST_TEST(due[0].kind == escalation_kind::record_overdue);
}

BOOST_AUTO_TEST_CASE(no_superior_is_said_not_hidden) {
  auto c = make("c3", "transport", "2026-01-10");
  c.recorder = "gina";  // the GM has no superior
  auto due = escalations_due(rules(), {c}, people(), day("2026-01-10"));
  BOOST_TEST_REQUIRE(due.size() == 1u);
  BOOST_TEST(due[0].to.empty());
  BOOST_TEST(due[0].reason.find("no active superior found for gina") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_recorder_the_people_do_not_know_is_said_as_such) {
  auto c = make("c3", "transport", "2026-01-10");
  c.recorder = "gnia";  // a typo: not "the top of the line"
  auto due = escalations_due(rules(), {c}, people(), day("2026-01-10"));
  BOOST_TEST_REQUIRE(due.size() == 1u);
  BOOST_TEST(due[0].to.empty());
  BOOST_TEST(due[0].reason.find("recorder gnia is not among the people") != std::string::npos);
  BOOST_TEST(due[0].reason.find("no active superior found") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(cannot_close_while_an_escalation_is_open) {
  auto c = make("c4", "production", "2026-01-10");
  c.resolved_on = day("2026-01-15");
  c.escalations.push_back({escalation_kind::report, "sue", day("2026-01-11"), std::nullopt});
  auto r = close_complaint(c, day("2026-01-16"));
  BOOST_TEST_REQUIRE(std::holds_alternative<complaint_refusal>(r));
  BOOST_TEST(std::get<complaint_refusal>(r).kind == complaint_refusal_kind::open_escalation);
  c.escalations[0].closed_on = day("2026-01-15");
  r = close_complaint(c, day("2026-01-16"));
  BOOST_TEST_REQUIRE(std::holds_alternative<complaint>(r));
  BOOST_TEST(*std::get<complaint>(r).closed_on == day("2026-01-16"));
  BOOST_TEST(std::get<complaint_refusal>(close_complaint(std::get<complaint>(r), day("2026-01-17")))
                 .kind == complaint_refusal_kind::already_closed);
  auto unresolved = make("c5", "production", "2026-01-10");
  BOOST_TEST(std::get<complaint_refusal>(close_complaint(unresolved, day("2026-01-16"))).kind ==
             complaint_refusal_kind::not_resolved);
}

BOOST_AUTO_TEST_CASE(bad_complaints_are_located) {
  auto a = make("a", "weather", "2026-01-10");
  auto b = make("a", "production", "2026-01-10");
  b.recorded_on = day("2026-01-09");
  try {
    check_complaints(rules(), {a, b});
    BOOST_FAIL("expected complaint_error");
  } catch (const complaint_error& e) {
    BOOST_TEST_REQUIRE(e.problems().size() == 3u);
    BOOST_TEST(e.problems()[0].find("complaints[0].category: unknown category \"weather\"") == 0u);
    BOOST_TEST(e.problems()[1] == "complaints[1].id: duplicate complaint id a");
    BOOST_TEST(e.problems()[2].find("complaints[1].recorded_on") == 0u);
  }
}

BOOST_AUTO_TEST_SUITE_END()
