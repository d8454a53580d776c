#pragma once
// The `--policy FILE` option shared by every command that runs a policy: the file when given,
// else the embedded default policy.

#include <optional>
#include <string>
#include <string_view>

#include "commands.hpp"
#include "keyaccount/policy/model.hpp"

namespace keyaccount::cli {

/// Loads `path` (or the default policy when empty). On errors prints the diagnostics to
/// ctx.err and returns nothing; the caller exits with exit_failure (exit_usage if unreadable).
std::optional<policy> load_policy_option(const std::string& path, context& ctx);

/// Art. 14: warns on ctx.err when `as_of` is before the policy's `effective_on`
/// ("keyaccount plan: warning[policy_not_in_force]: ..."). The command still runs (a back-test
/// is legitimate) and its exit code is unchanged.
void warn_if_not_in_force(const policy& p, date as_of, std::string_view command, context& ctx);

}  // namespace keyaccount::cli
