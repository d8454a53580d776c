#include "input_file.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <limits>
#include <vector>

#include "keyaccount/json/parse.hpp"
#include "keyaccount/policy/source_document.hpp"

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

std::string locate_in_json(const std::string& path, const std::string& text,
                           const std::string& pointer) {
  // source_document knows where every value is; with parse_json's depth limit and no others, its
  // first error is the first thing parse_json refused.
  parse_limits limits;
  limits.max_bytes = std::numeric_limits<std::size_t>::max();
  limits.max_elements = std::numeric_limits<std::size_t>::max();
  limits.max_string_bytes = std::numeric_limits<std::size_t>::max();
  limits.max_depth = json_max_depth;
  std::vector<diagnostic> problems;
  const source_document doc = source_document::parse(text, problems, limits);
  auto at = [&](std::size_t line, std::size_t column) {
    return path + ':' + std::to_string(line) + ':' + std::to_string(column);
  };
  for (const auto& d : problems)
    if (d.level == severity::error && d.line > 0) return at(d.line, d.column);
  if (pointer.empty() || !doc.parsed()) return path;
  const text_position p = doc.key_position(pointer).value_or(doc.nearest_position(pointer));
  return at(p.line, p.column);
}

}  // namespace keyaccount::cli
