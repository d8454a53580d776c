#pragma once
// Inputs of `keyaccount plan`, `compliance` and `allocate`, with the conventions of `classify`:
// JSON Lines (or one JSON array), or CSV with a header row for `.csv` files; every malformed
// record reported as FILE:LINE: error[invalid_record]: field: message; `--on-error fail`
// (default) stops at the first, `skip` goes on and says how many were skipped.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "keyaccount/care/account_book.hpp"
#include "keyaccount/care/planner.hpp"
#include "keyaccount/care/symposium.hpp"
#include "keyaccount/care/visits.hpp"
#include "keyaccount/classify/classifier.hpp"
#include "keyaccount/classify/dynamics.hpp"
#include "keyaccount/org/directory.hpp"
#include "keyaccount/policy/model.hpp"

namespace keyaccount::cli {

/// Reads records from `path` and passes each to `add`, which throws (care::input_error or
/// std::invalid_argument) for a malformed one. Returns exit_ok, or the exit code to stop with.
int read_records(const std::string& path, const std::string& on_error, context& ctx,
                 const std::function<void(const nlohmann::json&)>& add);
/// The same, and `add` is told each record's line (its position in a JSON array).
int read_records(const std::string& path, const std::string& on_error, context& ctx,
                 const std::function<void(const nlohmann::json&, std::size_t line)>& add);

/// `PATH:LINE`: where a record was read, for care::first_places ("given twice (first at ...)").
std::string place(const std::string& path, std::size_t line);

/// The people file (org::people_from_json) joined with the policy's organisation, into `out`.
/// Returns exit_ok, exit_usage for an unreadable file or exit_failure for invalid people.
int read_people(const std::string& path, const policy& p, context& ctx,
                std::optional<org::directory>& out);

/// Key accounts from a customers file of `classify`'s format, added to `book` (each customer
/// classified on its day, with its name and owner); optionally the profile-card status of each.
int read_customers_as_accounts(const std::string& path, const policy& p,
                               const std::string& on_error, context& ctx, care::account_book& book,
                               std::map<std::string, profile_card_status>* profiles);

/// The customers of a customers file of `classify`'s format, as records of `c`'s schema (a
/// customer given twice refused at its line), for commands that evaluate more than the tier.
int read_customer_records(const std::string& path, const classifier& c, const std::string& on_error,
                          context& ctx, std::vector<customer_record>& out);

/// Accounts from --accounts (the activity log) merged into `book` by id
/// (care::account_book::add_record). A record the book refuses is an error at its line, like
/// a malformed one; a last-done date after the book's day is ignored, with a `later_fact`
/// warning at the record's line.
int read_accounts(const std::string& path, const std::string& on_error, context& ctx,
                  care::account_book& book);

/// Prints `FILE:LINE: warning[later_fact]: ...` for each fact dated after --as-of that the
/// record at `path`:`line` had and that was ignored (care::drop_later_facts).
void warn_later_facts(const std::string& path, std::size_t line,
                      const std::vector<std::string>& ignored, context& ctx);

/// The symposium's event records (Art. 10) from --symposium, JSON Lines / a JSON array, each
/// checked at its line (care::symposium_event_problems, one record a year); facts after
/// `as_of` are dropped with a `later_fact` warning at the line.
int read_symposium(const std::string& path, const policy& p, date as_of,
                   const std::string& on_error, context& ctx,
                   std::vector<care::symposium_event>& out);

/// The visit plan (Art. 9) from --visit-plan: visits {customer, date, executive, activity?,
/// done_on?, briefed_on?}, each checked at its line against the accounts and people
/// (care::visit_problems); a done or briefing day after `as_of` is dropped with a `later_fact`
/// warning at the line.
int read_visit_plan(const std::string& path, const policy& p,
                    const std::vector<care::account>& accounts, const org::directory& people,
                    date as_of, const std::string& on_error, context& ctx,
                    std::vector<care::planned_visit>& out);

/// User festivals (a JSON array or JSON Lines of festivals).
int read_festivals(const std::string& path, context& ctx, std::vector<festival>& out);

/// Where `plan` and `compliance` read their accounts from (the options they share).
struct account_sources {
  const char* command;  ///< for messages: "plan", "compliance"
  std::string customers, accounts, people, festivals, on_error;
  bool profiles = false;  ///< also compute each customer's profile-card status
};

/// What `plan` and `compliance` both need: the people, the user's festivals and the accounts.
struct account_inputs {
  std::optional<org::directory> people;
  std::vector<festival> festivals;
  std::vector<care::account> accounts;
  std::map<std::string, profile_card_status> profiles;  ///< when asked for and --customers given
};

/// Reads the sources in a fixed order (people, festivals, customers classified on `as_of`, then
/// accounts merged in), stopping at the first failure. At least one of customers / accounts
/// must be given. Returns exit_ok, or the exit code to stop with (the error already printed).
int read_account_inputs(const account_sources& from, const policy& p, date as_of, context& ctx,
                        account_inputs& out);

/// Parses --as-of; prints an error and returns nothing when malformed.
std::optional<date> parse_day(const std::string& text, const char* option, context& ctx);

/// Left-aligned text table with a header row, columns as wide as their widest cell.
std::string text_table(const std::vector<std::string>& header,
                       const std::vector<std::vector<std::string>>& rows);

}  // namespace keyaccount::cli
