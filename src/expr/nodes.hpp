#pragma once
// The executable plan: a tree of evaluation nodes built by the planner (internal).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "eval_context.hpp"
#include "functions.hpp"
#include "keyaccount/expr/ast.hpp"
#include "regex.hpp"

namespace keyaccount::expr::detail {

class vector_kernel;
class vector_builder;
using kernel_ptr = std::unique_ptr<vector_kernel>;

/// One step of a plan. Immutable after planning; eval() may run on many threads at once.
class eval_node {
 public:
  virtual ~eval_node() = default;
  virtual value eval(eval_context& ctx) const = 0;
  /// The value, when this node is a constant (for folding).
  virtual const value* constant() const noexcept { return nullptr; }
  /// The comprehension variable's slot, when this node just reads one.
  virtual const std::uint32_t* local_slot() const noexcept { return nullptr; }
  /// When this node is `local < c`, `c >= local` and the like, with c a number exactly
  /// representable as a double: the test, so comprehensions over a list of doubles can run it
  /// in a tight loop without building values (same result: such a test cannot fail).
  virtual const struct element_test* as_element_test() const noexcept { return nullptr; }
  /// This node's columnar form (vector_kernels.hpp), or nullptr when it has none.
  virtual kernel_ptr vectorize(vector_builder& b) const;
};

/// `element OP bound`, normalised so that the element is on the left.
struct element_test {
  enum class op { less, less_equal, greater, greater_equal };
  std::uint32_t slot = 0;
  op relation = op::less;
  double bound = 0.0;
  bool operator()(double x) const noexcept {
    switch (relation) {  // NaN on either side: false for every operator, as CEL requires
      case op::less:
        return x < bound;
      case op::less_equal:
        return x <= bound;
      case op::greater:
        return x > bound;
      case op::greater_equal:
        return x >= bound;
    }
    return false;
  }
};

using eval_ptr = std::unique_ptr<eval_node>;

eval_ptr make_constant(value v);
eval_ptr make_variable(std::uint32_t slot, std::string name);
eval_ptr make_local(std::uint32_t slot);
eval_ptr make_select(eval_ptr operand, std::string field, bool test_only);
eval_ptr make_call(const function_def& f, std::vector<eval_ptr> args);
/// `_<_`, `_<=_`, `_>_` or `_>=_` with inline fast paths for same-kind numbers.
eval_ptr make_relation(const function_def& f, eval_ptr a, eval_ptr b);
eval_ptr make_unbound_function(std::string name);
eval_ptr make_and(eval_ptr a, eval_ptr b);
eval_ptr make_or(eval_ptr a, eval_ptr b);
eval_ptr make_conditional(eval_ptr c, eval_ptr t, eval_ptr f);
eval_ptr make_list(std::vector<eval_ptr> elements);
eval_ptr make_map(std::vector<eval_ptr> keys_and_values);
eval_ptr make_comprehension(macro_kind macro, std::uint32_t slot, std::vector<eval_ptr> parts);
eval_ptr make_matches(eval_ptr text, compiled_regex re);

}  // namespace keyaccount::expr::detail
