#include "text_width.hpp"

#include <array>
#include <utility>

namespace keyaccount::cli {

namespace {

// The East Asian Width "W" and "F" blocks that occur in practice (Unicode 15, simplified to
// whole blocks): Hangul Jamo, CJK radicals to Yi, Hangul syllables, CJK compatibility,
// vertical and small forms, fullwidth forms, emoji and pictographs, CJK extensions B–G.
constexpr std::array<std::pair<char32_t, char32_t>, 12> wide_ranges{{
    {0x1100, 0x115F},
    {0x2E80, 0x303E},
    {0x3041, 0xA4CF},
    {0xAC00, 0xD7A3},
    {0xF900, 0xFAFF},
    {0xFE10, 0xFE19},
    {0xFE30, 0xFE6F},
    {0xFF00, 0xFF60},
    {0xFFE0, 0xFFE6},
    {0x1F300, 0x1F64F},
    {0x1F900, 0x1F9FF},
    {0x20000, 0x3FFFD},
}};

// Decodes the code point at `i` and advances `i` past it; a malformed byte is one code point.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto c = static_cast<unsigned char>(s[i]);
  const std::size_t len = c < 0x80           ? 1
                          : (c >> 5) == 0x6  ? 2
                          : (c >> 4) == 0xE  ? 3
                          : (c >> 3) == 0x1E ? 4
                                             : 1;
  if (len == 1 || i + len > s.size()) {
    ++i;
    return c;
  }
  char32_t cp = c & (0xFF >> (len + 1));
  for (std::size_t k = 1; k < len; ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += len;
  return cp;
}

}  // namespace

std::size_t code_point_width(char32_t cp) noexcept {
  for (const auto& [first, last] : wide_ranges)
    if (cp >= first && cp <= last) return 2;
  return 1;
}

std::size_t display_width(std::string_view text) noexcept {
  std::size_t cells = 0;
  for (std::size_t i = 0; i < text.size();) cells += code_point_width(next_code_point(text, i));
  return cells;
}

std::string caret_indent(std::string_view line, std::size_t column) {
  std::string indent;
  std::size_t col = 1;
  for (std::size_t i = 0; i < line.size() && col < column; ++col) {
    const char32_t cp = next_code_point(line, i);
    if (cp == U'\t')
      indent += '\t';
    else
      indent.append(code_point_width(cp), ' ');
  }
  return indent;
}

}  // namespace keyaccount::cli
