#pragma once
/// \file
/// Stage 3: turns a checked tree into an executable program.

#include <string>
#include <vector>

#include "keyaccount/expr/ast.hpp"
#include "keyaccount/expr/declarations.hpp"
#include "keyaccount/expr/options.hpp"
#include "keyaccount/expr/program.hpp"

namespace keyaccount::expr {

/// Builds the program for a tree annotated by check(): binds functions, folds constant
/// subexpressions (declared constants included), precompiles constant regular expressions.
/// `implicit_variables` are the names check() added in unchecked mode.
/// Thread-safe for distinct trees.
program plan(const ast& tree, const declarations& decls, const compile_options& options,
             const std::vector<std::string>& implicit_variables);

}  // namespace keyaccount::expr
