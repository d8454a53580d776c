#pragma once
/// \file
/// The seed policy (policies/key-account-policy.json), compiled into the library.

#include <string_view>

namespace keyaccount {

/// The JSON text of the embedded default policy, exactly as in policies/key-account-policy.json.
/// Thread-safe; the view is valid for the lifetime of the program.
[[nodiscard]] std::string_view default_policy_text() noexcept;

}  // namespace keyaccount
