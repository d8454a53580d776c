#pragma once
/// \file
/// Problems found while compiling an expression.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace keyaccount::expr {

/// One problem in an expression's source (a user's mistake, not an API misuse).
/// The `code` is stable (documented in docs/cel.md); the message is for humans.
struct diagnostic {
  std::string code;     ///< e.g. `parse_error`, `undeclared_reference`, `no_matching_overload`
  std::string message;  ///< human-readable explanation
  std::size_t offset;   ///< 0-based byte offset within the expression
  std::size_t line;     ///< 1-based line within the expression
  std::size_t column;   ///< 1-based column within the line, counted in Unicode code points
};

/// Builds a diagnostic at byte `offset` of `source`, computing its line and column.
diagnostic make_diagnostic(std::string_view source, std::size_t offset, std::string code,
                           std::string message);

/// `line:column: message [code]`, one per line.
std::string format_diagnostics(const std::vector<diagnostic>& diagnostics);

}  // namespace keyaccount::expr
