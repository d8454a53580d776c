#pragma once
// The words for an id the policy does not declare (a tier, an activity) in an input record:
// one wording, with "did you mean", for every reader (accounts, order lines).
#include <string>
#include <string_view>
#include <vector>

#include "core/suggest.hpp"

namespace keyaccount::care::detail {

/// `unknown tier "Key" (did you mean `key`?; the policy's: key, regular)`: ids are
/// case-sensitive, so a miscased one is unknown and the suggestion says which was meant.
template <class Items>
std::string unknown_id(const char* what, std::string_view id, const Items& declared) {
  std::vector<std::string> ids;
  std::string list;
  for (const auto& item : declared) {
    ids.push_back(item.id);
    list += (list.empty() ? "" : ", ") + item.id;
  }
  std::string hint = keyaccount::detail::did_you_mean(id, ids);
  if (!hint.empty()) hint.pop_back();  // ")": the list follows inside the parentheses
  return std::string("unknown ") + what + " \"" + std::string(id) + "\"" +
         (hint.empty() ? " (" : hint + "; ") + "the policy's: " + list + ")";
}

}  // namespace keyaccount::care::detail
