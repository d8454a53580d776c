#pragma once
/// \file
/// Art. 14: the policy is in force from its `document.effective_on` (生效日期), the day after the
/// General Manager signs it. Classifying customers, planning activities or checking compliance
/// for a day before that applies rules that did not yet hold. The evaluation functions
/// themselves still run (a what-if or a back-test is legitimate); callers check with
/// `check_in_force` and say so: the command line prints a warning on stderr and proceeds, the
/// Python API issues `keyaccount.PolicyNotInForceWarning`.

#include <optional>
#include <string>

#include "keyaccount/policy/model.hpp"

namespace keyaccount {

/// A policy applied on a day before it came into force.
struct not_in_force {
  date as_of;         ///< the day asked about
  date effective_on;  ///< the policy's `document.effective_on`
  /// "the policy key-account-maintenance 1.0 is in force from 2026-02-01 (art-14); 2026-01-15
  /// is before that: its rules did not yet apply"
  std::string message;
  /// Stable code, as in docs/diagnostics.md.
  static constexpr const char* code = "policy_not_in_force";
};

/// Whether `p` is in force on `as_of` (Art. 14). Returns what is wrong when `as_of` is before the
/// policy's `effective_on`; empty when it is in force, or when the policy states no effective
/// date (nothing to check against). Pure, thread-safe.
[[nodiscard]] std::optional<not_in_force> check_in_force(const policy& p, date as_of);

}  // namespace keyaccount
