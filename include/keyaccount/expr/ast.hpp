#pragma once
/// \file
/// The syntax tree produced by the parser and annotated by the checker.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "keyaccount/expr/type.hpp"
#include "keyaccount/expr/value.hpp"

namespace keyaccount::expr {

/// Node kinds. Operators are calls of functions named as in CEL (`_+_`, `_&&_`, `_?_:_`,
/// `_[_]`, `@in`, `!_`, `-_`); macros are expanded into `comprehension` nodes or, for `has`,
/// into a `select` with `test_only`.
enum class node_kind : std::uint8_t { literal, ident, select, call, list, map, comprehension };

/// The macro a comprehension node came from.
enum class macro_kind : std::uint8_t {
  none,
  all,
  exists,
  exists_one,
  map,  ///< `r.map(x, t)`; with a filter `r.map(x, p, t)`
  filter,
  trailing,     ///< extension: trailing consecutive elements satisfying the predicate
  longest_run,  ///< extension: longest run of consecutive elements satisfying the predicate
  count,        ///< extension: number of elements satisfying the predicate
};

/// What an identifier refers to (set by the checker).
enum class reference_kind : std::uint8_t { none, variable, constant, local };

/// One node. A plain tree: each node owns its children.
struct node {
  node_kind kind = node_kind::literal;
  std::uint32_t offset = 0;  ///< byte offset of the node's token in the source
  std::uint32_t depth = 1;   ///< height of the subtree rooted here
  value literal;             ///< literal nodes
  std::string name;          ///< ident, select field, call function, comprehension variable
  /// Children: call arguments (the receiver first when `member`), list elements, map
  /// keys and values interleaved, the operand of a select, or for a comprehension the range,
  /// then the predicate/transform (and for a filtering map: predicate, then transform).
  std::vector<std::unique_ptr<node>> children;
  bool member = false;     ///< call written `target.f(...)`: children[0] is the target
  bool test_only = false;  ///< select from `has(a.f)`
  macro_kind macro = macro_kind::none;

  // Checker annotations.
  type checked_type;  ///< dyn when unchecked
  reference_kind ref = reference_kind::none;
  std::uint32_t ref_index = 0;  ///< variable slot, constant index or local slot
};

using node_ptr = std::unique_ptr<node>;

/// A parsed expression: its source and its tree. Move-only; not shared between threads while
/// the checker annotates it.
struct ast {
  std::string source;
  node_ptr root;
  std::uint32_t local_slots = 0;  ///< comprehension variables needed at once (set by checker)
};

}  // namespace keyaccount::expr
