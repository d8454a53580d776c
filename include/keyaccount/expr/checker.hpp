#pragma once
/// \file
/// Stage 2: resolves names and types a parsed expression against declarations.

#include <vector>

#include "keyaccount/expr/ast.hpp"
#include "keyaccount/expr/declarations.hpp"
#include "keyaccount/expr/diagnostic.hpp"
#include "keyaccount/expr/options.hpp"

namespace keyaccount::expr {

/// Annotates every node of `tree` with its type and what its names refer to; returns the
/// problems found (all of them, each at its position). With `options.check_types == false`
/// only names are resolved (every type is dyn) and undeclared names become variables bound at
/// run time: they are appended to `implicit_variables`. Thread-safe for distinct trees.
std::vector<diagnostic> check(ast& tree, const declarations& decls, const compile_options& options,
                              std::vector<std::string>& implicit_variables);

}  // namespace keyaccount::expr
