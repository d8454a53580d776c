#pragma once
/// \file
/// Dynamic management (Art. 6.1): re-classification against the previous tier with a grace rule
/// (`dynamic_management.demote_after_failures`), and the customer profile card's completeness
/// and age (`dynamic_management.profile_card`). Free functions over value types: thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keyaccount/classify/classifier.hpp"

namespace keyaccount {

/// How a customer's tier moved between two evaluations.
enum class transition_kind : std::uint8_t {
  unchanged,         ///< same tier as before
  promoted,          ///< a higher tier (earlier in policy order) than before
  demoted,           ///< a lower tier, after the grace rule's failing evaluations
  pending_demotion,  ///< fails the previous tier, but not yet often enough: the tier is kept
};

/// "unchanged", "promoted", "demoted" or "pending_demotion".
[[nodiscard]] std::string_view to_string(transition_kind k) noexcept;

/// A customer's state before this evaluation.
struct tier_history {
  std::string previous_tier;     ///< tier id; empty for a customer never classified
  int consecutive_failures = 0;  ///< failing evaluations in a row already counted
};

/// The outcome of re-classification.
struct transition {
  transition_kind kind = transition_kind::unchanged;
  std::string tier;            ///< the tier the customer holds now
  std::string evaluated_tier;  ///< the tier this evaluation alone gives
  std::string previous_tier;
  int consecutive_failures = 0;  ///< to store for the next evaluation
  int failures_to_demotion = 0;  ///< further failing evaluations before a demotion (pending)
  /// Reasons: for a promotion the deciding criteria met; for a (pending) demotion the why-not
  /// of each unmet deciding criterion ("art-5.1: needs more than 120 万元 more ...").
  std::vector<std::string> reasons;
};

/// Applies the policy's grace rule to `e` (this evaluation) given `before`. Throws
/// std::invalid_argument when `before.previous_tier` is not a tier of `c`'s policy.
[[nodiscard]] transition reclassify(const classifier& c, const explanation& e,
                                    const tier_history& before);

/// The profile card (客户资料卡) against `dynamic_management.profile_card`.
struct profile_card_status {
  bool required = false;                    ///< the policy has a profile-card rule
  bool present = false;                     ///< the record has a profile object
  std::vector<std::string> missing_fields;  ///< required fields absent or empty
  std::optional<date> updated_on;
  std::optional<std::int64_t> age_days;  ///< as_of − updated_on
  int max_age_days = 0;                  ///< 0: no limit
  bool stale = false;                    ///< older than max_age_days
  /// Complete (nothing missing) and not stale.
  [[nodiscard]] bool ok() const noexcept { return present && missing_fields.empty() && !stale; }
};

/// Checks the record's `profile` object (the schema's object field named in the policy's
/// dynamic management, "profile") against the required fields and maximum age on `as_of`.
[[nodiscard]] profile_card_status check_profile_card(const classifier& c,
                                                     const customer_record& record, date as_of);

}  // namespace keyaccount
