#pragma once
/// \file
/// The accounts a plan or a compliance check is made for, built from what the user gives: key
/// customers (classified on the day, with their names and owners) and the activity log (records
/// of last-done dates and gift amounts, several per account allowed), merged by id. One
/// implementation for `keyaccount plan` / `compliance` and for `keyaccount.care.plan` /
/// `compliance`, so that both read the same input the same way.
///
/// Records are checked as they are added, so that a caller that knows where each came from (a
/// file and line, a list and index) can say so: what the planner would refuse (an unknown tier
/// or activity), two records of one account that disagree, a customer or an id given twice.

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "keyaccount/care/planner.hpp"
#include "keyaccount/care/symposium.hpp"
#include "keyaccount/classify/classifier.hpp"
#include "keyaccount/classify/dynamics.hpp"

namespace keyaccount::care {

/// Remembers where each id of one kind of record was first given. Records that are replaced
/// or merged by id (festivals, complaints, stock, order lines, customers) would otherwise lose
/// or combine data without a word.
class first_places {
 public:
  /// `what` names the kind in messages: "festival", "customer", "order line"...
  explicit first_places(std::string what) : what_(std::move(what)) {}
  /// Notes that `id` was given at `where` ("FILE:LINE", "festivals[3]"); throws input_error
  /// (no field) `WHAT "ID" is given twice (first at WHERE)` when it was given before.
  void note(const std::string& id, const std::string& where);

 private:
  std::string what_;
  std::map<std::string, std::string> first_;
};

/// Throws input_error (no field) listing `problems` ("field: message" each, joined by "; ")
/// when there are any: what the library would refuse in one record after reading (an unknown
/// tier, dates out of order), for readers that report it at the record instead.
void refuse_if_any(const std::vector<std::string>& problems);

/// Accounts by id, as they are added.
class account_book {
 public:
  /// Accounts for `p` on `as_of` (the plan's first day, the compliance check's day).
  account_book(const policy& p, date as_of) : policy_(&p), as_of_(as_of) {}

  /// Adds one customer as an account: classified by `c` on the day, with its name and owner.
  /// `where` says where it was read (for "given twice"). With `profiles`, its profile-card
  /// status is recorded there. Throws input_error for a customer given twice, and what the
  /// classifier throws (keyaccount::input_error: its data contradict the day).
  void add_customer(const classifier& c, const customer_record& record, const std::string& where,
                    std::map<std::string, profile_card_status>* profiles = nullptr);

  /// Merges one activity-log record (`account_from_json`) by id: last-done dates (the later of
  /// two for one activity) and gift amounts are added, owner and name fill in what is missing;
  /// an id not yet known becomes a new account, which then needs its tier. When customers were
  /// added, a record may leave the tier out (the classifier's tier and the customer's owner
  /// hold). Otherwise a record disagreeing with an earlier one of the same id on its tier or
  /// owner, or on the gift amount or an Art. 6.3 override setting in any case (each setting is
  /// given once, or alike), throws input_error, as does what the planner
  /// would refuse in it (account_problems). Last-done dates after the day are dropped before
  /// merging (drop_later_facts: a later date must not hide an earlier one it would replace);
  /// returns one "ID: field: message" per date dropped.
  std::vector<std::string> add_record(const nlohmann::json& record);

  [[nodiscard]] const std::vector<account>& accounts() const noexcept { return accounts_; }
  /// The accounts, moved out (the book is empty after).
  [[nodiscard]] std::vector<account> take() noexcept;

 private:
  const policy* policy_;
  date as_of_;
  std::vector<account> accounts_;
  std::map<std::string, std::size_t> index_;
  bool has_customers_ = false;
  first_places customers_{"customer"};
};

/// The symposium's event records (Art. 10) as they are read, for `keyaccount plan` /
/// `compliance` / `symposium` and `keyaccount.care` alike: each record checked on its own
/// (symposium_event_from_json, symposium_event_problems), one a year, facts after the day
/// dropped.
class symposium_records {
 public:
  symposium_records(const policy& p, date as_of) : policy_(&p), as_of_(as_of) {}

  /// Adds the record read at `where` ("FILE:LINE", "symposium[2]"). Throws input_error for a
  /// malformed or refused record, or a second one of the same year. Returns one
  /// "symposium DATE: field: message" per fact dated after the day that was dropped.
  std::vector<std::string> add(const nlohmann::json& record, const std::string& where);

  [[nodiscard]] const std::vector<symposium_event>& events() const noexcept { return events_; }

 private:
  const policy* policy_;
  date as_of_;
  std::vector<symposium_event> events_;
  first_places years_{"symposium of year"};
};

}  // namespace keyaccount::care
