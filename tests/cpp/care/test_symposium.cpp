// Art. 10: the annual symposium as one event a year (care/symposium.hpp): the policy section,
// the plan's event and invitations, compliance's "not invited" and "not held", the records'
// checks and the facts after the day, and the CLI (plan / compliance / symposium --symposium).
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "keyaccount/care/account_book.hpp"
#include "keyaccount/care/compliance.hpp"
#include "keyaccount/care/json.hpp"
#include "keyaccount/care/symposium.hpp"
#include "keyaccount/policy/loader.hpp"
#include "keyaccount/policy/summary.hpp"
#include "test_workflow_fixtures.hpp"

using namespace keyaccount;
using namespace keyaccount::care;
using fixtures::day;

namespace {

using strings = std::vector<std::string>;

org::directory people() { return org::directory(fixtures::seed_org(), fixtures::seed_people()); }

// The default policy with its per-customer activities left out: only the symposium remains.
policy symposium_only() {
  policy p = default_policy();
  p.activities.clear();
  return p;
}

// Two key customers (owners alice and bob) and a regular one, who is not invited.
std::vector<account> accounts() {
  return {{"C1", "One", "key", "alice", {}, std::nullopt},
          {"C2", "Two", "key", "bob", {}, std::nullopt},
          {"C3", "Three", "regular", "", {}, std::nullopt}};
}

symposium_event event(const char* on, std::map<std::string, date> invited = {}, bool held = false,
                      strings attended = {}) {
  return {day(on), held, std::move(invited), std::move(attended)};
}

// Plan items as "due[!] customer activity person".
strings items(const std::vector<symposium_event>& events, const char* from, const char* to) {
  const policy p = symposium_only();
  festival_calendar cal(p);
  const auto acc = accounts();
  strings out;
  for (const auto& i : make_plan(p, cal, acc, people(), {day(from), day(to), 0, &events}).items)
    out.push_back(i.due.to_string() + (i.overdue ? "!" : "") + " " + i.customer + " " + i.activity +
                  " " + i.person);
  return out;
}

// Compliance's symposium findings as "kind customer due/days".
strings findings(const std::vector<symposium_event>& events, const char* as_of,
                 const policy& p = symposium_only()) {
  festival_calendar cal(p);
  const auto acc = accounts();
  strings out;
  for (const auto& f :
       check_compliance(p, cal, {&acc, nullptr, nullptr, &events}, people(), day(as_of)).findings)
    if (f.kind == finding_kind::symposium_not_held || f.kind == finding_kind::symposium_not_invited)
      out.push_back(std::string(to_string(f.kind)) + " " + f.customer + " " +
                    (f.due ? f.due->to_string() : "-") + "/" + std::to_string(f.days_overdue));
  return out;
}

std::vector<diagnostic> load_with(const std::function<void(nlohmann::json&)>& change) {
  auto doc = nlohmann::json::parse(default_policy_text());
  change(doc);
  return load_policy(doc.dump()).diagnostics;
}

std::string problem_of(const nlohmann::json& record, const char* as_of = "2026-12-31") {
  try {
    symposium_records records(default_policy(), day(as_of));
    (void)records.add(record, "events.jsonl:1");
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(symposium)

BOOST_AUTO_TEST_CASE(art_10_the_default_policy_reads_the_symposium_as_one_event) {
  const policy& p = default_policy();
  BOOST_TEST_REQUIRE(p.symposium.has_value());
  BOOST_TEST(p.symposium->id == "annual_symposium");
  BOOST_TEST(p.symposium->article == "art-10");
  BOOST_TEST(p.symposium->window.from.to_string() == "12-01");
  BOOST_TEST(p.symposium->window.to.to_string() == "12-20");
  BOOST_TEST(p.symposium->invitation_lead_days == 30);
  BOOST_TEST(p.symposium->inviter_is_owner);
  BOOST_TEST(p.find_activity("annual_symposium") == nullptr);  // no per-customer reading too
  const auto text = summarize(p);
  BOOST_TEST(text.find("Symposium (one event a year):\n  annual_symposium [art-10] Annual "
                       "symposium (重点客户座谈会): held between 12-01 and 12-20, organised by "
                       "cr_supervisor\n    invitees: every key customer; invitations 30 days "
                       "before the event, by the owner, cr_specialist") != std::string::npos,
             text);
}

BOOST_AUTO_TEST_CASE(art_10_the_plan_lists_one_event_and_an_invitation_per_key_customer) {
  // Nothing recorded: invitations 30 days before the window opens (12-01 → 11-01), by each
  // owner; the event, undated, by its deadline 12-20, by the organizer's first holder (sam).
  BOOST_TEST(items({}, "2026-10-01", "2026-12-31") ==
                 (strings{"2026-11-01 C1 annual_symposium.invitation alice",
                          "2026-11-01 C2 annual_symposium.invitation bob",
                          "2026-12-20  annual_symposium sam"}),
             boost::test_tools::per_element());
  // Dated 12-10 and C1 invited on 10-20: C2's invitation due 11-10, the event on 12-10.
  const std::vector<symposium_event> dated{event("2026-12-10", {{"C1", day("2026-10-20")}})};
  BOOST_TEST(items(dated, "2026-11-01", "2026-12-31") ==
                 (strings{"2026-11-10 C2 annual_symposium.invitation bob",
                          "2026-12-10  annual_symposium sam"}),
             boost::test_tools::per_element());
  // From 11-15 the invitation is overdue; once held, nothing is left for 2026, and 2027's
  // invitations come next.
  BOOST_TEST(items(dated, "2026-11-15", "2026-11-30") ==
                 (strings{"2026-11-10! C2 annual_symposium.invitation bob"}),
             boost::test_tools::per_element());
  const std::vector<symposium_event> held{
      event("2026-12-10", {{"C1", day("2026-10-20")}, {"C2", day("2026-11-12")}}, true, {"C1"})};
  BOOST_TEST(items(held, "2026-12-11", "2027-11-05") ==
                 (strings{"2027-11-01 C1 annual_symposium.invitation alice",
                          "2027-11-01 C2 annual_symposium.invitation bob"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(art_10_a_january_symposium_is_invited_to_in_december) {
  // Window 01-05..01-20, invitations 30 days ahead: the 2027 event's invitations are due on
  // 2026-12-06, inside a December plan; compliance reports them late on 12-10.
  policy p = symposium_only();
  p.symposium->window = {month_day{1, 5}, month_day{1, 20}};
  festival_calendar cal(p);
  const auto acc = accounts();
  const std::vector<symposium_event> none;
  strings got;
  for (const auto& i :
       make_plan(p, cal, acc, people(), {day("2026-12-01"), day("2026-12-31"), 0, &none}).items)
    got.push_back(i.due.to_string() + " " + i.customer + " " + i.activity);
  BOOST_TEST(got == (strings{"2026-12-06 C1 annual_symposium.invitation",
                             "2026-12-06 C2 annual_symposium.invitation"}),
             boost::test_tools::per_element());
  BOOST_TEST(findings(none, "2026-12-10", p) == (strings{"symposium_not_invited C1 2026-12-06/4",
                                                         "symposium_not_invited C2 2026-12-06/4"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(art_10_compliance_reports_customers_not_invited_and_the_event_not_held) {
  const std::vector<symposium_event> dated{event("2026-12-10", {{"C1", day("2026-10-20")}})};
  // Before the invitations are due: nothing.
  BOOST_TEST(findings(dated, "2026-11-10").empty());
  // Five days after they were due, C2 (bob's) is not invited; C3 (regular) is not an invitee.
  BOOST_TEST(findings(dated, "2026-11-15") == (strings{"symposium_not_invited C2 2026-11-10/5"}),
             boost::test_tools::per_element());
  // After the deadline (12-20) the event is not held: one finding, not one per customer.
  BOOST_TEST(findings(dated, "2026-12-21") == (strings{"symposium_not_held  2026-12-20/1"}),
             boost::test_tools::per_element());
  // Issue 16: a yearly event missed last year stays reported after the year end (until the
  // next one's deadline), not dropped on 01-01.
  BOOST_TEST(findings(dated, "2027-01-10") == (strings{"symposium_not_held  2026-12-20/21"}),
             boost::test_tools::per_element());
  // Held, with everyone invited: compliant.
  const std::vector<symposium_event> held{
      event("2026-12-10", {{"C1", day("2026-10-20")}, {"C2", day("2026-11-01")}}, true, {"C2"})};
  BOOST_TEST(findings(held, "2026-12-21").empty());
  BOOST_TEST(findings(held, "2027-01-10").empty());
  // Held without inviting C2: reported until the deadline passes.
  const std::vector<symposium_event> held_without{
      event("2026-12-10", {{"C1", day("2026-10-20")}}, true, {"C1"})};
  BOOST_TEST(
      findings(held_without, "2026-12-12") == (strings{"symposium_not_invited C2 2026-11-10/32"}),
      boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(art_10_years_before_the_policy_took_effect_are_not_checked) {
  // The default policy takes effect on 2026-02-01: the 2025 symposium (deadline 2025-12-20) is
  // nobody's finding, on 2026-03-01 or on 2026-11-15 before its invitations are late.
  BOOST_TEST(findings({}, "2026-03-01").empty());
  // Without effective_on, the 2025 event not held is reported.
  policy p = symposium_only();
  p.document.effective_on.reset();
  BOOST_TEST(findings({}, "2026-03-01", p) == (strings{"symposium_not_held  2025-12-20/71"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(art_10_facts_after_the_day_are_ignored_with_a_warning) {
  const policy p = symposium_only();
  festival_calendar cal(p);
  const auto acc = accounts();
  // Recorded as held on 12-10 with C2 invited on 11-20, checked on 11-15: neither is known.
  const std::vector<symposium_event> later{
      event("2026-12-10", {{"C1", day("2026-10-20")}, {"C2", day("2026-11-20")}}, true, {"C1"})};
  auto r = check_compliance(p, cal, {&acc, nullptr, nullptr, &later}, people(), day("2026-11-15"));
  BOOST_TEST(r.warnings ==
                 (strings{"symposium 2026-12-10: invited.C2: 2026-11-20 is after the as-of date "
                          "2026-11-15: ignored",
                          "symposium 2026-12-10: held: 2026-12-10 is after the as-of date "
                          "2026-11-15: not held yet on that day; ignored",
                          "symposium 2026-12-10: attended: the event was not held by 2026-11-15; "
                          "ignored"}),
             boost::test_tools::per_element());
  BOOST_TEST_REQUIRE(r.findings.size() == 1u);
  BOOST_TEST(r.findings[0].customer == "C2");
  BOOST_TEST(r.findings[0].kind == finding_kind::symposium_not_invited);
  BOOST_TEST(r.findings[0].responsible == "bob");
  // The status of the year says the same.
  strings warnings;
  const auto st = symposium_in(p, acc, later, people(), 2026, day("2026-11-15"), warnings);
  BOOST_TEST(!st.held);
  BOOST_TEST_REQUIRE(st.invitees.size() == 2u);
  BOOST_TEST(st.invitees[0].invited_on.has_value());
  BOOST_TEST(!st.invitees[1].invited_on.has_value());
  BOOST_TEST(!st.invitees[0].attended);
  BOOST_TEST(warnings.size() == 3u);
}

BOOST_AUTO_TEST_CASE(art_10_records_are_read_and_checked_one_by_one) {
  using nlohmann::json;
  BOOST_TEST(problem_of(json::parse(R"({"date": "2026-12-10", "held": true,
      "invited": {"C1": "2026-11-01"}, "attended": ["C1"]})")) == "");
  BOOST_TEST(problem_of(json::parse(R"({"date": "2026-12-10", "hled": true})")) ==
             "hled: unknown field (expected one of: date, held, invited, attended)");
  BOOST_TEST(problem_of(json::parse(R"({"held": true})")) == "date: required value is missing");
  BOOST_TEST(problem_of(json::parse(R"({"date": "2026-12-32"})")) ==
             "date: expected a date YYYY-MM-DD, got \"2026-12-32\"");
  BOOST_TEST(problem_of(json::parse(R"({"date": "2026-12-10", "invited": {"C1": "11-01"}})")) ==
             "invited.C1: expected a date YYYY-MM-DD, got \"11-01\"");
  BOOST_TEST(problem_of(json::parse(R"({"date": "2026-12-10", "attended": "C1"})")) ==
             "attended: expected an array of customer ids");
  BOOST_TEST(problem_of(json::parse(R"({"date": "2026-08-10"})")) ==
             "date: 2026-08-10 is outside the symposium's window 12-01..12-20 (art-10)");
  BOOST_TEST(problem_of(json::parse(R"({"date": "2026-12-10", "attended": ["C1"],
      "invited": {"C1": "2026-11-01"}})")) ==
             "attended[0]: C1 attended an event not held (set \"held\": true once it took place)");
  BOOST_TEST(problem_of(json::parse(R"({"date": "2026-12-10", "held": true,
      "attended": ["C1"]})")) ==
             "attended[0]: C1 attended but was not invited (add it to \"invited\" with the day "
             "it was sent)");
  BOOST_TEST(problem_of(json::parse(R"({"date": "2026-12-10",
      "invited": {"C1": "2026-12-11"}})")) ==
             "invited.C1: sent 2026-12-11, after the event on 2026-12-10");
  // One event a year: a second record of 2026 names the first.
  symposium_records records(default_policy(), day("2026-12-31"));
  (void)records.add(json::parse(R"({"date": "2026-12-10"})"), "events.jsonl:1");
  (void)records.add(json::parse(R"({"date": "2027-12-10"})"), "events.jsonl:2");
  try {
    (void)records.add(json::parse(R"({"date": "2026-12-12"})"), "events.jsonl:3");
    BOOST_FAIL("a second event of 2026 was accepted");
  } catch (const care::input_error& e) {
    BOOST_TEST(std::string(e.what()) ==
               "symposium of year \"2026\" is given twice (first at events.jsonl:1)");
  }
  BOOST_TEST(records.events().size() == 2u);
  // Two events of a year given to the core directly: a plan_error naming both.
  const std::vector<symposium_event> two{event("2026-12-10"), event("2026-12-12")};
  strings warnings;
  BOOST_CHECK_THROW((void)symposium_in(default_policy(), accounts(), two, people(), 2026,
                                       day("2026-12-31"), warnings),
                    plan_error);
}

BOOST_AUTO_TEST_CASE(art_10_a_last_done_date_of_the_symposium_says_where_it_goes_now) {
  account a{"C1", "One", "key", "alice", {{"annual_symposium", day("2025-12-10")}}, std::nullopt};
  BOOST_TEST(account_problems(default_policy(), a) ==
                 (strings{"last_done.annual_symposium: annual_symposium is the symposium "
                          "(art-10), one event a year: record it in the symposium's records "
                          "(date, held, invited, attended), not per account"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(art_10_the_section_is_validated) {
  auto codes = [](const std::vector<diagnostic>& ds) {
    strings out;
    for (const auto& d : ds) out.push_back(d.code + " " + d.pointer);
    return out;
  };
  BOOST_TEST(codes(load_with([](nlohmann::json& d) {
               d["symposium"]["window"] = {{"from", "12-20"}, {"to", "12-01"}};
             })) == (strings{"invalid_value /symposium/window"}),
             boost::test_tools::per_element());
  BOOST_TEST(codes(load_with([](nlohmann::json& d) {
               d["activities"].push_back({{"id", "annual_symposium"},
                                          {"article", "art-10"},
                                          {"name", "Annual symposium"},
                                          {"tiers", {"key"}},
                                          {"responsible", "cr_supervisor"},
                                          {"cadence", {{"yearly_on", "12-10"}}}});
             })) == (strings{"duplicate_id /symposium/id"}),
             boost::test_tools::per_element());
  auto misspelt =
      load_with([](nlohmann::json& d) { d["symposium"]["organizer"] = "cr_supervsor"; });
  BOOST_TEST_REQUIRE(misspelt.size() == 1u);
  BOOST_TEST(misspelt[0].code == "undefined_position");
  BOOST_TEST(misspelt[0].pointer == "/symposium/organizer");
  BOOST_TEST(misspelt[0].message.find("cr_supervisor") != std::string::npos, misspelt[0].message);
  auto unknown =
      load_with([](nlohmann::json& d) { d["symposium"]["invitations"]["lead_day"] = 3; });
  BOOST_TEST_REQUIRE(!unknown.empty());
  BOOST_TEST(unknown[0].code == "unknown_field");
  BOOST_TEST(unknown[0].message.find("lead_days") != std::string::npos, unknown[0].message);
  auto range =
      load_with([](nlohmann::json& d) { d["symposium"]["invitations"]["lead_days"] = 400; });
  BOOST_TEST_REQUIRE(!range.empty());
  BOOST_TEST(range[0].pointer == "/symposium/invitations/lead_days");
}

BOOST_AUTO_TEST_SUITE_END()

// ---- the command line -------------------------------------------------------------------

namespace {

using keyaccount::testing::run_cli;

std::string data(const char* name) { return std::string(KEYACCOUNT_TEST_DATA_DIR "/care/") + name; }

std::string temp_file(const char* name, const std::string& content) {
  const auto path = (std::filesystem::temp_directory_path() / name).string();
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(symposium)

BOOST_AUTO_TEST_CASE(art_10_plan_compliance_and_symposium_read_the_records) {
  const auto events = temp_file("keyaccount_symposium_events.jsonl",
                                R"({"date": "2026-12-10", "invited": {"C1": "2026-11-20"}})"
                                "\n");
  // The plan lists the event and, on 11-15, C1's invitation overdue (due 11-10), by alice.
  auto plan = run_cli({"plan", "--as-of", "2026-11-15", "--days", "30", "--accounts",
                       data("accounts.jsonl"), "--people", data("people.json"), "--symposium",
                       events, "--format", "json"});
  BOOST_TEST_REQUIRE(plan.code == 0, plan.err);
  auto j = nlohmann::json::parse(plan.out);
  strings symposium_items;
  for (const auto& i : j["items"])
    if (i["article"] == "art-10")
      symposium_items.push_back(
          i["due"].get<std::string>() + " " + i["customer"].get<std::string>() + " " +
          i["activity"].get<std::string>() + " " + i["person"].get<std::string>());
  BOOST_TEST(symposium_items == (strings{"2026-11-10 C1 annual_symposium.invitation alice",
                                         "2026-12-10  annual_symposium sue"}),
             boost::test_tools::per_element());
  // The invitation dated after --as-of is a warning at its line.
  BOOST_TEST(plan.err.find(events + ":1: warning[later_fact]: symposium 2026-12-10: "
                                    "invited.C1: 2026-11-20 is after the as-of date 2026-11-15: "
                                    "ignored") != std::string::npos,
             plan.err);
  // Compliance on 11-15: C1 not invited (exit 1); the table names the finding.
  auto comp = run_cli({"compliance", "--as-of", "2026-11-15", "--accounts", data("accounts.jsonl"),
                       "--people", data("people.json"), "--symposium", events});
  BOOST_TEST(comp.code == 1);
  BOOST_TEST(comp.out.find("symposium_not_invited") != std::string::npos, comp.out);
  // `symposium`: the invitees of 2026 on 12-01, C1 invited on 11-20 by alice.
  auto status =
      run_cli({"symposium", "--as-of", "2026-12-01", "--accounts", data("accounts.jsonl"),
               "--people", data("people.json"), "--symposium", events, "--format", "json"});
  BOOST_TEST_REQUIRE(status.code == 0, status.err);
  auto s = nlohmann::json::parse(status.out);
  BOOST_TEST(s["year"] == 2026);
  BOOST_TEST(s["date"] == "2026-12-10");
  BOOST_TEST(s["held"] == false);
  BOOST_TEST(s["invitations_due"] == "2026-11-10");
  BOOST_TEST_REQUIRE(s["invitees"].size() == 1u);
  BOOST_TEST(s["invitees"][0]["customer"] == "C1");
  BOOST_TEST(s["invitees"][0]["owner"] == "alice");
  BOOST_TEST(s["invitees"][0]["invited_on"] == "2026-11-20");
  auto table = run_cli({"symposium", "--as-of", "2026-12-01", "--accounts", data("accounts.jsonl"),
                        "--people", data("people.json"), "--symposium", events});
  BOOST_TEST(table.code == 0, table.err);
  BOOST_TEST(table.out.find("Symposium 2026 [art-10] on 2026-12-10") == 0u, table.out);
  BOOST_TEST(table.out.find("1 invitees, 1 invited") != std::string::npos, table.out);
}

BOOST_AUTO_TEST_CASE(art_10_a_bad_record_is_located_at_its_line) {
  const auto events = temp_file("keyaccount_symposium_bad.jsonl",
                                "{\"date\": \"2026-12-10\"}\n"
                                "{\"date\": \"2026-12-10\", \"held\": \"yes\"}\n");
  for (const char* command : {"plan", "compliance", "symposium"}) {
    auto r = run_cli({command, "--as-of", "2026-11-15", "--accounts", data("accounts.jsonl"),
                      "--people", data("people.json"), "--symposium", events});
    BOOST_TEST(r.code == 1, command);
    BOOST_TEST(r.err.find(events + ":2: error[invalid_record]: held: expected true or false") !=
                   std::string::npos,
               r.err);
  }
  // A second event of the same year names where the first was.
  const auto twice = temp_file("keyaccount_symposium_twice.jsonl",
                               "{\"date\": \"2026-12-10\"}\n{\"date\": \"2026-12-11\"}\n");
  auto r = run_cli({"plan", "--as-of", "2026-11-15", "--accounts", data("accounts.jsonl"),
                    "--people", data("people.json"), "--symposium", twice});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find(twice +
                        ":2: error[invalid_record]: symposium of year \"2026\" is given "
                        "twice (first at " +
                        twice + ":1)") != std::string::npos,
             r.err);
}

BOOST_AUTO_TEST_CASE(art_10_describe_prints_the_symposium) {
  auto r = run_cli({"describe"});
  BOOST_TEST(r.code == 0);
  BOOST_TEST(r.out.find("Symposium (one event a year):") != std::string::npos, r.out);
}

BOOST_AUTO_TEST_SUITE_END()
