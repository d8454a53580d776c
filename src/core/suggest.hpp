#pragma once
// "Did you mean …?": the name most likely meant by a misspelt one. One implementation for the
// policy loader's messages (unknown members, undefined references) and the CEL checker's
// (undeclared names, fields an object does not have).
#include <string>
#include <string_view>
#include <vector>

namespace keyaccount::detail {

/// The closest of `candidates` to `word` by edit distance, when close enough to be a likely
/// typo; empty otherwise. Used for "did you mean `finance`?".
[[nodiscard]] std::string closest_match(std::string_view word,
                                        const std::vector<std::string>& candidates);
/// " (did you mean `x`?)" or "".
[[nodiscard]] std::string did_you_mean(std::string_view word,
                                       const std::vector<std::string>& candidates);

}  // namespace keyaccount::detail
