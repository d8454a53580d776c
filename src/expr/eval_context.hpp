#pragma once
// What a running evaluation carries (internal).

#include <cstdint>

#include "keyaccount/expr/program.hpp"
#include "keyaccount/expr/value.hpp"

namespace keyaccount::expr::detail {

/// Per-evaluation state: the caller's bindings, the comprehension variables, the remaining
/// iteration budget. Lives on the evaluating thread's stack; programs stay immutable.
struct eval_context {
  const activation* vars = nullptr;
  value* locals = nullptr;
  std::uint64_t iterations_left = 0;
  int max_regex_program_size = 0;
};

}  // namespace keyaccount::expr::detail
