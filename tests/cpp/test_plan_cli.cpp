// The CLI commands plan / compliance / allocate on small fixtures with hand-computed output,
// and the iCalendar and CSV exports.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_runner.hpp"

namespace {

using keyaccount::testing::cli_result;
cli_result run(const std::vector<std::string>& args) { return keyaccount::testing::run_cli(args); }

std::string data(const char* name) { return std::string(KEYACCOUNT_TEST_DATA_DIR "/care/") + name; }

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(plan_cli)

BOOST_AUTO_TEST_CASE(plan_as_csv) {
  // C1: visit last 09-01 → due 10-01, overdue on 11-01; nothing else falls in November.
  auto r = run({"plan", "--as-of", "2026-11-01", "--to", "2026-11-30", "--accounts",
                data("accounts.jsonl"), "--people", data("people.json"), "--format", "csv"});
  BOOST_TEST(r.code == 0, r.err);
  BOOST_TEST(count(r.out, "\n") == 2u, r.out);
  BOOST_TEST(r.out.find("\n2026-10-01,C1,One,regular_visit,Regular visit,art-8,cr_specialist,"
                        "alice,Alice,true,false,") != std::string::npos,
             r.out);
}

BOOST_AUTO_TEST_CASE(accounts_from_csv_give_last_done_dates_as_columns) {
  // The same account as accounts.jsonl's C1 visit, as a spreadsheet would export it (with a byte
  // order mark): last_done.regular_visit 2026-09-01 → the visit is overdue since 10-01.
  auto r = run({"plan", "--as-of", "2026-11-01", "--to", "2026-11-30", "--accounts",
                data("accounts-bom.csv"), "--people", data("people.json"), "--format", "csv"});
  BOOST_TEST(r.code == 0, r.err);
  BOOST_TEST(r.out.find("\n2026-10-01,C1,One,regular_visit,Regular visit,art-8,cr_specialist,"
                        "alice,Alice,true,false,") != std::string::npos,
             r.out);
}

BOOST_AUTO_TEST_CASE(plan_as_icalendar) {
  // September: only the Mid-Autumn gift (festival 2026-09-25, due 14 days before: 09-11).
  auto r = run({"plan", "--as-of", "2026-09-01", "--to", "2026-09-30", "--accounts",
                data("accounts.jsonl"), "--people", data("people.json"), "--format", "ics"});
  BOOST_TEST(r.code == 0, r.err);
  BOOST_TEST(r.out.find("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") == 0u, r.out);
  BOOST_TEST(count(r.out, "BEGIN:VEVENT") == 1u);
  BOOST_TEST(r.out.find("UID:C1-holiday_gift-mid_autumn-2026-09-11@keyaccount.invalid") !=
             std::string::npos);
  BOOST_TEST(r.out.find("DTSTART;VALUE=DATE:20260911") != std::string::npos);
  BOOST_TEST(r.out.find("DTEND;VALUE=DATE:20260912") != std::string::npos);
  BOOST_TEST(r.out.find("END:VCALENDAR") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(malformed_accounts_are_located) {
  auto r = run({"plan", "--as-of", "2026-11-01", "--accounts", data("accounts_bad.jsonl"),
                "--people", data("people.json")});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find("accounts_bad.jsonl:2: error[invalid_record]: last_done.regular_visit: "
                        "expected a date YYYY-MM-DD, got \"2026-13-01\"") != std::string::npos,
             r.err);
  auto skip = run({"plan", "--as-of", "2026-11-01", "--accounts", data("accounts_bad.jsonl"),
                   "--people", data("people.json"), "--on-error", "skip"});
  BOOST_TEST(skip.code == 0, skip.err);
  BOOST_TEST(skip.err.find("skipped 1 malformed record") != std::string::npos, skip.err);
}

BOOST_AUTO_TEST_CASE(deep_nesting_and_numbers_past_a_double_are_located_errors_not_crashes) {
  // Each was legal JSON that crashed the run (stack overflow) or ended in "internal error".
  const auto dir = std::filesystem::temp_directory_path();
  const std::vector<std::pair<std::string, std::string>> inputs{
      {"deep", "{\"id\": " + std::string(150000, '[') + std::string(150000, ']') + "}\n"},
      {"huge", "{\"id\": \"A\", \"gift_amount\": 1e400}\n"},
  };
  for (const auto& [name, text] : inputs) {
    const auto path = (dir / ("keyaccount_plan_" + name + ".jsonl")).string();
    std::ofstream(path, std::ios::binary) << text;
    for (const char* command : {"plan", "compliance"}) {
      auto r = run(
          {command, "--as-of", "2026-11-01", "--accounts", path, "--people", data("people.json")});
      BOOST_TEST(r.code == 1, command << " " << name << ": " << r.err);
      BOOST_TEST(r.err.find(path + ":1: error[invalid_record]: ") != std::string::npos, r.err);
    }
  }
  const auto people = (dir / "keyaccount_plan_deep_people.json").string();
  std::ofstream(people, std::ios::binary) << std::string(150000, '[') << std::string(150000, ']');
  auto r = run(
      {"plan", "--as-of", "2026-11-01", "--accounts", data("accounts.jsonl"), "--people", people});
  BOOST_TEST(r.code == 1, r.err);
  BOOST_TEST(
      r.err.find("error[invalid_people]: objects and arrays nest deeper") != std::string::npos,
      r.err);
}

BOOST_AUTO_TEST_CASE(compliance_exit_codes) {
  auto bad = run({"compliance", "--as-of", "2026-11-01", "--accounts", data("accounts.jsonl"),
                  "--people", data("people.json"), "--format", "json"});
  BOOST_TEST(bad.code == 1, bad.err);
  auto j = nlohmann::json::parse(bad.out);
  BOOST_TEST(j["findings"].size() == 1u);
  BOOST_TEST(j["findings"][0]["kind"] == "activity_overdue");
  BOOST_TEST(j["findings"][0]["days_overdue"] == 31);
  auto clean = run({"compliance", "--as-of", "2026-09-30", "--accounts", data("accounts.jsonl"),
                    "--people", data("people.json")});
  BOOST_TEST(clean.code == 0, clean.out);
  auto usage = run({"compliance", "--as-of", "2026-09-31", "--accounts", data("accounts.jsonl"),
                    "--people", data("people.json")});
  BOOST_TEST(usage.code == 2);
}

BOOST_AUTO_TEST_CASE(plan_and_compliance_need_customers_or_accounts_and_readable_people) {
  for (const char* command : {"plan", "compliance"}) {
    auto none = run({command, "--as-of", "2026-11-01", "--people", data("people.json")});
    BOOST_TEST(none.code == 2, command);
    BOOST_TEST(none.err ==
               "keyaccount " + std::string(command) + ": give --customers, --accounts or both\n");
    auto no_people = run({command, "--as-of", "2026-11-01", "--accounts", data("accounts.jsonl"),
                          "--people", data("no-such-people.json")});
    BOOST_TEST(no_people.code == 2, command);  // an unreadable file, as for the other inputs
    BOOST_TEST(no_people.err.find("no-such-people.json") != std::string::npos, no_people.err);
  }
}

BOOST_AUTO_TEST_CASE(allocate_from_csv) {
  auto r = run({"allocate", "--on", "2026-12-01", "--stock", data("stock.csv"), "--orders",
                data("orders.csv"), "--format", "csv"});
  BOOST_TEST(r.code == 0, r.err);
  BOOST_TEST(r.out.find("\nr1,R,regular,P,A,60,20,2,") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("\nk1,K1,key,P,A,50,50,1,") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("\nk2,K2,key,P,A,30,30,1,") != std::string::npos, r.out);
  auto bad = run({"allocate", "--on", "2026-12-01", "--stock", data("stock.csv"), "--orders",
                  data("orders_bad.csv")});
  BOOST_TEST(bad.code == 1);
  BOOST_TEST(bad.err.find("orders_bad.csv:2: error[invalid_record]: quantity: expected a whole "
                          "number, got \"sixty\"") != std::string::npos,
             bad.err);
}

BOOST_AUTO_TEST_SUITE_END()
