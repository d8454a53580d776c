#pragma once
/// \file
/// A parsed JSON document that remembers where each value came from, so diagnostics can point
/// at a line and column. Parsing never throws for bad input: it reports diagnostics and keeps
/// going where JSON allows (duplicate keys), and stops cleanly at the first syntax error.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "keyaccount/policy/diagnostics.hpp"

namespace keyaccount {

/// Bounds that protect against hostile or accidental giant inputs. Each one exceeded is a
/// diagnostic, never a crash or a memory blow-up.
struct parse_limits {
  std::size_t max_bytes = 4u << 20;          ///< whole input
  std::size_t max_depth = 64;                ///< nesting of objects and arrays
  std::size_t max_elements = 200'000;        ///< values of any kind in the document
  std::size_t max_string_bytes = 64u << 10;  ///< one string value or key
};

/// A line and column in a text, both 1-based; the column counts Unicode code points.
struct text_position {
  std::size_t offset = 0;  ///< byte offset, 0-based
  std::size_t line = 0;
  std::size_t column = 0;
};

/// JSON text + its parsed value + the byte offset of every value and key, by JSON pointer.
/// Immutable after parse(); safe to read from many threads.
class source_document {
 public:
  /// Parses `text`. Problems go to `diagnostics` (codes: syntax_error, file_too_large,
  /// nesting_too_deep, too_many_elements, string_too_long, duplicate_key). `root()` is null
  /// when the text could not be parsed.
  static source_document parse(std::string text, std::vector<diagnostic>& diagnostics,
                               const parse_limits& limits = {});

  [[nodiscard]] const nlohmann::json& root() const noexcept { return root_; }
  [[nodiscard]] bool parsed() const noexcept { return parsed_; }
  [[nodiscard]] const std::string& text() const noexcept { return text_; }

  /// Where the value at `pointer` starts (its first character), if it exists.
  [[nodiscard]] std::optional<text_position> value_position(std::string_view pointer) const;
  /// Where the key naming the member at `pointer` starts (the opening quote), if it exists.
  [[nodiscard]] std::optional<text_position> key_position(std::string_view pointer) const;
  /// The position of the value at `pointer`, else of its nearest existing ancestor.
  [[nodiscard]] text_position nearest_position(std::string_view pointer) const;
  /// Line and column of a byte offset.
  [[nodiscard]] text_position position_at(std::size_t offset) const;
  /// The text of a 1-based line, without its line break.
  [[nodiscard]] std::string_view line_text(std::size_t line) const;

  /// Where byte `decoded_offset` of the string value at `pointer` lies in the file, accounting
  /// for JSON escapes (so an error inside an expression is shown at the right column).
  [[nodiscard]] std::optional<text_position> string_content_position(
      std::string_view pointer, std::size_t decoded_offset) const;

  /// Fills a diagnostic's line and column from its pointer (value position, nearest ancestor).
  void locate(diagnostic& d) const;

 private:
  friend class source_document_builder;
  std::string text_;
  nlohmann::json root_;
  bool parsed_ = false;
  std::unordered_map<std::string, std::size_t> value_offsets_;
  std::unordered_map<std::string, std::size_t> key_offsets_;
  std::vector<std::size_t> line_starts_;
  // Code points before every 1 KiB block of the text, so that a column is counted from the
  // nearest block boundary rather than from the start of a (possibly megabyte-long) line.
  std::vector<std::size_t> block_code_points_;
};

/// Appends `token` to a JSON pointer, escaping '~' and '/' as RFC 6901 requires.
[[nodiscard]] std::string append_pointer(std::string_view pointer, std::string_view token);
/// Appends an array index to a JSON pointer.
[[nodiscard]] std::string append_pointer(std::string_view pointer, std::size_t index);

}  // namespace keyaccount
