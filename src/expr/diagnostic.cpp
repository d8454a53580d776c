#include "keyaccount/expr/diagnostic.hpp"

#include <algorithm>

namespace keyaccount::expr {

diagnostic make_diagnostic(std::string_view source, std::size_t offset, std::string code,
                           std::string message) {
  offset = std::min(offset, source.size());
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    unsigned char c = static_cast<unsigned char>(source[i]);
    if (c == '\n') {
      ++line;
      column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++column;  // count code points: UTF-8 continuation bytes do not start a column
    }
  }
  return diagnostic{std::move(code), std::move(message), offset, line, column};
}

std::string format_diagnostics(const std::vector<diagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) {
    out += std::to_string(d.line) + ":" + std::to_string(d.column) + ": " + d.message + " [" +
           d.code + "]\n";
  }
  return out;
}

}  // namespace keyaccount::expr
