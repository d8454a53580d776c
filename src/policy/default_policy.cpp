#include "keyaccount/policy/default_policy.hpp"

namespace keyaccount {
namespace detail {
// Generated at build time from policies/key-account-policy.json (cmake/embed_file.cmake).
std::string_view default_policy_text() noexcept;
}  // namespace detail

std::string_view default_policy_text() noexcept { return detail::default_policy_text(); }

}  // namespace keyaccount
