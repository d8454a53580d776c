#pragma once
/// \file
/// Dedicated owners (Art. 6.2): every key customer has exactly one dedicated owner, who is
/// active and holds the position the policy requires; nobody owns more accounts than the
/// policy allows. `check_ownership` reports what is wrong; `propose_owners` proposes owners for
/// the customers without a valid one, balancing load, deterministically.
///
/// Free functions over value types: thread-safe as long as their arguments are not modified.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "keyaccount/org/directory.hpp"
#include "keyaccount/policy/model.hpp"

namespace keyaccount::org {

/// A customer and its current tier (from the classifier or the CRM).
struct customer_ref {
  std::string id;
  std::string tier;
};

/// One assignment customer → owner, as the CRM holds it.
struct assignment {
  std::string customer;
  std::string owner;  ///< person id
  friend bool operator==(const assignment&, const assignment&) = default;
};

/// What can be wrong with the ownership of key customers.
enum class ownership_issue_kind {
  no_owner,          ///< a key customer has no owner
  several_owners,    ///< a key customer has more than one owner
  unknown_owner,     ///< the owner is not a known person
  inactive_owner,    ///< the owner is not active
  wrong_position,    ///< the owner does not hold the required position
  over_capacity,     ///< the owner has more accounts than the policy allows
  unknown_customer,  ///< an assignment names a customer that is not in the list
};

/// Stable name of an issue kind, e.g. "no_owner".
[[nodiscard]] std::string_view to_string(ownership_issue_kind kind) noexcept;

/// One problem found by `check_ownership`.
struct ownership_issue {
  ownership_issue_kind kind;
  std::string customer;  ///< empty for over_capacity
  std::string owner;     ///< empty for no_owner
  std::string message;   ///< says why, with the article
};

/// Options of the check. Defaults come from the policy's ownership rule.
struct ownership_options {
  /// Overrides `ownership_rule::max_accounts_per_owner` (0: no limit).
  std::optional<int> max_accounts_per_owner;
};

/// The outcome of a check.
struct ownership_report {
  std::vector<ownership_issue>
      issues;  ///< unknown customers, key customers by id, owners over the limit
  std::vector<std::string> unowned;  ///< key customers without a valid owner
  std::map<std::string, int> load;   ///< accounts per owner (key customers only)
  [[nodiscard]] bool ok() const noexcept { return issues.empty(); }
};

/// Checks the assignments of the key customers (customers whose tier is one of the rule's
/// `tiers`; all customers when the rule lists none). Throws std::invalid_argument when a
/// customer id is listed twice (propose_owners too).
[[nodiscard]] ownership_report check_ownership(const ownership_rule& rule, const directory& people,
                                               const std::vector<customer_ref>& customers,
                                               const std::vector<assignment>& assignments,
                                               const ownership_options& options = {});

/// A proposal: owners for the key customers without a valid owner.
struct ownership_proposal {
  std::vector<assignment> proposed;       ///< ordered by customer id
  std::vector<std::string> unplaceable;   ///< no eligible person has capacity left
  std::map<std::string, int> load_after;  ///< accounts per eligible person after the proposal
};

/// Proposes an owner for each key customer without a valid owner: customers in id order, each
/// to the eligible person (active, holding the owner position, below the limit) with the fewest
/// accounts, ties broken by person id. Same input, same output.
[[nodiscard]] ownership_proposal propose_owners(const ownership_rule& rule, const directory& people,
                                                const std::vector<customer_ref>& customers,
                                                const std::vector<assignment>& assignments,
                                                const ownership_options& options = {});

}  // namespace keyaccount::org
