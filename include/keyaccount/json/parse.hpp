#pragma once
/// \file
/// Reading JSON input (customer records, test files, accounts, people, workflow instances) with
/// nlohmann/json, refusing what nlohmann accepts but the library cannot use safely. One parse for
/// every input the library and the CLI read, so each gets the same limits and messages.
///
///     nlohmann::json j = keyaccount::parse_json(text);  // throws keyaccount::json_error

#include <cstddef>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

#include "keyaccount/core/error.hpp"

namespace keyaccount {

/// JSON text that parse_json() refused. what() is the reason without nlohmann's
/// "[json.exception...]" prefix, e.g. "syntax error at line 1, column 9: ...".
class json_error : public error {
 public:
  explicit json_error(const std::string& message) : error(error_kind::json, {}, message) {}
};

/// Objects and arrays may nest this deep in parse_json() by default: far more than any input of
/// the library needs (a customer record nests three levels).
inline constexpr std::size_t json_max_depth = 64;

/// Parses `text` as one JSON value. Throws json_error for a syntax error (nlohmann's message,
/// with line and column), a key that appears twice in one object (nlohmann would keep the last),
/// a number beyond the range of a double (`1e400`), or objects and arrays
/// nested deeper than `max_depth`: such input is legal JSON, but copying or printing a value
/// recurses once per level, and 150,000 levels overflow the stack.
[[nodiscard]] nlohmann::json parse_json(std::string_view text,
                                        std::size_t max_depth = json_max_depth);

/// What kind of JSON value `j` is, as an input error words it after "got": "null", "a boolean",
/// "a number", "a string", "an array", "an object" (one wording for every reader).
[[nodiscard]] std::string kind_of(const nlohmann::json& j);

}  // namespace keyaccount
