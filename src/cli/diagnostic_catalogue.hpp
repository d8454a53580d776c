#pragma once
// The diagnostics catalogue: every diagnostic code with its severity and description, read from
// docs/diagnostics.md as compiled into the command (one source for the guide and for the rules
// of `validate --format sarif`).

#include <string>
#include <string_view>
#include <vector>

namespace keyaccount::cli {

/// One documented diagnostic code.
struct catalogue_entry {
  std::string code;         ///< "undefined_position"
  std::string severity;     ///< "error" or "warning", as the guide gives it
  std::string summary;      ///< the description's first sentence
  std::string description;  ///< the whole description paragraph (Markdown)
  std::string anchor;       ///< the heading's anchor in docs/diagnostics.md ("undefined_")
};

/// Every code of the catalogue, in the guide's order. Parsed once.
const std::vector<catalogue_entry>& diagnostic_catalogue();

/// Parses a catalogue in docs/diagnostics.md's layout: a `### \`code\`` heading followed by a
/// paragraph starting `**error.**` or `**warning.**`; the `undefined_*` heading's table has
/// one row per code (`| \`undefined_tier\` | a tier | \`tiers\` | ... |`).
std::vector<catalogue_entry> parse_diagnostic_catalogue(std::string_view markdown);

}  // namespace keyaccount::cli
