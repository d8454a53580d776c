#include "regex.hpp"

#include <re2/re2.h>

namespace keyaccount::expr::detail {

compiled_regex compile_regex(std::string_view pattern, int max_program_size) {
  RE2::Options options;
  options.set_log_errors(false);
  // Bounds the memory RE2 may use for the compiled program and its DFA caches.
  options.set_max_mem(std::max<std::int64_t>(1 << 20, std::int64_t{max_program_size} * 256));
  auto re = std::make_shared<const RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
  if (!re->ok()) return {nullptr, "invalid regular expression: " + re->error()};
  if (re->ProgramSize() > max_program_size) {
    return {nullptr, "regular expression program size " + std::to_string(re->ProgramSize()) +
                         " exceeds the limit of " + std::to_string(max_program_size)};
  }
  return {std::move(re), {}};
}

bool regex_search(const re2::RE2& re, std::string_view text) {
  return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), re);
}

}  // namespace keyaccount::expr::detail
