#pragma once
// How many terminal cells UTF-8 text takes: East Asian wide and fullwidth characters (CJK,
// Hangul, fullwidth forms, most emoji) take two, everything else one. Used to align table
// columns and to put the caret under the right character of a source line.
#include <cstddef>
#include <string>
#include <string_view>

namespace keyaccount::cli {

/// Cells the code point takes on a terminal: 2 for East Asian wide / fullwidth, else 1.
[[nodiscard]] std::size_t code_point_width(char32_t cp) noexcept;

/// Cells `text` (UTF-8) takes; malformed bytes count one cell each.
[[nodiscard]] std::size_t display_width(std::string_view text) noexcept;

/// Blank padding that puts a caret under 1-based code-point `column` of `line`: tabs are kept
/// as tabs, every other character before the column becomes as many spaces as its cells.
[[nodiscard]] std::string caret_indent(std::string_view line, std::size_t column);

}  // namespace keyaccount::cli
