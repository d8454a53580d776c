#pragma once
// Internal: the meaning checks run on a loaded policy (references, duplicates, cycles, dates,
// workflows, expressions). Each problem is reported at the JSON pointer of the offending value,
// which follows from the element's index: the model keeps the file's order.

#include "keyaccount/policy/loader.hpp"
#include "policy/detail/load_context.hpp"

namespace keyaccount::detail {

void validate(const policy& p, load_context& ctx, const load_options& options);

}  // namespace keyaccount::detail
