// Whether two classifiers evaluate a criterion the same way: the test compare_batch uses to
// evaluate a criterion once for a policy and its amendment. Internal to the classify layer.
#pragma once

#include <cstddef>

#include "keyaccount/classify/classifier.hpp"

namespace keyaccount::detail {

/// Whether criterion i of `a` and criterion j of `b` compile to the same program: the same id
/// and condition text (a leaf), reading parameters of the same type and value. Parameters are
/// constants in a condition; the customer schemas must be the same (the caller's precondition).
/// `params` read other than as `params.<name>` compares every parameter.
[[nodiscard]] bool same_condition(const classifier& a, std::size_t i, const classifier& b,
                                  std::size_t j);

}  // namespace keyaccount::detail
