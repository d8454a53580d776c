// An occurrence that fell due and was not done stays overdue until it is done, for every kind
// of cadence and across year ends, month ends and leap days (issue 16): the plan lists it and
// compliance reports it, however long ago it fell due.
#include <boost/test/unit_test.hpp>

#include "keyaccount/care/compliance.hpp"
#include "keyaccount/care/planner.hpp"
#include "test_workflow_fixtures.hpp"

using namespace keyaccount;
using namespace keyaccount::care;
using fixtures::day;

namespace {

using strings = std::vector<std::string>;

org::directory people() { return org::directory(fixtures::seed_org(), fixtures::seed_people()); }

// The default policy reduced to one activity, with its cadence replaced when given.
policy only(const std::string& activity_id, std::optional<cadence> when = std::nullopt) {
  // `annual_symposium`: Art. 10 read as a per-customer yearly activity (the option kept).
  policy p = fixtures::with_yearly_symposium_activity(default_policy());
  std::erase_if(p.activities, [&](const activity& a) { return a.id != activity_id; });
  if (when) p.activities.at(0).when = *when;
  return p;
}

cadence every_days(int n) {
  cadence c;
  c.every_days = n;
  return c;
}
cadence every_months(int n) {
  cadence c;
  c.every_months = n;
  return c;
}
cadence yearly_on(int month, int day_of_month) {
  cadence c;
  c.yearly_on = month_day{static_cast<unsigned>(month), static_cast<unsigned>(day_of_month)};
  return c;
}

std::vector<account> last_done(const std::string& activity, const char* on) {
  return {{"C1", "One", "key", "alice", {{activity, day(on)}}, std::nullopt}};
}

// The plan's due dates, "!" marking an overdue one.
strings dues(const policy& p, const std::vector<account>& accounts, const char* from,
             const char* to) {
  festival_calendar cal(p);
  strings out;
  for (const auto& i : make_plan(p, cal, accounts, people(), {day(from), day(to), 800}).items)
    out.push_back(i.due.to_string() + (i.overdue ? "!" : ""));
  return out;
}

// Compliance on `as_of`: each activity finding as "due/days overdue".
strings overdue(const policy& p, const std::vector<account>& accounts, const char* as_of) {
  festival_calendar cal(p);
  strings out;
  for (const auto& f :
       check_compliance(p, cal, {&accounts, nullptr, nullptr}, people(), day(as_of)).findings) {
    if (f.kind != finding_kind::activity_overdue) continue;
    out.push_back((f.due ? f.due->to_string() : std::string("never")) + "/" +
                  std::to_string(f.days_overdue));
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(planner_cadence)

// Issue 16: the 2026 symposium, missed, vanished from compliance and the plan once 2027 began.
BOOST_AUTO_TEST_CASE(a_yearly_event_missed_last_year_stays_overdue) {
  const policy p = only("annual_symposium");
  const auto acc = last_done("annual_symposium", "2025-12-10");
  BOOST_TEST(overdue(p, acc, "2026-12-31") == strings{"2026-12-10/21"},
             boost::test_tools::per_element());
  BOOST_TEST(overdue(p, acc, "2027-01-10") == strings{"2026-12-10/31"},
             boost::test_tools::per_element());
  BOOST_TEST(overdue(p, acc, "2028-06-01") == strings{"2026-12-10/539"},
             boost::test_tools::per_element());
  // The plan lists it once as overdue, then this year's occurrence.
  BOOST_TEST(dues(p, acc, "2027-01-10", "2027-12-31") == (strings{"2026-12-10!", "2027-12-10"}),
             boost::test_tools::per_element());
  // Done late (2027-01-20) counts for 2027 as the policy reads "done in the year": nothing
  // is overdue any more, and 2028 is next.
  const auto late = last_done("annual_symposium", "2027-01-20");
  BOOST_TEST(overdue(p, late, "2027-12-31").empty());
  BOOST_TEST(dues(p, late, "2027-01-21", "2028-12-31") == strings{"2028-12-10"},
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(yearly_on_the_leap_day_stays_overdue_across_years) {
  const policy p = only("annual_symposium", yearly_on(2, 29));
  // Done in 2027 (on its 02-28): 2028-02-29 is missed; still overdue in 2029.
  const auto acc = last_done("annual_symposium", "2027-02-28");
  BOOST_TEST(overdue(p, acc, "2028-03-01") == strings{"2028-02-29/1"},
             boost::test_tools::per_element());
  BOOST_TEST(overdue(p, acc, "2029-03-01") == strings{"2028-02-29/366"},
             boost::test_tools::per_element());
  // Done in 2028: 2029 has no 02-29, so 2029-02-28 is missed; still overdue in 2030.
  const auto leap = last_done("annual_symposium", "2028-02-29");
  BOOST_TEST(overdue(p, leap, "2030-01-05") == strings{"2029-02-28/311"},
             boost::test_tools::per_element());
  BOOST_TEST(dues(p, leap, "2030-01-05", "2030-12-31") == (strings{"2029-02-28!", "2030-02-28"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(every_days_stays_overdue_across_the_year_end) {
  const policy p = only("regular_visit", every_days(30));
  // Last 2026-12-15: due 2027-01-14; overdue in February and still a year later.
  const auto acc = last_done("regular_visit", "2026-12-15");
  BOOST_TEST(overdue(p, acc, "2027-01-14").empty());
  BOOST_TEST(overdue(p, acc, "2027-02-01") == strings{"2027-01-14/18"},
             boost::test_tools::per_element());
  BOOST_TEST(overdue(p, acc, "2028-02-01") == strings{"2027-01-14/383"},
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(every_months_stays_overdue_across_month_ends_and_leap_days) {
  const policy p = only("executive_visit", every_months(6));
  // Last 2027-08-31: due 2028-02-29 (leap year, clamped from 02-31).
  const auto acc = last_done("executive_visit", "2027-08-31");
  BOOST_TEST(overdue(p, acc, "2028-02-29").empty());
  BOOST_TEST(overdue(p, acc, "2028-03-01") == strings{"2028-02-29/1"},
             boost::test_tools::per_element());
  BOOST_TEST(overdue(p, acc, "2029-01-01") == strings{"2028-02-29/307"},
             boost::test_tools::per_element());
  // Monthly, last 2027-01-31: due 2027-02-28 (no leap day); overdue into the next year.
  const policy monthly = only("executive_visit", every_months(1));
  const auto jan = last_done("executive_visit", "2027-01-31");
  BOOST_TEST(overdue(monthly, jan, "2028-01-01") == strings{"2027-02-28/307"},
             boost::test_tools::per_element());
  BOOST_TEST(
      dues(monthly, jan, "2028-01-01", "2028-02-29") == (strings{"2027-02-28!", "2028-02-01"}),
      boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
