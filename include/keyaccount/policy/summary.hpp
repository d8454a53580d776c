#pragma once
/// \file
/// A readable summary of a policy (tiers and their criteria, positions, workflows, activities),
/// shown by `keyaccount describe` and `keyaccount.Policy.describe()`.

#include <string>

#include "keyaccount/policy/model.hpp"

namespace keyaccount {

/// Plain text, English names with the Chinese original beside them.
[[nodiscard]] std::string summarize(const policy& p);

}  // namespace keyaccount
