#include "input_file.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <limits>
#include <vector>

#include "keyaccount/json/parse.hpp"

namespace keyaccount::cli {

bool open_input_file(const std::string& path, std::string_view what, std::ifstream& in,
                     std::ostream& err) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  std::string reason;
  if (std::filesystem::is_directory(status)) {
    reason = "it is a directory";
  } else {
    errno = 0;
    in.open(path, std::ios::binary);
    if (in) return true;
    reason = errno != 0 ? std::strerror(errno) : "cannot open it";
  }
  err << path << ": error[unreadable_file]: cannot read the " << what << " (" << reason << ")\n";
  return false;
}

namespace {

// source_document knows where every value is; with parse_json's depth limit and no others, its
// first error is the first thing parse_json refused.
source_document parse_with_positions(const std::string& text, std::vector<diagnostic>& problems) {
  parse_limits limits;
  limits.max_bytes = std::numeric_limits<std::size_t>::max();
  limits.max_elements = std::numeric_limits<std::size_t>::max();
  limits.max_string_bytes = std::numeric_limits<std::size_t>::max();
  limits.max_depth = json_max_depth;
  return source_document::parse(text, problems, limits);
}

std::optional<text_position> first_error(const std::vector<diagnostic>& problems) {
  for (const auto& d : problems)
    if (d.level == severity::error && d.line > 0) return text_position{0, d.line, d.column};
  return std::nullopt;
}

}  // namespace

std::vector<std::size_t> array_element_lines(std::string_view text, std::size_t count) {
  std::vector<std::size_t> lines;
  std::size_t depth = 0, line = 1;
  bool in_string = false, expect_element = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (ch == '\n') ++line;  // JSON strings hold no raw line break: counting here is safe
    if (in_string) {
      if (ch == '\\')
        ++i;  // the escaped character cannot end the string
      else if (ch == '"')
        in_string = false;
      continue;
    }
    if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') continue;
    if (expect_element && ch != ']') lines.push_back(line);
    expect_element = false;
    if (ch == '"') {
      in_string = true;
    } else if (ch == '[' || ch == '{') {
      expect_element = ++depth == 1;
    } else if (ch == ']' || ch == '}') {
      --depth;
    } else if (ch == ',' && depth == 1) {
      expect_element = true;
    }
  }
  lines.resize(count, lines.empty() ? 1 : lines.back());
  return lines;
}

std::optional<text_position> json_error_position(const std::string& text) {
  std::vector<diagnostic> problems;
  (void)parse_with_positions(text, problems);
  return first_error(problems);
}

std::string locate_in_json(const std::string& path, const std::string& text,
                           const std::string& pointer) {
  std::vector<diagnostic> problems;
  const source_document doc = parse_with_positions(text, problems);
  auto at = [&](std::size_t line, std::size_t column) {
    return path + ':' + std::to_string(line) + ':' + std::to_string(column);
  };
  if (auto p = first_error(problems)) return at(p->line, p->column);
  if (pointer.empty() || !doc.parsed()) return path;
  const text_position p = doc.key_position(pointer).value_or(doc.nearest_position(pointer));
  return at(p.line, p.column);
}

}  // namespace keyaccount::cli
