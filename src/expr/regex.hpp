#pragma once
// RE2 compilation under the program-size bound (internal).

#include <memory>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

namespace keyaccount::expr::detail {

/// A compiled pattern, or the error message explaining why there is none.
struct compiled_regex {
  std::shared_ptr<const re2::RE2> re;
  std::string error;
};

/// Compiles `pattern` with RE2 (linear-time matching, no backreferences); refuses programs
/// larger than `max_program_size`.
compiled_regex compile_regex(std::string_view pattern, int max_program_size);

/// RE2 partial match (CEL `matches` finds the pattern anywhere in the text).
bool regex_search(const re2::RE2& re, std::string_view text);

}  // namespace keyaccount::expr::detail
