#include "keyaccount/policy/in_force.hpp"

namespace keyaccount {

std::optional<not_in_force> check_in_force(const policy& p, date as_of) {
  const auto& effective = p.document.effective_on;
  if (!effective || as_of >= *effective) return std::nullopt;
  std::string message = "the policy " + p.document.id +
                        (p.document.version.empty() ? "" : " " + p.document.version) +
                        " is in force from " + effective->to_string() + " (art-14); " +
                        as_of.to_string() + " is before that: its rules did not yet apply";
  return not_in_force{as_of, *effective, std::move(message)};
}

}  // namespace keyaccount
