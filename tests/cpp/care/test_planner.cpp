// Activity planner: cadences with month ends and leap years, festival gifts (one on a
// weekend), overdue and never-done activities, responsible people, gift-request instances.
#include <boost/test/unit_test.hpp>

#include <algorithm>

#include "keyaccount/care/json.hpp"
#include "keyaccount/care/planner.hpp"
#include "keyaccount/policy/loader.hpp"
#include "keyaccount/workflow/engine.hpp"
#include "test_plan_print.hpp"
#include "test_workflow_fixtures.hpp"

using namespace keyaccount;
using namespace keyaccount::care;
using fixtures::day;

namespace {

org::directory people() { return org::directory(fixtures::seed_org(), fixtures::seed_people()); }

// The default policy reduced to one activity, so that each test sees only what it checks
// (`annual_symposium`: Art. 10 read as a per-customer yearly activity, the option kept).
policy only(const std::string& activity_id) {
  policy p = activity_id == "annual_symposium"
                 ? fixtures::with_yearly_symposium_activity(default_policy())
                 : fixtures::with_fixed_executive_visits(default_policy());
  std::erase_if(p.activities, [&](const activity& a) { return a.id != activity_id; });
  p.symposium.reset();
  return p;
}

account key_account(std::map<std::string, date> last_done = {}) {
  return {"C1", "Customer One", "key", "alice", std::move(last_done), std::nullopt};
}

std::vector<std::string> dues(const plan& pl) {
  std::vector<std::string> out;
  for (const auto& i : pl.items) out.push_back(i.due.to_string() + (i.overdue ? "!" : ""));
  return out;
}

plan run(const policy& p, std::vector<account> accounts, const char* from, const char* to,
         std::vector<festival> extra = {}) {
  festival_calendar cal(p, std::move(extra));
  return make_plan(p, cal, accounts, people(), {day(from), day(to), 800});
}

using strings = std::vector<std::string>;

}  // namespace

BOOST_AUTO_TEST_SUITE(planner)

BOOST_AUTO_TEST_CASE(every_days_counts_from_the_last_visit) {
  // Regular visit every 30 days, last 2026-10-20: 11-19, 12-19 (then 2027-01-18 > period).
  auto pl = run(only("regular_visit"), {key_account({{"regular_visit", day("2026-10-20")}})},
                "2026-11-01", "2026-12-31");
  BOOST_TEST(dues(pl) == (strings{"2026-11-19", "2026-12-19"}), boost::test_tools::per_element());
  BOOST_TEST(pl.items[0].person == "alice");
  BOOST_TEST(pl.items[0].position == "cr_specialist");
  BOOST_TEST(pl.items[0].article == "art-8");
  BOOST_TEST(pl.items[0].basis.find("last done 2026-10-20, every 30 days") == 0u);
}

BOOST_AUTO_TEST_CASE(overdue_is_listed_once_then_projected_from_the_period_start) {
  // Last 2026-09-01: due 10-01 (overdue on 11-01), then 11-01 + 30 = 12-01, 12-31.
  auto pl = run(only("regular_visit"), {key_account({{"regular_visit", day("2026-09-01")}})},
                "2026-11-01", "2026-12-31");
  BOOST_TEST(dues(pl) == (strings{"2026-10-01!", "2026-12-01", "2026-12-31"}),
             boost::test_tools::per_element());
  // Never done: due on the first day.
  auto never = run(only("regular_visit"), {key_account()}, "2026-11-01", "2026-11-30");
  BOOST_TEST(dues(never) == (strings{"2026-11-01"}), boost::test_tools::per_element());
  BOOST_TEST(never.items[0].never_done);
}

BOOST_AUTO_TEST_CASE(every_months_clamps_to_month_end_without_drift) {
  // Proposal campaign every 3 months, last 2026-11-30: 2027-02-28 (no 02-30), then 05-30 and
  // 08-30 counted from 11-30 (not 05-28 from the clamped 02-28).
  auto pl =
      run(only("proposal_campaign"), {key_account({{"proposal_campaign", day("2026-11-30")}})},
          "2027-01-01", "2027-09-30");
  BOOST_TEST(dues(pl) == (strings{"2027-02-28", "2027-05-30", "2027-08-30"}),
             boost::test_tools::per_element());
  // Executive visit every 6 months, last 2027-08-31: 2028-02-29 (leap year), then 2028-08-31.
  auto leap = run(only("executive_visit"), {key_account({{"executive_visit", day("2027-08-31")}})},
                  "2028-01-01", "2028-12-31");
  BOOST_TEST(dues(leap) == (strings{"2028-02-29", "2028-08-31"}), boost::test_tools::per_element());
  // The supervisor responsible is the owner's own superior (alice → sue), not just any holder.
  BOOST_TEST(leap.items[0].person == "sue");
  BOOST_TEST(leap.items[0].position == "cr_supervisor");
}

BOOST_AUTO_TEST_CASE(yearly_on_and_the_leap_day) {
  auto pl = run(only("annual_symposium"), {key_account()}, "2026-12-01", "2027-12-31");
  BOOST_TEST(dues(pl) == (strings{"2026-12-10", "2027-12-10"}), boost::test_tools::per_element());
  // Done in 2026 already (known on the plan's first day): only 2027.
  auto done =
      run(only("annual_symposium"), {key_account({{"annual_symposium", day("2026-12-08")}})},
          "2026-12-09", "2027-12-31");
  BOOST_TEST(dues(done) == (strings{"2027-12-10"}), boost::test_tools::per_element());
  // A yearly event on 02-29 happens on 02-28 in 2027 and on 02-29 in 2028.
  policy p = only("annual_symposium");
  p.activities[0].when.yearly_on = month_day{2, 29};
  auto leap = run(p, {key_account()}, "2027-01-01", "2028-12-31");
  BOOST_TEST(dues(leap) == (strings{"2027-02-28", "2028-02-29"}), boost::test_tools::per_element());
  BOOST_TEST(leap.items[0].basis.find("2027 has no 02-29") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(festival_gifts_and_a_festival_on_a_weekend) {
  // Gifts 14 days before Spring Festival and Mid-Autumn. 2026-09-25 (Fri) → 09-11 (Fri).
  // Spring Festival 2027-02-06 is a Saturday: 14 days before is Saturday 01-23, so the gift is
  // due on Friday 2027-01-22.
  auto pl = run(only("holiday_gift"), {key_account()}, "2026-09-01", "2027-03-31");
  BOOST_TEST(dues(pl) == (strings{"2026-09-11", "2027-01-22"}), boost::test_tools::per_element());
  BOOST_TEST(pl.items[0].festival == "mid_autumn");
  BOOST_TEST(pl.items[1].festival == "spring_festival");
  BOOST_TEST(*pl.items[1].festival_on == day("2027-02-06"));
  BOOST_TEST(pl.items[1].basis.find("2027-01-23 is a weekend: due the Friday before") !=
             std::string::npos);
  BOOST_TEST(is_weekend(day("2027-02-06")));
  BOOST_TEST(festival_due_date(day("2027-02-07"), 0) == day("2027-02-05"));  // Sunday → Friday
  BOOST_TEST(festival_due_date(day("2027-02-08"), 0) == day("2027-02-08"));  // Monday stays

  // A gift done for this festival (known on the plan's first day) is not due again.
  auto done =
      run(only("holiday_gift"), {key_account({{"holiday_gift@mid_autumn", day("2026-09-10")}})},
          "2026-09-10", "2027-03-31");
  BOOST_TEST(dues(done) == (strings{"2027-01-22"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_festival_calendar_is_data_the_user_extends_and_corrects) {
  policy p = only("holiday_gift");
  // The user moves Mid-Autumn 2026 to 2026-10-04 (a Sunday): 14 days before is Sunday 09-20,
  // due Friday 09-18.
  festival corrected{"mid_autumn", {"Mid-Autumn", "中秋节"}, {day("2026-10-04")}};
  auto pl = run(p, {key_account()}, "2026-09-01", "2026-12-31", {corrected});
  BOOST_TEST(dues(pl) == (strings{"2026-09-18"}), boost::test_tools::per_element());
  // A user festival the activity names.
  p.activities[0].when.festivals.push_back("founders_day");
  BOOST_CHECK_THROW(festival_calendar(p, {}), calendar_error);
  festival founders{"founders_day", {"Founders' Day", ""}, {day("2026-11-20")}};
  auto with = run(p, {key_account()}, "2026-11-01", "2026-11-30", {founders});
  BOOST_TEST(dues(with) == (strings{"2026-11-06"}), boost::test_tools::per_element());
  try {
    festival_calendar bad(p, {});
  } catch (const calendar_error& e) {
    BOOST_TEST(e.problems().at(0).find("unknown festival \"founders_day\"") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(a_due_gift_starts_the_gift_request_workflow) {
  policy p = default_policy();
  auto pl = run(only("holiday_gift"), {key_account()}, "2026-09-01", "2026-09-30");
  BOOST_TEST_REQUIRE(pl.items.size() == 1u);
  const auto& submit = pl.items[0].submit;
  BOOST_TEST_REQUIRE(submit.has_value());
  BOOST_TEST(submit->actor == "alice");
  BOOST_TEST(submit->request->at("amount").get<double>() == 800.0);
  BOOST_TEST(submit->request->at("festival").get<std::string>() == "mid_autumn");
  BOOST_TEST(submit->request_id == "gift:C1:mid_autumn:2026-09-25");
  auto set = workflows::workflow_set::compile(p);
  auto started = start_workflows(pl, set, people());
  BOOST_TEST_REQUIRE(started.size() == 1u);
  const auto* inst = std::get_if<workflows::instance>(&started[0].outcome);
  BOOST_TEST_REQUIRE(inst);
  BOOST_TEST(inst->workflow == "gift_request");
  BOOST_TEST(inst->state == workflows::instance_state::in_progress);
  BOOST_TEST(inst->current_step == "finance_review");
}

BOOST_AUTO_TEST_CASE(invalid_owner_and_inputs) {
  account a = key_account({{"regular_visit", day("2026-10-20")}});
  a.owner = "nobody";
  auto pl = run(only("regular_visit"), {a}, "2026-11-01", "2026-11-30");
  BOOST_TEST_REQUIRE(pl.items.size() == 1u);
  BOOST_TEST(pl.items[0].person.empty());
  BOOST_TEST(pl.items[0].basis.find("owner nobody is not a known person") != std::string::npos);
  // Regular customers get no key-customer activities.
  account regular = key_account();
  regular.tier = "regular";
  BOOST_TEST(run(default_policy(), {regular}, "2026-11-01", "2026-11-30").items.empty());
  account bad = key_account({{"visit", day("2026-01-01")}});
  bad.tier = "gold";
  try {
    (void)run(default_policy(), {bad, bad}, "2026-11-01", "2026-11-30");
    BOOST_FAIL("expected plan_error");
  } catch (const plan_error& e) {
    BOOST_TEST(e.problems().size() == 5u);  // 2 × tier, 2 × last_done, 1 duplicate
    BOOST_TEST(e.problems()[0] ==
               "accounts[0].tier: unknown tier \"gold\" (the policy's: key, regular)");
  }
  // The same checks one account at a time (what readers use to locate them), unprefixed.
  bad.id.clear();
  const std::vector<std::string> expected{
      "id: empty", "tier: unknown tier \"gold\" (the policy's: key, regular)",
      "last_done.visit: unknown activity \"visit\" (the policy's: regular_visit, "
      "profile_review, executive_visit, proposal_campaign, holiday_gift)"};
  BOOST_TEST(account_problems(default_policy(), bad) == expected, boost::test_tools::per_element());
  BOOST_TEST(account_problems(default_policy(), key_account()).empty());
}

BOOST_AUTO_TEST_CASE(an_account_row_from_a_table_gives_last_done_dates_as_columns) {
  // A CSV row: every value is text, last-done dates are columns, both forms may mix.
  auto a =
      account_from_json(nlohmann::json{{"id", "C1"},
                                       {"tier", "key"},
                                       {"gift_amount", "800.5"},
                                       {"last_done.regular_visit", "2026-10-20"},
                                       {"last_done.holiday_gift@spring_festival", "2026-01-20"},
                                       {"last_done", {{"annual_symposium", "2025-12-10"}}}});
  BOOST_TEST_REQUIRE(a.gift_amount.has_value());
  BOOST_TEST(*a.gift_amount == 800.5);
  BOOST_TEST(a.last_done.size() == 3u);
  BOOST_TEST(a.last_done.at("regular_visit") == day("2026-10-20"));
  BOOST_TEST(a.last_done.at("holiday_gift@spring_festival") == day("2026-01-20"));
  BOOST_TEST(a.last_done.at("annual_symposium") == day("2025-12-10"));
  auto error_of = [](const nlohmann::json& j) -> std::string {
    try {
      (void)account_from_json(j);
    } catch (const care::input_error& e) {
      return e.field() + ": " + e.what();
    }
    return "no error";
  };
  BOOST_TEST(error_of({{"id", "C1"},
                       {"tier", "key"},
                       {"last_done", {{"regular_visit", "2026-01-01"}}},
                       {"last_done.regular_visit", "2026-02-01"}})
                 .find("last_done.regular_visit: ") == 0u);
  BOOST_TEST(error_of({{"id", "C1"}, {"tier", "key"}, {"last_done.regular_visit", "2026-02-30"}})
                 .find("last_done.regular_visit: ") == 0u);
  BOOST_TEST(
      error_of({{"id", "C1"}, {"tier", "key"}, {"gift_amount", "8OO"}}).find("gift_amount: ") ==
      0u);
  BOOST_TEST(
      error_of({{"id", "C1"}, {"tier", "key"}, {"gift_amount", "-1"}}).find("gift_amount: ") == 0u);
  BOOST_TEST(error_of({{"id", "C1"}, {"tier", "key"}, {"gift_amount", "800"}}) == "no error");
}

BOOST_AUTO_TEST_CASE(ties_in_due_date_are_ordered_by_customer_activity_and_festival_id) {
  // Ids are listed against their text order everywhere: customers C2 before C10, activities
  // in policy order (regular_visit, profile_review, holiday_gift), festivals zz before aa.
  policy p = default_policy();
  std::erase_if(p.activities, [](const activity& a) {
    return a.id != "regular_visit" && a.id != "profile_review" && a.id != "holiday_gift";
  });
  p.activities.back().when.festivals = {"zz_day", "aa_day"};
  // Both festivals on Monday 2026-11-16: their gifts are due 14 days before, on 11-02.
  festival zz{"zz_day", {"ZZ Day", ""}, {day("2026-11-16")}};
  festival aa{"aa_day", {"AA Day", ""}, {day("2026-11-16")}};
  account c2 = key_account();
  c2.id = "C2";
  account c10 = key_account();
  c10.id = "C10";
  // A1 sorts first by id but its visit falls due later: the due date comes first.
  account a1 = key_account({{"regular_visit", day("2026-10-13")},
                            {"profile_review", day("2026-10-28")},
                            {"holiday_gift", day("2026-10-28")}});
  a1.id = "A1";
  auto pl = run(p, {c2, c10, a1}, "2026-11-02", "2026-12-07", {zz, aa});
  strings order;
  for (const auto& i : pl.items)
    order.push_back(i.due.to_string() + " " + i.customer + " " + i.activity + " " + i.festival);
  // The symposium's invitations (art-10, due 11-01: overdue) are merged into the same order.
  BOOST_TEST(
      order == (strings{"2026-11-01 A1 annual_symposium.invitation ",
                        "2026-11-01 C10 annual_symposium.invitation ",
                        "2026-11-01 C2 annual_symposium.invitation ",
                        "2026-11-02 C10 holiday_gift aa_day", "2026-11-02 C10 holiday_gift zz_day",
                        "2026-11-02 C10 profile_review ", "2026-11-02 C10 regular_visit ",
                        "2026-11-02 C2 holiday_gift aa_day", "2026-11-02 C2 holiday_gift zz_day",
                        "2026-11-02 C2 profile_review ", "2026-11-02 C2 regular_visit ",
                        "2026-11-12 A1 regular_visit ", "2026-12-02 C10 regular_visit ",
                        "2026-12-02 C2 regular_visit "}),
      boost::test_tools::per_element());
  // The gift's submission follows its item.
  BOOST_TEST_REQUIRE(pl.items[3].submit.has_value());
  BOOST_TEST(pl.items[3].submit->request_id == "gift:C10:aa_day:2026-11-16");
}

BOOST_AUTO_TEST_CASE(a_festival_without_dates_in_a_year_is_a_warning) {
  auto pl = run(only("holiday_gift"), {key_account()}, "2031-01-01", "2031-12-31");
  BOOST_TEST(pl.items.empty());
  BOOST_TEST(pl.warnings.size() == 2u);
  BOOST_TEST(pl.warnings[0].find("festival spring_festival has no date in 2031") == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
