#pragma once
// Whether bytes are well-formed UTF-8. Text read from CSV cells arrives unchecked (JSON input is
// checked by its parser): a Latin-1 or GBK export would otherwise be carried into ids and names
// and come out as replacement characters, a silent misreading.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace keyaccount::detail {

/// The byte offset of the first byte that does not start or continue a well-formed UTF-8
/// sequence (overlong forms, surrogates and code points past U+10FFFF are malformed), or
/// nullopt when `text` is well-formed.
[[nodiscard]] std::optional<std::size_t> first_invalid_utf8(std::string_view text) noexcept;

/// `text` with every byte that is not part of a well-formed UTF-8 sequence written as `\xNN`.
/// For messages that quote input (nlohmann's "last read: ..."): a message must itself be valid
/// UTF-8, or printing it as JSON throws and handing it to Python fails to decode.
[[nodiscard]] std::string escape_invalid_utf8(std::string_view text);

}  // namespace keyaccount::detail
