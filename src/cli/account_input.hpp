#pragma once
// Customers and activity-log records turned into care::account values: shared by the CLI's
// plan/compliance commands and the Python binding (no CLI11 here, so the binding can include it).
#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "keyaccount/care/planner.hpp"
#include "keyaccount/classify/dynamics.hpp"

namespace keyaccount::cli {

/// One customer as an account on `as_of`: classified, with its name and owner; when `profiles`
/// is given, its profile-card status is recorded there. (Shared with the Python binding.)
care::account account_of_customer(const classifier& c, const customer_record& record, date as_of,
                                  std::map<std::string, profile_card_status>* profiles);

/// Merges one activity-log record (`care::account_from_json`) into `accounts` by id: last-done
/// dates (the later of two for one activity) and gift amounts are added, owner and name fill in
/// what is missing; an id not yet known becomes a new account, which then needs its tier.
/// `merging`: `accounts` came from classified customers, so a record may leave the tier out (and
/// the classifier's tier and the customer's owner hold). Otherwise a record disagreeing with an
/// earlier one of the same id on its tier or owner, or on the gift amount in any case, throws
/// care::input_error. With `p`, what the planner would refuse in the record (an unknown tier or
/// activity: care::account_problems) throws care::input_error too, so that it is reported at the
/// record instead of by position after reading. (Shared with the Python binding.)
/// With `as_of`, last-done dates after it are dropped before merging (care::drop_later_facts:
/// a later date must not hide an earlier one it would replace) and what was dropped is
/// appended to `ignored` as "ID: field: message".
void merge_account_record(const nlohmann::json& record, bool merging,
                          std::vector<care::account>& accounts,
                          std::map<std::string, std::size_t>& index, const policy* p = nullptr,
                          const date* as_of = nullptr, std::vector<std::string>* ignored = nullptr);

}  // namespace keyaccount::cli
