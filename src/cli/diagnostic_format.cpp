#include "diagnostic_format.hpp"

#include <filesystem>
#include <ostream>

#include "diagnostic_catalogue.hpp"
#include "keyaccount/version.hpp"
#include "text_width.hpp"

#ifndef KEYACCOUNT_DOCS_URL
#define KEYACCOUNT_DOCS_URL "https://example.invalid/keyaccount"
#endif

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

// RFC 3986: unreserved characters and '/' stay, every other byte is %XX. A colon stays in an
// absolute path (a drive letter, /C:/x); in a relative reference it would read as a scheme.
std::string percent_encode(std::string_view s, bool keep_colon = false) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '.' || c == '_' || c == '~' || c == '/' ||
                (keep_colon && c == ':');
    if (keep) {
      out += ch;
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// The catalogue's Markdown as plain text, for SARIF's `text` fields: `code` marks and, outside
// code, **bold** and *emphasis* marks dropped; [label](link) reduced to its label.
std::string plain_text(std::string_view markdown) {
  std::string out;
  bool code = false;
  for (std::size_t i = 0; i < markdown.size(); ++i) {
    const char c = markdown[i];
    if (c == '`') {
      code = !code;
      continue;
    }
    if (code) {
      out += c;
      continue;
    }
    if (c == '*') continue;
    if (c == '[') {
      const std::size_t close = markdown.find(']', i + 1);
      if (close != std::string_view::npos && close + 1 < markdown.size() &&
          markdown[close + 1] == '(') {
        const std::size_t end = markdown.find(')', close + 2);
        if (end != std::string_view::npos) {
          out += plain_text(markdown.substr(i + 1, close - i - 1));
          i = end;
          continue;
        }
      }
    }
    out += c;
  }
  return out;
}

}  // namespace

std::string artifact_uri(std::string_view path, bool& relative) {
  namespace fs = std::filesystem;
  fs::path p(std::string{path});
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  fs::path rel = p.is_relative() ? p.lexically_normal() : p.lexically_relative(cwd);
  bool inside = !ec && !rel.empty() && rel.is_relative() && *rel.begin() != "..";
  if (inside) {
    relative = true;
    return percent_encode(rel.generic_string());
  }
  relative = false;
  fs::path abs = p.is_absolute() ? p.lexically_normal() : (cwd / p).lexically_normal();
  std::string generic = abs.generic_string();
  if (generic.empty() || generic.front() != '/') generic.insert(0, "/");  // C:/x -> /C:/x
  return "file://" + percent_encode(generic, true);
}

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

std::size_t string_token_end(std::string_view text, std::size_t line, std::size_t column) {
  if (line == 0 || column == 0) return 0;
  std::string_view l = line_of(text, line);
  if (line == 1 && l.substr(0, 3) == "\xEF\xBB\xBF") l.remove_prefix(3);  // a byte order mark
  // Skip column - 1 code points (UTF-8 continuation bytes do not start one).
  std::size_t at = 0;
  for (std::size_t c = 1; c < column; ++c) {
    if (at >= l.size()) return 0;
    ++at;
    while (at < l.size() && (static_cast<unsigned char>(l[at]) & 0xC0) == 0x80) ++at;
  }
  if (at >= l.size() || l[at] != '"') return 0;
  std::size_t end = column + 1;  // past the opening quote
  for (std::size_t i = at + 1; i < l.size(); ++i) {
    auto c = static_cast<unsigned char>(l[i]);
    if ((c & 0xC0) != 0x80) ++end;
    if (l[i] == '\\') {
      if (++i < l.size()) ++end;  // the escaped character (ASCII in valid JSON)
    } else if (l[i] == '"') {
      return end;
    }
  }
  return 0;  // no closing quote on the line: an unterminated string
}

nlohmann::json to_sarif(const std::vector<sarif_input>& inputs) {
  using nlohmann::json;
  const std::string docs = KEYACCOUNT_DOCS_URL;
  json rules = json::array();
  std::vector<std::string> rule_ids;
  auto add_rule = [&](const std::string& code, const std::string& level, const std::string& summary,
                      const std::string& description, const std::string& anchor) {
    json rule = {{"id", code},
                 {"name", code},
                 {"helpUri", docs + "/docs/diagnostics.md#" + anchor},
                 {"defaultConfiguration", {{"level", level}}}};
    if (!summary.empty()) rule["shortDescription"] = {{"text", plain_text(summary)}};
    if (!description.empty()) {
      rule["fullDescription"] = {{"text", plain_text(description)}};
      rule["help"] = {{"text", plain_text(description)}, {"markdown", description}};
    }
    rules.push_back(std::move(rule));
    rule_ids.push_back(code);
  };
  for (const auto& e : diagnostic_catalogue())
    add_rule(e.code, e.severity, e.summary, e.description, e.anchor);
  auto rule_index = [&](const diagnostic& d) {
    for (std::size_t i = 0; i < rule_ids.size(); ++i)
      if (rule_ids[i] == d.code) return i;
    // A code the catalogue lacks (a test makes sure there is none): still a valid rule.
    add_rule(d.code, std::string(to_string(d.level)), "", "", d.code);
    return rule_ids.size() - 1;
  };

  json results = json::array();
  for (const auto& input : inputs) {
    if (!input.diagnostics) continue;
    bool relative = false;
    std::string uri = input.is_file ? artifact_uri(input.name, relative) : "";
    for (const auto& d : *input.diagnostics) {
      std::size_t index = rule_index(d);
      json result = {{"ruleId", d.code},
                     {"ruleIndex", index},
                     {"level", d.level == severity::error ? "error" : "warning"},
                     {"message", {{"text", d.message}}}};
      if (input.is_file) {
        json artifact = {{"uri", uri}};
        if (relative) artifact["uriBaseId"] = "%SRCROOT%";
        json physical = {{"artifactLocation", artifact}};
        if (d.line > 0) {
          json region = {{"startLine", d.line}};
          if (d.column > 0) region["startColumn"] = d.column;
          if (std::size_t end = string_token_end(input.text, d.line, d.column)) {
            region["endLine"] = d.line;
            region["endColumn"] = end;
          }
          physical["region"] = region;
        }
        result["locations"] = json::array({{{"physicalLocation", physical}}});
      } else {
        // No file to point into (standard input, the embedded policy): say which in the text.
        result["message"]["text"] = input.name + ": " + d.message;
      }
      // The JSON pointer of the offending value ("" is the whole document).
      result["properties"] = {{"pointer", d.pointer}};
      results.push_back(std::move(result));
    }
  }

  std::error_code ec;
  std::string cwd = std::filesystem::current_path(ec).generic_string();
  if (!cwd.empty() && cwd.back() != '/') cwd += '/';
  if (!cwd.empty() && cwd.front() != '/') cwd.insert(0, "/");
  json run = {{"tool",
               {{"driver",
                 {{"name", "keyaccount"},
                  {"version", std::string(keyaccount::version())},
                  {"semanticVersion", std::string(keyaccount::version())},
                  {"informationUri", docs},
                  {"rules", rules}}}}},
              {"columnKind", "unicodeCodePoints"},
              {"results", results}};
  if (!ec)
    run["originalUriBaseIds"] = {{"%SRCROOT%", {{"uri", "file://" + percent_encode(cwd, true)}}}};
  return {{"$schema",
           "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
           "sarif-schema-2.1.0.json"},
          {"version", "2.1.0"},
          {"runs", json::array({run})}};
}

}  // namespace keyaccount::cli
