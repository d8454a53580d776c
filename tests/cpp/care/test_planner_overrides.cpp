// Art. 6.3 (flexible service): a customer's own service standard. The policy lists what may be
// overridden (`principles[].overridable`); an account's `overrides` replace those settings for
// that customer in the plan and in compliance, and the reason says so (issue 16, item 2).
#include <boost/test/unit_test.hpp>

#include "keyaccount/care/compliance.hpp"
#include "keyaccount/care/json.hpp"
#include "keyaccount/care/planner.hpp"
#include "test_workflow_fixtures.hpp"

using namespace keyaccount;
using namespace keyaccount::care;
using fixtures::day;

namespace {

using strings = std::vector<std::string>;

org::directory people() { return org::directory(fixtures::seed_org(), fixtures::seed_people()); }

account visited(const char* on, std::map<std::string, activity_override> overrides = {}) {
  account a;
  a.id = "C1";
  a.name = "One";
  a.tier = "key";
  a.owner = "alice";
  a.last_done = {{"regular_visit", day(on)}, {"executive_visit", day(on)}};
  a.overrides = std::move(overrides);
  return a;
}

activity_override every_days(int n) {
  activity_override o;
  o.every_days = n;
  return o;
}

// The plan's items of one activity as "due basis".
strings items_of(const policy& p, const std::vector<account>& accounts, const char* activity,
                 const char* from, const char* to) {
  festival_calendar cal(p);
  strings out;
  for (const auto& i : make_plan(p, cal, accounts, people(), {day(from), day(to), 800}).items)
    if (i.activity == activity) out.push_back(i.due.to_string() + " " + i.basis);
  return out;
}

strings problems_of(const policy& p, const account& a) { return account_problems(p, a); }

}  // namespace

BOOST_AUTO_TEST_SUITE(planner_overrides)

BOOST_AUTO_TEST_CASE(art_6_3_an_every_days_override_sets_the_customer_cadence_and_says_so) {
  const policy p = default_policy();  // regular_visit every 30 days; every_days overridable
  const auto own = items_of(p, {visited("2026-03-01", {{"regular_visit", every_days(14)}})},
                            "regular_visit", "2026-03-02", "2026-04-10");
  BOOST_TEST(own == (strings{"2026-03-15 last done 2026-03-01, every 14 days for this customer "
                             "(art-6.3 override)",
                             "2026-03-29 last done 2026-03-01, every 14 days for this customer "
                             "(art-6.3 override)"}),
             boost::test_tools::per_element());
  // Without the override: the policy's 30 days, and no word of an override.
  const auto standard =
      items_of(p, {visited("2026-03-01")}, "regular_visit", "2026-03-02", "2026-04-10");
  BOOST_TEST(standard == strings{"2026-03-31 last done 2026-03-01, every 30 days"},
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(art_6_3_an_override_touches_only_its_own_customer) {
  const policy p = default_policy();
  account other = visited("2026-03-01");
  other.id = "C2";
  const auto plan = make_plan(p, festival_calendar(p),
                              {visited("2026-03-01", {{"regular_visit", every_days(10)}}), other},
                              people(), {day("2026-03-02"), day("2026-03-31"), 800});
  strings c1, c2;
  for (const auto& i : plan.items)
    if (i.activity == "regular_visit") (i.customer == "C1" ? c1 : c2).push_back(i.due.to_string());
  BOOST_TEST(c1 == (strings{"2026-03-11", "2026-03-21", "2026-03-31"}),
             boost::test_tools::per_element());
  BOOST_TEST(c2 == strings{"2026-03-31"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(art_6_3_compliance_reports_against_the_customer_standard) {
  const policy p = default_policy();
  festival_calendar cal(p);
  auto overdue_visits = [&](const std::vector<account>& accounts) {
    strings out;
    for (const auto& f :
         check_compliance(p, cal, {&accounts, nullptr, nullptr}, people(), day("2026-03-25"))
             .findings)
      if (f.kind == finding_kind::activity_overdue && f.subject == "regular_visit")
        out.push_back(f.due->to_string() + "/" + std::to_string(f.days_overdue) + " " + f.detail);
    return out;
  };
  // Last visited 03-01: within the policy's 30 days on 03-25, but 10 days late by its own 14.
  BOOST_TEST(overdue_visits({visited("2026-03-01")}).empty());
  BOOST_TEST(overdue_visits({visited("2026-03-01", {{"regular_visit", every_days(14)}})}) ==
                 strings{"2026-03-15/10 last done 2026-03-01, every 14 days for this customer "
                         "(art-6.3 override): overdue since 2026-03-15"},
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(art_6_3_months_override_and_a_responsible_override_when_listed) {
  policy p = fixtures::with_fixed_executive_visits(default_policy());
  // It lists executive_visit.every_months; a policy may also let the position change.
  p.principles.back().overridable.push_back("executive_visit.responsible");
  activity_override own;
  own.every_months = 2;
  own.responsible = "cs_manager";
  const auto plan =
      make_plan(p, festival_calendar(p), {visited("2026-01-10", {{"executive_visit", own}})},
                people(), {day("2026-01-11"), day("2026-05-31"), 800});
  strings got;
  for (const auto& i : plan.items)
    if (i.activity == "executive_visit")
      got.push_back(i.due.to_string() + " " + i.position + " " + i.person + " " + i.basis);
  const std::string basis =
      "last done 2026-01-10, every 2 months for this customer (art-6.3 override); "
      "responsible: cs_manager for this customer (art-6.3 override)";
  BOOST_TEST(got == (strings{"2026-03-10 cs_manager carl " + basis,
                             "2026-05-10 cs_manager carl " + basis}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(art_6_3_what_the_policy_does_not_list_is_refused_by_name) {
  const policy p = default_policy();
  activity_override position;
  position.responsible = "cs_manager";
  const auto refused = problems_of(p, visited("2026-03-01", {{"regular_visit", position}}));
  BOOST_TEST_REQUIRE(refused.size() == 1U);
  BOOST_TEST(refused[0].rfind("overrides.regular_visit.responsible: not overridable under this "
                              "policy (art-6.3: its principles list regular_visit.every_days)",
                              0) == 0U,
             refused[0]);
  // A mistyped activity: unknown, with the policy's activities.
  const auto unknown = problems_of(p, visited("2026-03-01", {{"regular_vist", every_days(7)}}));
  BOOST_TEST_REQUIRE(unknown.size() == 1U);
  BOOST_TEST(unknown[0].find("overrides.regular_vist: unknown activity \"regular_vist\" (did you "
                             "mean `regular_visit`?") == 0U,
             unknown[0]);
  // make_plan refuses the account, placed by its index.
  BOOST_CHECK_EXCEPTION((void)make_plan(p, festival_calendar(p),
                                        {visited("2026-03-01", {{"regular_visit", position}})},
                                        people(), {day("2026-03-02"), day("2026-03-31"), 800}),
                        plan_error, [](const plan_error& e) {
                          return e.problems().size() == 1 &&
                                 e.problems()[0].rfind(
                                     "accounts[0].overrides.regular_visit.responsible:", 0) == 0;
                        });
  // A listed setting but an unknown position.
  policy listed = p;
  listed.principles.back().overridable.push_back("regular_visit.responsible");
  position.responsible = "cs_manger";
  const auto bad_position =
      problems_of(listed, visited("2026-03-01", {{"regular_visit", position}}));
  BOOST_TEST_REQUIRE(bad_position.size() == 1U);
  BOOST_TEST(bad_position[0].find("overrides.regular_visit.responsible: unknown position "
                                  "\"cs_manger\" (did you mean `cs_manager`?") == 0U,
             bad_position[0]);
}

BOOST_AUTO_TEST_CASE(art_6_3_overrides_read_from_json_and_from_table_columns) {
  const auto a = account_from_json(nlohmann::json::parse(R"({"id": "C1", "tier": "key",
      "overrides": {"regular_visit.every_days": 14, "executive_visit.every_months": "2",
                    "annual_symposium.yearly_on": "11-20"}})"));
  BOOST_TEST(a.overrides.size() == 3U);
  BOOST_TEST(a.overrides.at("regular_visit").every_days.value_or(0) == 14);
  BOOST_TEST(a.overrides.at("executive_visit").every_months.value_or(0) == 2);
  BOOST_TEST(a.overrides.at("annual_symposium").yearly_on.value_or(month_day{}).to_string() ==
             "11-20");
  // A table row: one column per setting; a blank cell sets nothing.
  const auto row = account_from_json(nlohmann::json::parse(
      R"({"id": "C1", "tier": "key", "overrides.regular_visit.every_days": "21",
          "overrides.executive_visit.every_months": ""})"));
  BOOST_TEST(row.overrides.size() == 1U);
  BOOST_TEST(row.overrides.at("regular_visit").every_days.value_or(0) == 21);
}

BOOST_AUTO_TEST_CASE(art_6_3_broken_overrides_are_located_input_errors) {
  auto error_of = [](const char* text) -> std::string {
    try {
      (void)account_from_json(nlohmann::json::parse(text));
    } catch (const care::input_error& e) {
      return e.what();
    }
    return "(accepted)";
  };
  BOOST_TEST(
      error_of(R"({"id": "C1", "tier": "key", "overrides": {"regular_visit.every_days": 0}})") ==
      "overrides.regular_visit.every_days: expected a whole number from 1 to 100000, got 0");
  BOOST_TEST(
      error_of(
          R"({"id": "C1", "tier": "key", "overrides": {"regular_visit.every_days": 1e300}})") ==
      "overrides.regular_visit.every_days: expected a whole number from "
      "-9223372036854775808 to 9223372036854775807, got 1e+300");
  BOOST_TEST(
      error_of(R"({"id": "C1", "tier": "key", "overrides": {"regular_visit.every_week": 2}})") ==
      "overrides.regular_visit.every_week: unknown setting `every_week` (expected one of: "
      "every_days, every_months, yearly_on, lead_days, responsible)");
  BOOST_TEST(error_of(R"({"id": "C1", "tier": "key", "overrides": {"regular_visit": 14}})") ==
             "overrides.regular_visit: expected a key `<activity>.<setting>`, e.g. "
             "regular_visit.every_days");
  BOOST_TEST(
      error_of(
          R"({"id": "C1", "tier": "key", "overrides": {"annual_symposium.yearly_on": "13-01"}})") ==
      "overrides.annual_symposium.yearly_on: expected a day of the year MM-DD");
  BOOST_TEST(error_of(R"({"id": "C1", "tier": "key", "overrides": [14]})")
                 .rfind("overrides: expected an object", 0) == 0U);
  BOOST_TEST(error_of(R"({"id": "C1", "tier": "key", "overrides": {"regular_visit.every_days": 7},
                          "overrides.regular_visit.every_days": 9})") ==
             "overrides.regular_visit.every_days: given twice (in the overrides object and as a "
             "column)");
}

BOOST_AUTO_TEST_SUITE_END()
