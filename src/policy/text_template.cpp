#include "policy/detail/text_template.hpp"

#include <algorithm>

namespace keyaccount::detail {

split_template_result split_template(std::string_view text) {
  split_template_result out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t open = text.find('{', pos);
    if (open == std::string_view::npos) {
      out.pieces.push_back({false, std::string(text.substr(pos)), pos});
      break;
    }
    const std::size_t close = text.find('}', open);
    if (close == std::string_view::npos) {
      out.unclosed_at = open;
      out.pieces.clear();
      return out;
    }
    if (open > pos) out.pieces.push_back({false, std::string(text.substr(pos, open - pos)), pos});
    out.pieces.push_back({true, std::string(text.substr(open + 1, close - open - 1)), open + 1});
    pos = close + 1;
  }
  return out;
}

bool blank_placeholder(std::string_view text) noexcept {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

}  // namespace keyaccount::detail
