#pragma once
// What a program shares between its copies (internal).

#include <memory>
#include <string>
#include <vector>

#include "keyaccount/expr/options.hpp"
#include "keyaccount/expr/type.hpp"
#include "nodes.hpp"

namespace keyaccount::expr::detail {

struct program_data {
  std::string source;
  type result_type;
  eval_ptr root;
  std::shared_ptr<const std::vector<std::string>> variable_names;
  std::uint32_t local_slots = 0;
  std::uint64_t max_iterations = 0;
  int max_regex_program_size = 0;
};

}  // namespace keyaccount::expr::detail
