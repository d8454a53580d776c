#include "diagnostic_format.hpp"

#include <ostream>

#include "text_width.hpp"

namespace keyaccount::cli {
namespace {

std::string_view line_of(std::string_view text, std::size_t line) {
  std::size_t start = 0;
  for (std::size_t l = 1; l < line; ++l) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) return {};
    start = nl + 1;
  }
  std::size_t end = text.find('\n', start);
  std::string_view view =
      text.substr(start, end == std::string_view::npos ? text.size() - start : end - start);
  if (!view.empty() && view.back() == '\r') view.remove_suffix(1);
  return view;
}

std::string escape_github(std::string_view s, bool property) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '%':
        out += "%25";
        break;
      case '\r':
        out += "%0D";
        break;
      case '\n':
        out += "%0A";
        break;
      case ':':
        out += property ? "%3A" : ":";
        break;
      case ',':
        out += property ? "%2C" : ",";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

void print_text(std::ostream& out, std::string_view file, std::string_view text,
                const diagnostic& d) {
  out << file;
  if (d.line > 0) out << ':' << d.line << ':' << d.column;
  out << ": " << to_string(d.level) << '[' << d.code << "]: " << d.message;
  if (!d.pointer.empty()) out << " (at " << d.pointer << ')';
  out << '\n';
  if (d.line == 0) return;
  std::string_view line = line_of(text, d.line);
  if (line.empty() || line.size() > 400) return;  // nothing useful to show under a huge line
  out << "  " << line << "\n  " << caret_indent(line, d.column) << "^\n";
}

void print_github(std::ostream& out, std::string_view file, const diagnostic& d) {
  out << "::" << (d.level == severity::error ? "error" : "warning")
      << " file=" << escape_github(file, true);
  if (d.line > 0) out << ",line=" << d.line << ",col=" << d.column;
  out << ",title=" << escape_github(d.code, true) << "::" << escape_github(d.message, false)
      << '\n';
}

nlohmann::json to_json(const diagnostic& d) {
  return {{"severity", std::string(to_string(d.level))},
          {"code", d.code},
          {"message", d.message},
          {"pointer", d.pointer},
          {"line", d.line},
          {"column", d.column}};
}

}  // namespace keyaccount::cli
