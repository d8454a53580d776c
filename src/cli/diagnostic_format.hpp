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

}  // namespace keyaccount::cli
