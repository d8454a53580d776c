#pragma once
/// \file
/// Stage 1: CEL source text to syntax tree.

#include <optional>
#include <string_view>
#include <vector>

#include "keyaccount/expr/ast.hpp"
#include "keyaccount/expr/diagnostic.hpp"
#include "keyaccount/expr/options.hpp"

namespace keyaccount::expr {

/// The outcome of parsing: a tree, or the diagnostics that prevented one.
struct parse_result {
  std::optional<expr::ast> ast;
  std::vector<diagnostic> diagnostics;
};

/// Parses `source` (CEL syntax, macros expanded per `options`). Never throws on bad input.
/// Thread-safe (no shared state).
parse_result parse(std::string_view source, const compile_options& options = {});

}  // namespace keyaccount::expr
