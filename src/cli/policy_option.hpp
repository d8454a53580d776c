#pragma once
// The `--policy FILE` option shared by every command that runs a policy: the file when given,
// else the embedded default policy.

#include <optional>
#include <string>

#include "commands.hpp"
#include "keyaccount/policy/model.hpp"

namespace keyaccount::cli {

/// Loads `path` (or the default policy when empty). On errors prints the diagnostics to
/// ctx.err and returns nothing; the caller exits with exit_failure (exit_usage if unreadable).
std::optional<policy> load_policy_option(const std::string& path, context& ctx);

}  // namespace keyaccount::cli
