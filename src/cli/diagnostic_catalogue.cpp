#include "diagnostic_catalogue.hpp"

#include <cstddef>

namespace keyaccount::cli {
namespace detail {
// Generated from docs/diagnostics.md by cmake/embed_file.cmake (src/cli/CMakeLists.txt).
std::string_view diagnostics_catalogue_text() noexcept;
}  // namespace detail

namespace {

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t nl = text.find('\n', start);
    std::string_view line =
        text.substr(start, nl == std::string_view::npos ? text.size() - start : nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return lines;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// `code` in "### `code`" (or "" when the line is no such heading).
std::string_view heading_code(std::string_view line) {
  constexpr std::string_view prefix = "### `";
  if (line.substr(0, prefix.size()) != prefix || line.size() < prefix.size() + 2 ||
      line.back() != '`')
    return {};
  return line.substr(prefix.size(), line.size() - prefix.size() - 1);
}

// The first sentence: up to the first ". " (or the whole text).
std::string first_sentence(const std::string& text) {
  std::size_t end = text.find(". ");
  return end == std::string::npos ? text : text.substr(0, end + 1);
}

// The cells of a Markdown table row "| a | b | c |".
std::vector<std::string_view> cells(std::string_view row) {
  std::vector<std::string_view> out;
  row = trim(row);
  if (row.size() < 2 || row.front() != '|') return out;
  row.remove_prefix(1);
  while (!row.empty()) {
    std::size_t bar = row.find('|');
    if (bar == std::string_view::npos) break;
    out.push_back(trim(row.substr(0, bar)));
    row.remove_prefix(bar + 1);
  }
  return out;
}

}  // namespace

std::vector<catalogue_entry> parse_diagnostic_catalogue(std::string_view markdown) {
  std::vector<catalogue_entry> entries;
  const auto lines = lines_of(markdown);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string_view code = heading_code(lines[i]);
    if (code.empty()) continue;
    // The description: the first paragraph after the heading that gives a severity.
    std::size_t j = i + 1;
    while (j < lines.size() && trim(lines[j]).empty()) ++j;
    std::string severity, paragraph;
    // "**error.** ...", "**warning.** ...", or both: "**warning** for text, **error** for ...".
    for (std::string_view level : {"error", "warning"}) {
      const std::string mark = "**" + std::string(level);
      if (j >= lines.size() || lines[j].substr(0, mark.size()) != mark) continue;
      severity = std::string(level);
      for (std::size_t k = j; k < lines.size() && !trim(lines[k]).empty(); ++k)
        paragraph += (paragraph.empty() ? "" : " ") + std::string(trim(lines[k]));
      const std::string whole = mark + ".**";
      if (paragraph.substr(0, whole.size()) == whole)
        paragraph = std::string(trim(std::string_view(paragraph).substr(whole.size())));
    }
    if (severity.empty()) continue;  // a heading that is no code's entry
    const std::string anchor(code.back() == '*' ? code.substr(0, code.size() - 1) : code);
    if (code.back() != '*') {
      entries.push_back(
          {std::string(code), severity, first_sentence(paragraph), paragraph, anchor});
      continue;
    }
    // A family (`undefined_*`): one code per row of the table below it, up to the next heading.
    for (std::size_t k = j;
         k < lines.size() && lines[k].substr(0, 3) != "## " && lines[k].substr(0, 4) != "### ";
         ++k) {
      auto row = cells(lines[k]);
      if (row.size() < 3 || row[0].size() < 3 || row[0].front() != '`' || row[0].back() != '`')
        continue;
      std::string member(row[0].substr(1, row[0].size() - 2));
      if (member.substr(0, anchor.size()) != anchor) continue;
      std::string summary = "A reference to " + std::string(row[1]) + " that is not declared in " +
                            std::string(row[2]) + ".";
      entries.push_back({member, severity, summary, summary + " " + paragraph, anchor});
    }
  }
  return entries;
}

const std::vector<catalogue_entry>& diagnostic_catalogue() {
  static const std::vector<catalogue_entry> entries =
      parse_diagnostic_catalogue(detail::diagnostics_catalogue_text());
  return entries;
}

}  // namespace keyaccount::cli
