#pragma once
/// \file
/// The one-call entry point: parse, check and plan.

#include <optional>
#include <string_view>
#include <vector>

#include "keyaccount/expr/declarations.hpp"
#include "keyaccount/expr/diagnostic.hpp"
#include "keyaccount/expr/options.hpp"
#include "keyaccount/expr/program.hpp"

namespace keyaccount::expr {

/// A program, or the diagnostics explaining why there is none.
struct compile_result {
  std::optional<expr::program> program;
  std::vector<diagnostic> diagnostics;

  bool ok() const noexcept { return program.has_value(); }
};

/// Compiles `source` against `decls`. Never throws for a bad expression: every problem is a
/// diagnostic. Thread-safe (declarations are only read).
compile_result compile(std::string_view source, const declarations& decls,
                       const compile_options& options = {});

}  // namespace keyaccount::expr
