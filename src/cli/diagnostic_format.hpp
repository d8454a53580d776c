#pragma once
// Rendering diagnostics for people (text with a caret), for tools (JSON) and for GitHub
// Actions (workflow commands that annotate the pull request).

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "keyaccount/policy/diagnostics.hpp"

namespace keyaccount::cli {

/// `FILE:LINE:COL: error[CODE]: message`, then the offending line and a caret under the column.
void print_text(std::ostream& out, std::string_view file, std::string_view text,
                const diagnostic& d);
/// `::error file=F,line=L,col=C,title=CODE::message` (or ::warning).
void print_github(std::ostream& out, std::string_view file, const diagnostic& d);
/// {"severity","code","message","pointer","line","column"}
nlohmann::json to_json(const diagnostic& d);

/// The diagnostics of one input, for a SARIF log.
struct sarif_input {
  std::string name;  ///< the path as given; "<stdin>" or "<default policy>" for no file
  bool is_file = true;
  const std::vector<diagnostic>* diagnostics = nullptr;
  std::string_view text;  ///< the file's text, for where a located string ends ("" if unread)
};

/// A SARIF 2.1.0 log of one run: a rule per code of the diagnostics catalogue
/// (docs/diagnostics.md), a result per diagnostic, located by the file's URI relative to the
/// working directory (uriBaseId %SRCROOT%) and its line and column (in code points); where the
/// diagnostic points at a JSON string, the region ends after its closing quote.
nlohmann::json to_sarif(const std::vector<sarif_input>& inputs);

/// A path as a URI reference: relative to the working directory where it lies under it
/// ("policies/a.json"), else an absolute file: URI; characters outside RFC 3986's unreserved set
/// percent-encoded (UTF-8). Exposed for tests.
std::string artifact_uri(std::string_view path, bool& relative);

/// The end (exclusive, 1-based code points) on `line` of the JSON string token starting at
/// `column` of `text`; 0 when no string starts there or it does not end on that line.
std::size_t string_token_end(std::string_view text, std::size_t line, std::size_t column);

}  // namespace keyaccount::cli
