#pragma once
/// \file
/// Diagnostics: the problems found in a user's policy file, collected rather than thrown, so that
/// every problem in a file is reported at once. The codes are stable and documented in
/// docs/diagnostics.md; CI pipelines may branch on them.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace keyaccount {

/// How bad a diagnostic is. A policy with an error does not load; a warning does.
enum class severity { error, warning };

/// "error" or "warning".
[[nodiscard]] std::string_view to_string(severity s) noexcept;

/// One problem in a policy file.
struct diagnostic {
  severity level = severity::error;
  std::string code;        ///< stable code, e.g. "undefined_position" (docs/diagnostics.md)
  std::string message;     ///< what is wrong and, where possible, how to fix it
  std::string pointer;     ///< JSON pointer (RFC 6901) to the offending value; "" is the root
  std::size_t line = 0;    ///< 1-based line in the file; 0 when unknown
  std::size_t column = 0;  ///< 1-based column (Unicode code points); 0 when unknown
};

/// True when any diagnostic is an error.
[[nodiscard]] bool has_errors(const std::vector<diagnostic>& diagnostics) noexcept;

}  // namespace keyaccount
