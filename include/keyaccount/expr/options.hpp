#pragma once
/// \file
/// Limits and switches of the expression compiler.

#include <cstddef>
#include <cstdint>

namespace keyaccount::expr {

/// How an expression is compiled and bounded. A plain value type.
struct compile_options {
  /// Longest accepted source, in bytes (diagnostic `expression_too_long`).
  std::size_t max_expression_length = 100'000;
  /// Deepest accepted syntax tree (diagnostic `nesting_too_deep`). Also bounds the recursion
  /// of every later stage, so it protects the stack.
  std::size_t max_ast_depth = 200;
  /// Most comprehension iterations (macro steps) a single evaluation may run; beyond it the
  /// evaluation yields an error value.
  std::uint64_t max_comprehension_iterations = 1'000'000;
  /// Largest RE2 program a `matches` pattern may compile to (RE2's ProgramSize()).
  int max_regex_program_size = 10'000;
  /// Type-check against the declarations. When false every expression is typed `dyn`,
  /// undeclared names are looked up in the activation at run time and unknown functions are
  /// evaluation errors (CEL's unchecked mode).
  bool check_types = true;
  /// Expand the macros (`has`, `all`, `exists`, `exists_one`, `map`, `filter`, `trailing`,
  /// `longest_run`, `count`).
  bool enable_macros = true;
};

}  // namespace keyaccount::expr
