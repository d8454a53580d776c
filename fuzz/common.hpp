#pragma once
// Shared by the fuzz targets: invariant checks that abort (so that libFuzzer and the replay
// runner both stop on a violation and keep the input), and the data every target loads once.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "keyaccount/policy/date.hpp"

namespace fuzz {

/// An invariant the library promises: a violation is a finding, reported and aborted on.
[[noreturn]] inline void violated(const char* what, const char* file, int line,
                                  const std::string& detail) {
  std::fprintf(stderr, "%s:%d: fuzz invariant violated: %s%s%s\n", file, line, what,
               detail.empty() ? "" : ": ", detail.c_str());
  std::abort();
}

/// The as-of date of every target: a fixed day, so that a finding replays the same.
inline keyaccount::date as_of() { return *keyaccount::date::parse("2026-06-30"); }

/// Splits `text` at the first `separator`: the part before and the part after (empty when the
/// separator is absent).
inline std::pair<std::string_view, std::string_view> split_once(std::string_view text,
                                                                std::string_view separator) {
  auto at = text.find(separator);
  if (at == std::string_view::npos) return {text, {}};
  return {text.substr(0, at), text.substr(at + separator.size())};
}

}  // namespace fuzz

#define FUZZ_REQUIRE(cond, detail)                                    \
  do {                                                                \
    if (!(cond)) ::fuzz::violated(#cond, __FILE__, __LINE__, detail); \
  } while (false)
